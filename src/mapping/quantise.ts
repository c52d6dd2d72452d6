/**
 * Scaling and quantisation of an Ising model into a p-bit chip's number
 * formats. The chip computes x = g * I_chip and P(+1) = sigmoid(2x), so it
 * samples the model exactly when g * J_chip = beta * J. A programmable gain g
 * is chosen so the largest |beta*J| (or |beta*h|) lands on the largest code.
 */
import type { IsingModel } from "../models/ising.js";
import { quantise, maxAbsOf, type Numerics, type Format } from "../chips/pbit/numerics.js";

export interface QuantStats {
  /** Largest |dequantised - original|, in model units. */
  max_abs_error: number;
  rms_error: number;
  /** rms error / rms of the original values (0 when all are zero). */
  relative_rms_error: number;
  /** Values beyond the format's range, clipped to it. */
  saturated: number;
  /** Non-zero values that rounded to zero. */
  zeroed: number;
}

export interface Quantised {
  /** Chip-unit couplings, one per model coupling (same order as model.ew). */
  w: Float64Array;
  /** Chip-unit biases. */
  h: Float64Array;
  /** Nominal activation gain g (before mismatch). */
  gain: number;
  /** The model the chip samples exactly (dequantised; no mismatch). */
  effective: IsingModel;
  weights: QuantStats;
  biases: QuantStats;
}

function stats(orig: Float64Array, deq: Float64Array, scaled: Float64Array, f: Format): QuantStats {
  let maxErr = 0;
  let se = 0;
  let so = 0;
  let saturated = 0;
  let zeroed = 0;
  const lim = maxAbsOf(f) + (f.format === "fixed" ? f.lsb / 2 : 0);
  for (let k = 0; k < orig.length; k++) {
    const e = Math.abs(deq[k] - orig[k]);
    maxErr = Math.max(maxErr, e);
    se += e * e;
    so += orig[k] * orig[k];
    if (Math.abs(scaled[k]) > lim) saturated++;
    if (orig[k] !== 0 && deq[k] === 0) zeroed++;
  }
  const m = Math.max(1, orig.length);
  return {
    max_abs_error: maxErr,
    rms_error: Math.sqrt(se / m),
    relative_rms_error: so > 0 ? Math.sqrt(se / so) : 0,
    saturated,
    zeroed,
  };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

export function quantiseIsing(model: IsingModel, num: Numerics): Quantised {
  const beta = model.beta;
  if (num.weights.format === "float64") {
    // Ideal arithmetic: the chip holds J and h as they are and beta is the gain.
    const zero: QuantStats = { max_abs_error: 0, rms_error: 0, relative_rms_error: 0, saturated: 0, zeroed: 0 };
    return { w: model.ew.slice(), h: model.h.slice(), gain: beta, effective: model, weights: zero, biases: { ...zero } };
  }
  let gain: number;
  if (num.gain.impl === "fixed") {
    gain = num.gain.value;
  } else {
    const need = Math.max(
      (beta * maxAbs(model.ew)) / maxAbsOf(num.weights),
      (beta * maxAbs(model.h)) / maxAbsOf(num.biases),
    );
    gain = Math.min(num.gain.max, Math.max(num.gain.min, need > 0 ? need : 1));
  }
  const scale = beta / gain; // model units -> chip units
  const sw = model.ew.map((v) => v * scale);
  const sh = model.h.map((v) => v * scale);
  const w = sw.map((v) => quantise(v, num.weights));
  const h = sh.map((v) => quantise(v, num.biases));
  const back = beta > 0 ? 1 / scale : 0;
  const ew = beta > 0 ? w.map((v) => v * back) : model.ew.slice();
  const eh = beta > 0 ? h.map((v) => v * back) : model.h.slice();
  const effective: IsingModel = { ...model, ew, h: eh };
  return {
    w, h, gain, effective,
    weights: stats(model.ew, ew, sw, num.weights),
    biases: stats(model.h, eh, sh, num.biases),
  };
}
