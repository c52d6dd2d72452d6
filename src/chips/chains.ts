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

/** Sum in chain order, so the total does not depend on how chains were split. */
export function sumInOrder(xs: number[]): number {
  let t = 0;
  for (const x of xs) t += x;
  return t;
}
