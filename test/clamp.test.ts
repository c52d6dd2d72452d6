/**
 * Conditional sampling (--clamp): for every condition, the free variables
 * follow the model's conditional law (checked against an enumeration of the
 * full model restricted to the clamped values, independent of the code under
 * test), on the ideal chip under each schedule and on the Gibbs baselines;
 * clamped columns hold their values; rows are condition-major; chips gate the
 * clamped p-bits (no updates, no read-out charged); bytes do not depend on
 * the number of workers; bad clamp files are refused in one line.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";
import { encodeNpz } from "../src/io/weights.js";
import { decodeNpy } from "../src/io/npy.js";
import { Random } from "../src/util/random.js";

const n = 6;
const r0 = new Random(4);
const J: [number, number, number][] = [];
for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) J.push([i, j, 0.6 * (2 * r0.uniform() - 1)]);
const h = Array.from({ length: n }, () => 0.3 * (2 * r0.uniform() - 1));
const index = [1, 4];
const values = [[1, 1], [-1, 1], [-1, -1]];
const free = [0, 2, 3, 5];

/** Exact conditional law of the free spins (bit k of a state = free[k] is +1), by brute force over all 2^n states; `mass` is the clamp pattern's unnormalised weight. */
function conditionalWithMass(v: number[]): { p: Float64Array; mass: number } {
  const p = new Float64Array(1 << free.length);
  for (let x = 0; x < 1 << n; x++) {
    const s = Array.from({ length: n }, (_, i) => ((x >> i) & 1 ? 1 : -1));
    if (index.some((i, j) => s[i] !== v[j])) continue;
    let e = 0;
    for (let i = 0; i < n; i++) e -= h[i] * s[i];
    for (const [a, b, w] of J) e -= w * s[a] * s[b];
    let y = 0;
    free.forEach((i, k) => (y |= s[i] > 0 ? 1 << k : 0));
    p[y] += Math.exp(-e);
  }
  const z = p.reduce((a, b) => a + b, 0);
  return { p: p.map((q) => q / z), mass: z };
}
const conditional = (v: number[]) => conditionalWithMass(v).p;

describe("thermosim sample --clamp", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-clamp-"));
    writeFileSync(join(dir, "m6.json"), JSON.stringify({ kind: "ising", n, h, J }));
    const clamp = (idx: number[], vals: number[][], name: string, compress = true) =>
      writeFileSync(join(dir, name), encodeNpz(new Map([["index", { shape: [idx.length], data: Float64Array.from(idx) }], ["values", { shape: [vals.length, vals[0]?.length ?? 0], data: Float64Array.from(vals.flat()) }]]), compress));
    clamp(index, values, "clamp.npz");
    clamp([1, 9], [[1, 1]], "range.npz");
    clamp([1, 1], [[1, 1]], "twice.npz");
    clamp([1, 4], [[1, 0]], "zero.npz", false);
    clamp([0, 1, 2, 3, 4, 5], [[1, 1, 1, 1, 1, 1]], "all.npz");
    writeFileSync(join(dir, "shape.json"), JSON.stringify({ index: [1, 4], values: [[1, 1, 1]] }));
    writeFileSync(join(dir, "missing.json"), JSON.stringify({ index: [1, 4] }));
    writeFileSync(join(dir, "gauss.json"), JSON.stringify({ kind: "gaussian", A: [[2, -0.5, 0.3], [-0.5, 1.5, 0.2], [0.3, 0.2, 1]], b: [0.5, -0.2, 0.1] }));
    writeFileSync(join(dir, "gclamp.json"), JSON.stringify({ index: [1], values: [[1.0], [-2.0]] }));
    writeFileSync(join(dir, "far.json"), JSON.stringify({ index: [1], values: [[1.0], [40]] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);
  const chains = 2;
  const samples = 3000;
  const rowsOf = (out: string) => decodeNpy(readFileSync(join(dir, out, "samples.npy")), "samples.npy");
  const stats = (out: string) => JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8"));

  /** TV of each condition's free-spin histogram from the exact conditional law. */
  function tvs(out: string, against = (k: number) => conditional(values[k])): number[] {
    const a = rowsOf(out);
    expect(a.shape).toEqual([values.length * chains * samples, n]);
    return values.map((v, k) => {
      const counts = new Float64Array(1 << free.length);
      const rows = chains * samples;
      for (let r = k * rows; r < (k + 1) * rows; r++) {
        index.forEach((i, j) => expect(a.data[r * n + i]).toBe(v[j])); // clamped columns hold their values
        let y = 0;
        free.forEach((i, q) => (y |= a.data[r * n + i] > 0 ? 1 << q : 0));
        counts[y] += 1 / rows;
      }
      const p = against(k);
      return 0.5 * p.reduce((s, q, y) => s + Math.abs(q - counts[y]), 0);
    });
  }
  // 16 states, 6000 draws at thin 3 (nearly independent on this small model): i.i.d. TV is ~0.02; 0.05 is ~5 sd above it.
  const BOUND = 0.05;
  const args = (out: string, sys: string[]) => ["sample", "m6.json", ...sys, "--clamp", "clamp.npz", "--chains", String(chains), "--samples", String(samples), "--thin", "3", "--burn-in", "50", "--seed", "7", "--out", out];

  it("follows each condition's conditional law on the ideal chip (every schedule) and the Gibbs baselines", () => {
    for (const [out, sys] of [["ideal", ["--chip", "ideal"]], ["ideal-async", ["--chip", "ideal", "--schedule", "async"]], ["gibbs", ["--baseline", "gibbs"]], ["random-gibbs", ["--baseline", "random-gibbs"]]] as const) {
      const r = run(args(out, [...sys]));
      expect(r.code, r.err).toBe(0);
      const t = tvs(out);
      for (const x of t) expect(x, `${out}: ${t}`).toBeLessThan(BOUND);
      expect(stats(out).clamp).toMatchObject({ variables: index, conditions: 3, chains_per_condition: chains });
    }
  }, 120_000);

  it("power: the unclamped law (a clamp ignored after the start) fails the same check", () => {
    // The unconditional marginal of the free spins, from the full model: what a p-bit that kept updating would give.
    const marginal = () => {
      const sum = new Float64Array(1 << free.length);
      let total = 0;
      for (const v of [[1, 1], [1, -1], [-1, 1], [-1, -1]]) {
        const { p, mass } = conditionalWithMass(v);
        p.forEach((q, y) => (sum[y] += q * mass));
        total += mass;
      }
      return sum.map((q) => q / total);
    };
    const m = marginal();
    const t = tvs("ideal", () => m);
    expect(Math.max(...t), String(t)).toBeGreaterThan(2 * BOUND);
  });

  it("gates clamped p-bits on a chip: no updates and no read-out for them; same bytes with any number of workers", () => {
    const a = run(args("dtm1", ["--chip", "dtm-2025", "--workers", "1"]));
    expect(a.code, a.err).toBe(0);
    const b = run(args("dtm2", ["--chip", "dtm-2025", "--workers", "2"]));
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(dir, "dtm2", "samples.npy"))).toEqual(readFileSync(join(dir, "dtm1", "samples.npy")));
    tvs("dtm1", () => new Float64Array(16).fill(1 / 16)); // checks the clamped columns and the row layout
    const s = stats("dtm1");
    const pbits = s.mapping.embedding?.pbits ?? n;
    // Embedded: the discard read-out runs each chain on past broken rows (rows_run recorded rows in all).
    const rows = s.diagnostics.rows_run ?? s.chains * samples;
    const gated = pbits - (s.mapping.embedding ? s.updates / (s.chains * 50 + rows * 3) : n - index.length);
    expect(s.chains).toBe(values.length * chains);
    expect(gated).toBeGreaterThanOrEqual(index.length);
    expect(s.actions.readout_values).toBe(rows * (pbits - gated));
    const ideal = stats("ideal");
    expect(ideal.updates).toBe(ideal.chains * (50 + samples * 3) * free.length);
  }, 60_000);

  /** Each condition's draws against the closed-form conditional law of x_F = (x0, x2) given x1 = v (independent of the code under test). */
  function gaussianConditions(out: string, N: number, covTol: number) {
    const a = rowsOf(out);
    expect(a.shape).toEqual([2 * N, 3]);
    // Precision of x_F: P = [[2, 0.3], [0.3, 1]]; mean P^-1 (b_F - A_F1 v).
    const det = 2 * 1 - 0.3 * 0.3;
    const cov = [[1 / det, -0.3 / det], [-0.3 / det, 2 / det]];
    const mean = (v: number) => {
      const rhs = [0.5 + 0.5 * v, 0.1 - 0.2 * v];
      return [cov[0][0] * rhs[0] + cov[0][1] * rhs[1], cov[1][0] * rhs[0] + cov[1][1] * rhs[1]];
    };
    // The unclamped marginal of (x0, x2), the law a clamp that does nothing would give.
    const A = [[2, -0.5, 0.3], [-0.5, 1.5, 0.2], [0.3, 0.2, 1]];
    const inv = invert3(A);
    const margMean = [0, 2].map((i) => inv[i][0] * 0.5 + inv[i][1] * -0.2 + inv[i][2] * 0.1);
    const moments = (k: number) => {
      const m = [0, 0];
      const c = [[0, 0], [0, 0]];
      for (let q = k * N; q < (k + 1) * N; q++) {
        expect(a.data[q * 3 + 1]).toBe([1, -2][k]);
        m[0] += a.data[q * 3] / N;
        m[1] += a.data[q * 3 + 2] / N;
      }
      for (let q = k * N; q < (k + 1) * N; q++) {
        const d = [a.data[q * 3] - m[0], a.data[q * 3 + 2] - m[1]];
        for (const i of [0, 1]) for (const j of [0, 1]) c[i][j] += (d[i] * d[j]) / (N - 1);
      }
      return { m, c };
    };
    for (const [k, v] of [[0, 1], [1, -2]]) {
      const { m, c } = moments(k);
      const want = mean(v);
      const se = (i: number) => Math.sqrt(cov[i][i] / N);
      for (const i of [0, 1]) {
        expect(Math.abs(m[i] - want[i]), `${out} condition ${k} mean ${i}`).toBeLessThan(4.5 * se(i));
        for (const j of [0, 1]) expect(Math.abs(c[i][j] - cov[i][j]), `${out} condition ${k} cov ${i}${j}`).toBeLessThan(covTol * Math.sqrt(cov[i][i] * cov[j][j]) + 0.01);
      }
      // Power: the other condition's mean, and the unclamped marginal's, are many standard errors away.
      const other = mean(v === 1 ? -2 : 1);
      expect(Math.abs(m[0] - other[0])).toBeGreaterThan(10 * se(0));
      expect(Math.max(...[0, 1].map((i) => Math.abs(m[i] - margMean[i]) / se(i)))).toBeGreaterThan(10);
    }
  }

  it("Gaussian models on a baseline and on both analog chips (nodes held by sources): each condition's draws have the conditional mean and covariance (closed form); power: the other condition's and the unclamped law's means are far", () => {
    const r = run(["sample", "gauss.json", "--baseline", "exact-gaussian", "--clamp", "gclamp.json", "--chains", "2", "--samples", "4000", "--seed", "3", "--out", "g"]);
    expect(r.code, r.err).toBe(0);
    gaussianConditions("g", 8000, 0.06);
    // rc-langevin holds node 1 through its conductances (8-bit: ~1% covariance error, measured and
    // reported); spu-8 holds it behind coupling capacitors and re-solves the free nodes' mean on the host.
    for (const chip of ["rc-langevin", "spu-8"]) {
      const c = run(["sample", "gauss.json", "--chip", chip, "--clamp", "gclamp.json", "--chains", "2", "--samples", "6000", "--thin", "2", "--seed", "3", "--out", chip]);
      expect(c.code, c.err).toBe(0);
      gaussianConditions(chip, 12000, 0.07);
      const st = stats(chip);
      expect(st.mapping.clamp.conditions).toBe(2);
      expect(st.mapping.clamp.condition_0.clamp.held_volts).toHaveLength(1);
      // Only the free nodes are integrated and read; the hold is written once per chain.
      expect(st.actions.adc_conversions).toBe(4 * 6000 * 2);
      expect(st.actions.clamp_writes).toBe(4 * (chip === "spu-8" ? 1 + 2 : 1));
      expect(st.updates).toBe(4 * (100 + 6000 * 2) * 2);
    }
  }, 60_000);

  it("refuses bad clamp files in one line", () => {
    const base = ["sample", "m6.json", "--chip", "ideal"];
    refused([...base, "--clamp", "range.npz"], /range\.npz: index\[1\]: is 9; must be a variable index in 0 \.\. 5/);
    refused([...base, "--clamp", "twice.npz"], /twice\.npz: index\[1\]: variable 1 is clamped twice/);
    refused([...base, "--clamp", "zero.npz"], /zero\.npz: values\[0, 1\]: is 0; this model's variables take -1 or \+1/);
    refused([...base, "--clamp", "all.npz"], /all\.npz: index: clamps every variable/);
    refused([...base, "--clamp", "shape.json"], /shape\.json: values: must have shape \[K, 2\]/);
    refused([...base, "--clamp", "missing.json"], /missing\.json: values: is missing/);
    refused(["sample", "gauss.json", "--chip", "rc-langevin", "--clamp", "far.json"], /far\.json: values\[1, 0\]: is 40: held at .* beyond the chip's \+-0\.8 V rails/);
  });
});

function invert3(a: number[][]): number[][] {
  const [[p, q, r], [s, t, u], [v, w, x]] = a;
  const det = p * (t * x - u * w) - q * (s * x - u * v) + r * (s * w - t * v);
  return [
    [(t * x - u * w) / det, (r * w - q * x) / det, (q * u - r * t) / det],
    [(u * v - s * x) / det, (p * x - r * v) / det, (r * s - p * u) / det],
    [(s * w - t * v) / det, (q * v - p * w) / det, (p * t - q * s) / det],
  ];
}
