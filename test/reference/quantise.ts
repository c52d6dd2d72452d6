/**
 * The quantised model a fixed-point p-bit chip with a programmable gain should
 * sample, written for the tests from the documented rule (README, numerics):
 * the gain g puts the largest |beta J| or |beta h| on the largest code; each
 * value becomes round-half-away(beta v / (g lsb)) codes, saturated; the chip
 * then samples J' = code lsb g / beta. Shares no code with src/mapping.
 */
import type { IsingModel } from "../../src/models/ising.js";

export interface FixedFormat {
  bits: number;
  fracBits: number;
  maxAbs?: number;
}

export function independentQuantised(m: IsingModel, f: FixedFormat, gainMin: number, gainMax: number): IsingModel {
  const lsb = 2 ** -f.fracBits;
  const top = f.maxAbs ?? (2 ** (f.bits - 1) - 1) * lsb;
  let big = 0;
  for (const v of [...m.ew, ...m.h]) big = Math.max(big, Math.abs(v));
  const g = Math.min(gainMax, Math.max(gainMin, (m.beta * big) / top));
  const q = (v: number) => {
    const codes = Math.sign(v) * Math.floor(Math.abs((m.beta * v) / (g * lsb)) + 0.5);
    return (Math.max(-top, Math.min(top, codes * lsb)) * g) / m.beta;
  };
  return { ...m, ew: m.ew.map(q), h: m.h.map(q) };
}
