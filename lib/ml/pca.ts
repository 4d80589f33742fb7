/**
 * Principal component analysis in float64, scikit-learn's shape (fit / transform / inverseTransform):
 *
 *   const pca = new PCA({ nComponents: 8 }).fit(X);      // X: rows are samples
 *   const Z = pca.transform(X);                           // [n][8] coordinates on the components
 *   const back = pca.inverseTransform(Z);                 // the best rank-8 affine reconstruction of X
 *
 * Components are the top eigenvectors of the covariance matrix (1/n normalisation), by lib/math/linalg's Jacobi
 * eigen-solver: fine for the tens to a few hundred features of these notebooks. The mean squared reconstruction
 * error per entry equals the sum of the dropped eigenvalues divided by the number of features (Eckart–Young), which
 * no linear autoencoder with the same width can beat.
 */
import { symmetricEigen, type Matrix } from "../math/linalg";

export interface PCAParams {
  nComponents: number;
}

export class PCA {
  readonly params: PCAParams;
  mean_: number[] = [];
  /** [nComponents][features], unit rows, by decreasing variance. */
  components_: number[][] = [];
  /** All eigenvalues of the covariance, decreasing. */
  explainedVariance_: number[] = [];

  constructor(params: PCAParams) {
    if (!Number.isInteger(params.nComponents) || params.nComponents < 1) throw new RangeError(`PCA: nComponents must be a positive integer, got ${params.nComponents}`);
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

  private checkFitted(method: string): void {
    if (this.components_.length === 0) throw new Error(`PCA.${method}: call fit first`);
  }
}
