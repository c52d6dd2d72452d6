/**
 * Which figures a compare or sweep result gets, from its JSON alone: the
 * HTML report renders them headless, the explorer's viewer in the browser.
 */
import { energyBreakdownFigure, energyToSolutionFigure, paretoFigure, qualityEnergyFigure, tornadoFigure, type Figure } from "./figure-specs.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** compare.json: quality against energy, energy to solution, and the split by action where a row has one. */
export function compareFigures(cmp: Json, prefix = ""): Figure[] {
  const rows = (cmp.systems ?? []) as Json[];
  const label = (r: Json) => (r.kind === "baseline" ? `${r.name} (${r.energy_model})` : r.name);
  const targetValue = Number(/([0-9.eE+-]+)\s*$/.exec(String(cmp.target ?? ""))?.[1]);
  const metric = String(cmp.target ?? "").split(/[<>=]/)[0].trim() || "quality";
  const figures: Figure[] = [
    qualityEnergyFigure(`${prefix}quality-vs-energy`, metric, Number.isFinite(targetValue) ? targetValue : undefined, rows.map((r) => ({ system: r.name, energyModel: r.kind === "chip" ? "chip's own table" : r.energy_model, points: (r.curve ?? []).map((p: Json) => ({ energy: p.energy_J, value: p.value })) }))),
    energyToSolutionFigure(`${prefix}energy-to-solution`, rows.map((r) => ({ system: label(r), median: r.energy_to_solution_J?.median ?? null, p90: r.energy_to_solution_J?.p90 ?? null, reached: r.reached_fraction > 0 }))),
  ];
  // Platform totals (CPU, GPU) carry no split by action: only rows priced action by action are drawn.
  const split = rows.filter((r) => r.energy_by_action_J && Object.keys(r.energy_by_action_J).filter((k) => r.energy_by_action_J[k] > 0).length > 0 && !Object.keys(r.energy_by_action_J).some((k) => k.endsWith("(platform model)")));
  if (split.length) figures.push(energyBreakdownFigure(`${prefix}energy-by-action`, split.map((r) => ({ system: label(r), byAction: r.energy_by_action_J }))));
  // The headline's most conservative comparison: which figure moves it most.
  const h = cmp.headline as Json | undefined;
  const lead = h?.digital?.[0] as Json | undefined;
  if (h?.best_chip && lead?.sensitivity?.tornado?.length) {
    const against = lead.twin_of ? `${lead.name} (integer twin)` : `${lead.name} on ${lead.energy_model}`;
    figures.push(tornadoFigure(`${prefix}tornado`, h.best_chip.name, against, lead.chip_advantage,
      (lead.sensitivity.tornado as Json[]).map((b) => ({ figure: b.figure, status: b.status, low: b.ratio_at_half, high: b.ratio_at_double }))));
  }
  return figures;
}

/** sweep.json: the Pareto front, when the sweep has one. */
export function sweepFigures(sw: Json): Figure[] {
  const p = sw.pareto as Json | undefined;
  if (!p) return [];
  const rows = (sw.rows ?? []) as Json[];
  const axes = (sw.axes ?? []) as string[];
  const front = new Set<number>((p.front ?? []) as number[]);
  const v = (r: Json, c: string) => (axes.includes(c) ? r.values?.[c] : r.figures?.[c]);
  const num = (x: unknown) => (typeof x === "number" ? x : NaN);
  return [paretoFigure("pareto", p.x, p.y, rows.map((r) => ({ x: num(v(r, p.x)), y: num(v(r, p.y)), front: front.has(r.point), label: String(r.point) })), p.goals)];
}
