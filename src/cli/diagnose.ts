/** `thermosim diagnose CHAINS.npy [--json]`: mixing diagnostics of stored chains (prints; writes nothing). */
import type { Command } from "commander";
import { dirname, join } from "node:path";
import { existsSync } from "node:fs";
import { readCapped, readCappedText, LIMITS } from "../io/read.js";
import { decodeNpy } from "../io/npy.js";
import { parseJsonStrict } from "../io/json.js";
import { InputError } from "../errors.js";
import { diagnoseScalar, DIAGNOSTIC_STATS, type ScalarDiagnostics } from "../metrics/diagnostics.js";
import { finiteJson } from "../report/json.js";

/** Each split half needs 3 draws for an ESS (posterior returns NA below that). */
export const MIN_DRAWS = 6;
const CHAINS_FILE_LIMIT = 2 * 2 ** 30;

export interface DiagnoseResult {
  file: string;
  chains: number;
  draws: number;
  scalars: ({ name: string } & { [K in keyof ScalarDiagnostics]: number | null })[];
  warnings: string[];
}

/** Names of a trace.npy's scalars from the stats.json beside it, when it has them. */
function traceNames(file: string, k: number): string[] | undefined {
  const stats = join(dirname(file), "stats.json");
  if (!file.endsWith("trace.npy") || !existsSync(stats)) return undefined;
  try {
    const names = (parseJsonStrict(readCappedText(stats, LIMITS.spec), stats) as { trace_names?: unknown }).trace_names;
    return Array.isArray(names) && names.length === k && names.every((n) => typeof n === "string") ? (names as string[]) : undefined;
  } catch {
    return undefined; // not ours or unreadable: fall back to positional names
  }
}

export function diagnoseFile(file: string): DiagnoseResult {
  const a = decodeNpy(readCapped(file, CHAINS_FILE_LIMIT), file);
  if (a.shape.length !== 2 && a.shape.length !== 3) {
    throw new InputError(file, "shape", `is (${a.shape.join(", ")}); diagnose reads [chains, draws] or [chains, draws, k]`);
  }
  const [chains, draws] = a.shape;
  const k = a.shape.length === 3 ? a.shape[2] : 1;
  if (chains < 1 || k < 1) throw new InputError(file, "shape", `is (${a.shape.join(", ")}): no scalars to diagnose`);
  if (draws < MIN_DRAWS) throw new InputError(file, "shape", `has ${draws} draws per chain; the effective sample size needs at least ${MIN_DRAWS} (3 per split half)`);
  const data = a.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const s = i % k;
      const d = Math.floor(i / k) % draws;
      const c = Math.floor(i / (k * draws));
      throw new InputError(file, `[${c}, ${d}${a.shape.length === 3 ? `, ${s}` : ""}]`, `is ${data[i]}; draws must be finite numbers`);
    }
  }
  const names = traceNames(file, k) ?? (k === 1 ? ["x"] : Array.from({ length: k }, (_, s) => `x${s}`));
  const warnings: string[] = [];
  const scalars = names.map((name, s) => {
    const series = Array.from({ length: chains }, (_, c) => {
      const x = new Float64Array(draws);
      for (let d = 0; d < draws; d++) x[d] = data[(c * draws + d) * k + s];
      return x;
    });
    const diag = diagnoseScalar(series);
    const out = { name } as DiagnoseResult["scalars"][number];
    const undefinedOnes: string[] = [];
    for (const key of Object.keys(DIAGNOSTIC_STATS) as (keyof ScalarDiagnostics)[]) {
      const v = diag[key];
      out[key] = Number.isFinite(v) ? v : null;
      if (!Number.isFinite(v)) undefinedOnes.push(key);
    }
    if (undefinedOnes.length > 0) {
      // Why: constant draws, draws so large their variance overflows float64, or a constant derived quantity.
      const huge = series.some((c) => c.some((x) => Math.abs(x) > 1e150));
      const why = diag.sd === 0 ? "every draw is the same value" : huge || !Number.isFinite(diag.sd) ? "the draws are so large (beyond 1e150) that their variance overflows float64: rescale them" : "a quantity is constant, e.g. a tail indicator";
      warnings.push(`${name}: ${undefinedOnes.join(", ")} undefined (${why}); reported as null`);
    }
    return out;
  });
  return { file, chains, draws, scalars, warnings };
}

export function registerDiagnose(program: Command): void {
  program
    .command("diagnose")
    .description("mixing diagnostics of chains in a .npy file ([chains, draws] or [chains, draws, k], e.g. a run's trace.npy), as Stan's posterior package defines them")
    .argument("<chains>", ".npy file")
    .option("--json", "print the result as JSON")
    .action((file: string, f: { json?: boolean }) => {
      const r = diagnoseFile(file);
      for (const w of r.warnings) process.stderr.write(`thermosim: warning: ${w}\n`);
      if (f.json) {
        process.stdout.write(finiteJson({ file: r.file, chains: r.chains, draws: r.draws, scalars: r.scalars, units: DIAGNOSTIC_STATS }, "diagnose", 0) + "\n");
        return;
      }
      const fmt = (v: number | null, digits: number) => (v === null ? "-" : Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(digits - 1) : v.toPrecision(digits));
      const cols: [string, keyof ScalarDiagnostics, number][] = [
        ["mean", "mean", 4], ["sd", "sd", 4], ["rhat", "rhat", 5], ["ess_bulk", "ess_bulk", 4], ["ess_tail", "ess_tail", 4],
        ["ess_mean", "ess_mean", 4], ["mcse_mean", "mcse_mean", 3], ["mcse_sd", "mcse_sd", 3], ["iat", "iat", 4],
      ];
      const width = Math.max(4, ...r.scalars.map((s) => s.name.length));
      const lines = [
        `thermosim diagnose: ${r.file}: ${r.chains} chains x ${r.draws} draws (iat in draws)`,
        ["name".padEnd(width), ...cols.map(([h]) => h.padStart(10))].join(" "),
        ...r.scalars.map((s) => [s.name.padEnd(width), ...cols.map(([, key, d]) => fmt(s[key], d).padStart(10))].join(" ")),
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
