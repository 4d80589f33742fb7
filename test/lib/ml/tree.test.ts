import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadBreastCancer, loadIris, loadPlayTennis } from "../../../lib/data";
import { NotFittedError } from "../../../lib/ml/base";
import { RandomForestClassifier } from "../../../lib/ml/forest";
import { DecisionTreeClassifier, entropy, exportText, gini, informationGain, walk, type TreeNode } from "../../../lib/ml/tree";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

interface SkNode {
  nSamples: number;
  value: number[];
  impurity: number;
  feature?: number;
  threshold?: number;
  left?: SkNode;
  right?: SkNode;
}
interface TreeSet {
  params: Record<string, unknown>;
  trees: { randomStates: number[]; tree: SkNode; featureImportances: number[]; testAccuracy: number }[];
}
interface Fixture {
  sklearn: string;
  irisDepth3Gini: TreeSet;
  irisDepth3Entropy: TreeSet;
  irisFullDepth: { trainAccuracy: number; depth: number };
  cancerDepth4: TreeSet;
  cancerMinLeaf5: TreeSet;
  cancerForest: { runs: { randomState: number; testAccuracy: number; oobScore: number }[] };
}

const fixture = JSON.parse(fs.readFileSync(path.join(SKLEARN_FIXTURES, "tree-models.json"), "utf8")) as Fixture;

// Play tennis (Mitchell 1997): outlook, temperature, humidity, wind → play.
const TENNIS = (() => {
  const tennis = loadPlayTennis();
  return tennis.raw.map((row, i) => [...row, tennis.targetNames[tennis.target[i]!]!]);
})();

/** Breast cancer split of the fixture: test = rows with index ≡ 0 (mod 5). */
function cancerSplit() {
  const data = loadBreastCancer();
  const pick = (keep: (i: number) => boolean) => {
    const rows = data.target.map((_, i) => i).filter(keep);
    return { X: rows.map((i) => data.data[i]!), y: rows.map((i) => data.target[i]!) };
  };
  return { train: pick((i) => i % 5 !== 0), test: pick((i) => i % 5 === 0) };
}

/** The tree without features and thresholds: the partition it makes, which ties between features cannot change. */
function partition(node: TreeNode | SkNode): unknown {
  const ours = "split" in node || "id" in node;
  const children = ours ? (node as TreeNode).split : (node as SkNode).left ? { left: (node as SkNode).left!, right: (node as SkNode).right! } : undefined;
  return {
    n: node.nSamples,
    value: node.value,
    impurity: Number(node.impurity.toFixed(12)),
    children: children ? [partition(children.left), partition(children.right)] : [],
  };
}

function sameTree(ours: TreeNode, theirs: SkNode, tol = 1e-6): boolean {
  if (ours.nSamples !== theirs.nSamples || Math.abs(ours.impurity - theirs.impurity) > 1e-12) return false;
  if (!ours.split || theirs.feature === undefined) return !ours.split && theirs.feature === undefined;
  return (
    ours.split.feature === theirs.feature &&
    Math.abs(ours.split.threshold - theirs.threshold!) <= tol &&
    sameTree(ours.split.left, theirs.left!, tol) &&
    sameTree(ours.split.right, theirs.right!, tol)
  );
}

test("entropy, Gini and information gain match the play-tennis hand values; Outlook is the best root split", () => {
  const play = TENNIS.map((row) => row[4]!);
  assert.ok(Math.abs(entropy(play) - 0.9403) < 1e-4, "H(9 yes, 5 no) = 0.940 bits");
  assert.ok(Math.abs(gini(play) - (1 - (9 / 14) ** 2 - (5 / 14) ** 2)) < 1e-15);
  const gains = [0, 1, 2, 3].map((j) => {
    const values = [...new Set(TENNIS.map((row) => row[j]!))];
    return informationGain(play, values.map((v) => TENNIS.filter((row) => row[j] === v).map((row) => row[4]!)));
  });
  assert.ok(Math.abs(gains[0]! - 0.2467) < 1e-4, `IG(Outlook) = ${gains[0]}`);
  assert.ok(Math.abs(gains[2]! - 0.1518) < 1e-4, `IG(Humidity) = ${gains[2]}`);
  assert.equal(gains.indexOf(Math.max(...gains)), 0);
  assert.equal(informationGain(["a", "b"], [["a"], ["b"]], gini), 0.5);
  assert.throws(() => informationGain(["a", "b"], [["a"]]), /children hold 1 labels but the parent has 2/);
});

for (const [key, criterion] of [["irisDepth3Gini", "gini"], ["irisDepth3Entropy", "entropy"]] as const) {
  test(`CART on iris, maxDepth 3, ${criterion}: the tree is one scikit-learn grows (features, thresholds, counts, importances)`, () => {
    const iris = loadIris();
    const tree = new DecisionTreeClassifier({ maxDepth: 3, criterion }).fit(iris.data, iris.target);
    const match = fixture[key].trees.find((t) => sameTree(tree.tree_!, t.tree));
    assert.ok(match, `no scikit-learn ${fixture.sklearn} tree matches:\n${exportText(tree, iris.featureNames)}`);
    tree.featureImportances_!.forEach((v, j) => assert.ok(Math.abs(v - match.featureImportances[j]!) < 1e-12, `importance ${j}`));
    assert.equal(tree.score(iris.data, iris.target), match.testAccuracy);
    assert.equal(tree.getDepth(), 3);
  });
}

for (const key of ["cancerDepth4", "cancerMinLeaf5"] as const) {
  test(`CART on breast cancer (${key}) makes scikit-learn's partition; test accuracy within 3 points`, () => {
    const { train, test: held } = cancerSplit();
    const params = fixture[key].params as { max_depth: number; min_samples_leaf?: number; criterion?: "gini" | "entropy" };
    const tree = new DecisionTreeClassifier({ maxDepth: params.max_depth, minSamplesLeaf: params.min_samples_leaf ?? 1, criterion: params.criterion ?? "gini" });
    tree.fit(train.X, train.y);
    // Radius, perimeter and area order the samples alike, so scikit-learn's seed picks among equal splits.
    const ours = JSON.stringify(partition(tree.tree_!));
    assert.ok(fixture[key].trees.some((t) => JSON.stringify(partition(t.tree)) === ours), "partition differs from every scikit-learn tree");
    // Where a scikit-learn tree used the same feature at the same node, the threshold agrees (float32 rounding aside).
    const thresholds = new Map<string, number[]>();
    const collect = (node: SkNode, at: string) => {
      if (node.feature === undefined) return;
      thresholds.set(`${at}:${node.feature}`, [...(thresholds.get(`${at}:${node.feature}`) ?? []), node.threshold!]);
      collect(node.left!, `${at}L`);
      collect(node.right!, `${at}R`);
    };
    fixture[key].trees.forEach((t) => collect(t.tree, ""));
    let compared = 0;
    const visit = (node: TreeNode, at: string) => {
      if (!node.split) return;
      const known = thresholds.get(`${at}:${node.split.feature}`);
      if (known) {
        compared++;
        assert.ok(known.some((t) => Math.abs(t - node.split!.threshold) <= 1e-4 * Math.max(1, Math.abs(t))), `threshold at ${at || "root"}`);
      }
      visit(node.split.left, `${at}L`);
      visit(node.split.right, `${at}R`);
    };
    visit(tree.tree_!, "");
    assert.ok(compared >= 3, `only ${compared} nodes comparable`);
    const accuracies = fixture[key].trees.map((t) => t.testAccuracy);
    const mean = accuracies.reduce((s, a) => s + a, 0) / accuracies.length;
    assert.ok(Math.abs(tree.score(held.X, held.y) - mean) <= 0.03, `test accuracy ${tree.score(held.X, held.y)} vs scikit-learn mean ${mean}`);
  });
}

test("an unlimited tree fits the training data perfectly", () => {
  const iris = loadIris();
  const tree = new DecisionTreeClassifier().fit(iris.data, iris.target);
  assert.equal(tree.score(iris.data, iris.target), fixture.irisFullDepth.trainAccuracy);
  assert.equal(tree.getDepth(), fixture.irisFullDepth.depth);
  // Every leaf is pure.
  walk(tree.tree_!, (node) => assert.ok(node.split || node.value.filter((v) => v > 0).length === 1));
});

test("predictProba is the leaf's class frequencies; exportText shows the rules", () => {
  const X = [[0], [1], [2], [3], [4], [5]];
  const y = [0, 0, 1, 0, 1, 1];
  const stump = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
  assert.equal(stump.tree_!.split!.threshold, 1.5);
  assert.deepEqual(stump.predictProba([[0], [5]]), [[1, 0], [0.25, 0.75]]);
  assert.equal(exportText(stump, ["x"]), ["|--- x <= 1.50", "|   |--- class: 0 (2 samples)", "|--- x >  1.50", "|   |--- class: 1 (4 samples)"].join("\n"));
  assert.equal(stump.getNLeaves(), 2);
});

test("XOR: zero-gain first splits are still taken, so the tree does not stop (and does not loop)", () => {
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const y = [0, 1, 1, 0];
  const tree = new DecisionTreeClassifier().fit(X, y);
  assert.equal(tree.score(X, y), 1);
});

test("random forest beats one tree on breast cancer over 5 seeds, with smaller spread; OOB near test accuracy", () => {
  const { train, test: held } = cancerSplit();
  const stats = (xs: number[]) => {
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    return { mean, sd: Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) };
  };
  const seeds = [0, 1, 2, 3, 4];
  // A single tree differs between seeds only through random feature order, so give it √d features too.
  const trees = seeds.map((seed) => new DecisionTreeClassifier({ maxFeatures: "sqrt", seed }).fit(train.X, train.y).score(held.X, held.y));
  const forests = seeds.map((seed) => new RandomForestClassifier({ nEstimators: 100, oobScore: true, seed }).fit(train.X, train.y));
  const forestAcc = forests.map((f) => f.score(held.X, held.y));
  const [t, f] = [stats(trees), stats(forestAcc)];
  assert.ok(f.mean > t.mean, `forest ${f.mean} vs tree ${t.mean}`);
  assert.ok(f.sd < t.sd, `forest sd ${f.sd} vs tree sd ${t.sd}`);
  forests.forEach((forest, k) => assert.ok(Math.abs(forest.oobScore_! - forestAcc[k]!) <= 0.05, `OOB ${forest.oobScore_} vs test ${forestAcc[k]}`));
  const sk = stats(fixture.cancerForest.runs.map((r) => r.testAccuracy));
  assert.ok(Math.abs(f.mean - sk.mean) <= 0.03, `forest ${f.mean} vs scikit-learn ${sk.mean}`);
  const proba = forests[0]!.predictProba(held.X);
  proba.forEach((row) => assert.ok(Math.abs(row[0]! + row[1]! - 1) < 1e-12));
  const importances = forests[0]!.featureImportances_!;
  assert.ok(Math.abs(importances.reduce((s, v) => s + v, 0) - 1) < 1e-9);
});

test("the seed's forest bug: without bootstrap and feature sampling all 100 trees are the same tree", () => {
  const { train, test: held } = cancerSplit();
  const forest = new RandomForestClassifier({ nEstimators: 100, bootstrap: false, maxFeatures: null, seed: 0 }).fit(train.X, train.y);
  const first = forest.estimators_![0]!.predict(held.X);
  forest.estimators_!.forEach((tree) => assert.deepEqual(tree.predict(held.X), first));
  assert.deepEqual(forest.predict(held.X), first);
  const sampled = new RandomForestClassifier({ nEstimators: 10, seed: 0 }).fit(train.X, train.y);
  assert.ok(sampled.estimators_!.some((tree) => JSON.stringify(tree.predict(held.X)) !== JSON.stringify(sampled.estimators_![0]!.predict(held.X))));
});

test("estimator shape: params unchanged, fit returns this, NotFittedError, named errors", () => {
  const tree = new DecisionTreeClassifier({ maxDepth: 2 });
  assert.equal(tree.params.maxDepth, 2);
  assert.equal(tree.params.criterion, "gini");
  assert.throws(() => tree.predict([[1]]), NotFittedError);
  assert.equal(tree.fit([[0], [1]], [0, 1]), tree);
  assert.throws(() => new DecisionTreeClassifier({ criterion: "mse" as "gini" }), /criterion must be "gini" or "entropy", got "mse"/);
  assert.throws(() => new DecisionTreeClassifier({ maxDepth: -1 }), /maxDepth must be null or an integer ≥ 0, got -1/);
  assert.throws(() => new DecisionTreeClassifier({ maxFeatures: 0 }), /maxFeatures must be .* got 0/);
  assert.throws(() => new RandomForestClassifier({ nEstimators: 0 }), /nEstimators must be an integer ≥ 1, got 0/);
  assert.throws(() => new RandomForestClassifier({ bootstrap: false, oobScore: true }), /oobScore must be false when bootstrap is false/);
  assert.throws(() => new RandomForestClassifier().predict([[1]]), NotFittedError);
});
