/**
 * An RC/noise circuit in SI units, and how it becomes a stochastic
 * differential equation for the kernel:
 *
 *   C dV = (-G V + I) dt + dN,   G = ground + network conductances,
 *
 * with noise currents dN from each resistive element's Johnson noise
 * (intensity 2 k T |g| between its two ends) and/or injected per-node
 * sources, white or first-order coloured (an auxiliary state per node).
 * Negative conductances (and capacitances) are active inverting stages.
 */
import { choleskySemi, inverse, lyapunov, matmul, solve, spectralRadius, transpose, vanLoan, zeros, type Mat } from "../../linalg/dense.js";

export const BOLTZMANN = 1.380649e-23; // J/K (exact, SI 2019)

export interface Circuit {
  n: number;
  /** Node capacitances (diagonal C) or, for coupling capacitors, the dense C (n x n). */
  cDiag?: Float64Array;
  cDense?: Float64Array;
  /** Conductance between nodes ei[k] < ej[k], signed (negative: active element). */
  ei: Int32Array;
  ej: Int32Array;
  eg: Float64Array;
  /** Conductance from each node to ground, signed. */
  ground: Float64Array;
  /** Current into each node (A). */
  bias: Float64Array;
  /** Node elements: 0 linear, 1 tanh amplifier (gain, rail); rails clip every node. */
  element: Int32Array;
  gain: Float64Array;
  rail: Float64Array;
  /** Johnson noise of every resistive element at this temperature (0: none). */
  johnsonT: number;
  /** Injected current noise per node: intensity sigma^2 in A^2 s (white-noise level). */
  injected?: Float64Array;
  /** First-order bandwidth of the injected noise (undefined: white). */
  bandwidth?: number;
}

/** The kernel's equation: dx = (-leak x + K g(x) + c) dt + B dW over ns states. */
export interface Sde {
  ns: number;
  nObs: number;
  leak: Float64Array;
  kOff: Int32Array;
  kIdx: Int32Array;
  kVal: Float64Array;
  c: Float64Array;
  chOff: Int32Array;
  chIdx: Int32Array;
  chVal: Float64Array;
  element: Int32Array;
  gain: Float64Array;
  rail: Float64Array;
}

/** C^-1 as a function on vectors, and (dense) as a matrix when C is dense. */
function inverseC(c: Circuit): { apply(v: Float64Array): Float64Array; dense?: Mat } {
  if (c.cDiag) {
    const d = c.cDiag;
    return { apply: (v) => v.map((x, i) => x / d[i]) };
  }
  const inv = inverse(c.cDense!, c.n);
  if (!inv) throw new Error("capacitance matrix is singular");
  return {
    dense: inv,
    apply: (v) => {
      const y = new Float64Array(c.n);
      for (let i = 0; i < c.n; i++) for (let j = 0; j < c.n; j++) y[i] += inv[i * c.n + j] * v[j];
      return y;
    },
  };
}

/** Noise channels in node space: each a sparse current-injection vector with its intensity. */
function noiseChannels(c: Circuit): { nodes: number[]; coef: number[] }[] {
  const ch: { nodes: number[]; coef: number[] }[] = [];
  if (c.johnsonT > 0) {
    const kT2 = 2 * BOLTZMANN * c.johnsonT;
    for (let k = 0; k < c.ei.length; k++) {
      if (c.eg[k] !== 0) {
        const s = Math.sqrt(kT2 * Math.abs(c.eg[k]));
        ch.push({ nodes: [c.ei[k], c.ej[k]], coef: [s, -s] });
      }
    }
    for (let i = 0; i < c.n; i++) if (c.ground[i] !== 0) ch.push({ nodes: [i], coef: [Math.sqrt(kT2 * Math.abs(c.ground[i]))] });
  }
  return ch;
}

/** G as a sparse row structure (diagonal + off-diagonal entries). */
function conductanceRows(c: Circuit): { diag: Float64Array; rows: Map<number, number>[] } {
  const diag = c.ground.slice();
  const rows: Map<number, number>[] = Array.from({ length: c.n }, () => new Map());
  for (let k = 0; k < c.ei.length; k++) {
    const [i, j, g] = [c.ei[k], c.ej[k], c.eg[k]];
    diag[i] += g;
    diag[j] += g;
    rows[i].set(j, (rows[i].get(j) ?? 0) - g);
    rows[j].set(i, (rows[j].get(i) ?? 0) - g);
  }
  return { diag, rows };
}

export function buildSde(c: Circuit): Sde {
  const n = c.n;
  const coloured = c.injected !== undefined && c.bandwidth !== undefined;
  const ns = coloured ? 2 * n : n;
  const invC = inverseC(c);
  const { diag, rows } = conductanceRows(c);
  const leak = new Float64Array(ns);
  const kRows: [number, number][][] = Array.from({ length: ns }, () => []);
  // Drift of the node voltages: -C^-1 G V.
  if (c.cDiag) {
    for (let i = 0; i < n; i++) {
      leak[i] = diag[i] / c.cDiag[i];
      for (const [j, gij] of rows[i]) kRows[i].push([j, -gij / c.cDiag[i]]);
    }
  } else {
    const G = zeros(n);
    for (let i = 0; i < n; i++) {
      G[i * n + i] = diag[i];
      for (const [j, gij] of rows[i]) G[i * n + j] = gij;
    }
    const M = matmul(invC.dense!, G, n);
    for (let i = 0; i < n; i++) {
      leak[i] = M[i * n + i];
      for (let j = 0; j < n; j++) if (j !== i && M[i * n + j] !== 0) kRows[i].push([j, -M[i * n + j]]);
    }
  }
  const cVec = new Float64Array(ns);
  cVec.set(invC.apply(c.bias));
  // Noise channels: node-space injection vectors mapped through C^-1.
  const channels: [number, number][][] = [];
  const addChannel = (nodes: number[], coef: number[]) => {
    const v = new Float64Array(n);
    nodes.forEach((node, k) => (v[node] += coef[k]));
    const w = invC.apply(v);
    const entries: [number, number][] = [];
    w.forEach((x, i) => x !== 0 && entries.push([i, x]));
    channels.push(entries);
  };
  for (const ch of noiseChannels(c)) addChannel(ch.nodes, ch.coef);
  if (c.injected) {
    if (coloured) {
      // eta_i: d eta = -eta / tau dt + (sigma / tau) dW, entering node i as a current.
      const tau = 1 / (2 * Math.PI * c.bandwidth!);
      const unit = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const a = n + i;
        leak[a] = 1 / tau;
        channels.push([[a, Math.sqrt(c.injected[i]) / tau]]);
        unit.fill(0);
        unit[i] = 1;
        invC.apply(unit).forEach((x, row) => x !== 0 && kRows[row].push([a, x]));
      }
    } else {
      for (let i = 0; i < n; i++) if (c.injected[i] > 0) addChannel([i], [Math.sqrt(c.injected[i])]);
    }
  }
  const kOff = new Int32Array(ns + 1);
  kRows.forEach((r, i) => (kOff[i + 1] = kOff[i] + r.length));
  const kIdx = new Int32Array(kOff[ns]);
  const kVal = new Float64Array(kOff[ns]);
  kRows.forEach((r, i) => r.forEach(([j, v], k) => ((kIdx[kOff[i] + k] = j), (kVal[kOff[i] + k] = v))));
  const chOff = new Int32Array(channels.length + 1);
  channels.forEach((e, k) => (chOff[k + 1] = chOff[k] + e.length));
  const chIdx = new Int32Array(chOff[channels.length]);
  const chVal = new Float64Array(chOff[channels.length]);
  channels.forEach((e, k) => e.forEach(([i, v], q) => ((chIdx[chOff[k] + q] = i), (chVal[chOff[k] + q] = v))));
  const element = new Int32Array(ns);
  element.set(c.element);
  const gain = new Float64Array(ns).fill(1);
  gain.set(c.gain);
  const rail = new Float64Array(ns).fill(Infinity);
  rail.set(c.rail);
  return { ns, nObs: n, leak, kOff, kIdx, kVal, c: cVec, chOff, chIdx, chVal, element, gain, rail };
}

/** The linear drift matrix M (dx = (-M x + c) dt + ...) and diffusion D = B B^T, dense. */
export function linearDense(s: Sde): { M: Mat; D: Mat } {
  const n = s.ns;
  const M = zeros(n);
  for (let i = 0; i < n; i++) {
    M[i * n + i] = s.leak[i];
    // A linear element passes x; a tanh element's slope at 0 is its gain.
    for (let e = s.kOff[i]; e < s.kOff[i + 1]; e++) M[i * n + s.kIdx[e]] -= s.kVal[e] * (s.element[s.kIdx[e]] === 1 ? s.gain[s.kIdx[e]] : 1);
  }
  const D = zeros(n);
  for (let k = 0; k + 1 < s.chOff.length; k++) {
    for (let p = s.chOff[k]; p < s.chOff[k + 1]; p++) {
      for (let q = s.chOff[k]; q < s.chOff[k + 1]; q++) D[s.chIdx[p] * n + s.chIdx[q]] += s.chVal[p] * s.chVal[q];
    }
  }
  return { M, D };
}

/** Largest decay rate of the (linearised) drift: sets the stable step size. */
export function fastestRate(s: Sde): number {
  const apply = (x: Float64Array) => {
    const y = new Float64Array(s.ns);
    for (let i = 0; i < s.ns; i++) {
      let v = s.leak[i] * x[i];
      for (let e = s.kOff[i]; e < s.kOff[i + 1]; e++) v -= s.kVal[e] * (s.element[s.kIdx[e]] === 1 ? s.gain[s.kIdx[e]] : 1) * x[s.kIdx[e]];
      y[i] = v;
    }
    return y;
  };
  return spectralRadius(apply, s.ns);
}

/** Stationary mean and covariance of the linear circuit (node voltages), exactly. */
export function stationary(s: Sde): { mean: Float64Array; cov: Mat } {
  const { M, D } = linearDense(s);
  const n = s.ns;
  const mean = solve(M, s.c, n);
  if (!mean) throw new Error("drift matrix is singular: the circuit has no stationary state");
  const cov = lyapunov(M, D, n);
  // Keep the observed nodes only.
  const m = s.nObs;
  const obs = zeros(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) obs[i * m + j] = cov[i * n + j];
  return { mean: mean.subarray(0, m), cov: obs };
}

/** Exact OU step over h: x' = Phi x + u + L z. */
export function exactStep(s: Sde, h: number): { phi: Mat; u: Float64Array; L: Mat } {
  const { M, D } = linearDense(s);
  const n = s.ns;
  const { phi, q } = vanLoan(M, D, n, h);
  // u = (I - Phi) M^-1 c: the mean the step relaxes towards.
  const mu = solve(M, s.c, n)!;
  const u = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = mu[i];
    for (let j = 0; j < n; j++) v -= phi[i * n + j] * mu[j];
    u[i] = v;
  }
  return { phi, u, L: choleskySemi(q, n) };
}

/**
 * Euler-Maruyama's own stationary covariance for step h: the fixed point of
 * S = (I - hM) S (I - hM)^T + h D. Per mode of rate lambda the variance is
 * inflated by 1 / (1 - h lambda / 2).
 */
export function eulerStationary(s: Sde, h: number): Mat {
  const { M, D } = linearDense(s);
  const n = s.ns;
  const A = M.map((v, k) => (k % (n + 1) === 0 ? 1 : 0) - h * v);
  let P: Mat = A;
  let Q: Mat = D.map((v) => v * h);
  // Doubling: S = sum_k A^k (hD) A^Tk.
  for (let it = 0; it < 200; it++) {
    const inc = matmul(matmul(P, Q, n), transpose(P, n), n);
    const next = Q.map((v, k) => v + inc[k]);
    const change = inc.reduce((a, v) => a + Math.abs(v), 0);
    Q = next;
    P = matmul(P, P, n);
    if (change <= 1e-16 * Q.reduce((a, v) => a + Math.abs(v), 0)) break;
  }
  const S = Q;
  const m = s.nObs;
  const obs = zeros(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) obs[i * m + j] = S[i * n + j];
  return obs;
}

/**
 * The circuit with some nodes held at fixed voltages by ideal sources (a
 * clamp, as the hardware does it: the node switched onto a DAC's output).
 * Held nodes leave the state. An element g from a free node i to a held node
 * j becomes a conductance from i to ground plus a current g V_j into i -- the
 * same element, its far end now fixed, with its own Johnson noise entering i
 * alone. A coupling capacitor to a held node becomes a capacitor to ground
 * (dV_j = 0): the free nodes' capacitance matrix is C_FF. `free[k]` is the
 * original index of state node k.
 */
export function holdNodes(c: Circuit, held: Int32Array, volts: Float64Array): { circuit: Circuit; free: Int32Array } {
  const n = c.n;
  const at = new Float64Array(n).fill(NaN);
  held.forEach((i, k) => (at[i] = volts[k]));
  const free = Int32Array.from({ length: n }, (_, i) => i).filter((i) => Number.isNaN(at[i]));
  const pos = new Int32Array(n).fill(-1);
  free.forEach((i, k) => (pos[i] = k));
  const pick = <T extends Float64Array | Int32Array>(v: T) => v.filter((_, i) => pos[i] >= 0) as T;
  const ground = pick(c.ground);
  const bias = pick(c.bias);
  const ei: number[] = [];
  const ej: number[] = [];
  const eg: number[] = [];
  for (let k = 0; k < c.ei.length; k++) {
    const [a, b, g] = [c.ei[k], c.ej[k], c.eg[k]];
    if (pos[a] >= 0 && pos[b] >= 0) (ei.push(pos[a]), ej.push(pos[b]), eg.push(g));
    else if (pos[a] >= 0) (ground[pos[a]] += g, bias[pos[a]] += g * at[b]);
    else if (pos[b] >= 0) (ground[pos[b]] += g, bias[pos[b]] += g * at[a]);
  }
  const m = free.length;
  let cDense: Float64Array | undefined;
  if (c.cDense) {
    cDense = new Float64Array(m * m);
    for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) cDense[p * m + q] = c.cDense[free[p] * n + free[q]];
  }
  const circuit: Circuit = {
    n: m, ei: Int32Array.from(ei), ej: Int32Array.from(ej), eg: Float64Array.from(eg), ground, bias,
    element: pick(c.element), gain: pick(c.gain), rail: pick(c.rail), johnsonT: c.johnsonT,
    ...(c.cDiag ? { cDiag: pick(c.cDiag) } : {}),
    ...(cDense ? { cDense } : {}),
    ...(c.injected ? { injected: pick(c.injected) } : {}),
    ...(c.bandwidth !== undefined ? { bandwidth: c.bandwidth } : {}),
  };
  return { circuit, free };
}
