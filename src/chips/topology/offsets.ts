/**
 * Named offset sets for grid topologies. Each offset (dx, dy) stands for its
 * four 90-degree rotations, i.e. four neighbours per offset.
 */
export interface OffsetSet {
  offsets: [number, number][];
  source: string;
}

const DTM_SRC = "Extropic DTM, arXiv 2510.23972 (G12 in the main text; G16/G20 offsets from a public replication)";

export const OFFSET_SETS: Record<string, OffsetSet> = {
  square: { offsets: [[0, 1]], source: "square lattice, 4 neighbours" },
  king: { offsets: [[0, 1], [1, 1]], source: "king's graph, 8 neighbours" },
  G8: { offsets: [[0, 1], [4, 1]], source: DTM_SRC },
  G12: { offsets: [[0, 1], [4, 1], [9, 10]], source: DTM_SRC },
  G16: { offsets: [[0, 1], [4, 1], [9, 10], [11, 14]], source: DTM_SRC },
  G20: { offsets: [[0, 1], [4, 1], [9, 10], [11, 14], [23, 6]], source: DTM_SRC },
  Z1: { offsets: [[1, 0], [2, 1], [2, 3], [4, 1]], source: "Extropic Z1 (third-party summaries, claimed): degree-16 grid" },
};

/** The four rotations of every offset, deduplicated, as (dx, dy) pairs. */
export function orientedOffsets(base: [number, number][]): [number, number][] {
  const seen = new Set<string>();
  const out: [number, number][] = [];
  for (const [a, b] of base) {
    for (const [dx, dy] of [[a, b], [-b, a], [-a, -b], [b, -a]] as [number, number][]) {
      const key = `${dx},${dy}`;
      if (!seen.has(key) && !(dx === 0 && dy === 0)) {
        seen.add(key);
        out.push([dx, dy]);
      }
    }
  }
  return out;
}
