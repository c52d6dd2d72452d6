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
  /** Chip-unit coupling k (model coupling order), computed on demand: no per-edge copy. */
  weight(k: number): number;
  /** Chip-unit biases. */
  h: Float64Array;
  /** Nominal activation gain g (before mismatch). */
  gain: number;
  weights: QuantStats;
  biases: QuantStats;
  /** The model the chip samples exactly (dequantised; no mismatch), built on demand. */
  effective(): IsingModel;
}

/**
 * Quantise `orig` * scale into format f, with error statistics in model units;
 * keeps the chip values only when `keep` (biases: n values; couplings are
 * recomputed on demand instead). Errors are summed relative to the largest
 * |orig|, so squares of huge (but finite) weights do not overflow.
 */
function quantiseArray(orig: Float64Array, scale: number, f: Format, keep: boolean): { chip: Float64Array; stats: QuantStats } {
  const chip = new Float64Array(keep ? orig.length : 0);
  let big = 0;
  for (let k = 0; k < orig.length; k++) big = Math.max(big, Math.abs(orig[k]));
  let maxErr = 0;
  let se = 0;
  let so = 0;
  let saturated = 0;
  let zeroed = 0;
  const lim = maxAbsOf(f) + (f.format === "fixed" ? f.lsb / 2 : 0);
  for (let k = 0; k < orig.length; k++) {
    const scaled = orig[k] * scale;
    const q = quantise(scaled, f);
    if (keep) chip[k] = q;
    // Dequantised value relative to `big`: q / (scale * big) stays finite (q != 0 needs scale * big >= lsb / 2).
    const back = scale > 0 && q !== 0 ? q / (scale * big) : scale > 0 ? 0 : orig[k] / big;
    const e = Math.abs(back - orig[k] / big);
    maxErr = Math.max(maxErr, e);
    se += e * e;
    so += (orig[k] / big) ** 2;
    if (Math.abs(scaled) > lim) saturated++;
    if (orig[k] !== 0 && back === 0) zeroed++;
  }
  const m = Math.max(1, orig.length);
  return {
    chip,
    stats: big === 0
      ? { max_abs_error: 0, rms_error: 0, relative_rms_error: 0, saturated, zeroed }
      : { max_abs_error: maxErr * big, rms_error: Math.sqrt(se / m) * big, relative_rms_error: so > 0 ? Math.sqrt(se / so) : 0, saturated, zeroed },
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
    // Ideal arithmetic: the chip holds beta J and beta h (scaled here, where an
    // overflow would show: the model's energy scale was checked when it was
    // read), so beta = 0 gives exactly P(+1) = 1/2 whatever J is.
    const zero = (): QuantStats => ({ max_abs_error: 0, rms_error: 0, relative_rms_error: 0, saturated: 0, zeroed: 0 });
    return { weight: (k) => beta * model.ew[k], h: model.h.map((v) => beta * v), gain: 1, weights: zero(), biases: zero(), effective: () => model };
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
  const qw = quantiseArray(model.ew, scale, num.weights, false);
  const qh = quantiseArray(model.h, scale, num.biases, true);
  const weight = (k: number) => quantise(model.ew[k] * scale, num.weights);
  return {
    weight,
    h: qh.chip,
    gain,
    weights: qw.stats,
    biases: qh.stats,
    effective: () =>
      beta > 0 ? { ...model, ew: model.ew.map((_, k) => weight(k) / scale), h: qh.chip.map((v) => v / scale) } : model,
  };
}
