/**
 * `thermosim sample` as a library call: model -> mapping -> chip kernel ->
 * energy ledger -> stats. File writing stays in the CLI.
 */
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModel, type Model } from "../models/load.js";
import { loadChip, type ChipSpec } from "../chips/load.js";
import { resolvedPbitSpec, type Schedule } from "../chips/pbit/spec.js";
import { mapIsing, type PbitMapping } from "../mapping/pbit.js";
import { runPbit, cyclesPerSweep, sumInOrder, type PbitRunResult } from "../chips/pbit/driver.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { loadTechTable, resolvedTable, type TechTable } from "../energy/table.js";
import { checkTable, price } from "../energy/ledger.js";
import { SAMPLE_STATS } from "../report/units.js";
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
}

interface Prepared {
  model: Model;
  spec: ChipSpec;
  table: TechTable;
  mapping: PbitMapping;
  schedule: Schedule;
}

/** Load and check everything before any simulation starts. */
export function prepare(req: Pick<SampleRequest, "modelFile" | "chip" | "schedule">): Prepared {
  const model = loadModel(req.modelFile);
  const spec = loadChip(req.chip);
  const table = loadTechTable(spec.energy, spec.file);
  checkTable(table, PBIT_ACTIONS);
  const schedule = req.schedule ?? spec.schedule;
  const mapping = mapIsing(model, req.modelFile, spec, schedule);
  return { model, spec, table, mapping, schedule };
}

export async function sample(req: SampleRequest): Promise<SampleResult> {
  const t0 = performance.now();
  const p = prepare(req);
  const setupSeconds = (performance.now() - t0) / 1000;
  const opts = { chains: req.chains, samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, schedule: p.schedule, flavour: req.flavour };
  const workers = Math.max(1, Math.min(req.workers ?? 1, req.chains));
  const run = workers === 1 ? runPbit(p.spec, p.mapping, opts) : await runInWorkers(req, p, workers);
  return assemble(req, p, run, setupSeconds, workers);
}

/** Chains split into contiguous ranges, one per worker; merged in chain order. */
async function runInWorkers(req: SampleRequest, p: Prepared, workers: number): Promise<PbitRunResult> {
  const script = fileURLToPath(new URL("./sample-worker.js", import.meta.url));
  if (!existsSync(script)) throw new Error(`${script} is missing: --workers needs the compiled build (npm run build)`);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) => {
      const first = Math.floor((w * req.chains) / workers);
      const chains = Math.floor(((w + 1) * req.chains) / workers) - first;
      return new Promise<PbitRunResult>((resolve, reject) => {
        const worker = new Worker(script, { workerData: { req, schedule: p.schedule, first, chains } });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    }),
  );
  const samples = new Int8Array(parts.reduce((a, r) => a + r.samples.length, 0));
  let at = 0;
  for (const r of parts) {
    samples.set(r.samples, at);
    at += r.samples.length;
  }
  const counts: Record<string, number> = {};
  for (const r of parts) for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
  // The chip is programmed once, however many host threads simulate its chains.
  counts.weights_written = parts[0].counts.weights_written;
  counts.pbits_programmed = parts[0].counts.pbits_programmed;
  return {
    samples,
    counts,
    updates: parts.reduce((a, r) => a + r.updates, 0),
    chainSeconds: parts.flatMap((r) => r.chainSeconds),
    chipSeconds: sumInOrder(parts.flatMap((r) => r.chainSeconds)),
    wallSeconds: Math.max(...parts.map((r) => r.wallSeconds)),
    kernelBytes: parts[0].kernelBytes,
    diagnostics: {
      telegraph_refreshes: parts.reduce((a, r) => a + r.diagnostics.telegraph_refreshes, 0),
      async_history_overflows: parts.reduce((a, r) => a + r.diagnostics.async_history_overflows, 0),
      rng_shifts_per_read: parts[0].diagnostics.rng_shifts_per_read,
      mismatch_gain_sd: parts[0].diagnostics.mismatch_gain_sd,
      mismatch_offset_sd: parts[0].diagnostics.mismatch_offset_sd,
    },
  };
}

function assemble(req: SampleRequest, p: Prepared, run: PbitRunResult, setupSeconds: number, workers: number): SampleResult {
  const { model, spec, table, mapping, schedule } = p;
  const actions: Record<string, number> = { ...run.counts, pbit_seconds: mapping.chipSize * run.chipSeconds };
  const energy = price(actions, PBIT_ACTIONS, table);
  const nSamples = req.chains * req.samples;
  const sweeps = req.chains * (req.burnIn + req.samples * req.thin);
  const stats: Record<string, unknown> = {
    command: "sample",
    model: { file: req.modelFile, kind: model.kind, n: model.n, couplings: model.ei.length, beta: model.beta },
    chip: spec.name,
    chip_file: spec.file,
    seed: req.seed,
    schedule,
    chains: req.chains,
    samples_per_chain: req.samples,
    burn_in: req.burnIn,
    thin: req.thin,
    workers,
    wall_seconds: run.wallSeconds,
    setup_seconds: setupSeconds,
    chip_seconds: run.chipSeconds,
    sweeps,
    updates: run.updates,
    updates_per_wall_ns: run.wallSeconds > 0 ? run.updates / run.wallSeconds / 1e9 : null,
    chip_updates_per_second: run.chipSeconds > 0 ? run.updates / run.chipSeconds : null,
    cycles_per_sweep: schedule === "async" ? null : cyclesPerSweep(mapping, schedule),
    kernel_memory_bytes: run.kernelBytes,
    actions,
    energy_J: {
      total: energy.total,
      by_action: energy.by_action,
      per_sample: nSamples > 0 ? energy.total / nSamples : null,
      per_update: run.updates > 0 ? energy.total / run.updates : null,
      average_power_W: run.chipSeconds > 0 ? energy.total / run.chipSeconds : null,
      table: table.name,
    },
    mapping: mapping.report,
    diagnostics: run.diagnostics,
    units: {
      ...SAMPLE_STATS,
      ...Object.fromEntries(PBIT_ACTIONS.map((a) => [`actions.${a.name}`, { unit: a.unit, description: a.description }])),
    },
  };
  const resolvedChip = { ...resolvedPbitSpec(spec), energy: resolvedTable(table) };
  return {
    samples: { dtype: "int8", shape: [nSamples, model.n], data: run.samples },
    stats,
    resolvedChip,
  };
}
