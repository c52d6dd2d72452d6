/**
 * 32-bit LFSR per p-bit, as in FPGA p-computers. `shifts_per_read: clock`
 * makes it free-run with the clock (a p-bit read once per sweep sees the
 * register shifted by the sweep's cycle count); a number fixes the shifts.
 */
import type { RngImpl } from "./types.js";
import { InputError } from "../../../errors.js";

export const lfsr32: RngImpl = {
  impl: "lfsr32",
  read(r) {
    const raw = r.raw("shifts_per_read") ?? "clock";
    const file = r.file;
    const field = r.field("shifts_per_read");
    if (raw !== "clock" && !(Number.isInteger(raw) && (raw as number) >= 1 && (raw as number) <= 1024)) {
      r.fail("shifts_per_read", `must be "clock" or a whole number 1..1024, got ${JSON.stringify(raw)}`);
    }
    const bitsPerDraw = r.int("bits_per_draw", { min: 1, max: 32 }, 32);
    return {
      impl: "lfsr32",
      code: 1,
      bitsPerDraw,
      resolved: () => ({ impl: "lfsr32", shifts_per_read: raw, bits_per_draw: bitsPerDraw }),
      kernelArgs(ctx) {
        if (raw !== "clock") return { lfsrShifts: raw as number, dwellSeconds: 0 };
        if (ctx.schedule === "async") {
          throw new InputError(file, field, 'is "clock" but the async schedule has no clock; give a number of shifts per read');
        }
        return { lfsrShifts: Math.min(1024, ctx.cyclesPerSweep), dwellSeconds: 0 };
      },
    };
  },
};
