/** What a chip job says about its system. */
import type { SystemInfo } from "../run/sample.js";
import type { ChipSpec } from "../chips/load.js";

export function chipSystem(spec: ChipSpec): SystemInfo {
  return { name: spec.name, kind: "chip", family: spec.kind, file: spec.file, energy: spec.energy };
}
