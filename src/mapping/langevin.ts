/**
 * Gaussian model -> RC/noise circuit. Two encodings (LangevinSpec.encoding):
 *
 * - conductance: G = s_G A in the conductance network (edge i-j: -s_G A_ij,
 *   node to ground: s_G * row sum), equal capacitors c, injected per-node
 *   noise sigma^2 = 2 c s_G s_V^2 / beta, so the node voltages follow
 *   N(G^-1 I, (sigma^2 / 2c) G^-1) = N(s_V A^-1 b, s_V^2 A^-1 / beta).
 * - capacitance: C = s_C A (coupling capacitors), each node to ground through
 *   g0, thermal-style noise at kT_eff = s_C s_V^2 / beta: covariance
 *   kT_eff C^-1; the mean needs I = g0 s_V A^-1 b (solved on the host).
 *
 * s_V (volts per model unit) keeps mean +- 4 sd inside the rails. Then
 * quantisation (DAC bits), device mismatch and capacitor spread (drawn from
 * the seed), amplifier offsets; the harness computes what the resulting
 * circuit really samples (Lyapunov) and warns when it is not the model.
 */
import type { GaussianModel } from "../models/gaussian.js";
import type { HopfieldModel } from "../models/hopfield.js";
import { denseA } from "../models/gaussian.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { BOLTZMANN, buildSde, eulerStationary, fastestRate, holdNodes, linearDense, stationary, type Circuit, type Sde } from "../chips/langevin/circuit.js";
import { conditionalGaussian } from "../run/clamp.js";
import { inverse, matvec, spectralRadius, zeros } from "../linalg/dense.js";
import { cgSolve, eigenRange } from "../linalg/sparse.js";
import { deviceNormal } from "../util/random.js";
import { relativeFrobenius } from "../metrics/stats.js";
import { InputError } from "../errors.js";
import type { LinearLaw } from "../chips/langevin/law.js";
import { formatSI } from "../units.js";
import { symmetricSparse, notPositiveDefiniteSparse } from "../linalg/sparse.js";

/** Exact covariance analysis (dense Lyapunov) up to this many states. */
export const DENSE_LIMIT = 256;

/** Resistive elements whose Joule heating the kernel integrates. */
export interface Dissipation {
  /** Passive conductances between nodes (S, > 0) and from each node to ground. */
  ei: Int32Array;
  ej: Int32Array;
  eg: Float64Array;
  ground: Float64Array;
  /** The far end of each ground conductance (V): 0, or a held node's voltage (a clamp). */
  groundRef: Float64Array;
  /** Power (W) dissipated at constant rate whatever the free nodes do: resistors between held nodes, and the held-node part of combined ground elements. */
  constant: number;
  /** Resistors from amplifier aj's output (inverted when ag < 0) to node ai. */
  ai: Int32Array;
  aj: Int32Array;
  ag: Float64Array;
}

/** Beyond this condition number float64 cannot predict (or simulate) the law reliably. */
export const MAX_CONDITION = 1e12;

/** Integration steps per read-out the kernel can count (an i32). */
export const MAX_STEPS_PER_READOUT = 2 ** 31 - 1;

export interface LangevinMapping {
  model: GaussianModel | HopfieldModel;
  sde: Sde;
  dissipation: Dissipation;
  /** Volts per model unit: node voltage / vScale is the model's u (or x). */
  vScale: number;
  /** Model variables from node voltages: x = V / vScale, or Hopfield outputs tanh(gain V / vScale). */
  output: { kind: "voltage" } | { kind: "hopfield"; gain: number };
  integrator: "exact-ou" | "euler-maruyama" | "heun";
  step: number;
  stepsPerSweep: number;
  /** Static counts for the ledger. */
  dacWrites: number;
  /** A clamped mapping: values written per chain to hold the clamp (held voltages, and re-solved bias currents where the host solves the mean). */
  clampWrites?: number;
  /** A clamped mapping: the model variables the circuit's nodes are (free ones, in order). */
  free?: Int32Array;
  amplifiers: number;
  noiseSources: number;
  warnings: string[];
  report: Record<string, unknown>;
  /** Linear circuits up to DENSE_LIMIT states: the law, for predictions of a run (law.ts). */
  law?: LinearLaw;
}

interface Elements {
  /** Edge values (i < j) and ground values before scaling (model units). */
  ei: Int32Array;
  ej: Int32Array;
  edge: Float64Array;
  ground: Float64Array;
}

/** Off-diagonal -A_ij and row sums of A: the element values of a Laplacian-plus-ground realisation. */
function elementsOf(m: GaussianModel): Elements {
  const ground = m.diag.slice();
  for (let k = 0; k < m.ei.length; k++) {
    ground[m.ei[k]] += m.ew[k];
    ground[m.ej[k]] += m.ew[k];
  }
  return { ei: m.ei, ej: m.ej, edge: m.ew.map((v) => -v), ground };
}

/** DAC quantisation (sign kept: negative elements are active), then mismatch. */
function program(v: number, full: number, bits: number, mismatch: number, seed: number, stream: number, index: number): number {
  const a = Math.abs(v);
  let q = a;
  if (bits > 0) {
    const lsb = full / (2 ** bits - 1);
    q = Math.min(full, Math.round(a / lsb) * lsb);
  } else q = Math.min(full, a);
  if (mismatch > 0) q *= 1 + mismatch * deviceNormal(seed, stream, index);
  return Math.sign(v) * q;
}

function quantStats(orig: Float64Array, got: Float64Array) {
  let maxErr = 0;
  let se = 0;
  let so = 0;
  let zeroed = 0;
  for (let k = 0; k < orig.length; k++) {
    const e = Math.abs(got[k] - orig[k]);
    maxErr = Math.max(maxErr, e);
    se += e * e;
    so += orig[k] * orig[k];
    if (orig[k] !== 0 && got[k] === 0) zeroed++;
  }
  return { max_abs_error: maxErr, relative_rms_error: so > 0 ? Math.sqrt(se / so) : 0, zeroed };
}

/**
 * The programmed matrix (ground elements on the diagonal plus the Laplacian of
 * the coupling elements) must stay positive definite: otherwise the circuit
 * has no stationary state and its voltages run to the rails.
 */
function checkProgrammed(n: number, ei: Int32Array, ej: Int32Array, edge: Float64Array, ground: Float64Array, what: string, bits: number, cond: number, modelFile: string): void {
  const diag = ground.slice();
  for (let k = 0; k < ei.length; k++) {
    diag[ei[k]] += edge[k];
    diag[ej[k]] += edge[k];
  }
  const bad = notPositiveDefiniteSparse(symmetricSparse(n, diag, ei, ej, edge.map((v) => -v)), 1e-14);
  if (bad !== undefined) {
    const zeroed = [...edge, ...ground].filter((v) => v === 0).length;
    throw new InputError(modelFile, "A",
      `as programmed into ${bits > 0 ? `${bits}-bit ` : ""}${what}s the matrix is no longer positive definite (at row ${bad}): the circuit would have no stationary state. ` +
      `A's condition number ~${cond.toExponential(1)} asks for finer ${what}s than the chip has${zeroed > 0 ? ` (${zeroed} elements round to zero)` : ""}`);
  }
}

/** Target mean and per-variable sd (exact for small models, bounds for large). */
function targetMoments(m: GaussianModel): { mean: Float64Array; sd: Float64Array; cov?: Float64Array } {
  if (m.n <= DENSE_LIMIT) {
    const ainv = inverse(denseA(m), m.n)!;
    const mean = matvec(ainv, m.b, m.n);
    const cov = ainv.map((v) => v / m.beta);
    return { mean, sd: Float64Array.from({ length: m.n }, (_, i) => Math.sqrt(cov[i * m.n + i])), cov };
  }
  const mean = cgSolve(m, m.b);
  const { min } = eigenRange(m);
  return { mean, sd: new Float64Array(m.n).fill(1 / Math.sqrt(m.beta * min)) };
}

/** A clamp for one condition: model variables held at values (model units), from a clamp file. */
export interface Hold {
  index: Int32Array;
  values: Float64Array;
  file: string;
  condition: number;
}

/**
 * With `hold`, the chip is programmed for the whole model exactly as without
 * (same scale, quantisation, mismatch) and the clamped nodes are then held at
 * their values' voltages by ideal sources (circuit.ts holdNodes); the law and
 * checks are those of the conditional model over the free variables.
 */
export function mapGaussian(m: GaussianModel, modelFile: string, spec: LangevinSpec, seed: number, hold?: Hold): LangevinMapping {
  const n = m.n;
  if (n > spec.maxNodes) throw new InputError(modelFile, "A", `the model has ${n} variables but chip ${spec.name} has ${spec.maxNodes} nodes (max_nodes)`);
  const warnings: string[] = [];
  const el = elementsOf(m);
  const cond = conditionNumber(m);
  if (!(cond <= MAX_CONDITION)) {
    throw new InputError(modelFile, "A", `has condition number ${Number.isFinite(cond) ? `~${cond.toExponential(1)}` : "beyond float64's reach"}: more than ${MAX_CONDITION.toExponential(0)}, past which float64 arithmetic cannot represent its covariance A^-1 faithfully (nor would any analog chip)`);
  }
  const target = targetMoments(m);
  const rail = spec.amplifier.rail;
  let reach = 0;
  for (let i = 0; i < n; i++) reach = Math.max(reach, Math.abs(target.mean[i]) + 4 * target.sd[i]);
  let vScale = (spec.readout.railFraction * rail) / reach;
  // What the free nodes should sample: the model, or its conditional law given the clamp.
  const cm = hold ? conditionalGaussian(m, hold.index, hold.values) : m;
  const want = hold ? targetMoments(cm) : target;

  const maxElement = Math.max(el.edge.reduce((a, v) => Math.max(a, Math.abs(v)), 0), el.ground.reduce((a, v) => Math.max(a, Math.abs(v)), 0));
  const circuit: Circuit = {
    n, ei: el.ei, ej: el.ej, eg: new Float64Array(el.ei.length), ground: new Float64Array(n), bias: new Float64Array(n),
    element: new Int32Array(n).fill(spec.amplifier.element === "tanh" ? 1 : 0),
    gain: new Float64Array(n).fill(spec.amplifier.gain),
    rail: new Float64Array(n).fill(rail),
    johnsonT: 0,
  };
  let inverting = 0;
  let programmed = 0;
  const report: Record<string, unknown> = { encoding: spec.encoding, nodes: n };

  if (spec.encoding === "conductance") {
    const sG = spec.conductance.max / maxElement; // siemens per model unit of A
    const gEdge = el.edge.map((v, k) => program(sG * v, spec.conductance.max, spec.conductance.bits, spec.conductance.mismatch, seed, 1, k));
    const gGround = el.ground.map((v, i) => program(sG * v, spec.conductance.max, spec.conductance.bits, spec.conductance.mismatch, seed, 2, i));
    circuit.eg = gEdge;
    circuit.ground = gGround;
    checkProgrammed(n, el.ei, el.ej, gEdge, gGround, "conductance", spec.conductance.bits, cond, modelFile);
    inverting = gEdge.reduce((a, g) => a + (g < 0 ? 1 : 0), 0) + gGround.reduce((a, g) => a + (g < 0 ? 1 : 0), 0);
    programmed = gEdge.reduce((a, g) => a + (g !== 0 ? 1 : 0), 0) + gGround.reduce((a, g) => a + (g !== 0 ? 1 : 0), 0);
    const c = spec.capacitor.value;
    circuit.cDiag = Float64Array.from({ length: n }, (_, i) => c * (1 + spec.capacitor.spread * deviceNormal(seed, 3, i)));
    const q = quantStats(Float64Array.from([...el.edge, ...el.ground]), Float64Array.from([...gEdge, ...gGround].map((g) => g / sG)));
    let sigma2 = 0;
    if (spec.noise.mode === "injected") {
      sigma2 = ((2 * c * sG * vScale * vScale) / m.beta) * spec.noise.scale ** 2;
      circuit.injected = new Float64Array(n).fill(sigma2);
      if (spec.noise.bandwidth !== "white") circuit.bandwidth = spec.noise.bandwidth;
      if (spec.noise.johnson) circuit.johnsonT = spec.noise.temperature;
      // The resistors' own noise, relative to the injected sources (intensity at the worst node).
      const gAbs = gGround.map(Math.abs);
      gEdge.forEach((g, k) => {
        gAbs[el.ei[k]] += Math.abs(g);
        gAbs[el.ej[k]] += Math.abs(g);
      });
      const ratio = (2 * BOLTZMANN * spec.noise.temperature * Math.max(...gAbs)) / sigma2;
      report.johnson_noise_relative = ratio;
      report.johnson_noise_simulated = spec.noise.johnson;
      if (!spec.noise.johnson && ratio > 1e-3) {
        warnings.push(`the resistors' Johnson noise is ${ratio.toExponential(2)} of the injected noise but noise.johnson is false: set it true`);
      }
    } else {
      warnings.push(
        `noise.mode ${spec.noise.mode} with the conductance encoding: a passive RC network driven by its own resistor noise samples kT C^-1 whatever G is, not the model's A^-1 / beta; use injected noise or the capacitance encoding`,
      );
      circuit.johnsonT = spec.noise.mode === "thermal" ? spec.noise.temperature
        // thermal-effective: the temperature whose kT/c matches the average target variance.
        : ((c * vScale * vScale * target.sd.reduce((a, s) => a + s * s, 0)) / n / BOLTZMANN) * spec.noise.scale ** 2;
    }
    if (spec.capacitor.spread > 0) {
      warnings.push(`capacitor spread ${spec.capacitor.spread} with the conductance encoding: unequal capacitors break the law (sigma^2 / 2c) G^-1`);
    }
    circuit.bias = m.b.map((b) => sG * vScale * b);
    report.conductance_scale_S = sG;
    report.injected_noise = sigma2 > 0 ? { intensity_A2s: sigma2, density_A_per_sqrtHz: Math.sqrt(2 * sigma2) } : null;
    report.conductance_quantisation = q;
  } else {
    const sC = spec.capacitor.value / maxElement; // farads per model unit of A
    const cEdge = el.edge.map((v, k) => program(sC * v, spec.capacitor.value, spec.capacitor.bits, spec.capacitor.spread, seed, 4, k));
    const cGround = el.ground.map((v, i) => program(sC * v, spec.capacitor.value, spec.capacitor.bits, spec.capacitor.spread, seed, 5, i));
    const C = zeros(n);
    for (let i = 0; i < n; i++) C[i * n + i] = cGround[i];
    cEdge.forEach((cv, k) => {
      const [i, j] = [el.ei[k], el.ej[k]];
      C[i * n + i] += cv;
      C[j * n + j] += cv;
      C[i * n + j] -= cv;
      C[j * n + i] -= cv;
    });
    if (n > DENSE_LIMIT) throw new InputError(spec.file, "encoding", `the capacitance encoding needs a dense capacitance matrix; ${n} nodes is more than ${DENSE_LIMIT}`);
    checkProgrammed(n, el.ei, el.ej, cEdge, cGround, "capacitance", spec.capacitor.bits, cond, modelFile);
    circuit.cDense = C;
    inverting = cEdge.reduce((a, v) => a + (v < 0 ? 1 : 0), 0) + cGround.reduce((a, v) => a + (v < 0 ? 1 : 0), 0);
    programmed = cEdge.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0) + cGround.reduce((a, v) => a + (v !== 0 ? 1 : 0), 0);
    const g0 = Float64Array.from({ length: n }, (_, i) => spec.conductance.ground * (1 + spec.conductance.mismatch * deviceNormal(seed, 6, i)));
    circuit.ground = g0;
    circuit.eg = new Float64Array(el.ei.length);
    let kTeff: number;
    if (spec.noise.mode === "thermal") {
      // Physical temperature: the voltage scale is what physics gives.
      kTeff = BOLTZMANN * spec.noise.temperature;
      vScale = Math.sqrt((kTeff * m.beta) / sC);
      if (reach * vScale > rail) warnings.push(`physical kT noise gives ${(reach * vScale).toExponential(2)} V swings, beyond the ${rail} V rails`);
    } else {
      kTeff = ((sC * vScale * vScale) / m.beta) * spec.noise.scale ** 2;
    }
    circuit.johnsonT = kTeff / BOLTZMANN;
    // The host solves the mean; with a clamp, the free nodes' conditional mean (held nodes' bias is unused).
    const mean = target.mean.slice();
    if (hold) freeIndex(n, hold.index).forEach((i, k) => (mean[i] = want.mean[k]));
    circuit.bias = Float64Array.from(mean, (mu, i) => g0[i] * vScale * mu);
    report.capacitance_scale_F = sC;
    report.effective_temperature_K = kTeff / BOLTZMANN;
    report.capacitance_quantisation = quantStats(Float64Array.from([...el.edge, ...el.ground]), Float64Array.from([...cEdge, ...cGround].map((v) => v / sC)));
    report.host_solved_mean = true;
  }
  if (spec.noise.scale !== 1) {
    const s2 = spec.noise.scale ** 2;
    report.noise_scale = spec.noise.scale;
    warnings.push(`noise.scale ${spec.noise.scale}: the noise sources run at ${spec.noise.scale}x the strength the model's temperature needs, so the chip samples at beta ${Number((m.beta / s2).toPrecision(4))} instead of ${m.beta} (every variance x${Number(s2.toPrecision(4))})`);
  }
  // Amplifier offsets: an input-referred offset delta shifts the node's equilibrium by about delta.
  if (spec.amplifier.offsetSigma > 0) {
    const gii = circuit.ground.slice();
    for (let k = 0; k < circuit.ei.length; k++) {
      gii[circuit.ei[k]] += circuit.eg[k];
      gii[circuit.ej[k]] += circuit.eg[k];
    }
    for (let i = 0; i < n; i++) circuit.bias[i] += gii[i] * spec.amplifier.offsetSigma * deviceNormal(seed, 7, i);
  }

  const full = circuit;
  let held: ReturnType<typeof holdVolts> | undefined;
  let run = circuit;
  if (hold) {
    held = holdVolts(hold, vScale, spec);
    run = holdNodes(circuit, hold.index, held.volts).circuit;
  }
  const sde = buildSde(run);
  const lambdaMax = fastestRate(sde);
  const linear = spec.amplifier.element === "linear";
  let integrator: LangevinMapping["integrator"];
  const impl = spec.integrator.impl;
  if (impl === "auto") integrator = !linear ? "heun" : sde.ns <= DENSE_LIMIT ? "exact-ou" : "euler-maruyama";
  else integrator = impl;
  if (integrator === "exact-ou" && !linear) throw new InputError(spec.file, "integrator.impl", "exact-ou needs a linear circuit; tanh amplifiers need euler-maruyama or heun");
  if (integrator === "exact-ou" && sde.ns > DENSE_LIMIT) throw new InputError(spec.file, "integrator.impl", `exact-ou is dense (n^2 per step); ${sde.ns} states is more than ${DENSE_LIMIT}`);
  const interval = spec.readout.interval;
  // A read-out interval beyond 1e15 of the circuit's fastest time constants means nothing physical and
  // takes the exact step's matrix exponential past float range (and its squaring loop past any time).
  if (!(interval * lambdaMax <= 1e15)) {
    throw new InputError(spec.file, "readout.interval", `${interval} s is ${(interval * lambdaMax).toExponential(2)} of the circuit's fastest time constants (${(1 / lambdaMax).toExponential(3)} s); at most 1e15 are supported (the samples would be independent long before)`);
  }
  let step: number;
  let stepsPerSweep: number;
  // The kernel counts integration steps per read-out in 32 bits: more would wrap (all-zero samples, negative counts).
  const checkSteps = (k: number, per: number) => {
    if (!(k <= MAX_STEPS_PER_READOUT)) {
      throw new InputError(spec.file, "readout.interval", `${interval} s is ${k.toExponential(2)} integration steps of ${per.toExponential(2)} s per read-out, more than the kernel can count (${MAX_STEPS_PER_READOUT}); read out more often, or integrate with exact-ou (one exact step per read-out, linear circuits)`);
    }
  };
  if (integrator === "exact-ou") {
    stepsPerSweep = spec.integrator.step === "auto" ? 1 : Math.max(1, Math.round(interval / spec.integrator.step));
    if (spec.integrator.step !== "auto") checkSteps(stepsPerSweep, spec.integrator.step);
    step = interval / stepsPerSweep;
  } else {
    const want = spec.integrator.step === "auto" ? spec.integrator.stepFraction / lambdaMax : spec.integrator.step;
    stepsPerSweep = Math.max(1, Math.ceil(interval / want - 1e-9));
    checkSteps(stepsPerSweep, want);
    step = interval / stepsPerSweep;
    if (step * lambdaMax >= 2) {
      throw new InputError(spec.file, "integrator.step", `h * lambda_max = ${(step * lambdaMax).toFixed(3)} >= 2: ${integrator} is unstable on this circuit (fastest rate ${lambdaMax.toExponential(3)} /s); use a step below ${(2 / lambdaMax).toExponential(3)} s`);
    }
    report.em_variance_inflation_fastest_mode = 1 / (1 - (step * lambdaMax) / 2);
  }

  // What the circuit really samples, in model units, against the target.
  let law: LinearLaw | undefined;
  if (linear && sde.ns <= DENSE_LIMIT && want.cov) {
    law = {
      sde, vScale, interval, adcLsb: spec.readout.adcBits > 0 ? (2 * rail) / 2 ** spec.readout.adcBits : 0,
      ...(integrator === "euler-maruyama" ? { emStep: step } : {}),
      targetMean: want.mean, targetCov: want.cov,
    };
    const st = stationary(sde);
    const cov = st.cov.map((v) => v / (vScale * vScale));
    const mean = st.mean.map((v) => v / vScale);
    const rel = relativeFrobenius(cov, want.cov);
    let meanErr = 0;
    for (let i = 0; i < cm.n; i++) meanErr = Math.max(meanErr, Math.abs(mean[i] - want.mean[i]) / want.sd[i]);
    report.stationary_covariance_relative_error = rel;
    // Slowest decay rate: 1 / spectral radius of M^-1 (sets how long samples take to decorrelate).
    const { M } = linearDense(sde);
    const Minv = inverse(M, sde.ns);
    if (Minv) report.slowest_rate_per_s = 1 / spectralRadius((x) => matvec(Minv, x, sde.ns), sde.ns);
    report.stationary_mean_error_sd = meanErr;
    if (rel > spec.warnTolerance) warnings.push(`the circuit's stationary covariance differs from the model's A^-1 / beta by ${(100 * rel).toFixed(1)}% (relative Frobenius; tolerance ${100 * spec.warnTolerance}%)`);
    if (integrator === "euler-maruyama") {
      const em = eulerStationary(sde, step).map((v) => v / (vScale * vScale));
      report.em_stationary_covariance_relative_error = relativeFrobenius(em, want.cov);
    }
  } else {
    report.stationary_check = linear ? `skipped: ${sde.ns} states is more than ${DENSE_LIMIT}` : "skipped: nonlinear circuit";
  }
  checkResolution(m, target, vScale, spec, modelFile);
  if (hold) checkResolution(cm, want, vScale, spec, hold.file);
  const noiseSources = circuit.injected ? n : spec.noise.mode === "thermal-effective" ? n : 0;
  const amplifiers = spec.amplifier.perNode * n + inverting;
  Object.assign(report, {
    volts_per_unit: vScale,
    integrator,
    step_s: step,
    steps_per_readout: stepsPerSweep,
    fastest_rate_per_s: lambdaMax,
    fastest_time_constant_s: 1 / lambdaMax,
    inverting_stages: inverting,
    programmed_elements: programmed,
    warnings,
  });
  if (held) {
    report.clamp = { condition: hold!.condition, held_volts: Array.from(held.volts), hold_quantisation_max_V: held.maxError, hold_dac_bits: spec.readout.adcBits };
  }
  const dissipation = passiveDissipation(full, hold?.index, held?.volts);
  return {
    model: m, sde, dissipation, vScale, output: { kind: "voltage" }, integrator, step, stepsPerSweep,
    dacWrites: programmed + n, amplifiers, noiseSources, warnings, report, law,
    ...(hold ? { clampWrites: hold.index.length + (spec.encoding === "capacitance" ? cm.n : 0), free: freeIndex(n, hold.index) } : {}),
  };
}

function freeIndex(n: number, held: Int32Array): Int32Array {
  const h = new Uint8Array(n);
  for (const i of held) h[i] = 1;
  return Int32Array.from({ length: n }, (_, i) => i).filter((i) => !h[i]);
}

/**
 * Held voltages: value x volts-per-unit, set by a DAC with the read-out's
 * resolution (the chip's voltage converters; exact when adc_bits is 0); a
 * value the rails cannot hold is refused.
 */
export function holdVolts(hold: Hold, vScale: number, spec: LangevinSpec): { volts: Float64Array; maxError: number } {
  const rail = spec.amplifier.rail;
  const bits = spec.readout.adcBits;
  const lsb = bits > 0 ? (2 * rail) / 2 ** bits : 0;
  let maxError = 0;
  const volts = Float64Array.from(hold.values, (x, j) => {
    const v = x * vScale;
    if (!(Math.abs(v) <= rail)) {
      throw new InputError(hold.file, `values[${hold.condition}, ${j}]`, `is ${x}: held at ${formatSI(v, "V")} (${formatSI(vScale, "V")} per unit, the scale that fits the model in the rails), beyond the chip's +-${rail} V rails`);
    }
    const q = lsb > 0 ? Math.max(-rail, Math.min(rail, Math.round(v / lsb) * lsb)) : v;
    maxError = Math.max(maxError, Math.abs(q - v));
    return q;
  });
  return { volts, maxError };
}

/**
 * The passive resistors whose heat the kernel integrates, in the state's
 * node order. With held nodes, a free node's ground resistor g0 and its
 * resistors g_j to held nodes at V_j dissipate sum g (V - r)^2 = G (V - rbar)^2
 * + const (G = sum g, rbar = sum g r / G): one ground element with a reference
 * voltage for the kernel, the constant (and the held nodes' own resistors) on
 * the host.
 */
function passiveDissipation(c: Circuit, held?: Int32Array, volts?: Float64Array): Dissipation {
  const n = c.n;
  const at = new Float64Array(n).fill(NaN);
  held?.forEach((i, k) => (at[i] = volts![k]));
  const isFree = (i: number) => Number.isNaN(at[i]);
  const pos = new Int32Array(n).fill(-1);
  let m = 0;
  for (let i = 0; i < n; i++) if (isFree(i)) pos[i] = m++;
  const G = new Float64Array(m);
  const gr = new Float64Array(m);
  const gr2 = new Float64Array(m);
  let constant = 0;
  const ei: number[] = [];
  const ej: number[] = [];
  const eg: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.max(0, c.ground[i]);
    if (isFree(i)) G[pos[i]] += g;
    else constant += g * at[i] * at[i];
  }
  for (let k = 0; k < c.ei.length; k++) {
    const [a, b, g] = [c.ei[k], c.ej[k], c.eg[k]];
    if (!(g > 0)) continue;
    if (isFree(a) && isFree(b)) (ei.push(pos[a]), ej.push(pos[b]), eg.push(g));
    else if (isFree(a) || isFree(b)) {
      const [f, h] = isFree(a) ? [pos[a], at[b]] : [pos[b], at[a]];
      G[f] += g;
      gr[f] += g * h;
      gr2[f] += g * h * h;
    } else constant += g * (at[a] - at[b]) ** 2;
  }
  const groundRef = new Float64Array(m);
  for (let f = 0; f < m; f++) {
    if (G[f] > 0 && gr[f] !== 0) {
      groundRef[f] = gr[f] / G[f];
      constant += Math.max(0, gr2[f] - (gr[f] * gr[f]) / G[f]);
    }
  }
  return {
    ei: Int32Array.from(ei), ej: Int32Array.from(ej), eg: Float64Array.from(eg), ground: G, groundRef, constant,
    ai: new Int32Array(0), aj: new Int32Array(0), ag: new Float64Array(0),
  };
}

/** cond(A) = lambda_max / lambda_min (dense: power iterations on A and A^-1; sparse: the Lanczos-free estimate). */
export function conditionNumber(m: GaussianModel): number {
  if (m.n <= DENSE_LIMIT) {
    const a = denseA(m);
    const ainv = inverse(a, m.n);
    if (!ainv || ainv.some((v) => !Number.isFinite(v))) return Infinity;
    return spectralRadius((x) => matvec(a, x, m.n), m.n) * spectralRadius((x) => matvec(ainv, x, m.n), m.n);
  }
  const { max, min } = eigenRange(m);
  return min > 0 ? max / min : Infinity;
}

/**
 * Every variable's fluctuations must be resolvable by the read-out: its sd in
 * volts at least half an ADC step (with no ADC, 2^-40 of the rail: no analog
 * circuit resolves more). Otherwise the samples read as a constant.
 */
function checkResolution(m: GaussianModel, target: { mean: Float64Array; sd: Float64Array }, vScale: number, spec: LangevinSpec, modelFile: string): void {
  const rail = spec.amplifier.rail;
  const bits = spec.readout.adcBits;
  const lsb = bits > 0 ? (2 * rail) / 2 ** bits : 2 ** -40 * rail;
  let worst = 0;
  for (let i = 1; i < m.n; i++) if (target.sd[i] < target.sd[worst]) worst = i;
  const sdV = target.sd[worst] * vScale;
  if (!(sdV >= lsb / 2)) {
    let reach = 0;
    for (let i = 0; i < m.n; i++) reach = Math.max(reach, Math.abs(target.mean[i]) + 4 * target.sd[i]);
    const need = Math.ceil(Math.log2((2 * reach) / target.sd[worst])) + 1;
    // Means far out (b) or one direction far wider than another (A) set the scale.
    let maxMean = 0;
    let maxSd = 0;
    for (let i = 0; i < m.n; i++) {
      maxMean = Math.max(maxMean, Math.abs(target.mean[i]));
      maxSd = Math.max(maxSd, target.sd[i]);
    }
    throw new InputError(modelFile, maxMean > 4 * maxSd ? "b" : "A",
      `x${worst} fluctuates by ${formatSI(sdV, "V")} (sd ${target.sd[worst].toPrecision(3)} at ${formatSI(vScale, "V")} per unit, the scale that fits every variable's mean +- 4 sd in the ${rail} V rails), ` +
      `below half ${bits > 0 ? `the ${bits}-bit ADC's step of ${formatSI(lsb, "V")}` : "of 2^-40 of the rail"}: the read-out cannot resolve it. The model spans ${((2 * reach) / target.sd[worst]).toExponential(1)} sd of x${worst}, which needs ~${need} bits of read-out resolution${bits > 0 ? `; the chip has ${bits}` : ""}`);
  }
}
