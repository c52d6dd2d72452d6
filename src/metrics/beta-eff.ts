/**
 * The effective inverse temperature of a run's draws: the beta at which the
 * model's own couplings best explain each spin given its neighbours, by
 * maximum pseudo-likelihood (Besag 1975; the way D-Wave estimates a QPU's
 * temperature from its samples). A chip that samples the model at the wrong
 * temperature -- a gain error, quantisation that shrinks the couplings, a
 * biased random source -- says so in one number.
 *
 * log PL(b) = sum over draws and spins of log sigmoid(2 b x), x = s_i F_i,
 * F_i = h_i + sum_j J_ij s_j (model units): concave in b, solved by Newton.
 * Only the multiset of x matters, so each draw's x values go into a fine
 * histogram (bounded memory for any run); the interval is the composite-
 * likelihood sandwich, with the score's variance from batch means (batches:
 * quarters of each chain), which allows for the draws' autocorrelation.
 */
import type { IsingModel } from "../models/ising.js";

/** Histogram bins over [-xmax, xmax]. */
const BINS = 16384;
/** Time blocks per chain for the batch means. */
const BLOCKS = 4;

export interface BetaEff {
  value: number;
  /** 95% interval. */
  low: number;
  high: number;
  /** The model's beta, and whether it lies outside the interval. */
  model_beta: number;
  excludes_model_beta: boolean;
  draws: number;
  method: string;
}

/** Neighbour lists of a model, for the local fields. */
function adjacency(m: IsingModel) {
  const deg = new Int32Array(m.n + 1);
  for (let k = 0; k < m.ei.length; k++) (deg[m.ei[k] + 1]++, deg[m.ej[k] + 1]++);
  for (let i = 0; i < m.n; i++) deg[i + 1] += deg[i];
  const nbr = new Int32Array(2 * m.ei.length);
  const w = new Float64Array(2 * m.ei.length);
  const at = deg.slice(0, m.n);
  for (let k = 0; k < m.ei.length; k++) {
    const a = m.ei[k];
    const b = m.ej[k];
    nbr[at[a]] = b;
    w[at[a]++] = m.ew[k];
    nbr[at[b]] = a;
    w[at[b]++] = m.ew[k];
  }
  return { off: deg, nbr, w };
}

/** Accumulates the x = s_i F_i of draws, per batch; `free` (optional) marks the spins that were sampled. */
export class PseudoLikelihood {
  private readonly adj: ReturnType<typeof adjacency>;
  readonly xmax: number;
  /** [batch] -> counts per bin. */
  readonly batches = new Map<number, Float64Array>();
  draws = 0;

  constructor(private readonly model: IsingModel, private readonly free?: Uint8Array) {
    this.adj = adjacency(model);
    let xmax = 0;
    for (let i = 0; i < model.n; i++) {
      let r = Math.abs(model.h[i]);
      for (let k = this.adj.off[i]; k < this.adj.off[i + 1]; k++) r += Math.abs(this.adj.w[k]);
      xmax = Math.max(xmax, r);
    }
    this.xmax = xmax > 0 ? xmax : 1;
  }

  /** Add the draw in rows[r * n ...] (spins +-1) to batch `batch`. */
  add(rows: ArrayLike<number>, r: number, batch: number): void {
    const { n, h } = this.model;
    const { off, nbr, w } = this.adj;
    let hist = this.batches.get(batch);
    if (!hist) this.batches.set(batch, (hist = new Float64Array(BINS)));
    const base = r * n;
    const scale = BINS / (2 * this.xmax);
    for (let i = 0; i < n; i++) {
      if (this.free && !this.free[i]) continue;
      let f = h[i];
      for (let k = off[i]; k < off[i + 1]; k++) f += w[k] * rows[base + nbr[k]];
      const x = rows[base + i] * f;
      hist[Math.min(BINS - 1, Math.max(0, Math.floor((x + this.xmax) * scale)))]++;
    }
    this.draws++;
  }

  /** What the estimate needs: plain data, as it crosses from worker threads. */
  data(): PseudoLikelihoodData {
    return { batches: this.batches, draws: this.draws, xmax: this.xmax, beta: this.model.beta };
  }
}

export interface PseudoLikelihoodData {
  /** [batch] -> counts of x per bin over [-xmax, xmax]. */
  batches: Map<number, Float64Array>;
  draws: number;
  xmax: number;
  /** The model's beta (the starting point, and what the interval is checked against). */
  beta: number;
}

/** The estimate and its 95% interval; null when there is nothing to estimate from (every x zero, or fewer than 2 batches). */
export function estimateBetaEff(d: PseudoLikelihoodData): BetaEff | null {
  const batches = [...d.batches.keys()].sort((a, b) => a - b).map((b) => d.batches.get(b)!);
  if (batches.length < 2 || d.draws === 0) return null;
  const total = new Float64Array(BINS);
  for (const h of batches) for (let k = 0; k < BINS; k++) total[k] += h[k];
  const xs = Float64Array.from({ length: BINS }, (_, k) => -d.xmax + (k + 0.5) * (2 * d.xmax) / BINS);
  // Score and (minus) Hessian of log PL at b over one histogram.
  const derivs = (h: Float64Array, b: number) => {
    let g = 0;
    let H = 0;
    for (let k = 0; k < BINS; k++) {
      if (h[k] === 0) continue;
      const x = xs[k];
      const p = 1 / (1 + Math.exp(2 * b * x)); // sigmoid(-2 b x)
      g += h[k] * 2 * x * p;
      H += h[k] * 4 * x * x * p * (1 - p);
    }
    return { g, H };
  };
  let b = d.beta;
  for (let it = 0; it < 100; it++) {
    const { g, H } = derivs(total, b);
    if (!(H > 0)) return null; // every x is 0: the draws say nothing about beta
    // Newton on a concave function, each step at most half of |b| (or 0.5): no overshoot far from the optimum.
    const lim = Math.max(0.5, 0.5 * Math.abs(b));
    const step = Math.max(-lim, Math.min(lim, g / H));
    b += step;
    if (Math.abs(step) < 1e-12 * Math.max(1, Math.abs(b))) break;
  }
  const H = derivs(total, b).H;
  // Batch means of the score at the estimate (its total is 0 there).
  const B = batches.length;
  let v = 0;
  for (const h of batches) v += derivs(h, b).g ** 2;
  v *= B / (B - 1);
  const se = Math.sqrt(v) / H;
  const low = b - 1.96 * se;
  const high = b + 1.96 * se;
  return {
    value: b, low, high, model_beta: d.beta, excludes_model_beta: d.beta < low || d.beta > high, draws: d.draws,
    method: `maximum pseudo-likelihood of the draws under the model's couplings; 95% interval from the sandwich variance with batch means over ${B} batches (quarters of each chain)`,
  };
}

/** The batch of a chain's kept draw `at` of `kept`: quarters of each chain. */
export const betaBatch = (chain: number, at: number, kept: number) => chain * BLOCKS + Math.min(BLOCKS - 1, Math.floor((at * BLOCKS) / Math.max(1, kept)));
