/**
 * Paired comparisons of two systems scored on the same items (images): the
 * mean of the per-item differences and its standard error. Pairing removes
 * the items' own difficulty from the comparison, which two independent
 * accuracies on different item sets cannot.
 */

/** Mean of a - b over items (1 = correct, 0 = wrong) and its standard error; items one got right and the other wrong. */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): { mean: number; se: number; gained: number; lost: number; n: number } {
  if (a.length !== b.length) throw new Error(`paired difference of ${a.length} and ${b.length} items`);
  const n = a.length;
  let sum = 0;
  let sq = 0;
  let gained = 0;
  let lost = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i] - b[i];
    sum += d;
    sq += d * d;
    if (d > 0) gained++;
    if (d < 0) lost++;
  }
  const mean = sum / n;
  // Sample variance of the differences (n - 1), then the standard error of their mean.
  const variance = n > 1 ? (sq - n * mean * mean) / (n - 1) : NaN;
  return { mean, se: Math.sqrt(Math.max(0, variance) / n), gained, lost, n };
}

/** Binomial standard error of a proportion p measured on n items (from the measured p, not an assumed one). */
export function proportionSe(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
