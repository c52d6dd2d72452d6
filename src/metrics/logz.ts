/**
 * Partition functions of spin models, Z = sum_s exp(-beta E(s)) with E including
 * the model's constant offset.
 *  - exact: enumeration in Gray-code order (models/enumerate.ts) up to 24 spins;
 *    for RBMs the larger layer is summed out analytically and only the smaller
 *    one enumerated (up to 24 units);
 *  - AIS (Neal 2001): runs start uniform at beta = 0 (Z_0 = 2^n) and are moved by
 *    Metropolis sweeps (the spin baselines' annealing kernel) along a linear
 *    schedule to the model's beta; each run's log weight is
 *    sum_t -(beta_t - beta_{t-1}) E(x_{t-1}); log Z = n ln 2 + log mean w, its
 *    standard error by the delta method over runs.
 */
import type { IsingModel } from "../models/ising.js";
import { exactLaw, MAX_ENUMERATE } from "../models/enumerate.js";
import { mapSpinBaseline, runSpinBaseline } from "../baselines/spin.js";
import { InputError } from "../errors.js";
import { Random } from "../util/random.js";

export interface LogZ {
  logZ: number;
  stderr: number;
  method: "exact" | "ais";
  runs?: number;
  steps?: number;
}

/** log(1 + e^x) without overflow. */
const softplus = (x: number) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));

/** Exact log Z of an RBM-shaped model: enumerate the smaller layer, sum the other out (0/1 units). */
function rbmExact(m: IsingModel): number {
  const { visible: nv, hidden: nh } = m.layers!;
  // Recover the 0/1 form: E(v, h) = -b'v - c'h - v'Wh + offset, with W_ij = 4 J, from x = (1 + s) / 2.
  // Work in the spin form directly instead: sum over the small layer's spins, the large layer's
  // spins factorise: sum_{s_l = +-1} exp(beta s_l f_l) = 2 cosh(beta f_l).
  const small = nv <= nh ? "visible" : "hidden";
  const [ns, nl] = small === "visible" ? [nv, nh] : [nh, nv];
  if (ns > MAX_ENUMERATE) throw new InputError("logz", undefined, `exact log Z enumerates the smaller layer; it has ${ns} units (at most ${MAX_ENUMERATE}): use --method ais`);
  const sIdx = (k: number) => (small === "visible" ? k : nv + k);
  const lIdx = (k: number) => (small === "visible" ? nv + k : k);
  // Couplings from small unit a to large unit b.
  const J = new Float64Array(ns * nl);
  for (let e = 0; e < m.ei.length; e++) {
    const [i, j] = [m.ei[e], m.ej[e]];
    const iSmall = small === "visible" ? i < nv : i >= nv;
    const a = iSmall ? i : j;
    const b = iSmall ? j : i;
    const ai = small === "visible" ? a : a - nv;
    const bi = small === "visible" ? b - nv : b;
    J[ai * nl + bi] += m.ew[e];
  }
  let max = -Infinity;
  let sum = 0;
  const s = new Float64Array(ns);
  for (let x = 0; x < 2 ** ns; x++) {
    let lw = 0;
    for (let a = 0; a < ns; a++) {
      s[a] = (x >> a) & 1 ? 1 : -1;
      lw += m.beta * m.h[sIdx(a)] * s[a];
    }
    for (let b = 0; b < nl; b++) {
      let f = m.h[lIdx(b)];
      for (let a = 0; a < ns; a++) f += J[a * nl + b] * s[a];
      const y = m.beta * f;
      lw += Math.abs(y) + softplus(-2 * Math.abs(y)); // log(2 cosh y) = |y| + log(1 + e^{-2|y|})
    }
    if (lw > max) {
      sum = sum * Math.exp(max - lw) + 1;
      max = lw;
    } else sum += Math.exp(lw - max);
  }
  return max + Math.log(sum) - m.beta * (m.offset ?? 0);
}

export function logZExact(m: IsingModel): LogZ {
  if (m.layers) return { logZ: rbmExact(m), stderr: 0, method: "exact" };
  if (m.n > MAX_ENUMERATE) throw new InputError("logz", undefined, `exact log Z enumerates 2^n states; this model has ${m.n} spins (at most ${MAX_ENUMERATE}): use --method ais`);
  return { logZ: exactLaw(m).logZ - m.beta * (m.offset ?? 0), stderr: 0, method: "exact" };
}

export function logZAis(m: IsingModel, runs: number, steps: number, seed: number): LogZ {
  if (steps < 2) throw new InputError("--steps", undefined, "AIS needs at least 2 steps");
  const n = m.n;
  const mp = mapSpinBaseline(m);
  const logw = new Float64Array(runs);
  const prevE = new Float64Array(runs);
  const offset = m.offset ?? 0;
  // Linear schedule beta_t = beta t / (steps - 1): the kernel's sweep t runs at beta_t, state x_t recorded after it.
  const betaAt = (t: number) => (m.beta * t) / (steps - 1);
  runSpinBaseline(mp, "sa", {
    chains: runs, samples: steps, burnIn: 0, thin: 1, seed, anneal: { b0: 0, b1: m.beta, shape: "linear" },
    sink: (chain, first, count, rows) => {
      for (let r = 0; r < count; r++) {
        const t = first + r;
        let e = offset;
        const o = r * n;
        for (let i = 0; i < n; i++) e -= m.h[i] * rows[o + i];
        for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * rows[o + m.ei[k]] * rows[o + m.ej[k]];
        // Weight update before moving at beta_t: f_t(x_{t-1}) / f_{t-1}(x_{t-1}).
        if (t >= 1) logw[chain] -= (betaAt(t) - betaAt(t - 1)) * prevE[chain];
        prevE[chain] = e;
      }
    },
  });
  // Z_0 = 2^n at beta = 0 (every state weight exp(-0 E) = 1; the offset enters through the weights).
  return { ...aisEstimate(logw, n * Math.LN2), method: "ais", runs, steps };
}

/** log Z = log Z_0 + log mean(w) over runs, computed from the log weights without overflow; delta-method error. */
export function aisEstimate(logw: Float64Array, logZ0: number): { logZ: number; stderr: number } {
  const runs = logw.length;
  let max = -Infinity;
  for (const w of logw) max = Math.max(max, w);
  let s1 = 0;
  let s2 = 0;
  for (const w of logw) {
    const v = Math.exp(w - max);
    s1 += v;
    s2 += v * v;
  }
  const mean = s1 / runs;
  const variance = Math.max(0, s2 / runs - mean * mean) * (runs / Math.max(1, runs - 1));
  return { logZ: logZ0 + max + Math.log(mean), stderr: Math.sqrt(variance / runs) / mean };
}

/**
 * AIS for RBMs as Salakhutdinov & Murray (2008) run it: from a base-rate model A (visible
 * biases bA, no couplings; bA = 0 unless given, e.g. from data marginals) to the RBM B through
 * p_k(v, h) ~ exp((1 - beta_k) bA'v + beta_k (b'v + c'h + v'Wh)), one Gibbs sweep (h then v) per
 * step, the hidden units summed out in the weights. `schedule`: inverse temperatures from 0 to 1
 * (their paper: steps of 1e-3 to 0.5, 1e-4 to 0.9, 1e-5 to 1). The RBM's beta multiplies its energy.
 */
export function logZAisRbm(m: IsingModel, runs: number, schedule: Float64Array, seed: number, baseRate?: Float64Array): LogZ {
  const { nv, nh, W, b, c, constant } = rbmZeroOne(m);
  const beta = m.beta;
  const bA = baseRate ?? new Float64Array(nv);
  const rng = new Random(seed, 31);
  const v = new Float64Array(nv);
  const h = new Float64Array(nh);
  const act = new Float64Array(nh);
  const logw = new Float64Array(runs);
  // log p*_k(v) with h summed out.
  const logStar = (bk: number) => {
    let s = 0;
    for (let i = 0; i < nv; i++) s += ((1 - bk) * bA[i] + bk * b[i]) * v[i];
    for (let j = 0; j < nh; j++) s += softplus(bk * act[j]);
    return s;
  };
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < nv; i++) v[i] = rng.uniform() < sigmoid(bA[i]) ? 1 : 0;
    const activations = () => {
      for (let j = 0; j < nh; j++) {
        let a = c[j];
        for (let i = 0; i < nv; i++) if (v[i]) a += W[i * nh + j];
        act[j] = a;
      }
    };
    activations();
    let w = 0;
    for (let k = 1; k < schedule.length; k++) {
      w += logStar(schedule[k]) - logStar(schedule[k - 1]);
      const bk = schedule[k];
      for (let j = 0; j < nh; j++) h[j] = rng.uniform() < sigmoid(bk * act[j]) ? 1 : 0;
      for (let i = 0; i < nv; i++) {
        let a = 0;
        for (let j = 0; j < nh; j++) if (h[j]) a += W[i * nh + j];
        v[i] = rng.uniform() < sigmoid((1 - bk) * bA[i] + bk * (b[i] + a)) ? 1 : 0;
      }
      activations();
    }
    logw[r] = w;
  }
  let logZA = nh * Math.LN2;
  for (let i = 0; i < nv; i++) logZA += softplus(bA[i]);
  const est = aisEstimate(logw, logZA);
  return { logZ: est.logZ - beta * constant, stderr: est.stderr, method: "ais", runs, steps: schedule.length };
}

/**
 * An RBM in Ising form back to its 0/1 parameters with the model's beta
 * folded in (x = (1 + s) / 2: W = 4 J, b_i = 2 h_i - 2 sum_j J_ij, c_j
 * likewise), and the constant with E01(v, h) + constant = E(s), so that
 * log Z(s) = log Z01 - beta x constant.
 */
export function rbmZeroOne(m: IsingModel): { nv: number; nh: number; W: Float64Array; b: Float64Array; c: Float64Array; constant: number } {
  const { visible: nv, hidden: nh } = m.layers!;
  const W = new Float64Array(nv * nh);
  const b = new Float64Array(nv);
  const c = new Float64Array(nh);
  for (let i = 0; i < nv; i++) b[i] = 2 * m.h[i];
  for (let j = 0; j < nh; j++) c[j] = 2 * m.h[nv + j];
  for (let e = 0; e < m.ei.length; e++) {
    const [i, jj] = m.ei[e] < nv ? [m.ei[e], m.ej[e] - nv] : [m.ej[e], m.ei[e] - nv];
    W[i * nh + jj] = 4 * m.ew[e];
    b[i] -= 2 * m.ew[e];
    c[jj] -= 2 * m.ew[e];
  }
  const beta = m.beta;
  for (let q = 0; q < W.length; q++) W[q] *= beta;
  for (let i = 0; i < nv; i++) b[i] *= beta;
  for (let j = 0; j < nh; j++) c[j] *= beta;
  let constant = m.offset ?? 0;
  for (let i = 0; i < nv + nh; i++) constant += m.h[i];
  for (let e = 0; e < m.ei.length; e++) constant -= m.ew[e];
  return { nv, nh, W, b, c, constant };
}

/** Salakhutdinov & Murray's schedule, scaled by `density` (1 = theirs: 14,500 steps). */
export function baseRateSchedule(density = 1): Float64Array {
  const out: number[] = [0];
  for (const [to, step] of [[0.5, 1e-3], [0.9, 1e-4], [1, 1e-5]] as const) {
    const from = out[out.length - 1];
    const count = Math.max(1, Math.round(((to - from) / step) * density));
    for (let k = 1; k <= count; k++) out.push(from + ((to - from) * k) / count);
  }
  return Float64Array.from(out);
}
