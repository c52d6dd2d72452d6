/**
 * beta_eff, the effective inverse temperature of a run's draws by maximum
 * pseudo-likelihood (metrics/beta-eff.ts): it recovers the beta a chain ran
 * at (0.8, 1.25) within its 95% interval, its interval covers about 95% of
 * the time, it flags draws made at beta x 1.05 against a model at beta 1 with
 * 1e5 draws (the power), and its estimate agrees with a direct maximisation
 * of the pseudo-likelihood over the raw draws written here (no histogram).
 * In every p-bit run's stats.json as mapping.beta_eff.
 */
import { describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chip, cliIn, ising, sampleOn } from "./helpers.js";
import { PseudoLikelihood, betaBatch, estimateBetaEff } from "../src/metrics/beta-eff.js";
import { Random } from "../src/util/random.js";
import type { IsingModel } from "../src/models/ising.js";

function randomModel(n: number, seed: number, beta: number): IsingModel {
  const rng = new Random(seed);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (rng.uniform() < 0.5) edges.push([i, j, 0.5 * rng.normal()]);
  return ising(n, edges, Array.from({ length: n }, () => 0.3 * rng.normal()), beta);
}

/** Draws of `truth` on the ideal chip (exact float Gibbs), estimated against `reference`'s couplings and beta. */
function estimate(truth: IsingModel, reference: IsingModel, chains: number, samples: number, seed: number) {
  const { run } = sampleOn(chip("ideal"), truth, { chains, samples, burnIn: 200, thin: 1, seed });
  const pl = new PseudoLikelihood(reference);
  const n = truth.n;
  for (let c = 0; c < chains; c++) for (let r = 0; r < samples; r++) pl.add(run.samples, c * samples + r, betaBatch(c, r, samples));
  return { est: estimateBetaEff(pl.data())!, samples: run.samples };
}

describe("beta_eff", () => {
  test("recovers the beta a chain ran at: 0.8 and 1.25, each inside its 95% interval, the interval a few percent wide", () => {
    for (const beta of [0.8, 1.25]) {
      const m = randomModel(12, 3, beta);
      const { est } = estimate(m, m, 8, 4000, 11);
      expect(est.low, `beta ${beta}`).toBeLessThan(beta);
      expect(est.high, `beta ${beta}`).toBeGreaterThan(beta);
      expect(est.excludes_model_beta).toBe(false);
      expect((est.high - est.low) / beta).toBeLessThan(0.06);
    }
  });

  test("its 95% interval covers the true beta in at least 17 of 20 independent runs (binomial: P(< 17 | 0.95) = 1.6%)", () => {
    const m = randomModel(10, 5, 1);
    let covered = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { est } = estimate(m, m, 4, 2000, 100 + seed);
      if (est.low <= 1 && 1 <= est.high) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  test("power: draws made at beta 1.05 against the model at beta 1, 1e5 draws: the interval excludes 1 and holds 1.05", () => {
    const at1 = randomModel(12, 7, 1);
    const hot = { ...at1, beta: 1.05 };
    const { est } = estimate(hot, at1, 10, 10000, 21);
    expect(est.draws).toBe(1e5);
    expect(est.excludes_model_beta).toBe(true);
    expect(est.low).toBeGreaterThan(1);
    expect(est.low).toBeLessThan(1.05);
    expect(est.high).toBeGreaterThan(1.05);
  });

  test("the histogram's estimate equals a direct maximisation of the pseudo-likelihood over the raw draws (golden section, here)", () => {
    const m = randomModel(8, 9, 1);
    const { est, samples } = estimate(m, m, 4, 3000, 31);
    const n = m.n;
    // x = s_i F_i for every spin of every draw, from the model directly.
    const xs: number[] = [];
    for (let r = 0; r < samples.length / n; r++) {
      for (let i = 0; i < n; i++) {
        let f = m.h[i];
        for (let k = 0; k < m.ei.length; k++) {
          if (m.ei[k] === i) f += m.ew[k] * samples[r * n + m.ej[k]];
          if (m.ej[k] === i) f += m.ew[k] * samples[r * n + m.ei[k]];
        }
        xs.push(samples[r * n + i] * f);
      }
    }
    const logPl = (b: number) => xs.reduce((a, x) => a - Math.log1p(Math.exp(-2 * b * x)), 0);
    let lo = 0.2;
    let hi = 3;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 80; it++) {
      const a = hi - g * (hi - lo);
      const b = lo + g * (hi - lo);
      if (logPl(a) > logPl(b)) hi = b;
      else lo = a;
    }
    expect(Math.abs(est.value - (lo + hi) / 2)).toBeLessThan(1e-3);
  });
});

describe("in stats.json", () => {
  test("every p-bit run states mapping.beta_eff; a clamped run counts only the free spins; a run off its beta is warned", () => {
    const dir = mkdtempSync(join(tmpdir(), "thermosim-beta-"));
    const { run } = cliIn(() => dir);
    const m = randomModel(10, 13, 1);
    writeFileSync(join(dir, "m.json"), JSON.stringify({ kind: "ising", n: 10, h: Array.from(m.h), J: Array.from(m.ei, (i, k) => [i, m.ej[k], m.ew[k]]), beta: 1 }));
    const r = run(["sample", "m.json", "--chip", "ideal", "--chains", "4", "--samples", "3000", "--out", "a"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, "a", "stats.json"), "utf8"));
    expect(s.mapping.beta_eff.low).toBeLessThan(1);
    expect(s.mapping.beta_eff.high).toBeGreaterThan(1);
    expect(s.mapping.beta_eff.draws).toBe(12000);
    expect(s.units["mapping.beta_eff"].unit).toBe("1/energy");
    // Clamped: spins 0 and 1 held at +1 in one condition; the free spins' conditionals still follow beta 1.
    writeFileSync(join(dir, "clamp.json"), JSON.stringify({ index: [0, 1], values: [[1, 1]] }));
    const c = run(["sample", "m.json", "--chip", "ideal", "--chains", "4", "--samples", "3000", "--clamp", "clamp.json", "--out", "c"]);
    expect(c.code, c.err).toBe(0);
    const sc = JSON.parse(readFileSync(join(dir, "c", "stats.json"), "utf8"));
    expect(sc.mapping.beta_eff.low).toBeLessThan(1);
    expect(sc.mapping.beta_eff.high).toBeGreaterThan(1);
    // The published p-computer design on a small random model: 8-bit-ish couplings and an LFSR read once per shift sample ~1% colder.
    expect(run(["random-model", "--n", "12", "--density", "0.5", "--seed", "4", "--out", "r12.json"]).code).toBe(0);
    const p = run(["sample", "r12.json", "--chip", "pcomputer-dbm-2024", "--chains", "4", "--samples", "25000", "--out", "p"]);
    expect(p.code, p.err).toBe(0);
    expect(p.err).toMatch(/the draws follow the model's couplings best at beta_eff = 1\.01\d+ \(95% interval [^)]*\), not at the model's beta 1: the chip samples colder than asked/);
    expect(JSON.parse(readFileSync(join(dir, "p", "stats.json"), "utf8")).mapping.beta_eff.excludes_model_beta).toBe(true);
  }, 120_000);
});
