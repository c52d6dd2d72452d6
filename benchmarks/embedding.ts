/**
 * The largest complete graph K_n the embedding search finds on dtm-2025 and
 * z1 (one tile), with chain lengths and search time: n grows from 4 until the
 * search fails (seed 1, default tries and rounds).
 */
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { csrFromEdges } from "../src/chips/graph.js";
import { DEFAULT_EMBED, findEmbedding } from "../src/mapping/embed.js";

function clique(n: number) {
  const ei: number[] = [];
  const ej: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) (ei.push(i), ej.push(j));
  return csrFromEdges(n, Int32Array.from(ei), Int32Array.from(ej));
}

export function run(): void {
  for (const name of (process.env.EMBED_CHIPS ?? "dtm-2025,z1").split(",")) {
    const file = resolveChipFile(name);
    const spec = chipFromDocument(loadChipDocument(file), file);
    if (spec.kind !== "pbit") continue;
    const t = fixedTopology(spec.topology, name);
    let largest = 0;
    for (let n = 4; ; n++) {
      const t0 = performance.now();
      const r = findEmbedding(clique(n), t, { seed: 1, ...DEFAULT_EMBED });
      const s = (performance.now() - t0) / 1000;
      if (!r.chains) {
        console.log(`${name}: K${n} not found in ${s.toFixed(1)} s (${r.tried.at(-1)})`);
        break;
      }
      const len = r.chains.map((c) => c.length);
      console.log(`${name}: K${n} in ${s.toFixed(2)} s, ${len.reduce((a, b) => a + b, 0)} p-bits, chains max ${Math.max(...len)}, mean ${(len.reduce((a, b) => a + b, 0) / n).toFixed(2)}`);
      largest = n;
    }
    console.log(`${name}: largest complete graph found K${largest}`);
  }
}
