/**
 * Policy-gradient pieces on a tabular softmax policy π(a | c) = softmax(θ[c])ₐ over a contextual bandit: the exact
 * gradient of J(θ) = Σ_c p(c) Σ_a π(a | c) r̄(c, a), the REINFORCE (score-function) estimate of it from one sample,
 * and PPO's clipped surrogate objective.
 */
export function softmax(logits: readonly number[]): number[] {
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** ∂J/∂θ[c][a] = p(c) · π(a | c) · (r̄(c, a) − Σ_b π(b | c) r̄(c, b)). */
export function analyticPolicyGradient(theta: readonly (readonly number[])[], meanRewards: readonly (readonly number[])[], contextProbabilities: readonly number[]): number[][] {
  if (theta.length !== meanRewards.length || theta.length !== contextProbabilities.length) {
    throw new RangeError(`analyticPolicyGradient: θ has ${theta.length} contexts, rewards ${meanRewards.length}, probabilities ${contextProbabilities.length}`);
  }
  return theta.map((logits, c) => {
    const pi = softmax(logits);
    const value = pi.reduce((sum, p, a) => sum + p * meanRewards[c]![a]!, 0);
    return pi.map((p, a) => contextProbabilities[c]! * p * (meanRewards[c]![a]! - value));
  });
}

/** REINFORCE from one (context, action, reward) sample: (r − b) · ∇_θ log π(a | c), whose only non-zero row is c: onehot(a) − π(· | c). */
export function reinforceEstimate(theta: readonly (readonly number[])[], context: number, action: number, reward: number, baseline = 0): number[][] {
  const pi = softmax(theta[context]!);
  return theta.map((row, c) => (c !== context ? row.map(() => 0) : pi.map((p, a) => (reward - baseline) * ((a === action ? 1 : 0) - p))));
}

/** PPO's clipped surrogate for one sample: min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A), ρ = π_new(a | s) / π_old(a | s). */
export function ppoClippedObjective(ratio: number, advantage: number, epsilon = 0.2): number {
  if (!(ratio >= 0) || !(epsilon > 0 && epsilon < 1)) throw new RangeError(`ppoClippedObjective: need ratio ≥ 0 and ε in (0, 1), got ${ratio}, ${epsilon}`);
  return Math.min(ratio * advantage, Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon) * advantage);
}
