/**
 * Reading user files with a size cap. A path may name a device or a pipe
 * (/dev/zero, /dev/stdin) whose size nobody knows in advance, so bytes are read
 * in chunks and reading stops -- with one clear error -- once the cap is passed,
 * instead of reading forever or exhausting memory.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InputError } from "../errors.js";

const MiB = 2 ** 20;

/**
 * Model files are parsed from one string, and V8 (Node 20) cannot hold a
 * string of more than 2^29 - 24 characters; spec files are small.
 */
export const LIMITS = {
  model: 512 * MiB - 64,
  spec: 16 * MiB,
} as const;

export function formatBytes(b: number): string {
  const units: [number, string][] = [[2 ** 40, "TiB"], [2 ** 30, "GiB"], [MiB, "MiB"], [1024, "KiB"]];
  for (const [scale, u] of units) if (b >= scale) return `${Number((b / scale).toPrecision(3))} ${u}`;
  return `${b} B`;
}

function openError(path: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "is a folder, not a file",
    EACCES: "cannot be read (permission denied)",
    ENOTDIR: "no such file (a part of the path is not a folder)",
    ELOOP: "cannot be read (too many symbolic links)",
  };
  return new InputError(path, undefined, why[code ?? ""] ?? `cannot be read (${code ?? (e as Error).message})`);
}

/** All bytes of `path`, refusing anything larger than `limit` bytes. */
export function readCapped(path: string, limit: number): Buffer {
  // Standard input is read from descriptor 0 itself: when it is a socket (as
  // Node's child processes get) /dev/stdin cannot be opened again.
  const stdin = path === "-" || path === "/dev/stdin";
  let fd: number;
  try {
    fd = stdin ? 0 : openSync(path, "r");
  } catch (e) {
    throw openError(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(path, undefined, "is a folder, not a file");
    const tooBig = (seen: string) =>
      new InputError(path, undefined, `${seen} the ${formatBytes(limit)} thermosim reads from a ${limit === LIMITS.spec ? "spec" : "model"} file (is it the right file?)`);
    if (st.isFile() && st.size > limit) throw tooBig(`is ${formatBytes(st.size)}, more than`);
    const chunks: Buffer[] = [];
    let total = 0;
    const chunk = Buffer.allocUnsafe(Math.min(limit + 1, 4 * MiB));
    for (;;) {
      let got: number;
      try {
        got = readSync(fd, chunk, 0, chunk.length, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") continue; // a non-blocking pipe with nothing yet
        throw openError(path, e);
      }
      if (got === 0) break;
      total += got;
      if (total > limit) throw tooBig("goes on past");
      chunks.push(Buffer.from(chunk.subarray(0, got)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    if (!stdin) closeSync(fd);
  }
}

/** Text of `path` (UTF-8), capped as above. */
export function readCappedText(path: string, limit: number): string {
  const bytes = readCapped(path, limit);
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString("utf8", 3);
  return bytes.toString("utf8");
}
