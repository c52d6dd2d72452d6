// The p-bit chip's state, laid out once in linear memory by setup() and never
// reallocated. Everything the hot loops touch is a raw pointer plus a length.
//
// Indices here are *active* p-bits (the model's variables placed on the chip);
// gated p-bits never enter the loops, their idle cycles are counted per phase.

export let n: i32 = 0; // active p-bits
export let nnz: i32 = 0; // CSR entries (both directions of every coupling)
export let nClasses: i32 = 0; // colour classes

// CSR neighbour lists: row i is nbr[off[i] .. off[i+1]), weights alongside.
export let offPtr: usize = 0; // i32[n+1]
export let nbrPtr: usize = 0; // i32[nnz]
export let wPtr: usize = 0; // f64[nnz]  weights in chip units (quantised already)
export let hPtr: usize = 0; // f64[n]    biases in chip units
export let gainPtr: usize = 0; // f64[n] activation gain per p-bit (beta, scale, mismatch)
export let xoffPtr: usize = 0; // f64[n] activation input offset per p-bit (mismatch)
export let fanInPtr: usize = 0; // i32[n] hardware fan-in (chip degree) for counting
export let physPtr: usize = 0; // i32[n] physical p-bit index (for per-device mismatch)
export let statePtr: usize = 0; // f64[n] spins as +-1.0
export let prevPtr: usize = 0; // f64[n] previous state (synchronous schedule)
export let membersPtr: usize = 0; // i32[n] active p-bits grouped by colour class
export let classStartPtr: usize = 0; // i32[nClasses+1]
export let classCountsPtr: usize = 0; // u64[nClasses * NUM_COUNTERS] fixed per-phase increments
export let syncCountsPtr: usize = 0; // u64[NUM_COUNTERS] fixed per-sweep increments (synchronous)
export let countersPtr: usize = 0; // u64[NUM_COUNTERS]
export let lutPtr: usize = 0; // u64[lutEntries] thresholds in [0, 2^32]
export let lutEntries: i32 = 0;

// Activation input saturation (the accumulator's range), in chip units.
export let accMax: f64 = Infinity;
// LUT addressing: index = round(|x| * lutInvStep), clamped.
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
  accMax_: f64, lutInvStep_: f64, compareBits_: i32, bitsPerDraw_: i32, secondsPerCycle_: f64,
): void {
  accMax = accMax_;
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

export function allocate(n_: i32, nnz_: i32, nClasses_: i32, lutEntries_: i32): void {
  n = n_;
  nnz = nnz_;
  nClasses = nClasses_;
  lutEntries = lutEntries_;
  offPtr = allocZeroed(usize(n + 1) << 2);
  nbrPtr = allocZeroed(usize(nnz) << 2);
  wPtr = allocZeroed(usize(nnz) << 3);
  hPtr = allocZeroed(usize(n) << 3);
  gainPtr = allocZeroed(usize(n) << 3);
  xoffPtr = allocZeroed(usize(n) << 3);
  fanInPtr = allocZeroed(usize(n) << 2);
  physPtr = allocZeroed(usize(n) << 2);
  statePtr = allocZeroed(usize(n) << 3);
  prevPtr = allocZeroed(usize(n) << 3);
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

@inline export function spin(i: i32): f64 {
  return load<f64>(statePtr + (usize(i) << 3));
}
