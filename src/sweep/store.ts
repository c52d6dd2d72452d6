/**
 * The content-addressed store of a sweep's points: DIR/points/HASH.json,
 * HASH the SHA-256 of everything the result depends on -- the point's fully
 * resolved chip spec (or baseline name), the model file's bytes, the run
 * options and the code (the package version, every compiled kernel and the
 * harness's compiled JavaScript). A file is written under a temporary name
 * and renamed into place, so a point file that exists is complete; a rerun
 * of the same sweep computes only the points whose files are missing.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { projectRoot } from "../paths.js";

let code: string | undefined;

/** A hash of the code that computes results: results from other code are never reused. */
export function codeVersion(): string {
  if (code) return code;
  const root = projectRoot();
  const h = createHash("sha256");
  h.update(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string);
  const files: string[] = [];
  const walk = (dir: string, keep: (f: string) => boolean) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p, keep);
      else if (keep(e.name)) files.push(p);
    }
  };
  walk(join(root, "build"), (f) => f.endsWith(".release.wasm"));
  walk(join(root, "dist", "src"), (f) => f.endsWith(".js"));
  for (const f of files) h.update(relative(root, f)).update(readFileSync(f));
  return (code = h.digest("hex").slice(0, 16));
}

/** JSON with object keys sorted, so equal inputs hash equally whatever their key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") return `{${Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  return JSON.stringify(v);
}

export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export class PointStore {
  readonly dir: string;
  constructor(root: string) {
    this.dir = join(root, "points");
  }

  open(): void {
    mkdirSync(this.dir, { recursive: true });
  }

  path(hash: string): string {
    return join(this.dir, `${hash}.json`);
  }

  /** A finished point's record, or undefined (missing, or not a complete record for this hash). */
  get(hash: string): Record<string, unknown> | undefined {
    const p = this.path(hash);
    if (!existsSync(p)) return undefined;
    try {
      const doc = JSON.parse(readFileSync(p, "utf8")) as Record<string, unknown>;
      return doc.hash === hash && doc.complete === true ? doc : undefined;
    } catch {
      return undefined; // unreadable: computed again and replaced
    }
  }

  put(hash: string, doc: Record<string, unknown>): void {
    const tmp = join(this.dir, `.${hash}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify({ ...doc, hash, complete: true }) + "\n");
    renameSync(tmp, this.path(hash));
  }
}
