/** `thermosim compare MODEL --chip A --baseline X ... --target SPEC --out DIR` */
import type { Command } from "commander";
import { progress, withEmbedProgress, type Progress } from "./progress.js";
import { availableParallelism } from "node:os";
import type { CompareRequest } from "../run/compare.js";
import { lazyFolder, writeCompare } from "../run/write.js";
import { compareTableLines } from "../report/compare-md.js";
import { parseTarget } from "../metrics/target.js";
import { OutputFolder } from "../io/output.js";
import { chainStrengthArg, once, oneOf, positiveNumber, wholeNumber } from "./args.js";
import { READOUTS, type Readout } from "../mapping/embedding.js";

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description("energy- and time-to-solution of chips and digital baselines on one model; writes compare.json and compare.md")
    .argument("<model>", "model file")
    .option("--chip <chip>", "a chip preset or spec file (repeatable)", collect, [])
    .option("--baseline <name>", "a digital baseline (repeatable)", collect, [])
    .requiredOption("--target <spec>", "quality threshold: tv<=X, kl<=X (spin models up to 20 spins), cov<=X, w2<=X (Gaussian), ess>=N (with ,bias<=X: means within X sd of exact Gibbs), energy<=E", once("--target"))
    .requiredOption("--out <dir>", "result folder")
    .option("--repeats <r>", "independent repeats per system (seeds seed .. seed+r-1)", wholeNumber("--repeats", 1, 10000), 5)
    .option("--chains <k>", "chains per repeat", wholeNumber("--chains", 1, 100000), 4)
    .option("--max-sweeps <s>", "sweeps per chain before giving up", wholeNumber("--max-sweeps", 16, 1e9), 4096)
    .option("--seed <s>", "first seed", wholeNumber("--seed", 0), 1)
    .option("--workers <w>", "threads running systems and repeats in parallel (results do not depend on it; every energy is priced from counts)", wholeNumber("--workers", 1, 4096), availableParallelism())
    .option("--embedding <file>", "p-bit chips: reuse a minor-embedding (embedding.json of an earlier run) instead of searching")
    .option("--embed-budget <n>", "p-bit chips: the embedding search's work budget in edge relaxations (default 1.5e9, ~15-25 s here; counted, not timed)", positiveNumber("--embed-budget"))
    .option("--readout <mode>", "p-bit chips, embedded models: discard (default: rows with a broken chain dropped, the chain runs on) or majority (broken chains read by majority vote: biased)", oneOf("--readout", READOUTS))
    .option("--distilled <file>", "a distill.json written by thermosim map: the chip it names runs the distilled model (other chips place the model as usual)")
    .option("--chain-strength <c>", "p-bit chips, embedded models: ferromagnetic chain coupling: utc (default: 1.414 x rms coupling x sqrt(mean degree)), auto (pilot chains over a ladder, the best read-out chosen) or a number in model energy units", chainStrengthArg)
    .option("--json", "print compare.json to stdout instead of a summary")
    .action(async (modelFile: string, f: { chip: string[]; baseline: string[]; target: string; out: string; repeats: number; chains: number; maxSweeps: number; seed: number; workers: number; json?: boolean; embedding?: string; chainStrength?: number | "utc" | "auto"; readout?: Readout; distilled?: string; embedBudget?: number }) => {
      const folder = new OutputFolder(f.out);
      try {
        const req: CompareRequest = { modelFile, chips: f.chip, baselines: f.baseline, target: parseTarget(f.target), repeats: f.repeats, chains: f.chains, maxSweeps: f.maxSweeps, seed: f.seed, embedding: f.embedding, chainStrength: f.chainStrength, ...(f.readout !== undefined ? { readout: f.readout } : {}), ...(f.distilled !== undefined ? { distilled: f.distilled } : {}), ...(f.embedBudget !== undefined ? { embedBudget: f.embedBudget } : {}) };
        let bar: Progress | undefined;
        const r = await withEmbedProgress(f.json, () => writeCompare(req, lazyFolder(folder), f.workers, (done, total) => {
          bar ??= progress("comparing", total, "runs", f.json);
          bar.update(done);
        })).finally(() => bar?.stop());
        folder.publish("compare");
        for (const w of r.warnings) process.stderr.write(`thermosim: warning: ${w}\n`);
        if (f.json) process.stdout.write(JSON.stringify(r.json) + "\n");
        else process.stdout.write(compareTableLines(r.json).join("\n") + `\n\nresults: ${folder.dir}/{compare.json, compare.md}\n`);
      } finally {
        folder.discard();
      }
    });
}
