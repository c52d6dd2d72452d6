/**
 * dimod's serializable binary quadratic model (BinaryQuadraticModel.to_serializable(), schema
 * 3.x, use_bytes=False), so D-Wave users can bring their problems: linear_biases,
 * quadratic_head/tail/biases over variable_labels' order, offset, variable_type BINARY or SPIN;
 * dimod's energy (lower is better) is kept exactly, offset included. Labels are kept in order.
 */
import { InputError, describeValue } from "../../errors.js";
import { formFromEntries, formToIsing } from "../quadratic.js";
import type { IsingModel } from "../ising.js";
import { finiteField, vectorField, betaField, checkKnown } from "../fields.js";

export const isDimodBqm = (doc: Record<string, unknown>) => doc.type === "BinaryQuadraticModel";

export function dimodModel(doc: Record<string, unknown>, file: string): IsingModel {
  const version = (doc.version as { bqm_schema?: unknown } | undefined)?.bqm_schema;
  if (typeof version !== "string" || !version.startsWith("3.")) throw new InputError(file, "version.bqm_schema", `is ${describeValue(version)}; this version reads dimod's schema 3.x`);
  if (doc.use_bytes === true) throw new InputError(file, "use_bytes", "is true; write the model with to_serializable(use_bytes=False)");
  // dimod's serialisation: these keys and no others (a misspelt key, as elsewhere, is an error).
  checkKnown(doc, file, ["type", "version", "use_bytes", "index_type", "bias_type", "num_variables", "num_interactions", "variable_labels", "variable_type", "offset", "info", "linear_biases", "quadratic_head", "quadratic_tail", "quadratic_biases", "beta"], "a dimod BinaryQuadraticModel (schema 3)");
  const labels = doc.variable_labels;
  if (!Array.isArray(labels)) throw new InputError(file, "variable_labels", `must be a list, got ${describeValue(labels)}`);
  // Labels name the samples' columns: dimod keeps them unique.
  const seenLabels = new Map<string, number>();
  labels.forEach((l, k) => {
    const key = JSON.stringify(l);
    if (seenLabels.has(key)) throw new InputError(file, `variable_labels[${k}]`, `repeats the label ${key} of variable_labels[${seenLabels.get(key)}]; dimod labels are unique`);
    seenLabels.set(key, k);
  });
  const n = labels.length;
  if (doc.num_variables !== undefined && doc.num_variables !== n) throw new InputError(file, "num_variables", `is ${describeValue(doc.num_variables)} but variable_labels has ${n}`);
  const vt = doc.variable_type;
  if (vt !== "BINARY" && vt !== "SPIN") throw new InputError(file, "variable_type", `must be "BINARY" or "SPIN", got ${describeValue(vt)}`);
  const linear = vectorField(doc.linear_biases, file, "linear_biases", n);
  const head = doc.quadratic_head;
  const tail = doc.quadratic_tail;
  const biases = doc.quadratic_biases;
  if (!Array.isArray(head) || !Array.isArray(tail) || !Array.isArray(biases) || head.length !== tail.length || head.length !== biases.length) {
    throw new InputError(file, "quadratic_head", "quadratic_head, quadratic_tail and quadratic_biases must be lists of one length");
  }
  if (doc.num_interactions !== undefined && doc.num_interactions !== head.length) throw new InputError(file, "num_interactions", `is ${describeValue(doc.num_interactions)} but there are ${head.length} interactions`);
  const entries = head.map((i, k): [number, number, number] => {
    const j = tail[k];
    const v = biases[k];
    if (typeof i !== "number" || typeof j !== "number" || !Number.isInteger(i) || !Number.isInteger(j)) throw new InputError(file, `quadratic_head[${k}]`, "indices must be whole numbers");
    if (i === j) throw new InputError(file, `quadratic_head[${k}]`, `is a self-interaction (${i}, ${i})`);
    if (typeof v !== "number") throw new InputError(file, `quadratic_biases[${k}]`, `must be a number, got ${describeValue(v)}`);
    return [i, j, v];
  });
  const form = formFromEntries(file, n, vt === "BINARY" ? "binary" : "spin", entries, finiteField(doc.offset, file, "offset", 0), (k) => `quadratic_biases[${k}]`, linear);
  return formToIsing(form, betaField(doc.beta, file), undefined, file);
}
