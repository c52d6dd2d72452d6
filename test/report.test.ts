/**
 * Figures and reports: every figure builder's vega-lite spec compiles without
 * a warning and renders headless to an SVG with the marks its data call for
 * and a PNG with text (a font is shipped); a spec with a mistake is refused
 * (the check has power); `thermosim report` turns a sample folder and a
 * compare folder into a self-contained HTML page with every figure inlined,
 * and refuses a folder thermosim did not write.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acfFigure, energyBreakdownFigure, energyToSolutionFigure, qualityEnergyFigure, render, traceFigure } from "../src/report/figures.js";
import { cliIn } from "./helpers.js";

const count = (svg: string, mark: string) => (svg.match(new RegExp(`class="mark-${mark} role-mark`, "g")) ?? []).length;
const PNG = [0x89, 0x50, 0x4e, 0x47];

describe("figures", () => {
  const chains = [Float64Array.from({ length: 300 }, (_, t) => Math.sin(t / 9)), Float64Array.from({ length: 300 }, (_, t) => Math.cos(t / 7))];
  it("each builder compiles without warnings and renders marks (SVG) and a PNG", async () => {
    const figs = await Promise.all([
      traceFigure("t", "energy", chains, "units"),
      acfFigure("a", "energy", chains, 50),
      energyBreakdownFigure("e", [{ system: "chip", byAction: { random_bits: 2e-9, mac_ops: 5e-9, idle: 0 } }, { system: "gpu", byAction: { platform: 1e-3 } }]),
      qualityEnergyFigure("q", "tv", 0.1, [{ system: "a", energyModel: "chip's own table", points: [{ energy: 1e-12, value: 0.9 }, { energy: 1e-10, value: 0.05 }] }, { system: "b", energyModel: "cpu", points: [{ energy: 1e-6, value: 0.8 }, { energy: 1e-3, value: 0.2 }] }]),
      energyToSolutionFigure("s", [{ system: "a", median: 1e-10, p90: 3e-10, reached: true }, { system: "b", median: null, p90: null, reached: false }]),
    ].map(render));
    const [t, a, e, q, s] = figs;
    expect(count(t.svg, "line")).toBe(2); // a line per chain
    expect((t.svg.match(/<path/g) ?? []).length).toBeGreaterThan(2);
    expect(count(a.svg, "line")).toBe(1);
    expect(count(e.svg, "rect")).toBe(1);
    expect((e.svg.match(/<path[^>]*d="M/g) ?? []).length).toBeGreaterThanOrEqual(3); // three bars with energy > 0
    expect(count(q.svg, "line")).toBe(2); // a line per system
    expect(count(q.svg, "rule")).toBe(1); // the target line
    expect(count(s.svg, "symbol")).toBe(1);
    for (const f of figs) {
      expect(Array.from(f.png.subarray(0, 4))).toEqual(PNG);
      expect(f.svg).toContain("<text"); // axis titles and labels are drawn
    }
    // Zero-energy actions are left out, not drawn as vanishing bars.
    expect(e.svg).not.toContain("idle");
  });

  it("power: a spec with a mistake is refused, not drawn wrong", async () => {
    const bad = traceFigure("t", "energy", chains, "units");
    (bad.spec.encoding as Record<string, unknown>).x = { field: "sample", type: "nominalish" };
    await expect(render(bad)).rejects.toThrow(/figure t/);
    // A vega-lite warning (here: a size channel on a nominal field) is an error too.
    const warned = traceFigure("w", "energy", chains, "units");
    (warned.spec.encoding as Record<string, unknown>).size = { field: "chain", type: "nominal" };
    await expect(render(warned)).rejects.toThrow(/figure w: vega-lite: .*size/i);
  });
});

describe("thermosim report", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-report-"));
    writeFileSync(join(dir, "m8.json"), JSON.stringify({ kind: "ising", n: 8, h: [0.1, -0.2, 0.05, 0, 0.15, -0.1, 0.2, 0], J: [[0, 1, 0.4], [1, 2, -0.3], [2, 3, 0.5], [3, 4, 0.2], [4, 5, -0.4], [5, 6, 0.3], [6, 7, 0.25]] }));
  }, 10_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);

  it("a sample folder: run table, mixing table, trace, autocorrelation and energy figures, spin pictures; files beside", () => {
    expect(run(["sample", join(__dirname, "..", "examples", "g12-70.json"), "--chip", "dtm-2025", "--chains", "2", "--samples", "60", "--burn-in", "5", "--out", "s"]).code).toBe(0);
    const r = run(["report", "s"]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, "s", "report", "index.html"), "utf8");
    for (const id of ["trace-energy", "trace-magnetisation", "acf-energy", "energy-by-action", "spins"]) expect(html).toContain(`id="${id}"`);
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
    expect(html).toContain("data:image/png;base64,");
    expect(html).toContain("R-hat");
    expect(html).not.toMatch(/<script/);
    for (const f of ["trace-energy.svg", "trace-energy.png", "acf-energy.png", "energy-by-action.svg", "spins.png"]) expect(existsSync(join(dir, "s", "report", "figures", f)), f).toBe(true);
  }, 60_000);

  it("a compare folder: the systems table, quality against energy, energy to solution, where the joules go", () => {
    expect(run(["compare", "m8.json", "--chip", "dtm-2025", "--baseline", "gibbs", "--target", "tv<=0.15", "--repeats", "2", "--chains", "4", "--max-sweeps", "1024", "--workers", "1", "--out", "c"]).code).toBe(0);
    const cmp = JSON.parse(readFileSync(join(dir, "c", "compare.json"), "utf8"));
    expect(cmp.systems[0].curve.length).toBeGreaterThan(3);
    expect(Object.keys(cmp.systems[0].energy_by_action_J).length).toBeGreaterThan(0);
    const r = run(["report", "c", "--out", "c-report"]);
    expect(r.code, r.err).toBe(0);
    const html = readFileSync(join(dir, "c-report", "index.html"), "utf8");
    for (const id of ["quality-vs-energy", "energy-to-solution", "energy-by-action"]) expect(html).toContain(`id="${id}"`);
    expect(html).toContain("dtm-2025");
    expect(html).toContain("gibbs");
  }, 120_000);

  it("refuses folders thermosim did not write, in one line", () => {
    refused(["report", "."], /report: --out: .* is the current folder|holds none of study\.json, sweep\.json, compare\.json and stats\.json/);
    refused(["report", "m8.json"], /holds none of study\.json, sweep\.json, compare\.json and stats\.json/);
  });
});
