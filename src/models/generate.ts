/**
 * Random Ising models for examples, tests and benchmarks: Gaussian couplings
 * on every edge of a graph (a chip's topology, or a dense/sparse random
 * graph) and Gaussian fields. The GPU baseline's model is J ~ N(0, 1/12),
 * h ~ N(0, 0.01) on the G12 torus.
 */
import type { IsingModel } from "./ising.js";
import type { Topology } from "../chips/topology/index.js";
import { Random } from "../util/random.js";

export interface RandomIsingOptions {
  jStd: number;
  hStd: number;
  beta: number;
  seed: number;
  name?: string;
}

function build(n: number, pairs: [number, number][], o: RandomIsingOptions): IsingModel {
  const rng = new Random(o.seed);
  const ei = new Int32Array(pairs.length);
  const ej = new Int32Array(pairs.length);
  const ew = new Float64Array(pairs.length);
  pairs.forEach(([a, b], k) => {
    ei[k] = Math.min(a, b);
    ej[k] = Math.max(a, b);
    ew[k] = o.jStd * rng.normal();
  });
  const h = new Float64Array(n).map(() => o.hStd * rng.normal());
  return { kind: "ising", n, h, ei, ej, ew, beta: o.beta, ...(o.name ? { name: o.name } : {}) };
}

/** Couplings on every edge among p-bits 0..n-1 of a topology (n = its size by default). */
export function randomOnTopology(t: Topology, o: RandomIsingOptions, n = t.size): IsingModel {
  const pairs: [number, number][] = [];
  for (let p = 0; p < n; p++) {
    for (const q of t.neighbours(p)) if (q > p && q < n) pairs.push([p, q]);
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return build(n, pairs, o);
}

/** Each pair coupled with probability `density` (1 = complete graph). */
export function randomGraphModel(n: number, density: number, o: RandomIsingOptions): IsingModel {
  const pick = new Random(o.seed ^ 0x51ed270b);
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (density >= 1 || pick.uniform() < density) pairs.push([i, j]);
  return build(n, pairs, o);
}
