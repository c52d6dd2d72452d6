/**
 * Chip-in-the-loop training (thermosim train chip): it learns data drawn from
 * a teacher Boltzmann machine on the chip's own graph (the exact likelihood on
 * the chip approaches the teacher's), counts every update the chip made while
 * training (checked against the run plan), writes a model the chip runs as it
 * is; on a chip instance with device mismatch, the model trained with that
 * instance in the loop samples the data far better on it than the model
 * trained in float (the point of hardware-aware training); bad input refused.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";
import { encodeNpy } from "../src/io/npy.js";
import { exactLaw } from "../src/models/enumerate.js";
import { chipEdges } from "../src/train/chip.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { chipFromDocument, loadChipDocument } from "../src/chips/load.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import type { IsingModel } from "../src/models/ising.js";
import { Random } from "../src/util/random.js";

const WINDOW = "extends: dtm-2025\nname: window\ntopology: { impl: offset-grid, width: 5, height: 4, wrap: false, offsets: G12 }\n";
const visible = [0, 1, 2, 5, 6, 7, 10, 11, 12];

describe("thermosim train chip", () => {
  let dir: string;
  let teacherLl = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-trainchip-"));
    writeFileSync(join(dir, "window.yaml"), WINDOW);
    writeFileSync(join(dir, "mismatch.yaml"), WINDOW.replace("name: window", "name: window-mismatch") + "mismatch: { gain_sigma: 0.3, offset_sigma: 0.3 }\n");
    const spec = chipFromDocument(loadChipDocument(join(dir, "window.yaml")), join(dir, "window.yaml")) as PbitSpec;
    const t = fixedTopology(spec.topology, "window");
    const { ei, ej } = chipEdges(t);
    const r = new Random(7);
    const teacher: IsingModel = { kind: "ising", n: t.size, h: Float64Array.from({ length: t.size }, () => 0.3 * r.normal()), ei, ej, ew: Float64Array.from(ei, () => 0.8 * r.normal()), beta: 1 };
    const { p } = exactLaw(teacher);
    const rows = 1000;
    const x = new Uint8Array(rows * visible.length);
    const marg = new Float64Array(1 << visible.length);
    p.forEach((q, s) => {
      let y = 0;
      visible.forEach((b, k) => (y |= (s >> b) & 1 ? 1 << k : 0));
      marg[y] += q;
    });
    for (let k = 0; k < rows; k++) {
      let u = r.uniform();
      let s = 0;
      while (s < p.length - 1 && u >= p[s]) u -= p[s++];
      visible.forEach((b, j) => (x[k * visible.length + j] = (s >> b) & 1));
      let y = 0;
      visible.forEach((b, j) => (y |= (s >> b) & 1 ? 1 << j : 0));
      teacherLl += Math.log(marg[y]) / rows;
    }
    writeFileSync(join(dir, "data.npy"), encodeNpy({ dtype: "uint8", shape: [rows, visible.length], data: x }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);
  const doc = (out: string) => JSON.parse(readFileSync(join(dir, out, "train.json"), "utf8"));
  const base = ["train", "chip", "--data", "data.npy", "--visible", visible.join(","), "--burn-in", "20", "--samples", "10", "--thin", "2", "--batch", "40", "--chains", "40", "--lr", "0.2"];

  it("learns the teacher's data on the chip, counts every update it made, and writes a model the chip runs", () => {
    const r = run([...base, "--chip", "window.yaml", "--iterations", "300", "--out", "w"]);
    expect(r.code, r.err).toBe(0);
    const d = doc("w");
    // Uniform over 9 bits would give -6.24 nats; the teacher itself -3.74 on this data.
    expect(d.on_chip.exact.log_likelihood_nats).toBeGreaterThan(teacherLl - 0.1);
    expect(d.on_chip.sampled.tv_from_data).toBeLessThan(0.2);
    const sweeps = 20 + 10 * 2;
    expect(d.training_cost.updates).toBe(300 * (40 * sweeps * (20 - visible.length) + 40 * sweeps * 20));
    expect(d.training_cost.energy_J).toBeGreaterThan(0);
    const s = run(["sample", join(dir, "w", "model.json"), "--chip", "window.yaml", "--samples", "10", "--out", "s"]);
    expect(s.code, s.err).toBe(0);
  }, 120_000);

  it("on a chip instance with device mismatch, training with it in the loop beats training in float then mapping", () => {
    const opts = ["--chip", "mismatch.yaml", "--iterations", "300", "--instance-seed", "100"];
    const a = run([...base, ...opts, "--out", "m-chip"]);
    expect(a.code, a.err).toBe(0);
    const b = run([...base, ...opts, "--sampler", "float", "--out", "m-float"]);
    expect(b.code, b.err).toBe(0);
    const chip = doc("m-chip").on_chip.sampled.tv_from_data;
    const float = doc("m-float").on_chip.sampled.tv_from_data;
    expect(chip, `chip in the loop ${chip} vs float ${float}`).toBeLessThan(float - 0.1);
  }, 120_000);

  it("refuses bad input in one line", () => {
    refused(["train", "chip", "--chip", "window.yaml", "--data", "data.npy", "--visible", "0,1,2,3,4,5,6,7,99"], /--visible: entry 8 is "99"; p-bits are 0 \.\. 19 on window/);
    refused(["train", "chip", "--chip", "window.yaml", "--data", "data.npy", "--visible", "0,0,1,2,3,4,5,6,7"], /--visible: names a p-bit twice/);
    refused(["train", "chip", "--chip", "window.yaml", "--data", "data.npy", "--visible", "0,1"], /data\.npy: has 9 columns but --visible names 2 p-bits/);
    refused(["train", "chip", "--chip", "ideal", "--data", "data.npy", "--visible", "0"], /--chip: ideal takes the model's graph/);
  });
});
