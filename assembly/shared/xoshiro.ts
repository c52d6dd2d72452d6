// xoshiro128** (Blackman & Vigna): the "ideal" generator. State lives in WASM
// globals so the hot loop keeps it in registers.
import { splitmix64 } from "./mix";

// Rotations as two shifts: V8 (Node 20) compiles i32.rotl into a call to a
// C helper, which made drawing a random number cost ~5 ns.
@inline function rotl32(x: u32, k: u32): u32 {
  return (x << k) | (x >> (32 - k));
}

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
  const result = rotl32(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl32(s3, 11);
  return result;
}

// Fill out[0 .. count) with fresh 32-bit draws. The state is copied into
// locals for the loop: V8 keeps WASM globals in memory, and a store->load
// chain through them on every draw would serialise the whole update loop.
export function xoshiroFill(out: usize, count: i32): void {
  let a = s0;
  let b = s1;
  let c = s2;
  let d = s3;
  for (let k = 0; k < count; k++) {
    store<u32>(out + (usize(k) << 2), rotl32(b * 5, 7) * 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl32(d, 11);
  }
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = d;
}

// Accessors so other modules can run the generator on local copies of the
// state (see normalFill) and hand it back.
export function xoshiroState(k: i32): u32 {
  return k == 0 ? s0 : k == 1 ? s1 : k == 2 ? s2 : s3;
}
export function xoshiroSetState(a: u32, b: u32, c: u32, d: u32): void {
  s0 = a;
  s1 = b;
  s2 = c;
  s3 = d;
}

// Uniform in (0, 1) with 53 random bits (two draws); for event times.
@inline export function xoshiroUnitOpen(): f64 {
  const hi = u64(xoshiroNext()) << 21;
  const lo = u64(xoshiroNext() >> 11);
  return (f64(hi | lo) + 0.5) * (1.0 / 9007199254740992.0);
}
