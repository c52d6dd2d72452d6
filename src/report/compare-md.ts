/** compare.md: the systems table of a comparison, for a terminal or a Markdown viewer. */
import { formatSI } from "../units.js";
import type { SystemRow } from "../run/compare.js";
import { breakEvenText, headlineLines, type Headline, type Sensitivity } from "../run/headline.js";
import { breakEvenTable, headlineTable, type TextTable } from "./result-tables.js";

export function compareMarkdown(j: Record<string, any>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const rows = j.systems as SystemRow[];
  const f = (x: number | null | undefined, unit: string) => (x === null || x === undefined ? "not reached" : formatSI(x, unit));
  const r = (x: number | null | undefined) => (x === null || x === undefined ? "-" : Math.abs(x) >= 1e5 ? x.toExponential(2) : Number(x.toPrecision(3)).toString());
  const time = (s: SystemRow, x: number | null) => (s.runs[0].seconds_run === null ? "not modelled" : f(x, "s"));
  const lines = [
    `# thermosim compare: ${j.model.file}`,
    "",
    `Target **${j.target}**, ${j.repeats} repeats of ${j.chains} chains x up to ${j.max_sweeps} sweeps, seed ${j.seed}. ` +
      "Energy and time to solution: median (90th percentile) over repeats, from the fixed initial state, burn-in and programming included.",
    "",
    ...headlineSection(j),
    ...compareTable(j),
    "",
    "Energy models: " + [...new Set(rows.map((s) => `${s.energy_model}${s.energy_source ? ` (${s.energy_source})` : ""}`))].join("; ") + ".",
    "",
    ...Object.entries(j.definitions as Record<string, string>).map(([k, v]) => `- \`${k}\`: ${v}`),
  ];
  return lines.join("\n") + "\n";

  function compareTable(c: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
    return [
      "| system | energy model | reached | energy to solution | time to solution | sweeps to target | IAT (sweeps) | ESS/J | ESS/s | energy vs best digital |",
      "|---|---|---|---|---|---|---|---|---|---|",
      ...(c.systems as SystemRow[]).map((s) => `| ${s.name} (${s.kind}) | ${s.energy_model} | ${(100 * s.reached_fraction).toFixed(0)}% | ${f(s.energy_to_solution_J.median, "J")} (${f(s.energy_to_solution_J.p90, "J")}) | ${time(s, s.time_to_solution_s.median)} (${time(s, s.time_to_solution_s.p90)}) | ${r(s.sweeps_to_target.median)} | ${r(s.iat_sweeps)} | ${r(s.ess_per_J)} | ${r(s.ess_per_s)} | ${s.ratio_to_best_digital?.energy == null ? "-" : `${r(s.ratio_to_best_digital.energy)}x`} |`),
    ];
  }
}

/** The table lines alone (header, rule, one line per system). */
export function compareTableLines(j: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const md = compareMarkdown(j).split("\n");
  const at = md.findIndex((l) => l.startsWith("| system |"));
  return md.slice(at, at + 2 + (j.systems as unknown[]).length);
}

/** A text table as Markdown lines. */
function markdown(t: TextTable): string[] {
  return [`| ${t.head.join(" | ")} |`, `|${t.head.map(() => "---").join("|")}|`, ...t.rows.map((r) => `| ${r.join(" | ")} |`)];
}

/** The headline (each digital class, most conservative first) and the lead comparison's break-even values. */
function headlineSection(j: Record<string, any>): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const h = j.headline;
  if (!h) return [];
  if (!h.best_chip || !h.digital?.length) return ["## Headline", "", "No chip reached the target in every repeat: no ratio is stated.", "", ...leftOutLines(h)];
  const lead = h.digital[0];
  const lines = ["## Headline", "", ...headlineLines(h as Headline, (x) => formatSI(x, "J")).map((l) => `- ${l}`), ""];
  lines.push(...markdown(headlineTable(j)), "");
  if (lead.sensitivity) {
    const weak = (lead.sensitivity as Sensitivity).break_even.filter((b) => b.status === "assumed" || b.status === "not-charged");
    lines.push(`Break-even values against ${lead.twin_of ? "the integer twin" : `${lead.name} on ${lead.energy_model}`} (the value at which the two cost the same; assumed and uncharged figures first):`, "");
    lines.push(...weak.slice(0, 8).map((b) => `- ${breakEvenText(b, h.best_chip.name, lead)}`), "");
    lines.push(...markdown(breakEvenTable(j)), "");
  }
  lines.push(...leftOutLines(h));
  lines.push("## Systems", "");
  return lines;
}

/** Who did not reach the target in every repeat, how far they got, and (where known) how far the law they realise is: why not. */
function leftOutLines(h: { left_out?: { name: string; energy_model: string; reached_fraction: number; metric_at_budget?: number | null; realised_law_tv?: number }[] }): string[] {
  if (!h.left_out?.length) return [];
  return [`Left out of the headline (did not reach the target in every repeat; the target's metric at the whole budget, and where known the realised law's exact distance from the model): ${h.left_out.map((x) => `${x.name} on ${x.energy_model} (${Math.round(100 * x.reached_fraction)}%${x.metric_at_budget != null ? `, ${Number(x.metric_at_budget.toPrecision(3))}` : ""}${x.realised_law_tv !== undefined ? `; realised law at TV ${Number(x.realised_law_tv.toPrecision(3))}` : ""})`).join(", ")}.`, ""];
}
