/**
 * gaussian-rc: the analog Langevin presets (rc-langevin: an RC network with
 * injected noise; spu-8: Normal Computing's 8-cell stochastic processing
 * unit) against the digital Gaussian samplers (ULA, MALA, HMC, exact
 * Cholesky draws) on 8-variable Gaussians of condition number 2, 10 and 100
 * (random rotations, eigenvalues evenly spaced): the relative error of the
 * draws' covariance against the energy and the time spent, the energy and
 * time to reach 10% error, and the error left at the whole budget (a chip's
 * bias from its encoding -- quantised conductances, finite gain -- shows up
 * there as a floor, as ULA's discretisation bias does).
 *
 *   npm run bench -- gaussian-rc      (GAUSSIAN_REPEATS=3 GAUSSIAN_SWEEPS=8192)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Random } from "../src/util/random.js";
import { breakEvenText } from "../src/run/headline.js";
import { runStudy } from "../src/study/run.js";
import { parseTarget } from "../src/metrics/target.js";
import type { Study } from "../src/study/spec.js";
import { studyProgress } from "../src/cli/progress.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";

/** A = Q diag(eig) Q' for a random orthogonal Q (Gram-Schmidt on normal vectors), b ~ N(0, 1/4). */
function spd(eig: number[], seed: number): { A: number[][]; b: number[] } {
  const n = eig.length;
  const r = new Random(seed, 0x7370);
  const q: number[][] = [];
  while (q.length < n) {
    let v = Array.from({ length: n }, () => r.normal());
    for (const u of q) {
      const d = v.reduce((a, x, i) => a + x * u[i], 0);
      v = v.map((x, i) => x - d * u[i]);
    }
    const norm = Math.hypot(...v);
    q.push(v.map((x) => x / norm));
  }
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => q.reduce((a, u, k) => a + eig[k] * u[i] * u[j], 0)));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i][j] = A[j][i];
  return { A, b: Array.from({ length: n }, () => 0.5 * r.normal()) };
}

export async function run(): Promise<void> {
  const repeats = Number(process.env.GAUSSIAN_REPEATS ?? 3);
  const sweeps = Number(process.env.GAUSSIAN_SWEEPS ?? 8192);
  const conds = [2, 10, 100];
  const out = new BenchOutput("gaussian-rc");
  try {
    const dir = out.sub("models");
    const study: Study = {
      file: "gaussian-rc benchmark", title: "Gaussians on analog chips", about: "", seed: 1,
      parts: conds.map((c, k) => {
        const eig = Array.from({ length: 8 }, (_, i) => 1 + ((c - 1) * i) / 7);
        const model = dir.path(`cond${c}.json`);
        writeFileSync(model, JSON.stringify({ kind: "gaussian", ...spd(eig, 10 + k), beta: 1 }) + "\n");
        return {
          name: `cond${c}`, title: `condition number ${c}`, about: "", modelText: model, model, samples: [],
          compare: { target: parseTarget("cov<=0.1"), chips: ["rc-langevin", "spu-8"], baselines: ["ula", "mala", "hmc", "exact-gaussian"], repeats, chains: 4, maxSweeps: sweeps },
        };
      }),
    };
    const shown = studyProgress("gaussian-rc");
    const parts = await runStudy(study, out.dest, 2, shown.hooks).finally(() => shown.stop());
    const rows: Row[] = [];
    const verdict = [
      `8-variable Gaussians, eigenvalues of A evenly spaced from 1 to the condition number, random rotation; ${repeats} repeats x 4 chains x up to ${sweeps} sweeps (a sweep: one read-out interval of a chip, one step or trajectory of a digital sampler); target: covariance error <= 10% (relative Frobenius, on each chain's second half).`,
      "",
    ];
    for (const [k, p] of parts.entries()) {
      const cmp = JSON.parse(readFileSync(out.dest.path(`${p.compare}/compare.json`), "utf8"));
      for (const s of cmp.systems) {
        rows.push({
          condition_number: conds[k], system: s.name, kind: s.kind, energy_model: s.energy_model,
          reached_fraction: s.reached_fraction, energy_to_solution_J: s.energy_to_solution_J.median, time_to_solution_s: s.time_to_solution_s.median,
          sweeps_to_target: s.sweeps_to_target.median, covariance_error_at_budget: s.quality.cov_relative_error ?? null, w2_at_budget: s.quality.w2 ?? null,
          iat_sweeps: s.iat_sweeps,
        });
      }
      const h = p.headline!;
      verdict.push(`**condition number ${conds[k]}**: ` + (h.best_chip
        ? `${h.best_chip.name} reaches 10% with ${h.best_chip.energy_J.toExponential(2)} J in ${h.best_chip.time_s === null ? "-" : `${(h.best_chip.time_s * 1e6).toPrecision(3)} us`}; ` +
          h.digital.map((d) => `${d.name} on ${d.energy_model} ${d.energy_J.toExponential(2)} J (${d.chip_advantage >= 1 ? `chip ${d.chip_advantage.toPrecision(3)}x less` : `chip ${(1 / d.chip_advantage).toPrecision(3)}x more`})`).join("; ") + "."
        : "no chip reached 10%.") +
        ` Error left at the whole budget: ${rows.filter((r) => r.condition_number === conds[k] && (r.energy_model === "cpu" || r.kind === "chip")).map((r) => `${r.system} ${(100 * (r.covariance_error_at_budget as number)).toFixed(1)}%`).join(", ")}.`);
      // The figures the ratio rests on without evidence: where each would flip the conclusion.
      const lead = h.digital[0];
      const weak = (lead?.sensitivity?.break_even ?? []).filter((b) => (b.status === "assumed" || b.status === "not-charged") && b.break_even !== null).slice(0, 4);
      if (h.best_chip && lead && weak.length) verdict.push("", `Against the most conservative row (${lead.name} on ${lead.energy_model}, ${lead.chip_advantage.toPrecision(3)}x): ${weak.map((b) => breakEvenText(b, h.best_chip!.name, lead)).join("; ")}.`);
      // What the chips' own law checks predicted (the mapping's warnings): a floor is a finding.
      const floors = [...new Set(p.warnings.filter((w) => /stationary covariance differs/.test(w)))];
      if (floors.length) verdict.push("", `Predicted by the chips' law checks before running: ${floors.join("; ")}.`);
      verdict.push("");
    }
    verdict.push(...markdownTable(rows, ["condition_number", "system", "energy_model", "reached_fraction", "energy_to_solution_J", "time_to_solution_s", "sweeps_to_target", "covariance_error_at_budget", "iat_sweeps"]));
    out.finish(rows, verdict, { repeats, max_sweeps: sweeps, target: "cov<=0.1" });
  } finally {
    out.discard();
  }
}
