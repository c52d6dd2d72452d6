/**
 * Golden statistics: fixed runs of each chip model whose deterministic action
 * counts must match exactly and whose sample statistics must stay within 6
 * standard errors (between-chain) of the stored values. They catch any change
 * in behaviour; a deliberate change regenerates them with
 *
 *   npm run golden:update      (UPDATE_GOLDEN=1 vitest run test/golden.test.ts)
 *
 * and the diff of test/golden/stats.json goes into the commit for review.
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

const FILE = join(__dirname, "golden", "stats.json");
const update = process.env.UPDATE_GOLDEN === "1";

interface Golden {
  counts: Record<string, number>;
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
      writeFileSync(FILE, JSON.stringify(fresh, null, 1) + "\n");
    });
  }
});
