/** The noisy Hopfield network on tanh amplifiers. */
import { describe, expect, test } from "vitest";
import { hopfieldFromJson, hopfieldEnergy, type HopfieldModel } from "../src/models/hopfield.js";
import { mapHopfield } from "../src/mapping/hopfield.js";
import { runLangevin } from "../src/chips/langevin/driver.js";
import { Random } from "../src/util/random.js";
import { analogChip } from "./helpers.js";
import { mergeSpec } from "../src/spec/merge.js";

const hop = (T: number[][], I: number[], beta: number, gain = 1, R = 1): HopfieldModel =>
  hopfieldFromJson({ kind: "hopfield", T, I, beta, gain, R }, "h.json");

function run(m: HopfieldModel, over: Record<string, unknown>, o: { chains?: number; samples: number; burnIn?: number; seed?: number }) {
  const spec = analogChip("rc-hopfield", mergeSpec({ conductance: { bits: 0 }, readout: { adc_bits: 0 } }, over));
  const mapping = mapHopfield(m, "h.json", spec, o.seed ?? 1);
  return { mapping, run: runLangevin(spec, mapping, { chains: o.chains ?? 1, samples: o.samples, burnIn: o.burnIn ?? 0, thin: 1, seed: o.seed ?? 1 }) };
}

const T3 = [[0, 1.2, -0.6], [1.2, 0, 0.9], [-0.6, 0.9, 0]];
const I3 = [0.3, -0.1, 0.2];

describe("without noise (beta = 1e30: noise ~1e-15)", () => {
  const m = hop(T3, I3, 1e30, 0.5);

  test("Hopfield's energy never increases along the trajectory, and it settles on a fixed point", () => {
    const { mapping, run: r } = run(m, { readout: { interval: "1 ns" } }, { samples: 400 });
    expect(mapping.warnings).toEqual([]);
    let prev = Infinity;
    for (let k = 0; k < 400; k++) {
      const e = hopfieldEnergy(m, r.samples.subarray(3 * k, 3 * k + 3));
      expect(e, `sample ${k}`).toBeLessThanOrEqual(prev + 1e-12);
      prev = e;
    }
    // Fixed point: u = R (T v + I) with u = atanh(v) / gain.
    const v = r.samples.subarray(3 * 399, 3 * 400);
    for (let i = 0; i < 3; i++) {
      const u = Math.atanh(v[i]) / m.gain;
      const rhs = m.R * (T3[i].reduce((a, t, j) => a + t * v[j], 0) + I3[i]);
      expect(Math.abs(u - rhs)).toBeLessThan(1e-6);
    }
  });

  test("Euler-Maruyama converges at first order, Heun at second, on the nonlinear drift", () => {
    const at = (impl: string, step: string) => run(m, { readout: { interval: "10 ns" }, integrator: { impl, step } }, { samples: 1 }).run.samples;
    const ref = at("heun", "0.0005 ns");
    const err = (x: Float64Array) => Math.max(...Array.from(x, (v, i) => Math.abs(v - ref[i])));
    const em = [err(at("euler-maruyama", "0.04 ns")), err(at("euler-maruyama", "0.02 ns"))];
    const heun = [err(at("heun", "0.04 ns")), err(at("heun", "0.02 ns"))];
    expect(em[0] / em[1]).toBeGreaterThan(1.7);
    expect(em[0] / em[1]).toBeLessThan(2.3);
    expect(heun[0] / heun[1]).toBeGreaterThan(3.4);
    expect(heun[0] / heun[1]).toBeLessThan(4.6);
  });
});

describe("with noise, the chip's samples follow the model's own dynamics (independent float64 simulation)", () => {
  const m = hop([[0, 0.8], [0.8, 0]], [0.2, -0.1], 3, 1.5);
  // Reference: Heun's method (weak order 2 with additive noise: bias ~dt^2 = 1e-4) on
  // du = (T v - u/R + I) dt + sqrt(2/beta) dW in model units, read every 0.5 time units.
  const reference = () => {
    const rng = new Random(77);
    const dt = 0.01;
    const every = 50;
    const count = 640_000;
    const refSamples: number[][] = [];
    const [t00, t01, t10, t11] = [m.T[0], m.T[1], m.T[2], m.T[3]];
    const [g, leak, i0, i1, noise] = [m.gain, 1 / m.R, m.I[0], m.I[1], Math.sqrt((2 / m.beta) * dt)];
    const f0 = (a: number, b: number) => t00 * Math.tanh(g * a) + t01 * Math.tanh(g * b) - leak * a + i0;
    const f1 = (a: number, b: number) => t10 * Math.tanh(g * a) + t11 * Math.tanh(g * b) - leak * b + i1;
    let u0 = 0;
    let u1 = 0;
    for (let k = 0; k < count; k++) {
      for (let s = 0; s < every; s++) {
        const [w0, w1] = [noise * rng.normal(), noise * rng.normal()];
        const [a0, a1] = [f0(u0, u1), f1(u0, u1)];
        const [p0, p1] = [u0 + a0 * dt + w0, u1 + a1 * dt + w1];
        u0 += 0.5 * (a0 + f0(p0, p1)) * dt + w0;
        u1 += 0.5 * (a1 + f1(p0, p1)) * dt + w1;
      }
      refSamples.push([Math.tanh(g * u0), Math.tanh(g * u1)]);
    }
    return refSamples;
  };
  // The model time unit: C / kappa, kappa = full scale / largest element. Here
  // s_u / rail = 1.5 / 4, couplings 0.3, leaks 1 - 0.3 = 0.7: 1 pF x 0.7 / 100 uS = 7 ns.
  const unit = (1e-12 * 0.7) / 100e-6;
  /** The largest |difference| / combined standard error over six statistics, chip (model mChip) vs reference. */
  const worstZ = (ref: number[][], mChip: typeof m) => {
    const { mapping, run: r } = run(mChip, { readout: { interval: `${0.5 * unit} s` } }, { chains: 4, samples: 160_000, burnIn: 20, seed: 3 });
    expect(mapping.report.time_unit_s as number).toBeCloseTo(unit, 20); // read-out every 0.5 model time units, as the reference
    const stat = (rows: ArrayLike<number>[], f: (v: ArrayLike<number>) => number) => {
      // Mean and standard error from 40 batch means.
      const b = 40;
      const size = Math.floor(rows.length / b);
      const means = Array.from({ length: b }, (_, k) => rows.slice(k * size, (k + 1) * size).reduce((a, v) => a + f(v), 0) / size);
      const mean = means.reduce((a, x) => a + x, 0) / b;
      return { mean, se: Math.sqrt(means.reduce((a, x) => a + (x - mean) ** 2, 0) / (b - 1) / b) };
    };
    const chipRows = Array.from({ length: 640_000 }, (_, k) => r.samples.subarray(2 * k, 2 * k + 2));
    let worst = 0;
    // The outputs saturate (tanh of 3u) and hide the temperature; the amplifier inputs u = atanh(v) / gain carry it.
    const u = (x: number) => Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, x))) / m.gain;
    const stats = [(v: ArrayLike<number>) => v[0], (v: ArrayLike<number>) => v[1], (v: ArrayLike<number>) => v[0] * v[1], (v: ArrayLike<number>) => v[0] * v[0],
      (v: ArrayLike<number>) => u(v[0]) ** 2, (v: ArrayLike<number>) => u(v[1]) ** 2];
    for (const f of stats) {
      const a = stat(ref, f);
      const c = stat(chipRows, f);
      worst = Math.max(worst, Math.abs(a.mean - c.mean) / Math.hypot(a.se, c.se));
    }
    return worst;
  };
  const ref = reference();

  // 4 combined standard errors: a false alarm once in ~2,500 (Bonferroni over six statistics).
  test("every statistic within 4 combined standard errors", () => {
    expect(worstZ(ref, m)).toBeLessThan(4);
  });

  test("power: a chip 5% too cold (beta x 1.05) is more than 4 standard errors off", () => {
    expect(worstZ(ref, { ...m, beta: m.beta * 1.05 })).toBeGreaterThan(4);
  });
});

describe("mapping", () => {
  test("coupling quantisation, active stages and clipping are reported", () => {
    const spec = analogChip("rc-hopfield", { conductance: { bits: 4 } });
    const mp = mapHopfield(hop(T3, I3, 10, 0.5), "h.json", spec, 1);
    expect((mp.report.coupling_quantisation as { relative_rms_error: number }).relative_rms_error).toBeGreaterThan(1e-3);
    expect(mp.report.active_stages as number).toBeGreaterThan(0); // T has negative entries: inverted outputs
    const hot = mapHopfield(hop(T3, I3, 10, 4), "h.json", analogChip("rc-hopfield"), 1);
    expect(hot.warnings.join("\n")).toMatch(/can reach .* the 0\.8 V rails and be clipped/);
  });

  test("bad models and chips are refused with one clear error", () => {
    expect(() => hopfieldFromJson({ kind: "hopfield", T: [[0, 1], [2, 0]] }, "h.json")).toThrow(/h\.json: T\[0\]\[1\]: is 1 but T\[1\]\[0\] is 2: T must be symmetric/);
    expect(() => hopfieldFromJson({ kind: "hopfield", T: [[0]], gain: 0 }, "h.json")).toThrow(/gain: must be a finite number > 0/);
    expect(() => mapHopfield(hop(T3, I3, 1), "h.json", analogChip("rc-langevin"), 1)).toThrow(/amplifier\.element: is linear, but a Hopfield model needs tanh amplifiers/);
  });
});
