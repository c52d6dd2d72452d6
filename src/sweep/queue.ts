/**
 * Sweeps beyond one machine, on BullMQ (a Redis-backed job queue): the sweep
 * command enqueues its missing points and gathers their results into the
 * same content-addressed store; `thermosim worker` processes run points on
 * any number of machines. A job carries everything a point needs (the
 * model's bytes, the point's resolved chip spec, the run options) and its id
 * is the point's hash, so a point enqueued twice is one job, a redelivered
 * job recomputes the same pure result, and a worker killed mid-job loses its
 * lock: the job is stalled and run again by another worker.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, QueueEvents, Worker } from "bullmq";
import { Redis } from "ioredis";
import { InputError } from "../errors.js";
import { codeVersion, sha256 } from "./store.js";
import type { Figures, PointTask } from "./point.js";
import type { RunOptions } from "./spec.js";

export const QUEUE_NAME = "thermosim-sweep";
/** A worker renews its job's lock every half of this; a worker gone this long has its job run again. */
export const LOCK_MS = 10_000;

export interface QueueJob {
  hash: string;
  /** The enqueuing side's code version: a worker running other code refuses the job. */
  code: string;
  index: number;
  /** The model file's name (for messages) and bytes, base64. */
  modelName: string;
  model: string;
  /** The point's chip spec (YAML, the base spec merged with the point's fields), or a baseline. */
  chipYaml?: string;
  baseline?: string;
  run: RunOptions;
}

export function connectionOf(url: string): { host: string; port: number; password?: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError("--queue", undefined, `must be a redis://HOST:PORT address, got ${JSON.stringify(url)}`);
  }
  if (u.protocol !== "redis:" || !u.hostname || !u.port) throw new InputError("--queue", undefined, `must be a redis://HOST:PORT address, got ${JSON.stringify(url)}`);
  return { host: u.hostname, port: Number(u.port), ...(u.password ? { password: decodeURIComponent(u.password) } : {}) };
}

/** The address for messages and logs: a password never printed. */
export function redact(url: string): string {
  return url.replace(/^(redis:\/\/[^:@/]*:)[^@]*@/, "$1***@");
}

/** Refuse at once (one line, before anything is written) when Redis cannot be reached. */
export async function checkRedis(url: string): Promise<void> {
  const c = connectionOf(url);
  const r = new Redis({ host: c.host, port: c.port, ...(c.password ? { password: c.password } : {}), lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  let last: string | undefined;
  r.on("error", (e: Error) => (last = e.message)); // reported below, once (a refused password arrives here)
  try {
    await r.connect();
    await r.ping();
  } catch (e) {
    const why = last && !/Connection is closed/.test(last) ? last : (e as Error).message;
    // ioredis's protocol text ("got \"H\" as reply type byte") means something that is not Redis answered.
    const plain = /Protocol error|reply type byte/i.test(why) ? "something answered that is not Redis (an HTTP server?)" : /timed? ?out|ETIMEDOUT/i.test(why) ? "no answer within 3 s (a wrong host, or a firewall dropping the connection)" : why;
    throw new InputError("--queue", undefined, `cannot reach Redis at ${redact(url)}: ${plain}`);
  } finally {
    r.disconnect();
  }
}

/** Enqueue the points (id = hash) and resolve each point's result as it completes. */
export async function runOnQueue(url: string, jobs: QueueJob[], onDone: (job: QueueJob, result: { figures: Figures; warnings: string[] }) => void): Promise<void> {
  const connection = connectionOf(url);
  const queue = new Queue(QUEUE_NAME, { connection });
  const events = new QueueEvents(QUEUE_NAME, { connection });
  // Each job waited on listens on both for its end: as many listeners as jobs is expected here.
  queue.setMaxListeners(jobs.length + 16);
  events.setMaxListeners(jobs.length + 16);
  try {
    await events.waitUntilReady();
    await Promise.all(jobs.map(async (j) => {
      const job = await queue.add("point", j, { jobId: j.hash, attempts: 3, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: false, removeOnFail: false });
      let result: { figures: Figures; warnings: string[] };
      try {
        result = await job.waitUntilFinished(events);
      } catch (e) {
        const m = /^INPUT:(.*)$/s.exec((e as Error).message);
        if (m) {
          const x = JSON.parse(m[1]) as { where: string; field?: string; problem: string };
          throw new InputError(x.where, x.field, x.problem);
        }
        throw new Error(`sweep point ${j.index} failed on a worker: ${(e as Error).message}`);
      }
      onDone(j, result);
    }));
  } finally {
    await events.close();
    await queue.close();
  }
}

/** `thermosim worker`: run points from the queue until stopped; each job in a worker thread. */
export async function runWorker(url: string, concurrency: number, say: (s: string) => void): Promise<void> {
  const connection = connectionOf(url);
  const processor = fileURLToPath(new URL("./queue-processor.js", import.meta.url));
  const worker = new Worker(QUEUE_NAME, processor, { connection, concurrency, useWorkerThreads: true, lockDuration: LOCK_MS, stalledInterval: LOCK_MS / 2, maxStalledCount: 5 });
  worker.on("completed", (job) => say(`point ${job.data.index} done (${job.id})`));
  worker.on("failed", (job, err) => say(`point ${job?.data.index} failed: ${err.message.replace(/^INPUT:/, "")}`));
  worker.on("error", (err) => say(`queue error: ${err.message}`));
  await new Promise<void>((done) => {
    const stop = () => void worker.close().then(done);
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** In the processor: the job's files, written once per content into a scratch folder. */
export function materialise(j: QueueJob): PointTask {
  if (j.code !== codeVersion()) throw new InputError("--queue", undefined, `a worker runs other thermosim code (${codeVersion()}) than the sweep (${j.code}): its results would not be the ones the store names; run the same version everywhere`);
  const dir = join(tmpdir(), "thermosim-worker");
  mkdirSync(dir, { recursive: true });
  const bytes = Buffer.from(j.model, "base64");
  const ext = /\.[a-z]+$/i.exec(j.modelName)?.[0] ?? "";
  const modelFile = join(dir, `model-${sha256(bytes).slice(0, 24)}${ext}`);
  if (!existsSync(modelFile)) {
    const tmp = `${modelFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, bytes);
    renameSync(tmp, modelFile); // atomic: two threads writing the same model both leave a whole file
  }
  let chip: string | undefined;
  if (j.chipYaml !== undefined) {
    chip = join(dir, `chip-${j.hash}.yaml`);
    writeFileSync(chip, j.chipYaml);
  }
  return { index: j.index, modelFile, ...(chip ? { chip } : { baseline: j.baseline! }), run: j.run };
}
