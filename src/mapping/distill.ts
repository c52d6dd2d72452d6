/**
 * Distillation, the grid-native mapping: a model that does not live on a
 * chip's graph becomes a Boltzmann machine that does -- a window of the
 * chip's own grid, visible p-bits for the model's variables spread over it,
 * hidden p-bits for the rest -- trained (src/train/chip.ts, the chip in the
 * loop or exact float Gibbs) on exact draws of the model. The result is an
 * Ising model on the window's p-bits that every command runs as it is; its
 * visible law's distance from the model is measured exactly (enumeration of
 * the window, up to MAX_ENUMERATE p-bits) or by sampling the chip.
 *
 * For now the model must be small enough to enumerate (LAW_CHECK_MAX_SPINS
 * variables): the training data are exact draws and the quality is exact.
 */
import type { IsingModel } from "../models/ising.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import { fixedTopology } from "../chips/topology/index.js";
import { mapIsing } from "./pbit.js";
import { boltzmann, MAX_ENUMERATE } from "../models/enumerate.js";
import { initialModel, sampledVisibleLaw, totalVariationOf as tv, trainOnChip, visibleLaw } from "../train/chip.js";
import { Random } from "../util/random.js";
import { InputError } from "../errors.js";
import { LAW_CHECK_MAX_SPINS } from "../metrics/traces.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readCappedText, LIMITS } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { loadModel } from "../models/load.js";
import { loadChipDocument } from "../chips/load.js";

export const DISTILLED_FORMAT = "thermosim-distilled";

export interface DistillOptions {
  iterations: number;
  rows: number;
  seed: number;
  batch: number;
  chains: number;
  lr: number;
}

export const DISTILL_DEFAULTS: Omit<DistillOptions, "seed"> = { iterations: 2000, rows: 20000, batch: 50, chains: 50, lr: 0.1 };

/** The default window: about two p-bits per variable, as square as the grid allows. */
export function defaultWindow(n: number): { width: number; height: number } {
  const cells = Math.max(2 * n, n + 2);
  const width = Math.ceil(Math.sqrt(cells));
  return { width, height: Math.ceil(cells / width) };
}

/** Visible p-bits spread evenly over the window's p-bits (row-major): one per variable, distinct. */
export function spreadVisible(n: number, size: number): Int32Array {
  return Int32Array.from({ length: n }, (_, k) => Math.floor(((k + 0.5) * size) / n));
}

/** `rows` exact draws of the model's law as +-1 rows (enumeration; seeded). */
export function exactDraws(model: IsingModel, rows: number, seed: number): Int8Array {
  const p = boltzmann(model);
  const cdf = new Float64Array(p.length);
  let acc = 0;
  for (let x = 0; x < p.length; x++) cdf[x] = acc += p[x];
  const rng = new Random(seed, 0x64697374);
  const out = new Int8Array(rows * model.n);
  for (let r = 0; r < rows; r++) {
    const u = rng.uniform() * acc;
    let lo = 0;
    for (let hi = p.length - 1; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    for (let i = 0; i < model.n; i++) out[r * model.n + i] = (lo >> i) & 1 ? 1 : -1;
  }
  return out;
}

export { visibleLaw };

export interface Distilled {
  model: IsingModel;
  visible: Int32Array;
  report: Record<string, unknown>;
  counts: Record<string, number>;
  chipSeconds: number;
  updates: number;
}

/**
 * Distil `model` onto `window` (a p-bit spec whose topology is the window),
 * training with `sampler` (the window itself: chip in the loop; or the ideal
 * chip on the same graph: float). Throws InputError when the model cannot be
 * distilled (too many variables, a window smaller than the model).
 */
export function distil(model: IsingModel, modelFile: string, window: PbitSpec, sampler: PbitSpec, o: DistillOptions): Distilled {
  if (model.n > LAW_CHECK_MAX_SPINS) {
    throw new InputError(modelFile, "n", `has ${model.n} variables; distillation draws its training data and measures its result by enumeration, for models of up to ${LAW_CHECK_MAX_SPINS} variables for now`);
  }
  const topology = fixedTopology(window.topology, window.name);
  if (topology.size < model.n) throw new InputError("--window", undefined, `has ${topology.size} p-bits, fewer than the model's ${model.n} variables`);
  const visible = spreadVisible(model.n, topology.size);
  const data = exactDraws(model, o.rows, o.seed);
  const start = initialModel(topology, visible, data, o.seed);
  const r = trainOnChip(sampler, visible, data, {
    iterations: o.iterations, batch: o.batch, chains: o.chains, lr: o.lr, momentum: 0.5, weightDecay: 1e-4,
    burnIn: 20, samples: 10, thin: 2, seed: o.seed, instanceSeed: o.seed,
  }, start);
  for (const v of [...r.model.ew, ...r.model.h]) if (!Number.isFinite(v)) throw new InputError("--lr", undefined, "training diverged (a weight is no longer finite); lower the learning rate");
  const exact = boltzmann(model);
  const mapped = mapIsing(r.model, "the distilled model", window, window.schedule);
  let quality: Record<string, unknown>;
  if (topology.size <= MAX_ENUMERATE) {
    quality = {
      method: "exact: the visible law of the distilled model as quantised onto the chip, by enumeration of the window",
      tv: tv(exact, visibleLaw(mapped.effective(), visible)),
      tv_float: tv(exact, visibleLaw(r.model, visible)),
      tv_start: tv(exact, visibleLaw(start, visible)),
    };
  } else {
    const s = sampledVisibleLaw(window, r.model, visible, { chains: 8, samples: 5000, burnIn: 500, thin: 5, instanceSeed: o.seed });
    quality = { method: `sampled: the visible states of 8 free chains x 5,000 draws on the chip instance (the window has ${topology.size} p-bits, enumerated only up to ${MAX_ENUMERATE})`, tv: tv(exact, s.law), draws: s.draws };
  }
  return {
    model: { ...r.model, name: `${modelFile} distilled onto ${window.name}` },
    visible,
    counts: r.counts,
    chipSeconds: r.chipSeconds,
    updates: r.updates,
    report: {
      pbits: topology.size,
      hidden: topology.size - model.n,
      couplings: r.model.ei.length,
      quality,
      weight_rms_error: mapped.report.weights.relative_rms_error,
      training: { iterations: o.iterations, rows: o.rows, batch: o.batch, chains: o.chains, lr: o.lr, data: "exact draws of the model (enumeration)" },
    },
  };
}

/** A saved distillation, read back for a run: the Boltzmann machine on the window and where the model's variables sit. */
export interface DistilledInputs {
  file: string;
  chip: string;
  visible: Int32Array;
  /** The distilled Ising model on the window's p-bits, and the window chip spec (its `extends` merged). */
  model: IsingModel;
  modelFile: string;
  windowDoc: Record<string, unknown>;
  windowFile: string;
  /** The exact (or sampled) distance of the distilled law from the model, as map measured it. */
  quality: Record<string, unknown>;
}

const DISTILL_KEYS = new Set(["format", "version", "model", "model_sha256", "variables", "chip", "window", "visible", "files", "sampler", "seed", "pbits", "hidden", "couplings", "quality", "weight_rms_error", "training", "training_cost", "wall_seconds", "units"]);

/** SHA-256 of a model file's bytes: a distilled mapping names the model it was made for. */
export function fileSha256(file: string): string {
  return createHash("sha256").update(readFileSync(file)).digest("hex");
}

/**
 * Read DIR/distill.json (and the model.json and chip.yaml beside it),
 * checked against the model asked for: same file contents (sha256), same
 * number of variables, visible p-bits on the window.
 */
export function readDistilled(file: string, modelFile: string, modelN: number): DistilledInputs {
  const doc = parseJsonStrict(readCappedText(file, LIMITS.model), file) as Record<string, unknown>;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InputError(file, undefined, "must be a JSON object (a distill.json written by thermosim map)");
  for (const k of Object.keys(doc)) if (!DISTILL_KEYS.has(k)) throw new InputError(file, k, "is not a field of a distill.json");
  if (doc.format !== DISTILLED_FORMAT) throw new InputError(file, "format", `must be "${DISTILLED_FORMAT}"`);
  if (doc.version !== 1) throw new InputError(file, "version", "must be 1");
  if (typeof doc.chip !== "string") throw new InputError(file, "chip", "must name the chip the model was distilled onto");
  if (doc.model_sha256 !== fileSha256(modelFile)) throw new InputError(file, "model_sha256", `was distilled from another model than ${modelFile} (its contents differ); run thermosim map on this model`);
  if (doc.variables !== modelN) throw new InputError(file, "variables", `is ${JSON.stringify(doc.variables)}; ${modelFile} has ${modelN} variables`);
  const files = doc.files as Record<string, unknown> | undefined;
  if (!files || typeof files.model !== "string" || typeof files.chip !== "string") throw new InputError(file, "files", "must name the distilled model and chip files");
  const dir = dirname(file);
  const distilledFile = join(dir, files.model);
  const windowFile = join(dir, files.chip);
  const model = loadModel(distilledFile);
  if (model.kind !== "ising") throw new InputError(distilledFile, "kind", "must be the distilled Ising model");
  const visible = doc.visible;
  if (!Array.isArray(visible) || visible.length !== modelN) throw new InputError(file, "visible", `must list ${modelN} p-bits, one per variable`);
  visible.forEach((p, k) => {
    if (!Number.isInteger(p) || p < 0 || p >= model.n) throw new InputError(file, `visible[${k}]`, `is ${JSON.stringify(p)}, not a p-bit of the window (0 .. ${model.n - 1})`);
  });
  if (new Set(visible).size !== visible.length) throw new InputError(file, "visible", "names a p-bit twice");
  return {
    file, chip: doc.chip, visible: Int32Array.from(visible as number[]), model, modelFile: distilledFile,
    windowDoc: loadChipDocument(windowFile), windowFile, quality: (doc.quality ?? {}) as Record<string, unknown>,
  };
}
