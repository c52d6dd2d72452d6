/**
 * Conditional sampling (`--clamp CLAMP.npz`): arrays `index` (m variables)
 * and `values` ([K, m], or [m] for K = 1) in the model's own units (+-1 for
 * spin models, 0/1 for binary ones such as RBMs). K conditions x chains
 * chains run; chain g holds condition floor(g / chains), so samples.npy rows
 * are condition-major, then chain, then sample, as the brief says.
 *
 * Chips gate the clamped p-bits (never updated, holding the value the host
 * wrote). A digital baseline samples the conditional model over the free
 * variables (clamped ones folded into the biases), which is what a digital
 * code does; rows are widened back to all n variables.
 */
import type { IsingModel } from "../models/ising.js";
import type { Model } from "../models/load.js";
import type { GaussianModel } from "../models/gaussian.js";
import { readWeights } from "../io/weights.js";
import { InputError } from "../errors.js";
import { mergeCounts, sumInOrder, type ChainResult, type RowSink } from "../chips/chains.js";

export interface Clamp {
  file: string;
  /** Model variables held fixed (distinct, ascending order not required). */
  index: Int32Array;
  /** Conditions x m spins (+-1), condition-major (spin and binary models; empty for Gaussian ones). */
  spins: Int8Array;
  /** Conditions x m values in the model's units, condition-major. */
  values: Float64Array;
  conditions: number;
  /** Chains per condition. */
  chains: number;
}

/** Read and check a clamp file against the model. */
export function readClamp(file: string, model: Model, chains: number): Clamp {
  if (model.kind === "hopfield") throw new InputError("--clamp", undefined, "applies to spin, binary and Gaussian models; this model is hopfield");
  const w = readWeights(file);
  for (const name of ["index", "values"]) if (!w.has(name)) throw new InputError(file, name, `is missing: a clamp file holds index (m variables) and values ([K, m])`);
  const extra = [...w.keys()].find((k) => k !== "index" && k !== "values");
  if (extra !== undefined) throw new InputError(file, extra, "is not a clamp array (index, values)");
  const idx = w.get("index")!;
  const val = w.get("values")!;
  if (idx.shape.length !== 1) throw new InputError(file, "index", `must be 1-D (m variables), has shape [${idx.shape.join(", ")}]`);
  const m = idx.shape[0];
  if (m === 0) throw new InputError(file, "index", "is empty: clamp at least one variable");
  const index = new Int32Array(m);
  const seen = new Set<number>();
  for (let j = 0; j < m; j++) {
    const v = idx.data[j];
    if (!Number.isInteger(v) || v < 0 || v >= model.n) throw new InputError(file, `index[${j}]`, `is ${v}; must be a variable index in 0 .. ${model.n - 1}`);
    if (seen.has(v)) throw new InputError(file, `index[${j}]`, `variable ${v} is clamped twice`);
    seen.add(v);
    index[j] = v;
  }
  if (m === model.n) throw new InputError(file, "index", "clamps every variable: nothing is left to sample");
  const shape = val.shape.length === 1 ? [1, val.shape[0]] : val.shape;
  if (shape.length !== 2 || shape[1] !== m) throw new InputError(file, "values", `must have shape [K, ${m}] (index has ${m} variables), has [${val.shape.join(", ")}]`);
  const K = shape[0];
  if (K === 0) throw new InputError(file, "values", "has no conditions (K = 0)");
  if (K * chains > 2 ** 31 - 1) throw new InputError(file, "values", `${K} conditions x ${chains} chains is more chains than a run can index`);
  const values = Float64Array.from(val.data);
  if (model.kind === "gaussian") return { file, index, spins: new Int8Array(0), values, conditions: K, chains };
  const binary = model.output === "binary";
  const spins = new Int8Array(K * m);
  for (let k = 0; k < K * m; k++) {
    const v = val.data[k];
    const ok = binary ? v === 0 || v === 1 : v === -1 || v === 1;
    if (!ok) throw new InputError(file, `values[${Math.floor(k / m)}, ${k % m}]`, `is ${v}; this model's variables take ${binary ? "0 or 1" : "-1 or +1"}`);
    spins[k] = binary ? (v === 1 ? 1 : -1) : v;
  }
  return { file, index, spins, values, conditions: K, chains };
}

/** The clamped spins of chain g. */
export function clampRow(c: Clamp, chain: number): Int8Array {
  const k = Math.floor(chain / c.chains);
  const m = c.index.length;
  return c.spins.subarray(k * m, (k + 1) * m);
}

/** The clamped values (model units) of chain g. */
export function clampValues(c: Clamp, chain: number): Float64Array {
  const k = Math.floor(chain / c.chains);
  const m = c.index.length;
  return c.values.subarray(k * m, (k + 1) * m);
}

/**
 * The Gaussian over the free variables given x_C = v: precision A_FF, linear
 * term b_F - A_FC v (E = 1/2 x'Ax - b'x; the constant is dropped, it changes
 * no law).
 */
/**
 * Refuse clamp values that leave the free variables' conditional law beyond
 * float64: a shift b_i whose mean (~ b_i / A_ii) is 1e13 or more of the
 * variable's standard deviation (~ 1 / sqrt(beta A_ii)) loses the draws' noise
 * entirely (every draw the same number), as a chip's DAC would clip it.
 */
export function checkConditionalGaussians(m: GaussianModel, clamp: Clamp): void {
  for (let g = 0; g < clamp.conditions; g++) {
    const c = conditionalGaussian(m, clamp.index, clampValues(clamp, g * clamp.chains));
    for (let i = 0; i < c.n; i++) {
      const ratio = (Math.abs(c.b[i]) / c.diag[i]) * Math.sqrt(c.beta * c.diag[i]);
      if (!(ratio < 1e13)) throw new InputError(clamp.file, `values[${g}]`, `holds the free variables' conditional mean ${Number.isFinite(ratio) ? `about ${ratio.toExponential(1)} times their standard deviation` : "beyond float64"}: at that scale float64 loses the draws' noise (every draw the same number); clamp values of the model's own scale`);
    }
  }
}

export function conditionalGaussian(m: GaussianModel, index: Int32Array, v: Float64Array): GaussianModel {
  const held = new Float64Array(m.n);
  const clamped = new Uint8Array(m.n);
  index.forEach((i, j) => ((held[i] = v[j]), (clamped[i] = 1)));
  const free = Int32Array.from({ length: m.n }, (_, i) => i).filter((i) => !clamped[i]);
  const pos = new Int32Array(m.n).fill(-1);
  free.forEach((i, j) => (pos[i] = j));
  const b = Float64Array.from(free, (i) => m.b[i]);
  const ei: number[] = [];
  const ej: number[] = [];
  const ew: number[] = [];
  for (let k = 0; k < m.ei.length; k++) {
    const [a, c, w] = [m.ei[k], m.ej[k], m.ew[k]];
    if (pos[a] >= 0 && pos[c] >= 0) (ei.push(pos[a]), ej.push(pos[c]), ew.push(w));
    else if (pos[a] >= 0) b[pos[a]] -= w * held[c];
    else if (pos[c] >= 0) b[pos[c]] -= w * held[a];
  }
  return { ...m, n: free.length, diag: Float64Array.from(free, (i) => m.diag[i]), ei: Int32Array.from(ei), ej: Int32Array.from(ej), ew: Float64Array.from(ew), b };
}

/**
 * The model over the free variables given the clamped spins: each coupling
 * to a clamped spin becomes a bias; couplings among clamped spins become part
 * of the energy offset. `free[j]` is the original index of free variable j.
 */
export function conditionalModel(m: IsingModel, index: Int32Array, spins: Int8Array): { model: IsingModel; free: Int32Array } {
  const value = new Int8Array(m.n);
  index.forEach((i, j) => (value[i] = spins[j]));
  const free = Int32Array.from({ length: m.n }, (_, i) => i).filter((i) => value[i] === 0);
  const pos = new Int32Array(m.n).fill(-1);
  free.forEach((i, j) => (pos[i] = j));
  const h = Float64Array.from(free, (i) => m.h[i]);
  let offset = m.offset ?? 0;
  for (const i of index) offset -= m.h[i] * value[i];
  const ei: number[] = [];
  const ej: number[] = [];
  const ew: number[] = [];
  for (let k = 0; k < m.ei.length; k++) {
    const [a, b, w] = [m.ei[k], m.ej[k], m.ew[k]];
    if (pos[a] >= 0 && pos[b] >= 0) (ei.push(pos[a]), ej.push(pos[b]), ew.push(w));
    else if (pos[a] >= 0) h[pos[a]] += w * value[b];
    else if (pos[b] >= 0) h[pos[b]] += w * value[a];
    else offset -= w * value[a] * value[b];
  }
  const model: IsingModel = { kind: "ising", n: free.length, h, ei: Int32Array.from(ei), ej: Int32Array.from(ej), ew: Float64Array.from(ew), beta: m.beta, offset };
  return { model, free };
}

/**
 * Run chains first .. first+count-1 of a clamped job whose conditions are
 * sampled as separate models over the free variables (digital baselines):
 * `runCondition(k, g, c, sink)` runs chains g .. g+c-1, all of condition k,
 * and its rows (free variables) are widened to all n variables here. Parts
 * run one after another: counts and wall time add up.
 */
export function clampedRuns(
  clamp: Clamp, n: number, samplesPerChain: number, summed: string[],
  runCondition: (k: number, first: number, count: number, sink: RowSink) => ChainResult,
): (first: number, count: number, sink?: RowSink) => ChainResult {
  const gated = new Int8Array(n).fill(0);
  for (const i of clamp.index) gated[i] = 1;
  const free = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !gated[i]);
  const float = clamp.spins.length === 0; // Gaussian: rows of float64 values
  const make = (len: number) => (float ? new Float64Array(len) : new Int8Array(len));
  return (first, count, sink) => {
    const collected = sink ? undefined : make(count * samplesPerChain * n);
    let wide = make(0);
    const parts: ChainResult[] = [];
    for (let g = first; g < first + count; ) {
      const k = Math.floor(g / clamp.chains);
      const end = Math.min(first + count, (k + 1) * clamp.chains);
      const held: ArrayLike<number> = float ? clampValues(clamp, g) : clampRow(clamp, g);
      parts.push(runCondition(k, g, end - g, (chain, row, rows, data) => {
        if (wide.length < rows * n) wide = make(rows * n);
        const out = wide.subarray(0, rows * n);
        const m = free.length;
        for (let r = 0; r < rows; r++) {
          for (let j = 0; j < m; j++) out[r * n + free[j]] = data[r * m + j];
          clamp.index.forEach((i, j) => (out[r * n + i] = held[j]));
        }
        if (sink) sink(chain, row, rows, out);
        else collected!.set(out, ((chain - first) * samplesPerChain + row) * n);
      }));
      g = end;
    }
    const { counts, chainCounts } = mergeCounts(parts);
    const diagnostics = { ...parts[0].diagnostics };
    for (const key of summed) diagnostics[key] = parts.reduce((a, r) => a + r.diagnostics[key], 0);
    const chainSeconds = parts.flatMap((r) => r.chainSeconds);
    const perChain = parts[0].perChain
      ? Object.fromEntries(Object.keys(parts[0].perChain).map((key) => [key, parts.flatMap((p) => p.perChain![key])]))
      : undefined;
    return {
      ...(perChain ? { perChain } : {}),
      samples: collected ?? new Int8Array(0), counts, ...(chainCounts ? { chainCounts } : {}), diagnostics, chainSeconds,
      chipSeconds: sumInOrder(chainSeconds),
      updates: parts.reduce((a, r) => a + r.updates, 0),
      wallSeconds: parts.reduce((a, r) => a + r.wallSeconds, 0),
      kernelBytes: Math.max(...parts.map((r) => r.kernelBytes)),
    };
  };
}
