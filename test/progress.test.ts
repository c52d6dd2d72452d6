/**
 * Progress bars: on stderr when it is a terminal (run under `script`, which
 * gives the command a pseudo-terminal), never in pipes or CI, never with --json.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bin = join(__dirname, "..", "bin", "thermosim.js");
const model = join(__dirname, "..", "examples", "g12-70.json");
const quote = (a: string[]) => a.map((x) => `'${x}'`).join(" ");
/** Output of the command run on a pseudo-terminal (util-linux script). */
const onTerminal = (args: string[]) => spawnSync("script", ["-qec", quote([process.execPath, bin, ...args]), "/dev/null"], { encoding: "utf8" });

describe("progress", () => {
  const dir = mkdtempSync(join(tmpdir(), "thermosim-progress-"));
  const sample = (out: string) => ["sample", model, "--chip", "dtm-2025", "--chains", "2", "--samples", "400", "--burn-in", "10", "--out", join(dir, out)];
  it("a bar on a terminal, nothing in a pipe, nothing with --json", () => {
    const tty = onTerminal(sample("a"));
    expect(tty.status, tty.stderr).toBe(0);
    expect(tty.stdout).toMatch(/sampling \[.*\] 100% \| 820\/820 sweeps/);
    const pipe = spawnSync(process.execPath, [bin, ...sample("b")], { encoding: "utf8" });
    expect(pipe.status).toBe(0);
    expect(pipe.stderr).not.toMatch(/sampling \[/);
    const json = onTerminal([...sample("c"), "--json"]);
    expect(json.status).toBe(0);
    expect(json.stdout).not.toMatch(/sampling \[/);
    JSON.parse(json.stdout.replace(/\r/g, "").trim().split("\n").pop()!); // stdout is the JSON alone
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
