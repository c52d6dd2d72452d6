/** Read a model file (untrusted: parsed as data, never evaluated). */
import { InputError, describeValue } from "../errors.js";
import { LIMITS, readCappedText } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { isingFromJson, type IsingModel } from "./ising.js";
import { gaussianFromJson, type GaussianModel } from "./gaussian.js";
import { hopfieldFromJson, type HopfieldModel } from "./hopfield.js";
import { quboFromJson } from "./qubo.js";
import { maxCutFromJson } from "./maxcut.js";
import { boltzmannFromJson } from "./boltzmann.js";
import { isDimodBqm, dimodModel } from "./formats/dimod.js";
import { looksLikeRudy, rudyModel } from "./formats/rudy.js";
import { looksLikeMtx, mtxModel } from "./formats/mtx.js";
import { rbmFromWeights, WEIGHT_FILE } from "./rbm.js";
import { isingFromArrays } from "./sparse.js";
import { readWeights } from "../io/weights.js";

export type Model = IsingModel | GaussianModel | HopfieldModel;

/** A model file's text (size-capped: devices and pipes are read in chunks). */
export function readText(path: string): string {
  return readCappedText(path, LIMITS.model);
}

/** JSON as plain data: syntax, then no repeated or `__proto__` keys. */
export function parseJson(text: string, file: string): unknown {
  return parseJsonStrict(text, file);
}

/** JSON model kinds: kind -> reader. QUBO, Max-Cut and Boltzmann machines become Ising models exactly (offset kept). */
const KINDS: Record<string, (doc: Record<string, unknown>, file: string) => Model> = {
  ising: isingFromJson,
  gaussian: gaussianFromJson,
  hopfield: hopfieldFromJson,
  boltzmann: boltzmannFromJson,
  qubo: quboFromJson,
  maxcut: maxCutFromJson,
};
const KNOWN_KINDS = Object.keys(KINDS).map((k) => JSON.stringify(k)).join(", ");

export function modelFromJson(doc: unknown, file: string): Model {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new InputError(file, undefined, `must hold a JSON object with a "kind" field, got ${describeValue(doc)}`);
  }
  const d = doc as Record<string, unknown>;
  if (isDimodBqm(d)) return dimodModel(d, file);
  if (d.kind === undefined) throw new InputError(file, "kind", `is required (${KNOWN_KINDS}; or a dimod BQM with "type": "BinaryQuadraticModel")`);
  const reader = typeof d.kind === "string" && Object.hasOwn(KINDS, d.kind) ? KINDS[d.kind] : undefined;
  if (!reader) throw new InputError(file, "kind", `${describeValue(d.kind)} is not a model kind this version reads (known: ${KNOWN_KINDS})`);
  return reader(d, file);
}

/** A model file: RBM weights (.npz, .safetensors), JSON (by kind), a Matrix Market file or a G-set/rudy edge list (Max-Cut). */
export function loadModel(path: string): Model {
  if (WEIGHT_FILE.test(path)) {
    // By the arrays it holds: W, b, c (an RBM) or i, j, w, h (a sparse Ising model).
    const w = readWeights(path);
    return w.has("W") || !w.has("i") ? rbmFromWeights(w, path) : isingFromArrays(w, path);
  }
  return modelFromText(readText(path), path);
}

/** A text model file's contents (Matrix Market, G-set/rudy or JSON), read as `thermosim sample` reads the file. */
export function modelFromText(text: string, file: string): Model {
  if (looksLikeMtx(text)) return mtxModel(text, file);
  if (looksLikeRudy(text)) return rudyModel(text, file);
  return modelFromJson(parseJson(text, file), file);
}
