/**
 * What every chip driver shares: the chain plan and chain-ordered time.
 *
 * Kernels count sweeps in 32-bit integers and record into a bounded buffer,
 * so a chain is run as a sequence of kernel calls, none longer than
 * `maxSweepsPerCall` sweeps or `bufferRows` recorded rows. Totals are kept by
 * the host (exact up to 2^53) and the kernel's counters are 64-bit, so a run
 * of 10^12 sweeps is counted as such. The plan depends only on the run
 * options, never on how chains are split across workers: results stay
 * bit-identical for any number of workers.
 */
import type { Flavour } from "../wasm/load.js";
import type { ChainTraces } from "../metrics/traces.js";

export interface ChainOptions {
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  seed: number;
  flavour?: Flavour;
  /** Run chains firstChain .. firstChain+chains-1 (workers split the range). */
  firstChain?: number;
  /** Where recorded rows go; by default they are collected in memory (ChainResult.samples). */
  sink?: RowSink;
  /** Chunking limits (tests lower them to exercise the plan). */
  maxSweepsPerCall?: number;
  bufferRows?: number;
}

/**
 * Receives recorded rows as the kernel produces them: `rows` holds `count`
 * rows of the model's variables (a view into kernel memory, valid only during
 * the call) for rows firstRow .. firstRow+count-1 of chain `chain`.
 */
export type RowSink = (chain: number, firstRow: number, count: number, rows: Int8Array | Float64Array) => void;

/** What a driver returns for a range of chains (one host thread's share). */
export interface ChainResult {
  /** rows = chains x samples, columns = model variables (empty when a sink took the rows). */
  samples: Int8Array | Float64Array;
  /** Action counts and integrals by name. */
  counts: Record<string, number>;
  /** Variable updates (evaluations), all chains. */
  updates: number;
  /** Simulated time: sum of chainSeconds in chain order. */
  chipSeconds: number;
  chainSeconds: number[];
  /** Wall time of the chain runs alone. */
  wallSeconds: number;
  /** Size of the kernel's linear memory: the simulated chip's footprint. */
  kernelBytes: number;
  diagnostics: Record<string, number>;
  /** Counts that are floating-point sums (joules), per chain in chain order: totals are summed in that order, so they do not depend on the worker split. */
  chainCounts?: Record<string, number[]>;
  /** Facts per chain (e.g. a tempering ladder), chains in order: merged by concatenation. */
  perChain?: Record<string, unknown[]>;
  /** Per-chain traces, when the caller collected them (runs through the CLI do). */
  traces?: ChainTraces;
}

/** Totals of the parts' counts; float counts kept per chain (chainCounts) are summed in chain order. */
export function mergeCounts(parts: ChainResult[]): { counts: Record<string, number>; chainCounts?: Record<string, number[]> } {
  const counts: Record<string, number> = {};
  for (const r of parts) for (const [key, v] of Object.entries(r.counts)) counts[key] = (counts[key] ?? 0) + v;
  const keys = Object.keys(parts[0]?.chainCounts ?? {});
  if (!keys.length) return { counts };
  const chainCounts = Object.fromEntries(keys.map((key) => [key, parts.flatMap((p) => p.chainCounts![key])]));
  for (const key of keys) counts[key] = sumInOrder(chainCounts[key]);
  return { counts, chainCounts };
}

/** Sum in chain order, so the total does not depend on how chains were split. */
export function sumInOrder(xs: number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}

/** Largest number of sweeps one kernel call may run (kernels count in i32). */
export const MAX_SWEEPS_PER_CALL = 2 ** 30;
/** Recorded rows are handed over in buffers of about this size. */
export const OUTPUT_CHUNK_BYTES = 16 * 2 ** 20;

export function bufferRowsFor(rowBytes: number, o: Pick<ChainOptions, "bufferRows">): number {
  return Math.max(1, o.bufferRows ?? Math.floor(OUTPUT_CHUNK_BYTES / Math.max(1, rowBytes)));
}

/** One kernel's view of a chain: the calls the plan makes. */
export interface ChainKernel {
  /** Run `sweeps` sweeps; when record, write a row after every `thin`-th into the output buffer (from row 0). */
  run(sweeps: number, thin: number, record: boolean): void;
  /** The first `count` rows of the output buffer. */
  rows(count: number): Int8Array | Float64Array;
}

/**
 * One chain, already seeded: burn-in, then `samples` rows every `thin`
 * sweeps, in calls no longer than the limits; rows go to `emit`.
 */
export function runChain(k: ChainKernel, o: ChainOptions, bufferRows: number, emit: (firstRow: number, count: number, rows: Int8Array | Float64Array) => void): void {
  const maxSweeps = o.maxSweepsPerCall ?? MAX_SWEEPS_PER_CALL;
  const skip = (sweeps: number) => {
    for (let left = sweeps; left > 0; ) {
      const s = Math.min(left, maxSweeps);
      k.run(s, 1, false);
      left -= s;
    }
  };
  skip(o.burnIn);
  if (o.samples === 0) return;
  if (o.thin <= maxSweeps) {
    const perCall = Math.max(1, Math.min(bufferRows, Math.floor(maxSweeps / o.thin)));
    for (let row = 0; row < o.samples; ) {
      const r = Math.min(perCall, o.samples - row);
      k.run(r * o.thin, o.thin, true);
      emit(row, r, k.rows(r));
      row += r;
    }
  } else {
    // Thinning longer than one call: skip thin-1 sweeps, record the next.
    for (let row = 0; row < o.samples; row++) {
      skip(o.thin - 1);
      k.run(1, 1, true);
      emit(row, 1, k.rows(1));
    }
  }
}

/**
 * Run chains first .. first+count-1 one after another on one kernel, each from `start(chain)`,
 * with rows going to the sink or into `samples` (rowLen values per row); returns each chain's
 * measured seconds, the sink's own time taken out (baselines are timed for real).
 */
export function runTimedChains(
  k: ChainKernel, o: ChainOptions, bufferRows: number, rowLen: number, samples: Int8Array | Float64Array,
  start: (chain: number) => void, after?: (chain: number) => void,
): number[] {
  const first = o.firstChain ?? 0;
  const seconds: number[] = [];
  for (let c = 0; c < o.chains; c++) {
    start(first + c);
    let sinkMs = 0;
    const t0 = performance.now();
    runChain(k, o, bufferRows, (row, count, rows) => {
      const t = performance.now();
      if (o.sink) o.sink(first + c, row, count, rows);
      else samples.set(rows, (c * o.samples + row) * rowLen);
      sinkMs += performance.now() - t;
    });
    seconds.push((performance.now() - t0 - sinkMs) / 1000);
    after?.(first + c);
  }
  return seconds;
}
