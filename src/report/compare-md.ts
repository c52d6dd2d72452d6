/** compare.md: the systems table of a comparison, for a terminal or a Markdown viewer. */
import { formatSI } from "../units.js";
import type { SystemRow } from "../run/compare.js";

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
  return md.slice(4, 6 + (j.systems as unknown[]).length);
}
