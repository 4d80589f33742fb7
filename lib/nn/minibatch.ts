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
 */
import { tf } from "../tf";
import { Random } from "../random";

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
  const optimizer = tf.train.adam(options.learningRate);
  const order = new Random(options.seed);
  const lossPerEpoch: number[] = [];
  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const permutation = order.permutation(n);
      let total = 0;
      for (let start = 0; start < n; start += options.batchSize) {
        const rows = permutation.slice(start, start + options.batchSize);
        const batchLoss = tf.tidy(() => {
          const index = tf.tensor1d(rows, "int32");
          const xb = tf.gather(options.inputs, index);
          const yb = tf.gather(options.targets, index);
          return optimizer.minimize(() => options.loss(xb, yb), true, options.variables)!;
        });
        total += batchLoss.dataSync()[0]! * rows.length;
        batchLoss.dispose();
      }
      lossPerEpoch.push(total / n);
    }
  } finally {
    optimizer.dispose();
  }
  return lossPerEpoch;
}
