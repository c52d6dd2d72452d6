/**
 * Random SPD models sampled on both encodings with exact-OU and small-step
 * Euler-Maruyama: the mean by Hotelling's T^2 (chi-square 99.9%), the
 * covariance by relative Frobenius error against 1.5x the 99th percentile of
 * what i.i.d. Gaussian samples of the same size show.
 */
import { describe, expect, test } from "vitest";
import { mapGaussian } from "../src/mapping/langevin.js";
import { denseA, type GaussianModel } from "../src/models/gaussian.js";
import { chiSquareQuantile, iidCovErrorQuantile, meanCov, relativeFrobenius } from "../src/metrics/stats.js";
import { inverse } from "../src/linalg/dense.js";
import { analogChip, analogRun, gaussian, randomSpd } from "./helpers.js";

/** A preset made exact apart from sampling: continuous DACs and ADC; read-out every 4 slowest time constants. */
function exactSpec(chip: string, model: GaussianModel, integrator: string) {
  const base = { conductance: { bits: 0 }, capacitor: { bits: 0 }, readout: { adc_bits: 0 }, noise: { johnson: false }, integrator: { impl: integrator, step_fraction: 0.01 } };
  const probe = mapGaussian(model, "m.json", analogChip(chip, base), 1);
  const interval = 4 / (probe.report.slowest_rate_per_s as number);
  return analogChip(chip, { ...base, readout: { adc_bits: 0, interval: `${interval} s` } });
}

function check(model: GaussianModel, chip: string, integrator: string, samples: number, seed: number) {
  const spec = exactSpec(chip, model, integrator);
  const { mapping, run } = analogRun(spec, model, { chains: 4, samples, burnIn: 5, seed });
  expect(mapping.integrator).toBe(integrator);
  expect(mapping.warnings).toEqual([]);
  const n = model.n;
  const N = 4 * samples;
  const { mean, cov } = meanCov(run.samples, n);
  const A = denseA(model);
  const ainv = inverse(A, n)!;
  const mu = Float64Array.from({ length: n }, (_, i) => ainv.slice(i * n, i * n + n).reduce((a, v, j) => a + v * model.b[j], 0));
  // Hotelling: N (xbar - mu)' (beta A) (xbar - mu) ~ chi-square(n).
  let t2 = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t2 += (mean[i] - mu[i]) * model.beta * A[i * n + j] * (mean[j] - mu[j]);
  expect(N * t2, "mean").toBeLessThan(chiSquareQuantile(0.999, n));
  const target = ainv.map((v) => v / model.beta);
  const err = relativeFrobenius(cov, target);
  const bound = 1.5 * iidCovErrorQuantile(target, n, N, 0.99, 40, seed);
  expect(err, "covariance").toBeLessThan(bound);
  return { err, bound };
}

describe("random SPD models: mean A^-1 b and covariance A^-1 / beta", () => {
  for (const chip of ["rc-langevin", "spu-8"]) {
    for (const n of chip === "spu-8" ? [2, 5, 8] : [2, 4, 8, 16]) {
      test(`${chip} exact-ou, n=${n}`, () => {
        check(randomSpd(n, 1, 4, 100 + n, 0.5 + n / 16), chip, "exact-ou", 5000, n);
      });
    }
    for (const n of [2, 8]) {
      test(`${chip} small-step euler-maruyama, n=${n}`, () => {
        check(randomSpd(n, 1, 4, 200 + n, 1.3), chip, "euler-maruyama", 2000, 50 + n);
      });
    }
  }
});

describe("the harness says when the circuit samples the wrong law", () => {
  const model = randomSpd(6, 1, 4, 7, 1);

  test("resistor noise alone on the conductance encoding: kT C^-1, not A^-1", () => {
    const m = mapGaussian(model, "m.json", analogChip("rc-langevin", { noise: { mode: "thermal" } }), 1);
    expect(m.warnings.join("\n")).toMatch(/samples kT C\^-1 whatever G is/);
    expect(m.report.stationary_covariance_relative_error as number).toBeGreaterThan(0.3);
  });

  test("unequal capacitors on the conductance encoding", () => {
    const m = mapGaussian(model, "m.json", analogChip("rc-langevin", { capacitor: { spread: 0.2 } }), 1);
    expect(m.warnings.join("\n")).toMatch(/unequal capacitors break the law/);
    expect(m.warnings.join("\n")).toMatch(/stationary covariance differs from the model's A\^-1 \/ beta by/);
  });

  test("the correct set-ups do not warn, and DAC quantisation shows up as a small mapping error", () => {
    for (const chip of ["rc-langevin", "spu-8"]) {
      const m = mapGaussian(model, "m.json", analogChip(chip), 1);
      expect(m.warnings, chip).toEqual([]);
      expect(m.report.stationary_covariance_relative_error as number, chip).toBeLessThan(0.05);
    }
    const q = mapGaussian(model, "m.json", analogChip("rc-langevin", { conductance: { bits: 4 } }), 1);
    expect(q.report.stationary_covariance_relative_error as number).toBeGreaterThan(
      mapGaussian(model, "m.json", analogChip("rc-langevin", { conductance: { bits: 10 } }), 1).report.stationary_covariance_relative_error as number,
    );
  });

  test("positive off-diagonal entries need inverting stages, and are counted", () => {
    const m = mapGaussian(gaussian([[2, 0.5, -0.5], [0.5, 2, 0], [-0.5, 0, 2]], [0, 0, 0]), "m.json", analogChip("rc-langevin"), 1);
    expect(m.report.inverting_stages).toBe(1);
  });
});

describe("the checks have power", () => {
  const model = randomSpd(4, 1, 4, 104, 0.75);
  const target = inverse(denseA(model), 4)!.map((v) => v / model.beta);
  const bound = 1.5 * iidCovErrorQuantile(target, 4, 20_000, 0.99, 40, 4);

  test("a 5% temperature error fails the covariance check", () => {
    const spec = exactSpec("rc-langevin", model, "exact-ou");
    const { run } = analogRun(spec, { ...model, beta: model.beta * 1.05 }, { chains: 4, samples: 5000, burnIn: 5, seed: 4 });
    expect(relativeFrobenius(meanCov(run.samples, 4).cov, target)).toBeGreaterThan(bound);
  });

  test("one off-diagonal entry's sign flipped fails the covariance check", () => {
    const A = Array.from({ length: 4 }, (_, i) => Array.from(denseA(model).subarray(4 * i, 4 * i + 4)));
    let [bi, bj] = [0, 1];
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) if (Math.abs(A[i][j]) > Math.abs(A[bi][bj])) [bi, bj] = [i, j];
    A[bi][bj] = -A[bi][bj];
    A[bj][bi] = -A[bj][bi];
    const flipped = gaussian(A, Array.from(model.b), model.beta);
    const { run } = analogRun(exactSpec("rc-langevin", flipped, "exact-ou"), flipped, { chains: 4, samples: 5000, burnIn: 5, seed: 4 });
    expect(relativeFrobenius(meanCov(run.samples, 4).cov, target)).toBeGreaterThan(bound);
  });
});
