/**
 * Chip-in-the-loop training of a sparse Boltzmann machine that lives on a
 * p-bit chip's own topology: every chip edge is a trainable coupling, chosen
 * p-bits are visible, the rest hidden. Both phases of the gradient
 *   dJ_ij = <s_i s_j>_data - <s_i s_j>_model,  dh_i = <s_i>_data - <s_i>_model
 * are sampled by the chip model itself (its quantisation, random source and
 * schedule): the positive phase with the visible p-bits clamped to data rows
 * (gated, as the hardware does), the negative phase free-running. The float
 * weights live on the host and are re-quantised onto the chip every step, as
 * a host would reprogram it. Every chip run is counted, so the energy the
 * chip spends training is priced like any other run.
 */
import type { IsingModel } from "../models/ising.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import type { Topology } from "../chips/topology/index.js";
import { mapIsing, type PbitMapping } from "../mapping/pbit.js";
import { runPbit } from "../chips/pbit/driver.js";
import { exactLaw } from "../models/enumerate.js";
import { Random } from "../util/random.js";
import { MAX_ENUMERATE } from "../models/enumerate.js";

export interface ChipTrainOptions {
  iterations: number;
  /** Data rows per step (one clamped chain each). */
  batch: number;
  /** Free chains per step. */
  chains: number;
  /** Learning rate at the first step; it decays linearly to 0 at the last (stochastic-approximation practice: the noise of sampled gradients averages out). */
  lr: number;
  momentum: number;
  weightDecay: number;
  /** Sweeps before the first sample, samples per chain, sweeps between samples. */
  burnIn: number;
  samples: number;
  thin: number;
  /** Initial weights, batches and (with instanceSeed) the chains' random streams. */
  seed: number;
  /**
   * The chip instance (its device mismatch): every run of the training uses
   * this one, as a physical chip would be; chains get fresh streams by index.
   */
  instanceSeed: number;
  /** Called after each step (progress). */
  onStep?: (done: number) => void;
}

export interface ChipTrainResult {
  model: IsingModel;
  /** Action counts summed over every chip run of the training. */
  counts: Record<string, number>;
  chipSeconds: number;
  /** P-bit updates the chip made (clamped p-bits make none). */
  updates: number;
  history: { iteration: number; data_correlation_gap: number }[];
}

/** The Boltzmann machine's graph: every edge of the chip's topology (p < q), in a fixed order. */
export function chipEdges(t: Topology): { ei: Int32Array; ej: Int32Array } {
  const ei: number[] = [];
  const ej: number[] = [];
  const buf = new Int32Array(t.maxDegree);
  for (let p = 0; p < t.size; p++) {
    const k = t.neighboursInto(p, buf);
    const nb = Array.from(buf.subarray(0, k)).filter((q) => q > p).sort((a, b) => a - b);
    for (const q of nb) (ei.push(p), ej.push(q));
  }
  return { ei: Int32Array.from(ei), ej: Int32Array.from(ej) };
}

/** Start: couplings N(0, 0.01^2), visible biases from the data means (p(+1) = sigmoid(2h)), hidden 0. */
export function initialModel(t: Topology, visible: Int32Array, data: Int8Array, seed: number): IsingModel {
  const { ei, ej } = chipEdges(t);
  const r = new Random(seed, 0x696e);
  const h = new Float64Array(t.size);
  const rows = data.length / visible.length;
  visible.forEach((p, k) => {
    let m = 0;
    for (let q = 0; q < rows; q++) m += data[q * visible.length + k];
    const mean = Math.max(-0.98, Math.min(0.98, m / rows));
    h[p] = Math.atanh(mean);
  });
  return { kind: "ising", n: t.size, h, ei, ej, ew: Float64Array.from(ei, () => 0.01 * r.normal()), beta: 1 };
}

/** Spin means and edge correlations of the rows a chip run records. */
class Moments {
  readonly s: Float64Array;
  readonly ss: Float64Array;
  rows = 0;
  constructor(private readonly m: IsingModel) {
    this.s = new Float64Array(m.n);
    this.ss = new Float64Array(m.ei.length);
  }
  add(rows: Int8Array, count: number): void {
    const { n, ei, ej } = this.m;
    for (let r = 0; r < count; r++) {
      const o = r * n;
      for (let i = 0; i < n; i++) this.s[i] += rows[o + i];
      for (let k = 0; k < ei.length; k++) this.ss[k] += rows[o + ei[k]] * rows[o + ej[k]];
    }
    this.rows += count;
  }
}

export function trainOnChip(spec: PbitSpec, visible: Int32Array, data: Int8Array, o: ChipTrainOptions, start: IsingModel): ChipTrainResult {
  const model: IsingModel = { ...start, h: start.h.slice(), ew: start.ew.slice() };
  const V = visible.length;
  const rows = data.length / V;
  const velJ = new Float64Array(model.ei.length);
  const velH = new Float64Array(model.n);
  const counts: Record<string, number> = {};
  let chipSeconds = 0;
  let updates = 0;
  const history: ChipTrainResult["history"] = [];
  const pick = new Random(o.seed, 0x6261);
  const tally = (r: { counts: Record<string, number>; chipSeconds: number; updates: number }) => {
    for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
    chipSeconds += r.chipSeconds;
    updates += r.updates;
  };
  for (let it = 0; it < o.iterations; it++) {
    // Identity placement: the model's graph is the chip's.
    const mapping: PbitMapping = mapIsing(model, "the model being trained", spec, spec.schedule);
    const batch = Int32Array.from({ length: o.batch }, () => pick.below(rows));
    const run = { samples: o.samples, burnIn: o.burnIn, thin: o.thin, schedule: spec.schedule, bufferRows: o.samples };
    const pos = new Moments(model);
    // Chain streams: distinct for every step and training seed, on the one chip instance.
    const first = (o.seed % 1000) * 2 ** 22 + it * (o.batch + o.chains);
    tally(runPbit(spec, mapping, {
      ...run, chains: o.batch, seed: o.instanceSeed, firstChain: first,
      clamp: { vars: visible, values: (g) => data.subarray(batch[g - first] * V, (batch[g - first] + 1) * V) },
      sink: (_c, _r, count, r) => pos.add(r as Int8Array, count),
    }));
    const neg = new Moments(model);
    tally(runPbit(spec, mapping, { ...run, chains: o.chains, seed: o.instanceSeed, firstChain: first + o.batch, sink: (_c, _r, count, r) => neg.add(r as Int8Array, count) }));
    let gap = 0;
    const lr = o.lr * (1 - it / o.iterations);
    for (let k = 0; k < model.ei.length; k++) {
      const g = pos.ss[k] / pos.rows - neg.ss[k] / neg.rows;
      gap += Math.abs(g);
      velJ[k] = o.momentum * velJ[k] + lr * (g - o.weightDecay * model.ew[k]);
      model.ew[k] += velJ[k];
    }
    for (let i = 0; i < model.n; i++) {
      velH[i] = o.momentum * velH[i] + lr * (pos.s[i] / pos.rows - neg.s[i] / neg.rows);
      model.h[i] += velH[i];
    }
    history.push({ iteration: it + 1, data_correlation_gap: gap / Math.max(1, model.ei.length) });
    o.onStep?.(it + 1);
  }
  return { model, counts, chipSeconds, updates, history };
}

/** The law of the visible p-bits (state index: bit k = visible k up) of a model, by enumeration of all its p-bits. */
export function visibleLaw(effective: IsingModel, visible: Int32Array): Float64Array {
  const { p } = exactLaw(effective);
  const out = new Float64Array(1 << visible.length);
  for (let x = 0; x < p.length; x++) {
    let y = 0;
    visible.forEach((q, k) => (y |= (x >> q) & 1 ? 1 << k : 0));
    out[y] += p[x];
  }
  return out;
}

/**
 * The visible law as the chip instance samples it (free chains; mismatch,
 * random source and schedule included), and the draws behind it.
 */
export function sampledVisibleLaw(spec: PbitSpec, model: IsingModel, visible: Int32Array, o: { chains: number; samples: number; thin: number; burnIn: number; instanceSeed: number }): { law: Float64Array; draws: number } {
  const mapping = mapIsing(model, "the trained model", spec, spec.schedule);
  const hist = new Float64Array(1 << visible.length);
  let draws = 0;
  runPbit(spec, mapping, {
    chains: o.chains, samples: o.samples, burnIn: o.burnIn, thin: o.thin, seed: o.instanceSeed, firstChain: 2 ** 31, schedule: spec.schedule, bufferRows: Math.min(o.samples, 4096),
    sink: (_c, _r, count, rows) => {
      for (let q = 0; q < count; q++) {
        let y = 0;
        visible.forEach((p, k) => (y |= rows[q * model.n + p] > 0 ? 1 << k : 0));
        hist[y]++;
      }
      draws += count;
    },
  });
  return { law: hist.map((v) => v / draws), draws };
}

/** The data rows' empirical law over visible states. */
function dataLaw(data: Int8Array, V: number): Float64Array {
  const rows = data.length / V;
  const emp = new Float64Array(1 << V);
  for (let r = 0; r < rows; r++) {
    let y = 0;
    for (let k = 0; k < V; k++) if (data[r * V + k] > 0) y |= 1 << k;
    emp[y] += 1 / rows;
  }
  return emp;
}

export function totalVariationOf(p: Float64Array, q: Float64Array): number {
  let tv = 0;
  for (let y = 0; y < p.length; y++) tv += Math.abs(p[y] - q[y]) / 2;
  return tv;
}

/**
 * Exact quality of what a chip samples for the data: the visible marginal of
 * the chip's quantised model (enumeration; up to MAX_ENUMERATE p-bits), the
 * mean log-likelihood of the data rows under it (nats) and its total
 * variation from the data's empirical distribution.
 */
export function exactVisibleQuality(effective: IsingModel, visible: Int32Array, data: Int8Array): { log_likelihood: number; tv: number } | undefined {
  if (effective.n > MAX_ENUMERATE || visible.length > 20) return undefined;
  const marg = visibleLaw(effective, visible);
  const V = visible.length;
  const rows = data.length / V;
  let ll = 0;
  for (let r = 0; r < rows; r++) {
    let y = 0;
    for (let k = 0; k < V; k++) if (data[r * V + k] > 0) y |= 1 << k;
    ll += Math.log(marg[y]) / rows;
  }
  return { log_likelihood: ll, tv: totalVariationOf(marg, dataLaw(data, V)) };
}

/**
 * Quality as the chip instance really samples it (mismatch, random source,
 * schedule and all): the TV between the visible states of free-running chains
 * and the data's empirical distribution (visible sets of up to 20 p-bits).
 */
export function sampledVisibleQuality(spec: PbitSpec, model: IsingModel, visible: Int32Array, data: Int8Array, o: { chains: number; samples: number; thin: number; burnIn: number; instanceSeed: number }): { tv: number; draws: number } {
  const s = sampledVisibleLaw(spec, model, visible, o);
  return { tv: totalVariationOf(s.law, dataLaw(data, visible.length)), draws: s.draws };
}
