/** The `thermosim` command. */
import { Command, CommanderError } from "commander";
import { InputError } from "../errors.js";
import { registerSample } from "./sample.js";
import { registerRandomModel } from "./random-model.js";
import { registerDiagnose } from "./diagnose.js";
import { registerCompare } from "./compare.js";
import { registerWeights } from "./weights.js";
import { registerLogz } from "./logz.js";
import { registerReport } from "./report.js";
import { registerTrain } from "./train.js";
import { registerStudy } from "./study.js";
import { registerSweep, registerWorker } from "./sweep.js";
import { registerMap } from "./map.js";

export async function main(argv: string[]): Promise<number> {
  const program = new Command("thermosim")
    .description("hardware simulation and co-design for probabilistic sampling chips")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerSample(program);
  registerRandomModel(program);
  registerDiagnose(program);
  registerCompare(program);
  registerWeights(program);
  registerLogz(program);
  registerReport(program);
  registerTrain(program);
  registerStudy(program);
  registerMap(program);
  registerSweep(program);
  registerWorker(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed its one-line message (or the help).
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof InputError) {
      process.stderr.write(`thermosim: error: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`thermosim: internal error: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}
