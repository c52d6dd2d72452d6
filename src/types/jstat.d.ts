// The parts of jstat (no bundled types) thermosim uses.
declare module "jstat" {
  export const jStat: {
    normal: { inv(p: number, mean: number, sd: number): number; cdf(x: number, mean: number, sd: number): number };
    chisquare: { inv(p: number, dof: number): number; cdf(x: number, dof: number): number };
    centralF: { cdf(x: number, df1: number, df2: number): number; inv(p: number, df1: number, df2: number): number };
    ibeta(x: number, a: number, b: number): number;
  };
}
