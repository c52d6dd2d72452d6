/**
 * `--chain-strength auto`: the chain coupling of an embedded model chosen by
 * measurement. Pilot chains run the chip as built (the embedding, the
 * quantisation, the random source) at a ladder of strengths around D-Wave's
 * uniform torque compensation; each is scored by the error its read-out
 * would have on the run asked for:
 *
 *   small models (enumerable): the total variation of the pilot's logical
 *                 draws from the model's exact law, the pilot as long as the
 *                 run -- a misread law and a frozen chain both show in it;
 *   large models: |ln(beta_eff / beta)| of the pilot's logical draws (a weak
 *                 or frozen chain shows as a wrong temperature) + 1/sqrt(N_eff),
 *                 N_eff the run's draws at the pilot's effective draws per sweep.
 *
 * A strong chain keeps its p-bits together but flips rarely; a weak one
 * mixes but misreads. The lowest score wins; the whole ladder is reported.
 */
import type { Job } from "../run/sample.js";
import type { IsingModel } from "../models/ising.js";
import { boltzmann } from "../models/enumerate.js";
import { LAW_CHECK_MAX_SPINS, observables } from "../metrics/traces.js";
import { essBulk } from "../metrics/ess.js";
import { PseudoLikelihood, betaBatch, estimateBetaEff } from "../metrics/beta-eff.js";
import { spinQuality } from "../metrics/quality.js";
import { InputError } from "../errors.js";

/** Multiples of the UTC strength tried. */
export const LADDER = [0.5, 0.71, 1, 1.41, 2, 2.83];
const PILOT_CHAINS = 4;
/** p-bit updates for the whole ladder, at most (a fraction of a second to a few seconds). */
const PILOT_UPDATES = 6e7;

export interface LadderRung {
  chain_strength: number;
  /** Small models: the TV of the pilot's logical draws (second half) from the model's exact law. */
  pilot_tv: number | null;
  beta_eff: number | null;
  /** Majority read-out: broken chain readings; discard: rows dropped. Null (and the rest below) when the strength was not scored (note). */
  chain_break_rate: number | null;
  /** Recorded sweeps per draw kept (1 for majority; more when discard drops rows). */
  sweeps_per_draw: number | null;
  ess_per_sweep: number;
  law_error: number | null;
  noise: number | null;
  score: number | null;
  /** Why a strength was not scored (the discard read-out kept too few rows). */
  note?: string;
}

export interface ChainStrengthChoice {
  value: number;
  report: {
    method: string;
    utc: number;
    ladder: LadderRung[];
    chosen: number;
    why: string;
    pilot: string;
  };
}

/**
 * Run the pilot ladder. `build(c, pilot)` makes the job at strength c (the
 * same chains, pinned) for the pilot's chains and sweeps; `pbits` sizes the
 * pilot; `sweepsAsked` and `drawsAsked` are the run's (per chain; all chains).
 */
export function chooseChainStrength(model: IsingModel, utc: number, pbits: number, sweepsAsked: number, drawsAsked: number, build: (c: number, pilot: { chains: number; samples: number; burnIn: number }) => Job): ChainStrengthChoice {
  const small = model.n <= LAW_CHECK_MAX_SPINS;
  const exact = small ? boltzmann(model) : undefined;
  const obs = observables(model);
  // As long as the run itself when that is affordable (the same mixing is asked of both), at least 1,000 sweeps.
  const sweeps = Math.max(1000, Math.min(sweepsAsked, Math.floor(PILOT_UPDATES / (LADDER.length * PILOT_CHAINS * Math.max(1, pbits)))));
  const burnIn = Math.floor(sweeps / 2);
  const draws = sweeps - burnIn;
  const ladder: LadderRung[] = LADDER.map((f) => {
    const c = f * utc;
    const job = build(c, { chains: PILOT_CHAINS, samples: draws, burnIn });
    const traces = Array.from({ length: PILOT_CHAINS }, () => Array.from({ length: obs.names.length }, () => new Float64Array(draws)));
    const states = small ? Array.from({ length: PILOT_CHAINS }, () => new Uint32Array(draws)) : undefined;
    const pl = new PseudoLikelihood(model);
    const scratch = new Float64Array(obs.names.length);
    const n = model.n;
    let run: ReturnType<Job["runChains"]>;
    try {
      run = job.runChains(0, PILOT_CHAINS, (chain, first, count, rows) => {
      for (let r = 0; r < count; r++) {
        obs.compute(rows, r, scratch, 0);
        for (let v = 0; v < scratch.length; v++) traces[chain][v][first + r] = scratch[v];
        if (states) {
          let x = 0;
          for (let i = 0; i < n; i++) if (rows[r * n + i] > 0) x |= 1 << i;
          states[chain][first + r] = x >>> 0;
        }
        pl.add(rows, r, betaBatch(chain, first + r, draws));
      }
      });
    } catch (e) {
      // The discard read-out gave up: this strength keeps too few rows to be worth running.
      if (!(e instanceof InputError)) throw e;
      return { chain_strength: c, pilot_tv: null, beta_eff: null, chain_break_rate: null, sweeps_per_draw: null, ess_per_sweep: 0, law_error: null, noise: null, score: null, note: e.problem };
    }
    const ess = Math.min(...obs.names.map((_, v) => essBulk(traces.map((t) => t[v]))));
    // Discard read-out: the kept draws cost rows_run recorded sweeps, not one each.
    const discard = run.diagnostics.rows_run !== undefined;
    const rowsRun = discard ? run.diagnostics.rows_run : PILOT_CHAINS * draws;
    const cost = rowsRun / (PILOT_CHAINS * draws);
    const essPerSweep = Number.isFinite(ess) ? ess / rowsRun : 0;
    const be = estimateBetaEff(pl.data());
    const breakRate = discard
      ? run.diagnostics.rows_discarded / Math.max(1, rowsRun)
      : run.diagnostics.chain_readings > 0 ? run.diagnostics.chain_breaks / run.diagnostics.chain_readings : 0;
    const nEff = Math.max(1, Math.min(drawsAsked, essPerSweep * drawsAsked * Math.max(1, sweepsAsked / Math.max(1, drawsAsked))));
    let law: number;
    let noise: number;
    let tv: number | null = null;
    if (exact) {
      // The draws' own distance from the exact law: stationary error and poor mixing together.
      // With discard, the same draws cost `cost` x the sweeps: TV scaled to equal sweeps (sampling noise falls as 1/sqrt(draws)).
      tv = spinQuality(model, states!, exact, false).tv;
      law = tv * Math.sqrt(cost);
      noise = 0;
    } else {
      law = be ? Math.abs(Math.log(Math.max(1e-12, be.value) / model.beta)) : 1;
      noise = 1 / Math.sqrt(nEff);
    }
    return { chain_strength: c, pilot_tv: tv, beta_eff: be?.value ?? null, chain_break_rate: breakRate, sweeps_per_draw: cost, ess_per_sweep: essPerSweep, law_error: law, noise, score: law + noise };
  });
  const scored = ladder.filter((r) => r.score !== null);
  // Nothing scored: every strength kept too few rows; the run itself refuses at the UTC strength with that reason.
  const best = scored.length ? scored.reduce((b, r) => (r.score! < b.score! ? r : b)) : ladder[LADDER.indexOf(1)];
  return {
    value: best.chain_strength,
    report: {
      method: small
        ? "auto: pilot chains at multiples of the UTC strength, as long as the run; score = the total variation of their logical draws (second half) from the model's exact law, which sees a misread law and poor mixing alike, x sqrt(sweeps per kept draw) under the discard read-out (equal sweeps); the lowest wins"
        : "auto: pilot chains at multiples of the UTC strength; score = |ln(beta_eff / beta)| of their logical draws + 1 / sqrt(the run's effective draws at their mixing rate); the lowest wins",
      utc,
      ladder,
      chosen: best.chain_strength,
      why: best.score === null
        ? `no strength on the ladder kept enough rows (${best.note}); UTC taken`
        : `${(best.chain_strength / utc).toPrecision(3)} x UTC: score ${best.score.toPrecision(3)} (${small ? `pilot TV ${best.pilot_tv!.toPrecision(3)}${best.sweeps_per_draw !== 1 ? ` x sqrt(${best.sweeps_per_draw!.toPrecision(3)} sweeps per kept draw)` : ""}` : `|ln beta_eff/beta| ${best.law_error!.toPrecision(3)} + noise ${best.noise!.toPrecision(3)}`}), ${best.ess_per_sweep.toPrecision(3)} effective draws per sweep, ${best.sweeps_per_draw !== 1 ? "rows dropped" : "break rate"} ${(100 * best.chain_break_rate!).toPrecision(2)}%`,
      pilot: `${PILOT_CHAINS} chains x ${sweeps} sweeps (half burn-in) per strength, the run's seed`,
    },
  };
}
