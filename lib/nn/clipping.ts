/**
 * Gradient clipping, the two ways Keras offers (`clipnorm` / `global_clipnorm` and `clipvalue`), for a custom
 * training step on `tf.variableGrads(...).grads`:
 *
 *   const { grads } = tf.variableGrads(loss);
 *   const { clipped, norm } = clipByGlobalNorm(grads, 1);   // same direction, length ≤ 1
 *   optimizer.applyGradients(clipped);
 *   tf.dispose([grads, clipped]);
 *
 * By norm rescales every gradient by one factor min(1, maxNorm / ‖g‖), so the update keeps its direction; by
 * value clamps each component to [−limit, limit], which changes the direction whenever some components are
 * clipped and others not. The returned tensors are new: the caller disposes them.
 */
import { tf } from "../tf";

type GradientMap = Record<string, tf.Tensor>;

function checkMap(grads: GradientMap, where: string): string[] {
  const names = Object.keys(grads);
  if (names.length === 0) throw new RangeError(`${where}: no gradients given`);
  for (const name of names) {
    if (!(grads[name] instanceof tf.Tensor)) throw new TypeError(`${where}: gradient "${name}" is not a tf.Tensor`);
  }
  return names;
}

/** √(Σ over all tensors of Σ g²): the length of all gradients seen as one vector (tf.clip_by_global_norm's norm). */
export function globalNorm(grads: GradientMap): number {
  const names = checkMap(grads, "globalNorm");
  const total = tf.tidy(() => tf.addN(names.map((name) => tf.sum(tf.square(grads[name]!)))));
  const value = total.dataSync()[0]!;
  total.dispose();
  return Math.sqrt(value);
}

/** Rescales all gradients by min(1, maxNorm / globalNorm): the direction is kept, the length capped. */
export function clipByGlobalNorm(grads: GradientMap, maxNorm: number): { clipped: GradientMap; norm: number } {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new RangeError(`clipByGlobalNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  const names = checkMap(grads, "clipByGlobalNorm");
  const norm = globalNorm(grads);
  if (!Number.isFinite(norm)) throw new RangeError(`clipByGlobalNorm: the gradient norm is ${norm}; clipping cannot repair a NaN or infinite gradient`);
  const factor = norm > maxNorm ? maxNorm / norm : 1;
  const clipped = Object.fromEntries(names.map((name) => [name, tf.tidy(() => tf.mul(grads[name]!, factor))]));
  return { clipped, norm };
}

/** Clamps every component to [−limit, limit] independently (Keras's clipvalue). */
export function clipByValue(grads: GradientMap, limit: number): GradientMap {
  if (!(limit > 0) || !Number.isFinite(limit)) throw new RangeError(`clipByValue: limit must be a finite number > 0, got ${limit}`);
  const names = checkMap(grads, "clipByValue");
  return Object.fromEntries(names.map((name) => [name, tf.clipByValue(grads[name]!, -limit, limit)]));
}
