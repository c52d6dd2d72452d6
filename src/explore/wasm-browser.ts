/**
 * src/wasm/load.ts for the browser bundle (scripts/build-explorer.mjs swaps
 * it in): the same API, with modules compiled from the bytes of the very
 * .wasm files the CLI loads, which the worker fetched before anything runs.
 */
import { instantiate, type Flavour, type Instance, type KernelName } from "../wasm/instance.js";

export { instantiate, type Flavour, type Instance, type KernelName };

const modules = new Map<string, WebAssembly.Module>();

/** Compile a kernel from its fetched bytes (the page fetches build/NAME.release.wasm). */
export function provideKernel(name: KernelName, bytes: ArrayBuffer, flavour: Flavour = "release"): void {
  modules.set(`${name}.${flavour}`, new WebAssembly.Module(bytes));
}

export function defaultFlavour(): Flavour {
  return "release";
}

export function compiled(name: KernelName, flavour: Flavour = defaultFlavour()): WebAssembly.Module {
  const m = modules.get(`${name}.${flavour}`);
  if (!m) throw new Error(`kernel ${name}.${flavour} was not fetched by the page`);
  return m;
}

export function instantiateKernel<T>(name: KernelName, flavour?: Flavour): Instance<T> {
  return instantiate<T>(compiled(name, flavour));
}
