/**
 * The one place WASM modules are loaded and instantiated (@assemblyscript/loader
 * over modules built with --exportRuntime). Compiled modules are cached per
 * process; every chip gets a fresh instance (its own linear memory).
 *
 * Views over linear memory detach when memory grows: callers take views with
 * `view()` after the calls that allocate, never hold them across those calls.
 */
import { instantiateSync } from "@assemblyscript/loader";
import { setFlagsFromString } from "node:v8";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../paths.js";
import { InputError } from "../errors.js";

export type Flavour = "release" | "debug";
export type KernelName = "pbit" | "langevin" | "baselines" | "continuous" | "rbm";

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

export interface Instance<T> {
  exports: T;
  memory: WebAssembly.Memory;
  view<A extends Int32Array | Int16Array | Float64Array | BigUint64Array | Int8Array | Uint8Array | Uint32Array>(
    ctor: { new (buf: ArrayBuffer, offset: number, length: number): A },
    ptr: number,
    length: number,
  ): A;
}

export function instantiate<T>(source: WebAssembly.Module): Instance<T> {
  let text = (_ptr: number) => "";
  let memory: WebAssembly.Memory;
  const { exports } = instantiateSync<Record<string, unknown>>(source, {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const message = msg ? text(msg) : "";
        if (message === "out of memory") {
          // The host plans every chip's memory first (planBytes); this is the machine refusing it.
          throw new InputError("the chip model", undefined, `the machine refused to grow the kernel's WebAssembly memory past ${(memory.buffer.byteLength / 2 ** 30).toFixed(2)} GiB`);
        }
        throw new Error(`WASM abort: ${message || "(no message)"} at ${file ? text(file) : "?"}:${line}:${col}`);
      },
    },
  });
  text = (ptr) => (exports as unknown as { __getString(p: number): string }).__getString(ptr);
  memory = exports.memory as WebAssembly.Memory;
  return {
    exports: exports as unknown as T,
    memory,
    view: (ctor, ptr, length) => new ctor(memory.buffer, ptr, length),
  };
}

export function instantiateKernel<T>(name: KernelName, flavour?: Flavour): Instance<T> {
  return instantiate<T>(compiled(name, flavour));
}
