/**
 * 32-bit LFSR per p-bit, as in FPGA p-computers. How far it shifts between
 * two reads of its p-bit:
 *   update  one shift per read: the register is clocked by its p-bit's own
 *           update clock, as in the open FPGA RTL (LFSR_n is instantiated
 *           inside pbit.sv on the p-bit's colour clock);
 *   clock   free-running on the chip clock: the clock cycles between reads;
 *   N       a fixed number of shifts.
 */
import type { RngImpl } from "./types.js";
import { InputError } from "../../../errors.js";

export const lfsr32: RngImpl = {
  impl: "lfsr32",
  read(r) {
    const raw = r.raw("shifts_per_read") ?? "clock";
    const file = r.file;
    const field = r.field("shifts_per_read");
    if (raw !== "clock" && raw !== "update" && !(Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= 1024)) {
      r.fail("shifts_per_read", `must be "update", "clock" or a whole number 1..1024, got ${JSON.stringify(raw)}`);
    }
    const bitsPerDraw = r.int("bits_per_draw", { min: 1, max: 32 }, 32);
    return {
      impl: "lfsr32",
      code: 1,
      bitsPerDraw,
      resolved: () => ({ impl: "lfsr32", shifts_per_read: raw, bits_per_draw: bitsPerDraw }),
      kernelArgs(ctx) {
        if (raw === "update") return { lfsrShifts: 1, dwellSeconds: 0 };
        if (raw !== "clock") return { lfsrShifts: raw as number, dwellSeconds: 0 };
        if (ctx.schedule === "async") {
          throw new InputError(file, field, 'is "clock" but the async schedule has no clock; give a number of shifts per read');
        }
        return { lfsrShifts: Math.min(1024, ctx.cyclesPerSweep), dwellSeconds: 0 };
      },
    };
  },
};
