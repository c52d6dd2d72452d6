/**
 * Small exact statistics used by the checks: binomial tail intervals and the
 * distribution of total-variation distance of an i.i.d. sample.
 */
import { Random } from "../util/random.js";
import { totalVariation } from "../models/enumerate.js";

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Exact central binomial interval [lo, hi] holding at least `level` of Binomial(n, p). */
export function binomialInterval(n: number, p: number, level: number): [number, number] {
  const alpha = (1 - level) / 2;
  const lgn = logGamma(n + 1);
  const logPmf = (k: number) =>
    p === 0 ? (k === 0 ? 0 : -Infinity) : p === 1 ? (k === n ? 0 : -Infinity)
      : lgn - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
  let lo = 0;
  let acc = 0;
  while (lo < n && acc + Math.exp(logPmf(lo)) <= alpha) acc += Math.exp(logPmf(lo++));
  let hi = n;
  acc = 0;
  while (hi > 0 && acc + Math.exp(logPmf(hi)) <= alpha) acc += Math.exp(logPmf(hi--));
  return [lo, hi];
}

/**
 * Quantile `q` of TV(empirical, p) over `reps` i.i.d. samples of size m from p:
 * what a perfect sampler of the same size shows.
 */
export function iidTvQuantile(p: Float64Array, m: number, q: number, reps = 100, seed = 12345): number {
  const cdf = new Float64Array(p.length);
  let s = 0;
  for (let k = 0; k < p.length; k++) cdf[k] = s += p[k];
  const rng = new Random(seed);
  const tv: number[] = [];
  const counts = new Float64Array(p.length);
  for (let r = 0; r < reps; r++) {
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      const u = rng.uniform() * s;
      let lo = 0;
      let hi = p.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      counts[lo]++;
    }
    for (let k = 0; k < p.length; k++) counts[k] /= m;
    tv.push(totalVariation(counts, p));
  }
  tv.sort((a, b) => a - b);
  const pos = q * (reps - 1);
  const i = Math.floor(pos);
  return tv[i] + (pos - i) * ((tv[Math.min(i + 1, reps - 1)] ?? tv[i]) - tv[i]);
}

/** Sample autocorrelation of a series at the given lag. */
export function autocorrelation(x: ArrayLike<number>, lag: number): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let c0 = 0;
  let ck = 0;
  for (let i = 0; i < n; i++) c0 += (x[i] - mean) ** 2;
  for (let i = 0; i + lag < n; i++) ck += (x[i] - mean) * (x[i + lag] - mean);
  return ck / c0;
}
