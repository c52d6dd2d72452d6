/** Messages between the explorer page and its worker (src/explore/worker.ts). */
import type { SpinModelKind } from "./models.js";
import type { PbitMeter } from "./live-pbit.js";
import type { Ellipse } from "./live-langevin.js";

/** A model file the user opened on the page: its name and text, run as `thermosim sample` reads it. */
export interface ModelFile {
  name: string;
  text: string;
}

export interface PbitKnobs {
  chip: string;
  /** A bundled model, or "file": the user's own (modelFile; its own beta, the beta knob unused). */
  model: SpinModelKind | "file";
  modelFile?: ModelFile;
  beta: number;
  /** "" = the chip's own. */
  schedule: string;
  /** "" = the chip's own random source; else xoshiro128, lfsr32 or smtj (100 ns dwell). */
  rng: string;
  /** 0 = the chip's own weight precision. */
  weightBits: number;
  /** Relative sd of each p-bit's gain (device mismatch, drawn once per chip instance from the seed). */
  gainSigma: number;
  seed: number;
  sweepsPerFrame: number;
}

export interface AnalogKnobs {
  chip: string;
  /** "file": the user's own Gaussian (modelFile; 2 to 256 variables, x1 and x2 drawn); else the bundled 2-D one. */
  model?: "bundled" | "file";
  modelFile?: ModelFile;
  integrator: string;
  /** Integrator step as a fraction of the fastest time constant. */
  stepFraction: number;
  /** Bandwidth of the noise sources: "white", or e.g. "20 MHz" (coloured noise the circuit's poles filter). */
  noiseBandwidth: string;
  /** The noise sources' strength relative to the calibrated one (chip spec noise.scale; 1 = as programmed). */
  noiseScale?: number;
  /** Read-out interval, e.g. "100 ns" ("" = the chip's own): shorter than the circuit's time constants, successive read-outs are correlated. */
  readoutInterval: string;
  /** Correlation of the 2-D Gaussian. */
  rho: number;
  seed: number;
  readoutsPerFrame: number;
}

/** presets.json (scripts/build-explorer.mjs): chip documents with `extends` merged and the technology table inlined. */
export interface Presets {
  chips: Record<string, { doc: Record<string, unknown>; file: string }>;
  pbit: string[];
  langevin: string[];
  /** p-bit chips with async timing (the asynchronous schedule needs it). */
  asyncChips: string[];
  /** Presets left out of the page, with why. */
  excluded: Record<string, string>;
  built: string;
}

export type ToWorker =
  | { type: "init"; base: string }
  | { type: "pbit"; id: number; knobs: PbitKnobs }
  | { type: "analog"; id: number; knobs: AnalogKnobs }
  | { type: "drawn"; id: number }
  | { type: "stop"; id: number }
  | { type: "sample"; id: number; knobs: PbitKnobs; samples: number }
  /** The current run's model document and chip spec, for the "repeat on the command line" files. */
  | { type: "files"; id: number };

export type AnalogMeter = { readouts: number; integratorSteps: number; chipSeconds: number; samplingJ: number; programmingJ: number; counts: Record<string, number> };

export type ToPage =
  | { type: "ready"; presets: Omit<Presets, "chips"> }
  /** n: the model's variables; pbits: the p-bits the chip uses for them (more when minor-embedded). */
  | { type: "pbit-start"; id: number; n: number; pbits: number; model: string; width: number; height: number; graph: string; schedule: string; kernelPath: string; warnings: string[]; chip: string; clockHz: number; weights: string }
  /** spins: the drawing raster (width x height; +1, -1, or 0 for a cell no variable uses); logical: the last sample, model order. */
  | { type: "pbit-frame"; id: number; spins: Int8Array; logical: Int8Array; energy: Float64Array; magnetisation: Float64Array; meter: PbitMeter; wallSeconds: number; sweeps: number }
  /** n: the model's variables; ellipses and frame rows are of x1 and x2 only. */
  | { type: "analog-start"; id: number; chip: string; n: number; model: string; target: Ellipse; predicted?: Ellipse; integrator: string; stepSeconds: number; readoutSeconds: number; iat?: number[]; relaxSeconds: number; warnings: string[] }
  | { type: "analog-frame"; id: number; rows: Float64Array; meter: AnalogMeter; wallSeconds: number }
  | { type: "sampled"; id: number; rows: Int8Array; model: ModelFile; chip: Record<string, unknown>; meter: PbitMeter }
  /** model: the model file's text and the name to save it under. */
  | { type: "files"; id: number; model: ModelFile; chip: Record<string, unknown> }
  | { type: "error"; id: number; message: string };
