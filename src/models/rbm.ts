/**
 * Restricted Boltzmann machines from weight files (.npz, .safetensors, JSON): arrays W
 * (n_visible x n_hidden), b (visible biases), c (hidden biases); units in {0,1};
 * E(v, h) = -b'v - c'h - v'Wh. The model is the Ising form of that energy over
 * visible units 0 .. nv-1 then hidden units nv .. nv+nh-1, exactly (x = (1 + s) / 2);
 * samples are written as 0/1 (uint8), visible then hidden, as the brief's contract says.
 */
import { InputError } from "../errors.js";
import { readWeights, type Weights } from "../io/weights.js";
import { formFromEntries, formToIsing } from "./quadratic.js";
import type { IsingModel } from "./ising.js";

export const WEIGHT_FILE = /\.(npz|safetensors)$/;

export function rbmFromWeights(w: Weights, file: string, beta = 1): IsingModel {
  for (const name of ["W", "b", "c"]) if (!w.has(name)) throw new InputError(file, name, `is missing: an RBM needs W (n_visible x n_hidden), b (n_visible) and c (n_hidden); the file has ${[...w.keys()].join(", ") || "no arrays"}`);
  const W = w.get("W")!;
  const b = w.get("b")!;
  const c = w.get("c")!;
  if (W.shape.length !== 2) throw new InputError(file, "W", `must be 2-D (n_visible x n_hidden), has shape [${W.shape.join(", ")}]`);
  const [nv, nh] = W.shape;
  if (b.shape.length !== 1 || b.shape[0] !== nv) throw new InputError(file, "b", `must have shape [${nv}] (W is ${nv} x ${nh}), has [${b.shape.join(", ")}]`);
  if (c.shape.length !== 1 || c.shape[0] !== nh) throw new InputError(file, "c", `must have shape [${nh}] (W is ${nv} x ${nh}), has [${c.shape.join(", ")}]`);
  const extra = [...w.keys()].filter((k) => !["W", "b", "c"].includes(k));
  if (extra.length > 0) throw new InputError(file, extra[0], "is not an RBM array (W, b, c)");
  // Lowering convention: linear -b, -c; quadratic -W between visible i and hidden nv + j.
  const linear = new Float64Array(nv + nh);
  for (let i = 0; i < nv; i++) linear[i] = -b.data[i];
  for (let j = 0; j < nh; j++) linear[nv + j] = -c.data[j];
  const entries: [number, number, number][] = [];
  for (let i = 0; i < nv; i++) for (let j = 0; j < nh; j++) if (W.data[i * nh + j] !== 0) entries.push([i, nv + j, -W.data[i * nh + j]]);
  const m = formToIsing(formFromEntries(file, nv + nh, "binary", entries, 0, (k) => `W[${entries[k][0]}, ${entries[k][1] - nv}]`, linear), beta, file.split("/").pop(), file);
  return { ...m, output: "binary", layers: { visible: nv, hidden: nh } };
}

export function loadRbm(file: string): IsingModel {
  return rbmFromWeights(readWeights(file), file);
}
