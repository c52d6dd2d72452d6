/**
 * Every statistic thermosim reports, with its unit and a one-line
 * description (gem5's habit). stats.json carries this table as `units`.
 */
export interface StatInfo {
  unit: string;
  description: string;
}

export const SAMPLE_STATS: Record<string, StatInfo> = {
  wall_seconds: { unit: "s", description: "host wall-clock time of the chain runs (simulation only, no file I/O)" },
  setup_seconds: { unit: "s", description: "host time to load, map and program the model (no file I/O)" },
  chip_seconds: { unit: "s", description: "simulated hardware time of all chains, run one after another on one chip" },
  trace_names: { unit: "-", description: "the columns of trace.npy [chains, samples, k]: per-draw observables (energy in model units, magnetisation per spin, coordinates)" },
  sweeps: { unit: "sweep", description: "sweeps over all chains: chains x (burn_in + samples x thin)" },
  updates: { unit: "update", description: "variable updates over all chains (evaluations, changed or not)" },
  updates_per_wall_ns: { unit: "update/ns", description: "simulator throughput: updates / wall_seconds / 1e9" },
  chip_updates_per_second: { unit: "update/s", description: "simulated hardware throughput: updates / chip_seconds" },
  kernel_memory_bytes: { unit: "B", description: "linear memory of one chip kernel instance (the simulated chip's footprint)" },
  cycles_per_sweep: { unit: "cycle", description: "clock cycles per sweep (clocked schedules)" },
  "diagnostics.telegraph_refreshes": { unit: "event", description: "sMTJ source redraws seen at reads (fewer than reads means reused random values)" },
  "diagnostics.async_history_overflows": { unit: "read", description: "async reads older than the remembered change history (should be 0)" },
  "diagnostics.rng_shifts_per_read": { unit: "shift", description: "LFSR shifts between two reads of the same p-bit" },
  "diagnostics.mismatch_gain_sd": { unit: "1", description: "standard deviation of this chip instance's relative gain error" },
  "diagnostics.mismatch_offset_sd": { unit: "beta*I", description: "standard deviation of this chip instance's input offsets" },
  platforms: { unit: "-", description: "baselines: the same run's time (s), energy (J) and energy per update (J) on each digital platform at its best operating point, priced from counts, each naming its energy model, basis and source (cpu: calibrated native time per operation on a reference core, the run's measured time beside it as measured_seconds; asic-45nm per operation, time not modelled: null; gpu-thrml-h100 at the measured table's cheapest batch; the lattice record for regular graphs); costing: the energy as terms of named figures" },
  "mapping.beta_eff": { unit: "1/energy", description: "spin models: the inverse temperature at which the draws best follow the model's couplings (maximum pseudo-likelihood over the traced draws; value, 95% interval low..high from batch means, draws); a warning when the interval excludes the model's beta" },
  "energy_J.total": { unit: "J", description: "energy of the whole run from the technology table: one_off + sampling" },
  "energy_J.one_off": { unit: "J", description: "one-off costs of the run: programming the chip (weights, DAC writes), paid once however long it samples" },
  "energy_J.sampling": { unit: "J", description: "energy of sampling itself: total - one_off" },
  "energy_J.by_action": { unit: "J", description: "energy per action: count x the table's joules per action" },
  "energy_J.per_sample": { unit: "J/sample", description: "sampling energy / samples recorded (all chains); one-off costs excluded" },
  "energy_J.per_update": { unit: "J/update", description: "sampling energy / updates; one-off costs excluded" },
  "energy_J.average_power_W": { unit: "W", description: "sampling energy / chip_seconds: the chip's power while sampling (one-off costs excluded)" },
};
