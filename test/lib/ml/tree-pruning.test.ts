import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DecisionTreeClassifier, DecisionTreeRegressor, type TreeNode } from "../../../lib/ml/tree";
import { leafImpurity, pruneTree, pruningPath } from "../../../lib/ml/tree-pruning";
import { assertClose, fixture, partitionOf, toTreeNode } from "../../helpers/boosting-fixture";

/**
 * The path as (distinct alpha → impurity after the last cut at that alpha): when two links have the same
 * effective alpha, which one is cut first depends on float rounding, but the tree after both is the same.
 */
function collapsed(path: { ccpAlphas: number[]; impurities: number[] }): [number, number][] {
  const out: [number, number][] = [];
  path.ccpAlphas.forEach((alpha, i) => {
    const last = out[out.length - 1];
    if (last && Math.abs(alpha - last[0]) <= 1e-12 * Math.max(1, Math.abs(alpha))) last[1] = path.impurities[i]!;
    else out.push([alpha, path.impurities[i]!]);
  });
  return out;
}

function assertSamePath(ours: { ccpAlphas: number[]; impurities: number[] }, theirs: { ccpAlphas: number[]; impurities: number[] }, what: string): void {
  const [a, b] = [collapsed(ours), collapsed(theirs)];
  assert.equal(a.length, b.length, `${what}: distinct alphas ${a.length} vs scikit-learn ${b.length}`);
  assertClose(a.map((p) => p[0]), b.map((p) => p[0]), 1e-9, `${what}: alphas`);
  assertClose(a.map((p) => p[1]), b.map((p) => p[1]), 1e-9, `${what}: impurities`);
}

const { X: Xc, y: yc } = fixture.classification;
const { X: Xr, y: yr, XTest: XrTest } = fixture.regression;

test("the pruning path of scikit-learn's own grown trees (Gini, entropy) = its cost_complexity_pruning_path", () => {
  for (const criterion of ["gini", "entropy"] as const) {
    const reference = fixture.classificationPruning[criterion];
    const tree = toTreeNode(reference.tree);
    assertSamePath(pruningPath(tree), reference.path, criterion);
    assert.deepEqual(partitionOf(pruneTree(tree, fixture.classificationPruning.ccpAlpha)), reference.pruned, `${criterion}: pruned at ccp_alpha`);
  }
});

test("DecisionTreeRegressor: costComplexityPruningPath and ccpAlpha = scikit-learn's (growth and pruning)", () => {
  const reference = fixture.regressionPruning;
  assertSamePath(new DecisionTreeRegressor({ minSamplesLeaf: 5 }).costComplexityPruningPath(Xr, yr), reference.path, "squared error");
  const regressor = new DecisionTreeRegressor({ minSamplesLeaf: 5, ccpAlpha: reference.ccpAlpha }).fit(Xr, yr);
  assert.equal(regressor.getNLeaves(), reference.nLeaves);
  assertClose(regressor.predict(XrTest), reference.predictTest, 1e-9, "pruned predictions");
});

test("DecisionTreeClassifier: ccpAlpha prunes the grown tree as pruneTree does, and the path is pruneTree's", () => {
  const grown = new DecisionTreeClassifier({ minSamplesLeaf: 4 }).fit(Xc, yc);
  const { ccpAlphas } = grown.costComplexityPruningPath(Xc, yc);
  for (const alpha of [ccpAlphas[3]!, ccpAlphas[ccpAlphas.length - 2]!]) {
    const pruned = new DecisionTreeClassifier({ minSamplesLeaf: 4, ccpAlpha: alpha }).fit(Xc, yc);
    assert.deepEqual(partitionOf(pruned.tree_!), partitionOf(pruneTree(grown.tree_!, alpha)));
    assert.ok(pruned.getNLeaves() < grown.getNLeaves());
  }
});

test("each path entry is the best subtree for its alpha: brute force over every pruned subtree of a small tree", () => {
  const tree = new DecisionTreeClassifier({ maxDepth: 4 }).fit(Xc, yc).tree_!;
  const subtrees = allPrunings(tree);
  const leaves = (t: TreeNode): number => (t.split ? leaves(t.split.left) + leaves(t.split.right) : 1);
  const { ccpAlphas, impurities } = pruningPath(tree);
  ccpAlphas.forEach((alpha, i) => {
    // Between this alpha and the next, the path's tree minimises R(T) + alpha·|leaves(T)| over all subtrees.
    const probe = i + 1 < ccpAlphas.length ? (alpha + ccpAlphas[i + 1]!) / 2 : alpha * 1.5 + 1e-9;
    const best = Math.min(...subtrees.map((t) => leafImpurity(t) + probe * leaves(t)));
    const pruned = pruneTree(tree, probe);
    assert.ok(Math.abs(leafImpurity(pruned) - impurities[i]!) < 1e-12, `R(T) at entry ${i}`);
    assert.ok(leafImpurity(pruned) + probe * leaves(pruned) <= best + 1e-12, `entry ${i} (alpha ${alpha}) is not the cheapest subtree at ${probe}`);
  });
  assert.ok(ccpAlphas.every((a, i) => i === 0 || a >= ccpAlphas[i - 1]! - 1e-15), "alphas never decrease");
  assert.equal(pruneTree(tree, ccpAlphas[ccpAlphas.length - 1]!).split, undefined, "the last alpha leaves the root alone");
});

test("pruneTree does not change the tree it is given and refuses a bad alpha", () => {
  const tree = new DecisionTreeClassifier({ maxDepth: 3 }).fit(Xc, yc).tree_!;
  const before = JSON.stringify(tree);
  pruneTree(tree, 0.01);
  assert.equal(JSON.stringify(tree), before);
  assert.throws(() => pruneTree(tree, Number.NaN), /ccpAlpha must be a finite number ≥ 0, got NaN/);
});

/** Every subtree obtained by collapsing any set of inner nodes (small trees only). */
function allPrunings(node: TreeNode): TreeNode[] {
  const leaf = { ...node, split: undefined };
  if (!node.split) return [leaf];
  const out: TreeNode[] = [leaf];
  for (const left of allPrunings(node.split.left)) {
    for (const right of allPrunings(node.split.right)) out.push({ ...node, split: { ...node.split, left, right } });
  }
  return out;
}
