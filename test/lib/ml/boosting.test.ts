import { test } from "node:test";
import * as assert from "node:assert/strict";
import { GradientBoostingClassifier, GradientBoostingRegressor } from "../../../lib/ml/boosting";
import { NotFittedError } from "../../../lib/ml/base";
import { DecisionTreeRegressor } from "../../../lib/ml/tree";
import { assertClose, fixture } from "../../helpers/boosting-fixture";

const reg = fixture.regression;
const cls = fixture.classification;
const REGRESSOR_PARAMS = { default: { minSamplesLeaf: 5 }, shallowFast: { nEstimators: 30, learningRate: 0.5, maxDepth: 2, minSamplesLeaf: 5 } } as const;
const CLASSIFIER_PARAMS = { default: { minSamplesLeaf: 5 }, shallowFast: { nEstimators: 40, learningRate: 0.3, maxDepth: 2, minSamplesLeaf: 5 } } as const;

for (const name of ["default", "shallowFast"] as const) {
  test(`GradientBoostingRegressor (${name}) = scikit-learn's: F0, staged and final test predictions, train scores`, () => {
    const reference = fixture.gradientBoostingRegressor[name];
    const model = new GradientBoostingRegressor(REGRESSOR_PARAMS[name]).fit(reg.X, reg.y);
    assertClose([model.init_!], [reference.init], 1e-12, "init");
    const staged = model.stagedPredict(reg.XTest);
    assertClose(staged[0]!, reference.stagedPredictTest[0]!, 1e-9, "after 1 stage");
    assertClose(staged[9]!, reference.stagedPredictTest[1]!, 1e-9, "after 10 stages");
    assertClose(model.predict(reg.XTest), reference.predictTest, 1e-9, "final predictions");
    assertClose(model.trainScore_!, reference.trainScore, 1e-9, "train_score_");
    assertClose([model.score(reg.XTest, reg.yTest)], [reference.testR2], 1e-9, "test R²");
  });

  test(`GradientBoostingClassifier (${name}) = one of scikit-learn's tie-breaking outcomes: log-odds, probabilities, deviance`, () => {
    const { outcomes } = fixture.gradientBoostingClassifier[name];
    const model = new GradientBoostingClassifier(CLASSIFIER_PARAMS[name]).fit(cls.X, cls.y);
    const ours = model.decisionFunction(cls.XTest);
    const match = outcomes.find((o) => o.decisionFunctionTest.every((v, i) => Math.abs(v - ours[i]!) <= 1e-9 * Math.max(1, Math.abs(v))));
    assert.ok(match, `log-odds match none of scikit-learn's ${outcomes.length} outcomes; first differences: ${ours.slice(0, 3)} vs ${outcomes[0]!.decisionFunctionTest.slice(0, 3)}`);
    assertClose(model.predictProba(cls.XTest).flat(), match.predictProbaTest.flat(), 1e-9, "probabilities");
    assert.deepEqual(model.predict(cls.XTest), match.predictTest);
    assertClose(model.trainScore_!, match.trainScore, 1e-9, "train_score_ (binomial deviance)");
  });
}

test("one stage by hand: F1 = mean(y) + ν·tree(y − mean(y)) for squared error", () => {
  const nu = 0.3;
  const model = new GradientBoostingRegressor({ nEstimators: 1, learningRate: nu, maxDepth: 2 }).fit(reg.X, reg.y);
  const m = reg.y.reduce((s, v) => s + v, 0) / reg.y.length;
  const tree = new DecisionTreeRegressor({ maxDepth: 2 }).fit(reg.X, reg.y.map((v) => v - m));
  assertClose(model.predict(reg.XTest), tree.predict(reg.XTest).map((h) => m + nu * h), 1e-12, "one stage");
});

test("log-loss leaves take a Newton step: after one stage each leaf's log-loss is minimised along its step", () => {
  const model = new GradientBoostingClassifier({ nEstimators: 1, learningRate: 1, maxDepth: 1 }).fit(cls.X, cls.y);
  const f0 = model.init_!;
  const tree = model.estimators_![0]!;
  const leaves = tree.apply(cls.X);
  for (const leaf of new Set(leaves)) {
    const ys = cls.y.filter((_, i) => leaves[i] === leaf);
    // One Newton step from f0 on this leaf's rows: Σ(y − p) / Σ p(1 − p), p = σ(f0).
    const p = 1 / (1 + Math.exp(-f0));
    const newton = ys.reduce((s, v) => s + v - p, 0) / (ys.length * p * (1 - p));
    assertClose([leaf.value[0]!], [newton], 1e-12, "leaf step");
  }
});

test("more stages fit the training data better; subsample draws rows (seeded) and still learns", () => {
  const scores = new GradientBoostingRegressor({ nEstimators: 60 }).fit(reg.X, reg.y).trainScore_!;
  assert.ok(scores.every((s, i) => i === 0 || s <= scores[i - 1]! + 1e-12), "full-batch squared-error boosting never increases the training loss");
  const a = new GradientBoostingRegressor({ subsample: 0.5, seed: 3 }).fit(reg.X, reg.y);
  const b = new GradientBoostingRegressor({ subsample: 0.5, seed: 3 }).fit(reg.X, reg.y);
  const c = new GradientBoostingRegressor({ subsample: 0.5, seed: 4 }).fit(reg.X, reg.y);
  assert.deepEqual(a.predict(reg.XTest), b.predict(reg.XTest));
  assert.notDeepEqual(a.predict(reg.XTest), c.predict(reg.XTest));
  assert.ok(a.score(reg.XTest, reg.yTest) > 0.5, `stochastic boosting R² ${a.score(reg.XTest, reg.yTest)}`);
});

test("gradient boosting refuses bad input with the argument named", () => {
  assert.throws(() => new GradientBoostingRegressor({ learningRate: 0 }), /learningRate must be a finite number > 0, got 0/);
  assert.throws(() => new GradientBoostingRegressor({ nEstimators: 2.5 }), /nEstimators must be an integer ≥ 1, got 2.5/);
  assert.throws(() => new GradientBoostingClassifier({ subsample: 1.5 }), /subsample must be a fraction in \(0, 1\], got 1.5/);
  assert.throws(() => new GradientBoostingClassifier({ maxDepth: -1 }), /maxDepth must be null or an integer ≥ 0, got -1/);
  assert.throws(() => new GradientBoostingClassifier().fit([[0], [1], [2]], [0, 1, 2]), /exactly 2 classes \(binary log-loss\), got 3/);
  assert.throws(() => new GradientBoostingRegressor().predict([[0]]), NotFittedError);
});
