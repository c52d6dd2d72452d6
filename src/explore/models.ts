/**
 * The explorer's bundled models, made the same way in the page and in the
 * tests: a ferromagnet or a spin glass on a p-bit chip's own grid (chips
 * without a grid of their own get a 70 x 70 torus: G12 where the chip takes
 * degree 12, else the square lattice), and a correlated 2-D Gaussian for the
 * analog chips. Each is an ordinary model document, the JSON that
 * `thermosim sample` reads, so a page run can be repeated on the command line.
 */
import type { PbitSpec } from "../chips/pbit/spec.js";
import { readTopology } from "../chips/topology/index.js";
import type { Topology } from "../chips/topology/types.js";
import { Reader } from "../spec/reader.js";
import { randomOnTopology } from "../models/generate.js";

export type SpinModelKind = "ferromagnet" | "spin-glass";

export interface ModelGraph {
  topology: Topology;
  /** Drawing raster: p-bit i at (i % width, floor(i / width)) for the first width x height p-bits. */
  width: number;
  height: number;
  /** What the graph is, for the page. */
  describe: string;
}

function torus(offsets: string): Topology {
  const r = Reader.of("explorer", { impl: "offset-grid", width: 70, height: 70, wrap: true, offsets });
  return readTopology(r).build(() => {
    throw new Error("unreachable: an offset grid has its own graph");
  }, "");
}

/** The chip's own grid, if it has one: p-bit i at (i % width, floor(i / width)) of tile floor(i / (width * height)). */
export function chipGrid(spec: PbitSpec): { width: number; height: number; tiles: number; describe: string } | undefined {
  const res = spec.topology.resolved() as Record<string, unknown>;
  if (res.impl !== "offset-grid") return undefined;
  const [width, height, tiles] = [Number(res.width), Number(res.height), Number(res.tiles ?? 1)];
  return { width, height, tiles, describe: `the chip's own ${width} x ${height} grid${tiles > 1 ? ` (tile 1 of ${tiles} drawn)` : ""}, offsets ${String(res.offsets)}` };
}

export function modelGraph(spec: PbitSpec): ModelGraph {
  const res = spec.topology.resolved() as Record<string, unknown>;
  const grid = chipGrid(spec);
  if (grid) {
    const t = spec.topology.build(() => {
      throw new Error("unreachable: an offset grid has its own graph");
    }, "");
    return { topology: t, width: grid.width, height: grid.height, describe: grid.describe };
  }
  const maxDegree = Number(res.max_degree ?? Infinity);
  const offsets = maxDegree >= 12 ? "G12" : "square";
  return { topology: torus(offsets), width: 70, height: 70, describe: `a 70 x 70 torus, offsets ${offsets} (${spec.name} has no grid of its own)` };
}

/** An Ising model document on the graph: couplings J (ferromagnet, no fields) or the benchmark's spin glass. */
export function spinModelDoc(g: ModelGraph, kind: SpinModelKind, beta: number, J = 0.1): Record<string, unknown> {
  // The spin glass is the kernels benchmark's model: Gaussian couplings (sd sqrt(1/12)), fields sd 0.1, seed 7.
  const m = randomOnTopology(g.topology, { jStd: Math.sqrt(1 / 12), hStd: 0.1, beta, seed: 7 });
  const ferro = kind === "ferromagnet";
  const couplings: [number, number, number][] = [];
  for (let k = 0; k < m.ei.length; k++) couplings.push([m.ei[k], m.ej[k], ferro ? J : m.ew[k]]);
  return {
    kind: "ising", n: m.n, h: ferro ? new Array(m.n).fill(0) : Array.from(m.h), J: couplings, beta,
    name: ferro ? `ferromagnet J = ${J} on ${g.describe}` : `spin glass on ${g.describe}`,
  };
}

/**
 * A 2-D Gaussian with correlation rho and standard deviations sx, sy (mean mx, my):
 * precision A = Sigma^-1, b = A mu, as the Gaussian model file states it.
 */
export function gaussian2dDoc(rho = 0.8, sx = 1, sy = 0.5, mx = 0.5, my = -0.25): Record<string, unknown> {
  const S = [sx * sx, rho * sx * sy, rho * sx * sy, sy * sy];
  const det = S[0] * S[3] - S[1] * S[2];
  const A = [[S[3] / det, -S[1] / det], [-S[2] / det, S[0] / det]];
  const b = [A[0][0] * mx + A[0][1] * my, A[1][0] * mx + A[1][1] * my];
  return { kind: "gaussian", A, b, name: `2-D Gaussian, correlation ${rho}, sd ${sx} and ${sy}` };
}
