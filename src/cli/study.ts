/**
 * `thermosim study STUDY.yaml --out DIR`: every part of a study (comparisons
 * of chips against digital baselines, sample runs) into one folder, then the
 * report of all of it: DIR/report/index.html (self-contained) with PNG and
 * SVG figures, DIR/study.json and study.md (the headline and every table),
 * DIR/study.resolved.yaml (the study with its defaults filled in).
 */
import type { Command } from "commander";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { OutputFolder } from "../io/output.js";
import { lazyFolder, subFolder } from "../run/write.js";
import { readStudy, resolvedStudy } from "../study/spec.js";
import { runStudy, type PartResult } from "../study/run.js";
import { buildReport, writeReport } from "../report/report.js";
import { compareTableLines } from "../report/compare-md.js";
import { finiteJson } from "../report/json.js";
import { formatSI } from "../units.js";
import { breakEvenText, headlineLines } from "../run/headline.js";
import { studyProgress, withEmbedProgress } from "./progress.js";
import { wholeNumber } from "./args.js";

function partHeadlineLines(parts: PartResult[]): string[] {
  const lines: string[] = [];
  for (const p of parts) {
    const h = p.headline;
    if (!h) continue;
    lines.push(`${p.title} (${h.target}):`);
    if (!h.best_chip) lines.push("  no chip reached the target in every repeat");
    lines.push(...headlineLines(h, (j) => formatSI(j, "J")).map((l) => `  ${l}`));
    const lead = h.digital[0]?.sensitivity;
    const flip = lead?.break_even.find((b) => b.status === "assumed" || b.status === "not-charged");
    if (lead && flip && h.best_chip) lines.push(`  (most conservative first; ${breakEvenText(flip, h.best_chip.name, h.digital[0])})`);
  }
  return lines;
}

function studyMarkdown(title: string, parts: PartResult[], compares: Map<string, Record<string, unknown>>): string {
  const out = [`# ${title}`, "", "## Headline", "", "The cheapest chip that reached each part's target in every repeat (the ideal chip, a reference without costs, left out) against the cheapest such row of each digital class, the smallest advantage first.", "", ...partHeadlineLines(parts).map((l) => (l.startsWith("  ") ? `- ${l.trim()}` : `\n**${l}**\n`)), ""];
  for (const p of parts) {
    out.push(`## ${p.title}`, "", `Model \`${p.model.file}\`: ${p.model.kind}, ${p.model.n} variables, ${p.model.couplings} couplings.`, "");
    if (p.about) out.push(p.about, "");
    for (const s of p.skipped) out.push(`- not run on **${s.chip}**: ${s.reason}`);
    if (p.skipped.length) out.push("");
    const c = p.compare ? compares.get(p.compare) : undefined;
    if (c) out.push(`Target **${c.target}**, ${c.repeats} repeats x ${c.chains} chains, up to ${c.max_sweeps} sweeps (${p.compare}/compare.md).`, "", ...compareTableLines(c), "");
    for (const s of p.samples) out.push(`- sample run on ${s.system}: ${s.folder}/`);
    if (p.samples.length) out.push("");
  }
  return out.join("\n") + "\n";
}

export function registerStudy(program: Command): void {
  program
    .command("study")
    .description("run a study file (comparisons of chips and digital baselines, sample runs) and write its report: DIR/report/index.html, study.json, study.md")
    .argument("<study>", "study file (YAML; see examples/study/quick.yaml)")
    .requiredOption("--out <dir>", "result folder (a folder thermosim wrote before is replaced whole)")
    .option("--workers <w>", "threads (results do not depend on it; every energy is priced from counts)", wholeNumber("--workers", 1, 4096), availableParallelism())
    .option("--json", "print study.json to stdout instead of a summary")
    .action(async (file: string, f: { out: string; workers: number; json?: boolean }) => {
      const folder = new OutputFolder(f.out);
      try {
        const t0 = performance.now();
        const study = readStudy(file);
        const dest = lazyFolder(folder);
        const shown = studyProgress("thermosim study", f.json);
        const parts = await withEmbedProgress(f.json, () => runStudy(study, dest, f.workers, shown.hooks)).finally(() => shown.stop());
        const compares = new Map(parts.filter((p) => p.compare).map((p) => [p.compare!, JSON.parse(readFileSync(dest.path(join(p.compare!, "compare.json")), "utf8")) as Record<string, unknown>]));
        const doc = {
          command: "study", file, title: study.title, about: study.about, seed: study.seed, workers: f.workers,
          parts, wall_seconds: (performance.now() - t0) / 1000,
          definitions: {
            headline: "per part, its comparison's headline: the cheapest chip (median energy to solution) that reached the target in every repeat (the ideal chip left out) against the cheapest such row of each digital class (integer twin, native CPU, GPU at best batch, ...), smallest chip_advantage (= digital energy / chip energy) first, each with its sensitivity (tornado, break-even values)",
            skipped: "chips the part lists that cannot run its model, with the reason (capacity, couplings per p-bit, a law the chip cannot realise); they are not run",
          },
        };
        dest.write("study.json", finiteJson(doc, "study.json") + "\n");
        dest.write("study.resolved.yaml", stringify(resolvedStudy(study), { lineWidth: 0 }));
        dest.write("study.md", studyMarkdown(study.title, parts, compares));
        // The report reads what was just written (the staging folder), as `thermosim report DIR` would.
        shown.hooks.step!("writing the report");
        const report = await buildReport(dest.path("."));
        const rdest = subFolder(dest, "report");
        writeReport(rdest, report);
        folder.publish("study");
        for (const p of parts) for (const w of p.warnings) process.stderr.write(`thermosim: warning: ${p.name}: ${w}\n`);
        if (f.json) process.stdout.write(JSON.stringify(doc) + "\n");
        else {
          process.stdout.write([
            `thermosim study: ${study.title} (${parts.length} parts, ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
            ...partHeadlineLines(parts).map((l) => `  ${l}`),
            ...parts.flatMap((p) => p.skipped.map((s) => `  not run: ${s.chip} (${p.name}): ${s.reason}`)),
            `  tables  ${join(folder.dir, "study.md")}`,
            `  report  ${join(folder.dir, "report", "index.html")}`,
          ].join("\n") + "\n");
        }
      } finally {
        folder.discard();
      }
    });
}
