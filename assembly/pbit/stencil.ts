// The grid path of the chromatic schedule: chips whose p-bits fill an offset
// grid (every p-bit active, the checkerboard colouring, 8-bit weight codes),
// laid out as the hardware is, so a p-bit's neighbours sit at fixed offsets.
//
// Layout. Colour class c of tile t is a compact grid of H rows x Wc = W/2
// columns: the class-c p-bit of row y at column j is x = 2j + ((y + c) & 1).
// Spins are held as masks (0 for +1, -1 for -1). Rows are stored with a stride of S bytes, between HR halo rows above and
// below and HC halo columns left and right (copies of the far side on a
// torus, zeros on an open grid). The neighbour at offset (dx, dy) of a
// class-c p-bit in a row of parity p = (y + c) & 1 is then in the other
// class's grid at row y + dy, column j + floor((p + dx) / 2): one constant
// address delta per (class, parity, offset).
//
// Fields are recomputed every update, 16 p-bits per SIMD step (int8 codes x
// spins, widened to int16, summed in offset order: exact integers, so the
// order changes nothing). The decision per p-bit is the general path's own
// (codeThreshold and the comparator, on the same draw: class members are in
// row-major order, which is the layout's), so the samples are bit-identical
// to the general path's; only the time differs.
import * as chip from "./chip";
import { codeThreshold } from "./activation";

export let gridW: i32 = 0;
export let gridH: i32 = 0;
export let gridTiles: i32 = 0;
export let gridWrap: bool = false;
export let nOff: i32 = 0;
export let Wc: i32 = 0; // class columns per row
export let Wp: i32 = 0; // Wc rounded up to the SIMD block (16 masks, 2 doubles)
export let HR: i32 = 0; // halo rows
export let HC: i32 = 0; // halo columns
export let S: i32 = 0; // row stride (bytes)
export let R: i32 = 0; // rows per (class, tile) block, halos included
export let esz: i32 = 1; // bytes per cell: 1 (integer path: spin masks) or 8 (float path: spins as doubles)
// [2][tiles][R][S] spins: masks 0 / -1 for +1 / -1 (integer path) or +-1.0 (float path); open-grid halos hold 0
export let spinPtr: usize = 0;
export let weightPtr: usize = 0; // i8 [2][tiles][H][nOff][Wp] weight codes
export let biasPtr: usize = 0; // i16 [2][tiles][H][Wp] bias codes
export let deltaPtr: usize = 0; // i32 [2][2][nOff] neighbour address deltas, by (class, parity, offset)
let scratchPtr: usize = 0; // i16 [Wp] one row's fields
let nextPtr: usize = 0; // i8 [Wp] one row's new spins
let thrPtr: usize = 0; // u64 [2 lim + 1] signed comparator thresholds by accumulator code
let thrLim: i32 = 0; // codes saturate at +-thrLim
let heldPtr: usize = 0; // i8 [tiles][H][Wp] one class's new spins, held back (synchronous schedule)
let thrRowPtr: usize = 0; // u64 [Wp] one row's thresholds

// After chip.allocate: the grid's shape and halos. The host fills weights,
// biases and deltas through the pointers.
export function gridAllocate(w: i32, h: i32, tiles: i32, wrap: i32, offsets: i32, haloRows: i32, haloCols: i32, floatSpins: i32): void {
  gridW = w;
  gridH = h;
  gridTiles = tiles;
  gridWrap = wrap != 0;
  nOff = offsets;
  esz = floatSpins != 0 ? 8 : 1;
  Wc = w >> 1;
  Wp = floatSpins != 0 ? (Wc + 1) & ~1 : (Wc + 15) & ~15;
  HR = haloRows;
  HC = haloCols;
  // Room past the right halo for the 16-byte halo copies (refresh) and the junk lanes' reads.
  S = ((Wp + 2 * HC) * esz + 32 + 15) & ~15;
  R = h + 2 * HR;
  spinPtr = chip.allocZeroed(u64(2 * tiles) * u64(R) * u64(S) + 64);
  if (floatSpins != 0) return; // the float path's arrays: stencil-float.ts
  weightPtr = chip.allocZeroed(u64(2 * tiles) * u64(h) * u64(offsets) * u64(Wp));
  biasPtr = chip.allocZeroed(u64(2 * tiles) * u64(h) * u64(Wp) * 2);
  deltaPtr = chip.allocZeroed(u64(4 * offsets) * 4);
  scratchPtr = chip.allocZeroed(u64(Wp) * 2 + 32);
  nextPtr = chip.allocZeroed(u64(Wp) + 32);
  heldPtr = chip.allocZeroed(u64(tiles) * u64(h) * u64(Wp) + 32);
  thrRowPtr = chip.allocZeroed((u64(Wp) << 3) + 32);
  // Fields fit 16 bits (the host checks), so saturation past 32767 never happens.
  thrLim = min<i32>(chip.accMaxCode, 32767);
  thrPtr = chip.allocZeroed(u64(2 * thrLim + 1) << 3);
}

// Threshold of every saturated code, signed for the comparator: the per-p-bit
// work is then one table read and one comparison (codeThreshold, tabulated).
function tabulate<C>(cmp: C): void {
  for (let a = -thrLim; a <= thrLim; a++) store<u64>(thrPtr + (usize(a + thrLim) << 3), codeThreshold<C>(cmp, a));
}

export function gridRowStride(): i32 { return S; }
export function gridBlockRows(): i32 { return R; }
export function gridHaloRows(): i32 { return HR; }
export function gridHaloCols(): i32 { return HC; }
export function gridPaddedColumns(): i32 { return Wp; }

// Byte address of the layout cell of (class, tile, row y, column j); y and j may lie in the halos.
@inline export function cell(c: i32, t: i32, y: i32, j: i32): usize {
  return spinPtr + usize(((c * gridTiles + t) * R + y + HR) * S + (j + HC) * esz);
}

// One stored row (S bytes, a multiple of 16), 16 bytes at a time.
@inline function copyRow(to: usize, from: usize): void {
  for (let b = 0; b < S; b += 16) v128.store(to + usize(b), v128.load(from + usize(b)));
}

// Halo copies of one class's grids (tori only: an open grid's halos stay 0).
export function refresh(c: i32): void {
  if (!gridWrap) return;
  const hb = HC * esz; // halo bytes each side
  const wb = Wc * esz; // row bytes
  for (let t = 0; t < gridTiles; t++) {
    for (let y = 0; y < gridH; y++) {
      const row = cell(c, t, y, 0);
      if (Wc >= HC) {
        // 16 bytes at a time (memory.copy is a call into V8, costly at this size). The copies
        // round up to 16 bytes: the left one also writes the previous row's last padding bytes,
        // the right one this row's junk lanes and padding, none of which hold a p-bit's spin.
        for (let b = 16; b < hb + 16; b += 16) v128.store(row - usize(b), v128.load(row + usize(wb - b)));
        for (let b = 0; b < hb; b += 16) v128.store(row + usize(wb + b), v128.load(row + usize(b)));
      } else {
        // Narrower than the halo: the copies wrap more than once.
        for (let q = 1; q <= HC; q++) {
          memory.copy(row - usize(q * esz), row + usize(((((-q) % Wc) + Wc) % Wc) * esz), usize(esz));
          memory.copy(row + usize((Wc - 1 + q) * esz), row + usize(((q - 1) % Wc) * esz), usize(esz));
        }
      }
    }
    for (let q = 1; q <= HR; q++) {
      copyRow(cell(c, t, -q, -HC), cell(c, t, (((-q) % gridH) + gridH) % gridH, -HC));
      copyRow(cell(c, t, gridH - 1 + q, -HC), cell(c, t, (q - 1) % gridH, -HC));
    }
  }
}

// The spins between the p-bit array (statePtr, p-bit order) and the layout.
export function toLayout(): void {
  const s = chip.statePtr;
  for (let t = 0; t < gridTiles; t++) {
    for (let y = 0; y < gridH; y++) {
      const i0 = (t * gridH + y) * gridW;
      for (let x = 0; x < gridW; x++) {
        const v = load<i8>(s + usize(i0 + x));
        const p = cell((x + y) & 1, t, y, x >> 1);
        if (esz == 1) store<i8>(p, v >> 1);
        else store<f64>(p, f64(v));
      }
    }
  }
  refresh(0);
  refresh(1);
}

export function fromLayout(): void {
  const s = chip.statePtr;
  for (let t = 0; t < gridTiles; t++) {
    for (let y = 0; y < gridH; y++) {
      const i0 = (t * gridH + y) * gridW;
      for (let x = 0; x < gridW; x++) {
        const p = cell((x + y) & 1, t, y, x >> 1);
        store<i8>(s + usize(i0 + x), esz == 1 ? (load<i8>(p) << 1) | 1 : i8(load<f64>(p)));
      }
    }
  }
}

// One class's fields for a row, into scratch (int16, Wp lanes; lanes past Wc are junk).
@inline function rowFields(c: i32, t: i32, y: i32, p: i32): void {
  const at = cell(c, t, y, 0);
  const wRow = weightPtr + usize(((c * gridTiles + t) * gridH + y) * nOff * Wp);
  const bRow = biasPtr + (usize(((c * gridTiles + t) * gridH + y) * Wp) << 1);
  const dl = deltaPtr + (usize((c * 2 + p) * nOff) << 2);
  const no = nOff;
  const wp = Wp;
  const lim = i16x8.splat(i16(thrLim));
  const nlim = i16x8.splat(i16(-thrLim));
  let j0 = 0;
  // Two 16-blocks per pass where the row allows: each delta load and loop step serves 32 p-bits.
  for (; j0 + 32 <= wp; j0 += 32) {
    let lo = v128.load(bRow + (usize(j0) << 1));
    let hi = v128.load(bRow + (usize(j0) << 1), 16);
    let lo2 = v128.load(bRow + (usize(j0) << 1), 32);
    let hi2 = v128.load(bRow + (usize(j0) << 1), 48);
    const base = at + usize(j0);
    let wq = wRow + usize(j0);
    for (let o = 0; o < no; o++) {
      const sp = base + usize(load<i32>(dl + (usize(o) << 2)));
      const m = v128.load(sp);
      const m2 = v128.load(sp, 16);
      const ws = i8x16.sub(v128.xor(v128.load(wq), m), m);
      const ws2 = i8x16.sub(v128.xor(v128.load(wq, 16), m2), m2);
      lo = i16x8.add(lo, i16x8.extend_low_i8x16_s(ws));
      hi = i16x8.add(hi, i16x8.extend_high_i8x16_s(ws));
      lo2 = i16x8.add(lo2, i16x8.extend_low_i8x16_s(ws2));
      hi2 = i16x8.add(hi2, i16x8.extend_high_i8x16_s(ws2));
      wq += usize(wp);
    }
    // Saturated here, in SIMD, so the table needs no clamp.
    const out = scratchPtr + (usize(j0) << 1);
    v128.store(out, i16x8.max_s(i16x8.min_s(lo, lim), nlim));
    v128.store(out, i16x8.max_s(i16x8.min_s(hi, lim), nlim), 16);
    v128.store(out, i16x8.max_s(i16x8.min_s(lo2, lim), nlim), 32);
    v128.store(out, i16x8.max_s(i16x8.min_s(hi2, lim), nlim), 48);
  }
  if (j0 < wp) {
    let lo = v128.load(bRow + (usize(j0) << 1));
    let hi = v128.load(bRow + (usize(j0) << 1), 16);
    const base = at + usize(j0);
    let wq = wRow + usize(j0);
    for (let o = 0; o < no; o++) {
      // w s for s = +-1 held as a mask m (0 or -1): (w ^ m) - m, exact in int8 (|w| <= 127).
      const m = v128.load(base + usize(load<i32>(dl + (usize(o) << 2))));
      const ws = i8x16.sub(v128.xor(v128.load(wq), m), m);
      lo = i16x8.add(lo, i16x8.extend_low_i8x16_s(ws));
      hi = i16x8.add(hi, i16x8.extend_high_i8x16_s(ws));
      wq += usize(wp);
    }
    const out = scratchPtr + (usize(j0) << 1);
    v128.store(out, i16x8.max_s(i16x8.min_s(lo, lim), nlim));
    v128.store(out, i16x8.max_s(i16x8.min_s(hi, lim), nlim), 16);
  }
}

// One class's updates from the spins now in the layout, rows in the class's member order
// (draws rand[k0 ..]). Unless hold, the new spins go into the layout and the flips are counted;
// with hold they wait in heldPtr (the synchronous schedule: the other class must still read
// the old ones) and releaseHeld counts them.
@inline function classPass<C>(cmp: C, c: i32, k0: i32, tbl: usize, hold: bool, tailMask: v128): i32 {
  const rand = chip.randPtr;
  const sc = scratchPtr;
  const tb = thrRowPtr;
  let k = k0;
  let flips: i32 = 0;
  for (let tile = 0; tile < gridTiles; tile++) {
    for (let y = 0; y < gridH; y++) {
      rowFields(c, tile, y, (y + c) & 1);
      const at = cell(c, tile, y, 0);
      const rr = rand + (usize(k) << 2);
      const nb = hold ? heldPtr + usize((tile * gridH + y) * Wp) : nextPtr;
      const wc = Wc;
      // The thresholds of the row's codes (scalar table reads: WASM has no gather), then the
      // comparisons 16 at a time, packed into the new spin masks.
      for (let j = 0; j < wc; j += 2) {
        const f = load<u32>(sc + (usize(j) << 1));
        store<u64>(tb + (usize(j) << 3), load<u64>(tbl + (usize(i32(i16(f))) << 3)));
        store<u64>(tb + (usize(j) << 3), load<u64>(tbl + (usize(i32(f) >> 16) << 3)), 8);
      }
      for (let j0 = 0; j0 < wc; j0 += 16) {
        const m0 = pair<C>(cmp, rr, tb, j0), m1 = pair<C>(cmp, rr, tb, j0 + 2);
        const m2 = pair<C>(cmp, rr, tb, j0 + 4), m3 = pair<C>(cmp, rr, tb, j0 + 6);
        const m4 = pair<C>(cmp, rr, tb, j0 + 8), m5 = pair<C>(cmp, rr, tb, j0 + 10);
        const m6 = pair<C>(cmp, rr, tb, j0 + 12), m7 = pair<C>(cmp, rr, tb, j0 + 14);
        // 64-bit lane masks -> bytes (signed saturation keeps 0 and -1), then accept -> mask 0.
        const a = i16x8.narrow_i32x4_s(low32(m0, m1), low32(m2, m3));
        const b = i16x8.narrow_i32x4_s(low32(m4, m5), low32(m6, m7));
        v128.store(nb + usize(j0), v128.not(i8x16.narrow_i16x8_s(a, b)));
      }
      if (!hold) flips += placeRow(at, nb, tailMask);
      k += wc;
    }
  }
  return flips;
}

// The accept masks (64-bit lanes) of p-bits j, j+1 of a row.
@inline function pair<C>(cmp: C, rr: usize, tb: usize, j: i32): v128 {
  return cmp.accept2(i64x2.extend_low_i32x4_u(v128.load64_zero(rr + (usize(j) << 2))), v128.load(tb + (usize(j) << 3)));
}

// The low 32 bits of each 64-bit lane of a and b, as four 32-bit lanes.
@inline function low32(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

// New spins of a row into the layout, flips counted, 16 at a time (the last block's lanes past
// Wc keep their bytes: halos, padding).
@inline function placeRow(at: usize, nb: usize, tailMask: v128): i32 {
  const last = Wp - 16;
  let flips: i32 = 0;
  for (let j0 = 0; j0 <= last; j0 += 16) {
    const old = v128.load(at + usize(j0));
    let next = v128.load(nb + usize(j0));
    if (j0 == last) next = v128.bitselect(next, old, tailMask);
    flips += i32(popcnt<u32>(u32(i8x16.bitmask(i8x16.ne(old, next)))));
    v128.store(at + usize(j0), next);
  }
  return flips;
}

function releaseHeld(c: i32, tailMask: v128): i32 {
  let flips: i32 = 0;
  for (let tile = 0; tile < gridTiles; tile++) {
    for (let y = 0; y < gridH; y++) flips += placeRow(cell(c, tile, y, 0), heldPtr + usize((tile * gridH + y) * Wp), tailMask);
  }
  return flips;
}

@inline function tailMaskOf(): v128 {
  const tail = Wc - (Wp - 16);
  return i8x16.gt_s(i8x16.splat(i8(tail)), v128(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
}

// The integer grid path as a pass for the sweep drivers (schedule/grid.ts): one colour class
// updated into the layout, or held back and released later.
@final export class IntPass<C> {
  tbl: usize = 0;
  tailMask: v128 = i8x16.splat(0);
  constructor(readonly cmp: C) {}
  // Before a run: thresholds tabulated for this comparator, the layout filled from the state.
  begin(): void {
    toLayout();
    tabulate<C>(this.cmp);
    this.tbl = thrPtr + (usize(thrLim) << 3); // indexed by the signed code
    this.tailMask = tailMaskOf();
  }
  @inline update(c: i32, k0: i32, hold: bool): i32 {
    return classPass<C>(this.cmp, c, k0, this.tbl, hold, this.tailMask);
  }
  @inline release(c: i32): i32 {
    return releaseHeld(c, this.tailMask);
  }
}
