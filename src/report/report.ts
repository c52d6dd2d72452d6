/**
 * A report a person reads, from a result folder: a `sample` run (stats.json,
 * trace.npy, samples.npy) or a `compare` run (compare.json). Figures are
 * vega-lite specs rendered here (figures.ts); the HTML is one self-contained
 * file (figures inlined as SVG, no scripts, no server) beside PNG and SVG
 * copies of every figure.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import YAML from "yaml";
import { readCapped, readCappedText, LIMITS } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { decodeNpy } from "../io/npy.js";
import { InputError } from "../errors.js";
import { diagnoseScalar } from "../metrics/diagnostics.js";
import { imageGridPng } from "./image-grid.js";
import {
  acfFigure, energyBreakdownFigure, energyToSolutionFigure, qualityEnergyFigure, render, traceFigure,
  type Figure, type Rendered,
} from "./figures.js";

export interface Report {
  kind: "sample" | "compare";
  title: string;
  html: string;
  figures: Rendered[];
  /** Images that are pictures of samples rather than charts (PNG only). */
  pictures: { name: string; title: string; caption: string; png: Uint8Array }[];
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function readJson(file: string): Json {
  return parseJsonStrict(readCappedText(file, LIMITS.spec), file) as Json;
}

const esc = (s: unknown) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A number for a person: 3 significant digits, SI-style exponents for the very small and large. */
export function num(x: unknown, unit = ""): string {
  if (x === null || x === undefined) return "—";
  if (typeof x !== "number") return esc(x);
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const s = a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
  return unit ? `${s} ${esc(unit)}` : s;
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

async function sampleReport(dir: string, stats: Json): Promise<Report> {
  const system = stats.chip ?? stats.baseline ?? "?";
  const names: string[] = Array.isArray(stats.trace_names) ? stats.trace_names : [];
  const traces = names.length ? readTraces(dir, names) : undefined;
  const figures: Figure[] = [];
  const units = (stats.units ?? {}) as Record<string, string>;
  if (traces) {
    names.forEach((name, k) => figures.push(traceFigure(`trace-${name}`, name, traces[k], units[name] ?? (name === "energy" ? "model energy units" : "per variable"))));
    figures.push(acfFigure(`acf-${names[0]}`, names[0], traces[0]));
  }
  const byAction = (stats.energy_J?.by_action ?? {}) as Record<string, number>;
  if (Object.values(byAction).some((j) => j > 0)) figures.push(energyBreakdownFigure("energy-by-action", [{ system: String(system), byAction }]));
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
    if (s.dtype === "uint8" && stats.model?.rbm?.visible === 784) {
      // RBM samples: the 784 visible units as 28 x 28 digits, the last samples of the chains.
      const count = Math.min(64, rows);
      const img = new Float64Array(count * 784);
      for (let q = 0; q < count; q++) for (let p = 0; p < 784; p++) img[q * 784 + p] = Number(s.data[(rows - count + q) * n + p]);
      pictures.push({ name: "samples", title: "Samples", caption: `the last ${count} recorded samples' visible units as 28 x 28 images (1 dark)`, png: imageGridPng(img, count, 28, 28, 8, 2) });
    } else if (shape && s.dtype === "int8") {
      // Spin configurations as pixel images (a vega rect per p-bit would be megabytes of SVG).
      const count = Math.min(4, stats.chains ?? 1);
      const img = new Float64Array(count * n);
      for (let c = 0; c < count; c++) for (let i = 0; i < n; i++) img[c * n + i] = Number(s.data[last(c) * n + i]) > 0 ? 1 : 0;
      pictures.push({ name: "spins", title: "Spin configurations", caption: `the last recorded sample of ${count === 1 ? "the chain" : `each of ${count} chains`} on the ${shape.width} x ${shape.height} grid (+1 dark)`, png: imageGridPng(img, count, shape.width, shape.height, count, 3) });
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
  const title = `${system} on ${stats.model?.file ?? "a model"}`;
  return { kind: "sample", title, html: page(title, sections.join("\n")), figures: rendered, pictures };
}

async function compareReport(cmp: Json): Promise<Report> {
  const rows = (cmp.systems ?? []) as Json[];
  const label = (r: Json) => (r.kind === "baseline" ? `${r.name} (${r.energy_model})` : r.name);
  const targetValue = Number(/([0-9.eE+-]+)\s*$/.exec(String(cmp.target ?? ""))?.[1]);
  const metric = String(cmp.target ?? "").split(/[<>=]/)[0].trim() || "quality";
  const figures: Figure[] = [
    qualityEnergyFigure("quality-vs-energy", metric, Number.isFinite(targetValue) ? targetValue : undefined, rows.map((r) => ({ system: label(r), points: (r.curve ?? []).map((p: Json) => ({ energy: p.energy_J, value: p.value })) }))),
    energyToSolutionFigure("energy-to-solution", rows.map((r) => ({ system: label(r), median: r.energy_to_solution_J?.median ?? null, p90: r.energy_to_solution_J?.p90 ?? null, reached: r.reached_fraction > 0 }))),
    energyBreakdownFigure("energy-by-action", rows.filter((r) => r.energy_by_action_J).map((r) => ({ system: label(r), byAction: r.energy_by_action_J }))),
  ];
  const rendered = await Promise.all(figures.map(render));
  const systems = table(
    ["system", "energy model", "reached", "energy to solution (median, p90)", "time to solution (median, p90)", "sweeps to target", "IAT (sweeps)", "ESS per J", "vs best digital (energy)"],
    rows.map((r) => [
      esc(r.name), esc(r.energy_model), `${num(100 * r.reached_fraction)}%`,
      `${num(r.energy_to_solution_J?.median, "J")}, ${num(r.energy_to_solution_J?.p90, "J")}`,
      `${num(r.time_to_solution_s?.median, "s")}, ${num(r.time_to_solution_s?.p90, "s")}`,
      num(r.sweeps_to_target?.median), num(r.iat_sweeps), num(r.ess_per_J),
      r.ratio_to_best_digital?.energy == null ? "—" : `${num(r.ratio_to_best_digital.energy)}x`,
    ]),
  );
  const defs = Object.entries((cmp.definitions ?? {}) as Record<string, string>).map(([k, v]) => `<li><b>${esc(k)}</b>: ${esc(v)}</li>`).join("");
  const title = `Compare on ${cmp.model?.file ?? "a model"}: ${cmp.target ?? ""}`;
  const sections = [
    `<h2>Systems</h2><p>target <code>${esc(cmp.target)}</code>, ${esc(cmp.repeats)} repeats x ${esc(cmp.chains)} chains, up to ${esc(cmp.max_sweeps)} sweeps, seed ${esc(cmp.seed)}</p>${systems}`,
    figureSection(rendered, []),
    defs ? `<h2>Definitions</h2><ul>${defs}</ul>` : "",
    warningsSection(cmp.warnings),
  ];
  return { kind: "compare", title, html: page(title, sections.join("\n")), figures: rendered, pictures: [] };
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
.warn li { color: #8a4b00; } img { image-rendering: pixelated; }
</style></head><body>
<h1>${esc(title)}</h1>
<p class="note">thermosim report</p>
${body}
</body></html>
`;
}

/** The report of a result folder (sample or compare). */
export async function buildReport(dir: string): Promise<Report> {
  const cmp = join(dir, "compare.json");
  const stats = join(dir, "stats.json");
  if (existsSync(cmp)) return compareReport(readJson(cmp));
  if (existsSync(stats)) {
    const s = readJson(stats);
    if (s.command === "sample") return sampleReport(dir, s);
    throw new InputError(stats, "command", `is ${JSON.stringify(s.command)}; a report is made from a sample or compare folder`);
  }
  throw new InputError(dir, undefined, "holds neither compare.json nor stats.json: give a folder written by thermosim sample or compare");
}
