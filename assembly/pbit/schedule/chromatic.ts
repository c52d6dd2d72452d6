// Chromatic (block) Gibbs: colour classes in turn; inside a class no two
// p-bits are coupled, so updating them in place is the same as in parallel.
import * as chip from "../chip";
import { updateBlock } from "../field";
import { recordSample } from "../record";

export function chromaticSweeps<R, E>(rng: R, ev: E, sweeps: i32, thin: i32, outPtr: usize): void {
  const members = chip.membersPtr;
  const classStart = chip.classStartPtr;
  const state = chip.statePtr;
  const rand = chip.randPtr;
  const rec = chip.recPtr, nbr = chip.nbrPtr, w = chip.wPtr;
  const nClasses = chip.nClasses;
  const spc = chip.secondsPerCycle;
  let row = 0;
  let t = chip.chainTime;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    for (let c = 0; c < nClasses; c++) {
      const start = load<i32>(classStart + (usize(c) << 2));
      const end = load<i32>(classStart + (usize(c + 1) << 2));
      rng.fill(members, start, end, t, rand + (usize(start) << 2));
      const flips = updateBlock<E>(ev, members, start, end, state, state, rand, rec, nbr, w);
      const rowPtr = chip.classCountsPtr + usize(c * chip.NUM_COUNTERS) * 8;
      chip.addCounts(rowPtr);
      chip.count(chip.C_FLIPS, flips);
      t += f64(load<u64>(rowPtr + (usize(chip.C_CLOCK_CYCLES) << 3))) * spc;
    }
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
