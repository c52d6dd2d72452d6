/**
 * Exact Boltzmann distributions of small Ising models by enumerating all 2^n
 * states. State index bit k set <=> spin k = +1.
 */
import type { IsingModel } from "./ising.js";

export const MAX_ENUMERATE = 24;

/** Probabilities of all 2^n states (Float64Array of length 2^n). */
export function boltzmann(m: IsingModel): Float64Array {
  const n = m.n;
  if (n > MAX_ENUMERATE) throw new Error(`boltzmann: ${n} spins is too many to enumerate (max ${MAX_ENUMERATE})`);
  const size = 2 ** n;
  const logp = new Float64Array(size);
  const s = new Float64Array(n);
  let max = -Infinity;
  for (let x = 0; x < size; x++) {
    for (let k = 0; k < n; k++) s[k] = (x >> k) & 1 ? 1 : -1;
    let negE = 0;
    for (let k = 0; k < n; k++) negE += m.h[k] * s[k];
    for (let e = 0; e < m.ei.length; e++) negE += m.ew[e] * s[m.ei[e]] * s[m.ej[e]];
    logp[x] = m.beta * negE;
    if (logp[x] > max) max = logp[x];
  }
  let z = 0;
  for (let x = 0; x < size; x++) z += (logp[x] = Math.exp(logp[x] - max));
  for (let x = 0; x < size; x++) logp[x] /= z;
  return logp;
}

export function totalVariation(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < p.length; k++) d += Math.abs(p[k] - q[k]);
  return d / 2;
}

/**
 * Exact law of a small Ising model in Gray-code order: consecutive states
 * differ by one spin, so each energy follows from the last in O(degree), and
 * log Z is accumulated with a streaming log-sum-exp. Returns log Z and every
 * state's probability (index bit k set <=> spin k = +1).
 */
export function exactLaw(m: IsingModel): { logZ: number; p: Float64Array } {
  const n = m.n;
  if (n > MAX_ENUMERATE) throw new Error(`exactLaw: ${n} spins is too many to enumerate (max ${MAX_ENUMERATE})`);
  const nbr: number[][] = Array.from({ length: n }, () => []);
  const w: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < m.ei.length; e++) {
    nbr[m.ei[e]].push(m.ej[e]);
    w[m.ei[e]].push(m.ew[e]);
    nbr[m.ej[e]].push(m.ei[e]);
    w[m.ej[e]].push(m.ew[e]);
  }
  const s = new Float64Array(n).fill(-1);
  // Start at all spins -1: -E = -sum h + sum J.
  let negE = 0;
  for (let k = 0; k < n; k++) negE -= m.h[k];
  for (let e = 0; e < m.ei.length; e++) negE += m.ew[e];
  const size = 2 ** n;
  const logw = new Float64Array(size);
  let state = 0;
  let max = -Infinity;
  let sum = 0; // sum of exp(logw - max) so far
  for (let t = 0; t < size; t++) {
    if (t > 0) {
      // Gray code: flip the spin at the lowest set bit of t.
      const k = 31 - Math.clz32(t & -t);
      let f = m.h[k];
      for (let q = 0; q < nbr[k].length; q++) f += w[k][q] * s[nbr[k][q]];
      negE -= 2 * s[k] * f; // -E changes by -2 s_k f_k when s_k flips
      s[k] = -s[k];
      state ^= 1 << k;
    }
    const lw = m.beta * negE;
    logw[state] = lw;
    if (lw > max) {
      sum = sum * Math.exp(max - lw) + 1;
      max = lw;
    } else sum += Math.exp(lw - max);
  }
  const logZ = max + Math.log(sum);
  for (let x = 0; x < size; x++) logw[x] = Math.exp(logw[x] - logZ);
  return { logZ, p: logw };
}
