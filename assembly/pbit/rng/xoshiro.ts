// Ideal random source: fresh 32-bit words from the chain's eight-generator
// xoshiro128** stream (shared/xoshiro8.ts); single reads (the async schedule)
// come from the chain's scalar xoshiro128** stream.
import { xoshiroNext } from "../../shared/xoshiro";
import { xoshiro8Fill } from "../../shared/xoshiro8";

@final export class XoshiroSource {
  @inline next(i: i32, t: f64): u32 {
    return xoshiroNext();
  }

  // Draws for the p-bits members[start .. end) at time t, into out[0 ..).
  @inline fill(membersPtr: usize, start: i32, end: i32, t: f64, out: usize): void {
    xoshiro8Fill(out, end - start);
  }
}
