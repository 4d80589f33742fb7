/**
 * Supervised windows from a time series for forecasting (Keras's `timeseries_dataset_from_array` with
 * targets shifted by the window): input i is `series[i·stride … i·stride + window − 1]`, its targets the next
 * `horizon` values. Cut train, validation and test segments in time order first and window each segment on
 * its own, so that no test value is ever inside a training input.
 *
 *   const { X, y } = slidingWindows(train, 20, 1);   // X: [n][20], y: [n][1]
 *   tf.tensor3d(X.map((row) => row.map((v) => [v])))  // [n, 20, 1] for an LSTM
 */

export interface Windows {
  /** [n][window] inputs */
  X: number[][];
  /** [n][horizon] targets: the values right after each input window */
  y: number[][];
  /** [n] index in `series` of each window's first target */
  targetIndex: number[];
}

export function slidingWindows(series: readonly number[], window: number, horizon = 1, options: { stride?: number } = {}): Windows {
  const { stride = 1 } = options;
  if (!Array.isArray(series)) throw new TypeError(`slidingWindows: series must be an array of numbers, got ${typeof series}`);
  series.forEach((v: unknown, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`slidingWindows: series[${i}] is ${String(v)}, not a finite number`);
  });
  for (const [name, value] of [["window", window], ["horizon", horizon], ["stride", stride]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`slidingWindows: ${name} must be an integer ≥ 1, got ${value}`);
  }
  if (series.length < window + horizon) {
    throw new RangeError(`slidingWindows: a series of ${series.length} values is too short for one window of ${window} inputs and ${horizon} target${horizon === 1 ? "" : "s"} (needs ${window + horizon})`);
  }
  const windows: Windows = { X: [], y: [], targetIndex: [] };
  for (let start = 0; start + window + horizon <= series.length; start += stride) {
    windows.X.push(series.slice(start, start + window));
    windows.y.push(series.slice(start + window, start + window + horizon));
    windows.targetIndex.push(start + window);
  }
  return windows;
}
