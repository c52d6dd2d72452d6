/**
 * Runs chains of a mapped Gaussian model on one instance of the Langevin
 * kernel and returns samples in model units. Chain k's randomness depends
 * only on (seed, k).
 */
import { instantiateKernel, type Flavour, type Instance } from "../../wasm/load.js";
import { INTEGRATOR_CODE, type LangevinKernel } from "../../wasm/langevin-kernel.js";
import type { LangevinMapping } from "../../mapping/langevin.js";
import type { LangevinSpec } from "./spec.js";
import { exactStep } from "./circuit.js";
import { bufferRowsFor, runChain, sumInOrder, type ChainKernel, type ChainOptions, type ChainResult } from "../chains.js";

export type LangevinRunOptions = ChainOptions;

export interface LangevinRunResult extends ChainResult {
  /** In model units. */
  samples: Float64Array;
  diagnostics: { integrator_steps: number; rail_clips: number; adc_clips: number };
}

/** The kernel's allocations, in order: run for real by loadLangevinChip, in planning mode by planLangevinBytes. */
function allocateChip(k: LangevinKernel, mp: LangevinMapping, bufferRows: number): void {
  const s = mp.sde;
  const d = mp.dissipation;
  k.allocate(s.ns, s.nObs, s.kIdx.length, s.chOff.length - 1, s.chIdx.length, mp.integrator === "exact-ou" ? 1 : 0, d.ei.length, d.ai.length);
  k.outputBuffer(bufferRows * s.nObs * 8);
}

/** Bytes of WebAssembly memory one instance of this chip takes (its output buffer included). */
export function planLangevinBytes(mp: LangevinMapping, bufferRows: number): number {
  const inst = instantiateKernel<LangevinKernel>("langevin");
  inst.exports.planBegin();
  allocateChip(inst.exports, mp, bufferRows);
  return inst.exports.planBytes();
}

export function loadLangevinChip(spec: LangevinSpec, mp: LangevinMapping, flavour?: Flavour, bufferRows = 1): Instance<LangevinKernel> {
  const inst = instantiateKernel<LangevinKernel>("langevin", flavour);
  const k = inst.exports;
  const s = mp.sde;
  const d = mp.dissipation;
  const dense = mp.integrator === "exact-ou";
  allocateChip(k, mp, bufferRows);
  const v = inst.view;
  v(Float64Array, k.ptrLeak(), s.ns).set(s.leak);
  v(Float64Array, k.ptrC(), s.ns).set(s.c);
  v(Int32Array, k.ptrElem(), s.ns).set(s.element);
  v(Float64Array, k.ptrGain(), s.ns).set(s.gain);
  v(Float64Array, k.ptrRail(), s.ns).set(s.rail);
  v(Int32Array, k.ptrKOff(), s.ns + 1).set(s.kOff);
  v(Int32Array, k.ptrKIdx(), s.kIdx.length).set(s.kIdx);
  v(Float64Array, k.ptrKVal(), s.kVal.length).set(s.kVal);
  v(Int32Array, k.ptrChOff(), s.chOff.length).set(s.chOff);
  v(Int32Array, k.ptrChIdx(), s.chIdx.length).set(s.chIdx);
  v(Float64Array, k.ptrChVal(), s.chVal.length).set(s.chVal);
  v(Int32Array, k.ptrPeI(), d.ei.length).set(d.ei);
  v(Int32Array, k.ptrPeJ(), d.ej.length).set(d.ej);
  v(Float64Array, k.ptrPeG(), d.eg.length).set(d.eg);
  v(Float64Array, k.ptrPg(), s.nObs).set(d.ground);
  v(Float64Array, k.ptrPgRef(), s.nObs).set(d.groundRef);
  v(Int32Array, k.ptrPaI(), d.ai.length).set(d.ai);
  v(Int32Array, k.ptrPaJ(), d.aj.length).set(d.aj);
  v(Float64Array, k.ptrPaG(), d.ag.length).set(d.ag);
  if (dense) {
    // Packed by blocks of four rows (assembly/langevin/chip.ts): block b, column pair c holds
    // rows 4b .. 4b+3, two columns each; rows and columns past ns stay zero.
    const { phi, u, L } = exactStep(s, mp.step);
    const stride = k.rowStride();
    const rows = (s.ns + 3) & ~3;
    const phiV = v(Float64Array, k.ptrPhi(), rows * stride);
    const lV = v(Float64Array, k.ptrL(), rows * stride);
    for (let i = 0; i < s.ns; i++) {
      for (let j = 0; j < s.ns; j++) {
        const at = ((i >> 2) * (stride >> 1) + (j >> 1)) * 8 + (i & 3) * 2 + (j & 1);
        phiV[at] = phi[i * s.ns + j];
        lV[at] = L[i * s.ns + j];
      }
    }
    v(Float64Array, k.ptrU(), s.ns).set(u);
  }
  let railNodes = 0;
  for (const r of s.rail) if (Number.isFinite(r)) railNodes++;
  k.setFlags(railNodes, s.element.some((e) => e !== 0) ? 1 : 0);
  const bits = spec.readout.adcBits;
  const rail = spec.amplifier.rail;
  // Dissipation is sampled every k-th step, an unbiased estimate of its integral: an O(edges) sum,
  // a third of a dense OU step, so every 32nd step there (measured: 10% of the run at every 8th)
  // and every 8th on sparse circuits, where a step costs about as much as the sum.
  const powerStride = mp.integrator === "exact-ou" ? 32 : 8;
  // Voltage read-outs leave the kernel in model units (V / vScale); Hopfield outputs stay in volts for tanh.
  k.configure(INTEGRATOR_CODE[mp.integrator], mp.step, mp.stepsPerSweep, powerStride, bits > 0 ? (2 * rail) / 2 ** bits : 0, rail, mp.output.kind === "voltage" ? mp.vScale : 0);
  return inst;
}

/**
 * Standard normals from the kernel's generator (for checking it), drawn in
 * fills of `piece` at a time, as a chip of that many nodes draws one step's.
 */
export function kernelNormals(count: number, seed: number, piece = 1): Float64Array {
  const inst = instantiateKernel<LangevinKernel>("langevin");
  const k = inst.exports;
  k.allocate(piece, 1, 0, 0, 0, 0, 0, 0);
  k.seedChain(BigInt(seed), 0);
  k.outputBuffer(count * 8);
  k.normals(count);
  return inst.view(Float64Array, k.outputBuffer(0), count).slice();
}

export function runLangevin(spec: LangevinSpec, mp: LangevinMapping, o: LangevinRunOptions): LangevinRunResult {
  const n = mp.sde.nObs;
  const bufferRows = bufferRowsFor(8 * n, o);
  const inst = loadLangevinChip(spec, mp, o.flavour, bufferRows);
  const k = inst.exports;
  const samples = new Float64Array(o.sink ? 0 : o.chains * o.samples * n);
  const o2 = mp.output;
  const scratch = new Float64Array(o2.kind === "voltage" ? 0 : bufferRows * n);
  const kernel: ChainKernel = {
    run: (sweeps, thin, record) => k.run(sweeps, thin, record ? 1 : 0),
    // Voltage read-outs arrive in model units (the kernel divided by vScale): the rows are the
    // kernel's own buffer, read before the next call. Hopfield outputs: tanh(gain V / vScale).
    rows(count) {
      const out = inst.view(Float64Array, k.outputBuffer(0), count * n);
      if (o2.kind === "voltage") return out;
      const x = scratch.subarray(0, count * n);
      for (let q = 0; q < x.length; q++) x[q] = Math.tanh((o2.gain * out[q]) / mp.vScale);
      return x;
    },
  };
  const first = o.firstChain ?? 0;
  // Simulated time is exact arithmetic on the plan, not a sum over kernel calls.
  const perChain = (o.burnIn + o.samples * o.thin) * mp.stepsPerSweep * mp.step;
  const chainSeconds: number[] = [];
  // Heat per chain, summed in chain order: the total then does not depend on how chains are split among workers.
  const chainHeat: number[] = [];
  // Wall time is the simulation's alone: what the sink spends (file writes, traces) is taken out.
  let sinkMs = 0;
  const t0 = performance.now();
  for (let c = 0; c < o.chains; c++) {
    k.seedChain(BigInt(o.seed), first + c);
    k.resetDissipated();
    inst.view(Float64Array, k.ptrX(), mp.sde.ns).fill(0); // capacitors start discharged
    runChain(kernel, o, bufferRows, (row, count, rows) => {
      const t = performance.now();
      if (o.sink) o.sink(first + c, row, count, rows);
      else samples.set(rows, (c * o.samples + row) * n);
      sinkMs += performance.now() - t;
    });
    chainSeconds.push(perChain);
    // The kernel integrates what the free nodes do; held nodes' resistors dissipate at a constant rate.
    chainHeat.push(k.dissipated() + mp.dissipation.constant * perChain);
  }
  const wallSeconds = (performance.now() - t0 - sinkMs) / 1000;
  const chipSeconds = sumInOrder(chainSeconds);
  return {
    samples,
    counts: {
      resistive_dissipation: sumInOrder(chainHeat),
      dac_writes: mp.dacWrites,
      ...(mp.clampWrites !== undefined ? { clamp_writes: mp.clampWrites * o.chains } : {}),
      adc_conversions: Number(k.readouts()),
    },
    updates: o.chains * (o.burnIn + o.samples * o.thin) * n,
    chipSeconds,
    chainSeconds,
    chainCounts: { resistive_dissipation: chainHeat },
    wallSeconds,
    kernelBytes: inst.memory.buffer.byteLength,
    diagnostics: { integrator_steps: Number(k.steps()), rail_clips: Number(k.railClips()), adc_clips: Number(k.adcClips()) },
  };
}
