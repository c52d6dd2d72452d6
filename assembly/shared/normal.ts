// Standard normal deviates by the ziggurat method (Marsaglia & Tsang 2000,
// 128 layers), exact by construction: the rectangles are accepted outright,
// wedges and the tail by rejection. The layer index and the signed 32-bit
// magnitude come from separate draws (the original shares bits between them).
import { xoshiroNext, xoshiroUnitOpen } from "./xoshiro";

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
