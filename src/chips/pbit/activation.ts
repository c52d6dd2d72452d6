/**
 * The p-bit's activation: P(+1) = sigmoid(2x) = (1 + tanh x)/2, evaluated
 * exactly (`exact`) or from a lookup table indexed by |x| (`lut`). A LUT with
 * `step: auto` is addressed by the accumulator code, as in the FPGA p-bit, so
 * on a fixed-point chip without mismatch it is exact at every reachable input.
 * `compare_bits` is the resolution of the threshold the random number meets.
 */
import type { Reader } from "../../spec/reader.js";

export const COMPARATORS = ["mirrored", "sign-magnitude"] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type ActivationSpec =
  | { impl: "exact"; compareBits: number; comparator: "mirrored" }
  | { impl: "lut"; step: "auto" | number; entries: "auto" | number; compareBits: number; comparator: Comparator };

export function readActivation(r: Reader): ActivationSpec {
  const impl = r.choice("impl", ["exact", "lut"] as const);
  const compareBits = r.int("compare_bits", { min: 1, max: 32 }, 32);
  // How the random word meets the table for negative inputs (see assembly/pbit/activation.ts).
  const comparator = r.choice("comparator", COMPARATORS, "mirrored");
  if (impl === "exact") {
    if (comparator !== "mirrored") r.fail("comparator", "sign-magnitude compares against a lookup table; use impl: lut");
    r.done();
    return { impl, compareBits, comparator };
  }
  const stepRaw = r.raw("step") ?? "auto";
  if (stepRaw !== "auto" && !(typeof stepRaw === "number" && stepRaw > 0 && Number.isFinite(stepRaw))) {
    r.fail("step", `must be "auto" or a positive number (in units of beta*I), got ${JSON.stringify(stepRaw)}`);
  }
  const entriesRaw = r.raw("entries") ?? "auto";
  if (entriesRaw !== "auto" && !(Number.isInteger(entriesRaw) && (entriesRaw as number) >= 2 && (entriesRaw as number) <= 1 << 20)) {
    r.fail("entries", `must be "auto" or a whole number 2..1048576, got ${JSON.stringify(entriesRaw)}`);
  }
  r.done();
  return { impl, step: stepRaw as "auto" | number, entries: entriesRaw as "auto" | number, compareBits, comparator };
}

export function resolvedActivation(a: ActivationSpec): Record<string, unknown> {
  return a.impl === "exact"
    ? { impl: "exact", compare_bits: a.compareBits, comparator: a.comparator }
    : { impl: "lut", step: a.step, entries: a.entries, compare_bits: a.compareBits, comparator: a.comparator };
}

/** Comparator threshold in [0, 2^32] for probability p, at `bits` resolution. */
export function threshold(p: number, bits: number): number {
  return Math.round(p * 2 ** bits) * 2 ** (32 - bits);
}

export function sigmoid2(x: number): number {
  return 1 / (1 + Math.exp(-2 * x));
}

/**
 * LUT entry k holds the threshold for x = k * step. A 32-bit table word
 * cannot hold 2^32: with `cap` (the sign-magnitude RTL stores 32-bit words)
 * such entries are 2^32 - 1.
 */
export function lutTable(step: number, entries: number, bits: number, cap = false): BigUint64Array {
  const t = new BigUint64Array(entries);
  for (let k = 0; k < entries; k++) t[k] = BigInt(Math.min(threshold(sigmoid2(k * step), bits), cap ? 2 ** 32 - 1 : 2 ** 32));
  return t;
}
