/**
 * One analog chain that runs on in steps, for the explorer: the CLI's job
 * (mapping, law prediction, pricing) and kernel, chain 0 seeded and started
 * (capacitors discharged) as `thermosim sample` starts it, so the read-outs
 * of successive steps are the rows of one `sample --chains 1 --burn-in 0`
 * run. Runs in Node and in a Web Worker.
 */
import type { GaussianModel } from "../models/gaussian.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { mapGaussian, type LangevinMapping } from "../mapping/langevin.js";
import { loadLangevinChip } from "../chips/langevin/driver.js";
import { predictLaw } from "../chips/langevin/law.js";
import type { TechTable } from "../energy/table.js";
import { jobEnergy } from "../energy/job-energy.js";
import { chipJob } from "../systems/chip.js";
import type { Job } from "../run/sample.js";
import { InputError } from "../errors.js";
import { linearDense } from "../chips/langevin/circuit.js";
import { solve, spectralRadius } from "../linalg/dense.js";

export interface Ellipse {
  mean: number[];
  /** Row-major covariance, model units. */
  cov: number[];
}

export class LiveLangevin {
  readonly n: number;
  readonly warnings: string[];
  /** The model's law, and the law predicted for the chip as built (integrator, ADC, mismatch). */
  readonly target: Ellipse;
  readonly predicted?: Ellipse;
  readonly integrator: string;
  readonly stepSeconds: number;
  readonly readoutSeconds: number;
  /** Integrated autocorrelation time of each variable's read-outs (read-outs; linear chips). */
  readonly iat?: number[];
  /** The circuit's slowest time constant (s), linearised: read-outs much further apart are independent. */
  readonly relaxSeconds: number;
  private readouts = 0;
  private readonly job: Job;
  private readonly mp: LangevinMapping;
  private readonly run: (sweeps: number) => void;
  private readonly rowsView: (count: number) => Float64Array;
  private readonly kernelCounts: () => { dissipated: number; adc: number; steps: number };

  constructor(readonly spec: LangevinSpec, readonly model: GaussianModel, readonly table: TechTable, seed: number, readonly bufferRows = 256, modelFile = "explorer model") {
    this.job = chipJob(spec, model, { modelFile, chains: 1, samples: 1000, burnIn: 0, thin: 1, seed });
    this.warnings = [...this.job.warnings];
    const mp = mapGaussian(model, modelFile, spec, seed);
    if (mp.output.kind !== "voltage") throw new InputError(modelFile, undefined, "the explorer draws voltage read-outs of Gaussian models");
    this.mp = mp;
    this.n = mp.sde.nObs;
    this.integrator = mp.integrator;
    this.stepSeconds = mp.step;
    this.readoutSeconds = mp.step * mp.stepsPerSweep;
    const inst = loadLangevinChip(spec, mp, "release", bufferRows);
    const k = inst.exports;
    k.seedChain(BigInt(seed), 0);
    k.resetDissipated();
    inst.view(Float64Array, k.ptrX(), mp.sde.ns).fill(0); // capacitors start discharged
    this.run = (sweeps) => k.run(sweeps, 1, 1);
    this.rowsView = (count) => inst.view(Float64Array, k.outputBuffer(0), count * this.n);
    this.kernelCounts = () => ({ dissipated: k.dissipated(), adc: Number(k.readouts()), steps: Number(k.steps()) });
    this.target = { mean: Array.from(mp.law?.targetMean ?? []), cov: Array.from(mp.law?.targetCov ?? []) };
    if (mp.law) {
      const p = predictLaw(mp.law, { chains: 1, samples: 1000, thin: 1, burnIn: 0 });
      this.predicted = { mean: Array.from(p.mean), cov: Array.from(p.cov) };
      this.iat = Array.from(p.iat);
    }
    const { M } = linearDense(mp.sde);
    this.relaxSeconds = spectralRadius((x) => solve(M, x, mp.sde.ns) ?? new Float64Array(mp.sde.ns), mp.sde.ns);
  }

  /** Run `readouts` read-out intervals, recording each; rows in model units. */
  step(readouts: number): Float64Array {
    if (!Number.isInteger(readouts) || readouts < 1 || readouts > this.bufferRows) throw new InputError("readouts", undefined, `must be a whole number from 1 to ${this.bufferRows}`);
    this.run(readouts);
    this.readouts += readouts;
    return this.rowsView(readouts).slice();
  }

  meter() {
    const chipSeconds = this.readouts * this.mp.stepsPerSweep * this.mp.step;
    const c = this.kernelCounts();
    // As runLangevin counts them: heat integrated by the kernel plus held nodes' constant part.
    const counts = { resistive_dissipation: c.dissipated + this.mp.dissipation.constant * chipSeconds, dac_writes: this.mp.dacWrites, adc_conversions: c.adc };
    const e = jobEnergy(this.job, this.table, counts, chipSeconds);
    return { readouts: this.readouts, integratorSteps: c.steps, chipSeconds, samplingJ: e.sampling, programmingJ: e.oneOff, counts: e.actions };
  }
}
