/**
 * Weight I/O: round trips through thermosim's writers, and fixtures built
 * here byte by byte from numpy's .npy/.npz layout and the safetensors
 * specification (not with thermosim's writers); every malformed class is
 * refused with one error naming the file and the field.
 */
import { describe, expect, test } from "vitest";
import { crc32, deflateRawSync } from "node:zlib";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeNpz, decodeSafetensors, encodeNpz, encodeSafetensors, readWeights, type Weights } from "../src/io/weights.js";

const dir = mkdtempSync(join(tmpdir(), "thermosim-weights-"));
const bytesOf = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const sample = (): Weights => new Map([
  ["W", { shape: [3, 2], data: Float64Array.of(0.5, -0, 1e-300, -2.25, 1e300, 3) }],
  ["b", { shape: [3], data: Float64Array.of(0.1, 0.2, 0.3) }],
  ["c", { shape: [2], data: Float64Array.of(-1, 1) }],
]);

describe("round trips: written and read back bit-identically", () => {
  const check = (w: Weights) => {
    const ref = sample();
    expect([...w.keys()]).toEqual([...ref.keys()]);
    for (const [k, a] of ref) {
      expect(w.get(k)!.shape).toEqual(a.shape);
      expect(bytesOf(w.get(k)!.data).equals(bytesOf(a.data))).toBe(true);
    }
  };
  test(".npz stored and deflated", () => {
    for (const compress of [false, true]) {
      const p = join(dir, `rt-${compress}.npz`);
      writeFileSync(p, encodeNpz(sample(), compress));
      check(readWeights(p));
    }
  });
  test(".safetensors", () => {
    const p = join(dir, "rt.safetensors");
    writeFileSync(p, encodeSafetensors(sample(), { format: "pt" }));
    check(readWeights(p));
  });
});

/** A .npy of little-endian values, built by hand: magic, version 1.0, header length, padded dict. */
function npy(descr: string, shape: number[], body: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += " ";
  header += "\n";
  const out = new Uint8Array(10 + header.length + body.length);
  out.set([0x93, 78, 85, 77, 80, 89, 1, 0, header.length & 255, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  out.set(body, 10 + header.length);
  return out;
}

/** A zip with the given members (method 0 or 8), built by hand from the PKWARE layout. */
function zip(members: { name: string; data: Uint8Array; method: 0 | 8; crcOverride?: number }[]): Uint8Array {
  const parts: number[] = [];
  const central: number[] = [];
  const le = (v: number, n: number) => Array.from({ length: n }, (_, i) => (v / 2 ** (8 * i)) & 255);
  for (const m of members) {
    const body = m.method === 8 ? deflateRawSync(m.data) : m.data;
    const name = [...new TextEncoder().encode(m.name)];
    const crc = m.crcOverride ?? crc32(m.data) >>> 0;
    const offset = parts.length;
    const common = [...le(20, 2), ...le(0, 2), ...le(m.method, 2), ...le(0, 2), ...le(0x21, 2), ...le(crc, 4), ...le(body.length, 4), ...le(m.data.length, 4), ...le(name.length, 2), ...le(0, 2)];
    parts.push(...le(0x04034b50, 4), ...common, ...name, ...body);
    central.push(...le(0x02014b50, 4), ...le(20, 2), ...common, ...le(0, 2), ...le(0, 2), ...le(0, 2), ...le(0, 4), ...le(offset, 4), ...name);
  }
  const cdStart = parts.length;
  return Uint8Array.from([...parts, ...central, ...le(0x06054b50, 4), 0, 0, 0, 0, ...le(members.length, 2), ...le(members.length, 2), ...le(central.length, 4), ...le(cdStart, 4), 0, 0]);
}

const f8 = (...v: number[]) => new Uint8Array(Float64Array.from(v).buffer);
const f4 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

describe("fixtures built byte by byte", () => {
  test(".npz with a stored f8 member and a deflated f4 member", () => {
    const w = decodeNpz(zip([
      { name: "W.npy", data: npy("<f8", [2, 2], f8(1, 2, 3, 4)), method: 0 },
      { name: "b.npy", data: npy("<f4", [2], f4(0.5, -1.5)), method: 8 },
    ]), "hand.npz");
    expect(w.get("W")).toEqual({ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) });
    expect(w.get("b")).toEqual({ shape: [2], data: Float64Array.of(0.5, -1.5) });
  });

  /** A safetensors file by hand: 8-byte little-endian header length, JSON header, data buffer. */
  function st(header: object, data: Uint8Array): Uint8Array {
    const h = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    out.set(data, 8 + h.length);
    return out;
  }
  test(".safetensors with F32 and I8 tensors and metadata", () => {
    const data = new Uint8Array([...f4(1.5, -2), 7, 0xff]);
    const w = decodeSafetensors(st({ __metadata__: { format: "pt" }, W: { dtype: "F32", shape: [1, 2], data_offsets: [0, 8] }, m: { dtype: "I8", shape: [2], data_offsets: [8, 10] } }, data), "hand.safetensors");
    expect(w.get("W")).toEqual({ shape: [1, 2], data: Float64Array.of(1.5, -2) });
    expect(w.get("m")).toEqual({ shape: [2], data: Float64Array.of(7, -1) });
  });

  test("malformed .safetensors: one error each, naming file and field", () => {
    const ok = { W: { dtype: "F32", shape: [2], data_offsets: [0, 8] } };
    const bad = (header: object, data: Uint8Array, message: RegExp) => expect(() => decodeSafetensors(st(header, data), "x.safetensors")).toThrow(message);
    bad({ W: { ...ok.W, dtype: "F16" } }, f4(1, 2), /x\.safetensors: W\.dtype: "F16" is not read/);
    bad({ W: { ...ok.W, shape: [3] } }, f4(1, 2), /W\.data_offsets: span 8 bytes but shape \[3\] of F32 needs 12/);
    bad({ W: { ...ok.W, data_offsets: [0, 16] } }, f4(1, 2), /W\.data_offsets: \[0, 16\] is outside the 8-byte data buffer/);
    bad({ A: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, B: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, f4(1, 2), /B\.data_offsets: overlaps the previous tensor/);
    bad({ A: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, f4(1, 2), /A\.data_offsets: leaves a hole/);
    bad(ok, f4(1, NaN), /x\.safetensors: W\[1\]: is NaN; weights must be finite/);
    const short = st(ok, f4(1, 2)).subarray(0, 12);
    expect(() => decodeSafetensors(short, "x.safetensors")).toThrow(/x\.safetensors: header: declares \d+ bytes but the file has 4/);
  });

  test("malformed .npz: one error each", () => {
    const good = [{ name: "W.npy", data: npy("<f8", [2], f8(1, 2)), method: 0 as const }];
    const z = zip(good);
    expect(() => decodeNpz(z.subarray(0, z.length - 30), "x.npz")).toThrow(/x\.npz: is not a \.npz \(zip\) file: no end-of-archive record/);
    expect(() => decodeNpz(zip([{ ...good[0], crcOverride: 12345 }]), "x.npz")).toThrow(/x\.npz: W\.npy|x\.npz: W: fails its CRC-32 check/);
    expect(() => decodeNpz(zip([{ ...good[0], name: "W.pkl" }]), "x.npz")).toThrow(/x\.npz: W\.pkl: holds "W\.pkl", not a \.npy array/);
    expect(() => decodeNpz(zip([{ ...good[0], data: npy("<f8", [3], f8(1, 2)) }]), "x.npz")).toThrow(/x\.npz: W: is truncated: shape \(3\) needs 24 data bytes, found 16/);
    expect(() => decodeNpz(zip([{ ...good[0], data: npy(">f8", [2], f8(1, 2)) }]), "x.npz")).toThrow(/has dtype >f8/);
    expect(() => decodeNpz(zip([{ ...good[0], data: npy("<f8", [2], f8(1, Infinity)) }]), "x.npz")).toThrow(/x\.npz: W\[1\]: is Infinity/);
  });
});

describe("thermosim weights", () => {
  test("lists a file's arrays; a malformed file is one line, exit 2", () => {
    const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
    const bin = join(__dirname, "..", "bin", "thermosim.js");
    const p = join(dir, "cli.npz");
    writeFileSync(p, encodeNpz(sample(), true));
    const r = spawnSync(process.execPath, [bin, "weights", p, "--json"], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).arrays.map((a: { name: string; shape: number[] }) => [a.name, a.shape])).toEqual([["W", [3, 2]], ["b", [3]], ["c", [2]]]);
    writeFileSync(join(dir, "bad.safetensors"), "xy");
    const bad = spawnSync(process.execPath, [bin, "weights", join(dir, "bad.safetensors")], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/bad\.safetensors: is truncated: no header length/);
  });
});
