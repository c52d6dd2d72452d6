/** `thermosim report DIR [--out OUT]`: the report of a sample or compare folder (OUT: DIR/report by default). */
import type { Command } from "commander";
import { join, resolve } from "node:path";
import { OutputFolder } from "../io/output.js";
import { buildReport, writeReport } from "../report/report.js";

export function registerReport(program: Command): void {
  program
    .command("report")
    .description("a self-contained HTML report (figures inlined) with PNG and SVG figures, from a folder written by thermosim sample or compare")
    .argument("<dir>", "result folder")
    .option("--out <out>", "report folder (default: DIR/report)")
    .action(async (dir: string, f: { out?: string }) => {
      const out = f.out ?? join(dir, "report");
      const folder = new OutputFolder(out);
      try {
        const r = await buildReport(resolve(dir));
        folder.create();
        writeReport(folder, r);
        folder.publish("report");
        process.stdout.write(`thermosim report: ${r.title}\n  ${r.figures.length + r.pictures.length} figures\n  report ${join(folder.dir, "index.html")}\n`);
      } finally {
        folder.discard();
      }
    });
}
