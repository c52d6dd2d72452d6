/** NumPy .npy (format 1.0) for the few dtypes thermosim reads and writes. */
import { InputError } from "../errors.js";

export type NpyArray =
  | { dtype: "int8"; shape: number[]; data: Int8Array }
  | { dtype: "uint8"; shape: number[]; data: Uint8Array }
  | { dtype: "float64"; shape: number[]; data: Float64Array };

const DESCR = { int8: "|i1", uint8: "|u1", float64: "<f8" } as const;

/** The .npy header (magic, version, dict) for an array; the data follows it. */
export function npyHeader(dtype: NpyArray["dtype"], shape: number[]): Uint8Array {
  const s = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': ${s}, }`;
  // Pad with spaces so the data starts on a 64-byte boundary; end with \n.
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const bytes = new Uint8Array(10 + header.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0); // \x93NUMPY v1.0
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  return bytes;
}

export const DTYPE_BYTES = { int8: 1, uint8: 1, float64: 8 } as const;

export function encodeNpy(a: NpyArray): Uint8Array {
  const head = npyHeader(a.dtype, a.shape);
  const bytes = new Uint8Array(head.length + a.data.byteLength);
  bytes.set(head, 0);
  bytes.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), head.length);
  return bytes;
}

/** Parse .npy bytes (C order; int8, uint8, float64, and other ints/floats converted to float64). */
export function decodeNpy(bytes: Uint8Array, file: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) throw new InputError(file, undefined, "is not a .npy file (bad magic)");
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = major === 1 ? 10 : 12;
  if (hstart + hlen > bytes.length) throw new InputError(file, undefined, "is truncated (header)");
  const header = new TextDecoder("latin1").decode(bytes.subarray(hstart, hstart + hlen));
  // numpy's header is a dict literal with exactly these three keys, each once (Python would keep the last of a
  // repeated key; a regex the first: a file read two ways is refused instead).
  const keys = [...header.matchAll(/['"]([A-Za-z_]+)['"]\s*:/g)].map((m) => m[1]);
  for (const k of ["descr", "fortran_order", "shape"]) {
    const times = keys.filter((x) => x === k).length;
    if (times !== 1) throw new InputError(file, undefined, `has a .npy header with the key '${k}' ${times === 0 ? "missing" : `${times} times`} (numpy writes descr, fortran_order and shape once each)`);
  }
  const extra = keys.filter((k) => !["descr", "fortran_order", "shape"].includes(k));
  if (extra.length) throw new InputError(file, undefined, `has a .npy header with the key '${extra[0]}' (numpy's has descr, fortran_order and shape only)`);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new InputError(file, undefined, "has an unreadable .npy header");
  if (fortran === "True") throw new InputError(file, undefined, "is Fortran-ordered; save it in C order");
  // Digits only: numpy writes and reads shapes as Python ints ("4e0" and "0x3" are not).
  const shape = shapeText.split(",").map((s) => s.trim()).filter((s) => s.length > 0).map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new InputError(file, undefined, `has a bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const start = hstart + hlen;
  const body = bytes.subarray(start);
  const kinds: Record<string, [number, (i: number) => number]> = {
    "|i1": [1, (i) => dv.getInt8(start + i)],
    "|u1": [1, (i) => dv.getUint8(start + i)],
    "|b1": [1, (i) => dv.getUint8(start + i)],
    "<i2": [2, (i) => dv.getInt16(start + 2 * i, true)],
    "<i4": [4, (i) => dv.getInt32(start + 4 * i, true)],
    "<i8": [8, (i) => Number(dv.getBigInt64(start + 8 * i, true))],
    "<f4": [4, (i) => dv.getFloat32(start + 4 * i, true)],
    "<f8": [8, (i) => dv.getFloat64(start + 8 * i, true)],
  };
  const kind = kinds[descr];
  if (!kind) throw new InputError(file, undefined, `has dtype ${descr}; supported: ${Object.keys(kinds).join(", ")}`);
  if (body.length < count * kind[0]) throw new InputError(file, undefined, `is truncated: shape (${shape.join(", ")}) needs ${count * kind[0]} data bytes, found ${body.length}`);
  if (descr === "|i1") return { dtype: "int8", shape, data: new Int8Array(body.buffer, body.byteOffset, count).slice() };
  if (descr === "|u1") return { dtype: "uint8", shape, data: Uint8Array.from(body.subarray(0, count)) };
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = kind[1](i);
  return { dtype: "float64", shape, data };
}
