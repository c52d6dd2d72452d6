/**
 * Digital baselines for Gaussian models (assembly/continuous/index.ts): ULA,
 * MALA, HMC and exact Cholesky sampling, run and timed for real on the same
 * model object the analog chips get. U(x) = beta (x'Ax/2 - b'x).
 */
import { instantiateKernel, type Flavour } from "../wasm/load.js";
import { bufferRowsFor, runTimedChains, sumInOrder, type ChainKernel, type ChainOptions, type ChainResult } from "../chips/chains.js";
import type { GaussianModel } from "../models/gaussian.js";
import { denseA } from "../models/gaussian.js";
import { cholesky, spectralRadius } from "../linalg/dense.js";
import { InputError } from "../errors.js";

export const GAUSSIAN_ALGORITHMS = { ula: 0, mala: 1, hmc: 2, "exact-gaussian": 3 } as const;
export type GaussianAlgorithm = keyof typeof GAUSSIAN_ALGORITHMS;

/** Exact sampling factors beta A densely: n^2 float64s. */
export const MAX_EXACT_N = 8192;

interface ContinuousKernel {
  allocate(n: number, nnz: number, dense: number): void;
  configure(step: number, leapfrogs: number, target: number, adaptSweeps: bigint): void;
  currentStep(): number;
  ptrOff(): number;
  ptrIdx(): number;
  ptrVal(): number;
  ptrB(): number;
  ptrMu(): number;
  ptrL(): number;
  ptrCounters(): number;
  seedChain(seed: bigint, chain: number): void;
  outputBuffer(bytes: number): number;
  planBegin(): void;
  planBytes(): number;
  run(algo: number, sweeps: number, thin: number, record: number): void;
}

export interface GaussianBaselineMapping {
  n: number;
  /** CSR of beta A, diagonal included. */
  off: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  /** beta b. */
  b: Float64Array;
  /** Largest eigenvalue of beta A (the stiffest direction's curvature). */
  lambdaMax: number;
}

export function mapGaussianBaseline(m: GaussianModel): GaussianBaselineMapping {
  const n = m.n;
  const deg = new Int32Array(n).fill(1);
  for (let k = 0; k < m.ei.length; k++) {
    deg[m.ei[k]]++;
    deg[m.ej[k]]++;
  }
  const off = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) off[i + 1] = off[i] + deg[i];
  const idx = new Int32Array(off[n]);
  const val = new Float64Array(off[n]);
  const fill = off.slice(0, n);
  for (let i = 0; i < n; i++) {
    idx[fill[i]] = i;
    val[fill[i]++] = m.beta * m.diag[i];
  }
  for (let k = 0; k < m.ei.length; k++) {
    const [i, j, w] = [m.ei[k], m.ej[k], m.beta * m.ew[k]];
    idx[fill[i]] = j;
    val[fill[i]++] = w;
    idx[fill[j]] = i;
    val[fill[j]++] = w;
  }
  const apply = (x: Float64Array) => {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = off[i]; k < off[i + 1]; k++) y[i] += val[k] * x[idx[k]];
    return y;
  };
  return { n, off, idx, val, b: m.b.map((v) => m.beta * v), lambdaMax: spectralRadius(apply, n) };
}

export interface GaussianBaselineOptions {
  /** ULA/MALA: h; HMC: eps (initial, for the adaptive ones). */
  step?: number;
  leapfrogs?: number;
}

/** Default steps: ULA h = 0.05 / lambda_max (its covariance bias <= ~2.6%); MALA 1 / lambda_max; HMC 1 / sqrt(lambda_max). */
export function defaultStep(algo: GaussianAlgorithm, lambdaMax: number): number {
  if (algo === "ula") return 0.05 / lambdaMax;
  if (algo === "mala") return 1 / lambdaMax;
  return 1 / Math.sqrt(lambdaMax);
}

/** ULA on a Gaussian is exactly an AR(1) process: its stationary covariance is (beta A)^-1 (I - h beta A / 2)^-1. Largest relative excess. */
export function ulaCovarianceBias(h: number, lambdaMax: number): number {
  return 1 / (1 - (h * lambdaMax) / 2) - 1;
}

function allocate(k: ContinuousKernel, mp: GaussianBaselineMapping, algo: GaussianAlgorithm, bufferRows: number) {
  k.allocate(mp.n, mp.idx.length, algo === "exact-gaussian" ? 1 : 0);
  k.outputBuffer(bufferRows * mp.n * 8);
}

export function planGaussianBaselineBytes(mp: GaussianBaselineMapping, algo: GaussianAlgorithm, bufferRows: number): number {
  const inst = instantiateKernel<ContinuousKernel>("continuous");
  inst.exports.planBegin();
  allocate(inst.exports, mp, algo, bufferRows);
  return inst.exports.planBytes();
}

/** Cholesky factor of beta A and the mean A^-1 b, for exact sampling. */
function exactFactors(m: GaussianModel, file: string): { L: Float64Array; mu: Float64Array } {
  const n = m.n;
  if (n > MAX_EXACT_N) throw new InputError(file, "n", `exact-gaussian factors beta A densely; ${n} variables need ${((n * n * 8) / 2 ** 30).toFixed(1)} GiB (at most ${MAX_EXACT_N} variables)`);
  const a = denseA(m).map((v) => m.beta * v);
  const L = cholesky(a, n);
  if (!L) throw new InputError(file, "A", "is not positive definite (Cholesky failed)");
  // mu solves (beta A) mu = beta b: forward then back substitution.
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = m.beta * m.b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * y[k];
    y[i] = s / L[i * n + i];
  }
  const mu = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * mu[k];
    mu[i] = s / L[i * n + i];
  }
  return { L, mu };
}

export function runGaussianBaseline(m: GaussianModel, mp: GaussianBaselineMapping, algo: GaussianAlgorithm, o: ChainOptions & GaussianBaselineOptions & { flavour?: Flavour; file?: string; adaptSweeps?: number }): ChainResult {
  const n = mp.n;
  const bufferRows = bufferRowsFor(8 * n, o);
  const inst = instantiateKernel<ContinuousKernel>("continuous", o.flavour);
  const k = inst.exports;
  allocate(k, mp, algo, bufferRows);
  const v = inst.view;
  v(Int32Array, k.ptrOff(), n + 1).set(mp.off);
  v(Int32Array, k.ptrIdx(), mp.idx.length).set(mp.idx);
  v(Float64Array, k.ptrVal(), mp.val.length).set(mp.val);
  v(Float64Array, k.ptrB(), n).set(mp.b);
  if (algo === "exact-gaussian") {
    const { L, mu } = exactFactors(m, o.file ?? "model");
    v(Float64Array, k.ptrL(), n * n).set(L);
    v(Float64Array, k.ptrMu(), n).set(mu);
  }
  const step = o.step ?? defaultStep(algo, mp.lambdaMax);
  const leapfrogs = o.leapfrogs ?? 10;
  const adaptive = algo === "mala" || algo === "hmc";
  k.configure(step, leapfrogs, algo === "mala" ? 0.574 : 0.8, BigInt(adaptive ? (o.adaptSweeps ?? o.burnIn) : 0));
  const code = GAUSSIAN_ALGORITHMS[algo];
  const kernel: ChainKernel = {
    run: (sweeps, thin, record) => k.run(code, sweeps, thin, record ? 1 : 0),
    rows: (count) => inst.view(Float64Array, k.outputBuffer(0), count * n),
  };
  const samples = new Float64Array(o.sink ? 0 : o.chains * o.samples * n);
  const steps: number[] = [];
  const chainSeconds = runTimedChains(kernel, o, bufferRows, n, samples, (c) => k.seedChain(BigInt(o.seed), c), () => steps.push(k.currentStep()));
  const counters = inst.view(BigUint64Array, k.ptrCounters(), 4);
  const accepted = Number(counters[0]);
  const proposed = Number(counters[1]);
  const sweeps = o.chains * (o.burnIn + o.samples * o.thin);
  const nnz = mp.idx.length;
  const leaps = Number(counters[3]);
  const grads = algo === "ula" || algo === "mala" ? sweeps : algo === "hmc" ? leaps : 0;
  // Per gradient: a multiply-add per stored entry and 4 flops per row; the moves' vector arithmetic on top.
  const vectorFlops = { ula: 4 * n * sweeps, mala: 12 * n * sweeps, hmc: 5 * n * sweeps + 6 * n * leaps, "exact-gaussian": (n * n + n) * sweeps }[algo];
  const tests = adaptive ? sweeps : 0;
  const updates = sweeps * n;
  return {
    samples,
    counts: {
      site_updates: updates,
      flops: grads * (2 * nnz + 4 * n) + vectorFlops,
      exp_evals: tests,
      random_numbers: 2 * n * sweeps + tests + (algo === "hmc" ? sweeps : 0), // HMC also draws its trajectory length
      // A gradient reads each stored entry (index + value: 3 words) and its x (2); writes g (2 per row).
      memory_words: grads * (5 * nnz + 4 * n) + (algo === "exact-gaussian" ? sweeps * (n * n + 4 * n) : sweeps * 6 * n),
      // Moved coordinates: ULA and exact draws move every one, MALA and HMC those of accepted moves.
      flips: adaptive ? Number(counters[2]) * n : updates,
      replica_swaps: 0,
      gradient_evals: grads,
      native_spin_updates: 0,
      native_field_terms: 0,
      native_flops: grads * (2 * nnz + 4 * n) + vectorFlops,
      // A fresh normal per coordinate per sweep (HMC: its momentum, once per trajectory).
      native_normals: n * sweeps,
      native_exps: tests,
    },
    updates,
    chipSeconds: sumInOrder(chainSeconds),
    chainSeconds,
    wallSeconds: sumInOrder(chainSeconds),
    kernelBytes: inst.memory.buffer.byteLength,
    diagnostics: adaptive ? { accepted, proposed } : {},
    ...(adaptive ? { perChain: { adapted_step: steps } } : {}),
  };
}
