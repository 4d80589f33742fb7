/**
 * Support vector machines, two ways, in scikit-learn's shape:
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
 *
 * More than two classes, as scikit-learn: `SVC` trains one machine per pair of classes (one-vs-one, as libsvm)
 * and predicts by their votes; `LinearSVC` trains one machine per class against the rest (one-vs-rest, as
 * liblinear) and predicts the class with the largest decision value. `multiclassDecisionFunction(X)` is
 * scikit-learn's 2-D `decision_function`; `estimators_` holds the binary machines.
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, uniqueLabels, type Classifier, type Labels, type Matrix } from "./base";
import { isConstantFeature } from "./stats";

/** One binary machine of a multiclass model: its two classes (one-vs-one) or its one class against the rest. */
export interface MulticlassMember<Model> {
  /** One-vs-one: [classes_[i], classes_[j]], i < j. One-vs-rest: [the class]. */
  classes: number[];
  /** The training rows it was fitted on (indices into the X given to fit). */
  rows: number[];
  model: Model;
}

/** Shared by both solvers: label mapping, multiclass reduction, predict and score from the decision function. */
abstract class BinaryMarginClassifier<Params extends object> implements Classifier<Params> {
  abstract readonly params: Readonly<Params>;
  classes_?: number[];
  nFeaturesIn_?: number;
  /** With more than two classes: the binary machines (one per pair for SVC, one per class for LinearSVC). */
  estimators_?: MulticlassMember<this>[];

  abstract fit(X: Matrix, y: Labels): this;
  /** Binary: signed distance-like score f(x), positive means classes_[1]. */
  abstract decisionFunction(X: Matrix): number[];
  /** With more than two classes, scikit-learn's 2-D decision_function: one row per sample. */
  abstract multiclassDecisionFunction(X: Matrix): Matrix;
  protected abstract predictMulticlass(X: Matrix): Labels;

  predict(X: Matrix): Labels {
    if (this.estimators_) return this.predictMulticlass(X);
    const [negative, positive] = this.classes_ ?? [];
    return this.decisionFunction(X).map((f) => (f > 0 ? positive! : negative!));
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }

  /** Validates X and y and sets classes_; returns y as ±1 for two classes, null for more (fit the machines of `reduce`). */
  protected encode(X: Matrix, y: Labels): number[] | null {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    const classes = uniqueLabels(y);
    if (classes.length < 2) throw new RangeError(`y must hold at least 2 classes, got ${classes.length} (${classes.join(", ")})`);
    this.classes_ = classes;
    this.nFeaturesIn_ = columns;
    this.estimators_ = undefined;
    return classes.length === 2 ? y.map((label) => (label === classes[1] ? 1 : -1)) : null;
  }

  /**
   * Fits the binary machines of a multiclass model: "ovo" one per pair (i < j) on the rows of those two classes,
   * "ovr" one per class on all rows relabelled 1 (the class) / 0 (the rest).
   */
  protected fitMachines(X: Matrix, y: Labels, scheme: "ovo" | "ovr", newMachine: () => this): void {
    const classes = this.classes_!;
    const members: MulticlassMember<this>[] = [];
    if (scheme === "ovr") {
      const all = y.map((_, r) => r);
      for (const c of classes) members.push({ classes: [c], rows: all, model: newMachine().fit(X, y.map((label) => (label === c ? 1 : 0))) });
    } else {
      for (let i = 0; i < classes.length; i++) {
        for (let j = i + 1; j < classes.length; j++) {
          const rows = y.flatMap((label, r) => (label === classes[i] || label === classes[j] ? [r] : []));
          members.push({ classes: [classes[i]!, classes[j]!], rows: rows, model: newMachine().fit(rows.map((r) => X[r]!), rows.map((r) => y[r]!)) });
        }
      }
    }
    this.estimators_ = members;
  }

  /** The machines of a fitted multiclass model, after checking X's width. */
  protected machinesFor(name: string, X: Matrix): MulticlassMember<this>[] {
    if (!this.classes_) throw new NotFittedError(name);
    if (!this.estimators_) throw new Error(`${name}.multiclassDecisionFunction needs a model fitted on more than 2 classes; this one has 2 (${this.classes_.join(", ")}): use decisionFunction`);
    checkMatrix(X, "X", this.nFeaturesIn_);
    return this.estimators_;
  }

  protected requireBinary(name: string): void {
    if (this.estimators_) throw new Error(`${name}.decisionFunction is binary; this model has ${this.classes_!.length} classes: use multiclassDecisionFunction (one column per ${name === "SVC" ? "class or class pair" : "class"})`);
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
    if (!signs) {
      [this.coef_, this.intercept_, this.lossHistory_, this.nIter_] = [undefined, undefined, undefined, undefined];
      this.fitMachines(X, y, "ovr", () => new LinearSVC(this.params) as this);
      return this;
    }
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
    this.requireBinary("LinearSVC");
    if (!this.coef_ || this.intercept_ === undefined) throw new NotFittedError("LinearSVC");
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((x) => dotArray(this.coef_!, x) + this.intercept_!);
  }

  /** One-vs-rest: [nSamples][nClasses], column k = the decision value of the machine "classes_[k] vs the rest". */
  multiclassDecisionFunction(X: Matrix): Matrix {
    const columns = this.machinesFor("LinearSVC", X).map((member) => member.model.decisionFunction(X));
    return X.map((_, i) => columns.map((column) => column[i]!));
  }

  /** The class whose machine is most confident (the first on ties), as scikit-learn's LinearSVC. */
  protected predictMulticlass(X: Matrix): Labels {
    return this.multiclassDecisionFunction(X).map((row) => this.classes_![argmaxFirst(row)]!);
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
  /**
   * With more than two classes, the shape of multiclassDecisionFunction (training is one-vs-one either way):
   * "ovo" one column per class pair, "ovr" one per class (votes + a confidence term in (−⅓, ⅓)), as scikit-learn.
   */
  decisionFunctionShape: "ovr" | "ovo";
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
  /** Multiclass: support vectors per class (a training row counts once if any pair machine uses it), as libsvm. */
  nSupport_?: number[];

  constructor(params: Partial<SVCParams> = {}) {
    super();
    this.params = { C: 1, kernel: "rbf", gamma: "scale", tol: 1e-3, maxIter: 1_000_000, decisionFunctionShape: "ovr", ...params };
    const { C, kernel, gamma, tol, maxIter, decisionFunctionShape } = this.params;
    checkParam("C", C, C > 0 && Number.isFinite(C), "a finite number > 0");
    checkParam("kernel", kernel, kernel === "linear" || kernel === "rbf", '"linear" or "rbf"');
    checkParam("gamma", gamma, gamma === "scale" || gamma === "auto" || (typeof gamma === "number" && gamma > 0), '"scale", "auto" or a number > 0');
    checkParam("tol", tol, tol > 0, "> 0");
    checkParam("maxIter", maxIter, Number.isInteger(maxIter) && maxIter >= 1, "an integer ≥ 1");
    checkParam("decisionFunctionShape", decisionFunctionShape, decisionFunctionShape === "ovr" || decisionFunctionShape === "ovo", '"ovr" or "ovo"');
  }

  fit(X: Matrix, y: Labels): this {
    const signs = this.encode(X, y);
    // γ = "scale" is resolved once on all of X, so every pair machine uses the same kernel (as libsvm).
    this.gamma_ = this.resolveGamma(X);
    if (!signs) return this.fitOneVsOne(X, y);
    this.nSupport_ = undefined;
    const { C, tol, maxIter } = this.params;
    const n = X.length;
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

  private fitOneVsOne(X: Matrix, y: Labels): this {
    [this.support_, this.supportVectors_, this.dualCoef_, this.intercept_, this.coef_] = [undefined, undefined, undefined, undefined, undefined];
    this.fitMachines(X, y, "ovo", () => new SVC({ ...this.params, gamma: this.gamma_! }) as this);
    const used = new Set(this.estimators_!.flatMap((member) => member.model.support_!.map((t) => member.rows[t]!)));
    this.nSupport_ = this.classes_!.map((c) => [...used].filter((r) => y[r] === c).length);
    this.nIter_ = this.estimators_!.reduce((s, member) => s + member.model.nIter_!, 0);
    this.converged_ = this.estimators_!.every((member) => member.model.converged_);
    return this;
  }

  /**
   * Multiclass, as scikit-learn: "ovo" gives one column per pair (i, j), i < j, positive for classes_[i]
   * (libsvm's sign); "ovr" gives per class its votes plus Σ confidences / (3(|Σ confidences| + 1)).
   */
  multiclassDecisionFunction(X: Matrix): Matrix {
    const pairs = this.pairDecisions(X);
    if (this.params.decisionFunctionShape === "ovo") return pairs;
    const k = this.classes_!.length;
    return pairs.map((row) => {
      const votes = new Array<number>(k).fill(0);
      const confidence = new Array<number>(k).fill(0);
      this.forEachPair(row, (i, j, f) => {
        votes[f > 0 ? i : j]!++;
        confidence[i]! += f;
        confidence[j]! -= f;
      });
      return votes.map((v, c) => v + confidence[c]! / (3 * (Math.abs(confidence[c]!) + 1)));
    });
  }

  /** One-vs-one votes; a tie goes to the class that comes first in classes_ (libsvm). */
  protected predictMulticlass(X: Matrix): Labels {
    return this.pairDecisions(X).map((row) => {
      const votes = new Array<number>(this.classes_!.length).fill(0);
      this.forEachPair(row, (i, j, f) => votes[f > 0 ? i : j]!++);
      return this.classes_![argmaxFirst(votes)]!;
    });
  }

  /** [nSamples][nPairs]: the pair machines' decision values with libsvm's sign (positive = the pair's first class). */
  private pairDecisions(X: Matrix): Matrix {
    const columns = this.machinesFor("SVC", X).map((member) => member.model.decisionFunction(X).map((f) => -f));
    return X.map((_, i) => columns.map((column) => column[i]!));
  }

  private forEachPair(row: number[], visit: (i: number, j: number, f: number) => void): void {
    const k = this.classes_!.length;
    let p = 0;
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) visit(i, j, row[p++]!);
  }

  /** Binary: f(x) = Σ αᵢyᵢ K(svᵢ, x) + b. */
  decisionFunction(X: Matrix): number[] {
    this.requireBinary("SVC");
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

/** Index of the largest value, the first one on ties. */
function argmaxFirst(values: number[]): number {
  return values.reduce((best, v, i) => (v > values[best]! ? i : best), 0);
}

function dotArray(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

export interface PlattSigmoid {
  /** P(positive | f) = 1 / (1 + exp(A f + B)); A < 0 when larger f means more positive. */
  A: number;
  B: number;
  predictProba(decision: number[]): number[];
}

/**
 * Platt scaling (Platt 1999; the Newton method of Lin, Lin & Weng 2007, as libsvm): fits A, B so that
 * 1 / (1 + exp(A f + B)) minimises the log-loss of the labels given decision values f. With `smoothTargets`
 * (Platt's default) the targets are (N₊ + 1)/(N₊ + 2) and 1/(N₋ + 2) instead of 1 and 0, so a separable set
 * still gives a finite A. Fit it on decision values the machine did not train on (held out or cross-validated):
 * on its own training points an SVM's decision values are over-confident.
 */
export function fitPlattSigmoid(decision: number[], positive: boolean[], options: { smoothTargets?: boolean; maxIter?: number } = {}): PlattSigmoid {
  const { smoothTargets = true, maxIter = 100 } = options;
  if (decision.length === 0 || decision.length !== positive.length) throw new RangeError(`fitPlattSigmoid: decision (${decision.length}) and positive (${positive.length}) must be non-empty and of equal length`);
  decision.forEach((f, i) => {
    if (!Number.isFinite(f)) throw new RangeError(`fitPlattSigmoid: decision[${i}] must be a finite number, got ${f}`);
  });
  const nPositive = positive.filter(Boolean).length;
  const nNegative = positive.length - nPositive;
  const [high, low] = smoothTargets ? [(nPositive + 1) / (nPositive + 2), 1 / (nNegative + 2)] : [1, 0];
  const targets = positive.map((p) => (p ? high : low));
  // One point's log-loss with p = 1/(1 + e^z), z = A f + B, is log(1 + e^z) − (1 − t) z; written without overflow.
  const loss = (A: number, B: number) => decision.reduce((s, f, i) => {
    const z = A * f + B;
    return s + (z >= 0 ? targets[i]! * z + Math.log1p(Math.exp(-z)) : -(1 - targets[i]!) * z + Math.log1p(Math.exp(z)));
  }, 0);
  let A = 0;
  let B = Math.log((nNegative + 1) / (nPositive + 1));
  let current = loss(A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    // ∂loss/∂z = t − p and ∂²loss/∂z² = p(1 − p); the chain rule through z = A f + B gives (A, B)'s.
    let [gA, gB, hAA, hAB, hBB] = [0, 0, 1e-12, 0, 1e-12];
    decision.forEach((f, i) => {
      const z = A * f + B;
      const p = z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
      const d1 = targets[i]! - p;
      const d2 = p * (1 - p);
      gA += f * d1;
      gB += d1;
      hAA += f * f * d2;
      hAB += f * d2;
      hBB += d2;
    });
    if (Math.abs(gA) < 1e-10 && Math.abs(gB) < 1e-10) break;
    const det = hAA * hBB - hAB * hAB;
    const dA = -(hBB * gA - hAB * gB) / det;
    const dB = -(-hAB * gA + hAA * gB) / det;
    let step = 1;
    while (step >= 1e-10) {
      const next = loss(A + step * dA, B + step * dB);
      if (next < current + 1e-4 * step * (gA * dA + gB * dB)) {
        [A, B, current] = [A + step * dA, B + step * dB, next];
        break;
      }
      step /= 2;
    }
    if (step < 1e-10) break; // no descent possible: at the optimum up to round-off
  }
  const finalA = A;
  const finalB = B;
  return {
    A: finalA,
    B: finalB,
    predictProba: (values) => values.map((f) => {
      const z = finalA * f + finalB;
      return z >= 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z));
    }),
  };
}
