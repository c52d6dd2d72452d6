/** What an analog Langevin chip spends energy on (counts and time integrals). */
import type { ActionDef } from "../../energy/ledger.js";

export const LANGEVIN_ACTIONS: ActionDef[] = [
  { name: "resistive_dissipation", unit: "J", charge: "energy", description: "integral of sum G (V_i - V_j)^2 + G_i0 V_i^2 over passive conductances (Joule heating), held (clamped) nodes' resistors included" },
  { name: "amplifier_seconds", unit: "amplifier*s", charge: "power", description: "amplifiers (per-node stages + inverting stages) x simulated seconds (static power)" },
  { name: "noise_source_seconds", unit: "source*s", charge: "power", description: "programmable noise sources x simulated seconds (static power)" },
  { name: "dac_writes", unit: "value", charge: "energy", description: "conductances/capacitances and bias currents programmed through DACs" },
  { name: "dac_write_steps", unit: "step", charge: "energy", description: "DAC writes x 2^bits (the DACs' resolution): the unit a Walden figure of merit prices" },
  { name: "clamp_writes", unit: "value", charge: "energy", description: "clamped nodes' hold voltages (and, where the host solves the mean, re-solved bias currents) written through DACs, once per chain" },
  { name: "clamp_write_steps", unit: "step", charge: "energy", description: "clamp writes x 2^bits (the hold DAC's resolution, the read-out's adc_bits)" },
  { name: "adc_conversions", unit: "conversion", charge: "energy", description: "node voltages read out through the ADC (nodes x samples)" },
  { name: "adc_conversion_steps", unit: "step", charge: "energy", description: "ADC conversions x 2^ENOB (ENOB = the spec's adc_bits): the unit of the Walden figure of merit" },
];
