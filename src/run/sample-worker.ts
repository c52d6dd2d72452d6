/** Worker thread: maps the parsed job itself (deterministic), runs its chains, streams rows into the samples file. */
import { parentPort, workerData } from "node:worker_threads";
import { closeSync, openSync } from "node:fs";
import { fileSink, prepareParsed, type WorkerReply, type WorkerTask } from "./sample.js";
import { traceCollector } from "../metrics/traces.js";
import { DTYPE_BYTES } from "../io/npy.js";
import { InputError } from "../errors.js";

const task = workerData as WorkerTask;
let reply: WorkerReply;
let fd: number | undefined;
try {
  const job = prepareParsed(task.inputs, task.req);
  fd = openSync(task.target.file, "r+");
  const write = fileSink(fd, task.target, task.req.samples, task.inputs.model.n * DTYPE_BYTES[job.dtype]);
  const traces = traceCollector(task.inputs.model, task.req.samples, task.req.chains, task.first, task.count);
  const result = job.runChains(task.first, task.count, (chain, row, count, rows) => {
    write(chain, row, count, rows);
    traces.onRows(chain, row, count, rows);
  });
  reply = { ok: true, result: { ...result, traces: traces.result() } };
} catch (e) {
  reply = e instanceof InputError
    ? { ok: false, input: { where: e.where, field: e.field, problem: e.problem }, message: e.message }
    : { ok: false, message: (e as Error).message ?? String(e), stack: (e as Error).stack };
} finally {
  if (fd !== undefined) closeSync(fd);
}
parentPort!.postMessage(reply!);
