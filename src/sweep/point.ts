/**
 * One sweep point as a pure job: (resolved system, model, run options) ->
 * its headline figures, through `compare` on that one system, run in this
 * thread. Only figures that follow from the inputs are kept (simulated chip
 * time and energy, every digital platform priced from counts, sample
 * statistics; a baseline's measured time is not among them), so the CSV is
 * the same bytes every time. A p-bit chip's point carries its integer twin's
 * figures too (columns ending [asic-45nm-int]).
 */
import { compare, exactFor, recordChains } from "../run/compare.js";
import { loadInputs, prepareParsed, type SampleRequest } from "../run/sample.js";
import { loadTechTable } from "../energy/table.js";
import { price } from "../energy/ledger.js";
import { essBulk } from "../metrics/ess.js";
import { iatSokal } from "../metrics/diagnostics.js";
import { spinQuality, gaussianQuality } from "../metrics/quality.js";
import { exactLaw } from "../models/enumerate.js";
import { MAX_TARGET_SPINS } from "../metrics/target.js";
import { InputError } from "../errors.js";
import type { RunOptions } from "./spec.js";

export interface PointTask {
  index: number;
  modelFile: string;
  /** The point's chip spec file (the base spec with the point's fields), or a baseline name. */
  chip?: string;
  baseline?: string;
  run: RunOptions;
}

export type Figures = Record<string, number | string | null>;

interface Row {
  name: string;
  kind: string;
  energy_model: string;
  reached_fraction: number;
  energy_to_solution_J: { median: number | null; p90: number | null };
  time_to_solution_s: { median: number | null; p90: number | null };
  sweeps_to_target: { median: number | null };
  iat_sweeps: number | null;
  ess_per_J: number | null;
  curve: { value: number | null }[];
  runs: { energy_run_J: number }[];
}

/** Figure names with their units and meaning: the CSV header and the report's definitions. */
export const FIGURES: Record<string, string> = {
  reached_fraction: "fraction of repeats that met the target (1)",
  energy_to_solution_J: "median energy to the target over repeats (J); empty when fewer than half reached it",
  energy_to_solution_p90_J: "90th percentile of the energy to the target (J)",
  time_to_solution_s: "median time to the target (s): simulated for chips, the platform model for baselines",
  sweeps_to_target: "median sweeps per chain to the first checkpoint meeting the target",
  metric_at_budget: "the target's metric over the second half of the whole run (median repeat; unit of the metric)",
  energy_per_sweep_J: "energy of one sweep of one chain (J)",
  iat_sweeps: "integrated autocorrelation time of the energy trace (sweeps)",
  ess_per_J: "smallest bulk ESS over the traced observables per joule of the run (1/J)",
};

function figuresOf(r: Row, chains: number, sweeps: number, suffix: string): Figures {
  const last = r.curve.length ? r.curve[r.curve.length - 1].value : null;
  return {
    [`reached_fraction${suffix}`]: r.reached_fraction,
    [`energy_to_solution_J${suffix}`]: r.energy_to_solution_J.median,
    [`energy_to_solution_p90_J${suffix}`]: r.energy_to_solution_J.p90,
    [`time_to_solution_s${suffix}`]: r.time_to_solution_s.median,
    [`sweeps_to_target${suffix}`]: r.sweeps_to_target.median,
    [`metric_at_budget${suffix}`]: last,
    [`energy_per_sweep_J${suffix}`]: r.runs.length ? r.runs[0].energy_run_J / (chains * sweeps) : null,
    [`iat_sweeps${suffix}`]: r.iat_sweeps,
    [`ess_per_J${suffix}`]: r.ess_per_J,
  };
}

export async function runPoint(t: PointTask): Promise<{ figures: Figures; warnings: string[] }> {
  return t.run.kind === "compare" ? comparePoint(t) : samplePoint(t);
}

async function comparePoint(t: PointTask): Promise<{ figures: Figures; warnings: string[] }> {
  const res = await compare({
    modelFile: t.modelFile, chips: t.chip ? [t.chip] : [], baselines: t.baseline ? [t.baseline] : [], target: t.run.target!,
    repeats: t.run.repeats!, chains: t.run.chains, maxSweeps: t.run.maxSweeps!, seed: t.run.seed,
    ...(t.run.chainStrength !== undefined ? { chainStrength: t.run.chainStrength } : {}),
  }, 0);
  const rows = res.json.systems as Row[];
  const figures: Figures = {};
  for (const r of rows) Object.assign(figures, figuresOf(r, t.run.chains, t.run.maxSweeps!, r.kind === "chip" ? "" : `[${r.energy_model}]`));
  // The chip's energy model names its technology table; a baseline's are in the column names.
  if (t.chip) figures.energy_model = rows[0]?.energy_model ?? null;
  return { figures, warnings: res.warnings };
}

/** Figures of a sample-run point. */
export const SAMPLE_FIGURES: Record<string, string> = {
  energy_J: "energy of the whole run, programming included (J)",
  energy_per_sample_J: "energy / (chains x samples) (J)",
  seconds: "time of the whole run (s): simulated for chips, the platform model for baselines",
  ess_min: "smallest bulk ESS over the traced observables, all chains together",
  ess_per_J: "ess_min per joule of the run (1/J)",
  iat_sweeps: "integrated autocorrelation time of the energy trace (Sokal, c = 5), in sweeps",
  tv: "total variation of the draws' law from the exact law (spin models up to 20 spins)",
  kl: "KL(p_hat || p) of the draws' law from the exact law (nats; spin models up to 20 spins)",
  cov_relative_error: "relative Frobenius error of the draws' covariance (Gaussian models)",
};

/** Gaussian models keep every draw for the covariance; this many values at most. */
const MAX_KEPT = 2 ** 26;

function samplePoint(t: PointTask): { figures: Figures; warnings: string[] } {
  const sreq: SampleRequest = {
    modelFile: t.modelFile, ...(t.chip ? { chip: t.chip } : { baseline: t.baseline! }), chains: t.run.chains, samples: t.run.samples!,
    burnIn: t.run.burnIn!, thin: t.run.thin!, seed: t.run.seed, ...(t.run.chainStrength !== undefined ? { chainStrength: t.run.chainStrength } : {}),
  };
  const inputs = loadInputs(sreq);
  const job = prepareParsed(inputs, sreq);
  const table = loadTechTable(job.system.energy, job.system.file === "built-in" ? "--energy-model" : job.system.file);
  const model = job.model;
  const n = model.n;
  const [K, S] = [sreq.chains, sreq.samples];
  const spin = model.kind === "ising" && n <= MAX_TARGET_SPINS;
  const gauss = model.kind === "gaussian";
  if (gauss && K * S * n > MAX_KEPT) throw new InputError("samples", undefined, `a Gaussian point keeps every draw: ${K} chains x ${S} samples x ${n} variables is more than ${MAX_KEPT}`);
  const { obs, traces, states, rows, run, actions } = recordChains(job, K, S, spin, gauss);
  const ess = Math.min(...obs.names.map((_, v) => essBulk(traces.map((c) => c[v]))));
  const figures: Figures = {
    ess_min: ess,
    iat_sweeps: iatSokal(traces.map((c) => c[0])).iat * sreq.thin,
  };
  if (states) {
    const q = spinQuality(model as never, states, exactLaw(model as never).p, false);
    Object.assign(figures, { tv: q.tv, kl: q.kl });
  }
  if (rows) {
    const ex = exactFor(model, { text: "cov", metric: "cov", op: "<=", value: 1 });
    figures.cov_relative_error = gaussianQuality(rows, n, ex.gaussian!.mu, ex.gaussian!.cov, false).cov_relative_error;
  }
  const put = (suffix: string, energy: number, seconds: number | null) => Object.assign(figures, {
    [`energy_J${suffix}`]: energy, [`energy_per_sample_J${suffix}`]: energy / (K * S), [`seconds${suffix}`]: seconds, [`ess_per_J${suffix}`]: energy > 0 ? ess / energy : null,
  });
  if (job.system.kind === "chip") {
    put("", price(actions, job.actions, table).total, run.chipSeconds);
    figures.energy_model = table.name;
  } else {
    for (const pl of job.platforms!(actions, run.chipSeconds)) put(`[${pl.energy_model}]`, pl.energy_J, Number.isFinite(pl.seconds) ? pl.seconds : null);
  }
  return { figures, warnings: job.afterRun(run).warnings };
}
