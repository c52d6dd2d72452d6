// Digital baselines for spin models, as a good single-threaded CPU code runs
// them: float64 couplings in CSR form, the exact logistic, xoshiro128**
// uniforms. The samplers share the data:
//   0 systematic-scan Gibbs     each spin in index order, once per sweep
//   1 random-scan Gibbs         n uniformly chosen sites per sweep
//   2 chromatic block Gibbs     colour classes in turn (what a GPU runs in parallel)
//   3 single-flip Metropolis    each spin in index order proposes a flip
//   4 simulated annealing       Metropolis sweeps with beta following a schedule
//   5 parallel tempering        Metropolis sweeps of R replicas on a beta ladder, then
//                               swaps of neighbouring replicas (the ladder adapts in burn-in)
// They count what a digital implementation does (operations, random numbers,
// memory words) so energy models can price them; the host measures time.
//
// Local fields (h_i + sum_j J_ij s_j, without beta) are kept up to date
// incrementally (a flip adds -2 s w_ij to each neighbour's field) as fast CPU
// codes do, and so is each replica's energy. Decisions such as
// u (1 + e^{-2 beta f}) < 1 are first taken with a cheap exponential whose
// error is bounded, falling back to Math.exp only when u lies within that
// bound of the threshold (~1 update in 10^4): the decisions are exactly
// those of the exact formulas, at a fraction of the cost.
import { allocZeroed, outPtr } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext, xoshiroFill } from "../shared/xoshiro";
import { splitmix64 } from "../shared/mix";

export { outputBuffer, planBegin, planBytes } from "../shared/alloc";

export const ALGO_GIBBS: i32 = 0;
export const ALGO_RANDOM_GIBBS: i32 = 1;
export const ALGO_CHROMATIC: i32 = 2;
export const ALGO_METROPOLIS: i32 = 3;
export const ALGO_ANNEAL: i32 = 4;
export const ALGO_TEMPERING: i32 = 5;

let n: i32 = 0;
let replicas: i32 = 1;
let offPtr: usize = 0; // i32[n+1] CSR row offsets
let nbrPtr: usize = 0; // i32[nnz]
let wPtr: usize = 0; // f64[nnz], J
let hPtr: usize = 0; // f64[n], h
let statesPtr: usize = 0; // i8[R][n]
let fieldsPtr: usize = 0; // f64[R][n]
let energyPtr: usize = 0; // f64[R], E = -(h.s + sum J s s) of each replica slot
let slotPtr: usize = 0; // i32[R]: the replica slot at ladder position k (k = 0 is the target beta)
let betasPtr: usize = 0; // f64[R]: the ladder, betas[0] = the model's beta, decreasing
let swapsPtr: usize = 0; // u64[2R]: per ladder pair, swaps attempted and accepted (recording phase)
let windowPtr: usize = 0; // u64[2R]: the same, since the last ladder adaptation
let gapPtr: usize = 0; // f64[R]: scratch for the ladder adaptation
let randPtr: usize = 0; // u32[2n], a sweep's random words, drawn in one fill (the generator's state stays in registers)
let orderPtr: usize = 0; // i32[n], sites in colour order (chromatic)

// The replica being swept.
let statePtr: usize = 0;
let fieldPtr: usize = 0;
let beta: f64 = 1.0;
let energy: f64 = 0.0;

// Counters (u64), data-dependent ones only (the rest follow from the plan on the host).
export const NUM_COUNTERS: i32 = 5;
let countersPtr: usize = 0;
const C_EXP = 0; // exponentials the algorithm needs
const C_FLIPS = 1;
const C_FANOUT = 2; // neighbour field updates
const C_SLOW = 3; // decisions taken with the exact exponential
const C_SWAPS = 4; // replica swaps attempted

export function allocate(nv: i32, nnz: i32, nReplicas: i32): void {
  n = nv;
  replicas = nReplicas;
  offPtr = allocZeroed(u64(nv + 1) * 4);
  nbrPtr = allocZeroed(u64(nnz) * 4);
  wPtr = allocZeroed(u64(nnz) * 8);
  hPtr = allocZeroed(u64(nv) * 8);
  statesPtr = allocZeroed(u64(nv) * u64(nReplicas));
  fieldsPtr = allocZeroed(u64(nv) * u64(nReplicas) * 8);
  energyPtr = allocZeroed(u64(nReplicas) * 8);
  slotPtr = allocZeroed(u64(nReplicas) * 4);
  betasPtr = allocZeroed(u64(nReplicas) * 8);
  swapsPtr = allocZeroed(u64(nReplicas) * 16);
  windowPtr = allocZeroed(u64(nReplicas) * 16);
  gapPtr = allocZeroed(u64(nReplicas) * 8);
  randPtr = allocZeroed(u64(nv) * 8);
  orderPtr = allocZeroed(u64(nv) * 4);
  countersPtr = allocZeroed(u64(NUM_COUNTERS) * 8);
}

export function ptrOff(): usize { return offPtr; }
export function ptrNbr(): usize { return nbrPtr; }
export function ptrW(): usize { return wPtr; }
export function ptrH(): usize { return hPtr; }
export function ptrOrder(): usize { return orderPtr; }
export function ptrBetas(): usize { return betasPtr; }
export function ptrSwaps(): usize { return swapsPtr; }
export function ptrCounters(): usize { return countersPtr; }

// Simulated annealing: beta from b0 to b1 over `length` sweeps, linearly or geometrically.
let annealB0: f64 = 1.0;
let annealB1: f64 = 1.0;
let annealLength: f64 = 1.0;
let annealGeometric: bool = true;
export function setAnneal(b0: f64, b1: f64, length: f64, geometric: i32): void {
  annealB0 = b0;
  annealB1 = b1;
  annealLength = length;
  annealGeometric = geometric != 0;
}

// Parallel tempering: the ladder adapts every `adaptEvery` sweeps before sweep `adaptUntil`.
let adaptEvery: i64 = 0;
let adaptUntil: i64 = 0;
let adaptions: i32 = 0;
export function setTempering(every: i64, until: i64): void {
  adaptEvery = every;
  adaptUntil = until;
}

let sweepIndex: i64 = 0; // sweeps of this chain so far (the schedule's clock)

@inline function selectReplica(slot: i32): void {
  statePtr = statesPtr + usize(slot) * usize(n);
  fieldPtr = fieldsPtr + (usize(slot) * usize(n) << 3);
}

// Same start as the chips: a fresh stream per (seed, chain), spins uniform (every replica); fields and energies afresh.
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x2545f4914f6cdd1d) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  for (let r = 0; r < replicas; r++) {
    selectReplica(r);
    for (let i = 0; i < n; i++) store<i8>(statePtr + usize(i), (xoshiroNext() >> 31) != 0 ? 1 : -1);
    let e = 0.0;
    for (let i = 0; i < n; i++) {
      const f = field(i);
      store<f64>(fieldPtr + (usize(i) << 3), f);
      // E = -sum_i s_i (h_i + f_i) / 2: each coupling appears in two fields.
      e -= 0.5 * f64(load<i8>(statePtr + usize(i))) * (f + load<f64>(hPtr + (usize(i) << 3)));
    }
    store<f64>(energyPtr + (usize(r) << 3), e);
    store<i32>(slotPtr + (usize(r) << 2), r);
  }
  sweepIndex = 0;
  adaptions = 0;
  memory.fill(swapsPtr, 0, usize(replicas) * 16);
  memory.fill(windowPtr, 0, usize(replicas) * 16);
  selectReplica(0);
}

// A uniform in (0, 1) from the k-th 32-bit word at `words` (the sweep's fill, its pointer in a local).
@inline function uniformAt(words: usize, k: i32): f64 {
  return (f64(load<u32>(words + (usize(k) << 2))) + 0.5) * 2.3283064365386963e-10;
}

@inline function uniformNow(): f64 {
  return (f64(xoshiroNext()) + 0.5) * 2.3283064365386963e-10;
}

// Local field of site i in the selected replica, from scratch: h_i + sum_j J_ij s_j.
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
let swaps: u64 = 0;

// e^x to a relative error below 8.5e-4 for |x| <= 693 (t = x log2 e within +-1000): 2^k x e^y,
// |y| <= ln2/2, e^y by a degree-3 Taylor polynomial (remainder <= y^4/24 e^|y| = 8.5e-4). The
// sweep loops are bound by the number of instructions, so the cheap part is kept short and the
// close calls (about 1 in 1,000) go to Math.exp.
@inline function expUnclamped(x: f64): f64 {
  const t = x * 1.4426950408889634;
  const k = nearest(t);
  const y = (t - k) * 0.6931471805599453;
  const p = 1.0 + y * (1.0 + y * (0.5 + y * 0.16666666666666666));
  return p * reinterpret<f64>(u64(i64(k) + 1023) << 52);
}
// Any x: clamped first (branches, not f64.min/max: WASM's min/max carry NaN rules that cost more).
@inline function expApprox(x: f64): f64 {
  let c = x;
  if (c > 693.0) c = 693.0;
  else if (c < -693.0) c = -693.0;
  return expUnclamped(c);
}
// Relative error bound of the cheap exponential, with margin: closer calls go to Math.exp.
const APPROX_REL: f64 = 2e-3;

// The largest |h_i| + sum_j |J_ij|: with beta, a bound on every local field (set by the host).
let maxReach: f64 = Infinity;
export function setMaxReach(r: f64): void {
  maxReach = r;
}

// The sweeps copy the array pointers (and n, beta) into locals: V8 keeps WASM globals in the
// instance's memory and reloaded them at every use in the hot loops (seen in a perf profile).

// Flip site i from s to -s: every neighbour's field changes by -2 s w. Returns the degree (field
// updates done); the callers keep their counts and the energy change in locals.
@inline function flip(st: usize, fd: usize, off: usize, nbr: usize, w: usize, i: i32, s: i8): i32 {
  store<i8>(st + usize(i), -s);
  const a = load<i32>(off + (usize(i) << 2));
  const b = load<i32>(off + (usize(i) << 2), 4);
  const d = -2.0 * f64(s);
  for (let k = a; k < b; k++) {
    const fp = fd + (usize(load<i32>(nbr + (usize(k) << 2))) << 3);
    store<f64>(fp, load<f64>(fp) + d * load<f64>(w + (usize(k) << 3)));
  }
  return b - a;
}

// Is u (1 + e^x) < 1? Exactly as with Math.exp: the cheap value decides unless it is too close to call.
@inline function below(u: f64, x: f64, clampFree: bool): bool {
  const e = clampFree ? expUnclamped(x) : expApprox(x);
  const q = u * (1.0 + e);
  // No branch on the (random) outcome: a mispredicted branch costs more than the whole update.
  let r = q < 1.0;
  // q - u = u e (to rounding, well inside the margin's factor 2): one multiply fewer.
  if (abs(q - 1.0) <= (2.0 * APPROX_REL) * (q - u)) {
    slow++;
    r = u * (1.0 + Math.exp(x)) < 1.0;
  }
  return r;
}

// Is u < e^{-x} (x > 0)? u e^x < 1, decided the same way.
@inline function accepts(u: f64, x: f64): bool {
  const q = u * expApprox(x);
  let r = q < 1.0;
  if (abs(q - 1.0) <= 2.0 * APPROX_REL * q) {
    slow++;
    r = u < Math.exp(-x);
  }
  return r;
}

// One Gibbs sweep over sites order(k), k = 0 .. n-1, with the k-th uniform; heat bath
// P(s_i = +1) = 1 / (1 + exp(-2 beta f)).
@inline function gibbsSweep(kind: i32): void {
  let fl: u64 = 0;
  let fo: u64 = 0;
  const b2 = -2.0 * beta;
  // Fields are bounded by beta x maxReach: when that is far from overflow, no clamp is needed.
  const clampFree = 2.0 * beta * maxReach < 600.0;
  const st = statePtr;
  const fd = fieldPtr;
  const off = offPtr;
  const nbr = nbrPtr;
  const w = wPtr;
  const rnd = randPtr;
  const order = orderPtr;
  const size = n;
  for (let k = 0; k < size; k++) {
    let i = k;
    let u = 0.0;
    if (kind == ALGO_CHROMATIC) {
      i = load<i32>(order + (usize(k) << 2));
      u = uniformAt(rnd, k);
    } else if (kind == ALGO_RANDOM_GIBBS) {
      // Site choice by multiply-shift (Lemire): uniform over 0..n-1 up to 2^-32.
      i = i32((u64(load<u32>(rnd + (usize(2 * k) << 2))) * u64(size)) >> 32);
      u = uniformAt(rnd, 2 * k + 1);
    } else {
      u = uniformAt(rnd, k);
    }
    const f = load<f64>(fd + (usize(i) << 3));
    const s = load<i8>(st + usize(i));
    const next = select<i8>(1, -1, below(u, b2 * f, clampFree));
    if (next != s) {
      fo += u64(flip(st, fd, off, nbr, w, i, s));
      fl++;
    }
  }
  flips += fl;
  fanout += fo;
}

// One Metropolis sweep in index order: flip with probability min(1, exp(-beta dE)), dE = 2 s_i f_i.
// Only uphill proposals use their uniform (and an exponential). The energy is tracked for tempering.
function metropolisSweep(): void {
  xoshiroFill(randPtr, n);
  let fl: u64 = 0;
  let fo: u64 = 0;
  let ex: u64 = 0;
  let de = 0.0;
  const st = statePtr;
  const fd = fieldPtr;
  const off = offPtr;
  const nbr = nbrPtr;
  const w = wPtr;
  const rnd = randPtr;
  const b = beta;
  const size = n;
  for (let i = 0; i < size; i++) {
    const s = load<i8>(st + usize(i));
    const f = load<f64>(fd + (usize(i) << 3));
    const dE = 2.0 * f64(s) * f;
    let ok = dE <= 0.0;
    if (!ok) {
      ex++;
      ok = accepts(uniformAt(rnd, i), b * dE);
    }
    if (ok) {
      fo += u64(flip(st, fd, off, nbr, w, i, s));
      fl++;
      de += dE;
    }
  }
  flips += fl;
  fanout += fo;
  exps += ex;
  energy += de;
}

function annealBeta(t: i64): f64 {
  const x = annealLength > 1.0 ? min(1.0, f64(t) / (annealLength - 1.0)) : 1.0;
  return annealGeometric ? annealB0 * Math.pow(annealB1 / annealB0, x) : annealB0 + (annealB1 - annealB0) * x;
}

// One tempering sweep: every replica at its ladder beta, then swaps of pairs (k, k+1) of one parity.
function temperingSweep(): void {
  for (let k = 0; k < replicas; k++) {
    const slot = load<i32>(slotPtr + (usize(k) << 2));
    selectReplica(slot);
    beta = load<f64>(betasPtr + (usize(k) << 3));
    energy = load<f64>(energyPtr + (usize(slot) << 3));
    metropolisSweep();
    store<f64>(energyPtr + (usize(slot) << 3), energy);
  }
  const recording = sweepIndex >= adaptUntil;
  for (let k = i32(sweepIndex & 1); k + 1 < replicas; k += 2) {
    const a = load<i32>(slotPtr + (usize(k) << 2));
    const b = load<i32>(slotPtr + (usize(k + 1) << 2));
    // Accept with min(1, exp((beta_k - beta_k+1)(E_k - E_k+1))).
    const x = (load<f64>(betasPtr + (usize(k + 1) << 3)) - load<f64>(betasPtr + (usize(k) << 3))) *
      (load<f64>(energyPtr + (usize(a) << 3)) - load<f64>(energyPtr + (usize(b) << 3)));
    swaps++;
    let ok = x <= 0.0;
    if (!ok) {
      exps++;
      ok = accepts(uniformNow(), x);
    }
    const counts = recording ? swapsPtr : windowPtr;
    const c = counts + (usize(k) << 4);
    store<u64>(c, load<u64>(c) + 1);
    if (ok) {
      store<u64>(c, load<u64>(c, 8) + 1, 8);
      store<i32>(slotPtr + (usize(k) << 2), b);
      store<i32>(slotPtr + (usize(k + 1) << 2), a);
    }
  }
  if (!recording && adaptEvery > 0 && (sweepIndex + 1) % adaptEvery == 0) adaptLadder();
  selectReplica(load<i32>(slotPtr));
}

// Even out swap rates (in the spirit of Vousden, Farr & Mandel 2016, with both ends fixed): the
// temperature gap of a pair that swaps more often than the mean widens, of one that swaps less
// often narrows (by exp(kappa (rate - mean))), then the gaps are rescaled to span the same range.
// kappa decays so the ladder settles; the ladder is frozen once recording starts.
function adaptLadder(): void {
  const R = replicas;
  if (R < 3) return;
  adaptions++;
  let mean = 0.0;
  let pairs = 0;
  for (let k = 0; k + 1 < R; k++) {
    const c = windowPtr + (usize(k) << 4);
    const tried = load<u64>(c);
    if (tried > 0) {
      mean += f64(load<u64>(c, 8)) / f64(tried);
      pairs++;
    }
  }
  if (pairs == 0) return;
  mean /= f64(pairs);
  const kappa = 2.0 / (1.0 + f64(adaptions) / 4.0);
  const tLo = 1.0 / load<f64>(betasPtr);
  const tHi = 1.0 / load<f64>(betasPtr + (usize(R - 1) << 3));
  // New gaps in temperature: a pair that swaps too rarely gets a smaller gap.
  let total = 0.0;
  for (let k = 0; k + 1 < R; k++) {
    const c = windowPtr + (usize(k) << 4);
    const tried = load<u64>(c);
    const rate = tried > 0 ? f64(load<u64>(c, 8)) / f64(tried) : mean;
    const gap = 1.0 / load<f64>(betasPtr + (usize(k + 1) << 3)) - 1.0 / load<f64>(betasPtr + (usize(k) << 3));
    const next = gap * Math.exp(kappa * (rate - mean));
    store<f64>(gapPtr + (usize(k) << 3), next);
    total += next;
  }
  let t = tLo;
  for (let k = 0; k + 1 < R; k++) {
    t += load<f64>(gapPtr + (usize(k) << 3)) * (tHi - tLo) / total;
    store<f64>(betasPtr + (usize(k + 1) << 3), k + 2 == R ? 1.0 / tHi : 1.0 / t);
  }
  memory.fill(windowPtr, 0, usize(R) * 16);
}

function sweep(algo: i32): void {
  if (algo == ALGO_GIBBS) {
    xoshiroFill(randPtr, n);
    gibbsSweep(ALGO_GIBBS);
  } else if (algo == ALGO_CHROMATIC) {
    xoshiroFill(randPtr, n);
    gibbsSweep(ALGO_CHROMATIC);
  } else if (algo == ALGO_RANDOM_GIBBS) {
    xoshiroFill(randPtr, 2 * n);
    gibbsSweep(ALGO_RANDOM_GIBBS);
  } else if (algo == ALGO_METROPOLIS) {
    // One word per proposal is drawn; only uphill proposals use theirs (and are counted).
    metropolisSweep();
  } else if (algo == ALGO_ANNEAL) {
    beta = annealBeta(sweepIndex);
    metropolisSweep();
  } else {
    temperingSweep();
  }
  sweepIndex++;
}

// Run `sweeps` sweeps; when record, copy the (target replica's) state into the output buffer after every thin-th.
export function run(algo: i32, sweeps: i32, thin: i32, record: i32): void {
  flips = 0;
  exps = 0;
  fanout = 0;
  slow = 0;
  swaps = 0;
  if (algo != ALGO_TEMPERING) {
    selectReplica(0);
    if (algo != ALGO_ANNEAL) beta = load<f64>(betasPtr);
  }
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
  const gibbsExps = algo == ALGO_GIBBS || algo == ALGO_RANDOM_GIBBS || algo == ALGO_CHROMATIC;
  store<u64>(c + (C_EXP << 3), load<u64>(c + (C_EXP << 3)) + (gibbsExps ? u64(sweeps) * u64(n) : exps));
  store<u64>(c + (C_FANOUT << 3), load<u64>(c + (C_FANOUT << 3)) + fanout);
  store<u64>(c + (C_SLOW << 3), load<u64>(c + (C_SLOW << 3)) + slow);
  store<u64>(c + (C_SWAPS << 3), load<u64>(c + (C_SWAPS << 3)) + swaps);
}
