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
import { modelFromJson } from "../models/load.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { LivePbit } from "./live-pbit.js";
import { LiveLangevin } from "./live-langevin.js";
import { gaussian2dDoc, modelGraph, spinModelDoc, type SpinModelKind } from "./models.js";
import type { PbitKnobs, AnalogKnobs, Presets, ToPage, ToWorker } from "./protocol.js";
import { analogChipDoc, analogOverrides, pbitChipDoc, pbitOverrides } from "./knobs.js";

declare const self: { postMessage(m: ToPage, transfer?: Transferable[]): void; onmessage: ((e: { data: ToWorker }) => void) | null };

let presets: Presets;
/** Frames are numbered per run: a stale "drawn" from a run the page replaced is ignored. */
let runId = 0;
let next: (() => void) | undefined;
/** The running chain's model document and chip spec (what `thermosim sample` needs to repeat it). */
let files: { model: Record<string, unknown>; chip: Record<string, unknown> } | undefined;

function post(m: ToPage, transfer: Transferable[] = []) {
  self.postMessage(m, transfer);
}

function chipOf(name: string, over: Record<string, unknown>) {
  const p = presets.chips[name];
  if (!p) throw new Error(`unknown chip preset ${name}`);
  const spec = chipFromDocument(mergeSpec(p.doc, over), p.file);
  return { spec, table: loadTechTable(spec.energy, p.file) };
}

function spinDoc(spec: PbitSpec, kind: SpinModelKind, beta: number) {
  const g = modelGraph(spec);
  return { g, doc: spinModelDoc(g, kind, beta) };
}

function startPbit(k: PbitKnobs, id: number) {
  const { spec, table } = chipOf(k.chip, pbitOverrides(k));
  if (spec.kind !== "pbit") throw new Error(`${k.chip} is not a p-bit chip`);
  const { g, doc } = spinDoc(spec, k.model, k.beta);
  const model = modelFromJson(doc, "explorer model");
  if (model.kind !== "ising") throw new Error("not an Ising model");
  const schedule = (k.schedule || spec.schedule) as Schedule;
  const live = new LivePbit(spec, model, table, schedule, k.seed, Math.max(1, k.sweepsPerFrame));
  files = { model: doc, chip: pbitChipDoc(k) };
  post({
    type: "pbit-start", id, n: live.n, width: g.width, height: g.height, graph: g.describe, schedule, kernelPath: live.kernelPath,
    warnings: live.warnings, chip: spec.name, clockHz: spec.clock.frequency, weights: describeWeights(spec),
  });
  const t0 = performance.now();
  let sweeps = 0;
  next = () => {
    if (id !== runId) return;
    const s = live.step(k.sweepsPerFrame);
    sweeps += k.sweepsPerFrame;
    const last = s.rows.slice((k.sweepsPerFrame - 1) * live.n);
    const m = live.meter();
    post({ type: "pbit-frame", id, spins: last, energy: s.energy, magnetisation: s.magnetisation, meter: m, wallSeconds: (performance.now() - t0) / 1000, sweeps }, [last.buffer, s.energy.buffer, s.magnetisation.buffer]);
  };
  next();
}

function describeWeights(spec: PbitSpec): string {
  const w = spec.numerics.weights;
  return w.format === "fixed" ? `${w.bits}-bit fixed point (${w.fracBits} fractional bits)` : "float64";
}

function startAnalog(k: AnalogKnobs, id: number) {
  const { spec, table } = chipOf(k.chip, analogOverrides(k));
  if (spec.kind !== "langevin") throw new Error(`${k.chip} is not an analog chip`);
  const doc = gaussian2dDoc(k.rho);
  const model = modelFromJson(doc, "explorer model");
  if (model.kind !== "gaussian") throw new Error("not a Gaussian model");
  const live = new LiveLangevin(spec as LangevinSpec, model, table, k.seed, Math.max(1, k.readoutsPerFrame));
  files = { model: doc, chip: analogChipDoc(k) };
  post({ type: "analog-start", id, chip: spec.name, target: live.target, predicted: live.predicted, integrator: live.integrator, stepSeconds: live.stepSeconds, readoutSeconds: live.readoutSeconds, iat: live.iat, relaxSeconds: live.relaxSeconds, warnings: live.warnings });
  const t0 = performance.now();
  next = () => {
    if (id !== runId) return;
    const rows = live.step(k.readoutsPerFrame);
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
        const { doc } = spinDoc(spec, m.knobs.model, m.knobs.beta);
        const model = modelFromJson(doc, "explorer model");
        if (model.kind !== "ising") throw new Error("not an Ising model");
        const live = new LivePbit(spec, model, table, (m.knobs.schedule || spec.schedule) as Schedule, m.knobs.seed, 32);
        const rows = new Int8Array(m.samples * live.n);
        for (let done = 0; done < m.samples; ) {
          const k = Math.min(32, m.samples - done);
          rows.set(live.step(k).rows, done * live.n);
          done += k;
        }
        post({ type: "sampled", id: m.id, rows, model: doc, chip: pbitChipDoc(m.knobs), meter: live.meter() }, [rows.buffer]);
        break;
      }
    }
  } catch (err) {
    fail((m as { id?: number }).id ?? 0, err);
  }
};
