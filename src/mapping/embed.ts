/**
 * Finding a minor-embedding: every logical variable becomes a chain, a
 * connected set of physical p-bits, such that every logical coupling has at
 * least one chip edge between the two chains. The heuristic follows the idea
 * of Cai, Macready & Roy (arXiv 1406.2741, the method behind minorminer):
 * chains are placed one at a time, each grown from the root that is cheapest
 * to connect to its neighbours' chains along shortest paths, where a p-bit
 * already used by another chain may be shared at a price that rises every
 * round until no p-bit is shared; further rounds then shorten the chains.
 * Written here (not a port): plain Dijkstra on the chip graph restricted to a
 * region around the chip's centre, the region doubled when no embedding fits.
 * Seeded and deterministic: the same graph, chip and seed give the same chains.
 */
import { maxDegree, type Csr } from "../chips/graph.js";
import type { Topology } from "../chips/topology/index.js";
import { Random } from "../util/random.js";

export interface EmbedOptions {
  seed: number;
  /** Restarts per region size. */
  tries: number;
  /** Rounds of placing every chain, per try. */
  rounds: number;
  /** Region doublings searched beyond the first region that holds an embedding. */
  widen?: number;
  /**
   * Work budget: chip-graph edges relaxed by the searches, all tries and
   * regions together (~1e8 per second here). Counted, not timed, so the
   * same search gives up at the same point on any machine.
   */
  budget?: number;
}

export const DEFAULT_EMBED: Required<Omit<EmbedOptions, "seed">> = { tries: 4, rounds: 40, widen: 2, budget: 1.5e9 };

/** Called as the search spends its budget (fraction 0..1), at most every 1%: the CLI draws it. */
let progressHook: ((fraction: number, what: string) => void) | undefined;
export function onEmbedProgress(f: ((fraction: number, what: string) => void) | undefined): void {
  progressHook = f;
}

/** The work spent so far, shared by a search's attempts. */
class Work {
  used = 0;
  private lastReported = 0;
  constructor(readonly budget: number, readonly what: string) {}
  add(k: number): void {
    this.used += k;
    if (this.used > this.budget) throw GAVE_UP;
    if (progressHook && this.used - this.lastReported > this.budget / 100) {
      this.lastReported = this.used;
      progressHook(this.used / this.budget, this.what);
    }
  }
}
const GAVE_UP = new Error("embedding search budget spent");

export interface EmbedResult {
  /** Chip p-bits of each logical variable's chain (ascending), or undefined when none was found. */
  chains?: Int32Array[];
  /** What was tried, for the report and for the error when nothing was found. */
  tried: string[];
  /** The search spent its work budget before finding one (it may exist). */
  gaveUp?: boolean;
  /** Work done: chip-graph edges relaxed. */
  relaxations?: number;
}

/** The chip graph restricted to `nodes` (local indices 0..T-1). */
interface Region {
  nodes: Int32Array;
  g: Csr;
  /** Hops from the centre. */
  hops: Int32Array;
}

/**
 * A p-bit near the middle of the chip (of the part holding p-bit 0, when the
 * chip is several independent tiles): the one with the least total distance
 * to 16 p-bits spread over it. (Two far-apart p-bits are not enough: on a
 * king's graph both can sit on one edge.)
 */
function centralNode(t: Topology): number {
  const { order } = bfs(t, 0, t.size);
  const total = new Float64Array(t.size);
  const probes = Math.min(16, order.length);
  for (let k = 0; k < probes; k++) {
    const { dist } = bfs(t, order[Math.floor((k * order.length) / probes)], t.size);
    for (const p of order) total[p] += dist[p];
  }
  let c = order[0];
  for (const p of order) if (total[p] < total[c]) c = p;
  return c;
}

/** Breadth-first search from `from`, visiting at most `limit` p-bits. */
function bfs(t: Topology, from: number, limit: number): { order: Int32Array; dist: Int32Array } {
  const dist = new Int32Array(t.size).fill(-1);
  const order = new Int32Array(Math.min(limit, t.size));
  const buf = new Int32Array(t.maxDegree);
  dist[from] = 0;
  order[0] = from;
  let head = 0;
  let tail = 1;
  while (head < tail && tail < order.length) {
    const p = order[head++];
    const k = t.neighboursInto(p, buf);
    for (let j = 0; j < k && tail < order.length; j++) {
      const q = buf[j];
      if (dist[q] < 0) {
        dist[q] = dist[p] + 1;
        order[tail++] = q;
      }
    }
  }
  return { order: order.subarray(0, tail), dist };
}

function region(t: Topology, centre: number, size: number): Region {
  const { order, dist } = bfs(t, centre, size);
  const nodes = Int32Array.from(order).sort();
  const local = new Map<number, number>();
  nodes.forEach((p, i) => local.set(p, i));
  const buf = new Int32Array(t.maxDegree);
  const off = new Int32Array(nodes.length + 1);
  const nbr: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const k = t.neighboursInto(nodes[i], buf);
    for (let j = 0; j < k; j++) {
      const l = local.get(buf[j]);
      if (l !== undefined) nbr.push(l);
    }
    off[i + 1] = nbr.length;
  }
  return { nodes, g: { n: nodes.length, off, nbr: Int32Array.from(nbr), edge: new Int32Array(0) }, hops: Int32Array.from(nodes, (p) => dist[p]) };
}

/** Binary min-heap of (key, node) with lazy deletion. */
class Heap {
  private key = new Float64Array(64);
  private val = new Int32Array(64);
  size = 0;
  push(k: number, v: number): void {
    if (this.size === this.key.length) {
      const key = new Float64Array(this.size * 2);
      key.set(this.key);
      const val = new Int32Array(this.size * 2);
      val.set(this.val);
      [this.key, this.val] = [key, val];
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.key[p] <= k) break;
      this.key[i] = this.key[p];
      this.val[i] = this.val[p];
      i = p;
    }
    this.key[i] = k;
    this.val[i] = v;
  }
  /** Pops the smallest; its key is left in `top`. */
  top = 0;
  pop(): number {
    const v = this.val[0];
    this.top = this.key[0];
    const k = this.key[--this.size];
    const x = this.val[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.key[c + 1] < this.key[c]) c++;
      if (this.key[c] >= k) break;
      this.key[i] = this.key[c];
      this.val[i] = this.val[c];
      i = c;
    }
    this.key[i] = k;
    this.val[i] = x;
    return v;
  }
}

/**
 * One attempt on one region: chains as local node lists, or undefined. The
 * price of a node used by `u` other chains is 1 + u * penalty: free in the
 * first round (chains start where their neighbours are), then 0.1, doubling
 * every round, so shared nodes are given up one by one. A variable that
 * shared a node may not take it back when it is placed again.
 */
function attempt(src: Csr, reg: Region, rounds: number, rng: Random, work: Work): number[][] | undefined {
  const n = src.n;
  const T = reg.g.n;
  const { off, nbr } = reg.g;
  const usage = new Int32Array(T);
  const chains: number[][] = Array.from({ length: n }, () => []);
  const dist = new Float64Array(T);
  const total = new Float64Array(T);
  const heap = new Heap();
  let penalty = 0;
  const price = (q: number) => (banned[q] ? Infinity : 1 + usage[q] * penalty);
  // Parents per neighbour chain, reused between variables.
  let parents: Int32Array[] = [];
  let best: number[][] | undefined;
  let bestScore = Infinity;
  let stale = 0;
  let fewestShared = Infinity;
  let stuck = 0;

  const dijkstra = (sources: number[], parent: Int32Array) => {
    dist.fill(Infinity);
    parent.fill(-2);
    heap.size = 0;
    // The neighbour's own p-bits cost nothing to reach; for v to take one
    // (sharing it) costs its price, set after the search.
    for (const q of sources) {
      dist[q] = 0;
      parent[q] = -1;
      heap.push(0, q);
    }
    let relaxed = T;
    while (heap.size > 0) {
      const q = heap.pop();
      if (heap.top > dist[q]) continue;
      relaxed += off[q + 1] - off[q];
      for (let e = off[q]; e < off[q + 1]; e++) {
        const r = nbr[e];
        const d = dist[q] + price(r);
        if (d < dist[r]) {
          dist[r] = d;
          parent[r] = q;
          heap.push(d, r);
        }
      }
    }
    for (const q of sources) dist[q] = price(q);
    work.add(relaxed);
  };

  // P-bits the variable being placed shared before: it may not take them
  // again (the other chain keeps them), so it must grow around the crowd.
  const banned = new Uint8Array(T);
  const place = (v: number) => {
    const old = chains[v];
    for (const q of old) if (usage[q] > 1) banned[q] = 1;
    for (const q of chains[v]) usage[q]--;
    try {
      placeFree(v);
    } finally {
      for (const q of old) banned[q] = 0;
    }
  };
  const placeFree = (v: number) => {
    const placed: number[] = [];
    for (let e = src.off[v]; e < src.off[v + 1]; e++) if (chains[src.nbr[e]].length > 0) placed.push(src.nbr[e]);
    let root = -1;
    if (placed.length === 0) {
      // No placed neighbour: the least-used p-bit nearest the region's
      // centre (a chain started at the rim gets walled in by its neighbours).
      let best = Infinity;
      let ties = 0;
      for (let q = 0; q < T; q++) {
        const score = usage[q] * T + reg.hops[q];
        if (score < best) [best, root, ties] = [score, q, 1];
        else if (score === best && rng.below(++ties) === 0) root = q;
      }
      chains[v] = [root];
      usage[root]++;
      return;
    }
    while (parents.length < placed.length) parents.push(new Int32Array(T));
    total.fill(0);
    for (let a = 0; a < placed.length; a++) {
      dijkstra(chains[placed[a]], parents[a]);
      for (let q = 0; q < T; q++) total[q] += dist[q];
    }
    let cost = Infinity;
    let ties = 0;
    for (let q = 0; q < T; q++) {
      const c = total[q] - (placed.length - 1) * price(q);
      if (c < cost) [cost, root, ties] = [c, q, 1];
      else if (c === cost && Number.isFinite(c) && rng.below(++ties) === 0) root = q;
    }


    if (!Number.isFinite(cost)) {
      chains[v] = []; // a neighbour's chain cannot be reached: v stays unplaced this round
      return;
    }
    const chain = new Set<number>([root]);
    for (let a = 0; a < placed.length; a++) {
      const par = parents[a];
      for (let q = root; par[q] >= 0 && par[par[q]] !== -1; q = par[q]) chain.add(par[q]);
    }
    chains[v] = [...chain];
    for (const q of chains[v]) usage[q]++;
  };

  // First round in breadth-first order of the logical graph (each variable
  // after one of its neighbours); later rounds in a fresh random order.
  const firstOrder = (): number[] => {
    const seen = new Uint8Array(n);
    const out: number[] = [];
    const starts = shuffled(n, rng);
    for (const s of starts) {
      if (seen[s]) continue;
      seen[s] = 1;
      out.push(s);
      for (let h = out.length - 1; h < out.length; h++) {
        const v = out[h];
        const nb = [];
        for (let e = src.off[v]; e < src.off[v + 1]; e++) if (!seen[src.nbr[e]]) nb.push(src.nbr[e]);
        for (const k of shuffled(nb.length, rng)) {
          if (!seen[nb[k]]) {
            seen[nb[k]] = 1;
            out.push(nb[k]);
          }
        }
      }
    }
    return out;
  };

  for (let round = 0; round < rounds; round++) {
    const order = round === 0 ? firstOrder() : shuffled(n, rng);
    for (const v of order) place(v);
    let shared = 0;
    let unplaced = 0;
    let size = 0;
    let longest = 0;
    for (let q = 0; q < T; q++) if (usage[q] > 1) shared++;
    for (const c of chains) {
      if (c.length === 0) unplaced++;
      size += c.length;
      longest = Math.max(longest, c.length);
    }
    if (shared === 0 && unplaced === 0) {
      // Valid: keep the best (shortest longest chain, then fewest p-bits); from
      // now on sharing is priced out, and rounds only shorten chains.
      const score = longest * (T + 1) + size;
      if (score < bestScore) {
        [bestScore, best, stale] = [score, chains.map((c) => c.slice()), 0];
      } else if (++stale >= 3) break;
      penalty = T * n;
    } else {
      penalty = Math.min(Math.max(penalty * 2, 0.1), T * n);
      // Give up a try whose sharing has not shrunk for 10 rounds at full price.
      if (penalty === T * n && !best) {
        if (shared < fewestShared) [fewestShared, stuck] = [shared, 0];
        else if (++stuck >= 10) break;
      }
    }
  }
  return best;
}

function shuffled(n: number, rng: Random): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Embed the logical graph `src` into the chip: regions of the chip around its
 * centre, from a few times the variables up to the whole chip, `tries`
 * restarts each. The first embedding found in the smallest region wins.
 */
export function findEmbedding(src: Csr, t: Topology, opts: EmbedOptions): EmbedResult {
  const tried: string[] = [];
  const budget = opts.budget ?? DEFAULT_EMBED.budget;
  const work = new Work(budget, `embedding ${src.n} variables on ${t.size} p-bits`);
  if (src.n === 0) return { chains: [], tried };
  const impossible = countingBound(src, t);
  if (impossible) return { tried: [impossible] };
  const centre = centralNode(t);
  let size = Math.min(t.size, Math.max(64, 8 * src.n));
  // Beyond this region size the search gives up: a chain longer than the
  // whole model has p-bits is never needed, so no region need exceed a few
  // p-bits per variable and coupling (and a failing search stays short).
  const cap = Math.min(t.size, Math.max(4096, 16 * (src.n + src.nbr.length / 2)));
  // The first region that holds an embedding is tight (chains wind around
  // each other); the search goes on in that region and in `widen` doublings
  // of it and keeps the best: the shortest longest chain, then fewest p-bits.
  let best: { chains: Int32Array[]; score: number; note: string } | undefined;
  let extra = 0;
  for (;;) {
    const reg = region(t, centre, size);
    for (let k = 0; k < opts.tries; k++) {
      const rng = new Random(opts.seed, 0x656d62 + k);
      let found: number[][] | undefined;
      try {
        found = attempt(src, reg, opts.rounds, rng, work);
      } catch (e) {
        if (e !== GAVE_UP) throw e;
        // Out of budget: keep the best found so far, or give up with what was tried.
        tried.push(`gave up in a region of ${reg.nodes.length} p-bits on try ${k + 1}: the search spent its budget of ${budget.toExponential(1)} edge relaxations (counted, not timed, so the same on any machine; --embed-budget raises it)`);
        progressHook?.(1, work.what);
        return best ? { chains: prune(src, t, best.chains), tried: [...tried, best.note], relaxations: work.used } : { tried, gaveUp: true, relaxations: work.used };
      }
      if (found) {
        const chains = found.map((c) => Int32Array.from(c, (q) => reg.nodes[q]).sort());
        let longest = 0;
        let total = 0;
        for (const c of chains) [longest, total] = [Math.max(longest, c.length), total + c.length];
        const score = longest * (t.size + 1) + total;
        if (!best || score < best.score) best = { chains, score, note: `found in a region of ${reg.nodes.length} p-bits on try ${k + 1}` };
      }
    }
    if (!best) tried.push(`${opts.tries} tries of ${opts.rounds} rounds in a region of ${reg.nodes.length} p-bits`);
    else if (extra++ >= (opts.widen ?? DEFAULT_EMBED.widen)) break;
    // The region stops growing at the whole chip or at the centre's connected part (a tile).
    if (reg.nodes.length < size || reg.nodes.length >= cap) break;
    size = Math.min(cap, size * 2);
  }
  progressHook?.(1, work.what);
  return best ? { chains: prune(src, t, best.chains), tried: [...tried, best.note], relaxations: work.used } : { tried, relaxations: work.used };
}

/**
 * Necessary conditions, checked before any search (so a hopeless model fails
 * at once, not after minutes): a chain of L p-bits on a chip of degree D has
 * at most L(D - 2) + 2 edges leaving it, one needed per neighbour, so a
 * variable of degree d needs L >= (d - 2) / (D - 2); the chains together must
 * fit in the chip's p-bits, and their inner edges plus one edge per coupling
 * in the chip's edges. Returns why not, or undefined when the counts allow it.
 */
export function countingBound(src: Csr, t: Topology): string | undefined {
  const D = t.maxDegree;
  let pbits = 0;
  for (let v = 0; v < src.n; v++) {
    const d = src.off[v + 1] - src.off[v];
    pbits += D > 2 ? Math.max(1, Math.ceil((d - 2) / (D - 2))) : 1;
  }
  if (pbits > t.size) return `counting bound: the model's degrees (up to ${maxDegree(src)}) need chains of at least ${pbits} p-bits in all on a chip of degree ${D}, and the chip has ${t.size}`;
  const buf = new Int32Array(D);
  let chipEdges = 0;
  for (let p = 0; p < t.size; p++) chipEdges += t.neighboursInto(p, buf);
  chipEdges /= 2;
  const couplings = src.nbr.length / 2;
  const needed = couplings + pbits - src.n;
  if (needed > chipEdges) return `counting bound: ${couplings} couplings plus the chains' inner edges need at least ${needed} chip edges, and the chip has ${chipEdges}`;
  return undefined;
}

/**
 * Drop p-bits a chain does not need: one whose removal leaves the chain
 * connected and still next to every neighbour's chain (chains grown from a
 * root along shortest paths often carry such spurs). Longest chains first.
 */
function prune(src: Csr, t: Topology, chains: Int32Array[]): Int32Array[] {
  const owner = new Map<number, number>();
  chains.forEach((c, v) => c.forEach((p) => owner.set(p, v)));
  const buf = new Int32Array(t.maxDegree);
  const out = chains.map((c) => new Set(c));
  const connected = (set: Set<number>) => {
    const [first] = set;
    const seen = new Set([first]);
    const stack = [first];
    while (stack.length > 0) {
      const k = t.neighboursInto(stack.pop()!, buf);
      for (let j = 0; j < k; j++) if (set.has(buf[j]) && !seen.has(buf[j])) (seen.add(buf[j]), stack.push(buf[j]));
    }
    return seen.size === set.size;
  };
  const touches = (set: Set<number>, v: number, w: number) => {
    for (const p of set) {
      const k = t.neighboursInto(p, buf);
      for (let j = 0; j < k; j++) if (owner.get(buf[j]) === w) return true;
    }
    return false;
  };
  const order = Array.from(chains.keys()).sort((a, b) => chains[b].length - chains[a].length || a - b);
  for (let changed = true; changed; ) {
    changed = false;
    for (const v of order) {
      const set = out[v];
      for (const p of [...set].sort((a, b) => a - b)) {
        if (set.size === 1) break;
        set.delete(p);
        let ok = connected(set);
        for (let e = src.off[v]; ok && e < src.off[v + 1]; e++) ok = touches(set, v, src.nbr[e]);
        if (ok) {
          owner.delete(p);
          changed = true;
        } else set.add(p);
      }
    }
  }
  return out.map((s) => Int32Array.from(s).sort());
}
