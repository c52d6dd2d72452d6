/**
 * A kernel instance over a compiled module, for Node and the browser alike
 * (src/wasm/load.ts compiles from build/ in Node; src/explore/wasm-browser.ts
 * from the bytes the page fetched): exports, memory and typed views on it.
 */
import { instantiateSync } from "@assemblyscript/loader";
import { InputError } from "../errors.js";

export type Flavour = "release" | "debug";
export type KernelName = "pbit" | "langevin" | "baselines" | "continuous" | "rbm";

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

