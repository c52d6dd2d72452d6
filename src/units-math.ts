// The mathjs instance units.ts parses quantities with (Node; the explorer's
// bundle swaps in src/explore/units-math-browser.ts, the same factories from mathjs's ESM entry).
import type { MathJsInstance } from "mathjs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * mathjs with only the unit machinery: the full bundle costs ~88 MB of
 * resident memory, the unit factories ~45 MB. The factory files are internal
 * to mathjs (pinned to ~15.2 in package.json); if they move, fall back to the
 * whole package.
 */
export function loadMath(): MathJsInstance {
  const require = createRequire(import.meta.url);
  try {
    const root = join(dirname(require.resolve("mathjs/package.json")), "lib", "cjs");
    const { create } = require(join(root, "core", "create.js"));
    const { unitDependencies } = require(join(root, "entry", "dependenciesAny", "dependenciesUnitFunction.generated.js"));
    return create({ unitDependencies }, {}) as MathJsInstance;
  } catch {
    return require("mathjs") as MathJsInstance;
  }
}

