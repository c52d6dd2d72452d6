/**
 * Issue 24's acceptance: comparisons priced from counts (the same request
 * prices the same whatever the workers or the machine's load), every digital
 * platform at its best operating point, the chip against its own integer
 * algorithm as a digital ASIC, headlines of systems that reached the target
 * in every repeat, and the sensitivity of each ratio. Every expected figure
 * is computed here from the counts in compare.json and the YAML files, read
 * with the yaml package and a small SI parser (not thermosim's loaders).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { cliIn, si } from "./helpers.js";
import { headlineOf, sensitivity } from "../src/run/headline.js";
import { costingEnergy, type Costing } from "../src/energy/figures.js";
import type { SystemRow } from "../src/run/compare.js";

const root = join(__dirname, "..");
let dir: string;
const { run: thermosim, refused } = cliIn(() => dir);

const yamlOf = (...path: string[]) => parse(readFileSync(join(root, ...path), "utf8"));
const row = (j: any, name: string, model: string) => (j.systems as any[]).find((s) => s.name === name && s.energy_model === model); // eslint-disable-line @typescript-eslint/no-explicit-any

let g12: any; // eslint-disable-line @typescript-eslint/no-explicit-any
let g12b: any; // eslint-disable-line @typescript-eslint/no-explicit-any
const CHAINS = 4;
const SWEEPS = 96;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-l4l-"));
  const args = (out: string, workers: string) => ["compare", join(root, "examples", "g12-70.json"), "--chip", "dtm-2025", "--baseline", "chromatic-gibbs", "--baseline", "metropolis",
    "--target", "ess>=20", "--repeats", "2", "--chains", String(CHAINS), "--max-sweeps", String(SWEEPS), "--out", out, "--workers", workers, "--json"];
  const a = thermosim(args("a", "1"));
  expect(a.code, a.err).toBe(0);
  g12 = JSON.parse(a.out);
  const b = thermosim(args("b", "2"));
  expect(b.code, b.err).toBe(0);
  g12b = JSON.parse(b.out);
}, 300_000);

describe("priced from counts", () => {
  test("two runs of the same request with 1 and 2 workers price every row the same (within 2%; here exactly)", () => {
    expect(g12.systems.length).toBe(g12b.systems.length);
    for (const [k, s] of (g12.systems as any[]).entries()) { // eslint-disable-line @typescript-eslint/no-explicit-any
      const t = g12b.systems[k];
      expect(`${t.name}/${t.energy_model}`).toBe(`${s.name}/${s.energy_model}`);
      for (const [q, r] of (s.runs as any[]).entries()) expect(Math.abs(t.runs[q].energy_run_J / r.energy_run_J - 1), `${s.name} on ${s.energy_model}`).toBeLessThan(0.02); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(t.energy_to_solution_J).toEqual(s.energy_to_solution_J);
    }
  });

  test("a CPU row's energy and time by hand: native updates and field terms x calibrated times x the core's power", () => {
    const cpu = yamlOf("circuits", "tech", "cpu.yaml");
    const P = si(cpu.core.power);
    const tUpdate = si(cpu.actions.native_spin_updates.time);
    const tTerm = si(cpu.actions.native_field_terms.time);
    const r = row(g12, "chromatic-gibbs", "cpu");
    const updates = CHAINS * SWEEPS * 4900;
    for (const run of r.runs) {
      expect(run.actions.native_spin_updates).toBe(updates);
      // Every G12 spin has 12 couplings: a field-recomputing kernel sums 12 terms per update.
      expect(run.actions.native_field_terms).toBe(12 * updates);
      expect(run.energy_run_J / (P * (updates * tUpdate + 12 * updates * tTerm)) - 1).toBeCloseTo(0, 12);
      expect(run.seconds_run / (updates * tUpdate + 12 * updates * tTerm) - 1).toBeCloseTo(0, 12);
    }
    expect(r.energy_per_update_J / (P * (tUpdate + 12 * tTerm)) - 1).toBeCloseTo(0, 12);
    // The measured time is kept beside it, never charged.
    expect(r.measured.seconds).toBeGreaterThan(0);
    expect(r.energy_basis).toMatch(/calibrated native time/);
    expect(r.energy_source).toMatch(/best native code/);
  });

  test("GPU rows price an update at no more than 1.2x the cheapest measured batch of the size class", () => {
    const doc = yamlOf("circuits", "platforms", "gpu-thrml-h100.yaml");
    const size = (doc.sizes as { n: number; points: { batch: number; J_per_update: number }[] }[]).find((s) => s.n === 4900)!;
    const cheapest = Math.min(...size.points.map((p) => p.J_per_update));
    for (const s of (g12.systems as any[]).filter((x) => x.energy_model === "gpu-thrml-h100")) { // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(s.energy_per_update_J).toBeLessThanOrEqual(1.2 * cheapest);
      expect(s.energy_basis).toMatch(/cheapest measured batch, 1024 chains/);
    }
  });

  test("every row states energy_per_update_J, its basis and its source", () => {
    for (const s of g12.systems) {
      expect(s.energy_per_update_J, `${s.name}/${s.energy_model}`).toBeGreaterThan(0);
      expect(s.energy_basis.length).toBeGreaterThan(10);
      expect(s.energy_source.length).toBeGreaterThan(10);
    }
  });
});

describe("the integer twin", () => {
  test("dtm-2025 on the G12 model against asic-45nm-int chromatic Gibbs, by hand from the chip's counts and the table", () => {
    const t = yamlOf("circuits", "tech", "asic-45nm-int.yaml").actions;
    const twin = row(g12, "chromatic-gibbs-int", "asic-45nm-int");
    const chip = row(g12, "dtm-2025", "dtm-2025");
    expect(twin.twin_of).toBe("dtm-2025");
    const updates = CHAINS * SWEEPS * 4900;
    for (const [q, run] of (twin.runs as any[]).entries()) { // eslint-disable-line @typescript-eslint/no-explicit-any
      // The twin performs the chip's run: the same counts, the same sweeps to target.
      expect(run.actions).toEqual(chip.runs[q].actions);
      expect(run.sweeps_to_target).toBe(chip.runs[q].sweeps_to_target);
      expect(run.actions.comparator_evals).toBe(updates);
      expect(run.actions.mac_ops).toBe(12 * updates);
      // 12-bit accumulator (dtm-2025's numerics): a MAC is a 12-bit add.
      const want = run.actions.mac_ops * 12 * si(t.adder_bit_ops.energy) + updates * (si(t.comparator_evals.energy) + si(t.random_words.energy) + si(t.lut_reads.energy));
      expect(run.energy_run_J / want - 1).toBeCloseTo(0, 12);
    }
    // Per update: 12 x 45 fJ + 1 pJ = 1.54 pJ against dtm-2025's 2 fJ cell.
    expect(twin.energy_per_update_J).toBeCloseTo(1.54e-12, 20);
    expect(chip.energy_per_update_J).toBeCloseTo(2e-15, 22);
  });
});

/** A row with just what the headline reads. */
function fake(name: string, kind: "chip" | "baseline", model: string, energy: number, reached: number, twinOf?: string): SystemRow {
  return {
    name, kind, energy_model: model, energy_basis: "b", energy_source: "s", energy_per_update_J: 1, reached: reached === 1, reached_fraction: reached,
    energy_to_solution_J: { median: energy, p90: energy }, time_to_solution_s: { median: null, p90: null }, sweeps_to_target: { median: 1, p90: 1 },
    iat_sweeps: 1, iat_seconds: null, ess_per_J: 1, ess_per_s: null, quality: {}, curve: [], energy_by_action_J: {}, runs: [], ...(twinOf ? { twin_of: twinOf } : {}),
  };
}

describe("headlines that survive review", () => {
  test("only systems that reached the target in every repeat; each class once, most conservative first; a twin only against its own chip", () => {
    const rows = [
      fake("cheap-but-flaky", "chip", "x", 1e-9, 2 / 3),
      fake("solid", "chip", "y", 1e-8, 1),
      fake("ideal", "chip", "ideal", 0, 1),
      fake("chromatic-gibbs-int", "baseline", "asic-45nm-int", 1e-7, 1, "cheap-but-flaky"),
      fake("chromatic-gibbs-int", "baseline", "asic-45nm-int", 4e-6, 1, "solid"),
      fake("gibbs", "baseline", "cpu", 1e-3, 1),
      fake("pt", "baseline", "cpu", 1e-4, 2 / 3),
      fake("gibbs", "baseline", "gpu-thrml-h100", 1e-2, 1),
    ];
    const h = headlineOf({ target: "tv<=0.05", systems: rows });
    expect(h.best_chip?.name).toBe("solid");
    expect(h.digital.map((d) => `${d.name}/${d.energy_model}`)).toEqual(["chromatic-gibbs-int/asic-45nm-int", "gibbs/cpu", "gibbs/gpu-thrml-h100"]);
    expect(h.digital.map((d) => d.chip_advantage)).toEqual([400, 1e5, 1e6].map((x) => expect.closeTo(x, 6)));
    expect(h.digital[0].twin_of).toBe("solid");
    expect(h.left_out.map((x) => x.name)).toEqual(["cheap-but-flaky", "pt"]);
  });

  test("the G12 compare's headline leads with the integer twin, the most conservative class", () => {
    expect(g12.headline.best_chip.name).toBe("dtm-2025");
    expect(g12.headline.digital[0].energy_model).toBe("asic-45nm-int");
    const adv = g12.headline.digital.map((d: { chip_advantage: number }) => d.chip_advantage);
    expect([...adv].sort((a, b) => a - b)).toEqual(adv);
  });
});

describe("sensitivity: tornado and break-even values, exact because energy is linear in each figure", () => {
  // Chip: 10 updates x a (1 fJ) + 2 programmings x p (0, not charged). Digital: 10 updates x d (100 fJ) + 10 x t (1 ns) x P (5 W).
  const chip: Costing = {
    figures: [{ id: "chip:a", value: 1e-15, unit: "J", status: "published", source: "s" }, { id: "chip:p", value: 0, unit: "J", status: "not-charged", source: "s" }],
    terms: [{ coefficient: 10, figures: ["chip:a"] }, { coefficient: 2, figures: ["chip:p"], once: true }],
  };
  const digital: Costing = {
    figures: [{ id: "dig:d", value: 1e-13, unit: "J", status: "assumed", source: "s" }, { id: "cpu:t", value: 1e-9, unit: "s", status: "measured", source: "s" }, { id: "cpu:P", value: 5, unit: "W", status: "derived", source: "s" }],
    terms: [{ coefficient: 10, figures: ["dig:d"] }, { coefficient: 10, figures: ["cpu:t", "cpu:P"] }],
  };
  const s = sensitivity(chip, digital);
  const eChip = costingEnergy(chip); // 1e-14
  const eDig = costingEnergy(digital); // 1e-12 + 5e-8
  test("energies by hand", () => {
    expect(eChip).toBeCloseTo(1e-14, 28);
    expect(eDig).toBeCloseTo(1e-12 + 5e-8, 20);
  });
  test("the tornado: each figure halved and doubled", () => {
    const bar = (id: string) => s.tornado.find((b) => b.figure === id)!;
    expect(bar("chip:a").ratio_at_half).toBeCloseTo(eDig / 5e-15, 0);
    expect(bar("chip:a").ratio_at_double).toBeCloseTo(eDig / 2e-14, 0);
    expect(bar("cpu:P").ratio_at_double).toBeCloseTo((1e-12 + 1e-7) / eChip, -2);
    // The widest swing first (chip:a, cpu:t and cpu:P all swing 4x; dig:d hardly moves the total).
    expect(s.tornado[s.tornado.length - 1].figure).toBe("dig:d");
    expect(s.tornado.some((b) => b.figure === "chip:p")).toBe(false); // 0 J: nothing to halve
  });
  test("break-even: the value where both cost the same; uncharged and assumed figures first", () => {
    const be = (id: string) => s.break_even.find((b) => b.figure === id)!;
    // chip:p: 1e-14 + 2p = eDig  ->  p = (eDig - 1e-14) / 2; the chip wins while p stays below it.
    expect(be("chip:p").break_even).toBeCloseTo((eDig - 1e-14) / 2, 20);
    expect(be("chip:p").chip_wins_while).toBe("below");
    // cpu:t: 1e-12 + 50 t = 1e-14 has no t >= 0: the chip wins whatever t is.
    expect(be("cpu:t").chip_wins_while).toBe("always");
    expect(be("chip:a").break_even).toBeCloseTo(eDig / 10, 20);
    expect(s.break_even[0].status).toMatch(/assumed|not-charged/);
  });
});

describe("assumed figures as swept knobs", () => {
  test("a sweep varies one figure of a named table (rc-langevin's amplifier power): the law and sweeps stay, the energy moves on a line", () => {
    writeFileSync(join(dir, "amp.yaml"), [
      "title: amplifier power", "base:", `  model: ${join(root, "examples", "study", "gaussian-8.json")}`, "  chip: rc-langevin", "  target: cov<=0.1",
      "  repeats: 1", "  chains: 4", "  max_sweeps: 1024", "  seed: 1", "axes:", "  energy.actions.amplifier_seconds.power: [0 W, 10 uW, 20 uW]", "",
    ].join("\n"));
    const r = thermosim(["sweep", "amp.yaml", "--out", "amp", "--workers", "1", "--json"]);
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(readFileSync(join(dir, "amp", "sweep.json"), "utf8")).rows as { figures: { energy_to_solution_J: number; sweeps_to_target: number } }[];
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((x) => x.figures.sweeps_to_target)).size).toBe(1);
    const [e0, e10, e20] = rows.map((x) => x.figures.energy_to_solution_J);
    expect(e10).toBeGreaterThan(e0);
    expect((e20 - e10) / (e10 - e0) - 1).toBeCloseTo(0, 9);
  });
});

describe("bad input: one line, exit 2, nothing written", () => {
  const spec = (name: string, table: string) => {
    writeFileSync(join(dir, `${name}-tech.yaml`), table);
    writeFileSync(join(dir, `${name}.yaml`), `extends: dtm-2025\nname: ${name}\nenergy: ${name}-tech.yaml\n`);
    return `${name}.yaml`;
  };
  const rows = (random: string) => [
    "name: t", "description: test", "actions:", `  random_bits: ${random}`,
    ...["mac_ops", "weight_reads", "comparator_evals", "state_writes", "flips", "clock_cycles", "pbit_cycles_idle", "readout_values", "weights_written", "pbits_programmed"].map((a) => `  ${a}: { energy: 0 J, source: "s" }`),
    '  pbit_seconds: { power: 0 W, source: "s" }', "",
  ].join("\n");
  test("an unknown energy model", () => {
    refused(["sample", join(root, "examples", "g12-70.json"), "--baseline", "gibbs", "--energy-model", "tpu-v9", "--samples", "2"], /--energy-model.*tpu-v9|no technology table named "tpu-v9"/);
  });
  test("a table row without a source", () => {
    const s = spec("nosource", rows('{ energy: 1 fJ, source: "" }'));
    refused(["sample", join(root, "examples", "g12-70.json"), "--chip", s, "--samples", "2"], /nosource-tech\.yaml: actions\.random_bits\.source: must say where the number comes from/);
  });
  test("a negative price", () => {
    const s = spec("negative", rows('{ energy: -1 fJ, source: "s" }'));
    refused(["sample", join(root, "examples", "g12-70.json"), "--chip", s, "--samples", "2"], /negative-tech\.yaml: actions\.random_bits\.energy: must be >= 0/);
  });
  test("a non-finite price", () => {
    const s = spec("infinite", rows('{ energy: 1e999 J, source: "s" }'));
    refused(["sample", join(root, "examples", "g12-70.json"), "--chip", s, "--samples", "2"], /infinite-tech\.yaml: actions\.random_bits\.energy: /);
  });
  test("a status that is not one of the known ones", () => {
    const s = spec("status", rows('{ energy: 1 fJ, source: "s", status: guessed }'));
    refused(["sample", join(root, "examples", "g12-70.json"), "--chip", s, "--samples", "2"], /status-tech\.yaml: actions\.random_bits\.status: must be one of published, measured, derived, assumed, not-charged, included/);
  });
  test("a time row in a table with no core", () => {
    const s = spec("nocore", rows('{ time: 1 ns, source: "s" }'));
    refused(["sample", join(root, "examples", "g12-70.json"), "--chip", s, "--samples", "2"], /nocore-tech\.yaml: actions\.random_bits\.time: prices the action as time on the table's core/);
  });
  test("a bias check on a target that already sees the law, or on a Gaussian model", () => {
    refused(["compare", join(root, "examples", "g12-70.json"), "--chip", "dtm-2025", "--target", "tv<=0.1,bias<=0.3"], /--target: a bias check pairs with an ess target/);
    refused(["compare", join(root, "examples", "g12-70.json"), "--chip", "dtm-2025", "--target", "ess>=10,bias<=-1"], /--target: bias threshold must be a finite number above 0/);
    refused(["compare", join(root, "examples", "study", "gaussian-8.json"), "--chip", "rc-langevin", "--target", "ess>=10,bias<=0.3"], /--target: the bias check compares with a reference run of exact chromatic Gibbs/);
  });
});
