/**
 * `thermosim train chip --chip SPEC --data FILE.npy --visible P,P,...`:
 * chip-in-the-loop training of a Boltzmann machine on the chip's own graph
 * (see src/train/chip.ts); `--sampler float` trains the same graph with exact
 * float Gibbs instead (the float-trained baseline, to be mapped afterwards).
 * Writes model.json (the trained Ising model on the chip's p-bits) and
 * train.json (settings, progress, the chip's training energy and time, and
 * the quality of what the chip samples of the result).
 */
import type { Command } from "commander";
import { progress } from "./progress.js";
import { OutputFolder } from "../io/output.js";
import { finiteJson } from "../report/json.js";
import { InputError } from "../errors.js";
import { readBinaryNpy } from "../io/binary-data.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../chips/load.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import { fixedTopology } from "../chips/topology/index.js";
import { mapIsing } from "../mapping/pbit.js";
import { exactVisibleQuality, initialModel, sampledVisibleQuality, trainOnChip } from "../train/chip.js";
import { writeIsingJson } from "../models/ising.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { loadTechTable } from "../energy/table.js";
import { price } from "../energy/ledger.js";
import { oneOf, positiveNumber, wholeNumber } from "./args.js";

interface Flags {
  chip: string; data: string; visible: string; sampler: "chip" | "float"; iterations: number; batch: number; chains: number;
  lr: number; momentum: number; weightDecay: number; burnIn: number; samples: number; thin: number; seed: number; instanceSeed?: number; out: string; json?: boolean;
}

const fraction = (flag: string) => (t: string) => {
  const v = Number(t);
  if (!(v >= 0 && v < 1)) throw new InputError(flag, undefined, `must be a number in [0, 1), got ${JSON.stringify(t)}`);
  return v;
};

export function registerTrainChip(train: Command): void {
  train
    .command("chip")
    .description("train a Boltzmann machine on a p-bit chip's own graph with the chip model sampling both phases (chip in the loop), or with exact float Gibbs (--sampler float)")
    .requiredOption("--chip <chip>", "p-bit chip preset or spec file with a fixed topology (its edges are the model's couplings)")
    .requiredOption("--data <file>", "training data: .npy of 0/1 values [rows, visible]")
    .requiredOption("--visible <list>", "comma-separated p-bits that hold the data columns (the rest are hidden)")
    .option("--sampler <s>", "chip (its quantisation, random source and schedule in the loop) or float (exact float Gibbs on the same graph)", oneOf("--sampler", ["chip", "float"] as const), "chip")
    .option("--iterations <n>", "gradient steps", wholeNumber("--iterations", 1, 1e7), 300)
    .option("--batch <b>", "data rows per step (one clamped chain each)", wholeNumber("--batch", 1, 1e6), 20)
    .option("--chains <c>", "free-running chains per step", wholeNumber("--chains", 1, 1e6), 20)
    .option("--lr <r>", "learning rate at the first step (decays linearly to 0)", positiveNumber("--lr"), 0.1)
    .option("--momentum <m>", "momentum", fraction("--momentum"), 0.5)
    .option("--weight-decay <d>", "L2 decay on the couplings", fraction("--weight-decay"), 1e-4)
    .option("--burn-in <b>", "sweeps before a chain's first sample", wholeNumber("--burn-in", 0, 1e9), 20)
    .option("--samples <s>", "samples per chain per phase", wholeNumber("--samples", 1, 1e9), 10)
    .option("--thin <t>", "sweeps between samples", wholeNumber("--thin", 1, 1e9), 2)
    .option("--seed <s>", "random seed (initial weights, batches, chains)", wholeNumber("--seed", 0), 1)
    .option("--instance-seed <s>", "the chip instance (its device mismatch) trained on and evaluated on; default: --seed", wholeNumber("--instance-seed", 0))
    .requiredOption("--out <dir>", "result folder")
    .option("--json", "print train.json to stdout")
    .action((f: Flags) => {
      const folder = new OutputFolder(f.out);
      try {
        const file = resolveChipFile(f.chip);
        const target = chipFromDocument(loadChipDocument(file), file);
        if (target.kind !== "pbit") throw new InputError("--chip", undefined, `${target.name} is an analog chip; chip-in-the-loop training is for p-bit chips`);
        if (target.topology.impl === "model" || target.topology.impl === "programmable") {
          throw new InputError("--chip", undefined, `${target.name} takes the model's graph; train on a chip with a topology of its own (e.g. dtm-2025, z1, or a spec with an offset-grid topology)`);
        }
        const topology = fixedTopology(target.topology, target.name);
        const visible = Int32Array.from(f.visible.split(",").map((t, k) => {
          const v = Number(t.trim());
          if (!Number.isInteger(v) || v < 0 || v >= topology.size) throw new InputError("--visible", undefined, `entry ${k} is ${JSON.stringify(t)}; p-bits are 0 .. ${topology.size - 1} on ${target.name}`);
          return v;
        }));
        if (new Set(visible).size !== visible.length) throw new InputError("--visible", undefined, "names a p-bit twice");
        const d = readBinaryNpy(f.data, "--data");
        if (d.nv !== visible.length) throw new InputError(f.data, undefined, `has ${d.nv} columns but --visible names ${visible.length} p-bits`);
        if (d.rows === 0) throw new InputError(f.data, undefined, "has no rows");
        const data = Int8Array.from(d.x, (x) => (x ? 1 : -1));
        // The float sampler: the ideal chip (exact logistic, float64) on the same graph.
        const idealFile = resolveChipFile("ideal");
        const sampler: PbitSpec = f.sampler === "chip" ? target : (chipFromDocument(loadChipDocument(idealFile), idealFile) as PbitSpec);
        const instanceSeed = f.instanceSeed ?? f.seed;
        const t0 = performance.now();
        const start = initialModel(topology, visible, data, f.seed);
        const bar = progress("training", f.iterations, "steps", f.json);
        const r = trainOnChip(sampler, visible, data, {
          iterations: f.iterations, batch: f.batch, chains: f.chains, lr: f.lr, momentum: f.momentum, weightDecay: f.weightDecay,
          burnIn: f.burnIn, samples: f.samples, thin: f.thin, seed: f.seed, instanceSeed, onStep: (d) => bar.update(d),
        }, start);
        bar.stop();
        for (const v of [...r.model.ew, ...r.model.h]) if (!Number.isFinite(v)) throw new InputError("--lr", undefined, "training diverged (a weight is no longer finite); lower the learning rate");
        const mapped = mapIsing(r.model, "model.json", target, target.schedule);
        const quality = exactVisibleQuality(mapped.effective(), visible, data);
        const sampled = visible.length <= 16 ? sampledVisibleQuality(target, r.model, visible, data, { chains: 8, samples: 5000, thin: 5, burnIn: 200, instanceSeed }) : undefined;
        const table = loadTechTable(sampler.energy, sampler.file);
        const energy = price({ ...r.counts, pbit_seconds: topology.size * r.chipSeconds }, PBIT_ACTIONS, table);
        const doc = {
          command: "train chip", chip: target.name, chip_file: file, sampler: f.sampler === "chip" ? `${target.name} (chip in the loop)` : "float64 exact Gibbs (ideal) on the same graph",
          seed: f.seed, model: { file: "model.json", pbits: topology.size, couplings: r.model.ei.length, visible: Array.from(visible) },
          data: { file: f.data, rows: d.rows },
          training: { iterations: f.iterations, batch: f.batch, chains: f.chains, lr: f.lr, momentum: f.momentum, weight_decay: f.weightDecay, burn_in: f.burnIn, samples: f.samples, thin: f.thin },
          training_cost: { updates: r.updates, energy_J: energy.total, by_action: energy.by_action, chip_seconds: r.chipSeconds, table: table.name, actions: r.counts },
          history: r.history.filter((_, k) => (k + 1) % Math.max(1, Math.floor(f.iterations / 50)) === 0 || k === r.history.length - 1),
          on_chip: {
            chip: target.name, instance_seed: instanceSeed, gain: mapped.gain, weight_rms_error: mapped.report.weights.relative_rms_error,
            exact: quality
              ? { what: "visible law of the trained model quantised onto the chip, by enumeration (no mismatch, ideal random source)", log_likelihood_nats: quality.log_likelihood, tv_from_data: quality.tv }
              : { skipped: `the chip has ${topology.size} p-bits; its law is enumerated only up to 22` },
            sampled: sampled
              ? { what: "visible states of 8 free chains x 5,000 samples (thin 5, burn-in 200) on this chip instance: mismatch, random source and schedule included", tv_from_data: sampled.tv, draws: sampled.draws }
              : { skipped: "more than 16 visible p-bits" },
          },
          wall_seconds: (performance.now() - t0) / 1000,
          units: { energy_J: "J", chip_seconds: "s (simulated)", log_likelihood_nats: "mean log p(v) over the data rows, nats", data_correlation_gap: "mean |<s_i s_j>_data - <s_i s_j>_model| over couplings, from that step's samples" },
        };
        let json = "";
        writeIsingJson({ ...r.model, name: `trained on ${target.name} (${f.sampler})` }, (t) => (json += t));
        folder.create();
        folder.write("model.json", json);
        folder.write("train.json", finiteJson(doc, "train.json") + "\n");
        folder.publish("train");
        if (f.json) process.stdout.write(JSON.stringify(doc) + "\n");
        else {
          process.stdout.write(`thermosim train chip: ${topology.size} p-bits (${visible.length} visible) on ${target.name}, ${f.sampler} sampler, ${f.iterations} steps in ${doc.wall_seconds.toFixed(1)} s\n` +
            (quality ? `  on ${target.name} (exact)  log-likelihood ${quality.log_likelihood.toFixed(4)} nats, TV from the data ${quality.tv.toFixed(4)}\n` : "") +
            (sampled ? `  on ${target.name} (sampled) TV from the data ${sampled.tv.toFixed(4)} (${sampled.draws} draws, instance ${instanceSeed})\n` : "") +
            `  training cost        ${energy.total.toExponential(3)} J, ${r.chipSeconds.toExponential(3)} s of chip time (${table.name})\n` +
            `  results              ${folder.dir}/{model.json, train.json}\n`);
        }
      } finally {
        folder.discard();
      }
    });
}
