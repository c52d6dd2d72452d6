/**
 * Digital baselines as systems: name -> how to build its Job. A new baseline
 * is a kernel entry plus one line here.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import { InputError } from "../errors.js";
import { defaultAnneal, defaultLadder, mapSpinBaseline, planSpinBaselineBytes, runSpinBaseline, SPIN_BASELINE_ACTIONS, type SpinAlgorithm, type SpinBaselineOptions } from "../baselines/spin.js";
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
      const extra = baselineOptions(algo, model, req);
      const replicas = extra.tempering?.replicas ?? 1;
      const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour, ...extra };
      return {
        model,
        system: { name: algo, kind: "baseline", family: "spin-baseline", file: "built-in", energy: req.energyModel ?? "cpu" },
        actions: SPIN_BASELINE_ACTIONS,
        once: [],
        derived: () => ({}),
        summed: ["exact_exp_fallbacks"],
        perSecond: { core_seconds: 1 },
        report: {
          sampler: algo, colour_classes: mp.classes, arithmetic: "float64, exact logistic, xoshiro128** uniforms",
          ...(extra.anneal ? { anneal: extra.anneal } : {}),
          ...(extra.tempering ? { tempering: { ...extra.tempering, coldest_beta: model.beta, adapts: "during burn-in only" } } : {}),
        },
        warnings: algo === "sa" ? ["simulated annealing optimises: its draws follow the schedule, not the model's law (use them for energies and ground states)"] : [],
        extra: {},
        dtype: "int8",
        // Annealed draws are not meant to mix (the schedule moves the law under them).
        afterRun: (run) => (algo === "sa" ? { warnings: [], diagnostics: {} } : { ...mixingCheck(run, req) }),
        countsPerSweep: replicas * (7 * mp.nnz + 4 * model.n),
        kernelBytes: (rows) => planSpinBaselineBytes(mp, replicas, rows),
        resolved: () => ({ baseline: algo, description, energy_model: req.energyModel ?? "cpu", ...extra }),
        runChains: (first, count, sink) => runSpinBaseline(mp, algo, { ...opts, chains: count, firstChain: first, sink }),
      };
    },
  };
}

/** A baseline's own options, checked; refused on baselines they do not apply to. */
function baselineOptions(algo: SpinAlgorithm, model: Model & { kind: "ising" }, req: SampleRequest): SpinBaselineOptions {
  if (req.anneal && algo !== "sa") throw new InputError("--anneal", undefined, `applies to baseline sa, not ${algo}`);
  if ((req.replicas !== undefined || req.hotBeta !== undefined) && algo !== "pt") throw new InputError(req.replicas !== undefined ? "--replicas" : "--hot-beta", undefined, `applies to baseline pt, not ${algo}`);
  if (algo === "sa") return { anneal: req.anneal ?? defaultAnneal(model) };
  if (algo !== "pt") return {};
  const ladder = defaultLadder(model);
  const t = { replicas: req.replicas ?? ladder.replicas, hotBeta: req.hotBeta ?? ladder.hotBeta };
  if (!(t.hotBeta > 0 && t.hotBeta < model.beta)) throw new InputError("--hot-beta", undefined, `must be above 0 and below the model's beta (${model.beta}), got ${t.hotBeta}`);
  return { tempering: t };
}

export const BASELINES: Record<string, BaselineInfo> = {
  gibbs: spinBaseline("gibbs", "systematic-scan Gibbs: each spin in index order, heat-bath update"),
  "random-gibbs": spinBaseline("random-gibbs", "random-scan Gibbs: n uniformly chosen sites per sweep"),
  "chromatic-gibbs": spinBaseline("chromatic-gibbs", "chromatic block Gibbs: colour classes in turn (the algorithm GPUs and thrml run in parallel)"),
  metropolis: spinBaseline("metropolis", "single-flip Metropolis in index order"),
  sa: spinBaseline("sa", "simulated annealing: Metropolis sweeps with beta following a geometric or linear schedule over each chain (an optimiser)"),
  pt: spinBaseline("pt", "parallel tempering: Metropolis sweeps of replicas on a beta ladder with neighbour swaps; the ladder adapts in burn-in to even out swap rates"),
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
