/**
 * The one place WASM modules are loaded and instantiated (@assemblyscript/loader
 * over modules built with --exportRuntime). Compiled modules are cached per
 * process; every chip gets a fresh instance (its own linear memory).
 *
 * Views over linear memory detach when memory grows: callers take views with
 * `view()` after the calls that allocate, never hold them across those calls.
 */
import { setFlagsFromString } from "node:v8";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";
import { instantiate, type Instance } from "./instance.js";

export { instantiate, type Instance };

export type { Flavour, KernelName } from "./instance.js";
import type { Flavour, KernelName } from "./instance.js";

const modules = new Map<string, WebAssembly.Module>();

// Compile kernels straight to V8's optimising tier. By default a module starts
// on the baseline compiler (Liftoff) and tiers up while it runs, and every
// worker thread pays that again: its first chain ran ~30% slower (measured:
// 0.09 vs 0.13 updates/ns on the 70x70 G12 benchmark). The flag is
// process-wide and read when a module is compiled, so set it before any is.
setFlagsFromString("--no-liftoff");

/** THERMOSIM_WASM=debug selects the debug build (asserts on). */
export function defaultFlavour(): Flavour {
  return process.env.THERMOSIM_WASM === "debug" ? "debug" : "release";
}

export function wasmPath(name: KernelName, flavour: Flavour): string {
  return join(projectRoot(), "build", `${name}.${flavour}.wasm`);
}

export function compiled(name: KernelName, flavour: Flavour = defaultFlavour()): WebAssembly.Module {
  const key = `${name}.${flavour}`;
  let m = modules.get(key);
  if (!m) {
    const path = wasmPath(name, flavour);
    if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build:wasm\``);
    m = new WebAssembly.Module(readFileSync(path));
    modules.set(key, m);
  }
  return m;
}

export function instantiateKernel<T>(name: KernelName, flavour?: Flavour): Instance<T> {
  return instantiate<T>(compiled(name, flavour));
}
