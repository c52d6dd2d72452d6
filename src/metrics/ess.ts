/**
 * Effective sample size of Markov chains, as Stan's `posterior` R package
 * defines it (Vehtari, Gelman, Simpson, Carpenter and Buerkner 2021):
 * chains split in halves, autocovariances by FFT, the between-chain variance
 * in var+, and Geyer's initial positive and monotone sequences. `essBulk`
 * applies it to rank-normalised draws. Checked digit for digit against
 * posterior's output on Stan chains (test/diagnostics.test.ts).
 */
import FFT from "fft.js";
import { normalQuantile } from "./normal.js";

/** Biased autocovariances (lag 0 .. n-1) of one series: sum_i (x_i - mean)(x_{i+t} - mean) / n. */
export function autocovariance(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let size = 2;
  while (size < 2 * n) size *= 2; // zero padding to >= 2n: no wrap-around
  const fft = new FFT(size);
  const input = new Float64Array(size);
  for (let i = 0; i < n; i++) input[i] = x[i] - mean;
  const spec = fft.createComplexArray() as number[];
  fft.realTransform(spec, input);
  fft.completeSpectrum(spec);
  for (let k = 0; k < size; k++) {
    const re = spec[2 * k];
    const im = spec[2 * k + 1];
    spec[2 * k] = re * re + im * im;
    spec[2 * k + 1] = 0;
  }
  const back = fft.createComplexArray() as number[];
  fft.inverseTransform(back, spec); // fft.js's inverse includes the 1/size
  const ac = new Float64Array(n);
  for (let t = 0; t < n; t++) ac[t] = back[2 * t] / n;
  return ac;
}

/** Each chain cut into two halves (the middle draw of an odd chain dropped). */
export function splitChains(chains: ArrayLike<number>[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const c of chains) {
    const half = Math.floor(c.length / 2);
    out.push(Float64Array.from({ length: half }, (_, i) => c[i]));
    out.push(Float64Array.from({ length: half }, (_, i) => c[c.length - half + i]));
  }
  return out;
}

/** ESS of equal-length chains (no splitting here); NaN when undefined (constant draws, < 3 draws). */
export function essOf(chains: ArrayLike<number>[]): number {
  const m = chains.length;
  const n = chains[0]?.length ?? 0;
  if (m === 0 || n < 3) return NaN;
  let constant = true;
  const first = chains[0][0];
  for (const c of chains) for (let i = 0; i < n && constant; i++) if (c[i] !== first) constant = false;
  if (constant) return NaN;
  const acov = chains.map(autocovariance);
  const means = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const meanAcov = (t: number) => acov.reduce((a, r) => a + r[t], 0) / m;
  const meanVar = (meanAcov(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    const mu = means.reduce((a, b) => a + b, 0) / m;
    varPlus += means.reduce((a, b) => a + (b - mu) ** 2, 0) / (m - 1);
  }
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

/** posterior's ess_basic (split chains). */
export function essBasic(chains: ArrayLike<number>[]): number {
  return essOf(splitChains(chains));
}

/** Draws replaced by normal scores of their ranks over all chains (ties share the average rank; Blom offsets). */
export function rankNormalise(chains: ArrayLike<number>[]): Float64Array[] {
  const all: { v: number; c: number; i: number }[] = [];
  chains.forEach((c, ci) => {
    for (let i = 0; i < c.length; i++) all.push({ v: c[i], c: ci, i });
  });
  all.sort((a, b) => a.v - b.v);
  const S = all.length;
  const out = chains.map((c) => new Float64Array(c.length));
  for (let k = 0; k < S; ) {
    let j = k;
    while (j + 1 < S && all[j + 1].v === all[k].v) j++;
    const rank = (k + 1 + j + 1) / 2;
    const z = normalQuantile((rank - 3 / 8) / (S + 1 / 4));
    for (let q = k; q <= j; q++) out[all[q].c][all[q].i] = z;
    k = j + 1;
  }
  return out;
}

/** posterior's ess_bulk: ESS of the rank-normalised split chains. */
export function essBulk(chains: ArrayLike<number>[]): number {
  return essOf(rankNormalise(splitChains(chains)));
}
