/**
 * Small exact statistics used by the checks: binomial tail intervals,
 * chi-square quantiles, and what i.i.d. samples of a Gaussian show.
 */
import { Random } from "../util/random.js";

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

/** Regularised lower incomplete gamma P(a, x) (series below a+1, continued fraction above). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const lnPre = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 10_000; k++) {
      term *= x / (a + k);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.exp(lnPre) * sum;
  }
  // Lentz's method for the continued fraction of Q(a, x).
  let b = x + 1 - a;
  let c = 1 / 1e-300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - Math.exp(lnPre) * h;
}

/** Quantile of the chi-square distribution with k degrees of freedom. */
export function chiSquareQuantile(p: number, k: number): number {
  let lo = 0;
  let hi = Math.max(10, k + 20 * Math.sqrt(2 * k));
  while (gammaP(k / 2, hi / 2) < p) hi *= 2;
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (gammaP(k / 2, mid / 2) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** Sample mean and covariance of rows of x (rows x cols). */
export function meanCov(x: Float64Array, cols: number): { mean: Float64Array; cov: Float64Array } {
  const rows = x.length / cols;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) mean[j] += x[r * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  const cov = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const di = x[r * cols + i] - mean[i];
      for (let j = 0; j <= i; j++) cov[i * cols + j] += di * (x[r * cols + j] - mean[j]);
    }
  }
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j <= i; j++) {
      cov[i * cols + j] /= rows - 1;
      cov[j * cols + i] = cov[i * cols + j];
    }
  }
  return { mean, cov };
}

export function relativeFrobenius(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    d += (a[k] - b[k]) ** 2;
    s += b[k] * b[k];
  }
  return Math.sqrt(d / s);
}

/**
 * Quantile `q` of the relative Frobenius error of the sample covariance of m
 * i.i.d. draws from N(0, cov): what a perfect sampler of the same size shows.
 */
export function iidCovErrorQuantile(cov: Float64Array, n: number, m: number, q: number, reps = 60, seed = 4321): number {
  // Cholesky factor of cov.
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = cov[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] ** 2;
    L[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = cov[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / L[j * n + j];
    }
  }
  const rng = new Random(seed);
  const errs: number[] = [];
  const x = new Float64Array(m * n);
  const z = new Float64Array(n);
  for (let r = 0; r < reps; r++) {
    for (let s = 0; s < m; s++) {
      for (let i = 0; i < n; i++) z[i] = rng.normal();
      for (let i = 0; i < n; i++) {
        let v = 0;
        for (let k = 0; k <= i; k++) v += L[i * n + k] * z[k];
        x[s * n + i] = v;
      }
    }
    errs.push(relativeFrobenius(meanCov(x, n).cov, cov));
  }
  errs.sort((a, b) => a - b);
  return errs[Math.min(reps - 1, Math.floor(q * reps))];
}
