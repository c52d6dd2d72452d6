/**
 * `thermosim study`: a study file runs every part (a comparison with the chips
 * that can hold the model, sample runs), reports the chips that cannot with
 * the reason, states the headline (best chip against the cheapest row of each
 * digital class, recomputed here from compare.json), writes
 * the report that `thermosim report` rebuilds byte for byte, gives the same
 * chip results whatever the number of workers, and refuses bad study files in
 * one line. The bundled trained model is what its documented command makes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { cliIn } from "./helpers.js";
import { headlineOf } from "../src/run/headline.js";
import type { SystemRow } from "../src/run/compare.js";

const root = join(__dirname, "..");

describe("thermosim study", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-study-"));
    // A star: spin 0 has 7 couplings, one more than a pcomputer-fpga p-bit takes.
    const J = [[0, 1, 0.3], [0, 2, -0.2], [0, 3, 0.25], [0, 4, 0.1], [0, 5, -0.3], [0, 6, 0.2], [0, 7, 0.15], [1, 2, 0.2], [3, 4, -0.2]];
    writeFileSync(join(dir, "star.json"), JSON.stringify({ kind: "ising", n: 8, h: [0.1, -0.1, 0.05, 0, 0.1, -0.05, 0.2, 0], J }));
    writeFileSync(join(dir, "g2.json"), JSON.stringify({ kind: "gaussian", A: [[2, 0.4], [0.4, 1]], b: [0.2, -0.1] }));
    writeFileSync(join(dir, "s.yaml"), `
title: a test study
seed: 3
parts:
  - name: spins
    title: A star on p-bit chips
    about: eight spins, one with seven couplings
    model: star.json
    compare: {target: tv<=0.2, chips: [ideal, dtm-2025, pcomputer-fpga], baselines: [gibbs], repeats: 2, chains: 8, max_sweeps: 1024}
    samples:
      - {chip: dtm-2025, chains: 2, samples: 40, burn_in: 10}
  - name: gauss
    title: A Gaussian on an analog chip
    model: g2.json
    compare: {target: cov<=0.2, chips: [rc-langevin], baselines: [exact-gaussian], repeats: 2, chains: 2, max_sweeps: 512}
`);
  }, 10_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);
  const read = (f: string) => readFileSync(join(dir, f), "utf8");

  it("runs every part, reports the chip that cannot hold the model, states the headline from compare.json, writes the report", () => {
    const r = run(["study", "s.yaml", "--out", "out", "--workers", "2"]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/report {2}.*out\/report\/index\.html/);
    const st = JSON.parse(read("out/study.json"));
    expect(st.parts.map((p: { name: string }) => p.name)).toEqual(["spins", "gauss"]);
    const spins = st.parts[0];
    expect(spins.skipped).toEqual([{ chip: "pcomputer-fpga", reason: expect.stringMatching(/star\.json: J: spin 0 has 7 couplings but a p-bit on this chip takes at most 6/) }]);
    expect(r.out).toMatch(/not run: pcomputer-fpga \(spins\)/);
    // The headline, recomputed from the comparison's rows: only rows that reached the target in every repeat.
    for (const p of st.parts) {
      const cmp = JSON.parse(read(join("out", p.compare, "compare.json")));
      const reached = (rows: any[]) => rows.filter((x) => x.reached_fraction === 1).sort((a, b) => a.energy_to_solution_J.median - b.energy_to_solution_J.median); // eslint-disable-line @typescript-eslint/no-explicit-any
      const chip = reached(cmp.systems.filter((x: any) => x.kind === "chip" && x.name !== "ideal"))[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(chip, p.name).toBeDefined();
      expect(p.headline.best_chip.name).toBe(chip.name);
      expect(p.headline).toEqual(cmp.headline);
      // Each digital class once, the smallest advantage first; a p-bit chip's integer twin among them.
      expect([...p.headline.digital.map((d: { energy_model: string }) => d.energy_model)].sort()).toEqual(p.name === "spins" ? ["asic-45nm", "asic-45nm-int", "cpu", "gpu-thrml-h100"] : ["asic-45nm", "cpu", "gpu-thrml-h100"]);
      const adv = p.headline.digital.map((d: { chip_advantage: number }) => d.chip_advantage);
      expect([...adv].sort((a, b) => a - b)).toEqual(adv);
      for (const d of p.headline.digital) {
        const b = reached(cmp.systems.filter((x: any) => x.kind === "baseline" && x.energy_model === d.energy_model && (x.twin_of === undefined || x.twin_of === chip.name)))[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
        expect(d.energy_J).toBe(b.energy_to_solution_J.median);
        expect(d.chip_advantage).toBeCloseTo(b.energy_to_solution_J.median / chip.energy_to_solution_J.median, 12);
        expect(d.sensitivity.tornado.length).toBeGreaterThan(0);
      }
    }
    expect(st.parts[0].samples).toEqual([{ system: "dtm-2025", folder: "spins/sample-dtm-2025" }]);
    expect(existsSync(join(dir, "out/spins/sample-dtm-2025/samples.npy"))).toBe(true);
    // The study as it ran, defaults filled in.
    const resolved = parse(read("out/study.resolved.yaml"));
    expect(resolved.parts[0].samples[0]).toEqual({ chip: "dtm-2025", chains: 2, samples: 40, burn_in: 10, thin: 1 });
    expect(resolved.parts[1].compare.target).toBe("cov<=0.2");
    expect(read("out/study.md")).toMatch(/not run on \*\*pcomputer-fpga\*\*: .*at most 6/);
    // The report: the headline, each part's figures (names carry the part), the sample pictures.
    const html = read("out/report/index.html");
    expect(html).toContain("<h2>Headline</h2>");
    for (const id of ["part-spins", "spins-quality-vs-energy", "spins-energy-to-solution", "spins-energy-by-action", "spins-dtm-2025-trace-energy", "spins-dtm-2025-acf-energy", "gauss-quality-vs-energy"]) expect(html, id).toContain(`id="${id}"`);
    expect(html).toContain("pcomputer-fpga</b>: ");
    expect(html).not.toMatch(/<script/);
    expect(existsSync(join(dir, "out/report/figures/spins-quality-vs-energy.png"))).toBe(true);
    expect(existsSync(join(dir, "out/report/figures/gauss-energy-to-solution.svg"))).toBe(true);
  }, 300_000);

  it("thermosim report rebuilds the study's report byte for byte", () => {
    const r = run(["report", "out", "--out", "again"]);
    expect(r.code, r.err).toBe(0);
    expect(read("again/index.html")).toBe(read("out/report/index.html"));
  }, 120_000);

  it("the chips' results do not depend on the number of workers", () => {
    const r = run(["study", "s.yaml", "--out", "one", "--workers", "1"]);
    expect(r.code, r.err).toBe(0);
    for (const part of ["spins", "gauss"]) {
      const a = JSON.parse(read(`out/${part}/compare/compare.json`));
      const b = JSON.parse(read(`one/${part}/compare/compare.json`));
      const chips = (c: any) => c.systems.filter((x: any) => x.kind === "chip"); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(chips(b)).toEqual(chips(a));
      // Baselines: the same draws (sweeps to target, quality), measured times aside.
      const draws = (c: any) => c.systems.filter((x: any) => x.kind === "baseline").map((x: any) => [x.sweeps_to_target, x.quality]); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(draws(b)).toEqual(draws(a));
    }
    expect(readFileSync(join(dir, "one/spins/sample-dtm-2025/samples.npy"))).toEqual(readFileSync(join(dir, "out/spins/sample-dtm-2025/samples.npy")));
  }, 300_000);

  it("refuses bad study files in one line, writing nothing", () => {
    const bad = (name: string, text: string, message: RegExp) => {
      writeFileSync(join(dir, name), text);
      refused(["study", name], message);
    };
    const part = (over: string) => `title: t\nparts:\n  - name: p\n    model: star.json\n${over}`;
    bad("b1.yaml", part("    compare: {target: tv<=0.2, chips: [dtm-2026]}\n"), /b1\.yaml: parts\[0\]\.compare\.chips: --chip: unknown chip preset "dtm-2026"/);
    bad("b2.yaml", part("    compare: {target: tv<=0.2, baselines: [gibs]}\n"), /b2\.yaml: parts\[0\]\.compare\.baselines: unknown baseline "gibs"/);
    bad("b3.yaml", part("    compare: {target: tv<<0.2, chips: [ideal]}\n"), /b3\.yaml: parts\[0\]\.compare\.target: must look like METRIC<=X/);
    bad("b4.yaml", part(""), /b4\.yaml: parts\[0\]: has neither compare nor samples/);
    bad("b5.yaml", part("    compare: {target: tv<=0.2, chips: [ideal], max_sweep: 100}\n"), /b5\.yaml: parts\[0\]\.compare\.max_sweep: is not a known field/);
    bad("b6.yaml", "title: t\nparts:\n  - {name: p, model: nothere.json, samples: [{chip: ideal}]}\n", /nothere\.json/);
    bad("b7.yaml", "title: t\nparts:\n  - {name: p, model: star.json, samples: [{chip: ideal}]}\n  - {name: p, model: star.json, samples: [{chip: ideal}]}\n", /b7\.yaml: parts\[1\]\.name: "p" is used by an earlier part/);
    bad("b8.yaml", part("    samples: [{chip: ideal, baseline: gibbs}]\n"), /b8\.yaml: parts\[0\]\.samples\[0\]: needs exactly one of chip and baseline/);
    bad("b9.yaml", "title: t\nparts:\n  - {name: P Q, model: star.json, samples: [{chip: ideal}]}\n", /b9\.yaml: parts\[0\]\.name: must be a folder name/);
    // A target the model cannot take is the model's problem for every system: refused, not skipped.
    bad("b10.yaml", part("    compare: {target: cov<=0.2, chips: [ideal]}\n"), /b10\.yaml: parts\[0\]\.compare\.target: cov .* needs a gaussian model; star\.json is ising/);
  }, 120_000);
});

describe("the headline", () => {
  const row = (name: string, kind: "chip" | "baseline", energy_model: string, median: number | null, reached = median === null ? 0 : 1) => ({ name, kind, energy_model, reached_fraction: reached, energy_per_update_J: null, energy_to_solution_J: { median, p90: null }, time_to_solution_s: { median: null, p90: null } }) as unknown as SystemRow;
  it("leaves out the ideal chip, takes the cheapest chip and the cheapest row per digital class (smallest advantage first), and names who did not always reach", () => {
    const h = headlineOf({ target: "tv<=0.1", systems: [row("ideal", "chip", "ideal", 0), row("a", "chip", "a", 2e-9), row("b", "chip", "b", 1e-9), row("c", "chip", "c", null), row("g", "baseline", "cpu", 1e-3), row("m", "baseline", "cpu", 5e-4), row("g", "baseline", "gpu", 2e-4)] });
    expect(h.best_chip?.name).toBe("b");
    expect(h.digital.map((d) => [d.energy_model, d.name, d.energy_J, d.chip_advantage])).toEqual([
      ["gpu", "g", 2e-4, 2e-4 / 1e-9],
      ["cpu", "m", 5e-4, 5e-4 / 1e-9],
    ]);
    expect(h.left_out.map((x) => x.name)).toEqual(["c"]);
  });
  it("says so when no chip reached the target in every repeat (no advantage is made up)", () => {
    const h = headlineOf({ target: "tv<=0.1", systems: [row("a", "chip", "a", 1e-9, 2 / 3), row("g", "baseline", "cpu", 1e-3)] });
    expect(h.best_chip).toBeNull();
    expect(h.digital).toEqual([]);
    expect(h.left_out).toEqual([{ name: "a", energy_model: "a", reached_fraction: 2 / 3, metric_at_budget: null }]);
  });
});

describe("the bundled trained model", () => {
  it("is what the command in examples/study/README.md makes, byte for byte", () => {
    const dir = mkdtempSync(join(tmpdir(), "thermosim-bas-"));
    try {
      const readme = readFileSync(join(root, "examples", "study", "README.md"), "utf8");
      const cmd = /thermosim(?:\.js)? train rbm ([^\n`]*) --out \S+/.exec(readme);
      expect(cmd, "the README gives the training command").not.toBeNull();
      const { run } = cliIn(() => root);
      const args = cmd![1].trim().split(/\s+/);
      const r = run(["train", "rbm", ...args, "--ais-runs", "0", "--out", join(dir, "t")]);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(join(dir, "t", "rbm.npz"))).toEqual(readFileSync(join(root, "examples", "study", "bas-rbm.npz")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
