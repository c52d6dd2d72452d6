/** Worker thread: maps the model itself (deterministic) and runs its chains. */
import { parentPort, workerData } from "node:worker_threads";
import { prepare, type SampleRequest } from "./sample.js";
import { runPbit } from "../chips/pbit/driver.js";
import type { Schedule } from "../chips/pbit/spec.js";

const { req, schedule, first, chains } = workerData as { req: SampleRequest; schedule: Schedule; first: number; chains: number };
const p = prepare({ ...req, schedule });
const r = runPbit(p.spec, p.mapping, {
  chains, samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, schedule, flavour: req.flavour, firstChain: first,
});
parentPort!.postMessage(r, [r.samples.buffer as ArrayBuffer]);
