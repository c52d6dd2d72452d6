/**
 * Running a study: for each part, every listed chip is checked against the
 * part's model first -- a chip that cannot hold it (too many variables, too
 * many couplings per p-bit, a law it cannot realise) is reported with the
 * reason and left out, never silently dropped -- then one comparison of the
 * rest and the part's sample runs, each into its own folder of the study's.
 * The headline of a part is the best chip against the best digital baseline
 * on each energy model (lowest median energy to solution among systems that
 * reached the target).
 */
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { InputError } from "../errors.js";
import { resolveChipFile, loadChipDocument, chipFromDocument } from "../chips/load.js";
import { BASELINES } from "../systems/baselines.js";
import { loadModel } from "../models/load.js";
import { checkTarget } from "../metrics/target.js";
import { prepareSystem, type CompareRequest, type SystemRow } from "../run/compare.js";
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

export interface Headline {
  target: string;
  best_chip: { name: string; energy_J: number; time_s: number | null; energy_model: string } | null;
  /** The best digital baseline on each energy model, and the best chip's advantage over it (> 1: the chip uses less). */
  digital: { energy_model: string; name: string; energy_J: number; time_s: number | null; chip_advantage: number | null }[];
  not_reached: string[];
}

export interface StudyHooks {
  step?(what: string): void;
  compareProgress?(done: number, total: number): void;
  sample?: SampleRunHooks;
}

const best = (rows: SystemRow[]) => rows.filter((r) => r.energy_to_solution_J.median !== null)
  .sort((a, b) => a.energy_to_solution_J.median! - b.energy_to_solution_J.median!)[0];

export function headlineOf(json: Record<string, unknown>): Headline {
  const rows = json.systems as SystemRow[];
  // The ideal chip is a reference for the law (exact logistic, no costs), not a chip to buy.
  const chips = rows.filter((r) => r.kind === "chip" && r.energy_model !== "ideal");
  const chip = best(chips);
  const models = [...new Set(rows.filter((r) => r.kind === "baseline").map((r) => r.energy_model))];
  return {
    target: String(json.target),
    best_chip: chip ? { name: chip.name, energy_J: chip.energy_to_solution_J.median!, time_s: chip.time_to_solution_s.median, energy_model: chip.energy_model } : null,
    digital: models.flatMap((m) => {
      const b = best(rows.filter((r) => r.kind === "baseline" && r.energy_model === m));
      return b ? [{ energy_model: m, name: b.name, energy_J: b.energy_to_solution_J.median!, time_s: b.time_to_solution_s.median, chip_advantage: chip ? b.energy_to_solution_J.median! / chip.energy_to_solution_J.median! : null }] : [];
    }),
    not_reached: [...new Set(rows.filter((r) => r.energy_to_solution_J.median === null).map((r) => r.name))],
  };
}

function checkNames(study: Study, part: StudyPart, i: number): void {
  const at = (k: string) => `parts[${i}].${k}`;
  const base = dirname(resolve(study.file));
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
    const model = loadModel(p.model);
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
  const base = dirname(resolve(study.file));
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
      const req: CompareRequest = { modelFile, chips: [], baselines: c.baselines, target: c.target, repeats: c.repeats, chains: c.chains, maxSweeps: c.maxSweeps, seed: study.seed, chainStrength: c.chainStrength };
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
        result.headline = headlineOf(r.json);
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
