/** A p-bit random source: one file per model, registered in ./index.ts. */
import type { Reader } from "../../../spec/reader.js";

export interface RngContext {
  schedule: "chromatic" | "synchronous" | "async";
  /** Clock cycles between two reads of the same p-bit (clocked schedules). */
  cyclesPerSweep: number;
}

export interface RngSpec {
  readonly impl: string;
  /** Kernel code (assembly/pbit/index.ts RNG_*). */
  readonly code: number;
  /** Random bits charged per draw (the random_bits action). */
  readonly bitsPerDraw: number;
  resolved(): Record<string, unknown>;
  /** Arguments for the kernel's selectRng(code, lfsrShifts, dwellSeconds). */
  kernelArgs(ctx: RngContext): { lfsrShifts: number; dwellSeconds: number };
}

export interface RngImpl {
  readonly impl: string;
  read(r: Reader): RngSpec;
}
