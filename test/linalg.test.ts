import { test, expect } from "vitest";
import { expm, vanLoan, lyapunov, matmul, transpose, add, frobenius, cholesky } from "../src/linalg/dense.js";
test("expm, Van Loan and Lyapunov against closed forms and residuals", () => {
  // expm of diag and a rotation
  const e = expm(Float64Array.from([0, -1, 1, 0]), 2);
  expect(e[0]).toBeCloseTo(Math.cos(1), 14); expect(e[2]).toBeCloseTo(Math.sin(1), 14);
  const big = expm(Float64Array.from([-50, 0, 0, 3]), 2);
  expect(big[0]).toBeCloseTo(Math.exp(-50), 30); expect(big[3] / Math.exp(3)).toBeCloseTo(1, 13);
  // 1-D OU exact variance
  const { phi, q } = vanLoan(Float64Array.from([2]), Float64Array.from([3]), 1, 0.7);
  expect(phi[0]).toBeCloseTo(Math.exp(-1.4), 14);
  expect(q[0]).toBeCloseTo(3 * (1 - Math.exp(-2.8)) / 4, 14);
  // Lyapunov on a random stable nonsymmetric M
  const n = 5; const M = new Float64Array(n * n); let s = 3;
  const r = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M[i * n + j] = (i === j ? 3 : 0) + r();
  const D = matmul(M.map(() => r()), transpose(M.map(() => r()), n), n);
  const Dsym = add(D, transpose(D, n)).map((v, k) => v + (k % (n + 1) === 0 ? 5 : 0));
  const S = lyapunov(M, Dsym, n);
  const res = add(add(matmul(M, S, n), matmul(S, transpose(M, n), n)), Dsym, -1);
  expect(frobenius(res) / frobenius(Dsym)).toBeLessThan(1e-12);
  expect(cholesky(Float64Array.from([1, 2, 2, 1]), 2)).toBeUndefined();
});
