/**
 * The capsule-network pieces of lib/nn/capsules.ts as TensorFlow.js ops, differentiable, batched (the
 * version that trains; the float64 one is the reference it is tested against):
 *
 *   squashTf(s);                       // along the last axis
 *   routingTf(uHat, 3);                // uHat [batch][children][parents][dim] → v [batch][parents][dim]
 *   marginLossTf(lengths, oneHot);     // mean over the batch, m⁺ = 0.9, m⁻ = 0.1, λ = 0.5
 */
import { tf } from "../tf";

/** squash along the last axis: s · ‖s‖/(1 + ‖s‖²); the 1e-12 keeps the gradient finite at s = 0. */
export function squashTf(s: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const normSquared = tf.sum(tf.square(s), -1, true);
    return tf.mul(s, tf.div(tf.sqrt(tf.add(normSquared, 1e-12)), tf.add(1, normSquared)));
  });
}

/** Routing by agreement on uHat [batch][children][parents][dim] → parent capsules [batch][parents][dim]. */
export function routingTf(uHat: tf.Tensor, iterations = 3): tf.Tensor {
  if (uHat.rank !== 4) throw new RangeError(`routingTf: uHat must be [batch][children][parents][dim], got shape [${uHat.shape.join(", ")}]`);
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`routingTf: iterations must be a positive integer, got ${iterations}`);
  return tf.tidy(() => {
    let logits: tf.Tensor = tf.zeros(uHat.shape.slice(0, 3));
    let v = tf.zeros([1]);
    for (let r = 0; r < iterations; r++) {
      const coupling = tf.softmax(logits, -1); // over the parents
      v = squashTf(tf.sum(tf.mul(tf.expandDims(coupling, -1), uHat), 1));
      if (r < iterations - 1) logits = tf.add(logits, tf.sum(tf.mul(uHat, tf.expandDims(v, 1)), -1));
    }
    return v;
  });
}

/** Mean margin loss over the batch: lengths [batch][classes], one-hot targets of the same shape. */
export function marginLossTf(lengths: tf.Tensor, oneHot: tf.Tensor, options: { mPlus?: number; mMinus?: number; lambda?: number } = {}): tf.Scalar {
  const { mPlus = 0.9, mMinus = 0.1, lambda = 0.5 } = options;
  return tf.tidy(() => {
    const present = tf.mul(oneHot, tf.square(tf.relu(tf.sub(mPlus, lengths))));
    const absent = tf.mul(tf.mul(lambda, tf.sub(1, oneHot)), tf.square(tf.relu(tf.sub(lengths, mMinus))));
    return tf.mean(tf.sum(tf.add(present, absent), -1)) as tf.Scalar;
  });
}
