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

test("with noise, the chip's samples follow the model's own dynamics (independent float64 simulation)", () => {
  const m = hop([[0, 0.8], [0.8, 0]], [0.2, -0.1], 3, 1.5);
  // Reference: Euler-Maruyama of du = (T v - u/R + I) dt + sqrt(2/beta) dW in model units.
  const rng = new Random(77);
  const dt = 0.002;
  const every = 250; // model time units between samples: 0.5
  const refSamples: number[][] = [];
  const u = [0, 0];
  for (let s = 0; s < 40_000 * every; s++) {
    const v = u.map((x) => Math.tanh(m.gain * x));
    const du = [0, 1].map((i) => (m.T[2 * i] * v[0] + m.T[2 * i + 1] * v[1] - u[i] / m.R + m.I[i]) * dt + Math.sqrt((2 / m.beta) * dt) * rng.normal());
    u[0] += du[0];
    u[1] += du[1];
    if (s % every === every - 1) refSamples.push(u.map((x) => Math.tanh(m.gain * x)));
  }
  // The model time unit: C / kappa, kappa = full scale / largest element. Here
  // s_u / rail = 1.5 / 4, couplings 0.3, leaks 1 - 0.3 = 0.7: 1 pF x 0.7 / 100 uS = 7 ns.
  const unit = (1e-12 * 0.7) / 100e-6;
  const { mapping, run: r } = run(m, { readout: { interval: `${0.5 * unit} s` } }, { chains: 4, samples: 10_000, burnIn: 20, seed: 3 });
  expect(mapping.report.time_unit_s as number).toBeCloseTo(unit, 20); // read-out every 0.5 model time units, as the reference
  const stat = (rows: ArrayLike<number>[], f: (v: ArrayLike<number>) => number) => {
    // Mean and standard error from 20 batch means.
    const b = 20;
    const size = Math.floor(rows.length / b);
    const means = Array.from({ length: b }, (_, k) => rows.slice(k * size, (k + 1) * size).reduce((a, v) => a + f(v), 0) / size);
    const mean = means.reduce((a, x) => a + x, 0) / b;
    return { mean, se: Math.sqrt(means.reduce((a, x) => a + (x - mean) ** 2, 0) / (b - 1) / b) };
  };
  const chipRows = Array.from({ length: 40_000 }, (_, k) => r.samples.subarray(2 * k, 2 * k + 2));
  for (const f of [(v: ArrayLike<number>) => v[0], (v: ArrayLike<number>) => v[1], (v: ArrayLike<number>) => v[0] * v[1], (v: ArrayLike<number>) => v[0] * v[0]]) {
    const a = stat(refSamples, f);
    const c = stat(chipRows, f);
    expect(Math.abs(a.mean - c.mean)).toBeLessThan(5 * Math.hypot(a.se, c.se));
  }
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
