// Read-out: copy the spins into the int8 sample buffer (one row per sample).
import { n, statePtr, count, C_READOUT_VALUES } from "./chip";

export function recordSample(outPtr: usize, row: i32): void {
  const base = outPtr + usize(row) * usize(n);
  for (let i = 0; i < n; i++) {
    store<i8>(base + usize(i), i8(load<f64>(statePtr + (usize(i) << 3))));
  }
  count(C_READOUT_VALUES, u64(n));
}
