/**
 * Digital platform models, recomputed by hand from the measured table
 * (circuits/platforms/gpu-thrml-h100.yaml, copied from
 * ../shared/reference/gpu-baseline-h100.json) and the lattice record.
 */
import { describe, expect, test } from "vitest";
import { gpuLatticeEstimate, gpuScaledEstimate, gpuThrmlAtBatch, gpuThrmlEstimate, isRegular } from "../src/energy/platforms.js";

describe("GPU (thrml block Gibbs on one H100, measured), at its best operating point", () => {
  test("priced at the size class's cheapest measured batch (n = 4900: batch 1024, 1.378e-8 J/update, 23.97 updates/ns), whatever the job's chains", () => {
    const e = gpuThrmlEstimate(1e9, 4900);
    expect(e.energy_J).toBeCloseTo(1e9 * 1.378e-8, 9);
    expect(e.energy_per_update_J).toBe(1.378e-8);
    expect(e.seconds).toBeCloseTo(1e9 / (23.97 * 1e9), 12);
    expect(e.energy_above_idle_J).toBeCloseTo(1e9 * 8.494e-9, 9);
    expect(e.basis).toMatch(/cheapest measured batch, 1024 chains in parallel, of the n = 4900 table/);
  });
  test("another size uses the nearest table's cheapest batch and says so (n = 65536: batch 64, 1.922e-8)", () => {
    const big = gpuThrmlEstimate(1e6, 40000);
    expect(big.energy_J).toBeCloseTo(1e6 * 1.922e-8, 9);
    expect(big.basis).toMatch(/batch, 64 chains in parallel, of the n = 65536 table \(this model has n = 40000\)/);
  });
  test("at a stated batch (for showing the batch dependence): interpolated in log(batch) (batch 8 between 1 and 64, by hand), held beyond the ends", () => {
    const t = Math.log(8) / Math.log(64); // = 0.5
    const rate = Math.exp(Math.log(0.2919) + t * (Math.log(9.017) - Math.log(0.2919)));
    const j = Math.exp(Math.log(4.593e-7) + t * (Math.log(1.994e-8) - Math.log(4.593e-7)));
    const e = gpuThrmlAtBatch(1e6, 4900, 8);
    expect(e.seconds / (1e6 / (rate * 1e9)) - 1).toBeCloseTo(0, 12);
    expect(e.energy_J / (1e6 * j) - 1).toBeCloseTo(0, 12);
    expect(gpuThrmlAtBatch(1e6, 4900, 1e6).energy_J).toBeCloseTo(1e6 * 1.7e-8, 9);
  });
});

describe("GPU for continuous samplers (derived per flop)", () => {
  test("28 flops are one measured update: 2.8e10 flops cost what 1e9 updates do at the cheapest batch, and the basis says it is derived", () => {
    const e = gpuScaledEstimate(2.8e10, 4900, 5e8);
    expect(e.energy_J).toBeCloseTo(1e9 * 1.378e-8, 9);
    expect(e.seconds).toBeCloseTo(1e9 / (23.97 * 1e9), 12);
    expect(e.energy_per_update_J).toBeCloseTo(2 * 1.378e-8, 20);
    expect(e.energy_model).toBe("gpu-thrml-h100");
    expect(e.basis).toMatch(/^derived: 2\.800e\+10 flops as 1\.000e\+9 update-equivalents \(28 flops each/);
  });
});

describe("GPU lattice record", () => {
  test("1,277 updates/ns and 0.55 nJ/update, for regular graphs only", () => {
    const e = gpuLatticeEstimate(1277e9);
    expect(e.seconds).toBeCloseTo(1, 12);
    expect(e.energy_J).toBeCloseTo(1277e9 * 5.5e-10, 6);
    expect(isRegular(4, Int32Array.of(0, 1, 2, 0), Int32Array.of(1, 2, 3, 3))).toBe(true); // a ring
    expect(isRegular(3, Int32Array.of(0, 1), Int32Array.of(1, 2))).toBe(false); // a path
  });
});
