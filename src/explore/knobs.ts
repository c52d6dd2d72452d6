/** The chip-spec fields the explorer's knobs set, merged over the preset (the CLI gets the same as a spec file). */
import type { AnalogKnobs, PbitKnobs } from "./protocol.js";

/** The chip-spec fields a p-bit knob sets (null: leave the preset's). */
export function pbitOverrides(k: PbitKnobs): Record<string, unknown> {
  const over: Record<string, unknown> = { mismatch: { gain_sigma: k.gainSigma } };
  if (k.rng) over.rng = k.rng === "smtj" ? { impl: "smtj", dwell: "100 ns", bits_per_draw: 1 } : { impl: k.rng };
  // Fixed point keeps its integer range (4 bits, as dtm-2025's 8-bit codes with 4 fractional):
  // more bits are finer steps, and the accumulator widens with them so it never saturates.
  if (k.weightBits) over.numerics = { weights: { format: "fixed", bits: k.weightBits, frac_bits: k.weightBits - 4 }, accumulator: { format: "fixed", bits: k.weightBits + 4, frac_bits: k.weightBits - 4 } };
  return over;
}

/** The analog knobs: integrator and its step, the noise sources' bandwidth and strength, the read-out interval. */
export function analogOverrides(k: AnalogKnobs): Record<string, unknown> {
  const noise: Record<string, unknown> = { bandwidth: k.noiseBandwidth };
  if (k.noiseScale !== undefined && k.noiseScale !== 1) noise.scale = k.noiseScale;
  const over: Record<string, unknown> = { integrator: { impl: k.integrator, step_fraction: k.stepFraction }, noise };
  if (k.readoutInterval) over.readout = { interval: k.readoutInterval };
  return over;
}

/** The chip spec a page run uses, as a file the CLI reads: the preset plus the knobs' fields. */
export function pbitChipDoc(k: PbitKnobs): Record<string, unknown> {
  return { extends: k.chip, ...pbitOverrides(k) };
}

export function analogChipDoc(k: AnalogKnobs): Record<string, unknown> {
  return { extends: k.chip, ...analogOverrides(k) };
}

/**
 * `thermosim sample` arguments that repeat a page run of `samples` sweeps (or read-outs):
 * one chain, no burn-in, the page's seed and schedule; the rows are the page's, bit for bit.
 */
/** The page shows every sweep, so a minor-embedded model's chains are read by majority (`embedded`): the command says so. */
export function sampleCommand(samples: number, seed: number, schedule = "", files = { model: "model.json", chip: "chip.yaml" }, embedded = false): string[] {
  return ["thermosim", "sample", files.model, "--chip", files.chip, "--chains", "1", "--burn-in", "0", "--samples", String(samples), "--seed", String(seed), ...(schedule ? ["--schedule", schedule] : []), ...(embedded ? ["--readout", "majority"] : []), "--out", "run"];
}

/** The name a model file is saved under for the command line: its own base name, shell-safe. */
export function modelFileName(name: string): string {
  const base = name.split(/[\\/]/).pop()!.replace(/[^A-Za-z0-9._-]/g, "_").replace(/^[.-]+/, "");
  return base === "" || base === "chip.yaml" ? "model.json" : base;
}
