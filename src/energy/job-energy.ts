/**
 * A run's energy from its counts: the job's derived counts (converter steps),
 * time integrals (units x chip seconds, from the chain-ordered total so they
 * do not depend on the worker split), priced by the technology table, with
 * the one-off costs (programming the chip) apart from what sampling costs.
 * Shared by `sample`, `compare` and the explorer's live meter.
 */
import type { Job } from "../run/sample.js";
import type { TechTable } from "./table.js";
import { price, type Ledger } from "./ledger.js";

export interface JobEnergy {
  /** Every action's count, derived and time-integral ones included. */
  actions: Record<string, number>;
  energy: Ledger;
  /** J charged once per chip (programming). */
  oneOff: number;
  /** J of sampling: the total less the one-off part. */
  sampling: number;
}

export function jobEnergy(job: Pick<Job, "actions" | "derived" | "perSecond" | "once">, table: TechTable, counts: Record<string, number>, chipSeconds: number): JobEnergy {
  const actions: Record<string, number> = { ...counts };
  Object.assign(actions, job.derived(actions));
  for (const [k, units] of Object.entries(job.perSecond)) actions[k] = units * chipSeconds;
  const energy = price(actions, job.actions, table);
  const oneOff = job.once.reduce((a, k) => a + (energy.by_action[k] ?? 0), 0);
  return { actions, energy, oneOff, sampling: energy.total - oneOff };
}
