/**
 * Digital platforms: what the same run of a digital baseline costs on each
 * platform that can be said, every one priced from the run's COUNTS (never
 * from this machine's clock), each at its best operating point, each naming
 * its energy model, basis and source. A new platform is a function here and
 * a line in PLATFORMS.
 *
 *   cpu                 one core running the best native code for the job (circuits/tech/cpu.yaml:
 *                       calibrated native time per operation x the core's power)
 *   asic-45nm           a generic fp32 sampler ASIC, per operation (Horowitz 45 nm)
 *   gpu-thrml-h100      thrml block Gibbs on one H100, at the measured table's cheapest batch
 *                       for the model's size class (circuits/platforms/gpu-thrml-h100.yaml)
 *   gpu-lattice-record  the lattice-specialised multispin record (regular graphs only)
 *
 * The chips' own integer algorithm as a digital ASIC (asic-45nm-int) prices
 * a chip's run, not a baseline's: energy/twin.ts.
 */
import { join } from "node:path";
import { readYaml } from "../spec/yaml.js";
import { circuitsDir } from "../paths.js";
import { Reader } from "../spec/reader.js";
import { loadTechTable } from "./table.js";
import { price } from "./ledger.js";
import { DIGITAL_ACTIONS } from "../baselines/actions.js";
import { tableCosting, type Costing } from "./figures.js";
import type { Model } from "../models/load.js";

export interface PlatformEstimate {
  /** Energy model name (a platform file or technology table). */
  energy_model: string;
  /** Seconds on the platform (from counts; NaN where time is not modelled). */
  seconds: number;
  energy_J: number;
  /** Updates performed (every replica, every variable), and the energy of one. */
  updates: number;
  energy_per_update_J: number;
  /** Whole-board energy less the idle draw, when known. */
  energy_above_idle_J?: number;
  basis: string;
  source: string;
  /** Where the joules go, when the model prices actions one by one. */
  by_action?: Record<string, number>;
  /** The energy as terms of named figures (for the tornado and break-even values). */
  costing: Costing;
  /** The run's measured time on this machine, and what it would cost at the core's power: information, never in headlines. */
  measured_seconds?: number;
  measured_energy_J?: number;
}

interface GpuPoint {
  batch: number;
  updatesPerNs: number;
  jPerUpdate: number;
  jAboveIdle: number;
}

interface GpuTable {
  name: string;
  source: string;
  /** Arithmetic of one measured update, to scale the table to other samplers' work. */
  flopsPerUpdate: number;
  sizes: { n: number; points: GpuPoint[] }[];
}

let gpuTable: GpuTable | undefined;

export function loadGpuThrml(): GpuTable {
  if (gpuTable) return gpuTable;
  const file = join(circuitsDir(), "platforms", "gpu-thrml-h100.yaml");
  const r = Reader.of(file, readYaml(file));
  const name = r.string("name");
  r.string("description", "");
  const source = r.string("source");
  const flopsPerUpdate = r.number("flops_per_update", { above: 0 });
  const sizes = r.list("sizes").map((s) => {
    const n = s.number("n", { min: 1 });
    const points = s.list("points").map((p) => {
      const point = {
        batch: p.number("batch", { min: 1 }),
        updatesPerNs: p.number("updates_per_ns", { above: 0 }),
        jPerUpdate: p.number("J_per_update", { above: 0 }),
        jAboveIdle: p.number("J_per_update_above_idle", { min: 0 }),
      };
      p.number("power_W", { min: 0 });
      p.done();
      return point;
    }).sort((a, b) => a.batch - b.batch);
    s.done();
    return { n, points };
  });
  r.done();
  gpuTable = { name, source, flopsPerUpdate, sizes };
  return gpuTable;
}

/** The measured size class nearest to n (in log n). */
export function gpuSizeClass(n: number) {
  const t = loadGpuThrml();
  let size = t.sizes[0];
  for (const s of t.sizes) if (Math.abs(Math.log(s.n / n)) < Math.abs(Math.log(size.n / n))) size = s;
  return size;
}

/** The size class's cheapest measured batch (lowest whole-board J per update): the GPU at its best. */
export function gpuBestPoint(n: number): GpuPoint & { n: number } {
  const size = gpuSizeClass(n);
  const best = size.points.reduce((b, p) => (p.jPerUpdate < b.jPerUpdate ? p : b));
  return { ...best, n: size.n };
}

/**
 * The same updates as thrml block Gibbs on one H100 at the measured batch
 * that costs least per update for the model's size class: the GPU runs that
 * many chains at once, this job's among them (more chains of the same job, or
 * other jobs' chains sharing the board), so each update costs what it costs
 * at full occupancy. Time is the updates at that batch's throughput.
 */
export function gpuThrmlEstimate(updates: number, n: number): PlatformEstimate {
  const t = loadGpuThrml();
  const p = gpuBestPoint(n);
  const id = `${t.name}:J_per_update`;
  return {
    energy_model: t.name,
    seconds: updates / (p.updatesPerNs * 1e9),
    energy_J: updates * p.jPerUpdate,
    updates,
    energy_per_update_J: p.jPerUpdate,
    energy_above_idle_J: updates * p.jAboveIdle,
    basis: `${updates} updates at ${p.jPerUpdate.toExponential(3)} J/update (whole board) and ${p.updatesPerNs} updates/ns: the cheapest measured batch, ${p.batch} chains in parallel, of the n = ${p.n} table${p.n === n ? "" : ` (this model has n = ${n})`}; ` +
      `the job's chains are assumed to share the GPU with enough others (of this job or other jobs) to fill that batch, so each chain needs the sweeps it needs here`,
    source: t.source,
    costing: { terms: [{ coefficient: updates, figures: [id] }], figures: [{ id, value: p.jPerUpdate, unit: "J/update", status: "measured", source: `${t.source}; batch ${p.batch}, n = ${p.n}` }] },
  };
}

/** Interpolate y (in log) at log(batch) between measured points; held beyond the ends. */
function interpolate(points: GpuPoint[], batch: number, y: (p: GpuPoint) => number): number {
  if (batch <= points[0].batch) return y(points[0]);
  const last = points[points.length - 1];
  if (batch >= last.batch) return y(last);
  let k = 0;
  while (points[k + 1].batch < batch) k++;
  const [a, b] = [points[k], points[k + 1]];
  const t = (Math.log(batch) - Math.log(a.batch)) / (Math.log(b.batch) - Math.log(a.batch));
  return Math.exp(Math.log(y(a)) + t * (Math.log(y(b)) - Math.log(y(a))));
}

/**
 * The H100 at a stated batch (interpolated in log(batch) between measured
 * batches, held beyond them): for showing how the GPU's cost depends on the
 * chains it runs at once. Comparisons use gpuThrmlEstimate, the best batch.
 */
export function gpuThrmlAtBatch(updates: number, n: number, batch: number): { seconds: number; energy_J: number; energy_above_idle_J: number } {
  const size = gpuSizeClass(n);
  return {
    seconds: updates / (interpolate(size.points, batch, (p) => p.updatesPerNs) * 1e9),
    energy_J: updates * interpolate(size.points, batch, (p) => p.jPerUpdate),
    energy_above_idle_J: updates * interpolate(size.points, batch, (p) => p.jAboveIdle),
  };
}

/**
 * Samplers with no GPU measurement of their own (the continuous ones): the
 * same H100 at its cheapest measured cost per unit of arithmetic -- this
 * run's flops as flops / flops_per_update measured updates. A derived
 * figure, and says so: it assumes the GPU spends on a flop of ULA/MALA/HMC
 * what it spends on a flop of block Gibbs.
 */
export function gpuScaledEstimate(flops: number, n: number, updates: number): PlatformEstimate {
  const t = loadGpuThrml();
  const equivalents = flops / t.flopsPerUpdate;
  const e = gpuThrmlEstimate(equivalents, n);
  return {
    ...e,
    updates,
    energy_per_update_J: updates > 0 ? e.energy_J / updates : 0,
    basis: `derived: ${flops.toExponential(3)} flops as ${equivalents.toExponential(3)} update-equivalents (${t.flopsPerUpdate} flops each, what one measured G12 update computes); ` + e.basis.replace(/^[0-9.e+]+ updates at /, "at "),
    costing: { terms: [{ coefficient: equivalents, figures: e.costing.figures.map((f) => f.id) }], figures: e.costing.figures.map((f) => ({ ...f, status: "derived" as const })) },
  };
}

/** The lattice-specialised multispin record: regular lattices only (a lower bound for other weights). */
export function gpuLatticeEstimate(updates: number): PlatformEstimate {
  const file = join(circuitsDir(), "platforms", "gpu-lattice-record.yaml");
  const r = Reader.of(file, readYaml(file));
  const name = r.string("name");
  r.string("description", "");
  const source = r.string("source");
  const rate = r.number("updates_per_ns", { above: 0 });
  const jPer = r.number("J_per_update", { above: 0 });
  r.done();
  const id = `${name}:J_per_update`;
  return {
    energy_model: name,
    seconds: updates / (rate * 1e9),
    energy_J: updates * jPer,
    updates,
    energy_per_update_J: jPer,
    basis: `${updates} updates at ${rate} updates/ns and ${jPer} J/update (uniform +-J 2D lattice kernel; applies to regular lattices, flatters the GPU on arbitrary weights)`,
    source,
    costing: { terms: [{ coefficient: updates, figures: [id] }], figures: [{ id, value: jPer, unit: "J/update", status: "derived", source }] },
  };
}

/** Every variable with the same number of couplings: the models the lattice record may stand for. */
export function isRegular(n: number, ei: Int32Array, ej: Int32Array): boolean {
  if (n === 0 || ei.length === 0) return false;
  const deg = new Int32Array(n);
  for (let k = 0; k < ei.length; k++) {
    deg[ei[k]]++;
    deg[ej[k]]++;
  }
  return deg.every((d) => d === deg[0]);
}

/** A digital platform priced by a technology table over the baselines' action catalogue (CPU, ASIC). */
function tablePriced(name: string, actions: Record<string, number>, measuredSeconds: number): PlatformEstimate {
  const table = loadTechTable(name, "--energy-model");
  const e = price(actions, DIGITAL_ACTIONS, table);
  const updates = actions.site_updates ?? 0;
  // Rows given as time on the table's core give the platform's time too.
  let seconds = table.core ? 0 : NaN;
  if (table.core) for (const [k, row] of table.rows) seconds += (actions[k] ?? 0) * (row.time ?? 0);
  const charged = Object.entries(e.by_action).filter(([, j]) => j > 0);
  const basis = table.core
    ? `counts x calibrated native time on ${table.core.name} x ${table.core.power} W: ${charged.map(([k]) => `${actions[k]} ${k} x ${(table.rows.get(k)!.time! * 1e9).toPrecision(3)} ns`).join(" + ")} = ${seconds.toPrecision(4)} s; measured on this machine: ${measuredSeconds.toPrecision(4)} s (not charged)`
    : "operation counts x the table's energies (time not modelled)";
  return {
    energy_model: name,
    seconds,
    energy_J: e.total,
    updates,
    energy_per_update_J: updates > 0 ? e.total / updates : 0,
    basis,
    source: table.description.split(". ")[0],
    by_action: Object.fromEntries(charged),
    costing: tableCosting(table, actions),
    ...(table.core ? { measured_seconds: measuredSeconds, measured_energy_J: measuredSeconds * table.core.power } : {}),
  };
}

interface Platform {
  /** Whether it can price this model's run (and a one-line reason why not, for the record). */
  applies(model: Model, actions: Record<string, number>): boolean;
  estimate(model: Model, actions: Record<string, number>, measuredSeconds: number): PlatformEstimate;
}

export const PLATFORMS: Record<string, Platform> = {
  cpu: { applies: () => true, estimate: (_m, a, s) => tablePriced("cpu", a, s) },
  "asic-45nm": { applies: () => true, estimate: (_m, a, s) => tablePriced("asic-45nm", a, s) },
  "gpu-thrml-h100": {
    applies: (m, a) => m.kind === "ising" || (a.flops ?? 0) > 0,
    estimate: (m, a) => (m.kind === "ising" ? gpuThrmlEstimate(a.site_updates, m.n) : gpuScaledEstimate(a.flops, m.n, a.site_updates)),
  },
  "gpu-lattice-record": {
    applies: (m) => m.kind === "ising" && isRegular(m.n, m.ei, m.ej),
    estimate: (_m, a) => gpuLatticeEstimate(a.site_updates),
  },
};

/** The run's cost on every digital platform that can price it, in registry order. */
export function digitalPlatforms(model: Model, actions: Record<string, number>, measuredSeconds: number): PlatformEstimate[] {
  return Object.values(PLATFORMS).filter((p) => p.applies(model, actions)).map((p) => p.estimate(model, actions, measuredSeconds));
}
