/** The Langevin kernel's exports (assembly/langevin/index.ts), typed. */
export interface LangevinKernel {
  allocate(ns: number, nObs: number, nnzK: number, nw: number, nnzB: number, dense: number, nEdges: number, nAmpEdges: number): void;
  setFlags(railNodes: number, anyNonlinear: number): void;
  configure(integrator: number, h: number, stepsPerSweep: number, powerStride: number, adcLsb: number, adcRange: number, outScale: number): void;
  seedChain(seed: bigint, chainIndex: number): void;
  outputBuffer(bytes: number): number;
  planBegin(): void;
  planBytes(): number;
  run(sweeps: number, thin: number, record: number): void;
  steps(): bigint;
  railClips(): bigint;
  readouts(): bigint;
  adcClips(): bigint;
  dissipated(): number;
  resetDissipated(): void;
  chainSeconds(): number;
  normals(count: number): void;
  ptrX(): number;
  ptrLeak(): number;
  ptrC(): number;
  ptrElem(): number;
  ptrGain(): number;
  ptrRail(): number;
  ptrKOff(): number;
  ptrKIdx(): number;
  ptrKVal(): number;
  ptrChOff(): number;
  ptrChIdx(): number;
  ptrChVal(): number;
  ptrPhi(): number;
  ptrU(): number;
  ptrL(): number;
  rowStride(): number;
  ptrPeI(): number;
  ptrPeJ(): number;
  ptrPeG(): number;
  ptrPg(): number;
  ptrPgRef(): number;
  ptrPaI(): number;
  ptrPaJ(): number;
  ptrPaG(): number;
}

export const INTEGRATOR_CODE = { "exact-ou": 0, "euler-maruyama": 1, heun: 2 } as const;
