/**
 * k-means clustering by Lloyd's algorithm, in scikit-learn's shape (`sklearn.cluster.KMeans`).
 *
 *   const km = new KMeans({ nClusters: 3, seed: 0 }).fit(X);
 *   km.clusterCenters_, km.labels_, km.inertia_;      // inertia = Σ squared distance to the own centre
 *   km.inertiaHistory_;                                // one value per iteration, never increasing
 *
 * Each iteration assigns every point to its nearest centre, then moves each centre to the mean of its
 * points. Both steps can only lower the inertia, so it converges, but only to a local minimum: hence
 * k-means++ seeding and several restarts (`nInit`).
 */
import { Random } from "../random";
import { NotFittedError, checkMatrix, checkParam, type Labels, type Matrix, type Transformer } from "./base";
import { mean, squaredDistance, variance } from "./stats";

export interface KMeansParams {
  nClusters: number;
  /** "k-means++" (D² sampling), "random" (k distinct rows), or explicit starting centres [k][features]. */
  init: "k-means++" | "random" | Matrix;
  /** Restarts, keeping the lowest inertia; "auto": 1 for k-means++ or explicit centres, 10 for random. */
  nInit: number | "auto";
  maxIter: number;
  /** Stop when the centres move less than tol × (mean feature variance) in total squared distance. */
  tol: number;
  seed: number;
}

export class KMeans implements Transformer<KMeansParams> {
  readonly params: Readonly<KMeansParams>;
  /** [clusters][features] */
  clusterCenters_?: Matrix;
  /** Cluster index of each training point. */
  labels_?: Labels;
  /** Σ squared distance from each training point to its centre. */
  inertia_?: number;
  /** Lloyd iterations of the best run. */
  nIter_?: number;
  /** Best run: inertia after each iteration's update step (non-increasing). */
  inertiaHistory_?: number[];
  /** Best run: the centres at the start and after each iteration (for trajectory plots). */
  centerHistory_?: Matrix[];
  /** Best run: the starting centres. */
  initCenters_?: Matrix;
  nFeaturesIn_?: number;

  constructor(params: Partial<KMeansParams> = {}) {
    this.params = { nClusters: 8, init: "k-means++", nInit: "auto", maxIter: 300, tol: 1e-4, seed: 0, ...params };
    const { nClusters, init, nInit, maxIter, tol, seed } = this.params;
    checkParam("nClusters", nClusters, Number.isInteger(nClusters) && nClusters >= 1, "an integer ≥ 1");
    checkParam("init", init, init === "k-means++" || init === "random" || Array.isArray(init), '"k-means++", "random" or a matrix of centres');
    if (Array.isArray(init)) checkParam("init", init, init.length === nClusters, `${nClusters} rows (nClusters)`);
    checkParam("nInit", nInit, nInit === "auto" || (Number.isInteger(nInit) && nInit >= 1), '"auto" or an integer ≥ 1');
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("tol", tol, tol >= 0, "≥ 0");
    checkParam("seed", seed, Number.isInteger(seed), "an integer");
  }

  fit(X: Matrix): this {
    const [rows, columns] = checkMatrix(X);
    const { nClusters, init, nInit, maxIter, tol, seed } = this.params;
    checkParam("nClusters", nClusters, nClusters <= rows, `≤ the number of samples (${rows})`);
    if (Array.isArray(init)) checkMatrix(init, "init", columns);
    this.nFeaturesIn_ = columns;
    const runs = nInit === "auto" ? (init === "random" ? 10 : 1) : Array.isArray(init) ? 1 : nInit;
    // scikit-learn's tolerance is relative to the data's spread.
    const absoluteTol = tol * mean(Array.from({ length: columns }, (_, j) => variance(X.map((x) => x[j]!))));
    const rng = new Random(seed);
    let best: LloydRun | undefined;
    for (let run = 0; run < runs; run++) {
      const start =
        init === "random"
          ? rng.sampleIndices(rows, nClusters).map((i) => [...X[i]!])
          : init === "k-means++"
            ? kmeansPlusPlus(X, nClusters, rng).map((i) => [...X[i]!])
            : init.map((c) => [...c]);
      const result = lloyd(X, start, maxIter, absoluteTol);
      if (!best || result.inertia < best.inertia) best = result;
    }
    this.clusterCenters_ = best!.centers;
    this.labels_ = best!.labels;
    this.inertia_ = best!.inertia;
    this.nIter_ = best!.nIter;
    this.inertiaHistory_ = best!.inertiaHistory;
    this.centerHistory_ = best!.centerHistory;
    this.initCenters_ = best!.centerHistory[0];
    return this;
  }

  /** Index of the nearest centre for each row. */
  predict(X: Matrix): Labels {
    return assign(this.checkInput(X), this.clusterCenters_!).labels;
  }

  /** [samples][clusters] Euclidean distance to every centre. */
  transform(X: Matrix): Matrix {
    const centers = this.clusterCenters_!;
    return this.checkInput(X).map((x) => centers.map((c) => Math.sqrt(squaredDistance(x, c))));
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  fitPredict(X: Matrix): Labels {
    return this.fit(X).labels_!;
  }

  /** −inertia of X under the fitted centres (larger is better, as scikit-learn). */
  score(X: Matrix): number {
    return -assign(this.checkInput(X), this.clusterCenters_!).inertia;
  }

  private checkInput(X: Matrix): Matrix {
    if (!this.clusterCenters_) throw new NotFittedError("KMeans");
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X;
  }
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre is a uniform random point; each next one
 * is point x with probability D(x)² / Σ D², where D is the distance to the nearest centre chosen so far.
 * Returns the chosen row indices. `firstIndex` fixes the first centre (to study the D² step alone).
 */
export function kmeansPlusPlus(X: Matrix, nClusters: number, rng: Random, options: { firstIndex?: number } = {}): number[] {
  const n = X.length;
  checkParam("nClusters", nClusters, Number.isInteger(nClusters) && nClusters >= 1 && nClusters <= n, `an integer in 1…${n}`);
  const first = options.firstIndex ?? rng.int(0, n);
  checkParam("firstIndex", first, Number.isInteger(first) && first >= 0 && first < n, `an index in 0…${n - 1}`);
  const chosen = [first];
  const nearest = X.map((x) => squaredDistance(x, X[first]!));
  while (chosen.length < nClusters) {
    const total = nearest.reduce((s, d) => s + d, 0);
    let pick = -1;
    if (total > 0) {
      let r = rng.random() * total;
      for (let i = 0; i < n && pick < 0; i++) {
        r -= nearest[i]!;
        if (r < 0) pick = i;
      }
      // Round-off can leave r ≥ 0 after the last point: take the last point with positive weight.
      if (pick < 0) pick = nearest.map((d, i) => (d > 0 ? i : -1)).reduce((a, b) => Math.max(a, b));
    } else {
      pick = rng.choice(X.map((_, i) => i).filter((i) => !chosen.includes(i))); // all points coincide with centres
    }
    chosen.push(pick);
    X.forEach((x, i) => (nearest[i] = Math.min(nearest[i]!, squaredDistance(x, X[pick]!))));
  }
  return chosen;
}

interface LloydRun {
  centers: Matrix;
  labels: Labels;
  inertia: number;
  nIter: number;
  inertiaHistory: number[];
  centerHistory: Matrix[];
}

function lloyd(X: Matrix, start: Matrix, maxIter: number, absoluteTol: number): LloydRun {
  let centers = start;
  let previous: Labels | undefined;
  const inertiaHistory: number[] = [];
  const centerHistory: Matrix[] = [start.map((c) => [...c])];
  let nIter = 0;
  let stable = false;
  while (nIter < maxIter) {
    nIter++;
    const { labels, distances } = assign(X, centers);
    const updated = updateCenters(X, labels, centers.length, distances, centers);
    const shift = updated.reduce((s, c, k) => s + squaredDistance(c, centers[k]!), 0);
    centers = updated;
    centerHistory.push(centers.map((c) => [...c]));
    inertiaHistory.push(X.reduce((s, x, i) => s + squaredDistance(x, centers[labels[i]!]!), 0));
    stable = previous !== undefined && labels.every((l, i) => l === previous![i]);
    if (stable || shift <= absoluteTol) break;
    previous = labels;
  }
  // After a tolerance stop the last update may have moved centres: reassign so labels match them.
  const { labels, inertia } = assign(X, centers);
  return { centers, labels, inertia, nIter, inertiaHistory, centerHistory };
}

/** Nearest centre of every point (the first one on ties), its squared distance, and their sum. */
function assign(X: Matrix, centers: Matrix): { labels: Labels; distances: number[]; inertia: number } {
  const labels = new Array<number>(X.length);
  const distances = new Array<number>(X.length);
  let inertia = 0;
  X.forEach((x, i) => {
    let best = 0;
    let bestDistance = Infinity;
    centers.forEach((c, k) => {
      const d = squaredDistance(x, c);
      if (d < bestDistance) [best, bestDistance] = [k, d];
    });
    labels[i] = best;
    distances[i] = bestDistance;
    inertia += bestDistance;
  });
  return { labels, distances, inertia };
}

/** Means of the assigned points; an empty cluster is moved to the point farthest from its centre (as scikit-learn). */
function updateCenters(X: Matrix, labels: Labels, k: number, distances: number[], old: Matrix): Matrix {
  const d = X[0]!.length;
  const sums = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const counts = new Array<number>(k).fill(0);
  X.forEach((x, i) => {
    const c = labels[i]!;
    counts[c]! += 1;
    for (let j = 0; j < d; j++) sums[c]![j]! += x[j]!;
  });
  const farthestFirst = X.map((_, i) => i).sort((a, b) => distances[b]! - distances[a]!);
  let donor = 0;
  return sums.map((s, c) => {
    if (counts[c]! > 0) return s.map((v) => v / counts[c]!);
    const far = farthestFirst[donor++];
    return far === undefined ? [...old[c]!] : [...X[far]!];
  });
}
