/**
 * Distributed sweeps over a real redis-server (started here on a loopback
 * port; Debian's redis-server, which .ci/run installs): two `thermosim
 * worker` processes give the same CSV as the local run, also when a worker is
 * killed with SIGKILL in the middle of a job (its lock lapses and the job runs
 * again elsewhere); re-enqueueing finished points recomputes nothing; an
 * unreachable Redis is one line, exit 2, nothing written.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { checkRedis, redact, QUEUE_NAME } from "../src/sweep/queue.js";

const bin = join(__dirname, "..", "bin", "thermosim.js");
const model = join(__dirname, "..", "examples", "g12-70.json");
let dir: string;
let redis: ChildProcess;
const port = 20000 + (process.pid % 20000);
const url = `redis://127.0.0.1:${port}`;
const workers: ChildProcess[] = [];

const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, timeout: 300_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const worker = () => {
  const w = spawn(process.execPath, [bin, "worker", "--queue", url], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  workers.push(w);
  return w;
};
const sweep = (args: string[]) => new Promise<{ code: number | null; out: string; err: string }>((ok) => {
  const c = spawn(process.execPath, [bin, "sweep", ...args], { cwd: dir });
  let [out, err] = ["", ""];
  c.stdout.on("data", (d) => (out += d));
  c.stderr.on("data", (d) => (err += d));
  c.on("exit", (code) => ok({ code, out, err }));
});
const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-queue-"));
  redis = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  for (let k = 0; ; k++) {
    try {
      await checkRedis(url);
      break;
    } catch (e) {
      if (k > 100) throw e;
      await sleep(50);
    }
  }
  const body = (seeds: string) => `title: queue test\nbase: {model: ${model}, chip: dtm-2025, target: ess>=100, repeats: 1, chains: 4, max_sweeps: 1024}\naxes:\n  numerics.weights.bits: [6, 8]\n  run.seed: ${seeds}\n`;
  writeFileSync(join(dir, "a.yaml"), body("[1, 2, 3]"));
  writeFileSync(join(dir, "b.yaml"), body("[4, 5, 6]"));
});

afterAll(() => {
  for (const w of workers) w.kill("SIGKILL");
  redis?.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe("sweeps on a Redis queue", () => {
  it("two workers give the local run's CSV; enqueueing the same points again recomputes nothing", async () => {
    const local = run(["sweep", "a.yaml", "--out", "local", "--workers", "2"]);
    expect(local.code, local.err).toBe(0);
    worker();
    worker();
    const q = await sweep(["a.yaml", "--out", "queued", "--queue", url]);
    expect(q.code, q.err).toBe(0);
    expect(q.err).toBe("");
    expect(readFileSync(join(dir, "queued", "sweep.csv"), "utf8")).toBe(readFileSync(join(dir, "local", "sweep.csv"), "utf8"));
    // The jobs are named by the points' hashes: a second sweep into a fresh folder gets the finished results.
    const t0 = Date.now();
    const again = await sweep(["a.yaml", "--out", "queued-again", "--queue", url]);
    expect(again.code, again.err).toBe(0);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(readFileSync(join(dir, "queued-again", "sweep.csv"), "utf8")).toBe(readFileSync(join(dir, "local", "sweep.csv"), "utf8"));
    for (const w of workers.splice(0)) w.kill("SIGTERM");
  }, 240_000);

  it("two workers, one killed with SIGKILL mid-job: its job runs again on the other, the CSV is the local one", async () => {
    const local = run(["sweep", "b.yaml", "--out", "local-b", "--workers", "2"]);
    expect(local.code, local.err).toBe(0);
    const victim = worker();
    worker();
    const done = sweep(["b.yaml", "--out", "queued-b", "--queue", url]);
    const queue = new Queue(QUEUE_NAME, { connection: { host: "127.0.0.1", port } });
    try {
      // Both workers busy (one job each): the victim is in the middle of one.
      const t0 = Date.now();
      while ((await queue.getActiveCount()) < 2 && Date.now() - t0 < 60_000) await sleep(20);
      expect(await queue.getActiveCount()).toBe(2);
      victim.kill("SIGKILL");
      const q = await done;
      expect(q.code, q.err).toBe(0);
      expect(readFileSync(join(dir, "queued-b", "sweep.csv"), "utf8")).toBe(readFileSync(join(dir, "local-b", "sweep.csv"), "utf8"));
    } finally {
      await queue.close();
    }
  }, 240_000);

  it("refuses an unreachable Redis and a bad address in one line, exit 2, nothing written", () => {
    for (const [q, msg] of [["redis://127.0.0.1:1", /--queue: cannot reach Redis at redis:\/\/127\.0\.0\.1:1/], ["http://x:1", /--queue: must be a redis:\/\/HOST:PORT address/]] as const) {
      const r = run(["sweep", "a.yaml", "--out", "nowhere", "--queue", q]);
      expect(r.code, r.err).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(existsSync(join(dir, "nowhere"))).toBe(false);
      const w = run(["worker", "--queue", q]);
      expect(w.code).toBe(2);
      expect(w.err).toMatch(msg);
    }
    // A password in the address is never printed.
    expect(redact("redis://:s3cret@host:6379")).toBe("redis://:***@host:6379");
    const pw = run(["sweep", "a.yaml", "--out", "nowhere", "--queue", "redis://:s3cret@127.0.0.1:1"]);
    expect(pw.code).toBe(2);
    expect(pw.err).not.toMatch(/s3cret/);
  }, 60_000);
});
