/** Trailing moving average for noisy curves (returns per episode): out[i] = mean of xs[max(0, i − window + 1) … i]. */
export function movingAverage(xs: readonly number[], window: number): number[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`movingAverage: window must be a positive integer, got ${window}`);
  const out: number[] = [];
  let sum = 0;
  xs.forEach((x, i) => {
    sum += x;
    if (i >= window) sum -= xs[i - window]!;
    out.push(sum / Math.min(i + 1, window));
  });
  return out;
}
