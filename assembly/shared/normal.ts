// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000,
// 128 layers), exact by construction: the rectangles are accepted outright,
// wedges and the tail by rejection. The layer index and the signed 32-bit
// magnitude come from separate draws (the original shares bits between them).
import { xoshiroNext, xoshiroUnitOpen, xoshiroState, xoshiroSetState } from "./xoshiro";

const R: f64 = 3.442619855899; // start of the tail
const V: f64 = 9.91256303526217e-3; // area of each layer
const kn = new StaticArray<u32>(128);
const wn = new StaticArray<f64>(128);
const fn = new StaticArray<f64>(128);
let ready = false;

function setup(): void {
  const m1: f64 = 2147483648.0;
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  unchecked((kn[0] = u32((dn / q) * m1)));
  unchecked((kn[1] = 0));
  unchecked((wn[0] = q / m1));
  unchecked((wn[127] = dn / m1));
  unchecked((fn[0] = 1.0));
  unchecked((fn[127] = Math.exp(-0.5 * dn * dn)));
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2.0 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    unchecked((kn[i + 1] = u32((dn / tn) * m1)));
    tn = dn;
    unchecked((fn[i] = Math.exp(-0.5 * dn * dn)));
    unchecked((wn[i] = dn / m1));
  }
  ready = true;
}

export function normalSetup(): void {
  if (!ready) setup();
}

// The tables' addresses and the slow path, for normal8.ts.
export function zigKn(): usize { return changetype<usize>(kn); }
export function zigWn(): usize { return changetype<usize>(wn); }
export function zigSlow(hz: i32, iz: i32): f64 { return slow(hz, iz); }

// Slow path: wedge or tail (about 1.2% of draws).
function slow(hz: i32, iz: i32): f64 {
  for (;;) {
    const x = f64(hz) * unchecked(wn[iz]);
    if (iz == 0) {
      let xt: f64, y: f64;
      do {
        xt = -Math.log(xoshiroUnitOpen()) / R;
        y = -Math.log(xoshiroUnitOpen());
      } while (y + y < xt * xt);
      return hz > 0 ? R + xt : -R - xt;
    }
    if (unchecked(fn[iz]) + xoshiroUnitOpen() * (unchecked(fn[iz - 1]) - unchecked(fn[iz])) < Math.exp(-0.5 * x * x)) return x;
    iz = i32(xoshiroNext() & 127);
    hz = i32(xoshiroNext());
    const a = hz < 0 ? u32(-i64(hz)) : u32(hz);
    if (a < unchecked(kn[iz])) return f64(hz) * unchecked(wn[iz]);
  }
  return 0; // unreachable: the loop only exits by returning
}

@inline export function normal(): f64 {
  const iz = i32(xoshiroNext() & 127);
  const hz = i32(xoshiroNext());
  // |hz| as unsigned, so hz = -2^31 does not overflow.
  const a = hz < 0 ? u32(-i64(hz)) : u32(hz);
  if (a < unchecked(kn[iz])) return f64(hz) * unchecked(wn[iz]);
  return slow(hz, iz);
}

// Fill out[0 .. count) with standard normals, the same values normal() would
// give in a loop, but with the generator state in locals: V8 keeps WASM
// globals in memory, and the store->load chain through them halved the rate.
export function normalFill(out: usize, count: i32): void {
  let a = xoshiroState(0);
  let b = xoshiroState(1);
  let c = xoshiroState(2);
  let d = xoshiroState(3);
  for (let k = 0; k < count; k++) {
    // Two xoshiro128** draws, as in normal(): layer index, then signed magnitude.
    const r1 = ((b * 5) << 7 | (b * 5) >> 25) * 9;
    let t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = (d << 11) | (d >> 21);
    const r2 = ((b * 5) << 7 | (b * 5) >> 25) * 9;
    t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = (d << 11) | (d >> 21);
    const iz = i32(r1 & 127);
    const hz = i32(r2);
    const m = hz < 0 ? u32(-i64(hz)) : u32(hz);
    let v: f64;
    if (m < unchecked(kn[iz])) v = f64(hz) * unchecked(wn[iz]);
    else {
      // Rare slow path: it draws from the global state, so hand it over and back.
      xoshiroSetState(a, b, c, d);
      v = slow(hz, iz);
      a = xoshiroState(0);
      b = xoshiroState(1);
      c = xoshiroState(2);
      d = xoshiroState(3);
    }
    store<f64>(out + (usize(k) << 3), v);
  }
  xoshiroSetState(a, b, c, d);
}
