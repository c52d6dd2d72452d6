/**
 * Chain strength and the embedding search (issue 25): D-Wave's uniform torque compensation as the
 * default (computed by hand here), `auto` choosing by pilot chains and saying
 * what it tried, numbers still accepted, bad values refused in one line.
 * Power: on a dense 9-spin model embedded on dtm-2025 the old worst-case
 * default freezes the chains (TV ~1 from the exact law, computed here by
 * enumeration) and the UTC / auto choice does not.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";
import { utcChainStrength, worstCaseChainStrength } from "../src/mapping/place.js";
import { Random } from "../src/util/random.js";
import { ising } from "./helpers.js";
import { LADDER } from "../src/systems/chain-strength.js";

let dir: string;
const { run, refused } = cliIn(() => dir);
const N = 9;
let J: [number, number, number][];
let h: number[];

/** TV of a sample file's rows from the exact law (enumerated here). */
function tvOf(out: string): number {
  const buf = readFileSync(join(dir, out, "samples.npy"));
  const headerLen = buf.readUInt16LE(8);
  const data = new Int8Array(buf.buffer, buf.byteOffset + 10 + headerLen);
  const rows = data.length / N;
  const p = new Float64Array(1 << N);
  let z = 0;
  for (let x = 0; x < 1 << N; x++) {
    const s = (i: number) => ((x >> i) & 1 ? 1 : -1);
    let e = 0;
    for (let i = 0; i < N; i++) e -= h[i] * s(i);
    for (const [i, j, w] of J) e -= w * s(i) * s(j);
    p[x] = Math.exp(-e);
    z += p[x];
  }
  const q = new Float64Array(1 << N);
  for (let r = 0; r < rows; r++) {
    let x = 0;
    for (let i = 0; i < N; i++) if (data[r * N + i] > 0) x |= 1 << i;
    q[x] += 1 / rows;
  }
  let tv = 0;
  for (let x = 0; x < 1 << N; x++) tv += Math.abs(q[x] - p[x] / z) / 2;
  return tv;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-cs-"));
  const rng = new Random(9901);
  J = [];
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) J.push([i, j, 0.5 * rng.normal()]);
  h = Array.from({ length: N }, () => 0.3 * rng.normal());
  writeFileSync(join(dir, "d9.json"), JSON.stringify({ kind: "ising", n: N, h, J, beta: 1 }));
});

describe("uniform torque compensation", () => {
  test("1.414 x rms coupling x sqrt(mean degree), by hand; 1 without couplings", () => {
    const m = ising(4, [[0, 1, 0.5], [1, 2, -1], [2, 3, 0.5]], [0, 0, 0, 0]);
    const rms = Math.sqrt((0.25 + 1 + 0.25) / 3);
    expect(utcChainStrength(m).value).toBeCloseTo(1.414 * rms * Math.sqrt(6 / 4), 12);
    expect(utcChainStrength(ising(2, [], [0.3, 0])).value).toBe(1);
    // The worst-case bound it replaces as the default: 1.5 x the largest |h| + sum |J| (spin 1: 1.5).
    expect(worstCaseChainStrength(m)).toBeCloseTo(1.5 * 1.5, 12);
  });

  test("is the default, and stats.json says so with its figures and the worst-case bound beside it", () => {
    const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--chains", "2", "--samples", "200", "--out", "def"]);
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, "def", "stats.json"), "utf8")).mapping.embedding;
    const rms = Math.sqrt(J.reduce((a, [, , w]) => a + w * w, 0) / J.length);
    expect(e.chain_strength).toBeCloseTo(1.414 * rms * Math.sqrt(8), 12);
    expect(e.chain_strength_source).toMatch(/^utc \(the default\): uniform torque compensation/);
    expect(e.chain_strength_worst_case).toBeGreaterThan(2 * e.chain_strength);
  });
});

describe("--chain-strength auto", () => {
  let auto: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(() => {
    const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "1000", "--burn-in", "1000", "--thin", "10", "--chain-strength", "auto", "--out", "auto", "--workers", "2"]);
    expect(r.code, r.err).toBe(0);
    auto = JSON.parse(readFileSync(join(dir, "auto", "stats.json"), "utf8")).mapping;
  }, 120_000);

  test("reports the ladder it tried (multiples of UTC), what it measured, and why it chose", () => {
    const a = auto.chain_strength_auto;
    expect(a.ladder.map((x: { chain_strength: number }) => x.chain_strength / a.utc)).toEqual(LADDER.map((f) => expect.closeTo(f, 9)));
    const best = Math.min(...a.ladder.map((x: { score: number }) => x.score));
    const chosen = a.ladder.find((x: { chain_strength: number }) => x.chain_strength === a.chosen);
    expect(chosen.score).toBe(best);
    expect(auto.embedding.chain_strength).toBe(a.chosen);
    expect(a.why).toMatch(/x UTC: score/);
    for (const x of a.ladder) expect(x.pilot_tv).toBeGreaterThanOrEqual(0);
  });

  test("the same samples for 1 and 2 workers (the pilot runs once, on the main thread, and is pinned)", () => {
    const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "1000", "--burn-in", "1000", "--thin", "10", "--chain-strength", "auto", "--out", "auto1", "--workers", "1"]);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(join(dir, "auto1", "samples.npy"))).toEqual(readFileSync(join(dir, "auto", "samples.npy")));
  }, 120_000);

  test("power: the worst-case strength freezes the chains (TV near 1 from the exact law); auto's choice is far from it", () => {
    const worst = auto.embedding.chain_strength_worst_case;
    const r = run(["sample", "d9.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "1000", "--burn-in", "1000", "--thin", "10", "--chain-strength", String(worst), "--out", "worst"]);
    expect(r.code, r.err).toBe(0);
    const tvWorst = tvOf("worst");
    const tvAuto = tvOf("auto");
    expect(tvWorst).toBeGreaterThan(0.8);
    expect(tvAuto).toBeLessThan(tvWorst / 2);
  }, 120_000);
});

describe("the embedding search is bounded by counted work", () => {
  test("a dense 30-spin model on dtm-2025 with a small budget: refused in one line that says the budget was spent, in seconds; the same on a second run", () => {
    const rng = new Random(30);
    const J30: [number, number, number][] = [];
    for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) J30.push([i, j, 0.2 * rng.normal()]);
    writeFileSync(join(dir, "k30.json"), JSON.stringify({ kind: "ising", n: 30, h: new Array(30).fill(0), J: J30, beta: 1 }));
    const t0 = performance.now();
    refused(["sample", "k30.json", "--chip", "dtm-2025", "--embed-budget", "3e7"], /k30\.json: cannot be placed on chip dtm-2025 .*no minor-embedding was found \(.*gave up in a region of \d+ p-bits on try \d: the search spent its budget of 3\.0e\+7 edge relaxations \(counted, not timed/);
    expect(performance.now() - t0).toBeLessThan(30_000);
    refused(["sample", "k30.json", "--chip", "dtm-2025", "--embed-budget", "0"], /--embed-budget: must be a finite number above 0/);
  }, 60_000);
});

describe("bad values: one line, exit 2, nothing written", () => {
  test("not auto, utc or a number above 0", () => {
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--chain-strength", "strong"], /--chain-strength: must be auto, utc or a finite number above 0/);
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--chain-strength", "0"], /--chain-strength: must be auto, utc or a finite number above 0/);
    refused(["sample", "d9.json", "--chip", "dtm-2025", "--chain-strength", "-1"], /--chain-strength: must be auto, utc or a finite number above 0/);
  });
  test("auto on a model that sits on the chip as it is: no chains to couple", () => {
    writeFileSync(join(dir, "pair.json"), JSON.stringify({ kind: "ising", n: 2, h: [0, 0], J: [[0, 1, 0.5]], beta: 1 }));
    refused(["sample", "pair.json", "--chip", "dtm-2025", "--chain-strength", "auto"], /--chain-strength: the model sits on chip dtm-2025 as it is/);
  });
  test("a study or sweep chain_strength that is not auto, utc or a number", () => {
    writeFileSync(join(dir, "st.yaml"), "title: t\nparts:\n  - name: p\n    model: d9.json\n    compare: {target: tv<=0.2, chips: [dtm-2025], chain_strength: strong}\n");
    refused(["study", "st.yaml"], /st\.yaml: parts\[0\]\.compare\.chain_strength: must be auto, utc or a number above 0/);
  });
});
