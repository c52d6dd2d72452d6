/**
 * Effective sample size and R-hat of Markov chains, as Stan's `posterior` R
 * package (1.4) defines them (Vehtari, Gelman, Simpson, Carpenter and
 * Buerkner 2021): chains split in halves, biased autocovariances, the
 * between-chain variance in var+, Geyer's initial positive and monotone
 * sequences, rank normalisation with Blom offsets. Checked digit for digit
 * against posterior on Stan's chains and on random chains
 * (test/diagnostics.test.ts).
 *
 * Autocovariances are computed lag by lag while Geyer's sequence needs few
 * lags (well-mixed chains stop after a handful) and by FFT once it needs
 * many: the same numbers to rounding, at a fraction of the cost.
 */
import FFT from "fft.js";
import { normalQuantile } from "./normal.js";
import { argsort } from "./rank.js";

/** Lags computed directly before switching to the FFT. */
const DIRECT_LAGS = 48;

/** Biased autocovariances of one series, lazily: acov(t) = sum_i (x_i - mean)(x_{i+t} - mean) / n. */
export class Autocovariance {
  readonly n: number;
  readonly mean: number;
  private readonly centred: Float64Array;
  private readonly direct: number[] = [];
  private all?: Float64Array;

  constructor(x: ArrayLike<number>) {
    const n = x.length;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) c[i] = x[i] - mean;
    this.n = n;
    this.mean = mean;
    this.centred = c;
  }

  at(t: number): number {
    if (t >= this.n) return 0;
    if (this.all && t < this.all.length) return this.all[t];
    if (t < DIRECT_LAGS) {
      while (this.direct.length <= t) {
        const lag = this.direct.length;
        const c = this.centred;
        let s = 0;
        for (let i = 0; i + lag < this.n; i++) s += c[i] * c[i + lag];
        this.direct.push(s / this.n);
      }
      return this.direct[t];
    }
    this.useFft(t);
    return this.all![t];
  }

  /** Switch to FFT autocovariances, exact for lags up to at least `lags` (all lags when they do not fit). */
  useFft(lags: number): void {
    if (this.all && this.all.length > lags) return;
    // Zero padding of `lags` past the end is enough for the first `lags` lags: a smaller transform.
    let size = 2;
    while (size < this.n + Math.max(lags, 4 * DIRECT_LAGS)) size *= 2;
    this.all = autocovariance(this.centred, true, size >= 2 * this.n ? this.n : size - this.n + 1);
  }
}

/** FFT plans and buffers by size, kept: building them costs more than a transform. */
const plans = new Map<number, { fft: FFT; input: Float64Array; spec: Float64Array; back: Float64Array }>();
function fftFor(size: number) {
  let p = plans.get(size);
  if (!p) {
    if (plans.size > 8) plans.clear();
    p = { fft: new FFT(size), input: new Float64Array(size), spec: new Float64Array(2 * size), back: new Float64Array(2 * size) };
    plans.set(size, p);
  }
  return p;
}

/** Biased autocovariances of one series by FFT: lags 0 .. lags-1 (all by default). */
export function autocovariance(x: ArrayLike<number>, centred = false, lags = x.length): Float64Array {
  const n = x.length;
  let mean = 0;
  if (!centred) {
    for (let i = 0; i < n; i++) mean += x[i];
    mean /= n;
  }
  let size = 2;
  while (size < n + lags - 1) size *= 2; // zero padding: lags below `lags` do not wrap around
  const { fft, input, spec, back } = fftFor(size);
  for (let i = 0; i < n; i++) input[i] = x[i] - mean;
  input.fill(0, n);
  fft.realTransform(spec, input);
  fft.completeSpectrum(spec);
  for (let k = 0; k < size; k++) {
    const re = spec[2 * k];
    const im = spec[2 * k + 1];
    spec[2 * k] = re * re + im * im;
    spec[2 * k + 1] = 0;
  }
  fft.inverseTransform(back, spec); // fft.js's inverse includes the 1/size
  const ac = new Float64Array(lags);
  for (let t = 0; t < lags; t++) ac[t] = back[2 * t] / n;
  return ac;
}

/** Each chain cut into two halves (the middle draw of an odd chain dropped). */
export function splitChains(chains: ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const x of chains) {
    const c = x instanceof Float64Array ? x : Float64Array.from(x);
    const half = Math.floor(c.length / 2);
    out.push(c.subarray(0, half), c.subarray(c.length - half));
  }
  return out;
}

/** posterior's is_constant: max - min below machine epsilon (absolute). */
function isConstant(chains: ArrayLike<number>[]): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of chains) {
    for (let i = 0; i < c.length; i++) {
      if (c[i] < lo) lo = c[i];
      if (c[i] > hi) hi = c[i];
    }
  }
  return Math.abs(hi - lo) < Number.EPSILON;
}

/** ESS of equal-length chains (no splitting here); NaN when undefined (constant draws, < 3 draws). */
export function essOf(chains: ArrayLike<number>[]): number {
  const m = chains.length;
  const n = chains[0]?.length ?? 0;
  if (m === 0 || n < 3 || isConstant(chains)) return NaN;
  const acov = chains.map((c) => new Autocovariance(c));
  const meanAcov = (t: number) => acov.reduce((a, r) => a + r.at(t), 0) / m;
  // Slowly decorrelating chains will need many lags: go to the FFT at once rather than lag by lag.
  const rho1 = meanAcov(1) / meanAcov(0);
  const guess = (1 + rho1) / Math.max(1e-12, 1 - rho1);
  if (4 * guess > DIRECT_LAGS) for (const a of acov) a.useFft(Math.ceil(8 * guess));
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) varPlus += variance(acov.map((a) => a.mean));
  // Geyer's initial positive sequence.
  const rho = new Float64Array(n);
  let t = 0;
  let even = 1;
  rho[0] = even;
  let odd = 1 - (meanVar - meanAcov(1)) / varPlus;
  rho[1] = odd;
  while (t < n - 5 && !Number.isNaN(even + odd) && even + odd > 0) {
    t += 2;
    even = 1 - (meanVar - meanAcov(t)) / varPlus;
    odd = 1 - (meanVar - meanAcov(t + 1)) / varPlus;
    if (even + odd >= 0) {
      rho[t] = even;
      rho[t + 1] = odd;
    }
  }
  const maxT = t;
  if (even > 0) rho[maxT] = even;
  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const total = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  tau = Math.max(tau, 1 / Math.log10(total));
  return total / tau;
}

/** Sample variance (n - 1 denominator), two-pass. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (x[i] - mean) ** 2;
  return s / (n - 1);
}

/** posterior's .rhat on chains already prepared (split, normalised). */
export function rhatOf(chains: ArrayLike<number>[]): number {
  const n = chains[0]?.length ?? 0;
  if (chains.length === 0 || n < 2 || isConstant(chains)) return NaN;
  const means = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const within = chains.reduce((a, c) => a + variance(c), 0) / chains.length;
  const between = chains.length > 1 ? n * variance(means) : 0;
  return Math.sqrt((between / within + n - 1) / n);
}

/** All draws of all chains in one array, chain after chain. */
export function concat(chains: ArrayLike<number>[]): Float64Array {
  const total = chains.reduce((a, c) => a + c.length, 0);
  const all = new Float64Array(total);
  let k = 0;
  for (const c of chains) {
    if (c instanceof Float64Array) all.set(c, k);
    else for (let i = 0; i < c.length; i++) all[k + i] = c[i];
    k += c.length;
  }
  return all;
}

/** Equal-length pieces of a flat array (views, no copies). */
export function pieces(flat: Float64Array, count: number): Float64Array[] {
  const len = flat.length / count;
  return Array.from({ length: count }, (_, c) => flat.subarray(c * len, (c + 1) * len));
}

/** Normal scores of the average ranks of `flat` given its ascending order (Blom offsets, posterior's z_scale). */
export function normalScores(flat: Float64Array, order: Uint32Array): Float64Array {
  const S = flat.length;
  const z = new Float64Array(S);
  // A plain loop rather than forEachTie's callback: this is the diagnostics' hottest loop.
  for (let k = 0; k < S; ) {
    let j = k;
    const v = flat[order[k]];
    while (j + 1 < S && flat[order[j + 1]] === v) j++;
    const score = normalQuantile(((k + 1 + j + 1) / 2 - 3 / 8) / (S + 1 / 4));
    for (let q = k; q <= j; q++) z[order[q]] = score;
    k = j + 1;
  }
  return z;
}

/** Draws replaced by normal scores of their ranks over all chains (ties share the average rank). */
export function rankNormalise(chains: ArrayLike<number>[]): Float64Array[] {
  const flat = concat(chains);
  return pieces(normalScores(flat, argsort(flat)), chains.length);
}

/** R's default (type 7) quantile of sorted values. */
export function quantile7(sorted: Float64Array, p: number): number {
  const index = (sorted.length - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const h = index - lo;
  return h > 0 && sorted[hi] !== sorted[lo] ? (1 - h) * sorted[lo] + h * sorted[hi] : sorted[lo];
}

/** posterior's median: the middle value, or the mean of the two middle values. */
export function median(sorted: Float64Array): number {
  const n = sorted.length;
  const half = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** posterior's ess_bulk: ESS of the rank-normalised split chains. */
export function essBulk(chains: ArrayLike<number>[]): number {
  return essOf(rankNormalise(splitChains(chains)));
}
