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

/** Pairs i < j of n variables: n(n-1)/2. */
export const pairsOf = (n: number) => (n * (n - 1)) / 2;

/**
 * Each pair coupled with probability `density` (1 = complete graph). Sparse
 * graphs skip from one coupled pair to the next with geometric gaps, so the
 * cost follows the couplings drawn, not the n(n-1)/2 pairs.
 */
export function randomGraphModel(n: number, density: number, o: RandomIsingOptions): IsingModel {
  // Which pairs are coupled: its own stream (the low 32 bits tweaked, the high ones kept).
  const pick = new Random(Math.floor(o.seed / 4294967296) * 4294967296 + (((o.seed >>> 0) ^ 0x51ed270b) >>> 0));
  const total = pairsOf(n);
  const p = Math.min(1, density);
  const mean = total * p;
  let cap = Math.max(16, Math.min(total, Math.ceil(mean + 10 * Math.sqrt(mean) + 16)));
  let ei = new Int32Array(cap);
  let ej = new Int32Array(cap);
  let m = 0;
  const push = (i: number, j: number) => {
    if (m === cap) {
      cap = Math.min(total, Math.ceil(cap * 1.5) + 16);
      const a = new Int32Array(cap);
      const b = new Int32Array(cap);
      a.set(ei);
      b.set(ej);
      ei = a;
      ej = b;
    }
    ei[m] = i;
    ej[m++] = j;
  };
  if (p >= 1) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) push(i, j);
  } else if (p > 0) {
    // Pair index k runs over rows i (pairs (i, i+1) .. (i, n-1)); gaps ~ Geometric(p).
    const logq = Math.log1p(-p);
    let i = 0;
    let rowStart = 0; // index of pair (i, i+1)
    for (let k = Math.floor(Math.log(1 - pick.uniform()) / logq); k < total; k += 1 + Math.floor(Math.log(1 - pick.uniform()) / logq)) {
      while (k >= rowStart + (n - 1 - i)) {
        rowStart += n - 1 - i;
        i++;
      }
      push(i, i + 1 + (k - rowStart));
    }
  }
  return build(n, ei.slice(0, m), ej.slice(0, m), o);
}
