/**
 * Running a study: for each part, every listed chip is checked against the
 * part's model first -- a chip that cannot hold it (too many variables, too
 * many couplings per p-bit, a law it cannot realise) is reported with the
 * reason and left out, never silently dropped -- then one comparison of the
 * rest and the part's sample runs, each into its own folder of the study's.
 * The headline of a part is its comparison's (run/headline.ts): the
 * cheapest chip that reached the target in every repeat against the cheapest
 * such row of each digital class, the most conservative ratio first.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors.js";
import { resolveChipFile, loadChipDocument, chipFromDocument } from "../chips/load.js";
import { BASELINES } from "../systems/baselines.js";
import { loadModel } from "../models/load.js";
import { checkTarget } from "../metrics/target.js";
import { prepareSystem, type CompareRequest } from "../run/compare.js";
import type { Headline } from "../run/headline.js";
import { subFolder, writeCompare, writeSample, type Destination, type SampleRunHooks } from "../run/write.js";
import type { Study, StudyPart } from "./spec.js";

export interface PartResult {
  name: string;
  title: string;
  about: string;
  model: { file: string; kind: string; n: number; couplings: number };
  /** Folder of the comparison, relative to the study's (null: none asked or none could run). */
  compare: string | null;
  skipped: { chip: string; reason: string }[];
  samples: { system: string; folder: string }[];
  headline: Headline | null;
  warnings: string[];
}

export interface StudyHooks {
  step?(what: string): void;
  compareProgress?(done: number, total: number): void;
  sample?: SampleRunHooks;
}

function checkNames(study: Study, part: StudyPart, i: number): void {
  const at = (k: string) => `parts[${i}].${k}`;
  // Chip paths are relative to the study file (resolveChipFile takes the file, not its folder).
  const base = resolve(study.file);
  const chipOk = (c: string, field: string) => {
    try {
      const f = resolveChipFile(c, base);
      chipFromDocument(loadChipDocument(f), f);
    } catch (e) {
      if (e instanceof InputError) throw new InputError(study.file, field, e.message);
      throw e;
    }
  };
  const baselineOk = (b: string, field: string) => {
    if (!Object.hasOwn(BASELINES, b)) throw new InputError(study.file, field, `unknown baseline ${JSON.stringify(b)} (known: ${Object.keys(BASELINES).join(", ")})`);
  };
  part.compare?.chips.forEach((c) => chipOk(c, at("compare.chips")));
  part.compare?.baselines.forEach((b) => baselineOk(b, at("compare.baselines")));
  part.samples.forEach((s, k) => (s.chip !== undefined ? chipOk(s.chip, at(`samples[${k}].chip`)) : baselineOk(s.baseline!, at(`samples[${k}].baseline`))));
}

/** Check every part's names and model before running anything. */
export function checkStudy(study: Study): void {
  study.parts.forEach((p, i) => {
    checkNames(study, p, i);
    let model;
    try {
      model = loadModel(p.model);
    } catch (e) {
      // The study's field first: parts[k].model, then the file's own complaint.
      if (e instanceof InputError) throw new InputError(study.file, `parts[${i}].model`, `${p.modelText}: ${e.field ? `${e.field}: ` : ""}${e.problem}`);
      throw e;
    }
    // A target the model cannot take is the study's mistake, not a chip's limit.
    if (p.compare) {
      try {
        checkTarget(p.compare.target, model, p.modelText);
      } catch (e) {
        if (e instanceof InputError) throw new InputError(study.file, `parts[${i}].compare.target`, e.problem);
        throw e;
      }
    }
  });
}

export async function runStudy(study: Study, dest: Destination, workers: number, hooks: StudyHooks = {}): Promise<PartResult[]> {
  checkStudy(study);
  const base = resolve(study.file);
  const chipPath = (c: string) => resolveChipFile(c, base);
  const out: PartResult[] = [];
  for (const part of study.parts) {
    const model = loadModel(part.model);
    // Messages and results name the model as the user would type it from here.
    const rel = relative(process.cwd(), part.model);
    const modelFile = rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : part.model;
    const pdest = subFolder(dest, part.name);
    const result: PartResult = {
      name: part.name, title: part.title, about: part.about,
      model: { file: part.modelText, kind: model.kind, n: model.n, couplings: model.ei.length },
      compare: null, skipped: [], samples: [], headline: null, warnings: [],
    };
    const c = part.compare;
    if (c) {
      const req: CompareRequest = { modelFile, chips: [], baselines: c.baselines, target: c.target, repeats: c.repeats, chains: c.chains, maxSweeps: c.maxSweeps, seed: study.seed, chainStrength: c.chainStrength, ...(c.readout !== undefined ? { readout: c.readout } : {}) };
      for (const chip of c.chips) {
        hooks.step?.(`${part.name}: checking ${chip}`);
        try {
          prepareSystem({ ...req, maxSweeps: 16 }, { chip: chipPath(chip) });
          req.chips.push(chipPath(chip));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          result.skipped.push({ chip, reason: e.message });
        }
      }
      if (req.chips.length + req.baselines.length > 0) {
        hooks.step?.(`${part.name}: comparing ${req.chips.length} chips and ${req.baselines.length} baselines`);
        const r = await writeCompare(req, subFolder(pdest, "compare"), workers, hooks.compareProgress);
        result.compare = `${part.name}/compare`;
        result.headline = r.json.headline as Headline;
        result.warnings.push(...r.warnings);
      }
    }
    for (const s of part.samples) {
      const system = s.chip ?? s.baseline!;
      const folder = `sample-${system.replace(/[^a-zA-Z0-9-]+/g, "-")}`;
      if (result.samples.some((x) => x.folder === `${part.name}/${folder}`)) throw new InputError(study.file, `parts.${part.name}.samples`, `samples ${system} twice`);
      hooks.step?.(`${part.name}: sampling on ${system}`);
      const r = await writeSample({
        modelFile, ...(s.chip !== undefined ? { chip: chipPath(s.chip) } : { baseline: s.baseline }),
        chains: s.chains, samples: s.samples, burnIn: s.burnIn, thin: s.thin, seed: study.seed, workers,
        ...(s.chainStrength !== undefined ? { chainStrength: s.chainStrength } : {}),
      }, subFolder(pdest, folder), hooks.sample);
      result.samples.push({ system, folder: `${part.name}/${folder}` });
      result.warnings.push(...r.warnings.map((w) => `${system}: ${w}`));
    }
    out.push(result);
  }
  return out;
}
