/**
 * Runs chains of a mapped model on one instance of the p-bit kernel: loads
 * the mapping into linear memory, sets the per-phase action increments, and
 * collects samples and counters. Chain k's randomness depends only on
 * (seed, k), so any split of chains across workers gives the same bytes.
 */
import { instantiateKernel, type Flavour, type Instance } from "../../wasm/load.js";
import { CREC, EVAL_CODE, EVAL_CODE_LUT, GRID_SCHEDULE_CODE, REC, SCHEDULE_CODE, type PbitKernel } from "../../wasm/pbit-kernel.js";
import { classLists } from "../colouring.js";
import type { PbitMapping } from "../../mapping/pbit.js";
import type { PbitSpec, Schedule } from "./spec.js";
import { COUNTER_INDEX, NUM_COUNTERS, UPDATES_INDEX } from "./actions.js";
import { InputError } from "../../errors.js";
import { bufferRowsFor, runChain, sumInOrder, type ChainKernel, type ChainOptions, type ChainResult } from "../chains.js";
import { allocateGrid, fillGrid, gridPlan, slotOf, slotRows, type GridPlan } from "./grid.js";

export interface PbitRunOptions extends ChainOptions {
  schedule: Schedule;
  clamp?: PbitClamp;
  /** "general" forces the neighbour-list path where the grid path would run (tests, benchmarks). */
  kernelPath?: "auto" | "general";
  /**
   * After a chain's rows: how many more rows it should record (0: done),
   * given the rows recorded so far. The chain continues on its own random
   * stream, exactly as a longer run would (discard read-out of embedded
   * models); rows go to the sink, numbered on from the first ones.
   */
  more?: (chain: number, rowsSoFar: number) => number;
}

/**
 * Clamped p-bits (gated: never updated, holding a value the host wrote):
 * mapping variables `vars`; chain g (global index) holds `values(g)` (+-1, one per var).
 */
export interface PbitClamp {
  vars: Int32Array;
  values(chain: number): Int8Array;
}

export interface PbitRunResult extends ChainResult {
  /** +-1 spins. */
  samples: Int8Array;
  diagnostics: {
    telegraph_refreshes: number;
    async_history_overflows: number;
    rng_shifts_per_read: number;
    /** Standard deviation of the drawn relative gain error and input offset (this instance). */
    mismatch_gain_sd: number;
    mismatch_offset_sd: number;
  };
}

/** Clock cycles between two reads of the same p-bit. */
export function cyclesPerSweep(m: PbitMapping, schedule: Schedule): number {
  return schedule === "synchronous" ? m.cyclesPerPhase : m.classes * m.cyclesPerPhase;
}

function countRow(m: PbitMapping, spec: PbitSpec, members: ArrayLike<number>): BigUint64Array {
  const row = new BigUint64Array(NUM_COUNTERS);
  let fan = 0;
  for (let k = 0; k < members.length; k++) fan += m.fanIn[members[k]];
  const size = members.length;
  const C = COUNTER_INDEX;
  row[C.random_bits] = BigInt(size * spec.rng.bitsPerDraw);
  row[C.mac_ops] = BigInt(fan);
  row[C.weight_reads] = BigInt(fan + size);
  row[C.comparator_evals] = BigInt(size);
  row[C.state_writes] = BigInt(size);
  row[C.clock_cycles] = BigInt(m.cyclesPerPhase);
  row[C.pbit_cycles_idle] = BigInt((m.chipSize - size) * m.cyclesPerPhase);
  row[UPDATES_INDEX] = BigInt(size);
  return row;
}

/** Row starts of the kernel's neighbour lists: each row padded to a multiple of 4. */
export function paddedOffsets(m: PbitMapping): Int32Array {
  const slots = slotRows(m);
  if (slots) return Int32Array.from({ length: m.n + 1 }, (_, i) => i * slots.dx.length);
  let total = 0;
  for (let i = 0; i < m.n; i++) total += Math.ceil(m.degree[i] / 4) * 4;
  // The kernel indexes neighbour lists with 32-bit integers.
  if (total > 2 ** 31 - 1) throw new InputError("the chip model", undefined, `needs ${total} neighbour-list entries, more than the kernel's 2^31 - 1`);
  const off = new Int32Array(m.n + 1);
  for (let i = 0; i < m.n; i++) off[i + 1] = off[i] + Math.ceil(m.degree[i] / 4) * 4;
  return off;
}

/**
 * Fill the kernel's neighbour lists straight from the model's edge list
 * (rows in edge order, padded with zero weights pointing at the p-bit itself),
 * without intermediate copies: a million-p-bit model has 12M entries.
 */
function fillRows(m: PbitMapping, off: Int32Array, nbr: Int32Array, w: Int8Array | Int16Array | Int32Array | Float64Array, scale: number): void {
  const { ei, ej } = m.model;
  const codes = !(w instanceof Float64Array);
  const slots = slotRows(m);
  if (slots) {
    // Every offset slot in order (a missing coupling: weight 0 on the p-bit itself), as the grid path adds them.
    for (let i = 0; i < m.n; i++) nbr.fill(i, off[i], off[i + 1]);
    for (let k = 0; k < ei.length; k++) {
      const v = codes ? Math.round(m.weight(k) * scale) : m.weight(k);
      const a = ei[k];
      const b = ej[k];
      const sa = off[a] + slotOf(slots, a, b);
      const sb = off[b] + slotOf(slots, b, a);
      nbr[sa] = b;
      w[sa] = v;
      nbr[sb] = a;
      w[sb] = v;
    }
    return;
  }
  const fill = off.slice(0, m.n);
  for (let k = 0; k < ei.length; k++) {
    const v = codes ? Math.round(m.weight(k) * scale) : m.weight(k);
    const a = ei[k];
    const b = ej[k];
    nbr[fill[a]] = b;
    w[fill[a]++] = v;
    nbr[fill[b]] = a;
    w[fill[b]++] = v;
  }
  for (let i = 0; i < m.n; i++) {
    nbr.fill(i, fill[i], off[i + 1]);
    w.fill(0, fill[i], off[i + 1]);
  }
}

/**
 * The kernel's allocations for a mapped model, in order. Run for real by
 * loadPbitChip and in planning mode by planPbitBytes: one sequence, so the
 * planned memory is what loading takes.
 */
function allocateChip(k: PbitKernel, spec: PbitSpec, m: PbitMapping, schedule: Schedule, off: Int32Array, bufferRows: number, grid?: GridPlan): void {
  const lutEntries = m.lut ? m.lut.entries : 1;
  const codes = m.evaluator === "code-lut";
  const mismatch = spec.mismatch.gainSigma !== 0 || spec.mismatch.offsetSigma !== 0;
  // The grid path keeps the weights in its own layout: no records or neighbour lists.
  if (grid && !grid.float) k.allocate(m.n, 0, m.classes, lutEntries, 1, 0, 1);
  else k.allocate(m.n, off[m.n], m.classes, lutEntries, codes ? m.codeBytes : 8, codes ? CREC.size : REC.size, 0);
  if (mismatch) k.allocPhys();
  k.selectEvaluator(m.evaluator === "code-lut" ? EVAL_CODE_LUT[m.codeBytes] : EVAL_CODE[m.evaluator]);
  const rngArgs = spec.rng.kernelArgs({ schedule, cyclesPerSweep: cyclesPerSweep(m, schedule) });
  k.selectRng(spec.rng.code, rngArgs.lfsrShifts, rngArgs.dwellSeconds);
  if (schedule === "async") k.setupAsync(spec.async!.meanFlipTime, spec.async!.synapseDelay);
  k.outputBuffer(bufferRows * m.n);
  k.setComparator(spec.activation.comparator === "sign-magnitude" ? 1 : 0);
  if (grid) allocateGrid(k, grid);
}

/** Class lists of the free (unclamped) p-bits. */
function freeClassLists(m: PbitMapping, clamped?: Int32Array): { members: Int32Array; start: Int32Array } {
  const all = classLists(m.colour, m.classes);
  if (!clamped || clamped.length === 0) return all;
  const gated = new Uint8Array(m.n);
  for (const i of clamped) gated[i] = 1;
  const members: number[] = [];
  const start = new Int32Array(m.classes + 1);
  for (let c = 0; c < m.classes; c++) {
    for (let k = all.start[c]; k < all.start[c + 1]; k++) if (!gated[all.members[k]]) members.push(all.members[k]);
    start[c + 1] = members.length;
  }
  return { members: Int32Array.from(members), start };
}

/** Bytes of WebAssembly memory one instance of this chip takes (its output buffer included). */
export function planPbitBytes(spec: PbitSpec, m: PbitMapping, schedule: Schedule, bufferRows: number): number {
  const inst = instantiateKernel<PbitKernel>("pbit");
  inst.exports.planBegin();
  allocateChip(inst.exports, spec, m, schedule, paddedOffsets(m), bufferRows, gridPlan(m, schedule).plan);
  return inst.exports.planBytes();
}

/** A schedule the chip can run (the async one needs the spec's timing). */
export function checkSchedule(spec: PbitSpec, schedule: Schedule): void {
  if (schedule === "async" && !spec.async) {
    throw new InputError(spec.file, "async", `chip ${spec.name} has no async timing; add async.mean_flip_time to run the async schedule`);
  }
}

/** Build a kernel instance holding the mapped model (no chain started yet). */
export function loadPbitChip(spec: PbitSpec, m: PbitMapping, schedule: Schedule, seed: number, flavour?: Flavour, bufferRows = 1, clamped?: Int32Array, grid?: GridPlan): Instance<PbitKernel> {
  checkSchedule(spec, schedule);
  const inst = instantiateKernel<PbitKernel>("pbit", flavour);
  const k = inst.exports;
  const off = paddedOffsets(m);
  const nnz = off[m.n];
  const codes = m.evaluator === "code-lut";
  const mismatch = spec.mismatch.gainSigma !== 0 || spec.mismatch.offsetSigma !== 0;
  allocateChip(k, spec, m, schedule, off, bufferRows, grid);

  // Every allocation is done: views taken from here on stay valid.
  const v = inst.view;
  if (grid && !grid.float) {
    k.setGridMode(1); // weights go into the grid layout (fillGrid, below)
  } else if (codes) {
    const rec = v(Int32Array, k.ptrRec(), (m.n * CREC.size) / 4);
    for (let i = 0; i < m.n; i++) {
      const q = (i * CREC.size) / 4;
      rec[q + CREC.e0 / 4] = off[i];
      rec[q + CREC.groups / 4] = (off[i + 1] - off[i]) / 4;
      rec[q + CREC.h / 4] = Math.round(m.h[i] / m.accLsb);
    }
  } else {
    const recF = v(Float64Array, k.ptrRec(), (m.n * REC.size) / 8);
    const recI = v(Int32Array, k.ptrRec(), (m.n * REC.size) / 4);
    for (let i = 0; i < m.n; i++) {
      const f = (i * REC.size) / 8;
      const q = (i * REC.size) / 4;
      recF[f + REC.h / 8] = m.h[i];
      recF[f + REC.gain / 8] = m.gain;
      recF[f + REC.xoff / 8] = 0;
      recI[q + REC.e0 / 4] = off[i];
      recI[q + REC.groups / 4] = (off[i + 1] - off[i]) / 4;
    }
  }
  if (!grid || grid.float) {
    const wp = k.ptrW();
    const wView = !codes ? v(Float64Array, wp, nnz)
      : m.codeBytes === 1 ? v(Int8Array, wp, nnz) : m.codeBytes === 2 ? v(Int16Array, wp, nnz) : v(Int32Array, wp, nnz);
    fillRows(m, off, v(Int32Array, k.ptrNbr(), nnz), wView, 1 / m.accLsb);
  }
  if (schedule === "async") v(Int32Array, k.ptrFanIn(), m.n).set(m.fanIn);
  if (mismatch) v(Int32Array, k.ptrPhys(), m.n).set(m.phys);
  if (m.lut) v(BigUint64Array, k.ptrLut(), m.lut.entries).set(m.lut.table);

  // Members grouped by colour class, and each phase's fixed action increments.
  // Clamped p-bits are left out of the class lists: they never update and cost nothing per sweep.
  const { members, start } = freeClassLists(m, clamped);
  v(Int32Array, k.ptrMembers(), members.length).set(members);
  v(Int32Array, k.ptrClassStart(), m.classes + 1).set(start);
  k.setFree(members.length);
  const counts = v(BigUint64Array, k.ptrClassCounts(), m.classes * NUM_COUNTERS);
  for (let c = 0; c < m.classes; c++) counts.set(countRow(m, spec, members.subarray(start[c], start[c + 1])), c * NUM_COUNTERS);
  v(BigUint64Array, k.ptrSyncCounts(), NUM_COUNTERS).set(countRow(m, spec, members));

  const lutInvStep = m.lut ? 1 / m.lut.step : 1;
  const accMaxCode = codes ? Math.round(m.accMax / m.accLsb) : 0x7fffffff;
  k.setParams(m.accMax, accMaxCode, lutInvStep, spec.activation.compareBits, spec.rng.bitsPerDraw, 1 / spec.clock.frequency);
  k.applyMismatch(BigInt(seed), spec.mismatch.gainSigma, spec.mismatch.offsetSigma);
  // Programming writes every hardware weight word (fan-in) plus the bias.
  let words = 0;
  for (let i = 0; i < m.n; i++) words += m.fanIn[i] + 1;
  k.program(words);
  if (grid) fillGrid(inst, grid, m);
  return inst;
}

/** Exponential deviates (mean 1) from the kernel's generator, as the async schedule draws its gaps (for checking it). */
export function kernelExponentials(count: number, seed: number): Float64Array {
  const inst = instantiateKernel<PbitKernel>("pbit");
  const k = inst.exports;
  k.outputBuffer(count * 8);
  k.exponentials(BigInt(seed), count);
  return inst.view(Float64Array, k.outputBuffer(0), count).slice();
}

/**
 * The activation gain and input offset of every active p-bit of a loaded
 * chip instance, mismatch included (float path; on the code path there is no
 * mismatch and every p-bit has the mapping's gain).
 */
export function instanceParameters(inst: Instance<PbitKernel>, m: PbitMapping): { gain: Float64Array; offset: Float64Array } {
  const gain = new Float64Array(m.n).fill(m.gain);
  const offset = new Float64Array(m.n);
  if (m.evaluator !== "code-lut") {
    const rec = inst.view(Float64Array, inst.exports.ptrRec(), (m.n * REC.size) / 8);
    for (let i = 0; i < m.n; i++) {
      gain[i] = rec[(i * REC.size + REC.gain) / 8];
      offset[i] = rec[(i * REC.size + REC.xoff) / 8];
    }
  }
  return { gain, offset };
}

export function runPbit(spec: PbitSpec, m: PbitMapping, o: PbitRunOptions): PbitRunResult {
  const bufferRows = bufferRowsFor(m.n, o);
  const grid = o.kernelPath === "general" ? undefined : gridPlan(m, o.schedule, o.clamp?.vars).plan;
  const inst = loadPbitChip(spec, m, o.schedule, o.seed, o.flavour, bufferRows, o.clamp?.vars, grid);
  const k = inst.exports;
  const drawn = instanceParameters(inst, m);
  const sd = (xs: Float64Array, f: (x: number) => number) => Math.sqrt(xs.reduce((a, x) => a + f(x) ** 2, 0) / Math.max(1, xs.length));
  const samples = new Int8Array(o.sink ? 0 : o.chains * o.samples * m.n);
  const sched = grid ? GRID_SCHEDULE_CODE[o.schedule as "chromatic" | "synchronous"] : SCHEDULE_CODE[o.schedule];
  const first = o.firstChain ?? 0;
  const chainSeconds: number[] = [];
  const kernel: ChainKernel = {
    run: (sweeps, thin, record) => k.run(sched, sweeps, thin, record ? 1 : 0),
    rows: (count) => inst.view(Int8Array, k.outputBuffer(0), count * m.n),
  };
  // Wall time is the simulation's alone: what the sink spends (file writes, traces) is taken out.
  let sinkMs = 0;
  const t0 = performance.now();
  for (let c = 0; c < o.chains; c++) {
    k.seedChain(BigInt(o.seed), first + c);
    if (o.clamp) {
      const state = inst.view(Int8Array, k.ptrState(), m.n);
      const values = o.clamp.values(first + c);
      o.clamp.vars.forEach((i, j) => (state[i] = values[j]));
      k.clampWritten(o.clamp.vars.length);
    }
    runChain(kernel, o, bufferRows, (row, count, rows) => {
      const t = performance.now();
      if (o.sink) o.sink(first + c, row, count, rows);
      else samples.set(rows, (c * o.samples + row) * m.n);
      sinkMs += performance.now() - t;
    });
    if (o.more) {
      if (!o.sink) throw new Error("runPbit: more rows need a sink");
      for (let done = o.samples, extra = o.more(first + c, done); extra > 0; done += extra, extra = o.more(first + c, done)) {
        const from = done;
        runChain(kernel, { ...o, burnIn: 0, samples: extra }, bufferRows, (row, count, rows) => {
          const t = performance.now();
          o.sink!(first + c, from + row, count, rows);
          sinkMs += performance.now() - t;
        });
      }
    }
    chainSeconds.push(k.chainSeconds());
  }
  const wallSeconds = (performance.now() - t0 - sinkMs) / 1000;
  const raw = inst.view(BigUint64Array, k.ptrCounters(), NUM_COUNTERS);
  const counts: Record<string, number> = {};
  for (const [name, idx] of Object.entries(COUNTER_INDEX)) counts[name] = Number(raw[idx]);
  return {
    samples,
    counts,
    updates: Number(raw[UPDATES_INDEX]),
    chipSeconds: sumInOrder(chainSeconds),
    chainSeconds,
    wallSeconds,
    kernelBytes: inst.memory.buffer.byteLength,
    diagnostics: {
      telegraph_refreshes: Number(k.telegraphRefreshes()),
      async_history_overflows: Number(k.asyncHistoryOverflows()),
      rng_shifts_per_read: spec.rng.kernelArgs({ schedule: o.schedule, cyclesPerSweep: cyclesPerSweep(m, o.schedule) }).lfsrShifts,
      mismatch_gain_sd: sd(drawn.gain, (g) => (m.gain > 0 ? g / m.gain - 1 : 0)),
      mismatch_offset_sd: sd(drawn.offset, (x) => x),
    },
  };
}
