/**
 * The energy ledger: action counts x technology table -> joules by action.
 * A table must price exactly the actions the chip counts (a missing row would
 * silently read as zero; an extra row is usually a misspelt action).
 */
import { InputError } from "../errors.js";
import type { TechTable } from "./table.js";

export interface ActionDef {
  name: string;
  unit: string;
  description: string;
  /** "energy": priced per count; "power": a time integral priced in watts. */
  charge: "energy" | "power";
}

/** An action priced per count. */
export const energyAction = (name: string, unit: string, description: string): ActionDef => ({ name, unit, description, charge: "energy" });

export function checkTable(table: TechTable, defs: ActionDef[]): void {
  const names = new Set(defs.map((d) => d.name));
  for (const d of defs) {
    const row = table.rows.get(d.name);
    if (!row) throw new InputError(table.file, `actions.${d.name}`, `is missing: this chip counts ${d.name} (${d.description}); price it, even if at 0 J with a source saying why`);
    if (row.charge !== d.charge) {
      throw new InputError(table.file, `actions.${d.name}`, d.charge === "energy" ? "is counted per action: give `energy` (J), not `power`" : "is a time integral: give `power` (W), not `energy`");
    }
  }
  for (const k of table.rows.keys()) {
    if (!names.has(k)) throw new InputError(table.file, `actions.${k}`, `is not an action this chip counts (known: ${[...names].join(", ")})`);
  }
}

export interface Ledger {
  total: number;
  by_action: Record<string, number>;
}

export function price(counts: Record<string, number>, defs: ActionDef[], table: TechTable): Ledger {
  checkTable(table, defs);
  const by_action: Record<string, number> = {};
  let total = 0;
  for (const d of defs) {
    const j = (counts[d.name] ?? 0) * table.rows.get(d.name)!.value;
    by_action[d.name] = j;
    total += j;
  }
  return { total, by_action };
}
