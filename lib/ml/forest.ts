/**
 * Random forest classifier in scikit-learn's shape (`sklearn.ensemble.RandomForestClassifier`).
 *
 *   const forest = new RandomForestClassifier({ nEstimators: 100, oobScore: true, seed: 0 }).fit(X, y);
 *   forest.oobScore_;           // accuracy of each sample judged only by trees that did not see it
 *
 * Two sources of randomness make the trees differ: each tree is grown on a bootstrap sample (n draws with
 * replacement), and each split considers only `maxFeatures` random features. Without both, every tree
 * is the same tree and the forest is just one tree (the bug in the seed's S4-C5 snippet).
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier } from "./base";
import { DecisionTreeClassifier, resolveMaxFeatures, type DecisionTreeParams, type MaxFeatures } from "./tree";
import { argmax, mean } from "./stats";

export interface RandomForestParams {
  nEstimators: number;
  criterion: "gini" | "entropy";
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split; default "sqrt" (√d), as scikit-learn. null = all features. */
  maxFeatures: MaxFeatures;
  /** Grow each tree on a bootstrap sample (else on the full training set). */
  bootstrap: boolean;
  /** Compute `oobScore_` (needs bootstrap). */
  oobScore: boolean;
  seed: number;
}

export class RandomForestClassifier implements ProbabilisticClassifier<RandomForestParams> {
  readonly params: Readonly<RandomForestParams>;
  classes_?: number[];
  nFeaturesIn_?: number;
  estimators_?: DecisionTreeClassifier[];
  /** Mean of the trees' impurity-based importances. */
  featureImportances_?: number[];
  /** Out-of-bag accuracy (when `oobScore`). */
  oobScore_?: number;
  /** [samples][classes] averaged out-of-bag probabilities; NaN rows for samples that were in every bootstrap. */
  oobDecisionFunction_?: Matrix;

  constructor(params: Partial<RandomForestParams> = {}) {
    this.params = {
      nEstimators: 100,
      criterion: "gini",
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxFeatures: "sqrt",
      bootstrap: true,
      oobScore: false,
      seed: 0,
      ...params,
    };
    const p = this.params;
    checkParam("nEstimators", p.nEstimators, Number.isInteger(p.nEstimators) && p.nEstimators >= 1, "an integer ≥ 1");
    checkParam("oobScore", p.oobScore, !p.oobScore || p.bootstrap, "false when bootstrap is false (every sample is in every tree)");
    checkParam("seed", p.seed, Number.isInteger(p.seed), "an integer");
    resolveMaxFeatures(p.maxFeatures, 1);
    // Tree parameters are validated by the first tree's constructor.
    new DecisionTreeClassifier(this.treeParams(0));
  }

  fit(X: Matrix, y: Labels): this {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    this.classes_ = uniqueLabels(y);
    this.nFeaturesIn_ = columns;
    const rng = new Random(this.params.seed);
    const inBag: boolean[][] = [];
    this.estimators_ = Array.from({ length: this.params.nEstimators }, () => {
      const treeRng = rng.fork();
      const sample = this.params.bootstrap ? Array.from({ length: rows }, () => treeRng.int(0, rows)) : Array.from({ length: rows }, (_, i) => i);
      const used = new Array<boolean>(rows).fill(false);
      for (const i of sample) used[i] = true;
      inBag.push(used);
      const tree = new DecisionTreeClassifier(this.treeParams(treeRng.nextUint32() >>> 1));
      return tree.fit(sample.map((i) => X[i]!), sample.map((i) => y[i]!));
    });
    this.featureImportances_ = Array.from({ length: columns }, (_, j) => mean(this.estimators_!.map((t) => t.featureImportances_![j]!)));
    if (this.params.oobScore) this.computeOob(X, y, inBag);
    return this;
  }

  /** [samples][classes]: the mean of the trees' leaf frequencies (soft voting, as scikit-learn). */
  predictProba(X: Matrix): Matrix {
    const trees = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    const total = X.map(() => new Array<number>(this.classes_!.length).fill(0));
    for (const tree of trees) this.addTreeProba(tree, X, total, () => true);
    return total.map((row) => row.map((v) => v / trees.length));
  }

  predict(X: Matrix): Labels {
    const classes = this.classes_!;
    return this.predictProba(X).map((row) => classes[argmax(row)]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }

  private treeParams(seed: number): Partial<DecisionTreeParams> {
    const { criterion, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures } = this.params;
    return { criterion, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures, seed };
  }

  /** Adds the tree's probabilities to `total` on the rows `include` accepts, aligning its classes to ours. */
  private addTreeProba(tree: DecisionTreeClassifier, X: Matrix, total: Matrix, include: (row: number) => boolean): void {
    const rows = X.map((_, i) => i).filter(include);
    if (rows.length === 0) return;
    // A bootstrap sample can miss a class, so the tree's columns are a subset of the forest's.
    const column = tree.classes_!.map((c) => this.classes_!.indexOf(c));
    tree.predictProba(rows.map((i) => X[i]!)).forEach((proba, r) => {
      proba.forEach((p, k) => (total[rows[r]!]![column[k]!]! += p));
    });
  }

  private computeOob(X: Matrix, y: Labels, inBag: boolean[][]): void {
    const total = X.map(() => new Array<number>(this.classes_!.length).fill(0));
    const votes = new Array<number>(X.length).fill(0);
    this.estimators_!.forEach((tree, t) => {
      const used = inBag[t]!;
      this.addTreeProba(tree, X, total, (i) => !used[i]);
      used.forEach((u, i) => void (u ? 0 : votes[i]!++));
    });
    this.oobDecisionFunction_ = total.map((row, i) => row.map((v) => v / votes[i]!));
    const judged = X.map((_, i) => i).filter((i) => votes[i]! > 0);
    if (judged.length === 0) throw new RangeError(`oobScore: every sample was in every bootstrap sample; use more than ${this.params.nEstimators} trees`);
    const classes = this.classes_!;
    this.oobScore_ = accuracyScore(
      judged.map((i) => y[i]!),
      judged.map((i) => classes[argmax(this.oobDecisionFunction_![i]!)]!),
    );
  }

  private fitted(): DecisionTreeClassifier[] {
    if (!this.estimators_) throw new NotFittedError("RandomForestClassifier");
    return this.estimators_;
  }
}
