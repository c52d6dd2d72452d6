/**
 * The analog Langevin chip family as a system: a Gaussian model or a noisy
 * Hopfield network mapped onto an RC/noise circuit, run by the Langevin
 * kernel, priced by the chip's technology table (converters per step).
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { resolvedLangevinSpec } from "../chips/langevin/spec.js";
import { mapGaussian, type LangevinMapping } from "../mapping/langevin.js";
import { mapHopfield } from "../mapping/hopfield.js";
import { lawWarnings, predictLaw } from "../chips/langevin/law.js";
import { runLangevin, planLangevinBytes } from "../chips/langevin/driver.js";
import { LANGEVIN_ACTIONS } from "../chips/langevin/actions.js";
import { mixingCheck } from "../run/checks.js";
import { InputError } from "../errors.js";
import type { GaussianModel } from "../models/gaussian.js";
import { clampedRuns, clampValues, type Clamp } from "../run/clamp.js";
import { holdVolts, type Hold } from "../mapping/langevin.js";
import { chipSystem } from "./info.js";

export function langevinJob(spec: LangevinSpec, model: Model, req: SampleRequest, clamp?: Clamp): Job {
  const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour };
  if (model.kind === "ising") throw new InputError(req.modelFile, "kind", `chip ${spec.name} is an analog Langevin chip and samples Gaussian and Hopfield models; this model is ising`);
  if (req.schedule) throw new InputError("--schedule", undefined, `applies to p-bit chips; ${spec.name} is an analog Langevin chip`);
  const mapping: LangevinMapping = model.kind === "gaussian" ? mapGaussian(model, req.modelFile, spec, req.seed) : mapHopfield(model, req.modelFile, spec, req.seed);
  const warnings = [...mapping.warnings];
  // A clamp: the chip programmed as above, then each condition's nodes held (mapping/langevin.ts).
  const held = clamp && model.kind === "gaussian" ? heldConditions(spec, model, req, clamp) : undefined;
  if (clamp && !held) throw new InputError("--clamp", undefined, `chip ${spec.name} clamps Gaussian models only; this model is ${model.kind}`);
  const lawOf = held ? held.mapping(0) : mapping;
  if (held) {
    mapping.report.clamp = { ...held.summary, condition_0: lawOf.report };
    warnings.push(...lawOf.warnings.map((w) => `condition 0: ${w}`));
  }
  if (lawOf.law) {
    // What this run will show: the chip's law against the model's (with a clamp, condition 0's conditional law), at this run's Monte Carlo resolution.
    const p = predictLaw(lawOf.law, req);
    lawOf.report.law_check = {
      predicted_covariance_relative_error: p.covarianceRelativeError,
      predicted_mean_error_sd: p.meanErrorSd,
      predicted_max_z: p.maxZ,
      predicted_worst: p.worst,
      predicted_min_ess: Math.min(...p.ess),
      predicted_max_iat_readouts: Math.max(...p.iat),
      start_bias_max_sd: Math.max(...Array.from(p.startBias, (b, i) => Math.abs(b) / Math.sqrt(p.cov[i * p.startBias.length + i]))),
    };
    warnings.push(...lawWarnings(p, req, spec.readout.interval));
  }
  // Converter energy is priced per conversion step (Walden FoM x 2^bits): counted here from the bits.
  const dacBits = spec.encoding === "capacitance" && model.kind === "gaussian" ? spec.capacitor.bits : spec.conductance.bits;
  const steps = (count: number, bits: number) => (bits > 0 ? count * 2 ** bits : 0);
  return {
    model, system: chipSystem(spec), actions: LANGEVIN_ACTIONS, once: ["dac_writes", "dac_write_steps"], summed: ["integrator_steps", "rail_clips", "adc_clips"],
    derived: (c) => ({
      dac_write_steps: steps(c.dac_writes, dacBits), adc_conversion_steps: steps(c.adc_conversions, spec.readout.adcBits),
      clamp_write_steps: steps(c.clamp_writes ?? 0, spec.readout.adcBits),
    }),
    perSecond: { amplifier_seconds: mapping.amplifiers, noise_source_seconds: mapping.noiseSources },
    report: mapping.report, warnings, extra: { readout_interval_s: spec.readout.interval },
    dtype: "float64",
    afterRun: (run) => {
      const out: string[] = [];
      const d = run.diagnostics;
      const nodeSteps = d.integrator_steps * (model.n - (clamp?.index.length ?? 0));
      if (d.rail_clips > 0) out.push(`${d.rail_clips} of ${nodeSteps} node voltage steps hit the ${spec.amplifier.rail} V supply rails and were clipped: the samples' tails beyond the rails are cut`);
      if (d.adc_clips > 0) out.push(`${d.adc_clips} of ${run.counts.adc_conversions} read-outs were beyond the ADC's full scale (+-${spec.amplifier.rail} V) and read as full scale`);
      // Linear circuits had their mixing predicted exactly; the others are measured.
      const mixing = mixingCheck(run, lawOf.law ? undefined : req);
      out.push(...mixing.warnings);
      return { warnings: out, diagnostics: mixing.diagnostics };
    },
    countsPerSweep: Math.max(mapping.stepsPerSweep, model.n),
    kernelBytes: (rows) => planLangevinBytes(mapping, rows),
    resolved: () => resolvedLangevinSpec(spec),
    runChains: held
      ? clampedRuns(clamp!, model.n, req.samples, ["integrator_steps", "rail_clips", "adc_clips"],
        (k, first, count, sink) => runLangevin(spec, held.mapping(k), { ...opts, chains: count, firstChain: first, sink }))
      : (first, count, sink) => runLangevin(spec, mapping, { ...opts, chains: count, firstChain: first, sink }),
  };
}

/**
 * Each condition's held circuit, built when first run (only the held voltages
 * differ between conditions). Every condition's voltages are checked up front
 * against the rails, so a bad clamp file is refused before anything runs.
 */
function heldConditions(spec: LangevinSpec, model: GaussianModel, req: SampleRequest, clamp: Clamp) {
  const hold = (k: number): Hold => ({ index: clamp.index, values: clampValues(clamp, k * clamp.chains), file: clamp.file, condition: k });
  // Conditions run in order: keep condition 0 (the reported one) and the latest.
  const first = mapGaussian(model, req.modelFile, spec, req.seed, hold(0));
  let last = { k: 0, mp: first };
  const mappingOf = (k: number) => {
    if (k === 0) return first;
    if (last.k !== k) last = { k, mp: mapGaussian(model, req.modelFile, spec, req.seed, hold(k)) };
    return last.mp;
  };
  let maxError = 0;
  for (let k = 0; k < clamp.conditions; k++) maxError = Math.max(maxError, holdVolts(hold(k), mappingOf(0).vScale, spec).maxError);
  return {
    mapping: mappingOf,
    summary: {
      conditions: clamp.conditions, chains_per_condition: clamp.chains, held_variables: Array.from(clamp.index),
      how: "held nodes: switched onto DAC-set voltages (ideal sources) after the chip is programmed for the whole model; their resistors to free nodes act as resistors to fixed voltages, coupling capacitors as capacitors to ground",
      hold_quantisation_max_V: maxError,
    },
  };
}

