/**
 * `thermosim sample` as a library call: model -> mapping -> chip kernel ->
 * energy ledger -> stats, for either chip kind. File writing stays in the CLI.
 */
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModel, type Model } from "../models/load.js";
import { loadChip, type ChipSpec } from "../chips/load.js";
import { resolvedPbitSpec, type Schedule } from "../chips/pbit/spec.js";
import { resolvedLangevinSpec } from "../chips/langevin/spec.js";
import { mapIsing } from "../mapping/pbit.js";
import { mapGaussian } from "../mapping/langevin.js";
import { mapHopfield } from "../mapping/hopfield.js";
import { runPbit, cyclesPerSweep } from "../chips/pbit/driver.js";
import { sumInOrder, type ChainResult } from "../chips/chains.js";
import { runLangevin } from "../chips/langevin/driver.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { LANGEVIN_ACTIONS } from "../chips/langevin/actions.js";
import { loadTechTable, resolvedTable, type TechTable } from "../energy/table.js";
import { checkTable, price, type ActionDef } from "../energy/ledger.js";
import { SAMPLE_STATS } from "../report/units.js";
import { InputError } from "../errors.js";
import type { NpyArray } from "../io/npy.js";
import type { Flavour } from "../wasm/load.js";

export interface SampleRequest {
  modelFile: string;
  chip: string;
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  seed: number;
  schedule?: Schedule;
  workers?: number;
  flavour?: Flavour;
}

export interface SampleResult {
  samples: NpyArray;
  stats: Record<string, unknown>;
  /** The chip spec with defaults filled and the technology table inlined. */
  resolvedChip: Record<string, unknown>;
  /** Mapping warnings (also in stats.mapping.warnings). */
  warnings: string[];
}


/** A loaded, mapped, checked job, ready to run any range of its chains. */
interface Job {
  model: Model;
  spec: ChipSpec;
  table: TechTable;
  actions: ActionDef[];
  schedule?: Schedule;
  /** Counts charged once per chip, not per host thread (programming). */
  once: string[];
  /** Diagnostics that add up over threads (the rest describe the chip instance). */
  summed: string[];
  /** Time-integral actions: units of each (p-bits, amplifiers, ...) x chip seconds. */
  perSecond: Record<string, number>;
  report: Record<string, unknown>;
  warnings: string[];
  extra: Record<string, unknown>;
  resolved(): Record<string, unknown>;
  runChains(first: number, count: number): ChainResult;
}

/** Load and check everything before any simulation starts. */
export function prepare(req: SampleRequest): Job {
  const model = loadModel(req.modelFile);
  const spec = loadChip(req.chip);
  const table = loadTechTable(spec.energy, spec.file);
  const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour };
  if (spec.kind === "pbit") {
    if (model.kind !== "ising") throw new InputError(req.modelFile, "kind", `chip ${spec.name} is a p-bit chip and samples Ising models; this model is ${model.kind}`);
    checkTable(table, PBIT_ACTIONS);
    const schedule = req.schedule ?? spec.schedule;
    const mapping = mapIsing(model, req.modelFile, spec, schedule);
    return {
      model, spec, table, actions: PBIT_ACTIONS, schedule, once: ["weights_written", "pbits_programmed"],
      summed: ["telegraph_refreshes", "async_history_overflows"],
      perSecond: { pbit_seconds: mapping.chipSize },
      report: mapping.report as unknown as Record<string, unknown>, warnings: [],
      extra: { cycles_per_sweep: schedule === "async" ? null : cyclesPerSweep(mapping, schedule) },
      resolved: () => resolvedPbitSpec(spec),
      runChains: (first, count) => runPbit(spec, mapping, { ...opts, chains: count, firstChain: first, schedule }),
    };
  }
  if (model.kind === "ising") throw new InputError(req.modelFile, "kind", `chip ${spec.name} is an analog Langevin chip and samples Gaussian and Hopfield models; this model is ising`);
  if (req.schedule) throw new InputError("--schedule", undefined, `applies to p-bit chips; ${spec.name} is an analog Langevin chip`);
  checkTable(table, LANGEVIN_ACTIONS);
  const mapping = model.kind === "gaussian" ? mapGaussian(model, req.modelFile, spec, req.seed) : mapHopfield(model, req.modelFile, spec, req.seed);
  return {
    model, spec, table, actions: LANGEVIN_ACTIONS, once: ["dac_writes"], summed: ["integrator_steps", "rail_clips"],
    perSecond: { amplifier_seconds: mapping.amplifiers, noise_source_seconds: mapping.noiseSources },
    report: mapping.report, warnings: mapping.warnings, extra: { readout_interval_s: spec.readout.interval },
    resolved: () => resolvedLangevinSpec(spec),
    runChains: (first, count) => runLangevin(spec, mapping, { ...opts, chains: count, firstChain: first }),
  };
}

export async function sample(req: SampleRequest): Promise<SampleResult> {
  const t0 = performance.now();
  const job = prepare(req);
  const setupSeconds = (performance.now() - t0) / 1000;
  const workers = Math.max(1, Math.min(req.workers ?? 1, req.chains));
  const run = workers === 1 ? job.runChains(0, req.chains) : await runInWorkers(req, job, workers);
  return assemble(req, job, run, setupSeconds, workers);
}

/** Chains split into contiguous ranges, one per worker; merged in chain order. */
async function runInWorkers(req: SampleRequest, job: Job, workers: number): Promise<ChainResult> {
  const script = fileURLToPath(new URL("./sample-worker.js", import.meta.url));
  if (!existsSync(script)) throw new Error(`${script} is missing: --workers needs the compiled build (npm run build)`);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const first = Math.floor((w * req.chains) / workers);
      const count = Math.floor(((w + 1) * req.chains) / workers) - first;
      return new Promise<ChainResult>((resolve, reject) => {
        const worker = new Worker(script, { workerData: { req, first, count } });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    }),
  );
  const total = parts.reduce((a, r) => a + r.samples.length, 0);
  const samples = parts[0].samples instanceof Float64Array ? new Float64Array(total) : new Int8Array(total);
  let at = 0;
  for (const r of parts) {
    samples.set(r.samples as never, at);
    at += r.samples.length;
  }
  const counts: Record<string, number> = {};
  for (const r of parts) for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
  for (const k of job.once) counts[k] = parts[0].counts[k];
  const chainSeconds = parts.flatMap((r) => r.chainSeconds);
  const diagnostics = { ...parts[0].diagnostics };
  for (const k of job.summed) diagnostics[k] = parts.reduce((a, r) => a + r.diagnostics[k], 0);
  const merged: ChainResult = {
    samples, counts, chainSeconds, diagnostics, chipSeconds: sumInOrder(chainSeconds),
    updates: parts.reduce((a, r) => a + r.updates, 0),
    wallSeconds: Math.max(...parts.map((r) => r.wallSeconds)),
    kernelBytes: parts[0].kernelBytes,
  };
  return merged;
}

function assemble(req: SampleRequest, job: Job, run: ChainResult, setupSeconds: number, workers: number): SampleResult {
  const { model, spec, table } = job;
  const chipSeconds = sumInOrder(run.chainSeconds);
  const actions: Record<string, number> = { ...run.counts };
  // Time integrals from the chain-ordered total: independent of the worker split.
  for (const [k, units] of Object.entries(job.perSecond)) actions[k] = units * chipSeconds;
  const energy = price(actions, job.actions, table);
  const nSamples = req.chains * req.samples;
  const sweeps = req.chains * (req.burnIn + req.samples * req.thin);
  const stats: Record<string, unknown> = {
    command: "sample",
    model: { file: req.modelFile, kind: model.kind, n: model.n, couplings: model.ei.length, beta: model.beta },
    chip: spec.name,
    chip_kind: spec.kind,
    chip_file: spec.file,
    seed: req.seed,
    ...(job.schedule ? { schedule: job.schedule } : {}),
    chains: req.chains,
    samples_per_chain: req.samples,
    burn_in: req.burnIn,
    thin: req.thin,
    workers,
    wall_seconds: run.wallSeconds,
    setup_seconds: setupSeconds,
    chip_seconds: chipSeconds,
    sweeps,
    updates: run.updates,
    updates_per_wall_ns: run.wallSeconds > 0 ? run.updates / run.wallSeconds / 1e9 : null,
    chip_updates_per_second: chipSeconds > 0 ? run.updates / chipSeconds : null,
    kernel_memory_bytes: run.kernelBytes,
    ...job.extra,
    actions,
    energy_J: {
      total: energy.total,
      by_action: energy.by_action,
      per_sample: nSamples > 0 ? energy.total / nSamples : null,
      per_update: run.updates > 0 ? energy.total / run.updates : null,
      average_power_W: chipSeconds > 0 ? energy.total / chipSeconds : null,
      table: table.name,
    },
    mapping: job.report,
    diagnostics: run.diagnostics,
    units: {
      ...SAMPLE_STATS,
      ...Object.fromEntries(job.actions.map((a) => [`actions.${a.name}`, { unit: a.unit, description: a.description }])),
    },
  };
  const resolvedChip = { ...job.resolved(), energy: resolvedTable(table) };
  const samples: NpyArray = run.samples instanceof Float64Array
    ? { dtype: "float64", shape: [nSamples, model.n], data: run.samples }
    : { dtype: "int8", shape: [nSamples, model.n], data: run.samples };
  return { samples, stats, resolvedChip, warnings: job.warnings };
}
