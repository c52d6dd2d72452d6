/**
 * Digital platform energy models beside the technology tables: how much
 * time and energy the same updates cost on a GPU, from measured or published
 * figures kept as data (circuits/platforms/*.yaml). The CPU is measured
 * (core seconds x the cpu table); the ASIC is priced per operation
 * (asic-45nm table); these two are what a baseline's stats.json carries
 * besides, so a comparison can state every platform, each naming its source.
 */
import { join } from "node:path";
import { readYaml } from "../spec/yaml.js";
import { circuitsDir } from "../paths.js";
import { Reader } from "../spec/reader.js";

export interface PlatformEstimate {
  /** Energy model name (a platform file or technology table). */
  energy_model: string;
  seconds: number;
  energy_J: number;
  /** Whole-board energy less the idle draw, when known. */
  energy_above_idle_J?: number;
  basis: string;
  source: string;
  /** Where the joules go, when the model prices actions one by one (the ASIC table). */
  by_action?: Record<string, number>;
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
        updatesPerNs: p.number("updates_per_ns", { min: 0 }),
        jPerUpdate: p.number("J_per_update", { min: 0 }),
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

/** The same updates as thrml block Gibbs on one H100, `batch` chains in parallel. */
export function gpuThrmlEstimate(updates: number, n: number, batch: number): PlatformEstimate {
  const t = loadGpuThrml();
  let size = t.sizes[0];
  for (const s of t.sizes) if (Math.abs(Math.log(s.n / n)) < Math.abs(Math.log(size.n / n))) size = s;
  const rate = interpolate(size.points, batch, (p) => p.updatesPerNs);
  const jPer = interpolate(size.points, batch, (p) => p.jPerUpdate);
  const jIdle = interpolate(size.points, batch, (p) => p.jAboveIdle);
  const range = `${size.points[0].batch}..${size.points[size.points.length - 1].batch}`;
  return {
    energy_model: t.name,
    seconds: updates / (rate * 1e9),
    energy_J: updates * jPer,
    energy_above_idle_J: updates * jIdle,
    basis: `${updates} updates at ${rate.toPrecision(4)} updates/ns and ${jPer.toExponential(3)} J/update (whole board), batch ${batch} chains ` +
      `interpolated in log(batch) over the measured ${range}, from the n = ${size.n} table${size.n === n ? "" : ` (this model has n = ${n})`}`,
    source: t.source,
  };
}

/**
 * Samplers with no GPU measurement of their own (the continuous ones): the
 * same H100 at the measured cost per unit of arithmetic -- this run's flops
 * as flops / flops_per_update measured updates of the nearest size, at this
 * many chains. A derived figure, and says so: it assumes the GPU spends on a
 * flop of ULA/MALA/HMC what it spends on a flop of block Gibbs.
 */
export function gpuScaledEstimate(flops: number, n: number, batch: number): PlatformEstimate {
  const t = loadGpuThrml();
  const updates = flops / t.flopsPerUpdate;
  const e = gpuThrmlEstimate(updates, n, batch);
  return {
    ...e,
    basis: `derived: ${flops.toExponential(3)} flops as ${updates.toExponential(3)} update-equivalents (${t.flopsPerUpdate} flops each, what one measured G12 update computes); ` + e.basis.replace(/^[0-9.e+]+ updates at /, "at "),
  };
}

/** The lattice-specialised multispin record: regular lattices only (a lower bound for other weights). */
export function gpuLatticeEstimate(updates: number): PlatformEstimate {
  const file = join(circuitsDir(), "platforms", "gpu-lattice-record.yaml");
  const r = Reader.of(file, readYaml(file));
  const name = r.string("name");
  r.string("description", "");
  const source = r.string("source");
  const rate = r.number("updates_per_ns", { min: 0 });
  const jPer = r.number("J_per_update", { min: 0 });
  r.done();
  return {
    energy_model: name,
    seconds: updates / (rate * 1e9),
    energy_J: updates * jPer,
    basis: `${updates} updates at ${rate} updates/ns and ${jPer} J/update (uniform +-J 2D lattice kernel; applies to regular lattices, flatters the GPU on arbitrary weights)`,
    source,
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
