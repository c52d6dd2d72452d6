/**
 * The explorer page (explore/index.html): tabs, knobs, the live p-bit grid
 * and analog cloud, the "repeat on the command line" files and links that
 * hold the knobs. It only draws: every simulation runs in the worker
 * (worker.ts). Drawing helpers are in draw.ts, the result viewer in viewer.ts.
 */
import YAML from "yaml";
import type { AnalogKnobs, ModelFile, PbitKnobs, ToPage, ToWorker } from "./protocol.js";
import { modelFileName, sampleCommand } from "./knobs.js";
import { drawTrace, esc, fmt, meterTable, si } from "./draw.js";
import { showResult } from "./viewer.js";
import type { Ellipse } from "./live-langevin.js";

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const status = $<HTMLParagraphElement>("#status");
let worker: Worker;
const send = (m: ToWorker) => worker.postMessage(m);
/** A run was sent and has neither started nor failed: the worker is still mapping it (an embedding search can take seconds). */
let busy = false;
/** The worker is being replaced; this run goes to the new one once it is ready. */
let restarting = false;
let waiting: ToWorker | undefined;

/**
 * Start a run (or stop). A worker still busy mapping the previous run is replaced rather than waited
 * for, so a knob answers at once even after a model whose embedding search takes half a minute.
 */
function sendRun(m: Extract<ToWorker, { type: "pbit" | "analog" | "stop" }>) {
  const replace = busy && !restarting;
  busy = m.type !== "stop";
  if (replace) {
    worker.terminate();
    restarting = true;
    bootWorker();
  }
  if (restarting) waiting = m;
  else send(m);
}
let runId = 0;
let lastError = "";

function setStatus(text: string, error = false) {
  status.textContent = text;
  status.classList.toggle("error", error);
}

// ---------------------------------------------------------------- tabs
let activeTab = "pbit";
for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>(".tab"))) {
  b.addEventListener("click", () => showTab(b.dataset.tab!));
}
function showTab(tab: string) {
  activeTab = tab;
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>(".tab"))) b.classList.toggle("active", b.dataset.tab === tab);
  for (const p of Array.from(document.querySelectorAll<HTMLElement>(".panel"))) p.classList.toggle("active", p.id === tab);
  if (tab === "pbit") startPbit();
  else if (tab === "analog") startAnalog();
  else {
    sendRun({ type: "stop", id: ++runId });
    saveHash();
    setStatus("simulation stopped while the viewer is open");
  }
}

// ---------------------------------------------------------------- p-bit chip
const pForm = $<HTMLFormElement>("#pbit-knobs");
const grid = $<HTMLCanvasElement>("#grid");
const TRACE = 600;
const pbit = { knobs: undefined as PbitKnobs | undefined, file: undefined as ModelFile | undefined, lastLogical: undefined as Int8Array | undefined, energy: [] as number[], mag: [] as number[], first: 1, sweeps: 0, frames: 0, t0: 0, wall: 0, paused: false, start: undefined as Extract<ToPage, { type: "pbit-start" }> | undefined, lastSpins: undefined as Int8Array | undefined, lastMeter: undefined as Extract<ToPage, { type: "pbit-frame" }>["meter"] | undefined };
const off = document.createElement("canvas");

function pbitKnobs(): PbitKnobs {
  const f = new FormData(pForm);
  const model = f.get("model") as PbitKnobs["model"];
  return {
    chip: String(f.get("chip")), model, ...(model === "file" && pbit.file ? { modelFile: pbit.file } : {}), beta: Number(f.get("beta")), schedule: String(f.get("schedule")),
    rng: String(f.get("rng")), weightBits: Number(f.get("weightBits")), gainSigma: Number(f.get("gainSigma")), seed: Number(f.get("seed")),
    sweepsPerFrame: Math.max(1, Math.min(64, Math.round(Number(f.get("sweepsPerFrame")) || 1))),
  };
}

function startPbit() {
  const k = pbitKnobs();
  (pForm.elements.namedItem("betaOut") as HTMLOutputElement).value = k.beta.toFixed(2);
  (pForm.elements.namedItem("gainOut") as HTMLOutputElement).value = k.gainSigma.toFixed(2);
  // A model file brings its own beta (and the file is what the command line gets).
  (pForm.elements.namedItem("beta") as HTMLInputElement).disabled = k.model === "file";
  lastError = ""; // a new run: the last run's error no longer stands
  Object.assign(pbit, { knobs: k, lastLogical: undefined, energy: [], mag: [], first: 1, sweeps: 0, frames: 0, t0: performance.now(), wall: 0, paused: false, start: undefined });
  saveHash();
  $<HTMLButtonElement>("#pbit-pause").textContent = "pause";
  setStatus(k.modelFile ? `placing ${k.modelFile.name} on ${k.chip}…` : `running ${k.chip}…`);
  sendRun({ type: "pbit", id: ++runId, knobs: k });
}

function drawGrid(spins: Int8Array) {
  const { width: w, height: h } = pbit.start!; // frames arrive after their run's start
  off.width = w;
  off.height = h;
  const g = off.getContext("2d")!;
  const img = g.createImageData(w, h);
  const cells = Math.min(w * h, spins.length);
  for (let i = 0; i < cells; i++) {
    img.data.set(spins[i] > 0 ? [244, 241, 232, 255] : spins[i] < 0 ? [35, 57, 93, 255] : [206, 210, 216, 255], 4 * i);
  }
  g.putImageData(img, 0, 0);
  const G = grid.getContext("2d")!;
  G.imageSmoothingEnabled = false;
  G.clearRect(0, 0, grid.width, grid.height);
  G.drawImage(off, 0, 0, grid.width, grid.height);
}

/** A minor-embedded model's variables as read out (each chain's majority), in order: the chip view shows where the chains sit. */
function drawLogical(spins: Int8Array) {
  const n = spins.length;
  const w = Math.ceil(Math.sqrt(n)), h = Math.ceil(n / w);
  const px = Math.max(1, Math.min(14, Math.floor(420 / w)));
  const c = $<HTMLCanvasElement>("#logical");
  if (c.width !== w * px || c.height !== h * px) {
    c.width = w * px;
    c.height = h * px;
    $("#logical-caption").textContent = `The model's ${n} variables as read out (each chain's majority), in order, ${w} a row.`;
  }
  const g = c.getContext("2d")!;
  g.clearRect(0, 0, c.width, c.height);
  for (let i = 0; i < n; i++) {
    g.fillStyle = spins[i] > 0 ? "#f4f1e8" : "#23395d";
    g.fillRect((i % w) * px, Math.floor(i / w) * px, px, px);
  }
}

function pbitMeter() {
  const m = pbit.lastMeter, s = pbit.start;
  if (!m || !s) return;
  const wallRate = pbit.sweeps / Math.max(1e-9, pbit.wall);
  const perSweep = m.samplingJ / Math.max(1, m.sweeps);
  $("#pbit-meter").innerHTML = meterTable(`${s.chip}: the chip's meter`, [
    ["sweeps", fmt(m.sweeps, 6), `every p-bit updated once per sweep (${fmt(m.updates, 6)} p-bit updates)`],
    ["chip time", si(m.chipSeconds, "s"), `simulated, at the chip's ${si(s.clockHz, "Hz")} clock: ${si(m.chipSeconds / Math.max(1, m.sweeps), "s")} a sweep`],
    ["energy, sampling", si(m.samplingJ, "J"), `from the chip's technology table: ${si(perSweep, "J")} a sweep, ${si(m.samplingJ / Math.max(1e-30, m.chipSeconds), "W")} on average`],
    ["energy, programming", si(m.programmingJ, "J"), "once: writing the weights and biases"],
    ["on this page", `${fmt(wallRate)} sweeps/s`, `wall clock, drawing included (${fmt(pbit.frames, 6)} frames)`],
    ["magnetisation", fmt(pbit.mag[pbit.mag.length - 1] ?? NaN), "mean spin now"],
  ]);
}

function onPbitFrame(m: Extract<ToPage, { type: "pbit-frame" }>) {
  pbit.sweeps = m.sweeps;
  pbit.lastSpins = m.spins;
  pbit.lastLogical = m.logical;
  pbit.lastMeter = m.meter;
  pbit.energy.push(...m.energy);
  pbit.mag.push(...m.magnetisation);
  if (pbit.energy.length > TRACE) {
    const cut = pbit.energy.length - TRACE;
    pbit.energy.splice(0, cut);
    pbit.mag.splice(0, cut);
    pbit.first += cut;
  }
  requestAnimationFrame(() => {
    if (m.id !== runId) return;
    drawGrid(m.spins);
    if (pbit.start && pbit.start.pbits !== pbit.start.n) drawLogical(m.logical);
    drawTrace($("#energy-trace"), pbit.energy, "energy E(s)", pbit.first);
    drawTrace($("#mag-trace"), pbit.mag, "magnetisation", pbit.first, [-1, 1]);
    pbit.frames++;
    pbit.wall = (performance.now() - pbit.t0) / 1000;
    pbitMeter();
    showCommand("pbit", sampleCommand(pbit.sweeps, pbit.knobs!.seed, pbit.knobs!.schedule, commandFiles(pbit.knobs!), !!pbit.start && pbit.start.pbits !== pbit.start.n));
    if (!pbit.paused) send({ type: "drawn", id: m.id });
  });
}

function onPbitStart(m: Extract<ToPage, { type: "pbit-start" }>) {
  pbit.start = m;
  // Whole pixels per p-bit where they fit; larger grids (z1's 234 x 144 tile) scaled to 420 px.
  const fit = Math.min(420 / m.width, 420 / m.height);
  const px = fit >= 2 ? Math.floor(fit) : fit;
  grid.width = Math.round(m.width * px);
  grid.height = Math.round(m.height * px);
  $("#logical-box").hidden = m.pbits === m.n;
  $<HTMLCanvasElement>("#logical").width = 0; // re-sized (and captioned) by the first frame
  const placed = m.pbits === m.n
    ? `Each square is one p-bit of ${esc(m.chip)} (${fmt(m.n, 6)} in use)`
    : `The ${fmt(m.n, 6)} variables sit on ${fmt(m.pbits, 6)} p-bits of ${esc(m.chip)} as chains (a minor-embedding; each variable reads as its chain's majority)`;
  $("#grid-caption").innerHTML = `${placed}, on ${esc(m.graph)}: <span class="swatch up"></span> +1, <span class="swatch down"></span> −1${m.pbits < m.width * m.height ? `, <span class="swatch unused"></span> not used` : ""}. Drawn after every frame. Model: ${esc(m.model)}.`;
  const warn = m.warnings.map((w) => `<span class="warn">warning: ${w}</span>`).join("<br>");
  $("#pbit-notes").innerHTML = `Schedule ${m.schedule}; weights ${m.weights}; kernel path: ${m.kernelPath}.${warn ? `<br>${warn}` : ""}`;
  setStatus(`${m.chip} running in a worker thread`);
}

let asyncChips: string[] = [];
/** The asynchronous schedule needs the chip's flip timing: offered only where the preset has it. */
function syncScheduleOptions() {
  const chip = (pForm.elements.namedItem("chip") as HTMLSelectElement).value;
  const sel = pForm.elements.namedItem("schedule") as HTMLSelectElement;
  const opt = sel.querySelector<HTMLOptionElement>("option[value=async]")!;
  opt.disabled = !asyncChips.includes(chip);
  if (opt.disabled && sel.value === "async") sel.value = "";
}

pForm.addEventListener("change", (e) => {
  if ((e.target as HTMLInputElement).type === "file") return; // read first, then run (the model-file listener)
  if (askForFile(pForm, pbit, e.target)) return;
  $("#link-note").hidden = true;
  syncScheduleOptions();
  startPbit();
});
pForm.addEventListener("input", (e) => {
  const t = e.target as HTMLInputElement;
  if (t.name === "beta") (pForm.elements.namedItem("betaOut") as HTMLOutputElement).value = Number(t.value).toFixed(2);
  if (t.name === "gainSigma") (pForm.elements.namedItem("gainOut") as HTMLOutputElement).value = Number(t.value).toFixed(2);
});
$("#pbit-run").addEventListener("click", () => startPbit());
$("#pbit-pause").addEventListener("click", () => {
  pbit.paused = !pbit.paused;
  $<HTMLButtonElement>("#pbit-pause").textContent = pbit.paused ? "resume" : "pause";
  if (!pbit.paused) send({ type: "drawn", id: runId });
});

// ---------------------------------------------------------------- analog chip
const aForm = $<HTMLFormElement>("#analog-knobs");
const cloud = $<HTMLCanvasElement>("#cloud");
const CLOUD = 4000;
/** Read-outs joined by the trail line. */
const TRAIL = 30;
const analog = { file: undefined as ModelFile | undefined, knobs: undefined as AnalogKnobs | undefined, paused: false, xs: [] as number[], ys: [] as number[], first: [] as [number, number][], count: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, start: undefined as Extract<ToPage, { type: "analog-start" }> | undefined, frames: 0, t0: 0 };

function analogKnobs(): AnalogKnobs {
  const f = new FormData(aForm);
  const model = (f.get("model") ?? "bundled") as NonNullable<AnalogKnobs["model"]>;
  return {
    chip: String(f.get("chip")), model, ...(model === "file" && analog.file ? { modelFile: analog.file } : {}), integrator: String(f.get("integrator")), stepFraction: Number(f.get("stepFraction")), noiseBandwidth: String(f.get("noiseBandwidth")), noiseScale: Number(f.get("noiseScale")),
    readoutInterval: String(f.get("readoutInterval") ?? ""), rho: Number(f.get("rho")), seed: Number(f.get("seed")), readoutsPerFrame: Math.max(1, Math.min(256, Math.round(Number(f.get("readoutsPerFrame")) || 1))),
  };
}

function syncAnalogOutputs() {
  const k = analogKnobs();
  (aForm.elements.namedItem("stepOut") as HTMLOutputElement).value = k.stepFraction.toFixed(2);
  (aForm.elements.namedItem("rhoOut") as HTMLOutputElement).value = k.rho.toFixed(2);
  (aForm.elements.namedItem("noiseScaleOut") as HTMLOutputElement).value = (k.noiseScale ?? 1).toFixed(2);
}

function startAnalog() {
  syncAnalogOutputs();
  const k = analogKnobs();
  (aForm.elements.namedItem("rho") as HTMLInputElement).disabled = k.model === "file";
  lastError = "";
  Object.assign(analog, { knobs: k, paused: false, xs: [], ys: [], first: [], count: 0, sx: 0, sy: 0, sxx: 0, syy: 0, sxy: 0, start: undefined, frames: 0, t0: performance.now() });
  $<HTMLButtonElement>("#analog-pause").textContent = "pause";
  saveHash();
  setStatus(k.modelFile ? `mapping ${k.modelFile.name} on ${k.chip}…` : `running ${k.chip}…`);
  sendRun({ type: "analog", id: ++runId, knobs: k });
}

/** Points of the k-sigma ellipse of a 2-D Gaussian. */
function ellipse(e: Ellipse, k: number): [number, number][] {
  const [a, b, , d] = e.cov;
  const tr = (a + d) / 2, det = a * d - b * b;
  const disc = Math.sqrt(Math.max(0, tr * tr - det));
  const l1 = tr + disc, l2 = Math.max(0, tr - disc);
  const ang = Math.abs(b) > 1e-15 ? Math.atan2(l1 - a, b) : a >= d ? 0 : Math.PI / 2;
  const pts: [number, number][] = [];
  for (let t = 0; t <= 64; t++) {
    const u = (2 * Math.PI * t) / 64;
    const x = k * Math.sqrt(l1) * Math.cos(u), y = k * Math.sqrt(l2) * Math.sin(u);
    pts.push([e.mean[0] + x * Math.cos(ang) - y * Math.sin(ang), e.mean[1] + x * Math.sin(ang) + y * Math.cos(ang)]);
  }
  return pts;
}

function empirical(): Ellipse | undefined {
  const n = analog.count;
  if (n < 10) return undefined;
  const mx = analog.sx / n, my = analog.sy / n;
  const cxy = analog.sxy / n - mx * my;
  return { mean: [mx, my], cov: [analog.sxx / n - mx * mx, cxy, cxy, analog.syy / n - my * my] };
}

function drawCloud() {
  const s = analog.start;
  if (!s) return;
  const g = cloud.getContext("2d")!;
  const W = cloud.width, H = cloud.height;
  g.clearRect(0, 0, W, H);
  // View: the target's 3.5-sigma box, square.
  const sd = Math.sqrt(Math.max(s.target.cov[0], s.target.cov[3]));
  const span = 3.5 * sd;
  const cx = s.target.mean[0], cy = s.target.mean[1];
  const X = (x: number) => W / 2 + ((x - cx) / span) * (W / 2 - 10);
  const Y = (y: number) => H / 2 - ((y - cy) / span) * (H / 2 - 10);
  g.strokeStyle = "#eef0f3";
  g.beginPath(); g.moveTo(X(cx - span), Y(cy)); g.lineTo(X(cx + span), Y(cy)); g.moveTo(X(cx), Y(cy - span)); g.lineTo(X(cx), Y(cy + span)); g.stroke();
  g.fillStyle = "rgba(60, 60, 60, 0.35)";
  for (let i = 0; i < analog.xs.length; i++) g.fillRect(X(analog.xs[i]) - 1, Y(analog.ys[i]) - 1, 2, 2);
  const path = (e: Ellipse, colour: string, dash: number[], width: number) => {
    for (const k of [1, 2]) {
      g.beginPath();
      ellipse(e, k).forEach(([x, y], i) => (i ? g.lineTo(X(x), Y(y)) : g.moveTo(X(x), Y(y))));
      g.setLineDash(dash);
      g.strokeStyle = colour;
      g.lineWidth = width;
      g.stroke();
    }
    g.setLineDash([]);
  };
  path(s.target, "#d0342c", [], 2);
  if (s.predicted) path(s.predicted, "#2f6fb0", [6, 4], 1.5);
  const emp = empirical();
  if (emp) path(emp, "#2a9d4b", [], 1.5);
  const last = analog.xs.length - 1;
  // The chain's last read-outs joined up: a smooth crawl when they are correlated, jumps when independent.
  if (last >= 1) {
    g.strokeStyle = "rgba(208, 52, 44, 0.45)";
    g.lineWidth = 1;
    g.beginPath();
    const from = Math.max(0, last - TRAIL);
    g.moveTo(X(analog.xs[from]), Y(analog.ys[from]));
    for (let i = from + 1; i <= last; i++) g.lineTo(X(analog.xs[i]), Y(analog.ys[i]));
    g.stroke();
  }
  if (last >= 0) {
    g.fillStyle = "#d0342c";
    g.beginPath(); g.arc(X(analog.xs[last]), Y(analog.ys[last]), 4, 0, 2 * Math.PI); g.fill();
  }
  g.fillStyle = "#5b6470";
  g.font = "12px system-ui, sans-serif";
  g.fillText(`x₁ (horizontal), x₂ (vertical); view ±3.5 sd around the target mean`, 10, H - 8);
}

function covError(e: Ellipse | undefined, t: Ellipse): number {
  if (!e) return NaN;
  let num = 0, den = 0;
  for (let i = 0; i < 4; i++) { num += (e.cov[i] - t.cov[i]) ** 2; den += t.cov[i] ** 2; }
  return Math.sqrt(num / den);
}

/** The slowest variable's integrated autocorrelation time, in read-outs (1: independent). */
function tauOf(s: Extract<ToPage, { type: "analog-start" }>): number {
  return Math.max(1, ...(s.iat ?? [1]));
}

function onAnalogFrame(m: Extract<ToPage, { type: "analog-frame" }>) {
  for (let r = 0; r < m.rows.length / 2; r++) {
    const x = m.rows[2 * r], y = m.rows[2 * r + 1];
    analog.xs.push(x); analog.ys.push(y);
    if (analog.first.length < 64) analog.first.push([x, y]);
    analog.count++; analog.sx += x; analog.sy += y; analog.sxx += x * x; analog.syy += y * y; analog.sxy += x * y;
  }
  if (analog.xs.length > CLOUD) { analog.xs.splice(0, analog.xs.length - CLOUD); analog.ys.splice(0, analog.ys.length - CLOUD); }
  requestAnimationFrame(() => {
    if (m.id !== runId) return;
    drawCloud();
    analog.frames++;
    const s = analog.start!;
    const me = m.meter;
    const wall = (performance.now() - analog.t0) / 1000;
    $("#analog-meter").innerHTML = meterTable(`${s.chip}: the chip's meter`, [
      ["read-outs", fmt(me.readouts, 6), `one every ${si(s.readoutSeconds, "s")} of chip time; ${fmt(me.integratorSteps, 6)} integrator steps of ${si(s.stepSeconds, "s")} (${s.integrator})`],
      ["chip time", si(me.chipSeconds, "s"), "simulated"],
      ["energy, sampling", si(me.samplingJ, "J"), `${si(me.samplingJ / Math.max(1, me.readouts), "J")} a read-out: heat in the resistors, amplifiers, noise sources, ADC`],
      ...(s.iat ? [["effective samples", fmt(me.readouts / tauOf(s), 4), `read-outs / ${fmt(tauOf(s), 3)}, the predicted autocorrelation time; ${si((me.samplingJ * tauOf(s)) / Math.max(1, me.readouts), "J")} an independent sample`] as [string, string, string]] : []),
      ["energy, programming", si(me.programmingJ, "J"), "once: programming the circuit's elements (DAC writes)"],
      ["covariance error", `${fmt(100 * covError(empirical(), s.target), 2)}%`, "of the read-outs so far against the model (relative Frobenius); the chip's predicted law: " + `${fmt(100 * covError(s.predicted, s.target), 2)}%`],
      ["on this page", `${fmt(me.readouts / Math.max(1e-9, wall))} read-outs/s`, "wall clock, drawing included"],
    ]);
    showCommand("analog", sampleCommand(analog.count, analog.knobs!.seed, "", commandFiles(analog.knobs!)));
    if (!analog.paused) send({ type: "drawn", id: m.id });
  });
}

aForm.addEventListener("change", (e) => {
  if ((e.target as HTMLInputElement).type === "file") return;
  if (askForFile(aForm, analog, e.target)) return;
  $("#link-note").hidden = true;
  startAnalog();
});
$("#analog-pause").addEventListener("click", () => {
  analog.paused = !analog.paused;
  $<HTMLButtonElement>("#analog-pause").textContent = analog.paused ? "resume" : "pause";
  if (!analog.paused) send({ type: "drawn", id: runId });
});
aForm.addEventListener("input", () => syncAnalogOutputs());
$("#analog-run").addEventListener("click", () => startAnalog());

// ---------------------------------------------------------------- the command line and shared links
/** The file names the command line uses: the model file under its own (shell-safe) name. */
function commandFiles(k: PbitKnobs | AnalogKnobs) {
  return { model: k.model === "file" && k.modelFile ? modelFileName(k.modelFile.name) : "model.json", chip: "chip.yaml" };
}

/** The command that repeats the running chain so far (a checkout runs `thermosim` as `npx thermosim`). */
function showCommand(tab: "pbit" | "analog", argv: string[]) {
  $(`#${tab}-cli pre code`).textContent = `npx ${argv.join(" ")}`;
  $(`#${tab}-cli button[data-file=model]`).textContent = argv[2];
}

const pendingFiles = new Map<number, (m: Extract<ToPage, { type: "files" }>) => void>();
/** The running chain's model.json and chip.yaml, as the worker built them. */
function runFiles(): Promise<{ model: string; modelName: string; chip: string }> {
  return new Promise((resolve) => {
    const id = -++fileRequests; // negative: never a run's id
    pendingFiles.set(id, (m) => resolve({ model: m.model.text, modelName: m.model.name, chip: `# ${m.chip.extends} with the explorer's knobs: thermosim sample --chip this-file\n${YAML.stringify(m.chip)}` }));
    send({ type: "files", id });
  });
}
let fileRequests = 0;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: name.endsWith(".json") ? "application/json" : "text/yaml" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>(".cli button[data-file]"))) {
  b.addEventListener("click", async () => {
    const f = await runFiles();
    if (b.dataset.file === "model") download(f.modelName, f.model);
    else download("chip.yaml", f.chip);
  });
}

/** The most a model file opened on the page may hold (the command line takes up to 512 MiB). */
const PAGE_MODEL_BYTES = 64 * 2 ** 20;

/** The model each tab last ran, to go back to when the file picker is cancelled. */
const lastModel = new Map<HTMLFormElement, string>();

/**
 * "From a file" chosen with no file opened yet: open the file picker (the run starts once a file is read);
 * cancelled, the model select goes back to the model that is running.
 */
function askForFile(form: HTMLFormElement, state: { file?: ModelFile }, target: EventTarget | null): boolean {
  const sel = form.elements.namedItem("model") as HTMLSelectElement;
  if (target !== sel) {
    lastModel.set(form, sel.value);
    return false;
  }
  if (sel.value !== "file" || state.file) {
    lastModel.set(form, sel.value);
    return false;
  }
  const input = form.elements.namedItem("modelFile") as HTMLInputElement;
  input.addEventListener("cancel", () => { if (!state.file) sel.value = lastModel.get(form) ?? sel.options[0].value; }, { once: true });
  input.click();
  return true;
}

/** A model file chosen on a tab: read it, select "from a file", run it. */
for (const [form, state, start] of [[pForm, pbit, () => startPbit()], [aForm, analog, () => startAnalog()]] as const) {
  (form.elements.namedItem("modelFile") as HTMLInputElement).addEventListener("change", async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    if (file.size > PAGE_MODEL_BYTES) {
      setStatus(`${file.name}: ${fmt(file.size / 2 ** 20)} MiB is more than the page reads (64 MiB); run it with thermosim sample`, true);
      return;
    }
    if (/\.(npz|safetensors)$/i.test(file.name)) {
      setStatus(`${file.name}: weight files (.npz, .safetensors) are read by thermosim sample, not by the page; give a text model file`, true);
      return;
    }
    state.file = { name: file.name, text: await file.text() };
    (form.elements.namedItem("model") as HTMLSelectElement).value = "file";
    $("#link-note").hidden = true;
    start();
  });
}

/** The open tab and its knobs, in the address (#tab=pbit&chip=...): a link reopens the same view. */
function saveHash() {
  const knobs: object = activeTab === "pbit" ? pbitKnobs() : activeTab === "analog" ? analogKnobs() : {};
  const p = new URLSearchParams({ tab: activeTab });
  for (const [k, v] of Object.entries(knobs)) if (k !== "modelFile") p.set(k, String(v));
  history.replaceState(null, "", `#${p}`);
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("a.share"))) a.href = location.href;
}

/**
 * Set the tab and knobs a link names. A value the page does not offer (no such preset, a number
 * out of a slider's range) is left at the page's default and said in the status line.
 */
function restoreHash(): string[] {
  const p = new URLSearchParams(location.hash.slice(1));
  const ignored: string[] = [];
  const tab = p.get("tab");
  if (tab !== null) {
    if (["pbit", "analog", "viewer"].includes(tab)) activeTab = tab;
    else ignored.push(`tab=${tab}`);
  }
  const form = activeTab === "pbit" ? pForm : activeTab === "analog" ? aForm : undefined;
  for (const [k, v] of p) {
    if (k === "tab") continue;
    const el = form?.elements.namedItem(k) as HTMLInputElement | HTMLSelectElement | null;
    if (!el || !(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) {
      ignored.push(`${k} (no such knob)`);
      continue;
    }
    if (k === "model" && v === "file") {
      ignored.push("model=file (a link does not carry the file: open it again)");
      continue;
    }
    if (el instanceof HTMLSelectElement) {
      const opt = Array.from(el.options).find((o) => o.value === v);
      if (!opt || opt.disabled) { ignored.push(`${k}=${v} (not offered)`); continue; }
      el.value = v;
      if (k === "chip" && form === pForm) syncScheduleOptions();
    } else {
      const x = Number(v);
      const lo = el.min === "" ? -Infinity : Number(el.min), hi = el.max === "" ? Infinity : Number(el.max);
      if (v.trim() === "" || !Number.isFinite(x) || x < lo || x > hi || (el.name === "seed" && !Number.isSafeInteger(x))) { ignored.push(`${k}=${v} (out of range)`); continue; }
      el.value = v;
    }
  }
  return ignored;
}

// ---------------------------------------------------------------- worker messages, test hooks
let readyResolve: () => void;
const ready = new Promise<void>((r) => (readyResolve = r));
const pending = new Map<number, (m: Extract<ToPage, { type: "sampled" }>) => void>();

function onMessage(e: MessageEvent<ToPage>) {
  const m = e.data;
  if (m.type === "ready" && restarting) {
    restarting = false;
    if (waiting) send(waiting);
    waiting = undefined;
    return;
  }
  if (m.type === "ready") {
    for (const [form, names] of [[pForm, m.presets.pbit], [aForm, m.presets.langevin]] as const) {
      const sel = form.elements.namedItem("chip") as HTMLSelectElement;
      sel.innerHTML = names.map((n) => `<option value="${n}">${n}</option>`).join("");
    }
    (pForm.elements.namedItem("chip") as HTMLSelectElement).value = m.presets.pbit.includes("dtm-2025") ? "dtm-2025" : m.presets.pbit[0];
    (aForm.elements.namedItem("chip") as HTMLSelectElement).value = m.presets.langevin.includes("rc-langevin") ? "rc-langevin" : m.presets.langevin[0];
    asyncChips = m.presets.asyncChips;
    syncScheduleOptions();
    const left = Object.entries(m.presets.excluded).map(([k, why]) => `${k} (${why})`).join("; ");
    $("#built").textContent = `Kernels and chip presets built ${m.presets.built}.${left ? ` Not offered here: ${left}.` : ""}`;
    const ignored = restoreHash();
    readyResolve();
    showTab(activeTab);
    if (ignored.length) {
      const note = $("#link-note");
      note.textContent = `not taken from the link: ${ignored.join(", ")}; the page's defaults are used instead`;
      note.hidden = false;
    }
    return;
  }
  if (m.id === runId && (m.type === "error" || m.type === "pbit-start" || m.type === "analog-start")) busy = false;
  if (m.type === "error") {
    if (m.id > 0 && m.id !== runId) return; // a run the page has since replaced
    lastError = m.message;
    setStatus(`error: ${m.message}`, true);
    return;
  }
  if (m.type === "files") {
    pendingFiles.get(m.id)?.(m);
    pendingFiles.delete(m.id);
    return;
  }
  if (m.type === "sampled") {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
    return;
  }
  if (m.id !== runId) return;
  if (m.type === "pbit-start") onPbitStart(m);
  else if (m.type === "pbit-frame") onPbitFrame(m);
  else if (m.type === "analog-start") {
    analog.start = m;
    const warn = m.warnings.map((w) => `<span class="warn">warning: ${w}</span>`).join("<br>");
    const corr = m.iat ? ` Successive read-outs are correlated over ${fmt(tauOf(m), 3)} read-outs (predicted integrated autocorrelation time), so each is worth ${fmt(1 / tauOf(m), 2)} of an independent sample.` : "";
    const shown = m.n > 2 ? ` The cloud shows x₁ and x₂ of the model's ${m.n} variables (their marginal law).` : "";
    $("#analog-notes").innerHTML = `Model: ${esc(m.model)}.${shown} Integrator ${m.integrator}, step ${si(m.stepSeconds, "s")}, read-out every ${si(m.readoutSeconds, "s")}; the circuit's slowest time constant is ${si(m.relaxSeconds, "s")}.${corr}${warn ? `<br>${warn}` : ""}`;
    setStatus(`${m.chip} running in a worker thread`);
  } else if (m.type === "analog-frame") onAnalogFrame(m);
}

let workersStarted = 0;
function bootWorker() {
  workersStarted++;
  worker = new Worker(new URL("worker.js", location.href));
  worker.onmessage = onMessage;
  worker.onerror = (e) => {
    lastError = e.message;
    setStatus(`worker error: ${e.message}`, true);
  };
  send({ type: "init", base: new URL(".", location.href).href });
}
bootWorker();

/** For tests and the curious: the page's state, and the same run as `thermosim sample`. */
(window as unknown as { explorer: unknown }).explorer = {
  ready,
  pbitStats: () => ({ lastLogical: pbit.lastLogical ? Array.from(pbit.lastLogical) : [], pbits: pbit.start?.pbits, sweeps: pbit.sweeps, frames: pbit.frames, wallSeconds: pbit.wall, running: pbit.start?.chip, lastSpins: pbit.lastSpins ? Array.from(pbit.lastSpins) : [], magnetisation: [...pbit.mag], energy: [...pbit.energy], meter: pbit.lastMeter }),
  analogStats: () => ({ count: analog.count, frames: analog.frames, empirical: empirical(), target: analog.start?.target, predicted: analog.start?.predicted, readoutSeconds: analog.start?.readoutSeconds, iat: analog.start?.iat, first: analog.first.slice() }),
  lastError: () => lastError,
  workers: () => workersStarted,
  sample: (knobs: PbitKnobs, samples: number) => new Promise((resolve) => {
    const id = ++runId;
    pending.set(id, (m) => {
      let bin = "";
      const bytes = new Uint8Array(m.rows.buffer, m.rows.byteOffset, m.rows.byteLength);
      for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      resolve({ rows: btoa(bin), model: m.model, chip: m.chip, meter: m.meter });
    });
    send({ type: "sample", id, knobs, samples });
  }),
  showResult,
  runFiles,
  command: (tab: "pbit" | "analog") => $(`#${tab}-cli pre code`).textContent ?? "",
  pause: (tab: "pbit" | "analog") => { if (!(tab === "pbit" ? pbit : analog).paused) $<HTMLButtonElement>(`#${tab}-pause`).click(); },
  analogRows: () => ({ xs: [...analog.xs], ys: [...analog.ys] }),
};
