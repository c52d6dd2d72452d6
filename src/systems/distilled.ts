/**
 * A model run through a saved distillation (thermosim map --mapping
 * distill): the chip's window runs the distilled Boltzmann machine, and the
 * visible p-bits are read out as the model's variables, so the samples,
 * traces, targets and law checks are the model's. Everything the window
 * does -- hidden p-bits included -- is counted and priced.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import type { RowSink, ChainResult } from "../chips/chains.js";
import { pbitJob } from "./pbit.js";
import { mapIsing } from "../mapping/pbit.js";
import { visibleLaw, type DistilledInputs } from "../mapping/distill.js";
import { MAX_ENUMERATE, boltzmann } from "../models/enumerate.js";
import { betaEffOf, LAW_P_THRESHOLD, mixingCheck } from "../run/checks.js";
import { spinLawCheck } from "../metrics/law-check.js";
import { LAW_CHECK_MAX_SPINS } from "../metrics/traces.js";

export function distilledJob(window: PbitSpec, original: Model & { kind: "ising" }, req: SampleRequest, d: DistilledInputs): Job {
  const inner = pbitJob(window, d.model, { ...req, modelFile: d.modelFile });
  const n = original.n;
  const m = d.model.n;
  const schedule = req.schedule ?? window.schedule;
  const runChains = (first: number, count: number, sink?: RowSink): ChainResult => {
    let out = new Int8Array(0);
    const collected = sink ? undefined : new Int8Array(count * req.samples * n);
    const r = inner.runChains(first, count, (chain, row, k, rows) => {
      if (out.length < k * n) out = new Int8Array(k * n);
      for (let q = 0; q < k; q++) for (let i = 0; i < n; i++) out[q * n + i] = rows[q * m + d.visible[i]];
      const block = out.subarray(0, k * n);
      if (sink) sink(chain, row, k, block);
      else collected!.set(block, ((chain - first) * req.samples + row) * n);
    });
    return { ...r, samples: collected ?? new Int8Array(0) };
  };
  const report: Record<string, unknown> = {
    ...inner.report,
    placement: "distilled",
    distilled: { file: d.file, chip: d.chip, window: window.name, pbits: m, hidden: m - n, visible: Array.from(d.visible), quality_at_map: d.quality },
  };
  return {
    ...inner,
    model: original,
    report,
    dtype: original.output === "binary" ? "uint8" : "int8",
    runChains,
    pinned: undefined,
    outputs: undefined,
    afterRun: (run) => {
      const mixing = mixingCheck(run, req);
      const warnings = [...mixing.warnings];
      let lawCheck: Record<string, unknown>;
      if (n > LAW_CHECK_MAX_SPINS || m > MAX_ENUMERATE) lawCheck = { skipped: `laws are enumerated up to ${LAW_CHECK_MAX_SPINS} variables and windows of ${MAX_ENUMERATE} p-bits` };
      else if (!run.traces?.states) lawCheck = { skipped: "no traced states" };
      else {
        // The target: the visible law of the distilled model as quantised onto the window, exactly.
        const target = visibleLaw(mapIsing(d.model, d.modelFile, window, schedule).effective(), d.visible);
        const c = spinLawCheck(original, run.traces.states, target, boltzmann(original));
        if (!c) lawCheck = { skipped: "too few draws (fewer than 10 batches)" };
        else {
          lawCheck = { target: "the visible law of the distilled, quantised model, exactly (enumeration of the window)", ...c, consistent: c.p_value >= LAW_P_THRESHOLD };
          if (c.p_value < LAW_P_THRESHOLD) warnings.push(`the chip's samples do not follow the distilled model's visible law: ${c.worst} is ${c.max_z.toPrecision(3)} standard errors off (p = ${c.p_value.toExponential(1)})`);
          if (c.model_max_z !== undefined && c.model_max_z > 3) warnings.push(`the distilled model's law differs visibly from the model's in this run: ${c.model_worst} (${c.model_max_z.toPrecision(3)} standard errors); distill.json gives the exact distance`);
        }
      }
      const betaEff = betaEffOf(run);
      return { warnings, diagnostics: mixing.diagnostics, lawCheck, ...(betaEff ? { betaEff } : {}) };
    },
  };
}
