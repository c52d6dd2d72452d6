/** `thermosim sample MODEL --chip CHIP --out DIR ...` */
import type { Command } from "commander";
import { progress, withEmbedProgress, type Progress } from "./progress.js";
import type { SampleRequest } from "../run/sample.js";
import { lazyFolder, writeSample } from "../run/write.js";
import type { Flavour } from "../wasm/load.js";
import { OutputFolder } from "../io/output.js";
import { SCHEDULES } from "../chips/pbit/spec.js";
import { formatSI } from "../units.js";
import { wholeNumber, oneOf, positiveNumber, annealSchedule, chainStrengthArg } from "./args.js";
import { READOUTS } from "../mapping/embedding.js";
import { BASELINES } from "../systems/baselines.js";

type Flags = Omit<SampleRequest, "modelFile" | "flavour"> & { out: string; json?: boolean; wasm: Flavour };

export function registerSample(program: Command): void {
  program
    .command("sample")
    .description("sample a model on a chip model; writes samples.npy, trace.npy, stats.json and chip.resolved.yaml")
    .argument("<model>", "model file (Ising, Gaussian or Hopfield JSON)")
    .option("--chip <chip>", "chip preset (ideal, dtm-2025, z1, pcomputer-fpga, smtj, rc-langevin, spu-8, rc-hopfield) or spec file")
    .option("--baseline <name>", `digital baseline instead of a chip (${Object.keys(BASELINES).join(", ")}), run and timed on this machine`)
    .option("--anneal <b0,b1[,shape]>", "sa: beta from b0 to b1 over each chain, geometric (default) or linear; default from the model's energy scales", annealSchedule)
    .option("--replicas <r>", "pt: replicas on the ladder (default 8)", wholeNumber("--replicas", 2, 1024))
    .option("--hot-beta <b>", "pt: the ladder's hot end (default from the model's energy scales)", positiveNumber("--hot-beta"))
    .option("--step <h>", "ula/mala: step h; hmc: leapfrog step (mala and hmc adapt it in burn-in; default from the model's stiffest curvature)", positiveNumber("--step"))
    .option("--leapfrog-steps <l>", "hmc: leapfrog steps per trajectory (default 10)", wholeNumber("--leapfrog-steps", 1, 100000))
    .option("--embedding <file>", "p-bit chips: reuse a minor-embedding (an embedding.json written by an earlier run) instead of searching")
    .option("--embed-budget <n>", "p-bit chips: the embedding search's work budget in edge relaxations (default 1.5e9, ~15-25 s here; counted, not timed, so the same on any machine)", positiveNumber("--embed-budget"))
    .option("--chain-strength <c>", "p-bit chips, embedded models: ferromagnetic coupling of a chain's p-bits: utc (default: 1.414 x rms coupling x sqrt(mean degree)), auto (pilot chains over a ladder, the best read-out chosen) or a number in model energy units", chainStrengthArg)
    .option("--readout <mode>", "p-bit chips, embedded models: discard (default: rows with a broken chain are dropped and the chain runs on; the kept rows follow the logical law exactly) or majority (every row, broken chains read by majority vote: biased)", oneOf("--readout", READOUTS))
    .option("--distilled <file>", "p-bit chips: a distill.json written by thermosim map; the chip runs the distilled Boltzmann machine on a window of its grid and its visible p-bits are read as the model's variables")
    .option("--clamp <file>", "conditional sampling: a .npz/.safetensors/.json with index (m variables) and values ([K, m], model units); K x --chains chains, rows condition-major")
    .option("--energy-model <table>", "baselines: technology table pricing the run's counts (cpu: calibrated native time per operation x per-core power; asic-45nm: operations x Horowitz 45 nm)")
    .requiredOption("--out <dir>", "result folder (created; a folder thermosim wrote before is replaced whole)")
    .option("--chains <k>", "independent chains", wholeNumber("--chains", 1, 1_000_000), 4)
    .option("--samples <n>", "samples recorded per chain", wholeNumber("--samples", 0, 1e12), 1000)
    .option("--burn-in <b>", "sweeps discarded at the start of each chain", wholeNumber("--burn-in", 0, 1e15), 100)
    .option("--thin <t>", "sweeps between recorded samples", wholeNumber("--thin", 1, 1e15), 1)
    .option("--seed <s>", "random seed, 0 .. 2^53-1 (also draws the chip instance's device mismatch)", wholeNumber("--seed", 0), 1)
    .option("--schedule <name>", `p-bit update schedule (${SCHEDULES.join(", ")}); default: the chip's`, oneOf("--schedule", SCHEDULES))
    .option("--workers <w>", "host threads running chains in parallel (results do not depend on it; capped at what helps)", wholeNumber("--workers", 1, 4096), 1)
    .option("--wasm <flavour>", "kernel build: release or debug", oneOf("--wasm", ["release", "debug"] as const), "release")
    .option("--json", "print stats.json to stdout instead of a summary")
    .action(async (modelFile: string, f: Flags) => {
      const folder = new OutputFolder(f.out);
      try {
        const { out: _out, json: _json, wasm, ...flags } = f;
        const asked: SampleRequest = { ...flags, modelFile, flavour: wasm };
        let bar: Progress | undefined;
        const r = await withEmbedProgress(f.json, () => writeSample(asked, lazyFolder(folder), {
          note: (n) => process.stderr.write(`thermosim: note: ${n}\n`),
          start: (total) => (bar = progress("sampling", total, "sweeps", f.json)),
          progress: (d) => bar?.update(d),
        })).finally(() => bar?.stop());
        folder.publish("sample");
        for (const w of r.warnings) process.stderr.write(`thermosim: warning: ${w}\n`);
        if (f.json) process.stdout.write(JSON.stringify(r.stats) + "\n");
        else printSummary(r.stats, folder.dir);
      } finally {
        folder.discard();
      }
    });
}

function printSummary(s: Record<string, any>, dir: string): void {
  const e = s.energy_J;
  const m = s.mapping;
  if (s.system_kind === "baseline") {
    const lines = [
      `thermosim sample: ${s.model.file} (${s.model.kind}, ${s.model.n} variables, ${s.model.couplings} couplings) on baseline ${s.baseline}`,
      `  chains x samples     ${s.chains} x ${s.samples_per_chain} (burn-in ${s.burn_in}, thin ${s.thin}), seed ${s.seed}`,
      `  updates              ${s.updates.toExponential(3)} in ${s.wall_seconds.toFixed(3)} s measured (${(s.updates_per_wall_ns ?? 0).toFixed(3)} updates/ns)`,
      `  energy (${e.table})${" ".repeat(Math.max(1, 12 - e.table.length))}${formatSI(e.total, "J")} total, ${formatSI(e.per_sample ?? 0, "J")}/sample`,
      `  results              ${dir}/{samples.npy, trace.npy, stats.json, chip.resolved.yaml}`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
    return;
  }
  const lines = [
    s.chip_kind === "pbit"
      ? `thermosim sample: ${s.model.file} (${s.model.n} spins, ${s.model.couplings} couplings) on ${s.chip}, ${s.schedule} schedule`
      : `thermosim sample: ${s.model.file} (${s.model.kind}, ${s.model.n} variables, ${s.model.couplings} couplings) on ${s.chip}, ${m.encoding ? `${m.encoding} encoding, ` : ""}${m.integrator}`,
    `  chains x samples     ${s.chains} x ${s.samples_per_chain} (burn-in ${s.burn_in}, thin ${s.thin}), seed ${s.seed}`,
    `  updates              ${s.updates.toExponential(3)} in ${s.wall_seconds.toFixed(3)} s wall (${(s.updates_per_wall_ns ?? 0).toFixed(3)} updates/ns)`,
    `  simulated chip time  ${formatSI(s.chip_seconds, "s")}${s.cycles_per_sweep ? ` (${s.cycles_per_sweep} cycles/sweep)` : ""}`,
    `  energy               ${formatSI(e.total, "J")} total, ${formatSI(e.per_sample ?? 0, "J")}/sample, ${formatSI(e.average_power_W ?? 0, "W")} average`,
    s.chip_kind === "pbit"
      ? `  mapping              gain ${Number(m.gain.toPrecision(4))}, weight rms error ${(100 * (m.embedding?.logical_weights ?? m.weights).relative_rms_error).toFixed(2)}%${m.embedding ? " (logical couplings)" : ""}, ${m.colour_classes} colour classes`
      : `  mapping              ${formatSI(m.volts_per_unit, "V")}/unit, fastest time constant ${formatSI(m.fastest_time_constant_s, "s")}` +
        (m.stationary_covariance_relative_error !== undefined ? `, stationary covariance error ${(100 * m.stationary_covariance_relative_error).toFixed(2)}%` : ""),
    ...(m.embedding
      ? [`  embedding            ${m.embedding.variables} variables on ${m.embedding.pbits} p-bits, chains up to ${m.embedding.chain_length_max}, chain strength ${Number(m.embedding.chain_strength.toPrecision(4))}, ` +
        `${(100 * (s.diagnostics.chain_break_rate ?? 0)).toFixed(2)}% of chain readings broken (embedding.json)`]
      : []),
    `  results              ${dir}/{samples.npy, trace.npy, stats.json, chip.resolved.yaml}`,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}
