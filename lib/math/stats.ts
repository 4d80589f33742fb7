/**
 * Summary statistics for Monte-Carlo checks: a simulated mean is compared with an exact value within a few
 * standard errors.
 *
 *   const { mean, standardError } = meanAndStandardError(finalLosses);
 *   check("simulation = recursion", Math.abs(mean - exact) < 4 * standardError);
 */

/** The sample mean and its standard error s/√n (s with the n − 1 denominator). Needs at least two finite values. */
export function meanAndStandardError(values: ArrayLike<number>): { mean: number; standardError: number } {
  const n = values.length;
  if (n < 2) throw new RangeError(`meanAndStandardError: values needs at least 2 entries, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`meanAndStandardError: values[${i}] is not finite (${values[i]})`);
    sum += values[i]!;
  }
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return { mean, standardError: Math.sqrt(squares / (n - 1) / n) };
}
