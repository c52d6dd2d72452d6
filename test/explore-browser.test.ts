/**
 * The explorer page in headless Chromium (Debian's chromium driven by
 * playwright-core; .ci/run installs it), served by `npm run explore`'s own
 * server: it loads with no console error, the p-bit chip runs and draws at a
 * measured rate, a knob changes what it samples, its samples equal
 * `thermosim sample`'s bit for bit, the analog chip converges, and the viewer
 * draws a compare and a sweep result. Screenshots go to
 * test-artifacts/explorer/ for a person to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { decodeNpy } from "../src/io/npy.js";
// @ts-expect-error: a plain ES module script without types
import { serveExplorer } from "../scripts/explore.mjs";

const root = join(__dirname, "..");
const shots = join(root, "test-artifacts", "explorer");
const exe = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
const bin = join(root, "bin", "thermosim.js");

type Explorer = {
  ready: Promise<void>;
  pbitStats(): { lastLogical: number[]; pbits?: number; sweeps: number; frames: number; wallSeconds: number; running?: string; lastSpins: number[]; magnetisation: number[]; energy: number[]; meter?: { samplingJ: number; chipSeconds: number } };
  analogStats(): { count: number; frames: number; empirical?: { cov: number[] }; target?: { cov: number[] }; predicted?: { cov: number[] }; readoutSeconds?: number; iat?: number[]; first: [number, number][] };
  lastError(): string;
  workers(): number;
  runFiles(): Promise<{ model: string; modelName: string; chip: string }>;
  command(tab: "pbit" | "analog"): string;
  pause(tab: "pbit" | "analog"): void;
  analogRows(): { xs: number[]; ys: number[] };
  sample(knobs: Record<string, unknown>, samples: number): Promise<{ rows: string; model: { name: string; text: string }; chip: Record<string, unknown>; meter: { samplingJ: number; programmingJ: number; chipSeconds: number } }>;
};
declare global { interface Window { explorer: Explorer } }

let server: { url: string; stop(): Promise<void> };
let browser: Browser;
let page: Page;
let dir: string;
const errors: string[] = [];
const figures: Record<string, number> = {};

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** Set a knob as a person would (value, then the change event the page listens to). */
async function knob(form: string, name: string, value: string) {
  await page.evaluate(([f, n, v]) => {
    const el = document.querySelector(`#${f} [name=${n}]`) as HTMLInputElement | HTMLSelectElement;
    el.value = v;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, [form, name, value]);
}

async function shot(name: string) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Save the page's model.json and chip.yaml, run its command (npx thermosim = bin/thermosim.js) in a new folder: the run's folder. */
async function repeatOnCli(tab: "pbit" | "analog", want: string) {
  const command = await page.evaluate((t) => window.explorer.command(t), tab);
  const files = await page.evaluate(() => window.explorer.runFiles());
  expect(command).toBe(want);
  const sub = mkdtempSync(join(dir, `cli-${tab}-`));
  expect(command.split(" ")[3]).toBe(files.modelName);
  writeFileSync(join(sub, files.modelName), files.model);
  writeFileSync(join(sub, "chip.yaml"), files.chip);
  const r = spawnSync(process.execPath, [bin, ...command.split(" ").slice(2)], { encoding: "utf8", cwd: sub, timeout: 300_000 });
  expect(r.status, r.stderr).toBe(0);
  return { sub, chip: files.chip, samples: decodeNpy(readFileSync(join(sub, "run", "samples.npy")), "samples.npy"), stats: JSON.parse(readFileSync(join(sub, "run", "stats.json"), "utf8")) };
}

const DEFAULTS = { chip: "dtm-2025", model: "ferromagnet", beta: 1, schedule: "", rng: "", weightBits: 0, gainSigma: 0, seed: 1, sweepsPerFrame: 2 };

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "thermosim-explore-"));
  server = await serveExplorer({ port: 0, quiet: true });
  if (!exe) return;
  browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.evaluate(() => window.explorer.ready);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  writeFileSync(join(shots, "figures.json"), JSON.stringify(figures, null, 1) + "\n");
});

describe("the explorer in headless Chromium", () => {
  it("finds Chromium (Debian's chromium; .ci/run installs it)", () => {
    expect(exe, "headless Chromium is needed: apt-get install -y chromium (or set CHROMIUM=/path)").toBeDefined();
  });

  it("npm run explore's server prints its address and serves the page", async () => {
    const { spawn } = await import("node:child_process");
    const p = spawn(process.execPath, [join(root, "scripts", "explore.mjs"), "--port", "0"], { cwd: root });
    try {
      const line = await new Promise<string>((res, rej) => {
        let out = "";
        p.stdout.on("data", (d) => { out += d; if (out.includes("\n") && /http:\/\//.test(out)) res(out); });
        p.on("exit", (c) => rej(new Error(`exited ${c}`)));
        setTimeout(() => rej(new Error(`no address printed: ${out}`)), 60_000);
      });
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)![1];
      const html = await (await fetch(url)).text();
      expect(html).toContain("thermosim explorer");
    } finally {
      p.kill();
    }
  }, 90_000);

  it("ships the licences of every package it bundles", async () => {
    const text = await (await fetch(`${server.url}THIRD-PARTY-NOTICES.txt`)).text();
    for (const pkg of ["vega", "vega-lite", "yaml", "mathjs", "decimal.js"]) {
      const version = JSON.parse(readFileSync(join(root, "node_modules", pkg, "package.json"), "utf8")).version;
      expect(text, pkg).toContain(`\n${pkg} ${version} (`);
    }
    expect(text).toMatch(/Copyright/);
    expect(await page.textContent("footer")).toContain("third-party notices");
  });

  it("serves the very .wasm files the CLI loads", async () => {
    for (const k of ["pbit", "langevin"]) {
      const served = Buffer.from(await (await fetch(`${server.url}wasm/${k}.release.wasm`)).arrayBuffer());
      const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
      expect(sha(served)).toBe(sha(readFileSync(join(root, "build", `${k}.release.wasm`))));
    }
  });

  it("runs dtm-2025 live, drawing every frame, at 10 sweeps/s or more; no console error", async () => {
    // Measured over a fixed window after the first frames (tier-up of the kernel, first layout).
    await page.waitForFunction(() => window.explorer.pbitStats().frames > 5, undefined, { timeout: 30_000 });
    const a = await page.evaluate(() => window.explorer.pbitStats());
    await page.waitForTimeout(5000);
    const b = await page.evaluate(() => window.explorer.pbitStats());
    const rate = (b.sweeps - a.sweeps) / (b.wallSeconds - a.wallSeconds);
    const fps = (b.frames - a.frames) / (b.wallSeconds - a.wallSeconds);
    figures.pbit_sweeps_per_second_drawing = rate;
    figures.pbit_frames_per_second = fps;
    console.log(`explorer: dtm-2025 70x70 at ${rate.toFixed(1)} sweeps/s while drawing (${fps.toFixed(1)} frames/s, 2 sweeps a frame)`);
    expect(b.running).toBe("dtm-2025");
    expect(b.lastSpins).toHaveLength(4900);
    expect(b.meter!.chipSeconds).toBeGreaterThan(0);
    expect(b.meter!.samplingJ).toBeGreaterThan(0);
    expect(rate).toBeGreaterThanOrEqual(10);
    // Drawn: the grid canvas holds both colours.
    const colours = await page.evaluate(() => {
      const c = document.querySelector("#grid") as HTMLCanvasElement;
      const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<string>();
      for (let i = 0; i < d.length; i += 4 * 97) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      return [...seen];
    });
    expect(colours.length).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    expect(errors).toEqual([]);
    await shot("pbit-dtm-2025");
  }, 120_000);

  it("headroom: at 32 sweeps a frame the page still draws every frame and runs several times faster", async () => {
    await knob("pbit-knobs", "sweepsPerFrame", "32");
    await page.waitForFunction(() => window.explorer.pbitStats().frames > 5, undefined, { timeout: 30_000 });
    const a = await page.evaluate(() => window.explorer.pbitStats());
    await page.waitForTimeout(4000);
    const b = await page.evaluate(() => window.explorer.pbitStats());
    const rate = (b.sweeps - a.sweeps) / (b.wallSeconds - a.wallSeconds);
    figures.pbit_sweeps_per_second_drawing_32_per_frame = rate;
    figures.pbit_frames_per_second_32_per_frame = (b.frames - a.frames) / (b.wallSeconds - a.wallSeconds);
    console.log(`explorer: dtm-2025 70x70 at ${rate.toFixed(0)} sweeps/s while drawing with 32 sweeps a frame (${figures.pbit_frames_per_second_32_per_frame.toFixed(1)} frames/s)`);
    expect(rate).toBeGreaterThan(figures.pbit_sweeps_per_second_drawing);
    await knob("pbit-knobs", "sweepsPerFrame", "2");
  }, 60_000);

  it("a knob changes the result: the ferromagnet orders at beta 1.5 and not at beta 0", async () => {
    const meanAbsM = async (beta: string) => {
      await knob("pbit-knobs", "beta", beta);
      await page.waitForFunction(() => window.explorer.pbitStats().sweeps >= 200, undefined, { timeout: 60_000 });
      const m = await page.evaluate(() => window.explorer.pbitStats().magnetisation);
      const tail = m.slice(-50);
      return tail.reduce((a, x) => a + Math.abs(x), 0) / tail.length;
    };
    const hot = await meanAbsM("0");
    await shot("pbit-beta-0");
    const cold = await meanAbsM("1.5");
    await shot("pbit-beta-1.5");
    figures.mean_abs_magnetisation_beta_0 = hot;
    figures.mean_abs_magnetisation_beta_1_5 = cold;
    // beta = 0: independent fair bits, |m| ~ sd 1/70; beta = 1.5 (z J beta = 1.8 > 1): ordered.
    expect(hot).toBeLessThan(0.06);
    expect(cold).toBeGreaterThan(0.8);
    await knob("pbit-knobs", "beta", "1");
  }, 120_000);

  it("every p-bit preset runs on the page (z1: its first tile drawn)", async () => {
    const names = await page.evaluate(() => Array.from((document.querySelector("#pbit-knobs [name=chip]") as HTMLSelectElement).options).map((o) => o.value));
    expect(names).toEqual(expect.arrayContaining(["dtm-2025", "ideal", "z1", "pcomputer-fpga", "smtj", "pcomputer-dbm-2024"]));
    for (const name of names) {
      await knob("pbit-knobs", "chip", name);
      await page.waitForFunction((n) => window.explorer.lastError() !== "" || (window.explorer.pbitStats().running === n && window.explorer.pbitStats().frames >= 3), name, { timeout: 60_000 });
      expect(await page.evaluate(() => window.explorer.lastError()), name).toBe("");
      if (name === "z1") await shot("pbit-z1");
    }
    await knob("pbit-knobs", "chip", "dtm-2025");
    expect(errors).toEqual([]);
  }, 300_000);

  for (const [label, knobs] of [
    ["dtm-2025 as shipped", {}],
    ["dtm-2025, spin glass, LFSR source, 6-bit weights, 5% gain mismatch, synchronous, seed 9", { model: "spin-glass", rng: "lfsr32", weightBits: 6, gainSigma: 0.05, schedule: "synchronous", seed: 9 }],
    ["pcomputer-fpga (its own graph-free chip: a 70 x 70 square torus)", { chip: "pcomputer-fpga", beta: 0.8 }],
    ["smtj on the asynchronous schedule (its own timing)", { chip: "smtj", schedule: "async", beta: 0.8 }],
  ] as const) {
    it(`samples equal thermosim sample's bit for bit: ${label}`, async () => {
      const k = { ...DEFAULTS, ...knobs };
      const got = await page.evaluate(([kk, n]) => window.explorer.sample(kk as Record<string, unknown>, n as number), [k, 60] as const);
      const rows = Buffer.from(got.rows, "base64");
      const tag = createHash("sha256").update(JSON.stringify(k)).digest("hex").slice(0, 8);
      writeFileSync(join(dir, `m-${tag}.json`), got.model.text);
      writeFileSync(join(dir, `chip-${tag}.yaml`), JSON.stringify(got.chip));
      const args = ["sample", `m-${tag}.json`, "--chip", `chip-${tag}.yaml`, "--chains", "1", "--burn-in", "0", "--samples", "60", "--seed", String(k.seed), "--out", `o-${tag}`];
      if (k.schedule) args.push("--schedule", k.schedule);
      cli(args);
      const npy = decodeNpy(readFileSync(join(dir, `o-${tag}`, "samples.npy")), "samples.npy");
      const want = Buffer.from(Int8Array.from(npy.data as ArrayLike<number>, (v) => (v === 0 ? -1 : v)).buffer);
      expect(rows.length).toBe(want.length);
      expect(rows.equals(want)).toBe(true);
      const stats = JSON.parse(readFileSync(join(dir, `o-${tag}`, "stats.json"), "utf8"));
      expect(got.meter.chipSeconds).toBe(stats.chip_seconds);
      expect(Math.abs(got.meter.samplingJ - stats.energy_J.sampling)).toBeLessThanOrEqual(1e-12 * stats.energy_J.sampling);
      expect(got.meter.programmingJ).toBe(stats.energy_J.one_off);
    }, 120_000);
  }

  it("the page's own command line repeats its run: model.json, chip.yaml and the command give the sweeps drawn, bit for bit", async () => {
    await page.click("button[data-tab=pbit]");
    await knob("pbit-knobs", "model", "spin-glass");
    await knob("pbit-knobs", "rng", "lfsr32");
    await knob("pbit-knobs", "schedule", "synchronous");
    await knob("pbit-knobs", "seed", "5");
    await page.waitForFunction(() => window.explorer.pbitStats().sweeps >= 40, undefined, { timeout: 60_000 });
    await page.evaluate(() => window.explorer.pause("pbit"));
    await page.waitForTimeout(400); // a frame already computed is still drawn
    const st = await page.evaluate(() => window.explorer.pbitStats());
    const { chip, samples: npy, stats } = await repeatOnCli("pbit", `npx thermosim sample model.json --chip chip.yaml --chains 1 --burn-in 0 --samples ${st.sweeps} --seed 5 --schedule synchronous --out run`);
    expect(chip).toMatch(/extends: dtm-2025/);
    expect(npy.shape).toEqual([st.sweeps, 4900]);
    const last = Array.from(npy.data.subarray((st.sweeps - 1) * 4900) as ArrayLike<number>);
    expect(last).toEqual(st.lastSpins);
    // The magnetisation trace is the rows' means, sweep by sweep (the last 600 kept).
    const mags = Array.from({ length: st.sweeps }, (_, t) => { let m = 0; for (let i = 0; i < 4900; i++) m += Number(npy.data[t * 4900 + i]); return m / 4900; });
    expect(st.magnetisation).toEqual(mags.slice(-st.magnetisation.length));
    expect(st.meter!.chipSeconds).toBe(stats.chip_seconds);
    expect(Math.abs(st.meter!.samplingJ - stats.energy_J.sampling)).toBeLessThanOrEqual(1e-12 * stats.energy_J.sampling);
    figures.cli_repeat_pbit_sweeps = st.sweeps;
    await shot("pbit-command-line");
    for (const [k, v] of [["model", "ferromagnet"], ["rng", ""], ["schedule", ""], ["seed", "1"]]) await knob("pbit-knobs", k, v);
  }, 300_000);

  it("the analog chip: read-outs gather on the target ellipse; a coarse Euler step moves the chip's predicted law off it", async () => {
    await page.click("button[data-tab=analog]");
    await page.waitForFunction(() => window.explorer.analogStats().count >= 3000, undefined, { timeout: 60_000 });
    const s = await page.evaluate(() => window.explorer.analogStats());
    const rel = (a: number[], b: number[]) => Math.sqrt(a.reduce((x, v, i) => x + (v - b[i]) ** 2, 0) / b.reduce((x, v) => x + v * v, 0));
    figures.analog_empirical_cov_error = rel(s.empirical!.cov, s.target!.cov);
    expect(rel(s.predicted!.cov, s.target!.cov)).toBeLessThan(0.02);
    expect(rel(s.empirical!.cov, s.target!.cov)).toBeLessThan(0.3);
    await shot("analog-rc-langevin");
    await knob("analog-knobs", "integrator", "euler-maruyama");
    await knob("analog-knobs", "stepFraction", "1.5");
    await page.waitForFunction(() => window.explorer.analogStats().count >= 2000, undefined, { timeout: 60_000 });
    const e = await page.evaluate(() => window.explorer.analogStats());
    figures.analog_euler_1_5_predicted_cov_error = rel(e.predicted!.cov, e.target!.cov);
    expect(rel(e.predicted!.cov, e.target!.cov)).toBeGreaterThan(0.1);
    await shot("analog-euler-coarse");
    // Every analog preset runs with its own integrator.
    await knob("analog-knobs", "integrator", "auto");
    await knob("analog-knobs", "stepFraction", "0.02");
    const names = await page.evaluate(() => Array.from((document.querySelector("#analog-knobs [name=chip]") as HTMLSelectElement).options).map((o) => o.value));
    for (const name of names) {
      await knob("analog-knobs", "chip", name);
      await page.waitForFunction(() => window.explorer.lastError() !== "" || window.explorer.analogStats().frames >= 3, undefined, { timeout: 60_000 });
      expect(await page.evaluate(() => window.explorer.lastError()), name).toBe("");
    }
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    // The read-out interval knob: every 5 ns (the circuit's slowest time constant is ~80 ns) the chain
    // starts from discharged capacitors and crawls; every 1 us (rc-langevin's own) read-outs are independent.
    const lag1 = (pts: [number, number][]) => {
      const x = pts.map((p) => p[0]);
      const m = x.reduce((a, v) => a + v, 0) / x.length;
      let c0 = 0, c1 = 0;
      for (let t = 0; t < x.length; t++) { c0 += (x[t] - m) ** 2; if (t + 1 < x.length) c1 += (x[t] - m) * (x[t + 1] - m); }
      return c1 / c0;
    };
    await knob("analog-knobs", "chip", "rc-langevin");
    await page.waitForFunction(() => window.explorer.analogStats().count >= 64, undefined, { timeout: 60_000 });
    const own = await page.evaluate(() => window.explorer.analogStats());
    await knob("analog-knobs", "readoutInterval", "5 ns");
    await page.waitForFunction(() => window.explorer.analogStats().count >= 1500, undefined, { timeout: 60_000 });
    const fast = await page.evaluate(() => window.explorer.analogStats());
    expect(own.readoutSeconds).toBeCloseTo(1e-6, 15);
    expect(fast.readoutSeconds).toBeCloseTo(5e-9, 15);
    figures.analog_lag1_own = lag1(own.first);
    figures.analog_lag1_5ns = lag1(fast.first);
    figures.analog_iat_5ns = Math.max(...fast.iat!);
    expect(Math.max(...own.iat!)).toBeLessThan(1.01);
    expect(Math.max(...fast.iat!)).toBeGreaterThan(20);
    // 64 read-outs: lag-1 autocorrelation ~0 +- 0.13 when independent; 5 ns apart it is ~0.94 (less the short sample's downward bias).
    expect(lag1(own.first)).toBeLessThan(0.4);
    expect(lag1(fast.first)).toBeGreaterThan(0.6);
    expect(await page.textContent("#analog-notes")).toMatch(/correlated over 31\.1 read-outs/);
    expect(await page.textContent("#analog-meter")).toMatch(/effective samples/);
    await shot("analog-readout-5ns");
    await knob("analog-knobs", "readoutInterval", "");
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
  }, 120_000);

  it("the analog tab's command line repeats its read-outs bit for bit", async () => {
    await page.click("button[data-tab=analog]");
    await knob("analog-knobs", "chip", "spu-8");
    await knob("analog-knobs", "rho", "-0.5");
    await knob("analog-knobs", "seed", "4");
    await knob("analog-knobs", "noiseScale", "1.2");
    await page.waitForFunction(() => window.explorer.analogStats().count >= 500, undefined, { timeout: 60_000 });
    // The noise-strength knob: a source 1.2x too strong makes the chip's predicted law 1.44x the model's.
    const law = await page.evaluate(() => window.explorer.analogStats());
    for (let i = 0; i < 4; i++) expect(law.predicted!.cov[i] / law.target!.cov[i]).toBeCloseTo(1.44, 2);
    expect(await page.textContent("#analog-notes")).toMatch(/noise\.scale 1\.2: .*every variance x1\.44/);
    await page.evaluate(() => window.explorer.pause("analog"));
    await page.waitForTimeout(400);
    const count = await page.evaluate(() => window.explorer.analogStats().count);
    const rows = await page.evaluate(() => window.explorer.analogRows());
    const { chip, samples: npy } = await repeatOnCli("analog", `npx thermosim sample model.json --chip chip.yaml --chains 1 --burn-in 0 --samples ${count} --seed 4 --out run`);
    expect(chip).toMatch(/scale: 1\.2/);
    expect(npy.shape).toEqual([count, 2]);
    const d = npy.data as Float64Array;
    // The page keeps the last 4,000 read-outs for its cloud: they are the file's last rows.
    const from = count - rows.xs.length;
    expect(rows.xs.length).toBeGreaterThanOrEqual(Math.min(count, 500));
    expect(Array.from({ length: rows.xs.length }, (_, t) => d[2 * (from + t)])).toEqual(rows.xs);
    expect(Array.from({ length: rows.xs.length }, (_, t) => d[2 * (from + t) + 1])).toEqual(rows.ys);
    figures.cli_repeat_analog_readouts = count;
    await shot("analog-command-line");
    for (const [k, v] of [["chip", "rc-langevin"], ["rho", "0.8"], ["seed", "1"], ["noiseScale", "1"]]) await knob("analog-knobs", k, v);
  }, 300_000);

  it("your own spin model from a file: placed (minor-embedded on dtm-2025, or as it is), drawn, and repeated by the CLI bit for bit", async () => {
    await page.click("button[data-tab=pbit]");
    cli(["random-model", "--n", "6", "--density", "1", "--j-std", "0.5", "--seed", "2", "--out", "dense6.json"]);
    await page.setInputFiles("#pbit-knobs [name=modelFile]", join(dir, "dense6.json"));
    await page.waitForFunction(() => window.explorer.lastError() !== "" || (window.explorer.pbitStats().lastLogical.length === 6 && window.explorer.pbitStats().sweeps >= 30), undefined, { timeout: 120_000 });
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    await page.evaluate(() => window.explorer.pause("pbit"));
    await page.waitForTimeout(400);
    const st = await page.evaluate(() => window.explorer.pbitStats());
    expect(st.pbits).toBeGreaterThan(6); // chains of p-bits
    expect(st.lastSpins.filter((v) => v === 0).length).toBe(4900 - st.pbits!); // unused p-bits drawn grey
    expect(await page.evaluate(() => (document.querySelector("#pbit-knobs [name=beta]") as HTMLInputElement).disabled)).toBe(true);
    expect(await page.textContent("#grid-caption")).toMatch(new RegExp(`The 6 variables sit on ${st.pbits} p-bits of dtm-2025 as chains`));
    const { sub, samples, stats } = await repeatOnCli("pbit", `npx thermosim sample dense6.json --chip chip.yaml --chains 1 --burn-in 0 --samples ${st.sweeps} --seed 1 --readout majority --out run`);
    expect(samples.shape).toEqual([st.sweeps, 6]);
    expect(Array.from(samples.data.subarray((st.sweeps - 1) * 6) as ArrayLike<number>)).toEqual(st.lastLogical);
    const mags = Array.from({ length: st.sweeps }, (_, t) => { let m = 0; for (let i = 0; i < 6; i++) m += Number(samples.data[t * 6 + i]); return m / 6; });
    expect(st.magnetisation).toEqual(mags.slice(-st.magnetisation.length));
    expect(stats.mapping.embedding.pbits).toBe(st.pbits);
    expect(existsSync(join(sub, "run", "embedding.json"))).toBe(true);
    expect(st.meter!.chipSeconds).toBe(stats.chip_seconds);
    figures.file_model_dense6_pbits = st.pbits!;
    await shot("pbit-file-embedded");

    // A QUBO on a chip without a grid of its own: drawn as its variables in order.
    writeFileSync(join(dir, "small-qubo.json"), JSON.stringify({ kind: "qubo", n: 5, Q: [[0, 0, -1], [0, 1, 2], [1, 2, -0.5], [2, 3, 1], [3, 4, -1.5], [4, 4, 0.3]] }));
    await knob("pbit-knobs", "chip", "pcomputer-fpga");
    await page.setInputFiles("#pbit-knobs [name=modelFile]", join(dir, "small-qubo.json"));
    await page.waitForFunction(() => window.explorer.lastError() !== "" || (window.explorer.pbitStats().running === "pcomputer-fpga" && window.explorer.pbitStats().lastLogical.length === 5 && window.explorer.pbitStats().sweeps >= 20), undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    await page.evaluate(() => window.explorer.pause("pbit"));
    await page.waitForTimeout(400);
    const q = await page.evaluate(() => window.explorer.pbitStats());
    expect(q.lastSpins).toHaveLength(6); // a 3 x 2 raster: 5 variables and 1 empty cell
    const rq = await repeatOnCli("pbit", `npx thermosim sample small-qubo.json --chip chip.yaml --chains 1 --burn-in 0 --samples ${q.sweeps} --seed 1 --out run`);
    expect(rq.samples.dtype).toBe("int8"); // QUBO samples stay +-1 spins (x = (1 + s) / 2)
    expect(Array.from(rq.samples.data.subarray((q.sweeps - 1) * 5) as ArrayLike<number>)).toEqual(q.lastLogical);

    // Files the p-bit tab cannot run say so in one line; the page goes on.
    writeFileSync(join(dir, "gauss2.json"), JSON.stringify({ kind: "gaussian", A: [[1, 0], [0, 1]], b: [0, 0] }));
    await page.setInputFiles("#pbit-knobs [name=modelFile]", join(dir, "gauss2.json"));
    await page.waitForFunction(() => window.explorer.lastError() !== "", undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.explorer.lastError())).toMatch(/gauss2\.json: kind: is a gaussian model; a p-bit chip samples spin models/);
    writeFileSync(join(dir, "broken.json"), "{\"kind\": \"ising\", \"n\": 2,");
    await page.setInputFiles("#pbit-knobs [name=modelFile]", join(dir, "broken.json"));
    await page.waitForFunction(() => /broken\.json/.test(window.explorer.lastError()), undefined, { timeout: 30_000 });
    expect(await page.textContent("#status")).toMatch(/^error: broken\.json/);
    await knob("pbit-knobs", "chip", "dtm-2025");
    await knob("pbit-knobs", "model", "ferromagnet");
    await page.waitForFunction(() => window.explorer.pbitStats().running === "dtm-2025" && window.explorer.pbitStats().frames >= 2, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => (document.querySelector("#pbit-knobs [name=beta]") as HTMLInputElement).disabled)).toBe(false);
    expect(errors).toEqual([]);
  }, 300_000);

  it("a long embedding search does not hold the page: a knob turned meanwhile replaces the busy worker", async () => {
    await page.click("button[data-tab=pbit]");
    // K14 on dtm-2025: the seeded search tries every region before it refuses (~30 s on this machine).
    cli(["random-model", "--n", "14", "--density", "1", "--j-std", "0.5", "--seed", "3", "--out", "k14.json"]);
    const before = await page.evaluate(() => window.explorer.workers());
    await page.setInputFiles("#pbit-knobs [name=modelFile]", join(dir, "k14.json"));
    await page.waitForFunction(() => /placing k14\.json/.test(document.querySelector("#status")!.textContent ?? ""), undefined, { timeout: 10_000 });
    await page.waitForTimeout(1500);
    const t0 = Date.now();
    await knob("pbit-knobs", "model", "ferromagnet");
    await page.waitForFunction(() => window.explorer.pbitStats().running === "dtm-2025" && window.explorer.pbitStats().frames >= 2, undefined, { timeout: 20_000 });
    figures.knob_after_busy_worker_seconds = (Date.now() - t0) / 1000;
    expect(figures.knob_after_busy_worker_seconds).toBeLessThan(15);
    expect(await page.evaluate(() => window.explorer.workers())).toBe(before + 1);
    expect(await page.evaluate(() => window.explorer.pbitStats().lastLogical.length)).toBe(4900);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    expect(errors).toEqual([]);
  }, 120_000);

  it("your own Gaussian from a file: x1 and x2 drawn with their marginal law, repeated by the CLI bit for bit", async () => {
    await page.click("button[data-tab=analog]");
    // A = [[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 1.5]]: its inverse, by cofactors, for the (x1, x2) marginal.
    const A = [[2, 0.5, 0], [0.5, 1, 0.3], [0, 0.3, 1.5]];
    writeFileSync(join(dir, "gauss3.json"), JSON.stringify({ kind: "gaussian", A, b: [0.2, -0.1, 0.3] }));
    const det = 2 * (1 * 1.5 - 0.09) - 0.5 * (0.5 * 1.5 - 0) + 0;
    const inv = [(1 * 1.5 - 0.09) / det, -(0.5 * 1.5 - 0) / det, -(0.5 * 1.5 - 0) / det, (2 * 1.5 - 0) / det];
    // Choosing "your Gaussian, from a file" with no file opened yet opens the file picker.
    const [chooser] = await Promise.all([page.waitForEvent("filechooser", { timeout: 10_000 }), page.selectOption("#analog-knobs [name=model]", "file")]);
    await chooser.setFiles(join(dir, "gauss3.json"));
    await page.waitForFunction(() => window.explorer.lastError() !== "" || window.explorer.analogStats().count >= 300, undefined, { timeout: 60_000 });
    expect(await page.evaluate(() => window.explorer.lastError())).toBe("");
    await page.evaluate(() => window.explorer.pause("analog"));
    await page.waitForTimeout(400);
    const a = await page.evaluate(() => window.explorer.analogStats());
    for (let i = 0; i < 4; i++) expect(a.target!.cov[i]).toBeCloseTo(inv[i], 12);
    expect(await page.textContent("#analog-notes")).toMatch(/x₁ and x₂ of the model's 3 variables/);
    expect(await page.evaluate(() => (document.querySelector("#analog-knobs [name=rho]") as HTMLInputElement).disabled)).toBe(true);
    const rows = await page.evaluate(() => window.explorer.analogRows());
    const { samples } = await repeatOnCli("analog", `npx thermosim sample gauss3.json --chip chip.yaml --chains 1 --burn-in 0 --samples ${a.count} --seed 1 --out run`);
    expect(samples.shape).toEqual([a.count, 3]);
    const d = samples.data as Float64Array;
    const from = a.count - rows.xs.length;
    expect(Array.from({ length: rows.xs.length }, (_, t) => d[3 * (from + t)])).toEqual(rows.xs);
    expect(Array.from({ length: rows.xs.length }, (_, t) => d[3 * (from + t) + 1])).toEqual(rows.ys);
    await shot("analog-file-3d");
    // A spin model on the analog tab: one line, and the page goes on.
    await page.setInputFiles("#analog-knobs [name=modelFile]", join(dir, "dense6.json"));
    await page.waitForFunction(() => window.explorer.lastError() !== "", undefined, { timeout: 30_000 });
    expect(await page.evaluate(() => window.explorer.lastError())).toMatch(/dense6\.json: kind: is a spin model; the analog tab draws Gaussian models: open it on the p-bit tab/);
    await knob("analog-knobs", "model", "bundled");
    expect(errors).toEqual([]);
  }, 300_000);

  it("the viewer draws a compare and a sweep result's figures", async () => {
    cli(["random-model", "--chip", "dtm-2025", "--n", "8", "--j-std", "0.8", "--seed", "3", "--out", "small.json"]);
    cli(["compare", "small.json", "--chip", "dtm-2025", "--baseline", "gibbs", "--target", "tv<=0.3", "--repeats", "2", "--chains", "4", "--max-sweeps", "1024", "--out", "cmp"]);
    writeFileSync(join(dir, "sw.yaml"), JSON.stringify({ title: "viewer test", base: { model: "small.json", chip: "dtm-2025", target: "tv<=0.3", repeats: 1, chains: 4, max_sweeps: 1024, seed: 1 }, axes: { "mismatch.gain_sigma": [0, 0.1] } }));
    cli(["sweep", "sw.yaml", "--out", "sw"]);
    await page.click("button[data-tab=viewer]");
    for (const [file, want] of [[join(dir, "cmp", "compare.json"), 2], [join(dir, "sw", "sweep.json"), 1]] as const) {
      await page.setInputFiles("#file", file);
      await page.waitForFunction((n) => document.querySelectorAll("#viewer-out figure svg").length >= n, want, { timeout: 30_000 });
      const marks = await page.evaluate(() => Array.from(document.querySelectorAll("#viewer-out figure")).map((f) => f.querySelectorAll("g[class*='role-mark'] path, g[class*='role-mark'] rect, g[class*='role-mark'] line, g[class*='role-mark'] circle").length));
      expect(marks.length).toBeGreaterThanOrEqual(want);
      const ids = await page.evaluate(() => Array.from(document.querySelectorAll("#viewer-out figure")).map((f) => `${f.id}: ${Array.from(new Set(Array.from(f.querySelectorAll("g[class*=mark]")).map((g) => g.getAttribute("class")))).join(" ")}`));
      for (const [i, m] of marks.entries()) expect(m, ids[i]).toBeGreaterThan(0);
      // And its rows: the compare's systems (dtm-2025, its integer twin, gibbs on three platforms), the sweep's two points.
      const cells = await page.evaluate(() => Array.from(document.querySelectorAll("#viewer-out table.result tr")).map((tr) => Array.from(tr.children).map((c) => c.textContent ?? "")));
      expect(cells.length - 1).toBe(file.endsWith("compare.json") ? 5 : 2);
      // The same cells as the HTML report of the same folder (thermosim report), in Node.
      const folder = file.endsWith("compare.json") ? "cmp" : "sw";
      cli(["report", folder, "--out", `${folder}-report`]);
      const html = readFileSync(join(dir, `${folder}-report`, "index.html"), "utf8");
      const reportPage = await browser.newPage();
      await reportPage.setContent(html);
      const reportCells = await reportPage.evaluate((first) => {
        const t = Array.from(document.querySelectorAll("table")).find((x) => x.querySelector("th")?.textContent === first)!;
        return Array.from(t.querySelectorAll("tr")).map((tr) => Array.from(tr.children).map((c) => c.textContent ?? ""));
      }, cells[0][0]);
      await reportPage.close();
      expect(cells).toEqual(reportCells);
      // No figure that is not zero reads as one (energies of picojoules once printed as "0").
      const doc = JSON.parse(readFileSync(file, "utf8"));
      const energies: number[] = file.endsWith("compare.json")
        ? doc.systems.map((r: { energy_to_solution_J: { median: number } }) => r.energy_to_solution_J.median)
        : doc.rows.map((r: { figures: { energy_to_solution_J: number } }) => r.figures.energy_to_solution_J);
      expect(energies.every((e) => e > 0)).toBe(true);
      const col = cells[0].findIndex((h) => /^energy.to.solution/.test(h));
      for (const row of cells.slice(1)) expect(row[col], row.join(" | ")).not.toMatch(/^0( J)?(,|$)/);
      await shot(file.endsWith("compare.json") ? "viewer-compare" : "viewer-sweep");
    }
    // A file that is no result: one line saying so, nothing drawn.
    writeFileSync(join(dir, "other.json"), JSON.stringify({ kind: "ising", n: 1 }));
    await page.setInputFiles("#file", join(dir, "other.json"));
    await page.waitForFunction(() => /neither a compare.json/.test(document.querySelector("#viewer-out")!.textContent ?? ""), undefined, { timeout: 10_000 });
    expect(await page.evaluate(() => document.querySelectorAll("#viewer-out figure").length)).toBe(0);
    expect(errors).toEqual([]);
  }, 300_000);
  it("a link holds the tab and knobs: it reopens the same run; what it cannot set is named, not obeyed", async () => {
    await page.click("button[data-tab=pbit]");
    await knob("pbit-knobs", "chip", "smtj");
    await knob("pbit-knobs", "schedule", "async");
    await knob("pbit-knobs", "beta", "0.8");
    await knob("pbit-knobs", "seed", "12");
    const url = page.url();
    expect(new URL(url).hash).toMatch(/tab=pbit&chip=smtj&model=ferromagnet&beta=0\.8&schedule=async/);
    const other = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const otherErrors: string[] = [];
    other.on("pageerror", (e) => otherErrors.push(String(e)));
    await other.goto(url);
    await other.evaluate(() => window.explorer.ready);
    await other.waitForFunction(() => window.explorer.pbitStats().running === "smtj" && window.explorer.pbitStats().sweeps >= 10, undefined, { timeout: 60_000 });
    const form = (p: Page) => p.evaluate(() => Array.from((document.querySelector("#pbit-knobs") as HTMLFormElement).elements).filter((e) => (e as HTMLInputElement).type !== "file").map((e) => [(e as HTMLInputElement).name, (e as HTMLInputElement).value]));
    expect(await form(other)).toEqual(await form(page));
    // The same chain: the same command, and (paused at one sweep count) the same spins.
    expect(await other.evaluate(() => window.explorer.command("pbit"))).toMatch(/--seed 12 --schedule async/);
    // An analog link, and a link with values the page does not offer.
    await other.goto(`${server.url}#tab=analog&chip=spu-8&rho=-0.3&seed=2`);
    await other.reload();
    await other.evaluate(() => window.explorer.ready);
    await other.waitForFunction(() => window.explorer.analogStats().count > 0, undefined, { timeout: 60_000 });
    expect(await other.evaluate(() => [(document.querySelector("#analog-knobs [name=chip]") as HTMLSelectElement).value, (document.querySelector("#analog-knobs [name=rho]") as HTMLInputElement).value, document.querySelector("#analog")!.classList.contains("active")])).toEqual(["spu-8", "-0.3", true]);
    await other.goto(`${server.url}#tab=pbit&chip=no-such-chip&beta=9&colour=red&seed=1.5`);
    await other.reload();
    await other.evaluate(() => window.explorer.ready);
    await other.waitForFunction(() => window.explorer.pbitStats().frames >= 2, undefined, { timeout: 60_000 });
    const line = await other.textContent("#link-note");
    expect(line).toContain("not taken from the link: chip=no-such-chip (not offered), beta=9 (out of range), colour (no such knob), seed=1.5 (out of range)");
    await other.goto(`${server.url}#tab=pbit&model=file&beta=0.5`);
    await other.reload();
    await other.evaluate(() => window.explorer.ready);
    await other.waitForFunction(() => window.explorer.pbitStats().frames >= 2, undefined, { timeout: 60_000 });
    expect(await other.textContent("#link-note")).toContain("model=file (a link does not carry the file: open it again)");
    expect(await other.evaluate(() => [(document.querySelector("#pbit-knobs [name=model]") as HTMLSelectElement).value, (document.querySelector("#pbit-knobs [name=beta]") as HTMLInputElement).value])).toEqual(["ferromagnet", "0.5"]);
    expect(await other.evaluate(() => window.explorer.pbitStats().running)).toBe("dtm-2025");
    expect(await other.evaluate(() => window.explorer.lastError())).toBe("");
    expect(otherErrors).toEqual([]);
    await other.close();
    for (const [k, v] of [["chip", "dtm-2025"], ["schedule", ""], ["beta", "1"], ["seed", "1"]]) await knob("pbit-knobs", k, v);
  }, 300_000);
});
