/** Ideal source: xoshiro128** (32 fresh bits per draw, one stream per chain). */
import type { RngImpl } from "./types.js";

export const xoshiro128: RngImpl = {
  impl: "xoshiro128",
  read(r) {
    const bitsPerDraw = r.int("bits_per_draw", { min: 1, max: 32 }, 32);
    return {
      impl: "xoshiro128",
      code: 0,
      bitsPerDraw,
      resolved: () => ({ impl: "xoshiro128", bits_per_draw: bitsPerDraw }),
      kernelArgs: () => ({ lfsrShifts: 0, dwellSeconds: 0 }),
    };
  },
};
