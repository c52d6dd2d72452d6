/**
 * The power of the physics and non-ideality checks: each is re-run, with its
 * own bounds, on a deliberately wrong sampler, which must fail it. (The
 * exactness tests carry their power checks beside them.)
 */
import { describe, expect, test } from "vitest";
import { autocorrelation, binomialInterval, chiSquareQuantile, iidCovErrorQuantile, meanCov, relativeFrobenius } from "../src/metrics/stats.js";
import { kernelNormals } from "../src/chips/langevin/driver.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { stationary } from "../src/chips/langevin/circuit.js";
import { BOLTZMANN } from "../src/chips/langevin/circuit.js";
import { analogChip, analogRun, chip, gaussian, ising, randomSpd, sampleOn } from "./helpers.js";

describe("p-bit physics", () => {
  test("sigmoid check: a p-bit at beta 5% too high leaves the binomial interval for most inputs", () => {
    const N = 100_000;
    let out = 0;
    let total = 0;
    for (const I of [-2, -1.5, -1, -0.5, -0.25, 0.25, 0.5, 1, 1.5, 2]) {
      for (const beta of [0.5, 1.3]) {
        const { run } = sampleOn(chip("ideal"), ising(1, [], [I], beta * 1.05), { chains: 1, samples: N, burnIn: 0, thin: 1, seed: 7 });
        const ups = run.samples.reduce((a, s) => a + (s > 0 ? 1 : 0), 0);
        const [lo, hi] = binomialInterval(N, 1 / (1 + Math.exp(-2 * beta * I)), 0.999);
        total++;
        if (ups < lo || ups > hi) out++;
      }
    }
    expect(out).toBeGreaterThanOrEqual(total / 2);
  });

  test("antiferromagnetic pair: beta 5% too high leaves the aligned fraction's interval", () => {
    const N = 50_000;
    const { run } = sampleOn(chip("ideal"), ising(2, [[0, 1, -2]], [0, 0], 1.05), { chains: 1, samples: N, burnIn: 10, thin: 10, schedule: "chromatic" });
    let a = 0;
    for (let r = 0; r < N; r++) a += run.samples[2 * r] === run.samples[2 * r + 1] ? 1 : 0;
    const [lo, hi] = binomialInterval(N, Math.exp(-2) / (Math.exp(-2) + Math.exp(2)), 0.999);
    expect(a < lo || a > hi).toBe(true);
  });

  test("sMTJ dwell estimate: a source 10% slower than stated fails the 5% check", () => {
    const spec = chip("smtj", { rng: { dwell: "220 ns" }, clock: { frequency: "15 MHz" } });
    const { run } = sampleOn(spec, ising(1, [], [0]), { chains: 1, samples: 200_000, burnIn: 10, thin: 1, seed: 5 });
    const tauHat = -(1 / 15e6) / Math.log(autocorrelation(Array.from(run.samples), 1));
    expect(Math.abs(tauHat / 200e-9 - 1)).toBeGreaterThan(0.05);
  });
});

describe("analog physics", () => {
  const varianceBounds = (dof: number) => [chiSquareQuantile(0.0005, dof) / dof, chiSquareQuantile(0.9995, dof) / dof];

  test("kT/C: a resistor 5% hotter than stated leaves the chi-square interval", () => {
    const spec = analogChip("rc-langevin", { readout: { adc_bits: 0, interval: "200 ns" }, conductance: { bits: 0 }, noise: { mode: "thermal", johnson: true, temperature: "315 K" } });
    const { mapping, run } = analogRun(spec, gaussian([[1]], [0]), { chains: 4, samples: 25_000, burnIn: 10 });
    const v = run.samples.reduce((a, x) => a + (x * mapping.vScale) ** 2, 0) / run.samples.length;
    const [lo, hi] = varianceBounds(run.samples.length);
    const r = v / ((BOLTZMANN * 300) / 1e-12);
    expect(r < lo || r > hi).toBe(true);
  });

  test("Euler-Maruyama's inflation: the uninflated law fails the check at h lambda = 0.5", () => {
    const spec = analogChip("rc-langevin", { readout: { adc_bits: 0, interval: "200 ns" }, conductance: { bits: 0 }, noise: { johnson: false }, integrator: { impl: "euler-maruyama", step: "5 ns" } });
    const { run } = analogRun(spec, gaussian([[1]], [0]), { chains: 4, samples: 20_000, burnIn: 10 });
    const v = run.samples.reduce((a, x) => a + x * x, 0) / run.samples.length;
    const [lo, hi] = varianceBounds(run.samples.length);
    expect(v / 1 < lo || v / 1 > hi).toBe(true); // the target variance without inflation is 1
  });

  test("normal generator: draws scaled by 1.02 fail the variance bounds", () => {
    const z = kernelNormals(1_000_000, 11).map((x) => 1.02 * x);
    const v = z.reduce((a, b) => a + b * b, 0) / z.length;
    const [lo, hi] = varianceBounds(z.length);
    expect(v < lo || v > hi).toBe(true);
  });

  test("an imperfect instance: its samples fail the check against the nominal (mismatch-free) law", () => {
    const model = randomSpd(6, 1, 4, 5, 1);
    const spec = analogChip("rc-langevin", {
      conductance: { bits: 6, mismatch: 0.1 }, capacitor: { spread: 0.1 }, amplifier: { offset_sigma: "10 mV" }, readout: { adc_bits: 0, interval: "2 us" },
    });
    const { run } = analogRun(spec, model, { chains: 4, samples: 5000, burnIn: 10, seed: 9 });
    const nominal = mapGaussian(model, "m.json", analogChip("rc-langevin", { conductance: { bits: 0 }, readout: { adc_bits: 0 } }), 9);
    const st = stationary(nominal.sde);
    const cov = st.cov.map((v) => v / nominal.vScale ** 2);
    const mean = st.mean.map((v) => v / nominal.vScale);
    const got = meanCov(run.samples, 6);
    const meanFails = Array.from({ length: 6 }, (_, i) => Math.abs(got.mean[i] - mean[i]) >= 4 * Math.sqrt(cov[i * 7] / 20_000)).some(Boolean);
    const covFails = relativeFrobenius(got.cov, cov) >= 1.5 * iidCovErrorQuantile(cov, 6, 20_000, 0.99, 40, 9);
    expect(meanFails || covFails).toBe(true);
  });
});
