/**
 * A chip topology: which physical p-bits can be coupled. Implementations are
 * named in the spec (`topology.impl`) and registered in ./index.ts.
 */
import type { Csr } from "../graph.js";
import type { Reader } from "../../spec/reader.js";

export interface Topology {
  /** Physical p-bits on the chip (gated ones included). */
  readonly size: number;
  /** Largest hardware fan-in (sets the MAC cycles of a phase). */
  readonly maxDegree: number;
  /** Hardware fan-in of p-bit p: the MACs it performs per update. */
  degree(p: number): number;
  hasEdge(p: number, q: number): boolean;
  /** The p-bits coupled to p. */
  neighbours(p: number): number[];
  /** The same into a caller's buffer (at least maxDegree long); returns the count. */
  neighboursInto(p: number, out: Int32Array): number;
  /** Grids: the shape and oriented offsets (p-bit = tile*W*H + y*W + x), for kernels laid out as the grid is. */
  readonly grid?: { width: number; height: number; wrap: boolean; tiles: number; dx: Int32Array; dy: Int32Array };
  /** A proper colouring that exists by construction (checkerboard), if any. */
  naturalColouring?: { classes: number; colour(p: number): number };
  /** One-line description for error messages and reports. */
  describe(): string;
}

/** What a topology spec becomes once read; built against the model's graph. */
export interface TopologySpec {
  readonly impl: string;
  /** The spec fields, resolved (for the saved chip spec). */
  resolved(): Record<string, unknown>;
  /**
   * `graph` gives the model's coupling graph (only model-defined topologies
   * ask for it; they report a model that does not fit against `modelFile`).
   */
  build(graph: () => Csr, modelFile: string): Topology;
}

export interface TopologyImpl {
  readonly impl: string;
  read(r: Reader): TopologySpec;
}
