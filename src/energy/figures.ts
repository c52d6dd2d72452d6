/**
 * A priced run as a sum of terms, each a count times the figures that price
 * it (a table row's joules, or a core's watts times an operation's seconds),
 * so that a comparison can ask what happens when any one figure moves:
 * energy is linear in each figure, which makes the tornado (each figure
 * halved and doubled) and the break-even value of each (where the
 * conclusion flips) exact, for figures at 0 J as well.
 */
import type { FigureStatus, TechTable } from "./table.js";

export interface Figure {
  /** Unique across tables: "table:action" (or "table:core.power"). */
  id: string;
  value: number;
  unit: "J" | "W" | "s" | "J/update";
  status: FigureStatus;
  source: string;
}

export interface Term {
  /** Energy = coefficient x the product of the figures' values. */
  coefficient: number;
  figures: string[];
  /** Charged once per run (programming), not in proportion to the sweeps. */
  once?: boolean;
}

export interface Costing {
  terms: Term[];
  figures: Figure[];
}

export function termEnergy(t: Term, values: Map<string, number>): number {
  return t.figures.reduce((e, f) => e * values.get(f)!, t.coefficient);
}

export function valuesOf(c: Costing): Map<string, number> {
  return new Map(c.figures.map((f) => [f.id, f.value]));
}

export function costingEnergy(c: Costing, values = valuesOf(c)): number {
  return c.terms.reduce((a, t) => a + termEnergy(t, values), 0);
}

/** The costing of counts priced by a table: one term per action; rows given as time also carry the core's power. */
export function tableCosting(table: TechTable, counts: Record<string, number>, once: string[] = []): Costing {
  const figures: Figure[] = [];
  const terms: Term[] = [];
  const coreId = `${table.name}:core.power`;
  if (table.core) figures.push({ id: coreId, value: table.core.power, unit: "W", status: table.core.status, source: table.core.source });
  for (const [action, row] of table.rows) {
    const id = `${table.name}:${action}`;
    const count = counts[action] ?? 0;
    if (row.time !== undefined && table.core) {
      figures.push({ id, value: row.time, unit: "s", status: row.status, source: row.source });
      terms.push({ coefficient: count, figures: [id, coreId], ...(once.includes(action) ? { once: true } : {}) });
    } else {
      figures.push({ id, value: row.value, unit: row.charge === "energy" ? "J" : "W", status: row.status, source: row.source });
      terms.push({ coefficient: count, figures: [id], ...(once.includes(action) ? { once: true } : {}) });
    }
  }
  return { terms, figures };
}

/** The costing scaled to a fraction of the run's sampling (one-off terms kept whole), then by a factor. */
export function scaledCosting(c: Costing, samplingFraction: number, factor = 1): Costing {
  return { figures: c.figures, terms: c.terms.map((t) => ({ ...t, coefficient: t.coefficient * factor * (t.once ? 1 : samplingFraction) })) };
}
