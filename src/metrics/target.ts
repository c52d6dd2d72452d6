/**
 * Targets: the quality threshold that defines "good enough" for
 * energy-to-solution. A target is `METRIC<=X` or `METRIC>=X`:
 *   tv<=X, kl<=X      exact total variation / KL of the draws' law (spin models up to 20 spins)
 *   cov<=X, w2<=X     relative covariance error / 2-Wasserstein of the fitted Gaussian (Gaussian models)
 *   ess>=N            smallest bulk ESS over the traced observables (any model)
 *   ess>=N,bias<=X    the same, and the observables' means within X sd of a reference run (spin models)
 *   energy<=E         best energy found by any chain (optimisation; any model)
 */
import { InputError } from "../errors.js";
import type { Reader } from "../spec/reader.js";
import type { Model } from "../models/load.js";

export type TargetMetric = "tv" | "kl" | "cov" | "w2" | "ess" | "energy";

export interface Target {
  text: string;
  metric: TargetMetric;
  op: "<=" | ">=";
  value: number;
  /**
   * `ess>=N,bias<=X`: mixing alone cannot see a wrong law, so the draws'
   * means of the traced observables must also agree with a reference run of
   * an exact sampler: |mean - reference| + 2 x their combined Monte Carlo
   * error <= X standard deviations of the observable (the 95% upper bound of
   * the bias within X sd).
   */
  bias?: number;
}

const RULES: Record<TargetMetric, { op: "<=" | ">="; models: Model["kind"][]; what: string }> = {
  tv: { op: "<=", models: ["ising"], what: "total variation of the draws' law from the exact one" },
  kl: { op: "<=", models: ["ising"], what: "KL(p_hat || p) of the draws' law from the exact one" },
  cov: { op: "<=", models: ["gaussian"], what: "relative Frobenius error of the draws' covariance" },
  w2: { op: "<=", models: ["gaussian"], what: "2-Wasserstein distance of the fitted Gaussian from the target" },
  ess: { op: ">=", models: ["ising", "gaussian", "hopfield"], what: "smallest bulk effective sample size over the traced observables" },
  energy: { op: "<=", models: ["ising", "gaussian", "hopfield"], what: "best energy any chain has reached" },
};

/** Spin models this large or smaller are enumerated for tv and kl targets. */
export const MAX_TARGET_SPINS = 20;

export function parseTarget(text: string): Target {
  const [main, ...more] = text.split(",");
  const t = parseOne(main);
  if (more.length === 0) return t;
  const b = /^\s*bias\s*<=\s*(\S+)\s*$/.exec(more.join(","));
  if (more.length > 1 || !b) throw new InputError("--target", undefined, `after the metric only a bias check may follow, as in ess>=100,bias<=0.3; got ${JSON.stringify(text)}`);
  if (t.metric !== "ess") throw new InputError("--target", undefined, `a bias check pairs with an ess target (tv, kl, cov and w2 already see the law); got ${JSON.stringify(text)}`);
  const bias = Number(b[1]);
  if (!(Number.isFinite(bias) && bias > 0)) throw new InputError("--target", undefined, `bias threshold must be a finite number above 0 (standard deviations of the observable), got ${JSON.stringify(b[1])}`);
  return { ...t, text: `${t.text},bias<=${bias}`, bias };
}

function parseOne(text: string): Target {
  const m = /^\s*([a-z0-9]+)\s*(<=|>=)\s*(\S+)\s*$/.exec(text);
  if (!m) throw new InputError("--target", undefined, `must look like METRIC<=X or METRIC>=X (${Object.entries(RULES).map(([k, r]) => `${k}${r.op}X`).join(", ")}), got ${JSON.stringify(text)}`);
  const metric = m[1] as TargetMetric;
  const rule = RULES[metric];
  if (!rule) throw new InputError("--target", undefined, `unknown metric ${JSON.stringify(m[1])}; known: ${Object.keys(RULES).join(", ")}`);
  if (m[2] !== rule.op) throw new InputError("--target", undefined, `${metric} is a target to reach from ${rule.op === "<=" ? "above: write " + metric + "<=X" : "below: write " + metric + ">=X"}`);
  const value = Number(m[3]);
  if (!Number.isFinite(value)) throw new InputError("--target", undefined, `threshold must be a finite number, got ${JSON.stringify(m[3])}`);
  if (metric !== "energy" && !(value > 0)) throw new InputError("--target", undefined, `${metric} threshold must be above 0, got ${value}`);
  // A total variation is at most 1: a larger threshold is met before the first draw.
  if (metric === "tv" && value >= 1) throw new InputError("--target", undefined, `tv is at most 1, so tv<=${value} is met by any sampler: choose a threshold below 1 (near the i.i.d. floor of the budget sees a wrong law)`);
  return { text: `${metric}${rule.op}${value}`, metric, op: rule.op, value };
}

/** A spec file's `target` field, parsed; a bad one fails naming the file and field. */
export function readTarget(r: Reader): Target {
  try {
    return parseTarget(r.string("target"));
  } catch (e) {
    if (e instanceof InputError) r.fail("target", e.problem);
    throw e;
  }
}

/** Refuse a target the model cannot support, naming why. */
export function checkTarget(t: Target, model: Model, file: string): void {
  const rule = RULES[t.metric];
  if (!rule.models.includes(model.kind)) {
    throw new InputError("--target", undefined, `${t.metric} (${rule.what}) needs a ${rule.models.join(" or ")} model; ${file} is ${model.kind}`);
  }
  if (t.bias !== undefined && model.kind !== "ising") {
    throw new InputError("--target", undefined, `the bias check compares with a reference run of exact chromatic Gibbs, which samples spin models; ${file} is ${model.kind}`);
  }
  if ((t.metric === "tv" || t.metric === "kl") && model.n > MAX_TARGET_SPINS) {
    throw new InputError("--target", undefined, `${t.metric} compares against the exact law by enumeration, up to ${MAX_TARGET_SPINS} spins; ${file} has ${model.n} (use ess>=N or energy<=E)`);
  }
}

export function met(t: Target, value: number): boolean {
  return Number.isFinite(value) && (t.op === "<=" ? value <= t.value : value >= t.value);
}
