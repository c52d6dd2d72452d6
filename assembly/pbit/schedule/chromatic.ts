// Chromatic (block) Gibbs: colour classes in turn; inside a class no two
// p-bits are coupled, so updating them in place is the same as in parallel.
import {
  membersPtr, classStartPtr, classCountsPtr, statePtr, nClasses, NUM_COUNTERS,
  C_FLIPS, C_CLOCK_CYCLES, secondsPerCycle, chainTime, count, addCounts,
} from "../chip";
import * as chip from "../chip";
import { activationInput } from "../field";
import { recordSample } from "../record";

export function chromaticSweeps<R, A>(rng: R, act: A, sweeps: i32, thin: i32, outPtr: usize): void {
  let row = 0;
  let t = chainTime;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    for (let c = 0; c < nClasses; c++) {
      const start = load<i32>(classStartPtr + (usize(c) << 2));
      const end = load<i32>(classStartPtr + (usize(c + 1) << 2));
      let flips: u64 = 0;
      for (let k = start; k < end; k++) {
        const i = load<i32>(membersPtr + (usize(k) << 2));
        const x = activationInput(i, statePtr);
        const thr = act.threshold(x);
        const r = rng.next(i, t);
        const sp = statePtr + (usize(i) << 3);
        const next: f64 = u64(r) < thr ? 1.0 : -1.0;
        flips += u64(next != load<f64>(sp));
        store<f64>(sp, next);
      }
      const rowPtr = classCountsPtr + usize(c * NUM_COUNTERS) * 8;
      addCounts(rowPtr);
      count(C_FLIPS, flips);
      t += f64(load<u64>(rowPtr + (usize(C_CLOCK_CYCLES) << 3))) * secondsPerCycle;
    }
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
