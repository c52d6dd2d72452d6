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
  // Z_0 = 2^n at beta = 0 (every state weight exp(-0 E) = 1; the offset enters through the weights).
  return { logZ: n * Math.LN2 + max + Math.log(mean), stderr: Math.sqrt(variance / runs) / mean, method: "ais", runs, steps };
}
