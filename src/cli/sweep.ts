/**
 * `thermosim sweep SWEEP.yaml --out DIR [--workers N] [--json]`: run every
 * point of a sweep file and write DIR/sweep.csv (one row per point: the
 * point's fields, then its figures, units in the column names), sweep.json
 * and sweep.resolved.yaml. DIR keeps the content-addressed point records
 * (points/) and the points' chip specs (specs/): rerun with the same file and
 * only the missing points are computed.
 */
import type { Command } from "commander";
import { availableParallelism } from "node:os";
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { stringify as csv } from "csv-stringify/sync";
import { stringify as yaml } from "yaml";
import { InputError } from "../errors.js";
import { readSweep, type Sweep } from "../sweep/spec.js";
import { checkMerge, runSweep, type PointRecord } from "../sweep/run.js";
import { FIGURES, SAMPLE_FIGURES } from "../sweep/point.js";
import { finiteJson } from "../report/json.js";
import { progress } from "./progress.js";
import { checkRedis, redact, runWorker } from "../sweep/queue.js";
import { paretoFront, parseAxis, type Axis } from "../sweep/pareto.js";
import { paretoFigure, render } from "../report/figures.js";
import { positiveNumber, wholeNumber } from "./args.js";

const MARKER = ".thermosim-sweep";

/** The table: inputs first (as written), then every figure any point has, in a fixed order. */
export function sweepTable(sw: Sweep, records: PointRecord[]): { columns: string[]; rows: (string | number | null)[][] } {
  const base = Object.keys(sw.points[0]?.run.kind === "sample" ? SAMPLE_FIGURES : FIGURES);
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r.figures)) seen.add(k);
  // Figure columns: plain (chip) first, then per platform, each in FIGURES order.
  const rank = (k: string) => {
    const m = /^([a-z_0-9]+?)(?:\[(.*)\])?$/i.exec(k)!;
    return [m[2] ?? "", base.indexOf(m[1]) < 0 ? 99 : base.indexOf(m[1])] as const;
  };
  const figs = [...seen].sort((a, b) => {
    const [pa, ia] = rank(a);
    const [pb, ib] = rank(b);
    return pa === pb ? ia - ib || (a < b ? -1 : 1) : pa < pb ? -1 : 1;
  });
  // status: "ok", or why the point has no figures (refused at run time, or stopped by --point-timeout).
  const columns = ["point", ...sw.axes, ...figs, "status"];
  const rows = records.map((r) => [r.index, ...sw.axes.map((a) => (r.values[a] === undefined ? null : (r.values[a] as string | number))), ...figs.map((f) => (r.figures[f] === undefined ? null : r.figures[f])), r.failed ?? "ok"]);
  return { columns, rows };
}

/** --pareto: two columns, each an axis of the sweep or a figure (a baseline's with its [platform]). */
function paretoAxes(sw: Sweep, text: string): [Axis, Axis] {
  const parts = text.split(",").map(parseAxis);
  if (parts.length !== 2) throw new InputError("--pareto", undefined, `must name two columns, X,Y (each COLUMN[:min|max]), got ${JSON.stringify(text)}`);
  const known = Object.keys(sw.points[0]?.run.kind === "sample" ? SAMPLE_FIGURES : FIGURES);
  for (const a of parts) {
    const base = a.column.replace(/\[[^\]]+\]$/, "");
    if (!sw.axes.includes(a.column) && !known.includes(base)) throw new InputError("--pareto", undefined, `names ${JSON.stringify(a.column)}, neither an axis of this sweep (${sw.axes.join(", ")}) nor a figure (${known.join(", ")}; a baseline's with [PLATFORM])`);
  }
  return [parts[0], parts[1]];
}

function defaultPareto(sw: Sweep, columns: string[]): [Axis, Axis] {
  const first = (base: string) => columns.find((c) => c === base || c.startsWith(`${base}[`)) ?? base;
  if (sw.points[0]?.run.kind === "sample") {
    const q = columns.includes("tv") ? { column: "tv", goal: "min" as const } : columns.includes("cov_relative_error") ? { column: "cov_relative_error", goal: "min" as const } : { column: first("ess_per_J"), goal: "max" as const };
    return [{ column: first("energy_J"), goal: "min" }, q];
  }
  // The quality each point reached by the end of its budget, in the target's direction.
  return [{ column: first("energy_to_solution_J"), goal: "min" }, { column: first("metric_at_budget"), goal: sw.points[0]?.run.target?.op === ">=" ? "max" : "min" }];
}

function shardOf(text: string): { i: number; n: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [i, n] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || !(n >= 1) || !(i < n)) throw new InputError("--shard", undefined, `must be i/N with 0 <= i < N (e.g. 0/3, 1/3, 2/3), got ${JSON.stringify(text)}`);
  return { i, n };
}

function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function registerSweep(program: Command): void {
  program
    .command("sweep")
    .description("run a design-space sweep (axes over chip-spec fields and run options) on every core; resumable: DIR/sweep.csv, sweep.json")
    .argument("<sweep>", "sweep file (YAML; see examples/sweep/)")
    .requiredOption("--out <dir>", "result folder; rerunning into it computes only the points it lacks")
    .option("--workers <w>", "threads (results do not depend on it)", wholeNumber("--workers", 1, 4096), availableParallelism())
    .option("--point-timeout <s>", "seconds a point may take on this machine before it is stopped and reported in the table (status), the other points going on; not stored, so a rerun tries it again", positiveNumber("--point-timeout"))
    .option("--shard <i/N>", "compute only the points with index % N == i (0 <= i < N), for batch schedulers (Slurm arrays, Kubernetes indexed jobs); no table is written: merge the shards' folders after", shardOf)
    .option("--merge <dirs...>", "gather the finished points of these sweep folders (the shards') into --out and write the table; computes nothing")
    .option("--queue <url>", "run the points on `thermosim worker` processes through this Redis (redis://HOST:PORT, BullMQ); results land in --out as usual")
    .option("--pareto <x,y>", "the two columns of the Pareto front, each COLUMN[:min|max] (default: energy to solution against the target's metric at the budget for comparisons; energy against tv, or ESS, for sample runs)")
    .option("--json", "print sweep.json to stdout instead of a summary")
    .action(async (file: string, f: { out: string; workers: number; json?: boolean; shard?: { i: number; n: number }; merge?: string[]; queue?: string; pareto?: string; pointTimeout?: number }) => {
      const t0 = performance.now();
      const sw = readSweep(file); // every point checked before anything is written
      const asked = f.pareto === undefined ? undefined : paretoAxes(sw, f.pareto);
      if (f.shard && f.merge) throw new InputError("--merge", undefined, "and --shard do not go together: run each shard, then merge their folders");
      for (const d of f.merge ?? []) if (!existsSync(join(d, MARKER))) throw new InputError(d, undefined, "is not a sweep folder (no .thermosim-sweep marker)");
      const dir = resolve(f.out);
      if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, MARKER))) {
        throw new InputError(f.out, undefined, "exists and is not a sweep folder (no .thermosim-sweep marker): choose a new folder or one a sweep wrote");
      }
      if (f.merge) checkMerge(sw, dir, f.merge);
      if (f.queue) {
        if (f.merge) throw new InputError("--queue", undefined, "and --merge do not go together: a merge computes nothing");
        await checkRedis(f.queue);
      }
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, MARKER), "a thermosim sweep folder: points/ holds finished points by content hash\n");
      let bar: ReturnType<typeof progress> | undefined;
      const run = await runSweep(sw, dir, f.workers, (done, total) => {
        bar ??= progress("sweeping", total, "points", f.json);
        bar.update(done);
      }, { ...(f.shard ? { shard: f.shard } : {}), ...(f.merge ? { from: f.merge } : {}), ...(f.queue ? { queue: f.queue } : {}), ...(f.pointTimeout !== undefined ? { pointTimeout: f.pointTimeout } : {}) }).finally(() => bar?.stop());
      for (const r of run.records) if (r.failed) process.stderr.write(`thermosim: warning: point ${r.index} (${Object.entries(r.values).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")}) has no figures: ${r.failed}\n`);
      if (f.shard) {
        // A shard's table would look like the whole sweep's: its points are in points/, the table comes from the merge.
        const name = `shard-${f.shard.i}-of-${f.shard.n}.json`;
        writeAtomic(join(dir, name), JSON.stringify({ command: "sweep", file, shard: f.shard, points: run.records.map((r) => ({ point: r.index, hash: r.hash })), computed: run.computed, reused: run.reused }) + "\n");
        process.stdout.write(`thermosim sweep: shard ${f.shard.i}/${f.shard.n} of ${sw.title}: ${run.records.length} of ${sw.points.length} points (${run.computed} computed, ${run.reused} from earlier runs); merge: thermosim sweep ${file} --out DIR --merge ${f.out} ...\n`);
        return;
      }
      const { columns, rows } = sweepTable(sw, run.records);
      const axes = asked ?? defaultPareto(sw, columns);
      for (const a of axes) if (!columns.includes(a.column)) throw new InputError("--pareto", undefined, `names ${JSON.stringify(a.column)}, which this sweep's table does not have (columns: ${columns.join(", ")}); the points are stored: rerun with another --pareto`);
      const col = (c: string) => rows.map((r) => { const v = r[columns.indexOf(c)]; return typeof v === "number" ? v : null; });
      const front = paretoFront(col(axes[0].column), col(axes[1].column), axes[0].goal, axes[1].goal).map((k) => run.records[k].index);
      const pareto = { x: axes[0].column, y: axes[1].column, goals: [axes[0].goal, axes[1].goal], front };
      const fig = await render(paretoFigure("pareto", pareto.x, pareto.y, run.records.map((r, k) => ({ x: col(pareto.x)[k] ?? NaN, y: col(pareto.y)[k] ?? NaN, front: front.includes(r.index), label: String(r.index) })), [axes[0].goal, axes[1].goal]));
      writeAtomic(join(dir, "pareto.svg"), fig.svg);
      writeFileSync(join(dir, "pareto.png.tmp"), fig.png);
      renameSync(join(dir, "pareto.png.tmp"), join(dir, "pareto.png"));
      writeAtomic(join(dir, "sweep.csv"), csv(rows, { header: true, columns, cast: { number: (x) => String(x), boolean: (b) => (b ? "true" : "false") } }));
      const doc = {
        command: "sweep", file, title: sw.title, model: sw.modelText, system: sw.chipText ? { chip: sw.chipText } : { baseline: sw.baseline },
        mode: sw.mode, axes: sw.axes, points: run.records.length, computed: run.computed, reused: run.reused, pareto,
        definitions: { ...(sw.points[0]?.run.kind === "sample" ? SAMPLE_FIGURES : FIGURES), "NAME[PLATFORM]": "a baseline's figure on that platform model (asic-45nm: operation counts; gpu-*: the H100 tables); the CPU is measured and left out so that the table is the same bytes every run" },
        rows: run.records.map((r) => ({ point: r.index, hash: r.hash, values: r.values, figures: r.figures, warnings: r.warnings, ...(r.failed ? { failed: r.failed } : {}) })),
      };
      writeAtomic(join(dir, "sweep.json"), finiteJson(doc, "sweep.json") + "\n");
      writeAtomic(join(dir, "sweep.resolved.yaml"), yaml({ title: sw.title, model: sw.model, ...(sw.chipFile ? { chip: sw.chipFile } : { baseline: sw.baseline }), points: sw.points.map((p) => ({ ...p.values, run: { ...p.run, target: p.run.target?.text } })) }, { lineWidth: 0 }));
      if (f.json) process.stdout.write(finiteJson(doc, "sweep.json") + "\n");
      else {
        process.stdout.write(`thermosim sweep: ${sw.title}: ${run.records.length} points (${run.computed} computed, ${run.reused} from earlier runs) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
        process.stdout.write(`  pareto ${front.length} points on the front of ${pareto.y} (${pareto.goals[1]}) against ${pareto.x} (${pareto.goals[0]}): ${front.join(", ")}\n`);
        process.stdout.write(`  table  ${join(dir, "sweep.csv")}\n  figure ${join(dir, "pareto.svg")} (and .png; thermosim report ${f.out} for the page)\n`);
      }
    });
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description("run sweep points from a Redis queue (BullMQ) until stopped (Ctrl-C / SIGTERM); start any number, on any machines")
    .requiredOption("--queue <url>", "the Redis the sweep enqueues on (redis://HOST:PORT)")
    .option("--concurrency <n>", "points at once, each in a worker thread", wholeNumber("--concurrency", 1, 4096), 1)
    .action(async (f: { queue: string; concurrency: number }) => {
      await checkRedis(f.queue);
      process.stderr.write(`thermosim worker: taking sweep points from ${redact(f.queue)} (${f.concurrency} at a time)\n`);
      await runWorker(f.queue, f.concurrency, (s) => process.stderr.write(`thermosim worker: ${s}\n`));
    });
}
