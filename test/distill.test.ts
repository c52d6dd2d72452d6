/**
 * Distillation (issue 25): `thermosim map --mapping distill` trains a
 * Boltzmann machine on a window of the chip's grid to sample a model's law,
 * and `sample`/`compare --distilled` run it with the visible p-bits read as
 * the model's variables. Expected laws come from enumeration written here.
 * Power: the same machine with its hidden p-bits cut off samples visibly
 * further from the model, and the run's distance from the model matches what
 * map measured exactly.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn, spinLawOf } from "./helpers.js";
import { Random } from "../src/util/random.js";

let dir: string;
const { run, refused } = cliIn(() => dir);
type Spin = { n: number; h: number[]; J: [number, number, number][] };
let d9: Spin;

/** Normalised exp(-E) over every state (bit i = spin i up). */
function law(n: number, h: ArrayLike<number>, J: [number, number, number][]): Float64Array {
  const p = new Float64Array(1 << n);
  let z = 0;
  for (let x = 0; x < p.length; x++) {
    let e = 0;
    for (let i = 0; i < n; i++) e -= h[i] * ((x >> i) & 1 ? 1 : -1);
    for (const [i, j, w] of J) e -= w * ((x >> i) & 1 ? 1 : -1) * ((x >> j) & 1 ? 1 : -1);
    p[x] = Math.exp(-e);
    z += p[x];
  }
  return p.map((v) => v / z);
}

/** The visible marginal of a window model (enumerated over all its p-bits). */
function visibleMarginal(doc: { n: number; h: number[]; J: [number, number, number][] }, visible: number[]): Float64Array {
  const full = law(doc.n, doc.h, doc.J);
  const out = new Float64Array(1 << visible.length);
  for (let x = 0; x < full.length; x++) {
    let y = 0;
    visible.forEach((q, k) => (y |= (x >> q) & 1 ? 1 << k : 0));
    out[y] += full[x];
  }
  return out;
}

const tv = (p: Float64Array, q: Float64Array) => p.reduce((a, v, i) => a + Math.abs(v - q[i]) / 2, 0);

const empirical = (out: string, n: number) => spinLawOf(join(dir, out, "samples.npy"), n).q;

const json = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
/** model.json's couplings as [i, j, w] (the writer's layout). */
const triples = (doc: { J: [number, number, number][] }) => doc.J;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-distill-"));
  const rng = new Random(9901);
  const J: [number, number, number][] = [];
  for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) J.push([i, j, 0.5 * rng.normal()]);
  d9 = { n: 9, J, h: Array.from({ length: 9 }, () => 0.3 * rng.normal()) };
  writeFileSync(join(dir, "d9.json"), JSON.stringify({ kind: "ising", ...d9, beta: 1 }));
  const r = run(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "distill", "--out", "dm"]);
  expect(r.code, r.err).toBe(0);
}, 120_000);

describe("thermosim map --mapping distill", () => {
  it("writes a Boltzmann machine on a 5 x 4 window with the model's 9 variables visible; its law's distance is what an independent enumeration gives, and training moved it closer", () => {
    const d = json("dm/distill.json");
    expect(d.window).toEqual({ width: 5, height: 4 });
    expect(d.visible).toHaveLength(9);
    expect(d.hidden).toBe(11);
    const m = json("dm/model.json");
    expect(m.n).toBe(20);
    const exact = law(9, d9.h, d9.J);
    const mine = tv(exact, visibleMarginal({ n: m.n, h: m.h, J: triples(m) }, d.visible));
    expect(mine).toBeCloseTo(d.quality.tv_float, 9);
    expect(Math.abs(d.quality.tv - d.quality.tv_float)).toBeLessThan(0.02); // 8-bit weights on the window
    expect(d.quality.tv).toBeLessThan(d.quality.tv_start - 0.1);
    expect(d.training_cost.energy_J).toBeGreaterThan(0);
    expect(readFileSync(join(dir, "dm", "chip.yaml"), "utf8")).toMatch(/extends: dtm-2025\nname: dtm-2025-window-5x4/);
  });

  it("on a chip of several cores (z1: 8 tiles) the window is one core's grid", () => {
    const r = run(["map", "d9.json", "--chip", "z1", "--mapping", "distill", "--iterations", "50", "--out", "dz"]);
    expect(r.code, r.err).toBe(0);
    const d = json("dz/distill.json");
    expect(d.pbits).toBe(20);
    expect(readFileSync(join(dir, "dz", "chip.yaml"), "utf8")).toMatch(/tiles: 1/);
  }, 60_000);

  it("the same seed gives the same model, byte for byte", () => {
    const r = run(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "distill", "--out", "dm2"]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, "dm2", "model.json"))).toEqual(readFileSync(join(dir, "dm", "model.json")));
  }, 60_000);
});

describe("sample --distilled", () => {
  it("the chip samples the distilled law: its draws' distance from the model matches map's exact figure, the law check against the distilled law passes", () => {
    const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/distill.json", "--chains", "4", "--samples", "2000", "--burn-in", "200", "--thin", "20", "--out", "s"]);
    expect(r.code, r.err).toBe(0);
    const s = json("s/stats.json");
    expect(s.mapping.placement).toBe("distilled");
    expect(s.mapping.law_check.consistent, JSON.stringify(s.mapping.law_check)).toBe(true);
    const exact = law(9, d9.h, d9.J);
    const got = tv(exact, empirical("s", 9));
    expect(Math.abs(got - json("dm/distill.json").quality.tv)).toBeLessThan(0.04);
    expect(s.updates).toBe(20 * 4 * (200 + 2000 * 20)); // every window p-bit, hidden ones included, is charged
  }, 60_000);

  it("power: the same machine with its hidden p-bits cut off samples visibly further from the model", () => {
    const d = json("dm/distill.json");
    const m = json("dm/model.json");
    const visible = new Set<number>(d.visible);
    const cut = { ...m, J: triples(m).map(([i, j, w]: [number, number, number]) => [i, j, visible.has(i) && visible.has(j) ? w : 0]) };
    writeFileSync(join(dir, "dm", "model.json"), JSON.stringify(cut));
    try {
      const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/distill.json", "--chains", "4", "--samples", "2000", "--burn-in", "200", "--thin", "20", "--out", "cut"]);
      expect(r.code, r.err).toBe(0);
    } finally {
      writeFileSync(join(dir, "dm", "model.json"), JSON.stringify(m));
    }
    const exact = law(9, d9.h, d9.J);
    expect(tv(exact, empirical("cut", 9))).toBeGreaterThan(tv(exact, empirical("s", 9)) + 0.05);
  }, 60_000);

  it("compare runs the distilled chip (named by its window) beside the others and its integer twin", () => {
    const r = run(["compare", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/distill.json", "--target", "tv<=0.25", "--repeats", "2", "--chains", "8", "--max-sweeps", "2048", "--out", "c", "--json"]);
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    const row = c.systems.find((x: { name: string }) => x.name === "dtm-2025-window-5x4");
    expect(row.reached_fraction).toBe(1);
    expect(c.systems.some((x: { twin_of?: string }) => x.twin_of === "dtm-2025-window-5x4")).toBe(true);
    // Why a chip can or cannot reach a law target: the realised law's exact distance, in the row.
    expect(row.realised_law_tv).toBe(json("dm/distill.json").quality.tv);
  }, 60_000);

  it("a chip left out of the headline says how far the law it realises is (embedded z1: its read-out law's exact distance)", () => {
    const r = run(["compare", "d9.json", "--chip", "z1", "--target", "tv<=0.05", "--repeats", "1", "--chains", "4", "--max-sweeps", "512", "--out", "cz", "--json"]);
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    const s = run(["sample", "d9.json", "--chip", "z1", "--samples", "10", "--out", "sz"]);
    expect(s.code, s.err).toBe(0);
    const exact = json("sz/stats.json").mapping.embedding.readout_tv;
    expect(exact).toBeGreaterThan(0.05); // z1's 4-bit weights: no budget reaches the target
    expect(c.headline.left_out.find((x: { name: string }) => x.name === "z1").realised_law_tv).toBe(exact);
    expect(readFileSync(join(dir, "cz", "compare.md"), "utf8")).toMatch(new RegExp(`z1 on z1 \\(0%, [0-9.]+; realised law at TV ${Number(exact.toPrecision(3))}\\)`));
  }, 60_000);
});

describe("refusals (one line, exit 2, nothing written)", () => {
  it("bad maps", () => {
    const rng = new Random(17);
    const J17: [number, number, number][] = [];
    for (let i = 0; i < 17; i++) J17.push([i, (i + 1) % 17, rng.normal()]);
    writeFileSync(join(dir, "r17.json"), JSON.stringify({ kind: "ising", n: 17, h: new Array(17).fill(0), J: J17, beta: 1 }));
    refused(["map", "r17.json", "--chip", "dtm-2025", "--mapping", "distill"], /r17\.json: n: has 17 variables; distillation .* up to 16 variables/);
    refused(["map", "d9.json", "--chip", "pcomputer-fpga", "--mapping", "distill"], /--chip: pcomputer-fpga has a .* topology; distillation needs a chip with a grid of its own/);
    refused(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "distill", "--window", "2x2"], /--window: has 4 p-bits, fewer than the model's 9 variables/);
    refused(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "distill", "--window", "100x4"], /--window: 100x4 does not fit on dtm-2025's 70x70 grid/);
    refused(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "distill", "--window", "5by4"], /--window: must be WIDTHxHEIGHT/);
    refused(["map", "d9.json", "--chip", "dtm-2025", "--mapping", "embed"], /--mapping: must be one of distill/);
    refused(["map", "d9.json", "--chip", "z1", "--mapping", "distill", "--window", "300x4"], /--window: 300x4 does not fit on z1's 234x144 grid/);
  }, 60_000);

  it("a distilled mapping for another chip or another model, or one that is not thermosim's", () => {
    refused(["sample", "d9.json", "--chip", "z1", "--distilled", "dm/distill.json"], /dm\/distill\.json: chip: was distilled onto dtm-2025; this run asks for z1/);
    refused(["compare", "d9.json", "--chip", "z1", "--distilled", "dm/distill.json", "--target", "tv<=0.2"], /dm\/distill\.json: chip: names a chip that is not among this comparison's --chip systems/);
    writeFileSync(join(dir, "d9b.json"), JSON.stringify({ kind: "ising", ...d9, h: d9.h.map((v, i) => (i === 0 ? v + 0.1 : v)), beta: 1 }));
    refused(["sample", "d9b.json", "--chip", "dtm-2025", "--distilled", "dm/distill.json"], /dm\/distill\.json: model_sha256: was distilled from another model than d9b\.json/);
    refused(["sample", "d9.json", "--baseline", "gibbs", "--distilled", "dm/distill.json"], /--distilled: applies to p-bit chips, not to baselines/);
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/distill.json", "--readout", "majority"], /--readout: does not apply with --distilled/);
    const d = json("dm/distill.json");
    writeFileSync(join(dir, "dm", "bad.json"), JSON.stringify({ ...d, visible: [...d.visible.slice(0, 8), 20] }));
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/bad.json"], /bad\.json: visible\[8\]: is 20, not a p-bit of the window \(0 \.\. 19\)/);
    writeFileSync(join(dir, "dm", "bad2.json"), JSON.stringify({ ...d, extra: 1 }));
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--distilled", "dm/bad2.json"], /bad2\.json: extra: is not a field of a distill\.json/);
  }, 60_000);
});
