// Clockless (asynchronous) p-bits: every p-bit fires at the events of its own
// Poisson clock (mean interval meanFlipTime); the superposition is one Poisson
// stream of rate n / meanFlipTime whose events pick a p-bit uniformly. A firing
// p-bit sees its neighbours as they were synapseDelay seconds earlier, read
// from a short per-p-bit history of recent changes.
//
// The event gaps are exponential (an exact ziggurat, shared/exponential.ts)
// and the picks uniform, both from words of the chain's eight-lane stream
// drawn a sweep at a time; a p-bit's newest change time sits in its own array,
// so the common case of a neighbour that has not changed within the synapse
// delay costs one load, not a walk through its history. On the integer path
// the fields are kept up to date on every flip (exact integers) together with
// the time of each p-bit's newest neighbour change: when no neighbour changed
// within the delay, the delayed input is the present field, one load.
import * as chip from "../chip";
import { xoshiro8Fill } from "../../shared/xoshiro8";
import { exponentialFrom, exponentialSetup } from "../../shared/exponential";
import { recordSample } from "../record";

const H: i32 = 4; // changes remembered per p-bit
let histTimePtr: usize = 0; // f64[n*H] time of each remembered change
let histPrevPtr: usize = 0; // i8[n*H] value the p-bit had before that change
let headPtr: usize = 0; // i32[n] slot of the newest change
let lastPtr: usize = 0; // f64[n] time of the newest change (-Infinity: none)
let nearPtr: usize = 0; // f64[n] time of the newest change among the p-bit's neighbours
let wordsPtr: usize = 0; // u32[3 n] one sweep's random words: gap layer, gap magnitude, pick
let meanFlipTime: f64 = 1e-9;
let synapseDelay: f64 = 0.0;
export let historyOverflows: u64 = 0; // reads older than the remembered history

export function asyncAllocate(nActive: i32, meanFlipTime_: f64, synapseDelay_: f64): void {
  const m = u64(nActive < 1 ? 1 : nActive);
  chip.allocFanIn();
  histTimePtr = chip.allocZeroed((m * u64(H)) << 3);
  histPrevPtr = chip.allocZeroed(m * u64(H));
  headPtr = chip.allocZeroed(m << 2);
  lastPtr = chip.allocZeroed(m << 3);
  nearPtr = chip.allocZeroed(m << 3);
  wordsPtr = chip.allocZeroed((m * 3) << 2);
  meanFlipTime = meanFlipTime_;
  synapseDelay = synapseDelay_;
  exponentialSetup();
}

// Forget all history (a new chain starts with no recorded changes).
export function asyncReset(): void {
  if (headPtr == 0) return; // not set up: a clocked run
  for (let k = 0; k < chip.n * H; k++) store<f64>(histTimePtr + (usize(k) << 3), -Infinity);
  for (let k = 0; k < chip.n; k++) {
    store<f64>(lastPtr + (usize(k) << 3), -Infinity);
    store<f64>(nearPtr + (usize(k) << 3), -Infinity);
  }
  memory.fill(headPtr, 0, usize(chip.n) << 2);
}

// The value p-bit j had at time tq: its present value unless it changed after tq.
@inline function valueAt(j: i32, tq: f64, last: usize, state: usize): f64 {
  if (load<f64>(last + (usize(j) << 3)) <= tq) return f64(load<i8>(state + usize(j)));
  return pastValue(j, tq);
}

// The rare case: walk p-bit j's history back to tq.
function pastValue(j: i32, tq: f64): f64 {
  const base = usize(j) * usize(H);
  let slot = load<i32>(headPtr + (usize(j) << 2));
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
  const last = lastPtr, near = nearPtr, words = wordsPtr, fan = chip.fanInPtr;
  for (let sweep = 1; sweep <= sweeps; sweep++) {
    let flips: u64 = 0;
    let fanIn: u64 = 0;
    xoshiro8Fill(words, 3 * free);
    for (let evt = 0; evt < free; evt++) {
      const wp = words + usize(12 * evt);
      t += meanGap * exponentialFrom(load<u32>(wp), load<u32>(wp, 4));
      const pick = i32((u64(load<u32>(wp, 8)) * un) >> 32);
      const i = free == n ? pick : load<i32>(members + (usize(pick) << 2));
      // The input as the neighbours were synapseDelay ago (rows are padded
      // with zero weights, which add nothing).
      const r = ev.record(rec, i);
      const e0 = ev.rowStart(r);
      const e1 = e0 + (ev.rowGroups(r) << 2);
      const tq = t - synapseDelay;
      let acc: f64;
      if (ev.incremental() && load<f64>(near + (usize(i) << 3)) <= tq) acc = f64(ev.field(i));
      else {
        acc = ev.bias(r);
        for (let e = e0; e < e1; e++) acc += ev.weight(w, usize(e)) * valueAt(load<i32>(nbr + (usize(e) << 2)), tq, last, state);
      }
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
        store<f64>(last + (usize(i) << 3), t);
        store<i8>(sp, next);
        if (ev.incremental()) {
          // Neighbours' fields move by 2 J s_new, and they note when.
          const d = i32(next) << 1;
          for (let e = e0; e < e1; e++) {
            const q = load<i32>(nbr + (usize(e) << 2));
            if (q == i) continue; // row padding
            ev.addToField(q, d, w, usize(e));
            store<f64>(near + (usize(q) << 3), t);
          }
        }
      }
      fanIn += u64(load<i32>(fan + (usize(i) << 2)));
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
