/**
 * QUBO JSON: {"kind": "qubo", "n": N, "Q": [[i, j, v], ...], "offset": c, "beta": b}
 * E(x) = sum_{(i,j,v)} v x_i x_j + c over x in {0,1} (i == j: linear), minimised; each pair once.
 */
import { InputError, describeValue } from "../errors.js";
import { formFromEntries, formToIsing } from "./quadratic.js";
import type { IsingModel } from "./ising.js";
import { entryList, finiteField, betaField, checkKnown } from "./fields.js";

export function quboFromJson(doc: Record<string, unknown>, file: string): IsingModel {
  checkKnown(doc, file, ["kind", "n", "Q", "offset", "beta", "name", "description", "meta"], "a QUBO");
  const n = doc.n;
  if (typeof n !== "number") throw new InputError(file, "n", `must be a whole number >= 1, got ${describeValue(n)}`);
  const entries = entryList(doc.Q, file, "Q");
  const form = formFromEntries(file, n, "binary", entries, finiteField(doc.offset, file, "offset", 0), (k) => `Q[${k}]`);
  return formToIsing(form, betaField(doc.beta, file), typeof doc.name === "string" ? doc.name : undefined, file);
}
