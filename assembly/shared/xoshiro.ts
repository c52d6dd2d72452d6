// xoshiro128** (Blackman & Vigna): the "ideal" generator. State lives in WASM
// globals so the hot loop keeps it in registers.
import { splitmix64 } from "./mix";

let s0: u32 = 1;
let s1: u32 = 2;
let s2: u32 = 3;
let s3: u32 = 4;

export function xoshiroSeed(seed: u64): void {
  const a = splitmix64(seed);
  const b = splitmix64(a);
  s0 = u32(a);
  s1 = u32(a >> 32);
  s2 = u32(b);
  s3 = u32(b >> 32);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1; // the all-zero state is a fixed point
}

@inline export function xoshiroNext(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

// Uniform in (0, 1) with 53 random bits (two draws); for event times.
@inline export function xoshiroUnitOpen(): f64 {
  const hi = u64(xoshiroNext()) << 21;
  const lo = u64(xoshiroNext() >> 11);
  return (f64(hi | lo) + 0.5) * (1.0 / 9007199254740992.0);
}
