/**
 * `thermosim sample --baseline` through the CLI: the energy of a run is
 * recomputed by hand from its counts and the cited table; bad requests are
 * refused with one line, exit 2, nothing written.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cliIn } from "./helpers.js";
import { tmpdir } from "node:os";
import { join } from "node:path";

let dir: string;
const { run: thermosim, refused } = cliIn(() => dir);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-base-"));
  writeFileSync(join(dir, "m.json"), JSON.stringify({ kind: "ising", n: 6, h: [0.1, 0, -0.3, 0, 0.2, 0], J: [[0, 1, 0.5], [1, 2, -0.7], [2, 3, 0.4], [3, 4, 0.9], [4, 5, -0.2]], beta: 1 }));
  writeFileSync(join(dir, "g.json"), JSON.stringify({ kind: "gaussian", A: [[2, 0], [0, 1]], b: [0, 0] }));
});

describe("baseline energy, recomputed by hand from counts and the tables' rows", () => {
  test("cpu: native updates and field terms x calibrated times x 4.375 W (the measured time is not charged); asic-45nm: flops x 2.3 pJ + words x 5 pJ + random numbers x 7.2 pJ + exponentials x 46 pJ", () => {
    const cpu = thermosim(["sample", "m.json", "--baseline", "chromatic-gibbs", "--samples", "2000", "--out", "cpu", "--json"]);
    expect(cpu.code, cpu.err).toBe(0);
    const s = JSON.parse(cpu.out);
    expect(s.energy_J.table).toBe("cpu");
    expect(s.actions.core_seconds).toBeCloseTo(s.chip_seconds, 15);
    // 4 chains x (100 burn-in + 2000) sweeps x 6 spins; the chain has 5 couplings, so 10 field terms per sweep.
    expect(s.sweeps).toBe(4 * 2100);
    expect(s.actions.native_spin_updates).toBe(s.sweeps * 6);
    expect(s.actions.native_field_terms).toBe(s.sweeps * 10);
    expect(s.energy_J.total).toBeCloseTo(4.375 * (s.sweeps * 6 * 0.543e-9 + s.sweeps * 10 * 0.0208e-9), 18);
    expect(s.energy_J.by_action.core_seconds).toBe(0);
    const asic = thermosim(["sample", "m.json", "--baseline", "metropolis", "--energy-model", "asic-45nm", "--samples", "2000", "--out", "asic", "--json"]);
    expect(asic.code, asic.err).toBe(0);
    const a = JSON.parse(asic.out);
    const c = a.actions;
    const byHand = c.flops * 2.3e-12 + c.memory_words * 5e-12 + c.random_numbers * 7.2e-12 + c.exp_evals * 46e-12;
    expect(Math.abs(a.energy_J.total / byHand - 1)).toBeLessThan(1e-12);
    const resolved = readFileSync(join(dir, "asic", "chip.resolved.yaml"), "utf8");
    expect(resolved).toMatch(/Horowitz/);
  });
});

describe("bad requests: one line, exit 2, nothing written", () => {
  test("an unknown baseline names the known ones", () => refused(["sample", "m.json", "--baseline", "gibs"], /--baseline: unknown baseline "gibs"; known: gibbs, random-gibbs, chromatic-gibbs, metropolis, sa, pt, ula, mala, hmc, exact-gaussian/));
  test("annealing and tempering options: only on their baselines, and well-formed", () => {
    refused(["sample", "m.json", "--baseline", "gibbs", "--anneal", "0.1,3"], /--anneal: applies to baseline sa, not gibbs/);
    refused(["sample", "m.json", "--baseline", "sa", "--replicas", "4"], /--replicas: applies to baseline pt, not sa/);
    refused(["sample", "m.json", "--baseline", "sa", "--anneal", "0.1"], /--anneal: must be B0,B1 or B0,B1,linear\|geometric/);
    refused(["sample", "m.json", "--baseline", "sa", "--anneal", "0.1,-3"], /--anneal: must be a finite number above 0, got "-3"/);
    refused(["sample", "m.json", "--baseline", "sa", "--anneal", "0.1,3,cosine"], /--anneal: schedule shape must be linear or geometric/);
    refused(["sample", "m.json", "--baseline", "pt", "--hot-beta", "2"], /--hot-beta: must be above 0 and below the model's beta \(1\), got 2/);
    refused(["sample", "m.json", "--baseline", "pt", "--replicas", "1"], /--replicas: must be between 2 and 1024/);
  });
  test("a tempering run reports its adapted ladder and swap rates per chain", () => {
    const r = thermosim(["sample", "m.json", "--baseline", "pt", "--replicas", "4", "--chains", "2", "--samples", "500", "--burn-in", "500", "--out", "pt", "--json"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.diagnostics.per_chain.ladder_betas).toHaveLength(2);
    expect(s.diagnostics.per_chain.ladder_betas[0]).toHaveLength(4);
    expect(s.diagnostics.per_chain.ladder_betas[0][0]).toBe(1);
    expect(s.diagnostics.per_chain.swap_rates[1]).toHaveLength(3);
    expect(s.updates).toBe(2 * (500 + 500) * 6 * 4);
    expect(s.mapping.tempering.replicas).toBe(4);
  });
  test("a spin baseline on a Gaussian model, a Gaussian one on a spin model", () => {
    refused(["sample", "g.json", "--baseline", "gibbs"], /g\.json: kind: baseline gibbs samples ising models; this model is gaussian/);
    refused(["sample", "m.json", "--baseline", "hmc"], /m\.json: kind: baseline hmc samples gaussian models; this model is ising/);
  });
  test("continuous baselines' options: only where they apply, and a stable ULA step", () => {
    refused(["sample", "g.json", "--baseline", "exact-gaussian", "--step", "0.1"], /--step: does not apply to exact-gaussian/);
    refused(["sample", "g.json", "--baseline", "mala", "--leapfrog-steps", "5"], /--leapfrog-steps: applies to baseline hmc, not mala/);
    refused(["sample", "g.json", "--baseline", "ula", "--step", "1.5"], /--step: ULA is unstable at h = 1\.5: it needs h < 2 \/ lambda_max = 1\.000/);
    refused(["sample", "g.json", "--baseline", "ula", "--step", "0"], /--step: must be a finite number above 0/);
  });
  test("a Gaussian baseline run: same outputs as a chip's, bit-identical for any number of workers", () => {
    const a = thermosim(["sample", "g.json", "--baseline", "hmc", "--chains", "3", "--samples", "300", "--out", "h1", "--workers", "1"]);
    const b = thermosim(["sample", "g.json", "--baseline", "hmc", "--chains", "3", "--samples", "300", "--out", "h2", "--workers", "2"]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    for (const f of ["samples.npy", "trace.npy"]) expect(readFileSync(join(dir, "h1", f)).equals(readFileSync(join(dir, "h2", f))), f).toBe(true);
    const s = JSON.parse(readFileSync(join(dir, "h2", "stats.json"), "utf8"));
    expect(s.trace_names).toEqual(["energy", "x0", "x1"]);
    expect(s.diagnostics.per_chain.adapted_step).toHaveLength(3);
  });
  test("both --chip and --baseline, or neither", () => {
    refused(["sample", "m.json", "--baseline", "gibbs", "--chip", "ideal"], /give --chip or --baseline, not both/);
    refused(["sample", "m.json"], /give --chip CHIP or --baseline NAME/);
  });
  test("--energy-model on a chip, --schedule on a baseline, an unknown energy model", () => {
    refused(["sample", "m.json", "--chip", "ideal", "--energy-model", "cpu"], /--energy-model: applies to baselines/);
    refused(["sample", "m.json", "--baseline", "gibbs", "--schedule", "async"], /--schedule: applies to p-bit chips, not to baseline gibbs/);
    refused(["sample", "m.json", "--baseline", "gibbs", "--energy-model", "gpu-h200"], /--energy-model: energy: no technology table named "gpu-h200"/);
  });
});
