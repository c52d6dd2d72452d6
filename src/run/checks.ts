/**
 * What a run's own draws say about it: the law check of small spin models
 * against the chip's quantised model, and mixing (ESS) from the traces; and,
 * before a run, the bias sources a p-bit chip's design is known to have.
 */
import type { ChainResult } from "../chips/chains.js";
import type { PbitMapping } from "../mapping/pbit.js";
import type { PbitSpec, Schedule } from "../chips/pbit/spec.js";
import { cyclesPerSweep } from "../chips/pbit/driver.js";
import { boltzmann } from "../models/enumerate.js";
import { spinLawCheck } from "../metrics/law-check.js";
import { essBulk } from "../metrics/ess.js";
import { LAW_CHECK_MAX_SPINS } from "../metrics/traces.js";
import type { EmbeddingInfo } from "../mapping/place.js";
import { MAX_PUSHFORWARD, type Readout } from "../mapping/embedding.js";
import { estimateBetaEff, type BetaEff } from "../metrics/beta-eff.js";

/** Below this Bonferroni p-value a law check reports the chip's law as different. */
export const LAW_P_THRESHOLD = 1e-6;

/** A p-bit chip's design features that bias its law, with the size of each where it can be said. */
export function knownBiases(spec: PbitSpec, m: PbitMapping, schedule: Schedule): string[] {
  const out: string[] = [];
  const shifts = spec.rng.kernelArgs({ schedule, cyclesPerSweep: cyclesPerSweep(m, schedule) }).lfsrShifts;
  if (spec.rng.impl === "lfsr32" && shifts < 32) {
    out.push(`each p-bit's LFSR shifts ${shifts} time${shifts === 1 ? "" : "s"} between reads, so consecutive random words share ${32 - shifts} of 32 bits: the chip's law departs from its quantised model (measured on models of up to ${LAW_CHECK_MAX_SPINS} spins: mapping.law_check)`);
  }
  if (spec.rng.impl === "smtj") {
    // Correlation of an sMTJ's value between two reads of its p-bit: exp(-dt / dwell).
    const dwell = spec.rng.kernelArgs({ schedule, cyclesPerSweep: 1 }).dwellSeconds;
    const rho = schedule === "async"
      ? 1 / (1 + spec.async!.meanFlipTime / dwell) // E[exp(-T/dwell)] for T ~ Exp(mean flip time)
      : Math.exp(-cyclesPerSweep(m, schedule) / spec.clock.frequency / dwell);
    if (rho > 1e-3) out.push(`the sMTJ random source keeps its value for ~${dwell.toExponential(2)} s: two reads of a p-bit see the same random value with probability ~${rho.toPrecision(2)}, which biases the law`);
  }
  if (schedule === "synchronous" && m.model.ei.length > 0) {
    out.push("the synchronous schedule updates coupled p-bits from each other's previous values: it does not sample the Boltzmann law (antiferromagnetic pairs oscillate)");
  }
  if (schedule === "async" && spec.async && spec.async.synapseDelay > 0 && m.model.ei.length > 0) {
    out.push(`async p-bits read their neighbours ${spec.async.synapseDelay.toExponential(2)} s late against a ${spec.async.meanFlipTime.toExponential(2)} s mean flip time (ratio ${(spec.async.synapseDelay / spec.async.meanFlipTime).toPrecision(2)}): stale inputs bias the law`);
  }
  if (spec.mismatch.gainSigma > 0 || spec.mismatch.offsetSigma > 0) {
    out.push(`device mismatch (gain sd ${spec.mismatch.gainSigma}, offset sd ${spec.mismatch.offsetSigma}) makes each p-bit's update differ from the model's: the chip samples a perturbed law`);
  }
  return out;
}

/** Effective sample sizes of the traced observables; a warning when samples are strongly autocorrelated. */
export function mixingCheck(run: ChainResult, req?: { chains: number; samples: number; thin: number }): { warnings: string[]; diagnostics: Record<string, unknown> } {
  const t = run.traces;
  if (!t || !req || t.values.length === 0 || t.values[0][0].length < 4) return { warnings: [], diagnostics: {} };
  const ess: Record<string, number | null> = {};
  let worst: [string, number] | undefined;
  t.names.forEach((name, k) => {
    const e = essBulk(t.values.map((c) => c[k]));
    ess[name] = Number.isFinite(e) ? e : null;
    if (Number.isFinite(e) && (!worst || e < worst[1])) worst = [name, e];
  });
  const draws = t.values.length * t.values[0][0].length;
  const warnings: string[] = [];
  if (worst && (worst[1] < 0.05 * draws || worst[1] < Math.min(100, draws / 2))) {
    const iat = draws / worst[1];
    warnings.push(
      `samples are strongly autocorrelated: the effective sample size of the ${worst[0]} is ~${Math.round(worst[1])} of ${draws} draws${t.every > 1 ? ` (every ${t.every}th draw examined)` : ""}; ` +
      `thinning by ~${Math.ceil(iat * t.every * req.thin)} sweeps would give nearly independent samples`,
    );
  }
  return { warnings, diagnostics: { ess_bulk: ess, trace_draws: draws, trace_every: t.every } };
}

/** After a p-bit run: mixing, and for small models the law check against the quantised model. */
export function pbitAfterRun(run: ChainResult, m: PbitMapping, spec: PbitSpec, schedule: Schedule, req: { chains: number; samples: number; thin: number }, emb?: EmbeddingInfo & { mode?: Readout }, clamp?: { conditions: number }) {
  const warnings: string[] = [];
  const chainDiagnostics: Record<string, unknown> = {};
  const discard = emb?.mode === "discard";
  if (emb && discard) {
    const rate = run.diagnostics.rows_run > 0 ? run.diagnostics.rows_discarded / run.diagnostics.rows_run : null;
    chainDiagnostics.row_discard_rate = rate;
    if (rate !== null && rate > 0.5) {
      warnings.push(`${(100 * rate).toPrecision(3)}% of rows had a broken chain and were discarded (the kept rows follow the law; the chips ran ${(1 / (1 - rate)).toPrecision(3)}x the sweeps): the chain coupling (${emb.embedded.chainStrength.toPrecision(3)}, --chain-strength) is weak against this model's fields`);
    }
  } else if (emb) {
    const rate = run.diagnostics.chain_readings > 0 ? run.diagnostics.chain_breaks / run.diagnostics.chain_readings : null;
    chainDiagnostics.chain_break_rate = rate;
    if (rate !== null && rate > 0.01) {
      warnings.push(`${(100 * rate).toPrecision(2)}% of chain readings were broken (p-bits of one variable's chain disagreed; read by majority vote): the chain coupling (${emb.embedded.chainStrength.toPrecision(3)}, --chain-strength) is weak against this model's fields`);
    }
  }
  if (run.diagnostics.async_history_overflows > 0) {
    warnings.push(`${run.diagnostics.async_history_overflows} async reads reached further back than the remembered history of neighbour changes and used the oldest value known (synapse delay long against the flip time)`);
  }
  const mixing = mixingCheck(run, req);
  warnings.push(...mixing.warnings);
  let lawCheck: Record<string, unknown> | undefined;
  // Embedded: the states are logical, and the chip's law is the exact read-out law of the embedded, quantised model.
  const logical = emb ? emb.embedded.logical : m.model;
  const checkable = !clamp && (emb ? (discard ? emb.kept !== undefined : emb.readout !== undefined) : m.n <= LAW_CHECK_MAX_SPINS);
  if (clamp) lawCheck = { skipped: `clamped run: each of the ${clamp.conditions} conditions has its own conditional law` };
  else if (emb && discard && !emb.kept) lawCheck = { skipped: `the model has ${emb.embedded.logical.n} variables; laws are enumerated up to ${LAW_CHECK_MAX_SPINS}` };
  else if (emb && !discard && !emb.readout) lawCheck = { skipped: `the embedded model has ${m.n} p-bits; its majority read-out law is computed exactly only up to ${MAX_PUSHFORWARD}` };
  if (run.traces?.states && checkable) {
    const target = emb ? (discard ? emb.kept! : emb.readout!.p) : boltzmann(m.effective());
    const model = emb || spec.numerics.weights.format === "fixed" ? boltzmann(logical) : undefined;
    const c = spinLawCheck(logical, run.traces.states, target, model);
    if (!c) lawCheck = { skipped: "too few draws (fewer than 10 batches)" };
    else {
      lawCheck = { target: emb ? `the read-out law of the embedded, quantised model, exactly (enumeration, ${discard ? "rows with a broken chain discarded" : "majority vote"})` : "the chip's quantised model, exactly (enumeration)", ...c, consistent: c.p_value >= LAW_P_THRESHOLD };
      if (c.p_value < LAW_P_THRESHOLD) {
        warnings.push(`the chip's samples do not follow its quantised model: ${c.worst} is ${c.max_z.toPrecision(3)} standard errors off (p = ${c.p_value.toExponential(1)} over ${c.statistics} spin means and pair correlations; total variation ${c.tv.toPrecision(2)})`);
      }
      if (c.model_max_z !== undefined && c.model_max_z > 3) {
        warnings.push(`${emb ? (discard ? "the embedding (quantisation of the logical and chain couplings)" : "the embedding (chains read by majority, quantisation)") : "quantisation into the chip's formats"} changes the law visibly in this run: ${c.model_worst} (${c.model_max_z.toPrecision(3)} standard errors)`);
      }
    }
  }
  const betaEff = betaEffOf(run);
  if (betaEff?.excludes_model_beta) {
    warnings.push(`the draws follow the model's couplings best at beta_eff = ${betaEff.value.toPrecision(4)} (95% interval ${betaEff.low.toPrecision(4)} .. ${betaEff.high.toPrecision(4)}, maximum pseudo-likelihood), not at the model's beta ${betaEff.model_beta}: the chip samples ${betaEff.value > betaEff.model_beta ? "colder" : "hotter"} than asked (${(100 * (betaEff.value / betaEff.model_beta - 1)).toFixed(1)}%)`);
  }
  return { warnings, diagnostics: { ...chainDiagnostics, ...mixing.diagnostics }, lawCheck, ...(betaEff ? { betaEff } : {}) };
}

/** beta_eff of a run's traced draws (spin models), or undefined when they say nothing about beta. */
export function betaEffOf(run: ChainResult): BetaEff | undefined {
  return run.traces?.pl ? estimateBetaEff(run.traces.pl) ?? undefined : undefined;
}
