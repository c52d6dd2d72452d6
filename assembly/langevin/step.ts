// The integrators. Euler-Maruyama and Heun evaluate the drift; the exact OU
// step is a dense matrix-vector product. All loops are allocation-free.
import * as chip from "./chip";
import { normal8Fill } from "../shared/normal8";

// g(x): the node elements' outputs.
@inline function elements(x: usize): usize {
  if (chip.anyNonlinear == 0) return x;
  const g = chip.gPtr;
  for (let i = 0; i < chip.ns; i++) {
    const xi = load<f64>(x + (usize(i) << 3));
    let v = xi;
    if (load<i32>(chip.elemPtr + (usize(i) << 2)) == 1) {
      const rail = load<f64>(chip.railPtr + (usize(i) << 3));
      v = rail * Math.tanh((load<f64>(chip.gainPtr + (usize(i) << 3)) * xi) / rail);
    }
    store<f64>(g + (usize(i) << 3), v);
  }
  return g;
}

// f = -leak x + K g(x) + c
@inline function drift(x: usize, f: usize): void {
  const g = elements(x);
  const n = chip.ns;
  const off = chip.kOffPtr, idx = chip.kIdxPtr, val = chip.kValPtr, leak = chip.leakPtr, c = chip.cPtr;
  let e = load<i32>(off);
  for (let i = 0; i < n; i++) {
    const e1 = load<i32>(off + (usize(i + 1) << 2));
    let a0: f64 = load<f64>(c + (usize(i) << 3)) - load<f64>(leak + (usize(i) << 3)) * load<f64>(x + (usize(i) << 3));
    let a1: f64 = 0;
    for (; e + 1 < e1; e += 2) {
      a0 += load<f64>(val + (usize(e) << 3)) * load<f64>(g + (usize(load<i32>(idx + (usize(e) << 2))) << 3));
      a1 += load<f64>(val + (usize(e) << 3), 8) * load<f64>(g + (usize(load<i32>(idx + (usize(e) << 2), 4)) << 3));
    }
    if (e < e1) {
      a0 += load<f64>(val + (usize(e) << 3)) * load<f64>(g + (usize(load<i32>(idx + (usize(e) << 2))) << 3));
      e++;
    }
    store<f64>(f + (usize(i) << 3), a0 + a1);
  }
}

// nv = B dW for one step of length h (dW ~ N(0, h)).
@inline function noiseIncrement(sqrtH: f64): void {
  const nv = chip.nvPtr;
  memory.fill(nv, 0, usize(chip.ns) << 3);
  const off = chip.chOffPtr, idx = chip.chIdxPtr, val = chip.chValPtr, zs = chip.zwPtr;
  normal8Fill(zs, chip.nw, chip.wordsPtr);
  let e = load<i32>(off);
  for (let k = 0; k < chip.nw; k++) {
    const e1 = load<i32>(off + (usize(k + 1) << 2));
    const z = load<f64>(zs + (usize(k) << 3)) * sqrtH;
    for (; e < e1; e++) {
      const p = nv + (usize(load<i32>(idx + (usize(e) << 2))) << 3);
      store<f64>(p, load<f64>(p) + load<f64>(val + (usize(e) << 3)) * z);
    }
  }
}

// Supply rails: a node voltage cannot leave [-rail, rail].
@inline function clip(x: usize): void {
  if (chip.railNodes == 0) return;
  const rail = chip.railPtr;
  let clips: u64 = 0;
  const n = chip.ns;
  let i = 0;
  // Two nodes per step: pmin/pmax are exactly the branches below (b < a ? b : a).
  for (; i + 2 <= n; i += 2) {
    const p = x + (usize(i) << 3);
    const r = v128.load(rail + (usize(i) << 3));
    const nr = f64x2.neg(r);
    const v = v128.load(p);
    clips += u64(popcnt<u32>(u32(i64x2.bitmask(v128.or(f64x2.gt(v, r), f64x2.lt(v, nr))))));
    v128.store(p, f64x2.pmax(f64x2.pmin(v, r), nr));
  }
  for (; i < n; i++) {
    const r = load<f64>(rail + (usize(i) << 3));
    const p = x + (usize(i) << 3);
    const v = load<f64>(p);
    if (v > r) {
      store<f64>(p, r);
      clips++;
    } else if (v < -r) {
      store<f64>(p, -r);
      clips++;
    }
  }
  chip.railClips += clips;
}

// Instantaneous resistive dissipation sum G (V_i - V_j)^2 + sum G_i0 (V_i - V_ref_i)^2 (W).
export function power(x: usize): f64 {
  let p: f64 = 0;
  for (let k = 0; k < chip.nEdges; k++) {
    const d = load<f64>(x + (usize(load<i32>(chip.peIPtr + (usize(k) << 2))) << 3))
      - load<f64>(x + (usize(load<i32>(chip.peJPtr + (usize(k) << 2))) << 3));
    p += load<f64>(chip.peGPtr + (usize(k) << 3)) * d * d;
  }
  for (let i = 0; i < chip.nObs; i++) {
    const v = load<f64>(x + (usize(i) << 3)) - load<f64>(chip.pgRefPtr + (usize(i) << 3));
    p += load<f64>(chip.pgPtr + (usize(i) << 3)) * v * v;
  }
  for (let k = 0; k < chip.nAmpEdges; k++) {
    const j = load<i32>(chip.paJPtr + (usize(k) << 2));
    const g = load<f64>(chip.paGPtr + (usize(k) << 3));
    const rail = load<f64>(chip.railPtr + (usize(j) << 3));
    const out = rail * Math.tanh((load<f64>(chip.gainPtr + (usize(j) << 3)) * load<f64>(x + (usize(j) << 3))) / rail);
    const d = (g < 0 ? -out : out) - load<f64>(x + (usize(load<i32>(chip.paIPtr + (usize(k) << 2))) << 3));
    p += Math.abs(g) * d * d;
  }
  return p;
}

export function eulerStep(h: f64, sqrtH: f64): void {
  const x = chip.xPtr, f = chip.f0Ptr, nv = chip.nvPtr;
  drift(x, f);
  noiseIncrement(sqrtH);
  for (let i = 0; i < chip.ns; i++) {
    const p = x + (usize(i) << 3);
    store<f64>(p, load<f64>(p) + h * load<f64>(f + (usize(i) << 3)) + load<f64>(nv + (usize(i) << 3)));
  }
  clip(x);
}

// Heun (predictor-corrector) with additive noise: second order in the drift.
export function heunStep(h: f64, sqrtH: f64): void {
  const x = chip.xPtr, xt = chip.xtPtr, f0 = chip.f0Ptr, f1 = chip.f1Ptr, nv = chip.nvPtr;
  drift(x, f0);
  noiseIncrement(sqrtH);
  for (let i = 0; i < chip.ns; i++) {
    const o = usize(i) << 3;
    store<f64>(xt + o, load<f64>(x + o) + h * load<f64>(f0 + o) + load<f64>(nv + o));
  }
  clip(xt);
  drift(xt, f1);
  const hh = 0.5 * h;
  for (let i = 0; i < chip.ns; i++) {
    const o = usize(i) << 3;
    store<f64>(x + o, load<f64>(x + o) + hh * (load<f64>(f0 + o) + load<f64>(f1 + o)) + load<f64>(nv + o));
  }
  clip(x);
}

// Exact OU step x' = Phi x + u + L z (L lower triangular).
export function ouStep(): void {
  const n = chip.ns;
  const x = chip.xPtr, y = chip.xtPtr, z = chip.zPtr, phi = chip.phiPtr, l = chip.lPtr, u = chip.uPtr;
  normal8Fill(z, n, chip.wordsPtr);
  // Four rows at a time, two columns per SIMD lane pair (f64x2): the matrices
  // are packed by row blocks (chip.ts), so one pointer walks a block and every
  // load has a constant offset; each load of x or z serves four rows. L is
  // lower triangular: rows 4b .. 4b+3 need column pairs 0 .. 2b+1 only.
  const pairs = chip.rowStride >> 1;
  const blockBytes = usize(pairs) << 6;
  for (let b = 0; 4 * b < n; b++) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    let p = phi + usize(b) * blockBytes;
    let xp = x;
    // Two column pairs per step, summed before they meet the accumulator: half as many
    // dependent adds per row (the add latency, not the arithmetic, bounds this loop), with
    // no more registers than V8 keeps free for SIMD (eight accumulators spilled).
    let c = 0;
    for (; c + 2 <= pairs; c += 2) {
      const xv = v128.load(xp);
      const xw = v128.load(xp, 16);
      a0 = f64x2.add(a0, f64x2.add(f64x2.mul(v128.load(p), xv), f64x2.mul(v128.load(p, 64), xw)));
      a1 = f64x2.add(a1, f64x2.add(f64x2.mul(v128.load(p, 16), xv), f64x2.mul(v128.load(p, 80), xw)));
      a2 = f64x2.add(a2, f64x2.add(f64x2.mul(v128.load(p, 32), xv), f64x2.mul(v128.load(p, 96), xw)));
      a3 = f64x2.add(a3, f64x2.add(f64x2.mul(v128.load(p, 48), xv), f64x2.mul(v128.load(p, 112), xw)));
      p += 128;
      xp += 32;
    }
    if (c < pairs) {
      const xv = v128.load(xp);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(p), xv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(p, 16), xv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(p, 32), xv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(p, 48), xv));
    }
    const lim = min<i32>(2 * b + 2, pairs);
    p = l + usize(b) * blockBytes;
    let zp = z;
    for (c = 0; c + 2 <= lim; c += 2) {
      const zv = v128.load(zp);
      const zw = v128.load(zp, 16);
      a0 = f64x2.add(a0, f64x2.add(f64x2.mul(v128.load(p), zv), f64x2.mul(v128.load(p, 64), zw)));
      a1 = f64x2.add(a1, f64x2.add(f64x2.mul(v128.load(p, 16), zv), f64x2.mul(v128.load(p, 80), zw)));
      a2 = f64x2.add(a2, f64x2.add(f64x2.mul(v128.load(p, 32), zv), f64x2.mul(v128.load(p, 96), zw)));
      a3 = f64x2.add(a3, f64x2.add(f64x2.mul(v128.load(p, 48), zv), f64x2.mul(v128.load(p, 112), zw)));
      p += 128;
      zp += 32;
    }
    if (c < lim) {
      const zv = v128.load(zp);
      a0 = f64x2.add(a0, f64x2.mul(v128.load(p), zv));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(p, 16), zv));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(p, 32), zv));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(p, 48), zv));
    }
    const i = 4 * b;
    const up = u + (usize(i) << 3);
    const yp = y + (usize(i) << 3);
    store<f64>(yp, load<f64>(up) + (f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1)));
    if (i + 1 < n) store<f64>(yp, load<f64>(up, 8) + (f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1)), 8);
    if (i + 2 < n) store<f64>(yp, load<f64>(up, 16) + (f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1)), 16);
    if (i + 3 < n) store<f64>(yp, load<f64>(up, 24) + (f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1)), 24);
  }
  // The new state is y: swap the two buffers instead of copying (memory.copy is a call into V8).
  chip.xPtr = y;
  chip.xtPtr = x;
  clip(y);
}
