/**
 * Measuring how a recurrent network forgets: the size of ∂h_T/∂h_0 (how much the last state still depends on
 * the first) as the lag T grows, and the exponential rate at which it shrinks.
 *
 *   const norm = jacobianFrobeniusNorm((h0) => runCell(h0, inputs.slice(0, T)), h0);
 *   const { slope, rSquared } = fitLogLinear(lags, norms);   // norm ≈ e^{intercept + slope·T}
 */

/**
 * ‖∂f/∂x‖_F at x0 by central differences, one column per input: f is evaluated 2·x0.length times. In float64
 * with the default step 1e-5 the error is about 1e-10 absolute, so norms far below that are noise.
 */
export function jacobianFrobeniusNorm(f: (x: number[]) => readonly number[], x0: readonly number[], options: { step?: number } = {}): number {
  const { step = 1e-5 } = options;
  if (!(step > 0)) throw new RangeError(`jacobianFrobeniusNorm: step must be > 0, got ${step}`);
  if (x0.length === 0) throw new RangeError("jacobianFrobeniusNorm: x0 is empty");
  let sumOfSquares = 0;
  for (let k = 0; k < x0.length; k++) {
    const plus = [...x0];
    const minus = [...x0];
    plus[k]! += step;
    minus[k]! -= step;
    const up = f(plus);
    const down = f(minus);
    if (up.length !== down.length) throw new RangeError(`jacobianFrobeniusNorm: f returned ${up.length} then ${down.length} values`);
    for (let j = 0; j < up.length; j++) sumOfSquares += ((up[j]! - down[j]!) / (2 * step)) ** 2;
  }
  if (!Number.isFinite(sumOfSquares)) throw new RangeError("jacobianFrobeniusNorm: f returned a non-finite value");
  return Math.sqrt(sumOfSquares);
}

export interface LogLinearFit {
  /** d ln(y) / dx: < 0 for a decay; e^slope is the factor per unit of x. */
  slope: number;
  intercept: number;
  /** Coefficient of determination of the straight-line fit of ln(y) on x. */
  rSquared: number;
}

/** Least-squares line through (x, ln y): the rate of an exponential decay or growth, and how straight it is. */
export function fitLogLinear(x: readonly number[], y: readonly number[]): LogLinearFit {
  if (x.length !== y.length) throw new RangeError(`fitLogLinear: ${x.length} x values but ${y.length} y values`);
  if (x.length < 3) throw new RangeError(`fitLogLinear: needs at least 3 points, got ${x.length}`);
  y.forEach((v, i) => {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`fitLogLinear: y[${i}] = ${v}; a log-linear fit needs positive finite values`);
  });
  const logY = y.map(Math.log);
  const n = x.length;
  const meanX = x.reduce((a, b) => a + b, 0) / n;
  const meanY = logY.reduce((a, b) => a + b, 0) / n;
  const sxx = x.reduce((a, v) => a + (v - meanX) ** 2, 0);
  if (sxx === 0) throw new RangeError("fitLogLinear: all x values are equal");
  const sxy = x.reduce((a, v, i) => a + (v - meanX) * (logY[i]! - meanY), 0);
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  const totalSquares = logY.reduce((a, v) => a + (v - meanY) ** 2, 0);
  const residualSquares = logY.reduce((a, v, i) => a + (v - intercept - slope * x[i]!) ** 2, 0);
  return { slope, intercept, rSquared: totalSquares === 0 ? 1 : 1 - residualSquares / totalSquares };
}
