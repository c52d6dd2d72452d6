// One 32-bit LFSR per p-bit, as in the FPGA p-computer's RTL
// (navidaadit/distributed-p-computers, hardware/rtl_example/LFSR_n.sv): a
// Fibonacci register shifting left with XNOR feedback from taps 32, 22, 2, 1
// (bits 31, 21, 1, 0), so the all-ones word is the lock-up state. The p-bit
// compares the whole register against its threshold and the register then
// shifts: at a clock edge the comparator sees the value before the edge
// (non-blocking assignment). Consecutive reads share bits unless the register
// shifted 32 times in between: that correlation is the point of modelling it.
import { allocZeroed } from "../chip";
import { xoshiroNext } from "../../shared/xoshiro";

export let statePtr: usize = 0; // u32[n]
let shiftsPerRead: i32 = 1;

export function lfsrAllocate(n: i32): void {
  statePtr = allocZeroed(u64(n < 2 ? 2 : n) << 2);
}

export function lfsrSetShifts(k: i32): void {
  shiftsPerRead = k;
}

// Seed every register from the chain's ideal stream (never the lock-up word).
export function lfsrSeed(n: i32): void {
  for (let i = 0; i < n; i++) {
    let s = xoshiroNext();
    if (s == 0xffffffff) s = 0x1234567;
    store<u32>(statePtr + (usize(i) << 2), s);
  }
}

@inline function step(s: u32): u32 {
  const fb = ~((s >> 31) ^ (s >> 21) ^ (s >> 1) ^ s) & 1;
  return (s << 1) | fb;
}

@final export class Lfsr32Source {
  @inline next(i: i32, t: f64): u32 {
    const p = statePtr + (usize(i) << 2);
    const out = load<u32>(p);
    let s = out;
    for (let k = 0; k < shiftsPerRead; k++) s = step(s);
    store<u32>(p, s);
    return out;
  }

  @inline fill(membersPtr: usize, start: i32, end: i32, t: f64, out: usize): void {
    const k = shiftsPerRead;
    const base = statePtr;
    for (let j = start; j < end; j++) {
      const p = base + (usize(load<i32>(membersPtr + (usize(j) << 2))) << 2);
      const v = load<u32>(p);
      let s = v;
      for (let m = 0; m < k; m++) s = step(s);
      store<u32>(p, s);
      store<u32>(out + (usize(j - start) << 2), v);
    }
  }
}
