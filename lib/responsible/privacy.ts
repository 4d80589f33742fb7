/**
 * Differential privacy's Laplace mechanism (notebook 34).
 *
 *   laplaceMechanism(trueCount, { sensitivity: 1, epsilon: 0.5 }, rng)   // count + Laplace(1/0.5) noise
 */
import type { Random } from "../random";
import { laplaceSample } from "../math/random-designs";

/** The Laplace noise scale b = Δ/ε that makes a query of sensitivity Δ ε-differentially private. */
export function laplaceScale(sensitivity: number, epsilon: number): number {
  if (!(sensitivity > 0) || !Number.isFinite(sensitivity)) throw new RangeError(`laplaceScale: sensitivity must be a finite number > 0, got ${sensitivity}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new RangeError(`laplaceScale: epsilon must be a finite number > 0, got ${epsilon}`);
  return sensitivity / epsilon;
}

/**
 * The query's true answer plus Laplace(Δ/ε) noise: for datasets that differ in one person, the output densities
 * differ by at most a factor e^ε everywhere (noise variance 2(Δ/ε)²).
 */
export function laplaceMechanism(trueValue: number, options: { sensitivity: number; epsilon: number }, rng: Random): number {
  if (!Number.isFinite(trueValue)) throw new RangeError(`laplaceMechanism: trueValue must be finite, got ${trueValue}`);
  return trueValue + laplaceSample(rng, laplaceScale(options.sensitivity, options.epsilon));
}
