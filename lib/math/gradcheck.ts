/**
 * Finite-difference gradient checking: the independent truth for any hand-written backward pass.
 *
 *   const numeric = numericalGradient((p) => loss(p), params);   // central differences
 *   gradientRelativeError(handGradient, numeric)                 // < 1e-6 in float64 means correct
 *
 * Central differences have O(ε²) truncation error and O(δ/ε) round-off error (δ ≈ 1e-16), so ε ≈ 1e-5
 * balances the two at about 1e-10 for smooth functions of order-one values.
 */
export function numericalGradient(f: (params: number[]) => number, params: readonly number[], epsilon = 1e-5): number[] {
  if (!(epsilon > 0)) throw new RangeError(`numericalGradient: epsilon must be > 0, got ${epsilon}`);
  const point = [...params];
  return point.map((value, i) => {
    point[i] = value + epsilon;
    const plus = f(point);
    point[i] = value - epsilon;
    const minus = f(point);
    point[i] = value;
    const slope = (plus - minus) / (2 * epsilon);
    if (!Number.isFinite(slope)) throw new RangeError(`numericalGradient: f is not finite around parameter ${i} (${value})`);
    return slope;
  });
}

/**
 * max_i |a_i − b_i| / max(|a_i| + |b_i|, floor): the usual gradient-check statistic (CS231n). The floor keeps
 * parameters whose true gradient is zero from dividing round-off by zero.
 */
export function gradientRelativeError(analytic: readonly number[], numeric: readonly number[], floor = 1e-8): number {
  if (analytic.length !== numeric.length) {
    throw new RangeError(`gradientRelativeError: ${analytic.length} analytic vs ${numeric.length} numeric entries`);
  }
  return analytic.reduce((worst, a, i) => {
    const n = numeric[i]!;
    return Math.max(worst, Math.abs(a - n) / Math.max(Math.abs(a) + Math.abs(n), floor));
  }, 0);
}
