/**
 * Seeded toy distributions on which a generative model's output can be measured exactly: a 1-D Gaussian (compare
 * mean, std and the KS statistic) and the ring of 8 Gaussians (count the modes the samples cover, the standard
 * test for mode collapse since Metz et al. 2017).
 */
import { Random } from "../random";

/** n draws from N(mean, std²). */
export function sampleGaussian1d(n: number, options: { mean: number; std: number; seed: number }): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sampleGaussian1d: n must be a positive integer, got ${n}`);
  if (!(options.std > 0)) throw new RangeError(`sampleGaussian1d: std must be > 0, got ${options.std}`);
  const rng = new Random(options.seed);
  return Array.from({ length: n }, () => rng.normal(options.mean, options.std));
}

export interface RingOptions {
  /** Number of Gaussians on the circle (default 8). */
  modes?: number;
  /** Radius of the circle (default 2). */
  radius?: number;
  /** Standard deviation of each Gaussian (default 0.05). */
  std?: number;
}

/** The centres of the ring's modes, evenly spaced from angle 0 counter-clockwise. */
export function ringCenters(options: RingOptions = {}): number[][] {
  const { modes = 8, radius = 2 } = options;
  if (!Number.isInteger(modes) || modes < 1) throw new RangeError(`ringCenters: modes must be a positive integer, got ${modes}`);
  if (!(radius > 0)) throw new RangeError(`ringCenters: radius must be > 0, got ${radius}`);
  return Array.from({ length: modes }, (_, k) => [radius * Math.cos((2 * Math.PI * k) / modes), radius * Math.sin((2 * Math.PI * k) / modes)]);
}

/** n points of the ring of Gaussians, each from a uniformly chosen mode; `modes[i]` is point i's mode. */
export function sampleRing(n: number, options: RingOptions & { seed: number }): { points: number[][]; modes: number[] } {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sampleRing: n must be a positive integer, got ${n}`);
  const { std = 0.05 } = options;
  if (!(std > 0)) throw new RangeError(`sampleRing: std must be > 0, got ${std}`);
  const centers = ringCenters(options);
  const rng = new Random(options.seed);
  const modes = Array.from({ length: n }, () => rng.int(0, centers.length));
  const points = modes.map((m) => [centers[m]![0]! + rng.normal(0, std), centers[m]![1]! + rng.normal(0, std)]);
  return { points, modes };
}

export interface ModeCoverage {
  /** Share of all samples within `within`·std of each centre. */
  shares: number[];
  /** Modes holding at least `minShare` of the samples. */
  covered: number;
  /** Share of samples within `within`·std of some centre ("high-quality" samples). */
  nearShare: number;
}

/** Which modes of a mixture the samples cover: a sample counts for a centre when it lies within `within`·std of it. */
export function modeCoverage(points: readonly (readonly number[])[], centers: readonly (readonly number[])[], options: { std: number; within?: number; minShare?: number }): ModeCoverage {
  const { std, within = 3, minShare = 0.02 } = options;
  if (points.length === 0) throw new RangeError("modeCoverage: points is empty");
  if (!(std > 0) || !(within > 0)) throw new RangeError(`modeCoverage: std and within must be > 0, got ${std} and ${within}`);
  const radius2 = (within * std) ** 2;
  const counts = centers.map(() => 0);
  let near = 0;
  for (const [i, p] of points.entries()) {
    if (p.length !== centers[0]!.length) throw new RangeError(`modeCoverage: points[${i}] has ${p.length} coordinates, centres have ${centers[0]!.length}`);
    const hit = centers.findIndex((c) => c.reduce((s, v, d) => s + (p[d]! - v) ** 2, 0) <= radius2);
    if (hit >= 0) {
      counts[hit]!++;
      near++;
    }
  }
  const shares = counts.map((c) => c / points.length);
  return { shares, covered: shares.filter((s) => s >= minShare).length, nearShare: near / points.length };
}
