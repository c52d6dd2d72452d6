/**
 * Quality metrics against closed forms and their own limits: exact TV/KL of
 * an empirical law, the i.i.d. floor, Gaussian KL and W2 (closed forms by
 * hand), MMD and sliced W2 (zero-ish for exact draws, clearly positive for a
 * shifted or widened law), TTS(0.99), and Gray-code enumeration against the
 * plain state-by-state one.
 */
import { describe, expect, test } from "vitest";
import { exactLaw, boltzmann } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { gaussianKl, gaussianQuality, gaussianW2, spinQuality, toSolution99 } from "../src/metrics/quality.js";
import { Random } from "../src/util/random.js";

describe("enumeration", () => {
  test("Gray-code order with streaming log-sum-exp gives the plain enumeration's law and log Z", () => {
    const m = randomGraphModel(12, 0.6, { jStd: 0.8, hStd: 0.5, beta: 1.3, seed: 51 });
    const { p, logZ } = exactLaw(m);
    const q = boltzmann(m);
    for (let x = 0; x < p.length; x++) expect(Math.abs(p[x] / q[x] - 1)).toBeLessThan(1e-10);
    // log Z by hand for a 2-spin model: E = -(h0 s0 + h1 s1 + J s0 s1).
    const two = { kind: "ising" as const, n: 2, h: Float64Array.of(0.3, -0.2), ei: Int32Array.of(0), ej: Int32Array.of(1), ew: Float64Array.of(0.7), beta: 2 };
    let z = 0;
    for (const a of [-1, 1]) for (const b of [-1, 1]) z += Math.exp(2 * (0.3 * a - 0.2 * b + 0.7 * a * b));
    expect(exactLaw(two).logZ).toBeCloseTo(Math.log(z), 12);
  });
  test("20 spins, dense, in under 2 s", () => {
    const m = randomGraphModel(20, 1, { jStd: 0.3, hStd: 0.2, beta: 1, seed: 52 });
    const t0 = performance.now();
    exactLaw(m);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});

describe("spin quality", () => {
  const m = randomGraphModel(6, 1, { jStd: 0.6, hStd: 0.3, beta: 1, seed: 53 });
  const { p } = exactLaw(m);
  test("the exact law itself, as counts, scores TV 0; exact draws sit near the i.i.d. floor; a wrong law is far above it", () => {
    const r = new Random(5);
    const cdf = Float64Array.from(p, ((acc) => (v: number) => (acc += v))(0));
    const draw = (w: Float64Array) => {
      const u = r.uniform() * w[w.length - 1];
      return w.findIndex((c) => c > u);
    };
    const exactStates = [Uint32Array.from({ length: 20000 }, () => draw(cdf))];
    const q = spinQuality(m, exactStates, p);
    expect(q.tv).toBeLessThan(2 * q.iid.tv);
    expect(q.tv).toBeGreaterThan(0.3 * q.iid.tv);
    const uniform = [Uint32Array.from({ length: 20000 }, () => r.below(64))];
    const bad = spinQuality(m, uniform, p);
    expect(bad.tv).toBeGreaterThan(5 * q.iid.tv);
    expect(bad.kl).toBeGreaterThan(5 * q.iid.kl);
  });
});

describe("Gaussian quality", () => {
  test("KL and W2 closed forms (by hand: N(0, I) against N((1, 0), diag(4, 1)))", () => {
    const z = Float64Array.of(0, 0);
    const i2 = Float64Array.of(1, 0, 0, 1);
    const m2 = Float64Array.of(1, 0);
    const s2 = Float64Array.of(4, 0, 0, 1);
    expect(gaussianKl(z, i2, m2, s2, 2)).toBeCloseTo(0.5 * (0.25 + 1 + 0.25 - 2 + Math.log(4)), 12);
    expect(gaussianW2(z, i2, m2, s2, 2)).toBeCloseTo(Math.sqrt(1 + 1), 9);
  });
  test("MMD and sliced W2: exact draws at the floor, a shifted law well above it", () => {
    const r = new Random(9);
    const mu = Float64Array.of(1, -1);
    const cov = Float64Array.of(2, 0.5, 0.5, 1);
    // Cholesky of cov by hand: L = [[sqrt 2, 0], [0.5 / sqrt 2, sqrt 0.875]].
    const draws = (shift: number) => {
      const rows = new Float64Array(2 * 3000);
      for (let k = 0; k < 3000; k++) {
        const a = r.normal();
        const b = r.normal();
        rows[2 * k] = 1 + shift + Math.SQRT2 * a;
        rows[2 * k + 1] = -1 + (0.5 / Math.SQRT2) * a + Math.sqrt(0.875) * b;
      }
      return [rows];
    };
    const good = gaussianQuality(draws(0), 2, mu, cov);
    const bad = gaussianQuality(draws(0.5), 2, mu, cov);
    expect(good.mmd).toBeLessThan(3 * good.iid.mmd + 0.02);
    expect(bad.mmd).toBeGreaterThan(3 * good.iid.mmd);
    expect(bad.sliced_w2).toBeGreaterThan(3 * good.iid.sliced_w2);
    expect(good.cov_relative_error).toBeLessThan(0.06);
  });
});

test("TTS(0.99): t ln(0.01)/ln(1-p), at least one run; infinite at p = 0", () => {
  expect(toSolution99(2, 0.5)).toBeCloseTo((2 * Math.log(0.01)) / Math.log(0.5), 12);
  expect(toSolution99(2, 0.999)).toBe(2);
  expect(toSolution99(2, 0)).toBe(Infinity);
});
