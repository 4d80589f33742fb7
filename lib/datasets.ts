/**
 * Seeded synthetic datasets in scikit-learn's spirit (`make_moons`, `make_circles`, `make_blobs`, …): the toy
 * problems interview answers are drawn on. Every generator takes `{ nSamples, noise, seed }`, returns
 * `{ X, y }` with X as [nSamples][nFeatures] rows, and shuffles the rows unless `shuffle: false`.
 *
 *   const { X, y } = makeMoons({ nSamples: 400, noise: 0.1, seed: 0 });
 */
import { Random } from "./random";

export interface Dataset {
  /** [nSamples][nFeatures] */
  X: number[][];
  /** [nSamples]: class labels 0, 1, … or regression targets */
  y: number[];
}

export interface GeneratorOptions {
  nSamples: number;
  /** Standard deviation of Gaussian noise added to every coordinate (or to the target, for regression). */
  noise?: number;
  seed: number;
  /** Shuffle the rows (default true); false keeps them grouped by class, in generation order. */
  shuffle?: boolean;
}

function checkCommon(name: string, { nSamples, noise = 0, seed }: GeneratorOptions, minSamples = 1): void {
  if (!Number.isInteger(nSamples) || nSamples < minSamples) {
    throw new RangeError(`${name}: nSamples must be an integer ≥ ${minSamples}, got ${nSamples}`);
  }
  if (!(noise >= 0)) throw new RangeError(`${name}: noise must be ≥ 0, got ${noise}`);
  if (!Number.isInteger(seed)) throw new TypeError(`${name}: seed must be an integer, got ${seed}`);
}

/** `count` points spread evenly over [start, stop] (numpy.linspace, endpoint included). */
function linspace(start: number, stop: number, count: number): number[] {
  if (count === 1) return [start];
  return Array.from({ length: count }, (_, i) => start + ((stop - start) * i) / (count - 1));
}

/** Adds noise to the clean points and shuffles rows and labels together. */
function finish(points: number[][], labels: number[], rng: Random, noise: number, shuffle: boolean): Dataset {
  const X = points.map((row) => row.map((v) => (noise > 0 ? v + rng.normal(0, noise) : v)));
  const order = shuffle ? rng.permutation(X.length) : X.map((_, i) => i);
  return { X: order.map((i) => X[i]!), y: order.map((i) => labels[i]!) };
}

/**
 * Two interleaving half circles (sklearn's make_moons): class 0 on the upper unit arc centred at (0, 0),
 * class 1 on the lower unit arc centred at (1, 0.5). Class 0 gets ⌊n/2⌋ points, class 1 the rest.
 */
export function makeMoons(options: GeneratorOptions): Dataset {
  checkCommon("makeMoons", options, 2);
  const { nSamples, noise = 0, seed, shuffle = true } = options;
  const nOuter = Math.floor(nSamples / 2);
  const outer = linspace(0, Math.PI, nOuter).map((t) => [Math.cos(t), Math.sin(t)]);
  const inner = linspace(0, Math.PI, nSamples - nOuter).map((t) => [1 - Math.cos(t), 0.5 - Math.sin(t)]);
  const labels = [...outer.map(() => 0), ...inner.map(() => 1)];
  return finish([...outer, ...inner], labels, new Random(seed), noise, shuffle);
}

export interface CirclesOptions extends GeneratorOptions {
  /** Radius of the inner circle relative to the outer (radius 1) one, in [0, 1); default 0.8. */
  factor?: number;
}

/** Two concentric circles (sklearn's make_circles): class 0 on radius 1, class 1 on radius `factor`. */
export function makeCircles(options: CirclesOptions): Dataset {
  checkCommon("makeCircles", options, 2);
  const { nSamples, noise = 0, seed, shuffle = true, factor = 0.8 } = options;
  if (!(factor >= 0 && factor < 1)) throw new RangeError(`makeCircles: factor must be in [0, 1), got ${factor}`);
  const nOuter = Math.floor(nSamples / 2);
  // endpoint excluded, as in sklearn, so no point is duplicated at angle 0 = 2π
  const circle = (count: number, radius: number) =>
    Array.from({ length: count }, (_, i) => {
      const t = (2 * Math.PI * i) / count;
      return [radius * Math.cos(t), radius * Math.sin(t)];
    });
  const outer = circle(nOuter, 1);
  const inner = circle(nSamples - nOuter, factor);
  const labels = [...outer.map(() => 0), ...inner.map(() => 1)];
  return finish([...outer, ...inner], labels, new Random(seed), noise, shuffle);
}

export interface BlobsOptions extends Omit<GeneratorOptions, "noise"> {
  /** Number of centres (drawn uniformly in `centerBox`), or the centres themselves: [nCenters][nFeatures]. */
  centers: number | number[][];
  /** Standard deviation of each blob: one for all, or one per centre; default 1. */
  clusterStd?: number | number[];
  /** Features when `centers` is a number; default 2. */
  nFeatures?: number;
  /** Box the random centres are drawn from; default [−10, 10]. */
  centerBox?: [number, number];
}

/**
 * Isotropic Gaussian blobs (sklearn's make_blobs). Samples are shared evenly between the centres; the first
 * nSamples mod nCenters centres get one more. Returns the centres used alongside the data.
 */
export function makeBlobs(options: BlobsOptions): Dataset & { centers: number[][] } {
  checkCommon("makeBlobs", options);
  const { nSamples, seed, shuffle = true, clusterStd = 1, nFeatures = 2, centerBox = [-10, 10] } = options;
  const rng = new Random(seed);
  let centers: number[][];
  if (typeof options.centers === "number") {
    if (!Number.isInteger(options.centers) || options.centers < 1) {
      throw new RangeError(`makeBlobs: centers must be an integer ≥ 1 or an array of points, got ${options.centers}`);
    }
    if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new RangeError(`makeBlobs: nFeatures must be an integer ≥ 1, got ${nFeatures}`);
    centers = Array.from({ length: options.centers }, () => rng.array(nFeatures, (r) => r.uniform(centerBox[0], centerBox[1])));
  } else {
    centers = options.centers.map((c) => [...c]);
    if (centers.length === 0) throw new RangeError("makeBlobs: centers must not be empty");
    centers.forEach((c, k) => {
      if (c.length !== centers[0]!.length) throw new RangeError(`makeBlobs: centers[${k}] has ${c.length} coordinates, centers[0] has ${centers[0]!.length}`);
    });
  }
  const stds = typeof clusterStd === "number" ? centers.map(() => clusterStd) : clusterStd;
  if (stds.length !== centers.length) throw new RangeError(`makeBlobs: clusterStd has ${stds.length} entries for ${centers.length} centers`);
  stds.forEach((s, k) => {
    if (!(s >= 0)) throw new RangeError(`makeBlobs: clusterStd[${k}] must be ≥ 0, got ${s}`);
  });
  const points: number[][] = [];
  const labels: number[] = [];
  centers.forEach((center, k) => {
    const count = Math.floor(nSamples / centers.length) + (k < nSamples % centers.length ? 1 : 0);
    for (let i = 0; i < count; i++) {
      points.push(center.map((c) => c + rng.normal(0, stds[k]!)));
      labels.push(k);
    }
  });
  return { ...finish(points, labels, rng, 0, shuffle), centers };
}

/**
 * XOR: points at the four corners of the unit square, label = x₁ XOR x₂ (class 1 where exactly one coordinate
 * is 1), plus Gaussian noise. Rows cycle through (0,0), (0,1), (1,0), (1,1), so nSamples = 4 with
 * `shuffle: false` is the truth table and any multiple of 4 is balanced.
 */
export function makeXor(options: GeneratorOptions): Dataset {
  checkCommon("makeXor", options);
  const { nSamples, noise = 0, seed, shuffle = true } = options;
  const corners = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const points = Array.from({ length: nSamples }, (_, i) => [...corners[i % 4]!]);
  const labels = points.map(([a, b]) => (a! !== b! ? 1 : 0));
  return finish(points, labels, new Random(seed), noise, shuffle);
}

export interface NoisyFunctionOptions extends Omit<GeneratorOptions, "shuffle"> {
  /** Interval x is drawn from uniformly; default [0, 1]. */
  xRange?: [number, number];
}

/**
 * A 1-D regression problem y = f(x) + ε, ε ~ N(0, noise²), with x uniform in `xRange`. Rows are sorted by x
 * so that a fitted curve can be drawn through them directly. X is [nSamples][1].
 *
 *   const { X, y } = makeNoisyFunction((x) => Math.sin(2 * Math.PI * x), { nSamples: 20, noise: 0.2, seed: 0 });
 */
export function makeNoisyFunction(f: (x: number) => number, options: NoisyFunctionOptions): Dataset {
  checkCommon("makeNoisyFunction", options);
  const { nSamples, noise = 0, seed, xRange = [0, 1] } = options;
  if (!(xRange[1] > xRange[0])) throw new RangeError(`makeNoisyFunction: xRange must be [low, high] with low < high, got [${xRange}]`);
  const rng = new Random(seed);
  const xs = rng.array(nSamples, (r) => r.uniform(xRange[0], xRange[1])).sort((a, b) => a - b);
  return { X: xs.map((x) => [x]), y: xs.map((x) => f(x) + (noise > 0 ? rng.normal(0, noise) : 0)) };
}

export interface RegressionOptions extends Omit<GeneratorOptions, "shuffle"> {
  nFeatures: number;
  /** How many features have a non-zero coefficient (the first ones); default all. */
  nInformative?: number;
  /** Constant added to every target; default 0. */
  bias?: number;
}

/**
 * A sparse linear regression problem (sklearn's make_regression in spirit): X ~ N(0, 1), the first
 * `nInformative` coefficients uniform in ±[1, 5] with a random sign, the rest exactly 0, and
 * y = X·coef + bias + ε. Returns the true coefficients, the truth a sparse estimator should recover.
 */
export function makeRegression(options: RegressionOptions): Dataset & { coef: number[] } {
  checkCommon("makeRegression", options);
  const { nSamples, noise = 0, seed, nFeatures, nInformative = nFeatures, bias = 0 } = options;
  if (!Number.isInteger(nFeatures) || nFeatures < 1) throw new RangeError(`makeRegression: nFeatures must be an integer ≥ 1, got ${nFeatures}`);
  if (!Number.isInteger(nInformative) || nInformative < 0 || nInformative > nFeatures) {
    throw new RangeError(`makeRegression: nInformative must be an integer in [0, nFeatures = ${nFeatures}], got ${nInformative}`);
  }
  const rng = new Random(seed);
  const coef = Array.from({ length: nFeatures }, (_, j) => (j < nInformative ? rng.choice([-1, 1]) * rng.uniform(1, 5) : 0));
  const X = Array.from({ length: nSamples }, () => rng.array(nFeatures, (r) => r.normal()));
  const y = X.map((row) => row.reduce((s, v, j) => s + v * coef[j]!, bias) + (noise > 0 ? rng.normal(0, noise) : 0));
  return { X, y, coef };
}
