/**
 * Sparse Ising models from weight files (.npz, .safetensors, JSON arrays):
 * `i`, `j` (coupled pairs), `w` (their couplings J_ij) and `h` (biases, which
 * also give n), optionally `beta` (one value). Same convention as the JSON
 * Ising form: E(s) = -(sum_i h_i s_i + sum_k w_k s_i s_j), s in {-1,+1}.
 * This is how trained sparse Boltzmann machines (e.g. p-computer DBMs) come
 * from numpy or PyTorch.
 */
import { InputError } from "../errors.js";
import type { Weights } from "../io/weights.js";
import { checkDuplicates, energyScale, type IsingModel } from "./ising.js";
import { MAX_VARIABLES } from "./limits.js";

export const SPARSE_ARRAYS = ["i", "j", "w", "h"];

export function isingFromArrays(a: Weights, file: string): IsingModel {
  for (const name of SPARSE_ARRAYS) if (!a.has(name)) throw new InputError(file, name, `is missing: a sparse Ising file holds i, j, w (couplings) and h (biases)`);
  const extra = [...a.keys()].find((k) => !SPARSE_ARRAYS.includes(k) && k !== "beta");
  if (extra !== undefined) throw new InputError(file, extra, "is not a sparse Ising array (i, j, w, h, beta)");
  for (const name of SPARSE_ARRAYS) if (a.get(name)!.shape.length !== 1) throw new InputError(file, name, `must be 1-D, has shape [${a.get(name)!.shape.join(", ")}]`);
  const h = a.get("h")!.data;
  const n = h.length;
  if (n > MAX_VARIABLES) throw new InputError(file, "h", `has ${n} entries; at most ${MAX_VARIABLES} variables`);
  const [I, Jx, W] = ["i", "j", "w"].map((k) => a.get(k)!.data);
  if (Jx.length !== I.length || W.length !== I.length) throw new InputError(file, "w", `i, j and w must have one length; they have ${I.length}, ${Jx.length} and ${W.length}`);
  const m = I.length;
  const ei = new Int32Array(m);
  const ej = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    for (const [name, v] of [["i", I[k]], ["j", Jx[k]]] as const) {
      if (!Number.isInteger(v) || v < 0 || v >= n) throw new InputError(file, `${name}[${k}]`, `is ${v}; must be a variable index in 0 .. ${n - 1} (h has ${n} entries)`);
    }
    if (I[k] === Jx[k]) throw new InputError(file, `j[${k}]`, `couples variable ${I[k]} to itself (self-couplings are constants; drop them)`);
    ei[k] = Math.min(I[k], Jx[k]);
    ej[k] = Math.max(I[k], Jx[k]);
  }
  try {
    checkDuplicates(ei, ej, n, file);
  } catch (e) {
    // Name the arrays of this format, not the JSON form's J[k].
    if (e instanceof InputError) throw new InputError(file, e.field?.replace(/^J\[(\d+)\]$/, "i[$1], j[$1]"), e.problem);
    throw e;
  }
  let beta = 1;
  const b = a.get("beta");
  if (b) {
    if (b.data.length !== 1) throw new InputError(file, "beta", `must be one number, has ${b.data.length} values`);
    if (!(b.data[0] >= 0)) throw new InputError(file, "beta", `must be >= 0, got ${b.data[0]}`);
    beta = b.data[0];
  }
  const model: IsingModel = { kind: "ising", n, h: Float64Array.from(h), ei, ej, ew: Float64Array.from(W), beta, name: file.split("/").pop() };
  if (!Number.isFinite(energyScale(model))) throw new InputError(file, "w", "the model's energies overflow float64: beta x (sum |h| + sum |w|) is beyond 1.8e308");
  return model;
}
