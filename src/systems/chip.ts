/**
 * Chip families: spec kind -> the builder of its Job. A new chip family is a
 * spec kind, a builder file and one line here.
 */
import type { Job, SampleRequest } from "../run/sample.js";
import type { PinnedEmbedding } from "../mapping/place.js";
import type { Model } from "../models/load.js";
import type { ChipSpec } from "../chips/load.js";
import { pbitJob } from "./pbit.js";
import { langevinJob } from "./langevin.js";

const FAMILIES: { [K in ChipSpec["kind"]]: (spec: Extract<ChipSpec, { kind: K }>, model: Model, req: SampleRequest, pinned?: PinnedEmbedding) => Job } = {
  pbit: pbitJob,
  langevin: langevinJob,
};

export function chipJob(spec: ChipSpec, model: Model, req: SampleRequest, pinned?: PinnedEmbedding): Job {
  return (FAMILIES[spec.kind] as (s: ChipSpec, m: Model, r: SampleRequest, p?: PinnedEmbedding) => Job)(spec, model, req, pinned);
}
