/**
 * A sweep file: one base (model, chip or baseline, run options) and the
 * points to run, each the base with some fields changed. Fields are dotted
 * paths: into the chip spec (`numerics.weights.bits`, `rng.impl`,
 * `clock.frequency`, values with units as in a spec) or into the run options
 * (`run.chains` or `chains`, ...). A base with a `target` makes each point a
 * comparison of that one system (repeats, max_sweeps: energy and time to the
 * target); without one, each point is a sample run (chains, samples,
 * burn_in, thin, seed: energy, time, ESS, distance from the exact law where
 * it is known). Points come from one of
 *
 *   axes: {PATH: [values], ...}                    mode: grid (default): every combination
 *   points: [{PATH: value, ...}, ...]              mode: list
 *   axes + mode: random, count: N, seed: S         N points drawn (seeded) from the axes' values
 *     (or axes + random: {count: N, seed: S})
 *
 * Every point is resolved and checked as a chip spec here, before anything
 * runs: a path that names no field, a value of the wrong unit or range and an
 * empty axis are each one error naming the sweep file and the field.
 *
 *   base: {model: m.json, chip: dtm-2025, chains: 2, samples: 200, burn_in: 50, thin: 1, seed: 1}
 *   axes:
 *     numerics.weights.bits: [4, 6, 8]
 *     clock.frequency: [10 MHz, 50 MHz]
 *   mode: grid
 */
import { loadModel } from "../models/load.js";
import { dirname, resolve } from "node:path";
import { Reader, readChainStrength } from "../spec/reader.js";
import { readYaml } from "../spec/yaml.js";
import { isObj, mergeSpec } from "../spec/merge.js";
import { readTarget, type Target } from "../metrics/target.js";
import { InputError, describeValue } from "../errors.js";
import { chipFromDocument, loadChipDocument, resolveChipFile, withOverrides } from "../chips/load.js";
import { checkBaselineName } from "../systems/baselines.js";
import { Random } from "../util/random.js";

export type Value = string | number | boolean;

/**
 * A point's run: with a target, a comparison of one system (repeats, energy
 * and time to the target); without, a sample run (the brief's base:
 * chains, samples, burn_in, thin, seed) whose figures are its energy, time,
 * ESS and, where the law is known, its distance from it.
 */
export interface RunOptions {
  kind: "compare" | "sample";
  chains: number;
  seed: number;
  chainStrength?: number | "utc" | "auto";
  /** compare */
  target?: Target;
  repeats?: number;
  maxSweeps?: number;
  /** sample */
  samples?: number;
  burnIn?: number;
  thin?: number;
}

export interface SweepPoint {
  /** The point's changes, as written (path -> value), in axis order. */
  values: Record<string, Value>;
  /** Chip points: the base spec file and the nested overrides to merge into it. */
  chipOverrides?: Record<string, unknown>;
  run: RunOptions;
}

export interface Sweep {
  file: string;
  title: string;
  /** As written, and resolved against the sweep file's folder. */
  modelText: string;
  model: string;
  /** The base system: a chip spec file (resolved) or a baseline name. */
  chipFile?: string;
  chipText?: string;
  baseline?: string;
  /** The axis paths, in order: the CSV's input columns. */
  axes: string[];
  mode: "grid" | "list" | "random";
  points: SweepPoint[];
}

/** The most points a sweep file may expand to. */
export const MAX_POINTS = 100_000;

/** Run options a point may change (as `run.NAME`, or NAME alone where no chip field has that name). */
const RUN_KEYS: Record<RunOptions["kind"], Record<string, keyof RunOptions>> = {
  compare: { chains: "chains", seed: "seed", chain_strength: "chainStrength", target: "target", repeats: "repeats", max_sweeps: "maxSweeps" },
  sample: { chains: "chains", seed: "seed", chain_strength: "chainStrength", samples: "samples", burn_in: "burnIn", thin: "thin" },
};

/** The base's run options; a point's are read the same way (the base's fields with the point's over them). */
function readRun(r: Reader, kind?: RunOptions["kind"]): RunOptions {
  const k = kind ?? (r.has("target") ? "compare" : "sample");
  const common = {
    chains: r.int("chains", { min: 1, max: 100000 }, 4),
    seed: r.int("seed", { min: 0, max: Number.MAX_SAFE_INTEGER }, 1),
    ...(r.has("chain_strength") ? { chainStrength: readChainStrength(r) } : {}),
  };
  if (k === "sample") {
    return { kind: k, ...common, samples: r.int("samples", { min: 1, max: 1e9 }, 200), burnIn: r.int("burn_in", { min: 0, max: 1e12 }, 50), thin: r.int("thin", { min: 1, max: 1e12 }, 1) };
  }
  const target = readTarget(r);
  return { kind: k, ...common, target, repeats: r.int("repeats", { min: 1, max: 10000 }, 2), maxSweeps: r.int("max_sweeps", { min: 16, max: 1e9 }, 1024) };
}

/** The base's run fields as written (for re-reading with a point's changes over them). */
function runFields(run: RunOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(RUN_KEYS[run.kind])) {
    const v = run[key];
    if (v !== undefined) out[name] = key === "target" ? (v as Target).text : v;
  }
  return out;
}

function scalar(file: string, field: string, v: unknown): Value {
  if (typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return v;
  throw new InputError(file, field, `must be a number, a string (a value with its unit, a name) or true/false, got ${describeValue(v)}`);
}

/** {a.b.c: v} -> {a: {b: {c: v}}}, merged over earlier paths. */
function nest(values: [string, Value][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, v] of values) {
    const keys = path.split(".");
    let o = out;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
    o[keys[keys.length - 1]] = v;
  }
  return out;
}

// Dotted field names; none of them an object's own machinery (__proto__, constructor, prototype).
const PATH = /^(?!.*(^|\.)(__proto__|constructor|prototype)(\.|$))[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)*$/;

export function readSweep(file: string): Sweep {
  const doc = readYaml(file);
  const r = Reader.of(file, doc);
  const dir = dirname(resolve(file));
  const title = r.string("title", "sweep");
  const b = r.object("base")!;
  const modelText = b.string("model");
  // The base model is checked now, as a study checks its parts: a missing file or a folder is the sweep file's mistake.
  {
    const modelPath = resolve(dirname(resolve(file)), modelText);
    try {
      loadModel(modelPath);
    } catch (e) {
      if (e instanceof InputError) b.fail("model", `${modelText}: ${e.field ? `${e.field}: ` : ""}${e.problem}`);
      throw e;
    }
  }
  const chipText = b.has("chip") ? b.string("chip") : undefined;
  const baseline = b.has("baseline") ? b.string("baseline") : undefined;
  if ((chipText === undefined) === (baseline === undefined)) b.fail(undefined, "needs exactly one of chip and baseline");
  if (baseline !== undefined) {
    try {
      checkBaselineName(baseline);
    } catch (e) {
      if (e instanceof InputError) b.fail("baseline", e.problem);
      throw e;
    }
  }
  const run = readRun(b);
  b.done();
  let chipFile: string | undefined;
  let chipDoc: Record<string, unknown> | undefined;
  if (chipText !== undefined) {
    try {
      chipFile = resolveChipFile(chipText, resolve(file));
      chipDoc = loadChipDocument(chipFile);
      chipFromDocument(chipDoc, chipFile);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(file, "base.chip", `${e.where}${e.field ? `: ${e.field}` : ""}: ${e.problem}`);
      throw e;
    }
  }

  // The axes: each a non-empty list of scalars under a dotted path.
  const axisDoc = r.raw("axes");
  const pointsDoc = r.raw("points");
  // The brief's form names the mode (grid, list, random with count and seed at the top);
  // `random: {count, seed}` says the same in one place.
  const modeText = r.has("mode") ? r.string("mode") : undefined;
  if (modeText !== undefined && !["grid", "list", "random"].includes(modeText)) r.fail("mode", `must be grid, list or random, got ${JSON.stringify(modeText)}`);
  if (modeText === "list" && pointsDoc === undefined) r.fail("points", "is required with mode: list");
  if (modeText !== undefined && modeText !== "list" && pointsDoc !== undefined) r.fail("mode", `is ${modeText}, but the file gives points: use mode: list`);
  const randomDoc = r.has("random") ? r.object("random")! : modeText === "random" ? r : undefined;
  if (modeText === "grid" && r.has("random")) r.fail("random", "is given with mode: grid");
  const axes: string[] = [];
  const lists: Value[][] = [];
  if (axisDoc !== undefined) {
    if (!isObj(axisDoc) || Object.keys(axisDoc).length === 0) r.fail("axes", "must map field paths to lists of values, e.g. numerics.weights.bits: [4, 8]");
    for (const [path, value] of Object.entries(axisDoc as Record<string, unknown>)) {
      const list = value as unknown[];
      const field = `axes.${path}`;
      if (!PATH.test(path)) r.fail(field, "is not a field path (dotted names, e.g. numerics.weights.bits or run.chains)");
      if (!Array.isArray(list)) r.fail(field, `must be a list of values, got ${describeValue(list)}`);
      if (list.length === 0) r.fail(field, "is an empty axis: give at least one value");
      const vals = list.map((v, k) => scalar(file, `${field}[${k}]`, v));
      const dup = vals.find((v, k) => vals.indexOf(v) !== k);
      if (dup !== undefined) r.fail(field, `lists ${JSON.stringify(dup)} twice`);
      axes.push(path);
      lists.push(vals);
    }
  }
  let mode: Sweep["mode"];
  let raw: { values: [string, Value][]; field: string }[];
  if (pointsDoc !== undefined) {
    if (axisDoc !== undefined || randomDoc) r.fail("points", "give either points or axes (with random, optionally), not both");
    if (!Array.isArray(pointsDoc) || pointsDoc.length === 0) r.fail("points", "must be a non-empty list of {path: value} maps");
    mode = "list";
    raw = (pointsDoc as unknown[]).map((p, k) => {
      const field = `points[${k}]`;
      if (!isObj(p) || Object.keys(p).length === 0) r.fail(field, "must be a non-empty map of field paths to values");
      return {
        field,
        values: Object.entries(p as Record<string, unknown>).map(([path, v]): [string, Value] => {
          if (!PATH.test(path)) r.fail(`${field}.${path}`, "is not a field path (dotted names, e.g. numerics.weights.bits or run.chains)");
          if (!axes.includes(path)) axes.push(path);
          return [path, scalar(file, `${field}.${path}`, v)];
        }),
      };
    });
  } else if (axisDoc !== undefined) {
    if (randomDoc) {
      mode = "random";
      const count = randomDoc.int("count", { min: 1, max: MAX_POINTS });
      const rng = new Random(randomDoc.int("seed", { min: 0, max: Number.MAX_SAFE_INTEGER }, 1), 0x7377);
      if (randomDoc !== r) randomDoc.done();
      raw = Array.from({ length: count }, (_, k) => ({ field: `random (point ${k})`, values: axes.map((a, q): [string, Value] => [a, lists[q][rng.below(lists[q].length)]]) }));
    } else {
      mode = "grid";
      const total = lists.reduce((a, l) => a * l.length, 1);
      if (total > MAX_POINTS) r.fail("axes", `expand to ${total} points, more than ${MAX_POINTS}; use random: {count: N} to draw some`);
      raw = Array.from({ length: total }, (_, k) => {
        // The last axis varies fastest.
        let rest = k;
        const values: [string, Value][] = new Array(axes.length);
        for (let q = axes.length - 1; q >= 0; q--) {
          values[q] = [axes[q], lists[q][rest % lists[q].length]];
          rest = Math.floor(rest / lists[q].length);
        }
        return { field: `axes (point ${k})`, values };
      });
    }
  } else {
    return r.fail(undefined, "has neither axes nor points: nothing to sweep");
  }
  r.done();

  const points = raw.map(({ values, field }) => {
    const isRun = (path: string) => path.startsWith("run.") || (!path.includes(".") && path in RUN_KEYS[run.kind] && !(chipDoc && path in chipDoc));
    const runVals = values.filter(([p]) => isRun(p));
    const chipVals = values.filter(([p]) => !isRun(p));
    let opts = run;
    if (runVals.length > 0) {
      const fields = runFields(run);
      for (const [path, v] of runVals) {
        const key = path.replace(/^run\./, "");
        const where = pointsDoc !== undefined ? `${field}.${path}` : `axes.${path}`;
        if (!(key in RUN_KEYS[run.kind])) {
          throw new InputError(file, where, `names no run option of a ${run.kind} sweep (known: ${Object.keys(RUN_KEYS[run.kind]).map((k) => `run.${k}`).join(", ")}${run.kind === "sample" ? "; give the base a target for a comparison sweep" : ""})`);
        }
        fields[key] = v;
        try {
          opts = readRun(Reader.of(file, fields), run.kind);
        } catch (e) {
          if (e instanceof InputError) throw new InputError(file, where, e.problem);
          throw e;
        }
      }
    }
    const point: SweepPoint = { values: Object.fromEntries(values), run: opts };
    if (chipVals.length > 0) {
      if (!chipDoc) throw new InputError(file, pointsDoc !== undefined ? `${field}.${chipVals[0][0]}` : `axes.${chipVals[0][0]}`, `is a chip spec field, but the base is the baseline ${baseline}: only run.* fields can vary`);
      point.chipOverrides = nest(chipVals);
      try {
        chipFromDocument(withOverrides(chipDoc, point.chipOverrides, chipFile), chipFile!);
      } catch (e) {
        if (e instanceof InputError) {
          const path = chipVals.map(([p]) => p).find((p) => e.field !== undefined && (e.field === p || e.field.startsWith(`${p}.`) || p.startsWith(`${e.field}.`))) ?? chipVals.map(([p]) => p).join(", ");
          const at = pointsDoc !== undefined ? `${field}.${path}` : `axes.${path}`;
          throw new InputError(file, at, `${Object.entries(point.values).map(([p, v]) => `${p} = ${JSON.stringify(v)}`).join(", ")}: the chip spec says ${e.field ? `${e.field} ` : ""}${e.problem}`);
        }
        throw e;
      }
    }
    return point;
  });
  return { file, title, modelText, model: resolve(dir, modelText), ...(chipFile ? { chipFile, chipText } : { baseline }), axes, mode, points };
}
