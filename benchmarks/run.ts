/** Benchmark runner: `node dist/benchmarks/run.js [name ...]` (all by default). */
import { run as pbitThroughput } from "./pbit-throughput.js";
import { run as pbitMemory } from "./pbit-memory.js";
import { run as langevinThroughput } from "./langevin-throughput.js";
import { run as diagnostics } from "./diagnostics.js";
import { run as baselines } from "./baselines.js";
import { run as embedding } from "./embedding.js";
import { run as embeddedLaw } from "./embedded-law.js";
import { run as niazi2024 } from "./niazi2024.js";
import { run as rbmTrain } from "./rbm-train.js";
import { run as chipTraining } from "./chip-training.js";
import { run as kernels } from "./kernels.js";
import { run as dtmReplication } from "./dtm-replication.js";
import { run as z1Card } from "./z1-card.js";
import { run as maxcut } from "./maxcut.js";
import { run as gaussianRc } from "./gaussian-rc.js";
import { run as mnistRbm } from "./mnist-rbm.js";
import { run as sweepScaling } from "./sweep-scaling.js";
import { run as cpuCalibration } from "./cpu-calibration.js";

const benches: Record<string, () => void | Promise<void>> = {
  "pbit-throughput": pbitThroughput,
  "pbit-memory": pbitMemory,
  "langevin-throughput": langevinThroughput,
  diagnostics,
  baselines,
  embedding,
  "embedded-law": embeddedLaw,
  niazi2024,
  "rbm-train": rbmTrain,
  "chip-training": chipTraining,
  kernels,
  "dtm-replication": dtmReplication,
  "z1-card": z1Card,
  maxcut,
  "gaussian-rc": gaussianRc,
  "mnist-rbm": mnistRbm,
  "sweep-scaling": sweepScaling,
  "cpu-calibration": cpuCalibration,
};

const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  const b = benches[name];
  if (!b) {
    console.error(`unknown benchmark ${name} (known: ${Object.keys(benches).join(", ")})`);
    process.exit(2);
  }
  console.log(`# ${name}`);
  await b();
}
