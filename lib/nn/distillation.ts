/**
 * Knowledge distillation (Hinton, Vinyals & Dean 2015): a student learns from a teacher's softened probabilities.
 *
 *   loss = α · T² · CE(softmax(z_t / T), softmax(z_s / T))  +  (1 − α) · CE(y, softmax(z_s))
 *
 * with z_t, z_s the teacher's and student's logits, T the temperature and y the one-hot labels. The T² keeps the
 * soft term's gradients the same size as T changes (they scale as 1/T²). The soft term is written as a cross-entropy;
 * the KL divergence used by some libraries differs from it by the teacher's entropy, a constant that has the same
 * gradient. At T = 1 and α = 1 the loss is the cross-entropy of the student against the teacher's probabilities.
 *
 *   distillationLoss(studentLogits, teacherLogits, oneHotLabels, { temperature: 4, alpha: 0.9 }) // scalar tensor, batch mean
 */
import { tf } from "../tf";

export interface DistillationOptions {
  temperature: number;
  /** Weight of the soft (teacher) term; 1 − alpha goes to the hard labels. */
  alpha: number;
}

export function distillationLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, oneHotLabels: tf.Tensor2D | null, options: DistillationOptions): tf.Scalar {
  const { temperature: T, alpha } = options;
  if (!(T > 0 && Number.isFinite(T))) throw new RangeError(`distillationLoss: temperature must be a positive number, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`distillationLoss: alpha must be in [0, 1], got ${alpha}`);
  if (studentLogits.shape.join() !== teacherLogits.shape.join()) throw new RangeError(`distillationLoss: student logits [${studentLogits.shape}] and teacher logits [${teacherLogits.shape}] differ in shape`);
  if (alpha < 1 && !oneHotLabels) throw new RangeError("distillationLoss: alpha < 1 needs the one-hot labels");
  if (oneHotLabels && oneHotLabels.shape.join() !== studentLogits.shape.join()) throw new RangeError(`distillationLoss: labels [${oneHotLabels.shape}] and logits [${studentLogits.shape}] differ in shape`);
  return tf.tidy(() => {
    const soft = tf.softmax(tf.div(teacherLogits, T));
    const softTerm = tf.mean(tf.neg(tf.sum(tf.mul(soft, tf.logSoftmax(tf.div(studentLogits, T))), -1))).mul(T * T);
    if (alpha === 1) return softTerm.mul(alpha) as tf.Scalar;
    const hardTerm = tf.mean(tf.neg(tf.sum(tf.mul(oneHotLabels!, tf.logSoftmax(studentLogits)), -1)));
    return tf.add(softTerm.mul(alpha), hardTerm.mul(1 - alpha)) as tf.Scalar;
  });
}
