/**
 * Digital baselines as systems: name -> how to build its Job. A new baseline
 * is a kernel entry plus one line here.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import { InputError } from "../errors.js";
import { mapSpinBaseline, planSpinBaselineBytes, runSpinBaseline, SPIN_BASELINE_ACTIONS, type SpinAlgorithm } from "../baselines/spin.js";
import { mixingCheck } from "../run/checks.js";

export interface BaselineInfo {
  /** Model kinds it samples. */
  models: Model["kind"][];
  description: string;
  job(model: Model, req: SampleRequest): Job;
}

function spinBaseline(algo: SpinAlgorithm, description: string): BaselineInfo {
  return {
    models: ["ising"],
    description,
    job(model, req) {
      if (model.kind !== "ising") throw new Error("unreachable: checked by the registry");
      const mp = mapSpinBaseline(model);
      const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour };
      return {
        model,
        system: { name: algo, kind: "baseline", family: "spin-baseline", file: "built-in", energy: req.energyModel ?? "cpu" },
        actions: SPIN_BASELINE_ACTIONS,
        once: [],
        derived: () => ({}),
        summed: ["exact_exp_fallbacks"],
        perSecond: { core_seconds: 1 },
        report: { sampler: algo, colour_classes: mp.classes, arithmetic: "float64, exact logistic, xoshiro128** uniforms" },
        warnings: [],
        extra: {},
        dtype: "int8",
        afterRun: (run) => ({ ...mixingCheck(run, req) }),
        countsPerSweep: 7 * mp.nnz + 4 * model.n,
        kernelBytes: (rows) => planSpinBaselineBytes(mp, rows),
        resolved: () => ({ baseline: algo, description, energy_model: req.energyModel ?? "cpu" }),
        runChains: (first, count, sink) => runSpinBaseline(mp, algo, { ...opts, chains: count, firstChain: first, sink }),
      };
    },
  };
}

export const BASELINES: Record<string, BaselineInfo> = {
  gibbs: spinBaseline("gibbs", "systematic-scan Gibbs: each spin in index order, heat-bath update"),
  "random-gibbs": spinBaseline("random-gibbs", "random-scan Gibbs: n uniformly chosen sites per sweep"),
  "chromatic-gibbs": spinBaseline("chromatic-gibbs", "chromatic block Gibbs: colour classes in turn (the algorithm GPUs and thrml run in parallel)"),
  metropolis: spinBaseline("metropolis", "single-flip Metropolis in index order"),
};

export function checkBaselineName(name: string): void {
  if (!BASELINES[name]) throw new InputError("--baseline", undefined, `unknown baseline ${JSON.stringify(name)}; known: ${Object.keys(BASELINES).join(", ")}`);
}

export function baselineJob(name: string, model: Model, req: SampleRequest, modelFile: string): Job {
  checkBaselineName(name);
  const b = BASELINES[name];
  if (!b.models.includes(model.kind)) throw new InputError(modelFile, "kind", `baseline ${name} samples ${b.models.join(", ")} models; this model is ${model.kind}`);
  return b.job(model, req);
}
