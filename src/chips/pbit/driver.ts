/**
 * Runs chains of a mapped model on one instance of the p-bit kernel: loads
 * the mapping into linear memory, sets the per-phase action increments, and
 * collects samples and counters. Chain k's randomness depends only on
 * (seed, k), so any split of chains across workers gives the same bytes.
 */
import { instantiateKernel, type Flavour, type Instance } from "../../wasm/load.js";
import { EVAL_CODE, REC, SCHEDULE_CODE, type PbitKernel } from "../../wasm/pbit-kernel.js";
import type { PbitMapping } from "../../mapping/pbit.js";
import type { PbitSpec, Schedule } from "./spec.js";
import { COUNTER_INDEX, NUM_COUNTERS, UPDATES_INDEX } from "./actions.js";
import { InputError } from "../../errors.js";

export interface PbitRunOptions {
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  seed: number;
  schedule: Schedule;
  flavour?: Flavour;
  /** Run chains firstChain .. firstChain+chains-1 (workers split the range). */
  firstChain?: number;
}

export interface PbitRunResult {
  /** rows = chains x samples, columns = model variables, +-1. */
  samples: Int8Array;
  /** Kernel counters by action name (pbit_seconds not included). */
  counts: Record<string, number>;
  updates: number;
  chipSeconds: number;
  /** Simulated time of each chain; chipSeconds is their sum in chain order. */
  chainSeconds: number[];
  /** Wall time of the chain runs alone. */
  wallSeconds: number;
  diagnostics: { telegraph_refreshes: number; async_history_overflows: number; rng_shifts_per_read: number };
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

/**
 * The kernel reads neighbour lists in groups of four: pad every row with
 * zero-weight entries (pointing at the p-bit itself) to a multiple of 4.
 */
export function paddedRows(m: PbitMapping): { off: Int32Array; nbr: Int32Array; w: Float64Array } {
  const off = new Int32Array(m.n + 1);
  for (let i = 0; i < m.n; i++) off[i + 1] = off[i] + Math.ceil((m.csr.off[i + 1] - m.csr.off[i]) / 4) * 4;
  const nbr = new Int32Array(off[m.n]);
  const w = new Float64Array(off[m.n]);
  for (let i = 0; i < m.n; i++) {
    const len = m.csr.off[i + 1] - m.csr.off[i];
    nbr.set(m.csr.nbr.subarray(m.csr.off[i], m.csr.off[i + 1]), off[i]);
    w.set(m.w.subarray(m.csr.off[i], m.csr.off[i + 1]), off[i]);
    nbr.fill(i, off[i] + len, off[i + 1]);
  }
  return { off, nbr, w };
}

/** Build a kernel instance holding the mapped model (no chain started yet). */
export function loadPbitChip(spec: PbitSpec, m: PbitMapping, schedule: Schedule, seed: number, flavour?: Flavour): Instance<PbitKernel> {
  if (schedule === "async" && !spec.async) {
    throw new InputError(spec.file, "async", `chip ${spec.name} has no async timing; add async.mean_flip_time to run the async schedule`);
  }
  const inst = instantiateKernel<PbitKernel>("pbit", flavour);
  const k = inst.exports;
  const lutEntries = m.lut ? m.lut.entries : 1;
  const rows = paddedRows(m);
  const codes = m.evaluator === "code-lut";
  k.allocate(m.n, rows.nbr.length, m.classes, lutEntries, codes ? 4 : 8);
  k.selectEvaluator(EVAL_CODE[m.evaluator]);
  const rngArgs = spec.rng.kernelArgs({ schedule, cyclesPerSweep: cyclesPerSweep(m, schedule) });
  k.selectRng(spec.rng.code, rngArgs.lfsrShifts, rngArgs.dwellSeconds);
  k.setupAsync(spec.async?.meanFlipTime ?? 1e-9, spec.async?.synapseDelay ?? 0);

  // Every allocation is done: views taken from here on stay valid.
  const v = inst.view;
  const recF = v(Float64Array, k.ptrRec(), (m.n * REC.size) / 8);
  const recI = v(Int32Array, k.ptrRec(), (m.n * REC.size) / 4);
  for (let i = 0; i < m.n; i++) {
    const f = (i * REC.size) / 8;
    const q = (i * REC.size) / 4;
    recF[f + REC.h / 8] = codes ? Math.round(m.h[i] / m.accLsb) : m.h[i];
    recF[f + REC.gain / 8] = m.gain;
    recF[f + REC.xoff / 8] = 0;
    recI[q + REC.e0 / 4] = rows.off[i];
    recI[q + REC.groups / 4] = (rows.off[i + 1] - rows.off[i]) / 4;
  }
  v(Int32Array, k.ptrNbr(), rows.nbr.length).set(rows.nbr);
  if (codes) v(Int32Array, k.ptrW(), rows.w.length).set(rows.w.map((x) => Math.round(x / m.accLsb)));
  else v(Float64Array, k.ptrW(), rows.w.length).set(rows.w);
  v(Int32Array, k.ptrFanIn(), m.n).set(m.fanIn);
  v(Int32Array, k.ptrPhys(), m.n).set(m.phys);
  if (m.lut) v(BigUint64Array, k.ptrLut(), m.lut.entries).set(m.lut.table);

  // Members grouped by colour class, and each phase's fixed action increments.
  const start = new Int32Array(m.classes + 1);
  for (let i = 0; i < m.n; i++) start[m.colour[i] + 1]++;
  for (let c = 0; c < m.classes; c++) start[c + 1] += start[c];
  const fill = start.slice(0, m.classes);
  const members = new Int32Array(m.n);
  for (let i = 0; i < m.n; i++) members[fill[m.colour[i]]++] = i;
  v(Int32Array, k.ptrMembers(), m.n).set(members);
  v(Int32Array, k.ptrClassStart(), m.classes + 1).set(start);
  const counts = v(BigUint64Array, k.ptrClassCounts(), m.classes * NUM_COUNTERS);
  for (let c = 0; c < m.classes; c++) counts.set(countRow(m, spec, members.subarray(start[c], start[c + 1])), c * NUM_COUNTERS);
  const all = new Int32Array(m.n).map((_, i) => i);
  v(BigUint64Array, k.ptrSyncCounts(), NUM_COUNTERS).set(countRow(m, spec, all));

  const lutInvStep = m.lut ? 1 / m.lut.step : 1;
  const accMaxCode = codes ? Math.round(m.accMax / m.accLsb) : 0x7fffffff;
  k.setParams(m.accMax, accMaxCode, lutInvStep, spec.activation.compareBits, spec.rng.bitsPerDraw, 1 / spec.clock.frequency);
  k.applyMismatch(BigInt(seed), spec.mismatch.gainSigma, spec.mismatch.offsetSigma);
  k.program();
  return inst;
}

/** Sum in chain order, so the total does not depend on how chains were split. */
export function sumInOrder(xs: number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}

export function runPbit(spec: PbitSpec, m: PbitMapping, o: PbitRunOptions): PbitRunResult {
  const inst = loadPbitChip(spec, m, o.schedule, o.seed, o.flavour);
  const k = inst.exports;
  const rowsPerChain = o.samples;
  const samples = new Int8Array(o.chains * rowsPerChain * m.n);
  k.outputBuffer(Math.max(1, rowsPerChain * m.n));
  const sched = SCHEDULE_CODE[o.schedule];
  const first = o.firstChain ?? 0;
  const chainSeconds: number[] = [];
  const t0 = performance.now();
  for (let c = 0; c < o.chains; c++) {
    k.seedChain(BigInt(o.seed), first + c);
    if (o.burnIn > 0) k.run(sched, o.burnIn, 1, 0);
    if (rowsPerChain > 0) {
      k.run(sched, rowsPerChain * o.thin, o.thin, 1);
      const out = inst.view(Int8Array, k.outputBuffer(0), rowsPerChain * m.n);
      samples.set(out, c * rowsPerChain * m.n);
    }
    chainSeconds.push(k.chainSeconds());
  }
  const wallSeconds = (performance.now() - t0) / 1000;
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
    diagnostics: {
      telegraph_refreshes: Number(k.telegraphRefreshes()),
      async_history_overflows: Number(k.asyncHistoryOverflows()),
      rng_shifts_per_read: spec.rng.kernelArgs({ schedule: o.schedule, cyclesPerSweep: cyclesPerSweep(m, o.schedule) }).lfsrShifts,
    },
  };
}
