/** RC physics: tau = RC, kT/C, Euler-Maruyama's inflation, V^2 G t, the normal generator. */
import { describe, expect, test } from "vitest";
import { chiSquareQuantile, gammaP } from "../src/metrics/stats.js";
import { BOLTZMANN } from "../src/chips/langevin/circuit.js";
import { kernelNormals, loadLangevinChip } from "../src/chips/langevin/driver.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { analogChip, analogRun, gaussian } from "./helpers.js";

/** Two-sided 99.9% interval for a sample variance of `dof` degrees of freedom, relative to the true one. */
const varianceBounds = (dof: number) => [chiSquareQuantile(0.0005, dof) / dof, chiSquareQuantile(0.9995, dof) / dof];

function variance(x: Float64Array, mean?: number): { v: number; dof: number } {
  const m = mean ?? x.reduce((a, b) => a + b, 0) / x.length;
  return { v: x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - (mean === undefined ? 1 : 0)), dof: x.length - (mean === undefined ? 1 : 0) };
}

// One node: A = [[1]] maps to a single 100 uS conductance to ground on 1 pF: RC = 10 ns.
const RC = 1e-12 / 100e-6;
const node = (over: Record<string, unknown>) =>
  analogChip("rc-langevin", { readout: { adc_bits: 0 }, conductance: { bits: 0 }, noise: { johnson: false }, ...over });

describe("one RC node", () => {
  test("relaxes towards its bias with tau = RC (exact OU and small-step Euler)", () => {
    const model = gaussian([[1]], [1], 1e10); // noise ~1e-5 of the signal
    for (const impl of ["exact-ou", "euler-maruyama", "heun"]) {
      const spec = node({ readout: { interval: "1 ns", adc_bits: 0 }, integrator: { impl, step: impl === "exact-ou" ? "auto" : "2 ps" } });
      const { mapping, run } = analogRun(spec, model, { chains: 1, samples: 60, burnIn: 0 });
      expect(mapping.report.fastest_time_constant_s as number).toBeCloseTo(RC, 20);
      for (let k = 0; k < 60; k++) {
        const t = (k + 1) * 1e-9;
        const expected = 1 - Math.exp(-t / RC);
        expect(Math.abs(run.samples[k] - expected), `${impl} t=${t}`).toBeLessThan(impl === "euler-maruyama" ? 2e-3 : 1e-4);
      }
      const tau = -10e-9 / Math.log(1 - run.samples[9]);
      expect(Math.abs(tau / RC - 1), impl).toBeLessThan(impl === "euler-maruyama" ? 0.01 : 1e-3);
    }
  });

  test("driven only by its resistor's Johnson noise, the voltage variance is kT/C (chi-square 99.9%)", () => {
    const spec = node({ noise: { mode: "thermal", johnson: true }, readout: { interval: "200 ns", adc_bits: 0 } });
    const { mapping, run } = analogRun(spec, gaussian([[1]], [0]), { chains: 4, samples: 25_000, burnIn: 10 });
    const volts = run.samples.map((x) => x * mapping.vScale);
    const { v, dof } = variance(volts, 0);
    const kTC = (BOLTZMANN * 300) / 1e-12; // (64 uV)^2
    const [lo, hi] = varianceBounds(dof);
    expect(v / kTC).toBeGreaterThan(lo);
    expect(v / kTC).toBeLessThan(hi);
  });

  test("Euler-Maruyama inflates the variance by 1 / (1 - h lambda / 2)", () => {
    const model = gaussian([[1]], [0]);
    for (const hl of [0.2, 0.5, 1.0]) {
      const spec = node({ readout: { interval: "200 ns", adc_bits: 0 }, integrator: { impl: "euler-maruyama", step: `${hl * 10} ns` } });
      const { mapping, run } = analogRun(spec, model, { chains: 4, samples: 20_000, burnIn: 10 });
      expect(mapping.report.em_variance_inflation_fastest_mode as number).toBeCloseTo(1 / (1 - hl / 2), 12);
      const { v, dof } = variance(run.samples, 0);
      const [lo, hi] = varianceBounds(dof);
      const ratio = v / (1 / (1 - hl / 2)); // target variance is 1/beta = 1
      expect(ratio, `h lambda = ${hl}`).toBeGreaterThan(lo);
      expect(ratio, `h lambda = ${hl}`).toBeLessThan(hi);
    }
  });

  test("a step with h lambda >= 2 is refused", () => {
    const spec = node({ integrator: { impl: "euler-maruyama", step: "25 ns" } });
    expect(() => mapGaussian(gaussian([[1]], [0]), "m.json", spec, 1)).toThrow(/h \* lambda_max = 2\.500 >= 2: euler-maruyama is unstable/);
  });
});

describe("energy", () => {
  test("a resistor at constant voltage dissipates V^2 G t", () => {
    // A = [[1]], b = [1]: one 100 uS conductance held at V = vScale volts by its
    // bias; beta = 1e12 makes the injected noise 1e-6 of the signal.
    const spec = node({ readout: { interval: "100 ns", adc_bits: 0 } });
    const mapping = mapGaussian(gaussian([[1]], [1], 1e12), "m.json", spec, 1);
    const inst = loadLangevinChip(spec, mapping);
    const k = inst.exports;
    k.seedChain(1n, 0);
    k.run(50, 1, 0); // 5 us = 500 RC: settled
    const before = k.dissipated();
    k.run(3200, 1, 0); // 320 us
    const V = mapping.vScale;
    const expected = V * V * 100e-6 * 320e-6;
    // Residual fluctuations: 2 V dV / V^2 ~ 2e-6 per sample, averaged over the 100 samples
    // the kernel takes (the power of a dense OU circuit is sampled every 32nd step).
    expect(Math.abs((k.dissipated() - before) / expected - 1)).toBeLessThan(1e-6);
  });
});

describe("the kernel's normal generator (ziggurat)", () => {
  test("fills of any size give the same stream (one at a time: the scalar loop; 64 or 7: two at a time in SIMD)", () => {
    const N = 200_000; // ~2,400 slow-path draws, some in each lane
    const one = kernelNormals(N, 5, 1);
    for (const piece of [64, 7]) {
      const got = kernelNormals(N, 5, piece);
      expect(Buffer.from(got.buffer).equals(Buffer.from(one.buffer))).toBe(true);
    }
    // Power: another seed differs (the comparison is not vacuous).
    expect(Buffer.from(kernelNormals(1000, 6, 64).buffer).equals(Buffer.from(one.subarray(0, 1000).slice().buffer))).toBe(false);
  });

  test("1e6 draws: chi-square goodness of fit on 200 equiprobable bins, moments, tails", () => {
    const N = 1_000_000;
    const z = kernelNormals(N, 11);
    const bins = 200;
    const counts = new Float64Array(bins);
    // Equiprobable bins by the normal CDF (from erf via the incomplete gamma).
    const cdf = (x: number) => 0.5 * (1 + Math.sign(x) * gammaP(0.5, (x * x) / 2));
    for (const x of z) counts[Math.min(bins - 1, Math.floor(cdf(x) * bins))]++;
    const e = N / bins;
    const chi2 = counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(chiSquareQuantile(0.999, bins - 1));
    const mean = z.reduce((a, b) => a + b, 0) / N;
    const v = z.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean)).toBeLessThan(3.3 / Math.sqrt(N));
    const [lo, hi] = varianceBounds(N - 1);
    expect(v).toBeGreaterThan(lo);
    expect(v).toBeLessThan(hi);
    // The tail beyond the ziggurat's base (3.44) is sampled separately: P(|z| > 3.5) = 4.65e-4.
    const tail = z.reduce((a, x) => a + (Math.abs(x) > 3.5 ? 1 : 0), 0) / N;
    expect(Math.abs(tail - 4.6528e-4)).toBeLessThan(5 * Math.sqrt(4.65e-4 / N));
  });
});
