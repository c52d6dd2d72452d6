// Read-out: copy the spins (int8, +-1) into the sample buffer.
import { n, nFree, statePtr, count, C_READOUT_VALUES } from "./chip";

export function recordSample(outPtr: usize, row: i32): void {
  memory.copy(outPtr + usize(row) * usize(n), statePtr, usize(n));
  count(C_READOUT_VALUES, u64(nFree)); // clamped values are known, not read
}
