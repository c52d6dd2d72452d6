// Restricted Boltzmann machine kernel: training by contrastive divergence
// (CD-k) or persistent CD, Gibbs sampling for generation, annealed importance
// sampling of log Z (Salakhutdinov & Murray 2008) and unnormalised log
// probabilities of data. Units are 0/1; E(v, h) = -b'v - c'h - v'Wh.
//
// W is visible-major (row i holds W[i, 0 .. nh)): data and sampled visible
// states are sparse 0/1 vectors, so the hidden input c + v'W adds only the
// rows of visible units that are on, and the visible input b_i + W[i,:]h
// sums a row over the hidden units that are on (listed first).
import { allocZeroed } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext } from "../shared/xoshiro";

export { planBegin, planBytes } from "../shared/alloc";

let nv: i32 = 0;
let nh: i32 = 0;
let maxRows: i32 = 0;
let W: usize = 0; // f64[nv*nh]
let b: usize = 0; // f64[nv]
let c: usize = 0; // f64[nh]
let velW: usize = 0; // f64[nv*nh] momentum
let velB: usize = 0;
let velC: usize = 0;
let gW: usize = 0; // f64[nv*nh] gradient of the batch
let gB: usize = 0;
let gC: usize = 0;
let data: usize = 0; // u8[maxRows*nv] the batch (host-filled)
let chainV: usize = 0; // u8[maxRows*nv] negative-phase (persistent) visible states
let on: usize = 0; // i32[nh] indices of hidden units that are on
let ph: usize = 0; // f64[nh] hidden probabilities
let pv: usize = 0; // f64[nv] visible probabilities
let act: usize = 0; // f64[nh] hidden inputs (AIS)
let out: usize = 0; // f64[maxRows*nv] results for the host (visible probabilities, log-probabilities, AIS weights)
let baseA: usize = 0; // f64[nv] AIS base-rate visible biases
let sched: usize = 0; // f64[steps] AIS inverse temperatures
let schedLen: i32 = 0;

export function allocate(nv_: i32, nh_: i32, rows: i32, schedule: i32): void {
  nv = nv_;
  nh = nh_;
  maxRows = rows;
  const vh = u64(nv) * u64(nh);
  W = allocZeroed(vh << 3);
  b = allocZeroed(u64(nv) << 3);
  c = allocZeroed(u64(nh) << 3);
  velW = allocZeroed(vh << 3);
  velB = allocZeroed(u64(nv) << 3);
  velC = allocZeroed(u64(nh) << 3);
  gW = allocZeroed(vh << 3);
  gB = allocZeroed(u64(nv) << 3);
  gC = allocZeroed(u64(nh) << 3);
  data = allocZeroed(u64(rows) * u64(nv));
  chainV = allocZeroed(u64(rows) * u64(nv));
  on = allocZeroed(u64(nh) << 2);
  ph = allocZeroed(u64(nh) << 3);
  pv = allocZeroed(u64(nv) << 3);
  act = allocZeroed(u64(nh) << 3);
  out = allocZeroed((u64(rows) * u64(nv > 1 ? nv : 1)) << 3);
  baseA = allocZeroed(u64(nv) << 3);
  sched = allocZeroed(u64(schedule) << 3);
  schedLen = schedule;
}

export function ptrW(): usize { return W; }
export function ptrB(): usize { return b; }
export function ptrC(): usize { return c; }
export function ptrData(): usize { return data; }
export function ptrChains(): usize { return chainV; }
export function ptrOut(): usize { return out; }
export function ptrBase(): usize { return baseA; }
export function ptrSchedule(): usize { return sched; }

export function seed(s: u64): void {
  xoshiroSeed(s);
}

@inline function uniform(): f64 {
  return f64(xoshiroNext()) * (1.0 / 4294967296.0);
}

@inline function sigmoid(x: f64): f64 {
  return 1.0 / (1.0 + Math.exp(-x));
}

// log(1 + e^x) without overflow.
@inline function softplus(x: f64): f64 {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

// Hidden inputs c + v'W for the 0/1 row at v, into dst.
@inline function hiddenInput(v: usize, dst: usize): void {
  memory.copy(dst, c, usize(nh) << 3);
  for (let i = 0; i < nv; i++) {
    if (load<u8>(v + usize(i)) == 0) continue;
    const row = W + ((usize(i) * usize(nh)) << 3);
    for (let j = 0; j < nh; j++) {
      const p = dst + (usize(j) << 3);
      store<f64>(p, load<f64>(p) + load<f64>(row + (usize(j) << 3)));
    }
  }
}

// ph = sigmoid(c + v'W); then, when sample, hid ~ ph and the on-list; returns the count on.
@inline function hidden(v: usize, sample: bool): i32 {
  hiddenInput(v, ph);
  let k = 0;
  for (let j = 0; j < nh; j++) {
    const p = sigmoid(load<f64>(ph + (usize(j) << 3)));
    store<f64>(ph + (usize(j) << 3), p);
    if (sample && uniform() < p) {
      store<i32>(on + (usize(k) << 2), j);
      k++;
    }
  }
  return k;
}

// pv = sigmoid(b + W h) for the hidden units in the on-list; then v ~ pv into dst when dst != 0.
@inline function visible(count: i32, dst: usize): void {
  for (let i = 0; i < nv; i++) {
    const row = W + ((usize(i) * usize(nh)) << 3);
    let a = load<f64>(b + (usize(i) << 3));
    for (let k = 0; k < count; k++) a += load<f64>(row + (usize(load<i32>(on + (usize(k) << 2))) << 3));
    const p = sigmoid(a);
    store<f64>(pv + (usize(i) << 3), p);
    if (dst != 0) store<u8>(dst + usize(i), u8(uniform() < p));
  }
}

// Add sign x (v h') to the gradient, with v a 0/1 row and h = ph.
@inline function accumulate(v: usize, sign: f64): void {
  for (let i = 0; i < nv; i++) {
    if (load<u8>(v + usize(i)) == 0) continue;
    const pb = gB + (usize(i) << 3);
    store<f64>(pb, load<f64>(pb) + sign);
    const row = gW + ((usize(i) * usize(nh)) << 3);
    for (let j = 0; j < nh; j++) {
      const p = row + (usize(j) << 3);
      store<f64>(p, load<f64>(p) + sign * load<f64>(ph + (usize(j) << 3)));
    }
  }
  for (let j = 0; j < nh; j++) {
    const p = gC + (usize(j) << 3);
    store<f64>(p, load<f64>(p) + sign * load<f64>(ph + (usize(j) << 3)));
  }
}

@inline function step(param: usize, vel: usize, grad: usize, count: i32, lr: f64, momentum: f64, decay: f64, scale: f64): void {
  for (let q = 0; q < count; q++) {
    const o = usize(q) << 3;
    const x = load<f64>(param + o);
    const v = momentum * load<f64>(vel + o) + lr * (load<f64>(grad + o) * scale - decay * x);
    store<f64>(vel + o, v);
    store<f64>(param + o, x + v);
  }
}

// One mini-batch of `rows` data rows: positive phase from the data, negative
// phase after k Gibbs steps (h | v, then v | h) started at the data (CD-k) or
// at the persistent chains (PCD; chain r continues from its last state), the
// hidden side of both phases by probabilities. Then the momentum update, with
// weight decay on W only. Returns the batch's squared reconstruction error
// (data against p(v | h) one step from the data).
export function trainBatch(rows: i32, k: i32, persistent: i32, lr: f64, momentum: f64, decay: f64): f64 {
  memory.fill(gW, 0, (usize(nv) * usize(nh)) << 3);
  memory.fill(gB, 0, usize(nv) << 3);
  memory.fill(gC, 0, usize(nh) << 3);
  let err = 0.0;
  for (let r = 0; r < rows; r++) {
    const v0 = data + usize(r) * usize(nv);
    const vk = chainV + usize(r) * usize(nv);
    // Positive phase, and the reconstruction p(v | h0).
    let count = hidden(v0, true);
    accumulate(v0, 1.0);
    visible(count, persistent != 0 ? 0 : vk);
    for (let i = 0; i < nv; i++) {
      const d = f64(load<u8>(v0 + usize(i))) - load<f64>(pv + (usize(i) << 3));
      err += d * d;
    }
    // Negative phase: CD has taken its first step into vk already.
    let done = 0;
    if (persistent == 0) done = 1;
    for (let s = done; s < k; s++) {
      count = hidden(vk, true);
      visible(count, vk);
    }
    hidden(vk, false);
    accumulate(vk, -1.0);
  }
  const scale = 1.0 / f64(rows);
  step(W, velW, gW, nv * nh, lr, momentum, decay, scale);
  step(b, velB, gB, nv, lr, momentum, 0.0, scale);
  step(c, velC, gC, nh, lr, momentum, 0.0, scale);
  return err;
}

// `steps` Gibbs steps on chains 0 .. rows-1 (in chainV); out holds each
// chain's final p(v | h), for pictures.
export function gibbs(rows: i32, steps: i32): void {
  for (let r = 0; r < rows; r++) {
    const v = chainV + usize(r) * usize(nv);
    for (let s = 0; s < steps; s++) visible(hidden(v, true), v);
    memory.copy(out + ((usize(r) * usize(nv)) << 3), pv, usize(nv) << 3);
  }
}

// log p*(v) = b'v + sum_j softplus(c_j + v'W_j) for data rows 0 .. rows-1, into out.
export function logUnnormalised(rows: i32): void {
  for (let r = 0; r < rows; r++) {
    const v = data + usize(r) * usize(nv);
    hiddenInput(v, act);
    let s = 0.0;
    for (let i = 0; i < nv; i++) if (load<u8>(v + usize(i)) != 0) s += load<f64>(b + (usize(i) << 3));
    for (let j = 0; j < nh; j++) s += softplus(load<f64>(act + (usize(j) << 3)));
    store<f64>(out + (usize(r) << 3), s);
  }
}

// log p*_k(v) along the AIS path at inverse temperature bk, hidden units summed out:
// sum_i ((1 - bk) a_i + bk b_i) v_i + sum_j softplus(bk (c_j + v'W_j)), with act = c + v'W.
@inline function logStar(v: usize, bk: f64): f64 {
  let s = 0.0;
  for (let i = 0; i < nv; i++) {
    if (load<u8>(v + usize(i)) != 0) s += (1.0 - bk) * load<f64>(baseA + (usize(i) << 3)) + bk * load<f64>(b + (usize(i) << 3));
  }
  for (let j = 0; j < nh; j++) s += softplus(bk * load<f64>(act + (usize(j) << 3)));
  return s;
}

// Annealed importance sampling from the base-rate model (visible biases
// baseA, no couplings) to the RBM along the schedule's inverse temperatures,
// one Gibbs step (h then v) per intermediate distribution; out[r] = log
// importance weight of run r.
export function ais(runs: i32): void {
  const v = chainV;
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < nv; i++) store<u8>(v + usize(i), u8(uniform() < sigmoid(load<f64>(baseA + (usize(i) << 3)))));
    hiddenInput(v, act);
    let w = 0.0;
    for (let k = 1; k < schedLen; k++) {
      const bk = load<f64>(sched + (usize(k) << 3));
      w += logStar(v, bk) - logStar(v, load<f64>(sched + (usize(k - 1) << 3)));
      // Transition at bk: h ~ p_k(h | v), then v ~ p_k(v | h).
      let count = 0;
      for (let j = 0; j < nh; j++) {
        if (uniform() < sigmoid(bk * load<f64>(act + (usize(j) << 3)))) {
          store<i32>(on + (usize(count) << 2), j);
          count++;
        }
      }
      for (let i = 0; i < nv; i++) {
        const row = W + ((usize(i) * usize(nh)) << 3);
        let a = 0.0;
        for (let q = 0; q < count; q++) a += load<f64>(row + (usize(load<i32>(on + (usize(q) << 2))) << 3));
        const x = (1.0 - bk) * load<f64>(baseA + (usize(i) << 3)) + bk * (load<f64>(b + (usize(i) << 3)) + a);
        store<u8>(v + usize(i), u8(uniform() < sigmoid(x)));
      }
      hiddenInput(v, act);
    }
    store<f64>(out + (usize(r) << 3), w);
  }
}
