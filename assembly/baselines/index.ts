// Digital baselines for spin models, as a good single-threaded CPU code runs
// them: float64 couplings in CSR form (beta folded in by the host), the exact
// logistic, xoshiro128** uniforms. Four samplers share the data:
//   0 systematic-scan Gibbs     each spin in index order, once per sweep
//   1 random-scan Gibbs         n uniformly chosen sites per sweep
//   2 chromatic block Gibbs     colour classes in turn (what a GPU runs in parallel)
//   3 single-flip Metropolis    each spin in index order proposes a flip
// They count what a digital implementation does (operations, random numbers,
// memory words) so energy models can price them; the host measures time.
import { allocZeroed, outPtr } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext } from "../shared/xoshiro";
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
let orderPtr: usize = 0; // i32[n], sites in colour order (chromatic)

// Counters (u64): see src/baselines/spin.ts SPIN_BASELINE_ACTIONS for their meaning.
export const NUM_COUNTERS: i32 = 6;
let countersPtr: usize = 0;
const C_UPDATES = 0;
const C_FLOPS = 1;
const C_RANDOM = 2;
const C_WORDS = 3;
const C_EXP = 4;
const C_FLIPS = 5;

export function allocate(nv: i32, nnz: i32): void {
  n = nv;
  offPtr = allocZeroed(u64(nv + 1) * 4);
  nbrPtr = allocZeroed(u64(nnz) * 4);
  wPtr = allocZeroed(u64(nnz) * 8);
  hPtr = allocZeroed(u64(nv) * 8);
  statePtr = allocZeroed(u64(nv));
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

// Same start as the chips: a fresh stream per (seed, chain), spins uniform.
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x2545f4914f6cdd1d) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  for (let i = 0; i < n; i++) store<i8>(statePtr + usize(i), (xoshiroNext() >> 31) != 0 ? 1 : -1);
}

// A uniform in (0, 1) from one 32-bit draw.
@inline function uniform(): f64 {
  return (f64(xoshiroNext()) + 0.5) * 2.3283064365386963e-10;
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

// Heat bath: P(s_i = +1) = 1 / (1 + exp(-2 f)).
@inline function gibbsUpdate(i: i32): void {
  const f = field(i);
  const s: i8 = uniform() * (1.0 + Math.exp(-2.0 * f)) < 1.0 ? 1 : -1;
  const p = statePtr + usize(i);
  if (load<i8>(p) != s) flips++;
  store<i8>(p, s);
}

// Metropolis: flip with probability min(1, exp(-dE)), dE = 2 s_i f_i (beta folded in).
@inline function metropolisUpdate(i: i32): void {
  const p = statePtr + usize(i);
  const s = load<i8>(p);
  const dE = 2.0 * f64(s) * field(i);
  if (dE <= 0.0) {
    store<i8>(p, -s);
    flips++;
  } else {
    exps++;
    if (uniform() < Math.exp(-dE)) {
      store<i8>(p, -s);
      flips++;
    }
  }
}

function sweep(algo: i32): void {
  if (algo == ALGO_GIBBS) {
    for (let i = 0; i < n; i++) gibbsUpdate(i);
  } else if (algo == ALGO_CHROMATIC) {
    for (let k = 0; k < n; k++) gibbsUpdate(load<i32>(orderPtr + (usize(k) << 2)));
  } else if (algo == ALGO_RANDOM_GIBBS) {
    // Site choice by multiply-shift (Lemire): uniform over 0..n-1 up to 2^-32.
    for (let k = 0; k < n; k++) gibbsUpdate(i32((u64(xoshiroNext()) * u64(n)) >> 32));
  } else {
    for (let i = 0; i < n; i++) metropolisUpdate(i);
  }
}

// Run `sweeps` sweeps; when record, copy the state into the output buffer after every thin-th.
export function run(algo: i32, sweeps: i32, thin: i32, record: i32): void {
  flips = 0;
  exps = 0;
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
}
