/** The scikit-learn fixture shared by the regression-tree, pruning, boosting and BernoulliNB tests. */
import * as fs from "node:fs";
import * as path from "node:path";
import * as assert from "node:assert/strict";
import type { TreeNode } from "../../lib/ml/tree";
import { SKLEARN_FIXTURES } from "./paths";

export interface SkNode { nSamples: number; value: number[]; impurity: number; feature?: number; threshold?: number; left?: SkNode; right?: SkNode }
interface Data { X: number[][]; y: number[]; XTest: number[][]; yTest: number[] }
export interface Partition { nSamples: number; value: number[]; children?: Partition[] }
interface Path { ccpAlphas: number[]; impurities: number[] }
export interface BoostingFixture {
  sklearn: string;
  regression: Data;
  regressionTrees: Record<"depth3" | "minLeaf5" | "depth6Leaf5", { tree: SkNode; predictTest: number[]; featureImportances: number[]; testR2: number }>;
  regressionPruning: { path: Path; ccpAlpha: number; nLeaves: number; predictTest: number[] };
  classification: Data;
  classificationPruning: { ccpAlpha: number } & Record<"gini" | "entropy", { tree: SkNode; path: Path; pruned: Partition }>;
  gradientBoostingRegressor: Record<"default" | "shallowFast", { init: number; predictTest: number[]; stagedPredictTest: number[][]; trainScore: number[]; testR2: number }>;
  gradientBoostingClassifier: Record<"default" | "shallowFast", { outcomes: { randomStates: number[]; decisionFunctionTest: number[]; predictProbaTest: number[][]; predictTest: number[]; trainScore: number[]; testAccuracy: number }[] }>;
  bernoulliNB: {
    X: number[][]; y: number[]; XTest: number[][];
    models: { params: { alpha: number; binarize?: number; fit_prior?: boolean }; classLogPrior: number[]; featureCount: number[][]; featureLogProb: number[][]; jointLogProba: number[][]; proba: number[][]; predict: number[] }[];
  };
}

export const fixture = JSON.parse(fs.readFileSync(path.join(SKLEARN_FIXTURES, "boosting-models.json"), "utf8")) as BoostingFixture;

/** Asserts that our tree is scikit-learn's node for node: features, thresholds (float32 data), counts, values, impurities. */
export function assertSameTree(ours: TreeNode, theirs: SkNode, where = "root"): void {
  assert.equal(ours.nSamples, theirs.nSamples, `${where}: samples`);
  assertClose(ours.value, theirs.value, 1e-9, `${where}: value`);
  assertClose([ours.impurity], [theirs.impurity], 1e-9, `${where}: impurity`);
  assert.equal(ours.split === undefined, theirs.left === undefined, `${where}: leaf in one tree only`);
  if (!ours.split) return;
  assert.equal(ours.split.feature, theirs.feature, `${where}: feature`);
  assertClose([ours.split.threshold], [theirs.threshold!], 1e-6, `${where}: threshold`);
  assertSameTree(ours.split.left, theirs.left!, `${where}.left`);
  assertSameTree(ours.split.right, theirs.right!, `${where}.right`);
}

export function assertClose(actual: readonly number[], expected: readonly number[], tolerance: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(Math.abs(a - e) <= tolerance * Math.max(1, Math.abs(e)), `${what}[${i}]: ${a} vs scikit-learn ${e}`);
  });
}

/** A scikit-learn tree as our TreeNode (pre-order ids, depths), so our pruning can be run on exactly that tree. */
export function toTreeNode(node: SkNode, depth = 0, counter = { next: 0 }): TreeNode {
  const out: TreeNode = { id: counter.next++, depth, nSamples: node.nSamples, value: node.value, impurity: node.impurity };
  if (node.left) {
    out.split = { feature: node.feature!, threshold: node.threshold!, left: toTreeNode(node.left, depth + 1, counter), right: toTreeNode(node.right!, depth + 1, counter) };
  }
  return out;
}

export function partitionOf(node: TreeNode): Partition {
  return { nSamples: node.nSamples, value: node.value, ...(node.split ? { children: [partitionOf(node.split.left), partitionOf(node.split.right)] } : {}) };
}
