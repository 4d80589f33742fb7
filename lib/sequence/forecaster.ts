/**
 * The one-step LSTM forecaster of notebook 16. Two choices make a small LSTM competitive with a linear AR(p):
 *
 * - **level-free windows**: the model sees each window minus its last value and predicts the next change, so a
 *   trend that carries the test segment above every training value does not push tanh units out of range;
 * - **a linear skip** (LSTNet's autoregressive component, Lai et al. 2018): a Dense(1) on the raw window is
 *   added to the LSTM's output, so the network only has to learn what a linear model misses.
 *
 *   const model = buildLstmForecaster({ window: 20, units: 16, seed: 0 });
 *   await model.fit(levelFreeInputs(train.X, scale), levelFreeTargets(train.X, trainTargets, scale), { ... });
 *   const yHat = forecastNextValues(model, test.X, scale);
 */
import { tf } from "../tf";
import { assertSequenceInput } from "./shapes";

export interface LstmForecasterOptions {
  window: number;
  units: number;
  seed: number;
  learningRate?: number;
}

export function buildLstmForecaster({ window, units, seed, learningRate = 3e-3 }: LstmForecasterOptions): tf.LayersModel {
  for (const [name, value] of [["window", window], ["units", units], ["seed", seed]] as const) {
    if (!Number.isInteger(value) || (name !== "seed" && value < 1)) throw new RangeError(`buildLstmForecaster: ${name} must be an integer${name === "seed" ? "" : " ≥ 1"}, got ${value}`);
  }
  const input = tf.input({ shape: [window, 1] });
  const memory = tf.layers
    .lstm({ units, kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: tf.initializers.orthogonal({ seed: seed + 1 }) })
    .apply(input) as tf.SymbolicTensor;
  const nonlinear = tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }).apply(memory) as tf.SymbolicTensor;
  const linear = tf.layers.dense({ units: 1, kernelInitializer: "zeros" }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor;
  const output = tf.layers.add().apply([nonlinear, linear]) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: "lstm_forecaster" });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: "meanSquaredError" });
  return model;
}

/** [n, window, 1]: each window minus its last value, divided by `scale`. */
export function levelFreeInputs(X: readonly (readonly number[])[], scale: number): tf.Tensor3D {
  if (!(scale > 0)) throw new RangeError(`levelFreeInputs: scale must be > 0, got ${scale}`);
  const tensor = tf.tensor3d(X.map((row) => row.map((v) => [(v - row[row.length - 1]!) / scale])));
  assertSequenceInput(tensor, "levelFreeInputs");
  return tensor;
}

/** [n, 1]: the next value minus the window's last value, divided by `scale`. */
export function levelFreeTargets(X: readonly (readonly number[])[], next: readonly number[], scale: number): tf.Tensor2D {
  if (next.length !== X.length) throw new RangeError(`levelFreeTargets: ${X.length} windows but ${next.length} next values`);
  return tf.tensor2d(X.map((row, i) => [(next[i]! - row[row.length - 1]!) / scale]));
}

/** One-step forecasts on the original scale: last value + scale · predicted change. */
export function forecastNextValues(model: tf.LayersModel, X: readonly (readonly number[])[], scale: number): number[] {
  const changes = tf.tidy(() => {
    const inputs = levelFreeInputs(X, scale);
    return (model.predict(inputs) as tf.Tensor).dataSync();
  });
  return X.map((row, i) => row[row.length - 1]! + scale * changes[i]!);
}
