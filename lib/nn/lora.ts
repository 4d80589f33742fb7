/**
 * LoRA (low-rank adaptation, Hu et al. 2021) for a dense layer: the pretrained kernel W [dIn, dOut] and bias stay
 * frozen, and the layer learns a low-rank correction
 *
 *   y = activation(x·W + b + (α/r)·(x·A)·B),   A [dIn, r] random,  B [r, dOut] zeros,
 *
 * so at step 0 the layer computes exactly what the frozen one did (B = 0), and training touches r·(dIn + dOut)
 * numbers instead of dIn·dOut. A is initialised as PEFT / loralib do (Kaiming-uniform with a = √5, i.e.
 * U(−1/√dIn, 1/√dIn)), seeded. After training, `mergedKernel()` folds the correction into one matrix
 * W + (α/r)·A·B, so serving costs nothing extra.
 *
 *   const lora = LoraDense.fromDense(pretrained.getLayer("head_dense"), { rank: 4, alpha: 8, seed: 0 });
 *   const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [256] }), lora, newHead] });
 *   model.trainableWeights;   // lora_A, lora_B and newHead's weights; W and b are not among them
 *
 * The layer works in any tf.LayersModel and trains with model.fit or an optimizer (it is built from tf ops, so
 * its gradients are tf's own). Notebook 15 uses it; the attention projections of a Transformer get theirs from
 * attention/multi-head.ts (`lora`) and attention/attention-lora.ts (notebook 23).
 */
import { tf } from "../tf";

export interface LoraDenseArgs {
  /** The frozen pretrained kernel, [dIn, dOut] (copied; the caller keeps ownership). */
  kernel: tf.Tensor2D;
  /** The frozen pretrained bias, [dOut] (copied), or none. */
  bias?: tf.Tensor1D | null;
  /** Rank r of the correction, 1 ≤ r ≤ min(dIn, dOut). */
  rank: number;
  /** Scale numerator α: the correction is multiplied by α/r (default r, i.e. scale 1). */
  alpha?: number;
  /** Activation applied after the sum (default "linear"), as in tf.layers.dense. */
  activation?: string;
  /** Seed of A's initializer. */
  seed: number;
  name?: string;
}

/** Trainable parameters of a rank-r LoRA on a dIn × dOut kernel: r·(dIn + dOut). */
export function loraParameterCount(dIn: number, dOut: number, rank: number): number {
  return rank * (dIn + dOut);
}

export class LoraDense extends tf.layers.Layer {
  static className = "LoraDense";
  readonly rank: number;
  readonly alpha: number;
  readonly units: number;
  readonly inputDim: number;
  private readonly activationName: string;
  private readonly seed: number;
  private readonly kernelValues: Float32Array;
  private readonly biasValues: Float32Array | null;
  private kernelVariable: tf.LayerVariable | null = null;
  private biasVariable: tf.LayerVariable | null = null;
  private loraAVariable: tf.LayerVariable | null = null;
  private loraBVariable: tf.LayerVariable | null = null;

  constructor(args: LoraDenseArgs) {
    super({ name: args.name });
    if (!args.kernel || args.kernel.rank !== 2) throw new RangeError(`LoraDense: kernel must be a 2-D tensor [dIn, dOut], got rank ${args.kernel?.rank}`);
    const [inputDim, units] = args.kernel.shape;
    if (!Number.isInteger(args.rank) || args.rank < 1 || args.rank > Math.min(inputDim, units)) {
      throw new RangeError(`LoraDense: rank must be an integer in [1, min(dIn, dOut) = ${Math.min(inputDim, units)}], got ${args.rank}`);
    }
    const alpha = args.alpha ?? args.rank;
    if (!(Number.isFinite(alpha) && alpha > 0)) throw new RangeError(`LoraDense: alpha must be a finite number > 0, got ${args.alpha}`);
    if (args.bias && (args.bias.rank !== 1 || args.bias.shape[0] !== units)) throw new RangeError(`LoraDense: bias must have shape [${units}], got [${args.bias.shape}]`);
    if (!Number.isInteger(args.seed)) throw new RangeError(`LoraDense: seed must be an integer, got ${args.seed}`);
    this.rank = args.rank;
    this.alpha = alpha;
    this.units = units;
    this.inputDim = inputDim;
    this.activationName = args.activation ?? "linear";
    if (!["linear", "relu", "tanh", "sigmoid", "softmax"].includes(this.activationName)) {
      throw new RangeError(`LoraDense: activation "${this.activationName}" is not supported (linear, relu, tanh, sigmoid, softmax)`);
    }
    this.seed = args.seed;
    this.kernelValues = Float32Array.from(args.kernel.dataSync());
    this.biasValues = args.bias ? Float32Array.from(args.bias.dataSync()) : null;
  }

  /** A LoRA on a built tf.layers.dense: its kernel, bias and activation, frozen. */
  static fromDense(dense: tf.layers.Layer, options: { rank: number; alpha?: number; seed: number; name?: string }): LoraDense {
    if (dense.getClassName() !== "Dense") throw new TypeError(`LoraDense.fromDense: expected a Dense layer, got ${dense.getClassName()} "${dense.name}"`);
    const weights = dense.getWeights();
    if (weights.length === 0) throw new Error(`LoraDense.fromDense: layer "${dense.name}" is not built yet (call it or put it in a model first)`);
    const activation = (dense.getConfig() as { activation?: string }).activation ?? "linear";
    return new LoraDense({ kernel: weights[0] as tf.Tensor2D, bias: (weights[1] as tf.Tensor1D | undefined) ?? null, activation, ...options });
  }

  /** The correction's scale α/r. */
  get scaling(): number {
    return this.alpha / this.rank;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const last = shape[shape.length - 1];
    if (last !== this.inputDim) throw new RangeError(`LoraDense "${this.name}": input has ${last} features, the frozen kernel expects ${this.inputDim}`);
    const bound = 1 / Math.sqrt(this.inputDim);
    this.kernelVariable = this.addWeight("kernel", [this.inputDim, this.units], "float32", tf.initializers.zeros(), undefined, false);
    this.kernelVariable.write(tf.tensor2d(this.kernelValues, [this.inputDim, this.units]));
    if (this.biasValues) {
      this.biasVariable = this.addWeight("bias", [this.units], "float32", tf.initializers.zeros(), undefined, false);
      this.biasVariable.write(tf.tensor1d(this.biasValues));
    }
    this.loraAVariable = this.addWeight("lora_A", [this.inputDim, this.rank], "float32", tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed: this.seed }), undefined, true);
    this.loraBVariable = this.addWeight("lora_B", [this.rank, this.units], "float32", tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
      const flat = x.reshape([-1, this.inputDim]) as tf.Tensor2D;
      // The frozen product exactly as tf.layers.dense computes it (a fused matMul with the bias for linear and ReLU,
      // else matMul then bias), so that with B = 0 the output is bit-identical to the pretrained layer's on every backend.
      const kernel = this.kernelVariable!.read() as tf.Tensor2D;
      const bias = this.biasVariable?.read();
      let y: tf.Tensor = FUSED_LIKE_DENSE.has(this.activationName) ? tf.fused.matMul({ a: flat, b: kernel, bias }) : tf.matMul(flat, kernel);
      if (bias && !FUSED_LIKE_DENSE.has(this.activationName)) y = y.add(bias);
      const low = tf.matMul(tf.matMul(flat, this.loraAVariable!.read() as tf.Tensor2D), this.loraBVariable!.read() as tf.Tensor2D);
      y = y.add(low.mul(this.scaling));
      y = applyActivation(y, this.activationName);
      return y.reshape([...x.shape.slice(0, -1), this.units]);
    });
  }

  /** W + (α/r)·A·B, [dIn, dOut]: the kernel of an ordinary dense layer computing the same function (caller disposes). */
  mergedKernel(): tf.Tensor2D {
    if (!this.built) throw new Error(`LoraDense "${this.name}": not built yet`);
    return tf.tidy(() => this.kernelVariable!.read().add(tf.matMul(this.loraAVariable!.read() as tf.Tensor2D, this.loraBVariable!.read() as tf.Tensor2D).mul(this.scaling)) as tf.Tensor2D);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, rank: this.rank, alpha: this.alpha, activation: this.activationName, seed: this.seed };
  }
}
tf.serialization.registerClass(LoraDense);

/** Activations tf.layers.dense fuses into its matMul (tfjs-layers' mapActivationToFusedKernel, less elu). */
const FUSED_LIKE_DENSE = new Set(["linear", "relu"]);

function applyActivation(y: tf.Tensor, name: string): tf.Tensor {
  switch (name) {
    case "linear": return y;
    case "relu": return tf.relu(y);
    case "tanh": return tf.tanh(y);
    case "sigmoid": return tf.sigmoid(y);
    case "softmax": return tf.softmax(y);
    default: throw new RangeError(`LoraDense: activation "${name}" is not supported (linear, relu, tanh, sigmoid, softmax)`);
  }
}
