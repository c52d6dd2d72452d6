/**
 * The RBM kernel: its gradient estimates (CD-k from the data, persistent CD)
 * match the exact log-likelihood gradient of a small RBM (data term and model
 * expectation by enumeration, independent code) within CLT bounds, with a
 * power check; its log p*(v) matches the formula; its AIS log Z agrees with
 * exact enumeration within its error bars (power: a 5% stronger W is told
 * apart); training raises the exact likelihood of a toy data set; and the CLI
 * trains, writes, reloads and refuses as documented.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RbmMachine, logOdds, type RbmParams, type BinaryData } from "../src/train/rbm.js";
import { loadMnist } from "../src/train/mnist.js";
import { baseRateSchedule, logZExact } from "../src/metrics/logz.js";
import { rbmFromWeights } from "../src/models/rbm.js";
import { encodeNpy } from "../src/io/npy.js";
import { Random } from "../src/util/random.js";
import { cliIn } from "./helpers.js";

function randomRbm(nv: number, nh: number, seed: number, scale: number): RbmParams {
  const r = new Random(seed);
  const arr = (k: number, s: number) => Float64Array.from({ length: k }, () => s * r.normal());
  return { nv, nh, W: arr(nv * nh, scale), b: arr(nv, 0.5), c: arr(nh, 0.5) };
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** Exact expectations <v_i p(h_j=1|v)>, <v_i>, <p(h_j|v)> under the model (v enumerated, h summed out). */
function modelStats(p: RbmParams) {
  const { nv, nh } = p;
  const vh = new Float64Array(nv * nh);
  const v1 = new Float64Array(nv);
  const h1 = new Float64Array(nh);
  let z = 0;
  for (let x = 0; x < 1 << nv; x++) {
    const v = Array.from({ length: nv }, (_, i) => (x >> i) & 1);
    let logw = 0;
    const ph = new Float64Array(nh);
    for (let i = 0; i < nv; i++) logw += p.b[i] * v[i];
    for (let j = 0; j < nh; j++) {
      let a = p.c[j];
      for (let i = 0; i < nv; i++) a += v[i] * p.W[i * nh + j];
      logw += Math.log1p(Math.exp(a));
      ph[j] = sig(a);
    }
    const w = Math.exp(logw);
    z += w;
    for (let i = 0; i < nv; i++) {
      v1[i] += w * v[i];
      for (let j = 0; j < nh; j++) vh[i * nh + j] += w * v[i] * ph[j];
    }
    for (let j = 0; j < nh; j++) h1[j] += w * ph[j];
  }
  return { vh: vh.map((q) => q / z), v1: v1.map((q) => q / z), h1: h1.map((q) => q / z), logZ: Math.log(z) };
}

/** The same expectations over data rows (the positive phase, exactly). */
function dataStats(p: RbmParams, d: BinaryData) {
  const { nv, nh } = p;
  const vh = new Float64Array(nv * nh);
  const v1 = new Float64Array(nv);
  const h1 = new Float64Array(nh);
  for (let r = 0; r < d.rows; r++) {
    for (let j = 0; j < nh; j++) {
      let a = p.c[j];
      for (let i = 0; i < nv; i++) a += d.x[r * nv + i] * p.W[i * nh + j];
      const ph = sig(a) / d.rows;
      h1[j] += ph;
      for (let i = 0; i < nv; i++) vh[i * nh + j] += d.x[r * nv + i] * ph;
    }
    for (let i = 0; i < nv; i++) v1[i] += d.x[r * nv + i] / d.rows;
  }
  return { vh, v1, h1 };
}

const nv = 5;
const nh = 3;
const p0 = randomRbm(nv, nh, 3, 1.0);
const patterns = [[1, 0, 1, 0, 0], [0, 1, 1, 0, 1], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1]];
const copies = 500;
const batch: BinaryData = { rows: patterns.length * copies, nv, x: Uint8Array.from(Array.from({ length: copies }, () => patterns).flat(2)) };

/** One batch at lr 1, no momentum or decay: the parameter change is the kernel's gradient estimate. */
function gradient(method: "cd" | "pcd", k: number, seed: number) {
  const m = new RbmMachine(nv, nh, batch.rows);
  m.load(p0);
  m.k.seed(BigInt(seed));
  m.inst.view(Uint8Array, m.k.ptrData(), batch.rows * nv).set(batch.x);
  if (method === "pcd") {
    m.inst.view(Uint8Array, m.k.ptrChains(), batch.rows * nv).set(batch.x);
    for (let s = 0; s < 20; s++) m.k.trainBatch(batch.rows, 10, 1, 0, 0, 0); // lr 0: the chains only burn in
  }
  m.k.trainBatch(batch.rows, k, method === "pcd" ? 1 : 0, 1, 0, 0);
  const after = m.params();
  return { W: after.W.map((w, q) => w - p0.W[q]), b: after.b.map((w, q) => w - p0.b[q]), c: after.c.map((w, q) => w - p0.c[q]) };
}

describe("RBM kernel: gradients", () => {
  const pos = dataStats(p0, batch);
  const neg = modelStats(p0);
  const exact = { W: pos.vh.map((q, i) => q - neg.vh[i]), b: pos.v1.map((q, i) => q - neg.v1[i]), c: pos.h1.map((q, i) => q - neg.h1[i]) };
  // Each estimate averages 2,000 chain states of terms in [0, 1]: standard error <= 0.5 / sqrt(2000) = 0.011.
  const bound = 4.5 * 0.5 / Math.sqrt(batch.rows);

  it.each([["cd", 100], ["pcd", 1], ["pcd", 5]] as const)("%s-%i matches the exact log-likelihood gradient", (method, k) => {
    const g = gradient(method, k, 11);
    for (const key of ["W", "b", "c"] as const) {
      g[key].forEach((v, q) => expect(Math.abs(v - exact[key][q]), `${key}[${q}]: ${v} vs ${exact[key][q]}`).toBeLessThan(bound));
    }
  });

  it("power: the same check tells the gradient of a model with one coupling's sign flipped", () => {
    const flipped = { ...p0, W: p0.W.slice() };
    flipped.W[4] = -flipped.W[4];
    const wrong = modelStats(flipped);
    const g = gradient("cd", 100, 11);
    const worst = Math.max(...g.W.map((v, q) => Math.abs(v - (pos.vh[q] - wrong.vh[q]))));
    expect(worst).toBeGreaterThan(bound);
    // CD-1 is biased (its chains stay near the data): the exact check sees that too.
    const cd1 = gradient("cd", 1, 11);
    expect(Math.max(...cd1.W.map((v, q) => Math.abs(v - exact.W[q])))).toBeGreaterThan(bound);
  });
});

const toModel = (p: RbmParams) => rbmFromWeights(new Map([["W", { shape: [p.nv, p.nh], data: p.W }], ["b", { shape: [p.nv], data: p.b }], ["c", { shape: [p.nh], data: p.c }]]), "rbm.npz");

describe("RBM kernel: log p*(v) and AIS", () => {
  it("log p*(v) is b'v + sum_j softplus(c_j + v'W_j)", () => {
    const m = new RbmMachine(nv, nh, 8);
    m.load(p0);
    const d: BinaryData = { rows: 4, nv, x: Uint8Array.from(patterns.flat()) };
    const got = m.logUnnormalised(d);
    patterns.forEach((v, r) => {
      let s = 0;
      for (let i = 0; i < nv; i++) s += p0.b[i] * v[i];
      for (let j = 0; j < nh; j++) {
        let a = p0.c[j];
        for (let i = 0; i < nv; i++) a += v[i] * p0.W[i * nh + j];
        s += Math.log1p(Math.exp(a));
      }
      expect(got[r]).toBeCloseTo(s, 12);
    });
  });

  const schedule = baseRateSchedule(0.1);

  it.each([[12, 8, 1], [16, 12, 2], [20, 16, 5]])("AIS log Z of a %i x %i RBM (seed %i) is within its error bars of the exact value", (v, h, seed) => {
    const p = randomRbm(v, h, seed, 0.4);
    const m = new RbmMachine(v, h, 200, schedule.length);
    m.load(p);
    const base = new Float64Array(v).fill(0.2);
    const z = m.aisLogZ(base, schedule, 200, seed);
    const exact = logZExact(toModel(p)).logZ;
    // The Ising form's log Z equals the 0/1 form's (the constant is kept in the conversion).
    expect(Math.abs(z.logZ - exact), JSON.stringify({ z, exact })).toBeLessThan(3 * z.stderr + 0.02);
  });

  it("power: AIS tells an RBM whose W is 5% stronger", () => {
    const p = randomRbm(16, 12, 2, 0.4);
    const strong = { ...p, W: p.W.map((w) => 1.05 * w) };
    const m = new RbmMachine(16, 12, 200, schedule.length);
    m.load(strong);
    const z = m.aisLogZ(new Float64Array(16).fill(0.2), schedule, 200, 2);
    const exact = logZExact(toModel(p)).logZ;
    expect(Math.abs(z.logZ - exact)).toBeGreaterThan(3 * z.stderr + 0.02);
  });
});

describe("AIS on trained MNIST RBMs", () => {
  let digits: ReturnType<typeof loadMnist> | undefined;
  it.each([8, 12, 16])("a 784 x %i RBM trained on MNIST digits: AIS (data base rate) within its error bars of exact log Z", (nh) => {
    const mnist = (digits ??= loadMnist("sample"));
    const data: BinaryData = { rows: 2000, nv: 784, x: mnist.train.x.subarray(0, 2000 * 784) };
    const m = new RbmMachine(784, nh, 100, baseRateSchedule(0.1).length);
    m.init(data, nh);
    for (let e = 0; e < 3; e++) m.epoch(data, { method: "cd", k: 1, batch: 100, lr: () => 0.1, momentum: () => 0.5, weightDecay: 2e-4 }, e);
    const z = m.aisLogZ(logOdds(data), baseRateSchedule(0.1), 100, nh);
    const exact = logZExact(toModel(m.params())).logZ;
    expect(Math.abs(z.logZ - exact), JSON.stringify({ z, exact })).toBeLessThan(3 * z.stderr + 0.02);
  }, 60_000);
});

describe("training", () => {
  it("PCD and CD-1 raise the exact log-likelihood of a toy data set far above the start", () => {
    const data: BinaryData = { rows: patterns.length * 25, nv, x: Uint8Array.from(Array.from({ length: 25 }, () => patterns).flat(2)) };
    const ll = (p: RbmParams) => {
      const z = modelStats(p).logZ;
      const m = new RbmMachine(nv, p.nh, data.rows);
      m.load(p);
      return m.logUnnormalised(data).reduce((a, b) => a + b, 0) / data.rows - z;
    };
    for (const method of ["pcd", "cd"] as const) {
      const m = new RbmMachine(nv, 6, 20);
      m.init(data, 4);
      if (method === "pcd") m.startChains(data, 20, 4);
      const start = ll(m.params());
      for (let e = 0; e < 200; e++) m.epoch(data, { method, k: 1, batch: 20, lr: () => 0.1, momentum: () => 0.5, weightDecay: 0 }, e);
      const end = ll(m.params());
      // Four equally likely patterns: the best possible is log(1/4) = -1.386.
      expect(end, `${method}: ${start} -> ${end}`).toBeGreaterThan(-2.2);
      expect(end - start).toBeGreaterThan(1);
    }
  });
});

describe("thermosim train rbm", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-train-"));
    const rows = 64;
    const r = new Random(9);
    const x = new Uint8Array(rows * 16);
    for (let q = 0; q < rows; q++) {
      const bar = q % 4; // 4 x 4 images with one bright row, a little noise
      for (let i = 0; i < 16; i++) x[q * 16 + i] = (Math.floor(i / 4) === bar) !== (r.uniform() < 0.05) ? 1 : 0;
    }
    writeFileSync(join(dir, "bars.npy"), encodeNpy({ dtype: "uint8", shape: [rows, 16], data: x }));
    writeFileSync(join(dir, "bad.npy"), encodeNpy({ dtype: "uint8", shape: [2, 16], data: new Uint8Array(32).fill(2) }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);
  const args = (out: string) => ["train", "rbm", "--data", "bars.npy", "--test", "bars.npy", "--hidden", "8", "--epochs", "400", "--batch", "16", "--lr", "0.1", "--ais-runs", "100", "--ais-steps", "3000", "--seed", "3", "--out", out];

  it("trains, reports the AIS log-likelihood (checked against exact log Z), writes an RBM thermosim reads; same seed, same bytes", () => {
    const a = run(args("t1"));
    expect(a.code, a.err).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, "t1", "train.json"), "utf8"));
    expect(doc.epochs).toHaveLength(400);
    expect(doc.epochs[399].reconstruction_error).toBeLessThan(doc.epochs[0].reconstruction_error);
    const exact = run(["logz", join(dir, "t1", "rbm.npz"), "--method", "exact", "--json"]);
    expect(exact.code, exact.err).toBe(0);
    const z = JSON.parse(exact.out).logZ;
    expect(Math.abs(doc.log_likelihood.logZ - z)).toBeLessThan(3 * doc.log_likelihood.logZ_stderr + 0.02);
    // Four bars with 5% noise: about -16 x H(0.05) - log 4 = -4.6 nats at best (the default recipe,
    // PCD-1 without momentum, needs a few hundred epochs here: -9.4 nats at 60, -4.5 at 400).
    expect(doc.log_likelihood.test_nats).toBeGreaterThan(-8);
    expect(existsSync(join(dir, "t1", "samples.png"))).toBe(true);
    // logz on the trained RBM: AIS on the kernel from the data's base rate agrees with exact enumeration.
    const ais = run(["logz", join(dir, "t1", "rbm.npz"), "--method", "ais", "--base-rate", "bars.npy", "--runs", "200", "--steps", "3000", "--json"]);
    expect(ais.code, ais.err).toBe(0);
    const za = JSON.parse(ais.out);
    expect(Math.abs(za.logZ - z), ais.out).toBeLessThan(3 * za.stderr + 0.02);
    const b = run(args("t2"));
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(dir, "t2", "rbm.npz"))).toEqual(readFileSync(join(dir, "t1", "rbm.npz")));
  }, 120_000);

  it("refuses bad data and flags in one line", () => {
    refused(["train", "rbm", "--data", "bad.npy"], /bad\.npy: \[0, 0\]: is 2; RBM data must be 0 or 1/);
    refused(["train", "rbm", "--test", "bars.npy"], /--test: needs --data/);
    const z = run(["logz", "t1/rbm.npz", "--method", "exact", "--base-rate", "bars.npy"]);
    expect(z.code).toBe(2);
    expect(z.err).toMatch(/--base-rate: applies to AIS on RBMs/);
    refused(["train", "rbm", "--data", "bars.npy", "--momentum", "1.5"], /--momentum: must be M or M0,M1/);
  });
});
