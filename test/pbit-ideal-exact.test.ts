/**
 * The ideal chip draws bit for bit what an independent, plain reference
 * (test/reference/pbit-ideal.ts: Math.exp in every decision) draws on the same
 * random stream: the kernel's shortcuts (a cheap exponential deciding all but
 * close calls) change nothing but time. Power: the reference at beta 1% off
 * disagrees on many updates.
 */
import { describe, expect, it } from "vitest";
import { chip, sampleOn } from "./helpers.js";
import { randomGraphModel } from "../src/models/generate.js";
import { referenceIdealChain } from "./reference/pbit-ideal.js";

describe("ideal chip, bit for bit", () => {
  for (const [n, density, jStd, seed] of [[12, 0.5, 0.6, 3], [30, 0.2, 1.2, 4], [9, 1, 0.3, 5]] as const) {
    it(`random model n = ${n}, density ${density}, J sd ${jStd}: every sample equals the reference's`, () => {
      const model = randomGraphModel(n, density, { jStd, hStd: 0.3, beta: 1, seed });
      const [chains, burnIn, samples, thin] = [4, 20, 400, 2];
      const { mapping, run } = sampleOn(chip("ideal"), model, { chains, burnIn, samples, thin, seed: 11 });
      let diff = 0;
      let diffOff = 0;
      const off = { ...mapping, gain: mapping.gain * 1.01 };
      for (let c = 0; c < chains; c++) {
        const ref = referenceIdealChain(mapping, 11, c, burnIn, samples, thin);
        const wrong = referenceIdealChain(off, 11, c, burnIn, samples, thin);
        for (let t = 0; t < samples; t++) {
          for (let i = 0; i < n; i++) {
            const v = run.samples[(c * samples + t) * n + i];
            if (v !== ref[t][i]) diff++;
            if (v !== wrong[t][i]) diffOff++;
          }
        }
      }
      expect(diff).toBe(0);
      expect(diffOff).toBeGreaterThan(10);
    });
  }
});
