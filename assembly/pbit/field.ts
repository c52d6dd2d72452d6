// One block of p-bit updates, shared by the clocked schedules.
import { flipListPtr } from "./chip";

// Update p-bits members[start .. end) from the state at readPtr, writing the
// new spins to statePtr; rand[k] holds the random draw for members[k]. Then
// let the evaluator propagate the flips (incremental fields). Returns the
// number of flips.
@inline export function updateBlock<E>(
  ev: E, membersPtr: usize, start: i32, end: i32, readPtr: usize, statePtr: usize, rand: usize,
  rec: usize, nbr: usize, w: usize,
): u64 {
  const list = flipListPtr;
  let flips: i32 = 0;
  for (let k = start; k < end; k++) {
    const i = load<i32>(membersPtr + (usize(k) << 2));
    const r = load<u32>(rand + (usize(k) << 2));
    const sp = statePtr + usize(i);
    // Integer arithmetic throughout: this comparison is a coin flip, and V8
    // turns selects on floats into branches (measured 3x slower).
    const next = (ev.decide(i, r, readPtr, rec, nbr, w) << 1) - 1;
    store<i32>(list + (usize(flips) << 2), i); // kept only if it flipped
    flips += i32(next != i32(load<i8>(sp)));
    store<i8>(sp, i8(next));
  }
  ev.afterFlips(list, flips, statePtr, rec, nbr, w);
  return u64(flips);
}
