/**
 * What every digital baseline counts: one catalogue, so one technology table
 * (circuits/tech/cpu.yaml, asic-45nm.yaml) prices any of them.
 */
import type { ActionDef } from "../energy/ledger.js";

const energy = (name: string, unit: string, description: string): ActionDef => ({ name, unit, description, charge: "energy" });

export const DIGITAL_ACTIONS: ActionDef[] = [
  energy("site_updates", "update", "variable updates (evaluations, changed or not): n per sweep, per replica"),
  energy("flops", "flop", "floating-point operations (spin samplers: 4 per update plus 2 per neighbour field update after a flip; continuous: 2 per stored matrix entry per gradient, plus the vector arithmetic)"),
  energy("exp_evals", "op", "exponentials and logarithms (one per Gibbs update; one per uphill Metropolis proposal or replica swap; one per MALA/HMC accept test)"),
  energy("random_numbers", "word", "32-bit random words drawn (a ziggurat normal takes 2)"),
  energy("memory_words", "word", "32-bit-equivalent memory words read or written (a float64 is 2)"),
  energy("flips", "update", "updates that changed a variable: spin flips; for continuous samplers, coordinates moved (n per accepted move)"),
  energy("replica_swaps", "swap", "parallel tempering: replica exchanges attempted"),
  energy("gradient_evals", "op", "gradient evaluations of the energy (continuous samplers; their arithmetic is in flops and memory_words)"),
  { name: "core_seconds", unit: "core*s", description: "measured time on one CPU core (the time integral CPU power is charged on)", charge: "power" },
];
