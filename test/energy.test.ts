/** The ledger: counts x technology table, with hand-checkable cases. */
import { fixedTopology } from "../src/chips/topology/index.js";
import { describe, expect, test } from "vitest";
import { price, checkTable } from "../src/energy/ledger.js";
import { loadTechTable, readTechTable } from "../src/energy/table.js";
import { PBIT_ACTIONS } from "../src/chips/pbit/actions.js";
import { randomOnTopology } from "../src/models/generate.js";
import { csrFromEdges } from "../src/chips/graph.js";
import { InputError } from "../src/errors.js";
import { chip, ising, sampleOn } from "./helpers.js";

const empty = csrFromEdges(0, new Int32Array(0), new Int32Array(0));
const E_CELL = 2e-15; // arXiv 2510.23972, main text

function ledgerOf(spec: ReturnType<typeof chip>, r: ReturnType<typeof sampleOn>) {
  const table = loadTechTable(spec.energy, spec.file);
  const counts = { ...r.run.counts, pbit_seconds: r.mapping.chipSize * r.run.chipSeconds };
  return price(counts, PBIT_ACTIONS, table);
}

describe("hand-checkable energies", () => {
  test("one sweep of the full dtm-2025 chip costs 4,900 x E_cell", () => {
    const spec = chip("dtm-2025");
    const model = randomOnTopology(fixedTopology(spec.topology, spec.name), { jStd: 0.29, hStd: 0.1, beta: 1, seed: 3 });
    const r = sampleOn(spec, model, { chains: 1, samples: 0, burnIn: 1 });
    expect(r.run.updates).toBe(4900);
    expect(r.run.counts.clock_cycles).toBe(2); // two colour phases, one cycle each
    expect(r.run.chipSeconds).toBeCloseTo(2 / 10e6, 18);
    const e = ledgerOf(spec, r);
    expect(e.total).toBeCloseTo(4900 * E_CELL, 25);
    expect(e.by_action.random_bits).toBeCloseTo(4900 * 350e-18, 27);
  });

  test("z1: programming 153.6 pJ per p-bit, read-out 1.692 pJ per value, 7.09 fJ per update", () => {
    const spec = chip("z1");
    const model = ising(3, [[0, 1, 0.5], [1, 2, -0.5]], [0.1, 0, 0]);
    const r = sampleOn(spec, model, { chains: 2, samples: 10, burnIn: 5, thin: 3 });
    const updates = 2 * (5 + 10 * 3) * 3;
    expect(r.run.updates).toBe(updates);
    expect(r.run.counts.pbits_programmed).toBe(3);
    expect(r.run.counts.readout_values).toBe(2 * 10 * 3);
    const e = ledgerOf(spec, r);
    expect(e.total).toBeCloseTo(3 * 153.6e-12 + 60 * 1.692e-12 + updates * 7.09e-15, 24);
  });

  test("counts follow the hardware: fan-in MACs, idle p-bit cycles of gated p-bits", () => {
    const spec = chip("dtm-2025");
    const r = sampleOn(spec, ising(2, [[0, 1, 0.3]], [0, 0]), { chains: 1, samples: 0, burnIn: 10 });
    expect(r.run.counts.mac_ops).toBe(10 * 2 * 12); // every p-bit MACs its 12 inputs, used or not
    expect(r.run.counts.weight_reads).toBe(10 * 2 * 13);
    expect(r.run.counts.pbit_cycles_idle).toBe(10 * 2 * (4900 - 1)); // each phase: all but one p-bit idle
    expect(r.run.counts.random_bits).toBe(10 * 2 * 1);
  });
});

describe("technology tables are checked", () => {
  const rows = Object.fromEntries(PBIT_ACTIONS.map((a) => [a.name, a.charge === "energy" ? { energy: "1 fJ", source: "s" } : { power: "0 W", source: "s" }]));
  test("a complete table prices every action", () => {
    const t = readTechTable("t.yaml", { name: "t", actions: rows });
    expect(() => checkTable(t, PBIT_ACTIONS)).not.toThrow();
  });
  test("missing row, extra row, wrong kind, missing source, bad units: one clear error each", () => {
    const { mac_ops: _m, ...missing } = rows;
    expect(() => checkTable(readTechTable("t.yaml", { name: "t", actions: missing }), PBIT_ACTIONS)).toThrow(/actions.mac_ops: is missing/);
    expect(() => checkTable(readTechTable("t.yaml", { name: "t", actions: { ...rows, macs: { energy: "1 J", source: "s" } } }), PBIT_ACTIONS)).toThrow(/actions.macs: is not an action/);
    expect(() => checkTable(readTechTable("t.yaml", { name: "t", actions: { ...rows, pbit_seconds: { energy: "1 J", source: "s" } } }), PBIT_ACTIONS)).toThrow(/time integral/);
    expect(() => readTechTable("t.yaml", { name: "t", actions: { mac_ops: { energy: "1 fJ" } } })).toThrow(/mac_ops.source: is required/);
    expect(() => readTechTable("t.yaml", { name: "t", actions: { mac_ops: { energy: "1 fW", source: "s" } } })).toThrow(InputError);
    expect(() => readTechTable("t.yaml", { name: "t", actions: { mac_ops: { energy: "-1 fJ", source: "s" } } })).toThrow(/must be >= 0/);
  });
  test("every preset's table covers every action, with a source", () => {
    for (const name of ["ideal", "dtm-2025", "z1", "pcomputer-fpga", "smtj"]) {
      const spec = chip(name);
      const t = loadTechTable(spec.energy, spec.file);
      expect(() => checkTable(t, PBIT_ACTIONS)).not.toThrow();
      for (const row of t.rows.values()) expect(row.source.length).toBeGreaterThan(5);
    }
  });
});
