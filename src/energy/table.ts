/**
 * Technology tables (Accelergy's ERT idea): action -> joules per action (or
 * watts per unit of a time integral), each row with its source. Kernels never
 * see these numbers; the ledger multiplies counts by them.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Reader } from "../spec/reader.js";
import { readYaml } from "../spec/yaml.js";
import { InputError } from "../errors.js";
import { circuitsDir } from "../paths.js";
import { isObj, mergeSpec } from "../spec/merge.js";

/**
 * How a figure is known. An "assumed" or "not-charged" figure is one a
 * conclusion may rest on without evidence: comparisons state the value at
 * which their conclusion would flip (the break-even) for each of them.
 * "included": priced at 0 because another row's figure already covers it
 * (a cell energy that includes its MACs, a CPU time that includes its flops).
 */
export const FIGURE_STATUS = ["published", "measured", "derived", "assumed", "not-charged", "included"] as const;
export type FigureStatus = (typeof FIGURE_STATUS)[number];

export interface TableRow {
  /** J per action ("energy" rows) or W per unit of the integral ("power" rows). */
  value: number;
  charge: "energy" | "power";
  source: string;
  status: FigureStatus;
  /** Rows priced as time on the table's core: seconds per action (value = core power x time). */
  time?: number;
}

/** A processor core that runs the priced actions: rows given as `time` cost its power for that long. */
export interface TableCore {
  name: string;
  power: number;
  source: string;
  status: FigureStatus;
}

export interface TechTable {
  name: string;
  file: string;
  description: string;
  rows: Map<string, TableRow>;
  core?: TableCore;
}

/** A row's status when the table does not say: a zero price is not charged; otherwise what the source's first word says. */
function inferStatus(value: number, source: string): FigureStatus {
  const s = source.trim().toLowerCase();
  const covered = ["included", "charged through", "the cpu's count", "priced per", "a flip is one", "time is not charged"];
  if (value === 0) return covered.some((w) => s.startsWith(w)) ? "included" : "not-charged";
  if (s.startsWith("measured")) return "measured";
  if (s.startsWith("derived")) return "derived";
  if (s.startsWith("assum")) return "assumed";
  return "published";
}

export function resolveTableFile(ref: string, specFile: string): string {
  if (ref.includes("/") || /\.ya?ml$/.test(ref)) {
    const p = resolve(dirname(specFile), ref);
    if (!existsSync(p)) throw new InputError(specFile, "energy", `technology table ${p} does not exist`);
    return p;
  }
  const p = join(circuitsDir(), "tech", `${ref}.yaml`);
  if (!existsSync(p)) throw new InputError(specFile, "energy", `no technology table named ${JSON.stringify(ref)} in circuits/tech`);
  return p;
}

export function readTechTable(file: string, doc: unknown): TechTable {
  const r = Reader.of(file, doc);
  const name = r.string("name");
  const description = r.string("description", "");
  let core: TableCore | undefined;
  const c = r.object("core", false);
  if (c) {
    const source = c.string("source");
    if (source.trim() === "") c.fail("source", "must say where the number comes from");
    const power = c.quantity("power", "power", { above: 0 });
    core = { name: c.string("name"), power, source, status: c.has("status") ? c.choice("status", FIGURE_STATUS) : inferStatus(power, source) };
    c.done();
  }
  const a = r.object("actions")!;
  const rows = new Map<string, TableRow>();
  for (const action of Object.keys(a.obj)) {
    const row = a.object(action)!;
    const source = row.string("source");
    if (source.trim() === "") row.fail("source", "must say where the number comes from");
    const given = ["energy", "power", "time"].filter((k) => row.has(k));
    if (given.length !== 1) row.fail(undefined, given.length ? `give one of energy (per action), power (per unit time) or time (per action, on the table's core), not ${given.join(" and ")}` : "give energy (per action), power (per unit time) or time (per action, on the table's core)");
    let entry: Omit<TableRow, "status">;
    if (row.has("power")) entry = { value: row.quantity("power", "power", { min: 0 }), charge: "power", source };
    else if (row.has("time")) {
      const power = core?.power ?? row.fail("time", "prices the action as time on the table's core: the table needs a `core` with its power");
      const time = row.quantity("time", "time", { min: 0 });
      entry = { value: power * time, charge: "energy", source, time };
    } else entry = { value: row.quantity("energy", "energy", { min: 0 }), charge: "energy", source };
    const status = row.has("status") ? row.choice("status", FIGURE_STATUS) : inferStatus(entry.value, source);
    row.done();
    rows.set(action, { ...entry, status });
  }
  a.done();
  r.done();
  return { name, file, description, rows, ...(core ? { core } : {}) };
}

export function loadTechTable(ref: string | Record<string, unknown>, specFile: string): TechTable {
  if (typeof ref !== "string") {
    // An inline table may extend a named one (a sweep varying one figure of it).
    if (ref.extends === undefined) return readTechTable(`${specFile} (energy)`, ref);
    if (typeof ref.extends !== "string") throw new InputError(specFile, "energy.extends", "must name a technology table or a path");
    const base = tableDocument(resolveTableFile(ref.extends, specFile), []);
    const { extends: _drop, ...rest } = ref;
    return readTechTable(`${specFile} (energy)`, isObj(base) ? mergeSpec(base, rest) : rest);
  }
  const file = resolveTableFile(ref, specFile);
  return readTechTable(file, tableDocument(file, []));
}

/** A table document with its `extends` chain merged in. */
function tableDocument(file: string, seen: string[]): unknown {
  if (seen.includes(file)) throw new InputError(file, "extends", `forms a cycle: ${[...seen, file].join(" -> ")}`);
  const doc = readYaml(file);
  if (!isObj(doc) || doc.extends === undefined) return doc;
  if (typeof doc.extends !== "string") throw new InputError(file, "extends", "must name a technology table or a path");
  const base = tableDocument(resolveTableFile(doc.extends, file), [...seen, file]);
  const { extends: _drop, ...rest } = doc;
  return isObj(base) ? mergeSpec(base, rest) : rest;
}

/** The table with SI units, as a document that readTechTable accepts again. */
export function resolvedTable(t: TechTable): Record<string, unknown> {
  const actions: Record<string, unknown> = {};
  for (const [k, row] of t.rows) {
    const amount = row.time !== undefined ? { time: `${row.time} s` } : row.charge === "energy" ? { energy: `${row.value} J` } : { power: `${row.value} W` };
    actions[k] = { ...amount, source: row.source, status: row.status };
  }
  return {
    name: t.name, description: t.description,
    ...(t.core ? { core: { name: t.core.name, power: `${t.core.power} W`, source: t.core.source, status: t.core.status } } : {}),
    actions,
  };
}
