// Evaluators: the synapse (I = h + sum_j J_ij s_j, saturated to the
// accumulator's range) plus the activation, giving the comparator threshold
// T in [0, 2^32]. The p-bit outputs +1 when a 32-bit random r has r < T, so
// P(+1) = T / 2^32 = sigmoid(2x) with x = gain * I + offset.
//
//   FloatEval<ExactLogistic>  float64 weights, exact logistic (the ideal chip)
//   FloatEval<LogisticLut>    float64 weights, LUT over |x| (chips with analog mismatch)
//   CodeLutEval<W>            integer weight codes, integer accumulator, LUT indexed by
//                the accumulator code -- how a digital p-bit does it (FPGA
//                p-computers), with no int<->float conversion per update.
//
// The simulator may compute I differently from the hardware as long as the
// result is bit-identical: CodeLutEval keeps every p-bit's integer field
// h + sum J s up to date by adding 2 J s_new to the neighbours of each p-bit
// that flipped (exact in integers), instead of redoing all MACs per update.
// The action counts still charge the hardware's full MACs.
//
// Neighbour lists are padded by the host to groups of 4 (zero weights); the
// first four groups are straight-line code under predictable branches,
// because V8 puts a tier-up check on every loop back-edge and then spills the
// accumulators to the stack (measured: twice the cost of a fan-in-12 update).
// Float sums of quantised weights (multiples of a power-of-two LSB) are exact
// in any order; otherwise the order is fixed, so results are deterministic.
import {
  lutPtr, lutEntries, lutInvStep, compareBits, accMax, accMaxCode, fieldPtr, n,
  REC_SIZE, REC_H, REC_GAIN, REC_XOFF, REC_E0, REC_GROUPS, CREC_SIZE, CREC_E0, CREC_GROUPS, CREC_H,
} from "./chip";

const TWO32: u64 = 0x100000000;

@inline function fdot4(e: usize, s: usize, nbr: usize, w: usize): f64 {
  const wp = w + (e << 3);
  const np = nbr + (e << 2);
  const p0 = load<f64>(wp) * f64(load<i8>(s + usize(load<i32>(np))));
  const p1 = load<f64>(wp, 8) * f64(load<i8>(s + usize(load<i32>(np, 4))));
  const p2 = load<f64>(wp, 16) * f64(load<i8>(s + usize(load<i32>(np, 8))));
  const p3 = load<f64>(wp, 24) * f64(load<i8>(s + usize(load<i32>(np, 12))));
  return (p0 + p1) + (p2 + p3);
}

// x = gain * saturate(h + sum w s) + offset, float64 weights.
@inline function floatInput(r: usize, s: usize, nbr: usize, w: usize): f64 {
  const e0 = usize(load<i32>(r, REC_E0));
  const groups = load<i32>(r, REC_GROUPS);
  let acc: f64 = load<f64>(r, REC_H);
  if (groups > 0) {
    acc += fdot4(e0, s, nbr, w);
    if (groups > 1) {
      acc += fdot4(e0 + 4, s, nbr, w);
      if (groups > 2) {
        acc += fdot4(e0 + 8, s, nbr, w);
        if (groups > 3) {
          acc += fdot4(e0 + 12, s, nbr, w);
          for (let g = 4; g < groups; g++) acc += fdot4(e0 + usize(g << 2), s, nbr, w);
        }
      }
    }
  }
  return floatX(r, acc);
}

// Never assign to a parameter of an @inline function: AssemblyScript 0.28.20 inlined such a
// function (expCheap below) into wrong results; test/pbit-ideal-exact.test.ts caught it.
@inline function floatX(r: usize, input: f64): f64 {
  const lim = accMax;
  let acc = input;
  if (acc > lim) acc = lim; // predictable: saturation is rare
  if (acc < -lim) acc = -lim;
  return acc * load<f64>(r, REC_GAIN) + load<f64>(r, REC_XOFF);
}

// Comparators, as types so each evaluator is monomorphised over one (no
// per-update decode). The table holds T(|x|) and the p-bit outputs +1 when the
// random word r meets the threshold for x:
//   Mirrored:       threshold 2^32 - T for x < 0, +1 when r < threshold;
//   SignMagnitude:  as the FPGA RTL (pbit.sv): +1 when T > r for x >= 0 and
//                   when r > T for x < 0, i.e. ~r < ~T: the threshold carries
//                   bit 63 telling accept() to complement r.
// Both give P(+1 | -x) = 1 - P(+1 | x) for uniform r; with correlated r (an
// LFSR) they give different laws, so the hardware's choice is modelled.
const FLAG: u64 = 0x8000000000000000;
const VALUE: u64 = 0x1ffffffff;

@final export class Mirrored {
  // The sign is a coin flip, so a mask, not a select: V8 turns selects into branches.
  @inline signed(t: u64, negative: bool): u64 {
    const m = -u64(negative);
    return (t & ~m) | ((TWO32 - t) & m);
  }
  @inline accept(r: u32, thr: u64): i32 {
    return i32(u64(r) < thr);
  }
  // accept() on two lanes: draws zero-extended to 64 bits; all-ones where accepted. Values are
  // below 2^33, so the signed comparison is the unsigned one.
  @inline accept2(r: v128, thr: v128): v128 {
    return i64x2.gt_s(thr, r);
  }
}

@final export class SignMagnitude {
  @inline signed(t: u64, negative: bool): u64 {
    const m = -u64(negative);
    return (t & ~m) | (((TWO32 - 1 - t) | FLAG) & m);
  }
  @inline accept(r: u32, thr: u64): i32 {
    const mask = u32(0) - u32(thr >> 63);
    return i32(u64(r ^ mask) < (thr & VALUE));
  }
  @inline accept2(r: v128, thr: v128): v128 {
    const flip = v128.and(i64x2.shr_s(thr, 63), i64x2.splat(0xffffffff));
    return i64x2.gt_s(v128.and(thr, i64x2.splat(i64(VALUE))), v128.xor(r, flip));
  }
}

// e^y to a relative error below 8.5e-4 for |y| <= 693: 2^k e^z, |z| <= ln2/2, e^z by a degree-3
// Taylor polynomial (remainder <= z^4/24 e^|z|). Clamped by branches (f64.min/max cost more).
@inline function expCheap(x: f64): f64 {
  let y = x; // a local copy: see floatX
  if (y > 693.0) y = 693.0;
  else if (y < -693.0) y = -693.0;
  const t = y * 1.4426950408889634;
  const k = nearest(t);
  const z = (t - k) * 0.6931471805599453;
  const q = 1.0 + z * (1.0 + z * (0.5 + z * 0.16666666666666666));
  return q * reinterpret<f64>(u64(i64(k) + 1023) << 52);
}
// Relative error bound of expCheap, with margin: decisions closer than this go the exact way.
const CHEAP_REL: f64 = 2e-3;

// The two float activations, as types so the evaluator is monomorphised.
@final export class ExactLogistic {
  @inline accept(r: u32, thr: u64): i32 {
    return i32(u64(r) < thr);
  }
  @inline threshold(x: f64): u64 {
    const p = 1.0 / (1.0 + Math.exp(-2.0 * x));
    const shift = 32 - compareBits;
    const scale = f64(u64(1) << u64(compareBits));
    return u64(Math.floor(p * scale + 0.5)) << u64(shift);
  }
  // accept(r, threshold(x)), decided without Math.exp unless it is a close call. With the
  // comparator's top bits m = r >> (32 - bits): r < T iff m + 1/2 < p 2^bits, i.e. u (1 + e) < 1
  // with u = (m + 1/2) / 2^bits, e = e^(-2x). A cheap e decides when u (1 + e) is further from 1
  // than its error bound allows (the rounding of T sits at the boundary, inside that margin);
  // otherwise the exact threshold does, so the result is bit-identical to accept(threshold()).
  @inline decide(r: u32, x: f64): i32 {
    const shift = 32 - compareBits;
    const u = (f64(r >> u32(shift)) + 0.5) * reinterpret<f64>(u64(1023 - compareBits) << 52);
    const e = expCheap(-2.0 * x);
    const q = u * (1.0 + e);
    let d = i32(q < 1.0);
    // No branch on the random outcome; this one is taken about once in a thousand.
    if (abs(q - 1.0) <= (2.0 * CHEAP_REL) * (q - u) + 1e-12) d = i32(u64(r) < this.threshold(x));
    return d;
  }
  // decide() for two p-bits at once (the grid path): words r in the low two u32 lanes, inputs x
  // as f64x2; the same operations lane by lane, so the same results; all-ones lanes accept.
  @inline decide2(r: v128, x: v128): v128 {
    const shift = 32 - compareBits;
    const m = f64x2.convert_low_i32x4_u(i32x4.shr_u(r, shift));
    const u = f64x2.mul(f64x2.add(m, f64x2.splat(0.5)), f64x2.splat(reinterpret<f64>(u64(1023 - compareBits) << 52)));
    const e = expCheap2(f64x2.mul(f64x2.splat(-2.0), x));
    const q = f64x2.mul(u, f64x2.add(f64x2.splat(1.0), e));
    let d = f64x2.lt(q, f64x2.splat(1.0));
    const close = f64x2.le(f64x2.abs(f64x2.sub(q, f64x2.splat(1.0))), f64x2.add(f64x2.mul(f64x2.splat(2.0 * CHEAP_REL), f64x2.sub(q, u)), f64x2.splat(1e-12)));
    if (v128.any_true(close)) {
      // About once in a thousand: the exact threshold, lane by lane.
      const r0 = i32x4.extract_lane(r, 0), r1 = i32x4.extract_lane(r, 1);
      const x0 = f64x2.extract_lane(x, 0), x1 = f64x2.extract_lane(x, 1);
      if (i64x2.extract_lane(close, 0) != 0) d = i64x2.replace_lane(d, 0, -i64(u64(u32(r0)) < this.threshold(x0)));
      if (i64x2.extract_lane(close, 1) != 0) d = i64x2.replace_lane(d, 1, -i64(u64(u32(r1)) < this.threshold(x1)));
    }
    return d;
  }
}

// expCheap on two lanes, operation for operation (pmin/pmax: the branches' semantics, one instruction each).
@inline function expCheap2(x: v128): v128 {
  const y = f64x2.pmax(f64x2.pmin(x, f64x2.splat(693.0)), f64x2.splat(-693.0));
  const t = f64x2.mul(y, f64x2.splat(1.4426950408889634));
  const k = f64x2.nearest(t);
  const z = f64x2.mul(f64x2.sub(t, k), f64x2.splat(0.6931471805599453));
  const q = f64x2.add(f64x2.splat(1.0), f64x2.mul(z, f64x2.add(f64x2.splat(1.0), f64x2.mul(z, f64x2.add(f64x2.splat(0.5), f64x2.mul(z, f64x2.splat(0.16666666666666666)))))));
  const two = i64x2.shl(i64x2.add(i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(k)), i64x2.splat(1023)), 52);
  return f64x2.mul(q, two);
}

@final export class LogisticLut<C> {
  constructor(private readonly cmp: C) {}
  @inline accept(r: u32, thr: u64): i32 {
    return this.cmp.accept(r, thr);
  }
  @inline decide(r: u32, x: f64): i32 {
    return this.accept(r, this.threshold(x));
  }
  // Two p-bits (see ExactLogistic.decide2): table reads are scalar anyway.
  @inline decide2(r: v128, x: v128): v128 {
    const d0 = this.decide(u32(i32x4.extract_lane(r, 0)), f64x2.extract_lane(x, 0));
    const d1 = this.decide(u32(i32x4.extract_lane(r, 1)), f64x2.extract_lane(x, 1));
    return i64x2.replace_lane(i64x2.splat(-i64(d0)), 1, -i64(d1));
  }
  @inline threshold(x: f64): u64 {
    // Unsigned min: a huge |x| saturates the conversion, never goes negative.
    const idx = min<u32>(u32(Math.abs(x) * lutInvStep + 0.5), u32(lutEntries - 1));
    return this.cmp.signed(load<u64>(lutPtr + (usize(idx) << 3)), x < 0);
  }
}

// Float64 weights and 32-byte records; F is the activation.
@final export class FloatEval<F> {
  constructor(private readonly act: F) {}
  @inline accept(r: u32, thr: u64): i32 {
    return this.act.accept(r, thr);
  }
  @inline record(rec: usize, i: i32): usize { return rec + usize(i) * usize(REC_SIZE); }
  @inline rowStart(r: usize): i32 { return load<i32>(r, REC_E0); }
  @inline rowGroups(r: usize): i32 { return load<i32>(r, REC_GROUPS); }
  @inline bias(r: usize): f64 { return load<f64>(r, REC_H); }
  @inline threshold(i: i32, s: usize, rec: usize, nbr: usize, w: usize): u64 {
    return this.act.threshold(floatInput(rec + usize(i) * usize(REC_SIZE), s, nbr, w));
  }
  // The p-bit's new value (1 or 0) for random word r: accept(r, threshold(..)), perhaps faster.
  @inline decide(i: i32, r: u32, s: usize, rec: usize, nbr: usize, w: usize): i32 {
    return this.act.decide(r, floatInput(rec + usize(i) * usize(REC_SIZE), s, nbr, w));
  }
  @inline afterFlips(list: usize, count: i32, s: usize, rec: usize, nbr: usize, w: usize): void {}
  // Fields are recomputed on the float path (sums of doubles depend on their order).
  @inline incremental(): bool { return false; }
  @inline field(i: i32): i32 { return 0; }
  @inline addToField(q: i32, d: i32, w: usize, e: usize): void {}
  initFields(s: usize, rec: usize, nbr: usize, w: usize): void {}
  // For schedules that build the input themselves (async): acc includes h.
  @inline weight(w: usize, e: usize): f64 { return load<f64>(w + (e << 3)); }
  @inline fromAcc(i: i32, rec: usize, acc: f64): u64 {
    return this.act.threshold(floatX(rec + usize(i) * usize(REC_SIZE), acc));
  }
}

// Add d * w[e] to the fields of p-bits nbr[e .. e+4); W is the code width.
@inline function scatter4<W>(e: usize, d: i32, f: usize, nbr: usize, w: usize): void {
  const wp = w + e * sizeof<W>();
  const np = nbr + (e << 2);
  const p0 = f + (usize(load<i32>(np)) << 2);
  store<i32>(p0, load<i32>(p0) + d * i32(load<W>(wp)));
  const p1 = f + (usize(load<i32>(np, 4)) << 2);
  store<i32>(p1, load<i32>(p1) + d * i32(load<W>(wp + sizeof<W>())));
  const p2 = f + (usize(load<i32>(np, 8)) << 2);
  store<i32>(p2, load<i32>(p2) + d * i32(load<W>(wp + 2 * sizeof<W>())));
  const p3 = f + (usize(load<i32>(np, 12)) << 2);
  store<i32>(p3, load<i32>(p3) + d * i32(load<W>(wp + 3 * sizeof<W>())));
}

// The comparator threshold for an accumulator code: saturated, LUT over |code|, sign by C.
@inline export function codeThreshold<C>(cmp: C, acc: i32): u64 {
  const lim = accMaxCode;
  const a = min<i32>(lim, max<i32>(-lim, acc));
  const idx = a < 0 ? -a : a;
  return cmp.signed(load<u64>(lutPtr + (usize(idx) << 3)), a < 0);
}

// W: the weight code type (i8, i16 or i32); C the comparator. Records are the 16-byte CREC_*.
@final export class CodeLutEval<W, C> {
  constructor(private readonly cmp: C) {}
  @inline accept(r: u32, thr: u64): i32 {
    return this.cmp.accept(r, thr);
  }
  @inline codeThreshold(acc: i32): u64 {
    return codeThreshold<C>(this.cmp, acc);
  }
  @inline record(rec: usize, i: i32): usize { return rec + usize(i) * usize(CREC_SIZE); }
  @inline rowStart(r: usize): i32 { return load<i32>(r, CREC_E0); }
  @inline rowGroups(r: usize): i32 { return load<i32>(r, CREC_GROUPS); }
  @inline bias(r: usize): f64 { return f64(load<i32>(r, CREC_H)); }
  @inline threshold(i: i32, s: usize, rec: usize, nbr: usize, w: usize): u64 {
    return this.codeThreshold(load<i32>(fieldPtr + (usize(i) << 2)));
  }
  @inline decide(i: i32, r: u32, s: usize, rec: usize, nbr: usize, w: usize): i32 {
    return this.cmp.accept(r, this.threshold(i, s, rec, nbr, w));
  }

  // A flip from -1 to +1 adds 2 J_ij to every neighbour's field (and back).
  @inline afterFlips(list: usize, count: i32, s: usize, rec: usize, nbr: usize, w: usize): void {
    const f = fieldPtr;
    for (let q = 0; q < count; q++) {
      const i = load<i32>(list + (usize(q) << 2));
      const r = rec + usize(i) * usize(CREC_SIZE);
      const d = i32(load<i8>(s + usize(i))) << 1;
      const e0 = usize(load<i32>(r, CREC_E0));
      const groups = load<i32>(r, CREC_GROUPS);
      if (groups > 0) {
        scatter4<W>(e0, d, f, nbr, w);
        if (groups > 1) {
          scatter4<W>(e0 + 4, d, f, nbr, w);
          if (groups > 2) {
            scatter4<W>(e0 + 8, d, f, nbr, w);
            for (let g = 3; g < groups; g++) scatter4<W>(e0 + usize(g << 2), d, f, nbr, w);
          }
        }
      }
    }
  }

  // Full MACs once, when a chain starts.
  initFields(s: usize, rec: usize, nbr: usize, w: usize): void {
    for (let i = 0; i < n; i++) {
      const r = rec + usize(i) * usize(CREC_SIZE);
      const e0 = load<i32>(r, CREC_E0);
      const e1 = e0 + (load<i32>(r, CREC_GROUPS) << 2);
      let acc = load<i32>(r, CREC_H);
      for (let e = e0; e < e1; e++) {
        acc += i32(load<W>(w + usize(e) * sizeof<W>())) * i32(load<i8>(s + usize(load<i32>(nbr + (usize(e) << 2)))));
      }
      store<i32>(fieldPtr + (usize(i) << 2), acc);
    }
  }

  @inline weight(w: usize, e: usize): f64 { return f64(load<W>(w + e * sizeof<W>())); }
  // The async schedule keeps the integer fields up to date itself (exact in any order).
  @inline incremental(): bool { return true; }
  @inline field(i: i32): i32 { return load<i32>(fieldPtr + (usize(i) << 2)); }
  @inline addToField(q: i32, d: i32, w: usize, e: usize): void {
    const fp = fieldPtr + (usize(q) << 2);
    store<i32>(fp, load<i32>(fp) + d * i32(load<W>(w + e * sizeof<W>())));
  }
  @inline fromAcc(i: i32, rec: usize, acc: f64): u64 {
    return this.codeThreshold(i32(acc));
  }
}
