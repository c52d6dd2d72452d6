/**
 * Quantities with units at the edges (spec files, reports), SI floats inside.
 * mathjs parses "10 MHz", "2 fJ", "2.7 ns" once at load time.
 */
import type { Unit, MathJsInstance } from "mathjs";
import { loadMath } from "./units-math.js";

let math: MathJsInstance | undefined;
const mathUnit = (text: string): Unit => (math ??= loadMath()).unit(text);

/** The SI unit each physical dimension is converted to. */
export const DIMENSIONS = {
  frequency: "Hz",
  time: "s",
  energy: "J",
  power: "W",
  capacitance: "F",
  conductance: "S",
  resistance: "ohm",
  voltage: "V",
  current: "A",
  temperature: "K",
} as const;
export type Dimension = keyof typeof DIMENSIONS;

const reference = new Map<Dimension, Unit>();
function ref(dim: Dimension): Unit {
  let u = reference.get(dim);
  if (!u) {
    u = mathUnit(`1 ${DIMENSIONS[dim]}`);
    reference.set(dim, u);
  }
  return u;
}

/**
 * Parse "2.7 ns" as seconds (etc.). Returns a string describing the problem
 * instead of throwing, so callers can attach file and field.
 */
export function parseQuantity(text: string, dim: Dimension): number | string {
  let u: Unit;
  try {
    u = mathUnit(text.trim());
  } catch (e) {
    return `cannot parse ${JSON.stringify(text)} as a ${dim} (${(e as Error).message}; write e.g. "2 fJ", "10 MHz", "1 kohm")`;
  }
  if (!u.equalBase(ref(dim))) {
    return `${JSON.stringify(text)} is not a ${dim} (expected units convertible to ${DIMENSIONS[dim]})`;
  }
  if (u.value === null) return `${JSON.stringify(text)} has no numeric value`;
  const v = u.toNumber(DIMENSIONS[dim]);
  if (!Number.isFinite(v)) return `${JSON.stringify(text)} is not finite`;
  return v;
}

/** Format an SI value with an engineering prefix for reports: 1.6e-15 J -> "1.6 fJ". */
export function formatSI(value: number, siUnit: string, digits = 4): string {
  if (value === 0 || !Number.isFinite(value)) return `${value} ${siUnit}`;
  const prefixes: [number, string][] = [
    [1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"], [1, ""], [1e-3, "m"], [1e-6, "u"],
    [1e-9, "n"], [1e-12, "p"], [1e-15, "f"], [1e-18, "a"], [1e-21, "z"],
  ];
  const a = Math.abs(value);
  for (const [scale, p] of prefixes) {
    if (a >= scale) return `${Number((value / scale).toPrecision(digits))} ${p}${siUnit}`;
  }
  return `${value.toExponential(digits - 1)} ${siUnit}`;
}
