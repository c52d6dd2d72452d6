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
import { defaultAnneal, defaultLadder, mapSpinBaseline, runSpinBaseline, SPIN_SAMPLERS, type SpinAlgorithm } from "../src/baselines/spin.js";
import type { IsingModel } from "../src/models/ising.js";
import { referenceSpinChain } from "./reference/spin-gibbs.js";

const PASS = 1e-3;
const FAIL = 1e-6;
const RUN = { chains: 8, samples: 12_500, burnIn: 200, thin: 3 };

function pValue(algo: SpinAlgorithm, sampled: IsingModel, target: IsingModel, seed: number): number {
  const run = runSpinBaseline(mapSpinBaseline(sampled), algo, { ...RUN, seed, ...(algo === "pt" ? { tempering: defaultLadder(sampled) } : {}) });
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

describe.each(SPIN_SAMPLERS)("baseline %s against enumeration", (algo) => {
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

/** Lowest energy of a small model by visiting every state (independent of the kernels). */
function groundEnergy(m: IsingModel): number {
  let best = Infinity;
  const s = new Int8Array(m.n);
  for (let x = 0; x < 2 ** m.n; x++) {
    for (let i = 0; i < m.n; i++) s[i] = (x >> i) & 1 ? 1 : -1;
    let e = 0;
    for (let i = 0; i < m.n; i++) e -= m.h[i] * s[i];
    for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * s[m.ei[k]] * s[m.ej[k]];
    best = Math.min(best, e);
  }
  return best;
}

describe("simulated annealing", () => {
  test("at a constant beta it is Metropolis at that beta, draw for draw", () => {
    const m = randomGraphModel(10, 0.5, { jStd: 0.7, hStd: 0.3, beta: 1.7, seed: 27 });
    const o = { chains: 2, samples: 100, burnIn: 5, thin: 2, seed: 3 };
    const met = runSpinBaseline(mapSpinBaseline(m), "metropolis", o);
    const sa = runSpinBaseline(mapSpinBaseline(m), "sa", { ...o, anneal: { b0: 1.7, b1: 1.7, shape: "geometric" } });
    expect(Array.from(sa.samples)).toEqual(Array.from(met.samples));
  });

  // Dense 16-spin glasses have nearly degenerate basins (here 0.26 apart at energy ~37): annealing
  // ends in the ground state's basin about half the time, as the basins' weights at freezing say.
  test("ends every run in a single-flip local minimum and finds the exact ground state (exhaustive search) more often than a quench", () => {
    for (const seed of [31, 32, 33]) {
      const m = randomGraphModel(16, 1, { jStd: 1, hStd: 0.2, beta: 1, seed });
      const e0 = groundEnergy(m);
      const energies = (sweeps: number, anneal: { b0: number; b1: number; shape: "geometric" | "linear" }) => {
        const r = runSpinBaseline(mapSpinBaseline(m), "sa", { chains: 40, samples: 1, burnIn: sweeps - 1, thin: 1, seed, anneal });
        return Array.from({ length: 40 }, (_, c) => {
          const s = r.samples.subarray(c * 16, (c + 1) * 16);
          let e = 0;
          for (let i = 0; i < 16; i++) e -= m.h[i] * s[i];
          for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * s[m.ei[k]] * s[m.ej[k]];
          expect(e).toBeGreaterThanOrEqual(e0 - 1e-9);
          if (sweeps > 100) {
            // Cold at the end: no single flip lowers the energy (dE = 2 s_i f_i >= 0).
            for (let i = 0; i < 16; i++) {
              let f = m.h[i];
              for (let k = 0; k < m.ei.length; k++) {
                if (m.ei[k] === i) f += m.ew[k] * s[m.ej[k]];
                if (m.ej[k] === i) f += m.ew[k] * s[m.ei[k]];
              }
              expect(2 * s[i] * f).toBeGreaterThanOrEqual(-1e-9);
            }
          }
          return e;
        });
      };
      const slow = energies(2000, defaultAnneal(m)).filter((e) => e < e0 + 1e-9).length;
      const quench = energies(3, { b0: 5, b1: 5, shape: "geometric" }).filter((e) => e < e0 + 1e-9).length;
      expect(slow, `seed ${seed}: ground state in ${slow} of 40 annealed runs`).toBeGreaterThanOrEqual(12);
      expect(quench, `seed ${seed}: ground state in ${quench} of 40 quenches`).toBeLessThan(slow);
    }
  });
});

describe("parallel tempering's ladder", () => {
  test("adapting in burn-in evens out the swap rates of a ferromagnet across its transition", () => {
    // 6x6 periodic ferromagnet at beta 0.6 (ordered), ladder down to beta 0.1 (disordered).
    const edges: [number, number][] = [];
    for (let y = 0; y < 6; y++) for (let x = 0; x < 6; x++) {
      const i = 6 * y + x;
      edges.push([i, 6 * y + ((x + 1) % 6)], [i, 6 * ((y + 1) % 6) + x]);
    }
    const m: IsingModel = {
      kind: "ising", n: 36, h: new Float64Array(36), beta: 0.6,
      ei: Int32Array.from(edges, ([a, b]) => Math.min(a, b)), ej: Int32Array.from(edges, ([a, b]) => Math.max(a, b)), ew: new Float64Array(edges.length).fill(1),
    };
    const spread = (burnIn: number) => {
      const r = runSpinBaseline(mapSpinBaseline(m), "pt", { chains: 1, samples: 4000, burnIn, thin: 1, seed: 4, tempering: { replicas: 6, hotBeta: 0.1 } });
      const rates = r.perChain!.swap_rates[0] as number[];
      return Math.max(...rates) - Math.min(...rates);
    };
    const fixed = spread(0); // no burn-in: the initial geometric ladder, never adapted
    const adapted = spread(4000);
    expect(fixed).toBeGreaterThan(0.2);
    expect(adapted).toBeLessThan(fixed / 2);
  });
});
