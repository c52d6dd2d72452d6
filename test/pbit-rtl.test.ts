/**
 * The pcomputer-fpga preset against a cycle model of the open RTL
 * (test/reference/rtl-pbit.ts): the same initial spins and LFSR words give
 * the same spins, sweep after sweep, bit for bit.
 */
import { describe, expect, test } from "vitest";
import { loadPbitChip } from "../src/chips/pbit/driver.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { SCHEDULE_CODE } from "../src/wasm/pbit-kernel.js";
import { randomGraphModel } from "../src/models/generate.js";
import { chip } from "./helpers.js";
import { rtlLut, rtlSweep, type RtlChip } from "./reference/rtl-pbit.js";

/** Quantise as the p-bit's s[4].[1] registers hold it: codes of 0.5, ties away from zero, +-31. */
const code = (v: number) => Math.max(-31, Math.min(31, Math.sign(v) * Math.round(Math.abs(v) / 0.5)));

describe("pcomputer-fpga follows the RTL bit for bit", () => {
  for (const [beta, seed] of [[1, 3], [2.5, 4]] as const) {
    test(`10 spins, beta ${beta}: 3,000 sweeps`, () => {
      // Degree <= 6 (the fabric's limit) with couplings of both signs and weights reaching saturation.
      const model = { ...randomGraphModel(10, 0.4, { jStd: 2, hStd: 1.5, beta, seed }), beta };
      const spec = chip("pcomputer-fpga");
      const m = mapIsing(model, "m.json", spec, "chromatic");
      const inst = loadPbitChip(spec, m, "chromatic", 7, undefined, 1);
      const k = inst.exports;
      k.seedChain(7n, 0);
      const n = model.n;
      const nbr: number[][] = Array.from({ length: n }, () => []);
      const jCode: number[][] = Array.from({ length: n }, () => []);
      for (let e = 0; e < model.ei.length; e++) {
        const [i, j, w] = [model.ei[e], model.ej[e], code(beta * model.ew[e])];
        nbr[i].push(j);
        jCode[i].push(w);
        nbr[j].push(i);
        jCode[j].push(w);
      }
      const rtl: RtlChip = { n, nbr, jCode, hCode: Array.from(model.h, (h) => code(beta * h)), colour: Array.from(m.colour), classes: m.classes };
      const s = Array.from(inst.view(Int8Array, k.ptrState(), n), (v) => (v > 0 ? 1 : 0));
      const lfsr = Array.from(inst.view(Uint32Array, k.ptrLfsr(), n));
      const lut = rtlLut();
      let flips = 0;
      for (let sweep = 0; sweep < 3000; sweep++) {
        k.run(SCHEDULE_CODE.chromatic, 1, 1, 1);
        const before = s.join("");
        rtlSweep(rtl, s, lfsr, lut);
        if (s.join("") !== before) flips++;
        const got = Array.from(inst.view(Int8Array, k.outputBuffer(0), n), (v) => (v > 0 ? 1 : 0));
        expect(got.join(""), `sweep ${sweep}`).toBe(s.join(""));
      }
      expect(Array.from(inst.view(Uint32Array, k.ptrLfsr(), n))).toEqual(lfsr);
      expect(flips).toBeGreaterThan(100); // the comparison is not vacuous: the chain moves
    });
  }

  test("the check has power: the mirrored comparator or one LFSR shift more per read departs from the RTL", () => {
    const model = { ...randomGraphModel(10, 0.4, { jStd: 2, hStd: 1.5, beta: 1, seed: 3 }), beta: 1 };
    for (const over of [{ activation: { comparator: "mirrored" } }, { rng: { shifts_per_read: 2 } }]) {
      const spec = chip("pcomputer-fpga", over);
      const m = mapIsing(model, "m.json", spec, "chromatic");
      const inst = loadPbitChip(spec, m, "chromatic", 7, undefined, 1);
      const k = inst.exports;
      k.seedChain(7n, 0);
      const n = model.n;
      const nbr: number[][] = Array.from({ length: n }, () => []);
      const jCode: number[][] = Array.from({ length: n }, () => []);
      for (let e = 0; e < model.ei.length; e++) {
        const w = code(model.ew[e]);
        nbr[model.ei[e]].push(model.ej[e]);
        jCode[model.ei[e]].push(w);
        nbr[model.ej[e]].push(model.ei[e]);
        jCode[model.ej[e]].push(w);
      }
      const rtl: RtlChip = { n, nbr, jCode, hCode: Array.from(model.h, code), colour: Array.from(m.colour), classes: m.classes };
      const s = Array.from(inst.view(Int8Array, k.ptrState(), n), (v) => (v > 0 ? 1 : 0));
      const lfsr = Array.from(inst.view(Uint32Array, k.ptrLfsr(), n));
      let differs = false;
      for (let sweep = 0; sweep < 3000 && !differs; sweep++) {
        k.run(SCHEDULE_CODE.chromatic, 1, 1, 1);
        rtlSweep(rtl, s, lfsr, rtlLut());
        differs = Array.from(inst.view(Int8Array, k.outputBuffer(0), n), (v) => (v > 0 ? 1 : 0)).join("") !== s.join("");
      }
      expect(differs, JSON.stringify(over)).toBe(true);
    }
  });
});
