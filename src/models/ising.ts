/**
 * Ising model: spins s in {-1,+1}, E(s) = -(sum_i h_i s_i + sum_(i,j,w) w s_i s_j),
 * p(s) ~ exp(-beta E(s)). Couplings are stored once per unordered pair, i < j.
 */
import { InputError, describeValue } from "../errors.js";
import { MAX_VARIABLES } from "./limits.js";

export interface IsingModel {
  kind: "ising";
  n: number;
  h: Float64Array;
  /** Coupling k joins spins ei[k] < ej[k] with weight ew[k]. */
  ei: Int32Array;
  ej: Int32Array;
  ew: Float64Array;
  beta: number;
  name?: string;
  /** A constant added to every energy (models converted from QUBOs, Max-Cut, BQMs keep theirs). */
  offset?: number;
  /** The variables of the file it came from, when not spins (samples stay +-1; x = (1 + s) / 2). */
  origin?: "binary" | "spin";
  /** Samples written as 0/1 (uint8) instead of +-1: RBMs, per the file contract. */
  output?: "binary";
  /** RBMs: visible units first, then hidden. */
  layers?: { visible: number; hidden: number };
}

const KNOWN = new Set(["kind", "n", "h", "J", "beta", "name", "description", "meta"]);

/** Validate a parsed Ising JSON document; `file` names it in errors. */
export function isingFromJson(doc: Record<string, unknown>, file: string): IsingModel {
  for (const k of Object.keys(doc)) {
    if (!KNOWN.has(k)) throw new InputError(file, k, `is not a field of an Ising model (known: ${[...KNOWN].join(", ")})`);
  }
  const n = doc.n;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new InputError(file, "n", `must be a whole number >= 1, got ${describeValue(n)}`);
  }
  if (n > MAX_VARIABLES) throw new InputError(file, "n", `${n} spins is more than any chip model here can hold (${MAX_VARIABLES} = 2^27)`);
  const beta = doc.beta === undefined ? 1.0 : doc.beta;
  if (typeof beta !== "number" || !Number.isFinite(beta) || beta < 0) {
    throw new InputError(file, "beta", `must be a finite number >= 0, got ${describeValue(beta)}`);
  }

  const h = new Float64Array(n);
  if (doc.h !== undefined) {
    if (!Array.isArray(doc.h)) throw new InputError(file, "h", `must be an array of ${n} numbers, got ${describeValue(doc.h)}`);
    if (doc.h.length !== n) throw new InputError(file, "h", `has ${doc.h.length} entries but n = ${n}`);
    for (let i = 0; i < n; i++) {
      const v = doc.h[i];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(file, `h[${i}]`, `must be a finite number, got ${describeValue(v)}`);
      h[i] = v;
    }
  }

  const J = doc.J === undefined ? [] : doc.J;
  if (!Array.isArray(J)) throw new InputError(file, "J", `must be an array of [i, j, w] triples, got ${describeValue(J)}`);
  const m = J.length;
  const ei = new Int32Array(m);
  const ej = new Int32Array(m);
  const ew = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const t = J[k];
    if (!Array.isArray(t) || t.length !== 3) throw new InputError(file, `J[${k}]`, `must be a triple [i, j, w], got ${describeValue(t)}`);
    const [a, b, w] = t;
    for (const [name, idx] of [["i", a], ["j", b]] as const) {
      if (typeof idx !== "number" || !Number.isInteger(idx)) throw new InputError(file, `J[${k}]`, `${name} must be a whole number, got ${describeValue(idx)}`);
      if (idx < 0 || idx >= n) throw new InputError(file, `J[${k}]`, `index ${idx} is out of range 0..${n - 1}`);
    }
    if (a === b) throw new InputError(file, `J[${k}]`, `couples spin ${a} to itself (self-couplings are constants; drop them)`);
    if (typeof w !== "number" || !Number.isFinite(w)) throw new InputError(file, `J[${k}]`, `weight must be a finite number, got ${describeValue(w)}`);
    ei[k] = Math.min(a, b);
    ej[k] = Math.max(a, b);
    ew[k] = w;
  }
  checkDuplicates(ei, ej, n, file);
  const model: IsingModel = { kind: "ising", n, h, ei, ej, ew, beta };
  const scale = energyScale(model);
  if (!Number.isFinite(scale)) {
    throw new InputError(file, "J", `the model's energies overflow float64: beta x (sum |h| + sum |J|) is beyond 1.8e308; scale the weights down (only beta x J and beta x h matter)`);
  }
  if (typeof doc.name === "string") model.name = doc.name;
  return model;
}

/** Each unordered pair may appear once: sort pair keys, look at neighbours. */
export function checkDuplicates(ei: Int32Array, ej: Int32Array, n: number, file: string): void {
  const keys = new Float64Array(ei.length);
  for (let k = 0; k < ei.length; k++) keys[k] = ei[k] * n + ej[k];
  const sorted = keys.slice().sort();
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k] === sorted[k - 1]) {
      const i = Math.floor(sorted[k] / n);
      const j = sorted[k] - i * n;
      const first = keys.indexOf(sorted[k]);
      const second = keys.indexOf(sorted[k], first + 1);
      throw new InputError(file, `J[${second}]`, `duplicates the coupling (${i}, ${j}) already given at J[${first}]`);
    }
  }
}

/**
 * An upper bound on |E(s)| (and on beta |E(s)| when beta > 1): the sum of
 * every |h| and |J|, times max(1, beta). Computed relative to the largest
 * term, so the sum itself cannot overflow before the product is formed.
 * Infinity means some energy, or beta times it, is beyond float64.
 */
export function energyScale(m: IsingModel): number {
  let big = 0;
  for (const v of m.h) big = Math.max(big, Math.abs(v));
  for (const v of m.ew) big = Math.max(big, Math.abs(v));
  if (big === 0) return 0;
  let rel = 0;
  for (const v of m.h) rel += Math.abs(v) / big;
  for (const v of m.ew) rel += Math.abs(v) / big;
  return Math.max(1, m.beta) * big * rel;
}

/** Energy of one state (spins as +-1), the model's own convention. */
export function isingEnergy(m: IsingModel, s: ArrayLike<number>): number {
  let e = m.offset ?? 0;
  for (let i = 0; i < m.n; i++) e -= m.h[i] * s[i];
  for (let k = 0; k < m.ei.length; k++) e -= m.ew[k] * s[m.ei[k]] * s[m.ej[k]];
  return e;
}

/**
 * Write a model as Ising JSON in pieces: one string of a million-coupling model would pass V8's
 * string limit.
 */
export function writeIsingJson(m: IsingModel, write: (text: string) => void): void {
  const CHUNK = 65536;
  write(`{"kind":"ising","n":${m.n},"h":[`);
  for (let i = 0; i < m.n; i += CHUNK) {
    write((i > 0 ? "," : "") + Array.from(m.h.subarray(i, Math.min(m.n, i + CHUNK)), String).join(","));
  }
  write('],"J":[');
  for (let k = 0; k < m.ei.length; k += CHUNK) {
    const parts: string[] = [];
    for (let q = k; q < Math.min(m.ei.length, k + CHUNK); q++) parts.push(`[${m.ei[q]},${m.ej[q]},${m.ew[q]}]`);
    write((k > 0 ? "," : "") + parts.join(","));
  }
  write(`],"beta":${m.beta}${m.name ? `,"name":${JSON.stringify(m.name)}` : ""}}\n`);
}
