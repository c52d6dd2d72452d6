/**
 * The headline of a comparison, built to survive review: the cheapest chip
 * that reached the target in EVERY repeat, against the cheapest digital row
 * of each class that also reached it in every repeat (the chip's own
 * integer twin, a native CPU core, the GPU at its best batch, ...), most
 * conservative ratio first; with, for each, which figure moves the ratio
 * most when halved or doubled (the tornado) and the value of every figure at
 * which the conclusion would flip (the break-even).
 */
import { termEnergy, valuesOf, type Costing } from "../energy/figures.js";
import type { FigureStatus } from "../energy/table.js";
import { formatSI } from "../units.js";
import type { SystemRow } from "./compare.js";

/** Digital classes, by energy model: what a row of that model stands for. */
export const DIGITAL_CLASSES: Record<string, string> = {
  "asic-45nm-int": "integer twin: the chip's own algorithm as a 45 nm digital ASIC",
  cpu: "native CPU core: the best native code, priced from counts",
  "gpu-thrml-h100": "GPU at its best batch (thrml on one H100, measured)",
  "gpu-lattice-record": "GPU lattice record (regular graphs only)",
  "asic-45nm": "generic fp32 sampler ASIC (45 nm)",
};

export interface TornadoBar {
  figure: string;
  status: FigureStatus;
  value: number;
  unit: string;
  /** The chip's advantage with this figure halved and doubled (everything else as priced). */
  ratio_at_half: number;
  ratio_at_double: number;
}

export interface BreakEven {
  figure: string;
  status: FigureStatus;
  value: number;
  unit: string;
  /** The figure's value at which chip and digital row cost the same (null: no value >= 0 flips it). */
  break_even: number | null;
  /** below: the chip wins while the figure stays below break_even; above: while it stays above; always / never: whatever its value. */
  chip_wins_while: "below" | "above" | "always" | "never";
}

export interface Sensitivity {
  tornado: TornadoBar[];
  break_even: BreakEven[];
}

export interface HeadlineEntry {
  class: string;
  energy_model: string;
  name: string;
  twin_of?: string;
  energy_J: number;
  time_s: number | null;
  energy_per_update_J: number | null;
  /** Digital energy / chip energy (> 1: the chip uses less). */
  chip_advantage: number;
  sensitivity?: Sensitivity;
}

export interface Headline {
  target: string;
  best_chip: { name: string; energy_J: number; time_s: number | null; energy_model: string; energy_per_update_J: number | null } | null;
  /** One entry per digital class, the smallest chip advantage (the most conservative) first. */
  digital: HeadlineEntry[];
  /** Rows that did not reach the target in every repeat: never in a headline; with the target's metric at the whole budget (median over repeats), to say how far they were. */
  /** Rows that did not reach the target in every repeat: the metric at the whole budget and, when known, the realised law's distance (why not). */
  left_out: { name: string; energy_model: string; reached_fraction: number; metric_at_budget: number | null; realised_law_tv?: number }[];
  rule: string;
}

/** E = A + B x v in one figure's value v (every other figure as priced). */
function linearIn(c: Costing, id: string): { A: number; B: number } {
  const values = valuesOf(c);
  let A = 0;
  let B = 0;
  for (const t of c.terms) {
    if (!t.figures.includes(id)) {
      A += termEnergy(t, values);
      continue;
    }
    // Coefficient x the other figures (a figure appears once in a term).
    B += t.figures.filter((f) => f !== id).reduce((e, f) => e * values.get(f)!, t.coefficient);
  }
  return { A, B };
}

export function sensitivity(chip: Costing, digital: Costing, top = 10): Sensitivity {
  const figures = new Map([...chip.figures, ...digital.figures].map((f) => [f.id, f]));
  const tornado: TornadoBar[] = [];
  const breakEven: BreakEven[] = [];
  for (const f of figures.values()) {
    const c = linearIn(chip, f.id);
    const d = linearIn(digital, f.id);
    if (c.B === 0 && d.B === 0) continue; // the figure prices nothing this run counted
    if (f.status === "included") continue; // priced at 0 because another figure covers it: nothing to vary
    const at = (k: number) => (d.A + d.B * k * f.value) / (c.A + c.B * k * f.value);
    if (f.value > 0) tornado.push({ figure: f.id, status: f.status, value: f.value, unit: f.unit, ratio_at_half: at(0.5), ratio_at_double: at(2) });
    // Chip - digital = (A_c - A_d) + (B_c - B_d) v: zero at v*.
    const slope = c.B - d.B;
    const gap = c.A - d.A;
    let be: number | null = null;
    let wins: BreakEven["chip_wins_while"];
    if (slope === 0) wins = gap < 0 ? "always" : "never";
    else {
      const v = -gap / slope;
      if (v < 0) wins = slope > 0 ? "never" : "always";
      else {
        be = v;
        wins = slope > 0 ? "below" : "above";
      }
    }
    breakEven.push({ figure: f.id, status: f.status, value: f.value, unit: f.unit, break_even: be, chip_wins_while: wins });
  }
  const swing = (b: TornadoBar) => Math.abs(Math.log(b.ratio_at_double / b.ratio_at_half));
  tornado.sort((a, b) => swing(b) - swing(a));
  // Assumed and uncharged figures first (the ones a conclusion may rest on without evidence), then by how close the flip is.
  const weak = (s: FigureStatus) => (s === "assumed" || s === "not-charged" ? 0 : 1);
  const distance = (b: BreakEven) => (b.break_even === null || b.value === 0 ? Infinity : Math.abs(Math.log(b.break_even / b.value)));
  const flips = (b: BreakEven) => (b.break_even === null ? 1 : 0);
  breakEven.sort((a, b) => weak(a.status) - weak(b.status) || flips(a) - flips(b) || distance(a) - distance(b));
  return { tornado: tornado.slice(0, top), break_even: breakEven };
}

const cheapest = (rows: SystemRow[]) => rows.filter((r) => r.reached_fraction === 1 && r.energy_to_solution_J.median !== null)
  .sort((a, b) => a.energy_to_solution_J.median! - b.energy_to_solution_J.median!)[0];

export function headlineOf(json: { target: unknown; systems: SystemRow[] }, costings?: Map<SystemRow, Costing>): Headline {
  const rows = json.systems;
  // The ideal chip is a reference for the law (exact logistic, no costs), not a chip to buy.
  const chip = cheapest(rows.filter((r) => r.kind === "chip" && r.energy_model !== "ideal" && (r.energy_to_solution_J.median ?? 0) > 0));
  const models = [...new Set(rows.filter((r) => r.kind === "baseline").map((r) => r.energy_model))];
  const digital: HeadlineEntry[] = [];
  for (const m of models) {
    // The integer twin stands against its own chip only.
    const candidates = rows.filter((r) => r.kind === "baseline" && r.energy_model === m && (r.twin_of === undefined || r.twin_of === chip?.name));
    const b = cheapest(candidates);
    if (!b || !chip) continue;
    const entry: HeadlineEntry = {
      class: DIGITAL_CLASSES[m] ?? m, energy_model: m, name: b.name, ...(b.twin_of ? { twin_of: b.twin_of } : {}),
      energy_J: b.energy_to_solution_J.median!, time_s: b.time_to_solution_s.median, energy_per_update_J: b.energy_per_update_J,
      chip_advantage: b.energy_to_solution_J.median! / chip.energy_to_solution_J.median!,
    };
    const cc = costings?.get(chip);
    const dc = costings?.get(b);
    if (cc && dc) entry.sensitivity = sensitivity(cc, dc);
    digital.push(entry);
  }
  digital.sort((a, b) => a.chip_advantage - b.chip_advantage);
  return {
    target: String(json.target),
    best_chip: chip ? { name: chip.name, energy_J: chip.energy_to_solution_J.median!, time_s: chip.time_to_solution_s.median, energy_model: chip.energy_model, energy_per_update_J: chip.energy_per_update_J } : null,
    digital,
    left_out: rows.filter((r) => r.reached_fraction < 1).map((r) => ({ name: r.name, energy_model: r.energy_model, reached_fraction: r.reached_fraction, metric_at_budget: r.curve?.at(-1)?.value ?? null, ...(r.realised_law_tv !== undefined ? { realised_law_tv: r.realised_law_tv } : {}) })),
    rule: "a system enters the headline only if it reached the target in every repeat; each digital class is represented by its cheapest such row (the integer twin by the best chip's own); the smallest chip advantage comes first",
  };
}

/** One line per digital class: "CHIP E vs NAME on MODEL E: Rx less energy on the chip". */
export function headlineLines(h: Headline, fmt: (joules: number) => string): string[] {
  if (!h.best_chip) return [];
  return h.digital.map((d) => {
    const adv = d.chip_advantage;
    const ratio = adv >= 1 ? `${adv.toPrecision(3)}x less energy on the chip` : `${(1 / adv).toPrecision(3)}x MORE energy on the chip`;
    return `${h.best_chip!.name} ${fmt(h.best_chip!.energy_J)} vs ${d.twin_of ? `${d.name} (its integer twin)` : d.name} on ${d.energy_model} ${fmt(d.energy_J)}: ${ratio}`;
  });
}

/** "dtm-2025 stays cheaper than X while <figure> < V" in words, for one break-even entry. */
export function breakEvenText(b: BreakEven, chip: string, d: HeadlineEntry): string {
  const v = (x: number) => formatSI(x, b.unit === "J/update" ? "J" : b.unit);
  const against = d.twin_of ? `its integer twin` : `${d.name} on ${d.energy_model}`;
  if (b.chip_wins_while === "always") return `${chip} stays cheaper than ${against} whatever ${b.figure} is (${b.status}, now ${v(b.value)})`;
  if (b.chip_wins_while === "never") return `${chip} is not cheaper than ${against} at any value of ${b.figure}`;
  return `${chip} stays cheaper than ${against} while ${b.figure} (${b.status}, now ${v(b.value)}) is ${b.chip_wins_while === "below" ? "below" : "above"} ${v(b.break_even!)}`;
}
