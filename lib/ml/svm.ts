/**
 * Binary support vector machines, two ways, in scikit-learn's shape:
 *
 *   - `LinearSVC`: the primal problem  min ½‖w‖² + C Σ max(0, 1 − yᵢ(w·xᵢ + b))  by Pegasos (stochastic
 *     sub-gradient steps, Shalev-Shwartz et al. 2011).
 *   - `SVC`: the dual problem  max Σαᵢ − ½ ΣΣ αᵢαⱼyᵢyⱼK(xᵢ, xⱼ),  0 ≤ αᵢ ≤ C, Σαᵢyᵢ = 0,  by SMO with
 *     libsvm's second-order working-set selection (Fan, Chen & Lin 2005), for linear or RBF kernels.
 *
 *   const svm = new SVC({ kernel: "rbf", C: 1, gamma: "scale" }).fit(X, y);   // y: any two labels
 *   svm.supportVectors_, svm.dualCoef_, svm.intercept_;                        // f(x) = Σ dualCoef·K(sv, x) + b
 *
 * Labels are mapped as scikit-learn does: classes_[0] → −1, classes_[1] → +1, so decisionFunction > 0
 * predicts classes_[1]. Features are not scaled here: fit a scaler on the training set and reuse it.
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, uniqueLabels, type Classifier, type Labels, type Matrix } from "./base";
import { isConstantFeature } from "./stats";

/** Shared by both solvers: two-class label mapping, predict and score from the decision function. */
abstract class BinaryMarginClassifier<Params extends object> implements Classifier<Params> {
  abstract readonly params: Readonly<Params>;
  classes_?: number[];
  nFeaturesIn_?: number;

  abstract fit(X: Matrix, y: Labels): this;
  /** Signed distance-like score f(x): positive means classes_[1]. */
  abstract decisionFunction(X: Matrix): number[];

  predict(X: Matrix): Labels {
    const [negative, positive] = this.classes_ ?? [];
    return this.decisionFunction(X).map((f) => (f > 0 ? positive! : negative!));
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }

  /** Validates X and y; returns y as ±1. */
  protected encode(X: Matrix, y: Labels): number[] {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    const classes = uniqueLabels(y);
    if (classes.length !== 2) throw new RangeError(`y must hold exactly 2 classes for a binary SVM, got ${classes.length} (${classes.join(", ")})`);
    this.classes_ = classes;
    this.nFeaturesIn_ = columns;
    return y.map((label) => (label === classes[1] ? 1 : -1));
  }
}

export interface LinearSVCParams {
  /** Penalty on the hinge loss; large C approaches the hard margin. Pegasos uses λ = 1 / (C n). */
  C: number;
  /** Epochs: passes over the training set in a random order. */
  maxIter: number;
  /** Learn an unregularised intercept b (else b = 0). */
  fitIntercept: boolean;
  seed: number;
}

/** Linear SVM on the primal by Pegasos; hinge loss (scikit-learn's LinearSVC(loss="hinge") with its intercept unregularised). */
export class LinearSVC extends BinaryMarginClassifier<LinearSVCParams> {
  readonly params: Readonly<LinearSVCParams>;
  coef_?: number[];
  intercept_?: number;
  /** The primal objective ½‖w‖² + C Σ hinge after each epoch. */
  lossHistory_?: number[];
  nIter_?: number;

  constructor(params: Partial<LinearSVCParams> = {}) {
    super();
    this.params = { C: 1, maxIter: 1000, fitIntercept: true, seed: 0, ...params };
    const { C, maxIter, seed } = this.params;
    checkParam("C", C, C > 0 && Number.isFinite(C), "a finite number > 0");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("seed", seed, Number.isInteger(seed), "an integer");
  }

  fit(X: Matrix, y: Labels): this {
    const signs = this.encode(X, y);
    const { C, maxIter, fitIntercept, seed } = this.params;
    const n = X.length;
    const d = this.nFeaturesIn_!;
    const lambda = 1 / (C * n);
    // η_t = 1 / (λ (t + t0)); the offset t0 = 1/λ caps the first steps near 1 instead of C·n, which
    // would throw w and the unregularised b far out and take many epochs to shrink back.
    const t0 = 1 / lambda;
    const rng = new Random(seed);
    const w = new Float64Array(d);
    let b = 0;
    let t = 0;
    this.lossHistory_ = [];
    for (let epoch = 0; epoch < maxIter; epoch++) {
      for (const i of rng.permutation(n)) {
        t++;
        const eta = 1 / (lambda * (t + t0));
        const x = X[i]!;
        const margin = signs[i]! * (dotArray(w, x) + b);
        for (let k = 0; k < d; k++) w[k]! *= 1 - eta * lambda;
        if (margin < 1) {
          for (let k = 0; k < d; k++) w[k]! += eta * signs[i]! * x[k]!;
          if (fitIntercept) b += eta * signs[i]!;
        }
      }
      this.lossHistory_.push(primalObjective(w, b, X, signs, C));
    }
    this.coef_ = Array.from(w);
    this.intercept_ = b;
    this.nIter_ = maxIter;
    return this;
  }

  decisionFunction(X: Matrix): number[] {
    if (!this.coef_ || this.intercept_ === undefined) throw new NotFittedError("LinearSVC");
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((x) => dotArray(this.coef_!, x) + this.intercept_!);
  }
}

export interface SVCParams {
  /** Upper bound on each αᵢ: the price of a margin violation. */
  C: number;
  kernel: "linear" | "rbf";
  /** RBF width in K = exp(−γ‖x − z‖²): a number, "scale" = 1 / (d · Var(X)), or "auto" = 1 / d. */
  gamma: number | "scale" | "auto";
  /** Stop when the maximal KKT violation m(α) − M(α) < tol (libsvm's criterion). */
  tol: number;
  /** SMO steps at most (each updates one pair of α). */
  maxIter: number;
}

/** Kernel SVM on the dual by SMO. */
export class SVC extends BinaryMarginClassifier<SVCParams> {
  readonly params: Readonly<SVCParams>;
  /** [nSV][features]: the training points with αᵢ > 0. */
  supportVectors_?: Matrix;
  /** Indices of the support vectors in the training set. */
  support_?: number[];
  /** [1][nSV]: αᵢyᵢ of each support vector, as scikit-learn. */
  dualCoef_?: Matrix;
  intercept_?: number;
  /** The γ used (after resolving "scale" / "auto"). */
  gamma_?: number;
  /** w = Σ αᵢyᵢxᵢ; linear kernel only. */
  coef_?: number[];
  nIter_?: number;
  /** False if maxIter ran out before the KKT conditions held to tol. */
  converged_?: boolean;

  constructor(params: Partial<SVCParams> = {}) {
    super();
    this.params = { C: 1, kernel: "rbf", gamma: "scale", tol: 1e-3, maxIter: 1_000_000, ...params };
    const { C, kernel, gamma, tol, maxIter } = this.params;
    checkParam("C", C, C > 0 && Number.isFinite(C), "a finite number > 0");
    checkParam("kernel", kernel, kernel === "linear" || kernel === "rbf", '"linear" or "rbf"');
    checkParam("gamma", gamma, gamma === "scale" || gamma === "auto" || (typeof gamma === "number" && gamma > 0), '"scale", "auto" or a number > 0');
    checkParam("tol", tol, tol > 0, "> 0");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
  }

  fit(X: Matrix, y: Labels): this {
    const signs = this.encode(X, y);
    const { C, tol, maxIter } = this.params;
    const n = X.length;
    this.gamma_ = this.resolveGamma(X);
    const K = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) K[i * n + j] = K[j * n + i] = this.kernel(X[i]!, X[j]!);
    const alpha = new Float64Array(n);
    // G = ∇(½αᵀQα − Σα) = Qα − 1 with Q_ij = yᵢyⱼK_ij; at α = 0 it is −1 everywhere.
    const G = new Float64Array(n).fill(-1);
    // "up": αᵢ can move so that yᵢαᵢ grows; "low": so that it shrinks.
    const inUp = (t: number) => (signs[t] === 1 ? alpha[t]! < C : alpha[t]! > 0);
    const inLow = (t: number) => (signs[t] === 1 ? alpha[t]! > 0 : alpha[t]! < C);
    let iter = 0;
    let converged = false;
    for (; iter < maxIter; iter++) {
      // i: the most violating index in "up", by −yG.
      let i = -1;
      let m = -Infinity;
      for (let t = 0; t < n; t++) if (inUp(t) && -signs[t]! * G[t]! > m) [i, m] = [t, -signs[t]! * G[t]!];
      // j: in "low", the partner with the largest second-order decrease b²/a.
      let j = -1;
      let M = Infinity;
      let bestDecrease = -Infinity;
      for (let t = 0; t < n; t++) {
        if (!inLow(t)) continue;
        const v = -signs[t]! * G[t]!;
        M = Math.min(M, v);
        const gap = m - v;
        if (gap <= 0 || i < 0) continue;
        const a = Math.max(K[i * n + i]! + K[t * n + t]! - 2 * K[i * n + t]!, 1e-12);
        if ((gap * gap) / a > bestDecrease) [j, bestDecrease] = [t, (gap * gap) / a];
      }
      if (m - M < tol || j < 0) {
        converged = true;
        break;
      }
      // Move along αᵢ += yᵢs, αⱼ −= yⱼs (keeps Σαy = 0); the unconstrained optimum is s = gap / a.
      const a = Math.max(K[i * n + i]! + K[j * n + j]! - 2 * K[i * n + j]!, 1e-12);
      const roomI = signs[i] === 1 ? C - alpha[i]! : alpha[i]!;
      const roomJ = signs[j] === 1 ? alpha[j]! : C - alpha[j]!;
      const s = Math.min((m - (-signs[j]! * G[j]!)) / a, roomI, roomJ);
      alpha[i] = s === roomI ? (signs[i] === 1 ? C : 0) : alpha[i]! + signs[i]! * s;
      alpha[j] = s === roomJ ? (signs[j] === 1 ? 0 : C) : alpha[j]! - signs[j]! * s;
      for (let t = 0; t < n; t++) G[t]! += signs[t]! * s * (K[t * n + i]! - K[t * n + j]!);
    }
    this.nIter_ = iter;
    this.converged_ = converged;
    this.intercept_ = intercept(alpha, G, signs, C);
    this.support_ = Array.from(alpha, (_, t) => t).filter((t) => alpha[t]! > 0);
    this.supportVectors_ = this.support_.map((t) => [...X[t]!]);
    this.dualCoef_ = [this.support_.map((t) => alpha[t]! * signs[t]!)];
    this.coef_ =
      this.params.kernel === "linear"
        ? Array.from({ length: this.nFeaturesIn_! }, (_, k) => this.support_!.reduce((s, t, r) => s + this.dualCoef_![0]![r]! * X[t]![k]!, 0))
        : undefined;
    return this;
  }

  /** f(x) = Σ αᵢyᵢ K(svᵢ, x) + b. */
  decisionFunction(X: Matrix): number[] {
    if (!this.supportVectors_ || !this.dualCoef_ || this.intercept_ === undefined) throw new NotFittedError("SVC");
    checkMatrix(X, "X", this.nFeaturesIn_);
    const coefficients = this.dualCoef_[0]!;
    return X.map((x) => this.supportVectors_!.reduce((s, sv, r) => s + coefficients[r]! * this.kernel(sv, x), this.intercept_!));
  }

  private kernel(a: number[], b: number[]): number {
    if (this.params.kernel === "linear") return dotArray(a, b);
    let squared = 0;
    for (let k = 0; k < a.length; k++) squared += (a[k]! - b[k]!) ** 2;
    return Math.exp(-this.gamma_! * squared);
  }

  private resolveGamma(X: Matrix): number {
    const { gamma } = this.params;
    const d = X[0]!.length;
    if (typeof gamma === "number") return gamma;
    if (gamma === "auto") return 1 / d;
    const values = X.flat();
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    // scikit-learn: 1 when X.var() is 0; a variance that is only round-off of a constant X counts as 0 too.
    return isConstantFeature(variance, mean, values.length) ? 1 : 1 / (d * variance);
  }
}

/**
 * b from the KKT conditions: a free vector (0 < α < C) lies on the margin, so b = −yG there (averaged over
 * all free vectors); with none, b is the middle of the interval the bounded ones allow.
 */
function intercept(alpha: Float64Array, G: Float64Array, signs: number[], C: number): number {
  let free = 0;
  let sum = 0;
  let upper = Infinity;
  let lower = -Infinity;
  alpha.forEach((a, t) => {
    const v = -signs[t]! * G[t]!;
    if (a > 0 && a < C) {
      free++;
      sum += v;
    } else if ((signs[t] === 1) === (a === 0)) {
      lower = Math.max(lower, v); // can only grow yα: v ≤ b
    } else {
      upper = Math.min(upper, v); // can only shrink yα: v ≥ b
    }
  });
  if (free > 0) return sum / free;
  if (Number.isFinite(upper) && Number.isFinite(lower)) return (upper + lower) / 2;
  return Number.isFinite(upper) ? upper : lower;
}

function primalObjective(w: Float64Array, b: number, X: Matrix, signs: number[], C: number): number {
  let hinge = 0;
  X.forEach((x, i) => (hinge += Math.max(0, 1 - signs[i]! * (dotArray(w, x) + b))));
  return 0.5 * dotArray(w, w) + C * hinge;
}

function dotArray(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}
