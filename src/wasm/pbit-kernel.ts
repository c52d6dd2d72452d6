/** The p-bit kernel's exports (assembly/pbit/index.ts), typed. */
export interface PbitKernel {
  allocate(n: number, nnz: number, nClasses: number, lutEntries: number, weightBytes: number, recBytes: number, lean: number): void;
  setGridMode(on: number): void;
  allocPhys(): void;
  setParams(accMax: number, accMaxCode: number, lutInvStep: number, compareBits: number, bitsPerDraw: number, secondsPerCycle: number): void;
  selectEvaluator(kind: number): void;
  selectRng(kind: number, lfsrShiftsPerRead: number, dwellSeconds: number): void;
  setupAsync(meanFlipTime: number, synapseDelay: number): void;
  applyMismatch(seed: bigint, gainSigma: number, offsetSigma: number): void;
  program(weightWords: number): void;
  seedChain(seed: bigint, chainIndex: number): void;
  setFree(free: number): void;
  clampWritten(values: number): void;
  outputBuffer(bytes: number): number;
  planBegin(): void;
  planBytes(): number;
  run(schedule: number, sweeps: number, thin: number, record: number): void;
  chainSeconds(): number;
  telegraphRefreshes(): bigint;
  asyncHistoryOverflows(): bigint;
  ptrRec(): number;
  ptrNbr(): number;
  ptrW(): number;
  ptrFanIn(): number;
  ptrPhys(): number;
  ptrState(): number;
  ptrMembers(): number;
  ptrClassStart(): number;
  ptrClassCounts(): number;
  ptrSyncCounts(): number;
  ptrCounters(): number;
  ptrLut(): number;
  ptrLfsr(): number;
  setComparator(signMagnitude: number): void;
  gridAllocate(width: number, height: number, tiles: number, wrap: number, offsets: number, haloRows: number, haloCols: number, floatSpins: number): void;
  gridFloatAllocate(): void;
  exponentials(seed: bigint, count: number): void;
  gridFloatFromRecords(): void;
  ptrGridFloatWeights(): number;
  gridRowStride(): number;
  gridBlockRows(): number;
  gridPaddedColumns(): number;
  ptrGridWeights(): number;
  ptrGridBias(): number;
  ptrGridDelta(): number;
  ptrGridSpins(): number;
}

/** Layout of the per-p-bit record (assembly/pbit/chip.ts REC_*), in bytes. */
export const REC = { size: 32, h: 0, gain: 8, xoff: 16, e0: 24, groups: 28 } as const;
/** The code path's compact record (CREC_*), in bytes. */
export const CREC = { size: 16, e0: 0, groups: 4, h: 8 } as const;

export const EVAL_CODE = { exact: 0, lut: 1 } as const;
/** Code-path evaluator by weight-code width in bytes. */
export const EVAL_CODE_LUT = { 1: 2, 2: 3, 4: 4 } as const;
export const SCHEDULE_CODE = { chromatic: 0, synchronous: 1, async: 2 } as const;
/** The chromatic and synchronous schedules on the grid layout (assembly/pbit/stencil.ts). */
export const GRID_SCHEDULE_CODE = { chromatic: 3, synchronous: 4 } as const;
