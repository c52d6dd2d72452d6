import { describe, expect, test } from "vitest";
import { csrFromEdges } from "../src/chips/graph.js";
import { checkColouring, dsatur } from "../src/chips/colouring.js";
import { randomGraphModel } from "../src/models/generate.js";
import { InputError } from "../src/errors.js";
import { chip, ising } from "./helpers.js";
import { mapIsing } from "../src/mapping/pbit.js";

const empty = csrFromEdges(0, new Int32Array(0), new Int32Array(0));

describe("grid topologies", () => {
  test("DTM G8..G20 tori: degree 8..20, every edge symmetric, checkerboard proper", () => {
    for (const [name, deg] of [["G8", 8], ["G12", 12], ["G16", 16], ["G20", 20]] as const) {
      const t = chip("dtm-2025", { topology: { offsets: name } }).topology.build(() => empty, "t");
      expect(t.size).toBe(4900);
      expect(t.maxDegree).toBe(deg);
      for (let p = 0; p < t.size; p += 97) {
        const nb = t.neighbours(p);
        expect(nb.length).toBe(deg);
        for (const q of nb) {
          expect(t.hasEdge(q, p)).toBe(true);
          expect(t.naturalColouring!.colour(p)).not.toBe(t.naturalColouring!.colour(q));
        }
      }
    }
  });

  test("G12 neighbours of the origin are the offsets (0,1), (4,1), (9,10) and rotations", () => {
    const t = chip("dtm-2025").topology.build(() => empty, "t");
    const at = (x: number, y: number) => ((y + 70) % 70) * 70 + ((x + 70) % 70);
    const expected = [[0, 1], [-1, 0], [0, -1], [1, 0], [4, 1], [-1, 4], [-4, -1], [1, -4], [9, 10], [-10, 9], [-9, -10], [10, -9]];
    expect(t.neighbours(0).sort((a, b) => a - b)).toEqual(expected.map(([x, y]) => at(x, y)).sort((a, b) => a - b));
  });

  test("Z1: degree 16 inside a core, fewer at the edges, cores not coupled", () => {
    const t = chip("z1").topology.build(() => empty, "t");
    expect(t.size).toBe(269_568);
    expect(t.maxDegree).toBe(16);
    expect(t.degree(70 * 234 + 100)).toBe(16);
    expect(t.degree(0)).toBeLessThan(16);
    expect(t.hasEdge(233, 234)).toBe(false); // end of row 0 is not next to the start of row 1
    expect(t.hasEdge(33_695, 33_696)).toBe(false); // last p-bit of core 0, first of core 1
  });

  test("square and king's graphs", () => {
    const sq = chip("dtm-2025", { topology: { width: 6, height: 6, offsets: "square" } }).topology.build(() => empty, "t");
    expect(sq.maxDegree).toBe(4);
    const king = chip("dtm-2025", { topology: { width: 6, height: 6, offsets: "king" } }).topology.build(() => empty, "t");
    expect(king.maxDegree).toBe(8);
    expect(king.naturalColouring).toBeUndefined(); // diagonals: not 2-colourable
  });
});

describe("colouring", () => {
  test("DSATUR gives proper colourings; complete graphs need n colours, bipartite 2", () => {
    for (const seed of [1, 2, 3]) {
      const m = randomGraphModel(200, 0.05, { jStd: 1, hStd: 0, beta: 1, seed });
      const g = csrFromEdges(m.n, m.ei, m.ej);
      const { colour } = dsatur(g);
      expect(() => checkColouring(g, colour, "x", "y")).not.toThrow();
    }
    const k7 = randomGraphModel(7, 1, { jStd: 1, hStd: 0, beta: 1, seed: 1 });
    expect(dsatur(csrFromEdges(7, k7.ei, k7.ej)).classes).toBe(7);
    const ring = ising(10, Array.from({ length: 10 }, (_, i) => [i, (i + 1) % 10, 1] as [number, number, number]), new Array(10).fill(0));
    expect(dsatur(csrFromEdges(10, ring.ei, ring.ej)).classes).toBe(2);
  });

  test("a colour class with an internal edge is rejected, naming the edge", () => {
    const g = csrFromEdges(3, Int32Array.from([0, 1]), Int32Array.from([1, 2]));
    expect(() => checkColouring(g, Int32Array.from([0, 1, 1]), "chip.yaml", "colouring")).toThrow(/contains the coupling \(1, 2\)/);
  });

  test("natural colouring on an odd torus is refused", () => {
    const spec = chip("dtm-2025", { topology: { width: 5, height: 5 } });
    expect(() => mapIsing(ising(2, [[0, 1, 1]], [0, 0]), "m.json", spec, "chromatic")).toThrow(InputError);
  });
});
