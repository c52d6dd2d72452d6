/**
 * Matrix Market coordinate files (real, integer or pattern; symmetric or general) as the
 * weighted adjacency matrix of a Max-Cut graph: entry (i, j, w) is an edge of weight w
 * (pattern: 1). A general matrix must be symmetric; each edge is taken once.
 */
import { InputError } from "../../errors.js";
import { maxCutModel } from "../maxcut.js";
import type { IsingModel } from "../ising.js";

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
  const size = (lines[q] ?? "").trim().split(/\s+/).map(Number);
  const [rows, cols, nnz] = size;
  if (size.length !== 3 || !Number.isInteger(rows) || rows !== cols || rows < 1 || !Number.isInteger(nnz)) {
    throw new InputError(file, `line ${q + 1}`, `must be "n n entries" for a square matrix, got ${JSON.stringify((lines[q] ?? "").slice(0, 60))}`);
  }
  const n = rows;
  const weight = new Map<number, number>();
  const lineOf = new Map<number, number>();
  let count = 0;
  for (q++; q < lines.length; q++) {
    const t = lines[q].trim();
    if (t === "" || t.startsWith("%")) continue;
    const parts = t.split(/\s+/);
    const i = Number(parts[0]);
    const j = Number(parts[1]);
    const w = field === "pattern" ? 1 : Number(parts[2]);
    if (parts.length !== (field === "pattern" ? 2 : 3) || !Number.isInteger(i) || !Number.isInteger(j) || !Number.isFinite(w)) {
      throw new InputError(file, `line ${q + 1}`, `must be "i j${field === "pattern" ? "" : " value"}", got ${JSON.stringify(t.slice(0, 60))}`);
    }
    if (i < 1 || i > n || j < 1 || j > n) throw new InputError(file, `line ${q + 1}`, `index out of range 1..${n}`);
    if (i === j) {
      if (w !== 0) throw new InputError(file, `line ${q + 1}`, `is a diagonal entry (${i}, ${i}): a cut graph has no self-loops`);
      count++;
      continue;
    }
    const key = (i - 1) * n + (j - 1);
    if (weight.has(key)) throw new InputError(file, `line ${q + 1}`, `repeats entry (${i}, ${j})`);
    weight.set(key, w);
    lineOf.set(key, q + 1);
    count++;
  }
  if (count !== nnz) throw new InputError(file, "size line", `announces ${nnz} entries but the file has ${count}`);
  const edges: [number, number, number][] = [];
  const where: string[] = [];
  for (const [key, w] of weight) {
    const i = Math.floor(key / n);
    const j = key % n;
    const mirror = weight.get(j * n + i);
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
