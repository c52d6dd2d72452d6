/**
 * Noisy Hopfield network -> analog circuit with tanh amplifiers (Hopfield
 * 1984): node i is a capacitor C whose voltage U_i drives amplifier i; T_ij is
 * a resistor |T'_ij| from amplifier j's output (inverted when T_ij < 0) to
 * node i; each node leaks to ground through rho_i. Then
 *
 *   C dU_i = ( sum_j T'_ij out_j - U_i (1/rho_i + sum_j |T'_ij|) + I'_i ) dt + dN_i.
 *
 * Scales: U = s_u u with s_u = gain * rail / amplifier_gain, so the amplifier
 * output out_j / rail equals the model's v_j = tanh(gain u_j); the model's time
 * unit lasts tau_m = C / kappa seconds, kappa (siemens) chosen so the largest
 * element is the DAC's full scale. A negative 1/rho (a model leak 1/R weaker
 * than the couplings' own conductance) needs an active stage.
 */
import type { HopfieldModel } from "../models/hopfield.js";
import type { LangevinSpec } from "../chips/langevin/spec.js";
import { BOLTZMANN, fastestRate, type Sde } from "../chips/langevin/circuit.js";
import { deviceNormal } from "../util/random.js";
import { InputError } from "../errors.js";
import type { Dissipation, LangevinMapping } from "./langevin.js";

function program(v: number, full: number, bits: number, mismatch: number, seed: number, stream: number, index: number): number {
  let q = Math.min(full, Math.abs(v));
  if (bits > 0) {
    const lsb = full / (2 ** bits - 1);
    q = Math.min(full, Math.round(Math.abs(v) / lsb) * lsb);
  }
  if (mismatch > 0) q *= 1 + mismatch * deviceNormal(seed, stream, index);
  return Math.sign(v) * q;
}

export function mapHopfield(m: HopfieldModel, modelFile: string, spec: LangevinSpec, seed: number): LangevinMapping {
  const n = m.n;
  if (n > spec.maxNodes) throw new InputError(modelFile, "T", `the model has ${n} neurons but chip ${spec.name} has ${spec.maxNodes} nodes (max_nodes)`);
  if (spec.amplifier.element !== "tanh") {
    throw new InputError(spec.file, "amplifier.element", `is linear, but a Hopfield model needs tanh amplifiers (use the rc-hopfield preset or set element: tanh)`);
  }
  if (spec.noise.mode !== "injected") throw new InputError(spec.file, "noise.mode", "a Hopfield model needs injected noise (its temperature is set by beta)");
  const warnings: string[] = [];
  const rail = spec.amplifier.rail;
  const sU = (m.gain * rail) / spec.amplifier.gain; // volts per unit of u
  const C = spec.capacitor.value;

  // Element values per unit of kappa: couplings (s_u / rail) T_ij, leaks 1/R - (s_u / rail) sum_j |T_ij|.
  const coupling = m.T.map((t) => (sU / rail) * t);
  const leak = Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < n; j++) s += Math.abs(coupling[i * n + j]);
    return 1 / m.R - s;
  });
  const largest = Math.max(...coupling.map(Math.abs), ...leak.map(Math.abs));
  const kappa = spec.conductance.max / largest; // siemens per model unit of rate
  const tau = C / kappa; // seconds per model time unit
  const g = spec.conductance;
  const T = coupling.map((v, k) => program(kappa * v, g.max, g.bits, g.mismatch, seed, 11, k));
  const rho = leak.map((v, i) => program(kappa * v, g.max, g.bits, g.mismatch, seed, 12, i));
  let active = rho.reduce((a, v) => a + (v < 0 ? 1 : 0), 0);
  for (let j = 0; j < n; j++) {
    let inverted = false;
    for (let i = 0; i < n; i++) inverted ||= T[i * n + j] < 0;
    if (inverted) active++; // an inverting output on amplifier j
  }
  const caps = Float64Array.from({ length: n }, (_, i) => C * (1 + spec.capacitor.spread * deviceNormal(seed, 13, i)));

  // The SDE: leak from the actual elements, couplings from amplifier outputs.
  const sigma2 = ((2 * C * kappa * sU * sU) / m.beta) * spec.noise.scale ** 2; // injected current noise intensity (A^2 s)
  const kOff = new Int32Array(n + 1);
  const kIdx: number[] = [];
  const kVal: number[] = [];
  const leakRate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let total = rho[i];
    for (let j = 0; j < n; j++) {
      const t = T[i * n + j];
      if (t === 0) continue;
      total += Math.abs(t);
      kIdx.push(j);
      kVal.push(t / caps[i]);
    }
    leakRate[i] = total / caps[i];
    kOff[i + 1] = kIdx.length;
  }
  // Noise channels, one node each: the injected sources, then (optionally)
  // every resistor's Johnson noise into its node (amplifier outputs are stiff).
  const chOff: number[] = [0];
  const chIdx: number[] = [];
  const chVal: number[] = [];
  const channel = (i: number, strength: number) => {
    chIdx.push(i);
    chVal.push(strength / caps[i]);
    chOff.push(chIdx.length);
  };
  for (let i = 0; i < n; i++) channel(i, Math.sqrt(sigma2));
  if (spec.noise.johnson) {
    const kT2 = 2 * BOLTZMANN * spec.noise.temperature;
    for (let i = 0; i < n; i++) {
      if (rho[i] !== 0) channel(i, Math.sqrt(kT2 * Math.abs(rho[i])));
      for (let j = 0; j < n; j++) if (T[i * n + j] !== 0) channel(i, Math.sqrt(kT2 * Math.abs(T[i * n + j])));
    }
  }
  if (spec.noise.scale !== 1) warnings.push(`noise.scale ${spec.noise.scale}: the noise sources run at ${spec.noise.scale}x the strength beta ${m.beta} needs, so the network samples at beta ${Number((m.beta / spec.noise.scale ** 2).toPrecision(4))}`);
  const sde: Sde = {
    ns: n, nObs: n, leak: leakRate, kOff, kIdx: Int32Array.from(kIdx), kVal: Float64Array.from(kVal),
    // I'_i = C s_u I_i / tau = kappa s_u I_i amperes into node i.
    c: Float64Array.from({ length: n }, (_, i) => (kappa * sU * m.I[i]) / caps[i]),
    chOff: Int32Array.from(chOff), chIdx: Int32Array.from(chIdx), chVal: Float64Array.from(chVal),
    element: new Int32Array(n).fill(1), gain: new Float64Array(n).fill(spec.amplifier.gain), rail: new Float64Array(n).fill(rail),
  };

  const lambdaMax = fastestRate(sde);
  const integrator = spec.integrator.impl === "auto" ? "heun" : spec.integrator.impl;
  if (integrator === "exact-ou") throw new InputError(spec.file, "integrator.impl", "exact-ou needs a linear circuit; tanh amplifiers need euler-maruyama or heun");
  const want = spec.integrator.step === "auto" ? spec.integrator.stepFraction / lambdaMax : spec.integrator.step;
  const stepsPerSweep = Math.max(1, Math.ceil(spec.readout.interval / want - 1e-9));
  const step = spec.readout.interval / stepsPerSweep;
  if (step * lambdaMax >= 2) {
    throw new InputError(spec.file, "integrator.step", `h * lambda_max = ${(step * lambdaMax).toFixed(3)} >= 2: ${integrator} is unstable on this circuit (fastest rate ${lambdaMax.toExponential(3)} /s); use a step below ${(2 / lambdaMax).toExponential(3)} s`);
  }

  // Mapping error: the programmed network in model units against T and 1/R.
  let se = 0;
  let so = 0;
  let maxErr = 0;
  T.forEach((t, k) => {
    const e = Math.abs(t / (kappa * (sU / rail)) - m.T[k]);
    se += e * e;
    so += m.T[k] * m.T[k];
    maxErr = Math.max(maxErr, e);
  });
  // Node voltages stay within the rails when |u| <= R (sum |T| + |I|) maps inside them.
  let reach = 0;
  for (let i = 0; i < n; i++) {
    let s = Math.abs(m.I[i]);
    for (let j = 0; j < n; j++) s += Math.abs(m.T[i * n + j]);
    reach = Math.max(reach, m.R * s);
  }
  const clipRisk = (reach * sU + 4 * sU * Math.sqrt(m.R / m.beta)) / rail;
  if (clipRisk > 1) {
    warnings.push(`node voltages can reach ${clipRisk.toFixed(2)}x the ${rail} V rails and be clipped (|u| up to R (sum|T| + |I|) = ${reach.toFixed(3)}); lower the amplifier gain or the model's gain`);
  }
  const report: Record<string, unknown> = {
    model: "hopfield",
    nodes: n,
    volts_per_unit: sU,
    time_unit_s: tau,
    conductance_unit_S: kappa,
    injected_noise: { intensity_A2s: sigma2, density_A_per_sqrtHz: Math.sqrt(2 * sigma2) },
    coupling_quantisation: { max_abs_error: maxErr, relative_rms_error: so > 0 ? Math.sqrt(se / so) : 0 },
    active_stages: active,
    clip_risk: clipRisk,
    integrator,
    step_s: step,
    steps_per_readout: stepsPerSweep,
    fastest_rate_per_s: lambdaMax,
    fastest_time_constant_s: 1 / lambdaMax,
    stationary_check: "skipped: nonlinear circuit (the stationary law is what the dynamics produce)",
    warnings,
  };
  const ai: number[] = [];
  const aj: number[] = [];
  const ag: number[] = [];
  T.forEach((t, k) => {
    if (t !== 0) {
      ai.push(Math.floor(k / n));
      aj.push(k % n);
      ag.push(t);
    }
  });
  const dissipation: Dissipation = {
    ei: new Int32Array(0), ej: new Int32Array(0), eg: new Float64Array(0),
    ground: rho.map((r) => Math.max(0, r)), groundRef: new Float64Array(rho.length), constant: 0,
    ai: Int32Array.from(ai), aj: Int32Array.from(aj), ag: Float64Array.from(ag),
  };
  return {
    model: m, sde, dissipation, vScale: sU, output: { kind: "hopfield", gain: m.gain },
    integrator: integrator as LangevinMapping["integrator"], step, stepsPerSweep,
    dacWrites: ag.length + rho.reduce((a, r) => a + (r !== 0 ? 1 : 0), 0) + n,
    amplifiers: spec.amplifier.perNode * n + active,
    noiseSources: n,
    warnings,
    report,
  };
}
