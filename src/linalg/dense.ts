/**
 * Small dense linear algebra in float64, row-major (n x n in a Float64Array).
 * Host-side and run once per configuration: clarity over speed.
 */
export type Mat = Float64Array;

export const zeros = (n: number, m = n): Mat => new Float64Array(n * m);

export function identity(n: number): Mat {
  const a = zeros(n);
  for (let i = 0; i < n; i++) a[i * n + i] = 1;
  return a;
}

export function matmul(a: Mat, b: Mat, n: number): Mat {
  const c = zeros(n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k];
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aik * b[k * n + j];
    }
  }
  return c;
}

export function transpose(a: Mat, n: number): Mat {
  const t = zeros(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

export const add = (a: Mat, b: Mat, s = 1): Mat => a.map((v, k) => v + s * b[k]);
export const scale = (a: Mat, s: number): Mat => a.map((v) => v * s);

export function matvec(a: Mat, x: Float64Array, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    y[i] = s;
  }
  return y;
}

export function norm1(a: Mat, n: number): number {
  let m = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]);
    m = Math.max(m, s);
  }
  return m;
}

export function frobenius(a: Mat): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

/** Lower-triangular L with A = L L^T, or undefined if A is not (numerically) positive definite. */
export function cholesky(a: Mat, n: number): Mat | undefined {
  return choleskyCore(a, n, undefined);
}

/**
 * Cholesky factor of a symmetric positive semi-definite matrix: a pivot that
 * is zero up to rounding gives a zero column (a noise covariance may be
 * singular, e.g. noise on some states only).
 */
export function choleskySemi(a: Mat, n: number, tol = 1e-13): Mat {
  return choleskyCore(a, n, tol)!;
}

/** tol undefined: strict (fail on a non-positive pivot); else skip pivots below tol * max diagonal. */
function choleskyCore(a: Mat, n: number, tol: number | undefined): Mat | undefined {
  const l = zeros(n);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]));
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] ** 2;
    if (tol === undefined ? !(d > 0) : d <= tol * maxDiag) {
      if (tol === undefined) return undefined;
      continue;
    }
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solve A x = b by Gaussian elimination with partial pivoting; undefined if singular. */
export function solve(a: Mat, b: Float64Array, n: number): Float64Array | undefined {
  const m = a.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r * n + c]) > Math.abs(m[p * n + c])) p = r;
    if (m[p * n + c] === 0) return undefined;
    if (p !== c) {
      for (let k = 0; k < n; k++) [m[c * n + k], m[p * n + k]] = [m[p * n + k], m[c * n + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = m[r * n + c] / m[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) m[r * n + k] -= f * m[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= m[r * n + k] * x[k];
    x[r] = s / m[r * n + r];
  }
  return x;
}

/** Inverse via n solves. */
export function inverse(a: Mat, n: number): Mat | undefined {
  const inv = zeros(n);
  for (let j = 0; j < n; j++) {
    const e = new Float64Array(n);
    e[j] = 1;
    const col = solve(a, e, n);
    if (!col) return undefined;
    for (let i = 0; i < n; i++) inv[i * n + j] = col[i];
  }
  return inv;
}

/**
 * Matrix exponential by scaling and squaring with the [13/13] Pade
 * approximant (Higham 2005): exact to rounding for any square matrix.
 */
export function expm(a: Mat, n: number): Mat {
  const b = [64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
    10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1];
  const theta13 = 5.371920351148152;
  const nrm = norm1(a, n);
  // A non-finite norm would ask for infinitely many squarings.
  if (!Number.isFinite(nrm)) throw new RangeError(`expm: the matrix has a non-finite norm (${nrm})`);
  const s = nrm > theta13 ? Math.max(0, Math.ceil(Math.log2(nrm / theta13))) : 0;
  const x = scale(a, 2 ** -s);
  const id = identity(n);
  const x2 = matmul(x, x, n);
  const x4 = matmul(x2, x2, n);
  const x6 = matmul(x4, x2, n);
  const lin = (cs: number[], ms: Mat[]) => {
    const r = zeros(n);
    ms.forEach((m, k) => {
      for (let i = 0; i < r.length; i++) r[i] += cs[k] * m[i];
    });
    return r;
  };
  const u = matmul(x, add(matmul(x6, lin([b[13], b[11], b[9]], [x6, x4, x2]), n), lin([b[7], b[5], b[3], b[1]], [x6, x4, x2, id])), n);
  const v = add(matmul(x6, lin([b[12], b[10], b[8]], [x6, x4, x2]), n), lin([b[6], b[4], b[2], b[0]], [x6, x4, x2, id]));
  // (V - U) R = (V + U)
  const p = add(v, u);
  const q = add(v, u, -1);
  let r = zeros(n);
  for (let j = 0; j < n; j++) {
    const col = new Float64Array(n);
    for (let i = 0; i < n; i++) col[i] = p[i * n + j];
    const sol = solve(q, col, n)!;
    for (let i = 0; i < n; i++) r[i * n + j] = sol[i];
  }
  for (let k = 0; k < s; k++) r = matmul(r, r, n);
  return r;
}

/**
 * Van Loan (1978): for dx = -M x dt + noise with diffusion D (covariance rate),
 * the exact step over h is x' = Phi x + N(0, Q_h) with Phi = exp(-M h) and
 * Q_h = integral_0^h exp(-M s) D exp(-M^T s) ds, both from one exponential of
 * the 2n x 2n block matrix [[M, D], [0, -M^T]] h.
 */
export function vanLoan(m: Mat, d: Mat, n: number, h: number): { phi: Mat; q: Mat } {
  // The block exponential holds exp(+M h) beside exp(-M h): for large |M h| the
  // growing block swamps the decaying one. So evaluate a short step (|M h0| <=
  // 1/2) and double: Phi_2h = Phi_h^2, Q_2h = Q_h + Phi_h Q_h Phi_h^T.
  const doublings = Math.max(0, Math.ceil(Math.log2((2 * norm1(m, n) * h) || 1)));
  let { phi, q } = vanLoanShort(m, d, n, h / 2 ** doublings);
  for (let k = 0; k < doublings; k++) {
    q = add(q, matmul(matmul(phi, q, n), transpose(phi, n), n));
    phi = matmul(phi, phi, n);
  }
  return { phi, q };
}

function vanLoanShort(m: Mat, d: Mat, n: number, h: number): { phi: Mat; q: Mat } {
  const n2 = 2 * n;
  const big = zeros(n2);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      big[i * n2 + j] = m[i * n + j] * h;
      big[i * n2 + n + j] = d[i * n + j] * h;
      big[(n + i) * n2 + n + j] = -m[j * n + i] * h;
    }
  }
  const e = expm(big, n2);
  const f12 = zeros(n);
  const f22t = zeros(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      f12[i * n + j] = e[i * n2 + n + j];
      f22t[j * n + i] = e[(n + i) * n2 + n + j];
    }
  }
  const phi = f22t;
  const q = matmul(phi, f12, n);
  // Symmetrise away rounding.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (q[i * n + j] + q[j * n + i]);
      q[i * n + j] = v;
      q[j * n + i] = v;
    }
  }
  return { phi, q };
}

/**
 * Stationary covariance of dx = -M x dt + noise(D): solves M S + S M^T = D.
 * From one Van Loan step (Phi, Q_h), S = sum_k Phi^k Q_h Phi^Tk, summed by
 * doubling; works for any stable M, symmetric or not.
 */
export function lyapunov(m: Mat, d: Mat, n: number): Mat {
  // A step of ~1/(largest rate) keeps the exponential well conditioned.
  const h = 1 / Math.max(norm1(m, n), 1e-300);
  let { phi: a, q: s } = vanLoan(m, d, n, h);
  for (let it = 0; it < 200; it++) {
    const as = matmul(a, s, n);
    const inc = matmul(as, transpose(a, n), n);
    s = add(s, inc);
    a = matmul(a, a, n);
    if (frobenius(inc) <= 1e-17 * frobenius(s) || norm1(a, n) < 1e-300) break;
  }
  return s;
}

/** Largest real eigenvalue magnitude by power iteration (for stability limits). */
export function spectralRadius(apply: (x: Float64Array) => Float64Array, n: number, iterations = 500): number {
  let x = new Float64Array(n).map((_, i) => 1 + ((i * 7919) % 13) / 13);
  let lambda = 0;
  for (let it = 0; it < iterations; it++) {
    const y = apply(x);
    let nrm = 0;
    for (const v of y) nrm += v * v;
    nrm = Math.sqrt(nrm);
    if (nrm === 0) return 0;
    let xn = 0;
    for (const v of x) xn += v * v;
    const next = nrm / Math.sqrt(xn);
    x = y.map((v) => v / nrm);
    if (Math.abs(next - lambda) <= 1e-12 * next) return next;
    lambda = next;
  }
  return lambda;
}
