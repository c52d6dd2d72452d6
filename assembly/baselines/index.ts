// Digital baselines for spin models, as a good single-threaded CPU code runs
// them: float64 couplings in CSR form (beta folded in by the host), the exact
// logistic, xoshiro128** uniforms. Four samplers share the data:
//   0 systematic-scan Gibbs     each spin in index order, once per sweep
//   1 random-scan Gibbs         n uniformly chosen sites per sweep
//   2 chromatic block Gibbs     colour classes in turn (what a GPU runs in parallel)
//   3 single-flip Metropolis    each spin in index order proposes a flip
// They count what a digital implementation does (operations, random numbers,
// memory words) so energy models can price them; the host measures time.
//
// Local fields are kept up to date incrementally (a flip adds 2 s w_ij to
// each neighbour's field) as fast CPU codes do; and the heat-bath decision
// u (1 + e^{-2f}) < 1 is first taken with a cheap exponential whose error
// is bounded, falling back to Math.exp only when u lies within that bound
// of the threshold (~1 update in 10^5): the decisions are exactly those of
// the exact logistic, at a fraction of the cost.
import { allocZeroed, outPtr } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext, xoshiroFill } from "../shared/xoshiro";
import { splitmix64 } from "../shared/mix";

export { outputBuffer, planBegin, planBytes } from "../shared/alloc";

export const ALGO_GIBBS: i32 = 0;
export const ALGO_RANDOM_GIBBS: i32 = 1;
export const ALGO_CHROMATIC: i32 = 2;
export const ALGO_METROPOLIS: i32 = 3;

let n: i32 = 0;
let offPtr: usize = 0; // i32[n+1] CSR row offsets
let nbrPtr: usize = 0; // i32[nnz]
let wPtr: usize = 0; // f64[nnz], beta x J
let hPtr: usize = 0; // f64[n], beta x h
let statePtr: usize = 0; // i8[n]
let fieldPtr: usize = 0; // f64[n], beta x local field, kept up to date
let randPtr: usize = 0; // u32[2n], a sweep's random words, drawn in one fill (the generator's state stays in registers)
let orderPtr: usize = 0; // i32[n], sites in colour order (chromatic)

// Counters (u64), data-dependent ones only (the rest follow from the plan on the host).
export const NUM_COUNTERS: i32 = 4;
let countersPtr: usize = 0;
const C_EXP = 0; // exponentials the algorithm needs
const C_FLIPS = 1;
const C_FANOUT = 2; // neighbour field updates
const C_SLOW = 3; // decisions taken with the exact exponential

export function allocate(nv: i32, nnz: i32): void {
  n = nv;
  offPtr = allocZeroed(u64(nv + 1) * 4);
  nbrPtr = allocZeroed(u64(nnz) * 4);
  wPtr = allocZeroed(u64(nnz) * 8);
  hPtr = allocZeroed(u64(nv) * 8);
  statePtr = allocZeroed(u64(nv));
  fieldPtr = allocZeroed(u64(nv) * 8);
  randPtr = allocZeroed(u64(nv) * 8);
  orderPtr = allocZeroed(u64(nv) * 4);
  countersPtr = allocZeroed(u64(NUM_COUNTERS) * 8);
}

export function ptrOff(): usize { return offPtr; }
export function ptrNbr(): usize { return nbrPtr; }
export function ptrW(): usize { return wPtr; }
export function ptrH(): usize { return hPtr; }
export function ptrState(): usize { return statePtr; }
export function ptrOrder(): usize { return orderPtr; }
export function ptrCounters(): usize { return countersPtr; }

// Same start as the chips: a fresh stream per (seed, chain), spins uniform; fields computed afresh.
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x2545f4914f6cdd1d) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  for (let i = 0; i < n; i++) store<i8>(statePtr + usize(i), (xoshiroNext() >> 31) != 0 ? 1 : -1);
  for (let i = 0; i < n; i++) store<f64>(fieldPtr + (usize(i) << 3), field(i));
}

// A uniform in (0, 1) from the sweep's k-th 32-bit draw.
@inline function uniform(k: i32): f64 {
  return (f64(load<u32>(randPtr + (usize(k) << 2))) + 0.5) * 2.3283064365386963e-10;
}

// beta x local field of site i: h_i + sum_j J_ij s_j.
@inline function field(i: i32): f64 {
  let f = load<f64>(hPtr + (usize(i) << 3));
  const a = load<i32>(offPtr + (usize(i) << 2));
  const b = load<i32>(offPtr + (usize(i) << 2), 4);
  for (let k = a; k < b; k++) {
    const j = load<i32>(nbrPtr + (usize(k) << 2));
    f += load<f64>(wPtr + (usize(k) << 3)) * f64(load<i8>(statePtr + usize(j)));
  }
  return f;
}

let flips: u64 = 0;
let exps: u64 = 0;
let fanout: u64 = 0; // sum of the degrees of flipped sites: field updates done
let slow: u64 = 0; // decisions that needed the exact exponential

// e^x to a relative error below 6e-5 (x clamped to +-700): 2^k x e^y, |y| <= ln2/2, e^y by a
// degree-4 Taylor polynomial (remainder <= y^5/120 e^|y| = 5.8e-5). Branches, not f64.min/max,
// for the clamp: WASM's min/max carry NaN rules that cost several instructions each.
@inline function expApprox(x: f64): f64 {
  let t = x * 1.4426950408889634;
  if (t > 1000.0) t = 1000.0;
  else if (t < -1000.0) t = -1000.0;
  const k = nearest(t);
  const y = (t - k) * 0.6931471805599453;
  const p = 1.0 + y * (1.0 + y * (0.5 + y * (0.16666666666666666 + y * 0.041666666666666664)));
  return p * reinterpret<f64>(u64(i64(k) + 1023) << 52);
}
// Relative error bound of expApprox, with margin: closer calls go to Math.exp.
const APPROX_REL: f64 = 1e-4;

// Flip site i from s to -s: every neighbour's field changes by -2 s w.
@inline function flip(i: i32, s: i8): void {
  store<i8>(statePtr + usize(i), -s);
  const a = load<i32>(offPtr + (usize(i) << 2));
  const b = load<i32>(offPtr + (usize(i) << 2), 4);
  const d = -2.0 * f64(s);
  for (let k = a; k < b; k++) {
    const j = load<i32>(nbrPtr + (usize(k) << 2));
    const fp = fieldPtr + (usize(j) << 3);
    store<f64>(fp, load<f64>(fp) + d * load<f64>(wPtr + (usize(k) << 3)));
  }
  flips++;
  fanout += u64(b - a);
}

// Is u (1 + e^x) < 1? Exactly as with Math.exp: the cheap value decides unless it is too close to call.
@inline function below(u: f64, x: f64): bool {
  const e = expApprox(x);
  const q = u * (1.0 + e);
  // No branch on the (random) outcome: a mispredicted branch costs more than the whole update.
  let r = q < 1.0;
  if (abs(q - 1.0) <= 2.0 * APPROX_REL * u * e) {
    slow++;
    r = u * (1.0 + Math.exp(x)) < 1.0;
  }
  return r;
}

// Heat bath: P(s_i = +1) = 1 / (1 + exp(-2 f)).
@inline function gibbsUpdate(i: i32, u: f64): void {
  const f = load<f64>(fieldPtr + (usize(i) << 3));
  const s = load<i8>(statePtr + usize(i));
  const next = select<i8>(1, -1, below(u, -2.0 * f));
  if (next != s) flip(i, s);
}

// Metropolis: flip with probability min(1, exp(-dE)), dE = 2 s_i f_i (beta folded in).
@inline function metropolisUpdate(i: i32, uk: i32): void {
  const s = load<i8>(statePtr + usize(i));
  const dE = 2.0 * f64(s) * load<f64>(fieldPtr + (usize(i) << 3));
  if (dE <= 0.0) {
    flip(i, s);
  } else {
    exps++;
    // u < e^{-dE} <=> u e^{dE} < 1: the cheap exponential decides unless too close to call.
    const u = uniform(uk);
    const e = expApprox(dE);
    const q = u * e;
    let accept: bool;
    if (abs(q - 1.0) > 2.0 * APPROX_REL * q) accept = q < 1.0;
    else {
      slow++;
      accept = u < Math.exp(-dE);
    }
    if (accept) flip(i, s);
  }
}

function sweep(algo: i32): void {
  if (algo == ALGO_GIBBS) {
    xoshiroFill(randPtr, n);
    for (let i = 0; i < n; i++) gibbsUpdate(i, uniform(i));
  } else if (algo == ALGO_CHROMATIC) {
    xoshiroFill(randPtr, n);
    for (let k = 0; k < n; k++) gibbsUpdate(load<i32>(orderPtr + (usize(k) << 2)), uniform(k));
  } else if (algo == ALGO_RANDOM_GIBBS) {
    // Site choice by multiply-shift (Lemire): uniform over 0..n-1 up to 2^-32.
    xoshiroFill(randPtr, 2 * n);
    for (let k = 0; k < n; k++) {
      const site = i32((u64(load<u32>(randPtr + (usize(2 * k) << 2))) * u64(n)) >> 32);
      gibbsUpdate(site, uniform(2 * k + 1));
    }
  } else {
    // One word per proposal is drawn; only uphill proposals use theirs (and are counted).
    xoshiroFill(randPtr, n);
    for (let i = 0; i < n; i++) metropolisUpdate(i, i);
  }
}

// Run `sweeps` sweeps; when record, copy the state into the output buffer after every thin-th.
export function run(algo: i32, sweeps: i32, thin: i32, record: i32): void {
  flips = 0;
  exps = 0;
  fanout = 0;
  slow = 0;
  let row = 0;
  for (let t = 1; t <= sweeps; t++) {
    sweep(algo);
    if (record != 0 && t % thin == 0) {
      memory.copy(outPtr + usize(row) * usize(n), statePtr, usize(n));
      row++;
    }
  }
  const c = countersPtr;
  store<u64>(c + (C_FLIPS << 3), load<u64>(c + (C_FLIPS << 3)) + flips);
  store<u64>(c + (C_EXP << 3), load<u64>(c + (C_EXP << 3)) + (algo == ALGO_METROPOLIS ? exps : u64(sweeps) * u64(n)));
  store<u64>(c + (C_FANOUT << 3), load<u64>(c + (C_FANOUT << 3)) + fanout);
  store<u64>(c + (C_SLOW << 3), load<u64>(c + (C_SLOW << 3)) + slow);
}
