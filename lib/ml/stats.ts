/**
 * Small statistics over plain number arrays, shared by the classical estimators in lib/ml/.
 */

export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

export function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}

/** Population variance (divides by n, as numpy.var and scikit-learn). */
export function variance(values: ArrayLike<number>): number {
  const m = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - m) ** 2;
  return s / values.length;
}

/**
 * Whether a column whose computed mean and population variance are these is indistinguishable from a constant
 * one: round-off in the mean leaves a constant column of 0.1 a variance near 1e-34, not 0. scikit-learn's rule
 * (sklearn/preprocessing/_data.py, `_is_constant_feature`, from the error bound of the two-pass variance in
 * Chan, Golub & LeVeque, "Algorithms for computing the sample variance"):
 *     var <= n·eps·var + (n·mean·eps)²      with eps = 2⁻⁵² (float64)
 * The bound grows with the column's magnitude (1e10 or 1e-10 alike) and is 0 for a column of zeros, so a column
 * with a small but real spread (1e-20 apart, or 1e10 ± 1e-3) is not constant.
 */
export function isConstantFeature(variance: number, mean: number, n: number): boolean {
  const eps = Number.EPSILON;
  return variance <= n * eps * variance + (n * mean * eps) ** 2;
}

/** Index of the largest value; the first one on ties (numpy.argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

/** ‖a − b‖². */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j]! - b[j]!) ** 2;
  return s;
}
