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
