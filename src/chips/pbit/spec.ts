/**
 * A p-bit chip spec, read and checked field by field. Units are parsed once
 * here; everything past this file is SI floats.
 */
import { Reader } from "../../spec/reader.js";
import { readTopology, type TopologySpec } from "../topology/index.js";
import { readNumerics, resolvedNumerics, type Numerics } from "./numerics.js";
import { readActivation, resolvedActivation, type ActivationSpec } from "./activation.js";
import { readRng, type RngSpec } from "./rng/index.js";

export const SCHEDULES = ["chromatic", "synchronous", "async"] as const;
export type Schedule = (typeof SCHEDULES)[number];

export interface PbitSpec {
  kind: "pbit";
  name: string;
  file: string;
  description: string;
  sources: string[];
  topology: TopologySpec;
  colouring: "natural" | "dsatur";
  numerics: Numerics;
  activation: ActivationSpec;
  rng: RngSpec;
  clock: { frequency: number; macLanes: number | "all"; overheadCycles: number };
  schedule: Schedule;
  async?: { meanFlipTime: number; synapseDelay: number };
  mismatch: { gainSigma: number; offsetSigma: number };
  /**
   * Technology table: a name in circuits/tech, a path (relative to the spec),
   * or the table itself inline (as resolved specs carry it).
   */
  energy: string | Record<string, unknown>;
}

export function readPbitSpec(file: string, doc: Record<string, unknown>): PbitSpec {
  const r = Reader.of(file, doc);
  r.choice("kind", ["pbit"] as const);
  const name = r.string("name");
  const description = r.string("description", "");
  const sourcesRaw = r.raw("sources") ?? [];
  if (!Array.isArray(sourcesRaw) || !sourcesRaw.every((s) => typeof s === "string")) r.fail("sources", "must be a list of text entries");
  const topology = readTopology(r.object("topology")!);
  const colouring = r.choice("colouring", ["natural", "dsatur"] as const, "dsatur");
  const numerics = readNumerics(r.object("numerics")!);
  const activation = readActivation(r.object("activation")!);
  if (activation.impl === "lut" && numerics.accumulator.format === "float64" && (activation.step === "auto" || activation.entries === "auto")) {
    r.fail("activation", 'a LUT on a float64 accumulator needs an explicit step and entries ("auto" follows a fixed-point accumulator)');
  }
  const rng = readRng(r.object("rng")!);

  const c = r.object("clock")!;
  const frequency = c.quantity("frequency", "frequency", { above: 0, min: 1e-3, max: 1e13 });
  const lanesRaw = c.raw("mac_lanes") ?? "all";
  if (lanesRaw !== "all" && !(Number.isInteger(lanesRaw) && (lanesRaw as number) >= 1)) c.fail("mac_lanes", `must be "all" or a whole number >= 1, got ${JSON.stringify(lanesRaw)}`);
  const overheadCycles = c.int("overhead_cycles", { min: 0 }, 0);
  c.done();

  const schedule = r.choice("schedule", SCHEDULES, "chromatic");
  let asyncTiming: PbitSpec["async"];
  const a = r.object("async", false);
  if (a) {
    const meanFlipTime = a.quantity("mean_flip_time", "time", { above: 0, min: 1e-15, max: 1e3 });
    const synapseDelay = a.quantity("synapse_delay", "time", { min: 0, max: 1e3 }, "0 s");
    a.done();
    asyncTiming = { meanFlipTime, synapseDelay };
  }
  const m = r.object("mismatch", false);
  const mismatch = { gainSigma: 0, offsetSigma: 0 };
  if (m) {
    mismatch.gainSigma = m.number("gain_sigma", { min: 0, max: 1 }, 0);
    mismatch.offsetSigma = m.number("offset_sigma", { min: 0 }, 0);
    m.done();
  }
  const energyRaw = r.raw("energy");
  if (typeof energyRaw !== "string" && (typeof energyRaw !== "object" || energyRaw === null || Array.isArray(energyRaw))) {
    r.fail("energy", "must name a technology table (circuits/tech), give a path, or hold the table inline");
  }
  const energy = energyRaw as string | Record<string, unknown>;
  r.done();
  return {
    kind: "pbit", name, file, description, sources: sourcesRaw as string[], topology, colouring, numerics, activation, rng,
    clock: { frequency, macLanes: lanesRaw as number | "all", overheadCycles },
    schedule, async: asyncTiming, mismatch, energy,
  };
}

/** The spec with every default filled in and SI units: itself a valid spec. */
export function resolvedPbitSpec(s: PbitSpec): Record<string, unknown> {
  return {
    kind: "pbit",
    name: s.name,
    description: s.description,
    sources: s.sources,
    topology: s.topology.resolved(),
    colouring: s.colouring,
    numerics: resolvedNumerics(s.numerics),
    activation: resolvedActivation(s.activation),
    rng: s.rng.resolved(),
    clock: { frequency: `${s.clock.frequency} Hz`, mac_lanes: s.clock.macLanes, overhead_cycles: s.clock.overheadCycles },
    schedule: s.schedule,
    ...(s.async ? { async: { mean_flip_time: `${s.async.meanFlipTime} s`, synapse_delay: `${s.async.synapseDelay} s` } } : {}),
    mismatch: { gain_sigma: s.mismatch.gainSigma, offset_sigma: s.mismatch.offsetSigma },
    energy: s.energy,
  };
}

/** Clock cycles one colour phase takes: MAC cycles for the fan-in plus pipeline overhead. */
export function phaseCycles(s: PbitSpec, maxFanIn: number): number {
  const mac = s.clock.macLanes === "all" ? 1 : Math.max(1, Math.ceil(maxFanIn / s.clock.macLanes));
  return mac + s.clock.overheadCycles;
}
