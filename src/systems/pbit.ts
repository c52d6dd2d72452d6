/**
 * The p-bit chip family as a system: an Ising model mapped onto a p-bit chip
 * (placement, colouring, quantisation), run by the p-bit kernel, priced by
 * the chip's technology table.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { Model } from "../models/load.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { resolvedPbitSpec } from "../chips/pbit/spec.js";
import type { PbitMapping } from "../mapping/pbit.js";
import { placeIsing, utcChainStrength, type EmbeddingInfo, type PinnedEmbedding } from "../mapping/place.js";
import { chooseChainStrength } from "./chain-strength.js";
import { embeddingDocument, keepUnbrokenRows, unembedRows, type Readout } from "../mapping/embedding.js";
import type { ChainResult, RowSink } from "../chips/chains.js";
import { runPbit, cyclesPerSweep, planPbitBytes, checkSchedule, type PbitClamp } from "../chips/pbit/driver.js";
import { clampRow, type Clamp } from "../run/clamp.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { knownBiases, pbitAfterRun } from "../run/checks.js";
import { InputError } from "../errors.js";
import { chipSystem } from "./info.js";
import { gridPlan } from "../chips/pbit/grid.js";
import { twinEstimate } from "../energy/twin.js";

const twinOf = (chip: string, accBits: number) => (actions: Record<string, number>, updates: number) => twinEstimate(chip, actions, updates, accBits);

export function pbitJob(spec: PbitSpec, model: Model, req: SampleRequest, pinnedIn?: PinnedEmbedding, clamp?: Clamp): Job {
  let pinned = pinnedIn;
  const opts = { samples: req.samples, burnIn: req.burnIn, thin: req.thin, seed: req.seed, flavour: req.flavour };
  if (model.kind !== "ising") throw new InputError(req.modelFile, "kind", `chip ${spec.name} is a p-bit chip and samples Ising models; this model is ${model.kind}`);
  const schedule = req.schedule ?? spec.schedule;
  checkSchedule(spec, schedule);
  const strength = req.chainStrength === "auto" ? autoStrength(spec, model, req, schedule, pinned) : { pinned, value: req.chainStrength };
  pinned = strength.pinned;
  const { mapping, embedding } = placeIsing(model, req.modelFile, spec, schedule, {
    seed: req.seed, chainStrength: strength.value, pinned, strengthOnlyIfEmbedded: req.chainOptionsWhereEmbedded, embedBudget: req.embedBudget, readout: req.readout,
    ...(pinned?.strength ? { strengthHow: "auto (chain_strength_auto: the pilot ladder)" } : {}),
  });
  if (embedding && pinned?.strength) (mapping.report as unknown as Record<string, unknown>).chain_strength_auto = pinned.strength.report;
  const gate = clamp ? gating(clamp, embedding) : undefined;
  // Which kernel path runs (the samples are the same either way; only time differs).
  const path = gridPlan(mapping, schedule, gate?.vars);
  (mapping.report as unknown as Record<string, unknown>).kernel_path = path.plan ? path.why : `neighbour lists (${path.why})`;
  const run = (first: number, count: number, sink?: RowSink, more?: (chain: number, rowsSoFar: number) => number) =>
    runPbit(spec, mapping, { ...opts, chains: count, firstChain: first, schedule, sink, clamp: gate, more });
  const readout: Readout = req.readout ?? "discard";
  if (!embedding && req.readout !== undefined && !req.chainOptionsWhereEmbedded) {
    throw new InputError("--readout", undefined, `the model sits on chip ${spec.name} as it is (identity placement): there are no chains to read`);
  }
  if (embedding) {
    (mapping.report as unknown as Record<string, unknown>).readout = readout;
    if (readout === "discard" && embedding.readout && embedding.readout.rowBreakRate > 1 - MIN_KEPT_FRACTION) {
      throw new InputError("--chain-strength", undefined, `at ${embedding.embedded.chainStrength.toPrecision(3)} the chains of this embedding on chip ${spec.name} break in ${(100 * embedding.readout.rowBreakRate).toPrecision(4)}% of rows (exactly, by enumeration); the discard read-out keeps fewer than ${100 * MIN_KEPT_FRACTION}%: raise the chain strength or use --readout majority`);
    }
  }
  return {
    model, system: chipSystem(spec), actions: PBIT_ACTIONS, schedule, once: ["weights_written", "pbits_programmed"], derived: () => ({}),
    summed: ["telegraph_refreshes", "async_history_overflows", ...(embedding ? (readout === "discard" ? ["rows_run", "rows_discarded"] : ["chain_breaks", "chain_readings"]) : [])],
    perSecond: { pbit_seconds: mapping.chipSize },
    report: mapping.report as unknown as Record<string, unknown>, warnings: [...mapping.report.warnings, ...knownBiases(spec, mapping, schedule)],
    extra: { cycles_per_sweep: schedule === "async" ? null : cyclesPerSweep(mapping, schedule) },
    dtype: model.output === "binary" ? "uint8" : "int8",
    afterRun: (r) => pbitAfterRun(r, mapping, spec, schedule, req, embedding && { ...embedding, mode: readout }, clamp),
    countsPerSweep: pbitCountsPerSweep(mapping, spec.rng.bitsPerDraw, schedule),
    ...(spec.numerics.accumulator.format === "fixed" ? { twin: twinOf(spec.name, spec.numerics.accumulator.bits) } : {}),
    kernelBytes: (rows) => planPbitBytes(spec, mapping, schedule, rows),
    resolved: () => resolvedPbitSpec(spec),
    runChains: !embedding ? run : readout === "discard" ? discarding(run, embedding, model.n, req, spec.name) : unembedding(run, embedding, model.n, req),
    ...(embedding ? {
      pinned: { chains: embedding.chains, how: embedding.how, ...(pinned?.strength ? { strength: pinned.strength } : {}) },
      outputs: { "embedding.json": embeddingDocument(embedding.chains, { chip: spec.name, topology: mapping.topology.describe(), found: embedding.how, seed: req.seed }) },
    } : {}),
  };
}

/**
 * `--chain-strength auto`: the chains first (found with the UTC strength, or
 * given), then the pilot ladder on them; the choice is pinned so that worker
 * threads and repeats reuse it. A model that needs no embedding has nothing
 * to tune: refused like a number would be, unless compare spreads the option
 * over chips that may not embed.
 */
function autoStrength(spec: PbitSpec, model: Model & { kind: "ising" }, req: SampleRequest, schedule: Schedule, pinned?: PinnedEmbedding): { pinned?: PinnedEmbedding; value: number | "utc" | undefined } {
  if (pinned?.strength) return { pinned, value: pinned.strength.value };
  const first = placeIsing(model, req.modelFile, spec, schedule, { seed: req.seed, chainStrength: "utc", pinned, strengthOnlyIfEmbedded: true, embedBudget: req.embedBudget });
  if (!first.embedding) {
    if (!req.chainOptionsWhereEmbedded) throw new InputError("--chain-strength", undefined, `the model sits on chip ${spec.name} as it is (identity placement): there are no chains to couple`);
    return { pinned, value: undefined };
  }
  const chains: PinnedEmbedding = { chains: first.embedding.chains, how: first.embedding.how, ...(pinned?.file ? { file: pinned.file } : {}) };
  const choice = chooseChainStrength(model, utcChainStrength(model).value, first.mapping.n, req.burnIn + req.samples * req.thin, req.chains * req.samples, (c, pilot) =>
    pbitJob(spec, model, { ...req, ...pilot, thin: 1, chainStrength: c, chainOptionsWhereEmbedded: true }, chains));
  return { pinned: { ...chains, strength: { value: choice.value, report: choice.report as unknown as Record<string, unknown> } }, value: choice.value };
}

/** Clamped variables as gated p-bits: every p-bit of a clamped variable's chain when embedded. */
function gating(clamp: Clamp, e?: EmbeddingInfo): PbitClamp {
  if (!e) return { vars: clamp.index, values: (g) => clampRow(clamp, g) };
  const { start, members } = e.embedded;
  const vars: number[] = [];
  const from: number[] = []; // which clamped variable each gated p-bit follows
  clamp.index.forEach((i, j) => {
    for (let k = start[i]; k < start[i + 1]; k++) (vars.push(members[k]), from.push(j));
  });
  return { vars: Int32Array.from(vars), values: (g) => { const row = clampRow(clamp, g); return Int8Array.from(from, (j) => row[j]); } };
}

/**
 * Chains of an embedded model, read out: the kernel's rows (chain p-bits)
 * become logical rows by majority vote before anyone sees them, and broken
 * chains are counted.
 */
function unembedding(run: (first: number, count: number, sink?: RowSink) => ChainResult, e: EmbeddingInfo, n: number, req: SampleRequest) {
  return (first: number, count: number, sink?: RowSink): ChainResult => {
    let out = new Int8Array(0);
    let breaks = 0;
    let readings = 0;
    const collected = sink ? undefined : new Int8Array(count * req.samples * n);
    const result = run(first, count, (chain, row, k, rows) => {
      if (out.length < k * n) out = new Int8Array(k * n);
      const logical = out.subarray(0, k * n);
      breaks += unembedRows(e.embedded, req.seed, chain, row, k, rows as Int8Array, logical);
      readings += k * n;
      if (sink) sink(chain, row, k, logical);
      else collected!.set(logical, ((chain - first) * req.samples + row) * n);
    });
    return { ...result, samples: collected ?? new Int8Array(0), diagnostics: { ...result.diagnostics, chain_breaks: breaks, chain_readings: readings } };
  };
}

/** The discard read-out refuses a run that would keep fewer than this fraction of its rows. */
export const MIN_KEPT_FRACTION = 0.01;

/**
 * The discard read-out: rows with a broken chain are dropped, and each
 * chain runs on until it has kept the rows asked for. How much longer is
 * decided from that chain's own kept fraction, so the plan (and every count
 * the ledger charges: exactly the sweeps run) does not depend on how chains
 * are split among workers.
 */
function discarding(run: (first: number, count: number, sink: RowSink, more: (chain: number, rowsSoFar: number) => number) => ChainResult, e: EmbeddingInfo, n: number, req: SampleRequest, chip: string) {
  const cap = Math.ceil(req.samples / MIN_KEPT_FRACTION);
  return (first: number, count: number, sink?: RowSink): ChainResult => {
    const kept = new Int32Array(count);
    let out = new Int8Array(0);
    let rowsRun = 0;
    let rowsKept = 0;
    const collected = sink ? undefined : new Int8Array(count * req.samples * n);
    const result = run(first, count, (chain, _row, k, rows) => {
      if (out.length < k * n) out = new Int8Array(k * n);
      const got = keepUnbrokenRows(e.embedded, k, rows as Int8Array, out);
      rowsRun += k;
      const have = kept[chain - first];
      const take = Math.min(got, req.samples - have);
      if (take <= 0) return;
      const block = out.subarray(0, take * n);
      if (sink) sink(chain, have, take, block);
      else collected!.set(block, ((chain - first) * req.samples + have) * n);
      kept[chain - first] = have + take;
      rowsKept += take;
    }, (chain, rowsSoFar) => {
      const have = kept[chain - first];
      if (have >= req.samples) return 0;
      if (rowsSoFar >= cap) {
        throw new InputError("--chain-strength", undefined, `chain ${chain} kept ${have} of ${rowsSoFar} rows (${(100 * have / rowsSoFar).toPrecision(2)}%; the rest had a broken chain) on chip ${chip} at strength ${e.embedded.chainStrength.toPrecision(3)}: the discard read-out stops below ${100 * MIN_KEPT_FRACTION}%; raise the chain strength or use --readout majority`);
      }
      // Rows still needed at the kept fraction so far, 10% spare; doubling while nothing was kept.
      const need = have > 0 ? Math.ceil(((req.samples - have) * rowsSoFar / have) * 1.1) + 1 : rowsSoFar;
      return Math.min(need, cap - rowsSoFar);
    });
    return { ...result, samples: collected ?? new Int8Array(0), diagnostics: { ...result.diagnostics, rows_run: rowsRun, rows_discarded: rowsRun - rowsKept } };
  };
}

/** The largest counter's growth per sweep of one chain (MACs, idle p-bit cycles, random bits, ...). */
function pbitCountsPerSweep(m: PbitMapping, bitsPerDraw: number, schedule: Schedule): number {
  let fan = 0;
  for (let i = 0; i < m.n; i++) fan += m.fanIn[i];
  const cycles = schedule === "async" ? 1 : cyclesPerSweep(m, schedule);
  return Math.max(fan + m.n, m.chipSize * cycles * (schedule === "synchronous" ? 1 : m.classes), m.n * bitsPerDraw);
}

