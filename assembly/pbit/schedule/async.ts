// Clockless (asynchronous) p-bits: every p-bit fires at the events of its own
// Poisson clock (mean interval meanFlipTime); the superposition is one Poisson
// stream of rate n / meanFlipTime whose events pick a p-bit uniformly. A firing
// p-bit sees its neighbours as they were synapseDelay seconds earlier, read
// from a short per-p-bit history of recent changes.
import * as chip from "../chip";
import { xoshiroNext, xoshiroUnitOpen } from "../../shared/xoshiro";
import { recordSample } from "../record";

const H: i32 = 4; // changes remembered per p-bit
let histTimePtr: usize = 0; // f64[n*H] time of each remembered change
let histPrevPtr: usize = 0; // i8[n*H] value the p-bit had before that change
let headPtr: usize = 0; // i32[n] slot of the newest change
let meanFlipTime: f64 = 1e-9;
let synapseDelay: f64 = 0.0;
export let historyOverflows: u64 = 0; // reads older than the remembered history

export function asyncAllocate(nActive: i32, meanFlipTime_: f64, synapseDelay_: f64): void {
  const m = u64(nActive < 1 ? 1 : nActive);
  chip.allocFanIn();
  histTimePtr = chip.allocZeroed((m * u64(H)) << 3);
  histPrevPtr = chip.allocZeroed(m * u64(H));
  headPtr = chip.allocZeroed(m << 2);
  meanFlipTime = meanFlipTime_;
  synapseDelay = synapseDelay_;
}

// Forget all history (a new chain starts with no recorded changes).
export function asyncReset(): void {
  if (headPtr == 0) return; // not set up: a clocked run
  for (let k = 0; k < chip.n * H; k++) store<f64>(histTimePtr + (usize(k) << 3), -Infinity);
  memory.fill(headPtr, 0, usize(chip.n) << 2);
}

// The value p-bit j had at time tq.
@inline function valueAt(j: i32, tq: f64): f64 {
  const base = usize(j) * usize(H);
  let slot = load<i32>(headPtr + (usize(j) << 2));
  if (load<f64>(histTimePtr + ((base + usize(slot)) << 3)) <= tq) return f64(load<i8>(chip.statePtr + usize(j)));
  let v: f64 = 0;
  for (let k = 0; k < H; k++) {
    const p = base + usize(slot);
    if (load<f64>(histTimePtr + (p << 3)) <= tq) return v;
    v = f64(load<i8>(histPrevPtr + p));
    slot = (slot + H - 1) % H;
  }
  historyOverflows++;
  return v; // oldest value we know of
}

export function asyncSweeps<R, E>(rng: R, ev: E, sweeps: i32, thin: i32, outPtr: usize): void {
  const n = chip.n;
  const rec = chip.recPtr, nbr = chip.nbrPtr, w = chip.wPtr, state = chip.statePtr;
  let row = 0;
  let t = chip.chainTime;
  // Only free p-bits fire (clamped ones are gated): events pick among members[0 .. free).
  const free = chip.nFree;
  const meanGap = meanFlipTime / f64(free);
  const un = u64(free);
  const members = chip.membersPtr;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    let flips: u64 = 0;
    let fanIn: u64 = 0;
    for (let evt = 0; evt < free; evt++) {
      t -= meanGap * Math.log(xoshiroUnitOpen());
      const pick = i32((u64(xoshiroNext()) * un) >> 32);
      const i = free == n ? pick : load<i32>(members + (usize(pick) << 2));
      // The input as the neighbours were synapseDelay ago (rows are padded
      // with zero weights, which add nothing).
      const r = ev.record(rec, i);
      const e0 = ev.rowStart(r);
      const e1 = e0 + (ev.rowGroups(r) << 2);
      const tq = t - synapseDelay;
      let acc: f64 = ev.bias(r);
      for (let e = e0; e < e1; e++) acc += ev.weight(w, usize(e)) * valueAt(load<i32>(nbr + (usize(e) << 2)), tq);
      const thr = ev.fromAcc(i, rec, acc);
      const rnd = rng.next(i, t);
      const sp = state + usize(i);
      const old = load<i8>(sp);
      const next = i8((ev.accept(rnd, thr) << 1) - 1);
      if (next != old) {
        flips++;
        const hp = headPtr + (usize(i) << 2);
        const slot = (load<i32>(hp) + 1) % H;
        store<i32>(hp, slot);
        const p = usize(i) * usize(H) + usize(slot);
        store<f64>(histTimePtr + (p << 3), t);
        store<i8>(histPrevPtr + p, old);
        store<i8>(sp, next);
      }
      fanIn += u64(load<i32>(chip.fanInPtr + (usize(i) << 2)));
    }
    chip.count(chip.C_FLIPS, flips);
    chip.count(chip.C_UPDATES, un);
    chip.count(chip.C_COMPARATOR_EVALS, un);
    chip.count(chip.C_STATE_WRITES, un);
    chip.count(chip.C_RANDOM_BITS, un * chip.bitsPerDraw);
    chip.count(chip.C_MAC_OPS, fanIn);
    chip.count(chip.C_WEIGHT_READS, fanIn + un);
    if (outPtr != 0 && sweep % thin == 0) recordSample(outPtr, row++);
  }
  chip.chainTime = t;
}
