/**
 * Whether a p-bit chip can hold a model, and why not, without a search that
 * would take hours: a model whose graph is not the chip's needs a
 * minor-embedding; the counting bound refuses hopeless ones at once, and the
 * search itself runs only when the suite's flag asks for it (it is minutes to
 * hours for hundreds or thousands of variables on a large tile).
 */
import { csrFromEdges } from "../src/chips/graph.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import { InputError } from "../src/errors.js";
import { countingBound } from "../src/mapping/embed.js";
import { chipTopology, identityMisfit } from "../src/mapping/pbit.js";
import { placeIsing } from "../src/mapping/place.js";
import type { IsingModel } from "../src/models/ising.js";

/** null: the chip holds the model (placed here); otherwise the reason it does not, or was not tried. */
export function pbitCapacity(model: IsingModel, modelFile: string, spec: PbitSpec, searchFlag: string): string | null {
  const fixed = spec.topology.impl === "model" || spec.topology.impl === "programmable";
  try {
    const { topology } = chipTopology(model, modelFile, spec);
    if (!fixed && identityMisfit(model, topology) !== -1 && process.env[searchFlag] !== "1") {
      const bound = model.n > topology.size ? `${model.n} variables, ${topology.size} p-bits` : countingBound(csrFromEdges(model.n, model.ei, model.ej), topology);
      return bound
        ? `cannot hold it: ${bound}`
        : `the model's graph is not the chip's (${topology.describe()}), so it needs a minor-embedding; the counting bound allows one, the search was not run (${searchFlag}=1 runs it: minutes to hours at this size)`;
    }
    placeIsing(model, modelFile, spec, "chromatic", { seed: 1 });
    return null;
  } catch (e) {
    if (e instanceof InputError) return e.problem.replace(/, and no minor-embedding was found.*$/s, ", and no minor-embedding was found");
    throw e;
  }
}
