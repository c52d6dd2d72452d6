// The integrators. Euler-Maruyama and Heun evaluate the drift; the exact OU
// step is a dense matrix-vector product. All loops are allocation-free.
import * as chip from "./chip";
import { normalFill } from "../shared/normal";

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
  normalFill(zs, chip.nw);
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
  for (let i = 0; i < chip.ns; i++) {
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
  normalFill(z, n);
  // Rows are padded to an even length by the host (zeros), so the products
  // run two lanes at a time (WASM SIMD f64x2); L is lower triangular, so its
  // row i needs columns 0..i only.
  const stride = usize(chip.rowStride);
  for (let i = 0; i < n; i++) {
    const row = usize(i) * stride;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j: usize = 0;
    const n2 = stride;
    for (; j + 4 <= n2; j += 4) {
      const pp = phi + ((row + j) << 3);
      const xp = x + (j << 3);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(pp), v128.load(xp)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(pp, 16), v128.load(xp, 16)));
    }
    for (; j < n2; j += 2) s0 = f64x2.add(s0, f64x2.mul(v128.load(phi + ((row + j) << 3)), v128.load(x + (j << 3))));
    const lim = (usize(i) + 2) & ~usize(1);
    j = 0;
    for (; j + 4 <= lim; j += 4) {
      const lp = l + ((row + j) << 3);
      const zp = z + (j << 3);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(lp), v128.load(zp)));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(lp, 16), v128.load(zp, 16)));
    }
    for (; j < lim; j += 2) s0 = f64x2.add(s0, f64x2.mul(v128.load(l + ((row + j) << 3)), v128.load(z + (j << 3))));
    const s = f64x2.add(s0, s1);
    store<f64>(y + (usize(i) << 3), load<f64>(u + (usize(i) << 3)) + (f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1)));
  }
  memory.copy(x, y, usize(n) << 3);
  clip(x);
}
