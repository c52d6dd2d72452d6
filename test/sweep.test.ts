/**
 * thermosim sweep: points expanded as written (grid, list, seeded random),
 * every mistake one line before anything is written, the same CSV bytes on
 * 1 or 2 workers, and resumable: a rerun computes only missing points, a
 * damaged point file is computed again, and a sweep killed with SIGKILL
 * half-way finishes on restart with no point lost or computed twice.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSweep } from "../src/sweep/spec.js";
import { paretoFront } from "../src/sweep/pareto.js";
import { Random } from "../src/util/random.js";

const bin = join(__dirname, "..", "bin", "thermosim.js");
let dir: string;
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

// A 4 x 4 open grid Ising model (degree <= 4): pcomputer-fpga holds it, tv is exact (16 spins).
function grid(): string {
  const J: [number, number, number][] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
    const i = 4 * y + x;
    if (x < 3) J.push([i, i + 1, 0.3 + 0.05 * ((i * 7) % 5)]);
    if (y < 3) J.push([i, i + 4, -0.2 + 0.04 * ((i * 3) % 7)]);
  }
  return JSON.stringify({ kind: "ising", n: 16, h: Array.from({ length: 16 }, (_, i) => 0.1 * ((i % 3) - 1)), J });
}

const sweepFile = (name: string, body: string) => {
  writeFileSync(join(dir, name), `title: test sweep\nbase:\n  model: m.json\n  chip: pcomputer-fpga\n  target: ess>=20\n  repeats: 1\n  chains: 4\n  max_sweeps: 256\n${body}`);
  return name;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-sweep-"));
  writeFileSync(join(dir, "m.json"), grid());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sweep files", () => {
  it("expand a grid (last axis fastest), a list, and seeded random draws", () => {
    const g = readSweep(join(dir, sweepFile("g.yaml", "axes:\n  rng.impl: [xoshiro128, lfsr32]\n  run.seed: [1, 2, 3]\n")));
    expect(g.mode).toBe("grid");
    expect(g.points.map((p) => [p.values["rng.impl"], p.run.seed])).toEqual([["xoshiro128", 1], ["xoshiro128", 2], ["xoshiro128", 3], ["lfsr32", 1], ["lfsr32", 2], ["lfsr32", 3]]);
    expect(g.points[0].chipOverrides).toEqual({ rng: { impl: "xoshiro128" } });
    const l = readSweep(join(dir, sweepFile("l.yaml", "points:\n  - {clock.frequency: 10 MHz}\n  - {clock.frequency: 20 MHz, run.chains: 2}\n")));
    expect(l.axes).toEqual(["clock.frequency", "run.chains"]);
    expect(l.points[1].run.chains).toBe(2);
    const r1 = readSweep(join(dir, sweepFile("r.yaml", "axes:\n  run.seed: [1, 2, 3, 4, 5, 6, 7, 8]\n  clock.frequency: [10 MHz, 20 MHz]\nrandom: {count: 5, seed: 9}\n")));
    const r2 = readSweep(join(dir, "r.yaml"));
    expect(r1.points).toHaveLength(5);
    expect(r1.points.map((p) => p.values)).toEqual(r2.points.map((p) => p.values));
    // The README's example.
    const ex = readSweep(join(__dirname, "..", "examples", "sweep", "dtm-knobs.yaml"));
    expect(ex.points).toHaveLength(18);
    expect(ex.points[1].chipOverrides).toEqual({ numerics: { weights: { bits: 6 } }, mismatch: { gain_sigma: 0 }, clock: { frequency: "50 MHz" } });
  });

  it("refuse each mistake in one line naming the field, exit 2, nothing written", () => {
    const cases: [string, RegExp][] = [
      ["axes:\n  numerics.weights.bitz: [4]\n", /axes\.numerics\.weights\.bitz: .*not a known field/],
      ["axes:\n  clock.frequency: [10 kg]\n", /axes\.clock\.frequency: .*"10 kg" is not a frequency/],
      ["axes:\n  rng.impl: []\n", /axes\.rng\.impl: is an empty axis/],
      ["axes:\n  run.chainz: [2]\n", /axes\.run\.chainz: names no run option/],
      ["axes:\n  run.chains: [0]\n", /axes\.run\.chains: must be >= 1/],
      ["points: []\n", /points: must be a non-empty list/],
      ["axes:\n  run.seed: [1, 1]\n", /axes\.run\.seed: lists 1 twice/],
      ["", /has neither axes nor points/],
    ];
    for (const [k, [body, msg]] of cases.entries()) {
      const f = sweepFile(`bad${k}.yaml`, body);
      const r = run(["sweep", f, "--out", `bad-out-${k}`]);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split("\n"), r.err).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(existsSync(join(dir, `bad-out-${k}`))).toBe(false);
    }
    // A folder that is not a sweep's is not written into.
    writeFileSync(join(dir, "notes.txt"), "x");
    const r = run(["sweep", sweepFile("ok.yaml", "axes:\n  run.seed: [1]\n"), "--out", "."]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exists and is not a sweep folder/);
  });
});

describe("the brief's form: sample-run points", () => {
  it("runs a base without a target as sample runs (mode: grid/list/random named), with the exact law's distance on small models", () => {
    writeFileSync(join(dir, "b.yaml"), "base: {model: m.json, chip: pcomputer-fpga, chains: 2, samples: 300, burn_in: 50, thin: 1, seed: 1}\naxes:\n  rng.impl: [xoshiro128, lfsr32]\n  samples: [100, 300]\nmode: grid\n");
    const r = run(["sweep", "b.yaml", "--out", "brief", "--workers", "2"]);
    expect(r.code, r.err).toBe(0);
    const [header, ...rows] = readFileSync(join(dir, "brief", "sweep.csv"), "utf8").trim().split("\n");
    expect(header).toBe("point,rng.impl,samples,energy_J,energy_per_sample_J,seconds,ess_min,ess_per_J,iat_sweeps,tv,kl,energy_model,status");
    expect(rows).toHaveLength(4);
    expect(rows.every((x) => x.endsWith(",ok"))).toBe(true);
    const tv = rows.map((x) => Number(x.split(",")[9]));
    // More samples, closer to the law (the same chip, seed and source).
    expect(tv[1]).toBeLessThan(tv[0]);
    expect(tv[3]).toBeLessThan(tv[2]);
    const l = readSweep(join(dir, sweepFile("ml.yaml", "mode: list\npoints:\n  - {run.seed: 3}\n")));
    expect(l.mode).toBe("list");
    writeFileSync(join(dir, "mr.yaml"), "base: {model: m.json, baseline: gibbs, chains: 2, samples: 100}\naxes:\n  seed: [1, 2, 3, 4]\n  thin: [1, 2]\nmode: random\ncount: 3\nseed: 5\n");
    const m = readSweep(join(dir, "mr.yaml"));
    expect(m.points).toHaveLength(3);
    expect(m.points[0].run.kind).toBe("sample");
    const b = run(["sweep", "mr.yaml", "--out", "baseline", "--workers", "1"]);
    expect(b.code, b.err).toBe(0);
    expect(readFileSync(join(dir, "baseline", "sweep.csv"), "utf8").split("\n")[0]).toMatch(/^point,seed,thin,ess_min,iat_sweeps,tv,kl,energy_J\[asic-45nm\],/);
    const bad = run(["sweep", sweepFile("bm.yaml", "mode: random\npoints:\n  - {run.seed: 3}\n"), "--out", "bm"]);
    expect(bad.err).toMatch(/mode: is random, but the file gives points/);
    writeFileSync(join(dir, "bc.yaml"), "base: {model: m.json, baseline: gibbs}\naxes:\n  clock.frequency: [10 MHz]\n");
    expect(run(["sweep", "bc.yaml", "--out", "bc"]).err).toMatch(/is a chip spec field, but the base is the baseline gibbs/);
  }, 120_000);
});

describe("the Pareto front", () => {
  it("is exactly the non-dominated points (brute force over random sets, ties and missing values)", () => {
    const r = new Random(4);
    for (let t = 0; t < 200; t++) {
      const n = 1 + r.below(30);
      const xs = Array.from({ length: n }, () => (r.uniform() < 0.1 ? null : r.below(8)));
      const ys = Array.from({ length: n }, () => (r.uniform() < 0.1 ? null : r.below(8)));
      for (const [gx, gy] of [["min", "min"], ["min", "max"], ["max", "max"]] as const) {
        const sx = gx === "min" ? 1 : -1;
        const sy = gy === "min" ? 1 : -1;
        const ok = (i: number) => xs[i] !== null && ys[i] !== null;
        // i is dominated when some j is no worse on both and better on one; of equal points the first is kept.
        const want = xs.map((_, i) => i).filter((i) => ok(i) && !xs.some((_, j) => ok(j) && j !== i && sx * xs[j]! <= sx * xs[i]! && sy * ys[j]! <= sy * ys[i]! && (sx * xs[j]! < sx * xs[i]! || sy * ys[j]! < sy * ys[i]! || j < i)));
        expect(paretoFront(xs, ys, gx, gy).sort((a, b) => a - b)).toEqual(want);
      }
    }
  });
});

describe("running a sweep", () => {
  const body = "axes:\n  rng.impl: [xoshiro128, lfsr32]\n  run.seed: [1, 2, 3, 4]\n";
  it("gives the same CSV bytes on 1 and 2 workers, and a rerun computes nothing", () => {
    const f = sweepFile("s.yaml", body);
    const a = run(["sweep", f, "--out", "one", "--workers", "1"]);
    expect(a.code, a.err).toBe(0);
    expect(a.out).toMatch(/8 points \(8 computed, 0 from earlier runs\)/);
    const b = run(["sweep", f, "--out", "two", "--workers", "2"]);
    expect(b.code, b.err).toBe(0);
    const csv = readFileSync(join(dir, "one", "sweep.csv"), "utf8");
    expect(readFileSync(join(dir, "two", "sweep.csv"), "utf8")).toBe(csv);
    const header = csv.split("\n")[0].split(",");
    expect(header.slice(0, 3)).toEqual(["point", "rng.impl", "run.seed"]);
    expect(header).toContain("energy_to_solution_J");
    expect(csv.trim().split("\n")).toHaveLength(9);
    const doc = JSON.parse(readFileSync(join(dir, "one", "sweep.json"), "utf8"));
    expect(doc.pareto).toMatchObject({ x: "energy_to_solution_J", y: "metric_at_budget", goals: ["min", "max"] });
    expect(doc.pareto.front.length).toBeGreaterThan(0);
    expect(readFileSync(join(dir, "one", "pareto.svg"), "utf8")).toMatch(/<path|<circle/);
    const rep = run(["report", "one"]);
    expect(rep.code, rep.err).toBe(0);
    expect(readFileSync(join(dir, "one", "report", "index.html"), "utf8")).toMatch(/Pareto front: metric_at_budget against energy_to_solution_J/);
    const badPareto = run(["sweep", f, "--out", "bp", "--pareto", "energy_to_solution_J,nonsense"]);
    expect(badPareto.code).toBe(2);
    expect(badPareto.err).toMatch(/--pareto: names "nonsense", neither an axis of this sweep/);
    expect(existsSync(join(dir, "bp"))).toBe(false);
    const again = run(["sweep", f, "--out", "one", "--workers", "2"]);
    expect(again.out).toMatch(/8 points \(0 computed, 8 from earlier runs\)/);
    expect(readFileSync(join(dir, "one", "sweep.csv"), "utf8")).toBe(csv);
    // A damaged point file (a partial write) is not taken for a finished point.
    const pts = readdirSync(join(dir, "one", "points")).filter((x) => x.endsWith(".json")).sort();
    writeFileSync(join(dir, "one", "points", pts[0]), readFileSync(join(dir, "one", "points", pts[0]), "utf8").slice(0, 40));
    const fixed = run(["sweep", f, "--out", "one", "--workers", "1"]);
    expect(fixed.out).toMatch(/8 points \(1 computed, 7 from earlier runs\)/);
    expect(readFileSync(join(dir, "one", "sweep.csv"), "utf8")).toBe(csv);
    // Power: a change to a point's inputs is a different point, not a reused one.
    const other = run(["sweep", sweepFile("s2.yaml", body.replace("[1, 2, 3, 4]", "[1, 2, 3, 5]")), "--out", "one", "--workers", "2"]);
    expect(other.out).toMatch(/8 points \(2 computed, 6 from earlier runs\)/);
  }, 240_000);

  it("--shard over 3 shards, then --merge, gives the same CSV as one run; the merge refuses missing points", () => {
    const f = sweepFile("sh.yaml", body);
    expect(run(["sweep", f, "--out", "whole-sh", "--workers", "2"]).code).toBe(0);
    for (const i of [0, 1, 2]) {
      const r = run(["sweep", f, "--out", `shard${i}`, "--workers", "1", "--shard", `${i}/3`]);
      expect(r.code, r.err).toBe(0);
      expect(r.out).toMatch(new RegExp(`shard ${i}/3 of test sweep: ${i < 2 ? 3 : 2} of 8 points`));
      expect(existsSync(join(dir, `shard${i}`, "sweep.csv"))).toBe(false);
    }
    const partial = run(["sweep", f, "--out", "merged-partial", "--merge", "shard0", "shard1"]);
    expect(partial.code).toBe(2);
    expect(partial.err).toMatch(/--merge: 2 of 8 points are in none of the folders \(the first: point 2,/);
    expect(existsSync(join(dir, "merged-partial"))).toBe(false);
    const m = run(["sweep", f, "--out", "merged", "--merge", "shard0", "shard1", "shard2"]);
    expect(m.code, m.err).toBe(0);
    expect(m.out).toMatch(/8 points \(0 computed, 8 from earlier runs\)/);
    expect(readFileSync(join(dir, "merged", "sweep.csv"), "utf8")).toBe(readFileSync(join(dir, "whole-sh", "sweep.csv"), "utf8"));
    for (const bad of ["3/3", "1", "a/b", "0/0"]) expect(run(["sweep", f, "--out", "x", "--shard", bad]).err).toMatch(/--shard: must be i\/N with 0 <= i < N/);
  }, 240_000);

  it("killed with SIGKILL half-way, finishes on restart: none lost, none computed twice, the same CSV", async () => {
    const f = sweepFile("k.yaml", "axes:\n  rng.impl: [xoshiro128, lfsr32]\n  run.seed: [1, 2, 3, 4, 5, 6]\n  run.max_sweeps: [2048]\n");
    const full = run(["sweep", f, "--out", "whole", "--workers", "1"]);
    expect(full.code, full.err).toBe(0);
    const child = spawn(process.execPath, [bin, "sweep", f, "--out", "killed", "--workers", "1"], { cwd: dir, stdio: "ignore" });
    const points = join(dir, "killed", "points");
    const count = () => (existsSync(points) ? readdirSync(points).filter((x) => x.endsWith(".json")).length : 0);
    const t0 = Date.now();
    while (count() < 4 && Date.now() - t0 < 120_000) await new Promise((ok) => setTimeout(ok, 20));
    child.kill("SIGKILL");
    await new Promise((ok) => child.once("exit", ok));
    const before = readdirSync(points).filter((x) => x.endsWith(".json"));
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(before.length).toBeLessThan(12);
    const stamps = new Map(before.map((x) => [x, statSync(join(points, x)).mtimeMs]));
    const again = run(["sweep", f, "--out", "killed", "--workers", "2"]);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`12 points (${12 - before.length} computed, ${before.length} from earlier runs)`);
    for (const [x, t] of stamps) expect(statSync(join(points, x)).mtimeMs).toBe(t); // not computed again
    expect(readFileSync(join(dir, "killed", "sweep.csv"), "utf8")).toBe(readFileSync(join(dir, "whole", "sweep.csv"), "utf8"));
  }, 300_000);
});
