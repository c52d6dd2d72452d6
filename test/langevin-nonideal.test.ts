/**
 * Non-idealities: the sampler must follow the law the harness predicts for
 * the imperfect circuit (Lyapunov on the actual SDE), and that law must move
 * away from the model as the imperfection grows.
 */
import { describe, expect, test } from "vitest";
import { mapGaussian } from "../src/mapping/langevin.js";
import { stationary } from "../src/chips/langevin/circuit.js";
import { chiSquareQuantile, iidCovErrorQuantile, meanCov, relativeFrobenius } from "../src/metrics/stats.js";
import { analogChip, analogRun, gaussian, randomSpd } from "./helpers.js";
import { hopfieldFromJson } from "../src/models/hopfield.js";
import { mapHopfield } from "../src/mapping/hopfield.js";

function predicted(m: ReturnType<typeof mapGaussian>) {
  const st = stationary(m.sde);
  return { mean: st.mean.map((v) => v / m.vScale), cov: st.cov.map((v) => v / (m.vScale * m.vScale)) };
}

describe("coloured injected noise", () => {
  test("a first-order noise bandwidth near the circuit's rates shrinks the variance as predicted", () => {
    // One node, RC = 10 ns; noise bandwidth 10 MHz (correlation time 16 ns).
    const spec = analogChip("rc-langevin", { conductance: { bits: 0 }, readout: { adc_bits: 0, interval: "400 ns" }, noise: { bandwidth: "10 MHz" } });
    const { mapping, run } = analogRun(spec, gaussian([[1]], [0]), { chains: 4, samples: 10_000, burnIn: 5 });
    expect(mapping.sde.ns).toBe(2); // the noise filter is a state
    const p = predicted(mapping).cov[0];
    // Filtered noise of correlation time tc on a node of time constant tau: variance tau / (tau + tc) of the white case.
    const tau = 10e-9;
    const tc = 1 / (2 * Math.PI * 10e6);
    expect(p).toBeCloseTo(tau / (tau + tc), 6);
    const v = run.samples.reduce((a, x) => a + x * x, 0) / run.samples.length;
    const dof = run.samples.length;
    expect(v / p).toBeGreaterThan(chiSquareQuantile(0.0005, dof) / dof);
    expect(v / p).toBeLessThan(chiSquareQuantile(0.9995, dof) / dof);
  });

  test("a bandwidth far above the circuit's rates is indistinguishable from white noise", () => {
    const spec = analogChip("rc-langevin", { conductance: { bits: 0 }, noise: { bandwidth: "100 GHz" } });
    const m = mapGaussian(randomSpd(4, 1, 4, 3, 1), "m.json", spec, 1);
    expect(m.report.stationary_covariance_relative_error as number).toBeLessThan(2e-3);
  });
});

describe("device mismatch, capacitor spread and amplifier offsets", () => {
  const model = randomSpd(6, 1, 4, 21, 1);
  test("the predicted law departs from the model as the spread grows", () => {
    const err = (over: Record<string, unknown>) => mapGaussian(model, "m.json", analogChip("rc-langevin", over), 5).report.stationary_covariance_relative_error as number;
    const base = err({ conductance: { bits: 0 } });
    const small = err({ conductance: { bits: 0, mismatch: 0.01 } });
    const large = err({ conductance: { bits: 0, mismatch: 0.1 } });
    expect(base).toBeLessThan(1e-9);
    expect(small).toBeGreaterThan(1e-4);
    expect(large).toBeGreaterThan(small);
    const meanErr = (o: string) => mapGaussian(model, "m.json", analogChip("rc-langevin", { conductance: { bits: 0 }, amplifier: { offset_sigma: o } }), 5).report.stationary_mean_error_sd as number;
    expect(meanErr("0 V")).toBeLessThan(1e-9);
    expect(meanErr("5 mV")).toBeGreaterThan(0.01);
  });

  test("the chip samples the law predicted for its own imperfect instance", () => {
    const spec = analogChip("rc-langevin", {
      conductance: { bits: 6, mismatch: 0.1 }, capacitor: { spread: 0.1 }, amplifier: { offset_sigma: "10 mV" }, readout: { adc_bits: 0, interval: "2 us" },
    });
    const { mapping, run } = analogRun(spec, model, { chains: 4, samples: 5000, burnIn: 10, seed: 9 });
    expect(mapping.warnings.length).toBeGreaterThan(0); // it says the law is off...
    const p = predicted(mapping);
    const { mean, cov } = meanCov(run.samples, 6);
    // ...and the samples follow the predicted law (mean per coordinate, covariance vs i.i.d.).
    for (let i = 0; i < 6; i++) expect(Math.abs(mean[i] - p.mean[i])).toBeLessThan(4 * Math.sqrt(p.cov[i * 7] / 20_000));
    expect(relativeFrobenius(cov, p.cov)).toBeLessThan(1.5 * iidCovErrorQuantile(p.cov, 6, 20_000, 0.99, 40, 9));
    // The instance depends on the seed.
    const other = mapGaussian(model, "m.json", spec, 10).report.stationary_covariance_relative_error;
    expect(other).not.toBe(mapping.report.stationary_covariance_relative_error);
  });
});

test("the ADC quantises read-outs to its LSB and saturates at the rails", () => {
  const spec = analogChip("rc-langevin", { readout: { adc_bits: 4 } }); // LSB = 1.6 V / 16 = 0.1 V
  const { mapping, run } = analogRun(spec, gaussian([[1]], [0]), { chains: 1, samples: 2000 });
  const lsb = 1.6 / 16;
  for (const x of run.samples) {
    const volts = x * mapping.vScale;
    expect(Math.abs(volts / lsb - Math.round(volts / lsb))).toBeLessThan(1e-9);
    expect(Math.abs(volts)).toBeLessThanOrEqual(0.8 + 1e-12);
  }
});

describe("noise-source calibration (noise.scale)", () => {
  // A = [[2, 0.6], [0.6, 1]], beta 1: covariance A^-1 = [[1, -0.6], [-0.6, 2]] / 1.64, mean A^-1 b, by hand.
  const model = gaussian([[2, 0.6], [0.6, 1]], [0.3, -0.2]);
  const cov = [1 / 1.64, 2 / 1.64];
  const mean = [(0.3 * 1 - 0.6 * -0.2) / 1.64, (-0.6 * 0.3 + 2 * -0.2) / 1.64];
  const N = 4 * 5000;
  // Read-outs are independent at each preset's own interval (>= 10 x the slowest time constant):
  // sum of squares about the known mean / variance ~ chi-square(N).
  const inBounds = (ratio: number) => ratio > chiSquareQuantile(0.0005, N) / N && ratio < chiSquareQuantile(0.9995, N) / N;
  const ratios = (name: string, scale: number, expectScale: number) => {
    const over = name === "spu-8" ? { capacitor: { bits: 0 }, readout: { adc_bits: 0 } } : { conductance: { bits: 0 }, readout: { adc_bits: 0 } };
    const spec = analogChip(name, { ...over, noise: { scale } });
    const { mapping, run } = analogRun(spec, model, { chains: 4, samples: 5000, burnIn: 20, seed: 3 });
    const r = [0, 1].map((i) => {
      let ss = 0;
      for (let t = 0; t < N; t++) ss += (run.samples[2 * t + i] - mean[i]) ** 2;
      return ss / N / (expectScale ** 2 * cov[i]);
    });
    return { r, mapping };
  };

  for (const name of ["rc-langevin", "spu-8"]) {
    test(`${name}: noise ${"1.1"}x too strong samples variances 1.21x the model's, and says so`, () => {
      const { r, mapping } = ratios(name, 1.1, 1.1);
      for (const x of r) expect(inBounds(x), `variance ratio to 1.21 A^-1: ${x}`).toBe(true);
      // Power: the same draws against the model's own variances are far outside the bounds.
      for (const x of r) expect(inBounds(x * 1.21)).toBe(false);
      expect(mapping.report.noise_scale).toBe(1.1);
      expect(mapping.warnings.join("\n")).toMatch(/noise\.scale 1\.1: .* samples at beta 0\.8264 instead of 1 \(every variance x1\.21\)/);
      // Control: a calibrated chip samples the model's variances, without the warning.
      const ok = ratios(name, 1, 1);
      for (const x of ok.r) expect(inBounds(x), `calibrated variance ratio: ${x}`).toBe(true);
      expect(ok.mapping.warnings.join("\n")).not.toMatch(/noise\.scale/);
    });
  }

  test("the Hopfield mapping scales its injected noise intensity by scale^2", () => {
    const hopfield = hopfieldFromJson({ kind: "hopfield", T: [[0, 0.5], [0.5, 0]], I: [0, 0.1], beta: 4, gain: 1, R: 1 }, "h.json");
    const at = (scale: number) => mapHopfield(hopfield, "h.json", analogChip("rc-hopfield", { noise: { scale } }), 1);
    const base = (at(1).report.injected_noise as { intensity_A2s: number }).intensity_A2s;
    const hot = at(1.3);
    expect((hot.report.injected_noise as { intensity_A2s: number }).intensity_A2s / base).toBeCloseTo(1.69, 12);
    expect(hot.warnings.join("\n")).toMatch(/noise\.scale 1\.3: .* samples at beta 2\.367/);
  });

  test("a scale on physical thermal noise, or not above 0, is refused naming noise.scale", () => {
    expect(() => analogChip("spu-8", { noise: { mode: "thermal", scale: 1.2 } })).toThrow(/noise\.scale: applies to engineered noise/);
    expect(() => analogChip("rc-langevin", { noise: { scale: 0 } })).toThrow(/noise\.scale/);
    expect(() => analogChip("rc-langevin", { noise: { scale: "big" } })).toThrow(/noise\.scale/);
  });
});
