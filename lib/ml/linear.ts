/**
 * Linear models with scikit-learn's names, objectives and attributes (`sklearn.linear_model`).
 *
 *   new LinearRegression().fit(X, y).coef_            // least squares (minimum-norm when rank-deficient)
 *   new Ridge({ alpha: 1 }).fit(X, y)                 // ‖y − Xw − b‖² + α‖w‖²
 *   new Lasso({ alpha: 0.1 }).fit(X, y).coef_         // (1/2n)‖y − Xw − b‖² + α‖w‖₁: exact zeros
 *   new LogisticRegression({ C: 1 }).fit(X, y)        // Σ log-loss·C + ½‖W‖², binary or multinomial
 *
 * The intercept is never penalised: regression models fit on centred data and recover it as
 * b = ȳ − x̄·w, exactly as scikit-learn does.
 */
import { leastSquares, solve } from "../math/linalg";
import { minimizeLbfgs } from "../nn/optimizers";
import {
  binaryCrossEntropyWithLogits,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
} from "../nn/losses";
import {
  NotFittedError,
  accuracyScore,
  checkMatrix,
  checkParam,
  checkTarget,
  r2Score,
  uniqueLabels,
  type Labels,
  type Matrix,
  type ProbabilisticClassifier,
  type Regressor,
} from "./base";
import { computeClassWeight } from "./imbalance";

interface InterceptParams {
  /** Fit an unpenalised intercept (default true); false forces the model through the origin. */
  fitIntercept?: boolean;
}

/** Shared by the regression models: centring, the intercept, predict and score. */
abstract class LinearRegressor<Params extends InterceptParams> implements Regressor<Params> {
  /** [nFeatures] */
  coef_?: number[];
  intercept_?: number;
  nFeaturesIn_?: number;

  constructor(readonly params: Readonly<Params>) {}

  /** Coefficients for centred X [n][d] and y [n] (or raw ones when fitIntercept is false). */
  protected abstract fitCoefficients(X: Matrix, y: number[]): number[];

  fit(X: Matrix, y: number[]): this {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    const fitIntercept = this.params.fitIntercept ?? true;
    const xMean = X[0]!.map((_, j) => (fitIntercept ? X.reduce((s, row) => s + row[j]!, 0) / rows : 0));
    const yMean = fitIntercept ? y.reduce((s, v) => s + v, 0) / rows : 0;
    const coef = this.fitCoefficients(
      X.map((row) => row.map((v, j) => v - xMean[j]!)),
      y.map((v) => v - yMean),
    );
    this.coef_ = coef;
    this.intercept_ = yMean - coef.reduce((s, w, j) => s + w * xMean[j]!, 0);
    this.nFeaturesIn_ = columns;
    return this;
  }

  /** [samples] X·coef_ + intercept_. */
  predict(X: Matrix): number[] {
    if (!this.coef_ || this.intercept_ === undefined) throw new NotFittedError(this.constructor.name);
    checkMatrix(X, "X", this.nFeaturesIn_);
    const [coef, intercept] = [this.coef_, this.intercept_];
    return X.map((row) => row.reduce((s, v, j) => s + v * coef[j]!, intercept));
  }

  /** Coefficient of determination R² on (X, y). */
  score(X: Matrix, y: number[]): number {
    return r2Score(y, this.predict(X));
  }
}

/** Ordinary least squares via the SVD: the minimum-norm solution when columns are collinear (as scikit-learn). */
export class LinearRegression extends LinearRegressor<InterceptParams> {
  constructor(params: Readonly<InterceptParams> = {}) {
    super(params);
  }

  protected fitCoefficients(X: Matrix, y: number[]): number[] {
    return leastSquares(X, y);
  }
}

export interface RidgeParams extends InterceptParams {
  /** L2 strength α ≥ 0 in ‖y − Xw − b‖² + α‖w‖²; default 1. */
  alpha?: number;
}

/** Ridge regression by its closed form w = (XᵀX + αI)⁻¹Xᵀy on centred data. */
export class Ridge extends LinearRegressor<RidgeParams> {
  constructor(params: Readonly<RidgeParams> = {}) {
    super(params);
    const { alpha = 1 } = params;
    checkParam("alpha", alpha, alpha >= 0 && Number.isFinite(alpha), "a finite number ≥ 0");
  }

  protected fitCoefficients(X: Matrix, y: number[]): number[] {
    const alpha = this.params.alpha ?? 1;
    const d = X[0]!.length;
    const gram = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? alpha : 0)),
    );
    const xty = Array.from({ length: d }, (_, j) => X.reduce((s, row, r) => s + row[j]! * y[r]!, 0));
    return solve(gram, xty);
  }
}

export interface LassoParams extends InterceptParams {
  /** L1 strength α > 0 in (1/2n)‖y − Xw − b‖² + α‖w‖₁; default 1. */
  alpha?: number;
  /** Coordinate-descent sweeps at most; default 1000. */
  maxIter?: number;
  /** Stop when the duality gap ≤ tol·‖y − ȳ‖² (scikit-learn's criterion); default 1e-4. */
  tol?: number;
}

/**
 * Lasso by cyclic coordinate descent. Each coordinate update is a soft-threshold,
 * wⱼ = S(xⱼᵀrⱼ, nα) / xⱼᵀxⱼ with rⱼ the residual without feature j, so coefficients land on exact zeros.
 */
export class Lasso extends LinearRegressor<LassoParams> {
  /** Sweeps run. */
  nIter_?: number;
  /** Duality gap at the end, in the units of ½‖y − Xw‖² + nα‖w‖₁: a certificate of how far from optimal. */
  dualGap_?: number;

  constructor(params: Readonly<LassoParams> = {}) {
    super(params);
    const { alpha = 1, maxIter = 1000, tol = 1e-4 } = params;
    checkParam("alpha", alpha, alpha > 0 && Number.isFinite(alpha), "a finite number > 0 (use LinearRegression for 0)");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("tol", tol, tol >= 0, "≥ 0");
  }

  protected fitCoefficients(X: Matrix, y: number[]): number[] {
    const { alpha = 1, maxIter = 1000, tol = 1e-4 } = this.params;
    const n = X.length;
    const d = X[0]!.length;
    const penalty = alpha * n; // the objective times n: ½‖r‖² + nα‖w‖₁
    const columnNorms = Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[j]! ** 2, 0));
    const w = new Array<number>(d).fill(0);
    const residual = [...y];
    const yNorm = y.reduce((s, v) => s + v * v, 0);
    let gap = Infinity;
    let sweep = 0;
    while (sweep < maxIter) {
      sweep++;
      let maxChange = 0;
      let maxWeight = 0;
      for (let j = 0; j < d; j++) {
        if (columnNorms[j] === 0) continue;
        const old = w[j]!;
        const rho = X.reduce((s, row, i) => s + row[j]! * residual[i]!, 0) + columnNorms[j]! * old;
        w[j] = (Math.sign(rho) * Math.max(Math.abs(rho) - penalty, 0)) / columnNorms[j]!;
        if (w[j] !== old) X.forEach((row, i) => (residual[i]! -= row[j]! * (w[j]! - old)));
        maxChange = Math.max(maxChange, Math.abs(w[j]! - old));
        maxWeight = Math.max(maxWeight, Math.abs(w[j]!));
      }
      // Cheap test first (scikit-learn's order), then the duality-gap certificate.
      if (maxWeight === 0 || maxChange <= tol * maxWeight) {
        gap = dualityGap(X, y, w, residual, penalty);
        if (gap <= tol * yNorm) break;
      }
    }
    this.nIter_ = sweep;
    this.dualGap_ = gap === Infinity ? dualityGap(X, y, w, residual, penalty) : gap;
    return w;
  }
}

/**
 * Gap between ½‖r‖² + λ‖w‖₁ and its Fenchel dual at the scaled residual (scikit-learn's cd_fast): ≥ 0, and 0
 * exactly at the optimum.
 */
function dualityGap(X: Matrix, y: number[], w: number[], residual: number[], penalty: number): number {
  const xtr = w.map((_, j) => X.reduce((s, row, i) => s + row[j]! * residual[i]!, 0));
  const dualNorm = Math.max(0, ...xtr.map(Math.abs));
  const rNorm = residual.reduce((s, r) => s + r * r, 0);
  const scale = dualNorm > penalty ? penalty / dualNorm : 1;
  const l1 = w.reduce((s, v) => s + Math.abs(v), 0);
  const ry = residual.reduce((s, r, i) => s + r * y[i]!, 0);
  return 0.5 * rNorm * (1 + scale * scale) + penalty * l1 - scale * ry;
}

export interface LogisticRegressionParams extends InterceptParams {
  /** Inverse L2 strength: minimises C·Σ log-loss + ½‖W‖²; Infinity means no penalty. Default 1. */
  C?: number;
  /** L-BFGS iterations at most; default 100. */
  maxIter?: number;
  /** Stop when every gradient entry of the mean objective is ≤ tol; default 1e-4. */
  tol?: number;
  /**
   * Per-class weights on the log-loss (scikit-learn's class_weight): "balanced" gives class c the weight
   * n / (nClasses · n_c); a record maps labels to weights. Default: every class 1.
   */
  classWeight?: "balanced" | Record<number, number>;
}

/**
 * Logistic regression fitted by L-BFGS on the mean objective (1/n)Σ log-loss + ‖W‖²/(2Cn), which has
 * scikit-learn's minimiser. Two classes: one weight vector and the sigmoid. More: one row per class and the
 * softmax (multinomial). Labels may be any numbers; `classes_` lists them sorted. With class or sample weights
 * sᵢ the loss term is (1/n)Σ sᵢ·log-lossᵢ (scikit-learn's C·Σ sᵢ·log-lossᵢ + ½‖W‖², divided by Cn).
 */
export class LogisticRegression implements ProbabilisticClassifier<LogisticRegressionParams> {
  classes_?: number[];
  /** [1][nFeatures] for two classes (the weights of classes_[1]), else [nClasses][nFeatures]. */
  coef_?: number[][];
  /** [1] or [nClasses] */
  intercept_?: number[];
  nFeaturesIn_?: number;
  nIter_?: number;
  /** Whether the gradient test passed within maxIter (scikit-learn warns otherwise). */
  converged_?: boolean;

  constructor(readonly params: Readonly<LogisticRegressionParams> = {}) {
    const { C = 1, maxIter = 100, tol = 1e-4 } = params;
    checkParam("C", C, C > 0, "> 0 (Infinity for no penalty)");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("tol", tol, tol >= 0, "≥ 0");
  }

  /** `sampleWeight` ([samples], ≥ 0) multiplies each sample's loss, on top of `classWeight`. */
  fit(X: Matrix, y: Labels, sampleWeight?: number[]): this {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    const { C = 1, maxIter = 100, tol = 1e-4, fitIntercept = true, classWeight } = this.params;
    const classes = uniqueLabels(y);
    if (classes.length < 2) throw new RangeError(`y must contain at least 2 classes, got only ${classes[0]}`);
    const classIndex = y.map((label) => classes.indexOf(label));
    if (sampleWeight !== undefined) {
      checkTarget(sampleWeight, rows, "sampleWeight");
      sampleWeight.forEach((w, i) => checkParam(`sampleWeight[${i}]`, w, w >= 0, "≥ 0"));
    }
    const perClass = classWeight === undefined ? undefined : computeClassWeight(classWeight, y);
    // null: every sample weighs 1, and the unweighted losses are used as they are.
    const weights = perClass === undefined && sampleWeight === undefined
      ? null
      : y.map((label, i) => (perClass?.get(label) ?? 1) * (sampleWeight?.[i] ?? 1));
    const nRows = classes.length === 2 ? 1 : classes.length;
    const width = columns + 1; // each row of parameters: weights, then intercept
    const ridge = 1 / (C * rows); // Infinity → 0

    // Parameters as one flat vector [row][width]; scores Z = X·Wᵀ + b are [n][nRows].
    const unpack = (theta: readonly number[]) => Array.from({ length: nRows }, (_, k) => theta.slice(k * width, (k + 1) * width));
    const scores = (params: number[][]) => X.map((x) => params.map((p) => x.reduce((s, v, j) => s + v * p[j]!, fitIntercept ? p[columns]! : 0)));
    const objective = (theta: readonly number[]) => {
      const params = unpack(theta);
      const Z = scores(params);
      let value: number;
      let dZ: number[][];
      if (nRows === 1) {
        const z = Z.map((row) => row[0]!);
        value = weights === null
          ? binaryCrossEntropyWithLogits.value(classIndex, z)
          : z.reduce((sum, zi, i) => sum + weights[i]! * binaryCrossEntropyWithLogits.value([classIndex[i]!], [zi]), 0) / rows;
        dZ = binaryCrossEntropyWithLogits.gradient(classIndex, z).map((g, i) => [weights === null ? g : weights[i]! * g]);
      } else {
        value = weights === null
          ? softmaxCrossEntropy(classIndex, Z)
          : Z.reduce((sum, zi, i) => sum + weights[i]! * softmaxCrossEntropy([classIndex[i]!], [zi]), 0) / rows;
        dZ = softmaxCrossEntropyGradient(classIndex, Z);
        if (weights !== null) dZ = dZ.map((row, i) => row.map((g) => weights[i]! * g));
      }
      const gradient = params.flatMap((p, k) => {
        const g = p.map((_, j) => (j < columns ? X.reduce((s, x, i) => s + dZ[i]![k]! * x[j]!, 0) + ridge * p[j]! : 0));
        if (fitIntercept) g[columns] = dZ.reduce((s, row) => s + row[k]!, 0);
        return g;
      });
      value += (ridge / 2) * params.reduce((s, p) => s + p.slice(0, columns).reduce((t, v) => t + v * v, 0), 0);
      return { value, gradient };
    };

    const result = minimizeLbfgs(objective, new Array<number>(nRows * width).fill(0), { maxIter, tol });
    const params = unpack(result.x);
    this.classes_ = classes;
    this.coef_ = params.map((p) => p.slice(0, columns));
    this.intercept_ = params.map((p) => (fitIntercept ? p[columns]! : 0));
    this.nFeaturesIn_ = columns;
    this.nIter_ = result.iterations;
    this.converged_ = result.converged;
    return this;
  }

  /** [samples] scores of classes_[1] for two classes, else [samples][nClasses]: the logits X·Wᵀ + b. */
  decisionFunction(X: Matrix): number[] | number[][] {
    const { coef, intercept } = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    const Z = X.map((x) => coef.map((w, k) => x.reduce((s, v, j) => s + v * w[j]!, intercept[k]!)));
    return coef.length === 1 ? Z.map((row) => row[0]!) : Z;
  }

  /** [samples][nClasses] class probabilities, columns in classes_ order. */
  predictProba(X: Matrix): Matrix {
    const scores = this.decisionFunction(X);
    return scores.map((s) => {
      if (typeof s === "number") {
        const p = sigmoid(s);
        return [1 - p, p];
      }
      return softmax(s);
    });
  }

  /** The most probable class of each sample. */
  predict(X: Matrix): Labels {
    const classes = this.fitted().classes;
    return this.predictProba(X).map((p) => classes[p.indexOf(Math.max(...p))]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }

  private fitted(): { classes: number[]; coef: number[][]; intercept: number[] } {
    if (!this.classes_ || !this.coef_ || !this.intercept_) throw new NotFittedError("LogisticRegression");
    return { classes: this.classes_, coef: this.coef_, intercept: this.intercept_ };
  }
}
