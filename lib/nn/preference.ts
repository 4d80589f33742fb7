/**
 * Direct Preference Optimization (DPO, Rafailov et al. 2023): fine-tune a policy on pairs (chosen ≻ rejected)
 * without a reward model or reinforcement learning. With log-probabilities of whole responses (sums over their
 * tokens) under the policy π and a frozen reference π_ref (the model before this stage),
 *
 *   Δ    = [log π(y_w | x) − log π_ref(y_w | x)] − [log π(y_l | x) − log π_ref(y_l | x)]
 *   loss = −mean over pairs of weight · log σ(β · Δ)
 *
 * It is the Bradley–Terry likelihood of the preferences with the implicit reward r(x, y) = β log π(y|x)/π_ref(y|x),
 * so its optimum is the KL-regularised RLHF optimum in closed form, π*(y | x) ∝ π_ref(y | x) · exp(r(x, y) / β).
 *
 *   dpoLoss({ policyChosen, policyRejected, referenceChosen, referenceRejected }, { beta: 0.1 })   → tf.Scalar
 */
import { tf } from "../tf";

export interface PreferenceLogProbs {
  /** log π(y_w | x) per pair [pairs] (differentiable: the policy being trained). */
  policyChosen: tf.Tensor1D;
  /** log π(y_l | x) per pair [pairs]. */
  policyRejected: tf.Tensor1D;
  /** log π_ref(y_w | x) per pair [pairs] (constants). */
  referenceChosen: tf.Tensor1D;
  /** log π_ref(y_l | x) per pair [pairs]. */
  referenceRejected: tf.Tensor1D;
}

export interface DpoOptions {
  /** Strength of the pull towards the reference (the KL coefficient): small β trusts the preferences more. */
  beta: number;
  /** Weight of each pair [pairs] (default 1 each), e.g. how often it was observed; the mean is weighted. */
  weights?: tf.Tensor1D;
}

export function dpoLoss(logProbs: PreferenceLogProbs, options: DpoOptions): tf.Scalar {
  const { beta, weights } = options;
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`dpoLoss: beta must be finite and > 0, got ${beta}`);
  const pairs = logProbs.policyChosen.shape[0];
  for (const [name, tensor] of [...Object.entries(logProbs), ...(weights ? [["weights", weights] as const] : [])]) {
    if (tensor.rank !== 1 || tensor.shape[0] !== pairs) throw new RangeError(`dpoLoss: ${name} must be [${pairs}] (one value per pair), got shape [${tensor.shape}]`);
  }
  return tf.tidy(() => {
    const margin = logProbs.policyChosen.sub(logProbs.referenceChosen).sub(logProbs.policyRejected.sub(logProbs.referenceRejected));
    // −log σ(z) = softplus(−z), stable for large |z|.
    const perPair = tf.softplus(margin.mul(-beta));
    if (!weights) return perPair.mean() as tf.Scalar;
    return perPair.mul(weights).sum().div(weights.sum()) as tf.Scalar;
  });
}
