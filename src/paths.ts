/** Where the project's own files live, whether running from src/ or dist/. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "thermosim") return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error("thermosim: cannot find the project root (package.json)");
    dir = up;
  }
}

export const circuitsDir = () => join(projectRoot(), "circuits");
