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

export interface TableRow {
  /** J per action ("energy" rows) or W per unit of the integral ("power" rows). */
  value: number;
  charge: "energy" | "power";
  source: string;
}

export interface TechTable {
  name: string;
  file: string;
  description: string;
  rows: Map<string, TableRow>;
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
  const a = r.object("actions")!;
  const rows = new Map<string, TableRow>();
  for (const action of Object.keys(a.obj)) {
    const row = a.object(action)!;
    const source = row.string("source");
    if (source.trim() === "") row.fail("source", "must say where the number comes from");
    let entry: TableRow;
    if (row.has("energy") && row.has("power")) row.fail(undefined, "give energy (per action) or power (per unit time), not both");
    if (row.has("power")) entry = { value: row.quantity("power", "power", { min: 0 }), charge: "power", source };
    else entry = { value: row.quantity("energy", "energy", { min: 0 }), charge: "energy", source };
    row.done();
    rows.set(action, entry);
  }
  a.done();
  r.done();
  return { name, file, description, rows };
}

export function loadTechTable(ref: string | Record<string, unknown>, specFile: string): TechTable {
  if (typeof ref !== "string") return readTechTable(`${specFile} (energy)`, ref);
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
    actions[k] = row.charge === "energy" ? { energy: `${row.value} J`, source: row.source } : { power: `${row.value} W`, source: row.source };
  }
  return { name: t.name, description: t.description, actions };
}
