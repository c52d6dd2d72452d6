/**
 * Digital baselines as systems: name -> how to build its Job. A new baseline
 * is a kernel entry plus one line here.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import { InputError } from "../errors.js";
import { defaultAnneal, defaultLadder, mapSpinBaseline, planSpinBaselineBytes, runSpinBaseline, type SpinAlgorithm, type SpinBaselineOptions } from "../baselines/spin.js";
import { mixingCheck } from "../run/checks.js";
import { DIGITAL_ACTIONS } from "../baselines/actions.js";
import { digitalPlatforms } from "../energy/platforms.js";

import { checkConditionalGaussians, clampedRuns, clampRow, clampValues, conditionalGaussian, conditionalModel, type Clamp } from "../run/clamp.js";
import { defaultStep, mapGaussianBaseline, MAX_EXACT_N, planGaussianBaselineBytes, runGaussianBaseline, ulaCovarianceBias, type GaussianAlgorithm } from "../baselines/gaussian.js";

export interface BaselineInfo {
  /** Model kinds it samples. */
  models: Model["kind"][];
  description: string;
  job(model: Model, req: SampleRequest, clamp?: Clamp): Job;
}

function spinBaseline(algo: SpinAlgorithm, description: string): BaselineInfo {
  return {
    models: ["ising"],
    description,
    job(model, req, clamp) {
      if (model.kind !== "ising") throw new Error("unreachable: checked by the registry");
      const mp = mapSpinBaseline(model);
      const extra = baselineOptions(algo, model, req);
      const replicas = extra.tempering?.replicas ?? 1;
      const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour, ...extra };
      return {
        model,
        system: { name: algo, kind: "baseline", family: "spin-baseline", file: "built-in", energy: req.energyModel ?? "cpu" },
        actions: DIGITAL_ACTIONS,
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
        dtype: model.output === "binary" ? "uint8" : "int8",
        // Annealed draws are not meant to mix (the schedule moves the law under them).
        afterRun: (run) => (algo === "sa" ? { warnings: [], diagnostics: {} } : { ...mixingCheck(run, req) }),
        platforms: (actions, seconds) => digitalPlatforms(model, actions, seconds),
        countsPerSweep: replicas * (7 * mp.nnz + 4 * model.n),
        kernelBytes: (rows) => planSpinBaselineBytes(mp, replicas, rows),
        resolved: () => ({ baseline: algo, description, energy_model: req.energyModel ?? "cpu", ...extra }),
        runChains: clamp
          // A digital code samples each condition's conditional model over the free spins.
          ? clampedRuns(clamp, model.n, req.samples, ["exact_exp_fallbacks"], (k, first, count, sink) =>
            runSpinBaseline(mapSpinBaseline(conditionalModel(model, clamp.index, clampRow(clamp, first)).model), algo, { ...opts, chains: count, firstChain: first, sink }))
          : (first, count, sink) => runSpinBaseline(mp, algo, { ...opts, chains: count, firstChain: first, sink }),
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

function gaussianBaseline(algo: GaussianAlgorithm, description: string): BaselineInfo {
  return {
    models: ["gaussian"],
    description,
    job(model, req, clamp) {
      if (model.kind !== "gaussian") throw new Error("unreachable: checked by the registry");
      if (req.step !== undefined && algo === "exact-gaussian") throw new InputError("--step", undefined, "does not apply to exact-gaussian (it draws independent samples)");
      if (req.leapfrogSteps !== undefined && algo !== "hmc") throw new InputError("--leapfrog-steps", undefined, `applies to baseline hmc, not ${algo}`);
      if (algo === "exact-gaussian" && model.n > MAX_EXACT_N) throw new InputError(req.modelFile, "n", `exact-gaussian factors beta A densely; at most ${MAX_EXACT_N} variables, got ${model.n}`);
      if (clamp) checkConditionalGaussians(model, clamp);
      const mp = mapGaussianBaseline(model);
      const step = req.step ?? defaultStep(algo, mp.lambdaMax);
      const warnings: string[] = [];
      const report: Record<string, unknown> = { sampler: algo, lambda_max: mp.lambdaMax, arithmetic: "float64, ziggurat normals from xoshiro128**" };
      if (algo === "ula") {
        if (!(step * mp.lambdaMax < 2)) throw new InputError("--step", undefined, `ULA is unstable at h = ${step}: it needs h < 2 / lambda_max = ${(2 / mp.lambdaMax).toPrecision(4)}`);
        const bias = ulaCovarianceBias(step, mp.lambdaMax);
        report.step = step;
        report.predicted_covariance_bias = bias;
        warnings.push(`ULA is unadjusted: at h = ${step.toPrecision(3)} its stationary covariance exceeds the target's by up to ${(100 * bias).toPrecision(2)}% (along the stiffest direction; (I - h beta A / 2)^-1)`);
      } else if (algo !== "exact-gaussian") {
        report.initial_step = step;
        report.step_adaptation = `dual averaging during burn-in towards acceptance ${algo === "mala" ? 0.574 : 0.8}, then fixed`;
        if (algo === "hmc") report.leapfrog_steps = { mean: req.leapfrogSteps ?? 10, drawn: `uniformly from 1 to ${2 * (req.leapfrogSteps ?? 10) - 1} per trajectory` };
        if ((req.adaptSweeps ?? req.burnIn) === 0) warnings.push(`${algo} adapts its step during burn-in only; with --burn-in 0 it keeps the initial step ${step.toPrecision(3)}`);
      }
      const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour, step, leapfrogs: req.leapfrogSteps, file: req.modelFile, adaptSweeps: req.adaptSweeps };
      return {
        model,
        system: { name: algo, kind: "baseline", family: "gaussian-baseline", file: "built-in", energy: req.energyModel ?? "cpu" },
        actions: DIGITAL_ACTIONS,
        once: [],
        derived: () => ({}),
        summed: algo === "mala" || algo === "hmc" ? ["accepted", "proposed"] : [],
        perSecond: { core_seconds: 1 },
        report,
        warnings,
        extra: {},
        dtype: "float64",
        afterRun: (run) => ({ ...mixingCheck(run, req) }),
        platforms: (actions, seconds) => digitalPlatforms(model, actions, seconds),
        countsPerSweep: algo === "exact-gaussian" ? 2 * model.n * model.n + 8 * model.n : 2 * ((req.leapfrogSteps ?? 10) + 1) * (5 * mp.idx.length + 20 * model.n),
        kernelBytes: (rows) => planGaussianBaselineBytes(mp, algo, rows),
        resolved: () => ({ baseline: algo, description, energy_model: req.energyModel ?? "cpu", step, ...(algo === "hmc" ? { leapfrog_steps: req.leapfrogSteps ?? 10 } : {}) }),
        runChains: clamp
          // Each condition's conditional Gaussian over the free variables, as a digital code samples it.
          ? clampedRuns(clamp, model.n, req.samples, [], (_k, first, count, sink) => {
            const cond = conditionalGaussian(model, clamp.index, clampValues(clamp, first));
            return runGaussianBaseline(cond, mapGaussianBaseline(cond), algo, { ...opts, chains: count, firstChain: first, sink });
          })
          : (first, count, sink) => runGaussianBaseline(model, mp, algo, { ...opts, chains: count, firstChain: first, sink }),
      };
    },
  };
}

export const BASELINES: Record<string, BaselineInfo> = {
  gibbs: spinBaseline("gibbs", "systematic-scan Gibbs: each spin in index order, heat-bath update"),
  "random-gibbs": spinBaseline("random-gibbs", "random-scan Gibbs: n uniformly chosen sites per sweep"),
  "chromatic-gibbs": spinBaseline("chromatic-gibbs", "chromatic block Gibbs: colour classes in turn (the algorithm GPUs and thrml run in parallel)"),
  metropolis: spinBaseline("metropolis", "single-flip Metropolis in index order"),
  sa: spinBaseline("sa", "simulated annealing: Metropolis sweeps with beta following a geometric or linear schedule over each chain (an optimiser)"),
  pt: spinBaseline("pt", "parallel tempering: Metropolis sweeps of replicas on a beta ladder with neighbour swaps; the ladder adapts in burn-in to even out swap rates"),
  ula: gaussianBaseline("ula", "unadjusted Langevin: x <- x - h grad U + sqrt(2h) z (biased by its step)"),
  mala: gaussianBaseline("mala", "Metropolis-adjusted Langevin, step adapted in burn-in"),
  hmc: gaussianBaseline("hmc", "Hamiltonian Monte Carlo: leapfrog trajectories (length drawn per trajectory, mean L) with fresh momentum, step adapted in burn-in"),
  "exact-gaussian": gaussianBaseline("exact-gaussian", "independent draws mu + L^-T z from the Cholesky factor of beta A"),
};

export function checkBaselineName(name: string): void {
  if (!BASELINES[name]) throw new InputError("--baseline", undefined, `unknown baseline ${JSON.stringify(name)}; known: ${Object.keys(BASELINES).join(", ")}`);
}

export function baselineJob(name: string, model: Model, req: SampleRequest, modelFile: string, clamp?: Clamp): Job {
  checkBaselineName(name);
  const b = BASELINES[name];
  if (!b.models.includes(model.kind)) throw new InputError(modelFile, "kind", `baseline ${name} samples ${b.models.join(", ")} models; this model is ${model.kind}`);
  return b.job(model, req, clamp);
}
