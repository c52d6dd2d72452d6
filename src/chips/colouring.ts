/**
 * Colour classes for chromatic Gibbs: p-bits of one class share no coupling,
 * so a whole class can update in parallel. DSATUR (Brelaz 1979) for general
 * graphs, as the sparse Ising machines of Aadit et al. (2022) use.
 */
import type { Csr } from "./graph.js";
import { InputError } from "../errors.js";

/** DSATUR: repeatedly colour the vertex with the most distinct neighbour colours. */
export function dsatur(g: Csr): { colour: Int32Array; classes: number } {
  const n = g.n;
  if (n >= 2 ** 26) throw new Error("dsatur: graph too large");
  const colour = new Int32Array(n).fill(-1);
  const saturation = new Int32Array(n);
  const heap = new PackedMaxHeap(n);
  const deg = (v: number) => Math.min(g.off[v + 1] - g.off[v], 2047);
  // Priority: saturation, then degree, then lower index first.
  const key = (v: number) => saturation[v] * 2 ** 37 + deg(v) * 2 ** 26 + (2 ** 26 - 1 - v);
  for (let v = 0; v < n; v++) heap.push(key(v));
  let classes = 0;
  const used = new Uint8Array(g.n + 1);
  while (heap.size > 0) {
    const k = heap.pop();
    const v = 2 ** 26 - 1 - (k % 2 ** 26);
    if (colour[v] >= 0 || Math.floor(k / 2 ** 37) !== saturation[v]) continue; // stale entry
    // Smallest colour not used by a neighbour.
    for (let e = g.off[v]; e < g.off[v + 1]; e++) {
      const c = colour[g.nbr[e]];
      if (c >= 0) used[c] = 1;
    }
    let c = 0;
    while (used[c] === 1) c++;
    for (let e = g.off[v]; e < g.off[v + 1]; e++) {
      const cc = colour[g.nbr[e]];
      if (cc >= 0) used[cc] = 0;
    }
    colour[v] = c;
    classes = Math.max(classes, c + 1);
    for (let e = g.off[v]; e < g.off[v + 1]; e++) {
      const u = g.nbr[e];
      if (colour[u] >= 0) continue;
      let seen = false;
      for (let f = g.off[u]; f < g.off[u + 1] && !seen; f++) seen = g.nbr[f] !== v && colour[g.nbr[f]] === c;
      if (!seen) {
        saturation[u]++;
        heap.push(key(u));
      }
    }
  }
  return { colour, classes };
}

/** Binary max-heap of exact integer keys (< 2^53) in a growable Float64Array. */
class PackedMaxHeap {
  private a: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.a = new Float64Array(Math.max(16, capacity));
  }
  push(k: number): void {
    if (this.size === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    const a = this.a;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] >= k) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = k;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a[--this.size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && a[l + 1] > a[l] ? l + 1 : l;
      if (a[c] <= last) break;
      a[i] = a[c];
      i = c;
    }
    a[i] = last;
    return top;
  }
}

/**
 * Reject a colouring with a coupling inside a class: the chromatic schedule
 * would then update two coupled p-bits at once from stale values.
 */
export function checkColouring(g: Csr, colour: Int32Array, where: string, field: string, name = (i: number) => `${i}`): void {
  for (let i = 0; i < g.n; i++) {
    for (let e = g.off[i]; e < g.off[i + 1]; e++) {
      const j = g.nbr[e];
      if (j > i && colour[i] === colour[j]) {
        throw new InputError(where, field, `colour class ${colour[i]} contains the coupling (${name(i)}, ${name(j)}); the chromatic schedule needs classes without internal edges`);
      }
    }
  }
}

/** The same check over an edge list (no adjacency structure needed). */
export function checkColouringEdges(ei: Int32Array, ej: Int32Array, colour: Int32Array, where: string, field: string): void {
  for (let k = 0; k < ei.length; k++) {
    if (colour[ei[k]] === colour[ej[k]]) {
      throw new InputError(where, field, `colour class ${colour[ei[k]]} contains the coupling (${ei[k]}, ${ej[k]}); the chromatic schedule needs classes without internal edges`);
    }
  }
}

/** Group vertices by colour: members sorted by class, and class start offsets. */
export function classLists(colour: Int32Array, classes: number): { members: Int32Array; start: Int32Array } {
  const start = new Int32Array(classes + 1);
  for (let i = 0; i < colour.length; i++) start[colour[i] + 1]++;
  for (let c = 0; c < classes; c++) start[c + 1] += start[c];
  const fill = start.slice(0, classes);
  const members = new Int32Array(colour.length);
  for (let i = 0; i < colour.length; i++) members[fill[colour[i]]++] = i;
  return { members, start };
}
