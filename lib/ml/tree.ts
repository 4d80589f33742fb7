/**
 * Impurity measures and CART decision trees in scikit-learn's shape (`sklearn.tree.DecisionTreeClassifier`,
 * `DecisionTreeRegressor`), checked against scikit-learn fixtures (test/fixtures/sklearn/tree-*, boosting-*).
 *
 *   entropy(["yes", "no", "yes"]);                        // 0.918 bits
 *   const tree = new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, y);
 *   console.log(exportText(tree, featureNames));           // the learned rules, one line per node
 *
 * Splits are binary, `x[feature] ≤ threshold`, with thresholds halfway between consecutive distinct
 * training values; the split with the largest impurity decrease wins (the first one found on ties).
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, r2Score, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier, type Regressor } from "./base";
import { pruneTree, pruningPath, type PruningPath } from "./tree-pruning";
import { argmax } from "./stats";

// ---------------------------------------------------------------------------------------------------------
// Impurity of a set of labels

type Label = number | string | boolean;

/** Shannon entropy H = −Σ p log p of the label distribution, in bits (base 2) unless `base` is given. */
export function entropy(labels: readonly Label[], base = 2): number {
  return entropyOfCounts(labelCounts("entropy", labels), base);
}

/** Gini impurity 1 − Σ p²: the chance that two labels drawn with replacement differ. */
export function gini(labels: readonly Label[]): number {
  return giniOfCounts(labelCounts("gini", labels));
}

/** H(parent) − Σ_k (n_k / n) H(child_k); `children` must partition `parent`. Pass `gini` for the Gini decrease. */
export function informationGain(
  parent: readonly Label[],
  children: readonly (readonly Label[])[],
  impurity: (labels: readonly Label[]) => number = entropy,
): number {
  checkLabels("informationGain", "parent", parent);
  if (!Array.isArray(children)) throw new TypeError(`informationGain: children must be an array of label arrays, got ${typeof children}`);
  children.forEach((child, k) => {
    if (child.length > 0) checkLabels("informationGain", `children[${k}]`, child);
  });
  const n = children.reduce((s, child) => s + child.length, 0);
  if (n !== parent.length) throw new RangeError(`informationGain: children hold ${n} labels but the parent has ${parent.length}`);
  return impurity(parent) - children.reduce((s, child) => s + (child.length / n) * (child.length ? impurity(child) : 0), 0);
}

export function entropyOfCounts(counts: readonly number[], base = 2): number {
  const n = counts.reduce((s, c) => s + c, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h / Math.log(base);
}

export function giniOfCounts(counts: readonly number[]): number {
  const n = counts.reduce((s, c) => s + c, 0);
  let squares = 0;
  for (const c of counts) squares += c * c;
  return 1 - squares / (n * n);
}

function labelCounts(caller: string, labels: readonly Label[]): number[] {
  checkLabels(caller, "labels", labels);
  const counts = new Map<Label, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts.values()];
}

/** A non-empty array of finite numbers, strings or booleans. */
function checkLabels(caller: string, name: string, labels: readonly Label[]): void {
  if (!Array.isArray(labels)) throw new TypeError(`${caller}: ${name} must be an array, got ${typeof labels}`);
  if (labels.length === 0) throw new RangeError(`${caller}: ${name} is empty; the impurity of an empty set of labels is undefined`);
  labels.forEach((label: unknown, i) => {
    const ok = typeof label === "string" || typeof label === "boolean" || (typeof label === "number" && Number.isFinite(label));
    if (!ok) throw new TypeError(`${caller}: ${name}[${i}] is ${String(label)}, not a finite number, string or boolean`);
  });
}

// ---------------------------------------------------------------------------------------------------------
// The tree

export interface TreeNode {
  /** Pre-order number (left subtree first), as scikit-learn numbers nodes. */
  id: number;
  depth: number;
  /** Training samples that reach the node. */
  nSamples: number;
  /** Classifier: class counts of those samples, in `classes_` order. Regressor: [mean target]. */
  value: number[];
  /** Impurity of those samples: Gini, entropy in bits, or the variance of the target (squared error). */
  impurity: number;
  /** Absent on leaves: go left when x[feature] ≤ threshold. */
  split?: { feature: number; threshold: number; left: TreeNode; right: TreeNode };
}

export type MaxFeatures = number | "sqrt" | "log2" | null;

/** How a tree grows and is pruned: the parameters classifier and regressor share, with scikit-learn's defaults. */
export interface TreeGrowthParams {
  /** null: grow until leaves are pure (or too small to split). */
  maxDepth: number | null;
  /** A node with fewer samples is not split. */
  minSamplesSplit: number;
  /** Every leaf keeps at least this many samples. */
  minSamplesLeaf: number;
  /** Features tried per split: an integer count, a fraction in (0, 1), "sqrt", "log2", or null for all. */
  maxFeatures: MaxFeatures;
  /** A split must decrease the weighted impurity (relative to the whole training set) by at least this. */
  minImpurityDecrease: number;
  /** Minimal cost-complexity pruning after growth: every weakest link with effective alpha ≤ ccpAlpha is cut (lib/ml/tree-pruning.ts). */
  ccpAlpha: number;
  /** Which features are tried when maxFeatures < all. */
  seed: number;
}

export interface DecisionTreeParams extends TreeGrowthParams {
  criterion: "gini" | "entropy";
}

export interface DecisionTreeRegressorParams extends TreeGrowthParams {
  /** Split on the decrease of the within-node variance (scikit-learn's "squared_error"; leaves predict the mean). */
  criterion: "squared_error";
}

/** Values closer than this count as equal (scikit-learn's FEATURE_THRESHOLD). */
const FEATURE_THRESHOLD = 1e-7;

const GROWTH_DEFAULTS: TreeGrowthParams = {
  maxDepth: null,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: null,
  minImpurityDecrease: 0,
  ccpAlpha: 0,
  seed: 0,
};

function checkGrowthParams(p: TreeGrowthParams): void {
  checkParam("maxDepth", p.maxDepth, p.maxDepth === null || (Number.isInteger(p.maxDepth) && p.maxDepth >= 0), "null or an integer ≥ 0");
  checkParam("minSamplesSplit", p.minSamplesSplit, Number.isInteger(p.minSamplesSplit) && p.minSamplesSplit >= 2, "an integer ≥ 2");
  checkParam("minSamplesLeaf", p.minSamplesLeaf, Number.isInteger(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, "an integer ≥ 1");
  checkParam("minImpurityDecrease", p.minImpurityDecrease, p.minImpurityDecrease >= 0, "≥ 0");
  checkParam("ccpAlpha", p.ccpAlpha, typeof p.ccpAlpha === "number" && p.ccpAlpha >= 0 && Number.isFinite(p.ccpAlpha), "a finite number ≥ 0");
  checkParam("seed", p.seed, Number.isInteger(p.seed), "an integer");
  resolveMaxFeatures(p.maxFeatures, 1);
}

/** What classifier and regressor share: growth, pruning, walking a sample to its leaf. */
abstract class BaseDecisionTree<Params extends TreeGrowthParams> {
  abstract readonly params: Readonly<Params>;
  nFeaturesIn_?: number;
  /** The root of the fitted (and, with ccpAlpha > 0, pruned) tree (see `exportText`, `walk`). */
  tree_?: TreeNode;
  /** Total impurity decrease contributed by each feature in the final tree, normalised to sum to 1. */
  featureImportances_?: number[];
  /** Number of features tried per split. */
  maxFeatures_?: number;

  /** The split criterion over the training targets; also validates y. */
  protected abstract criterion(X: Matrix, y: number[]): SplitCriterion;

  fit(X: Matrix, y: number[]): this {
    const [, columns] = checkMatrix(X);
    const criterion = this.criterion(X, y);
    this.nFeaturesIn_ = columns;
    this.maxFeatures_ = resolveMaxFeatures(this.params.maxFeatures, columns);
    const grown = new TreeBuilder(X, criterion, this.params, this.maxFeatures_).build();
    this.tree_ = this.params.ccpAlpha > 0 ? pruneTree(grown, this.params.ccpAlpha) : grown;
    this.featureImportances_ = featureImportances(this.tree_, columns);
    return this;
  }

  /**
   * scikit-learn's `cost_complexity_pruning_path`: grows a tree on (X, y) with these parameters but no pruning
   * and returns the effective alphas of its weakest links, in pruning order, and the total leaf impurity
   * Σ (n_t / n) · impurity(t) after each cut (the first entry is the unpruned tree at alpha 0).
   */
  costComplexityPruningPath(X: Matrix, y: number[]): PruningPath {
    const unpruned = new (this.constructor as new (p: Partial<Params>) => BaseDecisionTree<Params>)({ ...this.params, ccpAlpha: 0 });
    return pruningPath(unpruned.fit(X, y).tree_!);
  }

  /** The leaf each sample ends in. */
  apply(X: Matrix): TreeNode[] {
    return this.leaves(X);
  }

  getDepth(): number {
    return maxOver(this.fitted(), (node) => node.depth);
  }

  getNLeaves(): number {
    let leaves = 0;
    walk(this.fitted(), (node) => void (node.split ? 0 : leaves++));
    return leaves;
  }

  protected fitted(): TreeNode {
    if (!this.tree_) throw new NotFittedError(this.constructor.name);
    return this.tree_;
  }

  protected leaves(X: Matrix): TreeNode[] {
    const root = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((x) => {
      let node = root;
      while (node.split) node = x[node.split.feature]! <= node.split.threshold ? node.split.left : node.split.right;
      return node;
    });
  }
}

export class DecisionTreeClassifier extends BaseDecisionTree<DecisionTreeParams> implements ProbabilisticClassifier<DecisionTreeParams> {
  readonly params: Readonly<DecisionTreeParams>;
  classes_?: number[];

  constructor(params: Partial<DecisionTreeParams> = {}) {
    super();
    this.params = { criterion: "gini", ...GROWTH_DEFAULTS, ...params };
    const p = this.params;
    checkParam("criterion", p.criterion, p.criterion === "gini" || p.criterion === "entropy", '"gini" or "entropy"');
    checkGrowthParams(p);
  }

  protected criterion(X: Matrix, y: Labels): SplitCriterion {
    checkTarget(y, X.length);
    this.classes_ = uniqueLabels(y);
    const classIndex = new Map(this.classes_.map((c, k) => [c, k]));
    return new ClassificationCriterion(Int32Array.from(y, (label) => classIndex.get(label)!), this.classes_.length, this.params.criterion);
  }

  /** [samples][classes]: the class frequencies of the leaf each sample falls into. */
  predictProba(X: Matrix): Matrix {
    return this.leaves(X).map((leaf) => leaf.value.map((count) => count / leaf.nSamples));
  }

  /** The majority class of each sample's leaf (the smallest label on ties). */
  predict(X: Matrix): Labels {
    const classes = this.classes_!;
    return this.leaves(X).map((leaf) => classes[argmax(leaf.value)]!);
  }

  score(X: Matrix, y: Labels): number {
    return accuracyScore(y, this.predict(X));
  }
}

/**
 * A CART regression tree (`sklearn.tree.DecisionTreeRegressor`): the same growth as the classifier, with the
 * within-node variance as impurity; a leaf predicts the mean target of its training samples.
 */
export class DecisionTreeRegressor extends BaseDecisionTree<DecisionTreeRegressorParams> implements Regressor<DecisionTreeRegressorParams> {
  readonly params: Readonly<DecisionTreeRegressorParams>;

  constructor(params: Partial<DecisionTreeRegressorParams> = {}) {
    super();
    this.params = { criterion: "squared_error", ...GROWTH_DEFAULTS, ...params };
    checkParam("criterion", this.params.criterion, this.params.criterion === "squared_error", '"squared_error"');
    checkGrowthParams(this.params);
  }

  protected criterion(X: Matrix, y: number[]): SplitCriterion {
    checkTarget(y, X.length);
    return new SquaredErrorCriterion(Float64Array.from(y));
  }

  /** The mean training target of each sample's leaf. */
  predict(X: Matrix): number[] {
    return this.leaves(X).map((leaf) => leaf.value[0]!);
  }

  /** R² on (X, y). */
  score(X: Matrix, y: number[]): number {
    return r2Score(y, this.predict(X));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Split criteria: what the builder needs to know about the targets

/** The node statistics and the incremental split sweep of one impurity measure. */
interface SplitCriterion {
  readonly nSamples: number;
  /** The value stored in a node (class counts, or [mean]) and its impurity. */
  node(indices: readonly number[]): { value: number[]; impurity: number };
  /** Starts a left-to-right sweep over a node: every sample on the right. */
  reset(indices: readonly number[]): void;
  /** Moves sample i from the right child to the left one. */
  moveLeft(i: number): void;
  /** Larger exactly when n_L·I_L + n_R·I_R is smaller: the builder keeps the split with the largest proxy. */
  proxy(nLeft: number, nRight: number): number;
}

class ClassificationCriterion implements SplitCriterion {
  private readonly left: Float64Array;
  private readonly right: Float64Array;

  constructor(
    private readonly y: Int32Array,
    private readonly nClasses: number,
    private readonly kind: "gini" | "entropy",
  ) {
    this.left = new Float64Array(nClasses);
    this.right = new Float64Array(nClasses);
  }

  get nSamples(): number {
    return this.y.length;
  }

  node(indices: readonly number[]): { value: number[]; impurity: number } {
    const value = new Array<number>(this.nClasses).fill(0);
    for (const i of indices) value[this.y[i]!]! += 1;
    return { value, impurity: this.impurity(value, indices.length) };
  }

  reset(indices: readonly number[]): void {
    this.left.fill(0);
    this.right.fill(0);
    for (const i of indices) this.right[this.y[i]!]! += 1;
  }

  moveLeft(i: number): void {
    this.left[this.y[i]!]! += 1;
    this.right[this.y[i]!]! -= 1;
  }

  proxy(nLeft: number, nRight: number): number {
    return -nLeft * this.impurity(this.left, nLeft) - nRight * this.impurity(this.right, nRight);
  }

  private impurity(counts: ArrayLike<number>, n: number): number {
    if (this.kind === "gini") {
      let squares = 0;
      for (let k = 0; k < this.nClasses; k++) squares += counts[k]! * counts[k]!;
      return 1 - squares / (n * n);
    }
    let h = 0;
    for (let k = 0; k < this.nClasses; k++) {
      if (counts[k]! > 0) {
        const p = counts[k]! / n;
        h -= p * (Math.log(p) / Math.LN2); // ln / ln 2, exactly as scikit-learn, so equal splits tie exactly
      }
    }
    return h;
  }
}

class SquaredErrorCriterion implements SplitCriterion {
  private sumLeft = 0;
  private sumRight = 0;

  constructor(private readonly y: Float64Array) {}

  get nSamples(): number {
    return this.y.length;
  }

  node(indices: readonly number[]): { value: number[]; impurity: number } {
    let sum = 0;
    let squares = 0;
    for (const i of indices) {
      sum += this.y[i]!;
      squares += this.y[i]! * this.y[i]!;
    }
    const n = indices.length;
    // E[y²] − E[y]², as scikit-learn's MSE criterion computes the node impurity.
    return { value: [sum / n], impurity: squares / n - (sum / n) ** 2 };
  }

  reset(indices: readonly number[]): void {
    this.sumLeft = 0;
    this.sumRight = 0;
    for (const i of indices) this.sumRight += this.y[i]!;
  }

  moveLeft(i: number): void {
    this.sumLeft += this.y[i]!;
    this.sumRight -= this.y[i]!;
  }

  // n_L·Var_L + n_R·Var_R = Σy² − S_L²/n_L − S_R²/n_R, and Σy² is fixed for the node (scikit-learn's proxy).
  proxy(nLeft: number, nRight: number): number {
    return (this.sumLeft * this.sumLeft) / nLeft + (this.sumRight * this.sumRight) / nRight;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Growth

/** Depth-first CART growth over index sets; one instance per fit. */
class TreeBuilder {
  private readonly columns: Float64Array[];
  private readonly rng: Random;
  private nextId = 0;

  constructor(
    X: Matrix,
    private readonly criterion: SplitCriterion,
    private readonly params: TreeGrowthParams,
    private readonly maxFeatures: number,
  ) {
    // Column-major copies: the split search scans one feature at a time.
    this.columns = X[0]!.map((_, j) => Float64Array.from(X, (row) => row[j]!));
    this.rng = new Random(params.seed);
  }

  build(): TreeNode {
    return this.grow(Array.from({ length: this.criterion.nSamples }, (_, i) => i), 0);
  }

  private grow(indices: number[], depth: number): TreeNode {
    const n = indices.length;
    const node: TreeNode = { id: this.nextId++, depth, nSamples: n, ...this.criterion.node(indices) };
    const { maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease } = this.params;
    const tooSmall = n < minSamplesSplit || n < 2 * minSamplesLeaf || (maxDepth !== null && depth >= maxDepth);
    if (tooSmall || node.impurity <= Number.EPSILON) return node;
    const best = this.bestSplit(indices);
    if (!best) return node;
    const left = best.order.slice(0, best.position);
    const right = best.order.slice(best.position);
    // Weighted impurity decrease, as a fraction of all training samples (scikit-learn's definition).
    const decrease =
      (n * node.impurity - left.length * this.criterion.node(left).impurity - right.length * this.criterion.node(right).impurity) / this.criterion.nSamples;
    if (decrease + Number.EPSILON < minImpurityDecrease) return node;
    node.split = {
      feature: best.feature,
      threshold: best.threshold,
      left: this.grow(left, depth + 1),
      right: this.grow(right, depth + 1),
    };
    return node;
  }

  /** The best threshold split over a random subset of features, or null if no feature can be split. */
  private bestSplit(indices: number[]): { feature: number; threshold: number; order: number[]; position: number } | null {
    const nFeatures = this.columns.length;
    // All features: scan in index order (deterministic ties); fewer: a seeded random order.
    const candidates = this.maxFeatures >= nFeatures ? Array.from({ length: nFeatures }, (_, j) => j) : this.rng.permutation(nFeatures);
    const n = indices.length;
    const { minSamplesLeaf } = this.params;
    let best: { feature: number; threshold: number; order: number[]; position: number } | null = null;
    let bestProxy = -Infinity;
    let visited = 0;
    let nonConstant = 0;
    for (const feature of candidates) {
      // Like scikit-learn, keep drawing past maxFeatures while every feature drawn so far was constant.
      if (visited >= this.maxFeatures && nonConstant > 0) break;
      visited++;
      const column = this.columns[feature]!;
      const order = [...indices].sort((a, b) => column[a]! - column[b]!);
      if (column[order[n - 1]!]! <= column[order[0]!]! + FEATURE_THRESHOLD) continue;
      nonConstant++;
      this.criterion.reset(indices);
      for (let p = 1; p < n; p++) {
        this.criterion.moveLeft(order[p - 1]!);
        const before = column[order[p - 1]!]!;
        const after = column[order[p]!]!;
        if (after <= before + FEATURE_THRESHOLD) continue; // no threshold between equal values
        if (p < minSamplesLeaf || n - p < minSamplesLeaf) continue;
        const proxy = this.criterion.proxy(p, n - p);
        if (proxy > bestProxy) {
          bestProxy = proxy;
          let threshold = before / 2 + after / 2;
          if (threshold === after || !Number.isFinite(threshold)) threshold = before;
          best = { feature, threshold, order, position: p };
        }
      }
    }
    return best;
  }
}

/** Mean decrease in impurity per feature over the tree's splits, normalised to sum to 1 (scikit-learn's). */
function featureImportances(root: TreeNode, nFeatures: number): number[] {
  const importance = new Array<number>(nFeatures).fill(0);
  walk(root, (node) => {
    if (!node.split) return;
    const { feature, left, right } = node.split;
    importance[feature]! += node.nSamples * node.impurity - left.nSamples * left.impurity - right.nSamples * right.impurity;
  });
  const total = importance.reduce((s, v) => s + v, 0);
  return importance.map((v) => (total > 0 ? v / total : 0));
}

export function resolveMaxFeatures(maxFeatures: MaxFeatures, nFeatures: number): number {
  if (maxFeatures === null) return nFeatures;
  if (maxFeatures === "sqrt") return Math.max(1, Math.floor(Math.sqrt(nFeatures)));
  if (maxFeatures === "log2") return Math.max(1, Math.floor(Math.log2(nFeatures)));
  if (typeof maxFeatures === "number" && Number.isInteger(maxFeatures) && maxFeatures >= 1) return Math.min(maxFeatures, nFeatures);
  if (typeof maxFeatures === "number" && maxFeatures > 0 && maxFeatures < 1) return Math.max(1, Math.floor(maxFeatures * nFeatures));
  throw new RangeError(`maxFeatures must be null, "sqrt", "log2", an integer ≥ 1 or a fraction in (0, 1), got ${JSON.stringify(maxFeatures)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Looking at a tree

/** Calls `visit` on every node, pre-order. */
export function walk(node: TreeNode, visit: (node: TreeNode) => void): void {
  visit(node);
  if (node.split) {
    walk(node.split.left, visit);
    walk(node.split.right, visit);
  }
}

/**
 * The tree as indented rules, like scikit-learn's `export_text`:
 *
 *   |--- petal width (cm) <= 0.80
 *   |   |--- class: 0 (50 samples)
 *   |--- petal width (cm) >  0.80
 */
export function exportText(tree: DecisionTreeClassifier | DecisionTreeRegressor, featureNames?: string[], decimals = 2): string {
  if (!tree.tree_) throw new NotFittedError(tree.constructor.name);
  const classes = tree instanceof DecisionTreeClassifier ? tree.classes_! : null;
  const leafText = (node: TreeNode) => (classes ? `class: ${classes[argmax(node.value)]}` : `value: ${node.value[0]!.toFixed(decimals)}`);
  const name = (j: number) => featureNames?.[j] ?? `feature_${j}`;
  const lines: string[] = [];
  const visit = (node: TreeNode, indent: string) => {
    if (!node.split) {
      lines.push(`${indent}|--- ${leafText(node)} (${node.nSamples} samples)`);
      return;
    }
    const { feature, threshold, left, right } = node.split;
    lines.push(`${indent}|--- ${name(feature)} <= ${threshold.toFixed(decimals)}`);
    visit(left, `${indent}|   `);
    lines.push(`${indent}|--- ${name(feature)} >  ${threshold.toFixed(decimals)}`);
    visit(right, `${indent}|   `);
  };
  visit(tree.tree_, "");
  return lines.join("\n");
}

function maxOver(node: TreeNode, f: (node: TreeNode) => number): number {
  let best = -Infinity;
  walk(node, (n) => void (best = Math.max(best, f(n))));
  return best;
}
