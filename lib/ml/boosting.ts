/**
 * Gradient-boosted decision trees in scikit-learn's shape (`sklearn.ensemble.GradientBoostingRegressor` and
 * `GradientBoostingClassifier` for two classes), checked against scikit-learn fixtures
 * (test/fixtures/sklearn/boosting-models.*).
 *
 *   const gb = new GradientBoostingRegressor({ nEstimators: 100, learningRate: 0.1, maxDepth: 3 }).fit(X, y);
 *   gb.predict(Xtest); gb.stagedPredict(Xtest);   // after 1, 2, …, nEstimators trees
 *
 * Boosting is gradient descent in function space: start from the best constant F₀, then each stage fits a
 * small regression tree h_m to the negative gradient of the loss at the current predictions (the residuals
 * y − F for squared error, y − p for log-loss), sets each leaf's value to the loss-minimising step, and adds
 * it shrunk by the learning rate: F_m = F_{m−1} + ν·h_m. With `subsample` < 1 each stage sees a random
 * fraction of the rows, drawn without replacement (stochastic gradient boosting).
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, r2Score, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier, type Regressor } from "./base";
import { DecisionTreeRegressor, walk, type TreeNode } from "./tree";
import { mean } from "./stats";

export interface GradientBoostingParams {
  /** Shrinkage ν: each tree's contribution is multiplied by it. */
  learningRate: number;
  /** Boosting stages (trees). */
  nEstimators: number;
  /** Depth of each regression tree. */
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Fraction of the rows each stage is fitted on (1 = all rows, deterministic). */
  subsample: number;
  /** Seeds the row subsampling and each tree's feature order. */
  seed: number;
}

const DEFAULTS: GradientBoostingParams = { learningRate: 0.1, nEstimators: 100, maxDepth: 3, minSamplesSplit: 2, minSamplesLeaf: 1, subsample: 1, seed: 0 };

/** What one loss tells the booster: the constant start, the negative gradient and the Newton step of a leaf. */
interface BoostingLoss {
  initial(y: Float64Array): number;
  negativeGradient(y: Float64Array, raw: Float64Array): Float64Array;
  /** The leaf value minimising the loss over the leaf's rows, given their negative gradients. */
  leafValue(rows: number[], y: Float64Array, raw: Float64Array, gradient: Float64Array): number;
  /** scikit-learn 1.2's `train_score_` entry: mean squared error, or binomial deviance (2 × log-loss). */
  value(y: Float64Array, raw: Float64Array, rows: number[]): number;
}

const squaredError: BoostingLoss = {
  initial: (y) => mean(y),
  negativeGradient: (y, raw) => y.map((v, i) => v - raw[i]!),
  // The tree's leaf mean of the residuals is already the least-squares step.
  leafValue: (rows, _y, _raw, gradient) => mean(rows.map((i) => gradient[i]!)),
  value: (y, raw, rows) => mean(rows.map((i) => (y[i]! - raw[i]!) ** 2)),
};

const logLoss: BoostingLoss = {
  initial: (y) => {
    const p = mean(y);
    return Math.log(p / (1 - p));
  },
  negativeGradient: (y, raw) => y.map((v, i) => v - sigmoid(raw[i]!)),
  // One Newton step on the leaf: Σ (y − p) / Σ p(1 − p), as scikit-learn's _update_terminal_region.
  leafValue: (rows, y, _raw, gradient) => {
    let numerator = 0;
    let denominator = 0;
    for (const i of rows) {
      numerator += gradient[i]!;
      const p = y[i]! - gradient[i]!;
      denominator += p * (1 - p);
    }
    return Math.abs(denominator) < 1e-150 ? 0 : numerator / denominator;
  },
  value: (y, raw, rows) => -2 * mean(rows.map((i) => y[i]! * raw[i]! - logOnePlusExp(raw[i]!))),
};

/** The shared stage loop; subclasses choose the loss and read the raw scores. */
abstract class GradientBoosting {
  readonly params: Readonly<GradientBoostingParams>;
  /** F₀, the constant the stages start from (mean target, or log-odds of class 1). */
  init_?: number;
  /** One regression tree per stage; its leaf values are the (unshrunk) steps. */
  estimators_?: DecisionTreeRegressor[];
  /** The loss on the rows each stage was fitted on, after that stage (scikit-learn 1.2's `train_score_`). */
  trainScore_?: number[];
  nFeaturesIn_?: number;

  constructor(params: Partial<GradientBoostingParams>) {
    this.params = { ...DEFAULTS, ...params };
    const p = this.params;
    checkParam("learningRate", p.learningRate, typeof p.learningRate === "number" && p.learningRate > 0 && Number.isFinite(p.learningRate), "a finite number > 0");
    checkParam("nEstimators", p.nEstimators, Number.isInteger(p.nEstimators) && p.nEstimators >= 1, "an integer ≥ 1");
    checkParam("subsample", p.subsample, typeof p.subsample === "number" && p.subsample > 0 && p.subsample <= 1, "a fraction in (0, 1]");
    // Tree parameters are validated by a tree's constructor.
    new DecisionTreeRegressor(this.treeParams(0));
  }

  protected boost(X: Matrix, y: Float64Array, loss: BoostingLoss): void {
    const n = y.length;
    const rng = new Random(this.params.seed);
    const { nEstimators, learningRate, subsample } = this.params;
    this.nFeaturesIn_ = X[0]!.length;
    this.init_ = loss.initial(y);
    const raw = new Float64Array(n).fill(this.init_);
    this.estimators_ = [];
    this.trainScore_ = [];
    const allRows = Array.from({ length: n }, (_, i) => i);
    for (let m = 0; m < nEstimators; m++) {
      const rows = subsample < 1 ? rng.sampleIndices(n, Math.max(1, Math.floor(subsample * n))).sort((a, b) => a - b) : allRows;
      const gradient = loss.negativeGradient(y, raw);
      const tree = new DecisionTreeRegressor(this.treeParams(rng.nextUint32() >>> 1)).fit(
        rows.map((i) => X[i]!),
        rows.map((i) => gradient[i]!),
      );
      // Each leaf takes the loss's own optimal step over the rows that reached it (the fitted rows only).
      const leafOf = tree.apply(rows.map((i) => X[i]!));
      const rowsByLeaf = new Map<TreeNode, number[]>();
      leafOf.forEach((leaf, r) => rowsByLeaf.set(leaf, [...(rowsByLeaf.get(leaf) ?? []), rows[r]!]));
      walk(tree.tree_!, (node) => {
        if (!node.split) node.value = [loss.leafValue(rowsByLeaf.get(node) ?? [], y, raw, gradient)];
      });
      const step = tree.predict(X);
      for (let i = 0; i < n; i++) raw[i]! += learningRate * step[i]!;
      this.estimators_.push(tree);
      this.trainScore_.push(loss.value(y, raw, rows));
    }
  }

  /** Raw scores F_m(x) after every stage m = 1 … nEstimators. */
  protected *stagedRaw(X: Matrix): Generator<number[]> {
    const trees = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    const raw = X.map(() => this.init_!);
    for (const tree of trees) {
      const step = tree.predict(X);
      for (let i = 0; i < raw.length; i++) raw[i]! += this.params.learningRate * step[i]!;
      yield [...raw];
    }
  }

  protected raw(X: Matrix): number[] {
    let last: number[] = [];
    for (const raw of this.stagedRaw(X)) last = raw;
    return last;
  }

  private fitted(): DecisionTreeRegressor[] {
    if (!this.estimators_) throw new NotFittedError(this.constructor.name);
    return this.estimators_;
  }

  private treeParams(seed: number) {
    const { maxDepth, minSamplesSplit, minSamplesLeaf } = this.params;
    return { maxDepth, minSamplesSplit, minSamplesLeaf, seed };
  }
}

/** Least-squares gradient boosting: each tree fits the residuals y − F. */
export class GradientBoostingRegressor extends GradientBoosting implements Regressor<GradientBoostingParams> {
  constructor(params: Partial<GradientBoostingParams> = {}) {
    super(params);
  }

  fit(X: Matrix, y: number[]): this {
    const [rows] = checkMatrix(X);
    checkTarget(y, rows);
    this.boost(X, Float64Array.from(y), squaredError);
    return this;
  }

  predict(X: Matrix): number[] {
    return this.raw(X);
  }

  /** Predictions after each stage: [stage][sample]. */
  stagedPredict(X: Matrix): number[][] {
    return [...this.stagedRaw(X)];
  }

  score(X: Matrix, y: number[]): number {
    return r2Score(y, this.predict(X));
  }
}

/** Binary log-loss gradient boosting: F is the log-odds of the larger class; each tree fits y − p. */
export class GradientBoostingClassifier extends GradientBoosting implements ProbabilisticClassifier<GradientBoostingParams> {
  classes_?: number[];

  constructor(params: Partial<GradientBoostingParams> = {}) {
    super(params);
  }

  fit(X: Matrix, y: Labels): this {
    const [rows] = checkMatrix(X);
    checkTarget(y, rows);
    const classes = uniqueLabels(y);
    if (classes.length !== 2) throw new RangeError(`GradientBoostingClassifier: y must hold exactly 2 classes (binary log-loss), got ${classes.length}: ${classes.slice(0, 5).join(", ")}`);
    this.classes_ = classes;
    this.boost(X, Float64Array.from(y, (label) => (label === classes[1] ? 1 : 0)), logLoss);
    return this;
  }

  /** The log-odds F(x) of classes_[1]. */
  decisionFunction(X: Matrix): number[] {
    return this.raw(X);
  }

  /** Log-odds after each stage: [stage][sample]. */
  stagedDecisionFunction(X: Matrix): number[][] {
    return [...this.stagedRaw(X)];
  }

  predictProba(X: Matrix): Matrix {
    return this.decisionFunction(X).map((f) => {
      const p = sigmoid(f);
      return [1 - p, p];
    });
  }

  predict(X: Matrix): Labels {
    return this.decisionFunction(X).map((f) => this.classes_![f > 0 ? 1 : 0]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function logOnePlusExp(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
