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
import { bufferRowsFor, runChain, sumInOrder, type ChainKernel, type ChainOptions, type ChainResult } from "../chips/chains.js";
import type { IsingModel } from "../models/ising.js";
import type { ActionDef } from "../energy/ledger.js";

export const SPIN_ALGORITHMS = { gibbs: 0, "random-gibbs": 1, "chromatic-gibbs": 2, metropolis: 3 } as const;
export type SpinAlgorithm = keyof typeof SPIN_ALGORITHMS;

interface SpinKernel {
  allocate(n: number, nnz: number): void;
  ptrOff(): number;
  ptrNbr(): number;
  ptrW(): number;
  ptrH(): number;
  ptrOrder(): number;
  ptrCounters(): number;
  seedChain(seed: bigint, chain: number): void;
  outputBuffer(bytes: number): number;
  planBegin(): void;
  planBytes(): number;
  run(algo: number, sweeps: number, thin: number, record: number): void;
}

/** What a digital implementation of these samplers does, by action. */
export const SPIN_BASELINE_ACTIONS: ActionDef[] = [
  { name: "site_updates", unit: "update", description: "single-site updates (evaluations, changed or not)", charge: "energy" },
  { name: "flops", unit: "flop", description: "floating-point operations: 2 per coupling read (multiply-add) plus 3 per update (field scaling, comparison)", charge: "energy" },
  { name: "exp_evals", unit: "op", description: "exponential evaluations (one per Gibbs update; one per uphill Metropolis proposal)", charge: "energy" },
  { name: "random_numbers", unit: "word", description: "32-bit uniform random numbers drawn", charge: "energy" },
  { name: "memory_words", unit: "word", description: "32-bit-equivalent memory words read or written: per coupling a neighbour index, a weight (2 words, float64) and a spin; per update the bias (2 words) and the spin written", charge: "energy" },
  { name: "flips", unit: "flip", description: "updates that changed the spin", charge: "energy" },
  { name: "core_seconds", unit: "core*s", description: "measured time on one CPU core (the time integral CPU power is charged on)", charge: "power" },
];

export interface SpinBaselineMapping {
  n: number;
  off: Int32Array;
  nbr: Int32Array;
  w: Float64Array;
  h: Float64Array;
  order: Int32Array;
  classes: number;
  nnz: number;
}

/** CSR with beta folded in; colour order for the chromatic sampler. */
export function mapSpinBaseline(m: IsingModel): SpinBaselineMapping {
  const g = csrFromEdges(m.n, m.ei, m.ej);
  const w = Float64Array.from(g.edge, (e) => m.beta * m.ew[e]);
  const { colour, classes } = dsatur(g);
  const order = Int32Array.from({ length: m.n }, (_, i) => i).sort((a, b) => colour[a] - colour[b] || a - b);
  return { n: m.n, off: g.off, nbr: g.nbr, w, h: m.h.map((x) => m.beta * x), order, classes, nnz: g.nbr.length };
}

function allocate(k: SpinKernel, mp: SpinBaselineMapping, bufferRows: number) {
  k.allocate(mp.n, mp.nnz);
  k.outputBuffer(bufferRows * mp.n);
}

export function planSpinBaselineBytes(mp: SpinBaselineMapping, bufferRows: number): number {
  const inst = instantiateKernel<SpinKernel>("baselines");
  inst.exports.planBegin();
  allocate(inst.exports, mp, bufferRows);
  return inst.exports.planBytes();
}

export function runSpinBaseline(mp: SpinBaselineMapping, algo: SpinAlgorithm, o: ChainOptions & { flavour?: Flavour }): ChainResult {
  const n = mp.n;
  const bufferRows = bufferRowsFor(n, o);
  const inst = instantiateKernel<SpinKernel>("baselines", o.flavour);
  const k = inst.exports;
  allocate(k, mp, bufferRows);
  const v = inst.view;
  v(Int32Array, k.ptrOff(), n + 1).set(mp.off);
  v(Int32Array, k.ptrNbr(), mp.nnz).set(mp.nbr);
  v(Float64Array, k.ptrW(), mp.nnz).set(mp.w);
  v(Float64Array, k.ptrH(), n).set(mp.h);
  v(Int32Array, k.ptrOrder(), n).set(mp.order);
  const code = SPIN_ALGORITHMS[algo];
  const kernel: ChainKernel = {
    run: (sweeps, thin, record) => k.run(code, sweeps, thin, record ? 1 : 0),
    rows: (count) => inst.view(Int8Array, k.outputBuffer(0), count * n),
  };
  const samples = new Int8Array(o.sink ? 0 : o.chains * o.samples * n);
  const first = o.firstChain ?? 0;
  const chainSeconds: number[] = [];
  for (let c = 0; c < o.chains; c++) {
    k.seedChain(BigInt(o.seed), first + c);
    let sinkMs = 0;
    const t0 = performance.now();
    runChain(kernel, o, bufferRows, (row, count, rows) => {
      const t = performance.now();
      if (o.sink) o.sink(first + c, row, count, rows);
      else samples.set(rows, (c * o.samples + row) * n);
      sinkMs += performance.now() - t;
    });
    chainSeconds.push((performance.now() - t0 - sinkMs) / 1000);
  }
  const counters = inst.view(BigUint64Array, k.ptrCounters(), 4);
  const sweeps = o.chains * (o.burnIn + o.samples * o.thin);
  const updates = sweeps * n;
  const randomPerUpdate = algo === "random-gibbs" ? 2 : algo === "metropolis" ? 0 : 1;
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
      random_numbers: randomPerUpdate * updates + (algo === "metropolis" ? exps : 0),
      memory_words: 3 * updates + flips + 7 * fanout,
      flips,
    },
    updates,
    chipSeconds: wall,
    chainSeconds,
    wallSeconds: wall,
    kernelBytes: inst.memory.buffer.byteLength,
    diagnostics: { colour_classes: mp.classes, exact_exp_fallbacks: Number(counters[3]) },
  };
}
