/**
 * The Pareto front of a sweep over two of its columns: the points no other
 * point beats on both (each column minimised or maximised as asked). Points
 * missing either figure (a target never reached) are not on it.
 */
export interface Axis {
  column: string;
  goal: "min" | "max";
}

/** `COLUMN[:min|max]`; min by default. */
export function parseAxis(text: string): Axis {
  const m = /^(.+?)(?::(min|max))?$/.exec(text.trim());
  return { column: m![1], goal: (m![2] as "min" | "max" | undefined) ?? "min" };
}

/** Indices (into xs/ys) of the non-dominated points, in order of x. */
export function paretoFront(xs: (number | null)[], ys: (number | null)[], gx: Axis["goal"], gy: Axis["goal"]): number[] {
  const sx = gx === "min" ? 1 : -1;
  const sy = gy === "min" ? 1 : -1;
  const pts = xs.map((x, i) => ({ i, x: x === null ? NaN : sx * x, y: ys[i] === null ? NaN : sy * ys[i]! })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  // Sorted by x then y, a point is on the front when its y beats every earlier point's.
  pts.sort((a, b) => a.x - b.x || a.y - b.y || a.i - b.i);
  const front: number[] = [];
  let best = Infinity;
  for (const p of pts) {
    if (p.y < best) {
      front.push(p.i);
      best = p.y;
    }
  }
  return front;
}
