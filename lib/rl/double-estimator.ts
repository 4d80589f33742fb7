/**
 * Why DQN overestimates, on a bandit: when every action's true value is μ and each estimate is noisy, the max of the
 * estimates is biased upwards (E[max] > max E). The double estimator picks the argmax with one independent set of
 * estimates and reads its value from another, which removes the bias here (it can only underestimate in general).
 */
import type { Random } from "../random";

export interface EstimatorDraw {
  single: number;
  double: number;
}

/** One draw: `nArms` arms of true value `trueValue`, each estimated twice from `samples` Normal(·, noiseStd) rewards. */
export function maxEstimatorDraw(nArms: number, samples: number, noiseStd: number, rng: Random, trueValue = 0): EstimatorDraw {
  if (!Number.isInteger(nArms) || nArms < 1 || !Number.isInteger(samples) || samples < 1) throw new RangeError(`maxEstimatorDraw: need positive integers, got nArms ${nArms}, samples ${samples}`);
  const estimate = () => Array.from({ length: nArms }, () => {
    let total = 0;
    for (let k = 0; k < samples; k += 1) total += rng.normal(trueValue, noiseStd);
    return total / samples;
  });
  const [a, b] = [estimate(), estimate()];
  const best = a.indexOf(Math.max(...a));
  return { single: Math.max(...a), double: b[best]! };
}

/** E[max of n independent standard normals], by numerical integration of n·x·φ(x)·Φ(x)^(n−1) (the bias of the single estimator per unit of standard error). */
export function expectedMaxOfNormals(n: number): number {
  const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  // Φ by integrating φ with the same grid (trapezoid), so no erf approximation is needed.
  const [low, high, steps] = [-10, 10, 20_000];
  const h = (high - low) / steps;
  let cdf = 0;
  let total = 0;
  let previous = 0;
  for (let k = 0; k <= steps; k += 1) {
    const x = low + k * h;
    if (k > 0) cdf += 0.5 * h * (phi(x - h) + phi(x));
    const value = n * x * phi(x) * cdf ** (n - 1);
    if (k > 0) total += 0.5 * h * (previous + value);
    previous = value;
  }
  return total;
}
