/**
 * What every digital baseline counts: one catalogue, so one technology table
 * (circuits/tech/cpu.yaml, asic-45nm.yaml) prices any of them.
 */
import { energyAction as energy, type ActionDef } from "../energy/ledger.js";

export const DIGITAL_ACTIONS: ActionDef[] = [
  energy("site_updates", "update", "variable updates (evaluations, changed or not): n per sweep, per replica"),
  energy("flops", "flop", "floating-point operations (spin samplers: 4 per update plus 2 per neighbour field update after a flip; continuous: 2 per stored matrix entry per gradient, plus the vector arithmetic)"),
  energy("exp_evals", "op", "exponentials and logarithms (one per Gibbs update; one per uphill Metropolis proposal or replica swap; one per MALA/HMC accept test)"),
  energy("random_numbers", "word", "32-bit random words drawn (a ziggurat normal takes 2)"),
  energy("memory_words", "word", "32-bit-equivalent memory words read or written (a float64 is 2)"),
  energy("flips", "update", "updates that changed a variable: spin flips; for continuous samplers, coordinates moved (n per accepted move)"),
  energy("replica_swaps", "swap", "parallel tempering: replica exchanges attempted"),
  energy("gradient_evals", "op", "gradient evaluations of the energy (continuous samplers; their arithmetic is in flops and memory_words)"),
  // What the best native kernel for the job does on a CPU core, whatever this baseline's own arithmetic
  // (circuits/tech/cpu.yaml prices these by calibrated native time; the ASIC table prices the operations above).
  energy("native_spin_updates", "update", "spin models: updates as the best native kernel does them (integer field, table threshold, 32-bit random word), every replica counted; 0 for continuous models"),
  energy("native_field_terms", "term", "spin models: couplings summed into the updated variables' fields (the sum of their fan-ins), as a native kernel that recomputes each field does"),
  energy("native_flops", "flop", "continuous models: floating-point operations (the flops above), done by a native vectorised kernel"),
  energy("native_normals", "draw", "continuous models: standard normal draws"),
  energy("native_exps", "op", "exponentials a native kernel must evaluate: continuous samplers' accept tests, parallel tempering's replica swaps"),
  { name: "core_seconds", unit: "core*s", description: "measured time of this run on this machine's core (informational: the CPU model prices counts, not this time)", charge: "power" },
];
