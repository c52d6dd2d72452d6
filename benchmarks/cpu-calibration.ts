/**
 * The `cpu` platform's calibration: what each operation it prices costs on
 * one core of this machine in the best native code we have for it
 * (benchmarks/native/cpu_calibrate.c, AVX2, gcc -O3 -march=native
 * -ffast-math), against the times circuits/tech/cpu.yaml holds. The table's
 * figures were measured this way once, on the reference core it names; this
 * suite re-measures them, so that a change of machine or compiler shows as a
 * ratio, and the table is edited by hand (with the date) when it should move.
 *
 *   npm run bench -- cpu-calibration     CPU_CAL_REPS (runs of the program, default 3; the best of each case is kept)
 *
 * Process CPU time, best of several runs: on a shared machine the waiting
 * for a core is not counted, but cache interference still is, so the
 * figures are upper bounds on the core's own speed.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../src/paths.js";
import { loadTechTable } from "../src/energy/table.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";

interface Line { case: string; degree?: number; ns_per_update?: number; ns_per_flop?: number; ns_per_normal?: number; ns_per_exp?: number; mean?: number; variance?: number }

/**
 * The line under every point: the slope through the smallest and largest x,
 * moved down until it touches the lowest point. It never prices a fan-in
 * above what was measured for it: the CPU at its best, the conservative side
 * for a chip's advantage.
 */
export function lineBelow(xs: number[], ys: number[]): { a: number; b: number } {
  const lo = xs.indexOf(Math.min(...xs));
  const hi = xs.indexOf(Math.max(...xs));
  const b = (ys[hi] - ys[lo]) / (xs[hi] - xs[lo]);
  return { a: Math.min(...ys.map((y, k) => y - b * xs[k])), b };
}

/** Least-squares line y = a + b x. */
export function fitLine(xs: number[], ys: number[]): { a: number; b: number } {
  const n = xs.length;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < n; k++) {
    sxy += (xs[k] - mx) * (ys[k] - my);
    sxx += (xs[k] - mx) ** 2;
  }
  const b = sxy / sxx;
  return { a: my - b * mx, b };
}

export function run(): void {
  const out = new BenchOutput("cpu-calibration");
  try {
    const dir = join(projectRoot(), "build", "native");
    mkdirSync(dir, { recursive: true });
    const src = join(projectRoot(), "benchmarks", "native", "cpu_calibrate.c");
    const bin = join(dir, "cpu_calibrate");
    const cc = spawnSync("cc", ["-O3", "-march=native", "-ffast-math", "-o", bin, src, "-lm"], { encoding: "utf8" });
    if (cc.status !== 0) {
      console.log(`skipped: cc could not build ${src}: ${(cc.stderr || cc.error?.message || "").trim().split("\n")[0]}`);
      return;
    }
    const reps = Number(process.env.CPU_CAL_REPS ?? 3);
    const best = new Map<string, Line>();
    const key = (l: Line) => (l.case === "pbit" ? `pbit ${l.degree}` : l.case);
    const value = (l: Line) => l.ns_per_update ?? l.ns_per_flop ?? l.ns_per_normal ?? l.ns_per_exp ?? Infinity;
    for (let r = 0; r < reps; r++) {
      const p = spawnSync(bin, ["5"], { encoding: "utf8" });
      if (p.status !== 0) throw new Error(`${bin} failed: ${p.stderr}`);
      for (const text of p.stdout.trim().split("\n")) {
        const l = JSON.parse(text) as Line;
        const had = best.get(key(l));
        if (!had || value(l) < value(had)) best.set(key(l), l);
      }
    }
    const pbit = [...best.values()].filter((l) => l.case === "pbit").sort((a, b) => a.degree! - b.degree!);
    const fit = lineBelow(pbit.map((l) => l.degree!), pbit.map((l) => l.ns_per_update!));
    const ls = fitLine(pbit.map((l) => l.degree!), pbit.map((l) => l.ns_per_update!));
    const table = loadTechTable("cpu", "--energy-model");
    const ns = (action: string) => 1e9 * (table.rows.get(action)?.time ?? NaN);
    const normal = best.get("normal")!;
    const measured: [string, number, number, string][] = [
      ["native_spin_updates", fit.a, ns("native_spin_updates"), `fixed part of the p-bit update (the line under every point, fan-in ${pbit.map((l) => l.degree).join(", ")})`],
      ["native_field_terms", fit.b, ns("native_field_terms"), "per coupling of the fan-in (slope of the same line)"],
      ["native_flops", best.get("flop")!.ns_per_flop!, ns("native_flops"), "float64 FMA matrix-vector, n = 256"],
      ["native_normals", normal.ns_per_normal!, ns("native_normals"), `ziggurat normals (mean ${normal.mean}, variance ${normal.variance})`],
      ["native_exps", best.get("exp")!.ns_per_exp!, ns("native_exps"), "libm exp, vectorised"],
    ];
    const rows: Row[] = [
      ...pbit.map((l) => {
        const t = ns("native_spin_updates") + ns("native_field_terms") * l.degree!;
        return { case: `p-bit update, fan-in ${l.degree}`, measured_ns: l.ns_per_update!, fit_ns: fit.a + fit.b * l.degree!, table_ns: t, measured_over_table: l.ns_per_update! / t };
      }),
      ...measured.map(([action, m, t, what]) => ({ case: `${action}: ${what}`, measured_ns: m, table_ns: t, measured_over_table: m / t })),
    ];
    const verdict = [
      `Native costs on this machine (process CPU time, best of ${reps} runs of 5), against circuits/tech/cpu.yaml (${table.core?.name ?? "no core named"}):`,
      "",
      ...markdownTable(rows, ["case", "measured_ns", "fit_ns", "table_ns", "measured_over_table"]),
      "",
      `- p-bit update time: ${fit.a.toPrecision(3)} ns + ${fit.b.toPrecision(3)} ns x fan-in (the line under every measured point, as the table's; least squares would give ${ls.a.toPrecision(3)} ns + ${ls.b.toPrecision(3)} ns x fan-in).`,
      "- A ratio far from 1 means this machine (or compiler) is not the table's reference core: the table stays the reference until it is re-measured on purpose.",
    ];
    out.finish(rows, verdict, { line_below_ns: fit, least_squares_ns: ls });
  } finally {
    out.discard();
  }
}
