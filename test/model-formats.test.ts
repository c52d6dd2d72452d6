/**
 * Model types and formats that become Ising models: QUBO, Boltzmann machines
 * over {0,1} or {-1,+1}, Max-Cut (JSON, G-set/rudy, Matrix Market) and
 * dimod's serialised BQM. Energies, offset included, are checked on every
 * state of random small instances against each format's own definition,
 * written out independently here; bad files are refused with one line.
 */
import { describe, expect, test } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadModel } from "../src/models/load.js";
import { isingEnergy, type IsingModel } from "../src/models/ising.js";
import { formEnergy, isingToForm, toBinary, toSpin } from "../src/models/quadratic.js";
import { Random } from "../src/util/random.js";
import { encodeNpz } from "../src/io/weights.js";

const dir = mkdtempSync(join(tmpdir(), "thermosim-formats-"));
const write = (name: string, content: string | object) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
};
const states = (n: number) => Array.from({ length: 2 ** n }, (_, x) => Array.from({ length: n }, (_, i) => ((x >> i) & 1 ? 1 : -1)));
const load = (p: string) => loadModel(p) as IsingModel;

function randomPairs(n: number, r: Random, p = 0.6): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (r.uniform() < p) out.push([i, j, Math.round((r.uniform() * 4 - 2) * 100) / 100]);
  return out;
}

describe("every state's energy, offset included, equals the format's own", () => {
  test.each([1, 2, 3])("QUBO (random instance %s): E(x) = sum Q_ij x_i x_j + c with x = (1 + s) / 2", (seed) => {
    const r = new Random(seed);
    const n = 7;
    const Q = [...randomPairs(n, r), ...Array.from({ length: n }, (_, i): [number, number, number] => [i, i, r.uniform() * 2 - 1])];
    const m = load(write(`q${seed}.json`, { kind: "qubo", n, Q, offset: 1.25 }));
    for (const s of states(n)) {
      const x = s.map((v) => (v + 1) / 2);
      const want = Q.reduce((a, [i, j, v]) => a + v * x[i] * x[j], 1.25);
      expect(isingEnergy(m, s)).toBeCloseTo(want, 10);
    }
  });

  test.each(["binary", "spin"] as const)("Boltzmann machine over %s units: E(v) = -(b.v + sum w v v) + c", (units) => {
    const r = new Random(units === "binary" ? 4 : 5);
    const n = 6;
    const W = randomPairs(n, r);
    const b = Array.from({ length: n }, () => r.uniform() - 0.5);
    const m = load(write(`bm-${units}.json`, { kind: "boltzmann", n, units, b, W, offset: -0.5, beta: 2 }));
    expect(m.beta).toBe(2);
    for (const s of states(n)) {
      const v = units === "binary" ? s.map((q) => (q + 1) / 2) : s;
      const want = -(b.reduce((a, bi, i) => a + bi * v[i], 0) + W.reduce((a, [i, j, w]) => a + w * v[i] * v[j], 0)) - 0.5;
      expect(isingEnergy(m, s)).toBeCloseTo(want, 10);
    }
  });

  test("Max-Cut: E(s) = -cut(s), the same from JSON, G-set (rudy) and Matrix Market files", () => {
    const r = new Random(6);
    const n = 8;
    const edges = randomPairs(n, r, 0.5).map(([i, j, w]): [number, number, number] => [i, j, Math.abs(w) + 0.5]);
    const json = load(write("mc.json", { kind: "maxcut", n, edges }));
    const rudy = load(write("G-small", `${n} ${edges.length}\n${edges.map(([i, j, w]) => `${i + 1} ${j + 1} ${w}`).join("\n")}\n`));
    const mtxSym = load(write("mc.mtx", `%%MatrixMarket matrix coordinate real symmetric\n% a comment\n${n} ${n} ${edges.length}\n${edges.map(([i, j, w]) => `${j + 1} ${i + 1} ${w}`).join("\n")}\n`));
    const mtxGen = load(write("mcg.mtx", `%%MatrixMarket matrix coordinate real general\n${n} ${n} ${2 * edges.length}\n${edges.flatMap(([i, j, w]) => [`${i + 1} ${j + 1} ${w}`, `${j + 1} ${i + 1} ${w}`]).join("\n")}\n`));
    for (const s of states(n)) {
      const cut = edges.reduce((a, [i, j, w]) => a + (s[i] !== s[j] ? w : 0), 0);
      for (const m of [json, rudy, mtxSym, mtxGen]) expect(isingEnergy(m, s)).toBeCloseTo(-cut, 10);
    }
  });

  test.each(["BINARY", "SPIN"])("dimod BQM (%s): E(v) = sum a v + sum b v v + offset over its variable order", (vt) => {
    const r = new Random(vt === "SPIN" ? 7 : 8);
    const n = 6;
    const quad = randomPairs(n, r);
    const lin = Array.from({ length: n }, () => r.uniform() * 2 - 1);
    const doc = {
      type: "BinaryQuadraticModel", version: { bqm_schema: "3.0.0" }, use_bytes: false, index_type: "int32", bias_type: "float64",
      num_variables: n, num_interactions: quad.length, variable_labels: ["a", "b", "c", 3, [1, 2], "f"], variable_type: vt, offset: 0.75, info: {},
      linear_biases: lin, quadratic_biases: quad.map((q) => q[2]), quadratic_head: quad.map((q) => q[1]), quadratic_tail: quad.map((q) => q[0]),
    };
    const m = load(write(`bqm-${vt}.json`, doc));
    for (const s of states(n)) {
      const v = vt === "BINARY" ? s.map((q) => (q + 1) / 2) : s;
      const want = lin.reduce((a, l, i) => a + l * v[i], 0.75) + quad.reduce((a, [i, j, w]) => a + w * v[i] * v[j], 0);
      expect(isingEnergy(m, s)).toBeCloseTo(want, 10);
    }
  });

  test("QUBO <-> Ising <-> Boltzmann: the conversions compose to the identity on every state", () => {
    const r = new Random(9);
    const n = 6;
    const m = load(write("q9.json", { kind: "qubo", n, Q: randomPairs(n, r), offset: 2 }));
    const spin = isingToForm(m);
    const binary = toBinary(spin);
    const back = toSpin(binary);
    for (const s of states(n)) {
      const x = s.map((q) => (q + 1) / 2);
      expect(formEnergy(binary, x)).toBeCloseTo(isingEnergy(m, s), 10);
      expect(formEnergy(back, s)).toBeCloseTo(isingEnergy(m, s), 10);
    }
  });
});

describe("bad model files: one clear error naming the file and the place", () => {
  const refused = (name: string, content: string | object, message: RegExp) => {
    const p = write(name, content);
    expect(() => loadModel(p)).toThrow(message);
  };
  test("G-set / rudy", () => {
    refused("r1", "3 2\n1 2 1\n", /r1: line 1: announces 2 edges but the file has 1/);
    refused("r2", "3 1\n1 4 1\n", /r2: line 2: vertex 4 is out of range 1\.\.3/);
    refused("r3", "3 1\n1 2 x\n", /r3: line 2: must be "i j w"/);
    refused("r4", "3 1\n2 2 1\n", /r4: line 2: is a self-loop/);
    refused("r5", "3 2\n1 2 1\n2 1 3\n", /r5: line 3: repeats the pair \(0, 1\)/);
  });
  test("Matrix Market", () => {
    refused("a.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 1\n1 2 1\n", /a\.mtx: line 3: \(1, 2\) = 1 but \(2, 1\) = absent: an adjacency matrix must be symmetric/);
    refused("b.mtx", "%%MatrixMarket matrix coordinate real symmetric\n3 3 1\n2 2 1\n", /b\.mtx: line 3: is a diagonal entry/);
    refused("c.mtx", "%%MatrixMarket matrix array real general\n2 2\n1\n0\n0\n1\n", /c\.mtx: line 1: must be a "%%MatrixMarket matrix coordinate/);
    refused("d.mtx", "%%MatrixMarket matrix coordinate complex symmetric\n2 2 1\n2 1 1 0\n", /d\.mtx: line 1: field complex is not read/);
    refused("e.mtx", "%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n2 1 1\n", /e\.mtx: size line: announces 2 entries but the file has 1/);
  });
  test("QUBO, Boltzmann and Max-Cut JSON; dimod BQMs", () => {
    refused("q.json", { kind: "qubo", n: 3, Q: [[0, 1, 1], [1, 0, 2]] }, /q\.json: Q\[1\]: repeats the pair \(0, 1\)/);
    refused("q2.json", { kind: "qubo", n: 3, Q: [[0, 5, 1]] }, /q2\.json: Q\[0\]: index 5 is out of range 0\.\.2/);
    refused("q3.json", { kind: "qubo", n: 3, Q: [[0, 1, 1]], offset: "x" }, /q3\.json: offset: must be a finite number/);
    refused("b.json", { kind: "boltzmann", n: 2, units: "ternary" }, /b\.json: units: must be "binary" \(0\/1\) or "spin"/);
    refused("b2.json", { kind: "boltzmann", n: 2, W: [[1, 1, 0.5]] }, /b2\.json: W\[0\]: is a self-coupling/);
    refused("m.json", { kind: "maxcut", n: 2, edges: [[0, 1, 1]], weights: 1 }, /m\.json: weights: is not a field of a Max-Cut model/);
    refused("k.json", { kind: "rbm" }, /k\.json: kind: "rbm" is not a model kind this version reads \(known: "ising", "gaussian", "hopfield", "boltzmann", "qubo", "maxcut"\)/);
    const bqm = { type: "BinaryQuadraticModel", version: { bqm_schema: "3.0.0" }, use_bytes: false, variable_labels: [0, 1], variable_type: "BINARY", offset: 0, linear_biases: [0, 0], quadratic_biases: [1], quadratic_head: [0], quadratic_tail: [1] };
    refused("d1.json", { ...bqm, use_bytes: true }, /d1\.json: use_bytes: is true; write the model with to_serializable\(use_bytes=False\)/);
    refused("d2.json", { ...bqm, variable_type: "DISCRETE" }, /d2\.json: variable_type: must be "BINARY" or "SPIN"/);
    refused("d3.json", { ...bqm, quadratic_tail: [5] }, /d3\.json: quadratic_biases\[0\]: index 5 is out of range 0\.\.1/);
    refused("d4.json", { ...bqm, version: { bqm_schema: "2.0.0" } }, /d4\.json: version\.bqm_schema: is "2\.0\.0"; this version reads dimod's schema 3\.x/);
  });
});

describe("sparse Ising weight files (i, j, w, h)", () => {
  const arrays = (over: Record<string, { shape: number[]; data: number[] }> = {}) => {
    const base: Record<string, { shape: number[]; data: number[] }> = {
      i: { shape: [3], data: [0, 1, 0] }, j: { shape: [3], data: [1, 2, 3] }, w: { shape: [3], data: [0.5, -0.25, 1.5] }, h: { shape: [4], data: [0.1, 0, -0.2, 0.3] }, ...over,
    };
    return new Map(Object.entries(base).map(([k, v]) => [k, { shape: v.shape, data: Float64Array.from(v.data) }]));
  };
  const write = (name: string, a: ReturnType<typeof arrays>) => {
    const file = join(dir, name);
    writeFileSync(file, encodeNpz(a, true));
    return file;
  };
  test("load with the JSON form's energies on every state", () => {
    const m = loadModel(write("sparse.npz", arrays())) as IsingModel;
    const json = join(dir, "sparse.json");
    writeFileSync(json, JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, -0.2, 0.3], J: [[0, 1, 0.5], [1, 2, -0.25], [0, 3, 1.5]] }));
    const ref = loadModel(json) as IsingModel;
    for (let x = 0; x < 16; x++) {
      const s = Array.from({ length: 4 }, (_, k) => ((x >> k) & 1 ? 1 : -1));
      expect(isingEnergy(m, s)).toBeCloseTo(isingEnergy(ref, s), 12);
    }
  });
  test.each([
    ["range.npz", { j: { shape: [3], data: [1, 2, 4] } }, /range\.npz: j\[2\]: is 4; must be a variable index in 0 \.\. 3/],
    ["self.npz", { j: { shape: [3], data: [1, 1, 3] } }, /self\.npz: j\[1\]: couples variable 1 to itself/],
    ["dup.npz", { i: { shape: [3], data: [0, 1, 1] }, j: { shape: [3], data: [1, 2, 0] } }, /dup\.npz: i\[2\], j\[2\]: duplicates the coupling \(0, 1\)/],
    ["extra.npz", { colour: { shape: [4], data: [0, 1, 0, 1] } }, /extra\.npz: colour: is not a sparse Ising array/],
    ["length.npz", { w: { shape: [2], data: [1, 2] } }, /length\.npz: w: i, j and w must have one length/],
  ])("refuses %s", (name, over, message) => {
    expect(() => loadModel(write(name, arrays(over)))).toThrow(message);
  });
});
