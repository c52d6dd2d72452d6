/** `thermosim logz MODEL --method exact|ais [--json]`: the log partition function of a spin model (prints; writes nothing). */
import type { Command } from "commander";
import { loadModel } from "../models/load.js";
import { baseRateSchedule, logZAis, logZAisRbm, logZExact } from "../metrics/logz.js";
import { InputError } from "../errors.js";
import { oneOf, wholeNumber } from "./args.js";

export function registerLogz(program: Command): void {
  program
    .command("logz")
    .description("log Z = log sum_s exp(-beta E(s)) of a spin model (Ising, QUBO, Max-Cut, Boltzmann, BQM, RBM): exact enumeration or annealed importance sampling")
    .argument("<model>", "model file")
    .option("--method <m>", "exact (enumeration, up to 24 spins; RBMs: up to 24 units in the smaller layer) or ais", oneOf("--method", ["exact", "ais"] as const), "exact")
    .option("--runs <r>", "AIS: independent annealing runs", wholeNumber("--runs", 2, 1e7), 1000)
    .option("--steps <k>", "AIS: inverse temperatures from 0 to beta, one sweep each (linear; RBMs: Salakhutdinov & Murray's schedule, thinned or stretched to about k steps; theirs is 14,500)", wholeNumber("--steps", 2, 1e9), 1000)
    .option("--seed <s>", "AIS: random seed", wholeNumber("--seed", 0), 1)
    .option("--json", "print {\"logZ\": .., \"stderr\": ..} as JSON")
    .action((file: string, f: { method: "exact" | "ais"; runs: number; steps: number; seed: number; json?: boolean }) => {
      const model = loadModel(file);
      if (model.kind !== "ising") throw new InputError(file, "kind", `logz is for spin models; this model is ${model.kind}`);
      // RBMs anneal from a base-rate model (Salakhutdinov & Murray's schedule, thinned to --steps).
      const r = f.method === "exact" ? logZExact(model)
        : model.layers ? logZAisRbm(model, f.runs, baseRateSchedule(f.steps / 14500), f.seed)
        : logZAis(model, f.runs, f.steps, f.seed);
      if (f.json) process.stdout.write(JSON.stringify(r) + "\n");
      else process.stdout.write(`thermosim logz: ${file}: log Z = ${r.logZ}${r.method === "ais" ? ` +- ${r.stderr.toPrecision(3)} (AIS, ${r.runs} runs x ${r.steps} steps)` : " (exact)"}\n`);
    });
}
