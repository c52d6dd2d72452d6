/**
 * Per-chain traces of a run, collected by the workers as rows stream past:
 * scalar observables for mixing diagnostics and, for spin models small
 * enough to enumerate, each draw's state (for the law check). Long chains are
 * thinned evenly to a bounded length, so the work stays a small fraction of
 * the simulation's.
 */
import type { Model } from "../models/load.js";
import { hopfieldEnergy } from "../models/hopfield.js";
import { PseudoLikelihood, betaBatch, type PseudoLikelihoodData } from "./beta-eff.js";

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
  /** Spin models: the kept draws' pseudo-likelihood histograms by batch (metrics/beta-eff.ts), for beta_eff. */
  pl?: PseudoLikelihoodData;
}

export interface TraceCollector {
  /** `computed`: the rows' observables already computed ([count, k]), if at hand. */
  onRows(chain: number, firstRow: number, count: number, rows: Int8Array | Float64Array, computed?: Float64Array): void;
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

/** The scalar observables recorded per draw: trace.npy's columns. */
export interface Observables {
  names: string[];
  /** Write the observables of row `r` of `rows` to out[o ..]. */
  compute(rows: Int8Array | Float64Array, r: number, out: Float64Array, o: number): void;
  /** Multiply-adds per draw (for budgeting the in-memory traces). */
  cost: number;
}

/** Continuous models: this many leading coordinates are traced beside the energy. */
export const TRACED_COORDINATES = 8;

/** Energy and magnetisation of spin models; energy and the first few coordinates of continuous ones. */
export function observables(model: Model): Observables {
  const n = model.n;
  if (model.kind === "ising") {
    const m = model;
    return {
      names: ["energy", "magnetisation"],
      cost: n + m.ei.length,
      compute(rows, r, out, o) {
        const base = r * n;
        let e = 0;
        let mag = 0;
        for (let i = 0; i < n; i++) {
          const s = rows[base + i];
          e -= m.h[i] * s;
          mag += s;
        }
        for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * rows[base + m.ei[k]] * rows[base + m.ej[k]];
        out[o] = e + (m.offset ?? 0);
        out[o + 1] = mag / n;
      },
    };
  }
  const k = Math.min(n, TRACED_COORDINATES);
  const coords = Array.from({ length: k }, (_, v) => `x${v}`);
  const energy = model.kind === "gaussian"
    ? (rows: Int8Array | Float64Array, base: number) => {
      // E(x) = x'Ax/2 - b'x
      let e = 0;
      for (let i = 0; i < n; i++) {
        const x = rows[base + i];
        e += 0.5 * model.diag[i] * x * x - model.b[i] * x;
      }
      for (let p = 0; p < model.ei.length; p++) e += model.ew[p] * rows[base + model.ei[p]] * rows[base + model.ej[p]];
      return e;
    }
    : (rows: Int8Array | Float64Array, base: number) => hopfieldEnergy(model, rows.subarray(base, base + n));
  return {
    names: ["energy", ...coords],
    cost: model.kind === "gaussian" ? n + model.ei.length + k : n * n + k,
    compute(rows, r, out, o) {
      const base = r * n;
      out[o] = energy(rows, base);
      for (let v = 0; v < k; v++) out[o + 1 + v] = rows[base + v];
    },
  };
}

/** Traces of chains first .. first+count-1, each with `samples` draws, kept evenly thinned in memory. */
export function traceCollector(model: Model, samples: number, chainsTotal: number, first: number, count: number, free?: Uint8Array): TraceCollector {
  const obs = observables(model);
  const n = model.n;
  const k = obs.names.length;
  // Spin models: each kept draw's local fields for the pseudo-likelihood (as much work again as the energy).
  const pl = model.kind === "ising" ? new PseudoLikelihood(model, free) : undefined;
  const every = keepEvery(samples, chainsTotal, obs.cost * (pl ? 2 : 1));
  const kept = Math.ceil(samples / every);
  const small = model.kind === "ising" && n <= LAW_CHECK_MAX_SPINS;
  const values = Array.from({ length: count }, () => Array.from({ length: k }, () => new Float64Array(kept)));
  const states = small ? Array.from({ length: count }, () => new Uint32Array(kept)) : undefined;
  const row = new Float64Array(k);
  return {
    onRows(chain, firstRow, rowsCount, rows, computed) {
      const c = chain - first;
      forKept(firstRow, rowsCount, every, (r, at) => {
        if (computed) for (let v = 0; v < k; v++) values[c][v][at] = computed[r * k + v];
        else {
          obs.compute(rows, r, row, 0);
          for (let v = 0; v < k; v++) values[c][v][at] = row[v];
        }
        if (states) {
          let x = 0;
          for (let i = 0; i < n; i++) if (rows[r * n + i] > 0) x |= 1 << i;
          states[c][at] = x >>> 0;
        }
        pl?.add(rows, r, betaBatch(chain, at, kept));
      });
    },
    result: () => ({ every, names: obs.names, values, ...(states ? { states } : {}), ...(pl ? { pl: pl.data() } : {}) }),
  };
}

/** Traces of worker parts, chains in order. */
export function mergeTraces(parts: ChainTraces[]): ChainTraces {
  // Batches are keyed by global chain index: the same histograms whatever the split over workers.
  let pl: ChainTraces["pl"];
  if (parts[0].pl) {
    pl = { ...parts[0].pl!, batches: new Map(), draws: 0 };
    for (const p of parts) {
      for (const [b, h] of p.pl!.batches) pl.batches.set(b, h);
      pl.draws += p.pl!.draws;
    }
  }
  return {
    every: parts[0].every,
    names: parts[0].names,
    values: parts.flatMap((p) => p.values),
    ...(parts[0].states ? { states: parts.flatMap((p) => p.states!) } : {}),
    ...(pl ? { pl } : {}),
  };
}
