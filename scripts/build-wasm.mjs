// Compile every AssemblyScript kernel in a release (-O3, no asserts) and a
// debug (asserts, source map) flavour. Skips work when the outputs are newer
// than every source file, so `npm test` stays quick on repeat runs.
import { main } from "assemblyscript/asc";
import { readdirSync, statSync, mkdirSync, existsSync } from "node:fs";
import { join } from "node:path";

const modules = ["pbit"];
const targets = {
  release: ["--optimizeLevel", "3", "--shrinkLevel", "0", "--noAssert", "--converge"],
  debug: ["--debug", "--sourceMap"],
};
const common = ["--runtime", "stub", "--exportRuntime", "--initialMemory", "16", "--enable", "simd"];

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

mkdirSync("build", { recursive: true });
const srcTime = Math.max(newest("assembly"), statSync("scripts/build-wasm.mjs").mtimeMs);
const force = process.argv.includes("--force");
for (const mod of modules) {
  for (const [target, flags] of Object.entries(targets)) {
    const out = `build/${mod}.${target}.wasm`;
    if (!force && existsSync(out) && statSync(out).mtimeMs > srcTime) continue;
    const args = [`assembly/${mod}/index.ts`, "--outFile", out, "--textFile", out.replace(/\.wasm$/, ".wat"), ...common, ...flags];
    const { error, stderr } = await main(args);
    if (error) {
      console.error(stderr.toString());
      console.error(`build-wasm: ${out}: ${error.message}`);
      process.exit(1);
    }
    console.log(`build-wasm: ${out}`);
  }
}
