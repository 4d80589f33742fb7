/**
 * Feature transformers with scikit-learn's names and attributes (`sklearn.preprocessing`).
 *
 *   const poly = new PolynomialFeatures({ degree: 3 }).fit(X);     // powers_: the exponents of each output
 *   const scaler = new StandardScaler().fit(poly.transform(Xtrain)); // mean_, scale_ learned on training data only
 *   const Xs = scaler.transform(poly.transform(Xtest));
 *
 * Fit on the training split only: statistics learned on test data leak it into the model.
 */
import { NotFittedError, checkMatrix, checkParam, type Matrix, type Transformer } from "./base";
import { isConstantFeature } from "./stats";

export interface PolynomialFeaturesParams {
  /** Highest total degree of a monomial; default 2. */
  degree?: number;
  /** Include the constant column 1 (degree 0); default true. */
  includeBias?: boolean;
}

/**
 * All monomials of the input features up to `degree`, in scikit-learn's order: by degree, then
 * lexicographically (for x₀, x₁ and degree 2: 1, x₀, x₁, x₀², x₀x₁, x₁²).
 */
export class PolynomialFeatures implements Transformer<PolynomialFeaturesParams> {
  /** [nOutputFeatures][nFeaturesIn]: exponent of each input feature in each output column. */
  powers_?: number[][];
  nFeaturesIn_?: number;
  nOutputFeatures_?: number;

  constructor(readonly params: Readonly<PolynomialFeaturesParams> = {}) {
    const { degree = 2 } = params;
    checkParam("degree", degree, Number.isInteger(degree) && degree >= 0, "an integer ≥ 0");
  }

  fit(X: Matrix): this {
    const [, columns] = checkMatrix(X);
    const { degree = 2, includeBias = true } = this.params;
    const powers: number[][] = [];
    // Non-decreasing index tuples of length d enumerate the monomials of degree d exactly once.
    const extend = (tuple: number[], from: number, remaining: number): void => {
      if (remaining === 0) {
        const exponents = new Array<number>(columns).fill(0);
        tuple.forEach((j) => exponents[j]!++);
        powers.push(exponents);
        return;
      }
      for (let j = from; j < columns; j++) extend([...tuple, j], j, remaining - 1);
    };
    for (let d = includeBias ? 0 : 1; d <= degree; d++) extend([], 0, d);
    this.powers_ = powers;
    this.nFeaturesIn_ = columns;
    this.nOutputFeatures_ = powers.length;
    return this;
  }

  /** [samples][nFeaturesIn] → [samples][nOutputFeatures]. */
  transform(X: Matrix): Matrix {
    const powers = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((row) => powers.map((exponents) => exponents.reduce((product, e, j) => (e === 0 ? product : product * row[j]! ** e), 1)));
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  /** Output column names such as "1", "x0", "x0^2", "x0 x1" (scikit-learn's get_feature_names_out). */
  featureNamesOut(inputNames?: readonly string[]): string[] {
    const powers = this.fitted();
    const names = inputNames ?? Array.from({ length: this.nFeaturesIn_! }, (_, j) => `x${j}`);
    if (names.length !== this.nFeaturesIn_) throw new RangeError(`inputNames has ${names.length} names for ${this.nFeaturesIn_} features`);
    return powers.map((exponents) => {
      const factors = exponents.flatMap((e, j) => (e === 0 ? [] : [e === 1 ? names[j]! : `${names[j]}^${e}`]));
      return factors.length === 0 ? "1" : factors.join(" ");
    });
  }

  private fitted(): number[][] {
    if (!this.powers_) throw new NotFittedError("PolynomialFeatures");
    return this.powers_;
  }
}

/** Per-column mean and population variance (ddof = 0), as scikit-learn computes them. */
function columnStatistics(X: Matrix): { mean: number[]; variance: number[]; min: number[]; max: number[] } {
  const n = X.length;
  const mean = X[0]!.map((_, j) => X.reduce((s, row) => s + row[j]!, 0) / n);
  const variance = mean.map((m, j) => X.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / n);
  const min = mean.map((_, j) => Math.min(...X.map((row) => row[j]!)));
  const max = mean.map((_, j) => Math.max(...X.map((row) => row[j]!)));
  return { mean, variance, min, max };
}

/**
 * A zero range would divide by zero; scikit-learn leaves such a column unscaled. max − min is exact (IEEE
 * subtraction of two doubles is 0 only when they are equal), so only a truly constant column has range 0 and
 * no tolerance is needed; scikit-learn's MinMaxScaler uses range < 10·eps, which would also call a real range of
 * 1e-20 constant.
 */
const nonZeroRange = (range: number) => (range === 0 ? 1 : range);

export interface StandardScalerParams {
  /** Subtract the column mean; default true. */
  withMean?: boolean;
  /** Divide by the column standard deviation; default true. */
  withStd?: boolean;
}

/** z = (x − mean_) / scale_ per column; scale_ is the population standard deviation (1 for constant columns). */
export class StandardScaler implements Transformer<StandardScalerParams> {
  /** [nFeatures] column means (0 when withMean is false). */
  mean_?: number[];
  /** [nFeatures] population variances. */
  var_?: number[];
  /** [nFeatures] divisors: standard deviations, 1 where a column is constant or withStd is false. */
  scale_?: number[];
  nFeaturesIn_?: number;

  constructor(readonly params: Readonly<StandardScalerParams> = {}) {}

  fit(X: Matrix): this {
    const [, columns] = checkMatrix(X);
    const { withMean = true, withStd = true } = this.params;
    const { mean, variance } = columnStatistics(X);
    this.mean_ = withMean ? mean : mean.map(() => 0);
    this.var_ = variance;
    // A column whose variance is round-off of a constant one is left unscaled (scale 1), as scikit-learn does;
    // dividing by that round-off would blow 1e-17 differences up to ±1.
    const rows = X.length;
    this.scale_ = withStd ? variance.map((v, j) => (isConstantFeature(v, mean[j]!, rows) ? 1 : Math.sqrt(v))) : variance.map(() => 1);
    this.nFeaturesIn_ = columns;
    return this;
  }

  /** [samples][nFeatures] → standardised copy. */
  transform(X: Matrix): Matrix {
    const { mean, scale } = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((row) => row.map((v, j) => (v - mean[j]!) / scale[j]!));
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  /** Undoes transform: x = z·scale_ + mean_. */
  inverseTransform(Z: Matrix): Matrix {
    const { mean, scale } = this.fitted();
    checkMatrix(Z, "Z", this.nFeaturesIn_);
    return Z.map((row) => row.map((v, j) => v * scale[j]! + mean[j]!));
  }

  private fitted(): { mean: number[]; scale: number[] } {
    if (!this.mean_ || !this.scale_) throw new NotFittedError("StandardScaler");
    return { mean: this.mean_, scale: this.scale_ };
  }
}

export interface MinMaxScalerParams {
  /** Target interval [low, high] of every column; default [0, 1]. */
  featureRange?: readonly [number, number];
}

/** Maps each column's training range [dataMin_, dataMax_] linearly onto featureRange: x·scale_ + min_. */
export class MinMaxScaler implements Transformer<MinMaxScalerParams> {
  dataMin_?: number[];
  dataMax_?: number[];
  /** [nFeatures] multipliers (high − low)/(dataMax − dataMin), the range taken as 1 for constant columns. */
  scale_?: number[];
  /** [nFeatures] offsets low − dataMin·scale_ (transform computes (x − dataMin_)·scale_ + low, the same map without cancellation). */
  min_?: number[];
  nFeaturesIn_?: number;

  constructor(readonly params: Readonly<MinMaxScalerParams> = {}) {
    const { featureRange = [0, 1] } = params;
    checkParam("featureRange", `[${featureRange}]`, Array.isArray(featureRange) && featureRange.length === 2 && Number.isFinite(featureRange[0]) && Number.isFinite(featureRange[1]) && featureRange[0] < featureRange[1], "[low, high] of finite numbers with low < high");
  }

  fit(X: Matrix): this {
    const [, columns] = checkMatrix(X);
    const [low, high] = this.params.featureRange ?? [0, 1];
    const { min, max } = columnStatistics(X);
    this.dataMin_ = min;
    this.dataMax_ = max;
    this.scale_ = min.map((m, j) => (high - low) / nonZeroRange(max[j]! - m));
    this.min_ = min.map((m, j) => low - m * this.scale_![j]!);
    this.nFeaturesIn_ = columns;
    return this;
  }

  /** [samples][nFeatures] → rescaled copy (values outside the training range map outside featureRange). */
  transform(X: Matrix): Matrix {
    const { scale, dataMin, low } = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    // x·scale_ + min_ written as (x − dataMin)·scale_ + low: for a range tiny against the values (1e10 ± 1e-3),
    // x·scale_ and min_ are huge and nearly cancel.
    return X.map((row) => row.map((v, j) => (v - dataMin[j]!) * scale[j]! + low));
  }

  fitTransform(X: Matrix): Matrix {
    return this.fit(X).transform(X);
  }

  inverseTransform(Z: Matrix): Matrix {
    const { scale, dataMin, low } = this.fitted();
    checkMatrix(Z, "Z", this.nFeaturesIn_);
    return Z.map((row) => row.map((v, j) => (v - low) / scale[j]! + dataMin[j]!));
  }

  private fitted(): { scale: number[]; dataMin: number[]; low: number } {
    if (!this.scale_ || !this.min_ || !this.dataMin_) throw new NotFittedError("MinMaxScaler");
    return { scale: this.scale_, dataMin: this.dataMin_, low: (this.params.featureRange ?? [0, 1])[0] };
  }
}
