/** All-to-all coupling among `size` p-bits (small chips, e.g. 8-16 cells). */
import type { Reader } from "../../spec/reader.js";
import type { Topology, TopologyImpl, TopologySpec } from "./types.js";

export const complete: TopologyImpl = {
  impl: "complete",
  read(r: Reader): TopologySpec {
    const size = r.int("size", { min: 1, max: 4096 });
    const topo: Topology = {
      size,
      maxDegree: size - 1,
      degree: () => size - 1,
      hasEdge: (p, q) => p !== q && p >= 0 && q >= 0 && p < size && q < size,
      neighbours: (p) => Array.from({ length: size }, (_, q) => q).filter((q) => q !== p),
      neighboursInto(p, out) {
        let m = 0;
        for (let q = 0; q < size; q++) if (q !== p) out[m++] = q;
        return m;
      },
      describe: () => `complete graph on ${size} p-bits`,
    };
    return { impl: "complete", resolved: () => ({ impl: "complete", size }), build: () => topo };
  },
};
