/**
 * G-set / rudy edge lists (Max-Cut benchmarks): a first line "n m", then m lines "i j w" with
 * 1-based vertex numbers. Read as a Max-Cut model.
 */
import { InputError } from "../../errors.js";
import { maxCutModel } from "../maxcut.js";
import type { IsingModel } from "../ising.js";
import { decimal, integer } from "./numbers.js";

/** A first line of two whole numbers (possibly signed, possibly followed by more): a G-set file, or a broken one to say why. */
export const looksLikeRudy = (text: string) => /^\s*[+-]?\d+\s+[+-]?\d+(\s|$)/.test(text);

export function rudyModel(text: string, file: string): IsingModel {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const head = lines[0].split(/\s+/).map(integer);
  const [n, m] = head;
  if (head.length !== 2 || !Number.isInteger(n) || n < 1 || !Number.isInteger(m) || m < 0) throw new InputError(file, "line 1", `must be "n m" (vertices >= 1, edges >= 0; a G-set file has no comments), got ${JSON.stringify(lines[0])}`);
  const edges: [number, number, number][] = [];
  const lineOf: number[] = [];
  for (let q = 1; q < lines.length; q++) {
    if (lines[q] === "") continue;
    const parts = lines[q].split(/\s+/);
    const [i, j, w] = [integer(parts[0]), integer(parts[1]), decimal(parts[2] ?? "")];
    if (parts.length !== 3 || !Number.isInteger(i) || !Number.isInteger(j) || !Number.isFinite(w)) {
      throw new InputError(file, `line ${q + 1}`, `must be "i j w" (1-based vertices, a finite weight), got ${JSON.stringify(lines[q].slice(0, 60))}`);
    }
    if (i < 1 || i > n || j < 1 || j > n) throw new InputError(file, `line ${q + 1}`, `vertex ${i < 1 || i > n ? i : j} is out of range 1..${n}`);
    edges.push([i - 1, j - 1, w]);
    lineOf.push(q + 1);
  }
  if (edges.length !== m) throw new InputError(file, "line 1", `announces ${m} edges but the file has ${edges.length}`);
  return maxCutModel(file, n, edges, (k) => `line ${lineOf[k]}`, 1, file.split("/").pop());
}
