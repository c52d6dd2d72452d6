/**
 * Topologies that take the model's own graph: `model` (the ideal chip: any
 * graph) and `programmable` (a reconfigurable fabric such as an FPGA
 * p-computer, which instantiates exactly the model's p-bits and couplings up
 * to a size and fan-in limit).
 */
import type { Reader } from "../../spec/reader.js";
import { maxDegree, type Csr } from "../graph.js";
import type { Topology, TopologyImpl, TopologySpec } from "./types.js";
import { InputError } from "../../errors.js";

function fromGraph(g: Csr, what: string): Topology {
  // Edge membership by binary search in sorted rows.
  const sorted = new Int32Array(g.nbr);
  for (let i = 0; i < g.n; i++) sorted.subarray(g.off[i], g.off[i + 1]).sort();
  const md = maxDegree(g);
  return {
    size: g.n,
    maxDegree: md,
    degree: (p) => g.off[p + 1] - g.off[p],
    neighbours: (p) => Array.from(g.nbr.subarray(g.off[p], g.off[p + 1])),
    neighboursInto(p, out) {
      out.set(g.nbr.subarray(g.off[p], g.off[p + 1]));
      return g.off[p + 1] - g.off[p];
    },
    hasEdge(p, q) {
      if (p < 0 || p >= g.n) return false;
      let lo = g.off[p];
      let hi = g.off[p + 1] - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] === q) return true;
        if (sorted[mid] < q) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
    describe: () => `${what} (${g.n} p-bits, max degree ${md})`,
  };
}

export const modelTopology: TopologyImpl = {
  impl: "model",
  read(): TopologySpec {
    return { impl: "model", resolved: () => ({ impl: "model" }), build: (g) => fromGraph(g(), "the model's own graph") };
  },
};

export const programmable: TopologyImpl = {
  impl: "programmable",
  read(r: Reader): TopologySpec {
    const maxPbits = r.int("max_pbits", { min: 1 });
    const maxFanIn = r.int("max_degree", { min: 0 });
    return {
      impl: "programmable",
      resolved: () => ({ impl: "programmable", max_pbits: maxPbits, max_degree: maxFanIn }),
      build(graphOf, modelFile) {
        const g = graphOf();
        if (g.n > maxPbits) {
          throw new InputError(modelFile, "n", `the model has ${g.n} spins but this chip's fabric holds at most ${maxPbits} p-bits (topology.max_pbits)`);
        }
        for (let i = 0; i < g.n; i++) {
          const d = g.off[i + 1] - g.off[i];
          if (d > maxFanIn) {
            throw new InputError(modelFile, "J", `spin ${i} has ${d} couplings but a p-bit on this chip takes at most ${maxFanIn} (topology.max_degree)`);
          }
        }
        return fromGraph(g, "programmable fabric");
      },
    };
  },
};
