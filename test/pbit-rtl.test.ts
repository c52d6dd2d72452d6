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
import type { IsingModel } from "../src/models/ising.js";
import type { PbitMapping } from "../src/mapping/pbit.js";

/** Quantise as the p-bit's s[4].[1] registers hold it: codes of 0.5, ties away from zero, +-31. */
const code = (v: number) => Math.max(-31, Math.min(31, Math.sign(v) * Math.round(Math.abs(v) / 0.5)));

/** The RTL's view of a model on the chip: neighbour lists, weight and bias codes (beta folded in), colours. */
function rtlChip(model: IsingModel, m: PbitMapping): RtlChip {
  const n = model.n;
  const nbr: number[][] = Array.from({ length: n }, () => []);
  const jCode: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < model.ei.length; e++) {
    const [i, j, w] = [model.ei[e], model.ej[e], code(model.beta * model.ew[e])];
    nbr[i].push(j);
    jCode[i].push(w);
    nbr[j].push(i);
    jCode[j].push(w);
  }
  return { n, nbr, jCode, hCode: Array.from(model.h, (h) => code(model.beta * h)), colour: Array.from(m.colour), classes: m.classes };
}

/** The chip (with spec overrides) and the RTL model, started from the same spins and LFSR words. */
function start(model: IsingModel, over: Record<string, unknown> = {}) {
  const spec = chip("pcomputer-fpga", over);
  const m = mapIsing(model, "m.json", spec, "chromatic");
  const inst = loadPbitChip(spec, m, "chromatic", 7, undefined, 1);
  const k = inst.exports;
  k.seedChain(7n, 0);
  const n = model.n;
  const s = Array.from(inst.view(Int8Array, k.ptrState(), n), (v) => (v > 0 ? 1 : 0));
  const lfsr = Array.from(inst.view(Uint32Array, k.ptrLfsr(), n));
  /** One chip sweep; its spins as 0/1. */
  const sweep = () => {
    k.run(SCHEDULE_CODE.chromatic, 1, 1, 1);
    return Array.from(inst.view(Int8Array, k.outputBuffer(0), n), (v) => (v > 0 ? 1 : 0)).join("");
  };
  const chipLfsr = () => Array.from(inst.view(Uint32Array, k.ptrLfsr(), n));
  return { rtl: rtlChip(model, m), s, lfsr, sweep, chipLfsr };
}

describe("pcomputer-fpga follows the RTL bit for bit", () => {
  for (const [beta, seed] of [[1, 3], [2.5, 4]] as const) {
    test(`10 spins, beta ${beta}: 3,000 sweeps`, () => {
      // Degree <= 6 (the fabric's limit) with couplings of both signs and weights reaching saturation.
      const model = { ...randomGraphModel(10, 0.4, { jStd: 2, hStd: 1.5, beta, seed }), beta };
      const { rtl, s, lfsr, sweep, chipLfsr } = start(model);
      const lut = rtlLut();
      let flips = 0;
      for (let t = 0; t < 3000; t++) {
        const got = sweep();
        const before = s.join("");
        rtlSweep(rtl, s, lfsr, lut);
        if (s.join("") !== before) flips++;
        expect(got, `sweep ${t}`).toBe(s.join(""));
      }
      expect(chipLfsr()).toEqual(lfsr);
      expect(flips).toBeGreaterThan(100); // the comparison is not vacuous: the chain moves
    });
  }

  test("the check has power: the mirrored comparator or one LFSR shift more per read departs from the RTL", () => {
    const model = { ...randomGraphModel(10, 0.4, { jStd: 2, hStd: 1.5, beta: 1, seed: 3 }), beta: 1 };
    for (const over of [{ activation: { comparator: "mirrored" } }, { rng: { shifts_per_read: 2 } }]) {
      const { rtl, s, lfsr, sweep } = start(model, over);
      let differs = false;
      for (let t = 0; t < 3000 && !differs; t++) {
        const got = sweep();
        rtlSweep(rtl, s, lfsr, rtlLut());
        differs = got !== s.join("");
      }
      expect(differs, JSON.stringify(over)).toBe(true);
    }
  });
});
