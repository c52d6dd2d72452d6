/**
 * Hopfield network with noise (Hopfield 1984, stochastic): in model units
 *
 *   du_i = ( sum_j T_ij v_j - u_i / R + I_i ) dt + sqrt(2 / beta) dW_i,
 *   v_i = tanh(gain * u_i),
 *
 * T symmetric. The model's variables are the amplifier outputs v in (-1, 1).
 * Without noise the energy E(v) = -1/2 v'Tv - I'v + (1/R) sum_i int_0^v_i
 * atanh(x)/gain dx never increases (Hopfield's theorem). With noise the
 * stationary law is not exp(-beta E) (the drift is not a gradient in u); it is
 * what the dynamics produce, which the chip emulates.
 */
import { InputError, describeValue } from "../errors.js";

export interface HopfieldModel {
  kind: "hopfield";
  n: number;
  T: Float64Array; // n x n, symmetric
  I: Float64Array;
  gain: number;
  R: number;
  beta: number;
  /** Off-diagonal couplings, for counting (pairs i < j with T_ij != 0). */
  ei: Int32Array;
  name?: string;
}

const KNOWN = new Set(["kind", "T", "I", "gain", "R", "beta", "name", "description", "meta"]);

function positive(v: unknown, file: string, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new InputError(file, field, `must be a finite number > 0, got ${describeValue(v)}`);
  return v;
}

export function hopfieldFromJson(doc: Record<string, unknown>, file: string): HopfieldModel {
  for (const k of Object.keys(doc)) {
    if (!KNOWN.has(k)) throw new InputError(file, k, `is not a field of a Hopfield model (known: ${[...KNOWN].join(", ")})`);
  }
  const T = doc.T;
  if (!Array.isArray(T) || T.length < 1) throw new InputError(file, "T", `must be an n x n array of rows, got ${describeValue(T)}`);
  const n = T.length;
  const t = new Float64Array(n * n);
  let scale = 0;
  T.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) throw new InputError(file, `T[${i}]`, `must be a row of ${n} numbers`);
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(file, `T[${i}][${j}]`, `must be a finite number, got ${describeValue(v)}`);
      t[i * n + j] = v;
      scale = Math.max(scale, Math.abs(v));
    });
  });
  const pairs: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(t[i * n + j] - t[j * n + i]) > 1e-12 * scale) {
        throw new InputError(file, `T[${i}][${j}]`, `is ${t[i * n + j]} but T[${j}][${i}] is ${t[j * n + i]}: T must be symmetric`);
      }
      if (t[i * n + j] !== 0) pairs.push(i);
    }
  }
  const Iraw = doc.I ?? new Array(n).fill(0);
  if (!Array.isArray(Iraw) || Iraw.length !== n) throw new InputError(file, "I", `must be an array of ${n} numbers`);
  const I = Float64Array.from(Iraw, (v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(file, `I[${i}]`, `must be a finite number, got ${describeValue(v)}`);
    return v;
  });
  const m: HopfieldModel = {
    kind: "hopfield", n, T: t, I, ei: Int32Array.from(pairs),
    gain: positive(doc.gain, file, "gain", 1), R: positive(doc.R, file, "R", 1), beta: positive(doc.beta, file, "beta", 1),
  };
  if (typeof doc.name === "string") m.name = doc.name;
  return m;
}

/** Hopfield's energy of output state v (model units). */
export function hopfieldEnergy(m: HopfieldModel, v: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < m.n; i++) {
    e -= m.I[i] * v[i];
    for (let j = 0; j < m.n; j++) e -= 0.5 * m.T[i * m.n + j] * v[i] * v[j];
    const x = Math.min(1 - 1e-16, Math.abs(v[i]));
    // int_0^x atanh = x atanh(x) + ln(1 - x^2) / 2
    e += (x * Math.atanh(x) + 0.5 * Math.log1p(-x * x)) / (m.gain * m.R);
  }
  return e;
}
