/**
 * sweep-scaling: a sweep of 54 points (dtm-2025 on the G12 grid model: weight
 * bits x gain mismatch x seeds) run with 1 worker and with 2, each into a
 * fresh folder, in interleaved pairs: the median speed-up (issue: >= 1.7x) and
 * whether the CSVs are the same bytes. SWEEP_SCALING_SWEEPS (512) sets each
 * point's budget, SWEEP_SCALING_PAIRS (3) the pairs.
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
    const time = (workers: number, k: number) => {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(root, "bin", "thermosim.js"), "sweep", file, "--out", join(dir, `w${workers}-${k}`), "--workers", String(workers)], { encoding: "utf8" });
      if (r.status !== 0) throw new Error(`sweep-scaling: the sweep failed: ${r.stderr}`);
      return (performance.now() - t0) / 1000;
    };
    // Interleaved pairs (1 worker, then 2, into fresh folders), so that a slow spell of the
    // shared machine falls on both sides of a ratio; the median ratio is the figure.
    const pairs = Number(process.env.SWEEP_SCALING_PAIRS ?? 3);
    const rows = [];
    let same = true;
    for (let k = 0; k < pairs; k++) {
      const one = time(1, k);
      const two = time(2, k);
      same &&= readFileSync(join(dir, `w1-${k}`, "sweep.csv"), "utf8") === readFileSync(join(dir, `w2-${k}`, "sweep.csv"), "utf8");
      rows.push({ pair: k, points: 54, sweeps_per_point: sweeps, seconds_1_worker: one, seconds_2_workers: two, speedup: one / two });
    }
    const ratios = rows.map((r) => r.speedup).sort((a, b) => a - b);
    const speedup = ratios[Math.floor(ratios.length / 2)];
    out.finish(
      rows.map((r) => ({ ...r, same_csv: same })),
      [`54 points of dtm-2025 on the 70 x 70 G12 model (${sweeps} sweeps x 4 chains each), ${pairs} interleaved pairs: 1 worker ${rows.map((r) => r.seconds_1_worker.toFixed(1)).join(", ")} s; 2 workers ${rows.map((r) => r.seconds_2_workers.toFixed(1)).join(", ")} s; speed-ups ${rows.map((r) => r.speedup.toFixed(2)).join(", ")}: median **${speedup.toFixed(2)}x** (target >= 1.7x: ${speedup >= 1.7 ? "met" : "NOT met"}); CSVs ${same ? "the same bytes" : "DIFFER"}. Wall times of whole commands, process start included.`],
    );
    if (!same) throw new Error("sweep-scaling: the CSVs of 1 and 2 workers differ");
  } finally {
    out.discard();
    rmSync(dir, { recursive: true, force: true });
  }
}
