// Activations turn the p-bit's input x (chip units, gain and offset applied)
// into a comparator threshold T in [0, 2^32]: the p-bit outputs +1 when a
// 32-bit random number r satisfies r < T, so P(+1) = T / 2^32 = sigmoid(2x).
import { lutPtr, lutEntries, lutInvStep, compareBits } from "./chip";

const TWO32: u64 = 0x100000000;

// Exact logistic, rounded to the comparator's resolution.
@final export class ExactActivation {
  @inline threshold(x: f64): u64 {
    const p = 1.0 / (1.0 + Math.exp(-2.0 * x));
    const shift = 32 - compareBits;
    const scale = f64(u64(1) << u64(compareBits));
    return u64(Math.floor(p * scale + 0.5)) << u64(shift);
  }
}

// Lookup table indexed by |x| (nearest entry), sign by symmetry, as in the
// FPGA p-bit's tanh LUT. The host fills the table (already rounded).
@final export class LutActivation {
  @inline threshold(x: f64): u64 {
    const ax = Math.abs(x);
    let idx = i32(ax * lutInvStep + 0.5);
    const last = lutEntries - 1;
    if (idx > last || idx < 0) idx = last; // idx < 0 only from overflow of a huge |x|
    const t = load<u64>(lutPtr + (usize(idx) << 3));
    return x < 0 ? TWO32 - t : t;
  }
}
