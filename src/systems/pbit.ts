/**
 * The p-bit chip family as a system: an Ising model mapped onto a p-bit chip
 * (placement, colouring, quantisation), run by the p-bit kernel, priced by
 * the chip's technology table.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { resolvedPbitSpec } from "../chips/pbit/spec.js";
import { mapIsing, type PbitMapping } from "../mapping/pbit.js";
import { runPbit, cyclesPerSweep, planPbitBytes, checkSchedule } from "../chips/pbit/driver.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { knownBiases, pbitAfterRun } from "../run/checks.js";
import { InputError } from "../errors.js";
import { chipSystem } from "./info.js";

export function pbitJob(spec: PbitSpec, model: Model, req: SampleRequest): Job {
  const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour };
  if (model.kind !== "ising") throw new InputError(req.modelFile, "kind", `chip ${spec.name} is a p-bit chip and samples Ising models; this model is ${model.kind}`);
  const schedule = req.schedule ?? spec.schedule;
  checkSchedule(spec, schedule);
  const mapping = mapIsing(model, req.modelFile, spec, schedule);
  return {
    model, system: chipSystem(spec), actions: PBIT_ACTIONS, schedule, once: ["weights_written", "pbits_programmed"], derived: () => ({}),
    summed: ["telegraph_refreshes", "async_history_overflows"],
    perSecond: { pbit_seconds: mapping.chipSize },
    report: mapping.report as unknown as Record<string, unknown>, warnings: [...mapping.report.warnings, ...knownBiases(spec, mapping, schedule)],
    extra: { cycles_per_sweep: schedule === "async" ? null : cyclesPerSweep(mapping, schedule) },
    dtype: model.output === "binary" ? "uint8" : "int8",
    afterRun: (run) => pbitAfterRun(run, mapping, spec, schedule, req),
    countsPerSweep: pbitCountsPerSweep(mapping, spec.rng.bitsPerDraw, schedule),
    kernelBytes: (rows) => planPbitBytes(spec, mapping, schedule, rows),
    resolved: () => resolvedPbitSpec(spec),
    runChains: (first, count, sink) => runPbit(spec, mapping, { ...opts, chains: count, firstChain: first, schedule, sink }),
  };
}

/** The largest counter's growth per sweep of one chain (MACs, idle p-bit cycles, random bits, ...). */
function pbitCountsPerSweep(m: PbitMapping, bitsPerDraw: number, schedule: Schedule): number {
  let fan = 0;
  for (let i = 0; i < m.n; i++) fan += m.fanIn[i];
  const cycles = schedule === "async" ? 1 : cyclesPerSweep(m, schedule);
  return Math.max(fan + m.n, m.chipSize * cycles * (schedule === "synchronous" ? 1 : m.classes), m.n * bitsPerDraw);
}

