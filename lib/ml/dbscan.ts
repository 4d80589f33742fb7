/**
 * DBSCAN (Ester et al. 1996), density-based clustering, in scikit-learn's shape (`sklearn.cluster.DBSCAN`):
 *
 *   const db = new DBSCAN({ eps: 0.2, minSamples: 5 }).fit(X);
 *   db.labels_;               // cluster index per row, −1 = noise
 *   db.coreSampleIndices_;    // rows with ≥ minSamples rows (themselves included) within distance eps
 *
 * A cluster is everything reachable from a core point through chains of core points whose eps-balls overlap;
 * a non-core point within eps of a core point joins that cluster (a "border" point, claimed by the first
 * cluster that reaches it when clusters are grown in the order of their lowest core row, as scikit-learn);
 * the rest is noise. Clusters can take any shape, and k need not be given. Neighbours are found by brute
 * force (n² distances).
 */
import { NotFittedError, checkMatrix, checkParam, type Labels, type Matrix } from "./base";
import { squaredDistance } from "./stats";

export interface DBSCANParams {
  /** Neighbourhood radius: rows at Euclidean distance ≤ eps are neighbours. */
  eps: number;
  /** Neighbours (the row itself included) a row needs to be a core point. */
  minSamples: number;
}

export class DBSCAN {
  readonly params: Readonly<DBSCANParams>;
  /** Cluster of each training row: 0, 1, … in order of discovery, −1 for noise. */
  labels_?: Labels;
  /** Indices of the core rows, ascending. */
  coreSampleIndices_?: number[];
  /** The core rows themselves. */
  components_?: Matrix;
  nFeaturesIn_?: number;

  constructor(params: Partial<DBSCANParams> = {}) {
    this.params = { eps: 0.5, minSamples: 5, ...params };
    const { eps, minSamples } = this.params;
    checkParam("eps", eps, eps > 0 && Number.isFinite(eps), "a finite number > 0");
    checkParam("minSamples", minSamples, Number.isInteger(minSamples) && minSamples >= 1, "an integer ≥ 1");
  }

  fit(X: Matrix): this {
    const [rows, columns] = checkMatrix(X);
    const { eps, minSamples } = this.params;
    const eps2 = eps * eps;
    const neighbours: number[][] = X.map((x) => {
      const found: number[] = [];
      for (let j = 0; j < rows; j++) if (squaredDistance(x, X[j]!) <= eps2) found.push(j);
      return found;
    });
    const isCore = neighbours.map((list) => list.length >= minSamples);
    const labels = new Array<number>(rows).fill(-1);
    let cluster = 0;
    for (let start = 0; start < rows; start++) {
      if (labels[start] !== -1 || !isCore[start]) continue;
      // Grow the cluster: every reached row joins it; only core rows pass the search on.
      const stack = [start];
      labels[start] = cluster;
      while (stack.length > 0) {
        const row = stack.pop()!;
        if (!isCore[row]) continue;
        for (const next of neighbours[row]!) {
          if (labels[next] === -1) {
            labels[next] = cluster;
            stack.push(next);
          }
        }
      }
      cluster++;
    }
    this.labels_ = labels;
    this.coreSampleIndices_ = isCore.flatMap((core, i) => (core ? [i] : []));
    this.components_ = this.coreSampleIndices_.map((i) => [...X[i]!]);
    this.nFeaturesIn_ = columns;
    return this;
  }

  fitPredict(X: Matrix): Labels {
    return this.fit(X).labels_!;
  }

  /** Number of clusters found (noise excluded). */
  get nClusters_(): number {
    if (!this.labels_) throw new NotFittedError("DBSCAN");
    return Math.max(-1, ...this.labels_) + 1;
  }
}
