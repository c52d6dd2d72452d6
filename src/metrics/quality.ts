/**
 * Sample quality against the exact target. Discrete (enumerable spin
 * models): total variation and KL(p_hat || p) of the empirical law, the
 * largest errors of spin means and coupled pairs' correlations -- each beside
 * the same figure for an i.i.d. exact sample of the same size, the floor no
 * sampler can beat. Continuous (Gaussian targets): mean and covariance
 * errors, closed-form Gaussian KL and W2 of the fitted Gaussian, and two
 * sample-based distances to exact draws (MMD, sliced W2) beside their
 * floor for a second exact sample.
 * Optimisation: residual energy, success probability, TTS(0.99), ETS(0.99).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Random } from "../util/random.js";
import type { IsingModel } from "../models/ising.js";
import { cholesky, inverse } from "../linalg/dense.js";

export interface SpinQuality {
  draws: number;
  tv: number;
  kl: number;
  magnetisation_error: number;
  correlation_error: number;
  /** The same four figures for i.i.d. exact draws of the same size (medians over repeats). */
  iid: { tv: number; kl: number; magnetisation_error: number; correlation_error: number };
}

/** Exact spin means and coupled-pair correlations under p. */
export function exactMoments(m: IsingModel, p: Float64Array): { mag: Float64Array; corr: Float64Array } {
  const mag = new Float64Array(m.n);
  const corr = new Float64Array(m.ei.length);
  for (let x = 0; x < p.length; x++) {
    const px = p[x];
    if (px === 0) continue;
    for (let i = 0; i < m.n; i++) mag[i] += (x >> i) & 1 ? px : -px;
    for (let e = 0; e < m.ei.length; e++) corr[e] += ((x >> m.ei[e]) ^ (x >> m.ej[e])) & 1 ? -px : px;
  }
  return { mag, corr };
}

/** Quality figures of state counts (index -> count) against p. */
function figures(m: IsingModel, counts: Map<number, number>, N: number, p: Float64Array, exact: { mag: Float64Array; corr: Float64Array }) {
  let tvSeen = 0;
  let pSeen = 0;
  let kl = 0;
  const mag = new Float64Array(m.n);
  const corr = new Float64Array(m.ei.length);
  for (const [x, c] of counts) {
    const q = c / N;
    tvSeen += Math.abs(q - p[x]);
    pSeen += p[x];
    kl += q * Math.log(q / p[x]);
    for (let i = 0; i < m.n; i++) mag[i] += (x >> i) & 1 ? q : -q;
    for (let e = 0; e < m.ei.length; e++) corr[e] += ((x >> m.ei[e]) ^ (x >> m.ej[e])) & 1 ? -q : q;
  }
  // States never drawn contribute their whole probability to the L1 distance.
  const tv = (tvSeen + Math.max(0, 1 - pSeen)) / 2;
  let magErr = 0;
  let corrErr = 0;
  for (let i = 0; i < m.n; i++) magErr = Math.max(magErr, Math.abs(mag[i] - exact.mag[i]));
  for (let e = 0; e < m.ei.length; e++) corrErr = Math.max(corrErr, Math.abs(corr[e] - exact.corr[e]));
  return { tv, kl, magnetisation_error: magErr, correlation_error: corrErr };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Cumulative distribution for drawing i.i.d. exact states by binary search. */
function cdfOf(p: Float64Array): Float64Array {
  const c = new Float64Array(p.length);
  let acc = 0;
  for (let x = 0; x < p.length; x++) c[x] = acc += p[x];
  return c;
}

/**
 * The i.i.d. reference: medians over `reps` exact samples of size N (seeded, so
 * the same N gives the same reference).
 */
export function iidSpinReference(m: IsingModel, N: number, p: Float64Array, exact = exactMoments(m, p), reps = 15, seed = 20261123) {
  const cdf = cdfOf(p);
  const r = new Random(seed, N);
  const runs = Array.from({ length: reps }, () => {
    const counts = new Map<number, number>();
    for (let d = 0; d < N; d++) {
      const u = r.uniform() * cdf[cdf.length - 1];
      let lo = 0;
      let hi = cdf.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cdf[mid] <= u) lo = mid + 1;
        else hi = mid;
      }
      counts.set(lo, (counts.get(lo) ?? 0) + 1);
    }
    return figures(m, counts, N, p, exact);
  });
  return {
    tv: median(runs.map((x) => x.tv)),
    kl: median(runs.map((x) => x.kl)),
    magnetisation_error: median(runs.map((x) => x.magnetisation_error)),
    correlation_error: median(runs.map((x) => x.correlation_error)),
  };
}

/** Quality of drawn states (indices) against the exact law p. */
export function spinQuality(m: IsingModel, states: ArrayLike<number>[], p: Float64Array, withIid = true): SpinQuality {
  const counts = new Map<number, number>();
  let N = 0;
  for (const c of states) {
    for (let k = 0; k < c.length; k++) counts.set(c[k], (counts.get(c[k]) ?? 0) + 1);
    N += c.length;
  }
  const exact = exactMoments(m, p);
  const f = figures(m, counts, N, p, exact);
  return { draws: N, ...f, iid: withIid ? iidSpinReference(m, N, p, exact) : { tv: NaN, kl: NaN, magnetisation_error: NaN, correlation_error: NaN } };
}

export interface GaussianQuality {
  draws: number;
  /** max_i |mean_i - mu_i| / sd_i */
  mean_error_sd: number;
  /** ||cov_hat - cov||_F / ||cov||_F */
  cov_relative_error: number;
  /** KL(N(mean_hat, cov_hat) || N(mu, cov)), nats */
  kl: number;
  /** 2-Wasserstein distance between N(mean_hat, cov_hat) and N(mu, cov) */
  w2: number;
  /** MMD (RBF kernel, median-heuristic bandwidth) between up to 1,000 draws and as many exact ones */
  mmd: number;
  /** Sliced 2-Wasserstein between the same point sets (64 seeded random directions) */
  sliced_w2: number;
  /** The same two for a second exact sample: the floor at this many points */
  iid: { mmd: number; sliced_w2: number };
}

/** Up to m rows spread evenly over the draws (deterministic). */
function subsample(rows: Float64Array[], n: number, m: number): Float64Array[] {
  const all: Float64Array[] = [];
  for (const r of rows) for (let q = 0; q < r.length; q += n) all.push(r.subarray(q, q + n));
  if (all.length <= m) return all;
  return Array.from({ length: m }, (_, k) => all[Math.floor((k * all.length) / m)]);
}

/** m exact draws of N(mu, cov) from a seeded generator. */
function exactDraws(mu: Float64Array, cov: Float64Array, n: number, m: number, seed: number): Float64Array[] {
  const L = cholesky(cov, n)!;
  const r = new Random(seed, 7);
  const z = new Float64Array(n);
  return Array.from({ length: m }, () => {
    for (let i = 0; i < n; i++) z[i] = r.normal();
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = mu[i];
      for (let k = 0; k <= i; k++) v += L[i * n + k] * z[k];
      x[i] = v;
    }
    return x;
  });
}

const dist2 = (a: Float64Array, b: Float64Array) => {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) ** 2;
  return d;
};

/** Unbiased MMD^2 with an RBF kernel whose bandwidth is the median pairwise distance of the pooled points; returns sqrt(max(0, .)). */
export function mmdRbf(x: Float64Array[], y: Float64Array[]): number {
  const pooled = [...x, ...y];
  const d: number[] = [];
  for (let i = 0; i < pooled.length; i += 3) for (let j = i + 1; j < pooled.length; j += 7) d.push(dist2(pooled[i], pooled[j]));
  const h2 = median(d) || 1;
  const k = (a: Float64Array, b: Float64Array) => Math.exp(-dist2(a, b) / (2 * h2));
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) if (i !== j) xx += k(x[i], x[j]);
  for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (i !== j) yy += k(y[i], y[j]);
  for (const a of x) for (const b of y) xy += k(a, b);
  const m = x.length;
  const n = y.length;
  return Math.sqrt(Math.max(0, xx / (m * (m - 1)) + yy / (n * (n - 1)) - (2 * xy) / (m * n)));
}

/** Sliced 2-Wasserstein between two equal-size point sets over seeded random unit directions. */
export function slicedW2(x: Float64Array[], y: Float64Array[], directions = 64, seed = 99): number {
  const n = x[0].length;
  const r = new Random(seed, n);
  const m = Math.min(x.length, y.length);
  let total = 0;
  for (let l = 0; l < directions; l++) {
    const u = Float64Array.from({ length: n }, () => r.normal());
    const norm = Math.sqrt(u.reduce((a, v) => a + v * v, 0));
    const proj = (pts: Float64Array[]) => Float64Array.from({ length: m }, (_, q) => pts[Math.floor((q * pts.length) / m)].reduce((a, v, i) => a + (v * u[i]) / norm, 0)).sort();
    const px = proj(x);
    const py = proj(y);
    let w = 0;
    for (let q = 0; q < m; q++) w += (px[q] - py[q]) ** 2;
    total += w / m;
  }
  return Math.sqrt(total / directions);
}

/** Mean and covariance of rows of n columns. */
export function meanCovOf(rows: Float64Array[], n: number): { mean: Float64Array; cov: Float64Array; N: number } {
  const mean = new Float64Array(n);
  let N = 0;
  for (const r of rows) for (let q = 0; q < r.length; q += n) {
    for (let i = 0; i < n; i++) mean[i] += r[q + i];
    N++;
  }
  for (let i = 0; i < n; i++) mean[i] /= N;
  const cov = new Float64Array(n * n);
  for (const r of rows) for (let q = 0; q < r.length; q += n) {
    for (let i = 0; i < n; i++) {
      const di = r[q + i] - mean[i];
      for (let j = i; j < n; j++) cov[i * n + j] += di * (r[q + j] - mean[j]);
    }
  }
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) cov[j * n + i] = cov[i * n + j] /= N - 1;
  return { mean, cov, N };
}

/**
 * mathjs's matrix square root, loaded on first use with only its own
 * dependencies: importing the whole bundle at start-up cost every command
 * ~0.9 s (measured). Falls back to the whole package if the internal
 * factory files move (mathjs is pinned ~15.2).
 */
type Sqrtm = (a: number[][]) => number[][];
let sqrtmFn: Sqrtm | undefined;
function sqrtm(a: number[][]): number[][] {
  if (!sqrtmFn) {
    const require = createRequire(import.meta.url);
    try {
      const root = join(dirname(require.resolve("mathjs/package.json")), "lib", "cjs");
      const { create } = require(join(root, "core", "create.js"));
      const { sqrtmDependencies } = require(join(root, "entry", "dependenciesAny", "dependenciesSqrtm.generated.js"));
      sqrtmFn = create({ sqrtmDependencies }, {}).sqrtm as Sqrtm;
    } catch {
      sqrtmFn = (require("mathjs") as { sqrtm: Sqrtm }).sqrtm;
    }
  }
  return sqrtmFn(a);
}

const toRows = (a: Float64Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));

/** W2 between Gaussians: |m1 - m2|^2 + tr(S1 + S2 - 2 (S2^1/2 S1 S2^1/2)^1/2). */
export function gaussianW2(m1: Float64Array, s1: Float64Array, m2: Float64Array, s2: Float64Array, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) d += (m1[i] - m2[i]) ** 2;
  const r2 = sqrtm(toRows(s2, n));
  const mid = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let v = 0;
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) v += r2[i][a] * s1[a * n + b] * r2[b][j];
    return v;
  }));
  // Symmetrise against rounding before the square root.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) mid[i][j] = mid[j][i] = (mid[i][j] + mid[j][i]) / 2;
  const root = sqrtm(mid);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += s1[i * n + i] + s2[i * n + i] - 2 * root[i][i];
  return Math.sqrt(Math.max(0, d + tr));
}

/** KL(N(m1, S1) || N(m2, S2)) = (tr(S2^-1 S1) + (m2-m1)' S2^-1 (m2-m1) - n + ln det S2 - ln det S1) / 2. */
export function gaussianKl(m1: Float64Array, s1: Float64Array, m2: Float64Array, s2: Float64Array, n: number): number {
  const inv2 = inverse(s2, n);
  const l1 = cholesky(s1, n);
  const l2 = cholesky(s2, n);
  if (!inv2 || !l1 || !l2) return Infinity;
  let tr = 0;
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) tr += inv2[i * n + k] * s1[k * n + i];
  let quad = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) quad += (m2[i] - m1[i]) * inv2[i * n + j] * (m2[j] - m1[j]);
  let logdet = 0;
  for (let i = 0; i < n; i++) logdet += 2 * (Math.log(l2[i * n + i]) - Math.log(l1[i * n + i]));
  return 0.5 * (tr + quad - n + logdet);
}

/** `distances`: also the sample-based MMD and sliced W2 (O(1000^2) work; off at checkpoints). */
export function gaussianQuality(rows: Float64Array[], n: number, mu: Float64Array, cov: Float64Array, distances = true): GaussianQuality {
  const { mean, cov: c, N } = meanCovOf(rows, n);
  let meanErr = 0;
  for (let i = 0; i < n; i++) meanErr = Math.max(meanErr, Math.abs(mean[i] - mu[i]) / Math.sqrt(cov[i * n + i]));
  let num = 0;
  let den = 0;
  for (let q = 0; q < n * n; q++) {
    num += (c[q] - cov[q]) ** 2;
    den += cov[q] ** 2;
  }
  if (!distances) return { draws: N, mean_error_sd: meanErr, cov_relative_error: Math.sqrt(num / den), kl: gaussianKl(mean, c, mu, cov, n), w2: gaussianW2(mean, c, mu, cov, n), mmd: NaN, sliced_w2: NaN, iid: { mmd: NaN, sliced_w2: NaN } };
  const pts = subsample(rows, n, 1000);
  const ref = exactDraws(mu, cov, n, pts.length, 11);
  const ref2 = exactDraws(mu, cov, n, pts.length, 12);
  return {
    draws: N, mean_error_sd: meanErr, cov_relative_error: Math.sqrt(num / den), kl: gaussianKl(mean, c, mu, cov, n), w2: gaussianW2(mean, c, mu, cov, n),
    mmd: mmdRbf(pts, ref), sliced_w2: slicedW2(pts, ref), iid: { mmd: mmdRbf(ref2, ref), sliced_w2: slicedW2(ref2, ref) },
  };
}

/** Time (or energy) to solution at 99% confidence: t ln(0.01) / ln(1 - p_s); t itself when p_s = 1; Infinity when p_s = 0. */
export function toSolution99(perRun: number, successProbability: number): number {
  if (successProbability >= 1) return perRun;
  if (successProbability <= 0) return Infinity;
  return Math.max(1, Math.log(0.01) / Math.log(1 - successProbability)) * perRun;
}
