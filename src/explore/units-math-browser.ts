// units-math.ts for the browser bundle: mathjs with only the unit machinery, from its ESM entry.
import { create, unitDependencies, type MathJsInstance } from "mathjs";

export function loadMath(): MathJsInstance {
  return create({ unitDependencies }, {}) as MathJsInstance;
}
