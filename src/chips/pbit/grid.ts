/**
 * The grid path of the p-bit kernel (assembly/pbit/stencil.ts, stencil-float.ts):
 * when a model fills an offset-grid chip (every p-bit active, identity
 * placement, the checkerboard colouring) and runs the chromatic or synchronous
 * schedule with nothing clamped, the kernel lays the chip out as the grid is and computes
 * fields with SIMD from fixed neighbour offsets instead of following neighbour
 * lists: 8-bit weight codes on the integer path, doubles on the float path
 * (the ideal chip's exact logistic, LUT chips with mismatch). Chosen from the
 * mapping; samples and counts are bit-identical to the general path's
 * (test/pbit-grid.test.ts), only the time differs. For float models that fill
 * a grid the general path's neighbour lists hold every offset slot in order
 * (slotRows), so both paths add the same terms in the same order.
 */
import type { PbitMapping } from "../../mapping/pbit.js";
import type { Schedule } from "./spec.js";
import type { PbitKernel } from "../../wasm/pbit-kernel.js";
import type { Instance } from "../../wasm/load.js";

export interface GridShape {
  width: number;
  height: number;
  tiles: number;
  wrap: boolean;
  dx: Int32Array;
  dy: Int32Array;
}

export interface GridPlan extends GridShape {
  haloRows: number;
  haloCols: number;
  /** Float evaluator (spins and weights as doubles) rather than 8-bit codes. */
  float: boolean;
}

/** The grid a model fills with identity placement and the checkerboard colouring, or why not. */
function gridShape(m: PbitMapping): { shape?: GridShape; why: string } {
  const g = m.topology.grid;
  if (!g) return { why: "the topology is not a grid" };
  if (m.n !== m.topology.size) return { why: "the model does not fill the chip" };
  if (g.width % 2 !== 0) return { why: "the grid's width is odd" };
  if (g.dx.length % 4 !== 0) return { why: "the offsets do not come in fours" };
  if (m.classes !== 2) return { why: "not the checkerboard colouring" };
  for (let i = 0; i < m.n; i++) {
    const q = i % (g.width * g.height);
    if (m.phys[i] !== i || m.colour[i] !== (((q % g.width) + Math.floor(q / g.width)) & 1)) return { why: "not identity placement with the checkerboard colouring" };
  }
  return { shape: g, why: "" };
}

/** Float models filling a grid: the general path's rows hold every offset slot in order (zeros where no coupling). */
export function slotRows(m: PbitMapping): GridShape | undefined {
  return m.evaluator !== "code-lut" ? gridShape(m).shape : undefined;
}

/** Which kernel path a run takes, and why not the grid path (for the mapping report). */
export function gridPlan(m: PbitMapping, schedule: Schedule, clamped?: Int32Array): { plan?: GridPlan; why: string } {
  const { shape: g, why } = gridShape(m);
  if (!g) return { why };
  if (schedule === "async") return { why: "the async schedule runs on neighbour lists" };
  if (clamped && clamped.length > 0) return { why: "clamped p-bits are left out of the class lists" };
  const float = m.evaluator !== "code-lut";
  if (!float) {
    if (m.codeBytes !== 1) return { why: "the grid path needs 8-bit weight codes on the integer path" };
    // Fields are summed in 16-bit lanes: the largest possible |field| must fit.
    const worst = Float64Array.from(m.h, (h) => Math.abs(Math.round(h / m.accLsb)));
    for (let k = 0; k < m.model.ei.length; k++) {
      const a = Math.abs(Math.round(m.weight(k) / m.accLsb));
      worst[m.model.ei[k]] += a;
      worst[m.model.ej[k]] += a;
    }
    if (worst.some((v) => v > 32767)) return { why: "a field can exceed 16 bits" };
  }
  let haloRows = 0;
  let haloCols = 0;
  for (let o = 0; o < g.dx.length; o++) {
    haloRows = Math.max(haloRows, Math.abs(g.dy[o]));
    for (const p of [0, 1]) haloCols = Math.max(haloCols, Math.abs(Math.floor((p + g.dx[o]) / 2)));
  }
  return { plan: { ...g, haloRows, haloCols, float }, why: float ? "grid layout (float)" : "grid layout (8-bit codes)" };
}

const wrapped = (v: number, n: number) => ((v % n) + n) % n;

/** p-bit i's coordinates on its grid. */
function at(g: GridShape, i: number) {
  const perTile = g.width * g.height;
  const t = Math.floor(i / perTile);
  const q = i - t * perTile;
  const x = q % g.width;
  const y = (q - x) / g.width;
  return { t, x, y, c: (x + y) & 1 };
}

/** The slot of p-bit a's neighbour b: the first offset that reaches it (small tori reach some twice; the other slot keeps 0). */
export function slotOf(g: GridShape, a: number, b: number): number {
  const p = at(g, a);
  const q = at(g, b);
  for (let o = 0; o < g.dx.length; o++) {
    let nx = p.x + g.dx[o];
    let ny = p.y + g.dy[o];
    if (g.wrap) (nx = wrapped(nx, g.width), ny = wrapped(ny, g.height));
    if (nx === q.x && ny === q.y && p.t === q.t) return o;
  }
  throw new Error(`grid layout: no offset joins p-bit ${a} to ${b}`);
}

export function allocateGrid(k: PbitKernel, plan: GridPlan): void {
  k.gridAllocate(plan.width, plan.height, plan.tiles, plan.wrap ? 1 : 0, plan.dx.length, plan.haloRows, plan.haloCols, plan.float ? 1 : 0);
  if (plan.float) k.gridFloatAllocate();
}

/**
 * Weights, biases and neighbour deltas into the kernel's grid layout (after
 * every allocation and after programming: the float path copies bias, gain
 * and offset from the records, mismatch included).
 */
export function fillGrid(inst: Instance<PbitKernel>, plan: GridPlan, m: PbitMapping): void {
  const k = inst.exports;
  const { width: W, height: H, tiles: T, dx, dy } = plan;
  const nOff = dx.length;
  const Wc = W / 2;
  const Wp = k.gridPaddedColumns();
  const S = k.gridRowStride();
  const R = k.gridBlockRows();
  const esz = plan.float ? 8 : 1;
  const cells = 2 * T * H * nOff * Wp;
  const weights = plan.float ? inst.view(Float64Array, k.ptrGridFloatWeights(), cells) : inst.view(Int8Array, k.ptrGridWeights(), cells);
  const slotIndex = (a: ReturnType<typeof at>, o: number) => (((a.c * T + a.t) * H + a.y) * nOff + o) * Wp + (a.x >> 1);
  const { ei, ej } = m.model;
  for (let e = 0; e < ei.length; e++) {
    const v = plan.float ? m.weight(e) : Math.round(m.weight(e) / m.accLsb);
    weights[slotIndex(at(plan, ei[e]), slotOf(plan, ei[e], ej[e]))] = v;
    weights[slotIndex(at(plan, ej[e]), slotOf(plan, ej[e], ei[e]))] = v;
  }
  if (!plan.float) {
    const bias = inst.view(Int16Array, k.ptrGridBias(), 2 * T * H * Wp);
    for (let i = 0; i < m.n; i++) {
      const a = at(plan, i);
      bias[((a.c * T + a.t) * H + a.y) * Wp + (a.x >> 1)] = Math.round(m.h[i] / m.accLsb);
    }
  }
  const delta = inst.view(Int32Array, k.ptrGridDelta(), 4 * nOff);
  for (const c of [0, 1]) {
    for (const p of [0, 1]) {
      for (let o = 0; o < nOff; o++) delta[(c * 2 + p) * nOff + o] = (1 - 2 * c) * T * R * S + dy[o] * S + Math.floor((p + dx[o]) / 2) * esz;
    }
  }
  if (plan.float) k.gridFloatFromRecords();
  // Every slot that reaches a neighbour must land on that neighbour's cell of the other class (on a
  // torus through the halo copies, which repeat the grid modulo its sides). Off-grid slots of an
  // open grid fall in the halos, which hold 0, and carry weight 0 anyway.
  for (let i = 0; i < m.n; i++) {
    const a = at(plan, i);
    const p = (a.y + a.c) & 1;
    for (let o = 0; o < nOff; o++) {
      let nx = a.x + dx[o];
      let ny = a.y + dy[o];
      let y = ny;
      let j = (a.x >> 1) + Math.floor((p + dx[o]) / 2);
      if (plan.wrap) (nx = wrapped(nx, W), ny = wrapped(ny, H), y = wrapped(y, H), j = wrapped(j, Wc));
      else if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
      if (y !== ny || j !== nx >> 1 || ((nx + ny) & 1) !== 1 - a.c) throw new Error(`grid layout: p-bit ${i} slot ${o} does not land on its neighbour`);
    }
  }
}
