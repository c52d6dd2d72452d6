/**
 * The `thermosim` command end to end (runs the compiled CLI, as users do):
 * outputs, determinism, and one clear error line per bad input.
 */
import { describe, expect, test, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { decodeNpy } from "../src/io/npy.js";

const bin = join(__dirname, "..", "bin", "thermosim.js");
let dir: string;

function thermosim(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-cli-"));
  writeFileSync(join(dir, "m.json"), JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, 0, -0.2], J: [[0, 1, 0.5], [1, 2, -0.3], [2, 3, 0.4]], beta: 1.0 }));
  writeFileSync(join(dir, "g.json"), JSON.stringify({ kind: "gaussian", A: [[2, -0.5, 0], [-0.5, 1.5, 0.3], [0, 0.3, 1]], b: [0.5, -0.2, 0.1], beta: 1 }));
  expect(thermosim("random-model", "--chip", "dtm-2025", "--seed", "4", "--out", "g12.json").code).toBe(0);
});

describe("thermosim sample", () => {
  test("writes samples.npy, stats.json and the resolved chip spec", () => {
    const r = thermosim("sample", "m.json", "--chip", "ideal", "--out", "o1", "--chains", "3", "--samples", "50", "--burn-in", "7", "--thin", "2");
    expect(r.code, r.err).toBe(0);
    const npy = decodeNpy(readFileSync(join(dir, "o1/samples.npy")), "samples.npy");
    expect(npy.dtype).toBe("int8");
    expect(npy.shape).toEqual([150, 4]);
    expect([...npy.data].every((v) => v === 1 || v === -1)).toBe(true);
    const s = JSON.parse(readFileSync(join(dir, "o1/stats.json"), "utf8"));
    expect(s.updates).toBe(3 * (7 + 50 * 2) * 4); // K x (B + N x T) x n
    for (const k of ["wall_seconds", "chip_seconds", "updates", "actions", "chip", "seed"]) expect(s).toHaveProperty(k);
    expect(s.energy_J).toHaveProperty("total");
    expect(s.energy_J).toHaveProperty("by_action");
    expect(s.units.wall_seconds.unit).toBe("s");
    expect(readFileSync(join(dir, "o1/chip.resolved.yaml"), "utf8")).toContain("name: ideal");
  });

  test("the resolved chip spec is itself a valid spec that gives the same samples", () => {
    const a = thermosim("sample", "g12.json", "--chip", "dtm-2025", "--out", "r1", "--chains", "1", "--samples", "20", "--seed", "9");
    expect(a.code, a.err).toBe(0);
    const b = thermosim("sample", "g12.json", "--chip", "r1/chip.resolved.yaml", "--out", "r2", "--chains", "1", "--samples", "20", "--seed", "9");
    expect(b.code, b.err).toBe(0);
    expect(sha(join(dir, "r2/samples.npy"))).toBe(sha(join(dir, "r1/samples.npy")));
  });

  test("same seed, same bytes; another seed, other bytes", () => {
    const args = ["g12.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "30", "--seed", "5"];
    expect(thermosim("sample", ...args, "--out", "d1").code).toBe(0);
    expect(thermosim("sample", ...args, "--out", "d2").code).toBe(0);
    expect(thermosim("sample", ...args.slice(0, -1), "6", "--out", "d3").code).toBe(0);
    expect(sha(join(dir, "d1/samples.npy"))).toBe(sha(join(dir, "d2/samples.npy")));
    expect(sha(join(dir, "d1/samples.npy"))).not.toBe(sha(join(dir, "d3/samples.npy")));
  });

  test("the number of workers does not change samples or counts", () => {
    for (const chip of ["dtm-2025", "pcomputer-fpga"]) {
      const model = chip === "dtm-2025" ? "g12.json" : "m.json";
      const args = [model, "--chip", chip, "--chains", "5", "--samples", "40", "--seed", "2", "--json"];
      const one = thermosim("sample", ...args, "--out", `w1-${chip}`);
      const two = thermosim("sample", ...args, "--out", `w2-${chip}`, "--workers", "2");
      expect(one.code, one.err).toBe(0);
      expect(two.code, two.err).toBe(0);
      expect(sha(join(dir, `w2-${chip}/samples.npy`))).toBe(sha(join(dir, `w1-${chip}/samples.npy`)));
      const [s1, s2] = [JSON.parse(one.out), JSON.parse(two.out)];
      expect(s2.actions).toEqual(s1.actions);
      expect(s2.chip_seconds).toBeCloseTo(s1.chip_seconds, 15);
      expect(s2.energy_J.total).toBeCloseTo(s1.energy_J.total, 20);
    }
  });

  test("Gaussian models on the analog chips: float64 samples, analog stats, same bytes for any number of workers", () => {
    for (const chip of ["rc-langevin", "spu-8"]) {
      const args = ["g.json", "--chip", chip, "--chains", "3", "--samples", "200", "--seed", "3", "--json"];
      const one = thermosim("sample", ...args, "--out", `a1-${chip}`);
      const two = thermosim("sample", ...args, "--out", `a2-${chip}`, "--workers", "2");
      expect(one.code, one.err).toBe(0);
      expect(two.code, two.err).toBe(0);
      const npy = decodeNpy(readFileSync(join(dir, `a1-${chip}/samples.npy`)), "samples.npy");
      expect(npy.dtype).toBe("float64");
      expect(npy.shape).toEqual([600, 3]);
      expect(sha(join(dir, `a2-${chip}/samples.npy`))).toBe(sha(join(dir, `a1-${chip}/samples.npy`)));
      const [s1, s2] = [JSON.parse(one.out), JSON.parse(two.out)];
      expect(s1.updates).toBe(3 * (100 + 200) * 3);
      expect(s2.actions).toEqual(s1.actions);
      expect(s1.energy_J.by_action).toHaveProperty("adc_conversions");
      expect(s1.mapping.encoding).toBe(chip === "spu-8" ? "capacitance" : "conductance");
      expect(readFileSync(join(dir, `a1-${chip}/chip.resolved.yaml`), "utf8")).toContain("kind: langevin");
    }
  });

  test("a mapping warning goes to stderr and stats, and the run still completes", () => {
    writeFileSync(join(dir, "warn.yaml"), "extends: rc-langevin\nnoise: { mode: thermal }\n");
    const r = thermosim("sample", "g.json", "--chip", "warn.yaml", "--out", "warned", "--samples", "50");
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/thermosim: warning: noise\.mode thermal with the conductance encoding/);
    const s = JSON.parse(readFileSync(join(dir, "warned/stats.json"), "utf8"));
    expect(s.mapping.warnings.length).toBeGreaterThan(0);
  });

  test("every schedule and every preset runs", () => {
    for (const [chip, schedule] of [["ideal", "synchronous"], ["ideal", "async"], ["smtj", "async"], ["pcomputer-fpga", "chromatic"], ["z1", "chromatic"]]) {
      const r = thermosim("sample", "m.json", "--chip", chip, "--schedule", schedule, "--out", `s-${chip}-${schedule}`, "--samples", "20");
      expect(r.code, `${chip} ${schedule}: ${r.err}`).toBe(0);
    }
  });
});

describe("bad input: one line, non-zero exit, no output", () => {
  const bad = (name: string, content: string) => writeFileSync(join(dir, name), content);
  const cases: [string, () => string[], RegExp][] = [
    ["malformed JSON", () => (bad("b1.json", '{"kind": "ising", "n": 2,'), ["b1.json", "--chip", "ideal"]), /b1\.json: is not valid JSON/],
    ["NaN weight", () => (bad("b2.json", '{"kind":"ising","n":2,"J":[[0,1,"NaN"]]}'), ["b2.json", "--chip", "ideal"]), /b2\.json: J\[0\]: weight must be a finite number/],
    ["infinite field", () => (bad("b3.json", '{"kind":"ising","n":2,"h":[1e999,0]}'), ["b3.json", "--chip", "ideal"]), /b3\.json: h\[0\]: must be a finite number, got Infinity/],
    ["index out of range", () => (bad("b4.json", '{"kind":"ising","n":2,"J":[[0,2,1]]}'), ["b4.json", "--chip", "ideal"]), /b4\.json: J\[0\]: index 2 is out of range 0\.\.1/],
    ["duplicate edge", () => (bad("b5.json", '{"kind":"ising","n":3,"J":[[0,1,1],[1,2,1],[1,0,2]]}'), ["b5.json", "--chip", "ideal"]), /b5\.json: J\[2\]: duplicates the coupling \(0, 1\) already given at J\[0\]/],
    ["wrong h length", () => (bad("b6.json", '{"kind":"ising","n":3,"h":[0,1]}'), ["b6.json", "--chip", "ideal"]), /b6\.json: h: has 2 entries but n = 3/],
    ["unknown preset", () => ["m.json", "--chip", "dtm-2099"], /--chip: unknown chip preset "dtm-2099"/],
    ["malformed YAML", () => (bad("c1.yaml", "kind: pbit\nname: [oops\n"), ["m.json", "--chip", "c1.yaml"]), /c1\.yaml: is not valid YAML at line/],
    ["negative frequency", () => (bad("c2.yaml", 'extends: dtm-2025\nclock: { frequency: "-5 MHz" }\n'), ["m.json", "--chip", "c2.yaml"]), /c2\.yaml: clock\.frequency: must be > 0; got -5 MHz/],
    ["frequency without units", () => (bad("c3.yaml", "extends: dtm-2025\nclock: { frequency: 10 }\n"), ["m.json", "--chip", "c3.yaml"]), /clock\.frequency: needs units/],
    ["misspelt field", () => (bad("c4.yaml", "extends: ideal\nrng: { impl: xoshiro128, bitz_per_draw: 3 }\n"), ["m.json", "--chip", "c4.yaml"]), /c4\.yaml: rng\.bitz_per_draw: is not a known field/],
    ["model cannot be placed on the chip", () => (bad("b7.json", '{"kind":"ising","n":3,"J":[[0,1,0.5],[0,2,0.5],[1,2,0.5]]}'), bad("c5.yaml", "extends: dtm-2025\ntopology: { impl: offset-grid, width: 1, height: 3, wrap: false, offsets: square }\n"), ["b7.json", "--chip", "c5.yaml"]), /b7\.json: cannot be placed on chip .*coupling \(0, 2\) is not a chip edge.*no minor-embedding was found/],
    ["fan-in over the fabric's limit", () => (bad("b8.json", JSON.stringify({ kind: "ising", n: 8, J: [1, 2, 3, 4, 5, 6, 7].map((j) => [0, j, 0.1]) })), ["b8.json", "--chip", "pcomputer-fpga"]), /b8\.json: J: spin 0 has 7 couplings but a p-bit on this chip takes at most 6/],
    ["colour class with an internal edge", () => (bad("c5.yaml", "extends: dtm-2025\ntopology: { width: 5, height: 5 }\n"), ["m.json", "--chip", "c5.yaml"]), /c5\.yaml: colouring: "natural" needs a topology with a built-in proper colouring/],
    ["async on a chip without async timing", () => ["m.json", "--chip", "z1", "--schedule", "async"], /z1\.yaml: async: chip z1 has no async timing/],
    ["bad flag value", () => ["m.json", "--chip", "ideal", "--chains", "0"], /--chains: must be between 1 and/],
    ["unknown schedule", () => ["m.json", "--chip", "ideal", "--schedule", "gibbs"], /--schedule: must be one of chromatic, synchronous, async/],
    ["missing model file", () => ["nope.json", "--chip", "ideal"], /nope\.json: no such file/],
    ["non-symmetric A", () => (bad("g1.json", '{"kind":"gaussian","A":[[2,1],[0.5,2]],"b":[0,0]}'), ["g1.json", "--chip", "rc-langevin"]), /g1\.json: A\[0\]\[1\]: is 1 but A\[1\]\[0\] is 0\.5: A must be symmetric/],
    ["A not positive definite", () => (bad("g2.json", '{"kind":"gaussian","A":[[1,2],[2,1]],"b":[0,0]}'), ["g2.json", "--chip", "rc-langevin"]), /g2\.json: A: is not positive definite/],
    ["NaN in A", () => (bad("g3.json", '{"kind":"gaussian","A":[[1,"NaN"],["NaN",1]],"b":[0,0]}'), ["g3.json", "--chip", "rc-langevin"]), /g3\.json: A\[0\]\[1\]: must be a finite number/],
    ["b of the wrong length", () => (bad("g4.json", '{"kind":"gaussian","A":[[1,0],[0,1]],"b":[0]}'), ["g4.json", "--chip", "rc-langevin"]), /g4\.json: b: has 1 entries but A is 2 x 2/],
    ["negative capacitance", () => (bad("c6.yaml", 'extends: rc-langevin\ncapacitor: { value: "-1 pF" }\n'), ["g.json", "--chip", "c6.yaml"]), /c6\.yaml: capacitor\.value: must be > 0; got -1 pF/],
    ["negative resistance (conductance)", () => (bad("c7.yaml", 'extends: spu-8\nconductance: { ground: "-1 mS" }\n'), ["g.json", "--chip", "c7.yaml"]), /c7\.yaml: conductance\.ground: must be > 0/],
    ["unstable time step", () => (bad("c8.yaml", 'extends: rc-langevin\nintegrator: { impl: euler-maruyama, step: "100 ns" }\n'), ["g.json", "--chip", "c8.yaml"]), /c8\.yaml: integrator\.step: h \* lambda_max = .* >= 2: euler-maruyama is unstable/],
    ["Ising model on an analog chip", () => ["m.json", "--chip", "rc-langevin"], /m\.json: kind: chip rc-langevin is an analog Langevin chip and samples Gaussian and Hopfield models/],
    ["Gaussian model on a p-bit chip", () => ["g.json", "--chip", "dtm-2025"], /g\.json: kind: chip dtm-2025 is a p-bit chip and samples Ising models/],
  ];
  let k = 0;
  for (const [name, setup, message] of cases) {
    test(name, () => {
      const out = `bad-${k++}`;
      const r = thermosim("sample", ...setup(), "--out", out);
      expect(r.code).not.toBe(0);
      expect(r.code).not.toBe(1); // 1 is reserved for internal errors (bugs)
      const lines = r.err.trim().split("\n");
      expect(lines, r.err).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(existsSync(join(dir, out))).toBe(false);
      expect(readdirSync(dir).filter((f) => f.includes(".partial"))).toEqual([]);
    });
  }
});
