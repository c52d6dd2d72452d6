/**
 * `thermosim compare`: every system (chips and digital baselines, through the
 * same Job interface) runs the model for a budget of sweeps, R independent
 * times, from its fixed initial state; the target is checked at checkpoints
 * (a geometric grid of sweep counts), on the second half of each chain's
 * sweeps so far (the first half is burn-in; optimisation targets use every
 * draw). Time and energy to solution are what the system spent up to the
 * first checkpoint that meets the target: one-off costs (programming) plus
 * the sampling cost in proportion to the sweeps done. Baselines are priced on
 * every digital platform (CPU measured, 45 nm ASIC, GPU models), one row each.
 */
import type { Readout } from "../mapping/embedding.js";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { loadInputs, prepareParsed, type Job, type ParsedInputs, type SampleRequest } from "./sample.js";
import { loadTechTable } from "../energy/table.js";
import { checkTable, price } from "../energy/ledger.js";
import { observables } from "../metrics/traces.js";
import { exactLaw } from "../models/enumerate.js";
import { spinQuality, gaussianQuality, toSolution99 } from "../metrics/quality.js";
import { essBulk } from "../metrics/ess.js";
import { iatSokal } from "../metrics/diagnostics.js";
import { checkTarget, met, MAX_TARGET_SPINS, type Target } from "../metrics/target.js";
import { denseA, type GaussianModel } from "../models/gaussian.js";
import { inverse } from "../linalg/dense.js";
import type { Model } from "../models/load.js";
import type { PlatformEstimate } from "../energy/platforms.js";
import { costingEnergy, scaledCosting, tableCosting, type Costing } from "../energy/figures.js";
import { twinName } from "../energy/twin.js";
import { headlineOf } from "./headline.js";
import { InputError } from "../errors.js";
import { baselineJob } from "../systems/baselines.js";

export interface CompareRequest {
  modelFile: string;
  chips: string[];
  baselines: string[];
  target: Target;
  repeats: number;
  chains: number;
  maxSweeps: number;
  seed: number;
  /** P-bit chips: an embedding file to reuse, and the chain coupling (see `sample`). */
  embedding?: string;
  chainStrength?: number | "utc" | "auto";
  readout?: Readout;
  distilled?: string;
  /** P-bit chips: the embedding search's work budget (edge relaxations). */
  embedBudget?: number;
}

/** What one run of one system yields, per checkpoint. */
export interface RepeatResult {
  seed: number;
  /** Sweeps per chain at the first checkpoint meeting the target (undefined: never). */
  sweepsToTarget?: number;
  /** The metric's value at each checkpoint. */
  curve: { sweeps: number; value: number }[];
  actions: Record<string, number>;
  /** Seconds of the whole run (simulated for chips, measured for baselines). */
  seconds: number;
  /** Updates performed (every chain; p-bits for chips, every replica for tempering). */
  updates: number;
  quality: Record<string, unknown>;
  essMin: number;
  iatSweeps: number;
  platforms?: PlatformEstimate[];
}

/** Geometric checkpoints from 8 sweeps to the budget (about 4 per doubling). */
export function checkpoints(maxSweeps: number): number[] {
  const out = new Set<number>();
  for (let s = 8; s < maxSweeps; s = Math.ceil(s * 1.19)) out.add(s);
  out.add(maxSweeps);
  return [...out].filter((s) => s <= maxSweeps).sort((a, b) => a - b);
}

/** A reference run for bias checks: the traced observables' means, standard deviations and Monte Carlo errors. */
export interface Reference {
  sampler: string;
  chains: number;
  sweeps: number;
  names: string[];
  mean: number[];
  sd: number[];
  mcse: number[];
}

export interface Exact {
  reference?: Reference;
  spin?: { p: Float64Array };
  /** Optimisation targets on enumerable spin models: the exact ground-state energy. */
  groundEnergy?: number;
  gaussian?: { mu: Float64Array; cov: Float64Array };
}

export function exactFor(model: Model, t: Target): Exact {
  if (model.kind === "ising" && (t.metric === "tv" || t.metric === "kl")) return { spin: { p: exactLaw(model).p } };
  if (model.kind === "ising" && t.metric === "energy" && model.n <= MAX_TARGET_SPINS) {
    // The most probable state at any beta > 0 is a ground state.
    const { p } = exactLaw({ ...model, beta: 1 });
    let best = 0;
    for (let x = 1; x < p.length; x++) if (p[x] > p[best]) best = x;
    let e = model.offset ?? 0;
    const s = (i: number) => ((best >> i) & 1 ? 1 : -1);
    for (let i = 0; i < model.n; i++) e -= model.h[i] * s(i);
    for (let k = 0; k < model.ei.length; k++) e -= model.ew[k] * s(model.ei[k]) * s(model.ej[k]);
    return { groundEnergy: e };
  }
  if (model.kind === "gaussian") {
    const n = model.n;
    const ainv = inverse(denseA(model as GaussianModel), n);
    if (!ainv) throw new InputError("model", "A", "is singular");
    const mu = Float64Array.from({ length: n }, (_, i) => ainv.slice(i * n, i * n + n).reduce((a, v, j) => a + v * model.b[j], 0));
    return { gaussian: { mu, cov: ainv.map((v) => v / model.beta) } };
  }
  return {};
}

/** Pooled mean, standard deviation and Monte Carlo error (sd / sqrt(bulk ESS)) of one observable over chains. */
function moments(chains: Float64Array[]): { mean: number; sd: number; mcse: number } {
  let n = 0;
  let sum = 0;
  for (const c of chains) for (const v of c) (sum += v), n++;
  const mean = sum / n;
  let sq = 0;
  for (const c of chains) for (const v of c) sq += (v - mean) ** 2;
  const sd = Math.sqrt(sq / Math.max(1, n - 1));
  const ess = essBulk(chains);
  return { mean, sd, mcse: sd / Math.sqrt(Math.max(1, Number.isFinite(ess) ? ess : 1)) };
}

/** Chains of the reference run start at this index, so their random streams are none of the compared systems'. */
const REFERENCE_FIRST_CHAIN = 1_000_000;

/**
 * The reference for `bias<=X`: exact chromatic Gibbs (float64, exact
 * logistic: the sampler the exactness tests check against enumeration), twice
 * the chains and twice the sweeps of the comparison, second half kept.
 */
export function referenceRun(req: CompareRequest, model: Model): Reference {
  const chains = Math.max(8, 2 * req.chains);
  const sweeps = 2 * req.maxSweeps;
  const sreq: SampleRequest = { modelFile: req.modelFile, baseline: "chromatic-gibbs", chains, samples: sweeps, burnIn: 0, thin: 1, seed: req.seed };
  const job = baselineJob("chromatic-gibbs", model, sreq, req.modelFile);
  const obs = observables(model);
  const k = obs.names.length;
  const traces = Array.from({ length: chains }, () => Array.from({ length: k }, () => new Float64Array(sweeps)));
  const scratch = new Float64Array(k);
  job.runChains(REFERENCE_FIRST_CHAIN, chains, (chain, first, count, block) => {
    for (let r = 0; r < count; r++) {
      obs.compute(block, r, scratch, 0);
      for (let v = 0; v < k; v++) traces[chain - REFERENCE_FIRST_CHAIN][v][first + r] = scratch[v];
    }
  });
  const m = obs.names.map((_, v) => moments(traces.map((c) => c[v].subarray(sweeps / 2))));
  return { sampler: "chromatic-gibbs (float64, exact logistic)", chains, sweeps, names: obs.names, mean: m.map((x) => x.mean), sd: m.map((x) => x.sd), mcse: m.map((x) => x.mcse) };
}

/** The bias check at one checkpoint: every observable's 95% upper bound on |bias| within X reference sd. */
function biasCheck(traces: Float64Array[][], from: number, to: number, ref: Reference, x: number): { ok: boolean; worst: number; per: { name: string; mean: number; reference: number; bias_sd: number; bound_sd: number }[] } {
  const per = ref.names.map((name, v) => {
    const m = moments(traces.map((c) => c[v].subarray(from, to)));
    const sd = ref.sd[v] > 0 ? ref.sd[v] : 1;
    const bias = Math.abs(m.mean - ref.mean[v]);
    return { name, mean: m.mean, reference: ref.mean[v], bias_sd: bias / sd, bound_sd: (bias + 2 * Math.hypot(m.mcse, ref.mcse[v])) / sd };
  });
  const worst = Math.max(...per.map((p) => p.bound_sd));
  return { ok: worst <= x, worst, per };
}

/** Gaussian targets keep every draw; this many values at most. */
const MAX_KEPT_VALUES = 2 ** 26;

/**
 * Run every chain of a job and keep, per chain, the traced observables of
 * every recorded row, optionally each row's spin state (as bits, n <= 32)
 * and the rows themselves; with the run's actions (derived and per-second
 * ones added) for pricing.
 */
export function recordChains(job: Job, K: number, S: number, keepStates: boolean, keepRows: boolean) {
  const n = job.model.n;
  const obs = observables(job.model);
  const k = obs.names.length;
  const traces = Array.from({ length: K }, () => Array.from({ length: k }, () => new Float64Array(S)));
  const states = keepStates ? Array.from({ length: K }, () => new Uint32Array(S)) : undefined;
  const rows = keepRows ? Array.from({ length: K }, () => new Float64Array(S * n)) : undefined;
  const scratch = new Float64Array(k);
  const run = job.runChains(0, K, (chain, first, count, block) => {
    for (let r = 0; r < count; r++) {
      obs.compute(block, r, scratch, 0);
      for (let v = 0; v < k; v++) traces[chain][v][first + r] = scratch[v];
      if (states) {
        let x = 0;
        for (let i = 0; i < n; i++) if (block[r * n + i] > 0) x |= 1 << i;
        states[chain][first + r] = x >>> 0;
      }
      if (rows) rows[chain].set(block.subarray(r * n, (r + 1) * n), (first + r) * n);
    }
  });
  const actions: Record<string, number> = { ...run.counts };
  Object.assign(actions, job.derived(actions));
  for (const [key, units] of Object.entries(job.perSecond)) actions[key] = units * run.chipSeconds;
  return { obs, traces, states, rows, run, actions };
}

export function runOnce(job: Job, req: SampleRequest, t: Target, exact: Exact, marks: number[]): RepeatResult {
  const model = job.model;
  const n = model.n;
  const K = req.chains;
  const S = req.samples;
  const keepRows = exact.gaussian !== undefined;
  if (keepRows && K * S * n > MAX_KEPT_VALUES) throw new InputError("--max-sweeps", undefined, `${t.metric} keeps every draw: ${K} chains x ${S} sweeps x ${n} variables is more than ${MAX_KEPT_VALUES}; lower --max-sweeps or --chains`);
  const { obs, traces, states, rows, run, actions } = recordChains(job, K, S, exact.spin !== undefined, keepRows);
  const half = (s: number) => Math.floor(s / 2);
  const value = (s: number): number => {
    if (t.metric === "energy") {
      let best = Infinity;
      for (const c of traces) for (let q = 0; q < s; q++) best = Math.min(best, c[0][q]);
      return best;
    }
    if (t.metric === "ess") {
      if (s - half(s) < 8) return NaN;
      return Math.min(...obs.names.map((_, v) => essBulk(traces.map((c) => c[v].subarray(half(s), s)))));
    }
    if (exact.spin) {
      const q = spinQuality(model as never, states!.map((c) => c.subarray(half(s), s)), exact.spin.p, false);
      return t.metric === "tv" ? q.tv : q.kl;
    }
    const g = gaussianQuality(rows!.map((c) => c.subarray(half(s) * n, s * n)), n, exact.gaussian!.mu, exact.gaussian!.cov, false);
    return t.metric === "cov" ? g.cov_relative_error : g.w2;
  };
  const curve: { sweeps: number; value: number }[] = [];
  let sweepsToTarget: number | undefined;
  for (const s of marks) {
    const v = value(s);
    curve.push({ sweeps: s, value: v });
    const unbiased = t.bias === undefined || (met(t, v) && biasCheck(traces, half(s), s, exact.reference!, t.bias).ok);
    if (sweepsToTarget === undefined && met(t, v) && unbiased) {
      sweepsToTarget = s;
      if (t.metric === "energy") break; // later checkpoints cannot change the best energy's first arrival
    }
  }
  // Final quality and mixing on the second half of the whole run.
  const tail = (c: Float64Array) => c.subarray(half(S), S);
  let quality: Record<string, unknown> = {};
  if (exact.spin) quality = { ...spinQuality(model as never, states!.map((c) => c.subarray(half(S), S)), exact.spin.p) };
  else if (exact.gaussian) quality = { ...gaussianQuality(rows!.map((c) => c.subarray(half(S) * n, S * n)), n, exact.gaussian.mu, exact.gaussian.cov) };
  if (t.metric === "energy") {
    quality.best_energy = Math.min(...traces.map((c) => c[0].reduce((a, v) => Math.min(a, v), Infinity)));
    if (exact.groundEnergy !== undefined) {
      quality.ground_energy = exact.groundEnergy;
      quality.residual_energy = (quality.best_energy as number) - exact.groundEnergy;
    }
  }
  if (t.bias !== undefined) {
    const b = biasCheck(traces, half(S), S, exact.reference!, t.bias);
    quality.bias = { bound_sd: b.worst, within: b.ok, observables: b.per };
  }
  const essMin = Math.min(...obs.names.map((_, v) => essBulk(traces.map((c) => tail(c[v])))));
  const iat = iatSokal(traces.map((c) => tail(c[0]))).iat;
  return { seed: req.seed, sweepsToTarget, curve, actions, seconds: run.chipSeconds, updates: run.updates, quality, essMin, iatSweeps: iat, platforms: job.platforms?.(actions, run.chipSeconds) };
}

export interface SystemRow {
  name: string;
  kind: "chip" | "baseline";
  energy_model: string;
  /** How the row's joules were computed, and from what. */
  energy_basis: string;
  energy_source: string;
  /** Sampling energy of one update (median run): the figure rows are compared on. */
  energy_per_update_J: number | null;
  /** The integer twin's row: the chip whose run it prices. */
  twin_of?: string;
  /**
   * Chips: the exact total variation between the law the chip realises (its
   * quantisation, embedding read-out or distilled machine) and the model's,
   * when it can be computed -- no budget takes the chip's draws below it.
   */
  realised_law_tv?: number;
  /** CPU rows: this machine's measured time for the run and its price at the core's power (information only; it moves with the load). */
  measured?: { seconds: number; energy_J: number };
  reached: boolean;
  reached_fraction: number;
  energy_to_solution_J: { median: number | null; p90: number | null };
  time_to_solution_s: { median: number | null; p90: number | null };
  sweeps_to_target: { median: number | null; p90: number | null };
  iat_sweeps: number | null;
  iat_seconds: number | null;
  ess_per_J: number | null;
  ess_per_s: number | null;
  quality: Record<string, unknown>;
  /** The target's metric at each checkpoint (median over repeats) and the energy spent to get there (median repeat's costs). */
  curve: { sweeps: number; energy_J: number; value: number | null }[];
  /** Where the median repeat's joules went: by action (chips), or the platform model's total (baselines). */
  energy_by_action_J: Record<string, number>;
  ratio_to_best_digital?: { energy: number | null; time: number | null };
  /** Optimisation targets: success probability per run and TTS/ETS at 99%. */
  success_probability?: number;
  tts99_s?: number | null;
  ets99_J?: number | null;
  runs: { seed: number; sweeps_run: number; sweeps_to_target: number | null; energy_run_J: number; one_off_J: number; seconds_run: number | null; energy_to_target_J: number | null; time_to_target_s: number | null; actions: Record<string, number> }[];
}

/** What one repeat cost on one row's energy model. */
interface RunCost {
  total: number;
  oneOff: number;
  seconds: number | null;
  updates: number;
  basis: string;
  source: string;
  byAction: Record<string, number>;
  costing: Costing;
  measured?: { seconds: number; energy_J: number };
}

/** Quantile by linear interpolation (type 7) of finite values; null when too few reached. */
function quantile(xs: number[], p: number): number | null {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
}

/** Median and 90th percentile over repeats; a repeat that never reached counts as infinite. */
export function summary(xs: (number | undefined)[]): { median: number | null; p90: number | null } {
  const vals = xs.map((x) => (x === undefined ? Infinity : x)).sort((a, b) => a - b);
  const q = (p: number) => {
    const h = (vals.length - 1) * p;
    const lo = Math.floor(h);
    if (!Number.isFinite(vals[lo])) return null;
    // At an order statistic the next value does not enter (it may be a repeat that never reached).
    if (h === lo) return vals[lo];
    const hi = Math.min(lo + 1, vals.length - 1);
    if (!Number.isFinite(vals[hi])) return null;
    return vals[lo] + (h - lo) * (vals[hi] - vals[lo]);
  };
  return { median: q(0.5), p90: q(0.9) };
}

/** The median repeat's costing at its solution point, scaled to the row's median energy to solution (for the sensitivity view). */
function costingAtSolution(runs: SystemRow["runs"], costs: RunCost[], median: number | null): Costing | undefined {
  if (median === null) return undefined;
  let best = -1;
  for (let q = 0; q < runs.length; q++) {
    const e = runs[q].energy_to_target_J;
    if (e !== null && (best < 0 || Math.abs(e - median) < Math.abs(runs[best].energy_to_target_J! - median))) best = q;
  }
  if (best < 0) return undefined;
  const r = runs[best];
  const c = costs[best];
  const fraction = r.sweeps_to_target! / r.sweeps_run;
  const at = scaledCosting(c.costing, fraction);
  const e = costingEnergy(at);
  return e > 0 ? scaledCosting(at, 1, median / e) : at;
}

function rowFor(name: string, kind: "chip" | "baseline", energyModel: string, results: RepeatResult[], cost: (r: RepeatResult) => RunCost, req: CompareRequest, t: Target): { row: SystemRow; costing?: Costing } {
  const S = req.maxSweeps;
  const costs = results.map(cost);
  const runs = results.map((r, q) => {
    const c = costs[q];
    const frac = r.sweepsToTarget === undefined ? undefined : r.sweepsToTarget / S;
    return {
      seed: r.seed,
      sweeps_run: S,
      sweeps_to_target: r.sweepsToTarget ?? null,
      energy_run_J: c.total,
      one_off_J: c.oneOff,
      seconds_run: c.seconds,
      energy_to_target_J: frac === undefined ? null : c.oneOff + (c.total - c.oneOff) * frac,
      time_to_target_s: frac === undefined || c.seconds === null ? null : c.seconds * frac,
      actions: r.actions,
    };
  });
  const reached = results.filter((r) => r.sweepsToTarget !== undefined).length;
  const first = costs[0];
  const med = (xs: number[]) => quantile(xs, 0.5);
  const essPerJ = med(results.map((r, q) => r.essMin / costs[q].total));
  const secs = costs.map((c) => c.seconds);
  const essPerS = secs.every((s) => s !== null) ? med(results.map((r, q) => r.essMin / (secs[q] as number))) : null;
  const iat = med(results.map((r) => r.iatSweeps));
  const secondsPerSweep = secs[0] === null ? null : (secs[0] as number) / (req.chains * S);
  const mid = costs[medianIndex(costs.map((c) => c.total))];
  const energyToSolution = summary(runs.map((r) => r.energy_to_target_J ?? undefined));
  const row: SystemRow = {
    name, kind, energy_model: energyModel,
    energy_basis: first.basis,
    energy_source: first.source,
    energy_per_update_J: mid.updates > 0 ? (mid.total - mid.oneOff) / mid.updates : null,
    ...(mid.measured ? { measured: mid.measured } : {}),
    reached: reached === results.length,
    reached_fraction: reached / results.length,
    energy_to_solution_J: energyToSolution,
    time_to_solution_s: summary(runs.map((r) => r.time_to_target_s ?? undefined)),
    sweeps_to_target: summary(runs.map((r) => r.sweeps_to_target ?? undefined)),
    iat_sweeps: iat,
    // A sweep of every chain takes K sweep-times on one machine: time per sweep of one chain x K.
    iat_seconds: iat === null || secondsPerSweep === null ? null : iat * secondsPerSweep * req.chains,
    ess_per_J: essPerJ,
    ess_per_s: essPerS,
    quality: results[Math.floor(results.length / 2)].quality,
    curve: curveOf(results, costs, S),
    energy_by_action_J: mid.byAction,
    runs,
  };
  if (t.metric === "energy") {
    // Each repeat is one run of the optimiser (all its chains): success if any chain met the target.
    const p = reached / results.length;
    row.success_probability = p;
    const perRunSeconds = secs[0];
    row.tts99_s = perRunSeconds === null ? null : finiteOrNull(toSolution99(perRunSeconds, p));
    row.ets99_J = finiteOrNull(toSolution99(first.total, p));
  }
  return { row, costing: costingAtSolution(runs, costs, energyToSolution.median) };
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

/** The realised law's exact distance from the model, from a chip job's mapping report (see SystemRow.realised_law_tv). */
function realisedLawTv(report: Record<string, unknown>): number | undefined {
  const emb = report.embedding as { readout_tv?: number } | undefined;
  const dist = report.distilled as { quality_at_map?: { tv?: number; method?: string } } | undefined;
  const v = emb ? emb.readout_tv : dist ? (dist.quality_at_map?.method?.startsWith("exact") ? dist.quality_at_map.tv : undefined) : (report.quantisation_tv as number | undefined);
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

/** Index of the median of xs (lower median for an even count). */
function medianIndex(xs: number[]): number {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)][1];
}

/** Median over repeats of the metric at each checkpoint, against the energy spent by then (median repeat's costs). */
function curveOf(results: RepeatResult[], costs: { total: number; oneOff: number }[], S: number): SystemRow["curve"] {
  const c = costs[medianIndex(costs.map((x) => x.total))];
  return results[0].curve.map((point, k) => ({
    sweeps: point.sweeps,
    energy_J: c.oneOff + (c.total - c.oneOff) * (point.sweeps / S),
    value: quantile(results.map((r) => r.curve[k]?.value ?? NaN), 0.5),
  }));
}

export interface CompareResult {
  json: Record<string, unknown>;
  warnings: string[];
}

/** One (system, repeat) task, as a worker receives it. */
export interface CompareTask {
  inputs: ParsedInputs;
  sreq: SampleRequest;
  target: Target;
  exact: Exact;
  marks: number[];
}

/** Run the tasks on `workers` threads (piscina); results come back in task order, whatever the number of threads. */
async function runTasks(tasks: CompareTask[], workers: number, onDone?: (done: number) => void): Promise<RepeatResult[]> {
  // workers = 0: in this thread, one after another (a sweep point already runs in a worker of its own).
  if (workers === 0) {
    const { default: runTask } = await import("./compare-worker.js");
    return tasks.map((t, k) => {
      const r = runTask(t, true);
      onDone?.(k + 1);
      return r;
    });
  }
  const filename = fileURLToPath(new URL("./compare-worker.js", import.meta.url));
  if (!existsSync(filename)) throw new Error(`${filename} is missing: compare runs systems in worker threads from the compiled build (npm run build)`);
  const pool = new Piscina({ filename, minThreads: 1, maxThreads: Math.max(1, workers), idleTimeout: 100 });
  try {
    let done = 0;
    return await Promise.all(tasks.map((t) => pool.run(t).then((r: RepeatResult) => (onDone?.(++done), r), (e: Error & { input?: { where: string; field?: string; problem: string } }) => {
      const m = /^INPUT:(.*)$/s.exec(e.message);
      if (m) {
        const x = JSON.parse(m[1]) as { where: string; field?: string; problem: string };
        throw new InputError(x.where, x.field, x.problem);
      }
      throw e;
    })));
  } finally {
    await pool.destroy();
  }
}

/**
 * Read and check one system of a comparison (its model, mapping and energy
 * table) without running it: what `compare` does for every system before
 * running any. Throws the InputError that says why it cannot run.
 */
export function prepareSystem(req: CompareRequest, sys: { chip: string } | { baseline: string }) {
  const chipOpts = "chip" in sys ? { ...(req.embedding !== undefined ? { embedding: req.embedding } : {}), ...(req.chainStrength !== undefined ? { chainStrength: req.chainStrength } : {}), ...(req.readout !== undefined ? { readout: req.readout } : {}), ...(req.distilled !== undefined ? { distilled: req.distilled } : {}), ...(req.embedBudget !== undefined ? { embedBudget: req.embedBudget } : {}), chainOptionsWhereEmbedded: true } : {};
  // Every sweep is recorded (burn-in is judged at each checkpoint); adaptive samplers tune their step in the first quarter.
  const sreq: SampleRequest = { modelFile: req.modelFile, ...sys, ...chipOpts, chains: req.chains, samples: req.maxSweeps, burnIn: 0, thin: 1, seed: req.seed, adaptSweeps: Math.floor(req.maxSweeps / 4) };
  const inputs = loadInputs(sreq);
  checkTarget(req.target, inputs.model, req.modelFile);
  const job = prepareParsed(inputs, sreq);
  const table = loadTechTable(job.system.energy, job.system.file === "built-in" ? "--energy-model" : job.system.file);
  checkTable(table, job.actions);
  return { sreq, inputs, job, table };
}

export async function compare(req: CompareRequest, workers = 1, onProgress?: (done: number, total: number) => void): Promise<CompareResult> {
  if (req.chips.length + req.baselines.length === 0) throw new InputError("compare", undefined, "give at least one --chip or --baseline");
  const chipOpts = { ...(req.embedding !== undefined ? { embedding: req.embedding } : {}), ...(req.chainStrength !== undefined ? { chainStrength: req.chainStrength } : {}), ...(req.readout !== undefined ? { readout: req.readout } : {}), ...(req.distilled !== undefined ? { distilled: req.distilled } : {}) };
  if (req.chips.length === 0 && Object.keys(chipOpts).length > 0) {
    throw new InputError(req.embedding !== undefined ? "--embedding" : req.chainStrength !== undefined ? "--chain-strength" : req.readout !== undefined ? "--readout" : "--distilled", undefined, "applies to p-bit chips; give a --chip");
  }
  const systems = [...req.chips.map((c) => ({ chip: c })), ...req.baselines.map((b) => ({ baseline: b }))];
  // Read everything and check every system before running any.
  const prepared = systems.map((sys) => prepareSystem(req, sys));
  if (req.distilled !== undefined && !prepared.some((p) => p.job.report.placement === "distilled")) {
    throw new InputError(req.distilled, "chip", `names a chip that is not among this comparison's --chip systems (${req.chips.join(", ")})`);
  }
  const model = prepared[0].inputs.model;
  const exact = exactFor(model, req.target);
  if (req.target.bias !== undefined) exact.reference = referenceRun(req, model);
  const marks = checkpoints(req.maxSweeps);
  const rows: SystemRow[] = [];
  const costings = new Map<SystemRow, Costing>();
  const add = (b: { row: SystemRow; costing?: Costing }) => {
    rows.push(b.row);
    if (b.costing) costings.set(b.row, b.costing);
  };
  const warnings: string[] = [];
  // Each repeat is a fresh job (a chip's mismatch instance follows the seed too).
  const tasks = prepared.flatMap((p) => Array.from({ length: req.repeats }, (_, r): CompareTask => ({
    inputs: p.inputs, sreq: { ...p.sreq, seed: req.seed + r }, target: req.target, exact, marks,
  })));
  const all = await runTasks(tasks, workers === 0 ? 0 : Math.min(workers, tasks.length), (d) => onProgress?.(d, tasks.length));
  for (const [q, p] of prepared.entries()) {
    const results = all.slice(q * req.repeats, (q + 1) * req.repeats);
    warnings.push(...p.job.warnings.map((w) => `${p.job.system.name}: ${w}`));
    if (p.job.system.kind === "chip") {
      const source = p.table.description.split(". ")[0] || `technology table ${p.table.name}`;
      const realised = realisedLawTv(p.job.report);
      const chipRow = rowFor(p.job.system.name, "chip", p.table.name, results, (r) => {
        const e = price(r.actions, p.job.actions, p.table);
        const oneOff = p.job.once.reduce((a, key) => a + (e.by_action[key] ?? 0), 0);
        return {
          total: e.total, oneOff, seconds: r.seconds, updates: r.updates, byAction: e.by_action, source,
          basis: `the chip's action counts x its technology table ${p.table.name} (${p.table.file})`,
          costing: tableCosting(p.table, r.actions, p.job.once),
        };
      }, req, req.target);
      if (realised !== undefined) chipRow.row.realised_law_tv = realised;
      add(chipRow);
      const twinOf = p.job.twin;
      if (twinOf) {
        const twins = results.map((r) => twinOf(r.actions, r.updates));
        const built = rowFor(twinName(p.job.schedule ?? "chromatic"), "baseline", twins[0].energy_model, results, (r) => {
          const tw = twins[results.indexOf(r)];
          return { total: tw.energy_J, oneOff: 0, seconds: null, updates: tw.updates, basis: tw.basis, source: tw.source, byAction: tw.by_action ?? {}, costing: tw.costing };
        }, req, req.target);
        built.row.twin_of = p.job.system.name;
        if (realised !== undefined) built.row.realised_law_tv = realised; // the twin runs the same algorithm on the same realised model
        add(built);
      }
    } else {
      const names = results[0].platforms!.map((pl) => pl.energy_model);
      for (const name of names) {
        add(rowFor(p.job.system.name, "baseline", name, results, (r) => {
          const pl = r.platforms!.find((x) => x.energy_model === name)!;
          return {
            total: pl.energy_J, oneOff: 0, seconds: Number.isFinite(pl.seconds) ? pl.seconds : null, updates: pl.updates, basis: pl.basis, source: pl.source,
            byAction: pl.by_action ?? { [`${name} (platform model)`]: pl.energy_J }, costing: pl.costing,
            ...(pl.measured_seconds !== undefined ? { measured: { seconds: pl.measured_seconds, energy_J: pl.measured_energy_J! } } : {}),
          };
        }, req, req.target));
      }
    }
  }
  // A law target below what exact i.i.d. draws of the budget's size show cannot be met by anyone.
  if (exact.spin) {
    const draws = req.chains * (req.maxSweeps - Math.floor(req.maxSweeps / 2));
    const iid = (rows[0]?.quality as { iid?: { tv: number; kl: number } }).iid;
    const floor = iid ? (req.target.metric === "tv" ? iid.tv : iid.kl) : undefined;
    if (floor !== undefined && !(floor <= req.target.value)) {
      warnings.push(`${req.target.text} is below what ${draws} exact i.i.d. draws show (${req.target.metric} ~ ${floor.toPrecision(3)} at the whole budget): no sampler can meet it; raise --max-sweeps or --chains, or loosen the target`);
    }
  }
  // Ratios to the best digital baseline row (lowest median energy / time to solution).
  const digital = rows.filter((r) => r.kind === "baseline");
  const bestOf = (pick: (r: SystemRow) => number | null) => {
    const vals = digital.map(pick).filter((v): v is number => v !== null);
    return vals.length ? Math.min(...vals) : null;
  };
  const bestE = bestOf((r) => r.energy_to_solution_J.median);
  const bestT = bestOf((r) => r.time_to_solution_s.median);
  for (const r of rows) {
    r.ratio_to_best_digital = {
      // A system with no costs modelled (the ideal chip: energy 0) has no ratio to state.
      energy: bestE === null || r.energy_to_solution_J.median === null || r.energy_to_solution_J.median === 0 ? null : r.energy_to_solution_J.median / bestE,
      time: bestT === null || r.time_to_solution_s.median === null ? null : r.time_to_solution_s.median / bestT,
    };
  }
  const headline = headlineOf({ target: req.target.text, systems: rows }, costings);
  return {
    json: {
      command: "compare",
      model: { file: req.modelFile, kind: model.kind, n: model.n, couplings: model.ei.length, beta: model.beta },
      target: req.target.text,
      repeats: req.repeats,
      chains: req.chains,
      max_sweeps: req.maxSweeps,
      seed: req.seed,
      checkpoints: marks,
      ...(exact.reference ? { reference: exact.reference } : {}),
      definitions: {
        time_to_solution_s: "time the system spends from its fixed initial state, including burn-in, until the first checkpoint at which the target is met (chips: simulated; baselines: measured on this machine or the platform model); median and 90th percentile over repeats, null when too few repeats reached it",
        energy_to_solution_J: "one-off costs (programming) + the run's sampling energy x (sweeps to target / sweeps run)",
        checkpoint_quality: "the target's metric on the second half of each chain's sweeps so far (the first half is burn-in); energy targets use every draw; MALA and HMC adapt their step during the first quarter of the budget",
        bias: "ess>=N,bias<=X: at a checkpoint, every traced observable's |mean - reference mean| + 2 x sqrt(MCSE^2 + reference MCSE^2) must be at most X reference standard deviations (MCSE = sd / sqrt(bulk ESS)); the reference is exact chromatic Gibbs with twice the chains and sweeps (chains numbered from 1,000,000, so their random streams are no system's)",
        iat_sweeps: "integrated autocorrelation time of the energy trace (Sokal, c = 5), second half of the run, in sweeps; median over repeats",
        ess_per_J: "smallest bulk ESS over the traced observables (second half of the run) / the whole run's energy; median over repeats",
        ratio_to_best_digital: "this row's median energy (time) to solution / the lowest median among the digital baseline rows",
        tts99: "optimisation targets: time per run x ln(0.01) / ln(1 - success probability), at least one run (Ronnow et al. 2014)",
        energy_per_update_J: "the median run's sampling energy / the updates it performed (every chain; p-bits for chips, every replica for tempering)",
        headline: "the cheapest chip with reached_fraction 1 against the cheapest row of each digital class with reached_fraction 1 (the integer twin: the chip's own); sensitivity: each figure pricing either side halved and doubled (tornado), and the value at which the two cost the same (break-even)",
      },
      headline,
      systems: rows,
    },
    warnings,
  };
}
