/**
 * Ising model -> p-bit chip. Placement is the identity (variable i on p-bit
 * i), which fits when the model's graph is a subgraph of the chip's topology;
 * general embedding comes later. Then colour classes, quantisation and the
 * activation table.
 */
import type { IsingModel } from "../models/ising.js";
import { csrFromEdges, type Csr } from "../chips/graph.js";
import { checkColouring, dsatur } from "../chips/colouring.js";
import type { Topology } from "../chips/topology/index.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { phaseCycles } from "../chips/pbit/spec.js";
import { lutTable } from "../chips/pbit/activation.js";
import { maxAbsOf } from "../chips/pbit/numerics.js";
import { quantiseIsing, type QuantStats } from "./quantise.js";
import { InputError } from "../errors.js";
import { boltzmann, totalVariation } from "../models/enumerate.js";

export interface PbitMapping {
  n: number;
  /** Physical p-bit of each model variable. */
  phys: Int32Array;
  /** Hardware fan-in of each variable's p-bit (MACs per update). */
  fanIn: Int32Array;
  /** Model graph over variables, with chip-unit weights per CSR entry. */
  csr: Csr;
  w: Float64Array;
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
  /** Accumulator LSB in chip units (code path: weights are stored as w / accLsb). */
  accLsb: number;
  colour: Int32Array;
  classes: number;
  /** Physical p-bits on the chip, gated ones included. */
  chipSize: number;
  /** Clock cycles per colour phase (and per synchronous sweep). */
  cyclesPerPhase: number;
  topology: Topology;
  effective: IsingModel;
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
}

export function mapIsing(model: IsingModel, modelFile: string, spec: PbitSpec, schedule: Schedule): PbitMapping {
  const csr = csrFromEdges(model.n, model.ei, model.ej);
  const topology = spec.topology.build(csr, modelFile);
  if (model.n > topology.size) {
    throw new InputError(modelFile, "n", `the model has ${model.n} spins but chip ${spec.name} has ${topology.size} p-bits (${topology.describe()})`);
  }
  // Identity placement: every coupling must be a chip edge.
  for (let k = 0; k < model.ei.length; k++) {
    if (!topology.hasEdge(model.ei[k], model.ej[k])) {
      throw new InputError(modelFile, `J[${k}]`, `coupling (${model.ei[k]}, ${model.ej[k]}) is not an edge of chip ${spec.name} (${topology.describe()}); under identity placement spin i sits on p-bit i`);
    }
  }
  const phys = new Int32Array(model.n);
  const fanIn = new Int32Array(model.n);
  for (let i = 0; i < model.n; i++) {
    phys[i] = i;
    fanIn[i] = topology.degree(i);
  }

  let colour: Int32Array;
  let classes: number;
  if (spec.colouring === "natural") {
    const nat = topology.naturalColouring;
    if (!nat) {
      throw new InputError(spec.file, "colouring", `"natural" needs a topology with a built-in proper colouring, and ${topology.describe()} has none (an offset with even dx+dy, or an odd-sized torus); use dsatur`);
    }
    colour = new Int32Array(model.n);
    for (let i = 0; i < model.n; i++) colour[i] = nat.colour(phys[i]);
    classes = nat.classes;
  } else {
    ({ colour, classes } = dsatur(csr));
    if (model.n === 0) classes = 1;
  }
  if (schedule === "chromatic") checkColouring(csr, colour, spec.file, "colouring");

  const q = quantiseIsing(model, spec.numerics);
  const w = new Float64Array(csr.nbr.length);
  for (let e = 0; e < w.length; e++) w[e] = q.w[csr.edge[e]];

  const acc = spec.numerics.accumulator;
  const accMax = maxAbsOf(acc);
  let lut: PbitMapping["lut"];
  const act = spec.activation;
  if (act.impl === "lut") {
    const accLsb = acc.format === "fixed" ? acc.lsb : NaN;
    const step = act.step === "auto" ? q.gain * accLsb : act.step;
    const entries = act.entries === "auto" ? Math.round(accMax / accLsb) + 1 : act.entries;
    if (!(step > 0) || !Number.isFinite(step)) {
      throw new InputError(spec.file, "activation.step", `resolves to ${step} for this model (gain ${q.gain}); give an explicit step`);
    }
    lut = { step, entries, table: lutTable(step, entries, act.compareBits) };
  }

  let canSaturate = 0;
  let worstInput = 0;
  for (let i = 0; i < model.n; i++) {
    let worst = Math.abs(q.h[i]);
    for (let e = csr.off[i]; e < csr.off[i + 1]; e++) worst += Math.abs(w[e]);
    if (worst > accMax) canSaturate++;
    worstInput = Math.max(worstInput, worst);
  }

  // The integer path reproduces the float LUT path bit for bit when every
  // weight and bias is a whole number of accumulator LSBs.
  let evaluator: PbitMapping["evaluator"] = act.impl === "exact" ? "exact" : "lut";
  const accLsb = acc.format === "fixed" ? acc.lsb : NaN;
  if (
    act.impl === "lut" && act.step === "auto" && act.entries === "auto" && acc.format === "fixed" &&
    spec.mismatch.gainSigma === 0 && spec.mismatch.offsetSigma === 0 &&
    worstInput / accLsb < 2 ** 30 && Number.isInteger(accMax / accLsb) &&
    [...q.w, ...q.h].every((v) => Number.isInteger(v / accLsb))
  ) {
    evaluator = "code-lut";
  }

  const chipSize = spec.topology.impl === "model" || spec.topology.impl === "programmable" ? model.n : topology.size;
  const report: MappingReport = {
    placement: "identity",
    topology: topology.describe(),
    chip_pbits: chipSize,
    active_pbits: model.n,
    colour_classes: classes,
    evaluator,
    gain: q.gain,
    weights: q.weights,
    biases: q.biases,
    accumulator_can_saturate: canSaturate,
  };
  if (model.n <= 16 && spec.numerics.weights.format === "fixed") {
    report.quantisation_tv = totalVariation(boltzmann(model), boltzmann(q.effective));
  }
  return {
    n: model.n, phys, fanIn, csr, w, h: q.h, gain: q.gain, accMax, lut, evaluator, accLsb, colour, classes, chipSize,
    cyclesPerPhase: phaseCycles(spec, topology.maxDegree), topology, effective: q.effective, report,
  };
}
