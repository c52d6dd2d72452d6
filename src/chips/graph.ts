/** Undirected graphs in compressed sparse row form (both directions stored). */
export interface Csr {
  n: number;
  off: Int32Array; // row i is nbr[off[i] .. off[i+1])
  nbr: Int32Array;
  /** For CSR entry e, the index of the undirected edge it came from. */
  edge: Int32Array;
}

export function csrFromEdges(n: number, ei: Int32Array, ej: Int32Array): Csr {
  const deg = new Int32Array(n + 1);
  for (let k = 0; k < ei.length; k++) {
    deg[ei[k]]++;
    deg[ej[k]]++;
  }
  const off = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) off[i + 1] = off[i] + deg[i];
  const fill = off.slice(0, n);
  const nbr = new Int32Array(off[n]);
  const edge = new Int32Array(off[n]);
  for (let k = 0; k < ei.length; k++) {
    const a = ei[k];
    const b = ej[k];
    nbr[fill[a]] = b;
    edge[fill[a]++] = k;
    nbr[fill[b]] = a;
    edge[fill[b]++] = k;
  }
  return { n, off, nbr, edge };
}

export function maxDegree(g: Csr): number {
  let d = 0;
  for (let i = 0; i < g.n; i++) d = Math.max(d, g.off[i + 1] - g.off[i]);
  return d;
}
