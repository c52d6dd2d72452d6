/**
 * The explorer's Web Worker: every simulation runs here, so the page stays
 * responsive. It fetches the chip presets (resolved at build time from
 * circuits/, technology tables inlined) and the kernels' .wasm files, then
 * runs one live chain at a time in frames: a frame is a few sweeps (or
 * read-outs), posted to the page, which answers "drawn" before the next is
 * computed, so the measured sweep rate includes the drawing.
 */
import { provideKernel } from "./wasm-browser.js";
import { chipFromDocument } from "../chips/load.js";
import { mergeSpec } from "../spec/merge.js";
import { loadTechTable } from "../energy/table.js";
import { modelFromJson, modelFromText, type Model } from "../models/load.js";
import type { IsingModel } from "../models/ising.js";
import type { GaussianModel } from "../models/gaussian.js";
import { InputError } from "../errors.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { LivePbit } from "./live-pbit.js";
import { LiveLangevin, type Ellipse } from "./live-langevin.js";
import { chipGrid, gaussian2dDoc, modelGraph, spinModelDoc, type ModelGraph } from "./models.js";
import type { PbitKnobs, AnalogKnobs, ModelFile, Presets, ToPage, ToWorker } from "./protocol.js";
import { analogChipDoc, analogOverrides, modelFileName, pbitChipDoc, pbitOverrides } from "./knobs.js";

declare const self: { postMessage(m: ToPage, transfer?: Transferable[]): void; onmessage: ((e: { data: ToWorker }) => void) | null };

let presets: Presets;
/** Frames are numbered per run: a stale "drawn" from a run the page replaced is ignored. */
let runId = 0;
let next: (() => void) | undefined;
/** The running chain's model document and chip spec (what `thermosim sample` needs to repeat it). */
let files: { model: ModelFile; chip: Record<string, unknown> } | undefined;

function post(m: ToPage, transfer: Transferable[] = []) {
  self.postMessage(m, transfer);
}

function chipOf(name: string, over: Record<string, unknown>) {
  const p = presets.chips[name];
  if (!p) throw new Error(`unknown chip preset ${name}`);
  const spec = chipFromDocument(mergeSpec(p.doc, over), p.file);
  return { spec, table: loadTechTable(spec.energy, p.file) };
}

/** The user's model file, read as `thermosim sample` reads it; the name it is saved under for the command line. */
function fileModel(f: ModelFile | undefined): { model: Model; file: ModelFile } {
  if (!f) throw new InputError("model", undefined, "open a model file first");
  return { model: modelFromText(f.text, f.name), file: { name: modelFileName(f.name), text: f.text } };
}

/** A p-bit run's model: a bundled one on the chip's graph, or the user's file. */
function spinModel(spec: PbitSpec, k: PbitKnobs): { model: IsingModel; file: ModelFile; name: string; graph?: ModelGraph } {
  if (k.model === "file") {
    const { model, file } = fileModel(k.modelFile);
    if (model.kind !== "ising") throw new InputError(k.modelFile!.name, "kind", `is a ${model.kind} model; a p-bit chip samples spin models (ising, qubo, boltzmann, maxcut, a dimod BQM, G-set or Matrix Market): open it on the analog tab`);
    return { model, file, name: k.modelFile!.name };
  }
  const graph = modelGraph(spec);
  const doc = spinModelDoc(graph, k.model, k.beta);
  const model = modelFromJson(doc, "explorer model");
  if (model.kind !== "ising") throw new Error("not an Ising model");
  return { model, file: { name: "model.json", text: JSON.stringify(doc) + "\n" }, name: String(doc.name), graph };
}

/**
 * Where each kernel column is drawn: on the chip's own grid (its first tile) at its p-bit, or, on a chip
 * without a grid, the model's variables in order in a near-square raster (the bundled models: their torus).
 */
function raster(spec: PbitSpec, live: LivePbit, graph?: ModelGraph): { width: number; height: number; describe: string; cellOf: Int32Array } {
  const grid = chipGrid(spec);
  if (grid) {
    const cells = grid.width * grid.height;
    return { width: grid.width, height: grid.height, describe: grid.describe, cellOf: live.pbitIds.map((p) => (p < cells ? p : -1)) };
  }
  const width = graph ? graph.width : Math.ceil(Math.sqrt(live.n));
  const height = graph ? graph.height : Math.ceil(live.n / width);
  const describe = graph ? graph.describe : `the model's ${live.n} variables in order, ${width} a row (${spec.name} has no grid of its own)`;
  return { width, height, describe, cellOf: Int32Array.from({ length: live.pbits }, (_, i) => i) };
}

function startPbit(k: PbitKnobs, id: number) {
  const { spec, table } = chipOf(k.chip, pbitOverrides(k));
  if (spec.kind !== "pbit") throw new Error(`${k.chip} is not a p-bit chip`);
  const { model, file, name, graph } = spinModel(spec, k);
  const schedule = (k.schedule || spec.schedule) as Schedule;
  const live = new LivePbit(spec, model, table, schedule, k.seed, Math.max(1, k.sweepsPerFrame), file.name);
  files = { model: file, chip: pbitChipDoc(k) };
  const r = raster(spec, live, graph);
  post({
    type: "pbit-start", id, n: live.n, pbits: live.pbits, model: name, width: r.width, height: r.height, graph: r.describe, schedule, kernelPath: live.kernelPath,
    warnings: live.warnings, chip: spec.name, clockHz: spec.clock.frequency, weights: describeWeights(spec),
  });
  const t0 = performance.now();
  let sweeps = 0;
  next = () => {
    if (id !== runId) return;
    const s = live.step(k.sweepsPerFrame);
    sweeps += k.sweepsPerFrame;
    const last = k.sweepsPerFrame - 1;
    const spins = new Int8Array(r.width * r.height); // 0: a cell no variable uses
    for (let c = 0; c < live.pbits; c++) if (r.cellOf[c] >= 0) spins[r.cellOf[c]] = s.physical[last * live.pbits + c];
    const logical = s.rows.slice(last * live.n);
    const m = live.meter();
    post({ type: "pbit-frame", id, spins, logical, energy: s.energy, magnetisation: s.magnetisation, meter: m, wallSeconds: (performance.now() - t0) / 1000, sweeps }, [spins.buffer, logical.buffer, s.energy.buffer, s.magnetisation.buffer]);
  };
  next();
}

function describeWeights(spec: PbitSpec): string {
  const w = spec.numerics.weights;
  return w.format === "fixed" ? `${w.bits}-bit fixed point (${w.fracBits} fractional bits)` : "float64";
}

/** The largest Gaussian the page draws (the chip's law is predicted exactly up to here). */
const MAX_PAGE_GAUSSIAN = 256;

/** An analog run's model: the bundled 2-D Gaussian, or the user's file (2 to 256 variables; x1 and x2 drawn). */
function gaussianModel(k: AnalogKnobs): { model: GaussianModel; file: ModelFile; name: string } {
  if (k.model === "file") {
    const { model, file } = fileModel(k.modelFile);
    const f = k.modelFile!.name;
    if (model.kind !== "gaussian") throw new InputError(f, "kind", `is a ${model.kind === "ising" ? "spin" : model.kind} model; the analog tab draws Gaussian models${model.kind === "ising" ? ": open it on the p-bit tab" : ""}`);
    if (model.n < 2 || model.n > MAX_PAGE_GAUSSIAN) throw new InputError(f, "A", `has ${model.n} variables; the page draws Gaussians of 2 to ${MAX_PAGE_GAUSSIAN} (thermosim sample takes any size)`);
    return { model, file, name: f };
  }
  const doc = gaussian2dDoc(k.rho);
  const model = modelFromJson(doc, "explorer model");
  if (model.kind !== "gaussian") throw new Error("not a Gaussian model");
  return { model, file: { name: "model.json", text: JSON.stringify(doc) + "\n" }, name: String(doc.name) };
}

/** The (x1, x2) marginal of an n-variable law. */
function firstTwo(e: Ellipse, n: number): Ellipse {
  return { mean: e.mean.slice(0, 2), cov: [e.cov[0], e.cov[1], e.cov[n], e.cov[n + 1]] };
}

function startAnalog(k: AnalogKnobs, id: number) {
  const { spec, table } = chipOf(k.chip, analogOverrides(k));
  if (spec.kind !== "langevin") throw new Error(`${k.chip} is not an analog chip`);
  const { model, file, name } = gaussianModel(k);
  const live = new LiveLangevin(spec as LangevinSpec, model, table, k.seed, Math.max(1, k.readoutsPerFrame), file.name);
  files = { model: file, chip: analogChipDoc(k) };
  const n = live.n;
  post({
    type: "analog-start", id, chip: spec.name, n, model: name, target: firstTwo(live.target, n), predicted: live.predicted && firstTwo(live.predicted, n),
    integrator: live.integrator, stepSeconds: live.stepSeconds, readoutSeconds: live.readoutSeconds, iat: live.iat, relaxSeconds: live.relaxSeconds, warnings: live.warnings,
  });
  const t0 = performance.now();
  next = () => {
    if (id !== runId) return;
    const all = live.step(k.readoutsPerFrame);
    const rows = new Float64Array(2 * k.readoutsPerFrame);
    for (let r = 0; r < k.readoutsPerFrame; r++) (rows[2 * r] = all[r * n]), (rows[2 * r + 1] = all[r * n + 1]);
    post({ type: "analog-frame", id, rows, meter: live.meter(), wallSeconds: (performance.now() - t0) / 1000 }, [rows.buffer]);
  };
  next();
}

function fail(id: number, e: unknown) {
  next = undefined;
  post({ type: "error", id, message: e instanceof Error ? e.message : String(e) });
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    switch (m.type) {
      case "init": {
        const [p, pbit, langevin] = await Promise.all([
          fetch(new URL("presets.json", m.base)).then((r) => r.json()),
          fetch(new URL("wasm/pbit.release.wasm", m.base)).then((r) => r.arrayBuffer()),
          fetch(new URL("wasm/langevin.release.wasm", m.base)).then((r) => r.arrayBuffer()),
        ]);
        presets = p as Presets;
        provideKernel("pbit", pbit);
        provideKernel("langevin", langevin);
        const { chips: _docs, ...lists } = presets;
        post({ type: "ready", presets: lists });
        break;
      }
      case "pbit":
        runId = m.id;
        files = undefined;
        startPbit(m.knobs, m.id);
        break;
      case "analog":
        runId = m.id;
        files = undefined;
        startAnalog(m.knobs, m.id);
        break;
      case "drawn":
        if (m.id === runId && next) setTimeout(() => { try { next?.(); } catch (err) { fail(m.id, err); } }, 0);
        break;
      case "stop":
        runId = m.id;
        next = undefined;
        files = undefined;
        break;
      case "files":
        if (!files) throw new Error("no chip is running");
        post({ type: "files", id: m.id, model: files.model, chip: files.chip });
        break;
      case "sample": {
        // The same run as `thermosim sample MODEL --chip CHIP.yaml --chains 1 --burn-in 0 --samples N --seed S`.
        const { spec, table } = chipOf(m.knobs.chip, pbitOverrides(m.knobs));
        if (spec.kind !== "pbit") throw new Error(`${m.knobs.chip} is not a p-bit chip`);
        const { model, file } = spinModel(spec, m.knobs);
        const live = new LivePbit(spec, model, table, (m.knobs.schedule || spec.schedule) as Schedule, m.knobs.seed, 32, file.name);
        const rows = new Int8Array(m.samples * live.n);
        for (let done = 0; done < m.samples; ) {
          const k = Math.min(32, m.samples - done);
          rows.set(live.step(k).rows, done * live.n);
          done += k;
        }
        post({ type: "sampled", id: m.id, rows, model: file, chip: pbitChipDoc(m.knobs), meter: live.meter() }, [rows.buffer]);
        break;
      }
    }
  } catch (err) {
    fail((m as { id?: number }).id ?? 0, err);
  }
};
