/**
 * RBMs from weight files: the Ising form's energy equals E(v, h) = -b'v - c'h - v'Wh on every
 * state (written out here independently); `sample` writes 0/1 units (uint8, visible then hidden)
 * and its law check finds the chip consistent with the model; malformed RBM files are refused.
 */
import { describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeNpz, encodeSafetensors, type Weights } from "../src/io/weights.js";
import { loadModel } from "../src/models/load.js";
import { isingEnergy, type IsingModel } from "../src/models/ising.js";
import { decodeNpy } from "../src/io/npy.js";
import { Random } from "../src/util/random.js";

const dir = mkdtempSync(join(tmpdir(), "thermosim-rbm-"));
const bin = join(__dirname, "..", "bin", "thermosim.js");
const r = new Random(77);
const nv = 5;
const nh = 3;
const W = Float64Array.from({ length: nv * nh }, () => r.normal() * 0.8);
const b = Float64Array.from({ length: nv }, () => r.normal() * 0.3);
const c = Float64Array.from({ length: nh }, () => r.normal() * 0.3);
const weights = (): Weights => new Map([["W", { shape: [nv, nh], data: W }], ["b", { shape: [nv], data: b }], ["c", { shape: [nh], data: c }]]);

describe("RBM weights -> model", () => {
  test.each(["npz", "safetensors"])("every state's energy is -b'v - c'h - v'Wh (.%s)", (ext) => {
    const p = join(dir, `rbm.${ext}`);
    writeFileSync(p, ext === "npz" ? encodeNpz(weights(), true) : encodeSafetensors(weights()));
    const m = loadModel(p) as IsingModel;
    expect(m.n).toBe(nv + nh);
    expect(m.layers).toEqual({ visible: nv, hidden: nh });
    for (let x = 0; x < 2 ** (nv + nh); x++) {
      const u = Array.from({ length: nv + nh }, (_, i) => (x >> i) & 1);
      let e = 0;
      for (let i = 0; i < nv; i++) e -= b[i] * u[i];
      for (let j = 0; j < nh; j++) e -= c[j] * u[nv + j];
      for (let i = 0; i < nv; i++) for (let j = 0; j < nh; j++) e -= u[i] * W[i * nh + j] * u[nv + j];
      expect(isingEnergy(m, u.map((v) => 2 * v - 1))).toBeCloseTo(e, 10);
    }
  });

  test("sample writes 0/1 units, visible then hidden, and the law check finds the ideal chip consistent", () => {
    const p = join(dir, "rbm.npz");
    writeFileSync(p, encodeNpz(weights(), false));
    const run = spawnSync(process.execPath, [bin, "sample", p, "--chip", "ideal", "--chains", "4", "--samples", "5000", "--out", join(dir, "out"), "--json"], { encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    const stats = JSON.parse(run.stdout);
    expect(stats.model.rbm).toMatchObject({ visible: nv, hidden: nh });
    expect(stats.mapping.law_check.consistent).toBe(true);
    const s = decodeNpy(readFileSync(join(dir, "out", "samples.npy")), "samples");
    expect(s.dtype).toBe("uint8");
    expect(s.shape).toEqual([20000, nv + nh]);
    expect(new Set(s.data)).toEqual(new Set([0, 1]));
  });

  test("malformed RBM files: one line naming the array", () => {
    const bad = (w: Weights, message: RegExp) => {
      const p = join(dir, "bad.npz");
      writeFileSync(p, encodeNpz(w, false));
      expect(() => loadModel(p)).toThrow(message);
    };
    const w = weights();
    w.delete("c");
    bad(w, /bad\.npz: c: is missing: an RBM needs W/);
    bad(new Map([...weights(), ["b", { shape: [nv + 1], data: new Float64Array(nv + 1) }]]), /bad\.npz: b: must have shape \[5\] \(W is 5 x 3\), has \[6\]/);
    bad(new Map([...weights(), ["W", { shape: [nv * nh], data: W }]]), /bad\.npz: W: must be 2-D/);
    bad(new Map([...weights(), ["extra", { shape: [1], data: new Float64Array(1) }]]), /bad\.npz: extra: is not an RBM array/);
  });
});
