/**
 * Golden statistics: fixed runs of every chip preset and every digital
 * baseline, whose deterministic action counts and energies must match (energy
 * to 1e-9) and whose sample statistics must stay within 6 standard errors
 * (between-chain) of the stored values. They catch any change in behaviour; a
 * deliberate change regenerates them with
 *
 *   npm run golden:update      (UPDATE_GOLDEN=1 vitest run test/golden.test.ts)
 *
 * which also writes test/golden/CHANGES.md, what moved and by how many
 * standard errors, for the commit's review.
 */
import { describe, expect, test } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadModel } from "../src/models/load.js";
import { randomGraphModel } from "../src/models/generate.js";
import { isingEnergy, type IsingModel } from "../src/models/ising.js";
import { analogChip, analogRun, chip, randomSpd, sampleOn } from "./helpers.js";
import { meanCov } from "../src/metrics/stats.js";
import type { Schedule } from "../src/chips/pbit/spec.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { prepare, assemble, planRun, type SampleRequest } from "../src/run/sample.js";

const FILE = join(__dirname, "golden", "stats.json");
const update = process.env.UPDATE_GOLDEN === "1";

interface Golden {
  counts: Record<string, number>;
  /** Total energy (J) where it follows from counts alone (chips; baselines on the ASIC model). */
  energy_J?: number;
  stats: Record<string, { mean: number; se: number }>;
}

// Seed 94: the first whose graph fits the FPGA fabric (fan-in <= 6).
const small = randomGraphModel(24, 0.2, { jStd: 0.5, hStd: 0.2, beta: 1, seed: 94 });
const g12 = loadModel(join(__dirname, "..", "examples", "g12-70.json")) as IsingModel;
const runs: [string, string, IsingModel, Schedule, number][] = [
  ["dtm-2025 chromatic", "dtm-2025", g12, "chromatic", 100],
  ["ideal synchronous", "ideal", small, "synchronous", 400],
  ["pcomputer-fpga chromatic (LFSR)", "pcomputer-fpga", small, "chromatic", 400],
  ["smtj async", "smtj", small, "async", 400],
];

function measure(chipName: string, model: IsingModel, schedule: Schedule, samples: number): Golden {
  const K = 8;
  const { run } = sampleOn(chip(chipName), model, { chains: K, samples, burnIn: 50, thin: 2, seed: 2024, schedule });
  const n = model.n;
  const perChain = (f: (row: Int8Array) => number) => {
    const means: number[] = [];
    for (let c = 0; c < K; c++) {
      let s = 0;
      for (let r = 0; r < samples; r++) s += f(run.samples.subarray((c * samples + r) * n, (c * samples + r + 1) * n));
      means.push(s / samples);
    }
    const mean = means.reduce((a, b) => a + b, 0) / K;
    const sd = Math.sqrt(means.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1));
    return { mean, se: sd / Math.sqrt(K) };
  };
  const { flips, ...deterministic } = run.counts;
  return {
    counts: { ...deterministic, updates: run.updates },
    stats: {
      energy_per_spin: perChain((row) => isingEnergy(model, row) / n),
      magnetisation: perChain((row) => row.reduce((a, v) => a + v, 0) / n),
      flip_rate: { mean: flips / run.updates, se: 0.01 * (flips / run.updates) },
    },
  };
}

const spd = randomSpd(8, 1, 4, 909, 1.5);
const analogRuns: [string, string, Record<string, unknown>][] = [
  ["rc-langevin exact-ou", "rc-langevin", {}],
  ["rc-langevin euler-maruyama", "rc-langevin", { integrator: { impl: "euler-maruyama" }, readout: { interval: "200 ns" } }],
  ["spu-8 exact-ou", "spu-8", {}],
];

function measureAnalog(chipName: string, over: Record<string, unknown>): Golden {
  const K = 8;
  const N = 500;
  const { run } = analogRun(analogChip(chipName, over), spd, { chains: K, samples: N, burnIn: 20, thin: 1, seed: 2024 });
  const n = spd.n;
  const perChain = (f: (x: Float64Array) => number) => {
    const v = Array.from({ length: K }, (_, c) => f(run.samples.subarray(c * N * n, (c + 1) * N * n)));
    const mean = v.reduce((a, b) => a + b, 0) / K;
    return { mean, se: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1) / K) };
  };
  return {
    counts: { dac_writes: run.counts.dac_writes, adc_conversions: run.counts.adc_conversions, integrator_steps: run.diagnostics.integrator_steps, updates: run.updates },
    stats: {
      mean_x0: perChain((x) => meanCov(x, n).mean[0]),
      var_x0: perChain((x) => meanCov(x, n).cov[0]),
      trace_cov: perChain((x) => meanCov(x, n).cov.reduce((a, v, k) => a + (k % (n + 1) === 0 ? v : 0), 0)),
      dissipation_W: { mean: run.counts.resistive_dissipation / run.chipSeconds, se: 0.02 * (run.counts.resistive_dissipation / run.chipSeconds) },
    },
  };
}

// Every preset and baseline through the same path as `thermosim sample` (without the files).
const dir = mkdtempSync(join(tmpdir(), "thermosim-golden-"));
const file = (name: string, doc: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, JSON.stringify(doc));
  return p;
};
const smallFile = file("small.json", { kind: "ising", n: small.n, h: Array.from(small.h), J: Array.from(small.ei, (i, k) => [i, small.ej[k], small.ew[k]]) });
// A 4 x 4 block in the corner of a grid chip (z1's rows are 234 p-bits long).
const blockFile = (width: number) => {
  const J: [number, number, number][] = [];
  const cells = [0, 1, 2, 3].flatMap((y) => [0, 1, 2, 3].map((x) => y * width + x));
  for (const a of cells) for (const b of [a + 1, a + width]) if (cells.includes(b)) J.push([a, b, 0.3 * Math.sin(a + 2 * b)]);
  return file(`block${width}.json`, { kind: "ising", n: 3 * width + 4, J, h: Array.from({ length: 3 * width + 4 }, (_, i) => (cells.includes(i) ? 0.2 * Math.cos(i) : 0)) });
};
const gaussFile = file("gauss.json", { kind: "gaussian", A: [[2, -0.5, 0.3], [-0.5, 1.5, 0.2], [0.3, 0.2, 1]], b: [0.5, -0.2, 0.1] });
const hopFile = file("hop.json", { kind: "hopfield", T: [[0, 0.8, -0.4], [0.8, 0, 0.5], [-0.4, 0.5, 0]], I: [0.1, -0.2, 0.05], beta: 4, gain: 1, R: 1 });
const systems: [string, Partial<SampleRequest>, string, number][] = [
  ["z1 chromatic (block)", { chip: "z1" }, blockFile(234), 300],
  ["pcomputer-dbm-2024 chromatic", { chip: "pcomputer-dbm-2024" }, smallFile, 300],
  ["dtm-2025 synchronous (block)", { chip: "dtm-2025", schedule: "synchronous" }, blockFile(70), 300],
  ["rc-hopfield heun", { chip: "rc-hopfield" }, hopFile, 300],
  ...["gibbs", "random-gibbs", "chromatic-gibbs", "metropolis", "sa", "pt"].map((b): [string, Partial<SampleRequest>, string, number] => [`${b} baseline`, { baseline: b, energyModel: "asic-45nm" }, smallFile, 300]),
  ...["ula", "mala", "hmc", "exact-gaussian"].map((b): [string, Partial<SampleRequest>, string, number] => [`${b} baseline`, { baseline: b, energyModel: "asic-45nm" }, gaussFile, 300]),
];

function measureSystem(sys: Partial<SampleRequest>, modelFile: string, samples: number): Golden {
  const K = 8;
  const asked: SampleRequest = { modelFile, ...sys, chains: K, samples, burnIn: 50, thin: 2, seed: 2024 } as SampleRequest;
  const { job, table, req } = prepare(asked);
  const run = job.runChains(0, K);
  const res = assemble(req, job, table, run, 0, planRun(job, req));
  const n = job.model.n;
  const perChain = (f: (c: number) => number) => {
    const v = Array.from({ length: K }, (_, c) => f(c));
    const mean = v.reduce((a, b) => a + b, 0) / K;
    return { mean, se: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (K - 1) / K) };
  };
  const x = run.samples as ArrayLike<number>;
  const colMean = (c: number, f: (row: number) => number) => {
    let s = 0;
    for (let r = 0; r < samples; r++) s += f((c * samples + r) * n);
    return s / samples;
  };
  // Counts that depend on this machine's clock (measured core seconds) are not golden.
  const counts = Object.fromEntries(Object.entries(run.counts).filter(([k]) => !/seconds/.test(k)));
  const energy = (res.stats.energy_J as { total: number }).total;
  const stats: Record<string, { mean: number; se: number }> = job.model.kind === "gaussian" || job.model.kind === "hopfield"
    ? { mean_x0: perChain((c) => colMean(c, (r) => x[r])), mean_x0_sq: perChain((c) => colMean(c, (r) => x[r] ** 2)) }
    : {
        magnetisation: perChain((c) => colMean(c, (r) => { let m = 0; for (let i = 0; i < n; i++) m += x[r + i]; return m / n; })),
        first_pair: perChain((c) => colMean(c, (r) => x[r] * x[r + 1])),
      };
  const timed = job.system.kind === "baseline" && !/asic/.test(String((res.stats.energy_J as { table?: string }).table ?? ""));
  return { counts: { ...counts, updates: run.updates }, ...(timed || !Number.isFinite(energy) ? {} : { energy_J: energy }), stats };
}

/** What moved between two golden files, for a person: counts, energies, and each statistic in standard errors. */
function changes(before: Record<string, Golden>, after: Record<string, Golden>): string {
  const out: string[] = [];
  for (const name of Object.keys(after)) {
    const a = after[name];
    const b = before[name];
    if (!b) { out.push(`- ${name}: new`); continue; }
    for (const [k, v] of Object.entries(a.counts)) if (b.counts[k] !== v) out.push(`- ${name}: count ${k} ${b.counts[k] ?? "(none)"} -> ${v}`);
    if (a.energy_J !== b.energy_J) out.push(`- ${name}: energy ${b.energy_J ?? "(none)"} J -> ${a.energy_J ?? "(none)"} J`);
    for (const [k, v] of Object.entries(a.stats)) {
      const g = b.stats[k];
      if (!g) { out.push(`- ${name}: ${k} new (${v.mean})`); continue; }
      const z = (v.mean - g.mean) / (Math.hypot(v.se, g.se) || 1);
      if (v.mean !== g.mean) out.push(`- ${name}: ${k} ${g.mean.toPrecision(6)} -> ${v.mean.toPrecision(6)} (${z >= 0 ? "+" : ""}${z.toFixed(2)} SE)`);
    }
  }
  for (const name of Object.keys(before)) if (!after[name]) out.push(`- ${name}: removed`);
  return out.length ? out.join("\n") : "- nothing moved";
}

describe("golden statistics", () => {
  const stored: Record<string, Golden> = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  const fresh: Record<string, Golden> = {};
  for (const [name, chipName, model, schedule, samples] of runs) {
    test(name, () => {
      const now = (fresh[name] = measure(chipName, model, schedule, samples));
      if (update) return;
      const gold = stored[name];
      expect(gold, `no golden entry for "${name}": run npm run golden:update`).toBeDefined();
      expect(now.counts).toEqual(gold.counts);
      for (const [k, g] of Object.entries(gold.stats)) {
        const tol = 6 * Math.hypot(g.se, now.stats[k].se) + 1e-12;
        expect(Math.abs(now.stats[k].mean - g.mean), `${k}: ${now.stats[k].mean} vs golden ${g.mean}`).toBeLessThanOrEqual(tol);
      }
    });
  }
  for (const [name, chipName, over] of analogRuns) {
    test(name, () => {
      const now = (fresh[name] = measureAnalog(chipName, over));
      if (update) return;
      const gold = stored[name];
      expect(gold, `no golden entry for "${name}": run npm run golden:update`).toBeDefined();
      expect(now.counts).toEqual(gold.counts);
      for (const [k, g] of Object.entries(gold.stats)) {
        const tol = 6 * Math.hypot(g.se, now.stats[k].se) + 1e-12 * Math.abs(g.mean);
        expect(Math.abs(now.stats[k].mean - g.mean), `${k}: ${now.stats[k].mean} vs golden ${g.mean}`).toBeLessThanOrEqual(tol);
      }
    });
  }
  for (const [name, sys, modelFile, samples] of systems) {
    test(name, () => {
      const now = (fresh[name] = measureSystem(sys, modelFile, samples));
      if (update) return;
      const gold = stored[name];
      expect(gold, `no golden entry for "${name}": run npm run golden:update`).toBeDefined();
      expect(now.counts).toEqual(gold.counts);
      if (gold.energy_J !== undefined) expect(Math.abs(now.energy_J! - gold.energy_J), `energy ${now.energy_J} vs golden ${gold.energy_J}`).toBeLessThanOrEqual(1e-9 * Math.abs(gold.energy_J));
      for (const [k, g] of Object.entries(gold.stats)) {
        const tol = 6 * Math.hypot(g.se, now.stats[k].se) + 1e-12 * Math.abs(g.mean);
        expect(Math.abs(now.stats[k].mean - g.mean), `${k}: ${now.stats[k].mean} vs golden ${g.mean}`).toBeLessThanOrEqual(tol);
      }
    });
  }
  if (!update) {
    test("power: the same dtm-2025 run at beta 5% too high leaves the golden tolerance", () => {
      const gold = stored["dtm-2025 chromatic"];
      const hot = measure("dtm-2025", { ...g12, beta: g12.beta * 1.05 }, "chromatic", 100);
      const g = gold.stats.energy_per_spin;
      expect(Math.abs(hot.stats.energy_per_spin.mean - g.mean)).toBeGreaterThan(6 * Math.hypot(g.se, hot.stats.energy_per_spin.se));
    });
  }
  if (update) {
    test("write golden file", () => {
      const diff = changes(stored, fresh);
      writeFileSync(FILE, JSON.stringify(fresh, null, 1) + "\n");
      writeFileSync(join(__dirname, "golden", "CHANGES.md"), `# What the last golden update moved\n\n${diff}\n`);
      console.log(`golden statistics updated; what moved:\n${diff}`);
    });
  }
});
