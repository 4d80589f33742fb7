/**
 * Hard parameter sharing for multi-task learning: one shared trunk (dense + ReLU) feeding one linear softmax
 * head per task, trained on a weighted sum of the heads' cross-entropies.
 *
 *   const net = new MultiTaskNetwork({ inputSize: 64, hiddenUnits: 32, heads: { digit: 10, parity: 2 }, seed: 0 });
 *   net.fit(x, { digit: digitLabels, parity: parityLabels }, { weights: { digit: 1, parity: 1 }, epochs: 50, … });
 *   net.accuracy(xTest, parityTest, "parity");
 *
 * A single-task model is the same class with one head, so a comparison changes nothing but the heads.
 * Weights are hand-written tf.Variables (Glorot-uniform kernels from a seeded `Random`, zero biases).
 */
import { tf } from "../tf";
import { Random } from "../random";
import { fitMinibatchLoss } from "./minibatch";

export interface MultiTaskOptions {
  inputSize: number;
  /** Units of the shared ReLU layer. */
  hiddenUnits: number;
  /** Head name → number of classes (≥ 2). */
  heads: Record<string, number>;
  /** Seeds the initial weights. */
  seed: number;
}

interface DenseWeights {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** Labels per head: class indices, one per example. */
export type HeadLabels = Record<string, readonly number[]>;

export interface MultiTaskFitOptions {
  /** Head name → weight of its loss; a head left out (or weighted 0) is not trained. */
  weights: Record<string, number>;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Seed of the batch order. */
  seed: number;
}

export class MultiTaskNetwork {
  readonly trunk: DenseWeights;
  readonly heads: Record<string, DenseWeights>;

  constructor(readonly options: MultiTaskOptions) {
    const { inputSize, hiddenUnits, heads, seed } = options;
    if (!Number.isInteger(inputSize) || inputSize < 1) throw new RangeError(`MultiTaskNetwork: inputSize must be an integer ≥ 1, got ${inputSize}`);
    if (!Number.isInteger(hiddenUnits) || hiddenUnits < 1) throw new RangeError(`MultiTaskNetwork: hiddenUnits must be an integer ≥ 1, got ${hiddenUnits}`);
    const names = Object.keys(heads);
    if (names.length === 0) throw new RangeError("MultiTaskNetwork: heads is empty; give at least one head");
    for (const name of names) {
      if (!Number.isInteger(heads[name]) || heads[name]! < 2) throw new RangeError(`MultiTaskNetwork: head "${name}" must have an integer ≥ 2 classes, got ${heads[name]}`);
    }
    const rng = new Random(seed);
    const dense = (rows: number, cols: number): DenseWeights => {
      const limit = Math.sqrt(6 / (rows + cols));
      return tf.tidy(() => ({
        kernel: tf.variable(tf.tensor2d(Array.from({ length: rows * cols }, () => rng.uniform(-limit, limit)), [rows, cols])),
        bias: tf.variable(tf.zeros([cols])),
      }));
    };
    this.trunk = dense(inputSize, hiddenUnits);
    this.heads = Object.fromEntries(names.map((name) => [name, dense(hiddenUnits, heads[name]!)]));
  }

  get headNames(): string[] {
    return Object.keys(this.heads);
  }

  trunkVariables(): tf.Variable[] {
    return [this.trunk.kernel, this.trunk.bias];
  }

  headVariables(name: string): tf.Variable[] {
    const head = this.head(name);
    return [head.kernel, head.bias];
  }

  get variables(): tf.Variable[] {
    return [...this.trunkVariables(), ...this.headNames.flatMap((name) => this.headVariables(name))];
  }

  /** The shared representation ReLU(x·W + b), [batch, hiddenUnits]. */
  features(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.relu(tf.add(tf.matMul(x, this.trunk.kernel), this.trunk.bias)) as tf.Tensor2D);
  }

  /** One head's logits [batch, classes] from the shared features. */
  headLogits(features: tf.Tensor2D, name: string): tf.Tensor2D {
    const head = this.head(name);
    return tf.tidy(() => tf.add(tf.matMul(features, head.kernel), head.bias) as tf.Tensor2D);
  }

  /** Mean softmax cross-entropy of each named head on x (all heads by default). */
  headLosses(x: tf.Tensor2D, labels: HeadLabels, names: readonly string[] = this.headNames): Record<string, tf.Scalar> {
    for (const name of names) {
      this.head(name);
      const y = labels[name];
      if (!y) throw new RangeError(`MultiTaskNetwork: no labels for head "${name}"`);
      if (y.length !== x.shape[0]) throw new RangeError(`MultiTaskNetwork: head "${name}" has ${y.length} labels for ${x.shape[0]} examples`);
    }
    const features = this.features(x);
    const losses = Object.fromEntries(names.map((name) => {
      const classes = this.options.heads[name]!;
      return [name, tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels[name] as number[], "int32"), classes), this.headLogits(features, name)) as tf.Scalar)];
    }));
    features.dispose();
    return losses;
  }

  /** Σ_h weights[h] · L_h over the heads with a non-zero weight: the multi-task objective. */
  weightedLoss(x: tf.Tensor2D, labels: HeadLabels, weights: Record<string, number>): tf.Scalar {
    const names = Object.keys(weights).filter((name) => weights[name] !== 0);
    for (const name of Object.keys(weights)) {
      this.head(name);
      if (!Number.isFinite(weights[name]) || weights[name]! < 0) throw new RangeError(`MultiTaskNetwork: weight of head "${name}" must be a finite number ≥ 0, got ${weights[name]}`);
    }
    if (names.length === 0) throw new RangeError("MultiTaskNetwork: every loss weight is 0; nothing to train");
    return tf.tidy(() => {
      const losses = this.headLosses(x, labels, names);
      return tf.addN(names.map((name) => tf.mul(losses[name]!, weights[name]!))) as tf.Scalar;
    });
  }

  /**
   * Mini-batch Adam (`fitMinibatchLoss`) on the weighted loss; only the trunk and the heads with a non-zero
   * weight are updated. Returns the mean loss of each epoch.
   */
  fit(x: tf.Tensor2D, labels: HeadLabels, options: MultiTaskFitOptions): number[] {
    const trained = Object.keys(options.weights).filter((name) => options.weights[name] !== 0);
    const variables = [...this.trunkVariables(), ...trained.flatMap((name) => this.headVariables(name))];
    return fitMinibatchLoss((rows) => {
      const index = tf.tensor1d(rows, "int32");
      const batchLabels = Object.fromEntries(trained.map((name) => [name, rows.map((r) => labels[name]![r]!)]));
      return this.weightedLoss(tf.gather(x, index) as tf.Tensor2D, batchLabels, options.weights);
    }, { examples: x.shape[0], epochs: options.epochs, batchSize: options.batchSize, learningRate: options.learningRate, seed: options.seed, variables });
  }

  /** Predicted class indices of one head. */
  predict(x: tf.Tensor2D, name: string): number[] {
    return tf.tidy(() => Array.from(this.headLogits(this.features(x), name).argMax(-1).dataSync()));
  }

  /** Fraction of examples whose head prediction equals the label. */
  accuracy(x: tf.Tensor2D, labels: readonly number[], name: string): number {
    const predicted = this.predict(x, name);
    if (labels.length !== predicted.length) throw new RangeError(`MultiTaskNetwork: ${labels.length} labels for ${predicted.length} examples`);
    return predicted.filter((p, i) => p === labels[i]).length / labels.length;
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }

  private head(name: string): DenseWeights {
    const head = this.heads[name];
    if (!head) throw new RangeError(`MultiTaskNetwork: no head "${name}" (heads: ${this.headNames.join(", ")})`);
    return head;
  }
}
