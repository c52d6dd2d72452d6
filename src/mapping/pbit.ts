/**
 * Ising model -> p-bit chip. Placement is the identity (variable i on p-bit
 * i), which fits when the model's graph is a subgraph of the chip's topology;
 * general embedding comes later. Then colour classes, quantisation and the
 * activation table. Works on the model's edge list: an adjacency structure is
 * built only when a model-defined topology or DSATUR needs one, so a
 * million-p-bit model is not copied several times over.
 */
import type { IsingModel } from "../models/ising.js";
import { csrFromEdges, type Csr } from "../chips/graph.js";
import { checkColouringEdges, dsatur } from "../chips/colouring.js";
import type { Topology } from "../chips/topology/index.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { phaseCycles } from "../chips/pbit/spec.js";
import { lutTable } from "../chips/pbit/activation.js";
import { maxAbsOf } from "../chips/pbit/numerics.js";
import { quantiseIsing, type QuantStats } from "./quantise.js";
import { InputError } from "../errors.js";
import { boltzmann, totalVariation } from "../models/enumerate.js";

/** Largest activation table (as for explicit `entries`): 8 MiB of thresholds. */
export const MAX_LUT_ENTRIES = 1 << 20;

export interface PbitMapping {
  n: number;
  model: IsingModel;
  /** Physical p-bit of each model variable. */
  phys: Int32Array;
  /** Hardware fan-in of each variable's p-bit (MACs per update). */
  fanIn: Int32Array;
  /** Couplings per variable in the model. */
  degree: Int32Array;
  /** Chip-unit coupling k (model coupling order), on demand; chip-unit biases. */
  weight(k: number): number;
  h: Float64Array;
  gain: number;
  /** Accumulator saturation in chip units (Infinity for float64). */
  accMax: number;
  lut?: { step: number; entries: number; table: BigUint64Array };
  /**
   * How the kernel evaluates a p-bit: float64 with the exact logistic or a LUT
   * over x, or integer codes with a LUT indexed by the accumulator code (a
   * digital p-bit; needs a fixed-point accumulator, an auto LUT, no mismatch).
   */
  evaluator: "exact" | "lut" | "code-lut";
  /** Code path: bytes per stored weight code (the narrowest that holds the format). */
  codeBytes: 1 | 2 | 4;
  /** Accumulator LSB in chip units (code path: weights are stored as w / accLsb). */
  accLsb: number;
  colour: Int32Array;
  classes: number;
  /** Physical p-bits on the chip, gated ones included. */
  chipSize: number;
  /** Clock cycles per colour phase (and per synchronous sweep). */
  cyclesPerPhase: number;
  topology: Topology;
  /** What the chip samples (dequantised model, no mismatch), built on demand. */
  effective(): IsingModel;
  report: MappingReport;
}

export interface MappingReport {
  placement: string;
  topology: string;
  chip_pbits: number;
  active_pbits: number;
  colour_classes: number;
  evaluator: string;
  gain: number;
  weights: QuantStats;
  biases: QuantStats;
  /** P-bits whose largest possible input exceeds the accumulator range. */
  accumulator_can_saturate: number;
  /** TV distance between the model and what the chip samples (small models only). */
  quantisation_tv?: number;
  warnings: string[];
}

/** Weights or biases beyond the chip's range are clipped: the chip samples another model. Say so. */
function rangeWarnings(spec: PbitSpec, q: ReturnType<typeof quantiseIsing>, couplings: number, n: number, canSaturate: number): string[] {
  const out: string[] = [];
  const num = spec.numerics;
  const gainNote = num.gain.impl === "fixed" ? `the chip's fixed gain ${num.gain.value}` : `gain ${Number(q.gain.toPrecision(4))} (the programmable range ends at ${q.gain <= num.gain.min ? num.gain.min : num.gain.max})`;
  for (const [what, stats, total, f] of [["couplings", q.weights, couplings, num.weights], ["biases", q.biases, n, num.biases]] as const) {
    if (stats.saturated > 0 && f.format === "fixed") {
      const all = stats.saturated === total ? "all " : "";
      out.push(`${all}${stats.saturated} of ${total} ${what} exceed the chip's range (+-${f.maxAbs} in chip units at ${gainNote}) and were clipped: the chip samples a different model (max error ${stats.max_abs_error.toPrecision(3)} in model units)`);
    }
  }
  if (canSaturate > 0 && num.accumulator.format === "fixed") {
    // Past saturation P(+1) stays at sigmoid(2 g accMax) instead of going to 1.
    const err = 1 / (1 + Math.exp(2 * q.gain * num.accumulator.maxAbs));
    if (err > 1e-4) out.push(`the inputs of ${canSaturate} p-bits can exceed the accumulator's range (+-${num.accumulator.maxAbs}); saturated, their P(+1) can be off by up to ${err.toPrecision(2)}`);
  }
  return out;
}

/** The chip's topology for this model (model-defined topologies are built from its graph). */
export function chipTopology(model: IsingModel, modelFile: string, spec: PbitSpec): { topology: Topology; graph: () => Csr } {
  let csr: Csr | undefined;
  const graph = () => (csr ??= csrFromEdges(model.n, model.ei, model.ej));
  return { topology: spec.topology.build(graph, modelFile), graph };
}

/** Does identity placement (spin i on p-bit i) hold the model? The first coupling that is not a chip edge, or -1. */
export function identityMisfit(model: IsingModel, topology: Topology): number {
  if (model.n > topology.size) return -2;
  for (let k = 0; k < model.ei.length; k++) if (!topology.hasEdge(model.ei[k], model.ej[k])) return k;
  return -1;
}

/**
 * Map `model` onto the chip with variable i on p-bit `placement.phys[i]`
 * (identity when no placement is given; an embedded model's physical
 * variables sit on their chain p-bits).
 */
export function mapIsing(model: IsingModel, modelFile: string, spec: PbitSpec, schedule: Schedule, placement?: { phys: Int32Array; topology: Topology; graph: () => Csr; name: string }): PbitMapping {
  const { n, ei, ej } = model;
  const { topology, graph } = placement ?? chipTopology(model, modelFile, spec);
  if (n > topology.size) {
    throw new InputError(modelFile, "n", `the model has ${n} spins but chip ${spec.name} has ${topology.size} p-bits (${topology.describe()})`);
  }
  const phys = placement?.phys ?? Int32Array.from({ length: n }, (_, i) => i);
  // Every coupling must be a chip edge between the placed p-bits.
  for (let k = 0; k < ei.length; k++) {
    if (!topology.hasEdge(phys[ei[k]], phys[ej[k]])) {
      throw new InputError(modelFile, `J[${k}]`, `coupling (${ei[k]}, ${ej[k]}) is not an edge of chip ${spec.name} (${topology.describe()}); under identity placement spin i sits on p-bit i`);
    }
  }
  const fanIn = new Int32Array(n);
  const degree = new Int32Array(n);
  for (let i = 0; i < n; i++) fanIn[i] = topology.degree(phys[i]);
  for (let k = 0; k < ei.length; k++) {
    degree[ei[k]]++;
    degree[ej[k]]++;
  }

  let colour: Int32Array;
  let classes: number;
  if (spec.colouring === "natural") {
    const nat = topology.naturalColouring;
    if (!nat) {
      throw new InputError(spec.file, "colouring", `"natural" needs a topology with a built-in proper colouring, and ${topology.describe()} has none (an offset with even dx+dy, or an odd-sized torus); use dsatur`);
    }
    colour = new Int32Array(n);
    for (let i = 0; i < n; i++) colour[i] = nat.colour(phys[i]);
    classes = nat.classes;
  } else {
    ({ colour, classes } = dsatur(graph()));
    classes = Math.max(1, classes);
  }
  if (schedule === "chromatic") checkColouringEdges(ei, ej, colour, spec.file, "colouring");

  const q = quantiseIsing(model, spec.numerics);
  const acc = spec.numerics.accumulator;
  const accMax = maxAbsOf(acc);
  const accLsb = acc.format === "fixed" ? acc.lsb : NaN;
  let lut: PbitMapping["lut"];
  const act = spec.activation;
  if (act.impl === "lut") {
    const step = act.step === "auto" ? q.gain * accLsb : act.step;
    const entries = act.entries === "auto" ? Math.round(accMax / accLsb) + 1 : act.entries;
    if (!(entries <= MAX_LUT_ENTRIES)) {
      throw new InputError(spec.file, "activation.entries", `"auto" follows the accumulator code and gives ${Number.isFinite(entries) ? entries : "unbounded"} entries here (a ${acc.format === "fixed" ? `${acc.bits}-bit` : "float64"} accumulator); a p-bit table holds at most ${MAX_LUT_ENTRIES}: give step and entries`);
    }
    if (!(step > 0) || !Number.isFinite(step)) {
      throw new InputError(spec.file, "activation.step", `resolves to ${step} for this model (gain ${q.gain}); give an explicit step`);
    }
    lut = { step, entries, table: lutTable(step, entries, act.compareBits, act.comparator === "sign-magnitude") };
  }

  // Worst-case input per p-bit: can the accumulator saturate?
  const worst = new Float64Array(n);
  for (let i = 0; i < n; i++) worst[i] = Math.abs(q.h[i]);
  let weightsOnGrid = true;
  let maxCode = 0;
  for (let k = 0; k < ei.length; k++) {
    const wk = q.weight(k);
    const a = Math.abs(wk);
    worst[ei[k]] += a;
    worst[ej[k]] += a;
    if (weightsOnGrid && !Number.isInteger(wk / accLsb)) weightsOnGrid = false;
    maxCode = Math.max(maxCode, a / accLsb);
  }
  let canSaturate = 0;
  let worstInput = 0;
  for (let i = 0; i < n; i++) {
    if (worst[i] > accMax) canSaturate++;
    worstInput = Math.max(worstInput, worst[i]);
  }

  // The integer path reproduces the float LUT path bit for bit when every
  // weight and bias is a whole number of accumulator LSBs.
  let evaluator: PbitMapping["evaluator"] = act.impl === "exact" ? "exact" : "lut";
  if (
    act.impl === "lut" && act.step === "auto" && act.entries === "auto" && acc.format === "fixed" &&
    spec.mismatch.gainSigma === 0 && spec.mismatch.offsetSigma === 0 &&
    worstInput / accLsb < 2 ** 30 && Number.isInteger(accMax / accLsb) && weightsOnGrid &&
    q.h.every((v) => Number.isInteger(v / accLsb))
  ) {
    evaluator = "code-lut";
  }
  const codeBytes = maxCode <= 127 ? 1 : maxCode <= 32767 ? 2 : 4;

  const chipSize = spec.topology.impl === "model" || spec.topology.impl === "programmable" ? n : topology.size;
  const report: MappingReport = {
    placement: placement?.name ?? "identity",
    topology: topology.describe(),
    chip_pbits: chipSize,
    active_pbits: n,
    colour_classes: classes,
    evaluator,
    gain: q.gain,
    weights: q.weights,
    biases: q.biases,
    accumulator_can_saturate: canSaturate,
    warnings: [],
  };
  if (n <= 16 && spec.numerics.weights.format === "fixed") {
    report.quantisation_tv = totalVariation(boltzmann(model), boltzmann(q.effective()));
  }
  report.warnings = rangeWarnings(spec, q, ei.length, n, canSaturate);
  return {
    n, model, phys, fanIn, degree, weight: q.weight, h: q.h, gain: q.gain, accMax, lut, evaluator, codeBytes, accLsb, colour, classes, chipSize,
    cyclesPerPhase: phaseCycles(spec, topology.maxDegree), topology, effective: q.effective, report,
  };
}
