/**
 * An analog Langevin chip spec: node capacitors, a programmable conductance
 * network, noise sources, amplifiers with supply rails, an ADC, and the
 * integrator used to simulate it. Units parsed once here; SI floats after.
 */
import { Reader } from "../../spec/reader.js";

export const ENCODINGS = ["conductance", "capacitance"] as const;
export const NOISE_MODES = ["injected", "thermal", "thermal-effective"] as const;
export const INTEGRATORS = ["auto", "exact-ou", "euler-maruyama", "heun"] as const;

export interface LangevinSpec {
  kind: "langevin";
  name: string;
  file: string;
  description: string;
  sources: string[];
  /**
   * Where the model's matrix lives: in the conductances (equal capacitors,
   * injected noise: covariance (sigma^2/2c) G^-1) or in the capacitance matrix
   * (thermal-style noise: covariance kT_eff C^-1).
   */
  encoding: (typeof ENCODINGS)[number];
  maxNodes: number;
  capacitor: { value: number; bits: number; spread: number };
  conductance: { max: number; bits: number; mismatch: number; ground: number };
  /** scale: the engineered noise sources' strength (amplitude) relative to what the mapper programs for the model's beta: a calibration error. */
  noise: { mode: (typeof NOISE_MODES)[number]; temperature: number; johnson: boolean; bandwidth: number | "white"; scale: number };
  amplifier: { element: "linear" | "tanh"; gain: number; rail: number; offsetSigma: number; perNode: number };
  readout: { interval: number; adcBits: number; railFraction: number };
  integrator: { impl: (typeof INTEGRATORS)[number]; step: number | "auto"; stepFraction: number };
  warnTolerance: number;
  energy: string | Record<string, unknown>;
}

export function readLangevinSpec(file: string, doc: Record<string, unknown>): LangevinSpec {
  const r = Reader.of(file, doc);
  r.choice("kind", ["langevin"] as const);
  const name = r.string("name");
  const description = r.string("description", "");
  const sources = r.raw("sources") ?? [];
  if (!Array.isArray(sources) || !sources.every((s) => typeof s === "string")) r.fail("sources", "must be a list of text entries");
  const encoding = r.choice("encoding", ENCODINGS);
  const maxNodes = r.int("max_nodes", { min: 1 }, 4096);

  const c = r.object("capacitor")!;
  const capacitor = {
    value: c.quantity("value", "capacitance", { above: 0, min: 1e-21, max: 1 }),
    bits: c.int("bits", { min: 0, max: 24 }, 0),
    spread: c.number("spread", { min: 0, max: 0.5 }, 0),
  };
  c.done();

  const g = r.object("conductance")!;
  const conductance = {
    max: g.quantity("max", "conductance", { above: 0, min: 1e-18, max: 1e3 }),
    bits: g.int("bits", { min: 0, max: 24 }, 0),
    mismatch: g.number("mismatch", { min: 0, max: 0.5 }, 0),
    ground: g.quantity("ground", "conductance", { above: 0, min: 1e-18, max: 1e3 }, "1 uS"),
  };
  g.done();

  const nz = r.object("noise")!;
  const bwRaw = nz.raw("bandwidth") ?? "white";
  let bandwidth: number | "white" = "white";
  if (bwRaw !== "white") bandwidth = nz.quantity("bandwidth", "frequency", { above: 0, min: 1e-3, max: 1e15 });
  const noise = {
    mode: nz.choice("mode", NOISE_MODES),
    temperature: nz.quantity("temperature", "temperature", { above: 0, max: 1e4 }, "300 K"),
    johnson: nz.bool("johnson", true),
    bandwidth,
    scale: nz.number("scale", { above: 0, max: 100 }, 1),
  };
  // Thermal noise is the resistors' own at noise.temperature: there is no source whose strength could be off.
  if (noise.mode === "thermal" && noise.scale !== 1) nz.fail("scale", "applies to engineered noise (mode injected or thermal-effective); thermal noise is set by noise.temperature");
  nz.done();

  const a = r.object("amplifier")!;
  const amplifier = {
    element: a.choice("element", ["linear", "tanh"] as const, "linear"),
    gain: a.number("gain", { above: 0 }, 1),
    rail: a.quantity("rail", "voltage", { above: 0, max: 1e3 }),
    offsetSigma: a.quantity("offset_sigma", "voltage", { min: 0, max: 1e3 }, "0 V"),
    perNode: a.int("per_node", { min: 0 }, 1),
  };
  a.done();

  const ro = r.object("readout")!;
  const readout = {
    interval: ro.quantity("interval", "time", { above: 0, min: 1e-15, max: 1e3 }),
    adcBits: ro.int("adc_bits", { min: 0, max: 24 }, 0),
    railFraction: ro.number("rail_fraction", { above: 0, max: 1 }, 0.8),
  };
  ro.done();

  const it = r.object("integrator")!;
  const impl = it.choice("impl", INTEGRATORS, "auto");
  const stepRaw = it.raw("step") ?? "auto";
  const step = stepRaw === "auto" ? "auto" : it.quantity("step", "time", { above: 0, min: 1e-18, max: 1e3 });
  const stepFraction = it.number("step_fraction", { above: 0, max: 1.9 }, 0.02);
  it.done();

  const warnTolerance = r.number("warn_tolerance", { above: 0 }, 0.05);
  const energyRaw = r.raw("energy");
  if (typeof energyRaw !== "string" && (typeof energyRaw !== "object" || energyRaw === null || Array.isArray(energyRaw))) {
    r.fail("energy", "must name a technology table (circuits/tech), give a path, or hold the table inline");
  }
  r.done();
  return {
    kind: "langevin", name, file, description, sources: sources as string[], encoding, maxNodes, capacitor, conductance, noise,
    amplifier, readout, integrator: { impl, step, stepFraction }, warnTolerance, energy: energyRaw as string | Record<string, unknown>,
  };
}

export function resolvedLangevinSpec(s: LangevinSpec): Record<string, unknown> {
  return {
    kind: "langevin",
    name: s.name,
    description: s.description,
    sources: s.sources,
    encoding: s.encoding,
    max_nodes: s.maxNodes,
    capacitor: { value: `${s.capacitor.value} F`, bits: s.capacitor.bits, spread: s.capacitor.spread },
    conductance: { max: `${s.conductance.max} S`, bits: s.conductance.bits, mismatch: s.conductance.mismatch, ground: `${s.conductance.ground} S` },
    noise: {
      mode: s.noise.mode, temperature: `${s.noise.temperature} K`, johnson: s.noise.johnson,
      bandwidth: s.noise.bandwidth === "white" ? "white" : `${s.noise.bandwidth} Hz`,
      scale: s.noise.scale,
    },
    amplifier: { element: s.amplifier.element, gain: s.amplifier.gain, rail: `${s.amplifier.rail} V`, offset_sigma: `${s.amplifier.offsetSigma} V`, per_node: s.amplifier.perNode },
    readout: { interval: `${s.readout.interval} s`, adc_bits: s.readout.adcBits, rail_fraction: s.readout.railFraction },
    integrator: { impl: s.integrator.impl, step: s.integrator.step === "auto" ? "auto" : `${s.integrator.step} s`, step_fraction: s.integrator.stepFraction },
    warn_tolerance: s.warnTolerance,
    energy: s.energy,
  };
}
