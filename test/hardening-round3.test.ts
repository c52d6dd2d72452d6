/**
 * Round 3 of the input audit (../shared/reference/audits-2026-12-07/fuzz.md,
 * issue 26): each case named by the audit's ID ends with a correct result,
 * or one line naming file and field, exit 2, nothing written -- never exit 1,
 * never a hang (every run has a deadline well inside the harness's).
 */
import { beforeAll, describe, expect, test } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliIn } from "./helpers.js";
import { decodeNpz, encodeNpz } from "../src/io/weights.js";

let dir: string;
const { run, refused } = cliIn(() => dir);
const file = (name: string, text: string) => writeFileSync(join(dir, name), text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "thermosim-r3-"));
  file("g2.json", JSON.stringify({ kind: "gaussian", A: [[2, 0.5], [0.5, 1]], b: [0.1, -0.2] }));
  file("c4.json", JSON.stringify({ kind: "ising", n: 4, h: [0.1, 0, 0, 0], J: [[0, 1, 0.5], [1, 2, 0.5], [2, 3, 0.5], [0, 3, 0.5]], beta: 1 }));
});

describe("[high] valid small models on dtm-2025 whose chains are single p-bits (K19, EMB2)", () => {
  test("a 4-cycle embeds with one p-bit per variable: exit 0, no realised chain strength (null, not NaN)", () => {
    const r = run(["sample", "c4.json", "--chip", "dtm-2025", "--chains", "2", "--samples", "50", "--out", "emb2"]);
    expect(r.code, r.err).toBe(0);
    const e = JSON.parse(readFileSync(join(dir, "emb2", "stats.json"), "utf8")).mapping.embedding;
    expect(e.pbits).toBe(4);
    expect(e.chain_couplings).toBe(0);
    expect(e.chain_strength_realised).toBeNull();
    expect(e.chain_length_histogram).toEqual([0, 4]);
  });
});

describe("[high] the analog read-out interval no longer wraps the step count (I04)", () => {
  test("680 ms of Euler-Maruyama steps per read-out: refused, naming readout.interval", () => {
    file("c680.yaml", 'extends: rc-langevin\nreadout: { interval: "680 ms" }\nintegrator: { impl: euler-maruyama }\n');
    refused(["sample", "g2.json", "--chip", "c680.yaml", "--chains", "1", "--samples", "50", "--burn-in", "0"], /c680\.yaml: readout\.interval: 0\.68 s is 3\.00e\+9 integration steps .* more than the kernel can count/);
  });
  test("a step count just inside the kernel's range runs, and its samples are not all zero", () => {
    file("c1ms.yaml", 'extends: rc-langevin\nreadout: { interval: "1 ms" }\nintegrator: { impl: euler-maruyama }\n');
    const r = run(["sample", "g2.json", "--chip", "c1ms.yaml", "--chains", "1", "--samples", "3", "--burn-in", "0", "--out", "c1ms"]);
    expect(r.code, r.err).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, "c1ms", "stats.json"), "utf8"));
    expect(s.diagnostics.integrator_steps).toBeGreaterThan(0);
  }, 120_000);
});

describe("[medium] finite but absurd spec quantities: refused up front with their physical range (H03, H18, H38, H40)", () => {
  const cases: [string, string, string, RegExp][] = [
    ["h03.yaml", "extends: dtm-2025\nclock: { frequency: 1e308 Hz }\n", "c4.json", /h03\.yaml: clock\.frequency: must be <= 10 THz; got 1e308 Hz/],
    ["h18.yaml", "extends: rc-langevin\nconductance: { max: 1e-300 S }\n", "g2.json", /h18\.yaml: conductance\.max: must be >= 1 aS; got 1e-300 S/],
    ["h38.yaml", "extends: rc-langevin\nreadout: { interval: 1e300 s }\n", "g2.json", /h38\.yaml: readout\.interval: must be <= 1 ks; got 1e300 s/],
    ["h40.yaml", "extends: rc-langevin\ncapacitor: { value: 1e308 F }\n", "g2.json", /h40\.yaml: capacitor\.value: must be <= 1 F; got 1e308 F/],
  ];
  for (const [name, text, model, message] of cases) {
    test(name, () => {
      file(name, text);
      refused(["sample", model, "--chip", name, "--chains", "1", "--samples", "2"], message);
    });
  }
  test("each quantity within its range, but together 1e24 fastest time constants per read-out: refused before the exact step's matrix exponential", () => {
    file("long.yaml", "extends: rc-langevin\ncapacitor: { value: 1e-21 F }\nconductance: { max: 1000 S }\nreadout: { interval: 1 s }\n");
    refused(["sample", "g2.json", "--chip", "long.yaml", "--chains", "1", "--samples", "2"], /long\.yaml: readout\.interval: 1 s is .* of the circuit's fastest time constants .*at most 1e15/);
    expect(existsSync(join(dir, "refused"))).toBe(false);
  });
});

describe("[high] .npz zip bombs: refused before any large allocation (N53, N55)", () => {
  /** An RBM .npz (W 3x2, b, c), deflated, as encodeNpz writes it. */
  const rbm = () => encodeNpz(new Map([
    ["W", { shape: [3, 2], data: Float64Array.of(0.1, -0.2, 0.3, 0.1, 0, 0.2) }],
    ["b", { shape: [3], data: Float64Array.of(0, 0.1, -0.1) }],
    ["c", { shape: [2], data: Float64Array.of(0.2, 0) }],
  ]), true);
  /** Offsets of the central directory's entries. */
  const centralEntries = (z: Uint8Array) => {
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    const eocd = z.length - 22;
    const count = dv.getUint16(eocd + 10, true);
    let at = dv.getUint32(eocd + 16, true);
    const out: number[] = [];
    for (let k = 0; k < count; k++) {
      out.push(at);
      at += 46 + dv.getUint16(at + 28, true) + dv.getUint16(at + 30, true) + dv.getUint16(at + 32, true);
    }
    return out;
  };
  test("a member declaring 1.5 GiB: refused from the directory alone, in one line", () => {
    const z = rbm();
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    dv.setUint32(centralEntries(z)[0] + 24, 1.5 * 2 ** 30, true); // W's uncompressed size
    writeFileSync(join(dir, "bomb.npz"), z);
    refused(["sample", "bomb.npz", "--chip", "ideal"], /bomb\.npz: declares \d+ bytes of array data in all, more than the 1073741824 bytes \(1\.00 GiB\) weight files may hold \(checked before inflating\)/);
  });
  test("entries overlapping one member (each inflating the same bytes): refused", () => {
    const z = rbm();
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    const [w, b] = centralEntries(z);
    dv.setUint32(b + 42, dv.getUint32(w + 42, true), true); // b's local header offset -> W's
    writeFileSync(join(dir, "overlap.npz"), z);
    refused(["sample", "overlap.npz", "--chip", "ideal"], /overlap\.npz: [bW]: overlaps member [Wb] in the archive/);
  });
  test("arrays that would grow past the float64 budget: refused before the conversion (the budget lowered here to show it)", () => {
    const zip = encodeNpz(new Map([["W", { shape: [1000], data: new Float64Array(1000) }]]), false);
    expect(() => decodeNpz(zip, "ok.npz", { inflate: 2 ** 20, float64: 7999 })).toThrow(/ok\.npz: W: brings the file's arrays past 7999 bytes/);
    expect(decodeNpz(zip, "ok.npz", { inflate: 2 ** 20, float64: 8000 }).get("W")!.data.length).toBe(1000);
  });
  test("a valid .npz still reads, and the RBM samples", () => {
    writeFileSync(join(dir, "good.npz"), rbm());
    const r = run(["sample", "good.npz", "--chip", "ideal", "--chains", "1", "--samples", "10", "--out", "good"]);
    expect(r.code, r.err).toBe(0);
  });
});

describe("weight-file details (K29, S21, S27, S30)", () => {
  const st = (header: Record<string, unknown>, data: Uint8Array, raw?: Uint8Array) => {
    const h = raw ?? new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
    out.set(h, 8);
    out.set(data, 8 + h.length);
    return out;
  };
  const rbmTensors = { W: { dtype: "U8", shape: [1, 1], data_offsets: [0, 1] }, b: { dtype: "U8", shape: [1], data_offsets: [1, 2] }, c: { dtype: "U8", shape: [1], data_offsets: [2, 3] } };
  test("a JSON weight (clamp) file past 512 MiB: refused before V8's string limit, in one line", () => {
    const f = join(dir, "huge.json");
    writeFileSync(f, "");
    truncateSync(f, 600 * 2 ** 20); // sparse: 600 MiB of zero bytes, written in no time
    refused(["sample", "c4.json", "--chip", "ideal", "--clamp", "huge.json"], /huge\.json: is 629145600 bytes; JSON weight files are read up to 512 MiB/);
  }, 60_000);
  test("safetensors __metadata__ with a non-string value (S21)", () => {
    writeFileSync(join(dir, "meta.safetensors"), st({ __metadata__: { format: "pt", x: 3 }, ...rbmTensors }, Uint8Array.of(1, 0, 1)));
    refused(["sample", "meta.safetensors", "--chip", "ideal"], /meta\.safetensors: __metadata__\.x: must be a string/);
  });
  test("a BOOL tensor holding 7 (S30)", () => {
    writeFileSync(join(dir, "bool.safetensors"), st({ ...rbmTensors, W: { dtype: "BOOL", shape: [1, 1], data_offsets: [0, 1] } }, Uint8Array.of(7, 0, 1)));
    refused(["sample", "bool.safetensors", "--chip", "ideal"], /bool\.safetensors: W\[0\]: is byte 7; a BOOL tensor holds 0 or 1/);
  });
  test("a header that is not UTF-8 is named as such (S27), not as a missing tensor", () => {
    const good = new TextEncoder().encode(JSON.stringify(rbmTensors));
    const bad = Uint8Array.from([...good.subarray(0, 3), 0xff, 0xfe, ...good.subarray(3)]);
    writeFileSync(join(dir, "utf.safetensors"), st({}, Uint8Array.of(1, 0, 1), bad));
    refused(["sample", "utf.safetensors", "--chip", "ideal"], /utf\.safetensors: header: is not valid UTF-8/);
  });
});

describe("[medium] finite inputs whose derived quantities overflow, sizes past the cap, missing paths (Q07, Q13, J01, J02, W08, W19, T20, R06d, RP04)", () => {
  test("a QUBO, Max-Cut JSON and G-set file whose spin form overflows: refused up front, naming the file", () => {
    const qubo: number[][] = [];
    for (let i = 0; i < 12; i++) for (let j = i; j < 12; j++) qubo.push([i, j, 1.7e308]);
    file("qo.json", JSON.stringify({ kind: "qubo", n: 12, Q: qubo }));
    refused(["sample", "qo.json", "--chip", "ideal"], /qo\.json: the energy offset overflows float64 \(is Infinity\) once the model is written over \+-1 spins/);
    file("mo.json", JSON.stringify({ kind: "maxcut", n: 4, edges: [[0, 1, 1e308], [1, 2, 1e308], [2, 3, 1e308], [0, 3, 1e308]] }));
    refused(["sample", "mo.json", "--chip", "ideal"], /mo\.json: the energy offset overflows float64 \(is -Infinity\)/);
    file("gs.txt", "4 4\n1 2 1e308\n2 3 1e308\n3 4 1e308\n1 4 1e308\n");
    refused(["sample", "gs.txt", "--chip", "ideal"], /gs\.txt: the energy offset overflows float64/);
  });
  test("a G-set header of 1e12 vertices: the size cap, not a RangeError", () => {
    file("huge.txt", "1000000000000 1\n1 2 1\n");
    refused(["sample", "huge.txt", "--chip", "ideal"], /huge\.txt: n: 1000000000000 variables is more than any chip model here can hold/);
  });
  test("a sweep whose base model is missing or a folder: refused naming base.model, no --out", () => {
    file("nomodel.yaml", "base: {model: nope.json, chip: dtm-2025, chains: 1, samples: 10}\naxes:\n  clock.frequency: [10 MHz]\n");
    refused(["sweep", "nomodel.yaml"], /nomodel\.yaml: base\.model: nope\.json: .*no such file/);
    file("dirmodel.yaml", `base: {model: ${dir}, chip: dtm-2025, chains: 1, samples: 10}\naxes:\n  clock.frequency: [10 MHz]\n`);
    refused(["sweep", "dirmodel.yaml"], /dirmodel\.yaml: base\.model: .*is a folder/);
  });
  test("train rbm --data /dev/zero: cut off and refused in seconds, not read forever", () => {
    const t0 = performance.now();
    refused(["train", "rbm", "--data", "/dev/zero", "--hidden", "4", "--epochs", "1"], /\/dev\/zero: goes on past/);
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 90_000);
  test("random-model --j-std 1e308: refused (it wrote overflowed weights thermosim could not read back)", () => {
    refused(["random-model", "--n", "10", "--j-std", "1e308"], /--j-std: 1e\+308 makes weights that overflow float64/);
  });
  test("report on a folder whose compare.json is valid JSON but not a comparison", () => {
    const d = join(dir, "rp04");
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, "compare.json"), '{"systems": 5}');
    refused(["report", "rp04"], /rp04\/compare\.json: systems: must be a list: is this a file thermosim wrote\?/);
  });
});

describe("[low] lenient parsers made strict (N31, X19, Q12, X23, K22, B09, B11, P16)", () => {
  const bqm = { type: "BinaryQuadraticModel", version: { bqm_schema: "3.0.0" }, use_bytes: false, variable_labels: ["a", "b"], variable_type: "SPIN", offset: 0, linear_biases: [0, 0], quadratic_biases: [0.5], quadratic_head: [0], quadratic_tail: [1] };
  const cases: [string, string, string[], RegExp][] = [
    ["hex.mtx", "%%MatrixMarket matrix coordinate real symmetric\n3 3 1\n2 1 0x10\n", [], /hex\.mtx: line 3: must be "i j value", got "2 1 0x10"/],
    ["int.mtx", "%%MatrixMarket matrix coordinate integer symmetric\n3 3 1\n2 1 1.5\n", [], /int\.mtx: line 3: must be "i j value \(a whole number: the file's field is integer\)"/],
    ["hex.txt", "3 1\n1 2 0x10\n", [], /hex\.txt: line 2: must be "i j w"/],
    ["labels.json", JSON.stringify({ ...bqm, variable_labels: ["a", "a"] }), [], /labels\.json: variable_labels\[1\]: repeats the label "a" of variable_labels\[0\]/],
    ["unknown.json", JSON.stringify({ ...bqm, offsett: 1 }), [], /unknown\.json: offsett: is not a field of a dimod BinaryQuadraticModel/],
  ];
  for (const [name, text, extra, message] of cases) {
    test(name, () => {
      file(name, text);
      refused(["sample", name, "--chip", "ideal", ...extra], message);
    });
  }
  test("a ragged JSON clamp [[1, -1], [[1, -1]]] (K22)", () => {
    file("rag.json", JSON.stringify({ index: [0, 1], values: [[1, -1], [[1, -1]]] }));
    refused(["sample", "c4.json", "--chip", "ideal", "--clamp", "rag.json"], /rag\.json: values\[1\]: must be a list of 2/);
  });
  test("an .npy shape written (4e0, 0x3) (N31)", () => {
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (4e0, 0x3), }";
    const h = new TextEncoder().encode(header + " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n");
    const bytes = new Uint8Array(10 + h.length + 96);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0]);
    bytes.set(h, 10);
    writeFileSync(join(dir, "shape.npy"), bytes);
    const r = run(["diagnose", "shape.npy"]);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim()).toMatch(/^thermosim: error: .*shape\.npy: has a bad shape \(4e0, 0x3\)$/);
  });
  test("--target given twice (P16)", () => {
    refused(["compare", "c4.json", "--chip", "ideal", "--target", "tv<=0.3", "--target", "ess>=10"], /--target: is given twice \("tv<=0\.3" and "ess>=10"\); give it once/);
  });
  test("a valid dimod model still reads", () => {
    file("bqm.json", JSON.stringify(bqm));
    expect(run(["sample", "bqm.json", "--chip", "ideal", "--samples", "10", "--out", "bqm"]).code).toBe(0);
  });
});

describe("sweep and study files: recursive YAML and object machinery as field names", () => {
  test("a YAML alias that contains itself: refused, not a stack overflow", () => {
    file("alias.yaml", "base: &b {model: c4.json, chip: dtm-2025, chains: 1, samples: 10, self: *b}\naxes:\n  clock.frequency: [10 MHz]\n");
    refused(["sweep", "alias.yaml"], /alias\.yaml: base\.self: refers to a node that contains it \(a YAML alias in a cycle\)/);
  });
  test("__proto__, constructor or prototype in an axis path: refused before any point runs", () => {
    file("proto.yaml", "base: {model: c4.json, chip: dtm-2025, chains: 1, samples: 10}\naxes:\n  __proto__.x: [1, 2]\n");
    refused(["sweep", "proto.yaml"], /proto\.yaml: axes\.__proto__\.x: is not a field path/);
    file("proto2.yaml", "base: {model: c4.json, chip: dtm-2025, chains: 1, samples: 10}\naxes:\n  numerics.constructor: [1, 2]\n");
    refused(["sweep", "proto2.yaml"], /proto2\.yaml: axes\.numerics\.constructor: is not a field path/);
  });
});

describe("[medium] bounded in time: a sweep point that fails or runs long, a dense model the grid cannot hold", () => {
  test("a sweep with a point refused at run time and one stopped by --point-timeout finishes the rest and reports both (status column, stderr)", () => {
    expect(run(["random-model", "--chip", "dtm-2025", "--n", "16", "--seed", "2", "--out", "d16.json"]).code).toBe(0);
    file("fail.yaml", "base: {model: d16.json, chip: dtm-2025, target: ess>=10, repeats: 1, chains: 2, max_sweeps: 64}\npoints:\n  - {topology.width: 70}\n  - {topology.width: 2, topology.height: 2}\n  - {run.max_sweeps: 200000000}\n");
    const t0 = performance.now();
    const r = run(["sweep", "fail.yaml", "--out", "fail", "--workers", "2", "--point-timeout", "5"]);
    expect(r.code, r.err).toBe(0);
    expect(performance.now() - t0).toBeLessThan(60_000);
    const rows = JSON.parse(readFileSync(join(dir, "fail", "sweep.json"), "utf8")).rows as { failed?: string; figures: Record<string, unknown> }[];
    expect(rows[0].failed).toBeUndefined();
    expect(rows[0].figures.energy_to_solution_J).toBeGreaterThan(0);
    expect(rows[1].failed).toMatch(/d16\.json: n: the model has 16 variables but chip dtm-2025 has 4 p-bits/);
    expect(rows[2].failed).toMatch(/stopped after 5 s \(--point-timeout\)/);
    const csv = readFileSync(join(dir, "fail", "sweep.csv"), "utf8").trim().split("\n");
    expect(csv[0].endsWith(",status")).toBe(true);
    expect(csv[1].endsWith(",ok")).toBe(true);
    expect(r.err).toMatch(/point 2 \(run\.max_sweeps = 200000000\) has no figures: stopped after 5 s/);
  }, 120_000);

  test("a study listing dtm-2025 for a dense 30-spin model answers in under 60 s: the chip is skipped with the search's reason (Y10)", () => {
    expect(run(["random-model", "--n", "30", "--density", "1", "--seed", "3", "--out", "r30.json"]).code).toBe(0);
    file("y10.yaml", "title: t\nparts:\n  - {name: p, title: P, model: r30.json, compare: {target: ess>=10, chips: [ideal, dtm-2025], baselines: [gibbs], repeats: 1, chains: 2, max_sweeps: 64}}\n");
    const t0 = performance.now();
    const r = run(["study", "y10.yaml", "--out", "y10", "--workers", "2"]);
    expect(r.code, r.err).toBe(0);
    expect(performance.now() - t0).toBeLessThan(60_000);
    const st = JSON.parse(readFileSync(join(dir, "y10", "study.json"), "utf8"));
    expect(st.parts[0].skipped).toEqual([{ chip: "dtm-2025", reason: expect.stringMatching(/gave up .* the search spent its budget of 1\.5e\+9 edge relaxations/) }]);
  }, 120_000);
});

describe("weak messages now name file and field (N38, N39, N48, Q06, Q11, Y04, Y06, C10, P20, H39)", () => {
  test("an RBM with no units: 'has no variables', not a field n the file does not have (N38)", () => {
    writeFileSync(join(dir, "empty.npz"), encodeNpz(new Map([["W", { shape: [0, 0], data: new Float64Array(0) }], ["b", { shape: [0], data: new Float64Array(0) }], ["c", { shape: [0], data: new Float64Array(0) }]]), false));
    refused(["sample", "empty.npz", "--chip", "ideal"], /empty\.npz: has no variables: a model needs at least one/);
  });
  test("an encrypted zip member (N39)", () => {
    const z = encodeNpz(new Map([["W", { shape: [1, 1], data: Float64Array.of(1) }], ["b", { shape: [1], data: Float64Array.of(0) }], ["c", { shape: [1], data: Float64Array.of(0) }]]), false);
    const dv = new DataView(z.buffer, z.byteOffset, z.byteLength);
    dv.setUint16(dv.getUint32(z.length - 22 + 16, true) + 8, 1, true); // the first central entry's flags: encrypted
    writeFileSync(join(dir, "enc.npz"), z);
    refused(["sample", "enc.npz", "--chip", "ideal"], /enc\.npz: has an encrypted member \(entry 0\)/);
  });
  test("a sparse weight file with beta = -1 says what is wrong with it (N48)", () => {
    writeFileSync(join(dir, "sp.npz"), encodeNpz(new Map([["i", { shape: [1], data: Float64Array.of(0) }], ["j", { shape: [1], data: Float64Array.of(1) }], ["w", { shape: [1], data: Float64Array.of(0.5) }], ["h", { shape: [2], data: Float64Array.of(0, 0) }], ["beta", { shape: [1], data: Float64Array.of(-1) }]]), false));
    refused(["sample", "sp.npz", "--chip", "ideal"], /sp\.npz: beta: must be >= 0, got -1/);
  });
  test("G-set headers with a sign or a comment are read as G-set and refused as such (Q06, Q11)", () => {
    file("q06.txt", "-3 1\n1 2 1\n");
    refused(["sample", "q06.txt", "--chip", "ideal"], /q06\.txt: line 1: must be "n m" \(vertices >= 1/);
    file("q11.txt", "3 1 # three vertices\n1 2 1\n");
    refused(["sample", "q11.txt", "--chip", "ideal"], /q11\.txt: line 1: must be "n m" .*a G-set file has no comments/);
  });
  test("a study's bad model names parts[k].model and does not echo the file (Y04, Y06)", () => {
    file("y04.yaml", "title: t\nparts:\n  - {name: p, model: nope.json, samples: [{chip: ideal}]}\n");
    refused(["study", "y04.yaml"], /y04\.yaml: parts\[0\]\.model: nope\.json: no such file/);
    file("secret.json", "root:x:0:0:root:/root:/bin/bash\n");
    file("y06.yaml", "title: t\nparts:\n  - {name: p, model: secret.json, samples: [{chip: ideal}]}\n");
    refused(["study", "y06.yaml"], /y06\.yaml: parts\[0\]\.model: secret\.json: is not valid JSON \(Unexpected token 'r'[^"]*\)$/);
  });
  test("a spec extending a missing file names the spec and its extends field (C10)", () => {
    file("c10.yaml", "extends: does_not_exist.yaml\n");
    refused(["sample", "c4.json", "--chip", "c10.yaml"], /c10\.yaml: extends: does_not_exist\.yaml: no such chip spec file/);
  });
  test("a tv target of 1 or more, met by any sampler (P20)", () => {
    refused(["compare", "c4.json", "--chip", "ideal", "--target", "tv<=5"], /--target: tv is at most 1, so tv<=5 is met by any sampler/);
  });
  test("YAML nested thousands of levels deep: a reason a person reads (H39)", () => {
    file("deep.yaml", "a: " + "[".repeat(50000) + "]".repeat(50000) + "\n");
    refused(["sample", "c4.json", "--chip", "deep.yaml"], /deep\.yaml: nests mappings or lists too deeply to read/);
  });
});

describe("weak messages, continued (F10, D18)", () => {
  test("--out under /proc: the folder is not on a disk, not 'only 0 B are free' (F10)", () => {
    const r = run(["sample", "c4.json", "--chip", "ideal", "--out", "/proc/thermosim-x"]);
    expect(r.code, r.err).toBe(2);
    expect(r.err.trim()).toMatch(/--out: thermosim-x is on a file system with no free space at all \(\/proc/);
  });
  test("diagnose on draws of +-1e308: the reason is the overflow, not 'a quantity is constant' (D18)", () => {
    const draws = Float64Array.from({ length: 400 }, (_, k) => (k % 3 === 0 ? 1e308 : -1e308));
    const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 200), }";
    const h = new TextEncoder().encode(header + " ".repeat((64 - ((10 + header.length + 1) % 64)) % 64) + "\n");
    const bytes = new Uint8Array(10 + h.length + draws.byteLength);
    bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0]);
    bytes.set(h, 10);
    bytes.set(new Uint8Array(draws.buffer), 10 + h.length);
    writeFileSync(join(dir, "huge.npy"), bytes);
    const r = run(["diagnose", "huge.npy"]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/the draws are so large \(beyond 1e150\) that their variance overflows float64/);
  });
});

describe("a Gaussian clamp beyond float64's reach on a baseline (K15)", () => {
  test("exact-gaussian refuses x0 = 1e308 (the chip refuses it too); a clamp at the model's scale runs", () => {
    file("k15.json", JSON.stringify({ index: [0], values: [[1e308]] }));
    refused(["sample", "g2.json", "--baseline", "exact-gaussian", "--clamp", "k15.json", "--samples", "10"], /k15\.json: values\[0\]: holds the free variables' conditional mean about 5\.0e\+307 times their standard deviation/);
    file("k15ok.json", JSON.stringify({ index: [0], values: [[1.5]] }));
    expect(run(["sample", "g2.json", "--baseline", "exact-gaussian", "--clamp", "k15ok.json", "--samples", "10", "--out", "k15ok"]).code).toBe(0);
  });
});
