/**
 * A minor-embedding applied: the logical Ising model becomes a physical one
 * on the chain p-bits, and physical samples come back as logical ones.
 *
 * - Each logical bias h_i sits on one p-bit of chain i (its first), each
 *   logical coupling J_ij on one chip edge between chains i and j (the first
 *   found): quantised once, a value keeps the rounding error of one code.
 *   (Shared equally among k p-bits or edges, k rounding errors add up: on a
 *   dense 10-spin model with 8-bit biases the bias error was 15% instead of 3%.)
 * - Every chip edge inside a chain carries the ferromagnetic chain coupling c
 *   (model energy units), and the energy offset gains c per chain edge, so a
 *   state whose chains all agree has exactly its logical energy: with strong
 *   chains the physical law, read through the chains, is the logical law.
 * - A chain whose p-bits disagree is "broken". Two read-outs:
 *   discard (the default): a row with any broken chain is dropped. The
 *   kept rows are the physical law conditioned on every chain agreeing,
 *   which is exactly the logical law of the quantised model at any chain
 *   strength (the strength sets only how many rows are dropped and how fast
 *   the chains mix);
 *   majority: a broken chain reads as its majority, a tie as a fair coin
 *   drawn from (seed, chain, row, variable) so the reading does not depend
 *   on how chains are split among workers. Every row is used, but broken
 *   readings bias the law (a dense 9-spin model on dtm-2025 at UTC strength:
 *   TV 0.19 against an i.i.d. floor of 0.017).
 *
 * Embedding files (`embedding.json`) are untrusted input and are checked
 * against the chip and the model before use.
 */
import type { IsingModel } from "../models/ising.js";
import type { Topology } from "../chips/topology/index.js";
import { InputError } from "../errors.js";
import { readCappedText, LIMITS } from "../io/read.js";
import { parseJsonStrict } from "../io/json.js";
import { exactLaw, MAX_ENUMERATE } from "../models/enumerate.js";

export const EMBEDDING_FORMAT = "thermosim-embedding";

export interface Embedded {
  logical: IsingModel;
  /** The model the chip is asked to sample: variables are the chain p-bits in ascending chip order. */
  physical: IsingModel;
  /** Chip p-bit of each physical variable. */
  phys: Int32Array;
  /** Logical variable of each physical variable. */
  owner: Int32Array;
  /** Physical variables of logical variable i: members[start[i] .. start[i+1]). */
  start: Int32Array;
  members: Int32Array;
  /** Physical couplings 0 .. chainCouplings-1 are chain couplings. */
  chainCouplings: number;
  chainStrength: number;
}

/**
 * Check chains against the chip and the logical model: one non-empty chain
 * per variable, p-bits on the chip, no p-bit in two chains, each chain
 * connected, and a chip edge between the chains of every coupled pair.
 */
export function checkChains(chains: ArrayLike<number>[], model: IsingModel, t: Topology, where: string): void {
  if (chains.length !== model.n) throw new InputError(where, "chains", `has ${chains.length} chains; the model has ${model.n} variables`);
  const owner = new Int32Array(t.size).fill(-1);
  const buf = new Int32Array(t.maxDegree);
  chains.forEach((c, i) => {
    if (c.length === 0) throw new InputError(where, `chains[${i}]`, "is empty; every variable needs at least one p-bit");
    for (let k = 0; k < c.length; k++) {
      const p = c[k];
      if (!Number.isInteger(p) || p < 0 || p >= t.size) throw new InputError(where, `chains[${i}][${k}]`, `is ${p}, not a p-bit of the chip (0 .. ${t.size - 1}, ${t.describe()})`);
      if (owner[p] >= 0) throw new InputError(where, `chains[${i}][${k}]`, `p-bit ${p} is already in chain ${owner[p]}; chains must not share p-bits`);
      owner[p] = i;
    }
  });
  chains.forEach((c, i) => {
    // Connected: a search from the first p-bit must reach every p-bit of the chain.
    const seen = new Set<number>([c[0]]);
    const stack = [c[0]];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const k = t.neighboursInto(p, buf);
      for (let j = 0; j < k; j++) if (owner[buf[j]] === i && !seen.has(buf[j])) (seen.add(buf[j]), stack.push(buf[j]));
    }
    if (seen.size !== c.length) throw new InputError(where, `chains[${i}]`, `is not connected on the chip (${t.describe()}): ${c.length - seen.size} of its ${c.length} p-bits cannot be reached from p-bit ${c[0]}`);
  });
  const touching = new Set<number>();
  for (let i = 0; i < chains.length; i++) {
    const c = chains[i];
    for (let k = 0; k < c.length; k++) {
      const m = t.neighboursInto(c[k], buf);
      for (let j = 0; j < m; j++) if (owner[buf[j]] > i) touching.add(i * model.n + owner[buf[j]]);
    }
  }
  for (let k = 0; k < model.ei.length; k++) {
    if (model.ew[k] !== 0 && !touching.has(model.ei[k] * model.n + model.ej[k])) {
      throw new InputError(where, "chains", `no chip edge joins the chains of variables ${model.ei[k]} and ${model.ej[k]}, which the model couples (J[${k}])`);
    }
  }
}

/** The physical model of `model` embedded with `chains` (checked) and chain coupling `strength`. */
export function embedIsing(model: IsingModel, chains: ArrayLike<number>[], strength: number, t: Topology): Embedded {
  const total = chains.reduce((a, c) => a + c.length, 0);
  const phys = new Int32Array(total);
  let q = 0;
  for (const c of chains) for (let k = 0; k < c.length; k++) phys[q++] = c[k];
  phys.sort();
  const index = new Map<number, number>();
  phys.forEach((p, i) => index.set(p, i));
  const owner = new Int32Array(total);
  const start = new Int32Array(model.n + 1);
  chains.forEach((c, i) => (start[i + 1] = start[i] + c.length));
  const members = new Int32Array(total);
  chains.forEach((c, i) => {
    const ids = Array.from(c, (p) => index.get(p)!).sort((a, b) => a - b);
    members.set(ids, start[i]);
    for (const v of ids) owner[v] = i;
  });

  // Every chip edge between used p-bits, once (a < b in physical order).
  const buf = new Int32Array(t.maxDegree);
  const chainEdges: [number, number][] = [];
  const between = new Map<number, [number, number][]>(); // logical pair key -> physical edges
  for (let a = 0; a < total; a++) {
    const k = t.neighboursInto(phys[a], buf);
    for (let j = 0; j < k; j++) {
      const b = index.get(buf[j]);
      if (b === undefined || b <= a) continue;
      const [i, l] = [owner[a], owner[b]];
      if (i === l) chainEdges.push([a, b]);
      else {
        const key = Math.min(i, l) * model.n + Math.max(i, l);
        let list = between.get(key);
        if (!list) between.set(key, (list = []));
        list.push([a, b]);
      }
    }
  }
  const ei: number[] = [];
  const ej: number[] = [];
  const ew: number[] = [];
  for (const [a, b] of chainEdges) (ei.push(a), ej.push(b), ew.push(strength));
  for (let k = 0; k < model.ei.length; k++) {
    if (model.ew[k] === 0) continue;
    const list = between.get(model.ei[k] * model.n + model.ej[k])!;
    const [a, b] = list[0];
    (ei.push(a), ej.push(b), ew.push(model.ew[k]));
  }
  const h = new Float64Array(total);
  for (let i = 0; i < model.n; i++) h[members[start[i]]] = model.h[i];
  const physical: IsingModel = {
    kind: "ising", n: total, h, ei: Int32Array.from(ei), ej: Int32Array.from(ej), ew: Float64Array.from(ew), beta: model.beta,
    offset: (model.offset ?? 0) + strength * chainEdges.length,
    ...(model.name ? { name: `${model.name} (embedded)` } : {}),
  };
  return { logical: model, physical, phys, owner, start, members, chainCouplings: chainEdges.length, chainStrength: strength };
}

/**
 * What the chip's quantised physical model means for the logical model on
 * aligned states: each logical coupling is the sum of its (dequantised)
 * pieces between two chains, each bias the sum over its chain; and the chain
 * couplings the chip really applies (smallest and largest after quantisation).
 */
export function logicalView(e: Embedded, effective: IsingModel): { logical: IsingModel; chainMin: number; chainMax: number } {
  const { logical: m, owner } = e;
  const h = new Float64Array(m.n);
  for (let v = 0; v < effective.n; v++) h[owner[v]] += effective.h[v];
  const index = new Map<number, number>();
  for (let k = 0; k < m.ei.length; k++) index.set(m.ei[k] * m.n + m.ej[k], k);
  const ew = new Float64Array(m.ei.length);
  let chainMin = Infinity;
  let chainMax = -Infinity;
  for (let k = 0; k < effective.ei.length; k++) {
    const [i, l] = [owner[effective.ei[k]], owner[effective.ej[k]]];
    if (k < e.chainCouplings) {
      chainMin = Math.min(chainMin, effective.ew[k]);
      chainMax = Math.max(chainMax, effective.ew[k]);
    } else ew[index.get(Math.min(i, l) * m.n + Math.max(i, l))!] += effective.ew[k];
  }
  return { logical: { ...m, h, ew }, chainMin: e.chainCouplings > 0 ? chainMin : NaN, chainMax: e.chainCouplings > 0 ? chainMax : NaN };
}

/**
 * The exact law of the discard read-out, from the logical variables alone: a
 * state whose chains all agree has the energy of the logical model as the
 * chip realises it (logicalView) plus a constant, so the kept rows follow
 * that model's law whatever the number of p-bits. Only the logical states
 * are enumerated (n up to MAX_ENUMERATE), where readoutLaw enumerates the
 * physical ones (22 p-bits at most).
 */
export function keptLaw(e: Embedded, effective: IsingModel): Float64Array {
  const { logical } = logicalView(e, effective);
  if (logical.n > MAX_ENUMERATE) throw new Error(`keptLaw: ${logical.n} variables is too many to enumerate`);
  return exactLaw(logical).p;
}

/** A fair bit from (seed, chain, row, variable): splitmix-style mixing. */
function coin(seed: number, chain: number, row: number, v: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(chain + 0x632be5ab, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ Math.imul(row + 0x165667b1, 0xc2b2ae35), 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 13) ^ Math.imul(v + 0x61c88647, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 16)) & 1;
}

export type Readout = "discard" | "majority";
export const READOUTS: readonly Readout[] = ["discard", "majority"];

/**
 * Logical rows from physical rows, dropping every row with a broken chain:
 * kept rows are written to `out` in order. Returns how many were kept.
 */
export function keepUnbrokenRows(e: Embedded, count: number, rows: Int8Array, out: Int8Array): number {
  const m = e.phys.length;
  const n = e.start.length - 1;
  let kept = 0;
  for (let r = 0; r < count; r++) {
    const base = r * m;
    let whole = true;
    for (let i = 0; i < n && whole; i++) {
      const first = rows[base + e.members[e.start[i]]];
      for (let k = e.start[i] + 1; k < e.start[i + 1]; k++) if (rows[base + e.members[k]] !== first) { whole = false; break; }
    }
    if (!whole) continue;
    for (let i = 0; i < n; i++) out[kept * n + i] = rows[base + e.members[e.start[i]]];
    kept++;
  }
  return kept;
}

/**
 * Logical rows from physical rows, by majority vote per chain. Returns the
 * number of (row, variable) readings whose chain was broken.
 */
export function unembedRows(e: Embedded, seed: number, chain: number, firstRow: number, count: number, rows: Int8Array, out: Int8Array): number {
  const m = e.phys.length;
  const n = e.start.length - 1;
  let broken = 0;
  for (let r = 0; r < count; r++) {
    const base = r * m;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let k = e.start[i]; k < e.start[i + 1]; k++) sum += rows[base + e.members[k]];
      const len = e.start[i + 1] - e.start[i];
      if (sum !== len && sum !== -len) broken++;
      out[r * n + i] = sum > 0 ? 1 : sum < 0 ? -1 : coin(seed, chain, firstRow + r, i) ? 1 : -1;
    }
  }
  return broken;
}

/** Physical models up to this many p-bits get their read-out law computed exactly. */
export const MAX_PUSHFORWARD = 22;

/**
 * The exact laws of the logical read-outs of the physical model `effective`
 * (the embedded model as quantised on the chip): majority vote with fair
 * ties (`p`), and discarding rows with a broken chain (`kept`); the exact
 * probability that a chain reading is broken, and that a row is dropped.
 */
export interface ReadoutLaw {
  p: Float64Array;
  breakRate: number;
  kept: Float64Array;
  rowBreakRate: number;
}

export function readoutLaw(e: Embedded, effective: IsingModel): ReadoutLaw {
  const m = effective.n;
  const n = e.start.length - 1;
  if (m > Math.min(MAX_PUSHFORWARD, MAX_ENUMERATE)) throw new Error(`readoutLaw: ${m} p-bits is too many to enumerate`);
  const { p: phys } = exactLaw(effective);
  const p = new Float64Array(2 ** n);
  const kept = new Float64Array(2 ** n);
  let breaks = 0;
  let rowBreaks = 0;
  const masks = Array.from({ length: n }, (_, i) => {
    let mask = 0;
    for (let k = e.start[i]; k < e.start[i + 1]; k++) mask |= 1 << e.members[k];
    return mask;
  });
  for (let x = 0; x < phys.length; x++) {
    const px = phys[x];
    // Logical states reached, with weight: ties split the probability in two.
    let states = [0];
    let weights = [px];
    let whole = true;
    for (let i = 0; i < n; i++) {
      const up = popcount(x & masks[i]);
      const len = e.start[i + 1] - e.start[i];
      if (up !== 0 && up !== len) (breaks += px), (whole = false);
      if (2 * up > len) states = states.map((s) => s | (1 << i));
      else if (2 * up === len) {
        states = [...states, ...states.map((s) => s | (1 << i))];
        weights = [...weights.map((w) => w / 2), ...weights.map((w) => w / 2)];
      }
    }
    if (weights.length === 1) p[states[0]] += px;
    else states.forEach((s, k) => (p[s] += weights[k]));
    if (whole) kept[states[0]] += px;
    else rowBreaks += px;
  }
  let z = 0;
  for (const v of kept) z += v;
  if (z > 0) for (let s = 0; s < kept.length; s++) kept[s] /= z;
  return { p, breakRate: breaks / n, kept, rowBreakRate: rowBreaks };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** An embedding file: the chains and what they were made for. */
export function embeddingDocument(chains: Int32Array[], meta: { chip: string; topology: string; found: string; seed: number }): string {
  return JSON.stringify({
    format: EMBEDDING_FORMAT, version: 1, chip: meta.chip, topology: meta.topology, variables: chains.length,
    how: meta.found, seed: meta.seed, chains: chains.map((c) => Array.from(c)),
  }) + "\n";
}

const FILE_KEYS = new Set(["format", "version", "chip", "topology", "variables", "how", "seed", "chains"]);

/** Read an embedding file (chains only; checked against chip and model by the caller). */
export function readEmbeddingFile(file: string): { chains: number[][]; chip?: string; topology?: string } {
  const doc = parseJsonStrict(readCappedText(file, LIMITS.model), file) as Record<string, unknown>;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InputError(file, undefined, "must be a JSON object (an embedding.json written by thermosim sample)");
  for (const k of Object.keys(doc)) if (!FILE_KEYS.has(k)) throw new InputError(file, k, `is not a field of an embedding file (known: ${[...FILE_KEYS].join(", ")})`);
  if (doc.format !== EMBEDDING_FORMAT) throw new InputError(file, "format", `must be "${EMBEDDING_FORMAT}"`);
  if (doc.version !== 1) throw new InputError(file, "version", "must be 1");
  const chains = doc.chains;
  if (!Array.isArray(chains)) throw new InputError(file, "chains", "must be an array of arrays of p-bit indices");
  chains.forEach((c, i) => {
    if (!Array.isArray(c)) throw new InputError(file, `chains[${i}]`, "must be an array of p-bit indices");
    c.forEach((p, k) => {
      if (typeof p !== "number" || !Number.isInteger(p) || p < 0) throw new InputError(file, `chains[${i}][${k}]`, `must be a p-bit index (a whole number >= 0), got ${JSON.stringify(p)}`);
    });
  });
  if (doc.topology !== undefined && typeof doc.topology !== "string") throw new InputError(file, "topology", "must be the description of the chip's topology the chains were found on");
  if (doc.chip !== undefined && typeof doc.chip !== "string") throw new InputError(file, "chip", "must name the chip the chains were found on");
  return { chains: chains as number[][], ...(doc.chip !== undefined ? { chip: doc.chip as string } : {}), ...(doc.topology !== undefined ? { topology: doc.topology as string } : {}) };
}
