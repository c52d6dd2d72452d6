/**
 * RBM training throughput: one CD-1 epoch of a 784 x 64 RBM over the 10,000
 * MNIST digits of the `mnist` package (mini-batches of 100) on the RBM kernel,
 * against the bound (10 s), and as a ratio to a plain TypeScript CD-1
 * of the same algorithm run in the same process on 1,000 digits (the machine
 * is shared: ratios are what to compare across runs).
 */
import { loadMnist } from "../src/train/mnist.js";
import { RbmMachine, logOdds, type BinaryData } from "../src/train/rbm.js";
import { Random } from "../src/util/random.js";

/** The same CD-1 step in plain TypeScript (float64, one row at a time), for the ratio. */
function plainEpoch(d: BinaryData, nh: number, rows: number): number {
  const nv = d.nv;
  const r = new Random(1);
  const W = Float64Array.from({ length: nv * nh }, () => 0.01 * r.normal());
  const b = logOdds(d);
  const c = new Float64Array(nh);
  const gW = new Float64Array(nv * nh);
  const ph = new Float64Array(nh);
  const h = new Uint8Array(nh);
  const v1 = new Uint8Array(nv);
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const t0 = performance.now();
  for (let s = 0; s < rows; s += 100) {
    gW.fill(0);
    for (let q = s; q < Math.min(rows, s + 100); q++) {
      const v0 = d.x.subarray(q * nv, (q + 1) * nv);
      const up = (v: Uint8Array, sign: number, sample: boolean) => {
        ph.set(c);
        for (let i = 0; i < nv; i++) if (v[i]) for (let j = 0; j < nh; j++) ph[j] += W[i * nh + j];
        for (let j = 0; j < nh; j++) {
          ph[j] = sig(ph[j]);
          if (sample) h[j] = r.uniform() < ph[j] ? 1 : 0;
        }
        for (let i = 0; i < nv; i++) if (v[i]) for (let j = 0; j < nh; j++) gW[i * nh + j] += sign * ph[j];
      };
      up(v0, 1, true);
      for (let i = 0; i < nv; i++) {
        let a = b[i];
        for (let j = 0; j < nh; j++) if (h[j]) a += W[i * nh + j];
        v1[i] = r.uniform() < sig(a) ? 1 : 0;
      }
      up(v1, -1, false);
    }
    for (let q = 0; q < W.length; q++) W[q] += 0.05 * gW[q] / 100;
  }
  return (performance.now() - t0) / 1000;
}

export function run(): void {
  const m = loadMnist("sample");
  const rbm = new RbmMachine(784, 64, 100);
  rbm.init(m.all, 1);
  const o = { method: "cd" as const, k: 1, batch: 100, lr: () => 0.05, momentum: () => 0.5, weightDecay: 2e-4 };
  const epochs = [0, 1].map((e) => rbm.epoch(m.all, o, e).seconds);
  const plain = plainEpoch(m.all, 64, 1000) * 10;
  const best = Math.min(...epochs);
  console.log(`CD-1 epoch, 784 x 64, 10,000 digits, batch 100: ${epochs.map((s) => s.toFixed(2) + " s").join(", ")} (bound 10 s: ${best < 10 ? "met" : "NOT met"})`);
  console.log(`plain TypeScript CD-1 of the same algorithm (1,000 digits, x 10): ${plain.toFixed(2)} s per epoch; kernel / plain = ${(best / plain).toFixed(3)}`);
}
