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
 * `states[c]`: chain c's draws as state indices; `target`: the law the chip
 * should sample (2^n probabilities); `model`: the user's model's law.
 */
export function spinLawCheck(m: IsingModel, states: Uint32Array[], target: Float64Array, model?: Float64Array): MomentCheck | undefined {
  const stats = statistics(m);
  const d = stats.length;
  const exact = exactMoments(target, stats);
  const exactModel = model ? exactMoments(model, stats) : undefined;
  const sums = new Float64Array(d);
  const batchMeans: Float64Array[] = [];
  let draws = 0;
  const freq = new Float64Array(target.length);
  for (const chain of states) {
    const N = chain.length;
    if (N === 0) continue;
    const b = Math.max(1, Math.ceil(Math.sqrt(N)));
    const B = Math.floor(N / b);
    for (let q = 0; q < B; q++) {
      const bm = new Float64Array(d);
      for (let r = q * b; r < (q + 1) * b; r++) {
        const x = chain[r];
        freq[x]++;
        for (let k = 0; k < d; k++) bm[k] += stats[k].value(x);
      }
      for (let k = 0; k < d; k++) {
        sums[k] += bm[k];
        bm[k] /= b;
      }
      batchMeans.push(bm);
      draws += b;
    }
  }
  const B = batchMeans.length;
  if (B < 10) return undefined; // too few draws to estimate an error
  let maxZ = 0;
  let worst = "";
  let modelZ = 0;
  let modelWorst = "";
  for (let k = 0; k < d; k++) {
    const mean = sums[k] / draws;
    let v = 0;
    for (const bm of batchMeans) v += (bm[k] - mean) ** 2;
    const se = Math.sqrt(v / (B - 1) / B);
    const dev = mean - exact[k];
    const z = se > 0 ? dev / se : dev === 0 ? 0 : Infinity * Math.sign(dev);
    if (Math.abs(z) > Math.abs(maxZ)) [maxZ, worst] = [z, `${stats[k].name} is ${mean.toFixed(4)} in the draws, ${exact[k].toFixed(4)} in the target`];
    if (exactModel && se > 0) {
      const zm = (exactModel[k] - exact[k]) / se;
      if (Math.abs(zm) > Math.abs(modelZ)) [modelZ, modelWorst] = [zm, `${stats[k].name}: ${exactModel[k].toFixed(4)} in the model vs ${exact[k].toFixed(4)} on the chip`];
    }
  }
  for (let x = 0; x < freq.length; x++) freq[x] /= draws;
  return {
    statistics: d, draws, batches: B,
    max_z: Math.abs(maxZ), worst,
    p_value: Math.min(1, d * twoSided(maxZ)),
    tv: totalVariation(freq, target),
    ...(exactModel ? { model_max_z: Math.abs(modelZ), model_worst: modelWorst } : {}),
  };
}
