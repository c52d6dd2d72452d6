// WASM entry points of the p-bit chip model. The host (src/chips/pbit/driver.ts)
// calls allocate(), fills the arrays through the pointers below, calls
// program(), then for every chain seedChain() and run().
import * as chip from "./chip";
import { outPtr } from "../shared/alloc";
import { xoshiroSeed, xoshiroNext } from "../shared/xoshiro";
import { xoshiro8Seed, xoshiro8Fill } from "../shared/xoshiro8";
import { exponentialFrom, exponentialSetup } from "../shared/exponential";
import { hash3, normalFrom, splitmix64 } from "../shared/mix";
import { XoshiroSource } from "./rng/xoshiro";
import { Lfsr32Source, lfsrAllocate, lfsrSeed, lfsrSetShifts, statePtr as lfsrStatePtr } from "./rng/lfsr32";
import { TelegraphSource, telegraphAllocate, telegraphSeed, refreshes } from "./rng/telegraph";
import { FloatEval, ExactLogistic, LogisticLut, CodeLutEval, Mirrored, SignMagnitude } from "./activation";
import { chromaticSweeps } from "./schedule/chromatic";
import { synchronousSweeps } from "./schedule/synchronous";
import { asyncSweeps, asyncAllocate, asyncReset, historyOverflows } from "./schedule/async";
import { IntPass } from "./stencil";
import { FloatPass, gridFloatAllocate, gridFloatFromRecords, fWeightPtr } from "./stencil-float";
import { gridSweeps } from "./schedule/grid";
export { gridFloatAllocate, gridFloatFromRecords };
export function ptrGridFloatWeights(): usize { return fWeightPtr; }
export { gridAllocate, gridRowStride, gridBlockRows, gridHaloRows, gridHaloCols, gridPaddedColumns } from "./stencil";
import { weightPtr as gridWeightPtr, biasPtr as gridBiasPtr, deltaPtr as gridDeltaPtr, spinPtr as gridSpinPtr } from "./stencil";
export function ptrGridWeights(): usize { return gridWeightPtr; }
export function ptrGridBias(): usize { return gridBiasPtr; }
export function ptrGridDelta(): usize { return gridDeltaPtr; }
export function ptrGridSpins(): usize { return gridSpinPtr; }

export { allocate, allocPhys, setParams, NUM_COUNTERS } from "./chip";

// Implementation codes (must match src/chips/pbit/codes.ts).
export const RNG_XOSHIRO: i32 = 0;
export const RNG_LFSR32: i32 = 1;
export const RNG_TELEGRAPH: i32 = 2;
export const EVAL_EXACT: i32 = 0;
export const EVAL_LUT: i32 = 1;
export const EVAL_CODE_LUT8: i32 = 2;
export const EVAL_CODE_LUT16: i32 = 3;
export const EVAL_CODE_LUT32: i32 = 4;
export const SCHED_CHROMATIC: i32 = 0;
export const SCHED_SYNCHRONOUS: i32 = 1;
export const SCHED_ASYNC: i32 = 2;
export const SCHED_GRID_CHROMATIC: i32 = 3; // chromatic on the grid layout (stencil.ts)
export const SCHED_GRID_SYNCHRONOUS: i32 = 4; // synchronous on the grid layout

let rngKind: i32 = RNG_XOSHIRO;
let evalKind: i32 = EVAL_EXACT;
let signMagnitude: bool = false;

// The comparator (see activation.ts): 0 mirrored, 1 sign-magnitude.
export function setComparator(kind: i32): void {
  signMagnitude = kind != 0;
}

const xoshiro = new XoshiroSource();
const lfsr = new Lfsr32Source();
const telegraph = new TelegraphSource();
const exact = new FloatEval<ExactLogistic>(new ExactLogistic());
const lut = new FloatEval<LogisticLut<Mirrored>>(new LogisticLut<Mirrored>(new Mirrored()));
const lutSM = new FloatEval<LogisticLut<SignMagnitude>>(new LogisticLut<SignMagnitude>(new SignMagnitude()));
const codeLut8 = new CodeLutEval<i8, Mirrored>(new Mirrored());
const codeLut16 = new CodeLutEval<i16, Mirrored>(new Mirrored());
const codeLut32 = new CodeLutEval<i32, Mirrored>(new Mirrored());
const codeLut8SM = new CodeLutEval<i8, SignMagnitude>(new SignMagnitude());
const codeLut16SM = new CodeLutEval<i16, SignMagnitude>(new SignMagnitude());
const codeLut32SM = new CodeLutEval<i32, SignMagnitude>(new SignMagnitude());

export function ptrRec(): usize { return chip.recPtr; }
export function ptrNbr(): usize { return chip.nbrPtr; }
export function ptrW(): usize { return chip.wPtr; }
export function ptrFanIn(): usize { return chip.fanInPtr; }
export function ptrPhys(): usize { return chip.physPtr; }
export function ptrState(): usize { return chip.statePtr; }
export function ptrMembers(): usize { return chip.membersPtr; }
export function ptrClassStart(): usize { return chip.classStartPtr; }
export function ptrClassCounts(): usize { return chip.classCountsPtr; }
export function ptrSyncCounts(): usize { return chip.syncCountsPtr; }
export function ptrCounters(): usize { return chip.countersPtr; }
export function ptrLut(): usize { return chip.lutPtr; }
export function ptrLfsr(): usize { return lfsrStatePtr; }

export function selectEvaluator(kind: i32): void {
  evalKind = kind;
}

export function selectRng(kind: i32, lfsrShiftsPerRead: i32, dwellSeconds: f64): void {
  rngKind = kind;
  if (kind == RNG_LFSR32) {
    lfsrAllocate(chip.n);
    lfsrSetShifts(lfsrShiftsPerRead);
  } else if (kind == RNG_TELEGRAPH) {
    telegraphAllocate(chip.n, dwellSeconds);
  }
}

export function setupAsync(meanFlipTime: f64, synapseDelay: f64): void {
  asyncAllocate(chip.n, meanFlipTime, synapseDelay);
}

// Device variability, drawn once per chip instance: p-bit p (its physical
// index) gets gain factor (1 + gainSigma*z1) and input offset offsetSigma*z2,
// with z from a hash of (instance seed, p) so the draw does not depend on
// which p-bits a model uses. The phys array holds the physical index of each
// active p-bit; the gain array must already hold the nominal gains.
export function applyMismatch(seed: u64, gainSigma: f64, offsetSigma: f64): void {
  if (gainSigma == 0 && offsetSigma == 0) return;
  for (let i = 0; i < chip.n; i++) {
    const p = u64(load<i32>(chip.physPtr + (usize(i) << 2)));
    const zg = normalFrom(hash3(seed, 1, p * 2), hash3(seed, 1, p * 2 + 1));
    const zo = normalFrom(hash3(seed, 2, p * 2), hash3(seed, 2, p * 2 + 1));
    const r = chip.recPtr + usize(i) * usize(chip.REC_SIZE);
    store<f64>(r, load<f64>(r, chip.REC_GAIN) * (1.0 + gainSigma * zg), chip.REC_GAIN);
    store<f64>(r, offsetSigma * zo, chip.REC_XOFF);
  }
}

// Loading couplings and biases into the chip: one write per weight word (the
// hardware fan-in plus the bias, summed by the host) for every active p-bit.
export function program(weightWords: f64): void {
  chip.count(chip.C_WEIGHTS_WRITTEN, u64(weightWords));
  chip.count(chip.C_PBITS_PROGRAMMED, u64(chip.n));
}

// Start chain `chainIndex`: its own random stream, a random power-up state,
// fresh RNG device state, time zero.
export function seedChain(seed: u64, chainIndex: u32): void {
  xoshiroSeed(splitmix64(seed ^ 0x5bd1e9955bd1e995) + u64(chainIndex) * 0x9e3779b97f4a7c15);
  xoshiro8Seed(seed, u64(chainIndex));
  for (let i = 0; i < chip.n; i++) {
    store<i8>(chip.statePtr + usize(i), (xoshiroNext() >> 31) != 0 ? 1 : -1);
  }
  if (rngKind == RNG_LFSR32) lfsrSeed(chip.n);
  else if (rngKind == RNG_TELEGRAPH) telegraphSeed(chip.n);
  asyncReset();
  if (!gridMode) refreshFields();
  chip.chainTime = 0.0;
}

// The grid path recomputes fields from its own layout: no neighbour lists to keep fields from.
let gridMode = false;
export function setGridMode(on: i32): void {
  gridMode = on != 0;
}

// Only members[0 .. free) update; the others are clamped (call after the class lists are loaded).
export function setFree(free: i32): void {
  chip.nFree = free;
}

// Clamp: the host has written clamped values into the state; charge the writes
// and recompute the fields the code path keeps.
export function clampWritten(values: i32): void {
  chip.count(chip.C_STATE_WRITES, u64(values));
  if (!gridMode) refreshFields();
}

function refreshFields(): void {
  // The field initialisation does not depend on the comparator.
  if (evalKind == EVAL_CODE_LUT8) codeLut8.initFields(chip.statePtr, chip.recPtr, chip.nbrPtr, chip.wPtr);
  else if (evalKind == EVAL_CODE_LUT16) codeLut16.initFields(chip.statePtr, chip.recPtr, chip.nbrPtr, chip.wPtr);
  else if (evalKind == EVAL_CODE_LUT32) codeLut32.initFields(chip.statePtr, chip.recPtr, chip.nbrPtr, chip.wPtr);
}

export { outputBuffer, planBegin, planBytes } from "../shared/alloc";

function runWith<R, E>(rng: R, ev: E, schedule: i32, sweeps: i32, thin: i32, out: usize): void {
  if (schedule == SCHED_CHROMATIC) chromaticSweeps<R, E>(rng, ev, sweeps, thin, out);
  else if (schedule == SCHED_SYNCHRONOUS) synchronousSweeps<R, E>(rng, ev, sweeps, thin, out);
  else asyncSweeps<R, E>(rng, ev, sweeps, thin, out);
}

function runRng<E>(ev: E, schedule: i32, sweeps: i32, thin: i32, out: usize): void {
  if (rngKind == RNG_XOSHIRO) runWith<XoshiroSource, E>(xoshiro, ev, schedule, sweeps, thin, out);
  else if (rngKind == RNG_LFSR32) runWith<Lfsr32Source, E>(lfsr, ev, schedule, sweeps, thin, out);
  else runWith<TelegraphSource, E>(telegraph, ev, schedule, sweeps, thin, out);
}

// The grid paths' passes (stencil.ts, stencil-float.ts), one per evaluator and comparator.
const exactPass = new FloatPass<ExactLogistic>(new ExactLogistic());
const lutPass = new FloatPass<LogisticLut<Mirrored>>(new LogisticLut<Mirrored>(new Mirrored()));
const lutPassSM = new FloatPass<LogisticLut<SignMagnitude>>(new LogisticLut<SignMagnitude>(new SignMagnitude()));
const intPass = new IntPass<Mirrored>(new Mirrored());
const intPassSM = new IntPass<SignMagnitude>(new SignMagnitude());

function gridRng<P>(pass: P, sync: bool, sweeps: i32, thin: i32, out: usize): void {
  if (rngKind == RNG_XOSHIRO) gridSweeps<XoshiroSource, P>(xoshiro, pass, sync, sweeps, thin, out);
  else if (rngKind == RNG_LFSR32) gridSweeps<Lfsr32Source, P>(lfsr, pass, sync, sweeps, thin, out);
  else gridSweeps<TelegraphSource, P>(telegraph, pass, sync, sweeps, thin, out);
}

// Run `sweeps` sweeps; when record != 0, write a sample to the output buffer
// after every `thin`-th sweep (sweeps / thin rows).
export function run(schedule: i32, sweeps: i32, thin: i32, record: i32): void {
  const out: usize = record != 0 ? outPtr : 0;
  if (schedule == SCHED_GRID_CHROMATIC || schedule == SCHED_GRID_SYNCHRONOUS) {
    // Integer path: 8-bit codes only (the host checks); float path: the activation and comparator.
    const sync = schedule == SCHED_GRID_SYNCHRONOUS;
    if (evalKind == EVAL_EXACT) gridRng<FloatPass<ExactLogistic>>(exactPass, sync, sweeps, thin, out);
    else if (evalKind == EVAL_LUT) {
      if (!signMagnitude) gridRng<FloatPass<LogisticLut<Mirrored>>>(lutPass, sync, sweeps, thin, out);
      else gridRng<FloatPass<LogisticLut<SignMagnitude>>>(lutPassSM, sync, sweeps, thin, out);
    } else if (!signMagnitude) gridRng<IntPass<Mirrored>>(intPass, sync, sweeps, thin, out);
    else gridRng<IntPass<SignMagnitude>>(intPassSM, sync, sweeps, thin, out);
    return;
  }
  if (evalKind == EVAL_EXACT) runRng<FloatEval<ExactLogistic>>(exact, schedule, sweeps, thin, out);
  else if (!signMagnitude) {
    if (evalKind == EVAL_LUT) runRng<FloatEval<LogisticLut<Mirrored>>>(lut, schedule, sweeps, thin, out);
    else if (evalKind == EVAL_CODE_LUT8) runRng<CodeLutEval<i8, Mirrored>>(codeLut8, schedule, sweeps, thin, out);
    else if (evalKind == EVAL_CODE_LUT16) runRng<CodeLutEval<i16, Mirrored>>(codeLut16, schedule, sweeps, thin, out);
    else runRng<CodeLutEval<i32, Mirrored>>(codeLut32, schedule, sweeps, thin, out);
  } else {
    if (evalKind == EVAL_LUT) runRng<FloatEval<LogisticLut<SignMagnitude>>>(lutSM, schedule, sweeps, thin, out);
    else if (evalKind == EVAL_CODE_LUT8) runRng<CodeLutEval<i8, SignMagnitude>>(codeLut8SM, schedule, sweeps, thin, out);
    else if (evalKind == EVAL_CODE_LUT16) runRng<CodeLutEval<i16, SignMagnitude>>(codeLut16SM, schedule, sweeps, thin, out);
    else runRng<CodeLutEval<i32, SignMagnitude>>(codeLut32SM, schedule, sweeps, thin, out);
  }
}

// Test hook: count exponential deviates (mean 1) as the async schedule draws them, into the output buffer.
export function exponentials(seed: u64, count: i32): void {
  exponentialSetup();
  xoshiro8Seed(seed, 0);
  xoshiroSeed(seed);
  const words = memory.data(8 * 256);
  for (let k = 0; k < count; k += 256) {
    const m = min<i32>(256, count - k);
    xoshiro8Fill(words, 2 * m);
    for (let q = 0; q < m; q++) store<f64>(outPtr + (usize(k + q) << 3), exponentialFrom(load<u32>(words + usize(8 * q)), load<u32>(words + usize(8 * q + 4))));
  }
}

// Simulated time of the current chain (reset by seedChain).
export function chainSeconds(): f64 { return chip.chainTime; }
export function telegraphRefreshes(): u64 { return refreshes; }
export function asyncHistoryOverflows(): u64 { return historyOverflows; }
