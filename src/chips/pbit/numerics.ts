/**
 * Number formats inside a p-bit: weights, biases and the input accumulator are
 * either float64 (ideal) or signed fixed point with `bits` bits of which
 * `frac_bits` are fractional, saturating at the largest code (optionally a
 * smaller `max_abs`, e.g. Z1's |J| <= 6). The activation gain -- how chip units
 * turn into beta*I -- is fixed (FPGA: beta folded into J at load time) or
 * programmable within a range (the mapper picks it to fill the code range).
 */
import type { Reader } from "../../spec/reader.js";

export type Format =
  | { format: "float64" }
  | { format: "fixed"; bits: number; fracBits: number; lsb: number; maxAbs: number };

export type Gain = { impl: "fixed"; value: number } | { impl: "programmable"; min: number; max: number };

export interface Numerics {
  weights: Format;
  biases: Format;
  accumulator: Format;
  gain: Gain;
}

export function readFormat(r: Reader): Format {
  const format = r.choice("format", ["float64", "fixed"] as const);
  if (format === "float64") {
    r.done();
    return { format };
  }
  const bits = r.int("bits", { min: 2, max: 32 });
  const fracBits = r.int("frac_bits", { min: 0, max: 30 });
  const lsb = 2 ** -fracBits;
  const codeMax = (2 ** (bits - 1) - 1) * lsb;
  let maxAbs = codeMax;
  if (r.has("max_abs")) {
    maxAbs = r.number("max_abs", { above: 0 });
    if (maxAbs > codeMax) r.fail("max_abs", `${maxAbs} exceeds the largest ${bits}-bit code (${codeMax})`);
    if (Math.abs(maxAbs / lsb - Math.round(maxAbs / lsb)) > 1e-9) r.fail("max_abs", `${maxAbs} is not a multiple of the LSB ${lsb}`);
  }
  r.done();
  return { format, bits, fracBits, lsb, maxAbs };
}

export function resolvedFormat(f: Format): Record<string, unknown> {
  return f.format === "float64" ? { format: "float64" } : { format: "fixed", bits: f.bits, frac_bits: f.fracBits, max_abs: f.maxAbs };
}

export function readNumerics(r: Reader): Numerics {
  const weights = readFormat(r.object("weights")!);
  const biasR = r.object("biases", false);
  const biases = biasR ? readFormat(biasR) : weights;
  const accR = r.object("accumulator", false);
  const accumulator = accR ? readFormat(accR) : ({ format: "float64" } as Format);
  const g = r.object("gain", false);
  let gain: Gain = { impl: "fixed", value: 1 };
  if (g) {
    const impl = g.choice("impl", ["fixed", "programmable"] as const);
    gain = impl === "fixed"
      ? { impl, value: g.number("value", { above: 0 }, 1) }
      : { impl, min: g.number("min", { above: 0 }), max: g.number("max", { above: 0 }) };
    if (gain.impl === "programmable" && gain.min > gain.max) g.fail("min", `is above max (${gain.min} > ${gain.max})`);
    g.done();
  }
  if (weights.format === "float64" && g) {
    r.fail("gain", "float64 weights take beta directly as the gain; a gain setting applies to fixed-point chips only");
  }
  if (weights.format === "float64" && (accumulator.format !== "float64" || biases.format !== "float64")) {
    r.fail(accumulator.format !== "float64" ? "accumulator" : "biases", "must be float64 when the weights are float64 (fixed-point inputs need fixed-point weights)");
  }
  r.done();
  return { weights, biases, accumulator, gain };
}

export function resolvedNumerics(n: Numerics): Record<string, unknown> {
  return {
    weights: resolvedFormat(n.weights),
    biases: resolvedFormat(n.biases),
    accumulator: resolvedFormat(n.accumulator),
    gain: n.gain.impl === "fixed" ? { impl: "fixed", value: n.gain.value } : { impl: "programmable", min: n.gain.min, max: n.gain.max },
  };
}

/** Round to the nearest code (ties away from zero) and saturate. */
export function quantise(v: number, f: Format): number {
  if (f.format === "float64") return v;
  const q = Math.sign(v) * Math.round(Math.abs(v) / f.lsb) * f.lsb;
  return Math.max(-f.maxAbs, Math.min(f.maxAbs, q));
}

/** Largest representable magnitude (Infinity for float64). */
export function maxAbsOf(f: Format): number {
  return f.format === "float64" ? Infinity : f.maxAbs;
}
