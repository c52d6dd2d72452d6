// The chromatic and synchronous schedules on the grid layout, for both grid
// paths: P is a pass (stencil.ts IntPass, stencil-float.ts FloatPass) that
// updates one colour class from the spins in the layout, into the layout or
// held back. Draws, counters and time are the general schedules' own.
import * as chip from "../chip";
import { fromLayout, refresh } from "../stencil";
import { recordSample } from "../record";

export function gridSweeps<R, P>(rng: R, pass: P, sync: bool, sweeps: i32, thin: i32, outPtr: usize): void {
  pass.begin();
  const members = chip.membersPtr;
  const classStart = chip.classStartPtr;
  const rand = chip.randPtr;
  const spc = chip.secondsPerCycle;
  const split = load<i32>(classStart, 4);
  const syncSeconds = f64(load<u64>(chip.syncCountsPtr + (usize(chip.C_CLOCK_CYCLES) << 3))) * spc;
  let row = 0;
  let t = chip.chainTime;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    if (sync) {
      // Every p-bit from the previous state: class 1 is computed first and held back, class 0
      // then updates in place (its neighbours, class 1, still hold their old spins), then class
      // 1's new spins go in. One fill for all members, class 0's draws first.
      rng.fill(members, 0, chip.nFree, t, rand);
      pass.update(1, split, true);
      const flips = pass.update(0, 0, false) + pass.release(1);
      refresh(0);
      refresh(1);
      chip.addCounts(chip.syncCountsPtr);
      chip.count(chip.C_FLIPS, u64(flips));
      t += syncSeconds;
    } else {
      for (let c = 0; c < 2; c++) {
        const start = load<i32>(classStart + (usize(c) << 2));
        const end = load<i32>(classStart + (usize(c + 1) << 2));
        rng.fill(members, start, end, t, rand + (usize(start) << 2));
        const flips = pass.update(c, start, false);
        refresh(c);
        const rowPtr = chip.classCountsPtr + usize(c * chip.NUM_COUNTERS) * 8;
        chip.addCounts(rowPtr);
        chip.count(chip.C_FLIPS, u64(flips));
        t += f64(load<u64>(rowPtr + (usize(chip.C_CLOCK_CYCLES) << 3))) * spc;
      }
    }
    if (outPtr != 0 && sweep % thin == 0) {
      fromLayout();
      recordSample(outPtr, row++);
    }
  }
  fromLayout();
  chip.chainTime = t;
}
