/**
 * `thermosim compare` end to end (issue 7's acceptance): a model that fits
 * dtm-2025, the p-bit chip beside the Gibbs, Metropolis and chromatic Gibbs
 * baselines under the CPU, GPU and ASIC energy models. Every row's energy is
 * recomputed here by hand from the run's counts and the table files it cites
 * (read with the yaml package and a small SI parser, not thermosim's
 * loaders); energy to solution from the definition. Bad requests: one line,
 * exit 2, nothing written.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cliIn, si } from "./helpers.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { summary } from "../src/run/compare.js";

const root = join(__dirname, "..");
let dir: string;
const { run: thermosim, refused } = cliIn(() => dir);

/** A table's J per action (W for time integrals); rows given as time cost the table core's power for that long. */
function table(name: string): Record<string, number> {
  const doc = parse(readFileSync(join(root, "circuits", "tech", `${name}.yaml`), "utf8"));
  const core = doc.core ? si(doc.core.power) : NaN;
  return Object.fromEntries(Object.entries(doc.actions as Record<string, { energy?: string; power?: string; time?: string }>).map(([k, v]) => [k, v.time !== undefined ? core * si(v.time) : si((v.energy ?? v.power)!)]));
}
const priced = (actions: Record<string, number>, t: Record<string, number>) => Object.entries(actions).reduce((a, [k, c]) => a + c * t[k], 0);

/** thrml-on-H100 J/update at its cheapest measured batch, by hand from the platform file (nearest size in log n). */
function gpuCheapest(n: number): number {
  const doc = parse(readFileSync(join(root, "circuits", "platforms", "gpu-thrml-h100.yaml"), "utf8"));
  const size = (doc.sizes as { n: number; points: { batch: number; J_per_update: number }[] }[])
    .reduce((best, s) => (Math.abs(Math.log(s.n / n)) < Math.abs(Math.log(best.n / n)) ? s : best));
  return Math.min(...size.points.map((p) => p.J_per_update));
}

let result: any;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-cmp-"));
  const made = thermosim(["random-model", "--chip", "dtm-2025", "--n", "8", "--j-std", "0.8", "--seed", "3", "--out", "m.json"]);
  expect(made.code, made.err).toBe(0);
  writeFileSync(join(dir, "g.json"), JSON.stringify({ kind: "gaussian", A: [[2, 0.3], [0.3, 1]], b: [0, 0] }));
  const r = thermosim(["compare", "m.json", "--chip", "dtm-2025", "--baseline", "gibbs", "--baseline", "metropolis", "--baseline", "chromatic-gibbs",
    "--target", "tv<=0.12", "--repeats", "3", "--chains", "4", "--max-sweeps", "2048", "--out", "cmp", "--json"]);
  expect(r.code, r.err).toBe(0);
  result = JSON.parse(r.out);
}, 300_000);

describe("compare on a model that fits dtm-2025", () => {
  test("rows: the chip and each baseline under cpu, asic-45nm and gpu-thrml-h100; the files are written", () => {
    const names = result.systems.map((s: any) => `${s.name}/${s.energy_model}`);
    expect(names).toEqual([
      "dtm-2025/dtm-2025",
      "chromatic-gibbs-int/asic-45nm-int", // the chip's own algorithm as a digital ASIC
      ...["gibbs", "metropolis", "chromatic-gibbs"].flatMap((b) => [`${b}/cpu`, `${b}/asic-45nm`, `${b}/gpu-thrml-h100`]),
    ]);
    expect(JSON.parse(readFileSync(join(dir, "cmp", "compare.json"), "utf8"))).toEqual(result);
    expect(readFileSync(join(dir, "cmp", "compare.md"), "utf8")).toMatch(/\| dtm-2025 \(chip\) \| dtm-2025 \|/);
  });

  test("every run's energy recomputed by hand from its counts and the cited table", () => {
    let checked = 0;
    for (const s of result.systems) {
      for (const run of s.runs) {
        let want: number;
        if (s.kind === "chip") want = priced(run.actions, table(s.energy_model));
        else if (s.energy_model === "gpu-thrml-h100") want = run.actions.site_updates * gpuCheapest(result.model.n);
        else if (s.energy_model === "asic-45nm-int") continue; // like-for-like.test.ts recomputes the twin
        else want = priced(run.actions, table(s.energy_model));
        expect(Math.abs(run.energy_run_J / want - 1), `${s.name}/${s.energy_model}`).toBeLessThan(1e-9);
        // The CPU is priced from counts: the measured core seconds are not charged.
        if (s.energy_model === "cpu") expect(run.energy_run_J).toBeGreaterThan(0), expect(table("cpu").core_seconds).toBe(0);
        // Energy to solution by its definition: one-off + sampling x sweeps to target / sweeps run.
        if (run.sweeps_to_target !== null) {
          const e = run.one_off_J + (run.energy_run_J - run.one_off_J) * (run.sweeps_to_target / run.sweeps_run);
          expect(run.energy_to_target_J).toBeCloseTo(e, 15);
        }
        checked++;
      }
    }
    expect(checked).toBe(10 * 3);
  });

  test("medians and ratios follow from the runs; the target is reached; quality sits beside the i.i.d. figure", () => {
    for (const s of result.systems) {
      expect(s.reached).toBe(true);
      const e = s.runs.map((r: any) => r.energy_to_target_J).sort((a: number, b: number) => a - b);
      expect(s.energy_to_solution_J.median).toBeCloseTo(e[1], 15);
      expect(s.quality.tv).toBeLessThan(0.12 * 1.5);
      expect(s.quality.iid.tv).toBeGreaterThan(0);
      expect(s.iat_sweeps).toBeGreaterThan(0.5);
    }
    const digital = result.systems.filter((s: any) => s.kind === "baseline").map((s: any) => s.energy_to_solution_J.median);
    const best = Math.min(...digital);
    for (const s of result.systems) expect(s.ratio_to_best_digital.energy).toBeCloseTo(s.energy_to_solution_J.median / best, 12);
    const asic = result.systems.find((s: any) => s.energy_model === "asic-45nm");
    expect(asic.time_to_solution_s.median).toBeNull(); // time is not modelled for the ASIC
  });
});

describe("optimisation targets", () => {
  test("success probability, TTS(0.99) and ETS(0.99) follow from the runs; the residual energy is against the exact ground state", () => {
    const made = thermosim(["random-model", "--n", "12", "--j-std", "1", "--seed", "8", "--out", "sk.json"]);
    expect(made.code, made.err).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "sk.json"), "utf8"));
    // Ground energy by exhaustive search, here.
    let ground = Infinity;
    for (let x = 0; x < 4096; x++) {
      const s = (i: number) => ((x >> i) & 1 ? 1 : -1);
      let e = 0;
      doc.h.forEach((h: number, i: number) => (e -= h * s(i)));
      for (const [i, j, w] of doc.J) e -= w * s(i) * s(j);
      ground = Math.min(ground, e);
    }
    const r = thermosim(["compare", "sk.json", "--baseline", "sa", "--baseline", "metropolis", "--target", `energy<=${ground + 1e-9}`, "--repeats", "4", "--chains", "2", "--max-sweeps", "64", "--out", "opt", "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    for (const s of j.systems) {
      const reached = s.runs.filter((x: any) => x.sweeps_to_target !== null).length;
      expect(s.success_probability).toBe(reached / 4);
      const p = s.success_probability;
      const runs = p >= 1 ? 1 : p <= 0 ? Infinity : Math.max(1, Math.log(0.01) / Math.log(1 - p));
      expect(s.ets99_J).toBe(Number.isFinite(runs) ? runs * s.runs[0].energy_run_J : null);
      if (s.runs[0].seconds_run !== null) expect(s.tts99_s).toBe(Number.isFinite(runs) ? runs * s.runs[0].seconds_run : null);
      expect(s.quality.ground_energy).toBeCloseTo(ground, 12);
      expect(s.quality.residual_energy).toBeGreaterThanOrEqual(-1e-9);
    }
  });
});

describe("compare's results do not depend on the number of workers", () => {
  test("--workers 1 and 2: the same chip rows, and the same draws-derived figures for baselines", () => {
    const run = (w: string, out: string) => {
      const r = thermosim(["compare", "m.json", "--chip", "dtm-2025", "--baseline", "metropolis", "--target", "tv<=0.15", "--repeats", "2", "--max-sweeps", "512", "--workers", w, "--out", out, "--json"]);
      expect(r.code, r.err).toBe(0);
      return JSON.parse(r.out);
    };
    const a = run("1", "w1");
    const b = run("2", "w2");
    expect(b.systems[0]).toEqual(a.systems[0]);
    const drawn = (s: any) => ({ q: s.quality, iat: s.iat_sweeps, sweeps: s.sweeps_to_target, runs: s.runs.map((r: any) => [r.sweeps_to_target, r.actions.flips, r.actions.site_updates]) });
    for (let k = 1; k < a.systems.length; k++) expect(drawn(b.systems[k])).toEqual(drawn(a.systems[k]));
  });
});

describe("compare refuses bad requests: one line, exit 2, nothing written", () => {
  test("unknown target metric, wrong direction, bad number", () => {
    refused(["compare", "m.json", "--chip", "ideal", "--target", "speed>=3"], /--target: unknown metric "speed"; known: tv, kl, cov, w2, ess, energy/);
    refused(["compare", "m.json", "--chip", "ideal", "--target", "tv>=0.1"], /--target: tv is a target to reach from above: write tv<=X/);
    refused(["compare", "m.json", "--chip", "ideal", "--target", "tv<=abc"], /--target: threshold must be a finite number/);
  });
  test("a target the model kind cannot support", () => {
    refused(["compare", "g.json", "--baseline", "hmc", "--target", "tv<=0.1"], /--target: tv \(total variation of the draws' law from the exact one\) needs a ising model; g\.json is gaussian/);
    refused(["compare", "m.json", "--baseline", "gibbs", "--target", "w2<=0.1"], /--target: w2 .* needs a gaussian model; m\.json is ising/);
  });
  test("an unknown baseline, or no system at all", () => {
    refused(["compare", "m.json", "--baseline", "gibs", "--target", "ess>=100"], /--baseline: unknown baseline "gibs"/);
    refused(["compare", "m.json", "--target", "ess>=100"], /compare: give at least one --chip or --baseline/);
  });
});

describe("median and 90th percentile over repeats", () => {
  test("a repeat that never reached counts as infinite: 2 of 3 reached gives a median (the 2nd value), no 90th percentile", () => {
    expect(summary([3, undefined, 1])).toEqual({ median: 3, p90: null });
    expect(summary([undefined, 1, undefined])).toEqual({ median: null, p90: null });
    expect(summary([1, 2, 3, 4])).toEqual({ median: 2.5, p90: 3.7 }); // type-7 interpolation, by hand
    expect(summary([1, 2, 3, undefined])).toEqual({ median: 2.5, p90: null });
  });
});
