// The p-bit chip's state, laid out once in linear memory by allocate() and
// never reallocated. Everything the hot loops touch is a raw pointer.
//
// Indices here are *active* p-bits (the model's variables placed on the chip);
// gated p-bits never enter the loops, their idle cycles are counted per phase.

export let n: i32 = 0; // active p-bits
export let nFree: i32 = 0; // p-bits that update (members[0 .. nFree)); the rest are clamped (gated, holding their value)
export let nnz: i32 = 0; // CSR entries (both directions, rows padded to groups of 4)
export let nClasses: i32 = 0; // colour classes

// One record per active p-bit, so the update loop needs a single pointer for
// all of them (register pressure in V8's output was the cost). Float path:
// 32 bytes as below; code path: 16 bytes (CREC_*), all it needs.
export const REC_SIZE: i32 = 32;
export const REC_H: i32 = 0; // f64 bias in chip units (an exact integer on the code path)
export const REC_GAIN: i32 = 8; // f64 activation gain (beta, scale, mismatch)
export const REC_XOFF: i32 = 16; // f64 activation input offset (mismatch)
export const REC_E0: i32 = 24; // i32 first CSR entry of the row
export const REC_GROUPS: i32 = 28; // i32 row length / 4
export const CREC_SIZE: i32 = 16;
export const CREC_E0: i32 = 0; // i32 first CSR entry of the row
export const CREC_GROUPS: i32 = 4; // i32 row length / 4
export const CREC_H: i32 = 8; // i32 bias code
export let recPtr: usize = 0;
// CSR neighbour lists with weights alongside: f64 chip units on the float
// path; integer codes (multiples of the LSB) of 1, 2 or 4 bytes on the code
// path, as narrow as the chip's weight format allows.
export let nbrPtr: usize = 0; // i32[nnz]
export let wPtr: usize = 0; // f64[nnz], or i8/i16/i32[nnz]
export let fanInPtr: usize = 0; // i32[n] hardware fan-in (chip degree): the async schedule counts MACs with it
export let physPtr: usize = 0; // i32[n] physical p-bit index (only with mismatch; see allocPhys)
export let statePtr: usize = 0; // i8[n] spins, +-1
export let prevPtr: usize = 0; // i8[n] previous state (synchronous schedule)
export let randPtr: usize = 0; // u32[n] random draws, indexed like membersPtr
export let fieldPtr: usize = 0; // i32[n] input field per p-bit (code path, kept incrementally)
export let flipListPtr: usize = 0; // i32[n] p-bits that flipped in the current block
export let membersPtr: usize = 0; // i32[n] active p-bits grouped by colour class
export let classStartPtr: usize = 0; // i32[nClasses+1]
export let classCountsPtr: usize = 0; // u64[nClasses * NUM_COUNTERS] fixed per-phase increments
export let syncCountsPtr: usize = 0; // u64[NUM_COUNTERS] fixed per-sweep increments (synchronous)
export let countersPtr: usize = 0; // u64[NUM_COUNTERS]
export let lutPtr: usize = 0; // u64[lutEntries] thresholds in [0, 2^32]
export let lutEntries: i32 = 0;

// Accumulator saturation: chip units (float path) and LSB codes (code path).
export let accMax: f64 = Infinity;
export let accMaxCode: i32 = 0x7fffffff;
// Float-path LUT addressing: index = round(|x| * lutInvStep), clamped.
export let lutInvStep: f64 = 1.0;
// Comparator resolution: thresholds are rounded to this many bits.
export let compareBits: i32 = 32;
// Random bits consumed per update (charged to the random_bits counter).
export let bitsPerDraw: u64 = 32;

// Time: seconds per clock cycle (clocked schedules), the running chain's
// simulated time (the host sums chains in chain order).
export let secondsPerCycle: f64 = 0.0;
export let chainTime: f64 = 0.0;

// Counter indices (must match src/chips/pbit/actions.ts).
export const C_RANDOM_BITS: i32 = 0;
export const C_MAC_OPS: i32 = 1;
export const C_WEIGHT_READS: i32 = 2;
export const C_COMPARATOR_EVALS: i32 = 3;
export const C_STATE_WRITES: i32 = 4;
export const C_FLIPS: i32 = 5;
export const C_CLOCK_CYCLES: i32 = 6;
export const C_PBIT_CYCLES_IDLE: i32 = 7;
export const C_READOUT_VALUES: i32 = 8;
export const C_WEIGHTS_WRITTEN: i32 = 9;
export const C_PBITS_PROGRAMMED: i32 = 10;
export const C_UPDATES: i32 = 11;
export const NUM_COUNTERS: i32 = 12;

export function setParams(
  accMax_: f64, accMaxCode_: i32, lutInvStep_: f64, compareBits_: i32, bitsPerDraw_: i32, secondsPerCycle_: f64,
): void {
  accMax = accMax_;
  accMaxCode = accMaxCode_;
  lutInvStep = lutInvStep_;
  compareBits = compareBits_;
  bitsPerDraw = u64(bitsPerDraw_);
  secondsPerCycle = secondsPerCycle_;
}

import { allocZeroed } from "../shared/alloc";
export { allocZeroed };

// recBytes: REC_SIZE (float path) or CREC_SIZE (code path). lean != 0: the grid path
// (stencil.ts) holds the weights in its own layout, so no records, neighbour lists,
// fields or flip lists (recBytes and nnz are then 0).
export function allocate(n_: i32, nnz_: i32, nClasses_: i32, lutEntries_: i32, weightBytes: i32, recBytes: i32, lean: i32): void {
  n = n_;
  nFree = n_;
  nnz = nnz_;
  nClasses = nClasses_;
  lutEntries = lutEntries_;
  recPtr = allocZeroed(u64(n) * u64(recBytes));
  nbrPtr = allocZeroed(u64(nnz) << 2);
  wPtr = allocZeroed(u64(nnz) * u64(weightBytes));
  statePtr = allocZeroed(u64(n));
  const kept = lean != 0 ? u64(0) : u64(n);
  prevPtr = allocZeroed(kept);
  randPtr = allocZeroed(u64(n) << 2);
  fieldPtr = allocZeroed(kept << 2);
  flipListPtr = allocZeroed(kept << 2);
  membersPtr = allocZeroed(u64(n) << 2);
  classStartPtr = allocZeroed(u64(nClasses + 1) << 2);
  classCountsPtr = allocZeroed(u64(nClasses * NUM_COUNTERS) << 3);
  syncCountsPtr = allocZeroed(u64(NUM_COUNTERS) << 3);
  countersPtr = allocZeroed(u64(NUM_COUNTERS) << 3);
  lutPtr = allocZeroed(u64(lutEntries) << 3);
}

export function allocFanIn(): void {
  fanInPtr = allocZeroed(u64(n) << 2);
}

export function allocPhys(): void {
  physPtr = allocZeroed(u64(n) << 2);
}

@inline export function count(c: i32, by: u64): void {
  const p = countersPtr + (usize(c) << 3);
  store<u64>(p, load<u64>(p) + by);
}

// Add a row of fixed increments (one phase's worth) to the counters.
@inline export function addCounts(rowPtr: usize): void {
  for (let c = 0; c < NUM_COUNTERS; c++) {
    const off = usize(c) << 3;
    store<u64>(countersPtr + off, load<u64>(countersPtr + off) + load<u64>(rowPtr + off));
  }
}
