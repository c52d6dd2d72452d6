/**
 * What a p-bit chip spends energy on. Indices match the kernel's counters
 * (assembly/pbit/chip.ts C_*); pbit_seconds is derived from simulated time.
 */
import type { ActionDef } from "../../energy/ledger.js";

export const COUNTER_INDEX = {
  random_bits: 0,
  mac_ops: 1,
  weight_reads: 2,
  comparator_evals: 3,
  state_writes: 4,
  flips: 5,
  clock_cycles: 6,
  pbit_cycles_idle: 7,
  readout_values: 8,
  weights_written: 9,
  pbits_programmed: 10,
} as const;
export const UPDATES_INDEX = 11;
export const NUM_COUNTERS = 12;

export const PBIT_ACTIONS: ActionDef[] = [
  { name: "random_bits", unit: "bit", charge: "energy", description: "random bits drawn by the p-bits' random sources" },
  { name: "mac_ops", unit: "op", charge: "energy", description: "multiply-accumulates of weight x neighbour state (hardware fan-in per update)" },
  { name: "weight_reads", unit: "word", charge: "energy", description: "coupling and bias words read from weight storage" },
  { name: "comparator_evals", unit: "eval", charge: "energy", description: "activation/comparator evaluations (one per p-bit update)" },
  { name: "state_writes", unit: "write", charge: "energy", description: "p-bit state register writes (one per update, changed or not)" },
  { name: "flips", unit: "flip", charge: "energy", description: "updates that changed the p-bit's state" },
  { name: "clock_cycles", unit: "cycle", charge: "energy", description: "chip clock cycles (clock tree, control)" },
  { name: "pbit_cycles_idle", unit: "p-bit*cycle", charge: "energy", description: "p-bit cycles not spent evaluating (other colour's phase, gated p-bits)" },
  { name: "readout_values", unit: "value", charge: "energy", description: "p-bit values read out of the chip (variables x samples)" },
  { name: "weights_written", unit: "word", charge: "energy", description: "coupling and bias words written when programming the chip" },
  { name: "pbits_programmed", unit: "p-bit", charge: "energy", description: "p-bits whose weights were programmed" },
  { name: "pbit_seconds", unit: "p-bit*s", charge: "power", description: "p-bits on the chip x simulated seconds (static/leakage power)" },
];
