// Standard normals for kernels compiled with SIMD: the same exact ziggurat as
// normal.ts (its tables and slow path), fed with words from the eight-lane
// xoshiro128** stream (xoshiro8.ts) drawn in bulk: two words per normal
// (layer index, signed magnitude). The rare wedge and tail draws (~1.2%)
// come from the scalar stream, as in normal.ts.
import { xoshiro8Fill } from "./xoshiro8";
import { zigKn, zigWn, zigSlow } from "./normal";

// Fill out[0 .. count) with standard normals; words: scratch for 2 x count u32 (allocated once by the caller).
export function normal8Fill(out: usize, count: i32, words: usize): void {
  xoshiro8Fill(words, 2 * count);
  const kn = zigKn(), wn = zigWn();
  let k = 0;
  // Two normals per step on the fast path (~99% of draws): the same words, tables and
  // arithmetic as the scalar loop below, so the same values; a lane that misses goes to
  // the slow path in stream order (lane 0 first). Measured: the scalar loop was ~15% of
  // a dense n = 64 exact-OU step.
  for (; k + 2 <= count; k += 2) {
    const w = v128.load(words + (usize(k) << 3)); // [layer 0, magnitude 0, layer 1, magnitude 1]
    const iz0 = i32x4.extract_lane(w, 0) & 127;
    const iz1 = i32x4.extract_lane(w, 2) & 127;
    const hz = i8x16.shuffle(w, w, 4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15);
    const lim = i32x4.replace_lane(i32x4.splat(load<i32>(kn + (usize(iz0) << 2))), 1, load<i32>(kn + (usize(iz1) << 2)));
    const fast = i32x4.bitmask(i32x4.lt_u(i32x4.abs(hz), lim)) & 3;
    const wv = f64x2.replace_lane(f64x2.splat(load<f64>(wn + (usize(iz0) << 3))), 1, load<f64>(wn + (usize(iz1) << 3)));
    const p = out + (usize(k) << 3);
    v128.store(p, f64x2.mul(f64x2.convert_low_i32x4_s(hz), wv));
    if (fast != 3) {
      if ((fast & 1) == 0) store<f64>(p, zigSlow(i32x4.extract_lane(w, 1), iz0));
      if ((fast & 2) == 0) store<f64>(p, zigSlow(i32x4.extract_lane(w, 3), iz1), 8);
    }
  }
  for (; k < count; k++) {
    const w = load<u64>(words + (usize(k) << 3)); // layer index (low word), signed magnitude (high)
    const iz = i32(u32(w) & 127);
    const hz = i32(w >> 32);
    // |hz| as unsigned: abs(-2^31) wraps to -2^31, which is 2^31 unsigned, as it should be.
    const m = u32(abs<i32>(hz));
    let v: f64;
    if (m < load<u32>(kn + (usize(iz) << 2))) v = f64(hz) * load<f64>(wn + (usize(iz) << 3));
    else v = zigSlow(hz, iz);
    store<f64>(out + (usize(k) << 3), v);
  }
}
