/**
 * Digital baselines beside the p-bit kernel on the same model, in the same
 * run: the 70x70 G12 model (as pbit-throughput) sampled by each spin
 * baseline and by the dtm-2025 kernel, single thread. Runs are interleaved
 * (p-bit, every baseline, again, 5 rounds) and each system's best round is
 * kept, so a noisy neighbour on the machine hits all systems alike.
 * Issue 7's target: systematic Gibbs >= 0.5x the p-bit kernel.
 *
 *   npm run bench -- baselines
 */
import { fixedTopology } from "../src/chips/topology/index.js";
import { randomOnTopology } from "../src/models/generate.js";
import { defaultAnneal, defaultLadder, mapSpinBaseline, runSpinBaseline, SPIN_ALGORITHMS, type SpinAlgorithm } from "../src/baselines/spin.js";
import { measure } from "./pbit-throughput.js";
import { loadChip } from "../src/chips/load.js";

export function run(): void {
  const spec = loadChip("dtm-2025");
  if (spec.kind !== "pbit") throw new Error("dtm-2025 is a p-bit chip");
  const model = randomOnTopology(fixedTopology(spec.topology, spec.name), { jStd: Math.sqrt(1 / 12), hStd: 0.1, beta: 1, seed: 7 });
  const sweeps = 400;
  const mp = mapSpinBaseline(model);
  const algos = Object.keys(SPIN_ALGORITHMS) as SpinAlgorithm[];
  // sa and pt with their default schedules (pt's updates count every replica).
  const extra = { anneal: defaultAnneal(model), tempering: defaultLadder(model) };
  const best: Record<string, number> = {};
  const keep = (name: string, v: number) => (best[name] = Math.max(best[name] ?? 0, v));
  for (const algo of algos) runSpinBaseline(mp, algo, { chains: 1, samples: 0, burnIn: sweeps / 10, thin: 1, seed: 1, ...extra });
  for (let round = 0; round < 5; round++) {
    keep("pbit", measure("dtm-2025", "chromatic", sweeps).updates_per_ns);
    for (const algo of algos) {
      const r = runSpinBaseline(mp, algo, { chains: 1, samples: 0, burnIn: sweeps, thin: 1, seed: 2 + round, ...extra });
      keep(algo, r.updates / r.wallSeconds / 1e9);
    }
  }
  console.log(JSON.stringify({ system: "pbit dtm-2025 (chromatic, fixed point)", updates_per_ns: best.pbit }));
  for (const algo of algos) console.log(JSON.stringify({ system: `baseline ${algo}`, updates_per_ns: best[algo], ratio_to_pbit: best[algo] / best.pbit }));
}
