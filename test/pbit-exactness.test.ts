/**
 * Exactness: samples from the chips against enumerated Boltzmann
 * distributions. The bound is what a perfect i.i.d. sampler of the same size
 * shows: TV below 1.5x the 99th percentile of i.i.d. TVs (fixed seeds, so
 * these are deterministic checks, not flaky ones).
 */
import { describe, expect, test } from "vitest";
import { boltzmann, empirical, totalVariation } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { iidTvQuantile } from "../src/metrics/stats.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { blockModel, chip, sampleOn, subModel } from "./helpers.js";

const range = (n: number) => Array.from({ length: n }, (_, k) => k);

describe("ideal chip matches enumeration", () => {
  const cases = [
    { n: 4, density: 1, jStd: 0.8, hStd: 0.5, seed: 11 },
    { n: 8, density: 1, jStd: 0.4, hStd: 0.4, seed: 12 },
    { n: 12, density: 0.3, jStd: 0.6, hStd: 0.4, seed: 13 },
    { n: 16, density: 0.25, jStd: 0.6, hStd: 0.3, seed: 14 },
    { n: 16, density: 1, jStd: 0.25, hStd: 0.3, seed: 15 },
  ];
  for (const c of cases) {
    test(`n=${c.n} density=${c.density}`, () => {
      const model = randomGraphModel(c.n, c.density, { jStd: c.jStd, hStd: c.hStd, beta: 1, seed: c.seed });
      const { run } = sampleOn(chip("ideal"), model, { chains: 8, samples: 12_500, burnIn: 200, thin: 5, seed: c.seed });
      const p = boltzmann(model);
      const tv = totalVariation(empirical(run.samples, c.n, range(c.n)), p);
      const bound = 1.5 * iidTvQuantile(p, 100_000, 0.99, 60, c.seed);
      expect(tv).toBeLessThan(bound);
    });
  }

  test("a sampler that is off by a little fails the same bound (the test has power)", () => {
    const model = randomGraphModel(8, 1, { jStd: 0.4, hStd: 0.4, beta: 1, seed: 12 });
    const { run } = sampleOn(chip("ideal"), { ...model, beta: 1.1 }, { chains: 8, samples: 12_500, burnIn: 200, thin: 5, seed: 12 });
    const p = boltzmann(model);
    const tv = totalVariation(empirical(run.samples, 8, range(8)), p);
    expect(tv).toBeGreaterThan(1.5 * iidTvQuantile(p, 100_000, 0.99, 60, 12));
  });
});

describe("fixed-point chips sample their quantised model exactly", () => {
  // A 4x4 block of p-bits, coupled on every chip edge inside it; the rest of
  // the first rows are free spins (identity placement: spin i on p-bit i).
  const cases = [
    { chip: "dtm-2025", width: 70, jStd: 0.5, hStd: 0.3, seed: 21 },
    { chip: "z1", width: 234, jStd: 0.5, hStd: 0.3, seed: 22 },
  ];
  for (const c of cases) {
    test(`${c.chip}: 4x4 block on the chip's own topology`, () => {
      const spec = chip(c.chip);
      const block = [0, 1, 2, 3].flatMap((y) => [0, 1, 2, 3].map((x) => y * c.width + x));
      const size = 3 * c.width + 4;
      const { model, sub } = blockModel(spec, size, block, c.jStd, c.hStd, c.seed);
      expect(sub.ei.length).toBeGreaterThanOrEqual(24); // the block really is coupled
      const { mapping, run } = sampleOn(spec, model, { chains: 8, samples: 12_500, burnIn: 200, thin: 4, seed: c.seed });
      const q = empirical(run.samples, size, block);
      const pChip = boltzmann(subModel(mapping.effective(), block));
      const pModel = boltzmann(sub);
      const iid = iidTvQuantile(pChip, 100_000, 0.99, 60, c.seed);
      // What the chip samples: its quantised model, exactly.
      expect(totalVariation(q, pChip)).toBeLessThan(1.5 * iid);
      // Against the user's model: within what quantisation predicts.
      const quantTv = totalVariation(pChip, pModel);
      expect(totalVariation(q, pModel)).toBeLessThan(quantTv + 1.5 * iid);
    });
  }

  test("the integer code path and the float LUT path give identical samples", () => {
    const spec = chip("dtm-2025");
    const block = [0, 1, 2, 3, 70, 71, 72, 73];
    const { model } = blockModel(spec, 74, block, 0.5, 0.3, 5);
    const { mapping, run } = sampleOn(spec, model, { chains: 2, samples: 2000, seed: 3 });
    expect(mapping.evaluator).toBe("code-lut");
    const float = runPbit(spec, { ...mapping, evaluator: "lut" }, { chains: 2, samples: 2000, burnIn: 100, thin: 1, seed: 3, schedule: "chromatic" });
    expect(Buffer.from(float.samples).equals(Buffer.from(run.samples))).toBe(true);
    expect(float.counts).toEqual(run.counts);
  });
});
