/**
 * Chip specs: a preset name (circuits/chips/NAME.yaml) or a path. A spec may
 * `extends:` another (name or path), see spec/merge.ts.
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { InputError, describeValue } from "../errors.js";
import { readYaml } from "../spec/yaml.js";
import { circuitsDir } from "../paths.js";
import { isObj, mergeSpec } from "../spec/merge.js";
import { readPbitSpec, type PbitSpec } from "./pbit/spec.js";
import { readLangevinSpec, type LangevinSpec } from "./langevin/spec.js";

export type ChipSpec = PbitSpec | LangevinSpec;

export function presetNames(): string[] {
  return readdirSync(join(circuitsDir(), "chips"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -5))
    .sort();
}

function looksLikePath(s: string): boolean {
  return s.includes("/") || s.includes("\\") || /\.ya?ml$/.test(s);
}

export function resolveChipFile(nameOrPath: string, relativeTo?: string): string {
  if (looksLikePath(nameOrPath)) {
    const p = relativeTo ? resolve(dirname(relativeTo), nameOrPath) : resolve(nameOrPath);
    if (!existsSync(p)) throw new InputError(nameOrPath, undefined, "no such chip spec file");
    return p;
  }
  const p = join(circuitsDir(), "chips", `${nameOrPath}.yaml`);
  if (!existsSync(p)) {
    throw new InputError("--chip", undefined, `unknown chip preset ${JSON.stringify(nameOrPath)} (presets: ${presetNames().join(", ")}; or give a path to a .yaml spec)`);
  }
  return p;
}

type Obj = Record<string, unknown>;

/** The spec document with its `extends` chain merged in. */
export function loadChipDocument(file: string, seen: string[] = []): Obj {
  if (seen.includes(file)) throw new InputError(file, "extends", `forms a cycle: ${[...seen, file].join(" -> ")}`);
  const doc = readYaml(file);
  if (!isObj(doc)) throw new InputError(file, undefined, `must hold a mapping of spec fields, got ${describeValue(doc)}`);
  if (doc.extends === undefined) return doc;
  if (typeof doc.extends !== "string") throw new InputError(file, "extends", "must name a preset or a spec file");
  let baseFile: string;
  try {
    baseFile = resolveChipFile(doc.extends, file);
  } catch (e) {
    // Name the spec and its field, not only the file it points at.
    if (e instanceof InputError) throw new InputError(file, "extends", `${doc.extends}: ${e.problem}`);
    throw e;
  }
  const base = loadChipDocument(baseFile, [...seen, file]);
  const { extends: _drop, ...rest } = doc;
  return withOverrides(base, rest, baseFile);
}

/**
 * A chip document with some fields changed (`extends`, a sweep point). Fields
 * of the technology table (`energy: {actions: {...}}`) over a base that names
 * its table turn the base's `energy` into `{extends: NAME}`, so a sweep can
 * vary one figure of a named table (energy.actions.amplifier_seconds.power).
 */
export function withOverrides(base: Obj, over: Obj, baseFile?: string): Obj {
  let b = base;
  if (isObj(over.energy) && typeof base.energy === "string" && over.energy.extends === undefined) {
    const ref = base.energy;
    // A path in the base is relative to the base's file: make it absolute before it moves.
    const named = looksLikePath(ref) && baseFile ? resolve(dirname(baseFile), ref) : ref;
    b = { ...base, energy: { extends: named } };
  }
  return mergeSpec(b, over);
}

export function loadChip(nameOrPath: string): ChipSpec {
  const file = resolveChipFile(nameOrPath);
  return chipFromDocument(loadChipDocument(file), file);
}

export function chipFromDocument(doc: Obj, file: string): ChipSpec {
  switch (doc.kind) {
    case "pbit":
      return readPbitSpec(file, doc);
    case "langevin":
      return readLangevinSpec(file, doc);
    default:
      throw new InputError(file, "kind", `must be "pbit" or "langevin", got ${describeValue(doc.kind)}`);
  }
}
