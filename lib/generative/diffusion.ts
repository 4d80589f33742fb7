/**
 * Denoising diffusion (Ho et al. 2020, DDPM) in its smallest form. The forward process adds Gaussian noise in T
 * steps, x_t = √(1 − β_t) · x_{t−1} + √β_t · ε, and has the closed form
 *
 *   q(x_t | x_0) = N(√ᾱ_t · x_0, (1 − ᾱ_t) I),   ᾱ_t = Π_{s ≤ t} (1 − β_s),
 *
 * so training draws t and ε, forms x_t in one go, and regresses a network ε̂(x_t, t) on ε. Sampling runs the
 * reverse chain from x_T ~ N(0, I):  x_{t−1} = (x_t − β_t/√(1 − ᾱ_t) · ε̂) / √(1 − β_t) + √β_t · z  (no z at t = 1).
 * Steps are numbered t = 1 … T; arrays below are indexed t − 1.
 */
import { tf } from "../tf";
import { Random } from "../random";

/** β_1 … β_T evenly spaced from `first` to `last` (DDPM: 1e-4 to 0.02 over T = 1000). */
export function linearBetaSchedule(steps: number, first = 1e-4, last = 0.02): number[] {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`linearBetaSchedule: steps must be a positive integer, got ${steps}`);
  if (!(first > 0 && last < 1 && first <= last)) throw new RangeError(`linearBetaSchedule: need 0 < first ≤ last < 1, got ${first} and ${last}`);
  return Array.from({ length: steps }, (_, i) => (steps === 1 ? first : first + ((last - first) * i) / (steps - 1)));
}

/** ᾱ_t = Π_{s ≤ t} (1 − β_s) for t = 1 … T. */
export function cumulativeAlphas(betas: readonly number[]): number[] {
  let product = 1;
  return betas.map((beta, i) => {
    if (!(beta > 0 && beta < 1)) throw new RangeError(`cumulativeAlphas: betas[${i}] must be in (0, 1), got ${beta}`);
    return (product *= 1 - beta);
  });
}

/** A draw of x_t given x_0 in one step: √ᾱ · x0 + √(1 − ᾱ) · ε, with ᾱ per row ([batch, 1]) or one number. */
export function noisedSample(x0: tf.Tensor2D, alphaBar: tf.Tensor2D | number, epsilon: tf.Tensor2D): tf.Tensor2D {
  if (x0.shape.some((size, axis) => size !== epsilon.shape[axis])) throw new RangeError(`noisedSample: x0 [${x0.shape.join(", ")}] and epsilon [${epsilon.shape.join(", ")}] differ`);
  return tf.tidy(() => tf.add(tf.mul(tf.sqrt(alphaBar), x0), tf.mul(tf.sqrt(tf.sub(1, alphaBar)), epsilon)) as tf.Tensor2D);
}

/**
 * Ancestral DDPM sampling: n points of dimension `dim` from x_T ~ N(0, I) down to x_0, `predictNoise(x_t, t)` being
 * the trained ε̂ (t = 1 … T). Every draw comes from the seeded stream.
 */
export function ddpmSample(predictNoise: (x: tf.Tensor2D, t: number) => tf.Tensor2D, options: { n: number; dim: number; betas: readonly number[]; seed: number }): tf.Tensor2D {
  const { n, dim, betas } = options;
  const alphaBars = cumulativeAlphas(betas);
  const seeds = new Random(options.seed);
  const draw = () => tf.randomNormal([n, dim], 0, 1, "float32", seeds.int(0, 2 ** 31 - 1)) as tf.Tensor2D;
  let x = draw();
  for (let t = betas.length; t >= 1; t--) {
    const beta = betas[t - 1]!;
    const next = tf.tidy(() => {
      const mean = tf.div(tf.sub(x, tf.mul(beta / Math.sqrt(1 - alphaBars[t - 1]!), predictNoise(x, t))), Math.sqrt(1 - beta));
      return (t > 1 ? tf.add(mean, tf.mul(Math.sqrt(beta), draw())) : mean) as tf.Tensor2D;
    });
    x.dispose();
    x = next;
  }
  return x;
}
