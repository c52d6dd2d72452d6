/**
 * Chip-in-the-loop training against float training then quantisation, on a
 * 5 x 4 window of the dtm-2025 grid (20 p-bits, 9 visible) at the preset's
 * 8-bit weights and at 4 bits. Data: 1,000 rows drawn exactly from a random
 * "teacher" Boltzmann machine on the same graph, so the best achievable
 * log-likelihood is known. Metric: the mean log-likelihood of the data under
 * the exact visible law of the trained model as quantised onto the chip
 * (what the chip samples, by enumeration), and its TV from the data; mean
 * and spread over 3 training seeds, plus the chip's training energy.
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { chipEdges, exactVisibleQuality, initialModel, sampledVisibleQuality, trainOnChip } from "../src/train/chip.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { exactLaw } from "../src/models/enumerate.js";
import type { IsingModel } from "../src/models/ising.js";
import { PBIT_ACTIONS } from "../src/chips/pbit/actions.js";
import { loadTechTable } from "../src/energy/table.js";
import { price } from "../src/energy/ledger.js";
import { Random } from "../src/util/random.js";

const here = dirname(fileURLToPath(import.meta.url));
const specs = join(here, "..", "..", "benchmarks", "specs");
const load = (f: string) => chipFromDocument(loadChipDocument(f), f) as PbitSpec;

export function run(): void {
  const ideal = load(resolveChipFile("ideal"));
  const visible = Int32Array.from([0, 1, 2, 5, 6, 7, 10, 11, 12]);
  const iterations = Number(process.env.CHIP_TRAIN_ITERATIONS ?? 600);
  console.log(`| chip | trained with | log-likelihood on the chip, exact (nats) | TV from data, exact | TV from data, sampled on the instance | training energy | chip time |`);
  console.log(`|---|---|---|---|---|---|---|`);
  const instanceSeed = 100;
  const evalOpts = { chains: 8, samples: 12500, thin: 5, burnIn: 200, instanceSeed };
  for (const name of ["dtm-window.yaml", "dtm-window-4bit.yaml", "dtm-window-mismatch.yaml"]) {
    const target = load(join(specs, name));
    const t = fixedTopology(target.topology, target.name);
    const { ei, ej } = chipEdges(t);
    const r = new Random(7);
    const teacher: IsingModel = { kind: "ising", n: t.size, h: Float64Array.from({ length: t.size }, () => 0.3 * r.normal()), ei, ej, ew: Float64Array.from(ei, () => 0.8 * r.normal()), beta: 1 };
    const { p } = exactLaw(teacher);
    const cdf = new Float64Array(p.length);
    p.reduce((a, q, i) => (cdf[i] = a + q), 0);
    const rows = 1000;
    const data = new Int8Array(rows * visible.length);
    for (let k = 0; k < rows; k++) {
      const u = r.uniform() * cdf[cdf.length - 1];
      let lo = 0;
      for (let hi = p.length - 1; lo < hi; ) {
        const mid = (lo + hi) >> 1;
        if (cdf[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      visible.forEach((q, j) => (data[k * visible.length + j] = (lo >> q) & 1 ? 1 : -1));
    }
    const best = exactVisibleQuality(teacher, visible, data)!;
    const teacherOnChip = exactVisibleQuality(mapIsing(teacher, "teacher", target, target.schedule).effective(), visible, data)!;
    const teacherSampled = sampledVisibleQuality(target, teacher, visible, data, evalOpts);
    console.log(`| ${target.name} | (the teacher itself, float / on the chip) | ${best.log_likelihood.toFixed(4)} / ${teacherOnChip.log_likelihood.toFixed(4)} | ${best.tv.toFixed(4)} / ${teacherOnChip.tv.toFixed(4)} | ${teacherSampled.tv.toFixed(4)} | | |`);
    for (const [label, sampler] of [["the chip in the loop", target], ["float Gibbs, then quantised", ideal]] as const) {
      const lls: number[] = [];
      const tvs: number[] = [];
      const sampledTvs: number[] = [];
      let joules = 0;
      let seconds = 0;
      for (const seed of [1, 2, 3]) {
        const o = { iterations, batch: 40, chains: 40, lr: 0.2, momentum: 0.5, weightDecay: 1e-4, burnIn: 20, samples: 10, thin: 2, seed, instanceSeed };
        const res = trainOnChip(sampler, visible, data, o, initialModel(t, visible, data, seed));
        const q = exactVisibleQuality(mapIsing(res.model, "trained", target, target.schedule).effective(), visible, data)!;
        lls.push(q.log_likelihood);
        tvs.push(q.tv);
        sampledTvs.push(sampledVisibleQuality(target, res.model, visible, data, evalOpts).tv);
        if (sampler === target) {
          joules += price({ ...res.counts, pbit_seconds: t.size * res.chipSeconds }, PBIT_ACTIONS, loadTechTable(target.energy, target.file)).total / 3;
          seconds += res.chipSeconds / 3;
        }
      }
      const ms = (xs: number[]) => {
        const m = xs.reduce((a, b) => a + b, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
        return `${m.toFixed(4)} +- ${sd.toFixed(4)}`;
      };
      console.log(`| ${target.name} | ${label} | ${ms(lls)} | ${ms(tvs)} | ${ms(sampledTvs)} | ${sampler === target ? `${(joules * 1e9).toPrecision(3)} nJ` : "-"} | ${sampler === target ? `${(seconds * 1e3).toPrecision(3)} ms` : "-"} |`);
    }
  }
}
