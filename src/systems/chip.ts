/**
 * Chip families: spec kind -> the builder of its Job. A new chip family is a
 * spec kind, a builder file and one line here.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { PinnedEmbedding } from "../mapping/place.js";
import type { Clamp } from "../run/clamp.js";
import type { Model } from "../models/load.js";
import type { ChipSpec } from "../chips/load.js";
import { pbitJob } from "./pbit.js";
import { langevinJob } from "./langevin.js";

type Builder<S> = (spec: S, model: Model, req: SampleRequest, pinned?: PinnedEmbedding, clamp?: Clamp) => Job;

const FAMILIES: { [K in ChipSpec["kind"]]: Builder<Extract<ChipSpec, { kind: K }>> } = {
  pbit: pbitJob,
  langevin: (spec, model, req, _pinned, clamp) => langevinJob(spec, model, req, clamp),
};

export function chipJob(spec: ChipSpec, model: Model, req: SampleRequest, pinned?: PinnedEmbedding, clamp?: Clamp): Job {
  return (FAMILIES[spec.kind] as Builder<ChipSpec>)(spec, model, req, pinned, clamp);
}
