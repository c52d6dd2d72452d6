// The p-bit chip's state, laid out once in linear memory by allocate() and
// never reallocated. Everything the hot loops touch is a raw pointer.
//
// Indices here are *active* p-bits (the model's variables placed on the chip);
// gated p-bits never enter the loops, their idle cycles are counted per phase.

export let n: i32 = 0; // active p-bits
export let nnz: i32 = 0; // CSR entries (both directions, rows padded to groups of 4)
export let nClasses: i32 = 0; // colour classes

// One 32-byte record per active p-bit, so the update loop needs a single
// pointer for all of them (register pressure in V8's output was the cost).
export const REC_SIZE: i32 = 32;
export const REC_H: i32 = 0; // f64 bias in chip units (an exact integer on the code path)
export const REC_GAIN: i32 = 8; // f64 activation gain (beta, scale, mismatch)
export const REC_XOFF: i32 = 16; // f64 activation input offset (mismatch)
export const REC_E0: i32 = 24; // i32 first CSR entry of the row
export const REC_GROUPS: i32 = 28; // i32 row length / 4
export let recPtr: usize = 0;
// CSR neighbour lists with weights alongside: f64 chip units on the float
// path, i32 codes (multiples of the LSB) on the code path.
export let nbrPtr: usize = 0; // i32[nnz]
export let wPtr: usize = 0; // f64[nnz] or i32[nnz]
export let fanInPtr: usize = 0; // i32[n] hardware fan-in (chip degree) for counting
export let physPtr: usize = 0; // i32[n] physical p-bit index (for per-device mismatch)
export let statePtr: usize = 0; // i8[n] spins, +-1
export let prevPtr: usize = 0; // i8[n] previous state (synchronous schedule)
export let randPtr: usize = 0; // u32[n] random draws, indexed like membersPtr
export let fieldPtr: usize = 0; // i32[n] input field per p-bit (code path, kept incrementally)
export let flipListPtr: usize = 0; // i32[n] p-bits that flipped in the current block
export let allPtr: usize = 0; // i32[n] 0..n-1 (the synchronous schedule's single class)
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
// simulated time, and the total over all chains so far.
export let secondsPerCycle: f64 = 0.0;
export let chainTime: f64 = 0.0;
export let totalChipSeconds: f64 = 0.0;

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

function allocZeroed(bytes: usize): usize {
  const p = heap.alloc(bytes < 8 ? 8 : bytes);
  memory.fill(p, 0, bytes);
  return p;
}

// weightBytes: 8 for float64 weights, 4 for integer codes.
export function allocate(n_: i32, nnz_: i32, nClasses_: i32, lutEntries_: i32, weightBytes: i32): void {
  n = n_;
  nnz = nnz_;
  nClasses = nClasses_;
  lutEntries = lutEntries_;
  recPtr = allocZeroed(usize(n) * usize(REC_SIZE));
  nbrPtr = allocZeroed(usize(nnz) << 2);
  wPtr = allocZeroed(usize(nnz) * usize(weightBytes));
  fanInPtr = allocZeroed(usize(n) << 2);
  physPtr = allocZeroed(usize(n) << 2);
  statePtr = allocZeroed(usize(n));
  prevPtr = allocZeroed(usize(n));
  randPtr = allocZeroed(usize(n) << 2);
  fieldPtr = allocZeroed(usize(n) << 2);
  flipListPtr = allocZeroed(usize(n) << 2);
  allPtr = allocZeroed(usize(n) << 2);
  for (let i = 0; i < n; i++) store<i32>(allPtr + (usize(i) << 2), i);
  membersPtr = allocZeroed(usize(n) << 2);
  classStartPtr = allocZeroed(usize(nClasses + 1) << 2);
  classCountsPtr = allocZeroed(usize(nClasses * NUM_COUNTERS) << 3);
  syncCountsPtr = allocZeroed(usize(NUM_COUNTERS) << 3);
  countersPtr = allocZeroed(usize(NUM_COUNTERS) << 3);
  lutPtr = allocZeroed(usize(lutEntries) << 3);
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
