/**
 * Naive Bayes classifiers with scikit-learn's names and attributes (`sklearn.naive_bayes`).
 *
 *   const nb = new CategoricalNB({ alpha: 1 }).fit(X, y);   // X: category codes 0, 1, 2, … per feature
 *   nb.classLogPrior_, nb.featureLogProb_;                 // log P(c), log P(x_j = k | c)
 *   nb.predictProba(Xtest);                                 // rows sum to 1
 *
 * CategoricalNB (category codes), MultinomialNB (counts), BernoulliNB (presence/absence), GaussianNB (reals).
 *
 * Posteriors are computed in log space: log P(c) + Σ_j log P(x_j | c), normalised with log-sum-exp. A
 * product of hundreds of small likelihoods underflows to 0 in float64; the sum of their logs does not.
 */
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier } from "./base";
import { logSumExp } from "../nn/losses";
import { argmax, mean, variance } from "./stats";

/** Shared prediction logic: subclasses supply the joint log-likelihood log P(c) + log P(x | c). */
abstract class NaiveBayes<Params extends object> implements ProbabilisticClassifier<Params> {
  abstract readonly params: Readonly<Params>;
  classes_?: number[];
  /** Training samples per class, in `classes_` order. */
  classCount_?: number[];
  /** log P(c), in `classes_` order. */
  classLogPrior_?: number[];
  nFeaturesIn_?: number;

  abstract fit(X: Matrix, y: Labels): this;
  protected abstract jointLogLikelihoodRow(x: number[], row: number): number[];

  /** [samples][classes] log P(c) + log P(x | c): unnormalised log posteriors. */
  predictJointLogProba(X: Matrix): Matrix {
    const features = this.fitted().nFeaturesIn_;
    checkMatrix(X, "X", features);
    return X.map((x, i) => this.jointLogLikelihoodRow(x, i));
  }

  /** [samples][classes] log P(c | x). */
  predictLogProba(X: Matrix): Matrix {
    return this.predictJointLogProba(X).map((jll) => {
      const norm = logSumExp(jll);
      return jll.map((v) => v - norm);
    });
  }

  /** [samples][classes] P(c | x); NaN where every class has zero likelihood (possible only with alpha = 0). */
  predictProba(X: Matrix): Matrix {
    return this.predictLogProba(X).map((row) => row.map(Math.exp));
  }

  /** The class with the largest posterior (the first one on ties). */
  predict(X: Matrix): Labels {
    const { classes_ } = this.fitted();
    return this.predictJointLogProba(X).map((jll) => classes_[argmax(jll)]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }

  protected fitted(): { classes_: number[]; nFeaturesIn_: number; classLogPrior_: number[] } {
    if (!this.classes_ || this.nFeaturesIn_ === undefined || !this.classLogPrior_) throw new NotFittedError(this.constructor.name);
    return { classes_: this.classes_, nFeaturesIn_: this.nFeaturesIn_, classLogPrior_: this.classLogPrior_ };
  }

  /** Validates X, y; sets classes_, classCount_, classLogPrior_; returns the class index of every sample. */
  protected fitClasses(X: Matrix, y: Labels, fitPrior: boolean, classPrior: number[] | null, priorName = "classPrior"): number[] {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    this.classes_ = uniqueLabels(y);
    this.nFeaturesIn_ = columns;
    const index = new Map(this.classes_.map((c, k) => [c, k]));
    const classOf = y.map((label) => index.get(label)!);
    this.classCount_ = this.classes_.map(() => 0);
    for (const k of classOf) this.classCount_[k]! += 1;
    if (classPrior) {
      checkPriors(priorName, classPrior, this.classes_.length);
      this.classLogPrior_ = classPrior.map(Math.log);
    } else if (fitPrior) {
      this.classLogPrior_ = this.classCount_.map((n) => Math.log(n) - Math.log(rows));
    } else {
      this.classLogPrior_ = this.classes_.map(() => -Math.log(this.classes_!.length));
    }
    return classOf;
  }
}

export interface CategoricalNBParams {
  /** Additive (Laplace / Lidstone) smoothing: P(x_j = k | c) = (N_cjk + α) / (N_c + α K_j). 0 = none. */
  alpha: number;
  /** Learn P(c) from class frequencies (else uniform). */
  fitPrior: boolean;
  /** Fixed P(c), in sorted class order; overrides fitPrior. */
  classPrior: number[] | null;
  /** At least this many categories per feature (one number, or one per feature): reserves unseen codes. */
  minCategories: number | number[] | null;
}

/** Naive Bayes for categorical features coded 0 … K_j − 1; each feature has its own smoothed frequency table. */
export class CategoricalNB extends NaiveBayes<CategoricalNBParams> {
  readonly params: Readonly<CategoricalNBParams>;
  /** Categories per feature: max code seen + 1 (or minCategories). */
  nCategories_?: number[];
  /** [feature][class][category] training counts N_cjk. */
  categoryCount_?: number[][][];
  /** [feature][class][category] log P(x_j = k | c). */
  featureLogProb_?: number[][][];

  constructor(params: Partial<CategoricalNBParams> = {}) {
    super();
    this.params = { alpha: 1, fitPrior: true, classPrior: null, minCategories: null, ...params };
    checkAlpha(this.params.alpha);
  }

  fit(X: Matrix, y: Labels): this {
    const classOf = this.fitClasses(X, y, this.params.fitPrior, this.params.classPrior);
    const columns = this.nFeaturesIn_!;
    const { alpha, minCategories } = this.params;
    const minimum = Array.isArray(minCategories) ? minCategories : new Array<number>(columns).fill(minCategories ?? 0);
    checkParam("minCategories", minCategories, minimum.length === columns, `one number per feature (${columns})`);
    X.forEach((x, i) => x.forEach((v, j) => checkCategory(v, i, j)));
    this.nCategories_ = minimum.map((m, j) => Math.max(m, ...X.map((x) => x[j]! + 1)));
    this.categoryCount_ = this.nCategories_.map((K) => this.classes_!.map(() => new Array<number>(K).fill(0)));
    X.forEach((x, i) => x.forEach((v, j) => (this.categoryCount_![j]![classOf[i]!]![v]! += 1)));
    // Smoothed per feature (denominator N_c + α K_j), so each row is a distribution over that feature's categories.
    this.featureLogProb_ = this.categoryCount_.map((perClass) => perClass.map((counts) => smoothedLogProbabilities(counts, alpha)));
    return this;
  }

  protected jointLogLikelihoodRow(x: number[], row: number): number[] {
    const { classLogPrior_ } = this.fitted();
    return classLogPrior_.map((logPrior, c) =>
      x.reduce((s, v, j) => {
        checkCategory(v, row, j);
        const table = this.featureLogProb_![j]![c]!;
        if (v >= table.length) {
          throw new RangeError(`X[${row}][${j}] is category ${v}, but feature ${j} had ${table.length} categories in training; set minCategories to reserve it`);
        }
        return s + table[v]!;
      }, logPrior),
    );
  }
}

export interface MultinomialNBParams {
  /** Additive smoothing: P(word j | c) = (N_cj + α) / (N_c + α d). 0 = none. */
  alpha: number;
  fitPrior: boolean;
  classPrior: number[] | null;
}

/** Naive Bayes for count features (word counts): each class is a multinomial over the d features. */
export class MultinomialNB extends NaiveBayes<MultinomialNBParams> {
  readonly params: Readonly<MultinomialNBParams>;
  /** [class][feature] summed counts N_cj. */
  featureCount_?: number[][];
  /** [class][feature] log P(feature j | c). */
  featureLogProb_?: number[][];

  constructor(params: Partial<MultinomialNBParams> = {}) {
    super();
    this.params = { alpha: 1, fitPrior: true, classPrior: null, ...params };
    checkAlpha(this.params.alpha);
  }

  fit(X: Matrix, y: Labels): this {
    const classOf = this.fitClasses(X, y, this.params.fitPrior, this.params.classPrior);
    X.forEach((x, i) => x.forEach((v, j) => checkParam(`X[${i}][${j}]`, v, v >= 0, "a non-negative count")));
    const { alpha } = this.params;
    this.featureCount_ = this.classes_!.map(() => new Array<number>(this.nFeaturesIn_!).fill(0));
    X.forEach((x, i) => x.forEach((v, j) => (this.featureCount_![classOf[i]!]![j]! += v)));
    this.featureLogProb_ = this.featureCount_.map((counts) => smoothedLogProbabilities(counts, alpha));
    return this;
  }

  protected jointLogLikelihoodRow(x: number[]): number[] {
    const { classLogPrior_ } = this.fitted();
    // The multinomial coefficient is the same for every class, so it cancels in the posterior.
    return classLogPrior_.map((logPrior, c) => x.reduce((s, v, j) => s + (v === 0 ? 0 : v * this.featureLogProb_![c]![j]!), logPrior));
  }
}

export interface BernoulliNBParams {
  /** Additive smoothing: P(x_j = 1 | c) = (N_cj + α) / (N_c + 2α). 0 = none. */
  alpha: number;
  /** Features are x > binarize (1) or not (0); null: X is already 0/1. */
  binarize: number | null;
  fitPrior: boolean;
  classPrior: number[] | null;
}

/**
 * Naive Bayes for binary features (a word present or absent): each feature is a coin per class. Unlike the
 * multinomial model, an ABSENT feature is evidence too: it contributes log(1 − P(x_j = 1 | c)).
 */
export class BernoulliNB extends NaiveBayes<BernoulliNBParams> {
  readonly params: Readonly<BernoulliNBParams>;
  /** [class][feature] number of training samples of the class with x_j = 1. */
  featureCount_?: number[][];
  /** [class][feature] log P(x_j = 1 | c). */
  featureLogProb_?: number[][];

  constructor(params: Partial<BernoulliNBParams> = {}) {
    super();
    this.params = { alpha: 1, binarize: 0, fitPrior: true, classPrior: null, ...params };
    checkAlpha(this.params.alpha);
    const { binarize } = this.params;
    checkParam("binarize", binarize, binarize === null || (typeof binarize === "number" && Number.isFinite(binarize)), "null or a finite threshold");
  }

  fit(X: Matrix, y: Labels): this {
    const classOf = this.fitClasses(X, y, this.params.fitPrior, this.params.classPrior);
    const binary = this.binary(X);
    const { alpha } = this.params;
    this.featureCount_ = this.classes_!.map(() => new Array<number>(this.nFeaturesIn_!).fill(0));
    binary.forEach((x, i) => x.forEach((v, j) => (this.featureCount_![classOf[i]!]![j]! += v)));
    this.featureLogProb_ = this.featureCount_.map((counts, c) =>
      counts.map((n) => Math.log(n + alpha) - Math.log(this.classCount_![c]! + 2 * alpha)),
    );
    return this;
  }

  protected jointLogLikelihoodRow(x: number[], row: number): number[] {
    const { classLogPrior_ } = this.fitted();
    const [bits] = this.binary([x], row);
    return classLogPrior_.map((logPrior, c) =>
      bits!.reduce((s, v, j) => {
        const logP = this.featureLogProb_![c]![j]!;
        return s + (v === 1 ? logP : Math.log1p(-Math.exp(logP))); // present: log p; absent: log(1 − p)
      }, logPrior),
    );
  }

  /** X as 0/1: thresholded at `binarize`, or checked to be 0/1 when binarize is null. */
  private binary(X: Matrix, firstRow = 0): number[][] {
    const { binarize } = this.params;
    return X.map((x, i) =>
      x.map((v, j) => {
        if (binarize !== null) return v > binarize ? 1 : 0;
        checkParam(`X[${firstRow + i}][${j}]`, v, v === 0 || v === 1, "0 or 1 (binarize is null)");
        return v;
      }),
    );
  }
}

export interface GaussianNBParams {
  /** Adds varSmoothing × (largest feature variance) to every variance, as scikit-learn: no zero variances. */
  varSmoothing: number;
  /** Fixed P(c), in sorted class order (default: class frequencies). */
  priors: number[] | null;
}

/** Naive Bayes for continuous features: x_j | c ~ Normal(theta_[c][j], var_[c][j]). */
export class GaussianNB extends NaiveBayes<GaussianNBParams> {
  readonly params: Readonly<GaussianNBParams>;
  /** [class][feature] mean. */
  theta_?: number[][];
  /** [class][feature] variance (population, divided by N_c) plus epsilon_. */
  var_?: number[][];
  /** The absolute amount added to every variance. */
  epsilon_?: number;

  constructor(params: Partial<GaussianNBParams> = {}) {
    super();
    this.params = { varSmoothing: 1e-9, priors: null, ...params };
    const { varSmoothing } = this.params;
    checkParam("varSmoothing", varSmoothing, varSmoothing >= 0 && Number.isFinite(varSmoothing), "a finite number ≥ 0");
  }

  fit(X: Matrix, y: Labels): this {
    const classOf = this.fitClasses(X, y, true, this.params.priors, "priors");
    const d = this.nFeaturesIn_!;
    const columns = Array.from({ length: d }, (_, j) => X.map((x) => x[j]!));
    this.epsilon_ = this.params.varSmoothing * Math.max(...columns.map(variance));
    const members = this.classes_!.map((_, c) => X.filter((_, i) => classOf[i] === c));
    this.theta_ = members.map((rows) => columns.map((_, j) => mean(rows.map((x) => x[j]!))));
    this.var_ = members.map((rows) => columns.map((_, j) => variance(rows.map((x) => x[j]!)) + this.epsilon_!));
    return this;
  }

  protected jointLogLikelihoodRow(x: number[]): number[] {
    const { classLogPrior_ } = this.fitted();
    return classLogPrior_.map((logPrior, c) => {
      const theta = this.theta_![c]!;
      const vars = this.var_![c]!;
      let normaliser = 0;
      let quadratic = 0;
      for (let j = 0; j < x.length; j++) {
        normaliser += Math.log(2 * Math.PI * vars[j]!);
        quadratic += (x[j]! - theta[j]!) ** 2 / vars[j]!;
      }
      return logPrior - 0.5 * normaliser - 0.5 * quadratic;
    });
  }
}

/** log((n_k + α) / Σ(n + α)): additive (Laplace for α = 1) smoothing of a table of counts. */
function smoothedLogProbabilities(counts: number[], alpha: number): number[] {
  const total = counts.reduce((s, n) => s + n + alpha, 0);
  return counts.map((n) => Math.log(n + alpha) - Math.log(total));
}

/**
 * Class priors: one probability per class, each finite and ≥ 0, summing to 1 within numpy's isclose tolerance
 * (1e-8 + 1e-5), as scikit-learn's GaussianNB checks ("The sum of the priors should be 1").
 */
function checkPriors(name: string, priors: unknown, nClasses: number): void {
  checkParam(name, priors, Array.isArray(priors) && priors.length === nClasses, `one probability per class (${nClasses})`);
  const list = priors as unknown[];
  list.forEach((p, k) => checkParam(`${name}[${k}]`, p, typeof p === "number" && Number.isFinite(p) && p >= 0, "a finite number ≥ 0 (a probability)"));
  const total = (list as number[]).reduce((s, p) => s + p, 0);
  checkParam(`${name} (sum)`, total, Math.abs(total - 1) <= 1e-8 + 1e-5, "1 within 1e-5: priors are probabilities");
}

function checkAlpha(alpha: number): void {
  checkParam("alpha", alpha, typeof alpha === "number" && alpha >= 0 && Number.isFinite(alpha), "a finite number ≥ 0");
}

function checkCategory(v: number, row: number, feature: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`X[${row}][${feature}] must be a category code (integer ≥ 0), got ${v}`);
}
