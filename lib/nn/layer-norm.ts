/**
 * Layer normalisation over the last axis, y = (x − mean) / √(variance + ε) · γ + β (Ba et al. 2016), as a layer
 * equal to `tf.layers.layerNormalization({ axis: -1 })` (same weights, same outputs) but trainable at speed.
 *
 * Why not tf.layers.layerNormalization: in TensorFlow.js 4.22 it tiles the mean, variance, γ and β to the
 * input's full shape, and the gradient of Tile is a JavaScript loop of one Slice and one Add per tile, so one
 * training step of a [32, 16, 32] input ran over 2,000 small kernels (measured: a one-block Transformer
 * classifier trained at 450 samples/s on the wasm backend, 2,200 of its 5,100 kernels per step being those
 * Slices and Adds). Broadcasting, as written here, has none of that.
 *
 *   const y = new LayerNorm({ name: "block_norm" }).apply(x) as tf.SymbolicTensor;   // weights: gamma, beta
 */
import { tf } from "../tf";

export class LayerNorm extends tf.layers.Layer {
  static className = "LibLayerNorm";
  readonly epsilon: number;
  private gamma: tf.LayerVariable | null = null;
  private beta: tf.LayerVariable | null = null;

  constructor(args: { epsilon?: number; name?: string } = {}) {
    super({ name: args.name });
    const epsilon = args.epsilon ?? 1e-3;
    if (!(epsilon > 0 && Number.isFinite(epsilon))) throw new RangeError(`LayerNorm: epsilon must be a finite number > 0, got ${args.epsilon}`);
    this.epsilon = epsilon;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const features = shape[shape.length - 1];
    if (typeof features !== "number") throw new RangeError(`LayerNorm "${this.name}": the last dimension must be known, got shape [${shape}]`);
    this.gamma = this.addWeight("gamma", [features], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [features], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    return tf.tidy(() => {
      const centred = x.sub(x.mean(-1, true));
      const inverseStd = centred.square().mean(-1, true).add(this.epsilon).rsqrt();
      return centred.mul(inverseStd).mul(this.gamma!.read()).add(this.beta!.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(LayerNorm);
