/** A BullMQ sandboxed processor (one worker thread per concurrent job): run one sweep point. */
import { UnrecoverableError, type SandboxedJob } from "bullmq";
import { runPoint } from "./point.js";
import { materialise, type QueueJob } from "./queue.js";
import { InputError } from "../errors.js";

export default async function process(job: SandboxedJob<QueueJob>): Promise<Awaited<ReturnType<typeof runPoint>>> {
  try {
    return await runPoint(materialise(job.data));
  } catch (e) {
    // An input problem is not retried: the same inputs give the same error.
    if (e instanceof InputError) throw new UnrecoverableError(`INPUT:${JSON.stringify({ where: e.where, field: e.field, problem: e.problem })}`);
    throw e;
  }
}
