/** `thermosim random-model`: random Ising models on a chip's topology or a random graph. */
import { energyScale } from "../models/ising.js";
import { fixedTopology } from "../chips/topology/index.js";
import type { Command } from "commander";
import { loadChip } from "../chips/load.js";
import { pairsOf, randomOnTopology, randomGraphModel } from "../models/generate.js";
import { writeIsingJson } from "../models/ising.js";
import { MAX_VARIABLES } from "../models/limits.js";
import { InputError } from "../errors.js";
import { OutputFile } from "../io/output.js";
import { LIMITS, formatBytes } from "../io/read.js";
import { wholeNumber } from "./args.js";

function finite(flag: string, min = -Infinity, max = Infinity) {
  return (t: string) => {
    const v = Number(t);
    if (t.trim() === "" || !Number.isFinite(v) || v < min || v > max) throw new InputError(flag, undefined, `must be a finite number in [${min}, ${max}], got ${JSON.stringify(t)}`);
    return v;
  };
}

/** About how many bytes of JSON a coupling and a field take (indices, a 17-digit weight, punctuation). */
const BYTES_PER_COUPLING = 32;
const BYTES_PER_FIELD = 22;

export function registerRandomModel(program: Command): void {
  program
    .command("random-model")
    .description("write a random Ising model: J ~ N(0, j-std^2) on every edge, h ~ N(0, h-std^2)")
    .requiredOption("--out <file>", "model JSON to write")
    .option("--chip <chip>", "put couplings on every edge of this chip's topology (grid chips)")
    .option("--n <n>", "number of spins (default: the whole chip)", wholeNumber("--n", 1, MAX_VARIABLES))
    .option("--density <p>", "without --chip: couple each pair with probability p (1 = complete)", finite("--density", 0, 1), 1)
    .option("--j-std <s>", "coupling standard deviation", finite("--j-std", 0), Math.sqrt(1 / 12))
    .option("--h-std <s>", "field standard deviation", finite("--h-std", 0), 0.1)
    .option("--beta <b>", "inverse temperature", finite("--beta", 0), 1)
    .option("--seed <s>", "random seed, 0 .. 2^53-1", wholeNumber("--seed", 0), 1)
    .action((f: { out: string; chip?: string; n?: number; density: number; jStd: number; hStd: number; beta: number; seed: number }) => {
      const out = new OutputFile(f.out);
      const o = { jStd: f.jStd, hStd: f.hStd, beta: f.beta, seed: f.seed };
      // Refuse before generating what could not be read back (model files are read up to 512 MiB).
      const checkSize = (n: number, couplings: number, flag: string) => {
        const bytes = n * BYTES_PER_FIELD + couplings * BYTES_PER_COUPLING;
        if (bytes > LIMITS.model) {
          throw new InputError(flag, undefined, `${n} spins with ~${couplings.toExponential(2)} couplings would be a ~${formatBytes(bytes)} model file, more than the ${formatBytes(LIMITS.model)} thermosim reads back`);
        }
      };
      let model;
      if (f.chip) {
        const spec = loadChip(f.chip);
        if (spec.kind !== "pbit") throw new InputError("--chip", undefined, `${spec.name} is not a p-bit chip; random-model puts Ising couplings on a p-bit topology`);
        if (spec.topology.impl === "model" || spec.topology.impl === "programmable") {
          throw new InputError("--chip", undefined, `${spec.name} takes the model's own graph; use --n and --density instead`);
        }
        const topo = fixedTopology(spec.topology, spec.name);
        if (f.n !== undefined && f.n > topo.size) throw new InputError("--n", undefined, `chip ${spec.name} has only ${topo.size} p-bits`);
        const n = f.n ?? topo.size;
        if (n > MAX_VARIABLES) throw new InputError("--chip", undefined, `${spec.name} has ${topo.size} p-bits; give --n up to ${MAX_VARIABLES}`);
        checkSize(n, (n * topo.maxDegree) / 2, "--chip");
        model = randomOnTopology(topo, { ...o, name: `random on ${spec.name}` }, n);
      } else {
        if (f.n === undefined) throw new InputError("--n", undefined, "is required without --chip");
        checkSize(f.n, pairsOf(f.n) * f.density, "--n/--density");
        model = randomGraphModel(f.n, f.density, { ...o, name: `random graph n=${f.n} density=${f.density}` });
      }
      // Normal draws times a huge standard deviation overflow: a file of infinities is one sample could not read.
      const bad = [...model.h, ...model.ew].find((x) => !Number.isFinite(x));
      if (bad !== undefined) throw new InputError(f.jStd > f.hStd ? "--j-std" : "--h-std", undefined, `${Math.max(f.jStd, f.hStd)} makes weights that overflow float64 (${bad}); use a smaller standard deviation (only beta x J and beta x h matter)`);
      if (!Number.isFinite(energyScale(model))) throw new InputError("--j-std/--h-std", undefined, "the model's energies would overflow float64 (beta x (sum |h| + sum |J|) beyond 1.8e308); use smaller standard deviations");
      const fd = out.open();
      try {
        writeIsingJson(model, (text) => out.writeAll(fd, text));
        out.commit(fd);
      } finally {
        out.discard();
      }
      process.stdout.write(`wrote ${f.out}: ${model.n} spins, ${model.ei.length} couplings\n`);
    });
}
