/**
 * The two formulas that make a variational autoencoder (Kingma & Welling 2014) trainable, for a diagonal Gaussian
 * encoder q(z | x) = N(μ, diag σ²) with the network predicting μ and log σ²:
 *
 *   KL(N(μ, σ²) ‖ N(0, I)) = −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²)       (closed form, per example)
 *   z = μ + σ ⊙ ε,  ε ~ N(0, I)                                    (the reparameterisation trick)
 *
 * The trick moves the randomness into ε, so z is a differentiable function of μ and σ and the gradient of
 * E[f(z)] flows into the encoder. The ELBO of an example is E_q[log p(x | z)] − KL; training maximises it (the loss is
 * its negative: reconstruction + KL).
 */
import { tf } from "../tf";

function checkPair(mu: tf.Tensor, logVar: tf.Tensor, what: string): void {
  if (mu.rank !== 2 || !mu.shape.every((size, axis) => size === logVar.shape[axis]) || logVar.rank !== 2) {
    throw new RangeError(`${what}: mu and logVar must both be [batch, latent], got [${mu.shape.join(", ")}] and [${logVar.shape.join(", ")}]`);
  }
}

/** KL(N(μ, diag e^{logVar}) ‖ N(0, I)) per example: [batch, latent] × 2 → [batch]. */
export function gaussianKlToStandardNormal(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Tensor1D {
  checkPair(mu, logVar, "gaussianKlToStandardNormal");
  return tf.tidy(() => tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mu)), tf.exp(logVar)), -1)) as tf.Tensor1D);
}

/** z = μ + exp(½ logVar) ⊙ ε; pass ε (e.g. tf.randomNormal with a seed) so that the draw is reproducible. */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, epsilon: tf.Tensor2D): tf.Tensor2D {
  checkPair(mu, logVar, "reparameterize");
  checkPair(mu, epsilon, "reparameterize (epsilon)");
  return tf.tidy(() => tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), epsilon)) as tf.Tensor2D);
}
