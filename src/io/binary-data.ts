/** 0/1 data sets (RBM training data, AIS base rates) from a .npy [rows, units]. */
import { readCapped } from "./read.js";
import { decodeNpy } from "./npy.js";
import { InputError } from "../errors.js";
import type { BinaryData } from "../train/rbm.js";

export function readBinaryNpy(file: string, flag: string): BinaryData {
  const a = decodeNpy(readBinaryFile(file), file);
  if (a.shape.length !== 2) throw new InputError(file, undefined, `must be a 2-D array [rows, units] of 0/1 values (${flag}), has shape [${a.shape.join(", ")}]`);
  const x = new Uint8Array(a.data.length);
  for (let q = 0; q < x.length; q++) {
    const v = Number(a.data[q]);
    if (v !== 0 && v !== 1) throw new InputError(file, `[${Math.floor(q / a.shape[1])}, ${q % a.shape[1]}]`, `is ${v}; RBM data must be 0 or 1`);
    x[q] = v;
  }
  return { rows: a.shape[0], nv: a.shape[1], x };
}


/** Data files are read whole, capped: a device (/dev/zero) or a pipe is cut off there, not read forever. */
const DATA_LIMIT = 2 * 2 ** 30 - 1;

function readBinaryFile(file: string): Uint8Array {
  const b = readCapped(file, DATA_LIMIT);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
