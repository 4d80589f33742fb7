import { test } from "node:test";
import * as assert from "node:assert/strict";
import { BernoulliNB, MultinomialNB } from "../../../lib/ml/naive-bayes";
import { assertClose, fixture } from "../../helpers/boosting-fixture";

const { X, y, XTest, models } = fixture.bernoulliNB;

for (const reference of models) {
  test(`BernoulliNB(${JSON.stringify(reference.params)}) = scikit-learn's: counts, log P(x_j = 1 | c), priors, joint log-likelihoods, posteriors`, () => {
    const { alpha, binarize, fit_prior } = reference.params;
    const model = new BernoulliNB({ alpha, binarize: binarize ?? 0, fitPrior: fit_prior ?? true }).fit(X, y);
    assert.deepEqual(model.featureCount_, reference.featureCount);
    assertClose(model.classLogPrior_!, reference.classLogPrior, 1e-12, "class log prior");
    assertClose(model.featureLogProb_!.flat(), reference.featureLogProb.flat(), 1e-12, "feature log prob");
    assertClose(model.predictJointLogProba(XTest).flat(), reference.jointLogProba.flat(), 1e-10, "joint log proba");
    assertClose(model.predictProba(XTest).flat(), reference.proba.flat(), 1e-10, "proba");
    assert.deepEqual(model.predict(XTest), reference.predict);
  });
}

test("an absent feature moves the Bernoulli posterior (log(1 − p) term) but not the multinomial one", () => {
  // Feature 11 is 0 in every test row; changing only its training statistics changes only Bernoulli's answer.
  const bernoulli = new BernoulliNB().fit(X, y);
  const multinomial = new MultinomialNB().fit(X, y);
  const flipped = X.map((x, i) => x.map((v, j) => (j === 11 ? (y[i] === y[0] ? 3 : 0) : v)));
  const bernoulli2 = new BernoulliNB().fit(flipped, y);
  const multinomial2 = new MultinomialNB().fit(flipped, y);
  const moved = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i]![k]!))));
  assert.ok(moved(bernoulli.predictLogProba(XTest), bernoulli2.predictLogProba(XTest)) > 0.1);
  // Multinomial: feature 11's probability enters only through the other features' normalisation, not as evidence.
  const byHand = (m: MultinomialNB, x: number[]) => m.classLogPrior_!.map((p, c) => p + x.reduce((s, v, j) => s + v * m.featureLogProb_![c]![j]!, 0));
  assertClose(multinomial2.predictJointLogProba(XTest).flat(), XTest.flatMap((x) => byHand(multinomial2, x)), 1e-12, "multinomial uses present counts only");
  assert.ok(multinomial.featureLogProb_ !== undefined);
});

test("BernoulliNB refuses bad input with the argument named", () => {
  assert.throws(() => new BernoulliNB({ alpha: -1 }), /alpha must be a finite number ≥ 0, got -1/);
  assert.throws(() => new BernoulliNB({ binarize: Number.NaN }), /binarize must be null or a finite threshold, got NaN/);
  assert.throws(() => new BernoulliNB({ binarize: null }).fit([[0, 2], [1, 0]], [0, 1]), /X\[0\]\[1\] must be 0 or 1 \(binarize is null\), got 2/);
  assert.throws(() => new BernoulliNB().fit([[0, 1]], [0]).predict([[0]]), /X has 1 features, but the estimator was fitted with 2/);
});
