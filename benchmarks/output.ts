/**
 * What a benchmark suite leaves behind: `out/bench/NAME/` (BENCH_OUT moves
 * it) with rows.csv and rows.json (one row per measurement, units in the
 * column names) and verdict.md (a few lines against the suite's reference),
 * published all at once like every thermosim result folder; any runs the
 * suite makes go in sub-folders beside them. The verdict is printed too.
 */
import { join, resolve } from "node:path";
import { stringify } from "csv-stringify/sync";
import { OutputFolder } from "../src/io/output.js";
import { lazyFolder, subFolder, type Destination } from "../src/run/write.js";
import { finiteJson } from "../src/report/json.js";

export type Row = Record<string, string | number | boolean | null>;

export class BenchOutput {
  private readonly folder: OutputFolder;
  readonly dest: Destination;

  constructor(readonly name: string) {
    this.folder = new OutputFolder(join(resolve(process.env.BENCH_OUT ?? join("out", "bench")), name), "BENCH_OUT");
    this.dest = lazyFolder(this.folder);
  }

  /** A sub-folder for one run's files. */
  sub(name: string): Destination {
    return subFolder(this.dest, name);
  }

  /** Write the rows (CSV with a header of every column seen, and JSON) and the verdict; publish. */
  finish(rows: Row[], verdict: string[], extra: Record<string, unknown> = {}): void {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    this.dest.write("rows.csv", stringify(rows, { header: true, columns, cast: { number: (x) => String(x), boolean: (b) => (b ? "true" : "false") } }));
    this.dest.write("rows.json", finiteJson({ benchmark: this.name, ...extra, rows }, "rows.json") + "\n");
    const md = [`# ${this.name}`, "", ...verdict].join("\n") + "\n";
    this.dest.write("verdict.md", md);
    this.folder.publish(`bench ${this.name}`);
    process.stdout.write(["", ...verdict].join("\n") + "\n" + `\nresults: ${this.folder.dir}/{rows.csv, rows.json, verdict.md}\n`);
  }

  discard(): void {
    this.folder.discard();
  }
}

/** A Markdown table from rows (the columns given, in order). */
export function markdownTable(rows: Row[], columns: string[]): string[] {
  const cell = (v: unknown) => (v === null || v === undefined ? "-" : typeof v === "number" ? (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : String(Number(v.toPrecision(4)))) : String(v));
  return [`| ${columns.join(" | ")} |`, `|${columns.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(" | ")} |`)];
}
