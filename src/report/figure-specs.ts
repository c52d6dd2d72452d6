/**
 * The figures' vega-lite specs, built from results: pure data, no rendering,
 * so the HTML report (figures.ts renders them headless) and the explorer page
 * (vega in the browser) draw the same figures.
 */
import { formatSI } from "../units.js";

export type Spec = Record<string, unknown>;

export interface Figure {
  name: string;
  title: string;
  /** One line on what the figure shows and how it was computed. */
  caption: string;
  spec: Spec;
}

export const CONFIG = { font: "DejaVu Sans", view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 }, legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 } };

/** The spec as rendered: schema, config and background added. */
export function fullSpec(f: Figure): Spec {
  return { $schema: "https://vega.github.io/schema/vega-lite/v6.json", config: CONFIG, background: "white", ...f.spec };
}

/** Every k-th point so a line keeps at most `max` points (a report, not a data dump). */
function thin<T>(xs: T[], max: number): T[] {
  const k = Math.max(1, Math.ceil(xs.length / max));
  return xs.filter((_, i) => i % k === 0);
}

/** Traces of one observable per chain against the sample index. */
export function traceFigure(name: string, observable: string, chains: Float64Array[], unit: string): Figure {
  const values = chains.flatMap((c, k) => thin(Array.from(c, (v, t) => ({ sample: t, value: v, chain: `chain ${k}` })), 1500));
  return {
    name, title: `${observable}: traces`,
    caption: `${observable} (${unit}) of every recorded sample, one line per chain${chains[0]?.length > 1500 ? " (thinned to 1,500 points per chain)" : ""}`,
    spec: {
      width: 560, height: 200, data: { values },
      mark: { type: "line", strokeWidth: 1 },
      encoding: {
        x: { field: "sample", type: "quantitative", title: "sample" },
        y: { field: "value", type: "quantitative", title: `${observable} (${unit})`, scale: { zero: false } },
        color: { field: "chain", type: "nominal", title: null },
      },
    },
  };
}

/** The autocorrelation of an observable against the lag, pooled over chains. */
export function acfFigure(name: string, observable: string, chains: Float64Array[], maxLag = 100): Figure {
  const lags = Math.min(maxLag, Math.max(1, Math.floor(Math.min(...chains.map((c) => c.length)) / 2)));
  const values: { lag: number; acf: number }[] = [];
  // Pooled over chains: each chain about its own mean, variance pooled.
  const centred = chains.map((c) => {
    let m = 0;
    for (const v of c) m += v / c.length;
    return Float64Array.from(c, (v) => v - m);
  });
  let v0 = 0;
  for (const c of centred) for (const v of c) v0 += v * v;
  for (let lag = 0; lag <= lags; lag++) {
    let s = 0;
    for (const c of centred) for (let t = 0; t + lag < c.length; t++) s += c[t] * c[t + lag];
    values.push({ lag, acf: v0 > 0 ? s / v0 : 0 });
  }
  return {
    name, title: `${observable}: autocorrelation`,
    caption: `autocorrelation of ${observable} against the lag in samples, chains pooled (each about its own mean)`,
    spec: {
      width: 560, height: 180, data: { values },
      layer: [
        { mark: { type: "rule", color: "#999" }, encoding: { y: { datum: 0 } } },
        { mark: { type: "line", point: { size: 12 } }, encoding: { x: { field: "lag", type: "quantitative", title: "lag (samples)" }, y: { field: "acf", type: "quantitative", title: "autocorrelation" } } },
      ],
    },
  };
}

/**
 * Where the joules go: each system's energy split by action, as shares of its
 * total (systems differ by orders of magnitude, so absolute stacks would hide
 * all but the largest); the total is in the system's label.
 */
export function energyBreakdownFigure(name: string, systems: { system: string; byAction: Record<string, number> }[]): Figure {
  const values = systems.flatMap((s) => {
    const total = Object.values(s.byAction).reduce((a, j) => a + (j > 0 ? j : 0), 0);
    const label = `${s.system}: ${formatSI(total, "J", 3)}`;
    return Object.entries(s.byAction).filter(([, j]) => j > 0).map(([action, joules]) => ({ system: label, action, joules, share: joules / total }));
  });
  return {
    name, title: "Energy by action",
    caption: "each system's joules split by action (counts x the technology table's energy or power per row), as shares of its total (in the label); actions that cost nothing are left out",
    spec: {
      width: 480, height: { step: 26 } as unknown as number, data: { values },
      mark: "bar",
      encoding: {
        y: { field: "system", type: "nominal", title: null },
        x: { field: "share", type: "quantitative", title: "share of the system's energy", stack: "zero", axis: { format: "%" } },
        color: { field: "action", type: "nominal", title: "action", scale: { scheme: "tableau20" } },
        tooltip: [{ field: "action" }, { field: "joules", format: ".3e" }],
      },
    },
  };
}

/**
 * Quality against energy spent, one line per system (log axes): colour for the
 * sampler, dashes for the energy model (a baseline appears once per platform).
 */
export function qualityEnergyFigure(name: string, metric: string, target: number | undefined, lines: { system: string; energyModel: string; points: { energy: number; value: number }[] }[]): Figure {
  const values = lines.flatMap((l) => l.points.filter((p) => p.energy > 0 && p.value > 0 && Number.isFinite(p.value)).map((p) => ({ system: l.system, energy_model: l.energyModel, energy: p.energy, value: p.value })));
  const layers: Spec[] = [{
    mark: { type: "line", point: { size: 14 }, strokeWidth: 1.5 },
    encoding: {
      x: { field: "energy", type: "quantitative", scale: { type: "log" }, title: "energy spent (J)", axis: { format: "~s" } },
      y: { field: "value", type: "quantitative", scale: { type: "log" }, title: metric },
      color: { field: "system", type: "nominal", title: "system", scale: { scheme: "tableau10" } },
      strokeDash: { field: "energy_model", type: "nominal", title: "energy model" },
      shape: { field: "energy_model", type: "nominal", title: "energy model" },
      detail: [{ field: "system" }, { field: "energy_model" }],
    },
  }];
  if (target !== undefined && target > 0) layers.push({ mark: { type: "rule", strokeDash: [4, 3], color: "#444" }, encoding: { y: { datum: target } } });
  return {
    name, title: `${metric} against energy`,
    caption: `${metric} of the samples so far (median over repeats) against the energy spent to reach that point; colour: the sampler, dashes and marks: the energy model (a chip's own table, or a digital platform); the dashed grey line is the target; systems without costs (the ideal chip) are not drawn on a log axis`,
    spec: { width: 520, height: 300, data: { values }, layer: layers },
  };
}

/** Energy to solution per system: the median as a point, the 90th percentile as a bar end (log axis). */
export function energyToSolutionFigure(name: string, rows: { system: string; median: number | null; p90: number | null; reached: boolean }[]): Figure {
  const values = rows.filter((r) => r.reached && r.median !== null && r.median > 0).map((r) => ({ system: r.system, median: r.median, p90: r.p90 ?? r.median }));
  return {
    name, title: "Energy to solution",
    caption: "median energy to reach the target over repeats (point) and the 90th percentile (end of the rule); systems that never reached it are listed in the table, not drawn",
    spec: {
      width: 480, height: { step: 26 } as unknown as number, data: { values },
      layer: [
        { mark: "rule", encoding: { y: { field: "system", type: "nominal", title: null }, x: { field: "median", type: "quantitative", scale: { type: "log" }, title: "energy to solution (J)", axis: { format: "~s" } }, x2: { field: "p90" } } },
        { mark: { type: "point", filled: true, size: 60 }, encoding: { y: { field: "system", type: "nominal" }, x: { field: "median", type: "quantitative", scale: { type: "log" } } } },
      ],
    },
  };
}

/** A sweep's points on two of its columns, the Pareto front drawn over them. */
export function paretoFigure(name: string, x: string, y: string, points: { x: number; y: number; front: boolean; label: string }[], goals: [string, string]): Figure {
  const values = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const logX = values.length > 0 && values.every((p) => p.x > 0);
  const logY = values.length > 0 && values.every((p) => p.y > 0);
  const enc = (field: string, title: string, log: boolean) => ({ field, type: "quantitative", title, ...(log ? { scale: { type: "log" } } : { scale: { zero: false } }) });
  return {
    name, title: `Pareto front: ${y} against ${x}`,
    caption: `every point of the sweep (grey) and the points no other beats on both (${x}: ${goals[0]}imise, ${y}: ${goals[1]}imise; coloured, joined); points missing either figure are left out${logX || logY ? "; log axes where every value is positive" : ""}`,
    spec: {
      width: 520, height: 320, data: { values },
      layer: [
        { mark: { type: "point", filled: true, size: 40, color: "#bbbbbb" }, encoding: { x: enc("x", x, logX), y: enc("y", y, logY) } },
        { transform: [{ filter: "datum.front" }], mark: { type: "line", point: { filled: true, size: 60, color: "#d62728" }, color: "#d62728" }, encoding: { x: enc("x", x, logX), y: enc("y", y, logY), order: { field: "x" } } },
      ],
    },
  };
}

/** A tornado: the chip's advantage with each figure halved and doubled, the widest swing on top, the priced ratio marked. */
export function tornadoFigure(name: string, chip: string, against: string, ratio: number, bars: { figure: string; status: string; low: number; high: number }[]): Figure {
  const values = bars.flatMap((b, k) => [
    { figure: `${b.figure} (${b.status})`, order: k, end: "figure halved", ratio: b.low },
    { figure: `${b.figure} (${b.status})`, order: k, end: "figure doubled", ratio: b.high },
  ]);
  const spans = bars.map((b, k) => ({ figure: `${b.figure} (${b.status})`, order: k, lo: Math.min(b.low, b.high), hi: Math.max(b.low, b.high) }));
  const y = { field: "figure", type: "nominal", title: null, sort: { field: "order", op: "min" } };
  const x = { type: "quantitative", scale: { type: "log" }, title: `energy of ${against} / energy of ${chip}` };
  return {
    name, title: `What moves ${chip}'s advantage over ${against}`,
    caption: `each figure pricing either side halved and doubled, everything else as priced (energy is linear in each figure, so these are exact); the vertical line is the priced ratio, ${formatSI(ratio, "")}x; the widest swing is on top; 1x is where the chip stops winning`,
    spec: {
      width: 460, height: Math.max(60, 22 * bars.length),
      layer: [
        { data: { values: spans }, mark: { type: "rule", strokeWidth: 3, color: "#bbb" }, encoding: { y, x: { field: "lo", ...x }, x2: { field: "hi" } } },
        { data: { values }, mark: { type: "point", filled: true, size: 60 }, encoding: { y, x: { field: "ratio", ...x }, color: { field: "end", type: "nominal", title: null } } },
        { data: { values: [{ r: ratio }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#333" }, encoding: { x: { field: "r", type: "quantitative" } } },
        { data: { values: [{ r: 1 }] }, mark: { type: "rule", color: "#c00" }, encoding: { x: { field: "r", type: "quantitative" } } },
      ],
    },
  };
}
