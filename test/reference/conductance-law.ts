/**
 * What the rc-langevin conductance encoding should sample, written for the
 * tests from the documented design (README, mapping notes) and sharing no code
 * with src/: couplings -A_ij and ground elements (row sums of A) scaled so the
 * largest is the DAC's full scale, each rounded to the DAC's steps; node
 * voltages then follow N(G^-1 I, (sigma^2 / 2c) G^-1), which in model units is
 * N(G^-1 sG b, (sG / beta) G^-1); the ADC adds its rounding, LSB^2 / 12.
 */
export function invert(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= piv;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

export interface PredictedLaw {
  mean: number[];
  cov: number[][];
}

export function conductanceLaw(A: number[][], b: number[], beta: number, dacBits: number, adcBits: number, rail: number, railFraction = 0.8): PredictedLaw {
  const n = A.length;
  const ground = A.map((row) => row.reduce((s, v) => s + v, 0));
  const edges: [number, number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (A[i][j] !== 0) edges.push([i, j, -A[i][j]]);
  const biggest = Math.max(...ground.map(Math.abs), ...edges.map((e) => Math.abs(e[2])));
  const full = 1; // conductances in units of the DAC's full scale: sG = 1 / biggest
  const lsb = full / (2 ** dacBits - 1);
  const dac = (v: number) => Math.sign(v) * Math.min(full, Math.round(Math.abs(v / biggest) / lsb) * lsb) * biggest; // back in model units
  const G = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? dac(ground[i]) : 0)));
  for (const [i, j, g] of edges) {
    const q = dac(g);
    G[i][i] += q;
    G[j][j] += q;
    G[i][j] -= q;
    G[j][i] -= q;
  }
  const Ginv = invert(G);
  const mean = Ginv.map((row) => row.reduce((s, v, j) => s + v * b[j], 0));
  const cov = Ginv.map((row) => row.map((v) => v / beta));
  // The read-out scale: mean +- 4 sd of the model's own law inside railFraction of the rails.
  const Ainv = invert(A);
  const mu = Ainv.map((row) => row.reduce((s, v, j) => s + v * b[j], 0));
  let reach = 0;
  for (let i = 0; i < n; i++) reach = Math.max(reach, Math.abs(mu[i]) + 4 * Math.sqrt(Ainv[i][i] / beta));
  const vScale = (railFraction * rail) / reach;
  const adcLsb = (2 * rail) / 2 ** adcBits / vScale;
  for (let i = 0; i < n; i++) cov[i][i] += (adcLsb * adcLsb) / 12;
  return { mean, cov };
}
