/**
 * Impurity measures and a CART decision-tree classifier in scikit-learn's shape
 * (`sklearn.tree.DecisionTreeClassifier`), checked against scikit-learn fixtures (test/fixtures/sklearn/tree-*).
 *
 *   entropy(["yes", "no", "yes"]);                        // 0.918 bits
 *   const tree = new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, y);
 *   console.log(exportText(tree, featureNames));           // the learned rules, one line per node
 *
 * Splits are binary, `x[feature] ≤ threshold`, with thresholds halfway between consecutive distinct
 * training values; the split with the largest impurity decrease wins (the first one found on ties).
 */
import { Random } from "../random";
import { NotFittedError, accuracyScore, checkMatrix, checkParam, checkTarget, uniqueLabels, type Labels, type Matrix, type ProbabilisticClassifier } from "./base";
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
  /** Class counts of those samples, in `classes_` order. */
  value: number[];
  /** Impurity (Gini, or entropy in bits) of those samples. */
  impurity: number;
  /** Absent on leaves: go left when x[feature] ≤ threshold. */
  split?: { feature: number; threshold: number; left: TreeNode; right: TreeNode };
}

export type MaxFeatures = number | "sqrt" | "log2" | null;

export interface DecisionTreeParams {
  criterion: "gini" | "entropy";
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
  /** Which features are tried when maxFeatures < all. */
  seed: number;
}

/** Values closer than this count as equal (scikit-learn's FEATURE_THRESHOLD). */
const FEATURE_THRESHOLD = 1e-7;

export class DecisionTreeClassifier implements ProbabilisticClassifier<DecisionTreeParams> {
  readonly params: Readonly<DecisionTreeParams>;
  classes_?: number[];
  nFeaturesIn_?: number;
  /** The root of the fitted tree (see `exportText`). */
  tree_?: TreeNode;
  /** Total impurity decrease contributed by each feature, normalised to sum to 1. */
  featureImportances_?: number[];
  /** Number of features tried per split. */
  maxFeatures_?: number;

  constructor(params: Partial<DecisionTreeParams> = {}) {
    this.params = {
      criterion: "gini",
      maxDepth: null,
      minSamplesSplit: 2,
      minSamplesLeaf: 1,
      maxFeatures: null,
      minImpurityDecrease: 0,
      seed: 0,
      ...params,
    };
    const p = this.params;
    checkParam("criterion", p.criterion, p.criterion === "gini" || p.criterion === "entropy", '"gini" or "entropy"');
    checkParam("maxDepth", p.maxDepth, p.maxDepth === null || (Number.isInteger(p.maxDepth) && p.maxDepth >= 0), "null or an integer ≥ 0");
    checkParam("minSamplesSplit", p.minSamplesSplit, Number.isInteger(p.minSamplesSplit) && p.minSamplesSplit >= 2, "an integer ≥ 2");
    checkParam("minSamplesLeaf", p.minSamplesLeaf, Number.isInteger(p.minSamplesLeaf) && p.minSamplesLeaf >= 1, "an integer ≥ 1");
    checkParam("minImpurityDecrease", p.minImpurityDecrease, p.minImpurityDecrease >= 0, "≥ 0");
    checkParam("seed", p.seed, Number.isInteger(p.seed), "an integer");
    resolveMaxFeatures(p.maxFeatures, 1);
  }

  fit(X: Matrix, y: Labels): this {
    const [rows, columns] = checkMatrix(X);
    checkTarget(y, rows);
    this.classes_ = uniqueLabels(y);
    this.nFeaturesIn_ = columns;
    this.maxFeatures_ = resolveMaxFeatures(this.params.maxFeatures, columns);
    const classIndex = new Map(this.classes_.map((c, k) => [c, k]));
    const builder = new TreeBuilder(X, Int32Array.from(y, (label) => classIndex.get(label)!), this.classes_.length, this.params, this.maxFeatures_);
    this.tree_ = builder.build();
    this.featureImportances_ = builder.featureImportances();
    return this;
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

  private fitted(): TreeNode {
    if (!this.tree_) throw new NotFittedError("DecisionTreeClassifier");
    return this.tree_;
  }

  private leaves(X: Matrix): TreeNode[] {
    const root = this.fitted();
    checkMatrix(X, "X", this.nFeaturesIn_);
    return X.map((x) => {
      let node = root;
      while (node.split) node = x[node.split.feature]! <= node.split.threshold ? node.split.left : node.split.right;
      return node;
    });
  }
}

/** Depth-first CART growth over index sets; one instance per fit. */
class TreeBuilder {
  private readonly columns: Float64Array[];
  private readonly nClasses: number;
  private readonly rng: Random;
  private readonly importance: Float64Array;
  private nextId = 0;

  constructor(
    X: Matrix,
    private readonly y: Int32Array,
    nClasses: number,
    private readonly params: DecisionTreeParams,
    private readonly maxFeatures: number,
  ) {
    // Column-major copies: the split search scans one feature at a time.
    this.columns = X[0]!.map((_, j) => Float64Array.from(X, (row) => row[j]!));
    this.nClasses = nClasses;
    this.rng = new Random(params.seed);
    this.importance = new Float64Array(this.columns.length);
  }

  build(): TreeNode {
    return this.grow(Array.from(this.y, (_, i) => i), 0);
  }

  featureImportances(): number[] {
    const total = this.importance.reduce((s, v) => s + v, 0);
    return Array.from(this.importance, (v) => (total > 0 ? v / total : 0));
  }

  private impurity(counts: ArrayLike<number>, n: number): number {
    if (this.params.criterion === "gini") {
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

  private grow(indices: number[], depth: number): TreeNode {
    const n = indices.length;
    const value = new Array<number>(this.nClasses).fill(0);
    for (const i of indices) value[this.y[i]!]! += 1;
    const node: TreeNode = { id: this.nextId++, depth, nSamples: n, value, impurity: this.impurity(value, n) };
    const { maxDepth, minSamplesSplit, minSamplesLeaf, minImpurityDecrease } = this.params;
    const tooSmall = n < minSamplesSplit || n < 2 * minSamplesLeaf || (maxDepth !== null && depth >= maxDepth);
    if (tooSmall || node.impurity <= Number.EPSILON) return node;
    const best = this.bestSplit(indices, value);
    if (!best) return node;
    const left = best.order.slice(0, best.position);
    const right = best.order.slice(best.position);
    const [leftCounts, rightCounts] = [left, right].map((part) => {
      const counts = new Array<number>(this.nClasses).fill(0);
      for (const i of part) counts[this.y[i]!]! += 1;
      return counts;
    });
    const rootN = this.y.length;
    // Weighted impurity decrease, as a fraction of all training samples (scikit-learn's definition).
    const decrease =
      (n * node.impurity - left.length * this.impurity(leftCounts!, left.length) - right.length * this.impurity(rightCounts!, right.length)) / rootN;
    if (decrease + Number.EPSILON < minImpurityDecrease) return node;
    this.importance[best.feature]! += decrease;
    node.split = {
      feature: best.feature,
      threshold: best.threshold,
      left: this.grow(left, depth + 1),
      right: this.grow(right, depth + 1),
    };
    return node;
  }

  /** The best threshold split over a random subset of features, or null if no feature can be split. */
  private bestSplit(indices: number[], nodeCounts: number[]): { feature: number; threshold: number; order: number[]; position: number } | null {
    const nFeatures = this.columns.length;
    // All features: scan in index order (deterministic ties); fewer: a seeded random order.
    const candidates = this.maxFeatures >= nFeatures ? Array.from({ length: nFeatures }, (_, j) => j) : this.rng.permutation(nFeatures);
    const n = indices.length;
    const { minSamplesLeaf } = this.params;
    const leftCounts = new Float64Array(this.nClasses);
    const rightCounts = new Float64Array(this.nClasses);
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
      leftCounts.fill(0);
      for (let k = 0; k < this.nClasses; k++) rightCounts[k] = nodeCounts[k]!;
      for (let p = 1; p < n; p++) {
        const moved = this.y[order[p - 1]!]!;
        leftCounts[moved]! += 1;
        rightCounts[moved]! -= 1;
        const before = column[order[p - 1]!]!;
        const after = column[order[p]!]!;
        if (after <= before + FEATURE_THRESHOLD) continue; // no threshold between equal values
        if (p < minSamplesLeaf || n - p < minSamplesLeaf) continue;
        // Maximising −(n_L·I_L + n_R·I_R) is maximising the impurity decrease; the parent term is constant.
        const proxy = -p * this.impurity(leftCounts, p) - (n - p) * this.impurity(rightCounts, n - p);
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
export function exportText(tree: DecisionTreeClassifier, featureNames?: string[], decimals = 2): string {
  if (!tree.tree_ || !tree.classes_) throw new NotFittedError("DecisionTreeClassifier");
  const classes = tree.classes_;
  const name = (j: number) => featureNames?.[j] ?? `feature_${j}`;
  const lines: string[] = [];
  const visit = (node: TreeNode, indent: string) => {
    if (!node.split) {
      lines.push(`${indent}|--- class: ${classes[argmax(node.value)]} (${node.nSamples} samples)`);
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
