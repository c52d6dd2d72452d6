import { describe, expect, test } from "vitest";
import { decodeNpy, encodeNpy } from "../src/io/npy.js";
import { parseQuantity, formatSI } from "../src/units.js";
import { Reader } from "../src/spec/reader.js";
import { mergeSpec } from "../src/spec/merge.js";
import { isingFromJson } from "../src/models/ising.js";

describe("npy", () => {
  test("int8 and float64 round trip, header aligned to 64 bytes", () => {
    const a = encodeNpy({ dtype: "int8", shape: [3, 2], data: Int8Array.from([1, -1, 1, 1, -1, -1]) });
    expect((10 + new DataView(a.buffer).getUint16(8, true)) % 64).toBe(0);
    const b = decodeNpy(a, "a.npy");
    expect(b.shape).toEqual([3, 2]);
    expect([...b.data]).toEqual([1, -1, 1, 1, -1, -1]);
    const f = decodeNpy(encodeNpy({ dtype: "float64", shape: [2], data: Float64Array.from([0.5, -2e-300]) }), "f.npy");
    expect([...f.data]).toEqual([0.5, -2e-300]);
  });
  test("bad files are reported, not crashed on", () => {
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]), "x.npy")).toThrow(/x\.npy: is not a \.npy file/);
    const a = encodeNpy({ dtype: "int8", shape: [4, 4], data: new Int8Array(16) });
    expect(() => decodeNpy(a.subarray(0, a.length - 3), "t.npy")).toThrow(/truncated/);
  });
});

describe("units", () => {
  test("SI values from prefixed units", () => {
    expect(parseQuantity("2.7 ns", "time")).toBeCloseTo(2.7e-9, 20);
    expect(parseQuantity("350 aJ", "energy")).toBeCloseTo(3.5e-16, 28);
    expect(parseQuantity("10 MHz", "frequency")).toBe(1e7);
    expect(parseQuantity("1 kohm", "resistance")).toBe(1000);
    expect(parseQuantity("1e7 Hz", "frequency")).toBe(1e7);
  });
  test("wrong dimension or junk gives a message, not a value", () => {
    expect(parseQuantity("3 fW", "energy")).toMatch(/is not a energy/);
    expect(parseQuantity("fast", "time")).toMatch(/cannot parse/);
  });
  test("formatSI", () => {
    expect(formatSI(9.8e-12, "J")).toBe("9.8 pJ");
    expect(formatSI(1.5e7, "Hz")).toBe("15 MHz");
  });
});

describe("spec reader", () => {
  test("names file and dotted field in every error", () => {
    const r = Reader.of("chip.yaml", { clock: { frequency: "-1 MHz" } });
    expect(() => r.object("clock")!.quantity("frequency", "frequency", { above: 0 })).toThrow("chip.yaml: clock.frequency: must be > 0; got -1 MHz");
    const q = Reader.of("chip.yaml", { a: 1, typo: 2 });
    q.number("a");
    expect(() => q.done()).toThrow("chip.yaml: typo: is not a known field here (check the spelling)");
  });
  test("extends: objects merge, a different impl replaces", () => {
    const base = { rng: { impl: "lfsr32", shifts_per_read: "clock" }, clock: { frequency: "1 MHz", mac_lanes: 4 } };
    expect(mergeSpec(base, { rng: { impl: "xoshiro128" }, clock: { frequency: "2 MHz" } })).toEqual({
      rng: { impl: "xoshiro128" }, clock: { frequency: "2 MHz", mac_lanes: 4 },
    });
  });
});

describe("Ising model files", () => {
  test("couplings are stored i < j whatever the order given; beta defaults to 1", () => {
    const m = isingFromJson({ kind: "ising", n: 3, J: [[2, 0, 0.5]] }, "m.json");
    expect([m.ei[0], m.ej[0], m.ew[0], m.beta]).toEqual([0, 2, 0.5, 1]);
  });
  test("unknown fields and self-couplings are rejected", () => {
    expect(() => isingFromJson({ kind: "ising", n: 2, bta: 1 }, "m.json")).toThrow(/m\.json: bta: is not a field/);
    expect(() => isingFromJson({ kind: "ising", n: 2, J: [[1, 1, 1]] }, "m.json")).toThrow(/couples spin 1 to itself/);
    expect(() => isingFromJson({ kind: "ising", n: 2, beta: -1 }, "m.json")).toThrow(/beta: must be a finite number >= 0/);
  });
});
