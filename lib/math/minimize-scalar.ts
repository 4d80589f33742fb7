/**
 * Minimising a function of one variable on an interval without derivatives: golden-section search, the method
 * of scipy's `minimize_scalar(method="golden")` and the core of its "bounded" method. It needs only f's values,
 * so it works where f has a kink (|w| at 0) and gives an independent check of closed-form minimisers.
 *
 *   const { x } = minimizeScalar((w) => (w - 3) ** 2 / 2 + Math.abs(w), -10, 10);   // 2, the soft-threshold
 */

export interface ScalarMinimum {
  /**
   * The point found: within `tol` of the minimiser when f is unimodal on the interval, but never closer than
   * round-off allows at a smooth minimum, about √ε·|x| ≈ 1e-8·|x| (at a kink, such as |x| at 0, much closer).
   */
  x: number;
  /** f(x). */
  value: number;
  /** Number of f evaluations. */
  evaluations: number;
}

const INVERSE_GOLDEN = (Math.sqrt(5) - 1) / 2;

/**
 * Golden-section search for the minimum of a unimodal (for example convex) f on [lower, upper]: each step
 * shrinks the bracket by 0.618, until it is narrower than `tol`. If the minimum lies at an end of the
 * interval, that end is returned.
 */
export function minimizeScalar(f: (x: number) => number, lower: number, upper: number, { tol = 1e-10 }: { tol?: number } = {}): ScalarMinimum {
  if (typeof f !== "function") throw new TypeError(`minimizeScalar: f must be a function, got ${typeof f}`);
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || !(lower < upper)) throw new RangeError(`minimizeScalar: need finite lower < upper, got [${lower}, ${upper}]`);
  if (!(tol > 0)) throw new RangeError(`minimizeScalar: tol must be > 0, got ${tol}`);
  let evaluations = 0;
  const evaluate = (x: number) => {
    evaluations++;
    const value = f(x);
    if (Number.isNaN(value)) throw new RangeError(`minimizeScalar: f(${x}) is NaN`);
    return value;
  };
  let [a, b] = [lower, upper];
  let c = b - INVERSE_GOLDEN * (b - a);
  let d = a + INVERSE_GOLDEN * (b - a);
  let fc = evaluate(c);
  let fd = evaluate(d);
  while (b - a > tol) {
    if (fc <= fd) {
      [b, d, fd] = [d, c, fc];
      c = b - INVERSE_GOLDEN * (b - a);
      fc = evaluate(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + INVERSE_GOLDEN * (b - a);
      fd = evaluate(d);
    }
  }
  // The best of the last interior points and both ends (a minimum at an end of the interval is never interior).
  const candidates = [[c, fc], [d, fd], [lower, evaluate(lower)], [upper, evaluate(upper)]] as [number, number][];
  const [x, value] = candidates.reduce((best, next) => (next[1] < best[1] ? next : best));
  return { x, value, evaluations };
}
