// Ideal random source: one xoshiro128** stream per chain, 32 fresh bits per read.
import { xoshiroNext, xoshiroFill } from "../../shared/xoshiro";

@final export class XoshiroSource {
  @inline next(i: i32, t: f64): u32 {
    return xoshiroNext();
  }

  // Draws for the p-bits members[start .. end) at time t, into out[0 ..).
  @inline fill(membersPtr: usize, start: i32, end: i32, t: f64, out: usize): void {
    xoshiroFill(out, end - start);
  }
}
