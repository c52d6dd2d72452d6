/** A compare task in a worker thread (piscina): map the system afresh, run one repeat, return its result. */
import { prepareParsed } from "./sample.js";
import { runOnce, type CompareTask, type RepeatResult } from "./compare.js";
import { InputError } from "../errors.js";

export default function run(task: CompareTask, inThread = false): RepeatResult {
  try {
    const job = prepareParsed(task.inputs, task.sreq);
    return runOnce(job, task.sreq, task.target, task.exact, task.marks);
  } catch (e) {
    // An input problem keeps its kind across the thread boundary.
    if (e instanceof InputError && !inThread) throw new Error(`INPUT:${JSON.stringify({ where: e.where, field: e.field, problem: e.problem })}`);
    throw e;
  }
}
