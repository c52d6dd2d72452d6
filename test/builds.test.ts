/** The debug build (asserts on) and the release build (-O3) simulate identically. */
import { expect, test } from "vitest";
import { runPbit } from "../src/chips/pbit/driver.js";
import { mapIsing } from "../src/mapping/pbit.js";
import { randomGraphModel } from "../src/models/generate.js";
import { chip } from "./helpers.js";

test("release and debug kernels give the same samples and counts", () => {
  const model = randomGraphModel(12, 0.4, { jStd: 0.5, hStd: 0.2, beta: 1, seed: 9 });
  for (const [name, schedule] of [["ideal", "chromatic"], ["pcomputer-fpga", "chromatic"], ["smtj", "async"], ["dtm-2025", "synchronous"]] as const) {
    const spec = name === "dtm-2025"
      ? chip("dtm-2025", { topology: { impl: "model" }, colouring: "dsatur", numerics: { gain: { impl: "programmable", min: 0.001, max: 1000 } } })
      : chip(name, name === "ideal" ? {} : { topology: { max_degree: 12 } });
    const mapping = mapIsing(model, "m.json", spec, schedule);
    const o = { chains: 2, samples: 300, burnIn: 20, thin: 1, seed: 4, schedule };
    const rel = runPbit(spec, mapping, { ...o, flavour: "release" });
    const dbg = runPbit(spec, mapping, { ...o, flavour: "debug" });
    expect(Buffer.from(dbg.samples).equals(Buffer.from(rel.samples)), name).toBe(true);
    expect(dbg.counts).toEqual(rel.counts);
    expect(dbg.chipSeconds).toBe(rel.chipSeconds);
  }
});
