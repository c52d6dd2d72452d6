// Stochastic-MTJ style telegraph source: each p-bit's random value is redrawn
// at Poisson events of mean spacing `dwell` (seconds) and held in between, so
// reads closer together than the dwell time see the same value: the
// autocorrelation of the source at lag dt is exp(-dt / dwell).
import { allocZeroed } from "../chip";
import { xoshiroNext, xoshiroUnitOpen } from "../../shared/xoshiro";

let valuePtr: usize = 0; // u32[n] current value
let nextPtr: usize = 0; // f64[n] time of the next redraw
let dwell: f64 = 1e-9;
export let refreshes: u64 = 0; // diagnostic: redraw events seen at reads

export function telegraphAllocate(n: i32, dwellSeconds: f64): void {
  const m = u64(n < 1 ? 1 : n);
  valuePtr = allocZeroed(m << 2);
  nextPtr = allocZeroed(m << 3);
  dwell = dwellSeconds;
}

// Memorylessness lets every chain start in the stationary state at t = 0.
export function telegraphSeed(n: i32): void {
  for (let i = 0; i < n; i++) {
    store<u32>(valuePtr + (usize(i) << 2), xoshiroNext());
    store<f64>(nextPtr + (usize(i) << 3), -dwell * Math.log(xoshiroUnitOpen()));
  }
}

@final export class TelegraphSource {
  @inline next(i: i32, t: f64): u32 {
    const tp = nextPtr + (usize(i) << 3);
    const vp = valuePtr + (usize(i) << 2);
    if (t >= load<f64>(tp)) {
      // At least one redraw happened since the last read; by memorylessness the
      // wait from now to the following one is again exponential.
      store<u32>(vp, xoshiroNext());
      store<f64>(tp, t - dwell * Math.log(xoshiroUnitOpen()));
      refreshes++;
    }
    return load<u32>(vp);
  }

  @inline fill(membersPtr: usize, start: i32, end: i32, t: f64, out: usize): void {
    for (let j = start; j < end; j++) {
      store<u32>(out + (usize(j - start) << 2), this.next(load<i32>(membersPtr + (usize(j) << 2)), t));
    }
  }
}
