/**
 * All-or-nothing result folders.
 *
 * Files are written into a hidden staging folder beside the result folder and
 * published by renaming the whole folder into place, so a reader never sees
 * one run's stats.json beside another run's samples.npy: two runs publishing
 * to the same --out either replace each other whole or the second fails
 * cleanly. A folder is only replaced when it is empty or was written by
 * thermosim (it holds the `.thermosim` marker); anything else is refused.
 *
 * Nothing is left behind by a run that fails, is refused or is interrupted:
 * the staging folder and any parent folders this run created are removed on
 * every exit path, signals included (signal-exit). What a killed process
 * (SIGKILL) leaves is removed by the next run that writes beside it.
 */
import { accessSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statfsSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { onExit } from "signal-exit";
import { InputError } from "../errors.js";
import { formatBytes } from "./read.js";

export const MARKER = ".thermosim";

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Write errors (disk full, quota, I/O) are the machine's, not thermosim's: one clear line. */
export function writeError(path: string, e: unknown): InputError {
  const code = errno(e);
  const why: Record<string, string> = { ENOSPC: "no space left on the device", EDQUOT: "disk quota exceeded", EIO: "an I/O error", EROFS: "a read-only file system", EACCES: "permission denied" };
  return new InputError(path, undefined, `could not be written (${why[code] ?? code})`);
}

export class OutputFolder {
  readonly dir: string;
  private readonly parent: string;
  private readonly name: string;
  private staging?: string;
  private created: string[] = [];
  private removeExitHook?: () => void;

  /** Check the --out argument; creates nothing. */
  constructor(arg: string, private readonly flag = "--out") {
    if (arg.trim() === "") throw new InputError(flag, undefined, "must name a folder (got an empty name)");
    this.dir = resolve(arg);
    this.parent = dirname(this.dir);
    this.name = basename(this.dir);
    const cwd = process.cwd();
    if (this.parent === this.dir || cwd === this.dir || (cwd + sep).startsWith(this.dir + sep)) {
      throw new InputError(flag, undefined, `${arg} is the current folder or one of its parents; name a new folder for the results`);
    }
    let st;
    try {
      st = lstatSync(this.dir);
    } catch {
      st = undefined;
    }
    if (st) {
      if (st.isSymbolicLink()) throw new InputError(flag, undefined, `${arg} is a symbolic link; name the folder itself`);
      if (!st.isDirectory()) throw new InputError(flag, undefined, `${arg} exists and is not a folder`);
      const entries = readdirSync(this.dir);
      if (entries.length > 0 && !entries.includes(MARKER)) {
        throw new InputError(flag, undefined, `${arg} holds files that thermosim did not write; name a new or empty folder (thermosim replaces only its own result folders)`);
      }
    }
    // The nearest folder that exists must be a writable folder.
    let base = this.parent;
    while (!existsSync(base)) base = dirname(base);
    const bst = lstatSync(base);
    if (!bst.isDirectory()) throw new InputError(flag, undefined, `cannot create ${arg}: ${base} is not a folder`);
    try {
      accessSync(base, constants.W_OK);
    } catch {
      throw new InputError(flag, undefined, `cannot create ${arg}: ${base} is not writable`);
    }
  }

  /** Bytes free on the file system that will hold the results. */
  freeBytes(): number {
    let base = this.parent;
    while (!existsSync(base)) base = dirname(base);
    try {
      const s = statfsSync(base);
      return Number(s.bavail) * Number(s.bsize);
    } catch {
      return Infinity;
    }
  }

  /** Refuse up front when the results will not fit on the disk. */
  checkSpace(bytes: number, what: string): void {
    const free = this.freeBytes();
    const margin = 64 * 2 ** 20;
    if (bytes + margin > free) {
      // A file system with no free blocks at all (/proc, /sys) is not a place for results, whatever their size.
      if (free <= 0) throw new InputError(this.flag, undefined, `${this.name} is on a file system with no free space at all (${this.parent}: /proc, /sys or a full disk); choose a folder on a disk`);
      throw new InputError(this.flag, undefined, `${what} would take ${formatBytes(bytes)} but only ${formatBytes(Math.max(0, free))} are free where ${this.name} goes; record fewer samples or thin more`);
    }
  }

  /** Create the staging folder (and any missing parents); from here on every exit path cleans up. */
  create(): void {
    this.removeExitHook = onExit(() => this.discard());
    // Our own mkdir, one level at a time: we must know what we created, and
    // recursive mkdir spins forever on some pseudo file systems (/proc).
    const missing: string[] = [];
    for (let d = this.parent; !existsSync(d); d = dirname(d)) missing.unshift(d);
    for (const d of missing) {
      try {
        mkdirSync(d);
      } catch (e) {
        this.discard();
        throw new InputError(this.flag, undefined, `cannot create ${d} (${errno(e)})`);
      }
      this.created.push(d);
    }
    this.sweepStale();
    const staging = join(this.parent, `.${this.name}.partial-${process.pid}-${Date.now().toString(36)}`);
    try {
      mkdirSync(staging);
    } catch (e) {
      this.discard();
      throw new InputError(this.flag, undefined, `cannot create a folder in ${this.parent} (${errno(e)})`);
    }
    this.staging = staging;
  }

  /** Leftovers of runs that were killed outright (their process is gone). */
  private sweepStale(): void {
    const re = new RegExp(`^\\.${this.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.(partial|old)-(\\d+)-`);
    let entries: string[] = [];
    try {
      entries = readdirSync(this.parent);
    } catch {
      return;
    }
    for (const e of entries) {
      const m = re.exec(e);
      if (m && Number(m[2]) !== process.pid && !alive(Number(m[2]))) rmSync(join(this.parent, e), { recursive: true, force: true });
    }
  }

  /** Path of a file in the staging folder. */
  path(file: string): string {
    if (!this.staging) throw new Error("OutputFolder: create() first");
    return join(this.staging, file);
  }

  write(file: string, data: string | Uint8Array): void {
    const p = this.path(file);
    let fd: number | undefined;
    try {
      fd = openSync(p, "w");
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, 2 ** 30));
    } catch (e) {
      throw writeError(join(this.dir, file), e);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Move the staged folder into place. An existing result folder is moved
   * aside and removed after the new one is in place; the two renames run back
   * to back, with no await between them for a signal handler to land in.
   */
  publish(command: string): void {
    this.write(MARKER, JSON.stringify({ written_by: "thermosim", command }) + "\n");
    const staging = this.staging!;
    let old: string | undefined;
    try {
      if (existsSync(this.dir) && readdirSync(this.dir).length > 0) {
        old = join(this.parent, `.${this.name}.old-${process.pid}-${Date.now().toString(36)}`);
        renameSync(this.dir, old);
      }
      renameSync(staging, this.dir);
    } catch (e) {
      const code = errno(e);
      if (old) rmSync(old, { recursive: true, force: true });
      if (code === "ENOTEMPTY" || code === "EEXIST" || code === "ENOENT") {
        throw new InputError(this.flag, undefined, `another run published results to ${this.dir} at the same moment; this run's results were discarded`);
      }
      throw writeError(this.dir, e);
    }
    this.staging = undefined;
    this.created = [];
    if (old) rmSync(old, { recursive: true, force: true });
    this.removeExitHook?.();
  }

  /** Remove everything this run created (safe to call more than once). */
  discard(): void {
    if (this.staging) rmSync(this.staging, { recursive: true, force: true });
    this.staging = undefined;
    for (const d of this.created.reverse()) {
      try {
        rmdirSync(d); // only if still empty
      } catch {
        // someone else put something there: leave it
      }
    }
    this.created = [];
    this.removeExitHook?.();
    this.removeExitHook = undefined;
  }
}

/**
 * One result file, all or nothing: written to a hidden temporary sibling and
 * renamed into place when complete; removed on every failure or signal.
 */
export class OutputFile {
  readonly path: string;
  private tmp?: string;
  private removeExitHook?: () => void;

  constructor(arg: string, private readonly flag = "--out") {
    if (arg.trim() === "") throw new InputError(flag, undefined, "must name a file (got an empty name)");
    this.path = resolve(arg);
    const parent = dirname(this.path);
    let st;
    try {
      st = lstatSync(this.path);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) throw new InputError(flag, undefined, `${arg} is a folder; name a file`);
    if (!existsSync(parent) || !lstatSync(parent).isDirectory()) throw new InputError(flag, undefined, `cannot write ${arg}: ${parent} is not an existing folder`);
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      throw new InputError(flag, undefined, `cannot write ${arg}: ${parent} is not writable`);
    }
  }

  /** Open the temporary file; write with writeAll, then commit(). */
  open(): number {
    this.removeExitHook = onExit(() => this.discard());
    this.tmp = join(dirname(this.path), `.${basename(this.path)}.partial-${process.pid}-${Date.now().toString(36)}`);
    try {
      return openSync(this.tmp, "w");
    } catch (e) {
      this.discard();
      throw writeError(this.path, e);
    }
  }

  writeAll(fd: number, text: string): void {
    const bytes = Buffer.from(text, "utf8");
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } catch (e) {
      throw writeError(this.path, e);
    }
  }

  commit(fd: number): void {
    closeSync(fd);
    renameSync(this.tmp!, this.path);
    this.tmp = undefined;
    this.removeExitHook?.();
  }

  discard(): void {
    if (this.tmp) rmSync(this.tmp, { force: true });
    this.tmp = undefined;
    this.removeExitHook?.();
    this.removeExitHook = undefined;
  }
}
