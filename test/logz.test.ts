/**
 * Partition functions: exact by Gray-code enumeration and, for RBMs, by summing
 * the larger layer out analytically (two independent exact routes, checked
 * against each other and against a 2-spin sum by hand); AIS within its own
 * error bars of the exact value on Ising, QUBO (offset included) and RBM
 * models, and its power to tell a beta 5% off.
 */
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseRateSchedule, logZAis, logZAisRbm, logZExact } from "../src/metrics/logz.js";
import { exactLaw } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { rbmFromWeights } from "../src/models/rbm.js";
import { loadModel } from "../src/models/load.js";
import type { IsingModel } from "../src/models/ising.js";
import { Random } from "../src/util/random.js";
import { encodeNpy } from "../src/io/npy.js";
import { encodeNpz } from "../src/io/weights.js";

const dir = mkdtempSync(join(tmpdir(), "thermosim-logz-"));

function rbm(nv: number, nh: number, seed: number, scale = 0.5): IsingModel {
  const r = new Random(seed);
  const arr = (k: number) => Float64Array.from({ length: k }, () => r.normal() * scale);
  return rbmFromWeights(new Map([["W", { shape: [nv, nh], data: arr(nv * nh) }], ["b", { shape: [nv], data: arr(nv) }], ["c", { shape: [nh], data: arr(nh) }]]), "rbm.npz");
}

describe("exact log Z", () => {
  test("a 2-spin model by hand, offset included", () => {
    const m: IsingModel = { kind: "ising", n: 2, h: Float64Array.of(0.3, -0.2), ei: Int32Array.of(0), ej: Int32Array.of(1), ew: Float64Array.of(0.7), beta: 1.5, offset: 0.4 };
    let z = 0;
    for (const a of [-1, 1]) for (const b of [-1, 1]) z += Math.exp(-1.5 * (-(0.3 * a - 0.2 * b + 0.7 * a * b) + 0.4));
    expect(logZExact(m).logZ).toBeCloseTo(Math.log(z), 12);
  });
  test.each([[6, 9, 1], [10, 4, 2], [7, 7, 3]])("RBM %i x %i (seed %i): the layer sum equals full enumeration", (nv, nh, seed) => {
    const m = rbm(nv, nh, seed, 0.8);
    const full = exactLaw({ ...m, layers: undefined }).logZ - m.beta * (m.offset ?? 0);
    expect(logZExact(m).logZ).toBeCloseTo(full, 9);
  });
});

describe("AIS against exact", () => {
  const cases: [string, IsingModel][] = [
    ["Ising n=12 dense", randomGraphModel(12, 1, { jStd: 0.3, hStd: 0.3, beta: 1, seed: 61 })],
    ["Ising n=16 sparse", randomGraphModel(16, 0.3, { jStd: 0.6, hStd: 0.2, beta: 1, seed: 62 })],
    ["RBM 10 x 6", rbm(10, 6, 63)],
  ];
  test.each(cases)("%s: within 4 standard errors", (_, m) => {
    const exact = logZExact(m).logZ;
    const ais = logZAis(m, 2000, 1000, 5);
    expect(ais.stderr).toBeLessThan(0.05);
    expect(Math.abs(ais.logZ - exact), `AIS ${ais.logZ} +- ${ais.stderr}, exact ${exact}`).toBeLessThan(4 * ais.stderr + 1e-9);
  });
  test("a QUBO with an offset: AIS and exact agree on log sum exp(-beta E), E including the offset", () => {
    const r = new Random(64);
    const Q: [number, number, number][] = [];
    for (let i = 0; i < 10; i++) for (let j = i; j < 10; j++) if (r.uniform() < 0.4) Q.push([i, j, r.normal()]);
    const p = join(dir, "q.json");
    writeFileSync(p, JSON.stringify({ kind: "qubo", n: 10, Q, offset: 3.5, beta: 0.7 }));
    const m = loadModel(p) as IsingModel;
    const exact = logZExact(m).logZ;
    const ais = logZAis(m, 2000, 1000, 6);
    expect(Math.abs(ais.logZ - exact)).toBeLessThan(4 * ais.stderr + 1e-9);
  });
  test("power: AIS on a model 5% colder is many standard errors from the exact value", () => {
    const m = cases[0][1];
    const ais = logZAis({ ...m, beta: 1.05 }, 2000, 1000, 7);
    expect(Math.abs(ais.logZ - logZExact(m).logZ)).toBeGreaterThan(10 * ais.stderr);
  });
});

describe("AIS for RBMs from a base-rate model (Salakhutdinov & Murray)", () => {
  test.each([[12, 10, 71, 1], [8, 20, 72, 1.3]])("RBM %i x %i (seed %i, beta %s): within 4 standard errors of exact", (nv, nh, seed, beta) => {
    const m = { ...rbm(nv, nh, seed, 0.6), beta };
    const exact = logZExact(m).logZ;
    const ais = logZAisRbm(m, 200, baseRateSchedule(0.1), seed);
    expect(ais.stderr).toBeLessThan(0.05);
    expect(Math.abs(ais.logZ - exact), `AIS ${ais.logZ} +- ${ais.stderr}, exact ${exact}`).toBeLessThan(4 * ais.stderr + 1e-9);
  });
  test("the schedule: 0 to 1 in the paper's three stages, 14,500 steps at density 1", () => {
    const s = baseRateSchedule(1);
    expect(s[0]).toBe(0);
    expect(s[s.length - 1]).toBeCloseTo(1, 15);
    expect(s.length).toBe(1 + 500 + 4000 + 10000);
  });
});

describe("thermosim logz", () => {
  const bin = join(__dirname, "..", "bin", "thermosim.js");
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  test("--json gives logZ and stderr (0 for exact); bad requests are one line, exit 2", () => {
    const p = join(dir, "m.json");
    writeFileSync(p, JSON.stringify({ kind: "ising", n: 3, h: [0.1, 0, -0.2], J: [[0, 1, 0.5], [1, 2, -0.3]] }));
    const r = run(["logz", p, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.stderr).toBe(0);
    expect(Number.isFinite(j.logZ)).toBe(true);
    const g = join(dir, "g.json");
    writeFileSync(g, JSON.stringify({ kind: "gaussian", A: [[1]], b: [0] }));
    const bad = run(["logz", g]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/g\.json: kind: logz is for spin models; this model is gaussian/);
    const big = join(dir, "big.json");
    writeFileSync(big, JSON.stringify({ kind: "ising", n: 30 }));
    const tooBig = run(["logz", big]);
    expect(tooBig.status).toBe(2);
    expect(tooBig.stderr).toMatch(/exact log Z enumerates 2\^n states; this model has 30 spins \(at most 24\): use --method ais/);
  });

  test("--data: mean log-likelihood of rows, checked against brute-force sums (fully observed; RBM visible rows with every hidden state summed)", () => {
    // An Ising model at beta 1.3, rows of +-1 spins (the RBM below has an energy offset in its Ising form).
    const h = [0.3, -0.4, 0.1, 0.2];
    const J: [number, number, number][] = [[0, 1, 0.5], [1, 2, -0.7], [0, 3, 0.25], [2, 3, 0.4]];
    const model = { kind: "ising", n: 4, h, J, beta: 1.3 };
    writeFileSync(join(dir, "m4.json"), JSON.stringify(model));
    const r = new Random(12);
    const rows = Array.from({ length: 30 }, () => Array.from({ length: 4 }, () => (r.uniform() < 0.5 ? -1 : 1)));
    writeFileSync(join(dir, "rows4.npy"), encodeNpy({ dtype: "int8", shape: [30, 4], data: Int8Array.from(rows.flat()) }));
    const energy = (s: number[]) => -(h.reduce((a, x, i) => a + x * s[i], 0) + J.reduce((a, [i, j, w]) => a + w * s[i] * s[j], 0));
    const states = Array.from({ length: 16 }, (_, x) => [0, 1, 2, 3].map((i) => ((x >> i) & 1 ? 1 : -1)));
    const logZ = Math.log(states.reduce((a, s) => a + Math.exp(-1.3 * energy(s)), 0));
    const want = rows.reduce((a, s) => a - 1.3 * energy(s) - logZ, 0) / rows.length;
    const a = run(["logz", join(dir, "m4.json"), "--data", join(dir, "rows4.npy"), "--json"]);
    expect(a.status, a.stderr).toBe(0);
    expect(JSON.parse(a.stdout).log_likelihood.mean_nats).toBeCloseTo(want, 10);
    // An RBM (0/1 units): rows of visible units; p(v) = sum_h exp(b'v + c'h + v'Wh) / Z by enumeration of (v, h).
    const [nv, nh] = [5, 3];
    const W = Array.from({ length: nv * nh }, () => r.normal());
    const b = Array.from({ length: nv }, () => 0.5 * r.normal());
    const c = Array.from({ length: nh }, () => 0.5 * r.normal());
    writeFileSync(join(dir, "r53.npz"), encodeNpz(new Map([["W", { shape: [nv, nh], data: Float64Array.from(W) }], ["b", { shape: [nv], data: Float64Array.from(b) }], ["c", { shape: [nh], data: Float64Array.from(c) }]]), true));
    const free = (v: number[]) => {
      let z = 0;
      for (let y = 0; y < 1 << nh; y++) {
        const hh = Array.from({ length: nh }, (_, j) => (y >> j) & 1);
        let e = 0;
        for (let i = 0; i < nv; i++) e += b[i] * v[i];
        for (let j = 0; j < nh; j++) e += c[j] * hh[j];
        for (let i = 0; i < nv; i++) for (let j = 0; j < nh; j++) e += v[i] * W[i * nh + j] * hh[j];
        z += Math.exp(e);
      }
      return Math.log(z);
    };
    const vis = Array.from({ length: 1 << nv }, (_, x) => Array.from({ length: nv }, (_, i) => (x >> i) & 1));
    const rz = Math.log(vis.reduce((a, v) => a + Math.exp(free(v)), 0));
    const vrows = Array.from({ length: 20 }, () => Array.from({ length: nv }, () => (r.uniform() < 0.5 ? 0 : 1)));
    writeFileSync(join(dir, "v5.npy"), encodeNpy({ dtype: "uint8", shape: [20, nv], data: Uint8Array.from(vrows.flat()) }));
    const ll = vrows.reduce((a, v) => a + free(v) - rz, 0) / vrows.length;
    const e = run(["logz", join(dir, "r53.npz"), "--data", join(dir, "v5.npy"), "--json"]);
    expect(e.status, e.stderr).toBe(0);
    const doc = JSON.parse(e.stdout);
    expect(doc.logZ).toBeCloseTo(rz, 9);
    expect(doc.log_likelihood.mean_nats).toBeCloseTo(ll, 9);
    expect(doc.log_likelihood.observed).toMatch(/hidden summed out/);
    // Full rows (visible then hidden) are fully observed: log p(v, h).
    const full = run(["logz", join(dir, "r53.npz"), "--data", join(dir, "rows4.npy")]);
    expect(full.status).toBe(2);
    expect(full.stderr.trim()).toMatch(/rows4\.npy: must be a 2-D array \[rows, 8\] or \[rows, 5\] \(visible units\), has shape \[30, 4\]$/);
    const zero = run(["logz", join(dir, "m4.json"), "--data", join(dir, "v5.npy")]);
    expect(zero.status).toBe(2);
    expect(zero.stderr.trim()).toMatch(/v5\.npy: must be a 2-D array \[rows, 4\], has shape \[20, 5\]$/);
    writeFileSync(join(dir, "z4.npy"), encodeNpy({ dtype: "int8", shape: [1, 4], data: Int8Array.from([1, 0, 1, -1]) }));
    const bad = run(["logz", join(dir, "m4.json"), "--data", join(dir, "z4.npy")]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(/z4\.npy: \[0, 1\]: is 0; this model's variables take -1 or \+1$/);
  });
});
