/**
 * Log-likelihood of a data set under a spin model: log p(x) = log p*(x) - log Z
 * per row, in nats. Rows are in the units `sample` writes (0/1 for RBMs, +-1
 * otherwise). A row of every variable is fully observed: log p* = -beta E(x),
 * offset included. An RBM row of its visible units alone has the hidden
 * units summed out, which a bipartite graph allows in closed form:
 * sum over s_j = +-1 of exp(beta f_j s_j) = 2 cosh(beta f_j).
 */
import type { IsingModel } from "../models/ising.js";
import { decodeNpy } from "../io/npy.js";
import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";

export interface DataRows {
  file: string;
  rows: number;
  /** Columns: the model's n variables, or an RBM's visible units. */
  cols: number;
  /** Spins (+-1), row-major. */
  s: Int8Array;
}

/** Read rows of a model's variables (or an RBM's visible units) from a .npy in the model's units. */
export function readDataRows(file: string, m: IsingModel): DataRows {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new InputError(file, undefined, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const a = decodeNpy(bytes, file);
  const visible = m.layers?.visible;
  if (a.shape.length !== 2 || (a.shape[1] !== m.n && a.shape[1] !== visible)) {
    throw new InputError(file, undefined, `must be a 2-D array [rows, ${m.n}]${visible !== undefined ? ` or [rows, ${visible}] (visible units)` : ""}, has shape [${a.shape.join(", ")}]`);
  }
  if (a.shape[0] === 0) throw new InputError(file, undefined, "has no rows");
  const binary = m.output === "binary";
  const s = new Int8Array(a.data.length);
  for (let q = 0; q < s.length; q++) {
    const v = Number(a.data[q]);
    const ok = binary ? v === 0 || v === 1 : v === -1 || v === 1;
    if (!ok) throw new InputError(file, `[${Math.floor(q / a.shape[1])}, ${q % a.shape[1]}]`, `is ${v}; this model's variables take ${binary ? "0 or 1" : "-1 or +1"}`);
    s[q] = binary ? 2 * v - 1 : v;
  }
  return { file, rows: a.shape[0], cols: a.shape[1], s };
}

/** log(2 cosh x), stable for any x. */
function logTwoCosh(x: number): number {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2 * a));
}

/** log p*(x) of every row (nats), hidden units summed out when the rows hold only an RBM's visible units. */
export function logUnnormalised(m: IsingModel, d: DataRows): Float64Array {
  const out = new Float64Array(d.rows);
  const observed = d.cols;
  const full = observed === m.n;
  const field = new Float64Array(m.n);
  for (let r = 0; r < d.rows; r++) {
    const s = d.s.subarray(r * observed, (r + 1) * observed);
    let neg = -(m.offset ?? 0); // -E over the observed part
    for (let i = 0; i < observed; i++) neg += m.h[i] * s[i];
    if (!full) field.set(m.h.subarray(observed));
    for (let e = 0; e < m.ei.length; e++) {
      const [i, j, w] = [m.ei[e], m.ej[e], m.ew[e]];
      if (j < observed) neg += w * s[i] * s[j];
      else if (i < observed) field[j - observed] += w * s[i]; // visible i, hidden j (RBMs: no hidden-hidden couplings)
    }
    let v = m.beta * neg;
    if (!full) for (let j = 0; j < m.n - observed; j++) v += logTwoCosh(m.beta * field[j]);
    out[r] = v;
  }
  return out;
}

/** Mean log-likelihood per row (nats) and its spread over rows. */
export function logLikelihood(m: IsingModel, d: DataRows, logZ: number): { mean_nats: number; sd_nats: number; rows: number } {
  const lp = logUnnormalised(m, d);
  let mean = 0;
  for (const v of lp) mean += v / lp.length;
  let ss = 0;
  for (const v of lp) ss += (v - mean) ** 2;
  return { mean_nats: mean - logZ, sd_nats: lp.length > 1 ? Math.sqrt(ss / (lp.length - 1)) : 0, rows: d.rows };
}
