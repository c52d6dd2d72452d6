/**
 * `extends:` for spec files: objects merge key by key, except that an object
 * naming a different `impl` replaces the base object whole (its fields belong
 * to another implementation).
 */
type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function mergeSpec(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    if (isObj(v) && isObj(b) && (v.impl === undefined || v.impl === b.impl)) out[k] = mergeSpec(b, v);
    else out[k] = v;
  }
  return out;
}
