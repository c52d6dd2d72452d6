/**
 * Runs that write a result folder: a `sample` run (samples.npy, trace.npy,
 * stats.json, chip.resolved.yaml) or a `compare` run (compare.json,
 * compare.md), into any destination that can name and write files -- a
 * command's own staged --out folder, or a sub-folder of a study's.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { assemble, createSamplesFile, createTraceFile, planRun, prepare, runJob, traceBytes, type SampleRequest, type SampleResult } from "./sample.js";
import { compare, type CompareRequest, type CompareResult } from "./compare.js";
import { finiteJson } from "../report/json.js";
import { compareMarkdown } from "../report/compare-md.js";
import type { OutputFolder } from "../io/output.js";

/** Where a run's files go (an OutputFolder, or a sub-folder of one). */
export interface Destination {
  /** The folder as the user will see it once published (for messages). */
  readonly dir: string;
  path(file: string): string;
  write(file: string, data: string | Uint8Array): void;
  /** Refuse up front when this many bytes will not fit. */
  checkSpace?(bytes: number, what: string): void;
}

/** An OutputFolder as a destination; its staging folder is made at the first file, once the run has been checked. */
export function lazyFolder(folder: OutputFolder): Destination {
  let created = false;
  const ready = () => {
    if (!created) folder.create();
    created = true;
  };
  return {
    dir: folder.dir,
    checkSpace: (b, what) => folder.checkSpace(b, what),
    path: (f) => (ready(), folder.path(f)),
    write: (f, data) => (ready(), folder.write(f, data)),
  };
}

/** A sub-folder of a destination (created now, inside its staging folder). */
export function subFolder(d: Destination, name: string): Destination {
  mkdirSync(d.path(name), { recursive: true });
  return {
    dir: join(d.dir, name),
    path: (f) => d.path(join(name, f)),
    write: (f, data) => d.write(join(name, f), data),
    checkSpace: d.checkSpace?.bind(d),
  };
}

export interface SampleRunHooks {
  /** Called with the run's total sweeps (all chains) before it starts. */
  start?(totalSweeps: number): void;
  progress?(sweepsDone: number): void;
  note?(text: string): void;
}

/** Check, plan and run one `sample` request, writing its folder; returns what `assemble` made. */
export async function writeSample(asked: SampleRequest, dest: Destination, hooks: SampleRunHooks = {}): Promise<SampleResult> {
  const t0 = performance.now();
  const { job, inputs, table, req } = prepare(asked);
  const plan = planRun(job, req);
  dest.checkSpace?.(plan.sampleBytes + traceBytes(job, req), "samples.npy and trace.npy");
  const setupSeconds = (performance.now() - t0) / 1000;
  for (const n of plan.notes) hooks.note?.(n);
  const file = dest.path("samples.npy");
  const dataOffset = createSamplesFile(file, job, req);
  const traceFile = dest.path("trace.npy");
  const traceOffset = createTraceFile(traceFile, job, req);
  // Clamped runs have K conditions x chains chains (the request already counts them).
  hooks.start?.(req.chains * (req.burnIn + req.samples * req.thin));
  const run = await runJob(job, inputs, req, plan, { file, dataOffset, traceFile, traceOffset }, (d) => hooks.progress?.(d));
  const r = assemble(req, job, table, run, setupSeconds, plan, inputs);
  dest.write("stats.json", finiteJson(r.stats, "stats.json") + "\n");
  dest.write("chip.resolved.yaml", stringify(r.resolvedChip, { lineWidth: 0 }));
  for (const [name, text] of Object.entries(job.outputs ?? {})) dest.write(name, text);
  return r;
}

/** Run one comparison and write compare.json and compare.md. */
export async function writeCompare(req: CompareRequest, dest: Destination, workers: number, onProgress?: (done: number, total: number) => void): Promise<CompareResult> {
  const r = await compare(req, workers, onProgress);
  dest.write("compare.json", finiteJson(r.json, "compare.json") + "\n");
  dest.write("compare.md", compareMarkdown(r.json));
  return r;
}
