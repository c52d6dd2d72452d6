/**
 * Gaussian model: E(x) = 1/2 x'Ax - b'x with A symmetric positive definite;
 * target N(A^-1 b, A^-1 / beta). A is held sparse (diagonal + each
 * off-diagonal pair once, i < j); the JSON may give it dense (the brief's
 * contract) or as {"n": N, "entries": [[i, j, v], ...]}.
 */
import { InputError, describeValue } from "../errors.js";
import { MAX_VARIABLES } from "./limits.js";
import { notPositiveDefiniteSparse } from "../linalg/sparse.js";

export interface GaussianModel {
  kind: "gaussian";
  n: number;
  diag: Float64Array;
  /** Off-diagonal pairs i < j with value A_ij (= A_ji). */
  ei: Int32Array;
  ej: Int32Array;
  ew: Float64Array;
  b: Float64Array;
  beta: number;
  name?: string;
}

const KNOWN = new Set(["kind", "A", "b", "beta", "name", "description", "meta"]);

function finite(v: unknown, file: string, field: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(file, field, `must be a finite number, got ${describeValue(v)}`);
  return v;
}

export function gaussianFromJson(doc: Record<string, unknown>, file: string): GaussianModel {
  for (const k of Object.keys(doc)) {
    if (!KNOWN.has(k)) throw new InputError(file, k, `is not a field of a Gaussian model (known: ${[...KNOWN].join(", ")})`);
  }
  const beta = doc.beta === undefined ? 1 : doc.beta;
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta <= 0) {
    throw new InputError(file, "beta", `must be a finite number > 0, got ${describeValue(beta)}`);
  }
  const A = doc.A;
  let n: number;
  const ei: number[] = [];
  const ej: number[] = [];
  const ew: number[] = [];
  let diag: Float64Array;
  if (Array.isArray(A)) {
    n = A.length;
    if (n < 1) throw new InputError(file, "A", "is empty");
    diag = new Float64Array(n);
    let scale = 0;
    const rows: number[][] = A.map((row, i) => {
      if (!Array.isArray(row) || row.length !== n) throw new InputError(file, `A[${i}]`, `must be a row of ${n} numbers (A is ${n} x ${n})`);
      return row.map((v, j) => {
        const x = finite(v, file, `A[${i}][${j}]`);
        scale = Math.max(scale, Math.abs(x));
        return x;
      });
    });
    for (let i = 0; i < n; i++) {
      diag[i] = rows[i][i];
      for (let j = i + 1; j < n; j++) {
        if (Math.abs(rows[i][j] - rows[j][i]) > 1e-12 * scale) {
          throw new InputError(file, `A[${i}][${j}]`, `is ${rows[i][j]} but A[${j}][${i}] is ${rows[j][i]}: A must be symmetric`);
        }
        if (rows[i][j] !== 0) {
          ei.push(i);
          ej.push(j);
          ew.push(0.5 * (rows[i][j] + rows[j][i]));
        }
      }
    }
  } else if (typeof A === "object" && A !== null) {
    const s = A as Record<string, unknown>;
    for (const k of Object.keys(s)) {
      if (k !== "n" && k !== "entries") throw new InputError(file, `A.${k}`, 'is not a field of the sparse form of A (known: n, entries)');
    }
    if (typeof s.n !== "number" || !Number.isInteger(s.n) || s.n < 1) throw new InputError(file, "A.n", `must be a whole number >= 1, got ${describeValue(s.n)}`);
    if (s.n > MAX_VARIABLES) throw new InputError(file, "A.n", `${s.n} variables is more than any chip model here can hold (${MAX_VARIABLES} = 2^27)`);
    n = s.n;
    diag = new Float64Array(n);
    if (!Array.isArray(s.entries)) throw new InputError(file, "A.entries", "must be a list of [i, j, value]");
    const seen = new Set<number>();
    s.entries.forEach((t, k) => {
      if (!Array.isArray(t) || t.length !== 3) throw new InputError(file, `A.entries[${k}]`, "must be [i, j, value]");
      const [i, j, v] = t;
      for (const idx of [i, j]) {
        if (!Number.isInteger(idx) || idx < 0 || idx >= n) throw new InputError(file, `A.entries[${k}]`, `index ${describeValue(idx)} is out of range 0..${n - 1}`);
      }
      const x = finite(v, file, `A.entries[${k}]`);
      const key = Math.min(i, j) * n + Math.max(i, j);
      if (seen.has(key)) throw new InputError(file, `A.entries[${k}]`, `gives (${i}, ${j}) a second time (list each pair once; A is symmetric)`);
      seen.add(key);
      if (i === j) diag[i] = x;
      else if (x !== 0) {
        ei.push(Math.min(i, j));
        ej.push(Math.max(i, j));
        ew.push(x);
      }
    });
  } else {
    throw new InputError(file, "A", `must be an n x n array of rows or {"n", "entries"}, got ${describeValue(A)}`);
  }
  if (!Array.isArray(doc.b) || doc.b.length !== n) {
    throw new InputError(file, "b", Array.isArray(doc.b) ? `has ${doc.b.length} entries but A is ${n} x ${n}` : `must be an array of ${n} numbers`);
  }
  const b = Float64Array.from(doc.b, (v, i) => finite(v, file, `b[${i}]`));
  const model: GaussianModel = { kind: "gaussian", n, diag, ei: Int32Array.from(ei), ej: Int32Array.from(ej), ew: Float64Array.from(ew), b, beta };
  if (typeof doc.name === "string") model.name = doc.name;
  const bad = notPositiveDefinite(model, file);
  if (bad !== undefined) throw new InputError(file, "A", `is not positive definite in float64 (the Cholesky pivot of row ${bad} is not positive; if A is meant to be positive definite, its smallest eigenvalues are lost to rounding)`);
  return model;
}

/** About a minute of work on this project's 2-core machine: beyond it a check is a hang. */
const PD_CHECK_WORK = 4e10;

/**
 * Profile (skyline) Cholesky of A in natural order: exact, and cheap for
 * banded sparse matrices (a 64x64 grid: n * 64^2 operations). Returns the
 * first row whose pivot is not positive, or undefined if A is positive definite.
 */
export function notPositiveDefinite(m: GaussianModel, file = "model"): number | undefined {
  const { n } = m;
  const first = new Int32Array(n).map((_, i) => i);
  for (let k = 0; k < m.ei.length; k++) first[m.ej[k]] = Math.min(first[m.ej[k]], m.ei[k]);
  // Work of the profile Cholesky: sum over rows of the squared profile width.
  let work = 0;
  for (let i = 0; i < n; i++) work += (i - first[i] + 1) ** 2;
  if (work > PD_CHECK_WORK) {
    throw new InputError(file, "A", `checking that A is positive definite would take ~${work.toExponential(1)} operations: its nonzeros lie far from the diagonal; number the variables so that coupled ones are close (e.g. reverse Cuthill-McKee)`);
  }
  return notPositiveDefiniteSparse(m);
}

/** A as a dense row-major matrix (small models). */
export function denseA(m: GaussianModel): Float64Array {
  const a = new Float64Array(m.n * m.n);
  for (let i = 0; i < m.n; i++) a[i * m.n + i] = m.diag[i];
  for (let k = 0; k < m.ei.length; k++) {
    a[m.ei[k] * m.n + m.ej[k]] = m.ew[k];
    a[m.ej[k] * m.n + m.ei[k]] = m.ew[k];
  }
  return a;
}
