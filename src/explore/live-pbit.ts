/**
 * One p-bit chain that runs on in steps, for the explorer: the CLI's mapping
 * (placeIsing), kernel path choice (gridPlan) and kernel (loadPbitChip) with
 * the chain seeded as `thermosim sample` seeds chain 0, so the rows of
 * step(a), step(b), ... are the rows of one `sample --chains 1 --burn-in 0
 * --samples a+b+...` run, bit for bit. Counts are priced by the chip's own
 * technology table, as the CLI's ledger does. Runs in Node and in a Web Worker.
 */
import type { IsingModel } from "../models/ising.js";
import { isingEnergy } from "../models/ising.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { placeIsing } from "../mapping/place.js";
import { gridPlan } from "../chips/pbit/grid.js";
import { loadPbitChip } from "../chips/pbit/driver.js";
import { COUNTER_INDEX, NUM_COUNTERS, UPDATES_INDEX } from "../chips/pbit/actions.js";
import { GRID_SCHEDULE_CODE, SCHEDULE_CODE } from "../wasm/pbit-kernel.js";
import type { TechTable } from "../energy/table.js";
import { jobEnergy } from "../energy/job-energy.js";
import { chipJob } from "../systems/chip.js";
import type { Job } from "../run/sample.js";
import { InputError } from "../errors.js";
import { unembedRows, type Embedded } from "../mapping/embedding.js";

export interface PbitStep {
  /** Recorded samples (+-1), `sweeps` x n, model order (chains read by majority vote when minor-embedded). */
  rows: Int8Array;
  /** The kernel's rows, `sweeps` x pbits: the p-bits the model uses, in the order of `pbitIds` (equal to rows unless embedded). */
  physical: Int8Array;
  /** Model energy E(s) and mean spin of each row. */
  energy: Float64Array;
  magnetisation: Float64Array;
}

export interface PbitMeter {
  sweeps: number;
  updates: number;
  /** Simulated chip time (s) and energy (J) so far: sampling, plus the one-off programming. */
  chipSeconds: number;
  samplingJ: number;
  programmingJ: number;
  counts: Record<string, number>;
}

export class LivePbit {
  /** The model's variables, and the chip p-bits its samples come from (pbitIds[k]: the chip's id of kernel column k). */
  readonly n: number;
  readonly pbits: number;
  readonly pbitIds: Int32Array;
  /** Minor-embedded: chains of p-bits per variable, read out by majority vote (ties: a coin from seed, chain 0, row, variable). */
  readonly embedded?: Embedded;
  readonly kernelPath: string;
  readonly warnings: string[];
  private sweeps = 0;
  private readonly seed: number;
  private readonly run: (sweeps: number) => void;
  private readonly rowsView: (count: number) => Int8Array;
  private readonly counters: () => BigUint64Array;
  private readonly chainSeconds: () => number;
  private readonly job: Job;

  /** `bufferRows`: the most sweeps one step records. */
  constructor(readonly spec: PbitSpec, readonly model: IsingModel, readonly table: TechTable, schedule: Schedule, seed: number, readonly bufferRows = 64, modelFile = "explorer model") {
    if (!Number.isInteger(bufferRows) || bufferRows < 1) throw new InputError("bufferRows", undefined, "must be a whole number >= 1");
    // The CLI's job for this run prices the counts (actions, time integrals, one-off costs).
    // The page shows every sweep, so embedded chains are read by majority (the command line it gives says --readout majority).
    this.job = chipJob(spec, model, { modelFile, chains: 1, samples: 1, burnIn: 0, thin: 1, seed, schedule, readout: "majority", chainOptionsWhereEmbedded: true });
    // The job found the placement (identity, or a minor-embedding by the seeded search); the same chains again here.
    const { mapping, embedding } = placeIsing(model, modelFile, spec, schedule, { seed, ...(this.job.pinned ? { pinned: this.job.pinned } : {}) });
    this.embedded = embedding?.embedded;
    this.seed = seed;
    const path = gridPlan(mapping, schedule);
    this.kernelPath = path.plan ? path.why : `neighbour lists (${path.why})`;
    this.warnings = [...this.job.warnings];
    const inst = loadPbitChip(spec, mapping, schedule, seed, "release", bufferRows, undefined, path.plan);
    const k = inst.exports;
    k.seedChain(BigInt(seed), 0);
    const sched = path.plan ? GRID_SCHEDULE_CODE[schedule as "chromatic" | "synchronous"] : SCHEDULE_CODE[schedule];
    this.n = model.n;
    this.pbits = mapping.n;
    this.pbitIds = this.embedded ? this.embedded.phys : Int32Array.from({ length: mapping.n }, (_, i) => i);
    this.run = (sweeps) => k.run(sched, sweeps, 1, 1);
    this.rowsView = (count) => inst.view(Int8Array, k.outputBuffer(0), count * mapping.n);
    this.counters = () => inst.view(BigUint64Array, k.ptrCounters(), NUM_COUNTERS);
    this.chainSeconds = () => k.chainSeconds();
  }

  /** Run `sweeps` sweeps (at most bufferRows), recording every one. */
  step(sweeps: number): PbitStep {
    if (!Number.isInteger(sweeps) || sweeps < 1 || sweeps > this.bufferRows) throw new InputError("sweeps", undefined, `must be a whole number from 1 to ${this.bufferRows}`);
    this.run(sweeps);
    const physical = this.rowsView(sweeps).slice();
    let rows = physical;
    if (this.embedded) {
      rows = new Int8Array(sweeps * this.n);
      unembedRows(this.embedded, this.seed, 0, this.sweeps, sweeps, physical, rows);
    }
    this.sweeps += sweeps;
    const energy = new Float64Array(sweeps);
    const magnetisation = new Float64Array(sweeps);
    for (let r = 0; r < sweeps; r++) {
      const s = rows.subarray(r * this.n, (r + 1) * this.n);
      energy[r] = isingEnergy(this.model, s);
      let m = 0;
      for (let i = 0; i < this.n; i++) m += s[i];
      magnetisation[r] = m / this.n;
    }
    return { rows, physical, energy, magnetisation };
  }

  /** The energy meter: counts so far priced by the chip's table (the CLI's ledger). */
  meter(): PbitMeter {
    const raw = this.counters();
    const counts: Record<string, number> = {};
    for (const [name, idx] of Object.entries(COUNTER_INDEX)) counts[name] = Number(raw[idx]);
    const chipSeconds = this.chainSeconds();
    const e = jobEnergy(this.job, this.table, counts, chipSeconds);
    return { sweeps: this.sweeps, updates: Number(raw[UPDATES_INDEX]), chipSeconds, samplingJ: e.sampling, programmingJ: e.oneOff, counts: e.actions };
  }
}
