/**
 * `thermosim diagnose` and trace.npy through the CLI: a sample run's trace
 * holds the observables of every recorded draw (recomputed here from
 * samples.npy with independent code), diagnose reads it with its names, and
 * bad chains files are refused with one line and exit 2.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNpy, encodeNpy } from "../src/io/npy.js";

const bin = join(__dirname, "..", "bin", "thermosim.js");
let dir: string;
const thermosim = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const npy = (name: string, shape: number[], data: Float64Array) => writeFileSync(join(dir, name), encodeNpy({ dtype: "float64", shape, data }));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-diag-"));
  writeFileSync(join(dir, "m.json"), JSON.stringify({ kind: "ising", n: 5, h: [0.1, 0, -0.3, 0, 0.2], J: [[0, 1, 0.5], [1, 2, -0.7], [2, 3, 0.4], [3, 4, 0.9], [0, 4, -0.2]], beta: 1 }));
  writeFileSync(join(dir, "g.json"), JSON.stringify({ kind: "gaussian", A: [[2, -0.5, 0], [-0.5, 1.5, 0.3], [0, 0.3, 1]], b: [0.5, -0.2, 0.1], beta: 1 }));
});

describe("trace.npy", () => {
  test("a spin run's trace holds the energy and magnetisation of every recorded draw, [chains, samples, 2], named in stats.json", () => {
    const r = thermosim(["sample", "m.json", "--chip", "ideal", "--chains", "3", "--samples", "500", "--burn-in", "10", "--workers", "2", "--out", "spin"]);
    expect(r.code, r.err).toBe(0);
    const stats = JSON.parse(readFileSync(join(dir, "spin", "stats.json"), "utf8"));
    expect(stats.trace_names).toEqual(["energy", "magnetisation"]);
    const t = decodeNpy(readFileSync(join(dir, "spin", "trace.npy")), "trace");
    const s = decodeNpy(readFileSync(join(dir, "spin", "samples.npy")), "samples");
    expect(t.shape).toEqual([3, 500, 2]);
    const J = [[0, 1, 0.5], [1, 2, -0.7], [2, 3, 0.4], [3, 4, 0.9], [0, 4, -0.2]];
    const h = [0.1, 0, -0.3, 0, 0.2];
    for (let row = 0; row < 1500; row++) {
      const x = Array.from(s.data.subarray(row * 5, row * 5 + 5));
      const e = -h.reduce((a, hi, i) => a + hi * x[i], 0) - J.reduce((a, [i, j, w]) => a + w * x[i] * x[j], 0);
      expect(t.data[row * 2]).toBeCloseTo(e, 12);
      expect(t.data[row * 2 + 1]).toBeCloseTo(x.reduce((a, b) => a + b, 0) / 5, 12);
    }
  });

  test("a Gaussian run's trace holds E(x) = x'Ax/2 - b'x and the coordinates", () => {
    const r = thermosim(["sample", "g.json", "--chip", "rc-langevin", "--chains", "2", "--samples", "50", "--out", "gauss"]);
    expect(r.code, r.err).toBe(0);
    const stats = JSON.parse(readFileSync(join(dir, "gauss", "stats.json"), "utf8"));
    expect(stats.trace_names).toEqual(["energy", "x0", "x1", "x2"]);
    const t = decodeNpy(readFileSync(join(dir, "gauss", "trace.npy")), "trace");
    const s = decodeNpy(readFileSync(join(dir, "gauss", "samples.npy")), "samples");
    const A = [[2, -0.5, 0], [-0.5, 1.5, 0.3], [0, 0.3, 1]];
    const b = [0.5, -0.2, 0.1];
    for (let row = 0; row < 100; row++) {
      const x = Array.from(s.data.subarray(row * 3, row * 3 + 3));
      let e = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) e += 0.5 * A[i][j] * x[i] * x[j];
      e -= b.reduce((a, bi, i) => a + bi * x[i], 0);
      expect(t.data[row * 4]).toBeCloseTo(e, 10);
      for (let v = 0; v < 3; v++) expect(t.data[row * 4 + 1 + v]).toBe(x[v]);
    }
  });

  test("diagnose reads a run's trace.npy by its names, and --json gives the brief's shape", () => {
    const r = thermosim(["diagnose", join("spin", "trace.npy"), "--json"]);
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.chains).toBe(3);
    expect(j.draws).toBe(500);
    expect(j.scalars.map((s: { name: string }) => s.name)).toEqual(["energy", "magnetisation"]);
    for (const s of j.scalars) {
      for (const k of ["rhat", "ess_bulk", "ess_tail", "ess_mean", "mcse_mean", "mcse_sd", "iat"]) expect(Number.isFinite(s[k]), k).toBe(true);
      expect(s.rhat).toBeLessThan(1.05);
    }
    expect(j.units.iat.unit).toBe("draw");
    const text = thermosim(["diagnose", join("spin", "trace.npy")]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/energy/);
  });
});

describe("diagnose refuses bad chains files: one line, exit 2", () => {
  const refused = (file: string, message: RegExp) => {
    const r = thermosim(["diagnose", file]);
    expect(r.code, r.err).toBe(2);
    expect(r.out).toBe("");
    const lines = r.err.trim().split("\n");
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  };

  test("wrong rank", () => {
    npy("rank1.npy", [40], new Float64Array(40));
    npy("rank4.npy", [2, 10, 1, 1], new Float64Array(20));
    refused("rank1.npy", /rank1\.npy: shape: is \(40\); diagnose reads \[chains, draws\] or \[chains, draws, k\]/);
    refused("rank4.npy", /shape: is \(2, 10, 1, 1\)/);
  });

  test("too few draws for an ESS", () => {
    npy("short.npy", [4, 5], Float64Array.from({ length: 20 }, (_, i) => i));
    refused("short.npy", /short\.npy: shape: has 5 draws per chain; the effective sample size needs at least 6/);
  });

  test("NaN and infinite draws, located", () => {
    const x = Float64Array.from({ length: 2 * 20 * 3 }, (_, i) => Math.sin(i));
    x[(1 * 20 + 7) * 3 + 2] = NaN;
    npy("nan.npy", [2, 20, 3], x);
    refused("nan.npy", /nan\.npy: \[1, 7, 2\]: is NaN; draws must be finite/);
    const y = Float64Array.from({ length: 40 }, (_, i) => i);
    y[3] = -Infinity;
    npy("inf.npy", [2, 20], y);
    refused("inf.npy", /inf\.npy: \[0, 3\]: is -Infinity/);
  });

  test("not a .npy file, missing file, no chains", () => {
    writeFileSync(join(dir, "text.npy"), "hello");
    refused("text.npy", /text\.npy: is not a \.npy file/);
    refused("missing.npy", /missing\.npy: no such file/);
    npy("empty.npy", [0, 10], new Float64Array(0));
    refused("empty.npy", /no scalars to diagnose/);
  });

  test("constant draws are diagnosed with undefined figures as null and a warning, not made up", () => {
    npy("const.npy", [2, 10], new Float64Array(20).fill(3));
    const r = thermosim(["diagnose", "const.npy", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/every draw is the same value/);
    const s = JSON.parse(r.out).scalars[0];
    expect(s.rhat).toBeNull();
    expect(s.ess_bulk).toBeNull();
    expect(s.mean).toBe(3);
  });
});
