/**
 * Minimal cost-complexity (weakest-link) pruning of a grown CART tree, as scikit-learn does it
 * (`ccp_alpha`, `cost_complexity_pruning_path`; Breiman et al. 1984, ch. 3).
 *
 *   const path = new DecisionTreeClassifier().costComplexityPruningPath(X, y);   // { ccpAlphas, impurities }
 *   const pruned = new DecisionTreeClassifier({ ccpAlpha: path.ccpAlphas[5] }).fit(X, y);
 *
 * The cost of a subtree T is R_α(T) = R(T) + α·|leaves(T)|, with R(T) = Σ over leaves t of (n_t / n)·impurity(t).
 * Collapsing the branch below an inner node t into a leaf changes R by R(t) − R(T_t) and removes
 * |leaves(T_t)| − 1 leaves, so it pays off once α ≥ (R(t) − R(T_t)) / (|leaves(T_t)| − 1), the node's
 * effective alpha. Pruning repeatedly cuts the node with the smallest effective alpha (the weakest link; the
 * first in pre-order on ties, as scikit-learn) until the root is a leaf or the next alpha exceeds ccpAlpha.
 */
import type { TreeNode } from "./tree";

export interface PruningPath {
  /** Effective alpha of each cut, in pruning order (non-decreasing); the first entry is 0, the unpruned tree. */
  ccpAlphas: number[];
  /** Total leaf impurity Σ (n_t / n)·impurity(t) of the tree after each cut. */
  impurities: number[];
}

/** The weakest-link sequence of a grown tree: scikit-learn's `cost_complexity_pruning_path` for a fitted tree. */
export function pruningPath(root: TreeNode): PruningPath {
  const cuts = weakestLinks(root, Infinity);
  return {
    ccpAlphas: [0, ...cuts.map((c) => c.alpha)],
    impurities: [leafImpurity(root), ...cuts.map((c) => c.impurity)],
  };
}

/** A copy of the tree with every weakest link of effective alpha ≤ ccpAlpha collapsed into a leaf, renumbered in pre-order. */
export function pruneTree(root: TreeNode, ccpAlpha: number): TreeNode {
  if (!(ccpAlpha >= 0 && Number.isFinite(ccpAlpha))) throw new RangeError(`pruneTree: ccpAlpha must be a finite number ≥ 0, got ${ccpAlpha}`);
  const collapsed = new Set(weakestLinks(root, ccpAlpha).map((c) => c.node));
  let nextId = 0;
  const copy = (node: TreeNode): TreeNode => {
    const { split, ...rest } = node;
    const out: TreeNode = { ...rest, id: nextId++ };
    if (split && !collapsed.has(node)) out.split = { ...split, left: copy(split.left), right: copy(split.right) };
    return out;
  };
  return copy(root);
}

/** Σ over the leaves of (n_t / n)·impurity(t): the R(T) that the path records. */
export function leafImpurity(root: TreeNode): number {
  let total = 0;
  const visit = (node: TreeNode): void => {
    if (node.split) {
      visit(node.split.left);
      visit(node.split.right);
    } else total += nodeRisk(node, root.nSamples);
  };
  visit(root);
  return total;
}

/** R(t) = (n_t / n)·impurity(t), in scikit-learn's order of operations. */
function nodeRisk(node: TreeNode, n: number): number {
  return (node.nSamples * node.impurity) / n;
}

/** The cuts, in order, while the smallest effective alpha is ≤ maxAlpha. */
function weakestLinks(root: TreeNode, maxAlpha: number): { node: TreeNode; alpha: number; impurity: number }[] {
  // Pre-order arrays, as scikit-learn's node arrays: parent, R(t), R(T_t) and |leaves(T_t)| per node.
  const nodes: TreeNode[] = [];
  const parent: number[] = [];
  const collect = (node: TreeNode, up: number): void => {
    const index = nodes.length;
    nodes.push(node);
    parent.push(up);
    if (node.split) {
      collect(node.split.left, index);
      collect(node.split.right, index);
    }
  };
  collect(root, -1);
  const n = root.nSamples;
  const risk = nodes.map((node) => nodeRisk(node, n));
  const branchRisk = nodes.map((node) => (node.split ? 0 : nodeRisk(node, n)));
  const leaves = nodes.map((node) => (node.split ? 0 : 1));
  for (let i = nodes.length - 1; i > 0; i--) {
    // Children come after their parent in pre-order, so one backward pass sums every subtree.
    branchRisk[parent[i]!]! += branchRisk[i]!;
    leaves[parent[i]!]! += leaves[i]!;
  }
  const inner = nodes.map((node) => node.split !== undefined);
  const inPrunedBranch = new Array<boolean>(nodes.length).fill(false);
  const cuts: { node: TreeNode; alpha: number; impurity: number }[] = [];
  while (inner[0]) {
    let weakest = -1;
    let alpha = Infinity;
    for (let i = 0; i < nodes.length; i++) {
      if (!inner[i] || inPrunedBranch[i]) continue;
      const effective = (risk[i]! - branchRisk[i]!) / (leaves[i]! - 1);
      if (effective < alpha) {
        alpha = effective;
        weakest = i;
      }
    }
    if (alpha > maxAlpha) break;
    // Collapse: descendants leave the tree; ancestors lose the removed leaves and gain the risk increase.
    walkFrom(nodes, weakest, (i) => {
      if (i !== weakest) inPrunedBranch[i] = true;
    });
    inner[weakest] = false;
    const removedLeaves = leaves[weakest]! - 1;
    const riskIncrease = risk[weakest]! - branchRisk[weakest]!;
    leaves[weakest] = 1;
    branchRisk[weakest] = risk[weakest]!;
    for (let up = parent[weakest]!; up !== -1; up = parent[up]!) {
      leaves[up]! -= removedLeaves;
      branchRisk[up]! += riskIncrease;
    }
    cuts.push({ node: nodes[weakest]!, alpha, impurity: branchRisk[0]! });
  }
  return cuts;
}

/** Visits node `start` and its descendants: in pre-order they are the next nSubtree entries. */
function walkFrom(nodes: TreeNode[], start: number, visit: (i: number) => void): void {
  let size = 0;
  const count = (node: TreeNode): void => {
    size++;
    if (node.split) {
      count(node.split.left);
      count(node.split.right);
    }
  };
  count(nodes[start]!);
  for (let i = start; i < start + size; i++) visit(i);
}
