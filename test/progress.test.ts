/**
 * Progress bars: on stderr when it is a terminal (run under `script`, which
 * gives the command a pseudo-terminal), never in pipes or CI, never with --json.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = join(__dirname, "..", "bin", "thermosim.js");
const model = join(__dirname, "..", "examples", "g12-70.json");
const quote = (a: string[]) => a.map((x) => `'${x}'`).join(" ");
/** Output of the command run on a pseudo-terminal (util-linux script). */
const onTerminal = (args: string[]) => spawnSync("script", ["-qec", quote([process.execPath, bin, ...args]), "/dev/null"], { encoding: "utf8" });

describe("progress", () => {
  const dir = mkdtempSync(join(tmpdir(), "thermosim-progress-"));
  const sample = (out: string) => ["sample", model, "--chip", "dtm-2025", "--chains", "2", "--samples", "400", "--burn-in", "10", "--out", join(dir, out)];
  it("a bar on a terminal, nothing in a pipe, nothing with --json", () => {
    const tty = onTerminal(sample("a"));
    expect(tty.status, tty.stderr).toBe(0);
    // Frames are drawn at 5 per second: how far the last one got depends on the machine.
    expect(tty.stdout).toMatch(/sampling \[.*\] \d+% \| \d+\/820 sweeps/);
    const pipe = spawnSync(process.execPath, [bin, ...sample("b")], { encoding: "utf8" });
    expect(pipe.status).toBe(0);
    expect(pipe.stderr).not.toMatch(/sampling \[/);
    const json = onTerminal([...sample("c"), "--json"]);
    expect(json.status).toBe(0);
    expect(json.stdout).not.toMatch(/sampling \[/);
    JSON.parse(json.stdout.replace(/\r/g, "").trim().split("\n").pop()!); // stdout is the JSON alone
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("study: each step named above its bar on a terminal; quiet in a pipe", () => {
    const d = mkdtempSync(join(tmpdir(), "thermosim-progress-study-"));
    writeFileSync(join(d, "m.json"), JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, -0.1, 0.2], J: [[0, 1, 0.3], [1, 2, -0.2], [2, 3, 0.25]] }));
    writeFileSync(join(d, "s.yaml"), "title: t\nparts:\n  - name: p\n    model: m.json\n    compare: {target: tv<=0.3, chips: [ideal], repeats: 2, chains: 2, max_sweeps: 256}\n    samples: [{chip: ideal, chains: 2, samples: 50}]\n");
    const args = (out: string) => ["study", join(d, "s.yaml"), "--out", join(d, out), "--workers", "1"];
    const tty = onTerminal(args("a"));
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/thermosim study: p: comparing 1 chips and 0 baselines/);
    expect(tty.stdout).toMatch(/comparing \[.*\] \d+% \| \d\/2 runs/);
    expect(tty.stdout).toMatch(/sampling \[.*\] \d+% \| \d+\/300 sweeps/);
    const pipe = spawnSync(process.execPath, [bin, ...args("b")], { encoding: "utf8" });
    expect(pipe.status, pipe.stderr).toBe(0);
    expect(pipe.stderr).toBe("");
    rmSync(d, { recursive: true, force: true });
  }, 120_000);

  it("benchmark suites: a bar on a terminal (mnist-rbm, a short configuration), and their result files", () => {
    const d = mkdtempSync(join(tmpdir(), "thermosim-progress-bench-"));
    const env = { ...process.env, BENCH_OUT: d, MNIST_RBM_SWEEPS: "512", MNIST_RBM_EPOCHS: "10", MNIST_RBM_CHAINS: "32", MNIST_RBM_TARGET: "0.01" };
    const run = join(__dirname, "..", "dist", "benchmarks", "run.js");
    const tty = spawnSync("script", ["-qec", quote([process.execPath, run, "mnist-rbm"]), "/dev/null"], { encoding: "utf8", env });
    expect(tty.status, tty.stdout).toBe(0);
    expect(tty.stdout).toMatch(/mnist-rbm \[.*\] \d+% \| \d+\/9 systems/);
    expect(readFileSync(join(d, "mnist-rbm", "verdict.md"), "utf8")).toMatch(/Presets that cannot hold the model: \*\*dtm-2025\*\*/);
    expect(readFileSync(join(d, "mnist-rbm", "rows.csv"), "utf8").split("\n")[0]).toMatch(/^system,kind,energy_model,pixel_rms_error_at_budget/);
    rmSync(d, { recursive: true, force: true });
  }, 120_000);
});
