/**
 * The integer twin of a p-bit chip: the chip's own algorithm (its schedule,
 * fan-in, fixed-point formats, activation table) run by a synchronous digital
 * ASIC, priced by circuits/tech/asic-45nm-int.yaml. It performs the chip's
 * updates, so it needs the sweeps the chip needed: the twin's counts follow
 * from the chip run's counts. What differs is the technology: integer adders
 * of the accumulator's width, a 32-bit random word per update from a source
 * that does not bias the law, a table read and a 32-bit compare, where the
 * chip has its own cell. The ratio chip / twin is the like-for-like question:
 * what the chip's technology buys over digital logic doing the same job.
 */
import { energyAction as energy, price, type ActionDef } from "./ledger.js";
import { loadTechTable } from "./table.js";
import { tableCosting } from "./figures.js";
import type { PlatformEstimate } from "./platforms.js";

export const TWIN_ACTIONS: ActionDef[] = [
  energy("adder_bit_ops", "bit", "bit-slices of integer addition: each multiply-accumulate adds one weight into the accumulator (the chip's accumulator bits)"),
  energy("comparator_evals", "eval", "32-bit compares of the random word with the threshold, one per update"),
  energy("random_words", "word", "32-bit random words, one per update"),
  energy("lut_reads", "word", "activation-table reads, one per update"),
  energy("weight_reads", "word", "weight words read (the chip's count)"),
  energy("state_writes", "write", "p-bit state writes, one per update"),
  energy("clock_cycles", "cycle", "clock cycles of the chip's schedule (the chip's count)"),
  { name: "pbit_seconds", unit: "p-bit*s", description: "p-bits x seconds (leakage)", charge: "power" },
  energy("weights_written", "word", "weights written when programming (the chip's count)"),
  energy("readout_values", "value", "values read out (the chip's count)"),
];

/** The twin's counts from a chip run's counts: `updates` p-bit updates, MACs into an accumulator of `accBits` bits. */
export function twinCounts(chip: Record<string, number>, updates: number, accBits: number): Record<string, number> {
  return {
    adder_bit_ops: (chip.mac_ops ?? 0) * accBits,
    comparator_evals: updates,
    random_words: updates,
    lut_reads: updates,
    weight_reads: chip.weight_reads ?? 0,
    state_writes: updates,
    clock_cycles: chip.clock_cycles ?? 0,
    pbit_seconds: chip.pbit_seconds ?? 0,
    weights_written: chip.weights_written ?? 0,
    readout_values: chip.readout_values ?? 0,
  };
}

export const TWIN_TABLE = "asic-45nm-int";

/** The twin's name in comparisons: the chip's schedule, in integers. */
export const twinName = (schedule: string) => `${schedule}-gibbs-int`;

export function twinEstimate(chip: string, chipCounts: Record<string, number>, updates: number, accBits: number): PlatformEstimate & { twin_of: string } {
  const table = loadTechTable(TWIN_TABLE, "--energy-model");
  const counts = twinCounts(chipCounts, updates, accBits);
  const e = price(counts, TWIN_ACTIONS, table);
  const charged = Object.entries(e.by_action).filter(([, j]) => j > 0);
  return {
    energy_model: TWIN_TABLE,
    twin_of: chip,
    seconds: NaN,
    energy_J: e.total,
    updates,
    energy_per_update_J: updates > 0 ? e.total / updates : 0,
    basis: `${chip}'s own run (${updates} updates, the same sweeps) as a digital ASIC: ${charged.map(([k]) => `${counts[k]} ${k} x ${(table.rows.get(k)!.value * 1e15).toPrecision(3)} fJ`).join(" + ")}; accumulator ${accBits} bits; time not modelled`,
    source: table.description.split(". ")[0],
    by_action: Object.fromEntries(charged),
    costing: tableCosting(table, counts, ["weights_written"]),
  };
}
