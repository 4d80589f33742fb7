/**
 * Mini-batch Adam over hand-written tf.Variables (no tf.LayersModel), with a seeded batch order:
 *
 *   const lossPerEpoch = fitMinibatches({
 *     inputs: x, targets: y, variables: [w, b],
 *     loss: (xb, yb) => tf.losses.softmaxCrossEntropy(yb, logits(xb)) as tf.Scalar,
 *     epochs: 3, batchSize: 32, learningRate: 0.01, seed: 7,
 *   });
 *
 * Each epoch visits every example once in the order of `new Random(seed).permutation(n)` (the next permutation
 * for the next epoch); the last batch may be smaller. Returns the mean training loss of each epoch (weighted by
 * batch size). Every intermediate tensor is freed (tf.tidy), as is the optimizer at the end.
 *
 * `fitMinibatchLoss(rows => loss, { examples, … })` is the same loop for any batch loss (a LayersModel with several
 * inputs, a CTC loss on ragged labels), with optional gradient clipping and learning-rate decay.
 */
import { tf } from "../tf";
import { Random } from "../random";
import { clipByGlobalNorm } from "./clipping";

export interface MinibatchOptions {
  /** Examples along axis 0. */
  inputs: tf.Tensor;
  /** Targets along axis 0, as many as inputs. */
  targets: tf.Tensor;
  variables: tf.Variable[];
  /** The scalar loss of one batch. */
  loss: (inputs: tf.Tensor, targets: tf.Tensor) => tf.Scalar;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

export function fitMinibatches(options: MinibatchOptions): number[] {
  const n = options.inputs.shape[0]!;
  if (options.targets.shape[0] !== n) throw new RangeError(`fitMinibatches: inputs has ${n} examples but targets has ${options.targets.shape[0]}`);
  for (const key of ["epochs", "batchSize"] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new RangeError(`fitMinibatches: ${key} must be a positive integer, got ${options[key]}`);
  }
  if (!(options.learningRate > 0)) throw new RangeError(`fitMinibatches: learningRate must be > 0, got ${options.learningRate}`);
  if (options.variables.length === 0) throw new RangeError("fitMinibatches: variables is empty");
  return fitMinibatchLoss((rows) => {
    const index = tf.tensor1d(rows, "int32");
    return options.loss(tf.gather(options.inputs, index), tf.gather(options.targets, index));
  }, { examples: n, epochs: options.epochs, batchSize: options.batchSize, learningRate: options.learningRate, seed: options.seed, variables: options.variables });
}

export interface MinibatchLoopOptions {
  /** Number of examples; `batchLoss` gets their indices, batchSize at a time. */
  examples: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed of the batch order. */
  seed: number;
  /** The variables to train (default: every trainable variable the loss touches). */
  variables?: tf.Variable[];
  /** The learning rate is multiplied by this after every epoch (default 1). */
  learningRateDecay?: number;
  /** Clip the gradient to this global norm before each step (default: no clipping). */
  clipNorm?: number;
  /** Called after each epoch with its mean loss. */
  onEpoch?: (epoch: number, loss: number) => void;
  /** Called after each optimizer step with the step's number (1, 2, …, across epochs) and its batch's loss. */
  onBatch?: (step: number, loss: number) => void;
}

/**
 * The loop under fitMinibatches, for any batch loss: `batchLoss(rows)` builds the scalar loss of the examples
 * `rows` (run inside tf.tidy and the optimizer's gradient tape). Same seeded order, Adam, optional gradient
 * clipping and per-epoch learning-rate decay; returns the mean loss of each epoch.
 */
export function fitMinibatchLoss(batchLoss: (rows: number[]) => tf.Scalar, options: MinibatchLoopOptions): number[] {
  const { examples, learningRateDecay = 1, clipNorm } = options;
  for (const key of ["examples", "epochs", "batchSize"] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new RangeError(`fitMinibatchLoss: ${key} must be a positive integer, got ${options[key]}`);
  }
  if (!(options.learningRate > 0)) throw new RangeError(`fitMinibatchLoss: learningRate must be > 0, got ${options.learningRate}`);
  if (!(learningRateDecay > 0)) throw new RangeError(`fitMinibatchLoss: learningRateDecay must be > 0, got ${learningRateDecay}`);
  if (clipNorm !== undefined && !(clipNorm > 0)) throw new RangeError(`fitMinibatchLoss: clipNorm must be > 0, got ${clipNorm}`);
  const optimizer = tf.train.adam(options.learningRate);
  // tf.train optimizers read their step size from this (untyped) field at every step.
  const schedule = optimizer as unknown as { learningRate: number };
  const order = new Random(options.seed);
  const lossPerEpoch: number[] = [];
  let steps = 0;
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const permutation = order.permutation(examples);
      let total = 0;
      for (let start = 0; start < examples; start += options.batchSize) {
        const rows = permutation.slice(start, start + options.batchSize);
        const loss = tf.tidy(() => {
          if (clipNorm === undefined) return optimizer.minimize(() => batchLoss(rows), true, options.variables)!;
          const { value, grads } = optimizer.computeGradients(() => batchLoss(rows), options.variables);
          optimizer.applyGradients(Object.entries(clipByGlobalNorm(grads, clipNorm).clipped).map(([name, tensor]) => ({ name, tensor })));
          return value;
        });
        const batchLossValue = loss.dataSync()[0]!;
        total += batchLossValue * rows.length;
        loss.dispose();
        options.onBatch?.(++steps, batchLossValue);
      }
      lossPerEpoch.push(total / examples);
      options.onEpoch?.(epoch + 1, total / examples);
      schedule.learningRate *= learningRateDecay;
    }
  } finally {
    optimizer.dispose();
  }
  return lossPerEpoch;
}
