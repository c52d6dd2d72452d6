/**
 * The references benchmark suites measure against, checked by brute force:
 * the mnist-rbm suite's exact RBM moments (a Gray-code walk over the hidden
 * states) against a plain sum over every (v, h) of a small RBM.
 */
import { describe, expect, it } from "vitest";
import { exactMoments } from "../benchmarks/mnist-rbm.js";
import { Random } from "../src/util/random.js";

function brute(nv: number, nh: number, W: Float64Array, b: Float64Array, c: Float64Array, pairs: Int32Array) {
  const mean = new Float64Array(nv);
  const pair = new Float64Array(pairs.length / 2);
  let z = 0;
  for (let v = 0; v < 2 ** nv; v++) {
    for (let h = 0; h < 2 ** nh; h++) {
      let e = 0;
      for (let i = 0; i < nv; i++) if ((v >> i) & 1) e += b[i];
      for (let j = 0; j < nh; j++) if ((h >> j) & 1) e += c[j];
      for (let i = 0; i < nv; i++) for (let j = 0; j < nh; j++) if ((v >> i) & 1 && (h >> j) & 1) e += W[i * nh + j];
      const w = Math.exp(e);
      z += w;
      for (let i = 0; i < nv; i++) if ((v >> i) & 1) mean[i] += w;
      for (let q = 0; q < pair.length; q++) if ((v >> pairs[2 * q]) & 1 && (v >> pairs[2 * q + 1]) & 1) pair[q] += w;
    }
  }
  return { mean: mean.map((x) => x / z), pair: pair.map((x) => x / z) };
}

describe("mnist-rbm's exact moments", () => {
  it("equal a brute-force sum over every state of a 6 x 5 RBM", () => {
    const r = new Random(3);
    const [nv, nh] = [6, 5];
    const W = Float64Array.from({ length: nv * nh }, () => 1.5 * r.normal());
    const b = Float64Array.from({ length: nv }, () => r.normal());
    const c = Float64Array.from({ length: nh }, () => r.normal());
    const pairs = Int32Array.from([0, 1, 2, 5, 4, 3, 1, 5]);
    const got = exactMoments({ nv, nh, W, b, c }, pairs);
    const want = brute(nv, nh, W, b, c, pairs);
    for (let i = 0; i < nv; i++) expect(got.mean[i]).toBeCloseTo(want.mean[i], 12);
    for (let q = 0; q < 4; q++) expect(got.pair[q]).toBeCloseTo(want.pair[q], 12);
    // Power: one coupling's sign flipped moves the moments well beyond the tolerance.
    const flipped = W.slice();
    flipped[7] = -flipped[7];
    const off = exactMoments({ nv, nh, W: flipped, b, c }, pairs);
    expect(Math.max(...off.mean.map((x, i) => Math.abs(x - want.mean[i])))).toBeGreaterThan(1e-3);
  });
});
