/**
 * Principal component analysis in float64, scikit-learn's shape (fit / transform / inverseTransform):
 *
 *   const pca = new PCA({ nComponents: 8 }).fit(X);      // X: rows are samples
 *   const Z = pca.transform(X);                           // [n][8] coordinates on the components
 *   const back = pca.inverseTransform(Z);                 // the best rank-8 affine reconstruction of X
 *
 * Components are the top eigenvectors of the covariance matrix (1/n normalisation). Two solvers, named as
 * scikit-learn's `svd_solver`:
 * - "full" (default): every eigenvalue by lib/math/linalg's Jacobi eigen-solver; fine up to a few hundred features
 *   (a 768-feature covariance takes minutes).
 * - "randomized": the top components only, by Halko, Martinsson & Tropp's randomized range finder with `nIter` power
 *   iterations (scikit-learn's randomized_svd; seeded by `randomState`), then an exact SVD of the small projected
 *   matrix: for 500 × 768 features in well under a second, equal to "full" to round-off where the spectrum has a gap
 *   after the kept components (test/lib/ml/pca.test.ts). `explainedVariance_` then holds the kept components' only.
 * The mean squared reconstruction
 * error per entry equals the sum of the dropped eigenvalues divided by the number of features (Eckart–Young), which
 * no linear autoencoder with the same width can beat.
 */
import { matMul, orthonormalColumns, svd, symmetricEigen, transpose, type Matrix } from "../math/linalg";
import { Random } from "../random";

export interface PCAParams {
  nComponents: number;
  /** "full" (default) or "randomized" (see above). */
  svdSolver?: "full" | "randomized";
  /** Power iterations of the randomized solver (scikit-learn's default for few components: 7). */
  nIter?: number;
  /** Extra random directions of the randomized solver beyond nComponents (scikit-learn: 10). */
  nOversamples?: number;
  /** Seed of the randomized solver's Gaussian test matrix (default 0). */
  randomState?: number;
}

export class PCA {
  readonly params: PCAParams;
  mean_: number[] = [];
  /** [nComponents][features], unit rows, by decreasing variance. */
  components_: number[][] = [];
  /** All eigenvalues of the covariance, decreasing ("randomized": the kept components' only). */
  explainedVariance_: number[] = [];

  constructor(params: PCAParams) {
    if (!Number.isInteger(params.nComponents) || params.nComponents < 1) throw new RangeError(`PCA: nComponents must be a positive integer, got ${params.nComponents}`);
    const solver = params.svdSolver ?? "full";
    if (solver !== "full" && solver !== "randomized") throw new RangeError(`PCA: svdSolver must be "full" or "randomized", got ${JSON.stringify(params.svdSolver)}`);
    for (const [name, value] of [["nIter", params.nIter], ["nOversamples", params.nOversamples], ["randomState", params.randomState]] as const) {
      if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new RangeError(`PCA: ${name} must be an integer ≥ 0, got ${value}`);
    }
    this.params = params;
  }

  fit(X: Matrix): this {
    const n = X.length;
    const d = X[0]?.length ?? 0;
    if (n < 2 || d === 0) throw new RangeError(`PCA.fit: need at least 2 samples with ≥ 1 feature, got ${n}×${d}`);
    if (this.params.nComponents > d) throw new RangeError(`PCA.fit: nComponents ${this.params.nComponents} > ${d} features`);
    X.forEach((row, i) => {
      if (row.length !== d) throw new RangeError(`PCA.fit: row ${i} has ${row.length} features, row 0 has ${d}`);
    });
    this.mean_ = Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[j]!, 0) / n);
    if ((this.params.svdSolver ?? "full") === "randomized") return this.fitRandomized(X);
    const covariance = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (const row of X) {
      const centred = row.map((v, j) => v - this.mean_[j]!);
      for (let i = 0; i < d; i += 1) {
        const ci = centred[i]!;
        if (ci === 0) continue;
        const out = covariance[i]!;
        for (let j = i; j < d; j += 1) out[j] = out[j]! + ci * centred[j]!;
      }
    }
    for (let i = 0; i < d; i += 1) for (let j = i; j < d; j += 1) covariance[j]![i] = covariance[i]![j] = covariance[i]![j]! / n;
    const { values, vectors } = symmetricEigen(covariance);
    const order = values.map((_, k) => values.length - 1 - k); // ascending → decreasing
    this.explainedVariance_ = order.map((k) => Math.max(0, values[k]!));
    this.components_ = order.slice(0, this.params.nComponents).map((k) => vectors.map((row) => row[k]!));
    return this;
  }

  transform(X: Matrix): number[][] {
    this.checkFitted("transform");
    return X.map((row) => this.components_.map((component) => component.reduce((s, c, j) => s + c * (row[j]! - this.mean_[j]!), 0)));
  }

  inverseTransform(Z: Matrix): number[][] {
    this.checkFitted("inverseTransform");
    return Z.map((z) => this.mean_.map((m, j) => m + this.components_.reduce((s, component, k) => s + z[k]! * component[j]!, 0)));
  }

  /** Mean squared error per entry of reconstructing X from its nComponents coordinates. */
  reconstructionError(X: Matrix): number {
    const back = this.inverseTransform(this.transform(X));
    let sum = 0;
    X.forEach((row, i) => row.forEach((v, j) => (sum += (v - back[i]![j]!) ** 2)));
    return sum / (X.length * X[0]!.length);
  }

  /**
   * Randomized range finder (Halko et al. 2011, algorithm 4.4 with QR between power iterations): Q spans the top of
   * the centred X's column space; the SVD of the small B = Qᵀ·X_c gives the components.
   */
  private fitRandomized(X: Matrix): this {
    const n = X.length, d = X[0]!.length, k = this.params.nComponents;
    const width = Math.min(k + (this.params.nOversamples ?? 10), n, d);
    const centred = X.map((row) => row.map((v, j) => v - this.mean_[j]!));
    const centredT = transpose(centred);
    const rng = new Random(this.params.randomState ?? 0);
    let q = orthonormalColumns(matMul(centred, Array.from({ length: d }, () => Array.from({ length: width }, () => rng.normal()))));
    for (let i = 0; i < (this.params.nIter ?? 7); i += 1) {
      q = orthonormalColumns(matMul(centred, orthonormalColumns(matMul(centredT, q))));
    }
    const { s, v } = svd(matMul(transpose(q), centred)); // [width][d]: X_c ≈ Q·B, so B's right singular vectors are X_c's
    this.explainedVariance_ = s.slice(0, k).map((value) => (value * value) / n);
    this.components_ = Array.from({ length: k }, (_, c) => v.map((row) => row[c]!));
    return this;
  }

  private checkFitted(method: string): void {
    if (this.components_.length === 0) throw new Error(`PCA.${method}: call fit first`);
  }
}
