// Clockless (asynchronous) p-bits: every p-bit fires at the events of its own
// Poisson clock (mean interval meanFlipTime); the superposition is one Poisson
// stream of rate n / meanFlipTime whose events pick a p-bit uniformly. A firing
// p-bit sees its neighbours as they were synapseDelay seconds earlier, read
// from a short per-p-bit history of recent changes.
import {
  n, nbrPtr, offPtr, wPtr, hPtr, gainPtr, xoffPtr, fanInPtr, statePtr, accMax, bitsPerDraw,
  chainTime, count, C_RANDOM_BITS, C_MAC_OPS, C_WEIGHT_READS, C_COMPARATOR_EVALS,
  C_STATE_WRITES, C_FLIPS, C_UPDATES,
} from "../chip";
import * as chip from "../chip";
import { xoshiroNext, xoshiroUnitOpen } from "../../shared/xoshiro";
import { recordSample } from "../record";

const H: i32 = 4; // changes remembered per p-bit
let histTimePtr: usize = 0; // f64[n*H] time of each remembered change
let histPrevPtr: usize = 0; // f64[n*H] value the p-bit had before that change
let headPtr: usize = 0; // i32[n] slot of the newest change
let meanFlipTime: f64 = 1e-9;
let synapseDelay: f64 = 0.0;
export let historyOverflows: u64 = 0; // reads older than the remembered history

export function asyncAllocate(nActive: i32, meanFlipTime_: f64, synapseDelay_: f64): void {
  const m = usize(nActive < 1 ? 1 : nActive);
  histTimePtr = heap.alloc(m * usize(H) << 3);
  histPrevPtr = heap.alloc(m * usize(H) << 3);
  headPtr = heap.alloc(m << 2);
  meanFlipTime = meanFlipTime_;
  synapseDelay = synapseDelay_;
}

// Forget all history (a new chain starts with no recorded changes).
export function asyncReset(): void {
  for (let k = 0; k < n * H; k++) store<f64>(histTimePtr + (usize(k) << 3), -Infinity);
  memory.fill(headPtr, 0, usize(n) << 2);
}

// The value p-bit j had at time tq.
@inline function valueAt(j: i32, tq: f64): f64 {
  const base = usize(j) * usize(H);
  let slot = load<i32>(headPtr + (usize(j) << 2));
  if (load<f64>(histTimePtr + ((base + usize(slot)) << 3)) <= tq) return load<f64>(statePtr + (usize(j) << 3));
  let v: f64 = 0;
  for (let k = 0; k < H; k++) {
    const p = (base + usize(slot)) << 3;
    if (load<f64>(histTimePtr + p) <= tq) return v;
    v = load<f64>(histPrevPtr + p);
    slot = (slot + H - 1) % H;
  }
  historyOverflows++;
  return v; // oldest value we know of
}

@inline function delayedInput(i: i32, tq: f64): f64 {
  const e0 = load<i32>(offPtr + (usize(i) << 2));
  const e1 = load<i32>(offPtr + (usize(i + 1) << 2));
  let acc: f64 = load<f64>(hPtr + (usize(i) << 3));
  for (let e = e0; e < e1; e++) {
    const ep = usize(e);
    acc += load<f64>(wPtr + (ep << 3)) * valueAt(load<i32>(nbrPtr + (ep << 2)), tq);
  }
  if (acc > accMax) acc = accMax;
  else if (acc < -accMax) acc = -accMax;
  return acc * load<f64>(gainPtr + (usize(i) << 3)) + load<f64>(xoffPtr + (usize(i) << 3));
}

export function asyncSweeps<R, A>(rng: R, act: A, sweeps: i32, thin: i32, outPtr: usize): void {
  let row = 0;
  let t = chainTime;
  const meanGap = meanFlipTime / f64(n);
  const un = u64(n);
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    let flips: u64 = 0;
    let fanIn: u64 = 0;
    for (let ev = 0; ev < n; ev++) {
      t -= meanGap * Math.log(xoshiroUnitOpen());
      const i = i32((u64(xoshiroNext()) * un) >> 32);
      const x = delayedInput(i, t - synapseDelay);
      const thr = act.threshold(x);
      const r = rng.next(i, t);
      const sp = statePtr + (usize(i) << 3);
      const old = load<f64>(sp);
      const next: f64 = u64(r) < thr ? 1.0 : -1.0;
      if (next != old) {
        flips++;
        const hp = headPtr + (usize(i) << 2);
        const slot = (load<i32>(hp) + 1) % H;
        store<i32>(hp, slot);
        const p = (usize(i) * usize(H) + usize(slot)) << 3;
        store<f64>(histTimePtr + p, t);
        store<f64>(histPrevPtr + p, old);
        store<f64>(sp, next);
      }
      fanIn += u64(load<i32>(fanInPtr + (usize(i) << 2)));
    }
    count(C_FLIPS, flips);
    count(C_UPDATES, un);
    count(C_COMPARATOR_EVALS, un);
    count(C_STATE_WRITES, un);
    count(C_RANDOM_BITS, un * bitsPerDraw);
    count(C_MAC_OPS, fanIn);
    count(C_WEIGHT_READS, fanIn + un);
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
