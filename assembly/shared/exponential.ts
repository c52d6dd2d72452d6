// Exponential deviates (mean 1) by the ziggurat method (Marsaglia & Tsang
// 2000, 256 layers), exact by construction: rectangles accepted outright,
// wedges and the tail by rejection. The layer index and the magnitude come
// from separate 32-bit words (the original shares bits between them); the
// rare slow path (~1.1%) draws from the scalar xoshiro128** stream.
import { xoshiroNext, xoshiroUnitOpen } from "./xoshiro";

const DE: f64 = 7.697117470131487; // start of the tail
const VE: f64 = 3.949659822581572e-3; // area of each layer
const ke = new StaticArray<u32>(256);
const we = new StaticArray<f64>(256);
const fe = new StaticArray<f64>(256);
let ready = false;

function setup(): void {
  const m2: f64 = 4294967296.0;
  let de = DE;
  let te = de;
  const q = VE / Math.exp(-de);
  unchecked((ke[0] = u32((de / q) * m2)));
  unchecked((ke[1] = 0));
  unchecked((we[0] = q / m2));
  unchecked((we[255] = de / m2));
  unchecked((fe[0] = 1.0));
  unchecked((fe[255] = Math.exp(-de)));
  for (let i = 254; i >= 1; i--) {
    de = -Math.log(VE / de + Math.exp(-de));
    unchecked((ke[i + 1] = u32((de / te) * m2)));
    te = de;
    unchecked((fe[i] = Math.exp(-de)));
    unchecked((we[i] = de / m2));
  }
  ready = true;
}

export function exponentialSetup(): void {
  if (!ready) setup();
}

function slow(jz: u32, iz: i32): f64 {
  for (;;) {
    if (iz == 0) return DE - Math.log(xoshiroUnitOpen());
    const x = f64(jz) * unchecked(we[iz]);
    if (unchecked(fe[iz]) + xoshiroUnitOpen() * (unchecked(fe[iz - 1]) - unchecked(fe[iz])) < Math.exp(-x)) return x;
    iz = i32(xoshiroNext() & 255);
    jz = xoshiroNext();
    if (jz < unchecked(ke[iz])) return f64(jz) * unchecked(we[iz]);
  }
  return 0; // unreachable
}

// An exponential deviate from two words: the layer (low 8 bits of a) and the magnitude (b).
@inline export function exponentialFrom(a: u32, b: u32): f64 {
  const iz = i32(a & 255);
  if (b < unchecked(ke[iz])) return f64(b) * unchecked(we[iz]);
  return slow(b, iz);
}
