/** What every chip driver takes and shares: the chain plan and chain-ordered time. */
import type { Flavour } from "../wasm/load.js";

export interface ChainOptions {
  chains: number;
  samples: number;
  burnIn: number;
  thin: number;
  seed: number;
  flavour?: Flavour;
  /** Run chains firstChain .. firstChain+chains-1 (workers split the range). */
  firstChain?: number;
}

/** What a driver returns for a range of chains (one host thread's share). */
export interface ChainResult {
  /** rows = chains x samples, columns = model variables. */
  samples: Int8Array | Float64Array;
  /** Action counts and integrals by name. */
  counts: Record<string, number>;
  /** Variable updates (evaluations), all chains. */
  updates: number;
  /** Simulated time: sum of chainSeconds in chain order. */
  chipSeconds: number;
  chainSeconds: number[];
  /** Wall time of the chain runs alone. */
  wallSeconds: number;
  /** Size of the kernel's linear memory: the simulated chip's footprint. */
  kernelBytes: number;
  diagnostics: Record<string, number>;
}

/** Sum in chain order, so the total does not depend on how chains were split. */
export function sumInOrder(xs: number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}
