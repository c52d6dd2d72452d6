/**
 * Mixing diagnostics against independent implementations: the posterior R
 * package's values on Stan's chains (fixture), posterior itself run on
 * random chains of varied autocorrelation, ties, odd lengths and chain
 * counts (Debian's r-cran-posterior; .ci/run installs it), and the known
 * integrated autocorrelation time of AR(1) chains.
 */
import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { diagnoseScalar, iatSokal } from "../src/metrics/diagnostics.js";
import { argsort, averageRanks } from "../src/metrics/rank.js";
import { Random } from "../src/util/random.js";

const FIXTURES = new URL("./fixtures/mcmc-diagnostics/", import.meta.url).pathname;

function readStanCsv(file: string): { names: string[]; rows: number[][] } {
  const lines = readFileSync(file, "utf8").split("\n").filter((l) => l.length > 0 && !l.startsWith("#"));
  return { names: lines[0].split(","), rows: lines.slice(1).map((l) => l.split(",").map(Number)) };
}

/** AR(1) chains with unit stationary variance, started in the stationary law. */
function ar1(chains: number, draws: number, a: number, seed: number): Float64Array[] {
  const r = new Random(seed);
  return Array.from({ length: chains }, () => {
    const x = new Float64Array(draws);
    let v = r.normal();
    for (let i = 0; i < draws; i++) {
      v = a * v + Math.sqrt(1 - a * a) * r.normal();
      x[i] = v;
    }
    return x;
  });
}

describe("Stan's diagnostics on the blocker chains (posterior's values)", () => {
  const c1 = readStanCsv(join(FIXTURES, "blocker.1.csv"));
  const c2 = readStanCsv(join(FIXTURES, "blocker.2.csv"));
  const ref = readFileSync(join(FIXTURES, "reference_posterior.csv"), "utf8").trim().split("\n").map((l) => l.split(",").map((s) => s.replace(/"/g, "")));
  const head = ref[0];
  // Fixture column -> ours. ess_sd: the fixture's is the ESS of (x - mean)^2 (ours too; see the fixture README).
  const columns: [string, keyof ReturnType<typeof diagnoseScalar>][] = [
    ["rhat_rank", "rhat"], ["ess_bulk", "ess_bulk"], ["ess_tail", "ess_tail"], ["ess_mean", "ess_mean"],
    ["ess_sd", "ess_sd"], ["mcse_mean", "mcse_mean"], ["mcse_sd", "mcse_sd"],
  ];

  it("reproduces rank R-hat, bulk/tail/mean/sd ESS and MCSE of mean and sd to 1e-8 on all 48 parameters", () => {
    let checked = 0;
    for (const row of ref.slice(1)) {
      const col = c1.names.indexOf(row[0]);
      expect(col, row[0]).toBeGreaterThanOrEqual(0);
      const d = diagnoseScalar([Float64Array.from(c1.rows, (r) => r[col]), Float64Array.from(c2.rows, (r) => r[col])]);
      for (const [theirs, ours] of columns) {
        const want = Number(row[head.indexOf(theirs)]);
        expect(Math.abs(d[ours] - want), `${row[0]} ${theirs}: ${d[ours]} vs ${want}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(want)));
        checked++;
      }
    }
    expect(checked).toBe(48 * 7);
  });

  it("has the power to tell a near miss: dropping the rank normalisation or the chain split moves the figures far past 1e-8", () => {
    const col = c1.names.indexOf("sigmasq_delta");
    const chains = [Float64Array.from(c1.rows, (r) => r[col]), Float64Array.from(c2.rows, (r) => r[col])];
    const row = ref.find((r) => r[0] === "sigmasq_delta")!;
    const d = diagnoseScalar(chains);
    // ESS of the raw draws is ess_mean, not ess_bulk; the unsplit R-hat is rhat_raw, not rhat_basic.
    expect(Math.abs(d.ess_mean - Number(row[head.indexOf("ess_bulk")]))).toBeGreaterThan(1);
    expect(Math.abs(d.rhat_basic - Number(row[head.indexOf("rhat_raw")]))).toBeGreaterThan(1e-4);
  });
});

describe("differential test against Stan's posterior R package", () => {
  const hasR = spawnSync("Rscript", ["-e", "suppressMessages(library(posterior)); cat(as.character(packageVersion('posterior')))"], { encoding: "utf8" });

  it("finds Rscript with posterior (Debian r-cran-posterior; .ci/run installs it)", () => {
    expect(hasR.status, `Rscript with the posterior package is needed: apt-get install -y r-cran-posterior (${hasR.stderr ?? hasR.error})`).toBe(0);
  });

  it("agrees to 1e-8 on random chains: slow and fast mixing, ties, odd lengths, one to five chains, stuck and heavy-tailed chains", () => {
    if (hasR.status !== 0) return; // the test above fails
    const r = new Random(20261123);
    const cases: { name: string; chains: Float64Array[] }[] = [
      { name: "iid", chains: ar1(4, 1000, 0, 1) },
      { name: "ar0.7-odd", chains: ar1(2, 999, 0.7, 2) },
      { name: "ar0.95", chains: ar1(3, 4000, 0.95, 3) },
      { name: "ar0.5-ties", chains: ar1(4, 500, 0.5, 4).map((c) => c.map((v) => Math.round(2 * v))) },
      { name: "one-chain", chains: ar1(1, 2001, 0.3, 5) },
      { name: "offset-chains", chains: ar1(5, 300, 0.9, 6).map((c, i) => c.map((v) => v + 0.5 * i)) },
      { name: "heavy-tailed", chains: ar1(2, 1500, 0.6, 7).map((c) => c.map((v) => Math.tan(Math.atan(v) * 1.5))) },
      { name: "spins", chains: Array.from({ length: 4 }, () => Float64Array.from({ length: 800 }, () => (r.uniform() < 0.3 ? -1 : 1))) },
    ];
    const dir = mkdtempSync(join(tmpdir(), "thermosim-r-"));
    try {
      for (const c of cases) {
        const lines = Array.from({ length: c.chains[0].length }, (_, i) => c.chains.map((x) => x[i].toPrecision(17)).join(","));
        writeFileSync(join(dir, `${c.name}.csv`), lines.join("\n") + "\n");
      }
      const script = `
suppressMessages(library(posterior))
for (name in c(${cases.map((c) => `"${c.name}"`).join(",")})) {
  x <- as.matrix(read.csv(file.path("${dir}", paste0(name, ".csv")), header = FALSE))
  m <- mean(x)
  v <- c(rhat(x), rhat_basic(x), ess_bulk(x), ess_tail(x), ess_mean(x), ess_mean((x - m)^2), mcse_mean(x), mcse_sd(x))
  cat(name, sprintf("%.17g", v), "\\n")
}`;
      const out = execFileSync("Rscript", ["-e", script], { encoding: "utf8" });
      const keys = ["rhat", "rhat_basic", "ess_bulk", "ess_tail", "ess_mean", "ess_sd", "mcse_mean", "mcse_sd"] as const;
      const lines = out.trim().split("\n");
      expect(lines.length).toBe(cases.length);
      for (const line of lines) {
        const [name, ...vals] = line.trim().split(/\s+/);
        const d = diagnoseScalar(cases.find((c) => c.name === name)!.chains);
        keys.forEach((k, i) => {
          const want = Number(vals[i]); // "NA" -> NaN: both must be undefined
          if (Number.isNaN(want)) return void expect(d[k], `${name} ${k}: posterior says NA`).toBeNaN();
          expect(Math.abs(d[k] - want), `${name} ${k}: ${d[k]} vs posterior ${want}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(want)));
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("integrated autocorrelation time (Sokal's window, c = 5)", () => {
  const as = [0.5, 0.7, 0.9, 0.95];
  it.each(as)("matches (1+a)/(1-a) within 10 percent for AR(1) with a = %s", (a) => {
    const exact = (1 + a) / (1 - a);
    const { iat, window } = iatSokal(ar1(4, 100_000, a, Math.round(a * 100)));
    expect(Math.abs(iat / exact - 1)).toBeLessThan(0.1);
    expect(window).toBeGreaterThanOrEqual(5 * iat - 1);
  });

  it("has the power to tell a 15% longer correlation time at this length (a = 0.55 read as 0.5 fails)", () => {
    const { iat } = iatSokal(ar1(4, 100_000, 0.55, 55));
    expect(Math.abs(iat / 3 - 1)).toBeGreaterThan(0.1);
  });

  it("batch-means MCSE of the mean agrees with sqrt(iat / draws) for AR(1)", () => {
    const a = 0.8;
    const d = diagnoseScalar(ar1(4, 100_000, a, 80));
    const exact = Math.sqrt((1 + a) / (1 - a) / 400_000);
    expect(Math.abs(d.mcse_mean_batch / exact - 1)).toBeLessThan(0.1);
    expect(Math.abs(d.mcse_mean / exact - 1)).toBeLessThan(0.1);
  });
});

describe("ranks", () => {
  it("argsort orders negatives, -0 and +0, subnormals, infinities and ties like a comparator sort, stably", () => {
    const r = new Random(3);
    const special = [0, -0, 5e-324, -5e-324, Infinity, -Infinity, 1, -1, 2 ** 52, -(2 ** -1074)];
    const x = Float64Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? special[i % special.length] : i % 3 === 0 ? Math.round(r.normal() * 3) : r.normal() * 10 ** (r.below(40) - 20)));
    const order = argsort(x);
    const want = Array.from(x.keys()).sort((a, b) => (x[a] < x[b] ? -1 : x[a] > x[b] ? 1 : a - b));
    expect(Array.from(order)).toEqual(want);
    const ranks = averageRanks(x, order);
    const i = x.findIndex((v) => v === 1);
    const below = Array.from(x).filter((v) => v < 1).length;
    const equal = Array.from(x).filter((v) => v === 1).length;
    expect(ranks[i]).toBe(below + (equal + 1) / 2);
  });
});

describe("speed (the < 1 s target is measured by `npm run bench -- diagnostics`; here only gross regressions fail, as tests share the cores)", () => {
  it("diagnoses 4 chains x 250,000 draws (rank R-hat, four ESS, MCSE, IAT, batch means) in under 3 s", () => {
    const chains = ar1(4, 250_000, 0.9, 9);
    diagnoseScalar(chains.map((c) => c.subarray(0, 20_000))); // compile the code paths first
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      diagnoseScalar(chains);
      best = Math.min(best, performance.now() - t0);
    }
    console.log(`diagnose 4 x 250,000 draws: ${best.toFixed(0)} ms`);
    expect(best).toBeLessThan(3000);
  });
});
