/** Non-idealities behave as modelled: device mismatch, synapse delay, LFSR correlation. */
import { describe, expect, test } from "vitest";
import { loadPbitChip, instanceParameters, kernelExponentials } from "../src/chips/pbit/driver.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { boltzmann } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { autocorrelation, binomialInterval } from "../src/metrics/stats.js";
import { spinLawCheck } from "../src/metrics/law-check.js";
import { chip, ising, sampleOn } from "./helpers.js";

describe("device mismatch", () => {
  const spec = chip("ideal", { mismatch: { gain_sigma: 0.1, offset_sigma: 0.2 } });
  const n = 64;
  const I = 0.3;
  const model = ising(n, [], new Array(n).fill(I));
  const drawn = (seed: number, m = model) => instanceParameters(loadPbitChip(spec, mapIsing(m, "m.json", spec, "chromatic"), "chromatic", seed), mapIsing(m, "m.json", spec, "chromatic"));

  test("spreads have the specified standard deviations (chi-square 99.9%)", () => {
    const { gain, offset } = drawn(3);
    const ss = (xs: Float64Array, mean: number) => xs.reduce((a, x) => a + (x - mean) ** 2, 0);
    // Sum of 64 squared standard normals lies in [33.4, 105.0] with probability 0.998 (chi-square, 64 dof).
    expect(ss(gain, 1) / 0.1 ** 2).toBeGreaterThan(33.4);
    expect(ss(gain, 1) / 0.1 ** 2).toBeLessThan(105.0);
    expect(ss(offset, 0) / 0.2 ** 2).toBeGreaterThan(33.4);
    expect(ss(offset, 0) / 0.2 ** 2).toBeLessThan(105.0);
  });

  test("one instance per seed, tied to the physical p-bit, not to the model", () => {
    const a = drawn(3);
    expect(drawn(3).gain).toEqual(a.gain);
    expect(drawn(4).gain).not.toEqual(a.gain);
    const small = drawn(3, ising(4, [], [I, I, I, I]));
    expect(small.gain).toEqual(a.gain.subarray(0, 4));
    expect(small.offset).toEqual(a.offset.subarray(0, 4));
  });

  test("each p-bit's P(+1) is sigmoid(2 (gain_i beta I + offset_i))", () => {
    const N = 20_000;
    const { gain, offset } = drawn(3);
    const { run } = sampleOn(spec, model, { chains: 1, samples: N, burnIn: 0, thin: 1, seed: 3 });
    let offNominal = 0;
    for (let i = 0; i < n; i++) {
      let ups = 0;
      for (let r = 0; r < N; r++) ups += run.samples[r * n + i] > 0 ? 1 : 0;
      const p = 1 / (1 + Math.exp(-2 * (gain[i] * I + offset[i])));
      const [lo, hi] = binomialInterval(N, p, 1 - 0.001 / n); // Bonferroni over the 64 p-bits
      expect(ups, `p-bit ${i}`).toBeGreaterThanOrEqual(lo);
      expect(ups, `p-bit ${i}`).toBeLessThanOrEqual(hi);
      const [nlo, nhi] = binomialInterval(N, 1 / (1 + Math.exp(-2 * I)), 0.999);
      if (ups < nlo || ups > nhi) offNominal++;
    }
    expect(offNominal).toBeGreaterThan(n / 2); // the mismatch is visible
  });
});

describe("async schedule", () => {
  const model = randomGraphModel(8, 1, { jStd: 0.5, hStd: 0.3, beta: 1, seed: 31 });
  /** The moment test's p-value (spin means, pair correlations) of async draws against the model. */
  const asyncRun = (delay: string, m = model) => {
    const spec = chip("ideal", { async: { mean_flip_time: "1 ns", synapse_delay: delay } });
    const { run } = sampleOn(spec, m, { chains: 8, samples: 12_500, burnIn: 200, thin: 5, seed: 31, schedule: "async" });
    const per = 12_500;
    const states = Array.from({ length: 8 }, (_, c) => Uint32Array.from({ length: per }, (_, r) => {
      let x = 0;
      for (let i = 0; i < 8; i++) if (run.samples[(c * per + r) * 8 + i] > 0) x |= 1 << i;
      return x >>> 0;
    }));
    return { p: spinLawCheck(model, states, boltzmann(model))!.p_value, run };
  };

  test("without synapse delay, clockless firing samples the Boltzmann distribution (p > 1e-3)", () => {
    const { p, run } = asyncRun("0 s");
    expect(p).toBeGreaterThan(1e-3);
    // Poisson firing: n events per sweep at rate n / (1 ns): ~1 ns of chip time per sweep.
    const sweeps = 8 * (200 + 12_500 * 5);
    expect(run.chipSeconds / sweeps).toBeGreaterThan(0.99e-9);
    expect(run.chipSeconds / sweeps).toBeLessThan(1.01e-9);
  });

  test("a synapse delay comparable to the flip time breaks it, and so does beta off by 5% (the test's power)", () => {
    expect(asyncRun("2 ns").p).toBeLessThan(1e-6);
    expect(asyncRun("0 s", { ...model, beta: 1.05 }).p).toBeLessThan(1e-6);
  });
});

describe("LFSR32 random source", () => {
  // One p-bit with P(+1) = sigmoid(3) = 0.95 on the FPGA p-computer (exact on its LUT grid).
  const model = ising(1, [], [1.5]);
  const N = 100_000;
  const acf = (shifts: number | "clock") => {
    const { run, mapping } = sampleOn(chip("pcomputer-fpga", { rng: { shifts_per_read: shifts } }), model, { chains: 1, samples: N, burnIn: 10, seed: 8 });
    return { rho: autocorrelation(Array.from(run.samples), 1), shifts: mapping.classes * mapping.cyclesPerPhase, run };
  };

  test("free-running at one shift per read, successive draws are correlated", () => {
    const { rho, shifts } = acf("clock");
    expect(shifts).toBe(1);
    expect(Math.abs(rho)).toBeGreaterThan(0.1);
  });

  test("32 shifts per read give independent-looking draws with the right marginal", () => {
    const { rho, run } = acf(32);
    expect(Math.abs(rho)).toBeLessThan(5 / Math.sqrt(N));
    const ups = run.samples.reduce((a, s) => a + (s > 0 ? 1 : 0), 0);
    const [lo, hi] = binomialInterval(N, 1 / (1 + Math.exp(-3)), 0.999);
    expect(ups).toBeGreaterThanOrEqual(lo);
    expect(ups).toBeLessThanOrEqual(hi);
  });
});

describe("the async schedule's exponential gaps (ziggurat)", () => {
  test("1e6 draws: chi-square on 200 equiprobable bins, mean, variance, the tail beyond the ziggurat's base; power: 2% off fails", () => {
    const N = 1_000_000;
    const x = kernelExponentials(N, 5);
    const chi2 = (v: Float64Array) => {
      const counts = new Float64Array(200);
      for (const e of v) counts[Math.min(199, Math.floor((1 - Math.exp(-e)) * 200))]++;
      return counts.reduce((a, c) => a + (c - N / 200) ** 2 / (N / 200), 0);
    };
    // chi-square with 199 dof: 0.999 quantile ~ 267.
    expect(chi2(x)).toBeLessThan(267);
    const mean = x.reduce((a, b) => a + b, 0) / N;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / (N - 1);
    expect(Math.abs(mean - 1)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(8 / N)); // var of (X - 1)^2 is 8
    // Past the base (7.697) the tail is drawn separately: P(X > 7.697) = 4.54e-4.
    const tail = x.reduce((a, e) => a + (e > 7.697117470131487 ? 1 : 0), 0) / N;
    expect(Math.abs(tail - Math.exp(-7.697117470131487))).toBeLessThan(5 * Math.sqrt(4.54e-4 / N));
    expect(chi2(x.map((e) => 1.02 * e))).toBeGreaterThan(400);
  });
});
