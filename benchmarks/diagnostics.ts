/**
 * Diagnostics speed (issue 7's targets): every diagnostic of 4 chains x
 * 250,000 draws under 1 s, at three mixing speeds; best of 3 after a warm-up.
 */
import { diagnoseScalar } from "../src/metrics/diagnostics.js";
import { Random } from "../src/util/random.js";

function ar1(chains: number, draws: number, a: number, seed: number): Float64Array[] {
  const r = new Random(seed);
  return Array.from({ length: chains }, () => {
    const x = new Float64Array(draws);
    let v = r.normal();
    for (let i = 0; i < draws; i++) x[i] = v = a * v + Math.sqrt(1 - a * a) * r.normal();
    return x;
  });
}

export function run(): void {
  diagnoseScalar(ar1(4, 20_000, 0.5, 1));
  for (const a of [0, 0.9, 0.99]) {
    const chains = ar1(4, 250_000, a, 2);
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      diagnoseScalar(chains);
      best = Math.min(best, performance.now() - t0);
    }
    console.log(`AR(1) a=${a}: 4 x 250,000 draws, all diagnostics in ${best.toFixed(0)} ms (target < 1000 ms) ${best < 1000 ? "ok" : "SLOW"}`);
  }
}
