/**
 * JSON for results: JSON.stringify writes NaN and Infinity as null, which
 * would turn an overflow into a plausible-looking "not applicable". A number
 * that is not finite here is a bug (inputs that overflow are refused where
 * they are scaled), so it stops the run, naming the field.
 */
export function finiteJson(value: unknown, what: string, indent = 1): string {
  return JSON.stringify(value, function (this: unknown, key: string, v: unknown) {
    if (typeof v === "number" && !Number.isFinite(v)) {
      throw new Error(`${what}: field ${JSON.stringify(key)} is ${v}; a result must be finite (an unchecked overflow in thermosim)`);
    }
    return v;
  }, indent);
}
