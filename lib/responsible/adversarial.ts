/**
 * Adversarial examples (notebook 34).
 *
 *   const xAdv = fgsm((x) => tf.losses.softmaxCrossEntropy(labels, model.predict(x)), images, 0.2);
 */
import { tf } from "../tf";

/**
 * The fast gradient sign method (Goodfellow et al. 2015): x + ε·sign(∇ₓ loss), clipped to the valid input
 * range, so every input moves by at most ε (L∞) and stays a valid image. `loss` maps the batch to a scalar.
 */
export function fgsm(loss: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor, epsilon: number, range: readonly [number, number] = [0, 1]): tf.Tensor {
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new RangeError(`fgsm: epsilon must be a finite number ≥ 0, got ${epsilon}`);
  if (!(range[0] < range[1])) throw new RangeError(`fgsm: range must be [low, high] with low < high, got [${range}]`);
  return tf.tidy(() => {
    const gradient = tf.grad(loss)(x);
    return x.add(gradient.sign().mul(epsilon)).clipByValue(range[0], range[1]);
  });
}
