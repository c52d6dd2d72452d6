// Ideal random source: one xoshiro128** stream per chain, 32 fresh bits per read.
import { xoshiroNext } from "../../shared/xoshiro";

@final export class XoshiroSource {
  @inline next(i: i32, t: f64): u32 {
    return xoshiroNext();
  }
}
