/**
 * The chip kernels against native code, measured in one interleaved run on
 * this machine (it is shared and noisy: only ratios within a run mean
 * anything). Native references: the C programs of ../shared/tools/ref-c
 * (straightforward and AVX2 best-effort p-bit and dense-OU kernels, built
 * here with its Makefile when a C compiler is present) and
 * benchmarks/native/pbit_float.c (straightforward float64 Gibbs, ours).
 * Without a compiler or the folder the native side is skipped with a note.
 *
 * Cases: the 70 x 70 G12 model on dtm-2025 (chromatic: grid path and general
 * path; synchronous and async schedules), the same graph on the ideal chip
 * (float64, exact logistic), the dense n = 64 exact-OU step on rc-langevin
 * (with its read-out, rails and dissipation, which the C programs skip).
 * Every repetition runs each program once, in a rotating order; each figure
 * is the best of three runs, as the C programs report theirs; the table gives
 * medians over repetitions and medians of the per-repetition ratios.
 *
 *   npm run bench -- kernels      KERNELS_REPS (default 5), KERNELS_OUT (JSON rows),
 *                                 KERNELS_ONLY (groups whose title contains one of these words),
 *                                 KERNELS_BASELINE (another built thermosim checkout, e.g. an older
 *                                 commit: its p-bit schedules join the run, measured by
 *                                 ref-c/thermosim-bench.mjs in its own process),
 *                                 FERROTHERM_DIR (a checkout of the ferrotherm peer: its float Gibbs
 *                                 on the same model joins the ideal-chip group; built with cargo
 *                                 --offline from benchmarks/native/ferrotherm-g12, it has no dependencies)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { chipFromDocument, loadChipDocument, resolveChipFile } from "../src/chips/load.js";
import { mergeSpec } from "../src/spec/merge.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { runPbit } from "../src/chips/pbit/driver.js";
import { randomOnTopology } from "../src/models/generate.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { runLangevin } from "../src/chips/langevin/driver.js";
import { gaussianFromJson } from "../src/models/gaussian.js";
import { Random } from "../src/util/random.js";
import type { Schedule } from "../src/chips/pbit/spec.js";
import { projectRoot } from "../src/paths.js";

const REF_C = process.env.REF_C_DIR ?? resolve(projectRoot(), "..", "shared", "tools", "ref-c");

function chip(name: string, over: Record<string, unknown> = {}) {
  const file = resolveChipFile(name);
  return chipFromDocument(mergeSpec(loadChipDocument(file), over), file);
}

/** Builds the native programs into build/native; undefined (with why) when it cannot. */
function buildNative(): { dir: string } | { note: string } {
  const cc = spawnSync("cc", ["--version"], { encoding: "utf8" });
  if (cc.status !== 0) return { note: "no C compiler (cc): native references skipped" };
  const dir = join(projectRoot(), "build", "native");
  mkdirSync(dir, { recursive: true });
  if (existsSync(join(REF_C, "Makefile"))) {
    const make = spawnSync("make", ["-s", "-C", REF_C, `BUILD=${dir}`], { encoding: "utf8" });
    if (make.status !== 0) return { note: `make in ${REF_C} failed: ${make.stderr.trim().split("\n")[0]}` };
  }
  const src = join(projectRoot(), "benchmarks", "native", "pbit_float.c");
  const f = spawnSync("cc", ["-O2", "-o", join(dir, "pbit_float"), src, "-lm"], { encoding: "utf8" });
  if (f.status !== 0) return { note: `cc ${src} failed: ${f.stderr.trim().split("\n")[0]}` };
  return { dir };
}

/** The peer's Gibbs (benchmarks/native/ferrotherm-g12) built against a ferrotherm checkout, or why not. */
function buildPeer(): { bin: string } | { note: string } | undefined {
  const src = process.env.FERROTHERM_DIR;
  if (!src) return undefined;
  const dir = join(projectRoot(), "build", "native", "ferrotherm-g12");
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "main.rs"), readFileSync(join(projectRoot(), "benchmarks", "native", "ferrotherm-g12", "src", "main.rs")));
  writeFileSync(join(dir, "Cargo.toml"), [
    "[package]", 'name = "ferrotherm-g12"', 'version = "0.0.0"', 'edition = "2021"',
    "[dependencies]", `ferrotherm = { path = ${JSON.stringify(resolve(src))} }`,
    "[profile.release]", "opt-level = 3", "lto = true", "[workspace]", "",
  ].join("\n"));
  const b = spawnSync("cargo", ["build", "--release", "--offline", "--manifest-path", join(dir, "Cargo.toml")], { encoding: "utf8" });
  if (b.status !== 0) return { note: `cargo build of the ferrotherm peer failed: ${(b.stderr ?? "").trim().split("\n").pop()}` };
  return { bin: join(dir, "target", "release", "ferrotherm-g12") };
}

/** A native program's JSON line: its rate (best of its three runs). */
function native(dir: string, prog: string, args: string[], key: string): number | undefined {
  const p = join(dir, prog);
  if (!existsSync(p)) return undefined;
  const r = spawnSync(p, args, { encoding: "utf8" });
  if (r.status !== 0) return undefined;
  const line = r.stdout.trim().split("\n").pop()!;
  return Number(JSON.parse(line)[key]);
}

// thermosim's cases, each set up once (mapping, warm-up) and then measured as best of three.
function pbitCase(name: string, over: Record<string, unknown>, schedule: Schedule, sweeps: number, kernelPath: "auto" | "general" = "auto") {
  const spec = chip(name, over);
  if (spec.kind !== "pbit") throw new Error(`${name} is not a p-bit chip`);
  const model = randomOnTopology(fixedTopology(spec.topology, spec.name), { jStd: Math.sqrt(1 / 12), hStd: 0.1, beta: 1, seed: 7 });
  const m = mapIsing(model, "bench", spec, schedule);
  const go = (burnIn: number) => runPbit(spec, m, { chains: 1, samples: 0, burnIn, thin: 1, seed: 2, schedule, kernelPath });
  go(Math.max(1, Math.ceil(sweeps / 10)));
  return () => Math.max(...[0, 1, 2].map(() => {
    const r = go(sweeps);
    return r.updates / r.wallSeconds / 1e9;
  }));
}

function ouCase(samples: number) {
  const n = 64;
  const rng = new Random(3); // benchmarks/langevin-throughput.ts's dense model
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const A = B.map((bi, i) => B.map((bj, j) => bi.reduce((a, v, k) => a + v * bj[k], 0) / n + (i === j ? 1 : 0)));
  const model = gaussianFromJson({ kind: "gaussian", A, b: Array.from({ length: n }, () => rng.normal()) }, "bench");
  const s = chip("rc-langevin", { readout: { interval: "100 ns" } });
  if (s.kind !== "langevin") throw new Error("rc-langevin is not a Langevin chip");
  const mp = mapGaussian(model, "bench", s, 1);
  // Every step is read out (ADC, rails) into the kernel's row buffer; the rows are then dropped
  // (a sink), as the p-bit cases record nothing: holding 51 MB of rows per run in the host
  // measured page faults, not the chip (runs alternated between 5e7 and 7e7 node-steps/s).
  const drop = () => {};
  runLangevin(s, mp, { chains: 1, samples: Math.ceil(samples / 10), burnIn: 0, thin: 1, seed: 1, sink: drop });
  return () => Math.max(...[0, 1, 2].map(() => {
    const r = runLangevin(s, mp, { chains: 1, samples, burnIn: 0, thin: 1, seed: 2, sink: drop });
    return (r.diagnostics.integrator_steps * n) / r.wallSeconds;
  }));
}

interface Entry { label: string; measure: () => number | undefined }
interface Group { title: string; unit: string; entries: Entry[]; ratios: [string, string][] }

const median = (xs: number[]) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

export function run(): void {
  const reps = Number(process.env.KERNELS_REPS ?? 5);
  const nat = buildNative();
  const dir = "dir" in nat ? nat.dir : undefined;
  if (!dir) console.log(`note: ${"note" in nat ? nat.note : ""}`);
  const c = (prog: string, args: string[], key: string) => () => (dir ? native(dir, prog, args, key) : undefined);
  const base = process.env.KERNELS_BASELINE;
  const then = (schedule: string, sweeps: number) => () => {
    if (!base) return undefined;
    const r = spawnSync(process.execPath, [join(REF_C, "thermosim-bench.mjs"), base, "pbit", schedule, String(sweeps)], { encoding: "utf8" });
    if (r.status !== 0) return undefined;
    return Number(JSON.parse(r.stdout.trim().split("\n").pop()!).updates_per_ns);
  };
  const peer = buildPeer();
  if (peer && "note" in peer) console.log(`note: ${peer.note}`);
  const peerRun = () => (peer && "bin" in peer ? native(dirname(peer.bin), basename(peer.bin), ["--sweeps", "1000"], "updates_per_ns") : undefined);
  const G12 = { topology: { impl: "offset-grid", width: 70, height: 70, wrap: true, offsets: "G12" }, colouring: "natural" };
  const groups: Group[] = [
    {
      title: "p-bit chromatic, 70x70 G12, dtm-2025", unit: "updates/ns",
      entries: [
        { label: "thermosim (grid path)", measure: pbitCase("dtm-2025", {}, "chromatic", 8000) },
        { label: "thermosim (general path)", measure: pbitCase("dtm-2025", {}, "chromatic", 8000, "general") },
        { label: "C naive", measure: c("pbit_naive", ["--sweeps", "4000"], "updates_per_ns") },
        { label: "C incremental", measure: c("pbit_inc", ["--sweeps", "8000"], "updates_per_ns") },
        { label: "C AVX2 best", measure: c("pbit_simd", ["--sweeps", "40000"], "updates_per_ns") },
      ],
      ratios: [["thermosim (grid path)", "C AVX2 best"], ["thermosim (grid path)", "C naive"], ["thermosim (grid path)", "C incremental"], ["thermosim (grid path)", "thermosim (general path)"]],
    },
    {
      title: "ideal chip (float64, exact logistic), 70x70 G12", unit: "updates/ns",
      entries: [
        { label: "thermosim ideal", measure: pbitCase("ideal", G12, "chromatic", 1500) },
        { label: "C float naive", measure: c("pbit_float", ["--sweeps", "1000"], "updates_per_ns") },
        ...(peer && "bin" in peer ? [{ label: "ferrotherm (Rust peer)", measure: peerRun }] : []),
      ],
      ratios: [["thermosim ideal", "C float naive"], ["thermosim ideal", "ferrotherm (Rust peer)"]],
    },
    {
      title: "dense exact-OU, n = 64, rc-langevin", unit: "node-steps/s",
      entries: [
        { label: "thermosim", measure: ouCase(100_000) },
        { label: "C naive", measure: c("ou_naive", ["--steps", "200000"], "node_steps_per_s") },
        { label: "C AVX2 best", measure: c("ou_best", ["--steps", "1000000"], "node_steps_per_s") },
      ],
      ratios: [["thermosim", "C AVX2 best"], ["thermosim", "C naive"]],
    },
    {
      title: "p-bit other schedules, 70x70 G12, dtm-2025", unit: "updates/ns",
      entries: [
        { label: "synchronous", measure: pbitCase("dtm-2025", {}, "synchronous", 4000) },
        { label: "async (100 ns flips, 1 ns synapse delay)", measure: pbitCase("dtm-2025", { async: { mean_flip_time: "100 ns", synapse_delay: "1 ns" } }, "async", 1000) },
        ...(base ? [
          { label: "baseline chromatic", measure: then("chromatic", 8000) },
          { label: "baseline synchronous", measure: then("synchronous", 4000) },
          { label: "baseline async", measure: then("async", 1000) },
        ] : []),
      ],
      ratios: base ? [["synchronous", "baseline synchronous"], ["async (100 ns flips, 1 ns synapse delay)", "baseline async"]] : [],
    },
  ];
  const rows: Record<string, unknown>[] = [];
  // KERNELS_ONLY=word,word: only the groups whose title contains one of them.
  const only = process.env.KERNELS_ONLY?.split(",");
  for (const g of groups.filter((x) => !only || only.some((w) => x.title.includes(w)))) {
    const got = new Map<string, number[]>(g.entries.map((e) => [e.label, []]));
    const perRep: Record<string, number>[] = [];
    for (let r = 0; r < reps; r++) {
      const rep: Record<string, number> = {};
      // Rotate the order, so no program always runs first (or right after another).
      for (let k = 0; k < g.entries.length; k++) {
        const e = g.entries[(k + r) % g.entries.length];
        const v = e.measure();
        if (v !== undefined) {
          rep[e.label] = v;
          got.get(e.label)!.push(v);
        }
      }
      perRep.push(rep);
    }
    console.log(`\n${g.title} (${g.unit}; medians of ${reps} interleaved repetitions, each the best of 3 runs)`);
    console.log("| program | median | all |");
    console.log("|---|---|---|");
    for (const e of g.entries) {
      const v = got.get(e.label)!;
      console.log(`| ${e.label} | ${v.length ? median(v).toPrecision(3) : "skipped"} | ${v.map((x) => x.toPrecision(3)).join(", ")} |`);
    }
    const ratios: Record<string, number> = {};
    for (const [a, b] of g.ratios) {
      const rs = perRep.filter((p) => p[a] !== undefined && p[b] !== undefined).map((p) => p[a] / p[b]);
      if (!rs.length) continue;
      ratios[`${a} / ${b}`] = median(rs);
      console.log(`${a} / ${b}: ${median(rs).toFixed(3)} (per repetition: ${rs.map((x) => x.toFixed(2)).join(", ")})`);
    }
    rows.push({ group: g.title, unit: g.unit, medians: Object.fromEntries([...got].map(([k, v]) => [k, median(v)])), runs: Object.fromEntries(got), ratios });
  }
  if (process.env.KERNELS_OUT) writeFileSync(process.env.KERNELS_OUT, JSON.stringify(rows, null, 1) + "\n");
}
