/**
 * Per-chain traces of a run, collected by the workers as rows stream past:
 * scalar observables for mixing diagnostics and, for spin models small
 * enough to enumerate, each draw's state (for the law check). Long chains are
 * thinned evenly to a bounded length, so the work stays a small fraction of
 * the simulation's.
 */
import type { IsingModel } from "../models/ising.js";
import type { Model } from "../models/load.js";

/** Spin models up to this size are checked against their exact law. */
export const LAW_CHECK_MAX_SPINS = 16;
/** Draws kept per chain, at most. */
const MAX_KEPT = 1 << 18;
/** About this many multiply-adds of trace work per run (energies cost n + couplings each). */
const TRACE_WORK = 4e8;

export interface ChainTraces {
  /** Every `every`-th recorded draw was kept. */
  every: number;
  names: string[];
  /** [chain][name] -> values, chains in order. */
  values: Float64Array[][];
  /** Spin models <= LAW_CHECK_MAX_SPINS: each kept draw's state (bit k set <=> spin k = +1). */
  states?: Uint32Array[];
}

export interface TraceCollector {
  onRows(chain: number, firstRow: number, count: number, rows: Int8Array | Float64Array): void;
  result(): ChainTraces;
}

/** Call keep(r, at) for each row r of a handed-over block whose chain row is kept (at: its index among the kept). */
function forKept(firstRow: number, rowsCount: number, every: number, keep: (r: number, at: number) => void): void {
  for (let r = (every - (firstRow % every)) % every; r < rowsCount; r += every) keep(r, (firstRow + r) / every);
}

function keepEvery(samples: number, chains: number, costPerDraw: number): number {
  const byWork = Math.max(256, Math.floor(TRACE_WORK / Math.max(1, costPerDraw * chains)));
  return Math.max(1, Math.ceil(samples / Math.min(MAX_KEPT, byWork)));
}

/** Traces of chains first .. first+count-1, each with `samples` draws. */
export function traceCollector(model: Model, samples: number, chainsTotal: number, first: number, count: number): TraceCollector {
  const n = model.n;
  if (model.kind === "ising") return spinCollector(model, samples, chainsTotal, first, count);
  // Continuous models: the first few variables.
  const k = Math.min(n, 8);
  const every = keepEvery(samples, chainsTotal, k);
  const kept = Math.ceil(samples / every);
  const values = Array.from({ length: count }, () => Array.from({ length: k }, () => new Float64Array(kept)));
  return {
    onRows(chain, firstRow, rowsCount, rows) {
      const c = chain - first;
      forKept(firstRow, rowsCount, every, (r, at) => {
        for (let v = 0; v < k; v++) values[c][v][at] = rows[r * n + v];
      });
    },
    result: () => ({ every, names: Array.from({ length: k }, (_, v) => `x${v}`), values }),
  };
}

function spinCollector(m: IsingModel, samples: number, chainsTotal: number, first: number, count: number): TraceCollector {
  const n = m.n;
  const every = keepEvery(samples, chainsTotal, n + m.ei.length);
  const kept = Math.ceil(samples / every);
  const small = n <= LAW_CHECK_MAX_SPINS;
  const values = Array.from({ length: count }, () => [new Float64Array(kept), new Float64Array(kept)]);
  const states = small ? Array.from({ length: count }, () => new Uint32Array(kept)) : undefined;
  return {
    onRows(chain, firstRow, rowsCount, rows) {
      const c = chain - first;
      forKept(firstRow, rowsCount, every, (r, at) => {
        const o = r * n;
        let e = 0;
        let mag = 0;
        let x = 0;
        for (let i = 0; i < n; i++) {
          const s = rows[o + i];
          e -= m.h[i] * s;
          mag += s;
          if (small && s > 0) x |= 1 << i;
        }
        for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * rows[o + m.ei[k]] * rows[o + m.ej[k]];
        values[c][0][at] = e;
        values[c][1][at] = mag / n;
        if (states) states[c][at] = x >>> 0;
      });
    },
    result: () => ({ every, names: ["energy", "magnetisation"], values, ...(states ? { states } : {}) }),
  };
}

/** Traces of worker parts, chains in order. */
export function mergeTraces(parts: ChainTraces[]): ChainTraces {
  return {
    every: parts[0].every,
    names: parts[0].names,
    values: parts.flatMap((p) => p.values),
    ...(parts[0].states ? { states: parts.flatMap((p) => p.states!) } : {}),
  };
}
