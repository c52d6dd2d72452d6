/**
 * A report a person reads, from a result folder: a `sample` run (stats.json,
 * trace.npy, samples.npy), a `compare` run (compare.json) or a `study`
 * (study.json naming its parts' compare and sample folders). Figures are
 * vega-lite specs rendered here (figures.ts); the HTML is one self-contained
 * file (figures inlined as SVG, no scripts, no server) beside PNG and SVG
 * copies of every figure.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { readCapped, readCappedText, LIMITS } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { decodeNpy } from "../io/npy.js";
import { InputError } from "../errors.js";
import { diagnoseScalar } from "../metrics/diagnostics.js";
import { imageGridPng } from "./image-grid.js";
import { acfFigure, energyBreakdownFigure, render, traceFigure, type Figure, type Rendered } from "./figures.js";
import { compareFigures, sweepFigures } from "./result-figures.js";
import { breakEvenTable, compareTable, headlineTable, num as plainNum, sweepTable, type TextTable } from "./result-tables.js";

export interface Report {
  kind: "sample" | "compare" | "study" | "sweep";
  title: string;
  html: string;
  figures: Rendered[];
  /** Images that are pictures of samples rather than charts (PNG only). */
  pictures: { name: string; title: string; caption: string; png: Uint8Array }[];
}

/** Write a report into a folder being staged: index.html, then every figure as SVG and PNG, pictures as PNG. */
export function writeReport(dest: { path(p: string): string; write(file: string, data: string | Uint8Array): void }, r: Report): void {
  mkdirSync(dest.path("figures"));
  dest.write("index.html", r.html);
  for (const fig of r.figures) {
    dest.write(`figures/${fig.name}.svg`, fig.svg);
    dest.write(`figures/${fig.name}.png`, fig.png);
  }
  for (const p of r.pictures) dest.write(`figures/${p.name}.png`, p.png);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A result file, read as untrusted data: valid JSON is not enough, it must
 * have the shape thermosim writes for its kind (a garbage compare.json is one
 * line, not a TypeError deep in a table).
 */
function readJson(file: string): Json {
  const doc = parseJsonStrict(readCappedText(file, LIMITS.spec), file);
  const bad = (field: string | undefined, what: string) => new InputError(file, field, `${what}: is this a file thermosim wrote?`);
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw bad(undefined, "must be a JSON object");
  const d = doc as Json;
  const listOfObjects = (key: string) => {
    if (!Array.isArray(d[key])) throw bad(key, "must be a list");
    (d[key] as unknown[]).forEach((x, k) => {
      if (typeof x !== "object" || x === null || Array.isArray(x)) throw bad(`${key}[${k}]`, "must be an object");
    });
  };
  const base = file.split(/[\\/]/).pop();
  if (base === "compare.json") {
    listOfObjects("systems");
    (d.systems as Json[]).forEach((x, k) => {
      if (typeof x.name !== "string" || typeof x.energy_model !== "string") throw bad(`systems[${k}]`, "must name its system and energy model");
      for (const key of ["runs", "curve"]) if (!Array.isArray(x[key])) throw bad(`systems[${k}].${key}`, "must be a list");
    });
  } else if (base === "sweep.json") listOfObjects("rows");
  else if (base === "study.json") listOfObjects("parts");
  return d;
}

const esc = (s: unknown) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A number for a person, HTML-escaped (see result-tables.ts). */
export function num(x: unknown, unit = ""): string {
  return esc(plainNum(x, unit));
}

/** A plain-text table (result-tables.ts), escaped. */
function textTable(t: TextTable): string {
  return table(t.head.map(esc), t.rows.map((r) => r.map(esc)));
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

/** Chains of every trace observable: trace.npy is [chains, draws, k]. */
function readTraces(dir: string, names: string[]): Float64Array[][] | undefined {
  const file = join(dir, "trace.npy");
  if (!existsSync(file)) return undefined;
  const a = decodeNpy(readCapped(file, LIMITS.model), file);
  if (a.shape.length !== 3 || a.shape[2] !== names.length) throw new InputError(file, undefined, `has shape [${a.shape.join(", ")}]; stats.json names ${names.length} traced observables`);
  const [C, D, K] = a.shape;
  return names.map((_, k) => Array.from({ length: C }, (_, c) => Float64Array.from({ length: D }, (_, d) => Number(a.data[(c * D + d) * K + k]))));
}

/** The grid a chip lays its p-bits on (from the resolved spec), if any. */
function gridOf(dir: string): { width: number; height: number } | undefined {
  const file = join(dir, "chip.resolved.yaml");
  if (!existsSync(file)) return undefined;
  const doc = YAML.parse(readCappedText(file, LIMITS.spec)) as Json;
  const t = doc?.topology;
  return t && t.impl === "offset-grid" && Number.isInteger(t.width) && Number.isInteger(t.height) ? { width: t.width, height: t.height } : undefined;
}

/** What a report section is made of: HTML sections and the figures they show (names carry a prefix in a study). */
interface Body {
  title: string;
  sections: string[];
  figures: Rendered[];
  pictures: Report["pictures"];
}

async function sampleBody(dir: string, stats: Json, prefix = ""): Promise<Body> {
  const system = stats.chip ?? stats.baseline ?? "?";
  const names: string[] = Array.isArray(stats.trace_names) ? stats.trace_names : [];
  const traces = names.length ? readTraces(dir, names) : undefined;
  const figures: Figure[] = [];
  const units = (stats.units ?? {}) as Record<string, string>;
  if (traces) {
    // The first two observables (energy and magnetisation, or energy and x0): a page, not a wall of traces.
    names.slice(0, 2).forEach((name, k) => figures.push(traceFigure(`${prefix}trace-${name}`, name, traces[k], units[name] ?? (name === "energy" ? "model energy units" : "per variable"))));
    figures.push(acfFigure(`${prefix}acf-${names[0]}`, names[0], traces[0]));
  }
  const byAction = (stats.energy_J?.by_action ?? {}) as Record<string, number>;
  if (Object.values(byAction).some((j) => j > 0)) figures.push(energyBreakdownFigure(`${prefix}energy-by-action`, [{ system: String(system), byAction }]));
  const pictures: Report["pictures"] = [];
  const samplesFile = join(dir, "samples.npy");
  if (existsSync(samplesFile) && stats.model?.kind === "ising") {
    const s = decodeNpy(readCapped(samplesFile, LIMITS.model), samplesFile);
    const [rows, n] = s.shape;
    const perChain = Math.max(1, Math.floor(rows / Math.max(1, stats.chains ?? 1)));
    const last = (chain: number) => (chain + 1) * perChain - 1;
    const grid = gridOf(dir);
    const side = Math.round(Math.sqrt(n));
    const shape = grid && grid.width * grid.height === n ? grid : side * side === n && n >= 16 ? { width: side, height: side } : undefined;
    const nv = Number(stats.model?.rbm?.visible);
    const vside = Math.round(Math.sqrt(nv));
    if (s.dtype === "uint8" && nv > 0 && vside * vside === nv && vside >= 3) {
      // RBM samples: the visible units as square images (28 x 28 digits for MNIST), from the end of
      // every chain (up to 64 chains), several spread evenly over each chain when there are few chains.
      const chains = Math.max(1, Math.min(stats.chains ?? 1, rows));
      const per = Math.max(1, Math.min(perChain, Math.ceil(64 / chains)));
      const picks: number[] = [];
      for (let c = 0; c < Math.min(chains, 64); c++) for (let j = per - 1; j >= 0 && picks.length < 64; j--) picks.push(last(c) - j * Math.max(1, Math.floor(perChain / per)));
      const img = new Float64Array(picks.length * nv);
      picks.forEach((row, q) => { for (let p = 0; p < nv; p++) img[q * nv + p] = Number(s.data[row * n + p]); });
      const columns = vside >= 16 ? 8 : 16;
      const scale = Math.max(1, Math.floor(880 / ((vside + 2) * columns + 2)));
      pictures.push({
        name: `${prefix}samples`, title: "Samples",
        caption: `visible units as ${vside} x ${vside} images (1 dark): ${per === 1 ? `the last recorded sample of each of ${picks.length} chains` : `${per} samples spread evenly over each of ${Math.min(chains, 64)} chains, ending at its last`}`,
        png: imageGridPng(img, picks.length, vside, vside, columns, scale),
      });
    } else if (shape && s.dtype === "int8") {
      // Spin configurations as pixel images (a vega rect per p-bit would be megabytes of SVG).
      const count = Math.min(4, stats.chains ?? 1);
      const img = new Float64Array(count * n);
      for (let c = 0; c < count; c++) for (let i = 0; i < n; i++) img[c * n + i] = Number(s.data[last(c) * n + i]) > 0 ? 1 : 0;
      pictures.push({ name: `${prefix}spins`, title: "Spin configurations", caption: `the last recorded sample of ${count === 1 ? "the chain" : `each of ${count} chains`} on the ${shape.width} x ${shape.height} grid (+1 dark)`, png: imageGridPng(img, count, shape.width, shape.height, count, 3) });
    }
  }
  const rendered = await Promise.all(figures.map(render));
  const diag = traces ? names.map((name, k) => {
    const d = diagnoseScalar(traces[k]);
    return [esc(name), num(d.rhat), num(d.ess_bulk), num(d.ess_tail), num(d.iat, "draws"), num(d.mcse_mean)];
  }) : [];
  const e = stats.energy_J ?? {};
  const headline = table(["quantity", "value", "what it is"], [
    ["system", esc(`${system} (${stats.system_kind ?? stats.chip_kind ?? ""})`), "chip preset or digital baseline"],
    ["model", esc(`${stats.model?.file ?? ""}: ${stats.model?.kind ?? ""}, ${stats.model?.n ?? "?"} variables, ${stats.model?.couplings ?? "?"} couplings`), "what was sampled"],
    ["chains x samples", esc(`${stats.chains} x ${stats.samples_per_chain} (burn-in ${stats.burn_in}, thin ${stats.thin}), seed ${stats.seed}`), "the run's plan"],
    ["updates", num(stats.updates), "variable updates performed, all chains"],
    ["wall time", num(stats.wall_seconds, "s"), "simulation only, on this machine"],
    ["chip time", num(stats.chip_seconds, "s"), "simulated hardware time"],
    ["energy", num(e.total, "J"), `from the ${esc(e.table ?? "—")} table; ${num(e.per_sample, "J")} per sample, ${num(e.average_power_W, "W")} average`],
    ["kernel path", esc(stats.mapping?.kernel_path ?? "—"), "how the kernel ran (the samples do not depend on it)"],
  ]);
  const sections = [
    `<h2>Run</h2>${headline}`,
    diag.length ? `<h2>Mixing</h2>${table(["observable", "R-hat", "ESS bulk", "ESS tail", "IAT", "MCSE of the mean"], diag)}<p class="note">rank-normalised split R-hat and ESS as Stan's <code>posterior</code> defines them; IAT by Sokal's window (c = 5)</p>` : "",
    figureSection(rendered, pictures),
    warningsSection(stats.warnings),
  ];
  return { title: `${system} on ${stats.model?.file ?? "a model"}`, sections, figures: rendered, pictures };
}

async function compareBody(cmp: Json, prefix = ""): Promise<Body> {
  const figures = compareFigures(cmp, prefix);
  const rendered = await Promise.all(figures.map(render));
  const systems = textTable(compareTable(cmp));
  const defs = Object.entries((cmp.definitions ?? {}) as Record<string, string>).map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`).join("");
  const title = `Compare on ${cmp.model?.file ?? "a model"}: ${cmp.target ?? ""}`;
  const h = cmp.headline as Json | undefined;
  const lead = h?.digital?.[0] as Json | undefined;
  const headline = h?.best_chip && h.digital?.length
    ? `<h2>Headline</h2><p>${esc(h.best_chip.name)} (reached the target in every repeat) against the cheapest row of each digital class that did too, the smallest advantage first.</p>${textTable(headlineTable(cmp))}` +
      (lead?.sensitivity ? `<h3>Break-even values (against ${esc(lead.twin_of ? `${lead.name}, the integer twin` : `${lead.name} on ${lead.energy_model}`)})</h3><p class="note">the value of each figure at which the two cost the same, everything else as priced; assumed and uncharged figures first</p><div class="wide">${textTable(breakEvenTable(cmp))}</div>` : "") +
      (h.left_out?.length ? `<p class="note">left out of the headline (did not reach the target in every repeat; in brackets the share of repeats that did, the target's metric at the whole budget and, where known, the exact distance of the law the chip realises from the model's): ${esc((h.left_out as Json[]).map((x) => `${x.name} on ${x.energy_model} (${Math.round(100 * x.reached_fraction)}%${x.metric_at_budget != null ? `, ${plainNum(x.metric_at_budget)}` : ""}${x.realised_law_tv != null ? `; realised law at TV ${plainNum(x.realised_law_tv)}` : ""})`).join(", "))}</p>` : "")
    : h ? `<h2>Headline</h2><p>No chip reached the target in every repeat${h.left_out?.length ? ` (${esc((h.left_out as Json[]).map((x) => `${x.name} on ${x.energy_model}: ${Math.round(100 * x.reached_fraction)}%${x.realised_law_tv != null ? `, realised law at TV ${plainNum(x.realised_law_tv)}` : ""}`).join(", "))})` : ""}: no ratio is stated.</p>` : "";
  const sections = [
    headline,
    `<h2>Systems</h2><p>target <code>${esc(cmp.target)}</code>, ${esc(cmp.repeats)} repeats x ${esc(cmp.chains)} chains, up to ${esc(cmp.max_sweeps)} sweeps, seed ${esc(cmp.seed)}</p>${systems}`,
    figureSection(rendered, []),
    defs ? `<h2>Definitions</h2><ul>${defs}</ul>` : "",
    warningsSection(cmp.warnings),
  ];
  return { title, sections, figures: rendered, pictures: [] };
}

/** The most points a sweep's table in the report shows (the CSV has them all). */
const SWEEP_ROWS = 200;

async function sweepBody(sw: Json): Promise<Body> {
  const rows = (sw.rows ?? []) as Json[];
  const axes = (sw.axes ?? []) as string[];
  const p = sw.pareto as Json | undefined;
  const rendered = await Promise.all(sweepFigures(sw).map(render));
  const front = new Set<number>((p?.front ?? []) as number[]);
  const tab = textTable(sweepTable(sw, SWEEP_ROWS));
  const defs = Object.entries((sw.definitions ?? {}) as Record<string, string>).map(([k, d]) => `<li><b>${esc(k)}</b>: ${esc(d)}</li>`).join("");
  const title = `Sweep: ${sw.title ?? ""}`;
  const system = sw.system?.chip ? `chip ${sw.system.chip}` : `baseline ${sw.system?.baseline}`;
  const sections = [
    `<p>${esc(rows.length)} points (${esc(sw.mode)}) of ${esc(system)} on <code>${esc(sw.model)}</code>, over ${axes.map((a) => `<code>${esc(a)}</code>`).join(", ")}.${p ? ` ${front.size} on the Pareto front of ${esc(p.y)} (${esc(p.goals?.[1])}) against ${esc(p.x)} (${esc(p.goals?.[0])}).` : ""}</p>`,
    figureSection(rendered, []),
    `<h2>Points</h2>${rows.length > SWEEP_ROWS ? `<p class="note">the first ${SWEEP_ROWS} of ${rows.length}; sweep.csv has them all</p>` : ""}<div class="wide">${tab}</div>`,
    defs ? `<h2>Definitions</h2><ul>${defs}</ul>` : "",
  ];
  return { title, sections, figures: rendered, pictures: [] };
}

function figureSection(figs: Rendered[], pictures: Report["pictures"]): string {
  const items = [
    ...figs.map((f) => `<figure id="${esc(f.name)}"><h3>${esc(f.title)}</h3>${f.svg}<figcaption>${esc(f.caption)} <a href="figures/${esc(f.name)}.png">PNG</a> · <a href="figures/${esc(f.name)}.svg">SVG</a></figcaption></figure>`),
    ...pictures.map((p) => `<figure id="${esc(p.name)}"><h3>${esc(p.title)}</h3><img alt="${esc(p.title)}" src="data:image/png;base64,${Buffer.from(p.png).toString("base64")}"><figcaption>${esc(p.caption)}</figcaption></figure>`),
  ];
  return items.length ? `<h2>Figures</h2>${items.join("\n")}` : "";
}

function warningsSection(w: unknown): string {
  if (!Array.isArray(w) || w.length === 0) return "";
  return `<h2>Warnings</h2><ul class="warn">${w.map((x) => `<li>${esc(x)}</li>`).join("")}</ul>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body { font-family: "DejaVu Sans", Verdana, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9em; } td, th { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
figure { margin: 1.2em 0; } figcaption { font-size: 0.85em; color: #555; } .note { font-size: 0.85em; color: #555; }
.wide { overflow-x: auto; } .warn li { color: #8a4b00; } img { image-rendering: pixelated; max-width: 100%; } svg { max-width: 100%; height: auto; }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="note">thermosim report</p>
${body}
</body></html>
`;
}

function sampleStats(dir: string): Json {
  const stats = join(dir, "stats.json");
  const s = readJson(stats);
  if (s.command !== "sample") throw new InputError(stats, "command", `is ${JSON.stringify(s.command)}; a report is made from a sample, compare or study folder`);
  return s;
}

/** The report of a result folder (study, compare or sample). */
export async function buildReport(dir: string): Promise<Report> {
  const study = join(dir, "study.json");
  const cmp = join(dir, "compare.json");
  const stats = join(dir, "stats.json");
  const whole = (kind: Report["kind"], b: Body): Report => ({ kind, title: b.title, html: page(b.title, b.sections.join("\n")), figures: b.figures, pictures: b.pictures });
  if (existsSync(study)) return studyReport(dir, readJson(study));
  const sweep = join(dir, "sweep.json");
  if (existsSync(sweep)) return whole("sweep", await sweepBody(readJson(sweep)));
  if (existsSync(cmp)) return whole("compare", await compareBody(readJson(cmp)));
  if (existsSync(stats)) return whole("sample", await sampleBody(dir, sampleStats(dir)));
  throw new InputError(dir, undefined, "holds none of study.json, sweep.json, compare.json and stats.json: give a folder written by thermosim study, sweep, compare or sample");
}

/** A folder named in study.json, checked to lie inside the study's folder. */
function inside(dir: string, rel: unknown, file: string, field: string): string {
  if (typeof rel !== "string" || rel === "" || rel.startsWith("/") || rel.split(/[\\/]/).includes("..")) throw new InputError(file, field, `must be a folder inside the study's, got ${JSON.stringify(rel)}`);
  return join(dir, rel);
}

/** Demote a body's headings one level (a part's sections sit under the part's own heading). */
const demote = (html: string) => html.replace(/<(\/?)h([1-5])>/g, (_, slash, k) => `<${slash}h${Number(k) + 1}>`);

async function studyReport(dir: string, st: Json): Promise<Report> {
  const file = join(dir, "study.json");
  const parts = Array.isArray(st.parts) ? (st.parts as Json[]) : [];
  const figures: Rendered[] = [];
  const pictures: Report["pictures"] = [];
  const html: string[] = [];
  if (st.about) html.push(`<p>${esc(st.about)}</p>`);
  // The headline first: per part, the best chip against the best digital baseline on each energy model.
  const head = parts.flatMap((p) => {
    const h = p.headline as Json | null;
    if (!h) return [];
    const chip = h.best_chip as Json | null;
    if (!chip) return [[esc(p.title), `<code>${esc(h.target)}</code>`, "no chip reached the target in every repeat", "—", "—", "—"]];
    return (h.digital as Json[]).map((d) => [
      esc(p.title), `<code>${esc(h.target)}</code>`,
      `${esc(chip.name)}: ${num(chip.energy_J, "J")}`,
      esc(d.class ?? d.energy_model),
      `${esc(d.twin_of ? `${d.name} (${d.twin_of}'s integer twin)` : d.name)} on ${esc(d.energy_model)}: ${num(d.energy_J, "J")}`,
      d.chip_advantage == null ? "—" : `<b>${num(d.chip_advantage)}x</b> ${d.chip_advantage >= 1 ? "less energy on the chip" : "more energy on the chip"}`,
    ]);
  });
  if (head.length) {
    html.push(`<h2>Headline</h2>${table(["part", "target", "best chip (median energy to solution)", "digital class", "cheapest digital row of the class", "chip's advantage"], head)}` +
      `<p class="note">only systems that reached the target in every repeat; the cheapest chip (the ideal chip, a reference without costs, left out) against the cheapest row of each digital class, the smallest advantage first; the advantage is the digital row's energy over the chip's; each part's section below gives the break-even value of every figure</p>`);
  }
  for (const [i, p] of parts.entries()) {
    const prefix = `${p.name}-`;
    const bits: string[] = [`<h2 id="part-${esc(p.name)}">${esc(p.title)}</h2>`];
    if (p.about) bits.push(`<p>${esc(p.about)}</p>`);
    const m = p.model as Json;
    bits.push(`<p class="note">model <code>${esc(m?.file)}</code>: ${esc(m?.kind)}, ${esc(m?.n)} variables, ${esc(m?.couplings)} couplings</p>`);
    const skipped = (p.skipped ?? []) as Json[];
    if (skipped.length) bits.push(`<h3>Chips that cannot run this model</h3><ul class="warn">${skipped.map((x) => `<li><b>${esc(x.chip)}</b>: ${esc(x.reason)}</li>`).join("")}</ul>`);
    if (p.compare) {
      const b = await compareBody(readJson(join(inside(dir, p.compare, file, `parts[${i}].compare`), "compare.json")), prefix);
      bits.push(...b.sections.map(demote));
      figures.push(...b.figures);
    }
    for (const [k, s] of ((p.samples ?? []) as Json[]).entries()) {
      const sdir = inside(dir, s.folder, file, `parts[${i}].samples[${k}].folder`);
      const b = await sampleBody(sdir, sampleStats(sdir), `${prefix}${String(s.system).replace(/[^a-zA-Z0-9-]+/g, "-")}-`);
      bits.push(`<h3>Sample run: ${esc(b.title)}</h3>`, ...b.sections.map((x) => demote(demote(x))));
      figures.push(...b.figures);
      pictures.push(...b.pictures);
    }
    html.push(bits.join("\n"));
  }
  const title = String(st.title ?? "thermosim study");
  return { kind: "study", title, html: page(title, html.join("\n")), figures, pictures };
}
