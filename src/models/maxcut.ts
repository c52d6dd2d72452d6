/**
 * Max-Cut: a weighted graph whose best spin state cuts the most weight. As an energy to lower,
 * E(s) = -cut(s) = sum_{(i,j,w)} w (s_i s_j - 1) / 2, i.e. Ising couplings J_ij = -w/2 and an
 * offset -sum w / 2: the ground-state energy is minus the maximum cut.
 * JSON: {"kind": "maxcut", "n": N, "edges": [[i, j, w], ...], "beta": b}; G-set (rudy) and Matrix
 * Market files are read by models/formats/.
 */
import { InputError, describeValue } from "../errors.js";
import { formFromEntries, formToIsing, type QuadraticForm } from "./quadratic.js";
import type { IsingModel } from "./ising.js";
import { entryList, betaField, checkKnown } from "./fields.js";

/** The spin form of a cut problem: quadratic w/2 per edge, offset -sum w / 2. */
export function maxCutModel(file: string, n: number, edges: [number, number, number][], where: (k: number) => string, beta = 1, name?: string): IsingModel {
  for (let k = 0; k < edges.length; k++) {
    if (edges[k][0] === edges[k][1]) throw new InputError(file, where(k), `is a self-loop (${edges[k][0]}, ${edges[k][0]}); a cut has none`);
  }
  const form: QuadraticForm = formFromEntries(file, n, "spin", edges.map(([i, j, w]) => [i, j, w / 2]), 0, where);
  for (const w of form.qv) form.offset -= w;
  return formToIsing(form, beta, name, file);
}

/** The cut of a spin state: the weight of edges whose ends differ. */
export function cutValue(edges: [number, number, number][], s: ArrayLike<number>): number {
  let c = 0;
  for (const [i, j, w] of edges) if (s[i] !== s[j]) c += w;
  return c;
}

export function maxCutFromJson(doc: Record<string, unknown>, file: string): IsingModel {
  checkKnown(doc, file, ["kind", "n", "edges", "beta", "name", "description", "meta"], "a Max-Cut model");
  const n = doc.n;
  if (typeof n !== "number") throw new InputError(file, "n", `must be a whole number >= 1, got ${describeValue(n)}`);
  return maxCutModel(file, n, entryList(doc.edges, file, "edges"), (k) => `edges[${k}]`, betaField(doc.beta, file), typeof doc.name === "string" ? doc.name : undefined);
}
