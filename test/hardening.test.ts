/**
 * Adversarial input through the CLI (issue 6): every case ends with one clear
 * line, exit 2 and nothing written -- or a correct result. Never exit 0 with
 * a wrong answer, never exit 1 (a bug), never a hang (every run is given a
 * deadline and must finish well inside it).
 */
import { describe, expect, test, beforeAll } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { decodeNpy } from "../src/io/npy.js";
import { binomialInterval } from "../src/metrics/stats.js";

const bin = join(__dirname, "..", "bin", "thermosim.js");
let dir: string;

function thermosim(args: string[], opts: { input?: string; timeout?: number; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: opts.cwd ?? dir, input: opts.input, timeout: opts.timeout ?? 60_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}
const sha = (f: string) => createHash("sha256").update(readFileSync(join(dir, f))).digest("hex");
const file = (name: string, content: string) => writeFileSync(join(dir, name), content);
const partials = () => readdirSync(dir).filter((f) => f.includes(".partial") || f.includes(".old-"));

/** Refused: exit 2, one line matching `message`, nothing written. */
function refused(args: string[], message: RegExp, out = "refused", opts: { timeout?: number } = {}) {
  const r = thermosim([...args, "--out", out], opts);
  expect(r.signal, "finished before its deadline").toBeNull();
  expect(r.code, r.err).toBe(2);
  const lines = r.err.trim().split("\n");
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(existsSync(join(dir, out))).toBe(false);
  expect(partials()).toEqual([]);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-hard-"));
  file("m.json", JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, 0, -0.2], J: [[0, 1, 0.5], [1, 2, -0.3], [2, 3, 0.4]], beta: 1 }));
  file("g.json", JSON.stringify({ kind: "gaussian", A: [[2, -0.5], [-0.5, 1.5]], b: [0.5, -0.2], beta: 1 }));
});

describe("class 1: silent wrong answers are refused or made right", () => {
  test("counts beyond 2^53 are refused up front, naming the run", () => {
    refused(["sample", "m.json", "--chip", "ideal", "--burn-in", "1e15", "--chains", "100"], /sweeps of this chip count up to .* more than stats\.json can state exactly \(2\^53/);
  });

  test("scientific notation is read exactly; fractions and overflowing seeds are refused", () => {
    refused(["sample", "m.json", "--chip", "ideal", "--samples", "2.5"], /--samples: must be a whole number/);
    refused(["sample", "m.json", "--chip", "ideal", "--seed", String(2 ** 53)], /--seed: must be between 0 and 9007199254740991/);
    const r = thermosim(["sample", "m.json", "--chip", "ideal", "--samples", "1e1", "--chains", "1", "--burn-in", "2e1", "--out", "sci", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).updates).toBe((20 + 10) * 4);
  });

  const gaussian = (name: string, A: number[][], b: number[]) => file(name, JSON.stringify({ kind: "gaussian", A, b }));
  // A random orthogonal basis (fixed), and eigenvalues spanning the given range.
  const Q = [[0.5, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, -0.5], [0.5, -0.5, -0.5, 0.5]];
  const spd = (eig: number[]) => Q.map((_, i) => Q.map((_, j) => eig.reduce((a, e, k) => a + e * Q[k][i] * Q[k][j], 0)));
  const cases: [string, string, number[][], number[], string, RegExp][] = [
    ["an eigenvalue of 1e-17 (was all NaN)", "e17.json", spd([1e-17, 1, 2, 3]), [0.1, 0, 0, 0], "rc-langevin", /e17\.json: A: (has condition number .* more than 1e\+12|is not positive definite in float64)/],
    ["an eigenvalue of 1e-12 (was all zeros)", "e12.json", spd([1e-12, 1, 2, 3]), [0.1, 0, 0, 0], "spu-8", /e12\.json: A: has condition number/],
    ["diag(1, 1e-12) on rc-langevin (was exit 1)", "d12.json", [[1, 0], [0, 1e-12]], [0, 0], "rc-langevin", /d12\.json: A: as programmed into 8-bit conductances the matrix is no longer positive definite/],
    ["diag(1, 1e-12) on spu-8 (was a zero-variance variable)", "d12.json", [[1, 0], [0, 1e-12]], [0, 0], "spu-8", /d12\.json: A: x0 fluctuates by .* below half the 12-bit ADC's step .* needs ~24 bits/],
    ["b = [1e300, 0] (ran with no noise)", "b300.json", [[1, 0], [0, 1]], [1e300, 0], "rc-langevin", /b300\.json: b: x0 fluctuates by .* below half the 8-bit ADC's step/],
    ["an eigenvalue of 1e-6 needs finer conductances than 8 bits", "e6.json", spd([1e-6, 1, 2, 3]), [0.1, 0, 0, 0], "rc-langevin", /e6\.json: A: (as programmed|x\d fluctuates)/],
  ];
  for (const [name, model, A, b, chip, message] of cases) {
    test(`ill-conditioned Gaussian: ${name}`, () => {
      gaussian(model, A, b);
      refused(["sample", model, "--chip", chip], message);
    });
  }

  test("beta 0 with a 1e308 coupling samples P(+1) = 1/2 (was 0.25); two of them overflow and are refused", () => {
    file("b0.json", JSON.stringify({ kind: "ising", n: 3, J: [[0, 1, 1e308], [1, 2, 0.5]], beta: 0 }));
    const N = 20_000;
    const r = thermosim(["sample", "b0.json", "--chip", "ideal", "--samples", String(N), "--chains", "1", "--out", "b0"]);
    expect(r.code, r.err).toBe(0);
    const s = decodeNpy(readFileSync(join(dir, "b0/samples.npy")), "s").data;
    const [lo, hi] = binomialInterval(N, 0.5, 0.999);
    for (let i = 0; i < 3; i++) {
      let up = 0;
      for (let k = 0; k < N; k++) up += s[k * 3 + i] > 0 ? 1 : 0;
      expect(up).toBeGreaterThanOrEqual(lo);
      expect(up).toBeLessThanOrEqual(hi);
    }
    file("b1.json", JSON.stringify({ kind: "ising", n: 3, J: [[0, 1, 1e308], [1, 2, 1e308]], beta: 0 }));
    refused(["sample", "b1.json", "--chip", "ideal"], /b1\.json: J: the model's energies overflow float64/);
  });

  const yamlCases: [string, string, RegExp][] = [
    ["!!omap (dropped a 50 MHz clock)", "extends: dtm-2025\nclock: !!omap\n  - frequency: 50 MHz\n", /uses the tag !!omap at line \d/],
    ["!!set", "extends: dtm-2025\nclock: !!set {a, b}\n", /uses the tag !!set/],
    ["!!js/function", 'extends: dtm-2025\nname: !!js/function "function(){}"\n', /is not plain YAML data at line 2, column 7 \(Unresolved tag/],
    ["a custom tag", "extends: dtm-2025\nname: !mine x\n", /is not plain YAML data .*Unresolved tag/],
    ["!!binary", "extends: dtm-2025\nname: !!binary aGVsbG8=\n", /uses the tag !!binary/],
    ["__proto__ (slipped past the field check)", "extends: dtm-2025\nclock:\n  __proto__: {frequency: 50 MHz}\n", /clock\.__proto__: is not allowed as a key/],
    ["a repeated key", "extends: dtm-2025\nname: a\nname: b\n", /is not valid YAML at line 3.*Map keys must be unique/],
  ];
  yamlCases.forEach(([name, text, message], k) => {
    test(`spec YAML: ${name}`, () => {
      file(`y${k}.yaml`, text);
      refused(["sample", "m.json", "--chip", `y${k}.yaml`], message);
    });
  });

  const jsonCases: [string, string, string, RegExp][] = [
    ["a repeated key", '{"kind":"ising","n":2,"n":3}', "ideal", /n: appears twice in the same object/],
    ["a repeated key inside A", '{"kind":"gaussian","A":{"n":2,"n":2,"entries":[[0,0,1],[1,1,1]]},"b":[0,0]}', "rc-langevin", /A\.n: appears twice/],
    ["an escaped repeated key", '{"kind":"ising","\\u006e":2,"n":3}', "ideal", /n: appears twice/],
    ["__proto__", '{"kind":"ising","n":2,"__proto__":{"beta":5}}', "ideal", /__proto__: is not allowed as a key/],
    ["an unknown key in the sparse form of A", '{"kind":"gaussian","A":{"n":2,"entries":[[0,0,1],[1,1,1]],"bogus":1},"b":[0,0]}', "rc-langevin", /A\.bogus: is not a field of the sparse form of A/],
    ["more variables than any chip holds", '{"kind":"ising","n":1e15}', "ideal", /n: 1000000000000000 spins is more than any chip model here can hold/],
  ];
  jsonCases.forEach(([name, text, chip, message], k) => {
    test(`model JSON: ${name}`, () => {
      file(`j${k}.json`, text);
      refused(["sample", `j${k}.json`, "--chip", chip], message);
    });
  });

  test("seeds above 2^32 do not alias, on every randomness the seed drives", () => {
    const hi = String(2 ** 32 + 1);
    // Chains, device mismatch (p-bit and analog) and random models.
    file("mm.yaml", "extends: ideal\nmismatch: { gain_sigma: 0.1, offset_sigma: 0.1 }\n");
    file("amm.yaml", "extends: rc-langevin\nconductance: { mismatch: 0.05 }\n");
    for (const [model, chip] of [["m.json", "mm.yaml"], ["g.json", "amm.yaml"]]) {
      const a = thermosim(["sample", model, "--chip", chip, "--seed", "1", "--samples", "20", "--out", "s1", "--json"]);
      const b = thermosim(["sample", model, "--chip", chip, "--seed", hi, "--samples", "20", "--out", "s2", "--json"]);
      expect(a.code, a.err).toBe(0);
      expect(b.code, b.err).toBe(0);
      expect(sha("s1/samples.npy")).not.toBe(sha("s2/samples.npy"));
      expect(JSON.stringify(JSON.parse(a.out).mapping)).not.toBe(JSON.stringify(JSON.parse(b.out).mapping)); // the instance differs too
    }
    expect(thermosim(["random-model", "--n", "8", "--density", "0.5", "--seed", "1", "--out", "r1.json"]).code).toBe(0);
    expect(thermosim(["random-model", "--n", "8", "--density", "0.5", "--seed", hi, "--out", "r2.json"]).code).toBe(0);
    expect(sha("r1.json")).not.toBe(sha("r2.json"));
    const top = thermosim(["sample", "m.json", "--chip", "ideal", "--seed", String(2 ** 53 - 1), "--samples", "5", "--out", "s3", "--json"]);
    expect(top.code, top.err).toBe(0);
    expect(JSON.parse(top.out).seed).toBe(2 ** 53 - 1);
  });

  test("two runs publishing to the same --out never leave one's stats beside the other's samples", async () => {
    const run = (seed: number) =>
      new Promise<{ code: number | null; err: string }>((resolve) => {
        const p = spawn(process.execPath, [bin, "sample", "m.json", "--chip", "ideal", "--samples", "20000", "--seed", String(seed), "--out", "race", "--json"], { cwd: dir });
        let err = "";
        p.stderr.on("data", (d) => (err += d));
        p.on("exit", (code) => resolve({ code, err }));
      });
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([run(11), run(12)]);
      for (const r of [a, b]) {
        expect([0, 2], r.err).toContain(r.code);
        if (r.code === 2) expect(r.err).toMatch(/another run published results to .* at the same moment/);
      }
      // Whatever is there is one run's, whole: the samples are those of the seed stats.json names.
      const seed = JSON.parse(readFileSync(join(dir, "race/stats.json"), "utf8")).seed;
      expect(thermosim(["sample", "m.json", "--chip", "ideal", "--samples", "20000", "--seed", String(seed), "--out", `ref${seed}`]).code).toBe(0);
      expect(sha("race/samples.npy")).toBe(sha(`ref${seed}/samples.npy`));
      expect(partials()).toEqual([]);
    }
  });
});

describe("class 2: no hang, no crash, no exhaustion", () => {
  test("--out /proc/x fails at once (hung forever)", () => {
    const r = thermosim(["sample", "m.json", "--chip", "ideal", "--out", "/proc/x"], { timeout: 20_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  test("/dev/zero as a model or as an extends target is refused after a bounded read", () => {
    refused(["sample", "/dev/zero", "--chip", "ideal"], /\/dev\/zero: goes on past the 512 MiB thermosim reads from a model file/, "z1", { timeout: 30_000 });
    file("zero.yaml", "extends: /dev/zero\n");
    refused(["sample", "m.json", "--chip", "zero.yaml"], /\/dev\/zero: goes on past the 16 MiB thermosim reads from a spec file/);
  });

  test("outputs larger than the disk are refused up front", () => {
    refused(["sample", "m.json", "--chip", "ideal", "--samples", "1e10", "--chains", "1000", "--burn-in", "0"], /--out: samples\.npy and trace\.npy would take .* but only .* are free/);
  });

  test("a large output streams through bounded memory: 20,000 rows of 4,900 spins, all +-1", () => {
    expect(thermosim(["random-model", "--chip", "dtm-2025", "--seed", "4", "--out", "g12.json"]).code).toBe(0);
    const r = thermosim(["sample", "g12.json", "--chip", "dtm-2025", "--chains", "1", "--samples", "20000", "--burn-in", "0", "--out", "big", "--json"]);
    expect(r.code, r.err).toBe(0);
    const npy = decodeNpy(readFileSync(join(dir, "big/samples.npy")), "s");
    expect(npy.shape).toEqual([20000, 4900]);
    expect(npy.data.every((v) => v === 1 || v === -1)).toBe(true);
    expect(JSON.parse(r.out).kernel_memory_bytes).toBeLessThan(64 * 2 ** 20); // not the 98 MB of samples
  });

  test("random-model sizes that could not be read back are refused before generating", () => {
    const r = thermosim(["random-model", "--n", "100000", "--density", "1", "--out", "huge.json"], { timeout: 20_000 });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--n\/--density: 100000 spins with ~5\.00e\+9 couplings would be a ~\d+ GiB model file/);
    expect(existsSync(join(dir, "huge.json"))).toBe(false);
    expect(partials()).toEqual([]);
  });

  test("a sparse random graph costs what its couplings cost, not n^2", () => {
    const t0 = Date.now();
    const r = thermosim(["random-model", "--n", "2000000", "--density", "1e-6", "--out", "sparse.json"], { timeout: 60_000 });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/2000000 spins, 19\d\d\d\d\d couplings|2000000 spins, 20\d\d\d\d\d couplings/);
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  test("a 32-bit accumulator's 'auto' table (16 GB) is refused", () => {
    file("acc32.yaml", "extends: dtm-2025\nnumerics:\n  accumulator: { format: fixed, bits: 32, frac_bits: 4 }\n");
    refused(["sample", "m.json", "--chip", "acc32.yaml"], /activation\.entries: "auto" follows the accumulator code and gives 2147483648 entries/);
  });
});

describe("class 3: workers get the parsed job", () => {
  test("--workers 2 on a pipe gives the bytes of the file-based run", () => {
    // A real pipe: the workers could not read it again (they used to re-read the model file).
    const a = spawnSync("sh", ["-c", `cat m.json | "${process.execPath}" "${bin}" sample /dev/stdin --chip pcomputer-fpga --chains 5 --samples 40 --workers 2 --out p2`], { cwd: dir, encoding: "utf8" });
    expect(a.status, a.stderr).toBe(0);
    expect(thermosim(["sample", "m.json", "--chip", "pcomputer-fpga", "--chains", "5", "--samples", "40", "--out", "p1"]).code).toBe(0);
    expect(sha("p2/samples.npy")).toBe(sha("p1/samples.npy"));
  });

  test("--workers beyond what helps is capped, and the run says so", () => {
    const t0 = Date.now();
    const r = thermosim(["sample", "m.json", "--chip", "ideal", "--chains", "3", "--samples", "10", "--workers", "256", "--out", "w256", "--json"]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/note: --workers 256 capped at 2 \(3 chains, 2 CPU cores\)|note: --workers 256 capped at \d/);
    expect(JSON.parse(r.out).workers).toBeLessThanOrEqual(3);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});

describe("class 4: the writes-nothing promise", () => {
  test("--out '' and --out . are refused (wrote into the current folder)", () => {
    const before = readdirSync(dir).sort();
    for (const out of ["", "."]) {
      const r = thermosim(["sample", "m.json", "--chip", "ideal", "--out", out]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--out: /);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  test("a rejected run leaves no parent folders behind", () => {
    refused(["sample", "nope.json", "--chip", "ideal"], /nope\.json: no such file/, "new/deep/dir");
    expect(existsSync(join(dir, "new"))).toBe(false);
  });

  test("a folder thermosim did not write is never replaced; one it wrote is replaced whole", () => {
    mkdirSync(join(dir, "mine"));
    file("mine/notes.txt", "keep me");
    const r = thermosim(["sample", "m.json", "--chip", "ideal", "--out", "mine"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--out: mine holds files that thermosim did not write/);
    expect(readdirSync(join(dir, "mine"))).toEqual(["notes.txt"]);
    expect(thermosim(["sample", "m.json", "--chip", "ideal", "--samples", "5", "--out", "res"]).code).toBe(0);
    file("res/old.extra", "from an earlier version");
    expect(thermosim(["sample", "m.json", "--chip", "ideal", "--samples", "5", "--out", "res"]).code).toBe(0);
    expect(readdirSync(join(dir, "res")).sort()).toEqual([".thermosim", "chip.resolved.yaml", "samples.npy", "stats.json", "trace.npy"]);
  });

  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    test(`${signal} during a run removes its staging folder and the parents it created`, async () => {
      const out = `sig-${signal}/a/b`;
      const p = spawn(process.execPath, [bin, "sample", "m.json", "--chip", "ideal", "--samples", "5", "--burn-in", "1e9", "--chains", "1", "--out", out], { cwd: dir });
      const parent = join(dir, `sig-${signal}/a`);
      // Wait until the run has created its folders (the staging folder exists).
      for (let t = 0; t < 200 && !(existsSync(parent) && readdirSync(parent).some((f) => f.includes(".partial"))); t++) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(parent).some((f) => f.includes(".partial"))).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => p.on("exit", (code, sig) => resolve({ code, signal: sig })));
      p.kill(signal);
      const r = await exited;
      expect(r.signal === signal || r.code === 128 + (signal === "SIGINT" ? 2 : 15)).toBe(true);
      expect(existsSync(join(dir, `sig-${signal}`))).toBe(false);
    });
  }
});

describe("class 7: technology tables", () => {
  test("one ADC model on every analog preset: Walden FoM 0.35 fJ x 2^bits per conversion", () => {
    for (const [chip, bits] of [["rc-langevin", 8], ["spu-8", 12]] as const) {
      const r = thermosim(["sample", "g.json", "--chip", chip, "--samples", "50", "--chains", "1", "--out", `adc-${chip}`, "--json"]);
      expect(r.code, r.err).toBe(0);
      const s = JSON.parse(r.out);
      const perConversion = (s.energy_J.by_action.adc_conversions + s.energy_J.by_action.adc_conversion_steps) / s.actions.adc_conversions;
      expect(perConversion).toBeCloseTo(0.35e-15 * 2 ** bits, 25);
    }
  });

  test("z1 on a short run: sampling power apart from one-off programming (was 108 W)", () => {
    file("z3.json", JSON.stringify({ kind: "ising", n: 3, h: [0.1, 0, 0], J: [[0, 1, 0.5], [1, 2, -0.5]] }));
    const r = thermosim(["sample", "z3.json", "--chip", "z1", "--samples", "10", "--chains", "1", "--burn-in", "0", "--out", "z1", "--json"]);
    const e = JSON.parse(r.out).energy_J;
    expect(e.one_off).toBeCloseTo(3 * 153.6e-12, 24); // three p-bits programmed
    expect(e.sampling + e.one_off).toBeCloseTo(e.total, 24);
    // Sampling power: 3 p-bits x 7.09 fJ per update + read-out, at 50 MHz sweeps: microwatts, not watts.
    expect(e.average_power_W).toBeLessThan(1e-3);
  });
});
