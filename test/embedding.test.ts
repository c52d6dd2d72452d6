/**
 * Minor-embedding: the search gives valid, deterministic chains; the embedded
 * model has the logical energy on every aligned state; the read-out law and
 * break rate computed exactly agree with an independent enumeration and with
 * what the chip's samples show; and the CLI finds, saves, reuses and refuses
 * embeddings as documented.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chip, cliIn, ising } from "./helpers.js";
import { fixedTopology } from "../src/chips/topology/index.js";
import { csrFromEdges } from "../src/chips/graph.js";
import { countingBound, findEmbedding } from "../src/mapping/embed.js";
import { checkChains, embedIsing, readoutLaw } from "../src/mapping/embedding.js";
import { placeIsing } from "../src/mapping/place.js";
import { isingEnergy, type IsingModel } from "../src/models/ising.js";
import { boltzmann } from "../src/models/enumerate.js";
import { Random } from "../src/util/random.js";
import { InputError } from "../src/errors.js";
import { loadModel } from "../src/models/load.js";
import { decodeNpy } from "../src/io/npy.js";
import { spinQuality } from "../src/metrics/quality.js";

function dense(n: number, seed: number, scale = 0.4): IsingModel {
  const r = new Random(seed);
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j, scale * (2 * r.uniform() - 1)]);
  return ising(n, edges, Array.from({ length: n }, () => 0.2 * (2 * r.uniform() - 1)));
}

const dtm = fixedTopology(chip("dtm-2025").topology, "dtm-2025");
const graphOf = (m: IsingModel) => csrFromEdges(m.n, m.ei, m.ej);

describe("embedding search", () => {
  it("embeds dense models on dtm-2025 with valid chains, the same for the same seed", () => {
    for (const n of [3, 5, 8, 10]) {
      const m = dense(n, n);
      const a = findEmbedding(graphOf(m), dtm, { seed: 5, tries: 4, rounds: 40 });
      expect(a.chains, a.tried.join("; ")).toBeDefined();
      expect(() => checkChains(a.chains!, m, dtm, "search")).not.toThrow();
      const b = findEmbedding(graphOf(m), dtm, { seed: 5, tries: 4, rounds: 40 });
      expect(b.chains!.map((c) => Array.from(c))).toEqual(a.chains!.map((c) => Array.from(c)));
    }
  });

  it("says what it tried when there is no embedding (K5 on a planar grid)", () => {
    const square = fixedTopology(chip("dtm-2025", { topology: { impl: "offset-grid", width: 6, height: 6, wrap: false, offsets: "square" } }).topology, "sq");
    const r = findEmbedding(graphOf(dense(5, 1)), square, { seed: 1, tries: 2, rounds: 10 });
    expect(r.chains).toBeUndefined();
    expect(r.tried.join("; ")).toMatch(/2 tries of 10 rounds in a region of 36 p-bits/);
  });
});

describe("the counting bound", () => {
  const small = (offsets: string) => fixedTopology(chip("dtm-2025", { topology: { impl: "offset-grid", width: 6, height: 6, wrap: false, offsets } }).topology, "small");
  it("refuses at once a model whose degrees need more p-bits than the chip has (K40 on a 6x6 square grid)", () => {
    const t0 = performance.now();
    const r = findEmbedding(graphOf(dense(40, 2)), small("square"), { seed: 1, tries: 4, rounds: 40 });
    expect(r.chains).toBeUndefined();
    expect(r.tried).toEqual([expect.stringMatching(/^counting bound: .*up to 39.* at least 760 p-bits in all on a chip of degree 4, and the chip has 36$/)]);
    expect(performance.now() - t0).toBeLessThan(200);
  });
  it("refuses a model with more couplings than the chip has edges (an 8-regular circulant on 36 spins, a 6x6 king's graph: 110 edges)", () => {
    const edges: [number, number, number][] = [];
    for (let i = 0; i < 36; i++) for (let d = 1; d <= 4; d++) edges.push([i, (i + d) % 36, 0.1]);
    const r = findEmbedding(graphOf(ising(36, edges, new Array(36).fill(0))), small("king"), { seed: 1, tries: 1, rounds: 5 });
    expect(r.tried.join("")).toBe("counting bound: 144 couplings plus the chains' inner edges need at least 144 chip edges, and the chip has 110");
  });
  it("is only a necessary condition: it passes every model the search embeds", () => {
    for (const n of [3, 5, 8, 10, 13]) expect(countingBound(graphOf(dense(n, n)), dtm)).toBeUndefined();
  });
});

describe("checking chains", () => {
  const m = ising(3, [[0, 1, 1], [1, 2, 1]], [0, 0, 0]);
  const bad: [string, number[][], RegExp][] = [
    ["too few chains", [[0], [1]], /chains: has 2 chains; the model has 3 variables/],
    ["empty chain", [[0], [], [1]], /chains\[1\]: is empty/],
    ["off the chip", [[0], [1], [99999]], /chains\[2\]\[0\]: is 99999, not a p-bit/],
    ["shared p-bit", [[0], [1], [1]], /chains\[2\]\[0\]: p-bit 1 is already in chain 1/],
    ["disconnected chain", [[0, 2485], [1], [2]], /chains\[0\]: is not connected/],
    ["coupled chains apart", [[0], [1], [2485]], /no chip edge joins the chains of variables 1 and 2/],
  ];
  for (const [what, chains, msg] of bad) {
    it(`refuses ${what}`, () => {
      expect(() => checkChains(chains, m, dtm, "e.json")).toThrow(InputError);
      expect(() => checkChains(chains, m, dtm, "e.json")).toThrow(msg);
    });
  }
});

/** All 2^n spin vectors. */
function* states(n: number): Generator<Float64Array> {
  for (let x = 0; x < 2 ** n; x++) yield Float64Array.from({ length: n }, (_, i) => ((x >> i) & 1 ? 1 : -1));
}

describe("the embedded model", () => {
  const m = { ...dense(5, 3), offset: 0.7 };
  const chains = findEmbedding(graphOf(m), dtm, { seed: 2, tries: 4, rounds: 40 }).chains!;
  const e = embedIsing(m, chains, 2.5, dtm);
  const aligned = (s: Float64Array) => Float64Array.from(e.owner, (i) => s[i]);

  it("has the logical energy (offset included) on every state whose chains agree", () => {
    for (const s of states(m.n)) expect(isingEnergy(e.physical, aligned(s))).toBeCloseTo(isingEnergy(m, s), 12);
  });

  it("power: a bias repeated on every p-bit of its chain (each given the whole h_i) breaks the identity", () => {
    expect(chains.some((c) => c.length > 1)).toBe(true);
    const wrong = { ...e.physical, h: Float64Array.from(e.owner, (i) => m.h[i]) };
    let differs = false;
    for (const s of states(m.n)) if (Math.abs(isingEnergy(wrong, aligned(s)) - isingEnergy(m, s)) > 1e-9) differs = true;
    expect(differs).toBe(true);
  });

  it("reports what the chip realises of the logical model: each bias and coupling rounded once (within half an LSB), chain couplings as set", () => {
    const spec = chip("dtm-2025");
    const placed = placeIsing(m, "k5.json", spec, "chromatic", { seed: 2, chainStrength: 2.5 });
    const emb = (placed.mapping.report as unknown as { embedding: Record<string, { max_abs_error: number; min: number; max: number }> }).embedding;
    const num = spec.numerics;
    const lsb = (f: typeof num.weights) => (f.format === "fixed" ? f.lsb : 0) * placed.mapping.gain;
    // Independent of the report: dequantised physical values summed per logical coupling by hand.
    const eff = placed.mapping.effective();
    const owner = placed.embedding!.embedded.owner;
    let worst = 0;
    for (let k = 0; k < m.ei.length; k++) {
      let sum = 0;
      for (let q = 0; q < eff.ei.length; q++) {
        const [a, b] = [owner[eff.ei[q]], owner[eff.ej[q]]];
        if (a !== b && Math.min(a, b) === m.ei[k] && Math.max(a, b) === m.ej[k]) sum += eff.ew[q];
      }
      worst = Math.max(worst, Math.abs(sum - m.ew[k]));
    }
    expect(emb.logical_weights.max_abs_error).toBeCloseTo(worst, 12);
    expect(worst).toBeLessThanOrEqual(lsb(num.weights) / 2 + 1e-12);
    expect(emb.logical_biases.max_abs_error).toBeLessThanOrEqual(lsb(num.biases) / 2 + 1e-12);
    expect(emb.chain_strength_realised.min).toBeCloseTo(2.5, 1);
    expect(emb.chain_strength_realised.max).toBe(emb.chain_strength_realised.min);
  });

  it("reads out (majority vote, fair ties) to the law an independent enumeration gives; breaks fall as the coupling grows", () => {
    const small = dense(3, 9, 0.6);
    const ch = findEmbedding(graphOf(small), dtm, { seed: 1, tries: 4, rounds: 40 }).chains!;
    let lastBreak = 1;
    let lastTv = 1;
    for (const c of [0.25, 0.5, 1, 2, 4]) {
      const em = embedIsing(small, ch, c, dtm);
      const { p, breakRate } = readoutLaw(em, em.physical);
      // Independent: Boltzmann weights of every physical state, read chain by chain.
      const phys = boltzmann(em.physical);
      const q = new Float64Array(8);
      let breaks = 0;
      for (let x = 0; x < phys.length; x++) {
        let outs = [[0, phys[x]]];
        for (let i = 0; i < 3; i++) {
          const bits = ch[i].map((pb) => (x >> em.phys.indexOf(pb)) & 1);
          const up = bits.reduce((a, b) => a + b, 0);
          if (up > 0 && up < bits.length) breaks += phys[x] / 3;
          if (2 * up > bits.length) outs = outs.map(([s, w]) => [s | (1 << i), w]);
          else if (2 * up === bits.length) outs = outs.flatMap(([s, w]) => [[s, w / 2], [s | (1 << i), w / 2]]);
        }
        for (const [s, w] of outs) q[s] += w;
      }
      for (let s = 0; s < 8; s++) expect(p[s]).toBeCloseTo(q[s], 12);
      expect(breakRate).toBeCloseTo(breaks, 12);
      expect(breakRate).toBeLessThan(lastBreak);
      const exact = boltzmann(small);
      const tv = 0.5 * exact.reduce((a, v, s) => a + Math.abs(v - p[s]), 0);
      expect(tv).toBeLessThan(lastTv);
      [lastBreak, lastTv] = [breakRate, tv];
    }
    expect(lastTv).toBeLessThan(1e-3); // strong chains: the logical law
  });
});

describe("thermosim sample with an embedding", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-embed-"));
    const m = dense(5, 11, 0.4);
    const J = Array.from(m.ei, (i, k) => [i, m.ej[k], m.ew[k]]);
    writeFileSync(join(dir, "k5.json"), JSON.stringify({ kind: "ising", n: 5, h: Array.from(m.h), J }));
    writeFileSync(join(dir, "sq.yaml"), "extends: dtm-2025\ntopology: { impl: offset-grid, width: 6, height: 6, wrap: false, offsets: square }\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run, refused } = cliIn(() => dir);
  const stats = (out: string) => JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8"));
  const args = (out: string, c: number, extra: string[] = []) =>
    ["sample", "k5.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "3000", "--burn-in", "300", "--thin", "20", "--seed", "3", "--chain-strength", String(c), "--readout", "majority", "--out", out, ...extra];

  it("samples a dense model on dtm-2025 through chains: the law check against the exact read-out law passes, measured breaks match the exact rate and fall as the coupling grows", () => {
    const rates: number[] = [];
    for (const c of [0.5, 1, 2]) {
      const r = run(args(`c${c}`, c));
      expect(r.code, r.err).toBe(0);
      const s = stats(`c${c}`);
      expect(s.mapping.placement).toBe("minor-embedding");
      expect(s.mapping.law_check.consistent, JSON.stringify(s.mapping.law_check)).toBe(true);
      const exact = s.mapping.embedding.readout_break_rate;
      const measured = s.diagnostics.chain_break_rate;
      expect(Math.abs(measured - exact)).toBeLessThan(0.1 * exact + 0.003);
      rates.push(measured);
    }
    expect(rates[1]).toBeLessThan(rates[0]);
    expect(rates[2]).toBeLessThan(rates[1]);
  });

  it("power: at weak coupling the samples are visibly not the logical law (the read-out law is the right target)", () => {
    const s = stats("c0.5");
    expect(s.mapping.embedding.readout_tv).toBeGreaterThan(0.05);
    expect(s.warnings.join(" ")).toMatch(/chain readings were broken/);
    // The same draws that pass against the read-out law fail against the logical law.
    const m = loadModel(join(dir, "k5.json"));
    const npy = decodeNpy(readFileSync(join(dir, "c0.5", "samples.npy")), "samples.npy");
    const rows = npy.data.length / 5;
    const idx = Int32Array.from({ length: rows }, (_, r) => {
      let x = 0;
      for (let i = 0; i < 5; i++) if (npy.data[r * 5 + i] > 0) x |= 1 << i;
      return x;
    });
    const q = spinQuality(m as IsingModel, [idx], boltzmann(m as IsingModel));
    expect(q.tv).toBeGreaterThan(3 * q.iid.tv);
  });

  it("saves the embedding, and reusing it (any number of workers) gives the same samples", () => {
    const again = run(args("reuse", 1, ["--embedding", join(dir, "c1", "embedding.json"), "--workers", "2"]));
    expect(again.code, again.err).toBe(0);
    expect(readFileSync(join(dir, "reuse", "samples.npy"))).toEqual(readFileSync(join(dir, "c1", "samples.npy")));
    expect(stats("reuse").mapping.embedding.how).toMatch(/read from/);
  });

  it("compare takes the chain options for the chips that embed (and ignores them on a chip that holds the model as it is)", () => {
    const cmp = ["compare", "k5.json", "--chip", "dtm-2025", "--chip", "ideal", "--target", "tv<=0.2", "--repeats", "2", "--max-sweeps", "3000", "--workers", "2", "--out"];
    const a = run([...cmp, "cmp-a", "--chain-strength", "1"]);
    expect(a.code, a.err).toBe(0);
    const b = run([...cmp, "cmp-b", "--chain-strength", "1", "--embedding", join(dir, "c1", "embedding.json")]);
    expect(b.code, b.err).toBe(0);
    const rows = (d: string) => JSON.parse(readFileSync(join(dir, d, "compare.json"), "utf8")).systems as { name: string; iat_sweeps: number; runs: unknown[] }[];
    // The search with seed 3 (sample's c1 run) and compare's seed 1 may differ; the same chains give the same rows.
    const c = run([...cmp, "cmp-c", "--chain-strength", "1", "--embedding", join(dir, "c1", "embedding.json"), "--workers", "1"]);
    expect(c.code, c.err).toBe(0);
    expect(rows("cmp-c")).toEqual(rows("cmp-b"));
    expect(rows("cmp-a").map((r) => r.name)).toEqual(["dtm-2025", "chromatic-gibbs-int", "ideal"]); // dtm-2025, its integer twin, the ideal chip
    refused(["compare", "k5.json", "--baseline", "gibbs", "--target", "tv<=0.2", "--chain-strength", "2", "--out", "cmp-x"], /--chain-strength: applies to p-bit chips; give a --chip/);
  });

  it("refuses bad embeddings and models that cannot be embedded, in one line", () => {
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ format: "thermosim-embedding", version: 1, chains: [[0], [1], [1], [2], [3]] }));
    refused(["sample", "k5.json", "--chip", "dtm-2025", "--embedding", "bad.json"], /bad\.json: chains\[2\]\[0\]: p-bit 1 is already in chain 1/);
    writeFileSync(join(dir, "notjson.json"), "{");
    refused(["sample", "k5.json", "--chip", "dtm-2025", "--embedding", "notjson.json"], /notjson\.json: is not valid JSON/);
    refused(["sample", "k5.json", "--chip", "sq.yaml"], /k5\.json: cannot be placed on chip .*no minor-embedding was found \(.*tries of .* rounds in a region of 36 p-bits/);
    refused(["sample", "k5.json", "--baseline", "gibbs", "--chain-strength", "2"], /--chain-strength: applies to p-bit chips/);
    // An embedding file for another chip: its topology is named, and refused before its chains are read.
    refused(["sample", "k5.json", "--chip", "z1", "--embedding", "c1/embedding.json"], /c1\/embedding\.json: topology: the chains were found on chip dtm-2025 \(offset-grid 70x70 torus, offsets G12, degree 12\); chip z1 is /);
  });
});

describe("a dense 10-spin model on dtm-2025 through chains", () => {
  let dir: string;
  const m = dense(10, 10, 0.4);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "thermosim-k10-"));
    const J = Array.from(m.ei, (i, k) => [i, m.ej[k], m.ew[k]]);
    writeFileSync(join(dir, "k10.json"), JSON.stringify({ kind: "ising", n: 10, h: Array.from(m.h), J }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { run } = cliIn(() => dir);
  const exact = boltzmann(m);
  const tvOf = (out: string) => {
    const npy = decodeNpy(readFileSync(join(dir, out, "samples.npy")), "samples.npy");
    const rows = npy.data.length / 10;
    const counts = new Float64Array(1024);
    for (let r = 0; r < rows; r++) {
      let x = 0;
      for (let i = 0; i < 10; i++) if (npy.data[r * 10 + i] > 0) x |= 1 << i;
      counts[x] += 1 / rows;
    }
    return { rows, tv: 0.5 * exact.reduce((a, p, s) => a + Math.abs(p - counts[s]), 0) };
  };
  // The spread of the TV of `rows` i.i.d. draws from the exact law (200 replicates).
  const iidBound = (rows: number) => {
    const cdf = new Float64Array(1024);
    exact.reduce((a, p, s) => (cdf[s] = a + p), 0);
    const r = new Random(77);
    const tvs: number[] = [];
    for (let k = 0; k < 200; k++) {
      const counts = new Float64Array(1024);
      for (let d = 0; d < rows; d++) {
        const u = r.uniform() * cdf[1023];
        let lo = 0;
        for (let hi = 1023; lo < hi; ) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] < u) lo = mid + 1;
          else hi = mid;
        }
        counts[lo] += 1 / rows;
      }
      tvs.push(0.5 * exact.reduce((a, p, s) => a + Math.abs(p - counts[s]), 0));
    }
    const mean = tvs.reduce((a, b) => a + b, 0) / tvs.length;
    const sd = Math.sqrt(tvs.reduce((a, b) => a + (b - mean) ** 2, 0) / (tvs.length - 1));
    return { mean, sd, bound: mean + 4 * sd };
  };
  // Long chains at strong coupling flip rarely (tau ~ 2.5e4 sweeps at c = 2
  // on this embedding), hence the heavy thinning.
  const args = (out: string, c: number, thin: number) =>
    ["sample", "k10.json", "--chip", "dtm-2025", "--chains", "4", "--samples", "500", "--burn-in", "10", "--thin", String(thin), "--seed", "3", "--chain-strength", String(c), "--readout", "majority", "--out", out];

  it("reproduces the logical law (TV within the i.i.d. bound) at strong coupling, and not at weak coupling, where more chains break", () => {
    for (const [out, c, thin] of [["strong", 2, 25000], ["weak", 1, 5000]] as const) {
      const r = run(args(out, c, thin));
      expect(r.code, r.err).toBe(0);
    }
    const strong = tvOf("strong");
    const weak = tvOf("weak");
    const iid = iidBound(strong.rows);
    expect(strong.tv, JSON.stringify({ strong, iid })).toBeLessThan(iid.bound);
    expect(weak.tv, JSON.stringify({ weak, iid })).toBeGreaterThan(iid.bound); // power
    const s = JSON.parse(readFileSync(join(dir, "strong", "stats.json"), "utf8"));
    const w = JSON.parse(readFileSync(join(dir, "weak", "stats.json"), "utf8"));
    expect(s.mapping.embedding.variables).toBe(10);
    expect(w.diagnostics.chain_break_rate).toBeGreaterThan(2 * s.diagnostics.chain_break_rate);
  }, 120_000);
});
