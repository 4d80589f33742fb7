/**
 * Fewer, shorter numbers for stored charts: a chart's JSON is stored in the notebook, so a trace needs
 * hundreds of points (what a reader can see), not tens of thousands, and 4 significant digits, not 17.
 *
 *   const keep = thinIndices(values.length, 300, { spacing: "log" });
 *   lineFigure([{ name: "loss", x: keep, y: roundSignificant(keep.map((t) => values[t]!)) }]);
 */

/**
 * At most `maxPoints` indices into an array of `length`, always including the first and the last, in
 * increasing order: evenly spaced (`"linear"`), or evenly spaced in log(1 + i) (`"log"`, for curves over
 * training steps drawn on a log axis or changing fastest at the start).
 */
export function thinIndices(length: number, maxPoints: number, { spacing = "linear" }: { spacing?: "linear" | "log" } = {}): number[] {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`thinIndices: length must be an integer ≥ 0, got ${length}`);
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`thinIndices: maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  if (spacing !== "linear" && spacing !== "log") throw new RangeError(`thinIndices: spacing must be "linear" or "log", got ${String(spacing)}`);
  if (length <= maxPoints) return Array.from({ length }, (_, i) => i);
  const last = length - 1;
  const position = (k: number) => {
    const u = k / (maxPoints - 1);
    return spacing === "linear" ? u * last : Math.expm1(u * Math.log1p(last));
  };
  const kept = new Set<number>();
  for (let k = 0; k < maxPoints; k++) kept.add(Math.min(last, Math.round(position(k))));
  kept.add(0);
  kept.add(last);
  return [...kept].sort((a, b) => a - b);
}

/** Each value rounded to `digits` significant digits (non-finite values unchanged). */
export function roundSignificant(values: ArrayLike<number>, digits = 4): number[] {
  if (!Number.isInteger(digits) || digits < 1 || digits > 15) throw new RangeError(`roundSignificant: digits must be an integer in 1…15, got ${digits}`);
  return Array.from(values, (v) => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(digits)) : v));
}
