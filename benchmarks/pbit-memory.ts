/**
 * Peak memory for a 1,000,000-p-bit chip: a 1000x1000 G12 torus (the
 * dtm-2025 design scaled up) holding a random model on every edge (6M
 * couplings), mapped, programmed and run for a few sweeps with samples
 * recorded. Reports the process's peak resident set and the kernel's linear
 * memory (the chip model itself). Run in its own process:
 * `node dist/benchmarks/run.js pbit-memory`.
 */
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { mergeSpec } from "../src/spec/merge.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { randomOnTopology } from "../src/models/generate.js";

export function run(): void {
  const file = resolveChipFile("dtm-2025");
  const spec = chipFromDocument(mergeSpec(loadChipDocument(file), { name: "dtm-1M", topology: { width: 1000, height: 1000 } }), file);
  if (spec.kind !== "pbit") throw new Error("dtm-2025 is not a p-bit chip");
  const rss = () => process.memoryUsage().rss / 2 ** 20;
  const base = rss();
  const model = randomOnTopology(fixedTopology(spec.topology, spec.name), { jStd: Math.sqrt(1 / 12), hStd: 0.1, beta: 1, seed: 1 });
  const afterModel = rss();
  const mapping = mapIsing(model, "bench", spec, "chromatic");
  const t0 = performance.now();
  const r = runPbit(spec, mapping, { chains: 1, samples: 4, burnIn: 6, thin: 1, seed: 1, schedule: "chromatic" });
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({
    pbits: model.n,
    couplings: model.ei.length,
    evaluator: mapping.evaluator,
    rss_start_MiB: Math.round(base),
    rss_after_model_MiB: Math.round(afterModel),
    peak_rss_MiB: Math.round(process.resourceUsage().maxRSS / 1024),
    kernel_memory_MiB: Math.round(r.kernelBytes / 2 ** 20),
    updates_per_ns: r.updates / r.wallSeconds / 1e9,
    seconds_incl_programming: seconds,
  }));
}
