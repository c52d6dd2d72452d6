// Eight xoshiro128** generators stepped together in two SIMD registers: the
// p-bit chips' ideal random source. One generator's stream is a serial chain
// of dependent operations (~1.4 ns a word here); eight independent ones give
// a word in a fraction of that. The stream is defined lane by lane: word k
// of a chain is the (k / 8)-th output of generator k % 8, generator q seeded
// by xoshiroSeed(base + q * 0xd1b54a32d192ed03) with base from (seed, chain)
// (test/reference/pbit-ideal.ts writes the same stream without SIMD).
import { splitmix64 } from "./mix";

let a0 = i32x4.splat(0), a1 = i32x4.splat(0), a2 = i32x4.splat(0), a3 = i32x4.splat(0); // generators 0-3
let b0 = i32x4.splat(0), b1 = i32x4.splat(0), b2 = i32x4.splat(0), b3 = i32x4.splat(0); // generators 4-7
// Words generated but not handed out yet (a fill rarely asks for a multiple of 8).
const carry = memory.data(32);
let carried: i32 = 0;

export function xoshiro8Seed(seed: u64, chain: u64): void {
  const base = splitmix64(seed ^ 0x6a09e667f3bcc909) + chain * 0x9e3779b97f4a7c15;
  const st = memory.data(128); // [generator][4 words]
  for (let q = 0; q < 8; q++) {
    const a = splitmix64(base + u64(q) * 0xd1b54a32d192ed03);
    const b = splitmix64(a);
    let w0 = u32(a), w1 = u32(a >> 32), w2 = u32(b), w3 = u32(b >> 32);
    if ((w0 | w1 | w2 | w3) == 0) w0 = 1;
    const p = st + usize(q << 4);
    store<u32>(p, w0);
    store<u32>(p, w1, 4);
    store<u32>(p, w2, 8);
    store<u32>(p, w3, 12);
  }
  // Transpose: register k holds word k of four generators.
  a0 = i32x4(load<i32>(st), load<i32>(st + 16), load<i32>(st + 32), load<i32>(st + 48));
  a1 = i32x4(load<i32>(st, 4), load<i32>(st + 16, 4), load<i32>(st + 32, 4), load<i32>(st + 48, 4));
  a2 = i32x4(load<i32>(st, 8), load<i32>(st + 16, 8), load<i32>(st + 32, 8), load<i32>(st + 48, 8));
  a3 = i32x4(load<i32>(st, 12), load<i32>(st + 16, 12), load<i32>(st + 32, 12), load<i32>(st + 48, 12));
  b0 = i32x4(load<i32>(st + 64), load<i32>(st + 80), load<i32>(st + 96), load<i32>(st + 112));
  b1 = i32x4(load<i32>(st + 64, 4), load<i32>(st + 80, 4), load<i32>(st + 96, 4), load<i32>(st + 112, 4));
  b2 = i32x4(load<i32>(st + 64, 8), load<i32>(st + 80, 8), load<i32>(st + 96, 8), load<i32>(st + 112, 8));
  b3 = i32x4(load<i32>(st + 64, 12), load<i32>(st + 80, 12), load<i32>(st + 96, 12), load<i32>(st + 112, 12));
  carried = 0;
}

// rotl(s1 * 5, 7) * 9, the multiplies as shifts and adds.
@inline function scramble(s1: v128): v128 {
  const m = i32x4.add(s1, i32x4.shl(s1, 2));
  const r = v128.or(i32x4.shl(m, 7), i32x4.shr_u(m, 25));
  return i32x4.add(r, i32x4.shl(r, 3));
}

// Fill out[0 .. count) with the stream's next words.
export function xoshiro8Fill(out: usize, count: i32): void {
  let k = 0;
  // First what the last fill left over.
  while (carried > 0 && k < count) {
    store<u32>(out + (usize(k) << 2), load<u32>(carry + usize((8 - carried) << 2)));
    carried--;
    k++;
  }
  if (k == count) return;
  // Locals: V8 keeps WASM globals in memory.
  let s0 = a0, s1 = a1, s2 = a2, s3 = a3;
  let t0 = b0, t1 = b1, t2 = b2, t3 = b3;
  const whole = (count - k) >> 3;
  const blocks = whole + i32(((count - k) & 7) != 0);
  let p = out + (usize(k) << 2);
  for (let blk = 0; blk < blocks; blk++) {
    // A last, partial block goes to the carry buffer.
    const dst = blk < whole ? p : carry;
    v128.store(dst, scramble(s1));
    v128.store(dst, scramble(t1), 16);
    const u = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0);
    s3 = v128.xor(s3, s1);
    s1 = v128.xor(s1, s2);
    s0 = v128.xor(s0, s3);
    s2 = v128.xor(s2, u);
    s3 = v128.or(i32x4.shl(s3, 11), i32x4.shr_u(s3, 21));
    const w = i32x4.shl(t1, 9);
    t2 = v128.xor(t2, t0);
    t3 = v128.xor(t3, t1);
    t1 = v128.xor(t1, t2);
    t0 = v128.xor(t0, t3);
    t2 = v128.xor(t2, w);
    t3 = v128.or(i32x4.shl(t3, 11), i32x4.shr_u(t3, 21));
    p += 32;
  }
  a0 = s0; a1 = s1; a2 = s2; a3 = s3;
  b0 = t0; b1 = t1; b2 = t2; b3 = t3;
  k += whole << 3;
  if (k < count) {
    carried = 8;
    while (k < count) {
      store<u32>(out + (usize(k) << 2), load<u32>(carry + usize((8 - carried) << 2)));
      carried--;
      k++;
    }
  }
}
