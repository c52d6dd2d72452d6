/**
 * What a linear analog chip's run will show, predicted exactly before it
 * starts, against the model's law and against what the run can resolve.
 *
 * The circuit as built (quantised, mismatched) is a linear SDE
 * dx = (-M x + c) dt + B dW. Its read-outs every Delta seconds form a
 * Gaussian AR(1) chain x' = Phi x + u + noise with Phi = exp(-M Delta), so:
 *  - the stationary law (Lyapunov), plus the ADC's rounding (variance
 *    LSB^2/12, Sheppard) and, for Euler-Maruyama, its own step bias;
 *  - the integrated autocorrelation time of each variable's read-outs,
 *    tau_i = [(I + Phi)(I - Phi)^-1 Sigma]_ii / Sigma_ii, hence the ESS;
 *  - the bias the start from 0 V leaves in the sample mean after B burn-in
 *    read-outs: -(1/N) exp(-M T_b) Phi (I - Phi^N)(I - Phi)^-1 mu.
 * A law error is worth a warning when this run could see it: its z-score
 * against the run's Monte Carlo standard error.
 */
import { expm, identity, inverse, lyapunov, matmul, matvec, solve, zeros, type Mat } from "../../linalg/dense.js";
import { eulerStationary, linearDense, type Sde } from "./circuit.js";
import { relativeFrobenius } from "../../metrics/stats.js";

/** The run's shape, as far as the prediction needs it. */
export interface RunShape {
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
}

/** The stationary law of the circuit and the target, kept by the mapping for run predictions. */
export interface LinearLaw {
  sde: Sde;
  /** Volts per model unit. */
  vScale: number;
  /** Read-out interval (s) and ADC step (V, 0 = none). */
  interval: number;
  adcLsb: number;
  /** Euler-Maruyama step (s), when that is the integrator. */
  emStep?: number;
  targetMean: Float64Array;
  targetCov: Float64Array;
}

export interface LawPrediction {
  /** Mean and covariance the read-outs follow, in model units. */
  mean: Float64Array;
  cov: Float64Array;
  /** Integrated autocorrelation time of each variable, in read-outs (thinned). */
  iat: Float64Array;
  /** Predicted effective sample size of each variable over all chains. */
  ess: Float64Array;
  /** Bias of each variable's sample mean from the start at 0 V (model units). */
  startBias: Float64Array;
  covarianceRelativeError: number;
  meanErrorSd: number;
  /** Largest z-score of a mean or covariance entry: |error| / Monte Carlo standard error. */
  maxZ: number;
  /** Where the largest z-score comes from. */
  worst: string;
}

function matPow(a: Mat, n: number, k: number): Mat {
  let result = identity(n);
  let base = a;
  for (let e = k; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) result = matmul(result, base, n);
    if (e > 1) base = matmul(base, base, n);
  }
  return result;
}

export function predictLaw(law: LinearLaw, run: RunShape): LawPrediction {
  const { sde, vScale } = law;
  const ns = sde.ns;
  const n = sde.nObs;
  const { M, D } = linearDense(sde);
  const sigma = lyapunov(M, D, ns);
  const mu = solve(M, sde.c, ns)!;
  const delta = run.thin * law.interval;
  const phi = expm(M.map((v) => -v * delta), ns);
  const iMinusPhi = identity(ns).map((v, k) => v - phi[k]);
  const inv = inverse(iMinusPhi, ns)!;
  // tau = diag[(I + Phi)(I - Phi)^-1 Sigma] / diag(Sigma)
  const iPlusPhi = identity(ns).map((v, k) => v + phi[k]);
  const t = matmul(matmul(iPlusPhi, inv, ns), sigma, ns);
  const N = run.chains * run.samples;
  const iat = Float64Array.from({ length: n }, (_, i) => Math.max(1e-9, t[i * ns + i] / sigma[i * ns + i]));
  const ess = iat.map((tau) => N / tau);
  // Start-up bias of the per-chain sample mean (the same for every chain).
  const startBias = new Float64Array(n);
  if (run.samples > 0) {
    const eb = expm(M.map((v) => -v * run.burnIn * law.interval), ns);
    const phiN = matPow(phi, ns, run.samples);
    const geo = matmul(matmul(phi, identity(ns).map((v, k) => v - phiN[k]), ns), inv, ns);
    const b = matvec(matmul(eb, geo, ns), mu, ns);
    for (let i = 0; i < n; i++) startBias[i] = -b[i] / run.samples / vScale;
  }
  // The read-outs' law in model units: circuit (or Euler-Maruyama's), plus ADC rounding.
  const obsCov = law.emStep !== undefined ? eulerStationary(sde, law.emStep) : (() => {
    const c = zeros(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = sigma[i * ns + j];
    return c;
  })();
  const cov = obsCov.map((v) => v / (vScale * vScale));
  const lsb = law.adcLsb / vScale;
  for (let i = 0; i < n; i++) cov[i * n + i] += (lsb * lsb) / 12;
  const mean = Float64Array.from({ length: n }, (_, i) => mu[i] / vScale);

  let maxZ = 0;
  let worst = "";
  let meanErr = 0;
  for (let i = 0; i < n; i++) {
    const sd = Math.sqrt(law.targetCov[i * n + i]);
    const err = mean[i] + startBias[i] - law.targetMean[i];
    meanErr = Math.max(meanErr, Math.abs(err) / sd);
    const z = N > 0 ? Math.abs(err) / Math.sqrt((cov[i * n + i] * iat[i]) / N) : 0;
    if (z > maxZ) [maxZ, worst] = [z, `mean of x${i}`];
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const err = cov[i * n + j] - law.targetCov[i * n + j];
      // Var of a sample covariance of Gaussian draws: (S_ii S_jj + S_ij^2) / N_eff.
      const se = Math.sqrt(((cov[i * n + i] * cov[j * n + j] + cov[i * n + j] ** 2) * Math.max(iat[i], iat[j])) / N);
      const z = N > 0 ? Math.abs(err) / se : 0;
      if (z > maxZ) [maxZ, worst] = [z, i === j ? `variance of x${i}` : `covariance of x${i}, x${j}`];
    }
  }
  return {
    mean, cov, iat, ess, startBias,
    covarianceRelativeError: relativeFrobenius(cov, law.targetCov),
    meanErrorSd: meanErr, maxZ, worst,
  };
}

/** z above which a law error is reported as visible in the run. */
export const VISIBLE_Z = 3;

/** Warnings for a predicted run: a visible law error, a start-up transient, strongly autocorrelated samples. */
export function lawWarnings(p: LawPrediction, run: RunShape, interval: number): string[] {
  const out: string[] = [];
  const N = run.chains * run.samples;
  if (N === 0) return out;
  if (p.maxZ > VISIBLE_Z) {
    let startShare = 0;
    for (let i = 0; i < p.startBias.length; i++) startShare = Math.max(startShare, Math.abs(p.startBias[i]) / Math.sqrt(p.cov[i * p.startBias.length + i]));
    out.push(
      `this run will show the chip's law differing from the model's: covariance error ${(100 * p.covarianceRelativeError).toPrecision(2)}% (relative Frobenius) and mean error ${p.meanErrorSd.toPrecision(2)} sd` +
      ` are ${p.maxZ.toPrecision(3)} Monte Carlo standard errors (${p.worst}) with ${N} samples` +
      (startShare > 0.1 * p.meanErrorSd && startShare > 1e-3 ? `; the start from 0 V contributes ${startShare.toPrecision(2)} sd to the mean (burn-in ${run.burnIn} read-outs is short)` : ""),
    );
  }
  let worstI = 0;
  for (let i = 1; i < p.ess.length; i++) if (p.ess[i] < p.ess[worstI]) worstI = i;
  const ess = p.ess[worstI];
  if (ess < 0.05 * N || ess < Math.min(100, N / 2)) {
    out.push(
      `samples are strongly autocorrelated: the effective sample size of x${worstI} will be ~${Math.round(ess)} of ${N} (integrated autocorrelation time ${p.iat[worstI].toPrecision(3)} read-outs); ` +
      `--thin ${Math.max(2, Math.ceil(run.thin * p.iat[worstI]))} (read-outs ${(interval * run.thin * p.iat[worstI]).toExponential(2)} s apart) would give nearly independent samples`,
    );
  }
  return out;
}
