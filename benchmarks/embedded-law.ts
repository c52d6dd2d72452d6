/**
 * How well the grid chips sample dense models through a minor-embedding:
 * K_n with random couplings (J ~ N(0, 0.4^2), h ~ N(0, 0.2^2), beta 1) on
 * dtm-2025 and z1 at the default chain strength (UTC), read out by discard
 * (the default) and by majority vote. For each: the TV of 4 x 1,000 draws
 * (200 sweeps apart) from the exact law (enumeration), against the mean TV of
 * as many i.i.d. draws, the rows discard drops, and the sweeps run per draw.
 * `EMBED_LAW_N=4,8,12` picks the sizes, `EMBED_CHIPS` the chips.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepare, type SampleRequest } from "../src/run/sample.js";
import { boltzmann } from "../src/models/enumerate.js";
import { Random } from "../src/util/random.js";
import { exactDraws } from "../src/mapping/distill.js";
import type { IsingModel } from "../src/models/ising.js";
import type { Readout } from "../src/mapping/embedding.js";
import { BenchOutput, markdownTable, type Row } from "./output.js";

const CHAINS = 4;
const DRAWS = 1000;
const THIN = 200;

function tvFrom(p: Float64Array, rows: Int8Array, n: number): number {
  const q = new Float64Array(p.length);
  const count = rows.length / n;
  for (let r = 0; r < count; r++) {
    let x = 0;
    for (let i = 0; i < n; i++) if (rows[r * n + i] > 0) x |= 1 << i;
    q[x] += 1 / count;
  }
  let t = 0;
  for (let x = 0; x < p.length; x++) t += Math.abs(p[x] - q[x]) / 2;
  return t;
}

/** Mean TV of 20 sets of `draws` i.i.d. exact draws: the floor a perfect sampler reaches. */
function iidTv(model: IsingModel, p: Float64Array, draws: number): number {
  let sum = 0;
  for (let s = 0; s < 20; s++) sum += tvFrom(p, exactDraws(model, draws, 4242 + s), model.n);
  return sum / 20;
}

export async function run(): Promise<void> {
  const out = new BenchOutput("embedded-law");
  const dir = mkdtempSync(join(tmpdir(), "thermosim-embedded-law-"));
  const sizes = (process.env.EMBED_LAW_N ?? "4,6,8,10,12").split(",").map(Number);
  const chips = (process.env.EMBED_CHIPS ?? "dtm-2025,z1").split(",");
  const rows: Row[] = [];
  for (const n of sizes) {
    const rng = new Random(100 + n);
    const J: [number, number, number][] = [];
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) J.push([i, j, 0.4 * rng.normal()]);
    const doc = { kind: "ising", n, h: Array.from({ length: n }, () => 0.2 * rng.normal()), J, beta: 1 };
    const file = join(dir, `k${n}.json`);
    writeFileSync(file, JSON.stringify(doc));
    for (const chip of chips) {
      let exact: Float64Array | undefined;
      let floor = NaN;
      for (const readout of ["discard", "majority"] as Readout[]) {
        const req: SampleRequest = { modelFile: file, chip, chains: CHAINS, samples: DRAWS, burnIn: 1000, thin: THIN, seed: 1, readout };
        const t0 = performance.now();
        let r: ReturnType<ReturnType<typeof prepare>["job"]["runChains"]>;
        let job: ReturnType<typeof prepare>["job"];
        try {
          job = prepare(req).job;
          r = job.runChains(0, CHAINS);
        } catch (e) {
          rows.push({ n, chip, readout, note: (e as Error).message.slice(0, 160) });
          console.log(`K${n} on ${chip} (${readout}): ${(e as Error).message.slice(0, 160)}`);
          continue;
        }
        const seconds = (performance.now() - t0) / 1000;
        exact ??= boltzmann(job.model as never);
        if (Number.isNaN(floor)) floor = iidTv(job.model as IsingModel, exact, CHAINS * DRAWS);
        const tv = tvFrom(exact, r.samples as Int8Array, n);
        const emb = (job.report as { embedding?: { pbits: number; chain_length_max: number; chain_strength: number } }).embedding;
        const diag = r.diagnostics as Record<string, number | undefined>;
        const rowsRun = diag.rows_run ?? CHAINS * DRAWS;
        const row = {
          n, chip, readout, pbits: emb?.pbits ?? n, chain_length_max: emb?.chain_length_max ?? 1, chain_strength: emb?.chain_strength ?? null,
          tv, iid_tv: floor, tv_over_iid: tv / floor,
          row_discard_rate: diag.rows_discarded !== undefined ? diag.rows_discarded / rowsRun : null,
          sweeps_per_draw: (rowsRun * THIN) / (CHAINS * DRAWS), wall_s: seconds,
        };
        rows.push(row);
        console.log(`K${n} on ${chip} (${readout}): ${row.pbits} p-bits, chains up to ${row.chain_length_max}, TV ${tv.toFixed(4)} vs i.i.d. ${floor.toFixed(4)} (${(tv / floor).toFixed(2)}x)${row.row_discard_rate !== null ? `, ${(100 * row.row_discard_rate).toFixed(1)}% of rows dropped` : ""}, ${row.sweeps_per_draw.toFixed(0)} sweeps per draw, ${seconds.toFixed(1)} s`);
      }
    }
  }
  const ok = rows.filter((r) => r.readout === "discard" && typeof r.tv_over_iid === "number");
  const within = ok.filter((r) => (r.tv_over_iid as number) <= 2).length;
  const maj = rows.filter((r) => r.readout === "majority" && typeof r.tv_over_iid === "number");
  out.finish(rows, [
    `Dense models on the grid chips through a minor-embedding at the default chain strength (UTC), ${CHAINS} chains x ${DRAWS} draws ${THIN} sweeps apart: with the discard read-out ${within} of ${ok.length} runs are within 2x the i.i.d. TV of as many draws; with majority vote ${maj.filter((r) => (r.tv_over_iid as number) <= 2).length} of ${maj.length}.`,
    "",
    ...markdownTable(rows, ["n", "chip", "readout", "pbits", "chain_length_max", "tv", "iid_tv", "tv_over_iid", "row_discard_rate", "sweeps_per_draw", "note"]),
  ], { chains: CHAINS, draws: DRAWS, thin: THIN, model: "K_n, J ~ N(0, 0.4^2), h ~ N(0, 0.2^2), beta 1, seed 100 + n" });
}
