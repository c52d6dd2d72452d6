// Synchronous: every active p-bit updates at once from the previous state.
// Coupled p-bits then react to each other's stale values, which is what makes
// antiferromagnetic pairs oscillate instead of sampling.
import * as chip from "../chip";
import { updateBlock } from "../field";
import { recordSample } from "../record";

export function synchronousSweeps<R, E>(rng: R, ev: E, sweeps: i32, thin: i32, outPtr: usize): void {
  const n = chip.n;
  const free = chip.nFree; // clamped p-bits are not in members[0 .. free)
  const all = chip.membersPtr; // every active p-bit (grouped by class; order is irrelevant here)
  const state = chip.statePtr;
  const prev = chip.prevPtr;
  const rand = chip.randPtr;
  const rec = chip.recPtr, nbr = chip.nbrPtr, w = chip.wPtr;
  const phaseSeconds = f64(load<u64>(chip.syncCountsPtr + (usize(chip.C_CLOCK_CYCLES) << 3))) * chip.secondsPerCycle;
  let row = 0;
  let t = chip.chainTime;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    memory.copy(prev, state, usize(n));
    rng.fill(all, 0, free, t, rand);
    const flips = updateBlock<E>(ev, all, 0, free, prev, state, rand, rec, nbr, w);
    chip.addCounts(chip.syncCountsPtr);
    chip.count(chip.C_FLIPS, flips);
    t += phaseSeconds;
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
