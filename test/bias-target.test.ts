/**
 * `ess>=N,bias<=X`: an ESS target cannot see a wrong law, so it is paired
 * with a check of the traced observables' means against a reference run of
 * exact chromatic Gibbs. Here: the reference agrees with exact enumeration
 * (computed in this file), a correct chip passes the check, and the same chip
 * sampling at beta x 1.05 fails it (the check's power).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkpoints, prepareSystem, referenceRun, runOnce, type CompareRequest, type Reference } from "../src/run/compare.js";
import { parseTarget } from "../src/metrics/target.js";
import { loadModel } from "../src/models/load.js";
import { Random } from "../src/util/random.js";

const N = 16;
let dir: string;
let edges: [number, number, number][];
let h: number[];

/** The exact mean and sd of the energy, by enumerating the 2^N states here. */
function exactEnergy(beta: number): { mean: number; sd: number } {
  let z = 0;
  let m1 = 0;
  let m2 = 0;
  for (let x = 0; x < 1 << N; x++) {
    const s = (i: number) => ((x >> i) & 1 ? 1 : -1);
    let e = 0;
    for (let i = 0; i < N; i++) e -= h[i] * s(i);
    for (const [i, j, w] of edges) e -= w * s(i) * s(j);
    const p = Math.exp(-beta * e);
    z += p;
    m1 += p * e;
    m2 += p * e * e;
  }
  const mean = m1 / z;
  return { mean, sd: Math.sqrt(m2 / z - mean * mean) };
}

const request = (file: string): CompareRequest => ({ modelFile: file, chips: [], baselines: [], target: parseTarget("ess>=50,bias<=0.06"), repeats: 1, chains: 8, maxSweeps: 16384, seed: 5 });
let reference: Reference;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-bias-"));
  const rng = new Random(17);
  edges = [];
  // Dense and warm: d<E>/d beta = -var(E), so beta x 1.05 moves the mean energy by ~0.05 sd(E) = ~0.1 sd.
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) edges.push([i, j, 0.3 * rng.normal()]);
  h = Array.from({ length: N }, () => 0.3 * rng.normal());
  const write = (name: string, beta: number) => writeFileSync(join(dir, name), JSON.stringify({ kind: "ising", n: N, h, J: edges, beta }));
  write("m.json", 1);
  write("hot.json", 1.05);
  reference = referenceRun(request(join(dir, "m.json")), loadModel(join(dir, "m.json")));
}, 120_000);

describe("the reference run", () => {
  test("exact chromatic Gibbs: its mean energy within 4 Monte Carlo errors of enumeration, its sd within 5%", () => {
    const e = exactEnergy(1);
    expect(reference.names[0]).toBe("energy");
    expect(Math.abs(reference.mean[0] - e.mean)).toBeLessThan(4 * reference.mcse[0]);
    expect(reference.sd[0] / e.sd - 1).toBeLessThan(0.05);
    expect(reference.chains).toBe(16);
    expect(reference.sweeps).toBe(32768);
  });
  test("beta x 1.05 moves the exact mean energy by more than 0.08 sd on this model (what the check must see)", () => {
    const a = exactEnergy(1);
    const b = exactEnergy(1.05);
    expect(Math.abs(b.mean - a.mean) / a.sd).toBeGreaterThan(0.08);
  });
});

describe("the bias check", () => {
  const quality = (file: string) => {
    const req = request(join(dir, file));
    const p = prepareSystem(req, { chip: "ideal" });
    // The chip samples `file`'s model; the reference is always the beta = 1 model's.
    const r = runOnce(p.job, p.sreq, req.target, { reference }, checkpoints(req.maxSweeps));
    return { r, bias: r.quality.bias as { bound_sd: number; within: boolean } };
  };
  test("the ideal chip on the model passes (95% bound on the bias within 0.06 sd) and reaches the target", () => {
    const { r, bias } = quality("m.json");
    expect(bias.within).toBe(true);
    expect(bias.bound_sd).toBeLessThan(0.06);
    expect(r.sweepsToTarget).toBeDefined();
  });
  test("power: the same chip at beta x 1.05 fails it and never reaches the target, though its ESS does", () => {
    const { r, bias } = quality("hot.json");
    expect(bias.within).toBe(false);
    expect(bias.bound_sd).toBeGreaterThan(0.06);
    expect(r.sweepsToTarget).toBeUndefined();
    expect(r.curve[r.curve.length - 1].value).toBeGreaterThan(50); // mixing alone would have passed
  });
});
