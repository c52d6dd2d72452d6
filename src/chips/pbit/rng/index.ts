/** Random source models by name (`rng.impl` in a p-bit chip spec). */
import type { Reader } from "../../../spec/reader.js";
import type { RngImpl, RngSpec } from "./types.js";
import { xoshiro128 } from "./xoshiro128.js";
import { lfsr32 } from "./lfsr32.js";
import { smtj } from "./smtj.js";

export const RNGS: Record<string, RngImpl> = { xoshiro128, lfsr32, smtj };

export function readRng(r: Reader): RngSpec {
  const impl = r.choice("impl", Object.keys(RNGS));
  const spec = RNGS[impl].read(r);
  r.done();
  return spec;
}

export type { RngSpec, RngContext } from "./types.js";
