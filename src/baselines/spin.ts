/**
 * Digital spin-model baselines (assembly/baselines/index.ts), run and timed
 * for real on this machine on the same model object the chips get. Counts
 * follow from the plan (updates, random numbers) and from what the kernel
 * counts (flips, the field updates they cause, exponentials); time is
 * measured per chain.
 */
import { instantiateKernel, type Flavour } from "../wasm/load.js";
import { csrFromEdges } from "../chips/graph.js";
import { dsatur } from "../chips/colouring.js";
import { bufferRowsFor, runTimedChains, sumInOrder, type ChainKernel, type ChainOptions, type ChainResult } from "../chips/chains.js";
import type { IsingModel } from "../models/ising.js";

export const SPIN_ALGORITHMS = { gibbs: 0, "random-gibbs": 1, "chromatic-gibbs": 2, metropolis: 3, sa: 4, pt: 5 } as const;
export type SpinAlgorithm = keyof typeof SPIN_ALGORITHMS;
/** Samplers of the model's law (the rest, sa, optimise). */
export const SPIN_SAMPLERS: SpinAlgorithm[] = ["gibbs", "random-gibbs", "chromatic-gibbs", "metropolis", "pt"];

/** Simulated annealing: beta from b0 to b1 over each chain's sweeps. */
export interface AnnealSchedule {
  b0: number;
  b1: number;
  shape: "geometric" | "linear";
}

/** Parallel tempering: replicas on a ladder from the model's beta down to hotBeta. */
export interface TemperingLadder {
  replicas: number;
  hotBeta: number;
}

export interface SpinBaselineOptions {
  anneal?: AnnealSchedule;
  tempering?: TemperingLadder;
}

/** The single-flip energy changes' range: max_i 2(|h_i| + sum_j |J_ij|) and the smallest nonzero 2|h_i| or 2|J_ij|. */
export function flipEnergyRange(m: IsingModel): { max: number; min: number } {
  const reach = Float64Array.from(m.h, Math.abs);
  let min = Infinity;
  for (const h of m.h) if (h !== 0) min = Math.min(min, 2 * Math.abs(h));
  for (let k = 0; k < m.ei.length; k++) {
    const w = Math.abs(m.ew[k]);
    reach[m.ei[k]] += w;
    reach[m.ej[k]] += w;
    if (w !== 0) min = Math.min(min, 2 * w);
  }
  let max = 0;
  for (const r of reach) max = Math.max(max, 2 * r);
  return { max, min: Number.isFinite(min) ? min : max };
}

/**
 * Default schedules, as D-Wave's neal chooses them: hot enough that the largest single-flip
 * energy rise is accepted half the time (beta = ln 2 / max dE), cold enough that the smallest is
 * accepted 1% of the time (beta = ln 100 / min dE). Tempering keeps the model's beta as its
 * coldest rung and starts 8 replicas geometrically spaced down to the hot end.
 */
export function defaultAnneal(m: IsingModel): AnnealSchedule {
  const r = flipEnergyRange(m);
  return { b0: r.max > 0 ? Math.LN2 / r.max : 0.1, b1: r.min > 0 ? Math.log(100) / r.min : 10, shape: "geometric" };
}
export function defaultLadder(m: IsingModel): TemperingLadder {
  const r = flipEnergyRange(m);
  const hot = r.max > 0 ? Math.LN2 / r.max : m.beta / 10;
  return { replicas: 8, hotBeta: Math.min(hot, m.beta / 10) };
}

interface SpinKernel {
  allocate(n: number, nnz: number, replicas: number): void;
  setAnneal(b0: number, b1: number, length: number, geometric: number): void;
  setTempering(every: bigint, until: bigint): void;
  ptrBetas(): number;
  ptrSwaps(): number;
  ptrOff(): number;
  ptrNbr(): number;
  ptrW(): number;
  ptrH(): number;
  ptrOrder(): number;
  ptrCounters(): number;
  seedChain(seed: bigint, chain: number): void;
  setMaxReach(r: number): void;
  outputBuffer(bytes: number): number;
  planBegin(): void;
  planBytes(): number;
  run(algo: number, sweeps: number, thin: number, record: number): void;
}


export interface SpinBaselineMapping {
  n: number;
  beta: number;
  off: Int32Array;
  nbr: Int32Array;
  w: Float64Array;
  h: Float64Array;
  order: Int32Array;
  classes: number;
  nnz: number;
}

/** CSR of the couplings (beta is applied in the kernel); colour order for the chromatic sampler. */
export function mapSpinBaseline(m: IsingModel): SpinBaselineMapping {
  const g = csrFromEdges(m.n, m.ei, m.ej);
  const w = Float64Array.from(g.edge, (e) => m.ew[e]);
  const { colour, classes } = dsatur(g);
  const order = Int32Array.from({ length: m.n }, (_, i) => i).sort((a, b) => colour[a] - colour[b] || a - b);
  return { n: m.n, off: g.off, nbr: g.nbr, w, h: m.h.slice(), beta: m.beta, order, classes, nnz: g.nbr.length };
}

function allocate(k: SpinKernel, mp: SpinBaselineMapping, replicas: number, bufferRows: number) {
  k.allocate(mp.n, mp.nnz, replicas);
  k.outputBuffer(bufferRows * mp.n);
}

export function planSpinBaselineBytes(mp: SpinBaselineMapping, replicas: number, bufferRows: number): number {
  const inst = instantiateKernel<SpinKernel>("baselines");
  inst.exports.planBegin();
  allocate(inst.exports, mp, replicas, bufferRows);
  return inst.exports.planBytes();
}

/** max_i sum_j |J_ij| over the CSR rows. */
function maxRowWeight(mp: SpinBaselineMapping): number {
  let best = 0;
  for (let i = 0; i < mp.n; i++) {
    let r = 0;
    for (let k = mp.off[i]; k < mp.off[i + 1]; k++) r += Math.abs(mp.w[k]);
    best = Math.max(best, r);
  }
  return best;
}

/** Tempering's initial ladder: geometric from the model's beta down to the hot end. */
export function initialLadder(beta: number, t: TemperingLadder): Float64Array {
  const R = t.replicas;
  return Float64Array.from({ length: R }, (_, k) => (R === 1 ? beta : beta * Math.pow(t.hotBeta / beta, k / (R - 1))));
}

export function runSpinBaseline(mp: SpinBaselineMapping, algo: SpinAlgorithm, o: ChainOptions & { flavour?: Flavour } & SpinBaselineOptions): ChainResult {
  const n = mp.n;
  const bufferRows = bufferRowsFor(n, o);
  const inst = instantiateKernel<SpinKernel>("baselines", o.flavour);
  const k = inst.exports;
  const R = algo === "pt" ? (o.tempering?.replicas ?? 8) : 1;
  allocate(k, mp, R, bufferRows);
  const sweepsPerChain = o.burnIn + o.samples * o.thin;
  if (algo === "sa") {
    const a = o.anneal!;
    k.setAnneal(a.b0, a.b1, sweepsPerChain, a.shape === "geometric" ? 1 : 0);
  }
  // The ladder adapts during burn-in only (every ~2% of it, at least 10 sweeps), then is frozen.
  if (algo === "pt") k.setTempering(BigInt(Math.max(10, Math.floor(o.burnIn / 50))), BigInt(o.burnIn));
  const ladder = algo === "pt" ? initialLadder(mp.beta, o.tempering!) : Float64Array.of(mp.beta);
  const v = inst.view;
  v(Int32Array, k.ptrOff(), n + 1).set(mp.off);
  v(Int32Array, k.ptrNbr(), mp.nnz).set(mp.nbr);
  v(Float64Array, k.ptrW(), mp.nnz).set(mp.w);
  v(Float64Array, k.ptrH(), n).set(mp.h);
  v(Int32Array, k.ptrOrder(), n).set(mp.order);
  k.setMaxReach(flipEnergyRange({ kind: "ising", n, h: mp.h, ei: new Int32Array(0), ej: new Int32Array(0), ew: new Float64Array(0), beta: 1 }).max / 2 + maxRowWeight(mp));
  const code = SPIN_ALGORITHMS[algo];
  const kernel: ChainKernel = {
    run: (sweeps, thin, record) => k.run(code, sweeps, thin, record ? 1 : 0),
    rows: (count) => inst.view(Int8Array, k.outputBuffer(0), count * n),
  };
  const samples = new Int8Array(o.sink ? 0 : o.chains * o.samples * n);
  const finalLadders: number[][] = [];
  const swapRates: number[][] = [];
  const start = (c: number) => {
    inst.view(Float64Array, k.ptrBetas(), R).set(ladder);
    k.seedChain(BigInt(o.seed), c);
  };
  const after = () => {
    if (algo !== "pt") return;
    finalLadders.push(Array.from(inst.view(Float64Array, k.ptrBetas(), R)));
    const sw = inst.view(BigUint64Array, k.ptrSwaps(), 2 * R);
    swapRates.push(Array.from({ length: R - 1 }, (_, p) => (sw[2 * p] > 0n ? Number(sw[2 * p + 1]) / Number(sw[2 * p]) : NaN)));
  };
  const chainSeconds = runTimedChains(kernel, o, bufferRows, n, samples, start, after);
  const counters = inst.view(BigUint64Array, k.ptrCounters(), 5);
  const sweeps = o.chains * sweepsPerChain;
  const updates = sweeps * n * R; // every replica is swept
  const metropolisLike = algo === "metropolis" || algo === "sa" || algo === "pt";
  const randomPerUpdate = algo === "random-gibbs" ? 2 : metropolisLike ? 0 : 1;
  const exps = Number(counters[0]);
  const flips = Number(counters[1]);
  const fanout = Number(counters[2]);
  const wall = sumInOrder(chainSeconds);
  return {
    samples,
    counts: {
      site_updates: updates,
      flops: 4 * updates + 2 * fanout,
      exp_evals: exps,
      // Metropolis draws a uniform only for uphill proposals, as many as its exponentials.
      random_numbers: randomPerUpdate * updates + (metropolisLike ? exps : 0),
      memory_words: 3 * updates + flips + 7 * fanout,
      flips,
      replica_swaps: Number(counters[4]),
      gradient_evals: 0,
      native_spin_updates: updates,
      // Every sweep of every replica reads each stored coupling once per endpoint (the CSR's entries).
      native_field_terms: sweeps * R * mp.nnz,
      native_flops: 0,
      native_normals: 0,
      native_exps: Number(counters[4]),
    },
    updates,
    chipSeconds: wall,
    chainSeconds,
    wallSeconds: wall,
    kernelBytes: inst.memory.buffer.byteLength,
    diagnostics: { colour_classes: mp.classes, exact_exp_fallbacks: Number(counters[3]) },
    ...(algo === "pt" ? { perChain: { ladder_betas: finalLadders, swap_rates: swapRates } } : {}),
  };
}
