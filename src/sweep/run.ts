/**
 * Running a sweep: every point's inputs resolved and hashed, the points with
 * no finished record computed on a worker pool (piscina), each record stored
 * the moment it is done, then the table of all points in the sweep's order.
 * Results do not depend on the number of workers: a point is a pure job with
 * its own seed, and rows are gathered by point, not by completion.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { stringify } from "yaml";
import { InputError } from "../errors.js";
import { loadChipDocument, withOverrides } from "../chips/load.js";
import { PointStore, canonical, codeVersion, sha256 } from "./store.js";
import type { Figures, PointTask } from "./point.js";
import { runOnQueue, type QueueJob } from "./queue.js";
import type { Sweep, SweepPoint } from "./spec.js";

export interface PointRecord {
  index: number;
  hash: string;
  values: Record<string, unknown>;
  figures: Figures;
  warnings: string[];
  /** A point that failed (its input refused at run time) or ran out of time: why, in one line. */
  failed?: string;
}

export interface SweepRun {
  records: PointRecord[];
  computed: number;
  reused: number;
}

/** Everything a point's result depends on, as the store hashes it. */
function pointInputs(sw: Sweep, p: SweepPoint, modelHash: string, baseDoc?: Record<string, unknown>) {
  return {
    code: codeVersion(),
    model: modelHash,
    system: baseDoc ? { chip: p.chipOverrides ? withOverrides(baseDoc, p.chipOverrides, sw.chipFile) : baseDoc } : { baseline: sw.baseline },
    run: { ...p.run, target: p.run.target?.text },
  };
}

export interface SweepOptions {
  /** Only the points with index % n == i (a batch scheduler's array task). */
  shard?: { i: number; n: number };
  /** Merge: take finished points from these sweep folders; compute nothing, and refuse if any is missing. */
  from?: string[];
  /** Run the missing points on this BullMQ queue's workers (redis://HOST:PORT). */
  queue?: string;
  /** Seconds a point may take on this machine before it is stopped and reported (the rest go on). */
  pointTimeout?: number;
}

/** Every point's hash and finished record (if any) in `store`, the shard's points only. */
function planOf(sw: Sweep, store: PointStore, opts: SweepOptions) {
  const modelHash = sha256(readFileSync(sw.model));
  const baseDoc = sw.chipFile ? loadChipDocument(sw.chipFile) : undefined;
  const plan = sw.points.map((p, index) => {
    const hash = sha256(canonical(pointInputs(sw, p, modelHash, baseDoc))).slice(0, 32);
    return { index, point: p, hash, done: store.get(hash) as Record<string, unknown> | undefined };
  }).filter((q) => !opts.shard || q.index % opts.shard.n === opts.shard.i);
  return { plan, modelHash, baseDoc };
}

/** Before a merge writes anything: refuse if a point is in none of the folders (nor in `dir`). */
export function checkMerge(sw: Sweep, dir: string, from: string[]): void {
  const { plan } = planOf(sw, new PointStore(dir), {});
  const sources = from.map((d) => new PointStore(d));
  const missing = plan.filter((q) => !q.done && sources.every((src) => src.get(q.hash) === undefined));
  if (missing.length > 0) {
    const first = missing[0];
    throw new InputError("--merge", undefined, `${missing.length} of ${plan.length} points are in none of the folders (the first: point ${first.index}, ${Object.entries(first.point.values).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}): run their shards first, with the same sweep file and code`);
  }
}

export async function runSweep(sw: Sweep, dir: string, workers: number, onProgress?: (done: number, total: number) => void, opts: SweepOptions = {}): Promise<SweepRun> {
  const planned = planOf(sw, new PointStore(dir), opts);
  const store = new PointStore(dir);
  store.open();
  const specs = join(dir, "specs");
  mkdirSync(specs, { recursive: true });
  const { plan, modelHash, baseDoc } = planned;
  if (opts.from) {
    const sources = opts.from.map((d) => new PointStore(d));
    for (const q of plan) {
      if (q.done) continue;
      const found = sources.map((src) => src.get(q.hash)).find((x) => x !== undefined);
      if (found) {
        const { hash: _h, complete: _c, ...record } = found;
        store.put(q.hash, record);
        q.done = store.get(q.hash);
      }
    }
  }
  const todo = plan.filter((q) => !q.done);
  const timedOut = new Map<string, string>();
  let finished = plan.length - todo.length;
  onProgress?.(finished, plan.length);
  if (todo.length > 0 && opts.queue) {
    // Beyond this machine: the points go to the queue's workers, their results into this store.
    const model = readFileSync(sw.model).toString("base64");
    const jobs: QueueJob[] = todo.map((q) => ({
      hash: q.hash, code: codeVersion(), index: q.index, modelName: sw.modelText, model,
      ...(baseDoc ? { chipYaml: stringify(q.point.chipOverrides ? withOverrides(baseDoc, q.point.chipOverrides, sw.chipFile) : baseDoc) } : { baseline: sw.baseline }),
      run: q.point.run,
    }));
    const byHash = new Map(todo.map((q) => [q.hash, q]));
    await runOnQueue(opts.queue, jobs, (j, out) => {
      const q = byHash.get(j.hash)!;
      store.put(q.hash, { values: q.point.values, inputs: pointInputs(sw, q.point, modelHash, baseDoc), figures: out.figures, warnings: out.warnings });
      q.done = store.get(q.hash);
      onProgress?.(++finished, plan.length);
    });
  } else if (todo.length > 0) {
    const filename = fileURLToPath(new URL("./worker.js", import.meta.url));
    if (!existsSync(filename)) throw new Error(`${filename} is missing: sweeps run points in worker threads from the compiled build (npm run build)`);
    const pool = new Piscina({ filename, minThreads: 1, maxThreads: Math.max(1, Math.min(workers, todo.length)), idleTimeout: 100 });
    try {
      await Promise.all(todo.map(async (q) => {
        let chip: string | undefined;
        if (sw.chipFile) {
          // The point's spec: the base spec file extended by the point's fields (kept beside the results).
          chip = join(specs, `${q.hash}.yaml`);
          if (!existsSync(chip)) writeFileSync(chip, stringify({ extends: sw.chipFile, ...(q.point.chipOverrides ?? {}) }));
        }
        const task: PointTask = { index: q.index, modelFile: sw.model, ...(chip ? { chip } : { baseline: sw.baseline }), run: q.point.run };
        let out: { figures: Figures; warnings: string[] };
        // A point that takes too long is stopped (its worker ended) and reported; the others go on.
        const abort = new AbortController();
        const timer = opts.pointTimeout !== undefined ? setTimeout(() => abort.abort(), opts.pointTimeout * 1000) : undefined;
        try {
          out = await pool.run(task, { signal: abort.signal });
        } catch (e) {
          const m = e instanceof Error ? /^INPUT:(.*)$/s.exec(e.message) : null;
          if (abort.signal.aborted) {
            // Not stored: a time limit is this machine's, and a rerun tries the point again.
            timedOut.set(q.hash, `stopped after ${opts.pointTimeout} s (--point-timeout) on this machine; the other points ran`);
            onProgress?.(++finished, plan.length);
            return;
          }
          if (!m) throw e;
          // The point's input was refused at run time: a result of the sweep (stored), the others go on.
          const x = JSON.parse(m[1]) as { where: string; field?: string; problem: string };
          store.put(q.hash, { values: q.point.values, inputs: pointInputs(sw, q.point, modelHash, baseDoc), figures: {}, warnings: [], failed: `${x.where}${x.field ? `: ${x.field}` : ""}: ${x.problem}` });
          q.done = store.get(q.hash);
          onProgress?.(++finished, plan.length);
          return;
        } finally {
          if (timer) clearTimeout(timer);
        }
        const record = { values: q.point.values, inputs: pointInputs(sw, q.point, modelHash, baseDoc), figures: out.figures, warnings: out.warnings };
        store.put(q.hash, record);
        q.done = store.get(q.hash);
        onProgress?.(++finished, plan.length);
      }));
    } finally {
      await pool.destroy();
    }
  }
  const records: PointRecord[] = plan.map((q) => {
    const failed = (q.done?.failed as string | undefined) ?? timedOut.get(q.hash);
    return { index: q.index, hash: q.hash, values: q.point.values, figures: (q.done?.figures as Figures) ?? {}, warnings: (q.done?.warnings as string[]) ?? [], ...(failed ? { failed } : {}) };
  });
  return { records, computed: todo.length, reused: plan.length - todo.length };
}
