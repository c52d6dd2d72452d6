// WASM entry points of the analog Langevin chip model (see chip.ts for the
// equation). The host (src/chips/langevin/driver.ts) allocates, fills the
// arrays, then per chain seeds and runs read-out intervals ("sweeps").
import * as chip from "./chip";
import { outPtr } from "../shared/alloc";
import { eulerStep, heunStep, ouStep, power } from "./step";
import { normalSetup } from "../shared/normal";
import { xoshiroSeed } from "../shared/xoshiro";
import { xoshiro8Seed } from "../shared/xoshiro8";
import { normal8Fill } from "../shared/normal8";
import { splitmix64 } from "../shared/mix";

export { allocate, setFlags } from "./chip";

export const INT_EXACT_OU: i32 = 0;
export const INT_EULER: i32 = 1;
export const INT_HEUN: i32 = 2;

let integrator: i32 = INT_EULER;
let h: f64 = 1e-9;
let sqrtH: f64 = 3.1622776601683794e-5;
let stepsPerSweep: i32 = 1;
let powerStride: i32 = 1; // steps between dissipation samples
let adcLsb: f64 = 0; // read-out quantisation step (0: none)
let adcRange: f64 = Infinity; // read-out saturates at +-adcRange

export function ptrX(): usize { return chip.xPtr; }
export function ptrLeak(): usize { return chip.leakPtr; }
export function ptrC(): usize { return chip.cPtr; }
export function ptrElem(): usize { return chip.elemPtr; }
export function ptrGain(): usize { return chip.gainPtr; }
export function ptrRail(): usize { return chip.railPtr; }
export function ptrKOff(): usize { return chip.kOffPtr; }
export function ptrKIdx(): usize { return chip.kIdxPtr; }
export function ptrKVal(): usize { return chip.kValPtr; }
export function ptrChOff(): usize { return chip.chOffPtr; }
export function ptrChIdx(): usize { return chip.chIdxPtr; }
export function ptrChVal(): usize { return chip.chValPtr; }
export function ptrPhi(): usize { return chip.phiPtr; }
export function ptrU(): usize { return chip.uPtr; }
export function ptrL(): usize { return chip.lPtr; }
export function rowStride(): i32 { return chip.rowStride; }
export function ptrPeI(): usize { return chip.peIPtr; }
export function ptrPeJ(): usize { return chip.peJPtr; }
export function ptrPeG(): usize { return chip.peGPtr; }
export function ptrPg(): usize { return chip.pgPtr; }
export function ptrPgRef(): usize { return chip.pgRefPtr; }
export function ptrPaI(): usize { return chip.paIPtr; }
export function ptrPaJ(): usize { return chip.paJPtr; }
export function ptrPaG(): usize { return chip.paGPtr; }

let outScale: f64 = 0; // read-outs divided by this (volts per model unit; 0: left in volts)

export function configure(integrator_: i32, h_: f64, stepsPerSweep_: i32, powerStride_: i32, adcLsb_: f64, adcRange_: f64, outScale_: f64): void {
  outScale = outScale_;
  integrator = integrator_;
  h = h_;
  sqrtH = Math.sqrt(h_);
  stepsPerSweep = stepsPerSweep_;
  powerStride = powerStride_ < 1 ? 1 : powerStride_;
  adcLsb = adcLsb_;
  adcRange = adcRange_;
  normalSetup();
  chip.resetCounters();
}

// Chain k: its own random stream; all capacitors start discharged (x = x0,
// filled by the host, normally zero) at time zero.
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x243f6a8885a308d3) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  xoshiro8Seed(seed ^ 0x243f6a8885a308d3, u64(chainIndex));
  chip.chainTime = 0;
}

export { outputBuffer, planBegin, planBytes } from "../shared/alloc";

// The ADC: each node voltage saturated at +-adcRange (counted), then rounded
// to the nearest code (ties to even) as a multiple of adcLsb; two values per
// SIMD step, no division (x / lsb becomes x * (1 / lsb)).
function record(row: i32): void {
  const base = outPtr + ((usize(row) * usize(chip.nObs)) << 3);
  const n = chip.nObs;
  const hi = f64x2.splat(adcRange);
  const lo = f64x2.splat(-adcRange);
  const q = adcLsb > 0;
  const step = f64x2.splat(adcLsb);
  const inv = f64x2.splat(adcLsb > 0 ? 1.0 / adcLsb : 1.0);
  const x = chip.xPtr;
  const scaled = outScale > 0;
  const unit = f64x2.splat(outScale);
  let clips: u64 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const v = v128.load(x + (usize(i) << 3));
    clips += u64(popcnt<u32>(u32(i64x2.bitmask(v128.or(f64x2.gt(v, hi), f64x2.lt(v, lo))))));
    let c = f64x2.max(f64x2.min(v, hi), lo);
    if (q) c = f64x2.mul(f64x2.nearest(f64x2.mul(c, inv)), step);
    // Model units (V / volts-per-unit, a true division as the host's), two at a time.
    if (scaled) c = f64x2.div(c, unit);
    v128.store(base + (usize(i) << 3), c);
  }
  for (; i < n; i++) {
    let v = load<f64>(x + (usize(i) << 3));
    if (v > adcRange) {
      v = adcRange;
      clips++;
    } else if (v < -adcRange) {
      v = -adcRange;
      clips++;
    }
    if (q) v = nearest(v * (1.0 / adcLsb)) * adcLsb;
    if (scaled) v /= outScale;
    store<f64>(base + (usize(i) << 3), v);
  }
  chip.adcClips += clips;
  chip.readouts += u64(n);
}

// Run `sweeps` read-out intervals; record after every `thin`-th when record != 0.
// Steps since the last dissipation sample, kept across calls: a chain split into
// calls samples the same steps as one call (the host reads the total through dissipated()).
let sinceSample: i32 = 0;

export function run(sweeps: i32, thin: i32, recordOn: i32): void {
  let row = 0;
  let since = sinceSample;
  let e: f64 = 0;
  for (let s = 1; s <= sweeps; s++) {
    for (let k = 0; k < stepsPerSweep; k++) {
      if (integrator == INT_EXACT_OU) ouStep();
      else if (integrator == INT_HEUN) heunStep(h, sqrtH);
      else eulerStep(h, sqrtH);
      // Dissipation sampled every powerStride steps stands for that stretch of time.
      if (++since == powerStride) {
        e += power(chip.xPtr) * h * f64(powerStride);
        since = 0;
      }
    }
    chip.steps += u64(stepsPerSweep);
    if (recordOn != 0 && s % thin == 0) record(row++);
  }
  sinceSample = since;
  chip.dissipated += e;
  const t = f64(sweeps) * f64(stepsPerSweep) * h;
  chip.chainTime += t;
}

export function steps(): u64 { return chip.steps; }
export function railClips(): u64 { return chip.railClips; }
export function readouts(): u64 { return chip.readouts; }
export function adcClips(): u64 { return chip.adcClips; }
// Heat so far: the samples taken, and the steps since the last one at the present power.
export function dissipated(): f64 { return sinceSample > 0 ? chip.dissipated + power(chip.xPtr) * h * f64(sinceSample) : chip.dissipated; }
export function resetDissipated(): void {
  chip.dissipated = 0;
  sinceSample = 0;
}
export function chainSeconds(): f64 { return chip.chainTime; }

// Test hook: fill out[0..count) with standard normals.
export function normals(count: i32): void {
  normalSetup();
  // In pieces of what the words buffer holds (the chip's size).
  const piece = max<i32>(1, max<i32>(chip.ns, chip.nw));
  for (let k = 0; k < count; k += piece) normal8Fill(outPtr + (usize(k) << 3), min<i32>(piece, count - k), chip.wordsPtr);
}
