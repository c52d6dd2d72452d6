/**
 * Grid of width x height p-bits (optionally wrapped into a torus, optionally
 * repeated as `tiles` independent cores), each coupled to the p-bits at a set
 * of offsets and their rotations: the DTM G8..G20 grids, Z1's degree-16 grid,
 * the square lattice and the king's graph. P-bit index = tile*W*H + y*W + x.
 */
import type { Reader } from "../../spec/reader.js";
import type { Topology, TopologyImpl, TopologySpec } from "./types.js";
import { OFFSET_SETS, orientedOffsets } from "./offsets.js";

class OffsetGrid implements Topology {
  readonly size: number;
  readonly maxDegree: number;
  readonly naturalColouring?: { classes: number; colour(p: number): number };
  readonly grid: { width: number; height: number; wrap: boolean; tiles: number; dx: Int32Array; dy: Int32Array };
  private readonly oriented: [number, number][];
  private readonly dx: Int32Array;
  private readonly dy: Int32Array;
  private readonly perTile: number;
  private torusDegree?: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly wrap: boolean,
    readonly tiles: number,
    readonly offsetName: string,
    base: [number, number][],
  ) {
    this.oriented = orientedOffsets(base);
    this.dx = Int32Array.from(this.oriented, (o) => o[0]);
    this.dy = Int32Array.from(this.oriented, (o) => o[1]);
    this.perTile = width * height;
    this.size = this.perTile * tiles;
    let d = 0;
    // The degree is largest away from the edges (or everywhere on a torus).
    for (let p = 0; p < Math.min(this.perTile, 4096); p++) d = Math.max(d, this.degree(p));
    if (!wrap) d = Math.max(d, this.degree(Math.floor(height / 2) * width + Math.floor(width / 2)));
    this.maxDegree = d;
    if (this.bipartite()) this.naturalColouring = { classes: 2, colour: (p) => this.checker(p) };
    this.grid = { width, height, wrap, tiles, dx: this.dx, dy: this.dy };
  }

  private checker(p: number): number {
    const q = p % this.perTile;
    return ((q % this.width) + Math.floor(q / this.width)) & 1;
  }

  /** (x+y) mod 2 is proper iff every offset has odd dx+dy and wrapping keeps parity. */
  private bipartite(): boolean {
    const oddOffsets = this.oriented.every(([dx, dy]) => ((dx + dy) & 1) === 1);
    return oddOffsets && (!this.wrap || (this.width % 2 === 0 && this.height % 2 === 0));
  }

  neighbours(p: number): number[] {
    const buf = new Int32Array(this.dx.length);
    return Array.from(buf.subarray(0, this.neighboursInto(p, buf)));
  }

  // Index loops over flat offset arrays: these run millions of times on big
  // chips, and iterator/destructuring garbage grows V8's young generation.
  neighboursInto(p: number, out: Int32Array): number {
    const tile = Math.floor(p / this.perTile);
    const q = p - tile * this.perTile;
    const x = q % this.width;
    const y = (q - x) / this.width;
    let m = 0;
    for (let k = 0; k < this.dx.length; k++) {
      let nx = x + this.dx[k];
      let ny = y + this.dy[k];
      if (this.wrap) {
        nx = ((nx % this.width) + this.width) % this.width;
        ny = ((ny % this.height) + this.height) % this.height;
      } else if (nx < 0 || ny < 0 || nx >= this.width || ny >= this.height) continue;
      const r = tile * this.perTile + ny * this.width + nx;
      // Small tori can wrap an offset onto the p-bit itself or onto another offset.
      if (r === p) continue;
      let seen = false;
      if (this.wrap) for (let j = 0; j < m && !seen; j++) seen = out[j] === r;
      if (!seen) out[m++] = r;
    }
    return m;
  }

  // On a torus every p-bit has the same neighbourhood (translation symmetry);
  // on an open grid the rotated offsets are distinct, so in-bounds ones count.
  degree(p: number): number {
    if (this.wrap) return (this.torusDegree ??= this.neighbours(0).length);
    const q = p % this.perTile;
    const x = q % this.width;
    const y = (q - x) / this.width;
    let d = 0;
    for (let k = 0; k < this.dx.length; k++) {
      const nx = x + this.dx[k];
      const ny = y + this.dy[k];
      if (nx >= 0 && ny >= 0 && nx < this.width && ny < this.height) d++;
    }
    return d;
  }

  hasEdge(p: number, q: number): boolean {
    if (p < 0 || q < 0 || p >= this.size || q >= this.size || p === q) return false;
    const tile = Math.floor(p / this.perTile);
    if (Math.floor(q / this.perTile) !== tile) return false;
    const a = p - tile * this.perTile;
    const b = q - tile * this.perTile;
    const ax = a % this.width;
    const ay = (a - ax) / this.width;
    const bx = b % this.width;
    const by = (b - bx) / this.width;
    for (let k = 0; k < this.dx.length; k++) {
      let nx = ax + this.dx[k];
      let ny = ay + this.dy[k];
      if (this.wrap) {
        nx = ((nx % this.width) + this.width) % this.width;
        ny = ((ny % this.height) + this.height) % this.height;
      }
      if (nx === bx && ny === by) return true;
    }
    return false;
  }

  describe(): string {
    const shape = `${this.width}x${this.height} ${this.wrap ? "torus" : "grid"}`;
    return `offset-grid ${this.tiles > 1 ? `${this.tiles} tiles of ` : ""}${shape}, offsets ${this.offsetName}, degree ${this.maxDegree}`;
  }
}

export const offsetGrid: TopologyImpl = {
  impl: "offset-grid",
  read(r: Reader): TopologySpec {
    const width = r.int("width", { min: 1 });
    const height = r.int("height", { min: 1 });
    const wrap = r.bool("wrap", false);
    const tiles = r.int("tiles", { min: 1 }, 1);
    const raw = r.raw("offsets");
    let name: string;
    let base: [number, number][];
    if (raw === "G24") {
      r.fail("offsets", "G24's sixth offset is not in our sources (they give G8..G20); write the offsets as a list of [dx, dy]");
    }
    if (typeof raw === "string") {
      const set = OFFSET_SETS[raw];
      if (!set) r.fail("offsets", `unknown offset set ${JSON.stringify(raw)} (known: ${Object.keys(OFFSET_SETS).join(", ")}; or give a list of [dx, dy])`);
      name = raw;
      base = set.offsets;
    } else if (Array.isArray(raw) && raw.length > 0) {
      base = raw.map((o, k) => {
        if (!Array.isArray(o) || o.length !== 2 || !o.every((v) => Number.isInteger(v))) {
          r.fail("offsets", `entry ${k} must be a pair of whole numbers [dx, dy]`);
        }
        if (o[0] === 0 && o[1] === 0) r.fail("offsets", `entry ${k} is (0, 0), a self-coupling`);
        return [o[0], o[1]] as [number, number];
      });
      name = JSON.stringify(base);
    } else {
      r.fail("offsets", "is required: a named set (G8, G12, G16, G20, Z1, square, king) or a list of [dx, dy]");
    }
    if (width * height * tiles > 50_000_000) r.fail(undefined, `${width}x${height}x${tiles} p-bits is beyond what this simulator handles (50M)`);
    const grid = new OffsetGrid(width, height, wrap, tiles, name, base);
    return {
      impl: "offset-grid",
      resolved: () => ({ impl: "offset-grid", width, height, wrap, tiles, offsets: typeof raw === "string" ? raw : base }),
      build: () => grid,
    };
  },
};
