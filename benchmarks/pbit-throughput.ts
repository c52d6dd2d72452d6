/**
 * p-bit kernel throughput: single thread, full action counting, chromatic
 * schedule, the 70x70 G12 model (J ~ N(0,1/12), h ~ N(0,0.01)) on the
 * dtm-2025 chip with its ideal RNG. Also the async schedule's rate, and the
 * other presets for reference. Prints one JSON line per case.
 *
 *   npm run bench -- pbit-throughput
 */
import { fixedTopology } from "../src/chips/topology/index.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { randomOnTopology } from "../src/models/generate.js";
import { mergeSpec } from "../src/spec/merge.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import type { Schedule } from "../src/chips/pbit/spec.js";

function chipWith(name: string, over: Record<string, unknown> = {}) {
  const file = resolveChipFile(name);
  const spec = chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
  if (spec.kind !== "pbit") throw new Error(`${name} is not a p-bit chip`);
  return spec;
}

export function measure(chip: string, schedule: Schedule, sweeps: number, over: Record<string, unknown> = {}) {
  const spec = chipWith(chip, over);
  const topo = fixedTopology(spec.topology, spec.name);
  const model = randomOnTopology(topo, { jStd: Math.sqrt(1 / 12), hStd: 0.1, beta: 1, seed: 7 });
  const mapping = mapIsing(model, "bench", spec, schedule);
  // Warm-up run lets V8 tier the kernel up before timing.
  runPbit(spec, mapping, { chains: 1, samples: 0, burnIn: Math.max(1, sweeps / 10), thin: 1, seed: 1, schedule });
  const best = [0, 1, 2].map(() => {
    const r = runPbit(spec, mapping, { chains: 1, samples: 0, burnIn: sweeps, thin: 1, seed: 2, schedule });
    return r.updates / r.wallSeconds / 1e9;
  });
  return { chip, schedule, n: model.n, couplings: model.ei.length, sweeps, updates_per_ns: Math.max(...best), runs: best };
}

export function run(): void {
  const cases: [string, Schedule, number, Record<string, unknown>?][] = [
    ["dtm-2025", "chromatic", 8000],
    ["dtm-2025", "synchronous", 4000],
    ["smtj", "async", 200, { topology: { impl: "offset-grid", width: 70, height: 70, wrap: true, offsets: "G12" }, colouring: "natural" }],
    ["dtm-2025", "async", 1000, { async: { mean_flip_time: "100 ns", synapse_delay: "1 ns" } }],
    ["ideal", "chromatic", 1000, { topology: { impl: "offset-grid", width: 70, height: 70, wrap: true, offsets: "G12" }, colouring: "natural" }],
  ];
  for (const [chip, schedule, sweeps, over] of cases) console.log(JSON.stringify(measure(chip, schedule, sweeps, over)));
}
