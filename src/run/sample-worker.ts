/** Worker thread: loads and maps the job itself (deterministic) and runs its chains. */
import { parentPort, workerData } from "node:worker_threads";
import { prepare, type SampleRequest } from "./sample.js";

const { req, first, count } = workerData as { req: SampleRequest; first: number; count: number };
const r = prepare(req).runChains(first, count);
parentPort!.postMessage(r, [r.samples.buffer as ArrayBuffer]);
