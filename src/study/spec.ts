/**
 * A study file: several parts, each a model with a comparison of chips and
 * digital baselines and, optionally, sample runs for pictures and mixing.
 * Paths are relative to the study file. Every field is checked here, before
 * anything runs; a chip that cannot hold a part's model is found when the
 * part is prepared (run.ts) and reported, not run.
 *
 *   title: ...
 *   seed: 1
 *   parts:
 *     - name: rbm                   # folder name
 *       title: ...
 *       about: ...                  # a paragraph for the report
 *       model: rbm.npz
 *       compare: {target: tv<=0.15, chips: [...], baselines: [...], repeats: 3, chains: 16, max_sweeps: 2048}
 *       samples: [{chip: dtm-2025, chains: 4, samples: 500, burn_in: 100, thin: 2}]
 */
import { READOUTS, type Readout } from "../mapping/embedding.js";
import { dirname, resolve } from "node:path";
import { Reader, readChainStrength } from "../spec/reader.js";
import { readYaml } from "../spec/yaml.js";
import { readTarget, type Target } from "../metrics/target.js";
import { InputError } from "../errors.js";

export interface StudyCompare {
  target: Target;
  chips: string[];
  baselines: string[];
  repeats: number;
  chains: number;
  maxSweeps: number;
  chainStrength?: number | "utc" | "auto";
  /** Embedded models: discard (the default) or majority. */
  readout?: Readout;
}

export interface StudySample {
  chip?: string;
  baseline?: string;
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  chainStrength?: number | "utc" | "auto";
}

export interface StudyPart {
  name: string;
  title: string;
  about: string;
  /** As written, and resolved against the study file's folder. */
  modelText: string;
  model: string;
  compare?: StudyCompare;
  samples: StudySample[];
}

export interface Study {
  file: string;
  title: string;
  about: string;
  seed: number;
  parts: StudyPart[];
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

function names(r: Reader, key: string): string[] {
  const v = r.raw(key);
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x.trim() === "")) r.fail(key, "expected a list of names");
  const list = v as string[];
  const dup = list.find((x, i) => list.indexOf(x) !== i);
  if (dup !== undefined) r.fail(key, `names ${JSON.stringify(dup)} twice`);
  return list;
}

function readReadout(r: Reader): Readout {
  const v = r.string("readout");
  if (!(READOUTS as readonly string[]).includes(v)) r.fail("readout", `must be one of ${READOUTS.join(", ")}, got ${JSON.stringify(v)}`);
  return v as Readout;
}

function readCompare(r: Reader): StudyCompare {
  const target = readTarget(r);
  const c: StudyCompare = {
    target,
    chips: names(r, "chips"),
    baselines: names(r, "baselines"),
    repeats: r.int("repeats", { min: 1, max: 10000 }, 3),
    chains: r.int("chains", { min: 1, max: 100000 }, 4),
    maxSweeps: r.int("max_sweeps", { min: 16, max: 1e9 }, 2048),
    ...(r.has("chain_strength") ? { chainStrength: readChainStrength(r) } : {}),
    ...(r.has("readout") ? { readout: readReadout(r) } : {}),
  };
  if (c.chips.length + c.baselines.length === 0) r.fail(undefined, "names no chips and no baselines");
  r.done();
  return c;
}

function readSample(r: Reader): StudySample {
  const s: StudySample = {
    ...(r.has("chip") ? { chip: r.string("chip") } : {}),
    ...(r.has("baseline") ? { baseline: r.string("baseline") } : {}),
    chains: r.int("chains", { min: 1, max: 1e6 }, 4),
    samples: r.int("samples", { min: 1, max: 1e9 }, 500),
    burnIn: r.int("burn_in", { min: 0, max: 1e12 }, 100),
    thin: r.int("thin", { min: 1, max: 1e12 }, 1),
    ...(r.has("chain_strength") ? { chainStrength: readChainStrength(r) } : {}),
  };
  if ((s.chip === undefined) === (s.baseline === undefined)) r.fail(undefined, "needs exactly one of chip and baseline");
  r.done();
  return s;
}

export function readStudy(file: string): Study {
  const r = Reader.of(file, readYaml(file));
  const base = dirname(resolve(file));
  const study: Study = {
    file,
    title: r.string("title"),
    about: r.string("about", ""),
    seed: r.int("seed", { min: 0, max: Number.MAX_SAFE_INTEGER }, 1),
    parts: r.list("parts").map((p) => {
      const name = p.string("name");
      if (!NAME.test(name)) p.fail("name", `must be a folder name of lower-case letters, digits and dashes; got ${JSON.stringify(name)}`);
      const modelText = p.string("model");
      const part: StudyPart = {
        name,
        title: p.string("title", name),
        about: p.string("about", ""),
        modelText,
        model: resolve(base, modelText),
        ...(p.has("compare") ? { compare: readCompare(p.object("compare")!) } : {}),
        samples: p.has("samples") ? p.list("samples").map(readSample) : [],
      };
      if (!part.compare && part.samples.length === 0) p.fail(undefined, "has neither compare nor samples: nothing to run");
      p.done();
      return part;
    }),
  };
  const seen = new Set<string>();
  study.parts.forEach((p, i) => {
    if (seen.has(p.name)) throw new InputError(file, `parts[${i}].name`, `${JSON.stringify(p.name)} is used by an earlier part`);
    seen.add(p.name);
  });
  r.done();
  return study;
}

/** The study as it ran, every default filled in (saved beside the results). */
export function resolvedStudy(s: Study): Record<string, unknown> {
  return {
    title: s.title, about: s.about, seed: s.seed,
    parts: s.parts.map((p) => ({
      name: p.name, title: p.title, about: p.about, model: p.modelText,
      ...(p.compare ? { compare: { target: p.compare.target.text, chips: p.compare.chips, baselines: p.compare.baselines, repeats: p.compare.repeats, chains: p.compare.chains, max_sweeps: p.compare.maxSweeps, ...(p.compare.chainStrength !== undefined ? { chain_strength: p.compare.chainStrength } : {}), ...(p.compare.readout !== undefined ? { readout: p.compare.readout } : {}) } } : {}),
      samples: p.samples.map((x) => ({ ...(x.chip ? { chip: x.chip } : { baseline: x.baseline }), chains: x.chains, samples: x.samples, burn_in: x.burnIn, thin: x.thin, ...(x.chainStrength !== undefined ? { chain_strength: x.chainStrength } : {}) })),
    })),
  };
}
