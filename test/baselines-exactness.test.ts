/**
 * Digital baselines pass the exactness checks the chips pass: draws against
 * the exact law by enumeration (spin means and coupled pairs' correlations,
 * batch-means errors, Bonferroni p-value; src/metrics/law-check.ts), with
 * the same thresholds as test/pbit-exactness.test.ts. Power: the same
 * baseline run on a model with beta off by 5% or one coupling's sign flipped
 * fails against the true law.
 */
import { describe, expect, test } from "vitest";
import { boltzmann } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { spinLawCheck } from "../src/metrics/law-check.js";
import { mapSpinBaseline, runSpinBaseline, SPIN_ALGORITHMS, type SpinAlgorithm } from "../src/baselines/spin.js";
import type { IsingModel } from "../src/models/ising.js";
import { referenceSpinChain } from "./reference/spin-gibbs.js";

const PASS = 1e-3;
const FAIL = 1e-6;
const RUN = { chains: 8, samples: 12_500, burnIn: 200, thin: 3 };

function pValue(algo: SpinAlgorithm, sampled: IsingModel, target: IsingModel, seed: number): number {
  const run = runSpinBaseline(mapSpinBaseline(sampled), algo, { ...RUN, seed });
  const n = sampled.n;
  const states = Array.from({ length: RUN.chains }, (_, c) => {
    const s = new Uint32Array(RUN.samples);
    for (let r = 0; r < RUN.samples; r++) {
      let x = 0;
      for (let i = 0; i < n; i++) if (run.samples[(c * RUN.samples + r) * n + i] > 0) x |= 1 << i;
      s[r] = x >>> 0;
    }
    return s;
  });
  return spinLawCheck(target, states, boltzmann(target))!.p_value;
}

const models = [
  randomGraphModel(6, 1, { jStd: 0.7, hStd: 0.5, beta: 1, seed: 21 }),
  randomGraphModel(12, 0.4, { jStd: 0.6, hStd: 0.4, beta: 1, seed: 22 }),
  randomGraphModel(10, 1, { jStd: 0.3, hStd: 0.3, beta: 1, seed: 23 }),
];

describe.each(Object.keys(SPIN_ALGORITHMS) as SpinAlgorithm[])("baseline %s against enumeration", (algo) => {
  models.forEach((m, k) => {
    test(`model ${k} (n=${m.n}, ${m.ei.length} couplings): p > ${PASS}`, () => {
      expect(pValue(algo, m, m, 100 + k)).toBeGreaterThan(PASS);
    });
  });

  test("power: beta off by 5% and one coupling's sign flipped both fail (p < 1e-6)", () => {
    const m = randomGraphModel(8, 1, { jStd: 0.8, hStd: 0.4, beta: 1, seed: 24 });
    const hot = { ...m, beta: 1.05 };
    let strongest = 0;
    for (let k = 1; k < m.ew.length; k++) if (Math.abs(m.ew[k]) > Math.abs(m.ew[strongest])) strongest = k;
    const flipped = { ...m, ew: m.ew.map((w, k) => (k === strongest ? -w : w)) };
    expect(pValue(algo, m, m, 7)).toBeGreaterThan(PASS);
    expect(pValue(algo, hot, m, 7)).toBeLessThan(FAIL);
    expect(pValue(algo, flipped, m, 7)).toBeLessThan(FAIL);
  });
});

describe("baseline counts and determinism", () => {
  const m = randomGraphModel(9, 0.5, { jStd: 0.5, hStd: 0.3, beta: 1, seed: 25 });
  test("same seed, same draws; counts follow the algorithm exactly", () => {
    const o = { chains: 3, samples: 50, burnIn: 10, thin: 2, seed: 5 };
    const a = runSpinBaseline(mapSpinBaseline(m), "gibbs", o);
    const b = runSpinBaseline(mapSpinBaseline(m), "gibbs", o);
    expect(Buffer.from(a.samples.buffer).equals(Buffer.from(b.samples.buffer))).toBe(true);
    const sweeps = 3 * (10 + 50 * 2);
    expect(a.counts.site_updates).toBe(sweeps * 9);
    expect(a.counts.exp_evals).toBe(sweeps * 9);
    expect(a.counts.random_numbers).toBe(sweeps * 9);
    // Flips and their field updates, recounted from the recorded draws' neighbours would need every
    // sweep; instead: each flip updates deg(i) fields, so the words and flops follow from them.
    expect(a.counts.flips).toBeGreaterThan(0);
    const fanout = (a.counts.flops - 4 * sweeps * 9) / 2;
    expect(Number.isInteger(fanout) && fanout > 0).toBe(true);
    expect(a.counts.memory_words).toBe(3 * sweeps * 9 + a.counts.flips + 7 * fanout);
    expect(fanout).toBeLessThanOrEqual(a.counts.flips * Math.max(...Array.from({ length: 9 }, (_, i) => m.ei.filter((x, k) => x === i || m.ej[k] === i).length)));
    const met = runSpinBaseline(mapSpinBaseline(m), "metropolis", o);
    expect(met.counts.random_numbers).toBe(met.counts.exp_evals);
    expect(met.counts.exp_evals).toBeLessThan(sweeps * 9);
  });
});

describe("the kernel's fast decisions are the exact logistic's", () => {
  // A textbook implementation (fields recomputed, Math.exp every time) on the same random stream.
  test.each(["gibbs", "metropolis"] as const)("%s draws equal an independent plain implementation's, bit for bit, over 300 sweeps of 3 chains", (algo) => {
    const m = randomGraphModel(14, 0.5, { jStd: 0.9, hStd: 0.5, beta: 1.3, seed: 26 });
    const o = { chains: 3, samples: 300, burnIn: 0, thin: 1, seed: 11 };
    const run = runSpinBaseline(mapSpinBaseline(m), algo, o);
    for (let c = 0; c < 3; c++) {
      const ref = referenceSpinChain(m, algo, 11, c, 300);
      for (let t = 0; t < 300; t++) {
        expect(Array.from(run.samples.subarray((c * 300 + t) * 14, (c * 300 + t + 1) * 14)), `chain ${c} sweep ${t}`).toEqual(Array.from(ref[t]));
      }
    }
  });
});
