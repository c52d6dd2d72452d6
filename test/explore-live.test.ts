/**
 * The explorer's live chains (src/explore/live-*.ts) against `thermosim
 * sample`: the same model document, chip, seed and options give the same
 * rows bit for bit however the live run is split into steps, and the energy
 * meter equals the CLI's ledger. (The browser test repeats the p-bit check
 * in Chromium, through the bundled page.)
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";
import { decodeNpy } from "../src/io/npy.js";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { mergeSpec } from "../src/spec/merge.js";
import { loadTechTable } from "../src/energy/table.js";
import { modelFromJson } from "../src/models/load.js";
import { LivePbit } from "../src/explore/live-pbit.js";
import { LiveLangevin } from "../src/explore/live-langevin.js";
import { gaussian2dDoc, modelGraph, spinModelDoc } from "../src/explore/models.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import type { LangevinSpec } from "../src/chips/langevin/spec.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { linearDense } from "../src/chips/langevin/circuit.js";
import { expm, identity, lyapunov, matmul } from "../src/linalg/dense.js";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "thermosim-live-")); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { run } = cliIn(() => dir);

function spec(name: string, over: Record<string, unknown> = {}) {
  const file = resolveChipFile(name);
  const s = chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
  return { s, table: loadTechTable(s.energy, file), file };
}

function cliRows(modelDoc: unknown, chipArgs: string[], samples: number, seed: number, out: string) {
  writeFileSync(join(dir, `${out}.json`), JSON.stringify(modelDoc));
  const r = run(["sample", `${out}.json`, ...chipArgs, "--chains", "1", "--burn-in", "0", "--samples", String(samples), "--seed", String(seed), "--out", out]);
  expect(r.code, r.err).toBe(0);
  const npy = decodeNpy(readFileSync(join(dir, out, "samples.npy")), "samples.npy");
  const stats = JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8"));
  return { data: npy.data, stats };
}

describe("live p-bit chain = thermosim sample, bit for bit", () => {
  for (const [chipName, over, kind, beta] of [
    ["dtm-2025", {}, "ferromagnet", 1.3],
    ["dtm-2025", { mismatch: { gain_sigma: 0.05 }, rng: { impl: "lfsr32" } }, "spin-glass", 1],
    ["ideal", {}, "spin-glass", 0.7],
  ] as const) {
    test(`${chipName} ${JSON.stringify(over)} ${kind} beta ${beta}`, () => {
      const { s, table } = spec(chipName, over);
      const doc = spinModelDoc(modelGraph(s as PbitSpec), kind, beta);
      const model = modelFromJson(doc, "m.json");
      if (model.kind !== "ising") throw new Error("not ising");
      const live = new LivePbit(s as PbitSpec, model, table, "chromatic", 3, 16);
      const rows: Int8Array[] = [];
      for (const k of [16, 5, 9, 10]) rows.push(live.step(k).rows);
      const got = new Int8Array(rows.reduce((a, r) => a + r.length, 0));
      let o = 0;
      for (const r of rows) { got.set(r, o); o += r.length; }
      // The CLI's chip: the preset with the same overrides, as a spec file extending it.
      writeFileSync(join(dir, `chip-${chipName}.yaml`), JSON.stringify({ extends: chipName, ...over }));
      const cli = cliRows(doc, ["--chip", `chip-${chipName}.yaml`], 40, 3, `cli-${chipName}-${kind}`);
      // samples.npy holds 0/1 or +-1 per the file contract: compare as spins.
      const want = Int8Array.from(cli.data as ArrayLike<number>, (v) => (v === 0 ? -1 : v));
      expect(got.length).toBe(want.length);
      expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer))).toBe(true);
      const m = live.meter();
      expect(m.sweeps).toBe(40);
      expect(m.chipSeconds).toBe(cli.stats.chip_seconds);
      for (const [k, v] of Object.entries(cli.stats.actions)) expect(m.counts[k], k).toBe(v);
      const wantJ = cli.stats.energy_J.sampling;
      expect(Math.abs(m.samplingJ - wantJ)).toBeLessThanOrEqual(1e-12 * Math.abs(wantJ));
      expect(m.programmingJ).toBe(cli.stats.energy_J.one_off);
      // Power: another seed's chain differs.
      const other = new LivePbit(s as PbitSpec, model, table, "chromatic", 4, 16).step(16).rows;
      expect(Buffer.from(other.buffer).equals(Buffer.from(got.subarray(0, other.length).slice().buffer))).toBe(false);
    }, 120_000);
  }
});

test("a minor-embedded model: the live chain's read-out (majority vote, coin-flipped ties) equals the CLI's, however it is split into steps", () => {
  const { s, table } = spec("dtm-2025");
  // A dense 6-spin model (every pair coupled): no identity placement on G12, so the seeded search embeds it.
  const J: [number, number, number][] = [];
  for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) J.push([i, j, 0.6 * Math.sin(7 * i + 3 * j + 1)]);
  // Hot (beta 0.15), so chains break and even ones tie often enough to exercise the coin.
  const doc = { kind: "ising", n: 6, h: [0.3, -0.2, 0.1, 0, -0.4, 0.2], J, beta: 0.15 };
  const model = modelFromJson(doc, "dense6.json");
  if (model.kind !== "ising") throw new Error("not ising");
  const live = new LivePbit(s as PbitSpec, model, table, "chromatic", 2, 64, "dense6.json");
  expect(live.embedded).toBeDefined();
  expect(live.pbits).toBeGreaterThan(6);
  const e = live.embedded!;
  const steps = [64, 1, 37, 64, 3, 31];
  const total = steps.reduce((a, k) => a + k, 0);
  const got = new Int8Array(total * 6);
  let o = 0;
  let ties = 0;
  for (const k of steps) {
    const st = live.step(k);
    got.set(st.rows, o * 6);
    // Ties (an even chain split half and half) are what the coin decides, by (seed, chain, row, variable).
    for (let r = 0; r < k; r++) for (let i = 0; i < 6; i++) {
      let sum = 0;
      for (let q = e.start[i]; q < e.start[i + 1]; q++) sum += st.physical[r * live.pbits + e.members[q]];
      if (sum === 0) ties++;
    }
    o += k;
  }
  const cli = cliRows(doc, ["--chip", "dtm-2025", "--readout", "majority"], total, 2, "cli-dense6");
  expect(Buffer.from(got.buffer).equals(Buffer.from((cli.data as Int8Array).buffer))).toBe(true);
  // The test has power over the row index the coin is given: the run has ties to decide.
  expect(ties).toBeGreaterThan(20);
  expect(cli.stats.mapping.embedding.pbits).toBe(live.pbits);
}, 120_000);

test("live analog chain = thermosim sample on rc-langevin, bit for bit; its predicted law is the model's within the ADC and integrator", () => {
  const { s, table } = spec("rc-langevin");
  const doc = gaussian2dDoc();
  const model = modelFromJson(doc, "g.json");
  if (model.kind !== "gaussian") throw new Error("not gaussian");
  const live = new LiveLangevin(s as LangevinSpec, model, table, 5, 64);
  const parts = [live.step(64), live.step(36), live.step(50)];
  const got = new Float64Array(150 * 2);
  let o = 0;
  for (const p of parts) { got.set(p, o); o += p.length; }
  const cli = cliRows(doc, ["--chip", "rc-langevin"], 150, 5, "cli-rc");
  expect(Buffer.from(got.buffer).equals(Buffer.from((cli.data as Float64Array).buffer))).toBe(true);
  const m = live.meter();
  expect(m.chipSeconds).toBeCloseTo(cli.stats.chip_seconds, 20);
  // Every count equals the CLI's, heat too: the kernel samples dissipation on the same steps
  // however the chain is split into calls.
  for (const [k, v] of Object.entries(cli.stats.actions)) expect(m.counts[k], k).toBe(v);
  expect(m.samplingJ).toBe(cli.stats.energy_J.sampling);
  // The target ellipse is the document's: Sigma = [[1, 0.4], [0.4, 0.25]], mean (0.5, -0.25).
  expect(live.target.cov.map((v) => Number(v.toFixed(9)))).toEqual([1, 0.4, 0.4, 0.25]);
  expect(live.target.mean.map((v) => Number(v.toFixed(9)))).toEqual([0.5, -0.25]);
}, 120_000);

/** Sample autocorrelation of x at lag k (centred and scaled by the sample's own mean and variance). */
function autocorrelation(x: Float64Array, k: number): number {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let c0 = 0, ck = 0;
  for (let t = 0; t < x.length; t++) c0 += (x[t] - m) ** 2;
  for (let t = 0; t + k < x.length; t++) ck += (x[t] - m) * (x[t + k] - m);
  return ck / c0;
}

test("read-out interval knob: read-outs 20 ns apart equal the CLI's and are correlated as the circuit predicts (lags 1-4, Bartlett bounds); 5% faster rates fail", () => {
  const over = { readout: { interval: "20 ns" } };
  const { s, table } = spec("rc-langevin", over);
  const doc = gaussian2dDoc();
  const model = modelFromJson(doc, "g.json");
  if (model.kind !== "gaussian") throw new Error("not gaussian");
  const live = new LiveLangevin(s as LangevinSpec, model, table, 7, 256);
  expect(live.readoutSeconds).toBeCloseTo(20e-9, 20);
  // The knob is a chip-spec field: the CLI given the same field in a spec file draws the same rows.
  const head = new Float64Array(200 * 2);
  head.set(live.step(128), 0);
  head.set(live.step(72), 256);
  writeFileSync(join(dir, "rc20.yaml"), JSON.stringify({ extends: "rc-langevin", ...over }));
  const cli = cliRows(doc, ["--chip", "rc20.yaml"], 200, 7, "cli-rc20");
  expect(Buffer.from(head.buffer).equals(Buffer.from((cli.data as Float64Array).buffer))).toBe(true);

  // A long run: each variable's lag-k autocorrelation against the circuit's, rho_k = (e^{-M k Delta} Sigma)_ii / Var_i,
  // computed here lag by lag (not by law.ts's closed form), with Bartlett's standard error.
  const steps = 3900, N = steps * 256;
  const xs = [new Float64Array(N), new Float64Array(N)];
  for (let b = 0; b < steps; b++) {
    const rows = live.step(256);
    for (let r = 0; r < 256; r++) { xs[0][b * 256 + r] = rows[2 * r]; xs[1][b * 256 + r] = rows[2 * r + 1]; }
  }
  const mp = mapGaussian(model, "g.json", s as LangevinSpec, 7);
  const ns = mp.sde.ns;
  const { M, D } = linearDense(mp.sde);
  const sigma = lyapunov(M, D, ns);
  const lsb2 = (mp.law!.adcLsb ** 2) / 12;
  const predicted = (rates: Float64Array, i: number, lags: number) => {
    const phi1 = expm(rates.map((v) => -v * live.readoutSeconds), ns);
    const rho = [1];
    let pk = identity(ns);
    for (let k = 1; k <= lags; k++) {
      pk = matmul(pk, phi1, ns);
      rho.push(matmul(pk, sigma, ns)[i * ns + i] / (sigma[i * ns + i] + lsb2));
    }
    return rho;
  };
  const zs = (rates: Float64Array) => {
    const out: number[] = [];
    for (let i = 0; i < 2; i++) {
      const rho = predicted(rates, i, 600);
      for (let k = 1; k <= 4; k++) {
        let v = 0;
        for (let j = 1; j + k <= 600; j++) v += (rho[j + k] + rho[Math.abs(j - k)] - 2 * rho[j] * rho[k]) ** 2;
        v += (rho[k] + rho[k] - 2 * rho[0] * rho[k]) ** 2 / 2; // the j = 0 term, counted once in the two-sided sum
        out.push((autocorrelation(xs[i], k) - rho[k]) / Math.sqrt(v / N));
      }
    }
    return out;
  };
  const z = zs(M);
  expect(Math.max(...z.map(Math.abs)), z.join(", ")).toBeLessThan(4);
  // Power: the same read-outs against a circuit whose rates are 5% faster (a read-out interval 5% longer).
  const zWrong = zs(M.map((v) => v * 1.05));
  expect(Math.max(...zWrong.map(Math.abs))).toBeGreaterThan(8);
  // The page's "effective samples" divide by law.ts's closed-form autocorrelation time: it equals the sum over lags.
  for (let i = 0; i < 2; i++) {
    const rho = predicted(M, i, 4000);
    const tau = 1 + 2 * rho.slice(1).reduce((a, v) => a + v, 0);
    expect(Math.abs(live.iat![i] - tau) / tau).toBeLessThan(2e-3);
    expect(live.iat![i]).toBeGreaterThan(5);
  }
  // Read out every 20 ns the chip spends far less energy per read-out than every 1 us (the default).
  const m = live.meter();
  const slow = new LiveLangevin(spec("rc-langevin").s as LangevinSpec, model, table, 7, 256);
  slow.step(256);
  expect(slow.iat![0]).toBeLessThan(1.01);
  expect(m.samplingJ / m.readouts).toBeLessThan(0.1 * (slow.meter().samplingJ / 256));
}, 120_000);
