/**
 * Analog Langevin kernel throughput, single thread, node-steps per second:
 * - dense: a random SPD model with 64 variables on rc-langevin, exact OU
 *   (one dense step per read-out);
 * - sparse: a 64x64 grid model (4,096 variables, A = 4.5 I - grid adjacency)
 *   on rc-langevin, Euler-Maruyama with its automatic step.
 */
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { mergeSpec } from "../src/spec/merge.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { runLangevin } from "../src/chips/langevin/driver.js";
import { gaussianFromJson, type GaussianModel } from "../src/models/gaussian.js";
import { Random } from "../src/util/random.js";

function spec(over: Record<string, unknown>) {
  const file = resolveChipFile("rc-langevin");
  const s = chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
  if (s.kind !== "langevin") throw new Error("rc-langevin is not a Langevin chip");
  return s;
}

function denseModel(n: number, seed: number): GaussianModel {
  // A = B B^T / n + I: well conditioned, dense.
  const rng = new Random(seed);
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const A = B.map((bi, i) => B.map((bj, j) => bi.reduce((a, v, k) => a + v * bj[k], 0) / n + (i === j ? 1 : 0)));
  return gaussianFromJson({ kind: "gaussian", A, b: Array.from({ length: n }, () => rng.normal()) }, "bench");
}

function gridModel(side: number): GaussianModel {
  const n = side * side;
  const entries: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    entries.push([i, i, 4.5]);
    const x = i % side;
    if (x + 1 < side) entries.push([i, i + 1, -1]);
    if (i + side < n) entries.push([i, i + side, -1]);
  }
  return gaussianFromJson({ kind: "gaussian", A: { n, entries }, b: new Array(n).fill(0.1) }, "bench");
}

function measure(label: string, model: GaussianModel, over: Record<string, unknown>, samples: number) {
  const s = spec(over);
  const mapping = mapGaussian(model, "bench", s, 1);
  runLangevin(s, mapping, { chains: 1, samples: Math.ceil(samples / 10), burnIn: 0, thin: 1, seed: 1 }); // warm-up
  const runs = [0, 1, 2].map(() => {
    const r = runLangevin(s, mapping, { chains: 1, samples, burnIn: 0, thin: 1, seed: 2 });
    return (r.diagnostics.integrator_steps * model.n) / r.wallSeconds;
  });
  return { case: label, n: model.n, integrator: mapping.integrator, steps_per_readout: mapping.stepsPerSweep, node_steps_per_s: Math.max(...runs), runs };
}

export function run(): void {
  console.log(JSON.stringify(measure("dense exact-OU", denseModel(64, 3), { readout: { interval: "100 ns" } }, 200_000)));
  console.log(JSON.stringify(measure("sparse Euler-Maruyama", gridModel(64), { integrator: { impl: "euler-maruyama" }, readout: { interval: "5 ns" } }, 300)));
}
