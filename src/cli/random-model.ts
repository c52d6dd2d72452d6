/** `thermosim random-model`: random Ising models on a chip's topology or a random graph. */
import { fixedTopology } from "../chips/topology/index.js";
import type { Command } from "commander";
import { writeFileSync, renameSync } from "node:fs";
import { loadChip } from "../chips/load.js";
import { csrFromEdges } from "../chips/graph.js";
import { randomOnTopology, randomGraphModel } from "../models/generate.js";
import { isingToJson } from "../models/ising.js";
import { InputError } from "../errors.js";
import { wholeNumber } from "./args.js";

function finite(flag: string, min = -Infinity) {
  return (t: string) => {
    const v = Number(t);
    if (t.trim() === "" || !Number.isFinite(v) || v < min) throw new InputError(flag, undefined, `must be a finite number >= ${min}, got ${JSON.stringify(t)}`);
    return v;
  };
}

export function registerRandomModel(program: Command): void {
  program
    .command("random-model")
    .description("write a random Ising model: J ~ N(0, j-std^2) on every edge, h ~ N(0, h-std^2)")
    .requiredOption("--out <file>", "model JSON to write")
    .option("--chip <chip>", "put couplings on every edge of this chip's topology (grid chips)")
    .option("--n <n>", "number of spins (default: the whole chip)", wholeNumber("--n", 1, 50_000_000))
    .option("--density <p>", "without --chip: couple each pair with probability p (1 = complete)", finite("--density", 0), 1)
    .option("--j-std <s>", "coupling standard deviation", finite("--j-std", 0), Math.sqrt(1 / 12))
    .option("--h-std <s>", "field standard deviation", finite("--h-std", 0), 0.1)
    .option("--beta <b>", "inverse temperature", finite("--beta", 0), 1)
    .option("--seed <s>", "random seed", wholeNumber("--seed", 0), 1)
    .action((f: { out: string; chip?: string; n?: number; density: number; jStd: number; hStd: number; beta: number; seed: number }) => {
      const o = { jStd: f.jStd, hStd: f.hStd, beta: f.beta, seed: f.seed };
      let model;
      if (f.chip) {
        const spec = loadChip(f.chip);
        if (spec.kind !== "pbit") throw new InputError("--chip", undefined, `${spec.name} is not a p-bit chip; random-model puts Ising couplings on a p-bit topology`);
        if (spec.topology.impl === "model" || spec.topology.impl === "programmable") {
          throw new InputError("--chip", undefined, `${spec.name} takes the model's own graph; use --n and --density instead`);
        }
        const topo = fixedTopology(spec.topology, spec.name);
        if (f.n !== undefined && f.n > topo.size) throw new InputError("--n", undefined, `chip ${spec.name} has only ${topo.size} p-bits`);
        model = randomOnTopology(topo, { ...o, name: `random on ${spec.name}` }, f.n ?? topo.size);
      } else {
        if (f.n === undefined) throw new InputError("--n", undefined, "is required without --chip");
        model = randomGraphModel(f.n, f.density, { ...o, name: `random graph n=${f.n} density=${f.density}` });
      }
      const tmp = `${f.out}.partial-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(isingToJson(model)) + "\n");
      renameSync(tmp, f.out);
      process.stdout.write(`wrote ${f.out}: ${model.n} spins, ${model.ei.length} couplings\n`);
    });
}
