/** `thermosim logz MODEL --method exact|ais [--json]`: the log partition function of a spin model (prints; writes nothing). */
import type { Command } from "commander";
import { loadModel } from "../models/load.js";
import { baseRateSchedule, logZAis, logZExact, rbmZeroOne, type LogZ } from "../metrics/logz.js";
import type { IsingModel } from "../models/ising.js";
import { RbmMachine, logOdds } from "../train/rbm.js";
import { readBinaryNpy } from "../io/binary-data.js";
import { InputError } from "../errors.js";
import { oneOf, wholeNumber } from "./args.js";
import { logLikelihood, readDataRows } from "../metrics/likelihood.js";

export function registerLogz(program: Command): void {
  program
    .command("logz")
    .description("log Z = log sum_s exp(-beta E(s)) of a spin model (Ising, QUBO, Max-Cut, Boltzmann, BQM, RBM): exact enumeration or annealed importance sampling")
    .argument("<model>", "model file")
    .option("--method <m>", "exact (enumeration, up to 24 spins; RBMs: up to 24 units in the smaller layer) or ais", oneOf("--method", ["exact", "ais"] as const), "exact")
    .option("--runs <r>", "AIS: independent annealing runs", wholeNumber("--runs", 2, 1e7), 1000)
    .option("--steps <k>", "AIS: inverse temperatures from 0 to beta, one sweep each (linear; RBMs: Salakhutdinov & Murray's schedule, thinned or stretched to about k steps; theirs is 14,500)", wholeNumber("--steps", 2, 1e9), 1000)
    .option("--seed <s>", "AIS: random seed", wholeNumber("--seed", 0), 1)
    .option("--base-rate <data>", "AIS for RBMs: start from the base-rate model of this 0/1 data (.npy [rows, visible]: visible log-odds), as Salakhutdinov & Murray do; default: uniform visible units")
    .option("--data <rows>", "also the mean log-likelihood of these rows (.npy [rows, n] in the model's units, as samples.npy holds them; RBMs: [rows, visible] sums the hidden units out)")
    .option("--json", "print {\"logZ\": .., \"stderr\": ..} as JSON (with --data, also log_likelihood)")
    .action((file: string, f: { method: "exact" | "ais"; runs: number; steps: number; seed: number; json?: boolean; baseRate?: string; data?: string }) => {
      const model = loadModel(file);
      if (model.kind !== "ising") throw new InputError(file, "kind", `logz is for spin models; this model is ${model.kind}`);
      // RBMs anneal from a base-rate model (Salakhutdinov & Murray's schedule, thinned to --steps).
      if (f.baseRate !== undefined && (f.method !== "ais" || !model.layers)) throw new InputError("--base-rate", undefined, "applies to AIS on RBMs (--method ais with an RBM model)");
      const data = f.data === undefined || model.kind !== "ising" ? undefined : readDataRows(f.data, model);
      const r: LogZ & { log_likelihood?: Record<string, unknown> } = f.method === "exact" ? logZExact(model)
        : model.layers ? rbmAis(model, f.runs, f.steps, f.seed, f.baseRate)
        : logZAis(model, f.runs, f.steps, f.seed);
      if (data) {
        const ll = logLikelihood(model, data, r.logZ);
        r.log_likelihood = {
          data: data.file, ...ll, logZ_stderr: r.stderr,
          observed: data.cols === model.n ? "all variables" : "visible units (hidden summed out)",
          note: "mean log p(x) per row in nats; the error of log Z shifts it alike",
        };
      }
      if (f.json) process.stdout.write(JSON.stringify(r) + "\n");
      else {
        process.stdout.write(`thermosim logz: ${file}: log Z = ${r.logZ}${r.method === "ais" ? ` +- ${r.stderr.toPrecision(3)} (AIS, ${r.runs} runs x ${r.steps} steps)` : " (exact)"}\n`);
        const ll = r.log_likelihood as { mean_nats: number; sd_nats: number; rows: number } | undefined;
        if (ll) process.stdout.write(`thermosim logz: ${f.data}: mean log-likelihood ${ll.mean_nats.toFixed(4)} nats per row over ${ll.rows} rows (sd ${ll.sd_nats.toPrecision(3)})${r.method === "ais" ? ` +- ${r.stderr.toPrecision(3)} from log Z` : ""}\n`);
      }
    });
}

/** AIS on the RBM kernel from a base-rate model (data log-odds, or uniform). */
function rbmAis(m: IsingModel, runs: number, steps: number, seed: number, baseFile?: string): LogZ {
  const p = rbmZeroOne(m);
  let base: Float64Array = new Float64Array(p.nv);
  if (baseFile !== undefined) {
    const d = readBinaryNpy(baseFile, "--base-rate");
    if (d.nv !== p.nv) throw new InputError(baseFile, undefined, `has ${d.nv} units per row; the RBM has ${p.nv} visible units`);
    // The base rate is on the 0/1 scale of the model at its beta: the log-odds themselves.
    base = logOdds(d);
  }
  const schedule = baseRateSchedule(steps / 14500);
  const machine = new RbmMachine(p.nv, p.nh, Math.max(1, Math.ceil(runs / Math.max(1, p.nv))), schedule.length);
  machine.load({ nv: p.nv, nh: p.nh, W: p.W, b: p.b, c: p.c });
  const z = machine.aisLogZ(base, schedule, runs, seed);
  return { logZ: z.logZ - m.beta * p.constant, stderr: z.stderr, method: "ais", runs, steps: schedule.length };
}
