/**
 * Round 3 of the input audit (../shared/reference/audits-2026-12-07/fuzz.md,
 * issue 26): each case named by the audit's ID ends with a correct result,
 * or one line naming file and field, exit 2, nothing written -- never exit 1,
 * never a hang (every run has a deadline well inside the harness's).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";

let dir: string;
const { run, refused } = cliIn(() => dir);
const file = (name: string, text: string) => writeFileSync(join(dir, name), text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-r3-"));
  file("g2.json", JSON.stringify({ kind: "gaussian", A: [[2, 0.5], [0.5, 1]], b: [0.1, -0.2] }));
  file("c4.json", JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, 0, 0], J: [[0, 1, 0.5], [1, 2, 0.5], [2, 3, 0.5], [0, 3, 0.5]], beta: 1 }));
});

describe("[high] valid small models on dtm-2025 whose chains are single p-bits (K19, EMB2)", () => {
  test("a 4-cycle embeds with one p-bit per variable: exit 0, no realised chain strength (null, not NaN)", () => {
    const r = run(["sample", "c4.json", "--chip", "dtm-2025", "--chains", "2", "--samples", "50", "--out", "emb2"]);
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, "emb2", "stats.json"), "utf8")).mapping.embedding;
    expect(e.pbits).toBe(4);
    expect(e.chain_couplings).toBe(0);
    expect(e.chain_strength_realised).toBeNull();
    expect(e.chain_length_histogram).toEqual([0, 4]);
  });
});

describe("[high] the analog read-out interval no longer wraps the step count (I04)", () => {
  test("680 ms of Euler-Maruyama steps per read-out: refused, naming readout.interval", () => {
    file("c680.yaml", 'extends: rc-langevin\nreadout: { interval: "680 ms" }\nintegrator: { impl: euler-maruyama }\n');
    refused(["sample", "g2.json", "--chip", "c680.yaml", "--chains", "1", "--samples", "50", "--burn-in", "0"], /c680\.yaml: readout\.interval: 0\.68 s is 3\.00e\+9 integration steps .* more than the kernel can count/);
  });
  test("a step count just inside the kernel's range runs, and its samples are not all zero", () => {
    file("c1ms.yaml", 'extends: rc-langevin\nreadout: { interval: "1 ms" }\nintegrator: { impl: euler-maruyama }\n');
    const r = run(["sample", "g2.json", "--chip", "c1ms.yaml", "--chains", "1", "--samples", "3", "--burn-in", "0", "--out", "c1ms"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, "c1ms", "stats.json"), "utf8"));
    expect(s.diagnostics.integrator_steps).toBeGreaterThan(0);
  }, 120_000);
});

describe("[medium] finite but absurd spec quantities: refused up front with their physical range (H03, H18, H38, H40)", () => {
  const cases: [string, string, string, RegExp][] = [
    ["h03.yaml", "extends: dtm-2025\nclock: { frequency: 1e308 Hz }\n", "c4.json", /h03\.yaml: clock\.frequency: must be <= 10 THz; got 1e308 Hz/],
    ["h18.yaml", "extends: rc-langevin\nconductance: { max: 1e-300 S }\n", "g2.json", /h18\.yaml: conductance\.max: must be >= 1 aS; got 1e-300 S/],
    ["h38.yaml", "extends: rc-langevin\nreadout: { interval: 1e300 s }\n", "g2.json", /h38\.yaml: readout\.interval: must be <= 1 ks; got 1e300 s/],
    ["h40.yaml", "extends: rc-langevin\ncapacitor: { value: 1e308 F }\n", "g2.json", /h40\.yaml: capacitor\.value: must be <= 1 F; got 1e308 F/],
  ];
  for (const [name, text, model, message] of cases) {
    test(name, () => {
      file(name, text);
      refused(["sample", model, "--chip", name, "--chains", "1", "--samples", "2"], message);
    });
  }
  test("each quantity within its range, but together 1e24 fastest time constants per read-out: refused before the exact step's matrix exponential", () => {
    file("long.yaml", "extends: rc-langevin\ncapacitor: { value: 1e-21 F }\nconductance: { max: 1000 S }\nreadout: { interval: 1 s }\n");
    refused(["sample", "g2.json", "--chip", "long.yaml", "--chains", "1", "--samples", "2"], /long\.yaml: readout\.interval: 1 s is .* of the circuit's fastest time constants .*at most 1e15/);
    expect(existsSync(join(dir, "refused"))).toBe(false);
  });
});
