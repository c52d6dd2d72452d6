/**
 * One sweep point as a pure job: (resolved system, model, run options) ->
 * its headline figures, through `compare` on that one system, run in this
 * thread. Only figures that follow from the inputs are kept (simulated chip
 * time and energy, modelled platforms, sample statistics): a baseline's
 * measured CPU time would differ from run to run, so the CPU platform is left
 * out and the CSV is the same bytes every time.
 */
import { compare } from "../run/compare.js";
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
  const res = await compare({
    modelFile: t.modelFile, chips: t.chip ? [t.chip] : [], baselines: t.baseline ? [t.baseline] : [], target: t.run.target,
    repeats: t.run.repeats, chains: t.run.chains, maxSweeps: t.run.maxSweeps, seed: t.run.seed,
    ...(t.run.chainStrength !== undefined ? { chainStrength: t.run.chainStrength } : {}),
  }, 0);
  const rows = (res.json.systems as Row[]).filter((r) => r.kind === "chip" || r.energy_model !== "cpu");
  const figures: Figures = {};
  for (const r of rows) Object.assign(figures, figuresOf(r, t.run.chains, t.run.maxSweeps, r.kind === "chip" ? "" : `[${r.energy_model}]`));
  // The chip's energy model names its technology table; a baseline's are in the column names.
  if (t.chip) figures.energy_model = rows[0]?.energy_model ?? null;
  return { figures, warnings: res.warnings };
}
