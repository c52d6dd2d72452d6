/**
 * Matrix Market coordinate files (real, integer or pattern; symmetric or general) as the
 * weighted adjacency matrix of a Max-Cut graph: entry (i, j, w) is an edge of weight w
 * (pattern: 1). A general matrix must be symmetric; each edge is taken once.
 */
import { InputError } from "../../errors.js";
import { maxCutModel } from "../maxcut.js";
import type { IsingModel } from "../ising.js";
import { decimal, integer } from "./numbers.js";

export const looksLikeMtx = (text: string) => text.startsWith("%%MatrixMarket");

export function mtxModel(text: string, file: string): IsingModel {
  const lines = text.split(/\r?\n/);
  const banner = lines[0].trim().split(/\s+/).map((s) => s.toLowerCase());
  if (banner[1] !== "matrix" || banner[2] !== "coordinate") throw new InputError(file, "line 1", `must be a "%%MatrixMarket matrix coordinate ..." banner (dense array files are not read), got ${JSON.stringify(lines[0].slice(0, 80))}`);
  const field = banner[3];
  const symmetry = banner[4];
  if (!["real", "integer", "pattern"].includes(field)) throw new InputError(file, "line 1", `field ${field} is not read (real, integer or pattern)`);
  if (symmetry !== "symmetric" && symmetry !== "general") throw new InputError(file, "line 1", `symmetry ${symmetry} is not read (symmetric or general)`);
  let q = 1;
  while (q < lines.length && (lines[q].startsWith("%") || lines[q].trim() === "")) q++;
  const size = (lines[q] ?? "").trim().split(/\s+/).map(integer);
  const [rows, cols, nnz] = size;
  if (size.length !== 3 || !Number.isInteger(rows) || rows !== cols || rows < 1 || !Number.isInteger(nnz)) {
    throw new InputError(file, `line ${q + 1}`, `must be "n n entries" for a square matrix, got ${JSON.stringify((lines[q] ?? "").slice(0, 60))}`);
  }
  const n = rows;
  const big = n * n >= 2 ** 53;
  const keyOf = (i: number, j: number): number | string => (big ? `${i},${j}` : i * n + j);
  const pairOf = (k: number | string): [number, number] => (typeof k === "string" ? (k.split(",").map(Number) as [number, number]) : [Math.floor(k / n), k % n]);
  const weight = new Map<number | string, number>();
  const lineOf = new Map<number | string, number>();
  let count = 0;
  for (q++; q < lines.length; q++) {
    const t = lines[q].trim();
    if (t === "" || t.startsWith("%")) continue;
    const parts = t.split(/\s+/);
    const i = integer(parts[0]);
    const j = integer(parts[1] ?? "");
    const w = field === "pattern" ? 1 : field === "integer" ? integer(parts[2] ?? "") : decimal(parts[2] ?? "");
    if (parts.length !== (field === "pattern" ? 2 : 3) || !Number.isInteger(i) || !Number.isInteger(j) || !Number.isFinite(w)) {
      throw new InputError(file, `line ${q + 1}`, `must be "i j${field === "pattern" ? "" : field === "integer" ? " value" + " (a whole number: the file's field is integer)" : " value"}", got ${JSON.stringify(t.slice(0, 60))}`);
    }
    if (i < 1 || i > n || j < 1 || j > n) throw new InputError(file, `line ${q + 1}`, `index out of range 1..${n}`);
    if (i === j) {
      if (w !== 0) throw new InputError(file, `line ${q + 1}`, `is a diagonal entry (${i}, ${i}): a cut graph has no self-loops`);
      count++;
      continue;
    }
    // Exact keys: (i - 1) * n + (j - 1) passes 2^53 for n > 9.5e7, under the 2^27 cap.
    const key = keyOf(i - 1, j - 1);
    if (weight.has(key)) throw new InputError(file, `line ${q + 1}`, `repeats entry (${i}, ${j})`);
    weight.set(key, w);
    lineOf.set(key, q + 1);
    count++;
  }
  if (count !== nnz) throw new InputError(file, "size line", `announces ${nnz} entries but the file has ${count}`);
  const edges: [number, number, number][] = [];
  const where: string[] = [];
  for (const [key, w] of weight) {
    const [i, j] = pairOf(key);
    const mirror = weight.get(keyOf(j, i));
    if (symmetry === "general") {
      if (mirror === undefined || mirror !== w) throw new InputError(file, `line ${lineOf.get(key)}`, `(${i + 1}, ${j + 1}) = ${w} but (${j + 1}, ${i + 1}) = ${mirror ?? "absent"}: an adjacency matrix must be symmetric`);
      if (i > j) continue;
    } else if (mirror !== undefined) {
      throw new InputError(file, `line ${lineOf.get(key)}`, `a symmetric file lists each edge once, but (${i + 1}, ${j + 1}) and (${j + 1}, ${i + 1}) are both present`);
    }
    edges.push([i, j, w]);
    where.push(`line ${lineOf.get(key)}`);
  }
  return maxCutModel(file, n, edges, (k) => where[k], 1, file.split("/").pop());
}
