// The grid path for float evaluators (the ideal chip's exact logistic, and
// LUT chips with analog mismatch): the layout of stencil.ts with spins held as
// doubles (+-1.0), fields computed two p-bits per SIMD step in the general
// path's own order -- h, then each group of four neighbour slots added as
// (w0 s0 + w1 s1) + (w2 s2 + w3 s3) -- so the sums, and so the samples, are
// bit-identical to the general path's when its neighbour lists hold every
// slot in order (the host lays them out so for these models, driver.ts).
import * as chip from "./chip";
import { cell, toLayout, gridTiles, gridH, nOff, Wc, Wp, deltaPtr } from "./stencil";

export let fWeightPtr: usize = 0; // f64 [2][tiles][H][nOff][Wp] weights (chip units)
let fBiasPtr: usize = 0; // f64 [2][tiles][H][Wp] bias, gain, offset: copied from the records
let fGainPtr: usize = 0;
let fOffPtr: usize = 0;
let xPtr: usize = 0; // f64 [Wp] one row's activation inputs
let heldPtr: usize = 0; // f64 [tiles][H][Wp] one class's new spins, held back (synchronous schedule)

// After gridAllocate(.., floatSpins = 1).
export function gridFloatAllocate(): void {
  const cells = u64(2 * gridTiles) * u64(gridH) * u64(Wp);
  fWeightPtr = chip.allocZeroed((cells * u64(nOff)) << 3);
  fBiasPtr = chip.allocZeroed(cells << 3);
  fGainPtr = chip.allocZeroed(cells << 3);
  fOffPtr = chip.allocZeroed(cells << 3);
  xPtr = chip.allocZeroed((u64(Wp) << 3) + 32);
  heldPtr = chip.allocZeroed(((u64(gridTiles) * u64(gridH) * u64(Wp)) << 3) + 32);
}

// Bias, gain and offset of every p-bit from the records (after programming and mismatch).
export function gridFloatFromRecords(): void {
  const W = chip.n / (gridTiles * gridH);
  for (let t = 0; t < gridTiles; t++) {
    for (let y = 0; y < gridH; y++) {
      for (let x = 0; x < W; x++) {
        const r = chip.recPtr + usize((t * gridH + y) * W + x) * usize(chip.REC_SIZE);
        const at = (usize((((x + y) & 1) * gridTiles + t) * gridH + y) * usize(Wp) + usize(x >> 1)) << 3;
        store<f64>(fBiasPtr + at, load<f64>(r, chip.REC_H));
        store<f64>(fGainPtr + at, load<f64>(r, chip.REC_GAIN));
        store<f64>(fOffPtr + at, load<f64>(r, chip.REC_XOFF));
      }
    }
  }
}

// One row's activation inputs x = gain * saturate(h + sum w s) + offset, two p-bits per step.
@inline function rowInputs(c: i32, t: i32, y: i32, p: i32): void {
  const at = cell(c, t, y, 0);
  const rowCells = usize(((c * gridTiles + t) * gridH + y) * Wp) << 3;
  const wRow = fWeightPtr + rowCells * usize(nOff);
  const dl = deltaPtr + (usize((c * 2 + p) * nOff) << 2);
  const no = nOff;
  const wStride = usize(Wp) << 3; // bytes between one slot's row of weights and the next's
  const lim = f64x2.splat(chip.accMax);
  const nlim = f64x2.splat(-chip.accMax);
  const clamp = chip.accMax < Infinity;
  let j0 = 0;
  // Four p-bits per step where the row allows (each group's deltas serve both pairs), then two.
  for (; j0 + 4 <= Wp; j0 += 4) {
    const off = usize(j0) << 3;
    let acc = v128.load(fBiasPtr + rowCells + off);
    let acc2 = v128.load(fBiasPtr + rowCells + off, 16);
    const base = at + off;
    let wq = wRow + off;
    for (let o = 0; o < no; o += 4) {
      const d = dl + (usize(o) << 2);
      const s0 = base + usize(load<i32>(d));
      const s1 = base + usize(load<i32>(d, 4));
      const s2 = base + usize(load<i32>(d, 8));
      const s3 = base + usize(load<i32>(d, 12));
      const t0 = f64x2.mul(v128.load(wq), v128.load(s0));
      const t1 = f64x2.mul(v128.load(wq + wStride), v128.load(s1));
      const t2 = f64x2.mul(v128.load(wq + 2 * wStride), v128.load(s2));
      const t3 = f64x2.mul(v128.load(wq + 3 * wStride), v128.load(s3));
      acc = f64x2.add(acc, f64x2.add(f64x2.add(t0, t1), f64x2.add(t2, t3)));
      const u0 = f64x2.mul(v128.load(wq, 16), v128.load(s0, 16));
      const u1 = f64x2.mul(v128.load(wq + wStride, 16), v128.load(s1, 16));
      const u2 = f64x2.mul(v128.load(wq + 2 * wStride, 16), v128.load(s2, 16));
      const u3 = f64x2.mul(v128.load(wq + 3 * wStride, 16), v128.load(s3, 16));
      acc2 = f64x2.add(acc2, f64x2.add(f64x2.add(u0, u1), f64x2.add(u2, u3)));
      wq += 4 * wStride;
    }
    if (clamp) {
      acc = f64x2.pmax(f64x2.pmin(acc, lim), nlim);
      acc2 = f64x2.pmax(f64x2.pmin(acc2, lim), nlim);
    }
    v128.store(xPtr + off, f64x2.add(f64x2.mul(acc, v128.load(fGainPtr + rowCells + off)), v128.load(fOffPtr + rowCells + off)));
    v128.store(xPtr + off, f64x2.add(f64x2.mul(acc2, v128.load(fGainPtr + rowCells + off, 16)), v128.load(fOffPtr + rowCells + off, 16)), 16);
  }
  for (; j0 < Wp; j0 += 2) {
    const off = usize(j0) << 3;
    let acc = v128.load(fBiasPtr + rowCells + off);
    const base = at + off;
    let wq = wRow + off;
    for (let o = 0; o < no; o += 4) {
      const d = dl + (usize(o) << 2);
      const t0 = f64x2.mul(v128.load(wq), v128.load(base + usize(load<i32>(d))));
      const t1 = f64x2.mul(v128.load(wq + wStride), v128.load(base + usize(load<i32>(d, 4))));
      const t2 = f64x2.mul(v128.load(wq + 2 * wStride), v128.load(base + usize(load<i32>(d, 8))));
      const t3 = f64x2.mul(v128.load(wq + 3 * wStride), v128.load(base + usize(load<i32>(d, 12))));
      acc = f64x2.add(acc, f64x2.add(f64x2.add(t0, t1), f64x2.add(t2, t3)));
      wq += 4 * wStride;
    }
    // Saturation as the scalar path's branches: pmin/pmax (b < a ? b : a), skipped for float64 accumulators.
    if (clamp) acc = f64x2.pmax(f64x2.pmin(acc, lim), nlim);
    v128.store(xPtr + off, f64x2.add(f64x2.mul(acc, v128.load(fGainPtr + rowCells + off)), v128.load(fOffPtr + rowCells + off)));
  }
}

// One class's updates (see stencil.ts classPass): into the layout with flips counted, or held
// back in heldPtr for the synchronous schedule.
@inline function floatClassPass<F>(act: F, c: i32, k0: i32, hold: bool): i32 {
  const rand = chip.randPtr;
  let k = k0;
  let flips: i32 = 0;
  for (let tile = 0; tile < gridTiles; tile++) {
    for (let y = 0; y < gridH; y++) {
      rowInputs(c, tile, y, (y + c) & 1);
      const rr = rand + (usize(k) << 2);
      const at = hold ? heldPtr + (usize((tile * gridH + y) * Wp) << 3) : cell(c, tile, y, 0);
      const wc = Wc;
      let j = 0;
      // Two p-bits per step; an odd last one alone (its neighbour lane is the right halo).
      for (; j + 2 <= wc; j += 2) {
        const d = act.decide2(v128.load64_zero(rr + (usize(j) << 2)), v128.load(xPtr + (usize(j) << 3)));
        const sp = at + (usize(j) << 3);
        const next = v128.bitselect(f64x2.splat(1.0), f64x2.splat(-1.0), d);
        if (!hold) flips += i32(popcnt<u32>(u32(i64x2.bitmask(f64x2.ne(next, v128.load(sp))))));
        v128.store(sp, next);
      }
      if (j < wc) {
        const next = f64((act.decide(load<u32>(rr + (usize(j) << 2)), load<f64>(xPtr + (usize(j) << 3))) << 1) - 1);
        const sp = at + (usize(j) << 3);
        if (!hold) flips += i32(next != load<f64>(sp));
        store<f64>(sp, next);
      }
      k += wc;
    }
  }
  return flips;
}

function releaseHeldFloat(c: i32): i32 {
  let flips: i32 = 0;
  for (let tile = 0; tile < gridTiles; tile++) {
    for (let y = 0; y < gridH; y++) {
      const at = cell(c, tile, y, 0);
      const src = heldPtr + (usize((tile * gridH + y) * Wp) << 3);
      for (let j = 0; j < Wc; j++) {
        const next = load<f64>(src + (usize(j) << 3));
        flips += i32(next != load<f64>(at + (usize(j) << 3)));
        store<f64>(at + (usize(j) << 3), next);
      }
    }
  }
  return flips;
}

// The float grid path as a pass for the sweep drivers (schedule/grid.ts).
@final export class FloatPass<F> {
  constructor(readonly act: F) {}
  begin(): void {
    toLayout();
  }
  @inline update(c: i32, k0: i32, hold: bool): i32 {
    return floatClassPass<F>(this.act, c, k0, hold);
  }
  @inline release(c: i32): i32 {
    return releaseHeldFloat(c);
  }
}
