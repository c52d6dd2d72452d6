/**
 * z1-card: what a job costs on the Z1 chip (circuits/tech/z1.yaml, figures
 * Extropic claims): energy per sweep, per read-out of the whole chip and per
 * programming of it, measured through `thermosim sample` on a model that
 * fills all 269,568 p-bits (random couplings on every grid edge), and the
 * job length at which sampling energy overtakes programming -- how I/O
 * dominates short jobs. Reference (NUMBERS.md): rewriting the chip, ~41 uJ,
 * costs about 20,000 sweeps of ~1.9 nJ.
 *
 *   npm run bench -- z1-card      (Z1_SWEEPS=100,1000,10000: job lengths run)
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadChip } from "../src/chips/load.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { randomOnTopology } from "../src/models/generate.js";
import { writeIsingJson } from "../src/models/ising.js";
import { writeSample } from "../src/run/write.js";
import { studyProgress } from "../src/cli/progress.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";

export async function run(): Promise<void> {
  const lengths = (process.env.Z1_SWEEPS ?? "100,1000,10000").split(",").map(Number);
  const out = new BenchOutput("z1-card");
  const tmp = mkdtempSync(join(tmpdir(), "thermosim-z1-"));
  try {
    const spec = loadChip("z1");
    if (spec.kind !== "pbit") throw new Error("z1 is a p-bit chip");
    // Integer-like couplings in the chip's range (|J| <= 6 after the gain), on every edge.
    const model = randomOnTopology(fixedTopology(spec.topology, spec.name), { jStd: 0.25, hStd: 0.1, beta: 1, seed: 11 });
    const file = join(tmp, "z1-full.json");
    const fd = openSync(file, "w");
    writeIsingJson(model, (t) => writeSync(fd, t));
    closeSync(fd);
    const rows: Row[] = [];
    for (const sweeps of lengths) {
      // One job: program the chip, run `sweeps` sweeps, read the whole chip out once at the end.
      const shown = studyProgress(`z1-card, job of ${sweeps} sweeps`);
      const r = await writeSample({ modelFile: file, chip: "z1", chains: 1, samples: 1, burnIn: sweeps - 1, thin: 1, seed: 1, workers: 1 }, out.sub(`job-${sweeps}`), shown.hooks.sample).finally(() => shown.stop());
      const s = r.stats as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const by = s.energy_J.by_action as Record<string, number>;
      const program = by.pbits_programmed + by.weights_written;
      const readout = by.readout_values;
      const sampling = s.energy_J.total - program - readout;
      rows.push({
        sweeps, pbits: model.n, couplings: model.ei.length,
        energy_J: s.energy_J.total, programming_J: program, readout_J: readout, sampling_J: sampling,
        energy_per_sweep_J: sampling / sweeps, io_share: (program + readout) / s.energy_J.total,
        chip_seconds: s.chip_seconds, weight_rms_error: s.mapping.weights.relative_rms_error,
      });
    }
    const perSweep = rows[rows.length - 1].energy_per_sweep_J as number;
    const program = rows[0].programming_J as number;
    const readout = rows[0].readout_J as number;
    const crossover = program / perSweep;
    // Job lengths between and beyond the runs, from the measured per-unit costs (stated as such).
    const projected: Row[] = [1, 10, 100, 1000, 10000, Math.round(crossover), 100000, 1000000].map((n) => ({
      sweeps: n, programming_J: program, readout_J: readout, sampling_J: n * perSweep,
      io_share: (program + readout) / (program + readout + n * perSweep),
      source: lengths.includes(n) ? "run" : "from the measured per-sweep, read-out and programming costs",
    }));
    const verdict = [
      `The z1 chip model (8 tiles of 234 x 144 p-bits, degree 16; ${model.n.toLocaleString("en")} p-bits, ${model.ei.length.toLocaleString("en")} couplings) running a random model that fills it; one job = program, run, read the whole chip out once. Energies from circuits/tech/z1.yaml (Extropic's claimed figures).`,
      "",
      `- Energy per sweep: **${(perSweep * 1e9).toPrecision(4)} nJ** (${model.n.toLocaleString("en")} x 7.09 fJ); per read-out of the chip: **${(readout * 1e9).toPrecision(4)} nJ** (= ${(readout / perSweep).toPrecision(3)} sweeps); programming the chip: **${(program * 1e6).toPrecision(4)} uJ**.`,
      `- Sampling energy overtakes programming after **${Math.round(crossover).toLocaleString("en")} sweeps** (${(crossover * 20e-9 * 1e3).toPrecision(3)} ms at 50 MHz). Reference: ~41 uJ to rewrite the chip, ~20,000 sweeps of ~1.9 nJ (NUMBERS.md) -- ${Math.abs(crossover / 20000 - 1) < 0.15 ? "agrees" : "DISAGREES"} (${(crossover / 20000).toPrecision(3)}x).`,
      `- A job of 1,000 sweeps spends ${(100 * (projected.find((p) => p.sweeps === 1000)!.io_share as number)).toFixed(1)}% of its energy on I/O; one of 100,000 sweeps ${(100 * (projected.find((p) => p.sweeps === 100000)!.io_share as number)).toFixed(1)}%. Reading every sample out costs as much as ${(readout / perSweep).toPrecision(3)} sweeps: thin by more than that or read-out dominates sampling too.`,
      "",
      "Measured jobs:",
      "",
      ...markdownTable(rows, ["sweeps", "energy_J", "programming_J", "readout_J", "sampling_J", "energy_per_sweep_J", "io_share", "chip_seconds"]),
      "",
      "Job length against I/O share:",
      "",
      ...markdownTable(projected, ["sweeps", "sampling_J", "io_share", "source"]),
    ];
    out.finish([...rows.map((r) => ({ kind: "run", ...r })), ...projected.map((r) => ({ kind: "projection", ...r }))], verdict, { reference: "NUMBERS.md (Extropic Z1, claimed): 7.09 fJ per p-bit per Gibbs cycle, read-out 1.692 pJ/node, write 153.6 pJ/node; ~41 uJ ~ 20,000 sweeps", crossover_sweeps: crossover });
  } finally {
    out.discard();
    rmSync(tmp, { recursive: true, force: true });
  }
}
