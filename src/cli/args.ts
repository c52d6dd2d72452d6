/** Flag parsing helpers that fail with one clear line. */
import { InputError } from "../errors.js";

export function wholeNumber(flag: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (text: string): number => {
    if (!/^\d+$/.test(text.trim())) throw new InputError(flag, undefined, `must be a whole number, got ${JSON.stringify(text)}`);
    const v = Number(text);
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
