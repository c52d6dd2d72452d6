/** Topology implementations by name (`topology.impl` in a chip spec). */
import type { Reader } from "../../spec/reader.js";
import type { TopologyImpl, TopologySpec } from "./types.js";
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

export type { Topology, TopologySpec } from "./types.js";
