/** Worker thread: maps the parsed job itself (deterministic), runs its chains, streams rows into the samples file. */
import { parentPort, workerData } from "node:worker_threads";
import { closeSync, openSync } from "node:fs";
import { fileSink, prepareParsed, type WorkerReply, type WorkerTask } from "./sample.js";
import { observables, traceCollector } from "../metrics/traces.js";
import { DTYPE_BYTES } from "../io/npy.js";
import { InputError } from "../errors.js";

const task = workerData as WorkerTask;
let reply: WorkerReply;
let fd: number | undefined;
let traceFd: number | undefined;
try {
  const job = prepareParsed(task.inputs, task.req);
  const { target, req } = task;
  fd = openSync(target.file, "r+");
  traceFd = openSync(target.traceFile, "r+");
  const write = fileSink(fd, target.file, target.dataOffset, req.samples, task.inputs.model.n * DTYPE_BYTES[job.dtype]);
  const obs = observables(task.inputs.model);
  const k = obs.names.length;
  const writeTrace = fileSink(traceFd, target.traceFile, target.traceOffset, req.samples, k * 8);
  // Clamped variables are not sampled: the pseudo-likelihood counts the free ones only.
  const clamp = task.inputs.clamp;
  const free = clamp ? Uint8Array.from({ length: task.inputs.model.n }, (_, i) => (clamp.index.includes(i) ? 0 : 1)) : undefined;
  const traces = traceCollector(task.inputs.model, req.samples, req.chains, task.first, task.count, free);
  let values = new Float64Array(0);
  // RBM units are written as 0/1: s = +-1 -> (s + 1) / 2.
  let units = new Uint8Array(0);
  // Progress for the main thread's bar: sweeps done (a chain's burn-in counts when its first rows arrive).
  let sweeps = 0;
  let lastPost = 0;
  const result = job.runChains(task.first, task.count, (chain, row, count, rows) => {
    sweeps += (row === 0 ? req.burnIn : 0) + count * req.thin;
    const now = performance.now();
    if (now - lastPost > 200) {
      lastPost = now;
      parentPort!.postMessage({ progress: sweeps });
    }
    if (job.dtype === "uint8") {
      const len = count * task.inputs.model.n;
      if (units.length < len) units = new Uint8Array(len);
      for (let q = 0; q < len; q++) units[q] = (rows[q] + 1) >> 1;
      write(chain, row, count, units.subarray(0, len));
    } else write(chain, row, count, rows);
    if (values.length < count * k) values = new Float64Array(count * k);
    for (let r = 0; r < count; r++) obs.compute(rows, r, values, r * k);
    writeTrace(chain, row, count, values);
    traces.onRows(chain, row, count, rows, values);
  });
  reply = { ok: true, result: { ...result, traces: traces.result() } };
} catch (e) {
  reply = e instanceof InputError
    ? { ok: false, input: { where: e.where, field: e.field, problem: e.problem }, message: e.message }
    : { ok: false, message: (e as Error).message ?? String(e), stack: (e as Error).stack };
} finally {
  if (fd !== undefined) closeSync(fd);
  if (traceFd !== undefined) closeSync(traceFd);
}
parentPort!.postMessage(reply!);
