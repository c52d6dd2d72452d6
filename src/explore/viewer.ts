/**
 * The explorer's result viewer: a compare.json or sweep.json dropped on the
 * page is drawn with the HTML report's own figures (vega-lite specs,
 * report/result-figures.ts, rendered by vega) and table cells
 * (report/result-tables.ts).
 */
import * as vega from "vega";
import * as vl from "vega-lite";
import { compareTable, sweepTable } from "../report/result-tables.js";
import { compareFigures, sweepFigures } from "../report/result-figures.js";
import { fullSpec } from "../report/figure-specs.js";
import { esc } from "./draw.js";

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;

export async function showResult(text: string, name: string) {
  const out = $("#viewer-out");
  out.innerHTML = "";
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    out.innerHTML = `<p class="status error"></p>`;
    out.firstElementChild!.textContent = `${name}: not JSON (${(e as Error).message})`;
    return;
  }
  const isSweep = Array.isArray(doc.rows) && Array.isArray(doc.axes);
  const isCompare = Array.isArray(doc.systems);
  if (!isSweep && !isCompare) {
    out.innerHTML = `<p class="status error"></p>`;
    out.firstElementChild!.textContent = `${name}: neither a compare.json (systems) nor a sweep.json (rows, axes)`;
    return;
  }
  const figs = isSweep ? sweepFigures(doc) : compareFigures(doc);
  const head = document.createElement("h2");
  head.textContent = isSweep ? `Sweep: ${String(doc.title ?? name)}` : `Compare on ${String((doc.model as Record<string, unknown> | undefined)?.file ?? name)}: ${String(doc.target ?? "")}`;
  out.append(head);
  if (figs.length === 0) out.insertAdjacentHTML("beforeend", "<p>This result has no figures (a sweep without a Pareto front).</p>");
  out.append(resultTable(doc, isSweep));
  for (const f of figs) {
    const fig = document.createElement("figure");
    fig.id = `fig-${f.name}`;
    const h = document.createElement("h3");
    h.textContent = f.title;
    const box = document.createElement("div");
    const cap = document.createElement("figcaption");
    cap.textContent = f.caption;
    fig.append(h, box, cap);
    out.append(fig);
    const compiled = vl.compile(fullSpec(f) as never).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: "svg", container: box, hover: true });
    await view.runAsync();
  }
}

/** The result's rows as the report tabulates them (the same cells; the first 200 points of a sweep), in a box that scrolls sideways. */
function resultTable(doc: Record<string, any>, isSweep: boolean): HTMLElement { // eslint-disable-line @typescript-eslint/no-explicit-any
  const { head, rows } = isSweep ? sweepTable(doc, 200) : compareTable(doc);
  const box = document.createElement("div");
  box.className = "wide";
  const t = document.createElement("table");
  t.className = "result";
  const tr = (cells: string[], tag: string) => `<tr>${cells.map((c) => `<${tag}>${esc(c)}</${tag}>`).join("")}</tr>`;
  t.innerHTML = tr(head, "th") + rows.map((r) => tr(r, "td")).join("");
  box.append(t);
  return box;
}

const drop = $<HTMLLabelElement>("#drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", async (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  const file = e.dataTransfer?.files[0];
  if (file) await showResult(await file.text(), file.name);
});
$<HTMLInputElement>("#file").addEventListener("change", async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (file) await showResult(await file.text(), file.name);
});
