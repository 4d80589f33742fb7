import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DecisionTreeRegressor, exportText, walk } from "../../../lib/ml/tree";
import { NotFittedError, r2Score } from "../../../lib/ml/base";
import { assertClose, assertSameTree, fixture } from "../../helpers/boosting-fixture";

const { X, y, XTest, yTest } = fixture.regression;

for (const [name, params] of [["depth3", { maxDepth: 3 }], ["minLeaf5", { minSamplesLeaf: 5 }], ["depth6Leaf5", { maxDepth: 6, minSamplesLeaf: 5 }]] as const) {
  test(`DecisionTreeRegressor (${name}) grows scikit-learn's tree: splits, means, variances, predictions, importances`, () => {
    const reference = fixture.regressionTrees[name];
    const tree = new DecisionTreeRegressor(params).fit(X, y);
    assertSameTree(tree.tree_!, reference.tree);
    assertClose(tree.predict(XTest), reference.predictTest, 1e-9, "predictions");
    assertClose(tree.featureImportances_!, reference.featureImportances, 1e-9, "feature importances");
    assertClose([tree.score(XTest, yTest)], [reference.testR2], 1e-9, "test R²");
  });
}

test("the squared-error split is the one that minimises the children's summed squared error (brute force)", () => {
  const stump = new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, y);
  const sse = (values: number[]) => {
    const m = values.reduce((s, v) => s + v, 0) / values.length;
    return values.reduce((s, v) => s + (v - m) ** 2, 0);
  };
  let best = { sse: Infinity, feature: -1, threshold: NaN };
  for (let j = 0; j < X[0]!.length; j++) {
    const values = [...new Set(X.map((x) => x[j]!))].sort((a, b) => a - b);
    for (let k = 1; k < values.length; k++) {
      const t = (values[k - 1]! + values[k]!) / 2;
      const total = sse(y.filter((_, i) => X[i]![j]! <= t)) + sse(y.filter((_, i) => X[i]![j]! > t));
      if (total < best.sse) best = { sse: total, feature: j, threshold: t };
    }
  }
  assert.equal(stump.tree_!.split!.feature, best.feature);
  assert.ok(Math.abs(stump.tree_!.split!.threshold - best.threshold) < 1e-12);
});

test("an unlimited regression tree interpolates distinct training points; leaves hold their mean", () => {
  const tree = new DecisionTreeRegressor().fit(X, y);
  assertClose(tree.predict(X), y, 1e-12, "training predictions");
  assert.equal(r2Score(y, tree.predict(X)), 1);
  walk(tree.tree_!, (node) => assert.ok(node.split || node.nSamples === 1 || node.impurity <= Number.EPSILON));
  assert.match(exportText(new DecisionTreeRegressor({ maxDepth: 1 }).fit([[0], [1], [2], [3]], [1, 1, 5, 7])), /\|--- value: 1\.00 \(2 samples\)[\s\S]*value: 6\.00 \(2 samples\)/);
});

test("DecisionTreeRegressor refuses bad input with the argument named", () => {
  assert.throws(() => new DecisionTreeRegressor({ criterion: "gini" as never }), /criterion must be "squared_error", got "gini"/);
  assert.throws(() => new DecisionTreeRegressor({ ccpAlpha: -1 }), /ccpAlpha must be a finite number ≥ 0, got -1/);
  assert.throws(() => new DecisionTreeRegressor().fit([[0], [1]], [0, Number.NaN]), /y\[1\] is NaN/);
  assert.throws(() => new DecisionTreeRegressor().predict([[0]]), NotFittedError);
  assert.throws(() => new DecisionTreeRegressor().fit([[0], [1]], [0, 1]).predict([[0, 1]]), /X has 2 features, but the estimator was fitted with 1/);
});
