/**
 * Counting past 2^31 and bounded memory: the chain plan splits runs into
 * kernel calls that never exceed 32-bit counts or the output buffer, the
 * split changes no result, and planned kernel memory bounds the real one.
 */
import { describe, expect, test } from "vitest";
import { MAX_SWEEPS_PER_CALL, runChain, type ChainKernel } from "../src/chips/chains.js";
import { planPbitBytes, runPbit } from "../src/chips/pbit/driver.js";
import { planLangevinBytes, runLangevin } from "../src/chips/langevin/driver.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { mapGaussian } from "../src/mapping/langevin.js";
import { randomGraphModel } from "../src/models/generate.js";
import { planRun, type Job } from "../src/run/sample.js";
import { finiteJson } from "../src/report/json.js";
import { InputError } from "../src/errors.js";
import { analogChip, chip, ising, randomSpd } from "./helpers.js";

/** A kernel that only records the calls made to it. */
function fakeKernel() {
  const calls: { sweeps: number; thin: number; record: boolean }[] = [];
  const k: ChainKernel = {
    run: (sweeps, thin, record) => calls.push({ sweeps, thin, record }),
    rows: (count) => new Int8Array(count),
  };
  return { k, calls };
}

describe("the chain plan", () => {
  test("a 10^12-sweep burn-in and thin 10^9 run in calls of at most 2^30 sweeps, every sweep counted", () => {
    const { k, calls } = fakeKernel();
    const rows: number[] = [];
    runChain(k, { chains: 1, samples: 3, burnIn: 1e12, thin: 1e9, seed: 1 }, 1000, (first, count) => {
      for (let r = 0; r < count; r++) rows.push(first + r);
    });
    expect(Math.max(...calls.map((c) => c.sweeps))).toBeLessThanOrEqual(MAX_SWEEPS_PER_CALL);
    expect(calls.reduce((a, c) => a + c.sweeps, 0)).toBe(1e12 + 3 * 1e9);
    expect(rows).toEqual([0, 1, 2]);
    // Recording calls record exactly one row each (sweeps / thin).
    for (const c of calls.filter((c) => c.record)) expect(c.sweeps / c.thin).toBe(1);
  });

  test("thin beyond one call: skip thin - 1 sweeps in pieces, then record one", () => {
    const { k, calls } = fakeKernel();
    runChain(k, { chains: 1, samples: 2, burnIn: 0, thin: 3e9, seed: 1, maxSweepsPerCall: 2 ** 30 }, 10, () => {});
    expect(calls.reduce((a, c) => a + c.sweeps, 0)).toBe(6e9);
    expect(calls.filter((c) => c.record)).toHaveLength(2);
    expect(Math.max(...calls.map((c) => c.sweeps))).toBeLessThanOrEqual(2 ** 30);
  });

  test("rows go out in buffers of at most bufferRows", () => {
    const { k, calls } = fakeKernel();
    let emitted = 0;
    runChain(k, { chains: 1, samples: 1000, burnIn: 5, thin: 3, seed: 1 }, 64, (_first, count) => {
      expect(count).toBeLessThanOrEqual(64);
      emitted += count;
    });
    expect(emitted).toBe(1000);
    expect(calls.filter((c) => c.record).every((c) => c.sweeps / c.thin <= 64)).toBe(true);
  });
});

describe("splitting a run into kernel calls changes nothing", () => {
  const opts = { chains: 3, samples: 40, burnIn: 23, thin: 3, seed: 9 };
  const small = { maxSweepsPerCall: 7, bufferRows: 5 };

  for (const name of ["dtm-2025", "pcomputer-fpga", "smtj"]) {
    test(`${name}: same samples, counts and chip time`, () => {
      const spec = chip(name);
      const model = name === "dtm-2025" ? { ...randomGraphModel(6, 0, { jStd: 0, hStd: 0.5, beta: 1, seed: 2 }) } : randomGraphModel(10, 0.3, { jStd: 0.6, hStd: 0.4, beta: 1, seed: 2 });
      for (const schedule of name === "smtj" ? (["chromatic", "async"] as const) : (["chromatic", "synchronous"] as const)) {
        const m = mapIsing(model, "m.json", spec, schedule);
        const whole = runPbit(spec, m, { ...opts, schedule });
        const split = runPbit(spec, m, { ...opts, schedule, ...small });
        expect(Buffer.from(split.samples).equals(Buffer.from(whole.samples)), schedule).toBe(true);
        expect(split.counts).toEqual(whole.counts);
        expect(split.chainSeconds).toEqual(whole.chainSeconds);
      }
    });
  }

  test("rc-langevin (exact OU) and Euler-Maruyama: same samples and chip time", () => {
    const model = randomSpd(4, 1, 4, 8);
    for (const over of [{}, { integrator: { impl: "euler-maruyama" }, readout: { interval: "100 ns" } }]) {
      const spec = analogChip("rc-langevin", over);
      const m = mapGaussian(model, "g.json", spec, 1);
      const whole = runLangevin(spec, m, opts);
      const split = runLangevin(spec, m, { ...opts, ...small });
      expect(Buffer.from(split.samples.buffer).equals(Buffer.from(whole.samples.buffer))).toBe(true);
      expect(split.chainSeconds).toEqual(whole.chainSeconds);
      expect(split.counts.adc_conversions).toBe(whole.counts.adc_conversions);
    }
  });
});

/** A ring of n spins (fan-in 2: fits the FPGA fabric). */
const ring = (n: number) => ising(n, Array.from({ length: n }, (_, i) => [i, (i + 1) % n, 0.3] as [number, number, number]), new Array(n).fill(0.1));

describe("memory is planned before it is taken", () => {
  test("planned kernel bytes bound the real kernel memory, within 2 MiB", () => {
    const cases: [string, ReturnType<typeof randomGraphModel>][] = [
      ["ideal", randomGraphModel(2000, 0.005, { jStd: 0.3, hStd: 0.1, beta: 1, seed: 1 })],
      ["pcomputer-fpga", ring(3000)],
      ["smtj", ring(3000)],
    ];
    for (const [name, model] of cases) {
      const spec = chip(name);
      const schedule = name === "smtj" ? "async" : "chromatic";
      const m = mapIsing(model, "m.json", spec, schedule);
      const bufferRows = 1000;
      const run = runPbit(spec, m, { chains: 1, samples: 10, burnIn: 1, thin: 1, seed: 1, schedule, bufferRows });
      const planned = planPbitBytes(spec, m, schedule, bufferRows);
      // Linear memory comes in 64 KiB pages; the plan adds block headers.
      expect(planned, name).toBeGreaterThanOrEqual(run.kernelBytes - 65536);
      expect(planned - run.kernelBytes, name).toBeLessThan(2 * 2 ** 20);
    }
    const spec = analogChip("rc-langevin");
    const m = mapGaussian(randomSpd(64, 1, 4, 3), "g.json", spec, 1);
    const run = runLangevin(spec, m, { chains: 1, samples: 10, burnIn: 1, thin: 1, seed: 1, bufferRows: 1000 });
    const planned = planLangevinBytes(m, 1000);
    expect(planned).toBeGreaterThanOrEqual(run.kernelBytes - 65536);
    expect(planned - run.kernelBytes).toBeLessThan(2 * 2 ** 20);
  });

  const fakeJob = (kernelBytes: number, countsPerSweep = 10): Job =>
    ({ model: { n: 4 }, system: { file: "chip.yaml", name: "fake", kind: "chip", family: "pbit", energy: "ideal" }, dtype: "int8", countsPerSweep, kernelBytes: () => kernelBytes }) as unknown as Job;
  const req = { modelFile: "m.json", chip: "fake", chains: 4, samples: 10, burnIn: 10, thin: 1, seed: 1, workers: 8 };

  test("a chip beyond WebAssembly's 4 GiB is refused, saying what it needs", () => {
    expect(() => planRun(fakeJob(5 * 2 ** 30), req)).toThrow(InputError);
    expect(() => planRun(fakeJob(5 * 2 ** 30), req)).toThrow(/needs 5 GiB of WebAssembly memory; a 32-bit WebAssembly instance holds at most 4 GiB/);
  });

  test("workers are capped by chains, cores and the memory each chip instance takes", () => {
    const p = planRun(fakeJob(3 * 2 ** 30), req);
    expect(p.workers).toBeLessThanOrEqual(2);
    expect(p.notes.join()).toMatch(/--workers 8 capped at/);
  });
});

test("results never carry NaN or Infinity as null", () => {
  expect(finiteJson({ a: 1, b: null, c: [1, 2] }, "stats.json")).toBe(JSON.stringify({ a: 1, b: null, c: [1, 2] }, null, 1));
  expect(() => finiteJson({ energy: { total: NaN } }, "stats.json")).toThrow(/stats\.json: field "total" is NaN/);
  expect(() => finiteJson({ x: [Infinity] }, "stats.json")).toThrow(/is Infinity/);
});
