/** Flag parsing helpers that fail with one clear line. */
import { InputError } from "../errors.js";

/** A whole number, written plainly or in scientific notation ("1e6"); exact up to 2^53 - 1. */
export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    const t = text.trim();
    const v = Number(t);
    if (!/^\d+(\.\d+)?(e\+?\d+)?$/i.test(t) || !Number.isInteger(v)) throw new InputError(flag, undefined, `must be a whole number, got ${JSON.stringify(text)}`);
    if (v < min || v > max) throw new InputError(flag, undefined, `must be between ${min} and ${max}, got ${v}`);
    return v;
  };
}

export function oneOf<T extends string>(flag: string, options: readonly T[]) {
  return (text: string): T => {
    if (!options.includes(text as T)) throw new InputError(flag, undefined, `must be one of ${options.join(", ")}, got ${JSON.stringify(text)}`);
    return text as T;
  };
}
