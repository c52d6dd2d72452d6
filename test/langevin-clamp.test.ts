/**
 * Clamping on the analog chips: held nodes (ideal sources on DAC voltages).
 * - The held circuit's exact stationary law is the conditional of the
 *   unheld circuit's (a reversible circuit: conductance encoding, equal
 *   capacitors, injected noise), computed here by a Schur complement.
 * - Capacitance encoding: the covariance is kT C_FF^-1 (conditional of the
 *   programmed capacitances), the mean the host re-solves for the model.
 * - Heat: the held circuit's dissipation terms (edges, ground elements to
 *   reference voltages, a constant) equal the full circuit's resistors with
 *   the held voltages in place, for any free voltages; and the kernel's
 *   integral matches the stationary expectation (power: dropping the
 *   reference voltages misses it by far).
 */
import { describe, expect, it } from "vitest";
import { analogChip, gaussian, randomSpd } from "./helpers.js";
import { mapGaussian, type Dissipation, type LangevinMapping } from "../src/mapping/langevin.js";
import { stationary } from "../src/chips/langevin/circuit.js";
import { runLangevin } from "../src/chips/langevin/driver.js";
import { Random } from "../src/util/random.js";

const model = randomSpd(6, 1, 5, 11);
const index = Int32Array.from([1, 4]);
const free = [0, 2, 3, 5];
const values = Float64Array.from([1.2, -0.8]);
const hold = { index, values, file: "clamp.json", condition: 0 };

/** Conditional mean and covariance of a Gaussian (mean mu, covariance S, n x n) given x_C = v. */
function conditional(mu: Float64Array, S: Float64Array, n: number, c: number[], v: number[]) {
  const f = Array.from({ length: n }, (_, i) => i).filter((i) => !c.includes(i));
  // 2 x 2 inverse of S_CC.
  const [a, b, d] = [S[c[0] * n + c[0]], S[c[0] * n + c[1]], S[c[1] * n + c[1]]];
  const det = a * d - b * b;
  const inv = [[d / det, -b / det], [-b / det, a / det]];
  const K = f.map((i) => [0, 1].map((q) => S[i * n + c[0]] * inv[0][q] + S[i * n + c[1]] * inv[1][q]));
  const mean = f.map((i, p) => mu[i] + K[p][0] * (v[0] - mu[c[0]]) + K[p][1] * (v[1] - mu[c[1]]));
  const cov = f.map((i, p) => f.map((j) => S[i * n + j] - K[p][0] * S[c[0] * n + j] - K[p][1] * S[c[1] * n + j]));
  return { mean, cov };
}

const heldVolts = (mp: LangevinMapping) => (mp.report.clamp as { held_volts: number[] }).held_volts;

function power(d: Dissipation, V: Float64Array): number {
  let p = d.constant;
  for (let k = 0; k < d.ei.length; k++) p += d.eg[k] * (V[d.ei[k]] - V[d.ej[k]]) ** 2;
  d.ground.forEach((g, i) => (p += g * (V[i] - d.groundRef[i]) ** 2));
  return p;
}

/** The held circuit's exact law against the conditional of the unheld circuit's (covariances checked here). */
function heldAgainstFull(name: string) {
  const spec = analogChip(name);
  const full = mapGaussian(model, "m.json", spec, 3);
  const held = mapGaussian(model, "m.json", spec, 3, hold);
  const s = stationary(full.sde);
  const want = conditional(s.mean, s.cov, 6, [1, 4], heldVolts(held));
  const got = stationary(held.sde);
  const scale = Math.max(...s.cov);
  free.forEach((_, p) => free.forEach((_, q) => expect(Math.abs(got.cov[p * 4 + q] - want.cov[p][q])).toBeLessThan(1e-9 * scale)));
  return { spec, s, held, want, got };
}

describe("analog clamp: held nodes", () => {
  it("conductance encoding: the held circuit samples exactly the conditional of the unheld circuit's law", () => {
    const { spec, s, held, want, got } = heldAgainstFull("rc-langevin");
    free.forEach((_, p) => expect(Math.abs(got.mean[p] - want.mean[p])).toBeLessThan(1e-9 * spec.amplifier.rail));
    // Power: holding the nodes at the other's values gives a different law.
    const swapped = conditional(s.mean, s.cov, 6, [1, 4], [heldVolts(held)[1], heldVolts(held)[0]]);
    expect(Math.max(...free.map((_, p) => Math.abs(got.mean[p] - swapped.mean[p])))).toBeGreaterThan(1e-3);
  });

  it("capacitance encoding: covariance kT C_FF^-1 (the programmed circuit's conditional), mean the model's conditional mean", () => {
    const { held, got } = heldAgainstFull("spu-8");
    // The mean: the model's own conditional mean (host-solved), in volts.
    const A = Float64Array.from({ length: 36 }, (_, k) => {
      const [i, j] = [Math.floor(k / 6), k % 6];
      if (i === j) return model.diag[i];
      for (let e = 0; e < model.ei.length; e++) if ((model.ei[e] === i && model.ej[e] === j) || (model.ei[e] === j && model.ej[e] === i)) return model.ew[e];
      return 0;
    });
    // Conditional mean of N(A^-1 b, A^-1) given x_C = v, through the same Schur routine on Sigma = A^-1.
    const sigma = invert(A, 6);
    const mu = new Float64Array(6).map((_, i) => sigma.slice(i * 6, i * 6 + 6).reduce((a, x, j) => a + x * model.b[j], 0));
    const cm = conditional(mu, sigma, 6, [1, 4], Array.from(values));
    free.forEach((_, p) => expect(Math.abs(got.mean[p] / held.vScale - cm.mean[p])).toBeLessThan(1e-9));
  });

  it("heat: the held circuit's dissipation terms equal the full circuit's resistors with the held voltages in place", () => {
    for (const name of ["rc-langevin", "spu-8"]) {
      const spec = analogChip(name);
      const full = mapGaussian(model, "m.json", spec, 3);
      const held = mapGaussian(model, "m.json", spec, 3, hold);
      expect(Array.from(held.free!)).toEqual(free);
      const r = new Random(5);
      for (let t = 0; t < 5; t++) {
        const V = Float64Array.from({ length: 6 }, () => 0.3 * r.normal());
        heldVolts(held).forEach((v, k) => (V[index[k]] = v));
        const VF = Float64Array.from(free, (i) => V[i]);
        const a = power(full.dissipation, V);
        expect(Math.abs(power(held.dissipation, VF) - a)).toBeLessThan(1e-12 * a);
      }
    }
  });

  it("the kernel integrates that heat: measured power matches its stationary expectation; without the reference voltages it does not", () => {
    const spec = analogChip("rc-langevin");
    // x0 tied strongly to x1, held far out: x0's resistors sit near the held voltage, not near 0 V.
    const strong = gaussian([[1, -0.8, 0], [-0.8, 1.5, 0.3], [0, 0.3, 1]], [0, 0, 0]);
    const held = mapGaussian(strong, "m.json", spec, 3, { index: Int32Array.from([1]), values: Float64Array.from([2.5]), file: "c.json", condition: 0 });
    const run = runLangevin(spec, held, { chains: 2, samples: 20000, burnIn: 50, thin: 1, seed: 4 });
    const free = [0, 2];
    const measured = run.counts.resistive_dissipation / run.chipSeconds;
    const d = held.dissipation;
    const st = stationary(held.sde);
    const m = free.length;
    const expected = (ref: Float64Array, constant: number) => {
      let p = constant;
      for (let k = 0; k < d.ei.length; k++) {
        const [i, j] = [d.ei[k], d.ej[k]];
        p += d.eg[k] * ((st.mean[i] - st.mean[j]) ** 2 + st.cov[i * m + i] + st.cov[j * m + j] - 2 * st.cov[i * m + j]);
      }
      d.ground.forEach((g, i) => (p += g * ((st.mean[i] - ref[i]) ** 2 + st.cov[i * m + i])));
      return p;
    };
    const want = expected(d.groundRef, d.constant);
    expect(Math.abs(measured - want) / want).toBeLessThan(0.03);
    // Power: a kernel that ignored the reference voltages (the constant still added) would be far off.
    expect(Math.abs(expected(new Float64Array(m), d.constant) - want) / want).toBeGreaterThan(0.2);
  });
});

function invert(a: Float64Array, n: number): Float64Array {
  const m = Array.from({ length: n }, (_, i) => [...a.slice(i * n, i * n + n), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c];
    m[c] = m[c].map((x) => x / d);
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = m[r][c];
      m[r] = m[r].map((x, k) => x - f * m[c][k]);
    }
  }
  return Float64Array.from(m.flatMap((row) => row.slice(n)));
}
