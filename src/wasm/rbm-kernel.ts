/** The RBM kernel's exports (assembly/rbm/index.ts), typed. */
export interface RbmKernel {
  allocate(nv: number, nh: number, rows: number, schedule: number): void;
  ptrW(): number;
  ptrB(): number;
  ptrC(): number;
  ptrData(): number;
  ptrChains(): number;
  ptrOut(): number;
  ptrBase(): number;
  ptrSchedule(): number;
  seed(s: bigint): void;
  trainBatch(rows: number, k: number, persistent: number, lr: number, momentum: number, decay: number): number;
  gibbs(rows: number, steps: number): void;
  logUnnormalised(rows: number): void;
  ais(runs: number): void;
}
