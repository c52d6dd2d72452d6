/**
 * Continuous baselines against closed-form Gaussians: every mean and second
 * moment E[x_i x_j] by the batch-means moment test (src/metrics/law-check.ts,
 * thresholds as for the chips), expected values from an independent matrix
 * inverse. Power: beta off by 5% and one coupling's sign flipped fail. ULA is
 * checked against its own exact stationary law (biased by its step) and
 * shown to differ from the target at a coarse step.
 */
import { describe, expect, test } from "vitest";
import { momentTest, type StatChain } from "../src/metrics/law-check.js";
import { mapGaussianBaseline, runGaussianBaseline, type GaussianAlgorithm } from "../src/baselines/gaussian.js";
import { denseA, type GaussianModel } from "../src/models/gaussian.js";
import { inverse, matmul } from "../src/linalg/dense.js";
import { randomSpd } from "./helpers.js";

const PASS = 1e-3;
const FAIL = 1e-6;

/** Expected first and second moments of N(mu, cov). */
function moments(mu: Float64Array, cov: Float64Array, n: number): { exact: number[]; names: string[] } {
  const exact: number[] = [...mu];
  const names = Array.from({ length: n }, (_, i) => `x${i}`);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    exact.push(cov[i * n + j] + mu[i] * mu[j]);
    names.push(`x${i}x${j}`);
  }
  return { exact, names };
}

function target(m: GaussianModel): { mu: Float64Array; cov: Float64Array } {
  const n = m.n;
  const ainv = inverse(denseA(m), n)!;
  const mu = Float64Array.from({ length: n }, (_, i) => ainv.slice(i * n, i * n + n).reduce((a, v, j) => a + v * m.b[j], 0));
  return { mu, cov: ainv.map((v) => v / m.beta) };
}

function pValue(samples: Float64Array, n: number, chains: number, mu: Float64Array, cov: Float64Array): number {
  const { exact, names } = moments(mu, cov, n);
  const per = samples.length / n / chains;
  const d = exact.length;
  const draws: StatChain[] = Array.from({ length: chains }, (_, c) => ({
    length: per,
    row(r, out) {
      const o = (c * per + r) * n;
      let k = n;
      for (let i = 0; i < n; i++) out[i] = samples[o + i];
      for (let i = 0; i < n; i++) for (let j = i; j < n; j++) out[k++] = samples[o + i] * samples[o + j];
    },
  }));
  return momentTest(draws, d, exact, names)!.pValue;
}

const RUN = { chains: 4, samples: 20_000, burnIn: 1000, thin: 2 };
const sample = (m: GaussianModel, algo: GaussianAlgorithm, seed: number, extra: { step?: number } = {}) =>
  runGaussianBaseline(m, mapGaussianBaseline(m), algo, { ...RUN, seed, ...extra });

const models = [randomSpd(3, 0.5, 3, 41), randomSpd(6, 0.3, 4, 42, 0.7), randomSpd(10, 1, 2, 43, 2)];

describe.each(["exact-gaussian", "mala", "hmc"] as GaussianAlgorithm[])("baseline %s against the closed-form Gaussian", (algo) => {
  models.forEach((m, k) => {
    test(`model ${k} (n=${m.n}, beta ${m.beta}): means and second moments, p > ${PASS}`, () => {
      const { mu, cov } = target(m);
      expect(pValue(sample(m, algo, 10 + k).samples as Float64Array, m.n, RUN.chains, mu, cov)).toBeGreaterThan(PASS);
    });
  });

  test("power: beta off by 5% and one coupling's sign flipped both fail (p < 1e-6)", () => {
    const m = randomSpd(4, 0.5, 2, 44);
    const { mu, cov } = target(m);
    let strongest = 0;
    for (let k = 1; k < m.ew.length; k++) if (Math.abs(m.ew[k]) > Math.abs(m.ew[strongest])) strongest = k;
    const flipped: GaussianModel = { ...m, ew: m.ew.map((w, k) => (k === strongest ? -w : w)) };
    expect(pValue(sample({ ...m, beta: m.beta * 1.05 }, algo, 5).samples as Float64Array, 4, RUN.chains, mu, cov)).toBeLessThan(FAIL);
    expect(pValue(sample(flipped, algo, 5).samples as Float64Array, 4, RUN.chains, mu, cov)).toBeLessThan(FAIL);
  });
});

describe("ULA", () => {
  const m = models[1];
  const n = m.n;
  const { mu, cov } = target(m);
  const mp = mapGaussianBaseline(m);
  /** ULA's exact stationary covariance: (beta A)^-1 (I - h beta A / 2)^-1, from an independent inverse. */
  const ulaCov = (h: number) => {
    const ba = denseA(m).map((v) => v * m.beta);
    const shrink = Float64Array.from({ length: n * n }, (_, q) => (q % (n + 1) === 0 ? 1 : 0) - (h / 2) * ba[q]);
    return matmul(inverse(ba, n)!, inverse(shrink, n)!, n);
  };

  test("matches its own stationary law at its default step, and fails the target's at a coarse one", () => {
    const fine = sample(m, "ula", 7, {});
    const hDefault = 0.05 / mp.lambdaMax;
    expect(pValue(fine.samples as Float64Array, n, RUN.chains, mu, ulaCov(hDefault))).toBeGreaterThan(PASS);
    const h = 0.6 / mp.lambdaMax;
    const coarse = sample(m, "ula", 7, { step: h });
    expect(pValue(coarse.samples as Float64Array, n, RUN.chains, mu, ulaCov(h))).toBeGreaterThan(PASS);
    expect(pValue(coarse.samples as Float64Array, n, RUN.chains, mu, cov)).toBeLessThan(FAIL);
  });
});

describe("step adaptation (burn-in only)", () => {
  test("MALA settles near acceptance 0.574 and HMC near 0.8, and the recorded phase uses one fixed step per chain", () => {
    const m = models[2];
    const mala = sample(m, "mala", 3);
    const hmc = sample(m, "hmc", 3);
    const rate = (r: { diagnostics: Record<string, number> }) => r.diagnostics.accepted / r.diagnostics.proposed;
    expect(rate(mala)).toBeGreaterThan(0.45);
    expect(rate(mala)).toBeLessThan(0.7);
    expect(rate(hmc)).toBeGreaterThan(0.7);
    expect(rate(hmc)).toBeLessThan(0.92);
    expect(hmc.perChain!.adapted_step).toHaveLength(4);
    expect(mala.diagnostics.proposed).toBe(4 * 20_000 * 2);
  });
});
