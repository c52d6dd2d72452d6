/** Read a model file (untrusted: parsed as data, never evaluated). */
import { InputError, describeValue } from "../errors.js";
import { LIMITS, readCappedText } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { isingFromJson, type IsingModel } from "./ising.js";
import { gaussianFromJson, type GaussianModel } from "./gaussian.js";
import { hopfieldFromJson, type HopfieldModel } from "./hopfield.js";

export type Model = IsingModel | GaussianModel | HopfieldModel;

/** A model file's text (size-capped: devices and pipes are read in chunks). */
export function readText(path: string): string {
  return readCappedText(path, LIMITS.model);
}

/** JSON as plain data: syntax, then no repeated or `__proto__` keys. */
export function parseJson(text: string, file: string): unknown {
  return parseJsonStrict(text, file);
}

export function modelFromJson(doc: unknown, file: string): Model {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new InputError(file, undefined, `must hold a JSON object with a "kind" field, got ${describeValue(doc)}`);
  }
  const d = doc as Record<string, unknown>;
  switch (d.kind) {
    case "ising":
      return isingFromJson(d, file);
    case "gaussian":
      return gaussianFromJson(d, file);
    case "hopfield":
      return hopfieldFromJson(d, file);
    case undefined:
      throw new InputError(file, "kind", 'is required ("ising", "gaussian" or "hopfield")');
    default:
      throw new InputError(file, "kind", `${describeValue(d.kind)} is not a model kind this version reads (known: "ising", "gaussian", "hopfield")`);
  }
}

export function loadModel(path: string): Model {
  return modelFromJson(parseJson(readText(path), path), path);
}
