/**
 * An independent, deliberately plain reference for the spin baselines:
 * systematic-scan Gibbs and Metropolis written from the textbook, with the
 * local field recomputed from scratch at every update and Math.exp in every
 * decision, on the same random stream as the kernel (splitmix64 seeding,
 * xoshiro128**, one 32-bit word per site per sweep, u = (w + 1/2) 2^-32).
 * Its draws equal the kernel's bit for bit unless a field's rounding differs
 * within ~1e-16 of a decision threshold, which these tests never meet.
 */
import type { IsingModel } from "../../src/models/ising.js";

import { M64, splitmix64, xoshiro128ss } from "./xoshiro.js";

export function referenceSpinChain(m: IsingModel, algo: "gibbs" | "metropolis", seed: number, chain: number, sweeps: number): Int8Array[] {
  const n = m.n;
  const start = (splitmix64(BigInt(seed) ^ 0x2545f4914f6cdd1dn) + BigInt(chain) * 0x9e3779b97f4a7c15n) & M64;
  const rng = { next: xoshiro128ss(start) };
  const s = Int8Array.from({ length: n }, () => (rng.next() >>> 31 !== 0 ? 1 : -1));
  const nbrs: [number, number][][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < m.ei.length; k++) {
    nbrs[m.ei[k]].push([m.ej[k], m.ew[k]]);
    nbrs[m.ej[k]].push([m.ei[k], m.ew[k]]);
  }
  const field = (i: number) => m.beta * (m.h[i] + nbrs[i].reduce((a, [j, w]) => a + w * s[j], 0));
  const out: Int8Array[] = [];
  for (let t = 0; t < sweeps; t++) {
    const words = Array.from({ length: n }, () => rng.next());
    for (let i = 0; i < n; i++) {
      const u = (words[i] + 0.5) * 2 ** -32;
      if (algo === "gibbs") s[i] = u < 1 / (1 + Math.exp(-2 * field(i))) ? 1 : -1;
      else {
        const dE = 2 * s[i] * field(i);
        if (dE <= 0 || u < Math.exp(-dE)) s[i] = -s[i] as -1 | 1;
      }
    }
    out.push(s.slice());
  }
  return out;
}
