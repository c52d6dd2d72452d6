/**
 * sweep-scaling: a sweep of 54 points (dtm-2025 on the G12 grid model: weight
 * bits x gain mismatch x seeds) run with 1 worker and with 2, each into a
 * fresh folder, in this process's machine: the speed-up (issue: >= 1.7x) and
 * whether the two CSVs are the same bytes. SWEEP_SCALING_SWEEPS (512) sets
 * each point's budget.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { BenchOutput } from "./output.js";

const here = new URL(".", import.meta.url).pathname;

export function run(): void {
  const root = resolve(here, "..", "..");
  const sweeps = Number(process.env.SWEEP_SCALING_SWEEPS ?? 512);
  const dir = mkdtempSync(join(tmpdir(), "thermosim-sweep-scaling-"));
  const out = new BenchOutput("sweep-scaling");
  try {
    const file = join(dir, "s.yaml");
    writeFileSync(file, `title: scaling\nbase:\n  model: ${join(root, "examples", "g12-70.json")}\n  chip: dtm-2025\n  target: ess>=100\n  repeats: 1\n  chains: 4\n  max_sweeps: ${sweeps}\naxes:\n  numerics.weights.bits: [6, 8, 10]\n  mismatch.gain_sigma: [0, 0.05, 0.1]\n  run.seed: [1, 2, 3, 4, 5, 6]\n`);
    const time = (workers: number) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(root, "bin", "thermosim.js"), "sweep", file, "--out", join(dir, `w${workers}`), "--workers", String(workers)], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`sweep-scaling: the sweep failed: ${r.stderr}`);
      return (performance.now() - t0) / 1000;
    };
    const one = time(1);
    const two = time(2);
    const same = readFileSync(join(dir, "w1", "sweep.csv"), "utf8") === readFileSync(join(dir, "w2", "sweep.csv"), "utf8");
    const speedup = one / two;
    out.finish(
      [{ points: 54, sweeps_per_point: sweeps, seconds_1_worker: one, seconds_2_workers: two, speedup, same_csv: same }],
      [`54 points of dtm-2025 on the 70 x 70 G12 model (${sweeps} sweeps x 4 chains each): 1 worker ${one.toFixed(1)} s, 2 workers ${two.toFixed(1)} s: **${speedup.toFixed(2)}x** (target >= 1.7x: ${speedup >= 1.7 ? "met" : "NOT met"}); CSVs ${same ? "the same bytes" : "DIFFER"}. Wall times of whole commands, process start included; the machine is shared, so the ratio is the figure.`],
    );
    if (!same) throw new Error("sweep-scaling: the CSVs of 1 and 2 workers differ");
  } finally {
    out.discard();
    rmSync(dir, { recursive: true, force: true });
  }
}
