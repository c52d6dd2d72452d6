/**
 * Weight files from the PyTorch/JAX world, read as untrusted data: .npy (one
 * array), .npz (a zip of .npy members, stored or deflated), .safetensors
 * (little-endian u64 header length, a JSON header of dtype, shape and
 * data_offsets, then the bytes) and JSON ({"name": nested number arrays}).
 * Every length, offset and size is checked before it is used; decompression
 * is Node's zlib (inflateRaw) with the output capped at the member's
 * declared size; nothing is evaluated. Values come back as float64 and must be
 * finite. Writers produce .npz (stored or deflated) and .safetensors.
 */
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { InputError, describeValue } from "../errors.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { readCapped } from "./read.js";
import { parseJsonStrict } from "./json.js";

export interface WeightArray {
  shape: number[];
  data: Float64Array;
}
export type Weights = Map<string, WeightArray>;

/** Weight files are read whole; 2 GiB is beyond any model a chip here holds. */
const WEIGHTS_LIMIT = 2 * 2 ** 30 - 1;
/** JSON weight files: one string in V8, whose strings stop at 2^29 - 24 characters. */
export const JSON_WEIGHTS_LIMIT = 512 * 2 ** 20;
/** An archive's members may declare at most this much data in all, checked before anything is inflated. */
export const NPZ_INFLATE_LIMIT = 2 ** 30;
/** Arrays become float64: at most this many bytes of them per file (2^28 values), checked before each conversion. */
export const FLOAT64_LIMIT = 2 * 2 ** 30;

function requireFinite(file: string, name: string, a: WeightArray): WeightArray {
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) throw new InputError(file, `${name}[${i}]`, `is ${a.data[i]}; weights must be finite numbers`);
  }
  return a;
}

/** Bytes of float64 a file's arrays may still take (a zip bomb of uint8 zeros grows 8x on conversion). */
class Float64Budget {
  private left: number;
  constructor(private readonly limit = FLOAT64_LIMIT) {
    this.left = limit;
  }
  take(file: string, name: string, values: number): void {
    this.left -= 8 * values;
    if (this.left < 0) throw new InputError(file, name, `brings the file's arrays past ${this.limit} bytes (${(this.limit / 2 ** 30).toPrecision(3)} GiB) as float64 (${values} values here); weight files hold at most ${this.limit / 8} values in all`);
  }
}

function fromNpy(bytes: Uint8Array, file: string, name: string, budget = new Float64Budget()): WeightArray {
  const a = decodeNpy(bytes, `${file}: ${name}`);
  budget.take(file, name, a.data.length);
  return requireFinite(file, name, { shape: a.shape, data: Float64Array.from(a.data) });
}

// --- .npz: a zip archive ----------------------------------------------------------------------

const u16 = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u32 = (b: Uint8Array, at: number) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

export function decodeNpz(bytes: Uint8Array, file: string, limits: { inflate: number; float64: number } = { inflate: NPZ_INFLATE_LIMIT, float64: FLOAT64_LIMIT }): Weights {
  const fail = (problem: string, field?: string) => new InputError(file, field, problem);
  // End of central directory: signature 0x06054b50 within the last 22 + 65535 bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 65535); at--) {
    if (u32(bytes, at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw fail("is not a .npz (zip) file: no end-of-archive record (truncated?)");
  const count = u16(bytes, eocd + 10);
  const cdSize = u32(bytes, eocd + 12);
  const cdStart = u32(bytes, eocd + 16);
  if (count === 0xffff || cdStart === 0xffffffff) throw fail("is a zip64 archive; save it with numpy (arrays under 4 GiB) or as .safetensors");
  if (cdStart + cdSize > eocd) throw fail(`is truncated or corrupt: the central directory (${cdStart}..${cdStart + cdSize}) runs past the end record (${eocd})`);
  // First the whole directory, nothing inflated: names, methods, ranges and declared sizes, so that a
  // zip bomb (a huge declared size, entries sharing one deflated member) is refused before any allocation.
  const entries: { name: string; method: number; crc: number; packed: number; size: number; dataStart: number; local: number }[] = [];
  let at = cdStart;
  for (let k = 0; k < count; k++) {
    if (at + 46 > eocd || u32(bytes, at) !== 0x02014b50) throw fail(`is corrupt: central directory entry ${k} is missing`);
    const method = u16(bytes, at + 10);
    // General-purpose flag bit 0: the member is encrypted; its bytes are not the array.
    if (u16(bytes, at + 8) & 1) throw fail(`has an encrypted member (entry ${k}); thermosim reads unencrypted archives`);
    const crc = u32(bytes, at + 16);
    let packed = u32(bytes, at + 20);
    let size = u32(bytes, at + 24);
    const nameLen = u16(bytes, at + 28);
    const extraLen = u16(bytes, at + 30);
    const commentLen = u16(bytes, at + 32);
    let local = u32(bytes, at + 42);
    if (at + 46 + nameLen + extraLen > eocd) throw fail(`is corrupt: entry ${k}'s name runs past the directory`);
    const member = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    // ZIP64 extra field (numpy writes members with force_zip64): 8-byte values for the 32-bit fields that are all ones.
    for (let e = at + 46 + nameLen; e + 4 <= at + 46 + nameLen + extraLen; ) {
      const id = u16(bytes, e);
      const len = u16(bytes, e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const wide = () => {
          if (q + 8 > e + 4 + len) throw fail("has a short ZIP64 extra field (corrupt)", member);
          const v = u32(bytes, q) + u32(bytes, q + 4) * 2 ** 32;
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = wide();
        if (packed === 0xffffffff) packed = wide();
        if (local === 0xffffffff) local = wide();
      }
      e += 4 + len;
    }
    at += 46 + nameLen + extraLen + commentLen;
    if (!member.endsWith(".npy")) throw fail(`holds ${JSON.stringify(member)}, not a .npy array`, member);
    const name = member.slice(0, -4);
    if (entries.some((x) => x.name === name)) throw fail("appears twice in the archive", name);
    if (method !== 0 && method !== 8) throw fail(`is compressed with method ${method}; numpy writes stored (0) or deflated (8)`, name);
    if (local + 30 > bytes.length || u32(bytes, local) !== 0x04034b50) throw fail("has no local header where the directory says (corrupt or truncated)", name);
    const dataStart = local + 30 + u16(bytes, local + 26) + u16(bytes, local + 28);
    if (dataStart + packed > cdStart) throw fail(`is truncated: its ${packed} bytes run past the archive's data`, name);
    entries.push({ name, method, crc, packed, size, dataStart, local });
  }
  // Members must not share bytes: overlapping entries would inflate one deflated member many times.
  const byStart = [...entries].sort((a, b) => a.local - b.local);
  for (let k = 1; k < byStart.length; k++) {
    const prev = byStart[k - 1];
    if (byStart[k].local < prev.dataStart + prev.packed) throw fail(`overlaps member ${prev.name} in the archive (bytes ${byStart[k].local} < ${prev.dataStart + prev.packed}): a zip member is stored once`, byStart[k].name);
  }
  const declared = entries.reduce((a, e) => a + e.size, 0);
  if (declared > limits.inflate) throw fail(`declares ${declared} bytes of array data in all, more than the ${limits.inflate} bytes (${(limits.inflate / 2 ** 30).toPrecision(3)} GiB) weight files may hold (checked before inflating)`);
  const out: Weights = new Map();
  const budget = new Float64Budget(limits.float64);
  for (const { name, method, crc, packed, size, dataStart } of entries) {
    const raw = bytes.subarray(dataStart, dataStart + packed);
    let data: Uint8Array;
    if (method === 0) {
      if (packed !== size) throw fail(`is stored with ${packed} bytes but declares ${size}`, name);
      data = raw;
    } else {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
      } catch (e) {
        const code = (e as { code?: string }).code;
        throw fail(code === "ERR_BUFFER_TOO_LARGE" ? `inflates to more than its declared ${size} bytes (corrupt, or a zip bomb)` : `does not inflate to its declared ${size} bytes (${(e as Error).message})`, name);
      }
      if (data.length !== size) throw fail(`inflates to ${data.length} bytes but declares ${size}`, name);
    }
    if (crc32(data) >>> 0 !== crc) throw fail("fails its CRC-32 check (corrupt)", name);
    out.set(name, fromNpy(data, file, name, budget));
  }
  return out;
}

/** A .npz of float64 arrays, members stored (numpy.savez) or deflated (numpy.savez_compressed). */
export function encodeNpz(weights: Weights, compress: boolean): Uint8Array {
  const locals: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const [name, a] of weights) {
    const npy = encodeNpy({ dtype: "float64", shape: a.shape, data: a.data });
    const body = compress ? deflateRawSync(npy) : npy;
    const fname = new TextEncoder().encode(`${name}.npy`);
    const crc = crc32(npy) >>> 0;
    const header = (central: boolean) => {
      const h = new Uint8Array(central ? 46 : 30);
      const dv = new DataView(h.buffer);
      let p = 0;
      dv.setUint32(p, central ? 0x02014b50 : 0x04034b50, true);
      p += 4;
      if (central) {
        dv.setUint16(p, 20, true); // made by
        p += 2;
      }
      dv.setUint16(p, 20, true); // version needed
      dv.setUint16(p + 2, 0, true); // flags
      dv.setUint16(p + 4, compress ? 8 : 0, true);
      dv.setUint16(p + 6, 0, true); // time
      dv.setUint16(p + 8, 0x21, true); // date (1980-01-01)
      dv.setUint32(p + 10, crc, true);
      dv.setUint32(p + 14, body.length, true);
      dv.setUint32(p + 18, npy.length, true);
      dv.setUint16(p + 22, fname.length, true);
      dv.setUint16(p + 24, 0, true); // extra
      if (central) dv.setUint32(p + 36, offset, true); // local header offset (comment, disk, attrs are 0)
      return h;
    };
    const loc = header(false);
    central.push(header(true), fname);
    locals.push(loc, fname, body);
    offset += loc.length + fname.length + body.length;
  }
  const cd = concatBytes(central);
  const end = new Uint8Array(22);
  const dv = new DataView(end.buffer);
  dv.setUint32(0, 0x06054b50, true);
  dv.setUint16(8, weights.size, true);
  dv.setUint16(10, weights.size, true);
  dv.setUint32(12, cd.length, true);
  dv.setUint32(16, offset, true);
  return concatBytes([...locals, cd, end]);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// --- .safetensors -----------------------------------------------------------------------------

const ST_DTYPES: Record<string, [number, (dv: DataView, at: number) => number]> = {
  F64: [8, (dv, at) => dv.getFloat64(at, true)],
  F32: [4, (dv, at) => dv.getFloat32(at, true)],
  I64: [8, (dv, at) => Number(dv.getBigInt64(at, true))],
  I32: [4, (dv, at) => dv.getInt32(at, true)],
  I16: [2, (dv, at) => dv.getInt16(at, true)],
  I8: [1, (dv, at) => dv.getInt8(at)],
  U8: [1, (dv, at) => dv.getUint8(at)],
  BOOL: [1, (dv, at) => dv.getUint8(at)],
};

export function decodeSafetensors(bytes: Uint8Array, file: string): Weights {
  if (bytes.length < 8) throw new InputError(file, undefined, "is truncated: no header length");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = dv.getBigUint64(0, true);
  if (headerLen > BigInt(bytes.length - 8)) throw new InputError(file, "header", `declares ${headerLen} bytes but the file has ${bytes.length - 8} after the length (truncated?)`);
  const n = Number(headerLen);
  // The safetensors reference implementation caps headers at 100 MB; a header is one string in V8.
  if (n > 100e6) throw new InputError(file, "header", `declares ${n} bytes; safetensors headers are at most 100 MB`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    throw new InputError(file, "header", "is not valid UTF-8 (the format's header is UTF-8 JSON)");
  }
  const header = parseJsonStrict(text, `${file} (header)`);
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new InputError(file, "header", "must be a JSON object");
  const base = 8 + n;
  const bufferLen = bytes.length - base;
  const spans: { name: string; begin: number; end: number }[] = [];
  const out: Weights = new Map();
  for (const [name, v] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      // The format's metadata maps strings to strings.
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new InputError(file, "__metadata__", `must map names to strings, got ${describeValue(v)}`);
      for (const [k, x] of Object.entries(v)) if (typeof x !== "string") throw new InputError(file, `__metadata__.${k}`, `must be a string (safetensors metadata maps strings to strings), got ${describeValue(x)}`);
      continue;
    }
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof t !== "object" || t === null) throw new InputError(file, name, `must be {dtype, shape, data_offsets}, got ${describeValue(v)}`);
    const spec = typeof t.dtype === "string" ? ST_DTYPES[t.dtype] : undefined;
    if (!spec) throw new InputError(file, `${name}.dtype`, `${describeValue(t.dtype)} is not read (${Object.keys(ST_DTYPES).join(", ")}; F16/BF16: convert to F32 first)`);
    if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d >= 0)) throw new InputError(file, `${name}.shape`, `must be a list of whole numbers, got ${describeValue(t.shape)}`);
    const offs = t.data_offsets;
    if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((o) => Number.isInteger(o) && o >= 0)) throw new InputError(file, `${name}.data_offsets`, `must be [begin, end], got ${describeValue(offs)}`);
    const [begin, end] = offs as number[];
    if (begin > end || end > bufferLen) throw new InputError(file, `${name}.data_offsets`, `[${begin}, ${end}] is outside the ${bufferLen}-byte data buffer`);
    const count = (t.shape as number[]).reduce((a, d) => a * d, 1);
    if (end - begin !== count * spec[0]) throw new InputError(file, `${name}.data_offsets`, `span ${end - begin} bytes but shape [${(t.shape as number[]).join(", ")}] of ${t.dtype} needs ${count * spec[0]}`);
    spans.push({ name, begin, end });
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = spec[1](dv, base + begin + i * spec[0]);
    if (t.dtype === "BOOL") for (let i = 0; i < count; i++) if (data[i] !== 0 && data[i] !== 1) throw new InputError(file, `${name}[${i}]`, `is byte ${data[i]}; a BOOL tensor holds 0 or 1`);
    out.set(name, requireFinite(file, name, { shape: t.shape as number[], data }));
  }
  // The format indexes the whole buffer without overlaps or holes.
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const s of spans) {
    if (s.begin < covered) throw new InputError(file, `${s.name}.data_offsets`, `overlaps the previous tensor (starts at ${s.begin}, before ${covered})`);
    if (s.begin > covered) throw new InputError(file, `${s.name}.data_offsets`, `leaves a hole in the data buffer (${covered}..${s.begin})`);
    covered = s.end;
  }
  if (covered !== bufferLen) throw new InputError(file, "data", `the tensors cover ${covered} of the ${bufferLen} data bytes`);
  return out;
}

/** A .safetensors of float64 (F64) tensors, in insertion order. */
export function encodeSafetensors(weights: Weights, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let at = 0;
  for (const [name, a] of weights) {
    header[name] = { dtype: "F64", shape: a.shape, data_offsets: [at, at + a.data.length * 8] };
    at += a.data.length * 8;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - ((8 + json.length) % 8)) % 8); // data aligned to 8 bytes
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + at);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let p = 8 + head.length;
  for (const a of weights.values()) {
    for (let i = 0; i < a.data.length; i++) dv.setFloat64(p + 8 * i, a.data[i], true);
    p += a.data.length * 8;
  }
  return out;
}

// --- any weight file ----------------------------------------------------------------------------

function fromJson(doc: unknown, file: string): Weights {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new InputError(file, undefined, "must be a JSON object of named arrays");
  const out: Weights = new Map();
  for (const [name, v] of Object.entries(doc as Record<string, unknown>)) {
    const shape: number[] = [];
    let probe: unknown = v;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = probe[0];
    }
    // Rectangular, checked level by level (Array.flat would accept [[1, -1], [[1, -1]]] as 2 x 2).
    const flat: unknown[] = [];
    const walk = (x: unknown, depth: number, at: string) => {
      if (depth === shape.length) {
        if (typeof x !== "number") throw new InputError(file, `${name}${at}`, `must be a number in a rectangular array of shape [${shape.join(", ")}], got ${describeValue(x)}`);
        flat.push(x);
        return;
      }
      if (!Array.isArray(x) || x.length !== shape[depth]) throw new InputError(file, `${name}${at}`, `must be a list of ${shape[depth]} (a rectangular array of shape [${shape.join(", ")}]), got ${describeValue(x)}`);
      x.forEach((y, k) => walk(y, depth + 1, `${at}[${k}]`));
    };
    walk(v, 0, "");
    out.set(name, requireFinite(file, name, { shape, data: Float64Array.from(flat as number[]) }));
  }
  return out;
}

export function readWeights(file: string): Weights {
  const bytes = readCapped(file, WEIGHTS_LIMIT);
  const u8 = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (file.endsWith(".npz")) return decodeNpz(u8, file);
  if (file.endsWith(".safetensors")) return decodeSafetensors(u8, file);
  if (file.endsWith(".npy")) return new Map([["arr_0", fromNpy(u8, file, "arr_0")]]);
  if (file.endsWith(".json")) {
    // One JSON text becomes one string, and V8 caps strings at 2^29 - 24 characters.
    if (u8.length > JSON_WEIGHTS_LIMIT) throw new InputError(file, undefined, `is ${u8.length} bytes; JSON weight files are read up to ${JSON_WEIGHTS_LIMIT / 2 ** 20} MiB (write larger arrays as .npz or .safetensors)`);
    return fromJson(parseJsonStrict(new TextDecoder().decode(u8), file), file);
  }
  throw new InputError(file, undefined, "is not a weight file this version reads (.npz, .safetensors, .npy, .json)");
}
