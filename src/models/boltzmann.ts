/**
 * General Boltzmann machine JSON over {0,1} or {-1,+1}:
 * {"kind": "boltzmann", "n": N, "units": "binary" | "spin", "b": [...], "W": [[i, j, w], ...], "offset": c, "beta": b}
 * E(v) = -(sum b_i v_i + sum w v_i v_j) + c, p(v) ~ exp(-beta E(v)); exactly the Ising form after x = (1+s)/2.
 */
import { InputError, describeValue } from "../errors.js";
import { formFromEntries, formToIsing } from "./quadratic.js";
import type { IsingModel } from "./ising.js";
import { entryList, finiteField, betaField, checkKnown, vectorField } from "./fields.js";

export function boltzmannFromJson(doc: Record<string, unknown>, file: string): IsingModel {
  checkKnown(doc, file, ["kind", "n", "units", "b", "W", "offset", "beta", "name", "description", "meta"], "a Boltzmann machine");
  const n = doc.n;
  if (typeof n !== "number") throw new InputError(file, "n", `must be a whole number >= 1, got ${describeValue(n)}`);
  const units = doc.units ?? "binary";
  if (units !== "binary" && units !== "spin") throw new InputError(file, "units", `must be "binary" (0/1) or "spin" (-1/+1), got ${describeValue(units)}`);
  // In the lowering convention the biases and weights change sign.
  const linear = vectorField(doc.b, file, "b", n).map((v) => -v);
  const entries = entryList(doc.W, file, "W").map(([i, j, w]): [number, number, number] => [i, j, -w]);
  for (let k = 0; k < entries.length; k++) if (entries[k][0] === entries[k][1]) throw new InputError(file, `W[${k}]`, "is a self-coupling; put unit biases in b");
  const form = formFromEntries(file, n, units, entries, finiteField(doc.offset, file, "offset", 0), (k) => `W[${k}]`, linear);
  return formToIsing(form, betaField(doc.beta, file), typeof doc.name === "string" ? doc.name : undefined, file);
}
