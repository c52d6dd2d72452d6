/** Field readers shared by the model files: one clear error per problem, naming the field. */
import { InputError, describeValue } from "../errors.js";

export function checkKnown(doc: Record<string, unknown>, file: string, known: string[], what: string): void {
  for (const k of Object.keys(doc)) if (!known.includes(k)) throw new InputError(file, k, `is not a field of ${what} (known: ${known.join(", ")})`);
}

export function finiteField(v: unknown, file: string, field: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v)) throw new InputError(file, field, `must be a finite number, got ${describeValue(v)}`);
  return v;
}

export function betaField(v: unknown, file: string): number {
  const b = finiteField(v, file, "beta", 1);
  if (b < 0) throw new InputError(file, "beta", `must be >= 0, got ${b}`);
  return b;
}

/** [[i, j, v], ...] with whole-number indices (range checked by the caller, who knows n). */
export function entryList(v: unknown, file: string, field: string): [number, number, number][] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new InputError(file, field, `must be an array of [i, j, value] triples, got ${describeValue(v)}`);
  return v.map((t, k) => {
    if (!Array.isArray(t) || t.length !== 3) throw new InputError(file, `${field}[${k}]`, `must be a triple [i, j, value], got ${describeValue(t)}`);
    const [i, j, w] = t;
    if (typeof i !== "number" || !Number.isInteger(i) || typeof j !== "number" || !Number.isInteger(j)) throw new InputError(file, `${field}[${k}]`, "indices must be whole numbers");
    if (typeof w !== "number" || !Number.isFinite(w)) throw new InputError(file, `${field}[${k}]`, `value must be a finite number, got ${describeValue(w)}`);
    return [i, j, w];
  });
}

export function vectorField(v: unknown, file: string, field: string, n: number): Float64Array {
  const out = new Float64Array(n);
  if (v === undefined) return out;
  if (!Array.isArray(v) || v.length !== n) throw new InputError(file, field, `must be an array of ${n} numbers, got ${describeValue(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw new InputError(file, `${field}[${i}]`, `must be a finite number, got ${describeValue(x)}`);
    out[i] = x;
  });
  return out;
}
