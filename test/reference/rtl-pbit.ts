/**
 * A cycle model of the open FPGA p-computer's RTL (navidaadit/distributed-
 * p-computers, hardware/rtl_example), written from the Verilog for the tests
 * and sharing no code with thermosim's kernel:
 *
 *   weight.sv  Iin = h + sum_j (s_j ? J_j : -J_j) in s[4].[1] codes (LSB 0.5),
 *              saturated to +-15.5 (codes +-31);
 *   LUT_bias   32 entries, round((1 + tanh(k / 2)) / 2 * 2^32) held in 32 bits
 *              (this formula reproduces the file's table word for word);
 *   pbit.sv    at its colour clock's edge: for Iin >= 0, s = LUT > LFSR;
 *              for Iin < 0, s = LFSR > LUT (ties give 0 either way); the LFSR
 *              is clocked by the same edge and the comparator sees its old value;
 *   LFSR_n.sv  r <= {r[31:1], ~(r[32] ^ r[22] ^ r[2] ^ r[1])}.
 * Colour clocks fire in turn, so one sweep clocks every colour once.
 */
export interface RtlChip {
  n: number;
  /** Neighbours and integer weight codes per p-bit, bias codes, colour per p-bit. */
  nbr: number[][];
  jCode: number[][];
  hCode: number[];
  colour: number[];
  classes: number;
}

export function rtlLut(): number[] {
  return Array.from({ length: 32 }, (_, k) => Math.min(2 ** 32 - 1, Math.round(((1 + Math.tanh(k / 2)) / 2) * 2 ** 32)));
}

function lfsrStep(r: number): number {
  const bit = (k: number) => (r >>> (k - 1)) & 1; // r[k], 1-indexed as in the Verilog
  const fb = (bit(32) ^ bit(22) ^ bit(2) ^ bit(1)) ^ 1;
  return ((r << 1) | fb) >>> 0;
}

/** One sweep: every colour clock fires once, in colour order. Mutates s (0/1) and lfsr. */
export function rtlSweep(chip: RtlChip, s: number[], lfsr: number[], lut: number[]): void {
  for (let c = 0; c < chip.classes; c++) {
    const next: [number, number][] = [];
    for (let i = 0; i < chip.n; i++) {
      if (chip.colour[i] !== c) continue;
      let iin = chip.hCode[i];
      chip.nbr[i].forEach((j, k) => (iin += s[j] ? chip.jCode[i][k] : -chip.jCode[i][k]));
      iin = Math.max(-31, Math.min(31, iin));
      const l = lut[Math.abs(iin)];
      const r = lfsr[i];
      const out = iin >= 0 ? (l > r ? 1 : 0) : l > r ? 0 : l === r ? 0 : 1;
      next.push([i, out]);
      lfsr[i] = lfsrStep(r);
    }
    for (const [i, out] of next) s[i] = out;
  }
}
