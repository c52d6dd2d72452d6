/**
 * Quadratic models over binary or spin variables, as optimisation tools
 * write them (dimod's convention): E(v) = sum_i a_i v_i + sum_{i<j} b_ij v_i v_j
 * + offset, v in {0,1} ("binary") or {-1,+1} ("spin"), lower is better.
 * Every such model becomes thermosim's Ising form exactly, constant kept:
 * E(s) = -(sum h s + sum J s s) + offset, so energies agree on every state.
 */
import { energyScale } from "./ising.js";
import { InputError } from "../errors.js";
import type { IsingModel } from "./ising.js";
import { MAX_VARIABLES } from "./limits.js";

export type Vartype = "binary" | "spin";

export interface QuadraticForm {
  n: number;
  vartype: Vartype;
  linear: Float64Array;
  qi: Int32Array;
  qj: Int32Array;
  qv: Float64Array;
  offset: number;
}

/** The form over spins: x = (1 + s) / 2 turns a x into a/2 + a s/2 and b x x into b/4 (1 + s_i + s_j + s_i s_j). */
export function toSpin(f: QuadraticForm): QuadraticForm {
  if (f.vartype === "spin") return f;
  const linear = f.linear.map((a) => a / 2);
  let offset = f.offset;
  for (const a of f.linear) offset += a / 2;
  for (let k = 0; k < f.qv.length; k++) {
    const b = f.qv[k];
    linear[f.qi[k]] += b / 4;
    linear[f.qj[k]] += b / 4;
    offset += b / 4;
  }
  return { ...f, vartype: "spin", linear, qv: f.qv.map((b) => b / 4), offset };
}

/** The form over binaries: s = 2x - 1 turns h s into 2h x - h and J s s into J (4 x x - 2 x_i - 2 x_j + 1). */
export function toBinary(f: QuadraticForm): QuadraticForm {
  if (f.vartype === "binary") return f;
  const linear = f.linear.map((h) => 2 * h);
  let offset = f.offset;
  for (const h of f.linear) offset -= h;
  for (let k = 0; k < f.qv.length; k++) {
    const J = f.qv[k];
    linear[f.qi[k]] -= 2 * J;
    linear[f.qj[k]] -= 2 * J;
    offset += J;
  }
  return { ...f, vartype: "binary", linear, qv: f.qv.map((J) => 4 * J), offset };
}

/** The energy of a state under the form (v in the form's own variables). */
export function formEnergy(f: QuadraticForm, v: ArrayLike<number>): number {
  let e = f.offset;
  for (let i = 0; i < f.n; i++) e += f.linear[i] * v[i];
  for (let k = 0; k < f.qv.length; k++) e += f.qv[k] * v[f.qi[k]] * v[f.qj[k]];
  return e;
}

/**
 * thermosim's Ising model of a form: h = -a, J = -b over spins, the offset
 * kept. Finite entries can still overflow in the spin form (sums of 1e308
 * terms): refused here, naming the file, before anything runs.
 */
export function formToIsing(f: QuadraticForm, beta: number, name?: string, file = name ?? "model"): IsingModel {
  const s = toSpin(f);
  const m: IsingModel = {
    kind: "ising", n: s.n, h: s.linear.map((a) => -a), ei: s.qi.slice(), ej: s.qj.slice(), ew: s.qv.map((b) => -b), beta,
    offset: s.offset, origin: f.vartype, ...(name ? { name } : {}),
  };
  const bad = (xs: Float64Array) => xs.findIndex((x) => !Number.isFinite(x));
  const where = !Number.isFinite(m.offset!) ? "the energy offset" : bad(m.h) >= 0 ? `the field of variable ${bad(m.h)}` : bad(m.ew) >= 0 ? `the coupling (${m.ei[bad(m.ew)]}, ${m.ej[bad(m.ew)]})` : undefined;
  if (where) throw new InputError(file, undefined, `${where} overflows float64 (is ${where === "the energy offset" ? m.offset : "infinite"}) once the model is written over +-1 spins; scale the weights down`);
  if (!Number.isFinite(energyScale(m))) throw new InputError(file, undefined, "the model's energies overflow float64: beta x (sum |h| + sum |J|) of its spin form is beyond 1.8e308; scale the weights down");
  return m;
}

/** The form of an Ising model (spins), the offset kept. */
export function isingToForm(m: IsingModel): QuadraticForm {
  return { n: m.n, vartype: "spin", linear: m.h.map((h) => -h), qi: m.ei.slice(), qj: m.ej.slice(), qv: m.ew.map((w) => -w), offset: m.offset ?? 0 };
}

/**
 * Build a form from (i, j, value) entries: i == j is linear (binary x_i^2 = x_i; spin s_i^2 = 1,
 * an offset), i != j quadratic with each unordered pair once (repeats refused: a silent sum would
 * hide a mistake in the file). `where(k)` names entry k in errors.
 */
export function formFromEntries(
  file: string, n: number, vartype: Vartype, entries: [number, number, number][], offset: number,
  where: (k: number) => string, linearIn?: Float64Array,
): QuadraticForm {
  // The size first: nothing of size n is allocated before n is known to be sane.
  if (n === 0) throw new InputError(file, undefined, "has no variables: a model needs at least one");
  if (!Number.isInteger(n) || n < 1) throw new InputError(file, "n", `must be a whole number >= 1, got ${n}`);
  if (n > MAX_VARIABLES) throw new InputError(file, "n", `${n} variables is more than any chip model here can hold (${MAX_VARIABLES} = 2^27)`);
  const linear = linearIn ?? new Float64Array(n);
  // A pair's key i * n + j is exact below 2^53; past that (n > 9.5e7) a string key keeps distinct pairs apart.
  const exact = n * n < 2 ** 53;
  const seen = new Set<number | string>();
  const qi: number[] = [];
  const qj: number[] = [];
  const qv: number[] = [];
  let off = offset;
  entries.forEach(([a, b, v], k) => {
    for (const idx of [a, b]) {
      if (!Number.isInteger(idx) || idx < 0 || idx >= n) throw new InputError(file, where(k), `index ${idx} is out of range 0..${n - 1}`);
    }
    if (!Number.isFinite(v)) throw new InputError(file, where(k), `value must be a finite number, got ${v}`);
    const [i, j] = a < b ? [a, b] : [b, a];
    const key = exact ? i * n + j : `${i},${j}`;
    if (seen.has(key)) throw new InputError(file, where(k), `repeats the pair (${i}, ${j}); give each pair once`);
    seen.add(key);
    if (i === j) {
      if (vartype === "binary") linear[i] += v;
      else off += v;
    } else {
      qi.push(i);
      qj.push(j);
      qv.push(v);
    }
  });
  return { n, vartype, linear, qi: Int32Array.from(qi), qj: Int32Array.from(qj), qv: Float64Array.from(qv), offset: off };
}
