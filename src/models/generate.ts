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

function build(n: number, ei: Int32Array, ej: Int32Array, o: RandomIsingOptions): IsingModel {
  const rng = new Random(o.seed);
  const ew = new Float64Array(ei.length);
  for (let k = 0; k < ew.length; k++) ew[k] = o.jStd * rng.normal();
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = o.hStd * rng.normal();
  return { kind: "ising", n, h, ei, ej, ew, beta: o.beta, ...(o.name ? { name: o.name } : {}) };
}

/**
 * Couplings on every edge among p-bits 0..n-1 of a topology (n = its size by
 * default), each edge once, in p-bit order, straight into typed arrays: a
 * million-p-bit grid has millions of edges.
 */
export function randomOnTopology(t: Topology, o: RandomIsingOptions, n = t.size): IsingModel {
  const cap = Math.ceil((n * t.maxDegree) / 2); // every edge counted once
  const ei = new Int32Array(cap);
  const ej = new Int32Array(cap);
  const nb = new Int32Array(t.maxDegree);
  let m = 0;
  for (let p = 0; p < n; p++) {
    const d = t.neighboursInto(p, nb);
    for (let k = 0; k < d; k++) {
      const q = nb[k];
      if (q <= p || q >= n) continue;
      ei[m] = p;
      ej[m++] = q;
    }
  }
  return build(n, m === cap ? ei : ei.slice(0, m), m === cap ? ej : ej.slice(0, m), o);
}

/** Each pair coupled with probability `density` (1 = complete graph). */
export function randomGraphModel(n: number, density: number, o: RandomIsingOptions): IsingModel {
  // Which pairs are coupled: its own stream (the low 32 bits tweaked, the high ones kept).
  const pick = new Random(Math.floor(o.seed / 4294967296) * 4294967296 + (((o.seed >>> 0) ^ 0x51ed270b) >>> 0));
  const ei: number[] = [];
  const ej: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (density >= 1 || pick.uniform() < density) {
        ei.push(i);
        ej.push(j);
      }
    }
  }
  return build(n, Int32Array.from(ei), Int32Array.from(ej), o);
}
