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
  for (let k = 0; k < count; k++) {
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
