// Synchronous: every active p-bit updates at once from the previous state.
// Coupled p-bits then react to each other's stale values, which is what makes
// antiferromagnetic pairs oscillate instead of sampling.
import {
  n, statePtr, prevPtr, syncCountsPtr, C_FLIPS, C_CLOCK_CYCLES, secondsPerCycle,
  chainTime, count, addCounts,
} from "../chip";
import * as chip from "../chip";
import { activationInput } from "../field";
import { recordSample } from "../record";

export function synchronousSweeps<R, A>(rng: R, act: A, sweeps: i32, thin: i32, outPtr: usize): void {
  let row = 0;
  let t = chainTime;
  const phaseSeconds = f64(load<u64>(syncCountsPtr + (usize(C_CLOCK_CYCLES) << 3))) * secondsPerCycle;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    memory.copy(prevPtr, statePtr, usize(n) << 3);
    let flips: u64 = 0;
    for (let i = 0; i < n; i++) {
      const x = activationInput(i, prevPtr);
      const thr = act.threshold(x);
      const r = rng.next(i, t);
      const sp = statePtr + (usize(i) << 3);
      const next: f64 = u64(r) < thr ? 1.0 : -1.0;
      flips += u64(next != load<f64>(sp));
      store<f64>(sp, next);
    }
    addCounts(syncCountsPtr);
    count(C_FLIPS, flips);
    t += phaseSeconds;
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
