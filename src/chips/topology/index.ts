/** Topology implementations by name (`topology.impl` in a chip spec). */
import type { Reader } from "../../spec/reader.js";
import type { Topology, TopologyImpl, TopologySpec } from "./types.js";
import { InputError } from "../../errors.js";
import { offsetGrid } from "./offset-grid.js";
import { complete } from "./complete.js";
import { modelTopology, programmable } from "./model-defined.js";

export const TOPOLOGIES: Record<string, TopologyImpl> = {
  "offset-grid": offsetGrid,
  complete,
  model: modelTopology,
  programmable,
};

export function readTopology(r: Reader): TopologySpec {
  const impl = r.choice("impl", Object.keys(TOPOLOGIES));
  const spec = TOPOLOGIES[impl].read(r);
  r.done();
  return spec;
}

/** The chip's own topology, for chips whose topology does not come from the model. */
export function fixedTopology(spec: TopologySpec, chipName: string): Topology {
  return spec.build(() => {
    throw new InputError("--chip", undefined, `${chipName} takes the model's own graph; it has no topology of its own`);
  }, "");
}

export type { Topology, TopologySpec } from "./types.js";
