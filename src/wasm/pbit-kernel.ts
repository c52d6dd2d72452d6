/** The p-bit kernel's exports (assembly/pbit/index.ts), typed. */
export interface PbitKernel {
  allocate(n: number, nnz: number, nClasses: number, lutEntries: number): void;
  setParams(accMax: number, lutInvStep: number, compareBits: number, bitsPerDraw: number, secondsPerCycle: number): void;
  selectActivation(kind: number): void;
  selectRng(kind: number, lfsrShiftsPerRead: number, dwellSeconds: number): void;
  setupAsync(meanFlipTime: number, synapseDelay: number): void;
  applyMismatch(seed: bigint, gainSigma: number, offsetSigma: number): void;
  program(): void;
  seedChain(seed: bigint, chainIndex: number): void;
  outputBuffer(bytes: number): number;
  run(schedule: number, sweeps: number, thin: number, record: number): void;
  chipSeconds(): number;
  telegraphRefreshes(): bigint;
  asyncHistoryOverflows(): bigint;
  ptrOff(): number;
  ptrNbr(): number;
  ptrW(): number;
  ptrH(): number;
  ptrGain(): number;
  ptrXoff(): number;
  ptrFanIn(): number;
  ptrPhys(): number;
  ptrState(): number;
  ptrMembers(): number;
  ptrClassStart(): number;
  ptrClassCounts(): number;
  ptrSyncCounts(): number;
  ptrCounters(): number;
  ptrLut(): number;
}

export const ACT_CODE = { exact: 0, lut: 1 } as const;
export const SCHEDULE_CODE = { chromatic: 0, synchronous: 1, async: 2 } as const;
