/**
 * Where a model's variables go on a p-bit chip: identity placement when the
 * model's graph is already part of the chip's (spin i on p-bit i), otherwise
 * a minor-embedding -- given in a file, pinned by the main thread, or found
 * here -- and the embedded model mapped in its place.
 */
import type { IsingModel } from "../models/ising.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { csrFromEdges } from "../chips/graph.js";
import { InputError } from "../errors.js";
import { chipTopology, identityMisfit, mapIsing, type PbitMapping } from "./pbit.js";
import { DEFAULT_EMBED, findEmbedding } from "./embed.js";
import { checkChains, embedIsing, keptLaw, logicalView, MAX_PUSHFORWARD, readoutLaw, type Embedded, type Readout, type ReadoutLaw } from "./embedding.js";
import { boltzmann, totalVariation } from "../models/enumerate.js";
import { LAW_CHECK_MAX_SPINS } from "../metrics/traces.js";

/** Chains fixed before the job is built (read from a file, or found once on the main thread). */
export interface PinnedEmbedding {
  chains: ArrayLike<number>[];
  /** Where they came from, for the report. */
  how: string;
  /** The file they were read from (errors name it). */
  file?: string;
  /** What the file says the chains were found on: a chip whose topology differs is refused. */
  madeFor?: { chip: string; topology: string };
  /** `--chain-strength auto`: the strength chosen once on the main thread, and the ladder behind it. */
  strength?: { value: number; report: Record<string, unknown> };
}

export interface EmbeddingInfo {
  embedded: Embedded;
  chains: Int32Array[];
  how: string;
  /** Exact law of the read-out (logical) states, when the physical model is small enough. */
  readout?: ReadoutLaw;
  /** Exact law of the discard read-out (the realised logical model), when the logical model is small enough: any number of p-bits. */
  kept?: Float64Array;
}

export interface Placed {
  mapping: PbitMapping;
  embedding?: EmbeddingInfo;
}

/**
 * A chain's ferromagnetic coupling: a number (model energy units), `utc` (the
 * default) or `auto` (pilot chains over a ladder, systems/chain-strength.ts).
 */
export type ChainStrength = number | "utc" | "auto";

/**
 * D-Wave's default chain strength, uniform torque compensation
 * (dwave-system's `uniform_torque_compensation`, prefactor 1.414): 1.414 x
 * the rms coupling x sqrt(the mean degree) -- what a variable's couplings
 * typically pull with, not the worst case. 1 for a model without couplings.
 */
export function utcChainStrength(model: IsingModel): { value: number; rms: number; meanDegree: number } {
  const m = model.ei.length;
  if (m === 0 || model.n === 0) return { value: 1, rms: 0, meanDegree: 0 };
  let sq = 0;
  for (const w of model.ew) sq += w * w;
  const rms = Math.sqrt(sq / m);
  const meanDegree = (2 * m) / model.n;
  const value = 1.414 * rms * Math.sqrt(meanDegree);
  return { value: value > 0 ? value : 1, rms, meanDegree };
}

/** The worst-case bound: 1.5 x the largest total field a logical variable can feel (no field alone breaks a chain); it freezes chains when sampling, so it is no longer the default. */
export function worstCaseChainStrength(model: IsingModel): number {
  const reach = new Float64Array(model.n);
  for (let i = 0; i < model.n; i++) reach[i] = Math.abs(model.h[i]);
  for (let k = 0; k < model.ei.length; k++) {
    reach[model.ei[k]] += Math.abs(model.ew[k]);
    reach[model.ej[k]] += Math.abs(model.ew[k]);
  }
  let max = 0;
  for (const r of reach) max = Math.max(max, r);
  return max > 0 ? 1.5 * max : 1;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Error of the couplings (or biases) the chip realises against the logical ones, in model units. */
function errorStats(orig: Float64Array, real: Float64Array): { max_abs_error: number; rms_error: number; relative_rms_error: number } {
  let se = 0;
  let so = 0;
  let max = 0;
  for (let k = 0; k < orig.length; k++) {
    const d = real[k] - orig[k];
    se += d * d;
    so += orig[k] * orig[k];
    max = Math.max(max, Math.abs(d));
  }
  const m = Math.max(1, orig.length);
  return { max_abs_error: max, rms_error: Math.sqrt(se / m), relative_rms_error: so > 0 ? Math.sqrt(se / so) : 0 };
}

export function placeIsing(
  model: IsingModel, modelFile: string, spec: PbitSpec, schedule: Schedule,
  opts: { seed: number; chainStrength?: number | "utc"; strengthHow?: string; pinned?: PinnedEmbedding; strengthOnlyIfEmbedded?: boolean; embedBudget?: number; readout?: Readout },
): Placed {
  const { topology } = chipTopology(model, modelFile, spec);
  const misfit = identityMisfit(model, topology);
  if (opts.pinned === undefined && misfit === -1) {
    if (opts.chainStrength !== undefined && !opts.strengthOnlyIfEmbedded) throw new InputError("--chain-strength", undefined, `the model sits on chip ${spec.name} as it is (identity placement): there are no chains to couple`);
    return { mapping: mapIsing(model, modelFile, spec, schedule) };
  }
  const fixed = spec.topology.impl === "model" || spec.topology.impl === "programmable";
  if (fixed) return { mapping: mapIsing(model, modelFile, spec, schedule) }; // reports the misfit
  if (model.n > topology.size) {
    throw new InputError(modelFile, "n", `the model has ${model.n} variables but chip ${spec.name} has ${topology.size} p-bits (${topology.describe()}); an embedding needs at least one p-bit per variable`);
  }
  let chains: ArrayLike<number>[];
  let how: string;
  if (opts.pinned) {
    const made = opts.pinned.madeFor;
    if (made && made.topology !== topology.describe()) {
      throw new InputError(opts.pinned.file ?? "--embedding", "topology", `the chains were found on chip ${made.chip} (${made.topology}); chip ${spec.name} is ${topology.describe()}`);
    }
    checkChains(opts.pinned.chains, model, topology, opts.pinned.file ?? "--embedding");
    chains = opts.pinned.chains;
    how = opts.pinned.how;
  } else {
    const found = findEmbedding(csrFromEdges(model.n, model.ei, model.ej), topology, { seed: opts.seed, ...DEFAULT_EMBED, ...(opts.embedBudget !== undefined ? { budget: opts.embedBudget } : {}) });
    if (!found.chains) {
      const why = misfit >= 0 ? `coupling (${model.ei[misfit]}, ${model.ej[misfit]}) is not a chip edge, so spin i cannot sit on p-bit i` : "identity placement does not fit";
      throw new InputError(modelFile, undefined, `cannot be placed on chip ${spec.name} (${topology.describe()}): ${why}, and no minor-embedding was found (${found.tried.join("; ")}; seed ${opts.seed}); try another --seed, a chip with more p-bits or connections, or a sparser model`);
    }
    checkChains(found.chains, model, topology, "the embedding search"); // a bug if it fails
    chains = found.chains;
    how = `found by the embedding search (seed ${opts.seed}): ${found.tried.at(-1)}`;
  }
  const utc = utcChainStrength(model);
  const strength = typeof opts.chainStrength === "number" ? opts.chainStrength : utc.value;
  const embedded = embedIsing(model, chains, strength, topology);
  const physical = embedded.physical;
  const mapping = mapIsing(physical, modelFile, spec, schedule, {
    phys: embedded.phys, topology, name: "minor-embedding",
    graph: () => csrFromEdges(physical.n, physical.ei, physical.ej),
  });
  const ordered = Array.from(chains, (c) => Int32Array.from(c).sort());
  const info: EmbeddingInfo = { embedded, chains: ordered, how };
  if (physical.n <= MAX_PUSHFORWARD && model.n <= LAW_CHECK_MAX_SPINS) info.readout = readoutLaw(embedded, mapping.effective());
  if (model.n <= LAW_CHECK_MAX_SPINS) info.kept = keptLaw(embedded, mapping.effective());
  const lengths = ordered.map((c) => c.length);
  const view = logicalView(embedded, mapping.effective());
  const r = mapping.report as unknown as Record<string, unknown>;
  delete r.quantisation_tv; // of the physical model; readout_tv below is the distance that matters
  r.embedding = {
    variables: model.n,
    pbits: physical.n,
    chain_length_max: Math.max(...lengths),
    chain_length_mean: lengths.reduce((a, b) => a + b, 0) / Math.max(1, lengths.length),
    chain_length_median: median(lengths),
    // How many chains have each length (index = length).
    chain_length_histogram: Array.from({ length: Math.max(...lengths) + 1 }, (_, k) => lengths.filter((l) => l === k).length),
    chain_strength: strength,
    chain_strength_source: typeof opts.chainStrength === "number"
      ? opts.strengthHow ?? "--chain-strength"
      : `utc (the default): uniform torque compensation, 1.414 x rms coupling ${utc.rms.toPrecision(4)} x sqrt(mean degree ${utc.meanDegree.toPrecision(4)}) (D-Wave's default, dwave-system)`,
    chain_strength_worst_case: worstCaseChainStrength(model),
    chain_couplings: embedded.chainCouplings,
    // Every chain a single p-bit: no chain couplings, nothing realised (not NaN).
    chain_strength_realised: embedded.chainCouplings > 0 ? { min: view.chainMin, max: view.chainMax } : null,
    logical_weights: errorStats(model.ew, view.logical.ew),
    logical_biases: errorStats(model.h, view.logical.h),
    how,
    // The exact distance of what the chip's read-out gives from the logical law (enumeration):
    // discard from the logical states alone, majority (and the break rates) from the physical ones.
    ...readoutReport(model, opts.readout ?? "discard", info),
  };
  return { mapping, embedding: info };
}

function readoutReport(model: IsingModel, readout: Readout, info: EmbeddingInfo): Record<string, number> {
  const exact = info.kept || info.readout ? boltzmann(model) : undefined;
  const out: Record<string, number> = {};
  if (info.kept) out.readout_tv_discard = totalVariation(exact!, info.kept);
  if (info.readout) {
    out.readout_tv_majority = totalVariation(exact!, info.readout.p);
    out.readout_break_rate = info.readout.breakRate;
    out.readout_row_discard_rate = info.readout.rowBreakRate;
  }
  const chosen = readout === "discard" ? out.readout_tv_discard : out.readout_tv_majority;
  return chosen === undefined ? out : { readout_tv: chosen, ...out };
}
