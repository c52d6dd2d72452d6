/**
 * Mixing diagnostics of one scalar over several chains: Stan's (rank R-hat,
 * bulk/tail/mean/sd ESS, MCSE of mean and sd, as the `posterior` R package
 * 1.4 computes them), Sokal's integrated autocorrelation time, and batch
 * means. Draws are [chain][draw]; every chain has the same length.
 */
import { Autocovariance, concat, essOf, median, normalScores, pieces, quantile7, rankNormalise, rhatOf, splitChains, variance } from "./ess.js";
import { argsort, gather } from "./rank.js";
import type { StatInfo } from "../report/units.js";

export interface ScalarDiagnostics {
  rhat: number;
  rhat_basic: number;
  ess_bulk: number;
  ess_tail: number;
  ess_mean: number;
  ess_sd: number;
  mcse_mean: number;
  mcse_sd: number;
  iat: number;
  iat_window: number;
  mcse_mean_batch: number;
  mean: number;
  sd: number;
}

/** Units and meaning of every field, for stats tables and --json consumers. */
export const DIAGNOSTIC_STATS: Record<keyof ScalarDiagnostics, StatInfo> = {
  rhat: { unit: "1", description: "rank-normalised split R-hat: max of bulk and tail (folded) R-hat; near 1 when chains agree (posterior::rhat)" },
  rhat_basic: { unit: "1", description: "split R-hat of the raw draws (posterior::rhat_basic)" },
  ess_bulk: { unit: "draw", description: "bulk effective sample size: ESS of rank-normalised split chains (posterior::ess_bulk)" },
  ess_tail: { unit: "draw", description: "tail effective sample size: min ESS of the 5% and 95% quantile indicators (posterior::ess_tail)" },
  ess_mean: { unit: "draw", description: "ESS of the mean: split chains, raw draws (posterior::ess_mean)" },
  ess_sd: { unit: "draw", description: "ESS of the variance: ess_mean of (x - mean)^2, the ESS mcse_sd uses (posterior <= 1.3 and ArviZ; posterior 1.4's ess_sd() uses |x - mean|)" },
  mcse_mean: { unit: "value", description: "Monte Carlo standard error of the mean: sd / sqrt(ess_mean) (posterior::mcse_mean)" },
  mcse_sd: { unit: "value", description: "Monte Carlo standard error of the sd, delta method (posterior::mcse_sd)" },
  iat: { unit: "draw", description: "integrated autocorrelation time 1 + 2 sum_{t<=W} rho(t), Sokal's automatic window (c = 5), chains pooled" },
  iat_window: { unit: "draw", description: "the window W Sokal's rule chose (smallest W >= 5 iat(W))" },
  mcse_mean_batch: { unit: "value", description: "Monte Carlo standard error of the mean by batch means (floor(sqrt(draws)) draws per batch)" },
  mean: { unit: "value", description: "mean of all draws" },
  sd: { unit: "value", description: "standard deviation of all draws" },
};

/** Sokal's windowed integrated autocorrelation time with the autocorrelation pooled over chains. */
export function iatSokal(chains: ArrayLike<number>[], c = 5): { iat: number; window: number } {
  const n = chains[0]?.length ?? 0;
  const acov = chains.map((x) => new Autocovariance(x));
  const pooled = (t: number) => acov.reduce((a, r) => a + r.at(t), 0);
  const c0 = pooled(0);
  if (!(c0 > 0)) return { iat: NaN, window: 0 };
  const rho1 = pooled(1) / c0;
  const guess = (1 + rho1) / Math.max(1e-12, 1 - rho1);
  if (c * guess > 16) for (const a of acov) a.useFft(Math.ceil(2 * c * guess));
  let tau = 1;
  for (let w = 1; w < n; w++) {
    tau += (2 * pooled(w)) / c0;
    if (w >= c * tau) return { iat: tau, window: w };
  }
  return { iat: tau, window: n - 1 };
}

/** MCSE of the mean by non-overlapping batch means within each chain. */
export function batchMeansMcse(chains: ArrayLike<number>[]): number {
  const n = chains[0]?.length ?? 0;
  const size = Math.floor(Math.sqrt(n));
  const batches = Math.floor(n / size);
  if (batches < 2) return NaN;
  const means: number[] = [];
  for (const x of chains) {
    for (let b = 0; b < batches; b++) {
      let s = 0;
      for (let i = b * size; i < (b + 1) * size; i++) s += x[i];
      means.push(s / size);
    }
  }
  // Var(batch mean) ~ sigma^2 tau / size; the grand mean of all B batches has Var(batch mean) / B.
  return Math.sqrt(variance(means) / means.length);
}

/**
 * Ascending order of |x - med| from the ascending order of x: the draws below the median,
 * walked downwards, and those above, walked upwards, merged.
 */
function foldedOrder(folded: Float64Array, order: Uint32Array, firstAtMedian: number): Uint32Array {
  const S = order.length;
  let up = firstAtMedian;
  let down = up - 1;
  const out = new Uint32Array(S);
  for (let k = 0; k < S; k++) {
    if (down < 0 || (up < S && folded[order[up]] <= folded[order[down]])) out[k] = order[up++];
    else out[k] = order[down--];
  }
  return out;
}

/** x -> f(x) for every draw of every chain. */
function each(chains: Float64Array[], f: (v: number) => number): Float64Array[] {
  return chains.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = f(c[i]);
    return out;
  });
}

/**
 * Every diagnostic of one scalar. Draws must be finite; undefined quantities are NaN.
 * Computed in phases, each dropping its draw-sized arrays before the next makes
 * its own, so the peak memory is a few times the draws, not a dozen (1e8
 * draws peaked at 8 GB when every array lived to the end: audit D19).
 */
export function diagnoseScalar(chains: Float64Array[]): ScalarDiagnostics {
  const halves = 2 * chains.length;
  // With an even number of draws the split chains hold every draw, in the same flat order:
  // the ranks of all draws serve, and the folded draws' order follows from it by a merge.
  const even = chains[0].length % 2 === 0;
  // Phase 1: the draws in order -- mean, sd, median, quantiles, bulk and folded (tail) R-hat, bulk ESS.
  let flat: Float64Array | undefined = concat(chains);
  const S = flat.length;
  let mean = 0;
  for (let i = 0; i < S; i++) mean += flat[i];
  mean /= S;
  const sd = Math.sqrt(variance(flat));
  let order: Uint32Array | undefined = argsort(flat);
  let sorted: Float64Array | undefined = gather(flat, order);
  const med = median(sorted);
  const q05 = quantile7(sorted, 0.05);
  const q95 = quantile7(sorted, 0.95);
  let firstAtMedian = 0; // the first draw, in ascending order, not below the median
  while (firstAtMedian < S && sorted[firstAtMedian] < med) firstAtMedian++;
  sorted = undefined;
  let rhatBulk: number;
  let essBulk: number;
  {
    const bulkZ = even ? pieces(normalScores(flat, order), halves) : rankNormalise(splitChains(chains));
    rhatBulk = rhatOf(bulkZ);
    essBulk = essOf(bulkZ);
  }
  let rhatFolded: number;
  {
    const folded = new Float64Array(S);
    for (let i = 0; i < S; i++) folded[i] = Math.abs(flat[i] - med);
    flat = undefined;
    const folds = even ? foldedOrder(folded, order, firstAtMedian) : undefined;
    order = undefined;
    const foldedZ = folds ? pieces(normalScores(folded, folds), halves) : rankNormalise(splitChains(pieces(folded, chains.length)));
    rhatFolded = rhatOf(foldedZ);
  }
  // Phase 2: the raw split chains (views, no copies).
  const split = splitChains(chains);
  const rhatBasic = rhatOf(split);
  const essMean = essOf(split);
  // Phase 3: mcse_sd (posterior 1.4): delta method on the variance with the ESS of the squared deviations.
  let m2 = 0;
  let m4 = 0;
  let essSquares: number;
  {
    const squares = each(chains, (v) => (v - mean) * (v - mean));
    for (const c of squares) for (let i = 0; i < c.length; i++) {
      m2 += c[i];
      m4 += c[i] * c[i];
    }
    essSquares = essOf(splitChains(squares));
  }
  m2 /= S;
  m4 /= S;
  // Phase 4: the tails, one indicator at a time.
  const tail = (q: number) => essOf(splitChains(each(chains, (v) => (v <= q ? 1 : 0))));
  const essTail = Math.min(tail(q05), tail(q95));
  const { iat, window } = iatSokal(chains);
  return {
    rhat: Math.max(rhatBulk, rhatFolded),
    rhat_basic: rhatBasic,
    ess_bulk: essBulk,
    ess_tail: essTail,
    ess_mean: essMean,
    ess_sd: essSquares,
    mcse_mean: sd / Math.sqrt(essMean),
    mcse_sd: Math.sqrt((m4 - m2 * m2) / essSquares / m2 / 4),
    iat,
    iat_window: window,
    mcse_mean_batch: batchMeansMcse(chains),
    mean,
    sd,
  };
}
