/**
 * Does a chip sample the law it should? For spin models small enough to
 * enumerate, the run's own draws are compared with the exact moments of a
 * target law -- each spin's mean and each coupled pair's correlation, the
 * statistics a wrong temperature, a flipped coupling or a biased random
 * source moves -- each against its Monte Carlo standard error from batch
 * means (batches of sqrt(draws) within each chain, so autocorrelation is
 * accounted for). The largest |z| over the d statistics gives a Bonferroni
 * p-value. The same errors say whether quantisation's effect on the law
 * (target vs the user's model, exact) is visible in this run.
 */
import type { IsingModel } from "../models/ising.js";
import { totalVariation } from "../models/enumerate.js";
import { normalUpperTail } from "./normal.js";

export interface MomentCheck {
  /** Statistics compared (spin means + coupled-pair correlations). */
  statistics: number;
  draws: number;
  batches: number;
  max_z: number;
  worst: string;
  /** Bonferroni p-value of max |z| over the statistics. */
  p_value: number;
  /** Total-variation distance of the draws' state frequencies from the target (descriptive). */
  tv: number;
  /** How visible the difference between the user's model and the target is in this run. */
  model_max_z?: number;
  model_worst?: string;
}

interface Stat {
  name: string;
  value(x: number): number;
}

function statistics(m: IsingModel): Stat[] {
  const spin = (x: number, i: number) => ((x >>> i) & 1 ? 1 : -1);
  const out: Stat[] = [];
  for (let i = 0; i < m.n; i++) out.push({ name: `mean of s${i}`, value: (x) => spin(x, i) });
  for (let k = 0; k < m.ei.length; k++) {
    const [i, j] = [m.ei[k], m.ej[k]];
    out.push({ name: `correlation of s${i}, s${j}`, value: (x) => spin(x, i) * spin(x, j) });
  }
  return out;
}

function exactMoments(p: Float64Array, stats: Stat[]): Float64Array {
  const e = new Float64Array(stats.length);
  for (let x = 0; x < p.length; x++) {
    if (p[x] === 0) continue;
    for (let k = 0; k < stats.length; k++) e[k] += p[x] * stats[k].value(x);
  }
  return e;
}

/** Upper-tail probability of |Z| > z, two-sided, kept accurate far out. */
function twoSided(z: number): number {
  return 2 * normalUpperTail(Math.abs(z));
}

/**
 * The moment test itself, for any statistics: `draws[c]` holds chain c's
 * draws as rows of d statistic values (row-major), `exact` their expected
 * values under the target. Batch means within each chain give each mean's
 * Monte Carlo error; the largest |z| gives a Bonferroni p-value.
 */
/** A chain's draws as rows of statistics, produced on demand (not all held at once). */
export interface StatChain {
  length: number;
  /** Write draw r's d statistics into out. */
  row(r: number, out: Float64Array): void;
}

/** Chains stored flat (rows of d values), as StatChains. */
export const flatChains = (chains: ArrayLike<number>[], d: number): StatChain[] =>
  chains.map((c) => ({ length: c.length / d, row: (r, out) => { for (let k = 0; k < d; k++) out[k] = c[r * d + k]; } }));

/**
 * `exactVar` (optional): each statistic's variance under the target. A
 * Monte Carlo error is never taken below the i.i.d. one, sqrt(var / draws):
 * a chain stuck at one value has batch means all equal and no batch error.
 * A statistic the target fixes exactly (variance 0) that the draws do not
 * match makes the p-value 0 by itself.
 */
export function momentTest(draws: StatChain[], d: number, exact: ArrayLike<number>, names: string[], exactVar?: ArrayLike<number>): { maxZ: number; worst: string; pValue: number; draws: number; batches: number; means: Float64Array; se: Float64Array } | undefined {
  const sums = new Float64Array(d);
  const batchMeans: Float64Array[] = [];
  const row = new Float64Array(d);
  let total = 0;
  for (const chain of draws) {
    const N = chain.length;
    if (N === 0) continue;
    const b = Math.max(1, Math.ceil(Math.sqrt(N)));
    const B = Math.floor(N / b);
    for (let q = 0; q < B; q++) {
      const bm = new Float64Array(d);
      for (let r = q * b; r < (q + 1) * b; r++) {
        chain.row(r, row);
        for (let k = 0; k < d; k++) bm[k] += row[k];
      }
      for (let k = 0; k < d; k++) {
        sums[k] += bm[k];
        bm[k] /= b;
      }
      batchMeans.push(bm);
      total += b;
    }
  }
  const B = batchMeans.length;
  if (B < 10) return undefined;
  const means = sums.map((v) => v / total);
  const se = new Float64Array(d);
  let maxZ = 0;
  let worst = "";
  let impossible = "";
  for (let k = 0; k < d; k++) {
    let v = 0;
    for (const bm of batchMeans) v += (bm[k] - means[k]) ** 2;
    se[k] = Math.max(Math.sqrt(v / (B - 1) / B), exactVar ? Math.sqrt(Math.max(0, exactVar[k]) / total) : 0);
    const dev = means[k] - exact[k];
    if (!(se[k] > 0)) {
      if (Math.abs(dev) > 1e-9 && !impossible) impossible = `${names[k]} is fixed at ${Number(exact[k]).toPrecision(4)} in the target but ${means[k].toPrecision(4)} in the draws`;
      continue;
    }
    const z = Math.abs(dev) / se[k];
    if (z > maxZ) [maxZ, worst] = [z, `${names[k]} is ${means[k].toPrecision(4)} in the draws, ${Number(exact[k]).toPrecision(4)} in the target`];
  }
  if (impossible) return { maxZ, worst: impossible, pValue: 0, draws: total, batches: B, means, se };
  return { maxZ, worst, pValue: Math.min(1, d * twoSided(maxZ)), draws: total, batches: B, means, se };
}

/**
 * `states[c]`: chain c's draws as state indices; `target`: the law the chip
 * should sample (2^n probabilities); `model`: the user's model's law.
 */
export function spinLawCheck(m: IsingModel, states: Uint32Array[], target: Float64Array, model?: Float64Array): MomentCheck | undefined {
  const stats = statistics(m);
  const d = stats.length;
  const exact = exactMoments(target, stats);
  const rows: StatChain[] = states.map((chain) => ({
    length: chain.length,
    row: (r, out) => {
      for (let k = 0; k < d; k++) out[k] = stats[k].value(chain[r]);
    },
  }));
  // Every statistic is +-1: its variance under the target is 1 - E^2.
  const t = momentTest(rows, d, exact, stats.map((s) => s.name), exact.map((e) => Math.max(0, 1 - e * e)));
  if (!t) return undefined;
  const freq = new Float64Array(target.length);
  let count = 0;
  for (const chain of states) for (const x of chain) (freq[x]++, count++);
  for (let x = 0; x < freq.length; x++) freq[x] /= count;
  let modelZ = 0;
  let modelWorst = "";
  if (model) {
    const exactModel = exactMoments(model, stats);
    for (let k = 0; k < d; k++) {
      if (!(t.se[k] > 0)) continue;
      const zm = Math.abs(exactModel[k] - exact[k]) / t.se[k];
      if (zm > modelZ) [modelZ, modelWorst] = [zm, `${stats[k].name}: ${exactModel[k].toFixed(4)} in the model vs ${exact[k].toFixed(4)} on the chip`];
    }
  }
  return {
    statistics: d, draws: t.draws, batches: t.batches,
    max_z: t.maxZ, worst: t.worst, p_value: t.pValue,
    tv: totalVariation(freq, target),
    ...(model ? { model_max_z: modelZ, model_worst: modelWorst } : {}),
  };
}
