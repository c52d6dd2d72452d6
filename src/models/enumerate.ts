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
