/**
 * The generators of the kernels, written plainly for the test references
 * (BigInt splitmix64, xoshiro128** from Blackman & Vigna's definition).
 */
export const M64 = (1n << 64n) - 1n;

export function splitmix64(x: bigint): bigint {
  let z = (x + 0x9e3779b97f4a7c15n) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** xoshiro128** seeded as the kernels' xoshiroSeed: state words from splitmix64(seed) and splitmix64 of that. */
export function xoshiro128ss(seed: bigint): () => number {
  const a = splitmix64(seed);
  const b = splitmix64(a);
  const s = Uint32Array.from([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
  if (s.every((v) => v === 0)) s[0] = 1;
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  return () => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
}
