// Digital baselines for Gaussian models, U(x) = beta (x'Ax/2 - b'x), run as
// a CPU code runs them: float64, A in CSR form (diagonal included), exact
// ziggurat normals from xoshiro128**. One iteration (a "sweep") moves every
// coordinate once:
//   0 ULA    x <- x - h grad U + sqrt(2h) z                    (unadjusted: biased by h)
//   1 MALA   the ULA move as a proposal, Metropolis-Hastings accept/reject
//   2 HMC    leapfrog steps of size eps with fresh momentum, accept/reject; the number of
//            steps is drawn uniformly from 1 .. 2L-1 per trajectory (mean L), so no
//            trajectory length resonates with a direction's period (Neal 2011, sec. 5.4)
//   3 exact  x = mu + L^-T z with beta A = L L' (Cholesky on the host)
// MALA's and HMC's step sizes adapt during burn-in only (dual averaging,
// Hoffman & Gelman 2014) towards an acceptance rate, then stay fixed.
import { allocZeroed, outPtr } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext, xoshiroUnitOpen } from "../shared/xoshiro";
import { normalSetup, normalFill } from "../shared/normal";
import { splitmix64 } from "../shared/mix";

export { outputBuffer, planBegin, planBytes } from "../shared/alloc";

export const ALGO_ULA: i32 = 0;
export const ALGO_MALA: i32 = 1;
export const ALGO_HMC: i32 = 2;
export const ALGO_EXACT: i32 = 3;

let n: i32 = 0;
let offPtr: usize = 0; // i32[n+1]
let idxPtr: usize = 0; // i32[nnz]
let valPtr: usize = 0; // f64[nnz], beta x A
let bPtr: usize = 0; // f64[n], beta x b
let xPtr: usize = 0; // f64[n] the state
let gPtr: usize = 0; // f64[n] grad U(x)
let axPtr: usize = 0; // f64[n] scratch: (beta A) y
let yPtr: usize = 0; // f64[n] proposal
let gyPtr: usize = 0; // f64[n] grad U(y)
let zPtr: usize = 0; // f64[n] normals / momentum
let muPtr: usize = 0; // f64[n] exact: the mean
let lPtr: usize = 0; // f64[n*n] exact: the Cholesky factor of beta A (lower, row-major)

let uX: f64 = 0.0; // U(x)
let step: f64 = 0.1; // h (ULA, MALA) or eps (HMC)
let leapfrogs: i32 = 10;
let target: f64 = 0.8; // acceptance rate the adaptation aims at
let adaptUntil: i64 = 0;
let sweepIndex: i64 = 0;
// Dual averaging state.
let daMu: f64 = 0.0;
let daHbar: f64 = 0.0;
let daLogBar: f64 = 0.0;
let step0: f64 = 0.1;

export const NUM_COUNTERS: i32 = 4;
let countersPtr: usize = 0; // u64: accepted proposals, proposals (recording phase); accepted in all; leapfrog steps

export function allocate(nv: i32, nnz: i32, dense: i32): void {
  n = nv;
  offPtr = allocZeroed(u64(nv + 1) * 4);
  idxPtr = allocZeroed(u64(nnz) * 4);
  valPtr = allocZeroed(u64(nnz) * 8);
  bPtr = allocZeroed(u64(nv) * 8);
  xPtr = allocZeroed(u64(nv) * 8);
  gPtr = allocZeroed(u64(nv) * 8);
  axPtr = allocZeroed(u64(nv) * 8);
  yPtr = allocZeroed(u64(nv) * 8);
  gyPtr = allocZeroed(u64(nv) * 8);
  zPtr = allocZeroed(u64(nv) * 8);
  muPtr = allocZeroed(u64(nv) * 8);
  if (dense != 0) lPtr = allocZeroed(u64(nv) * u64(nv) * 8);
  countersPtr = allocZeroed(u64(NUM_COUNTERS) * 8);
  normalSetup();
}

export function ptrOff(): usize { return offPtr; }
export function ptrIdx(): usize { return idxPtr; }
export function ptrVal(): usize { return valPtr; }
export function ptrB(): usize { return bPtr; }
export function ptrMu(): usize { return muPtr; }
export function ptrL(): usize { return lPtr; }
export function ptrCounters(): usize { return countersPtr; }

// Step size (h or eps), leapfrog steps, target acceptance and the length of the adaptation (burn-in sweeps).
export function configure(h: f64, steps: i32, acceptTarget: f64, adaptSweeps: i64): void {
  step0 = h;
  leapfrogs = steps;
  target = acceptTarget;
  adaptUntil = adaptSweeps;
}

export function currentStep(): f64 { return step; }

@inline function at(p: usize, i: i32): f64 { return load<f64>(p + (usize(i) << 3)); }
@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (usize(i) << 3), v); }

// grad U(v) = beta (A v - b) into g; returns U(v) = beta (v'Av/2 - b'v).
function gradient(v: usize, g: usize): f64 {
  let u = 0.0;
  for (let i = 0; i < n; i++) {
    let s = 0.0;
    const a = load<i32>(offPtr + (usize(i) << 2));
    const e = load<i32>(offPtr + (usize(i) << 2), 4);
    for (let k = a; k < e; k++) s += load<f64>(valPtr + (usize(k) << 3)) * at(v, load<i32>(idxPtr + (usize(k) << 2)));
    const bi = at(bPtr, i);
    const vi = at(v, i);
    put(g, i, s - bi);
    u += vi * (0.5 * s - bi);
  }
  return u;
}

// A fresh stream per (seed, chain); the state starts at 0 (a fixed start, like the analog chips).
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x6a09e667f3bcc909) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  memory.fill(xPtr, 0, usize(n) << 3);
  uX = gradient(xPtr, gPtr);
  sweepIndex = 0;
  step = step0;
  daMu = Math.log(10.0 * step0);
  daHbar = 0.0;
  daLogBar = 0.0;
}

let accepted: u64 = 0;
let proposed: u64 = 0;
let acceptedAll: u64 = 0;
let steps: u64 = 0;

function adapt(acceptProb: f64): void {
  // Dual averaging (Hoffman & Gelman 2014, Algorithm 5: gamma 0.05, t0 10, kappa 0.75).
  const m = f64(sweepIndex + 1);
  const w = 1.0 / (m + 10.0);
  daHbar = (1.0 - w) * daHbar + w * (target - acceptProb);
  const logStep = daMu - (Math.sqrt(m) / 0.05) * daHbar;
  const eta = Math.pow(m, -0.75);
  daLogBar = eta * logStep + (1.0 - eta) * daLogBar;
  step = Math.exp(logStep);
  if (sweepIndex + 1 == adaptUntil) step = Math.exp(daLogBar);
}

// Metropolis-Hastings: accept y (energy uY, gradient gy) with probability min(1, e^logA).
function decide(logA: f64, uY: f64): void {
  const u = xoshiroUnitOpen(); // drawn for every test, as a plain implementation does
  const ok = logA >= 0.0 || Math.log(u) < logA;
  if (ok) {
    memory.copy(xPtr, yPtr, usize(n) << 3);
    memory.copy(gPtr, gyPtr, usize(n) << 3);
    uX = uY;
    acceptedAll++;
  }
  if (sweepIndex < adaptUntil) adapt(logA >= 0.0 ? 1.0 : Math.exp(logA));
  else {
    proposed++;
    if (ok) accepted++;
  }
}

function ulaStep(): void {
  normalFill(zPtr, n);
  const s = Math.sqrt(2.0 * step);
  for (let i = 0; i < n; i++) put(xPtr, i, at(xPtr, i) - step * at(gPtr, i) + s * at(zPtr, i));
  uX = gradient(xPtr, gPtr);
}

function malaStep(): void {
  normalFill(zPtr, n);
  const h = step;
  const s = Math.sqrt(2.0 * h);
  for (let i = 0; i < n; i++) put(yPtr, i, at(xPtr, i) - h * at(gPtr, i) + s * at(zPtr, i));
  const uY = gradient(yPtr, gyPtr);
  // log q(x | y) - log q(y | x), q(b | a) = N(a - h grad U(a), 2h I).
  let fwd = 0.0;
  let back = 0.0;
  for (let i = 0; i < n; i++) {
    const xi = at(xPtr, i);
    const yi = at(yPtr, i);
    const f = yi - xi + h * at(gPtr, i);
    const r = xi - yi + h * at(gyPtr, i);
    fwd += f * f;
    back += r * r;
  }
  decide(uX - uY + (fwd - back) / (4.0 * h), uY);
}

function hmcStep(): void {
  normalFill(zPtr, n); // momentum p ~ N(0, I)
  const eps = step;
  let k0 = 0.0;
  for (let i = 0; i < n; i++) {
    const p = at(zPtr, i);
    k0 += 0.5 * p * p;
    put(yPtr, i, at(xPtr, i));
    put(gyPtr, i, at(gPtr, i));
  }
  let uY = uX;
  const count = 1 + i32((u64(xoshiroNext()) * u64(2 * leapfrogs - 1)) >> 32);
  steps += u64(count);
  for (let l = 0; l < count; l++) {
    for (let i = 0; i < n; i++) {
      const p = at(zPtr, i) - 0.5 * eps * at(gyPtr, i);
      put(zPtr, i, p);
      put(yPtr, i, at(yPtr, i) + eps * p);
    }
    uY = gradient(yPtr, gyPtr);
    for (let i = 0; i < n; i++) put(zPtr, i, at(zPtr, i) - 0.5 * eps * at(gyPtr, i));
  }
  let k1 = 0.0;
  for (let i = 0; i < n; i++) k1 += 0.5 * at(zPtr, i) * at(zPtr, i);
  const logA = uX + k0 - uY - k1;
  decide(logA != logA ? -Infinity : logA, uY); // a diverging trajectory (NaN) is rejected
}

function exactDraw(): void {
  normalFill(zPtr, n);
  // Solve L' v = z by back substitution: v ~ N(0, (beta A)^-1).
  for (let i = n - 1; i >= 0; i--) {
    let s = at(zPtr, i);
    for (let k = i + 1; k < n; k++) s -= load<f64>(lPtr + ((usize(k) * usize(n) + usize(i)) << 3)) * at(yPtr, k);
    put(yPtr, i, s / load<f64>(lPtr + ((usize(i) * usize(n) + usize(i)) << 3)));
  }
  for (let i = 0; i < n; i++) put(xPtr, i, at(muPtr, i) + at(yPtr, i));
}

export function run(algo: i32, sweeps: i32, thin: i32, record: i32): void {
  accepted = 0;
  proposed = 0;
  acceptedAll = 0;
  steps = 0;
  let row = 0;
  for (let t = 1; t <= sweeps; t++) {
    if (algo == ALGO_ULA) ulaStep();
    else if (algo == ALGO_MALA) malaStep();
    else if (algo == ALGO_HMC) hmcStep();
    else exactDraw();
    sweepIndex++;
    if (record != 0 && t % thin == 0) {
      memory.copy(outPtr + ((usize(row) * usize(n)) << 3), xPtr, usize(n) << 3);
      row++;
    }
  }
  store<u64>(countersPtr, load<u64>(countersPtr) + accepted);
  store<u64>(countersPtr, load<u64>(countersPtr, 8) + proposed, 8);
  store<u64>(countersPtr, load<u64>(countersPtr, 16) + acceptedAll, 16);
  store<u64>(countersPtr, load<u64>(countersPtr, 24) + steps, 24);
}
