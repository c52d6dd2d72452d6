/**
 * RBM training and evaluation on the RBM kernel: CD-k and persistent CD with
 * mini-batches, momentum and weight decay (the usual practice, Hinton's
 * "practical guide", UTML TR 2010-003: small random weights, visible biases
 * from the data marginals, hidden biases 0), Gibbs sampling for pictures,
 * and annealed importance sampling of log Z with a data-based base rate
 * (Salakhutdinov & Murray 2008) for test log-likelihoods.
 */
import { instantiateKernel, type Instance } from "../wasm/load.js";
import type { RbmKernel } from "../wasm/rbm-kernel.js";
import { Random } from "../util/random.js";
import { aisEstimate } from "../metrics/logz.js";

export interface RbmParams {
  nv: number;
  nh: number;
  /** Visible-major: W[i * nh + j]. */
  W: Float64Array;
  b: Float64Array;
  c: Float64Array;
}

export interface TrainOptions {
  method: "cd" | "pcd";
  k: number;
  batch: number;
  /** Learning rate at epoch e (PCD usually decays it). */
  lr: (epoch: number) => number;
  momentum: (epoch: number) => number;
  weightDecay: number;
}

/** Data: rows of 0/1 bytes, n x nv. */
export interface BinaryData {
  rows: number;
  nv: number;
  x: Uint8Array;
}

/** Visible marginals smoothed towards 1/2 by one pseudo-count each way, as log-odds. */
export function logOdds(d: BinaryData): Float64Array {
  const out = new Float64Array(d.nv);
  for (let i = 0; i < d.nv; i++) {
    let on = 0;
    for (let r = 0; r < d.rows; r++) on += d.x[r * d.nv + i];
    const p = (on + 1) / (d.rows + 2);
    out[i] = Math.log(p / (1 - p));
  }
  return out;
}

export class RbmMachine {
  readonly inst: Instance<RbmKernel>;
  readonly k: RbmKernel;
  private epochSeed = 0;

  /** `rows`: the most data rows, chains or AIS runs handled at once; `scheduleLength`: the longest AIS schedule. */
  constructor(readonly nv: number, readonly nh: number, readonly rows: number, readonly scheduleLength = 1) {
    this.inst = instantiateKernel<RbmKernel>("rbm");
    this.k = this.inst.exports;
    this.k.allocate(nv, nh, Math.max(1, rows), Math.max(1, scheduleLength));
  }

  private f64(ptr: number, n: number) {
    return this.inst.view(Float64Array, ptr, n);
  }

  load(p: RbmParams): void {
    this.f64(this.k.ptrW(), this.nv * this.nh).set(p.W);
    this.f64(this.k.ptrB(), this.nv).set(p.b);
    this.f64(this.k.ptrC(), this.nh).set(p.c);
  }

  params(): RbmParams {
    return { nv: this.nv, nh: this.nh, W: this.f64(this.k.ptrW(), this.nv * this.nh).slice(), b: this.f64(this.k.ptrB(), this.nv).slice(), c: this.f64(this.k.ptrC(), this.nh).slice() };
  }

  /** Small random weights N(0, 0.01^2), visible biases from the data's log-odds, hidden biases 0. */
  init(data: BinaryData, seed: number): void {
    const r = new Random(seed, 0x7262);
    this.load({ nv: this.nv, nh: this.nh, W: Float64Array.from({ length: this.nv * this.nh }, () => 0.01 * r.normal()), b: logOdds(data), c: new Float64Array(this.nh) });
    this.k.seed(BigInt(seed));
    this.epochSeed = seed;
  }

  /** Persistent chains start at random data rows (PCD). */
  startChains(data: BinaryData, count: number, seed: number): void {
    const r = new Random(seed, 0x6368);
    const chains = this.inst.view(Uint8Array, this.k.ptrChains(), count * this.nv);
    for (let q = 0; q < count; q++) {
      const row = r.below(data.rows);
      chains.set(data.x.subarray(row * this.nv, (row + 1) * this.nv), q * this.nv);
    }
  }

  /**
   * One epoch over the data in a fresh random order (seeded by the epoch):
   * returns the mean squared reconstruction error per image and wall time.
   */
  epoch(data: BinaryData, o: TrainOptions, epoch: number): { reconstruction: number; seconds: number } {
    const order = new Random(this.epochSeed, 0x6570 + epoch);
    const idx = Int32Array.from({ length: data.rows }, (_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = order.below(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    const t0 = performance.now();
    let err = 0;
    const lr = o.lr(epoch);
    const momentum = o.momentum(epoch);
    for (let s = 0; s < data.rows; s += o.batch) {
      const rows = Math.min(o.batch, data.rows - s);
      const batch = this.inst.view(Uint8Array, this.k.ptrData(), rows * this.nv);
      for (let q = 0; q < rows; q++) batch.set(data.x.subarray(idx[s + q] * this.nv, (idx[s + q] + 1) * this.nv), q * this.nv);
      err += this.k.trainBatch(rows, o.k, o.method === "pcd" ? 1 : 0, lr, momentum, o.weightDecay);
    }
    return { reconstruction: err / data.rows, seconds: (performance.now() - t0) / 1000 };
  }

  /** Gibbs chains from random data rows (or given starts), `steps` each: the final p(v | h) per chain. */
  samples(starts: Uint8Array, count: number, steps: number): Float64Array {
    this.inst.view(Uint8Array, this.k.ptrChains(), count * this.nv).set(starts.subarray(0, count * this.nv));
    this.k.gibbs(count, steps);
    return this.f64(this.k.ptrOut(), count * this.nv).slice();
  }

  /** log p*(v) (h summed out) of each data row, in chunks of the kernel's rows. */
  logUnnormalised(data: BinaryData): Float64Array {
    const out = new Float64Array(data.rows);
    for (let s = 0; s < data.rows; s += this.rows) {
      const rows = Math.min(this.rows, data.rows - s);
      this.inst.view(Uint8Array, this.k.ptrData(), rows * this.nv).set(data.x.subarray(s * this.nv, (s + rows) * this.nv));
      this.k.logUnnormalised(rows);
      out.set(this.f64(this.k.ptrOut(), rows), s);
    }
    return out;
  }

  /**
   * log Z by AIS from the base-rate model with visible biases `base` (data
   * log-odds) along `schedule` (0 .. 1): log Z_A + log mean of the weights,
   * with the standard error of that log (delta method).
   */
  aisLogZ(base: Float64Array, schedule: Float64Array, runs: number, seed: number): { logZ: number; stderr: number; logZA: number; runs: number; steps: number } {
    if (schedule.length > this.scheduleLength) throw new Error("AIS schedule longer than allocated");
    if (runs > this.rows * this.nv) throw new Error("more AIS runs than the output buffer holds");
    this.f64(this.k.ptrBase(), this.nv).set(base);
    this.f64(this.k.ptrSchedule(), schedule.length).set(schedule);
    this.k.seed(BigInt(seed) ^ 0x616973n);
    this.k.ais(runs);
    const logw = this.f64(this.k.ptrOut(), runs).slice();
    let logZA = this.nh * Math.LN2;
    for (const a of base) logZA += a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    return { ...aisEstimate(logw, logZA), logZA, runs, steps: schedule.length };
  }
}
