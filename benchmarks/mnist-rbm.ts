/**
 * mnist-rbm: generation quality against energy for an RBM trained here on
 * MNIST (784 x 16, PCD), on every p-bit preset that can hold it and on the
 * digital baselines, all from the same random start.
 *
 * Quality is measured against the exact law, not a long run of some sampler:
 * with 16 hidden units the visible marginals E[v_i] and pair moments
 * E[v_i v_j] are sums over the 65,536 hidden states (p(h) ~ exp(c'h) prod_i
 * (1 + exp(b_i + W_i h)); E[v_i | h] = sigmoid(b_i + W_i h)), computed below in
 * float64 with no code from the samplers. The figures: RMS error of the 784
 * pixel means and of 512 fixed pair moments over the second half of each
 * chain's sweeps so far (the first half is burn-in, as compare does), at
 * checkpoints; energy and time to the pixel-error target; the error left at
 * the budget. The pair-moment error shows what a chip's weight rounding does
 * beyond the noise floor.
 *
 * Power: the same ideal sampler on the model with every weight scaled by
 * 0.95 (beta off by 5%) runs beside the others and must not reach the target.
 *
 * The dense RBM needs a p-bit of fan-in 784: no preset has one. The presets
 * say why they cannot hold it; the `pcomputer-wide` variants in
 * benchmarks/specs (the p-computer with a fan-in of 800 and 14-bit biases;
 * with a finer weight step; with 6-bit weights; with pcomputer-dbm-2024's assumed 10-bit biases, which clip the
 * hidden units' Ising biases: all hypothetical) show what such a chip would
 * give and which register width matters. Knobs:
 * MNIST_RBM_CHAINS (32), MNIST_RBM_SWEEPS (2048), MNIST_RBM_EPOCHS (10),
 * MNIST_RBM_TARGET (0.005), MNIST_RBM_EMBED=1 (search embeddings on the grids).
 */
import { join } from "node:path";
import { twinName } from "../src/energy/twin.js";
import { loadMnist } from "../src/train/mnist.js";
import { RbmMachine, type RbmParams } from "../src/train/rbm.js";
import { encodeNpz, type Weights } from "../src/io/weights.js";
import { writeFileSync } from "node:fs";
import { Random } from "../src/util/random.js";
import { chipFromDocument, loadChipDocument, presetNames, resolveChipFile } from "../src/chips/load.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import { checkpoints, prepareSystem, type CompareRequest } from "../src/run/compare.js";
import { parseTarget } from "../src/metrics/target.js";
import { price } from "../src/energy/ledger.js";
import { loadRbm } from "../src/models/rbm.js";
import { pbitCapacity } from "./capacity.js";
import { progress } from "../src/cli/progress.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";

const here = new URL(".", import.meta.url).pathname;
const NH = 16;
const PAIRS = 512;

/** Exact visible means and pair moments of an RBM by summing over every hidden state. */
export function exactMoments(p: RbmParams, pairs: Int32Array): { mean: Float64Array; pair: Float64Array } {
  const { nv, nh, W, b, c } = p;
  const states = 2 ** nh;
  const act = new Float64Array(nv);
  // Hidden states in Gray-code order: one unit flips per step, so the
  // visible fields move by one column of W (nv additions, not nv * nh).
  const walk = (visit: (h: number, hidden: number) => void) => {
    act.set(b);
    let h = 0;
    let hidden = 0;
    for (let k = 0; k < states; k++) {
      if (k > 0) {
        const j = 31 - Math.clz32(k & -k);
        const on = (h >> j) & 1 ? -1 : 1;
        h ^= 1 << j;
        hidden += on * c[j];
        for (let i = 0; i < nv; i++) act[i] += on * W[i * nh + j];
      }
      visit(h, hidden);
    }
  };
  // log p~(h) = c'h + sum_i softplus(b_i + W_i h).
  const logw = new Float64Array(states);
  walk((h, hidden) => {
    let s = hidden;
    for (let i = 0; i < nv; i++) s += act[i] > 0 ? act[i] + Math.log1p(Math.exp(-act[i])) : Math.log1p(Math.exp(act[i]));
    logw[h] = s;
  });
  const top = logw.reduce((a, v) => Math.max(a, v), -Infinity);
  let z = 0;
  for (let h = 0; h < states; h++) z += Math.exp(logw[h] - top);
  const mean = new Float64Array(nv);
  const pair = new Float64Array(pairs.length / 2);
  const sig = new Float64Array(nv);
  walk((h) => {
    const w = Math.exp(logw[h] - top) / z;
    for (let i = 0; i < nv; i++) {
      sig[i] = 1 / (1 + Math.exp(-act[i]));
      mean[i] += w * sig[i];
    }
    // Given h the visible units are independent: E[v_i v_j | h] = sig_i sig_j.
    for (let q = 0; q < pair.length; q++) pair[q] += w * sig[pairs[2 * q]] * sig[pairs[2 * q + 1]];
  });
  return { mean, pair };
}

function train(epochs: number): RbmParams {
  const m = loadMnist("sample");
  const rbm = new RbmMachine(784, NH, 100);
  rbm.init(m.train, 1);
  rbm.startChains(m.train, 100, 1);
  for (let e = 0; e < epochs; e++) {
    rbm.epoch(m.train, { method: "pcd", k: 1, batch: 100, lr: (q) => 0.05 * (1 - q / epochs), momentum: (q) => (q < 5 ? 0.5 : 0.9), weightDecay: 2e-4 }, e);
  }
  return rbm.params();
}

function saveRbm(file: string, p: RbmParams, scale = 1): void {
  const w: Weights = new Map([
    ["W", { shape: [p.nv, p.nh], data: p.W.map((x) => scale * x) }],
    ["b", { shape: [p.nv], data: p.b.map((x) => scale * x) }],
    ["c", { shape: [p.nh], data: p.c.map((x) => scale * x) }],
  ]);
  writeFileSync(file, encodeNpz(w, true));
}

interface Curve { sweeps: number; pixel: number; pair: number }

/**
 * Run one system's chains for the whole budget; per checkpoint s, the errors
 * over sweeps [s/2, s) of every chain. Sums are kept per stretch between
 * consecutive boundaries (every s and s/2), so no sample is stored.
 */
function measure(job: ReturnType<typeof prepareSystem>["job"], chains: number, sweeps: number, marks: number[], pairs: Int32Array, exact: { mean: Float64Array; pair: Float64Array }) {
  const nv = exact.mean.length;
  const bounds = [...new Set([0, ...marks, ...marks.map((s) => Math.floor(s / 2))])].sort((a, b) => a - b);
  const stretchOf = new Int32Array(sweeps);
  for (let k = 0; k + 1 < bounds.length; k++) stretchOf.fill(k, bounds[k], bounds[k + 1]);
  const sums = bounds.map(() => ({ on: new Float64Array(nv), pair: new Float64Array(PAIRS) }));
  const n = job.model.n;
  const run = job.runChains(0, chains, (_chain, first, count, block) => {
    for (let r = 0; r < count; r++) {
      const s = sums[stretchOf[first + r]];
      const o = r * n;
      for (let i = 0; i < nv; i++) if (block[o + i] > 0) s.on[i]++;
      for (let q = 0; q < PAIRS; q++) if (block[o + pairs[2 * q]] > 0 && block[o + pairs[2 * q + 1]] > 0) s.pair[q]++;
    }
  });
  const curve: Curve[] = marks.map((s) => {
    const lo = bounds.indexOf(Math.floor(s / 2));
    const hi = bounds.indexOf(s);
    const rows = chains * (s - Math.floor(s / 2));
    const on = new Float64Array(nv);
    const pr = new Float64Array(PAIRS);
    for (let k = lo; k < hi; k++) {
      for (let i = 0; i < nv; i++) on[i] += sums[k].on[i];
      for (let q = 0; q < PAIRS; q++) pr[q] += sums[k].pair[q];
    }
    const rms = (a: Float64Array, ref: Float64Array) => Math.sqrt(a.reduce((acc, v, i) => acc + (v / rows - ref[i]) ** 2, 0) / a.length);
    return { sweeps: s, pixel: rms(on, exact.mean), pair: rms(pr, exact.pair) };
  });
  const actions: Record<string, number> = { ...run.counts };
  Object.assign(actions, job.derived(actions));
  for (const [key, units] of Object.entries(job.perSecond)) actions[key] = units * run.chipSeconds;
  return { curve, actions, chipSeconds: run.chipSeconds, updates: run.updates };
}

export async function run(): Promise<void> {
  const chains = Number(process.env.MNIST_RBM_CHAINS ?? 32);
  const sweeps = Number(process.env.MNIST_RBM_SWEEPS ?? 2048);
  const epochs = Number(process.env.MNIST_RBM_EPOCHS ?? 10);
  const target = Number(process.env.MNIST_RBM_TARGET ?? 0.005);
  const out = new BenchOutput("mnist-rbm");
  try {
    const t0 = performance.now();
    const p = train(epochs);
    const trainSeconds = (performance.now() - t0) / 1000;
    const models = out.sub("model");
    const file = models.path("mnist-rbm-784x16.npz");
    const wrong = models.path("mnist-rbm-784x16-beta0.95.npz");
    saveRbm(file, p);
    saveRbm(wrong, p, 0.95);
    const r = new Random(7, 0x70616972);
    const pairs = new Int32Array(2 * PAIRS);
    for (let q = 0; q < PAIRS; q++) {
      const i = r.below(784);
      let j = r.below(783);
      if (j >= i) j++;
      [pairs[2 * q], pairs[2 * q + 1]] = [i, j];
    }
    const t1 = performance.now();
    const exact = exactMoments(p, pairs);
    const exactSeconds = (performance.now() - t1) / 1000;
    const marks = checkpoints(sweeps);
    const model = loadRbm(file);
    const specs = join(here, "..", "..", "benchmarks", "specs");
    const chips = [
      ...presetNames().filter((c) => {
        const f = resolveChipFile(c);
        return chipFromDocument(loadChipDocument(f), f).kind === "pbit";
      }),
      join(specs, "pcomputer-wide.yaml"), join(specs, "pcomputer-wide-fine.yaml"), join(specs, "pcomputer-wide-6bit.yaml"), join(specs, "pcomputer-wide-10bit-bias.yaml"),
    ];
    const systems: { label: string; sys: { chip: string } | { baseline: string }; modelFile: string }[] = [];
    const capacity: { chip: string; reason: string }[] = [];
    for (const chip of chips) {
      const f = resolveChipFile(chip);
      const reason = pbitCapacity(model, file, chipFromDocument(loadChipDocument(f), f) as PbitSpec, "MNIST_RBM_EMBED");
      const label = chip.replace(/^.*\//, "").replace(/\.yaml$/, "");
      if (reason) capacity.push({ chip: label, reason });
      else systems.push({ label, sys: { chip }, modelFile: file });
    }
    for (const b of ["gibbs", "chromatic-gibbs", "metropolis"]) systems.push({ label: b, sys: { baseline: b }, modelFile: file });
    systems.push({ label: "power: ideal, weights x 0.95", sys: { chip: "ideal" }, modelFile: wrong });
    const rows: Row[] = [];
    const curves: Row[] = [];
    const pick = (c: Curve[]) => c.find((q) => q.pixel <= target);
    const bar = progress("mnist-rbm", systems.length, "systems");
    for (const [done, s] of systems.entries()) {
      bar.update(done);
      const req: CompareRequest = { modelFile: s.modelFile, chips: [], baselines: [], target: parseTarget("ess>=1"), repeats: 1, chains, maxSweeps: sweeps, seed: 1 };
      const { job, table } = prepareSystem(req, s.sys);
      const w0 = performance.now();
      const m = measure(job, chains, sweeps, marks, pairs, exact);
      const wall = (performance.now() - w0) / 1000;
      const hit = pick(m.curve);
      const last = m.curve[m.curve.length - 1];
      const costs: { system?: string; kind?: "baseline"; energy_model: string; total: number; oneOff: number; seconds: number | null; basis?: string }[] = [];
      if (job.system.kind === "chip") {
        const e = price(m.actions, job.actions, table);
        costs.push({ energy_model: table.name, total: e.total, oneOff: job.once.reduce((a, k) => a + (e.by_action[k] ?? 0), 0), seconds: m.chipSeconds });
        // The chip's own algorithm as a digital integer ASIC: the like-for-like digital row.
        const tw = s.label.startsWith("power") ? undefined : job.twin?.(m.actions, m.updates);
        if (tw) costs.push({ system: `${twinName(job.schedule ?? "chromatic")} (${s.label}'s integer twin)`, kind: "baseline", energy_model: tw.energy_model, total: tw.energy_J, oneOff: 0, seconds: null, basis: tw.basis });
      } else {
        for (const pl of job.platforms!(m.actions, m.chipSeconds)) costs.push({ energy_model: pl.energy_model, total: pl.energy_J, oneOff: 0, seconds: Number.isFinite(pl.seconds) ? pl.seconds : null, basis: pl.basis });
      }
      for (const c of costs) {
        const at = (sw: number) => c.oneOff + (c.total - c.oneOff) * (sw / sweeps);
        const ideal = c.total === 0;
        rows.push({
          system: c.system ?? s.label, kind: c.kind ?? job.system.kind, energy_model: c.energy_model,
          pixel_rms_error_at_budget: last.pixel, pair_rms_error_at_budget: last.pair,
          reached: hit !== undefined, sweeps_to_target: hit?.sweeps ?? null,
          energy_to_target_J: hit && !ideal ? at(hit.sweeps) : null,
          time_to_target_s: hit && c.seconds !== null ? c.seconds * (hit.sweeps / sweeps) : null,
          energy_run_J: ideal ? null : c.total, wall_seconds: wall, basis: c.basis ?? null,
        });
        for (const q of m.curve) curves.push({ system: c.system ?? s.label, energy_model: c.energy_model, sweeps: q.sweeps, energy_J: ideal ? null : at(q.sweeps), pixel_rms_error: q.pixel, pair_rms_error: q.pair });
      }
    }
    bar.stop();
    // The noise floor: the pixel error exact independent draws would show at the budget.
    const draws = chains * (sweeps - Math.floor(sweeps / 2));
    const floor = Math.sqrt(exact.mean.reduce((a, v) => a + v * (1 - v), 0) / 784 / draws);
    const chipsRun = rows.filter((x) => x.kind === "chip" && !String(x.system).startsWith("power") && x.energy_to_target_J !== null).sort((a, b) => (a.energy_to_target_J as number) - (b.energy_to_target_J as number));
    const digital = rows.filter((x) => x.kind === "baseline" && x.energy_to_target_J !== null).sort((a, b) => (a.energy_to_target_J as number) - (b.energy_to_target_J as number));
    const power = rows.find((x) => String(x.system).startsWith("power"))!;
    const g = (x: unknown) => (typeof x === "number" ? x.toExponential(2) : "-");
    const verdict = [
      `RBM 784 x ${NH} trained here (PCD-1, ${epochs} epochs, ${trainSeconds.toFixed(1)} s); exact moments by summing over the ${2 ** NH} hidden states (${exactSeconds.toFixed(1)} s). ${chains} chains x ${sweeps} sweeps from a random start per system; errors over the second half of the sweeps so far. Target: pixel-mean RMS error <= ${target}; exact independent draws of the whole budget would show ~${floor.toExponential(2)}.`,
      "",
      ...(chipsRun[0] && digital[0] ? [`- Cheapest chip to the target: **${chipsRun[0].system}** ${g(chipsRun[0].energy_to_target_J)} J; cheapest digital: ${digital[0].system} on ${digital[0].energy_model} ${g(digital[0].energy_to_target_J)} J -- ${((digital[0].energy_to_target_J as number) / (chipsRun[0].energy_to_target_J as number)).toPrecision(3)}x the chip's.`] : ["- No chip that can hold the model reached the target."]),
      ...(() => {
        const own = chipsRun[0] && rows.find((x) => x.system === `chromatic-gibbs-int (${chipsRun[0].system}'s integer twin)` && x.energy_to_target_J !== null);
        const fp = digital.find((x) => x.energy_model === "asic-45nm");
        return own ? [`- Like for like: ${chipsRun[0].system}'s own integer algorithm as a 45 nm digital ASIC (its integer twin) needs ${g(own.energy_to_target_J)} J, ${((own.energy_to_target_J as number) / (chipsRun[0].energy_to_target_J as number)).toPrecision(3)}x the chip's -- the chip is that digital design, priced from the same Horowitz figures (its table leaves out the twin's random-word and table-read costs)${fp ? `; the fp32 ASIC (${fp.system}) needs ${g(fp.energy_to_target_J)} J` : ""}.`] : [];
      })(),
      `- Pair-moment RMS error at the budget: ${rows.filter((x) => x.energy_model === x.system || x.kind === "chip" || x.energy_model === "cpu").map((x) => `${x.system} ${g(x.pair_rms_error_at_budget)}`).join(", ")}.`,
      `- Power: the ideal sampler on the weights x 0.95 (beta off by 5%) ends at pixel error ${g(power.pixel_rms_error_at_budget)}, pair error ${g(power.pair_rms_error_at_budget)}: ${power.reached ? "it REACHED the target -- the test has no power here" : "it does not reach the target"}.`,
      `- Presets that cannot hold the model: ${capacity.map((c) => `**${c.chip}**: ${c.reason}`).join("; ")}.`,
      "",
      ...markdownTable(rows.map((x) => ({ ...x, pixel: g(x.pixel_rms_error_at_budget), pair: g(x.pair_rms_error_at_budget), E: g(x.energy_to_target_J), T: g(x.time_to_target_s) })), ["system", "energy_model", "pixel", "pair", "sweeps_to_target", "E", "T"]).map((l, k) => (k === 0 ? l.replace("| pixel | pair |", "| pixel RMS error | pair RMS error |").replace("| E | T |", "| energy to target (J) | time to target (s) |") : l)),
    ];
    out.dest.write("curves.json", JSON.stringify({ rows: curves }) + "\n");
    out.finish(rows, verdict, { target: `pixel_rms_error<=${target}`, chains, sweeps, noise_floor_pixel: floor, capacity, definitions: {
      pixel_rms_error: "RMS over the 784 pixels of (mean of v_i over the second half of every chain's sweeps so far - exact E[v_i])",
      pair_rms_error: `the same for ${PAIRS} fixed random pixel pairs' E[v_i v_j]`,
      energy_to_target_J: "one-off costs + the run's energy x (sweeps to the first checkpoint meeting the target / sweeps run)",
    } });
    if (power.reached) throw new Error("mnist-rbm: the power check failed: the wrong sampler reached the target");
  } finally {
    out.discard();
  }
}
