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

/** A finite number above 0. */
export function positiveNumber(flag: string) {
  return (text: string): number => {
    const v = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(v) || v <= 0) throw new InputError(flag, undefined, `must be a finite number above 0, got ${JSON.stringify(text)}`);
    return v;
  };
}

/** An option that may be given once: a second value would silently replace the first. */
export function once(flag: string) {
  return (text: string, previous: unknown): string => {
    if (previous !== undefined) throw new InputError(flag, undefined, `is given twice (${JSON.stringify(previous)} and ${JSON.stringify(text)}); give it once`);
    return text;
  };
}

/** A chain strength: auto, utc or a finite number above 0. */
export function chainStrengthArg(text: string): number | "utc" | "auto" {
  const t = text.trim();
  if (t === "auto" || t === "utc") return t;
  const v = Number(t);
  if (t === "" || !Number.isFinite(v) || v <= 0) throw new InputError("--chain-strength", undefined, `must be auto, utc or a finite number above 0 (model energy units), got ${JSON.stringify(text)}`);
  return v;
}

/** An annealing schedule "B0,B1" or "B0,B1,linear|geometric" (inverse temperatures). */
export function annealSchedule(text: string): { b0: number; b1: number; shape: "geometric" | "linear" } {
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length < 2 || parts.length > 3) throw new InputError("--anneal", undefined, `must be B0,B1 or B0,B1,linear|geometric (inverse temperatures), got ${JSON.stringify(text)}`);
  const [b0, b1] = parts.slice(0, 2).map(positiveNumber("--anneal"));
  const shape = parts[2] ?? "geometric";
  if (shape !== "geometric" && shape !== "linear") throw new InputError("--anneal", undefined, `schedule shape must be linear or geometric, got ${JSON.stringify(shape)}`);
  return { b0, b1, shape };
}
