/**
 * Sequence → vector pooling that ignores padding, as a TensorFlow.js layer for functional models:
 *
 *   mean = Σₜ maskₜ · xₜ / Σₜ maskₜ       inputs [x [batch, T, d], mask [batch, T]] (1 = token, 0 = padding)
 *
 * A plain GlobalAveragePooling1D divides by T and mixes the padding vectors in, so a sentence's vector would
 * depend on how much it was padded. A row with no tokens pools to zeros (not NaN).
 *
 *   const mask = new PaddingMask().apply(ids) as tf.SymbolicTensor;
 *   const sentence = new MaskedMeanPooling().apply([tokens, mask]) as tf.SymbolicTensor;   // [batch, d]
 */
import { tf } from "../tf";

export class MaskedMeanPooling extends tf.layers.Layer {
  static className = "LibMaskedMeanPooling";

  constructor(args: { name?: string } = {}) {
    super({ name: args.name, trainable: false });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [x] = checkShapes(inputShape, this.name);
    return [x[0]!, x[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [x, mask] = Array.isArray(inputs) ? inputs : [inputs];
    checkShapes([x!.shape, mask?.shape ?? []], this.name);
    return tf.tidy(() => {
      const weights = mask!.toFloat().expandDims(-1); // [batch, T, 1]
      const counts = weights.sum(1).maximum(1e-9); // a row of padding only: 0 / tiny = 0
      return x!.mul(weights).sum(1).div(counts);
    });
  }
}
tf.serialization.registerClass(MaskedMeanPooling);

function checkShapes(inputShape: tf.Shape | tf.Shape[], name: string): [tf.Shape, tf.Shape] {
  const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as tf.Shape[];
  const [x, mask] = shapes;
  if (shapes.length !== 2 || !x || !mask || x.length !== 3 || mask.length !== 2 || (x[1] !== null && mask[1] !== null && x[1] !== mask[1])) {
    throw new RangeError(`MaskedMeanPooling "${name}": expected [x [batch, T, d], mask [batch, T]], got shapes ${shapes.map((s) => `[${s}]`).join(", ")}`);
  }
  return [x, mask];
}
