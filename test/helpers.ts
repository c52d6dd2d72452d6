/** Shared helpers for the statistical tests. */
import { fixedTopology } from "../src/chips/topology/index.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { mergeSpec } from "../src/spec/merge.js";
import { mapIsing, type PbitMapping } from "../src/mapping/pbit.js";
import { runPbit, type PbitRunOptions } from "../src/chips/pbit/driver.js";
import type { IsingModel } from "../src/models/ising.js";
import type { PbitSpec, Schedule } from "../src/chips/pbit/spec.js";
import type { LangevinSpec } from "../src/chips/langevin/spec.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { runLangevin, type LangevinRunOptions } from "../src/chips/langevin/driver.js";
import { gaussianFromJson, type GaussianModel } from "../src/models/gaussian.js";
import { Random } from "../src/util/random.js";
import { expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PREFIX: Record<string, number> = { a: 1e-18, f: 1e-15, p: 1e-12, n: 1e-9, u: 1e-6, m: 1e-3, "": 1 };
/** A table figure in SI, parsed here (not by thermosim's loaders): "350 aJ" -> 3.5e-16, "4.375 W" -> 4.375, "0.543 ns" -> 5.43e-10. */
export function si(text: string | number): number {
  if (typeof text === "number") return text;
  const m = /^([-+\d.eE]+)\s*([afpnum]?)(J|W|s)$/.exec(text.trim());
  if (!m) throw new Error(`cannot read ${text}`);
  return Number(m[1]) * PREFIX[m[2]];
}

/** A preset, optionally with fields overridden (as a spec with `extends` would). */
export function chip(name: string, over: Record<string, unknown> = {}): PbitSpec {
  const file = resolveChipFile(name);
  const spec = chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
  if (spec.kind !== "pbit") throw new Error(`${name} is not a p-bit chip`);
  return spec;
}

/** A Langevin preset, optionally with fields overridden. */
export function analogChip(name: string, over: Record<string, unknown> = {}): LangevinSpec {
  const file = resolveChipFile(name);
  const spec = chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
  if (spec.kind !== "langevin") throw new Error(`${name} is not a Langevin chip`);
  return spec;
}

export function sampleOn(
  spec: PbitSpec, model: IsingModel, o: Partial<PbitRunOptions> & { schedule?: Schedule } = {},
): { mapping: PbitMapping; run: ReturnType<typeof runPbit> } {
  const schedule = o.schedule ?? spec.schedule;
  const mapping = mapIsing(model, "test-model.json", spec, schedule);
  const run = runPbit(spec, mapping, {
    chains: o.chains ?? 4, samples: o.samples ?? 1000, burnIn: o.burnIn ?? 100, thin: o.thin ?? 1, seed: o.seed ?? 1, schedule,
  });
  return { mapping, run };
}

export function ising(n: number, edges: [number, number, number][], h: number[], beta = 1): IsingModel {
  return {
    kind: "ising", n, beta, h: Float64Array.from(h),
    ei: Int32Array.from(edges.map((e) => Math.min(e[0], e[1]))),
    ej: Int32Array.from(edges.map((e) => Math.max(e[0], e[1]))),
    ew: Float64Array.from(edges.map((e) => e[2])),
  };
}

/**
 * A model of `size` spins where only `block` (chip p-bit indices, = model
 * variables under identity placement) is coupled: every chip edge inside the
 * block gets J ~ N(0, jStd^2), block spins get h ~ N(0, hStd^2), all other
 * spins are free and unbiased. The block's marginal is then exactly the
 * Boltzmann distribution of the block sub-model.
 */
export function blockModel(spec: PbitSpec, size: number, block: number[], jStd: number, hStd: number, seed: number) {
  const topo = fixedTopology(spec.topology, spec.name);
  const rng = new Random(seed);
  const local = new Map(block.map((p, k) => [p, k]));
  const edges: [number, number, number][] = [];
  const subEdges: [number, number, number][] = [];
  for (const p of block) {
    for (const q of topo.neighbours(p)) {
      if (q > p && local.has(q)) {
        const w = jStd * rng.normal();
        edges.push([p, q, w]);
        subEdges.push([local.get(p)!, local.get(q)!, w]);
      }
    }
  }
  const h = new Array(size).fill(0);
  const subH = block.map((p) => (h[p] = hStd * rng.normal()));
  return { model: ising(size, edges, h), sub: ising(block.length, subEdges, subH) };
}

/** The block sub-model of what the chip samples (the mapping's dequantised model). */
export function subModel(m: IsingModel, block: number[]): IsingModel {
  const local = new Map(block.map((p, k) => [p, k]));
  const edges: [number, number, number][] = [];
  for (let k = 0; k < m.ei.length; k++) {
    if (local.has(m.ei[k]) && local.has(m.ej[k])) edges.push([local.get(m.ei[k])!, local.get(m.ej[k])!, m.ew[k]]);
  }
  return ising(block.length, edges, block.map((p) => m.h[p]), m.beta);
}

/** Map a Gaussian model onto an analog chip spec and run it. */
export function analogRun(spec: LangevinSpec, model: GaussianModel, o: Partial<LangevinRunOptions> = {}) {
  const mapping = mapGaussian(model, "test-model.json", spec, o.seed ?? 1);
  const run = runLangevin(spec, mapping, {
    chains: o.chains ?? 4, samples: o.samples ?? 1000, burnIn: o.burnIn ?? 50, thin: o.thin ?? 1, seed: o.seed ?? 1,
  });
  return { mapping, run };
}

/** A Gaussian model from a dense symmetric A. */
export function gaussian(A: number[][], b: number[], beta = 1): GaussianModel {
  return gaussianFromJson({ kind: "gaussian", A, b, beta }, "test-model.json");
}

/** Random SPD A = Q diag(eig) Q^T with eigenvalues in [lo, hi] (evenly spaced), and b ~ N(0, 1). */
export function randomSpd(n: number, lo: number, hi: number, seed: number, beta = 1): GaussianModel {
  const eig = Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / Math.max(1, n - 1));
  return spdWithEigenvalues(eig, seed, beta).model;
}

/** A = Q diag(eig) Q^T for a random orthogonal Q, and b ~ N(0, 1); as arrays and as a model. */
export function spdWithEigenvalues(eig: number[], seed: number, beta = 1): { A: number[][]; b: number[]; model: GaussianModel } {
  const n = eig.length;
  const rng = new Random(seed);
  const q: number[][] = [];
  for (let k = 0; k < n; k++) {
    let v = Array.from({ length: n }, () => rng.normal());
    for (const u of q) {
      const d = v.reduce((a, x, i) => a + x * u[i], 0);
      v = v.map((x, i) => x - d * u[i]);
    }
    const nrm = Math.hypot(...v);
    q.push(v.map((x) => x / nrm));
  }
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => q.reduce((a, u, k) => a + eig[k] * u[i] * u[j], 0)));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i][j] = A[j][i];
  const b = Array.from({ length: n }, () => rng.normal());
  return { A, b, model: gaussian(A, b, beta) };
}

/**
 * The thermosim CLI run in `dir` (tests that spawn it), and the refusal check every input path
 * must pass: exit 2, one line matching `message`, `--out` folder not written.
 */
export function cliIn(dir: () => string) {
  const bin = join(__dirname, "..", "bin", "thermosim.js");
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir(), timeout: 300_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const refused = (args: string[], message: RegExp) => {
    const r = run([...args, "--out", "refused"]);
    expect(r.code, r.err).toBe(2);
    const lines = r.err.trim().split("\n");
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(existsSync(join(dir(), "refused"))).toBe(false);
  };
  return { run, refused };
}

/**
 * The empirical law of a spin run's samples.npy (int8 +-1, any shape ending
 * in n): state index bit i = spin i up. Reads the .npy header length itself.
 */
export function spinLawOf(file: string, n: number): { q: Float64Array; rows: number } {
  const buf = readFileSync(file);
  const data = new Int8Array(buf.buffer, buf.byteOffset + 10 + buf.readUInt16LE(8));
  const rows = data.length / n;
  const q = new Float64Array(1 << n);
  for (let r = 0; r < rows; r++) {
    let x = 0;
    for (let i = 0; i < n; i++) if (data[r * n + i] > 0) x |= 1 << i;
    q[x] += 1 / rows;
  }
  return { q, rows };
}
