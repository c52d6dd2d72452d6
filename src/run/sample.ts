/**
 * `thermosim sample` as a library call: model -> mapping -> chip kernel ->
 * energy ledger -> stats, for either chip kind.
 *
 * Files are read once, on the main thread (loadInputs); the parsed inputs --
 * plain data and typed arrays -- go to the worker threads that run the
 * chains, so a pipe or a file changed mid-run cannot give workers another
 * model. Chains always run in workers, which stream their rows straight into
 * the staged samples.npy at fixed offsets: the main thread stays free to
 * answer Ctrl-C, and memory does not grow with the number of samples.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism, totalmem } from "node:os";
import { closeSync, existsSync, openSync, writeSync, ftruncateSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadModel, type Model } from "../models/load.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../chips/load.js";
import { baselineJob, checkBaselineName } from "../systems/baselines.js";
import { chipJob } from "../systems/chip.js";
import type { Schedule } from "../chips/pbit/spec.js";
import { mergeTraces, observables } from "../metrics/traces.js";
import type { PlatformEstimate } from "../energy/platforms.js";
import { bufferRowsFor, mergeCounts, sumInOrder, type ChainResult, type RowSink } from "../chips/chains.js";
import { loadTechTable, resolvedTable, type TechTable } from "../energy/table.js";
import { checkTable, type ActionDef } from "../energy/ledger.js";
import { jobEnergy } from "../energy/job-energy.js";
import { SAMPLE_STATS } from "../report/units.js";
import { InputError } from "../errors.js";
import type { PinnedEmbedding } from "../mapping/place.js";
import { readEmbeddingFile, type Readout } from "../mapping/embedding.js";
import { readDistilled, type DistilledInputs } from "../mapping/distill.js";
import { distilledJob } from "../systems/distilled.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import { readClamp, type Clamp } from "./clamp.js";
import { DTYPE_BYTES, npyHeader } from "../io/npy.js";
import { formatBytes } from "../io/read.js";
import { writeError } from "../io/output.js";
import type { Flavour } from "../wasm/load.js";
import type { BetaEff } from "../metrics/beta-eff.js";

export interface SampleRequest {
  modelFile: string;
  /** A chip preset or spec file; or, instead, a digital baseline's name. */
  chip?: string;
  baseline?: string;
  /** Energy model (technology table) for a baseline: cpu (default) or asic-45nm. */
  energyModel?: string;
  /** Simulated annealing's schedule (default: from the model's energy scales). */
  anneal?: { b0: number; b1: number; shape: "geometric" | "linear" };
  /** Parallel tempering: replicas and the hot end of the ladder. */
  replicas?: number;
  hotBeta?: number;
  /** ULA/MALA step h, HMC step eps (initial for the adaptive ones). */
  step?: number;
  leapfrogSteps?: number;
  /** Sweeps during which MALA/HMC adapt their step (default: the burn-in). */
  adaptSweeps?: number;
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  seed: number;
  schedule?: Schedule;
  workers?: number;
  flavour?: Flavour;
  /** P-bit chips: an embedding file to reuse (chains of chip p-bits per variable). */
  embedding?: string;
  /** P-bit chips: ferromagnetic coupling of the p-bits in a chain (model energy units), utc (the default) or auto. */
  chainStrength?: number | "utc" | "auto";
  /** P-bit chips, embedded models: how chains are read (discard rows with a broken chain, the default, or majority vote). */
  readout?: Readout;
  /** P-bit chips: a distill.json from thermosim map; the chip it names runs the distilled model instead of placing this one. */
  distilled?: string;
  /**
   * compare: the chain options go to every chip, and a chip that embeds
   * nothing (identity placement, an analog chip) ignores them instead of refusing.
   */
  chainOptionsWhereEmbedded?: boolean;
  /** P-bit chips: the embedding search's work budget (edge relaxations; default DEFAULT_EMBED.budget). */
  embedBudget?: number;
  /** A clamp file (index, values [K, m]): K conditions x chains chains, condition-major. */
  clamp?: string;
}

/** Everything a run needs, parsed: what the main thread hands to workers. */
export interface ParsedInputs {
  model: Model;
  /** The chip spec document with its `extends` chain merged in (chip runs). */
  chipDoc?: Record<string, unknown>;
  chipFile?: string;
  /** A minor-embedding fixed before the job is built: read from --embedding, or found once on the main thread. */
  pinned?: PinnedEmbedding;
  /** The clamp file, read and checked against the model. */
  clamp?: Clamp;
  /** A saved distillation (--distilled): the window's Boltzmann machine and where the model's variables sit. */
  distilled?: DistilledInputs;
}

/** What samples: a chip model or a digital baseline, and the technology table that prices it. */
export interface SystemInfo {
  name: string;
  kind: "chip" | "baseline";
  /** pbit, langevin (chips), spin-baseline, ... */
  family: string;
  /** Spec file, or "built-in". */
  file: string;
  /** Technology table: a name in circuits/tech, a path relative to `file`, or inline. */
  energy: string | Record<string, unknown>;
}

export interface SampleResult {
  stats: Record<string, unknown>;
  /** The chip spec with defaults filled and the technology table inlined. */
  resolvedChip: Record<string, unknown>;
  /** Mapping and run warnings (also in stats.warnings). */
  warnings: string[];
  /** Things the user should know that are not problems (e.g. workers capped). */
  notes: string[];
}

/** A mapped, checked job, ready to run any range of its chains. */
export interface Job {
  model: Model;
  system: SystemInfo;
  actions: ActionDef[];
  schedule?: Schedule;
  /** Counts charged once per chip, not per host thread (programming). */
  once: string[];
  /** Counts that follow from others (converter steps from conversions and bits). */
  derived(counts: Record<string, number>): Record<string, number>;
  /** Diagnostics that add up over threads (the rest describe the chip instance). */
  summed: string[];
  /** Time-integral actions: units of each (p-bits, amplifiers, ...) x chip seconds. */
  perSecond: Record<string, number>;
  report: Record<string, unknown>;
  warnings: string[];
  extra: Record<string, unknown>;
  /** Bytes of one recorded row and its dtype in samples.npy (uint8: spins written as 0/1). */
  dtype: "int8" | "uint8" | "float64";
  /** What happened in the run: warnings (clipping, a biased law, poor mixing) and the checks behind them. */
  afterRun(run: ChainResult): { warnings: string[]; diagnostics: Record<string, unknown>; lawCheck?: Record<string, unknown>; betaEff?: BetaEff };
  /** Baselines: the same run's time and energy on every digital platform (CPU, ASIC, GPU). */
  platforms?(actions: Record<string, number>, measuredSeconds: number): PlatformEstimate[];
  /** P-bit chips with fixed-point numerics: the same run as a digital integer ASIC (energy/twin.ts). */
  twin?(actions: Record<string, number>, updates: number): PlatformEstimate & { twin_of: string };
  /** Upper bound on any one counter per sweep of one chain (for the 2^53 check). */
  countsPerSweep: number;
  /** WebAssembly memory of one kernel instance with a given output buffer. */
  kernelBytes(bufferRows: number): number;
  resolved(): Record<string, unknown>;
  runChains(first: number, count: number, sink?: RowSink): ChainResult;
  /** An embedding the job found or was given: workers and repeats reuse it instead of searching again. */
  pinned?: PinnedEmbedding;
  /** Extra files for the result folder (name -> contents), e.g. embedding.json. */
  outputs?: Record<string, string>;
}

export function loadInputs(req: Pick<SampleRequest, "modelFile" | "chip" | "baseline" | "embedding" | "chainStrength" | "readout" | "distilled" | "clamp" | "chains">): ParsedInputs {
  if (req.baseline !== undefined && req.chip !== undefined) throw new InputError("--baseline", undefined, "give --chip or --baseline, not both");
  if (req.baseline === undefined && req.chip === undefined) throw new InputError("sample", undefined, "give --chip CHIP or --baseline NAME");
  if (req.baseline !== undefined) checkBaselineName(req.baseline); // before reading the model
  const model = loadModel(req.modelFile);
  const clamp = req.clamp === undefined ? undefined : readClamp(req.clamp, model, req.chains);
  if (req.chip === undefined) {
    if (req.embedding !== undefined || req.chainStrength !== undefined || req.readout !== undefined || req.distilled !== undefined) throw new InputError(req.embedding !== undefined ? "--embedding" : req.chainStrength !== undefined ? "--chain-strength" : req.readout !== undefined ? "--readout" : "--distilled", undefined, "applies to p-bit chips, not to baselines");
    return { model, ...(clamp ? { clamp } : {}) };
  }
  const chipFile = resolveChipFile(req.chip);
  const read = req.embedding === undefined ? undefined : readEmbeddingFile(req.embedding);
  const pinned = read === undefined ? undefined : { chains: read.chains, how: `read from ${req.embedding}`, file: req.embedding, ...(read.topology !== undefined ? { madeFor: { chip: read.chip ?? "(unnamed)", topology: read.topology } } : {}) };
  const distilled = req.distilled === undefined ? undefined : readDistilled(req.distilled, req.modelFile, model.n);
  return { model, chipDoc: loadChipDocument(chipFile), chipFile, ...(pinned ? { pinned } : {}), ...(clamp ? { clamp } : {}), ...(distilled ? { distilled } : {}) };
}

/** Map and check parsed inputs; reads no file (workers call it too). */
export function prepareParsed(inp: ParsedInputs, req: SampleRequest): Job {
  const { model } = inp;
  if (req.baseline !== undefined) {
    if (req.schedule) throw new InputError("--schedule", undefined, `applies to p-bit chips, not to baseline ${req.baseline}`);
    return baselineJob(req.baseline, model, req, req.modelFile, inp.clamp);
  }
  if (req.energyModel !== undefined) throw new InputError("--energy-model", undefined, "applies to baselines; a chip is priced by its spec's technology table");
  // Options of digital baselines that a chip would silently ignore (it runs at the model's beta, its own dynamics).
  const baselineOnly: [unknown, string, string][] = [
    [req.anneal, "--anneal", "applies to baseline sa; the chips do not anneal (yet): a chip runs at the model's beta"],
    [req.replicas, "--replicas", "applies to baseline pt, not to a chip"],
    [req.hotBeta, "--hot-beta", "applies to baseline pt, not to a chip"],
    [req.step, "--step", "applies to baselines ula, mala and hmc; an analog chip's step is its spec's integrator.step"],
    [req.leapfrogSteps, "--leapfrog-steps", "applies to baseline hmc, not to a chip"],
  ];
  for (const [v, flag, why] of baselineOnly) if (v !== undefined) throw new InputError(flag, undefined, why);
  const spec = chipFromDocument(inp.chipDoc!, inp.chipFile!);
  if (req.chainOptionsWhereEmbedded && spec.kind !== "pbit") return chipJob(spec, model, { ...req, chainStrength: undefined, readout: undefined }, undefined, inp.clamp);
  if (req.readout !== undefined && spec.kind !== "pbit") throw new InputError("--readout", undefined, `applies to p-bit chips; ${spec.name} is an analog chip`);
  if (inp.pinned && spec.kind !== "pbit") throw new InputError("--embedding", undefined, `applies to p-bit chips; ${spec.name} is an analog chip`);
  if (req.chainStrength !== undefined && spec.kind !== "pbit") throw new InputError("--chain-strength", undefined, `applies to p-bit chips; ${spec.name} is an analog chip`);
  const d = inp.distilled;
  if (d && (spec.kind === "pbit" && spec.name === d.chip)) {
    const clash: [unknown, string][] = [[inp.pinned, "--embedding"], [req.chainStrength, "--chain-strength"], [req.readout, "--readout"], [inp.clamp, "--clamp"]];
    for (const [v, flag] of clash) if (v !== undefined && !(req.chainOptionsWhereEmbedded && flag !== "--clamp")) throw new InputError(flag, undefined, `does not apply with --distilled (the chip runs the distilled model on its own grid: nothing is embedded${flag === "--clamp" ? "; clamping a distilled model is not supported yet" : ""})`);
    if (model.kind !== "ising") throw new InputError(req.modelFile, "kind", "a distilled mapping samples spin models");
    return distilledJob(chipFromDocument(d.windowDoc, d.windowFile) as PbitSpec, model, req, d);
  }
  if (d && !req.chainOptionsWhereEmbedded) throw new InputError(d.file, "chip", `was distilled onto ${d.chip}; this run asks for ${spec.name}`);
  const job = chipJob(spec, model, req, inp.pinned, inp.clamp);
  // Pin what was found so worker threads (and repeats) use the same chains (and auto strength) without searching.
  if (job.pinned && (!inp.pinned || (job.pinned.strength && !inp.pinned.strength))) inp.pinned = job.pinned;
  return job;
}

/**
 * Load, map and check everything before any simulation starts. Returns the
 * request as it runs: with a clamp file, K conditions x the chains asked for.
 */
export function prepare(asked: SampleRequest): { job: Job; inputs: ParsedInputs; table: TechTable; req: SampleRequest } {
  const inputs = loadInputs(asked);
  const req = inputs.clamp ? { ...asked, chains: inputs.clamp.conditions * asked.chains } : asked;
  const job = prepareParsed(inputs, req);
  const table = loadTechTable(job.system.energy, job.system.file === "built-in" ? "--energy-model" : job.system.file);
  checkTable(table, job.actions);
  return { job, inputs, table, req };
}

/** How a run will be carried out, decided before anything is allocated or written. */
export interface RunPlan {
  workers: number;
  bufferRows: number;
  kernelBytes: number;
  /** Bytes of samples.npy. */
  sampleBytes: number;
  notes: string[];
}

const MAX_WASM_BYTES = 4 * 2 ** 30;
const EXACT = 2 ** 53;

/**
 * Refuse what cannot be represented or held, with what it would need:
 * counts beyond 2^53 (stats.json numbers are exact only that far), a chip
 * beyond WebAssembly's 4 GiB, kernels beyond the machine's memory. Caps the
 * workers at what can help.
 */
export function planRun(job: Job, req: SampleRequest): RunPlan {
  const n = job.model.n;
  const sweeps = req.chains * (req.burnIn + req.samples * req.thin);
  const worst = sweeps * Math.max(job.countsPerSweep, n);
  if (!(worst < EXACT)) {
    throw new InputError("--burn-in/--samples/--thin/--chains", undefined,
      `${req.chains} chains x (${req.burnIn} + ${req.samples} x ${req.thin}) sweeps of this chip count up to ${worst.toExponential(2)} actions, more than stats.json can state exactly (2^53 = 9.0e15); run fewer sweeps`);
  }
  const rowBytes = n * DTYPE_BYTES[job.dtype];
  const bufferRows = bufferRowsFor(rowBytes, {});
  const kernelBytes = job.kernelBytes(bufferRows);
  if (kernelBytes > MAX_WASM_BYTES) {
    throw new InputError(job.system.file, undefined, `simulating this model on ${job.system.kind} ${job.system.name} needs ${formatBytes(kernelBytes)} of WebAssembly memory; a 32-bit WebAssembly instance holds at most 4 GiB`);
  }
  // Kernels take the machine's memory per worker; keep a quarter for the rest.
  const budget = 0.75 * totalmem();
  if (kernelBytes > budget) {
    throw new InputError(job.system.file, undefined, `simulating this model on ${job.system.kind} ${job.system.name} needs ${formatBytes(kernelBytes)} of memory; this machine has ${formatBytes(totalmem())}`);
  }
  const notes: string[] = [];
  const asked = Math.max(1, req.workers ?? 1);
  const cores = availableParallelism();
  const byMemory = Math.max(1, Math.floor(budget / Math.max(kernelBytes, 1)));
  const workers = Math.min(asked, req.chains, cores, byMemory);
  if (workers < asked) {
    const why = [req.chains < asked ? `${req.chains} chains` : "", cores < asked ? `${cores} CPU cores` : "", byMemory < asked ? `memory for ${byMemory} chip instances` : ""].filter(Boolean);
    notes.push(`--workers ${asked} capped at ${workers} (${why.join(", ")}): more would not run faster`);
  }
  const sampleBytes = req.chains * req.samples * rowBytes;
  return { workers, bufferRows, kernelBytes, sampleBytes, notes };
}

/** A staged .npy: header written, data region sized; workers fill it. Returns the data offset. */
export function createNpyFile(path: string, dtype: "int8" | "uint8" | "float64", shape: number[]): number {
  const head = npyHeader(dtype, shape);
  let fd: number | undefined;
  try {
    fd = openSync(path, "w");
    writeSync(fd, head);
    ftruncateSync(fd, head.length + shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype]);
  } catch (e) {
    throw writeError(path, e);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return head.length;
}

/** The staged samples.npy ([chains x samples, n]). */
export function createSamplesFile(path: string, job: Job, req: SampleRequest): number {
  return createNpyFile(path, job.dtype, [req.chains * req.samples, job.model.n]);
}

/** The staged trace.npy: float64 [chains, samples, k], the observables' names in stats.json. */
export function createTraceFile(path: string, job: Job, req: SampleRequest): number {
  return createNpyFile(path, "float64", [req.chains, req.samples, observables(job.model).names.length]);
}

/** Bytes of trace.npy's data. */
export function traceBytes(job: Job, req: SampleRequest): number {
  return req.chains * req.samples * observables(job.model).names.length * 8;
}

/** Where a worker writes: the samples file and the trace file, and where their data start. */
export interface SampleTarget {
  file: string;
  dataOffset: number;
  traceFile: string;
  traceOffset: number;
}

/** A sink writing chain rows at their place in a file: row r of chain c at dataOffset + (c x samplesPerChain + r) x rowBytes. */
export function fileSink(fd: number, file: string, dataOffset: number, samplesPerChain: number, rowBytes: number) {
  return (chain: number, firstRow: number, count: number, rows: Int8Array | Uint8Array | Float64Array) => {
    const bytes = new Uint8Array(rows.buffer, rows.byteOffset, count * rowBytes);
    let at = dataOffset + (chain * samplesPerChain + firstRow) * rowBytes;
    try {
      for (let done = 0; done < bytes.length; ) {
        const w = writeSync(fd, bytes, done, bytes.length - done, at);
        done += w;
        at += w;
      }
    } catch (e) {
      throw writeError(file, e);
    }
  };
}

/** What a worker is given. */
export interface WorkerTask {
  inputs: ParsedInputs;
  req: SampleRequest;
  first: number;
  count: number;
  target: SampleTarget;
}

/** An error crossing the thread boundary keeps its kind (input problem or bug). */
export type WorkerReply =
  | { progress: number }
  | { ok: true; result: ChainResult }
  | { ok: false; input?: { where: string; field?: string; problem: string }; message: string; stack?: string };

/** Run every chain in `plan.workers` worker threads; chains split into contiguous ranges, merged in chain order. */
export async function runJob(job: Job, inputs: ParsedInputs, req: SampleRequest, plan: RunPlan, target: SampleTarget, onProgress?: (sweepsDone: number) => void): Promise<ChainResult> {
  const script = fileURLToPath(new URL("./sample-worker.js", import.meta.url));
  if (!existsSync(script)) throw new Error(`${script} is missing: chains run in worker threads from the compiled build (npm run build)`);
  const workers: Worker[] = [];
  const done = new Array<number>(plan.workers).fill(0);
  try {
    const parts = await Promise.all(
      Array.from({ length: plan.workers }, (_, w) => {
        const first = Math.floor((w * req.chains) / plan.workers);
        const count = Math.floor(((w + 1) * req.chains) / plan.workers) - first;
        const task: WorkerTask = { inputs, req, first, count, target };
        return new Promise<ChainResult>((resolve, reject) => {
          const worker = new Worker(script, { workerData: task });
          workers.push(worker);
          worker.on("message", (reply: WorkerReply) => {
            if ("progress" in reply) {
              done[w] = reply.progress;
              onProgress?.(done.reduce((a, b) => a + b, 0));
            } else if (reply.ok) resolve(reply.result);
            else if (reply.input) reject(new InputError(reply.input.where, reply.input.field, reply.input.problem));
            else reject(Object.assign(new Error(reply.message), { stack: reply.stack }));
          });
          worker.once("error", reject);
          worker.once("exit", (code) => reject(new Error(`worker ${w} exited (code ${code}) without a result`)));
        });
      }),
    );
    return merge(job, parts);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function merge(job: Job, parts: ChainResult[]): ChainResult {
  const { counts, chainCounts } = mergeCounts(parts);
  for (const k of job.once) counts[k] = parts[0].counts[k];
  const chainSeconds = parts.flatMap((r) => r.chainSeconds);
  const diagnostics = { ...parts[0].diagnostics };
  for (const k of job.summed) diagnostics[k] = parts.reduce((a, r) => a + r.diagnostics[k], 0);
  const perChain = parts[0].perChain
    ? Object.fromEntries(Object.keys(parts[0].perChain).map((k) => [k, parts.flatMap((p) => p.perChain![k])]))
    : undefined;
  return {
    ...(perChain ? { perChain } : {}),
    ...(parts[0].traces ? { traces: mergeTraces(parts.map((p) => p.traces!)) } : {}),
    samples: new Int8Array(0), counts, ...(chainCounts ? { chainCounts } : {}), chainSeconds, diagnostics, chipSeconds: sumInOrder(chainSeconds),
    updates: parts.reduce((a, r) => a + r.updates, 0),
    wallSeconds: Math.max(...parts.map((r) => r.wallSeconds)),
    kernelBytes: parts[0].kernelBytes,
  };
}

export function assemble(req: SampleRequest, job: Job, table: TechTable, run: ChainResult, setupSeconds: number, plan: RunPlan, inputs?: ParsedInputs): SampleResult {
  const { model, system } = job;
  const chipSeconds = sumInOrder(run.chainSeconds);
  const { actions, energy, oneOff, sampling } = jobEnergy(job, table, run.counts, chipSeconds);
  const nSamples = req.chains * req.samples;
  const sweeps = req.chains * (req.burnIn + req.samples * req.thin);
  const after = job.afterRun(run);
  const warnings = [...job.warnings, ...after.warnings];
  if (after.lawCheck) job.report.law_check = after.lawCheck;
  if (after.betaEff) job.report.beta_eff = after.betaEff;
  const stats: Record<string, unknown> = {
    command: "sample",
    model: {
      file: req.modelFile, kind: model.kind, n: model.n, couplings: model.ei.length, beta: model.beta,
      ...(model.kind === "ising" && model.offset !== undefined ? { energy_offset: model.offset, converted_from: model.origin === "binary" ? "0/1 variables (x = (1 + s) / 2)" : "spin variables" } : {}),
      ...(model.kind === "ising" && model.layers ? { rbm: { ...model.layers, samples: "0/1 units, visible then hidden" } } : {}),
    },
    ...(system.kind === "chip" ? { chip: system.name, chip_file: system.file } : { baseline: system.name, energy_model: table.name }),
    system_kind: system.kind,
    ...(system.kind === "chip" ? { chip_kind: system.family } : { baseline_family: system.family }),
    seed: req.seed,
    ...(job.schedule ? { schedule: job.schedule } : {}),
    chains: req.chains,
    ...(inputs?.clamp ? { clamp: { file: inputs.clamp.file, variables: Array.from(inputs.clamp.index), conditions: inputs.clamp.conditions, chains_per_condition: inputs.clamp.chains, rows: "condition-major, then chain, then sample; clamped columns hold their values" } } : {}),
    samples_per_chain: req.samples,
    burn_in: req.burnIn,
    thin: req.thin,
    workers: plan.workers,
    wall_seconds: run.wallSeconds,
    setup_seconds: setupSeconds,
    chip_seconds: chipSeconds,
    sweeps,
    trace_names: observables(model).names,
    updates: run.updates,
    updates_per_wall_ns: run.wallSeconds > 0 ? run.updates / run.wallSeconds / 1e9 : null,
    chip_updates_per_second: chipSeconds > 0 ? run.updates / chipSeconds : null,
    kernel_memory_bytes: run.kernelBytes,
    ...job.extra,
    actions,
    energy_J: {
      total: energy.total,
      one_off: oneOff,
      sampling,
      by_action: energy.by_action,
      per_sample: nSamples > 0 ? sampling / nSamples : null,
      per_update: run.updates > 0 ? sampling / run.updates : null,
      average_power_W: chipSeconds > 0 ? sampling / chipSeconds : null,
      table: table.name,
    },
    ...(job.platforms ? { platforms: job.platforms(actions, chipSeconds).map((p) => ({ ...p, seconds: Number.isFinite(p.seconds) ? p.seconds : null })) } : {}),
    mapping: job.report,
    diagnostics: { ...run.diagnostics, ...after.diagnostics, ...(run.perChain ? { per_chain: run.perChain } : {}) },
    warnings,
    units: {
      ...SAMPLE_STATS,
      ...Object.fromEntries(job.actions.map((a) => [`actions.${a.name}`, { unit: a.unit, description: a.description }])),
    },
  };
  const resolvedChip = { ...job.resolved(), energy: resolvedTable(table) };
  return { stats, resolvedChip, warnings, notes: plan.notes };
}
