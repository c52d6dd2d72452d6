/**
 * The published 4,264-p-bit sparse deep Boltzmann machine of Niazi et al.
 * (Nature Electronics 2024), classifying MNIST test digits with the authors'
 * protocol: pixels binarised (non-zero -> +1) and clamped, chromatic Gibbs at
 * beta = 1, 500 samples 200 sweeps apart, the digit whose 5 label copies are
 * on most often wins. Reported: accuracy against the sampling budget (the
 * first S samples of each run, and runs with shorter spacing), chip time and
 * energy per image, per chip; every chip runs the SAME images, so chips are
 * compared image by image (paired differences with their standard errors),
 * never across different image sets.
 *
 * Data: ../shared/reference/niazi2024 (GPL-3.0 test data, read in place; set
 * NIAZI_DIR to move it). Knobs: NIAZI_IMAGES (default 100), NIAZI_FIRST (0),
 * NIAZI_CHIPS (ideal,pcomputer-dbm-2024,pcomputer-dbm-2024-xoshiro: presets,
 * names in benchmarks/specs, or paths; the first is the reference of the
 * paired differences), NIAZI_SPACINGS (200,10), NIAZI_WORKERS (2),
 * NIAZI_CHUNK (images per task, 20), NIAZI_ORDER (reverse: last images first,
 * for a second process sharing the cache). Each finished chunk of images is
 * kept in NIAZI_CACHE (default benchmarks/results/niazi2024, committed: the
 * per-image results the README quotes) under its chip spec's hash, so a long
 * run that is interrupted resumes where it stopped, and the analysis can be
 * re-run from the committed chunks in seconds (delete them to recompute). Rows, per-image results and the verdict:
 * out/bench/niazi2024/ (BENCH_OUT).
 * Every other p-bit preset is checked for whether it can hold the model (it
 * says why not); the digital baseline is chromatic Gibbs priced per update on
 * every digital platform (baselineCostPerUpdate).
 *
 * One difference from the authors' protocol, stated: they keep one chain
 * running from image to image; here each image is a clamped condition with a
 * chain of its own (chain index = image index, so results do not depend on
 * the chunking), started from a random state and given one spacing of burn-in
 * before its first sample.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { readWeights, type Weights } from "../src/io/weights.js";
import { isingFromArrays } from "../src/models/sparse.js";
import { chipFromDocument, loadChipDocument, presetNames, resolveChipFile } from "../src/chips/load.js";
import { mapSpinBaseline, runSpinBaseline } from "../src/baselines/spin.js";
import { digitalPlatforms } from "../src/energy/platforms.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import { placeIsing } from "../src/mapping/place.js";
import { pbitCapacity } from "./capacity.js";
import { progress } from "../src/cli/progress.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { PBIT_ACTIONS } from "../src/chips/pbit/actions.js";
import { loadTechTable } from "../src/energy/table.js";
import { price } from "../src/energy/ledger.js";
import { pairedDifference, proportionSe } from "./paired.js";
import { twinEstimate } from "../src/energy/twin.js";

const here = dirname(fileURLToPath(import.meta.url));
const DATA = process.env.NIAZI_DIR ?? resolve(here, "..", "..", "..", "shared", "reference", "niazi2024");
const SPECS = join(here, "..", "..", "benchmarks", "specs");
const PREFIXES = [1, 5, 10, 25, 50, 100, 250, 500];
const SAMPLES = 500;

interface Task { chip: string; file: string; first: number; count: number; spacing: number; seed: number }
interface Part {
  /** Predicted digit per prefix of the sample budget, per image of the chunk. */
  predictions: number[][];
  truth: number[];
  chipSeconds: number;
  /** The run's action counts (time integrals included): priced at analysis, so the chunk does not depend on the energy table. */
  counts: Record<string, number>;
  wallSeconds: number;
  sweeps: number;
  pbits: number;
  classes: number;
}

/** A chip name: a preset, a spec of benchmarks/specs, or a path. */
function chipFile(name: string): string {
  const bench = join(SPECS, `${name}.yaml`);
  if (!presetNames().includes(name) && existsSync(bench)) return bench;
  return resolveChipFile(name);
}

/** The model, its visible p-bits (pixel k = row k % 28, column k / 28) and label p-bits [copy][digit]. */
function loadDbm() {
  const all = readWeights(join(DATA, "dbm4264-epoch100.npz"));
  const parts: Weights = new Map(["i", "j", "w", "h"].map((k) => [k, all.get(k)!]));
  const model = isingFromArrays(parts, "dbm4264-epoch100.npz");
  const visible = Int32Array.from(all.get("visible")!.data);
  const labels = Int32Array.from(all.get("labels")!.data); // [5][10]
  const test = readWeights(join(DATA, "mnist-t10k.npz"));
  return { model, visible, labels, images: test.get("images")!.data, digits: test.get("labels")!.data };
}

function work(t: Task): Part {
  const { model, visible, labels, images, digits } = loadDbm();
  const spec = chipFromDocument(loadChipDocument(t.file), t.file) as PbitSpec;
  const { mapping } = placeIsing(model, "dbm4264-epoch100.npz", spec, "chromatic", { seed: t.seed });
  // The clamp: image g's pixel k on visible p-bit k, binarised as the authors do.
  const pixels = (g: number) => Int8Array.from(visible, (_, k) => (images[g * 784 + (k % 28) * 28 + Math.floor(k / 28)] > 0 ? 1 : -1));
  const sums = Array.from({ length: t.count }, () => new Float64Array(10));
  const predictions = PREFIXES.map(() => new Array<number>(t.count).fill(-1));
  const t0 = performance.now();
  const r = runPbit(spec, mapping, {
    chains: t.count, firstChain: t.first, samples: SAMPLES, burnIn: t.spacing, thin: t.spacing, seed: t.seed, schedule: "chromatic",
    clamp: { vars: visible, values: pixels },
    sink: (chain, row, count, rows) => {
      const c = chain - t.first;
      for (let q = 0; q < count; q++) {
        for (let d = 0; d < 10; d++) for (let copy = 0; copy < 5; copy++) if (rows[q * model.n + labels[copy * 10 + d]] > 0) sums[c][d]++;
        if (row + q + 1 === SAMPLES) parentPort?.postMessage({ imageDone: true });
        const p = PREFIXES.indexOf(row + q + 1);
        if (p >= 0) {
          let best = 0;
          for (let d = 1; d < 10; d++) if (sums[c][d] > sums[c][best]) best = d;
          predictions[p][c] = best;
        }
      }
    },
  });
  const wall = (performance.now() - t0) / 1000;
  return {
    predictions, truth: Array.from({ length: t.count }, (_, c) => digits[t.first + c]),
    chipSeconds: r.chipSeconds, counts: { ...r.counts, pbit_seconds: mapping.chipSize * r.chipSeconds }, wallSeconds: wall,
    sweeps: t.count * (t.spacing + SAMPLES * t.spacing), pbits: mapping.n, classes: mapping.classes,
  };
}

if (!isMainThread && workerData?.niazi) parentPort!.postMessage(work(workerData.task as Task));

/** Every p-bit preset (beside the ones run): whether it can hold the DBM, and why not. */
function capacity(model: ReturnType<typeof loadDbm>["model"]): { chip: string; reason: string | null }[] {
  return presetNames().filter((c) => {
    const f = resolveChipFile(c);
    return chipFromDocument(loadChipDocument(f), f).kind === "pbit";
  }).map((chip) => {
    const f = resolveChipFile(chip);
    return { chip, reason: pbitCapacity(model, "dbm4264-epoch100.npz", chipFromDocument(loadChipDocument(f), f) as PbitSpec, "NIAZI_EMBED") };
  });
}

/**
 * The digital baseline: chromatic Gibbs in float64 with the exact logistic, the
 * ideal chip's algorithm, so its accuracy is the ideal chip's; its cost per
 * update is priced from the operation counts of a short unclamped run on this
 * model (4 chains) on every digital platform.
 */
function baselineCostPerUpdate(model: ReturnType<typeof loadDbm>["model"]): { energy_model: string; J_per_update: number; s_per_update: number | null; basis: string }[] {
  const mp = mapSpinBaseline(model);
  const r = runSpinBaseline(mp, "chromatic-gibbs", { chains: 4, samples: 0, burnIn: 200, thin: 1, seed: 2 });
  return digitalPlatforms(model, r.counts, r.wallSeconds).filter((p) => p.energy_model !== "gpu-lattice-record").map((p) => ({
    energy_model: p.energy_model, J_per_update: p.energy_J / r.updates, s_per_update: Number.isFinite(p.seconds) ? p.seconds / r.updates : null, basis: p.basis,
  }));
}

/** Chunks of [first, first + images) on a grid of `size` (so that chunks are shared between runs of other ranges). */
function chunks(first: number, images: number, size: number): { first: number; count: number }[] {
  const out: { first: number; count: number }[] = [];
  for (let a = first; a < first + images;) {
    const b = Math.min(first + images, (Math.floor(a / size) + 1) * size);
    out.push({ first: a, count: b - a });
    a = b;
  }
  return out;
}

export async function run(): Promise<void> {
  if (!existsSync(join(DATA, "dbm4264-epoch100.npz"))) {
    console.log(`skipped: the Niazi 2024 data are not at ${DATA} (set NIAZI_DIR)`);
    return;
  }
  const images = Number(process.env.NIAZI_IMAGES ?? 100);
  const first = Number(process.env.NIAZI_FIRST ?? 0);
  const chips = (process.env.NIAZI_CHIPS ?? "ideal,pcomputer-dbm-2024,pcomputer-dbm-2024-xoshiro").split(",");
  const spacings = (process.env.NIAZI_SPACINGS ?? "200,10").split(",").map(Number);
  const workers = Math.max(1, Number(process.env.NIAZI_WORKERS ?? 2));
  const chunkSize = Math.max(1, Number(process.env.NIAZI_CHUNK ?? 20));
  const cacheDir = resolve(process.env.NIAZI_CACHE ?? join(here, "..", "..", "benchmarks", "results", "niazi2024"));
  const seed = 1;
  mkdirSync(cacheDir, { recursive: true });
  const out = new BenchOutput("niazi2024");
  try {
    const { model, visible } = loadDbm();
    // Every task, keyed by what decides its result: the chip spec as merged, spacing, seed and images.
    const files = new Map(chips.map((c) => [c, chipFile(c)]));
    // The hash leaves out the energy table: it prices the counts at analysis and cannot change a prediction.
    const docs = new Map(chips.map((c) => [c, loadChipDocument(files.get(c)!)]));
    const specHash = new Map(chips.map((c) => {
      const { energy: _e, ...rest } = docs.get(c)!;
      return [c, createHash("sha256").update(JSON.stringify(rest)).digest("hex").slice(0, 16)];
    }));
    const tables = new Map(chips.map((c) => [c, loadTechTable(chipFromDocument(docs.get(c)!, files.get(c)!).energy, files.get(c)!)]));
    const accBits = new Map(chips.flatMap((c) => {
      const spec = chipFromDocument(docs.get(c)!, files.get(c)!);
      return spec.kind === "pbit" && spec.numerics.accumulator.format === "fixed" ? [[c, spec.numerics.accumulator.bits] as const] : [];
    }));
    const tasks = chips.flatMap((chip) => spacings.flatMap((spacing) => chunks(first, images, chunkSize).map((ch) => {
      const task: Task = { chip, file: files.get(chip)!, first: ch.first, count: ch.count, spacing, seed };
      return { task, path: join(cacheDir, `${chip.replace(/[^a-zA-Z0-9-]+/g, "_")}-${specHash.get(chip)}-s${spacing}-seed${seed}-${ch.first}-${ch.count}.json`) };
    })));
    const done = new Map<string, Part>();
    for (const t of tasks) if (existsSync(t.path)) done.set(t.path, JSON.parse(readFileSync(t.path, "utf8")) as Part);
    // Image-chunk major: an interrupted run leaves every chip and spacing done on the same images.
    // NIAZI_ORDER=reverse starts from the last images: a second process (same cache) meets the first half-way.
    const todo = tasks.filter((t) => !done.has(t.path)).sort((a, b) => a.task.first - b.task.first);
    if (process.env.NIAZI_ORDER === "reverse") todo.reverse();
    const totalImages = todo.reduce((a, t) => a + t.task.count, 0);
    if (done.size) console.log(`niazi2024: ${done.size} of ${tasks.length} chunks reused from ${cacheDir}`);
    const bar = progress("niazi2024", Math.max(1, totalImages), "images");
    let imagesDone = 0;
    let next = 0;
    const runner = async () => {
      while (next < todo.length) {
        const t = todo[next++];
        // Another process sharing the cache may have done it meanwhile.
        if (existsSync(t.path)) {
          done.set(t.path, JSON.parse(readFileSync(t.path, "utf8")) as Part);
          continue;
        }
        const part = await new Promise<Part>((ok, fail) => {
          const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { niazi: true, task: t.task } });
          worker.on("message", (m: Part | { imageDone: true }) => {
            if ("imageDone" in m) bar.update(++imagesDone);
            else ok(m);
          });
          worker.once("error", fail);
        });
        // Write, then rename: an interrupted run never leaves half a chunk.
        writeFileSync(`${t.path}.tmp`, JSON.stringify(part));
        renameSync(`${t.path}.tmp`, t.path);
        done.set(t.path, part);
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, Math.max(1, todo.length)) }, runner));
    bar.stop();

    // Per chip and spacing: every image's prediction at every prefix, in image order.
    const results = chips.flatMap((chip) => spacings.map((spacing) => {
      const parts = tasks.filter((t) => t.task.chip === chip && t.task.spacing === spacing).map((t) => done.get(t.path)!);
      const truth = parts.flatMap((p) => p.truth);
      const correct = PREFIXES.map((_, k) => parts.flatMap((p) => p.predictions[k]).map((d, i) => (d === truth[i] ? 1 : 0)));
      return {
        chip, spacing, truth, correct,
        acc: correct.map((c) => c.reduce((a: number, v) => a + v, 0) / c.length),
        chipS: parts.reduce((a, p) => a + p.chipSeconds, 0) / images,
        energy: parts.reduce((a, p) => a + price(p.counts, PBIT_ACTIONS, tables.get(chip)!).total, 0) / images,
        // The chip's own algorithm as a digital integer ASIC (energy/twin.ts), on the same counts: like for like.
        twin: accBits.get(chip) === undefined ? null : parts.reduce((a, p) => a + twinEstimate(chip, p.counts, p.counts.comparator_evals, accBits.get(chip)!).energy_J, 0) / images,
        wall: parts.reduce((a, p) => a + p.wallSeconds, 0),
        classes: parts[0].classes,
        // Free p-bits updated per image: every sweep, all but the clamped pixels.
        updates: (spacing + SAMPLES * spacing) * (model.n - visible.length),
      };
    }));
    const reference = chips[0];
    const rows: Row[] = [];
    const last = PREFIXES.length - 1;
    for (const r of results) {
      const ref = results.find((x) => x.chip === reference && x.spacing === r.spacing)!;
      const paired = r.chip === reference ? null : PREFIXES.map((_, k) => pairedDifference(r.correct[k], ref.correct[k]));
      rows.push({
        system: r.chip, kind: "chip", energy_model: r.chip, spacing: r.spacing, images, first,
        ...Object.fromEntries(PREFIXES.map((p, k) => [`accuracy_${p}_samples`, r.acc[k]])),
        ...Object.fromEntries(PREFIXES.map((p, k) => [`se_${p}_samples`, proportionSe(r.acc[k], images)])),
        ...(paired ? {
          paired_reference: reference,
          ...Object.fromEntries(PREFIXES.map((p, k) => [`difference_${p}_samples`, paired[k].mean])),
          ...Object.fromEntries(PREFIXES.map((p, k) => [`difference_se_${p}_samples`, paired[k].se])),
          [`gained_${SAMPLES}_samples`]: paired[last].gained, [`lost_${SAMPLES}_samples`]: paired[last].lost,
        } : {}),
        // The ideal chip is priced at nothing (no technology): no energy figures.
        chip_seconds_per_image: r.chipS, energy_J_per_image: r.chip === "ideal" ? null : r.energy, energy_J_per_correct_answer: r.chip === "ideal" ? null : r.energy / r.acc[last],
        wall_seconds: r.wall, colour_classes: r.classes,
      });
    }
    // Each fixed-point chip's integer twin: its own run's counts as a 45 nm digital ASIC, its accuracy.
    for (const r of results.filter((x) => x.twin !== null)) {
      rows.push({
        system: `chromatic-gibbs-int (${r.chip}'s integer twin)`, kind: "baseline", energy_model: "asic-45nm-int", spacing: r.spacing, images, first,
        ...Object.fromEntries(PREFIXES.map((p, k) => [`accuracy_${p}_samples`, r.acc[k]])),
        chip_seconds_per_image: null, energy_J_per_image: r.twin, energy_J_per_correct_answer: r.twin! / r.acc[last],
      });
    }
    // The digital baseline, from the ideal chip's runs (same algorithm) when they were made.
    const costs = baselineCostPerUpdate(model);
    for (const r of results.filter((x) => x.chip === "ideal")) {
      for (const c of costs) {
        const energy = r.updates * c.J_per_update;
        rows.push({
          system: "chromatic-gibbs", kind: "baseline", energy_model: c.energy_model, spacing: r.spacing, images, first,
          ...Object.fromEntries(PREFIXES.map((p, k) => [`accuracy_${p}_samples`, r.acc[k]])),
          chip_seconds_per_image: c.s_per_update === null ? null : r.updates * c.s_per_update, energy_J_per_image: energy,
          energy_J_per_correct_answer: energy / r.acc[last], basis: c.basis,
        });
      }
    }
    const cap = capacity(model);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const pts = (x: number) => `${x >= 0 ? "+" : ""}${(100 * x).toFixed(1)}`;
    const accTable = [
      `| chip | sweeps apart | ${PREFIXES.join(" | ")} samples |`,
      `|---|---|${PREFIXES.map(() => "---").join("|")}|`,
      ...results.map((r) => `| ${r.chip} | ${r.spacing} | ${r.acc.map((a, k) => `${pct(a)} (${(100 * proportionSe(a, images)).toFixed(1)})`).join(" | ")} |`),
    ];
    const diffTable = [
      `| chip - ${reference} | sweeps apart | ${PREFIXES.join(" | ")} samples |`,
      `|---|---|${PREFIXES.map(() => "---").join("|")}|`,
      ...results.filter((r) => r.chip !== reference).map((r) => {
        const ref = results.find((x) => x.chip === reference && x.spacing === r.spacing)!;
        return `| ${r.chip} | ${r.spacing} | ${PREFIXES.map((_, k) => {
          const d = pairedDifference(r.correct[k], ref.correct[k]);
          return `${pts(d.mean)} +- ${(100 * d.se).toFixed(1)}`;
        }).join(" | ")} |`;
      }),
    ];
    const top = Math.max(...spacings);
    const best = (kind: string) => rows.filter((r) => r.kind === kind && r.spacing === top && r.system !== "ideal").sort((a, b) => (a.energy_J_per_correct_answer as number) - (b.energy_J_per_correct_answer as number))[0];
    const chipBest = best("chip");
    const digitalBest = best("baseline");
    const verdict = [
      `Niazi et al. (Nature Electronics 2024) sparse DBM, 4,264 p-bits, MNIST test images ${first} .. ${first + images - 1} (the same images for every chip), their protocol (pixels clamped, ${SAMPLES} samples per image, label p-bits voted). Published: ~90% at 500 samples 200 sweeps apart. Each image is a chain of its own from a random state (one spacing of burn-in).`,
      "",
      "Accuracy (binomial standard error in points):",
      "",
      ...accTable,
      "",
      `Paired differences from ${reference} on the same images (points; standard error of the mean of per-image differences):`,
      "",
      ...diffTable,
      "",
      ...(chipBest && digitalBest ? (() => {
        const jpc = (r: Row) => r.energy_J_per_correct_answer as number;
        const twin = rows.find((r) => r.system === `chromatic-gibbs-int (${chipBest.system}'s integer twin)` && r.spacing === top);
        const float = rows.filter((r) => r.system === "chromatic-gibbs" && r.spacing === top).sort((x, y) => jpc(x) - jpc(y))[0];
        return [`- Joules per correct answer (${top} sweeps apart, ${SAMPLES} samples): ${chipBest.system} ${jpc(chipBest).toExponential(3)} J` +
          (twin ? `; its own integer algorithm as a 45 nm digital ASIC (its integer twin: an unbiased random word and a table read per update) ${jpc(twin).toExponential(3)} J, ${(jpc(twin) / jpc(chipBest)).toPrecision(3)}x -- the like-for-like ratio` : "") +
          (float ? `; the float digital baseline (chromatic Gibbs, the ideal chip's algorithm and accuracy) ${jpc(float).toExponential(3)} J on ${float.energy_model} at best, ${(jpc(float) / jpc(chipBest)).toPrecision(3)}x.` : ".")];
      })() : []),
      `- The baseline's cost per update is priced from its operation counts on this model (4 chains, 200 sweeps) on every digital platform; its accuracy is the ideal chip's (the same chromatic Gibbs in float64).`,
      `- Presets that cannot hold the model: ${cap.filter((c) => c.reason).map((c) => `**${c.chip}**: ${c.reason}`).join("; ") || "none"}.`,
      "",
      ...markdownTable(rows, ["system", "energy_model", "spacing", "chip_seconds_per_image", "energy_J_per_image", "energy_J_per_correct_answer"]),
    ];
    out.finish(rows, verdict, {
      reference: "Niazi et al., Nature Electronics 2024 (arXiv 2303.10728): ~90% MNIST accuracy, 500 samples 200 sweeps apart",
      capacity: cap, baseline_costs: costs, chip_specs: Object.fromEntries([...files].map(([c, f]) => [c, { file: f, sha256_16: specHash.get(c) }])),
      per_image: results.map((r) => ({ chip: r.chip, spacing: r.spacing, first, truth: r.truth, correct: Object.fromEntries(PREFIXES.map((p, k) => [String(p), r.correct[k].join("")])) })),
    });
  } finally {
    out.discard();
  }
}
