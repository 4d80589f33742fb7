/**
 * Batch normalization by hand, in float64, with Keras' / TensorFlow.js's conventions (momentum 0.99,
 * epsilon 1e-3, biased batch variance), over the last axis of rows of channel values: an image batch
 * [N][H][W][C] is passed as its N·H·W pixel vectors [N·H·W][C].
 *
 *   const state = initialBatchNormState(C);                          // γ = 1, β = 0, mean 0, variance 1
 *   const { output, next } = batchNormForward(rows, state, { training: true });
 *
 * Training mode normalises with the batch's own mean and variance and moves the running averages
 *   moving ← momentum · moving + (1 − momentum) · batch statistic;
 * inference mode normalises with the running averages and changes nothing:
 *   y = γ · (x − μ) / √(σ² + ε) + β.
 */

export interface BatchNormState {
  gamma: number[];
  beta: number[];
  movingMean: number[];
  movingVariance: number[];
}

export interface BatchNormOptions {
  training: boolean;
  /** Weight of the old running average in each update; Keras' default 0.99 (PyTorch's momentum = 1 − this). */
  momentum?: number;
  /** Added to the variance before the square root; Keras' default 1e-3. */
  epsilon?: number;
}

/** γ = 1, β = 0, moving mean 0, moving variance 1: Keras' initial state for C channels. */
export function initialBatchNormState(channels: number): BatchNormState {
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`initialBatchNormState: channels must be a positive integer, got ${channels}`);
  return { gamma: new Array<number>(channels).fill(1), beta: new Array<number>(channels).fill(0), movingMean: new Array<number>(channels).fill(0), movingVariance: new Array<number>(channels).fill(1) };
}

/**
 * One forward pass. rows: [M][C]. Returns the normalised rows, the statistics used (the batch's in training,
 * the running ones in inference) and the state after the pass (`next`; the input state is not modified).
 */
export function batchNormForward(
  rows: number[][],
  state: BatchNormState,
  options: BatchNormOptions,
): { output: number[][]; mean: number[]; variance: number[]; next: BatchNormState } {
  const momentum = options.momentum ?? 0.99;
  const epsilon = options.epsilon ?? 1e-3;
  if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`batchNormForward: momentum must be in [0, 1], got ${momentum}`);
  if (!(epsilon >= 0)) throw new RangeError(`batchNormForward: epsilon must be ≥ 0, got ${epsilon}`);
  const channels = state.gamma.length;
  for (const key of ["beta", "movingMean", "movingVariance"] as const) {
    if (state[key].length !== channels) throw new RangeError(`batchNormForward: state.${key} has ${state[key].length} channels, gamma has ${channels}`);
  }
  if (rows.length === 0) throw new RangeError("batchNormForward: rows is empty");
  rows.forEach((row, i) => {
    if (row.length !== channels) throw new RangeError(`batchNormForward: rows[${i}] has ${row.length} values, the state has ${channels} channels`);
  });
  const m = rows.length;
  const batchMean = Array.from({ length: channels }, (_, c) => rows.reduce((s, r) => s + r[c]!, 0) / m);
  const batchVariance = Array.from({ length: channels }, (_, c) => rows.reduce((s, r) => s + (r[c]! - batchMean[c]!) ** 2, 0) / m);
  const [mean, variance] = options.training ? [batchMean, batchVariance] : [state.movingMean, state.movingVariance];
  const output = rows.map((r) => r.map((x, c) => (state.gamma[c]! * (x - mean[c]!)) / Math.sqrt(variance[c]! + epsilon) + state.beta[c]!));
  const moved = (moving: number[], batch: number[]) => moving.map((v, c) => momentum * v + (1 - momentum) * batch[c]!);
  const next: BatchNormState = options.training
    ? { ...state, movingMean: moved(state.movingMean, batchMean), movingVariance: moved(state.movingVariance, batchVariance) }
    : { ...state };
  return { output, mean: [...mean], variance: [...variance], next };
}
