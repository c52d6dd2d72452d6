/**
 * Stochastic magnetic tunnel junction as a telegraph source: the random value
 * is redrawn at Poisson events with mean spacing `dwell` and held in between,
 * so it is autocorrelated in simulated time (correlation exp(-dt/dwell)).
 */
import type { RngImpl } from "./types.js";

export const smtj: RngImpl = {
  impl: "smtj",
  read(r) {
    const dwell = r.quantity("dwell", "time", { above: 0, min: 1e-15, max: 1e3 });
    const bitsPerDraw = r.int("bits_per_draw", { min: 1, max: 32 }, 1);
    return {
      impl: "smtj",
      code: 2,
      bitsPerDraw,
      resolved: () => ({ impl: "smtj", dwell: `${dwell} s`, bits_per_draw: bitsPerDraw }),
      kernelArgs: () => ({ lfsrShifts: 0, dwellSeconds: dwell }),
    };
  },
};
