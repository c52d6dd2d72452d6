/**
 * The grid path (a chip filled by its model, laid out as the grid is, fields
 * recomputed with SIMD) draws exactly what the general neighbour-list path
 * draws: same samples, same counts, same chip time, on tori and open grids,
 * with tiles, small tori whose offsets wrap onto one neighbour twice, every
 * random source and both comparators. The path is chosen from the mapping:
 * models that do not fill the chip, clamps and other schedules stay general.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chip } from "./helpers.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { randomOnTopology } from "../src/models/generate.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { gridPlan } from "../src/chips/pbit/grid.js";
import type { PbitSpec, Schedule } from "../src/chips/pbit/spec.js";

function both(spec: PbitSpec, seed: number, o: { chains?: number; samples?: number; thin?: number; burnIn?: number; jStd?: number; schedule?: Schedule } = {}) {
  const topo = fixedTopology(spec.topology, spec.name);
  const model = randomOnTopology(topo, { jStd: o.jStd ?? 0.5, hStd: 0.2, beta: 1, seed });
  const schedule = o.schedule ?? "chromatic";
  const m = mapIsing(model, "m.json", spec, schedule);
  const run = (kernelPath: "auto" | "general") =>
    runPbit(spec, m, { chains: o.chains ?? 3, samples: o.samples ?? 40, burnIn: o.burnIn ?? 7, thin: o.thin ?? 3, seed: seed + 100, schedule, kernelPath });
  return { m, grid: run("auto"), general: run("general") };
}

function same(a: ReturnType<typeof runPbit>, b: ReturnType<typeof runPbit>) {
  expect(a.samples.length).toBeGreaterThan(0);
  let diff = 0;
  for (let q = 0; q < a.samples.length; q++) if (a.samples[q] !== b.samples[q]) diff++;
  expect(diff).toBe(0);
  expect(a.counts).toEqual(b.counts);
  expect(a.updates).toBe(b.updates);
  expect(a.chainSeconds).toEqual(b.chainSeconds);
}

const torus = (w: number, h: number, offsets: string) => ({
  topology: { impl: "offset-grid", width: w, height: h, wrap: true, offsets },
  ...(offsets === "king" ? { colouring: "dsatur" } : {}),
});

describe("p-bit grid path", () => {
  it("dtm-2025 (70 x 70 G12 torus): bit-identical to the general path", () => {
    const spec = chip("dtm-2025");
    const r = both(spec, 1, { samples: 30 });
    expect(gridPlan(r.m, "chromatic").plan).toBeDefined();
    same(r.grid, r.general);
    // Power: another seed gives other samples (the comparison can fail).
    const other = both(spec, 2, { samples: 30 });
    let diff = 0;
    for (let q = 0; q < r.grid.samples.length; q++) if (r.grid.samples[q] !== other.grid.samples[q]) diff++;
    expect(diff).toBeGreaterThan(1000);
  });

  it("small tori (offsets wrapping onto one neighbour twice), open grids with tiles, strong couplings", () => {
    for (const over of [torus(10, 10, "G12"), torus(12, 6, "G8"), torus(22, 22, "G16"), torus(8, 4, "king")]) {
      const spec = chip("dtm-2025", over);
      const r = both(spec, 3, { jStd: 1.5 });
      if (over.topology.offsets === "king") {
        expect(gridPlan(r.m, "chromatic").why).toMatch(/checkerboard/); // not bipartite: DSATUR classes, general path
        continue;
      }
      expect(gridPlan(r.m, "chromatic").plan, JSON.stringify(over)).toBeDefined();
      same(r.grid, r.general);
    }
    const z1 = chip("z1", { topology: { impl: "offset-grid", width: 30, height: 14, wrap: false, tiles: 3, offsets: "Z1" } });
    const r = both(z1, 4, { jStd: 2 });
    expect(gridPlan(r.m, "chromatic").plan).toBeDefined();
    same(r.grid, r.general);
  });

  it("every random source and both comparators (LFSR per p-bit, sMTJ telegraph, sign-magnitude)", () => {
    const base = { topology: { impl: "offset-grid", width: 16, height: 12, wrap: true, offsets: "G12" }, colouring: "natural" };
    for (const over of [
      { ...base, rng: { impl: "lfsr32", shifts_per_read: "update" }, activation: { impl: "lut", comparator: "sign-magnitude" } },
      { ...base, rng: { impl: "smtj", dwell: "30 ns", bits_per_draw: 1 } },
      { ...base, rng: { impl: "lfsr32", shifts_per_read: "clock" } },
    ]) {
      const spec = chip("dtm-2025", over);
      const r = both(spec, 5);
      expect(gridPlan(r.m, "chromatic").plan, JSON.stringify(over)).toBeDefined();
      same(r.grid, r.general);
    }
  });

  it("float path: the ideal chip (exact logistic) and LUT chips with device mismatch, tori and open grids", () => {
    const grid = (w: number, h: number, offsets: string, wrap = true, tiles = 1) => ({ topology: { impl: "offset-grid", width: w, height: h, wrap, tiles, offsets }, colouring: "natural" });
    for (const [name, over] of [
      ["ideal", grid(70, 70, "G12")],
      ["ideal", grid(10, 10, "G12")],
      ["ideal", grid(24, 10, "Z1", false, 2)],
      ["dtm-2025", { mismatch: { gain_sigma: 0.1, offset_sigma: 0.05 } }],
      ["dtm-2025", { ...grid(16, 12, "G8"), mismatch: { gain_sigma: 0.2 }, rng: { impl: "lfsr32", shifts_per_read: "update" }, activation: { impl: "lut", comparator: "sign-magnitude" } }],
    ] as const) {
      const spec = chip(name, over);
      const r = both(spec, 6, { jStd: 1 });
      const plan = gridPlan(r.m, "chromatic").plan;
      expect(plan?.float, `${name} ${JSON.stringify(over)}`).toBe(true);
      same(r.grid, r.general);
    }
  });

  it("synchronous schedule on the grid layout (integer and float paths): bit-identical too", () => {
    const grid = (w: number, h: number, offsets: string, wrap = true, tiles = 1) => ({ topology: { impl: "offset-grid", width: w, height: h, wrap, tiles, offsets }, colouring: "natural" });
    for (const [name, over] of [
      ["dtm-2025", {}],
      ["dtm-2025", { ...grid(10, 10, "G12"), rng: { impl: "lfsr32", shifts_per_read: "clock" } }],
      ["z1", grid(30, 14, "Z1", false, 3)],
      ["ideal", grid(24, 12, "G12")],
      ["dtm-2025", { ...grid(16, 12, "G8"), mismatch: { gain_sigma: 0.2 } }],
    ] as const) {
      const spec = chip(name, over);
      const r = both(spec, 8, { jStd: 1, schedule: "synchronous" });
      expect(gridPlan(r.m, "synchronous").plan, `${name} ${JSON.stringify(over)}`).toBeDefined();
      same(r.grid, r.general);
    }
  });

  it("stats.json names the kernel path that ran", () => {
    const dir = mkdtempSync(join(tmpdir(), "thermosim-grid-"));
    try {
      const r = spawnSync(process.execPath, [join(__dirname, "..", "bin", "thermosim.js"), "sample", join(__dirname, "..", "examples", "g12-70.json"), "--chip", "dtm-2025", "--samples", "5", "--burn-in", "2", "--out", join(dir, "g")], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "g", "stats.json"), "utf8")).mapping.kernel_path).toBe("grid layout (8-bit codes)");
      const a = spawnSync(process.execPath, [join(__dirname, "..", "bin", "thermosim.js"), "sample", join(__dirname, "..", "examples", "g12-70.json"), "--chip", "ideal", "--samples", "2", "--burn-in", "1", "--out", join(dir, "a")], { encoding: "utf8" });
      expect(a.status, a.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, "a", "stats.json"), "utf8")).mapping.kernel_path).toMatch(/^neighbour lists \(the topology is not a grid/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stays general where the layout does not apply, and says why", () => {
    const spec = chip("dtm-2025");
    const topo = fixedTopology(spec.topology, spec.name);
    const model = randomOnTopology(topo, { jStd: 0.5, hStd: 0.2, beta: 1, seed: 1 }, 100);
    const m = mapIsing(model, "m.json", spec, "chromatic");
    expect(gridPlan(m, "chromatic").why).toMatch(/does not fill the chip/);
    const full = mapIsing(randomOnTopology(topo, { jStd: 0.5, hStd: 0.2, beta: 1, seed: 1 }), "m.json", spec, "async");
    expect(gridPlan(full, "async").why).toMatch(/async schedule/);
    expect(gridPlan(full, "chromatic", Int32Array.of(3)).why).toMatch(/clamped/);
    const wide = chip("dtm-2025", { numerics: { weights: { format: "fixed", bits: 12, frac_bits: 4 } } });
    expect(gridPlan(mapIsing(randomOnTopology(topo, { jStd: 0.5, hStd: 0.2, beta: 1, seed: 1 }), "m.json", wide, "chromatic"), "chromatic").why).toMatch(/8-bit weight codes/);
  });
});
