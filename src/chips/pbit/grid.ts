/**
 * The grid path of the p-bit kernel (assembly/pbit/stencil.ts): when a model
 * fills an offset-grid chip (every p-bit active, identity placement, the
 * checkerboard colouring, 8-bit weight codes on the integer path, chromatic
 * schedule, nothing clamped), the kernel lays the chip out as the grid is and
 * recomputes fields with SIMD instead of following neighbour lists. Chosen
 * from the mapping; the samples and counts are bit-identical to the general
 * path's (test/pbit-grid.test.ts), only the time differs.
 */
import type { PbitMapping } from "../../mapping/pbit.js";
import type { Schedule } from "./spec.js";
import type { PbitKernel } from "../../wasm/pbit-kernel.js";
import type { Instance } from "../../wasm/load.js";

export interface GridPlan {
  width: number;
  height: number;
  tiles: number;
  wrap: boolean;
  dx: Int32Array;
  dy: Int32Array;
  haloRows: number;
  haloCols: number;
}

/** Which kernel path a run takes, and why not the grid path (for the mapping report). */
export function gridPlan(m: PbitMapping, schedule: Schedule, clamped?: Int32Array): { plan?: GridPlan; why: string } {
  const g = m.topology.grid;
  if (!g) return { why: "the topology is not a grid" };
  if (schedule !== "chromatic") return { why: `the ${schedule} schedule runs on neighbour lists` };
  if (clamped && clamped.length > 0) return { why: "clamped p-bits are left out of the class lists" };
  if (m.evaluator !== "code-lut" || m.codeBytes !== 1) return { why: "the grid path needs 8-bit weight codes on the integer path" };
  if (m.n !== m.topology.size) return { why: "the model does not fill the chip" };
  if (g.width % 2 !== 0) return { why: "the grid's width is odd" };
  if (m.classes !== 2) return { why: "not the checkerboard colouring" };
  for (let i = 0; i < m.n; i++) {
    const q = i % (g.width * g.height);
    if (m.phys[i] !== i || m.colour[i] !== (((q % g.width) + Math.floor(q / g.width)) & 1)) return { why: "not identity placement with the checkerboard colouring" };
  }
  // Fields are summed in 16-bit lanes: the largest possible |field| must fit.
  const worst = Float64Array.from(m.h, (h) => Math.abs(Math.round(h / m.accLsb)));
  for (let k = 0; k < m.model.ei.length; k++) {
    const a = Math.abs(Math.round(m.weight(k) / m.accLsb));
    worst[m.model.ei[k]] += a;
    worst[m.model.ej[k]] += a;
  }
  if (worst.some((v) => v > 32767)) return { why: "a field can exceed 16 bits" };
  let haloRows = 0;
  let haloCols = 0;
  for (let o = 0; o < g.dx.length; o++) {
    haloRows = Math.max(haloRows, Math.abs(g.dy[o]));
    for (const p of [0, 1]) haloCols = Math.max(haloCols, Math.abs(Math.floor((p + g.dx[o]) / 2)));
  }
  return { plan: { ...g, haloRows, haloCols }, why: "grid layout" };
}

export function allocateGrid(k: PbitKernel, plan: GridPlan): void {
  k.gridAllocate(plan.width, plan.height, plan.tiles, plan.wrap ? 1 : 0, plan.dx.length, plan.haloRows, plan.haloCols);
}

/** Weight codes, bias codes and neighbour deltas into the kernel's grid layout (after every allocation). */
export function fillGrid(inst: Instance<PbitKernel>, plan: GridPlan, m: PbitMapping): void {
  const k = inst.exports;
  const { width: W, height: H, tiles: T, dx, dy } = plan;
  const nOff = dx.length;
  const Wc = W / 2;
  const Wp = k.gridPaddedColumns();
  const S = k.gridRowStride();
  const R = k.gridBlockRows();
  const perTile = W * H;
  const at = (i: number) => {
    const t = Math.floor(i / perTile);
    const q = i - t * perTile;
    const x = q % W;
    const y = (q - x) / W;
    return { t, x, y, c: (x + y) & 1 };
  };
  const weights = inst.view(Int8Array, k.ptrGridWeights(), 2 * T * H * nOff * Wp);
  const bias = inst.view(Int16Array, k.ptrGridBias(), 2 * T * H * Wp);
  const delta = inst.view(Int32Array, k.ptrGridDelta(), 4 * nOff);
  const wrapped = (v: number, n: number) => ((v % n) + n) % n;
  // The slot of p-bit a's neighbour b: the first offset that reaches it (small tori reach some twice; the other slot keeps 0).
  const slot = (a: ReturnType<typeof at>, b: ReturnType<typeof at>) => {
    for (let o = 0; o < nOff; o++) {
      let nx = a.x + dx[o];
      let ny = a.y + dy[o];
      if (plan.wrap) (nx = wrapped(nx, W), ny = wrapped(ny, H));
      if (nx === b.x && ny === b.y) return o;
    }
    throw new Error(`grid layout: no offset joins (${a.x}, ${a.y}) to (${b.x}, ${b.y})`);
  };
  const { ei, ej } = m.model;
  for (let e = 0; e < ei.length; e++) {
    const code = Math.round(m.weight(e) / m.accLsb);
    const a = at(ei[e]);
    const b = at(ej[e]);
    weights[(((a.c * T + a.t) * H + a.y) * nOff + slot(a, b)) * Wp + (a.x >> 1)] = code;
    weights[(((b.c * T + b.t) * H + b.y) * nOff + slot(b, a)) * Wp + (b.x >> 1)] = code;
  }
  for (let i = 0; i < m.n; i++) {
    const a = at(i);
    bias[((a.c * T + a.t) * H + a.y) * Wp + (a.x >> 1)] = Math.round(m.h[i] / m.accLsb);
  }
  for (const c of [0, 1]) {
    for (const p of [0, 1]) {
      for (let o = 0; o < nOff; o++) delta[(c * 2 + p) * nOff + o] = (1 - 2 * c) * T * R * S + dy[o] * S + Math.floor((p + dx[o]) / 2);
    }
  }
  // Every slot that reaches a neighbour must land on that neighbour's cell of the other class (on a
  // torus through the halo copies, which repeat the grid modulo its sides). Off-grid slots of an
  // open grid fall in the halos, which hold 0, and carry weight 0 anyway.
  for (let i = 0; i < m.n; i++) {
    const a = at(i);
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
