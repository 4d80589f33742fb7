/**
 * The two baselines every forecaster must beat before anyone looks at it (the S1-C25 / S4-C7 bug: a model with
 * no baseline and no metric). Both read the same windows a recurrent model reads (`slidingWindows`):
 *
 *   const persistence = persistenceForecast(test.X);                 // ŷ = last value of each window
 *   const ar = fitAutoregressive(train.X, train.y.map((r) => r[0]!));  // AR(p) by least squares, p = window
 *   ar.predict(test.X);
 */
import { leastSquares } from "../math/linalg";

function checkWindows(X: readonly (readonly number[])[], where: string): number {
  if (!Array.isArray(X) || X.length === 0) throw new RangeError(`${where}: expected a non-empty array of windows [n][window]`);
  const width = X[0]!.length;
  X.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) throw new RangeError(`${where}: window ${i} has ${Array.isArray(row) ? row.length : "no"} values where window 0 has ${width}`);
    if (width === 0) throw new RangeError(`${where}: windows are empty`);
    row.forEach((v, j) => {
      if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${where}: X[${i}][${j}] is ${String(v)}, not a finite number`);
    });
  });
  return width;
}

/** The naive forecast ŷₜ = yₜ₋₁: the last value of each window. */
export function persistenceForecast(X: readonly (readonly number[])[]): number[] {
  checkWindows(X, "persistenceForecast");
  return X.map((row) => row[row.length - 1]!);
}

export interface AutoregressiveModel {
  /** Coefficients of the window's values, oldest first ([p]). */
  coefficients: number[];
  intercept: number;
  /** One-step forecasts for windows of the same length ([n]). */
  predict(X: readonly (readonly number[])[]): number[];
}

/**
 * AR(p) by ordinary least squares: y ≈ intercept + Σⱼ coefficients[j] · X[j], p = the window length
 * (minimum-norm solution via the SVD, so collinear lags do not break it).
 */
export function fitAutoregressive(X: readonly (readonly number[])[], y: readonly number[], options: { intercept?: boolean } = {}): AutoregressiveModel {
  const { intercept: withIntercept = true } = options;
  const p = checkWindows(X, "fitAutoregressive");
  if (y.length !== X.length) throw new RangeError(`fitAutoregressive: ${X.length} windows but ${y.length} targets`);
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new TypeError(`fitAutoregressive: y[${i}] is ${String(v)}, not a finite number`);
  });
  const design = X.map((row) => (withIntercept ? [...row, 1] : [...row]));
  const solution = leastSquares(design, [...y]);
  const coefficients = solution.slice(0, p);
  const intercept = withIntercept ? solution[p]! : 0;
  return {
    coefficients,
    intercept,
    predict(windows) {
      const width = checkWindows(windows, "AutoregressiveModel.predict");
      if (width !== p) throw new RangeError(`AutoregressiveModel.predict: the model is AR(${p}) but the windows have ${width} values`);
      return windows.map((row) => row.reduce((acc, v, j) => acc + v * coefficients[j]!, intercept));
    },
  };
}
