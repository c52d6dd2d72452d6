/**
 * Figures: vega-lite specs built from results, compiled and rendered headless
 * with vega (SVG, no browser), and PNG through resvg with the DejaVu Sans font
 * shipped by an npm package (resvg silently drops text without a font file).
 * Every spec compiles without a vega-lite warning (a warning is an error
 * here: a figure that silently lost an encoding is a wrong figure).
 */
import * as vl from "vega-lite";
import * as vega from "vega";
import { Resvg } from "@resvg/resvg-js";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fullSpec, type Figure } from "./figure-specs.js";

export * from "./figure-specs.js";

const require = createRequire(import.meta.url);
const FONT = join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf", "DejaVuSans.ttf");

export interface Rendered extends Figure {
  svg: string;
  png: Uint8Array;
}

/** Compile and render one figure; vega-lite warnings are errors. */
export async function render(f: Figure): Promise<Rendered> {
  const problems: string[] = [];
  const logger = {
    level() { return logger; },
    error: (...m: unknown[]) => problems.push(m.join(" ")),
    warn: (...m: unknown[]) => problems.push(m.join(" ")),
    info() { return logger; },
    debug() { return logger; },
  };
  const spec = fullSpec(f);
  let compiled: ReturnType<typeof vl.compile>;
  try {
    compiled = vl.compile(spec as never, { logger: logger as never });
  } catch (e) {
    throw new Error(`figure ${f.name}: vega-lite: ${(e as Error).message}`);
  }
  if (problems.length) throw new Error(`figure ${f.name}: vega-lite: ${problems.join("; ")}`);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, { font: { fontFiles: [FONT], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" }, fitTo: { mode: "zoom", value: 2 } }).render().asPng();
  return { ...f, svg, png };
}

