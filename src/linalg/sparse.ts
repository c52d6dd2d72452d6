/** Symmetric sparse matrices (diagonal + pairs i < j) for large models. */
import { spectralRadius } from "./dense.js";

export interface SymSparse {
  n: number;
  diag: Float64Array;
  ei: Int32Array;
  ej: Int32Array;
  ew: Float64Array;
}

export function symMatvec(a: SymSparse, x: Float64Array): Float64Array {
  const y = a.diag.map((d, i) => d * x[i]);
  for (let k = 0; k < a.ei.length; k++) {
    y[a.ei[k]] += a.ew[k] * x[a.ej[k]];
    y[a.ej[k]] += a.ew[k] * x[a.ei[k]];
  }
  return y;
}

/** Conjugate gradients for SPD A; relative residual tolerance. */
export function cgSolve(a: SymSparse, b: Float64Array, tol = 1e-12, maxIt = 10_000): Float64Array {
  const x = new Float64Array(a.n);
  const r = b.slice();
  const p = r.slice();
  let rr = r.reduce((s, v) => s + v * v, 0);
  const stop = tol * tol * Math.max(rr, 1e-300);
  for (let it = 0; it < maxIt && rr > stop; it++) {
    const ap = symMatvec(a, p);
    const alpha = rr / p.reduce((s, v, i) => s + v * ap[i], 0);
    for (let i = 0; i < a.n; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * ap[i];
    }
    const rr2 = r.reduce((s, v) => s + v * v, 0);
    const beta = rr2 / rr;
    rr = rr2;
    for (let i = 0; i < a.n; i++) p[i] = r[i] + beta * p[i];
  }
  return x;
}

/** Largest and (estimated) smallest eigenvalues of SPD A by power iteration. */
export function eigenRange(a: SymSparse): { max: number; min: number } {
  const max = spectralRadius((x) => symMatvec(a, x), a.n);
  const shifted = (x: Float64Array) => {
    const y = symMatvec(a, x);
    return y.map((v, i) => max * x[i] - v);
  };
  const min = max - spectralRadius(shifted, a.n, 3000);
  return { max, min };
}

export function symmetricSparse(n: number, diag: Float64Array, ei: Int32Array, ej: Int32Array, ew: Float64Array): SymSparse {
  return { n, diag, ei, ej, ew };
}

/**
 * Profile (skyline) Cholesky in natural order: the first row whose pivot is
 * not positive (or, with relTol, not above relTol x the largest diagonal:
 * lost in rounding), or undefined when the matrix is positive definite.
 * Exact, and cheap for banded matrices (callers bound the profile's work).
 */
export function notPositiveDefiniteSparse(m: SymSparse, relTol = 0): number | undefined {
  const { n } = m;
  const first = new Int32Array(n).map((_, i) => i);
  for (let k = 0; k < m.ei.length; k++) {
    const [i, j] = m.ei[k] < m.ej[k] ? [m.ei[k], m.ej[k]] : [m.ej[k], m.ei[k]];
    first[j] = Math.min(first[j], i);
  }
  const start = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + (i - first[i] + 1);
  const L = new Float64Array(start[n]);
  const at = (i: number, j: number) => start[i] + (j - first[i]);
  for (let i = 0; i < n; i++) L[at(i, i)] = m.diag[i];
  for (let k = 0; k < m.ei.length; k++) {
    const [i, j] = m.ei[k] < m.ej[k] ? [m.ei[k], m.ej[k]] : [m.ej[k], m.ei[k]];
    L[at(j, i)] += m.ew[k];
  }
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(m.diag[i]));
  for (let i = 0; i < n; i++) {
    for (let j = first[i]; j <= i; j++) {
      let s = L[at(i, j)];
      for (let k = Math.max(first[i], first[j]); k < j; k++) s -= L[at(i, k)] * L[at(j, k)];
      if (j < i) L[at(i, j)] = s / L[at(j, j)];
      else {
        // A pivot lost in rounding (relative to the largest diagonal) is not positive either.
        if (!(s > relTol * maxDiag)) return i;
        L[at(i, i)] = Math.sqrt(s);
      }
    }
  }
  return undefined;
}
