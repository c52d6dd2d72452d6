/**
 * Exactness: the chips' draws against exact laws by enumeration. The test
 * statistic is what a wrong law moves: every spin's mean and every coupled
 * pair's correlation, each against its batch-means Monte Carlo error, with a
 * Bonferroni p-value (src/metrics/law-check.ts). A correct sampler passes at
 * p > 1e-3; each test's power is shown by wrong samplers -- beta off by 5%,
 * one coupling's sign flipped, quantisation ignored -- failing at p < 1e-6.
 * Expected laws come from enumeration and, for quantised chips, from an
 * independent quantiser (test/reference/quantise.ts). Fixed seeds: these are
 * deterministic checks.
 */
import { describe, expect, test } from "vitest";
import { boltzmann } from "../src/models/enumerate.js";
import { randomGraphModel } from "../src/models/generate.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { spinLawCheck } from "../src/metrics/law-check.js";
import type { IsingModel } from "../src/models/ising.js";
import type { PbitSpec } from "../src/chips/pbit/spec.js";
import { blockModel, chip, ising, sampleOn, subModel } from "./helpers.js";
import { independentQuantised } from "./reference/quantise.js";

const PASS = 1e-3;
const FAIL = 1e-6;
const RUN = { chains: 8, samples: 12_500, burnIn: 200, thin: 5 };

/** p-value of the draws of `cols` (chip p-bits) against `target`'s exact law. */
function pValue(samples: Int8Array, width: number, cols: number[], target: IsingModel, chains = RUN.chains): number {
  const per = samples.length / width / chains;
  const states = Array.from({ length: chains }, (_, c) => {
    const s = new Uint32Array(per);
    for (let r = 0; r < per; r++) {
      let x = 0;
      cols.forEach((col, k) => {
        if (samples[(c * per + r) * width + col] > 0) x |= 1 << k;
      });
      s[r] = x >>> 0;
    }
    return s;
  });
  return spinLawCheck(target, states, boltzmann(target))!.p_value;
}

const range = (n: number) => Array.from({ length: n }, (_, k) => k);
const sample = (spec: PbitSpec, model: IsingModel, seed: number) => sampleOn(spec, model, { ...RUN, seed }).run.samples;

describe("ideal chip against enumeration", () => {
  const cases = [
    { n: 4, density: 1, jStd: 0.8, hStd: 0.5, seed: 11 },
    { n: 8, density: 1, jStd: 0.4, hStd: 0.4, seed: 12 },
    { n: 12, density: 0.3, jStd: 0.6, hStd: 0.4, seed: 13 },
    { n: 16, density: 0.25, jStd: 0.6, hStd: 0.3, seed: 14 },
    { n: 16, density: 1, jStd: 0.25, hStd: 0.3, seed: 15 },
  ];
  for (const c of cases) {
    const model = randomGraphModel(c.n, c.density, { jStd: c.jStd, hStd: c.hStd, beta: 1, seed: c.seed });
    test(`n=${c.n} density=${c.density}: p > ${PASS}`, () => {
      expect(pValue(sample(chip("ideal"), model, c.seed), c.n, range(c.n), model)).toBeGreaterThan(PASS);
    });
    if (c.density === 1 && c.n >= 8) {
      test(`n=${c.n} density=1, power: beta off by 5% and one coupling's sign flipped both fail`, () => {
        const hot = { ...model, beta: model.beta * 1.05 };
        expect(pValue(sample(chip("ideal"), hot, c.seed), c.n, range(c.n), model)).toBeLessThan(FAIL);
        let k = 0;
        for (let e = 1; e < model.ew.length; e++) if (Math.abs(model.ew[e]) > Math.abs(model.ew[k])) k = e;
        const flipped = { ...model, ew: model.ew.map((w, e) => (e === k ? -w : w)) };
        expect(pValue(sample(chip("ideal"), flipped, c.seed), c.n, range(c.n), model)).toBeLessThan(FAIL);
      });
    }
  }
});

describe("fixed-point chips sample their quantised model, and the test sees quantisation", () => {
  // A 4x4 block of p-bits coupled on every chip edge inside it; the rest of the first rows are free.
  const block = (width: number) => [0, 1, 2, 3].flatMap((y) => [0, 1, 2, 3].map((x) => y * width + x));
  const cases = [
    { chip: "dtm-2025", width: 70, format: { bits: 8, fracBits: 4 }, seed: 21 },
    { chip: "z1", width: 234, format: { bits: 4, fracBits: 0, maxAbs: 6 }, seed: 22 },
  ];
  for (const c of cases) {
    const spec = chip(c.chip);
    const cols = block(c.width);
    const size = 3 * c.width + 4;
    const { model, sub } = blockModel(spec, size, cols, 0.5, 0.3, c.seed);
    // One strong bias sets the gain, so the couplings land between codes: quantisation matters. (A
    // strong coupling instead froze its pair: beta J = 6 flips it about once in 1e5 sweeps, so the
    // chains kept their starting orientation and the check passed or failed by luck of the start.)
    const strong = { ...model, h: model.h.map((v, i) => (i === cols[0] ? 6 : v)) };
    const strongSub = { ...sub, h: sub.h.map((v, i) => (i === 0 ? 6 : v)) };
    const quantised = independentQuantised(strongSub, c.format, 0.001, 1000);

    test(`${c.chip}: the chip samples its quantised model (p > ${PASS})`, () => {
      expect(sub.ei.length).toBeGreaterThanOrEqual(24); // the block really is coupled
      expect(pValue(sample(spec, strong, c.seed), size, cols, quantised)).toBeGreaterThan(PASS);
    });

    test(`${c.chip}, power: quantisation ignored, and beta off by 5%, both fail`, () => {
      // An exact sampler of the unquantised model, checked against what the chip should sample.
      const exact = sampleOn(chip("ideal"), strongSub, { ...RUN, seed: c.seed }).run.samples;
      expect(pValue(exact, 16, range(16), quantised)).toBeLessThan(FAIL);
      expect(pValue(sample(spec, { ...strong, beta: 1.05 }, c.seed), size, cols, quantised)).toBeLessThan(FAIL);
    });
  }

  test("the independent quantiser and the mapping agree on what the chip samples", () => {
    const spec = chip("dtm-2025");
    const cols = block(70);
    const { model, sub } = blockModel(spec, 214, cols, 0.5, 0.3, 21);
    const { mapping } = sampleOn(spec, model, { chains: 1, samples: 1 });
    const mine = independentQuantised(sub, { bits: 8, fracBits: 4 }, 0.001, 1000);
    const theirs = subModel(mapping.effective(), cols);
    theirs.ew.forEach((w, k) => expect(w).toBeCloseTo(mine.ew[k], 12));
  });

  test("the integer code path and the float LUT path give identical samples", () => {
    const spec = chip("dtm-2025");
    const cols = [0, 1, 2, 3, 70, 71, 72, 73];
    const { model } = blockModel(spec, 74, cols, 0.5, 0.3, 5);
    const { mapping, run } = sampleOn(spec, model, { chains: 2, samples: 2000, seed: 3 });
    expect(mapping.evaluator).toBe("code-lut");
    const float = runPbit(spec, { ...mapping, evaluator: "lut" }, { chains: 2, samples: 2000, burnIn: 100, thin: 1, seed: 3, schedule: "chromatic" });
    expect(Buffer.from(float.samples).equals(Buffer.from(run.samples))).toBe(true);
    expect(float.counts).toEqual(run.counts);
  });
});

describe("every preset against its stated target", () => {
  // Targets: ideal -> the model; dtm-2025, z1 and smtj (clocked) -> their quantised model;
  // pcomputer-fpga -> its quantised model with the LFSR bias measured and reported, not hidden.
  const model = ising(6, [[0, 1, 1], [1, 2, -1], [2, 3, 1.5], [3, 4, -0.5], [4, 5, 1], [0, 5, 0.5]], [0.5, -0.5, 0, 1, 0, -1]);

  test("ideal, smtj (clocked, 2.7 ns dwell << sweep) and pcomputer-fpga with an ideal source: p > 1e-3", () => {
    for (const [name, over] of [["ideal", {}], ["smtj", {}], ["pcomputer-fpga", { rng: { impl: "xoshiro128" } }]] as const) {
      const spec = chip(name, over);
      const { mapping, run } = sampleOn(spec, model, { ...RUN, seed: 5 });
      expect(pValue(run.samples, 6, range(6), mapping.effective()), name).toBeGreaterThan(PASS);
    }
  });

  test("pcomputer-fpga as built (LFSR shifting once per read): biased, and the law check measures it", () => {
    const spec = chip("pcomputer-fpga");
    const { mapping, run } = sampleOn(spec, model, { ...RUN, seed: 5 });
    expect(pValue(run.samples, 6, range(6), mapping.effective())).toBeLessThan(FAIL);
  });
});
