// The analog chip's state in linear memory. The host turns the circuit into
// a stochastic differential equation over `ns` states (node voltages first,
// then any auxiliary states such as coloured-noise filters):
//
//   dx_i = ( -leak_i x_i + sum_j K_ij g_j(x_j) + c_i ) dt + sum_k B_ik dW_k
//
// g_j is the node's element: identity (linear) or rail*tanh(gain x / rail)
// (a Hopfield amplifier). Noise enters through channels k, each a sparse
// column of B (a resistor's Johnson noise touches its two nodes; injected
// noise one). Voltages are clipped to each node's supply rails.
// For linear circuits the exact Ornstein-Uhlenbeck step x' = Phi x + u + L z
// (Phi, u, L computed by the host) replaces the drift/noise evaluation.

export let ns: i32 = 0; // states
export let nObs: i32 = 0; // node voltages read out (the first nObs states)

import { allocZeroed } from "../shared/alloc";
export { allocZeroed };

export let xPtr: usize = 0; // f64[ns] state
export let xtPtr: usize = 0; // f64[ns] Heun predictor / OU next state
export let f0Ptr: usize = 0; // f64[ns] drift
export let f1Ptr: usize = 0; // f64[ns] drift at the predictor
export let gPtr: usize = 0; // f64[ns] element outputs
export let nvPtr: usize = 0; // f64[ns] this step's noise increment
export let leakPtr: usize = 0; // f64[ns]
export let cPtr: usize = 0; // f64[ns]
export let elemPtr: usize = 0; // i32[ns] 0 linear, 1 tanh
export let gainPtr: usize = 0; // f64[ns] tanh gain
export let railPtr: usize = 0; // f64[ns] |x| limit (Infinity: none)
export let kOffPtr: usize = 0; // i32[ns+1] CSR rows of K
export let kIdxPtr: usize = 0; // i32[nnzK]
export let kValPtr: usize = 0; // f64[nnzK]
export let nw: i32 = 0; // noise channels
export let chOffPtr: usize = 0; // i32[nw+1]
export let chIdxPtr: usize = 0; // i32[nnzB]
export let chValPtr: usize = 0; // f64[nnzB] B entries (per sqrt(second))
// The exact OU step's matrices, packed by blocks of four rows: for rows 4b .. 4b+3 and
// column pair c, the four rows' two entries (8 doubles) in turn; rows past ns are zero.
export let phiPtr: usize = 0; // f64[ceil4(ns) * rowStride] exact OU transition, packed
export let uPtr: usize = 0; // f64[ns]
export let lPtr: usize = 0; // f64[ceil4(ns) * rowStride] Cholesky factor of the step covariance, packed
export let zPtr: usize = 0; // f64[rowStride] normals for one OU step (padding stays zero)
export let zwPtr: usize = 0; // f64[nw] normals for one step's noise channels
export let wordsPtr: usize = 0; // u32[2 max(ns, nw)] random words behind one step's normals
export let rowStride: i32 = 0; // dense rows padded to an even length (for f64x2)
export let nEdges: i32 = 0; // resistive elements between nodes, for dissipation
export let peIPtr: usize = 0; // i32[nEdges]
export let peJPtr: usize = 0; // i32[nEdges]
export let peGPtr: usize = 0; // f64[nEdges] conductance (S)
export let pgPtr: usize = 0; // f64[nObs] conductance to ground (S)
// The far end of each ground conductance: 0 V, or a held (clamped) node's voltage.
export let pgRefPtr: usize = 0; // f64[nObs] volts
// Resistors from an amplifier's output (node j's element, inverted when the
// conductance is negative) to node i: Hopfield's couplings.
export let nAmpEdges: i32 = 0;
export let paIPtr: usize = 0; // i32[nAmpEdges] node
export let paJPtr: usize = 0; // i32[nAmpEdges] amplifier
export let paGPtr: usize = 0; // f64[nAmpEdges] signed conductance (S)
export let railNodes: i32 = 0; // nodes with finite rails (skip clipping when 0)
export let anyNonlinear: i32 = 0;

export function allocate(ns_: i32, nObs_: i32, nnzK: i32, nw_: i32, nnzB: i32, dense: i32, nEdges_: i32, nAmpEdges_: i32): void {
  nAmpEdges = nAmpEdges_;
  ns = ns_;
  nObs = nObs_;
  nw = nw_;
  nEdges = nEdges_;
  const n = u64(ns);
  xPtr = allocZeroed(((n + 1) & ~u64(1)) << 3); // even length: the OU step reads pairs
  xtPtr = allocZeroed(((n + 1) & ~u64(1)) << 3); // padded too: the OU step swaps it with x
  f0Ptr = allocZeroed(n << 3);
  f1Ptr = allocZeroed(n << 3);
  gPtr = allocZeroed(n << 3);
  nvPtr = allocZeroed(n << 3);
  leakPtr = allocZeroed(n << 3);
  cPtr = allocZeroed(n << 3);
  elemPtr = allocZeroed(n << 2);
  gainPtr = allocZeroed(n << 3);
  railPtr = allocZeroed(n << 3);
  kOffPtr = allocZeroed((n + 1) << 2);
  kIdxPtr = allocZeroed(u64(nnzK) << 2);
  kValPtr = allocZeroed(u64(nnzK) << 3);
  chOffPtr = allocZeroed(u64(nw + 1) << 2);
  chIdxPtr = allocZeroed(u64(nnzB) << 2);
  chValPtr = allocZeroed(u64(nnzB) << 3);
  rowStride = (ns + 1) & ~1;
  const stride = u64(rowStride);
  if (dense != 0) {
    const rows = (n + 3) & ~u64(3);
    phiPtr = allocZeroed((rows * stride) << 3);
    lPtr = allocZeroed((rows * stride) << 3);
  }
  uPtr = allocZeroed(n << 3);
  zPtr = allocZeroed(stride << 3);
  zwPtr = allocZeroed(u64(nw_ < 1 ? 1 : nw_) << 3);
  wordsPtr = allocZeroed(u64(nw_ > ns_ ? nw_ : ns_) << 3); // two u32 per normal
  peIPtr = allocZeroed(u64(nEdges) << 2);
  peJPtr = allocZeroed(u64(nEdges) << 2);
  peGPtr = allocZeroed(u64(nEdges) << 3);
  pgPtr = allocZeroed(u64(nObs) << 3);
  pgRefPtr = allocZeroed(u64(nObs) << 3);
  paIPtr = allocZeroed(u64(nAmpEdges) << 2);
  paJPtr = allocZeroed(u64(nAmpEdges) << 2);
  paGPtr = allocZeroed(u64(nAmpEdges) << 3);
}

export function setFlags(railNodes_: i32, anyNonlinear_: i32): void {
  railNodes = railNodes_;
  anyNonlinear = anyNonlinear_;
}

// Counters and integrals.
export let steps: u64 = 0;
export let railClips: u64 = 0;
export let readouts: u64 = 0;
export let adcClips: u64 = 0; // read-outs beyond the ADC's full scale (clamped)
export let dissipated: f64 = 0; // joules, integral of sum G dV^2 dt
export let chainTime: f64 = 0;

export function resetCounters(): void {
  steps = 0;
  railClips = 0;
  readouts = 0;
  adcClips = 0;
  dissipated = 0;
}
