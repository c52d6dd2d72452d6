/** A sweep point in a worker thread (piscina); input errors keep their kind across the thread boundary. */
import { runPoint, type PointTask } from "./point.js";
import { InputError } from "../errors.js";

export default async function run(task: PointTask): Promise<Awaited<ReturnType<typeof runPoint>>> {
  try {
    return await runPoint(task);
  } catch (e) {
    if (e instanceof InputError) throw new Error(`INPUT:${JSON.stringify({ where: e.where, field: e.field, problem: e.problem })}`);
    throw e;
  }
}
