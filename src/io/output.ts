/**
 * All-or-nothing result folders: files are staged in a hidden sibling folder
 * and moved into place only when every one of them has been written, so a
 * failed run leaves no partial results behind.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { InputError } from "../errors.js";

export class StagedOutput {
  private readonly staging: string;
  private readonly files: string[] = [];
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory()) {
      throw new InputError("--out", undefined, `${dir} exists and is not a folder`);
    }
    this.staging = join(dirname(this.dir), `.${basename(this.dir)}.partial-${process.pid}`);
    try {
      mkdirSync(this.staging, { recursive: true });
    } catch (e) {
      throw new InputError("--out", undefined, `cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }

  write(name: string, data: string | Uint8Array): void {
    writeFileSync(join(this.staging, name), data);
    this.files.push(name);
  }

  /** Move every staged file into the result folder. */
  commit(): void {
    mkdirSync(this.dir, { recursive: true });
    for (const f of this.files) renameSync(join(this.staging, f), join(this.dir, f));
    this.discard();
  }

  discard(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}
