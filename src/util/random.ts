/**
 * Seeded host-side randomness for generators and tests (not for chip
 * kernels, which carry their own). splitmix32 stream + Box-Muller normals.
 */
export class Random {
  private s: number;
  private spare: number | undefined;

  /**
   * Any whole number 0 .. 2^53-1 (every seed the CLI accepts) gives its own
   * stream: the bits above 32 are mixed in, so seeds 1 and 2^32+1 differ.
   * Seeds below 2^32 keep the streams they always had.
   */
  constructor(seed: number, stream = 0) {
    this.s = ((seed >>> 0) ^ 0x9e3779b9 ^ high(seed, stream)) >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1) with 53 bits. */
  uniform(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992;
  }

  normal(): number {
    if (this.spare !== undefined) {
      const v = this.spare;
      this.spare = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    const t = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(t);
    return r * Math.cos(t);
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** A 32-bit mix of the seed's bits above 32 and a stream number (0 for plain small seeds). */
function high(seed: number, stream: number): number {
  const hi = Math.floor(seed / 4294967296) >>> 0;
  if (hi === 0 && stream === 0) return 0;
  let h = Math.imul(hi ^ 0x7f4a7c15, 0x85ebca6b) ^ Math.imul(stream + 0x2545f491, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A standard normal that depends only on (seed, stream, index): per-device
 * mismatch draws that do not depend on the order devices are visited in.
 */
export function deviceNormal(seed: number, stream: number, index: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9 ^ high(seed, 0), 0x85ebca6b) ^ Math.imul(stream + 0x632be59b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(index | 0, 0x297a2d39) ^ Math.floor(index / 4294967296);
  return new Random(h >>> 0).normal();
}
