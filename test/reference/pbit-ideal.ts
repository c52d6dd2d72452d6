/**
 * An independent reference for the ideal p-bit chip under the chromatic
 * schedule, written from its definition, not from the kernel: per chain a
 * xoshiro128** stream seeded from splitmix64(seed ^ 0x5bd1e9955bd1e995) +
 * chain x golden ratio gives the power-up state (its words' top bits); the
 * updates draw from eight xoshiro128** generators, generator q seeded from
 * base + q x 0xd1b54a32d192ed03 (base = splitmix64(seed ^ 0x6a09e667f3bcc909)
 * + chain x golden ratio), word k of the chain from generator k mod 8; then
 * per sweep, per colour class, one 32-bit word per member in class order and
 * the rule s = +1 iff r < floor(2^32 sigmoid(2 x) + 1/2), x = gain (h + sum J s)
 * in chip units, Math.exp in every decision. Sums follow the kernel's stated
 * order (neighbour lists in edge order, groups of four added pairwise), so
 * the draws equal the kernel's bit for bit.
 */
import type { PbitMapping } from "../../src/mapping/pbit.js";

import { M64, splitmix64, xoshiro128ss as xoshiro } from "./xoshiro.js";

/** Word k from generator k mod 8 of eight seeded from base + q x 0xd1b54a32d192ed03. */
export function xoshiro8(seed: number, chain: number): () => number {
  const base = (splitmix64(BigInt(seed) ^ 0x6a09e667f3bcc909n) + BigInt(chain) * 0x9e3779b97f4a7c15n) & M64;
  const gens = Array.from({ length: 8 }, (_, q) => xoshiro((base + BigInt(q) * 0xd1b54a32d192ed03n) & M64));
  let k = 0;
  return () => gens[k++ % 8]();
}

/** Samples (rows of +-1, every `thin` sweeps after `burnIn`) of chain `chain`. */
export function referenceIdealChain(m: PbitMapping, seed: number, chain: number, burnIn: number, samples: number, thin: number): Int8Array[] {
  const n = m.n;
  const next = xoshiro((splitmix64(BigInt(seed) ^ 0x5bd1e9955bd1e995n) + BigInt(chain) * 0x9e3779b97f4a7c15n) & M64);
  const s = Int8Array.from({ length: n }, () => (next() >>> 31 !== 0 ? 1 : -1));
  const draw = xoshiro8(seed, chain);
  const rows: [number, number][][] = Array.from({ length: n }, () => []);
  for (let k = 0; k < m.model.ei.length; k++) {
    rows[m.model.ei[k]].push([m.model.ej[k], m.weight(k)]);
    rows[m.model.ej[k]].push([m.model.ei[k], m.weight(k)]);
  }
  const field = (i: number) => {
    let acc = m.h[i];
    const r = rows[i];
    for (let g = 0; g < r.length; g += 4) {
      const p = [0, 1, 2, 3].map((q) => (g + q < r.length ? r[g + q][1] * s[r[g + q][0]] : 0 * s[i]));
      acc += (p[0] + p[1]) + (p[2] + p[3]);
    }
    return acc * m.gain;
  };
  const classes: number[][] = Array.from({ length: m.classes }, () => []);
  for (let i = 0; i < n; i++) classes[m.colour[i]].push(i);
  const out: Int8Array[] = [];
  for (let sweep = 1; sweep <= burnIn + samples * thin; sweep++) {
    for (const members of classes) {
      const words = members.map(() => draw());
      members.forEach((i, k) => {
        const p = 1 / (1 + Math.exp(-2 * field(i)));
        s[i] = words[k] < Math.floor(p * 2 ** 32 + 0.5) ? 1 : -1;
      });
    }
    if (sweep > burnIn && (sweep - burnIn) % thin === 0) out.push(s.slice());
  }
  return out;
}
