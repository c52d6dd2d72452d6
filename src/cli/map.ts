/**
 * `thermosim map MODEL --chip CHIP --mapping distill --out DIR`: a mapping
 * computed once and saved. `distill` (src/mapping/distill.ts) writes
 * DIR/model.json (a Boltzmann machine on a window of the chip's grid),
 * DIR/chip.yaml (that window: the chip with a smaller offset-grid) and
 * DIR/distill.json (which p-bits hold the model's variables, the distilled
 * law's distance from the model, and what training cost the chip).
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import YAML from "yaml";
import { OutputFolder } from "../io/output.js";
import { finiteJson } from "../report/json.js";
import { InputError } from "../errors.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../chips/load.js";
import type { PbitSpec } from "../chips/pbit/spec.js";
import { loadModel } from "../models/load.js";
import { mergeSpec } from "../spec/merge.js";
import { fixedTopology } from "../chips/topology/index.js";
import { writeIsingJson } from "../models/ising.js";
import { DISTILL_DEFAULTS, DISTILLED_FORMAT, defaultWindow, distil, fileSha256 } from "../mapping/distill.js";
import { PBIT_ACTIONS } from "../chips/pbit/actions.js";
import { loadTechTable } from "../energy/table.js";
import { price } from "../energy/ledger.js";
import { oneOf, positiveNumber, wholeNumber } from "./args.js";

interface Flags { chip: string; mapping: "distill"; window?: string; sampler: "chip" | "float"; iterations: number; rows: number; lr: number; seed: number; out: string; json?: boolean }

function windowArg(text: string): { width: number; height: number } {
  const m = /^\s*(\d+)\s*[x,]\s*(\d+)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[1]) > 4096 || Number(m[2]) > 4096) throw new InputError("--window", undefined, `must be WIDTHxHEIGHT in p-bits (1 .. 4096 each), got ${JSON.stringify(text)}`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export function registerMap(program: Command): void {
  program
    .command("map")
    .description("compute a mapping of a model onto a chip once and save it: --mapping distill trains a Boltzmann machine on a window of the chip's own grid to sample the model's law")
    .argument("<model>", "spin model file (any format sample reads; up to 16 variables for distillation)")
    .requiredOption("--chip <chip>", "p-bit chip preset or spec file with an offset-grid topology (dtm-2025, z1, ...)")
    .requiredOption("--mapping <m>", "distill", oneOf("--mapping", ["distill"] as const))
    .option("--window <WxH>", "the grid window the Boltzmann machine lives on (default: about two p-bits per variable)")
    .option("--sampler <s>", "training sampler: chip (the window in the loop: its quantisation, random source and schedule) or float (exact float Gibbs on the same graph)", oneOf("--sampler", ["chip", "float"] as const), "chip")
    .option("--iterations <n>", "gradient steps", wholeNumber("--iterations", 1, 1e7), DISTILL_DEFAULTS.iterations)
    .option("--rows <r>", "exact draws of the model used as training data", wholeNumber("--rows", 1, 1e7), DISTILL_DEFAULTS.rows)
    .option("--lr <r>", "learning rate at the first step (decays linearly to 0)", positiveNumber("--lr"), DISTILL_DEFAULTS.lr)
    .option("--seed <s>", "random seed (training data, initial weights, chains, the chip instance)", wholeNumber("--seed", 0), 1)
    .requiredOption("--out <dir>", "result folder")
    .option("--json", "print distill.json to stdout")
    .action((modelFile: string, f: Flags) => {
      const folder = new OutputFolder(f.out);
      try {
        const model = loadModel(modelFile);
        if (model.kind !== "ising") throw new InputError(modelFile, "kind", `distillation maps spin models; this model is ${model.kind}`);
        const file = resolveChipFile(f.chip);
        const doc = loadChipDocument(file);
        const chip = chipFromDocument(doc, file);
        if (chip.kind !== "pbit") throw new InputError("--chip", undefined, `${chip.name} is an analog chip; distillation trains a Boltzmann machine on a p-bit chip's grid`);
        if (chip.topology.impl !== "offset-grid") throw new InputError("--chip", undefined, `${chip.name} has a ${chip.topology.impl} topology; distillation needs a chip with a grid of its own (offset-grid: dtm-2025, z1, ...)`);
        const grid = (fixedTopology(chip.topology, chip.name) as { grid?: { width: number; height: number } }).grid!;
        const win = f.window ? windowArg(f.window) : defaultWindow(model.n);
        if (win.width > grid.width || win.height > grid.height) throw new InputError("--window", undefined, `${win.width}x${win.height} does not fit on ${chip.name}'s ${grid.width}x${grid.height} grid`);
        // The window: the chip as it is (numerics, random source, schedule, energy), on a smaller grid.
        const windowDoc = {
          extends: /\.(ya?ml|json)$/.test(f.chip) ? resolve(f.chip) : f.chip,
          name: `${chip.name}-window-${win.width}x${win.height}`,
          // One tile: a chip of several independent cores (z1) gives the window one core's grid.
          topology: { impl: "offset-grid", width: win.width, height: win.height, wrap: false, tiles: 1, offsets: (doc.topology as Record<string, unknown>).offsets },
        };
        const windowSpec = chipFromDocument(mergeSpec(doc, { name: windowDoc.name, topology: windowDoc.topology }), file) as PbitSpec;
        const idealFile = resolveChipFile("ideal");
        const ideal = chipFromDocument(loadChipDocument(idealFile), idealFile) as PbitSpec;
        const sampler: PbitSpec = f.sampler === "chip" ? windowSpec : { ...ideal, topology: windowSpec.topology };
        const t0 = performance.now();
        const d = distil(model, modelFile, windowSpec, sampler, { iterations: f.iterations, rows: f.rows, seed: f.seed, batch: DISTILL_DEFAULTS.batch, chains: DISTILL_DEFAULTS.chains, lr: f.lr });
        const table = loadTechTable(sampler.energy, sampler.file);
        const energy = price({ ...d.counts, pbit_seconds: (d.report.pbits as number) * d.chipSeconds }, PBIT_ACTIONS, table);
        const report = {
          format: DISTILLED_FORMAT, version: 1, model: modelFile, model_sha256: fileSha256(modelFile), variables: model.n, chip: chip.name, window: win,
          visible: Array.from(d.visible),
          files: { model: "model.json", chip: "chip.yaml" },
          sampler: f.sampler === "chip" ? `${windowSpec.name} (chip in the loop)` : "float64 exact Gibbs (ideal) on the same graph",
          seed: f.seed, ...d.report,
          training_cost: { updates: d.updates, energy_J: energy.total, chip_seconds: d.chipSeconds, table: table.name },
          wall_seconds: (performance.now() - t0) / 1000,
          units: { energy_J: "J", chip_seconds: "s (simulated)", tv: "total variation between the model's law and the distilled visible law, 0..1" },
        };
        let json = "";
        writeIsingJson(d.model, (t) => (json += t));
        folder.create();
        folder.write("model.json", json);
        folder.write("chip.yaml", `# ${chip.name} on a ${win.width} x ${win.height} window of its grid (thermosim map --mapping distill)\n${YAML.stringify(windowDoc)}`);
        folder.write("distill.json", finiteJson(report, "distill.json") + "\n");
        folder.publish("map");
        const q = d.report.quality as { tv: number; tv_start?: number };
        if (f.json) process.stdout.write(JSON.stringify(report) + "\n");
        else {
          process.stdout.write(`thermosim map: ${modelFile} (${model.n} variables) distilled onto a ${win.width}x${win.height} window of ${chip.name} (${d.report.hidden} hidden p-bits), ${f.sampler} sampler, ${f.iterations} steps in ${report.wall_seconds.toFixed(1)} s\n` +
            `  law distance         TV ${q.tv.toFixed(4)} from the model (${(d.report.quality as { method: string }).method.split(":")[0]})${q.tv_start !== undefined ? `; untrained start ${q.tv_start.toFixed(4)}` : ""}\n` +
            `  training cost        ${energy.total.toExponential(3)} J, ${d.chipSeconds.toExponential(3)} s of chip time (${table.name})\n` +
            `  visible p-bits       ${Array.from(d.visible).join(",")} (the model's variables in order)\n` +
            `  results              ${folder.dir}/{model.json, chip.yaml, distill.json}\n`);
        }
      } finally {
        folder.discard();
      }
    });
}
