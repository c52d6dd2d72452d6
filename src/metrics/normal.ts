/**
 * The standard normal quantile to double precision: Wichura's algorithm AS241
 * (PPND16, Applied Statistics 37, 1988), the one R's qnorm uses. Hand-written
 * because ESS checks against R need ~1e-15 and jstat's inverse is off by
 * ~3e-9 in the tails.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r + 3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1);
  }
  let r = q < 0 ? p : 1 - p;
  r = Math.sqrt(-Math.log(r));
  let v: number;
  if (r <= 5) {
    r -= 1.6;
    v = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r + 1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1);
  } else {
    r -= 5;
    v = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r + 6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1);
  }
  return q < 0 ? -v : v;
}

/**
 * P(Z > z) for a standard normal, accurate in the far tail (the p-values of
 * large z-scores): Laplace's continued fraction phi(z) / (z + 1/(z + 2/(z + ...)))
 * above 3, evaluated backwards; below it 1 - Phi(z) by the error function's
 * series, where no precision is lost.
 */
export function normalUpperTail(z: number): number {
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  if (z < 3) return 1 - normalCdf(z);
  let f = z;
  for (let k = 200; k >= 1; k--) f = z + k / f;
  return Math.exp(-0.5 * z * z - 0.9189385332046728) / f; // ln sqrt(2 pi) = 0.91893853...
}

/** Phi(z) = (1 + erf(z / sqrt 2)) / 2 by erf's Taylor series (|z| < 6: converges well within 120 terms). */
function normalCdf(z: number): number {
  if (z <= -6) return normalUpperTail(-z);
  const x = z / Math.SQRT2;
  let term = x;
  let sum = x;
  for (let k = 1; k < 200; k++) {
    term *= (-x * x) / k;
    const add = term / (2 * k + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return 0.5 + sum / Math.sqrt(Math.PI);
}
