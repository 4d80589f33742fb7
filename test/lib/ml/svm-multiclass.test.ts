import { test } from "node:test";
import * as assert from "node:assert/strict";
import { loadIris } from "../../../lib/data";
import { loadSvmMulticlassFixture } from "../../../lib/fixtures/svm";
import { LogisticRegression } from "../../../lib/ml/linear";
import { StandardScaler } from "../../../lib/ml/preprocessing";
import { LinearSVC, SVC, fitPlattSigmoid } from "../../../lib/ml/svm";
import { Random } from "../../../lib/random";

const fixture = loadSvmMulticlassFixture(); // data/sklearn/11-svm-multiclass.py says what each field is

// The fixture's split: test = rows whose index is a multiple of 3; a scaler fitted on the training rows.
const iris = loadIris();
const isTest = (i: number) => i % 3 === 0;
const scaler = new StandardScaler().fit(iris.data.filter((_, i) => !isTest(i)));
const trainX = scaler.transform(iris.data.filter((_, i) => !isTest(i)));
const testX = scaler.transform(iris.data.filter((_, i) => isTest(i)));
const trainY = iris.target.filter((_, i) => !isTest(i));
const largestGap = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

for (const kernel of ["rbf", "linear"] as const) {
  test(`SVC (${kernel}) on 3 iris classes is scikit-learn's one-vs-one: decision values, votes, support counts`, () => {
    const reference = fixture.iris.kernels[kernel];
    const ovo = new SVC({ kernel: kernel, C: 1, tol: 1e-8, decisionFunctionShape: "ovo" }).fit(trainX, trainY);
    const ovr = new SVC({ kernel: kernel, C: 1, tol: 1e-8 }).fit(trainX, trainY);
    assert.ok(largestGap(ovo.multiclassDecisionFunction(testX), reference.ovoDecision) < 1e-5);
    assert.ok(largestGap(ovr.multiclassDecisionFunction(testX), reference.ovrShapeDecision) < 1e-5);
    assert.deepEqual(ovo.predict(testX), reference.predict);
    assert.deepEqual(ovr.predict(testX), reference.predict);
    assert.deepEqual(ovo.nSupport_, reference.nSupport);
    assert.equal(ovo.estimators_!.length, 3);
  });
}

test("LinearSVC on 3 iris classes is one-vs-rest: one machine per class, near scikit-learn's OneVsRest(SVC(linear)), same predictions", () => {
  const reference = fixture.iris.kernels.linear;
  const model = new LinearSVC({ C: 1, maxIter: 200 }).fit(trainX, trainY);
  assert.deepEqual(model.estimators_!.map((member) => member.classes), [[0], [1], [2]]);
  // Pegasos stops short of the optimum: 0.09 measured after 200 epochs.
  assert.ok(largestGap(model.multiclassDecisionFunction(testX), reference.oneVsRestDecision) < 0.15);
  assert.deepEqual(model.predict(testX), reference.oneVsRestPredict);
});

test("multiclass errors name the method to use; one class is refused", () => {
  const svm = new SVC().fit(trainX, trainY);
  assert.throws(() => svm.decisionFunction(testX), /SVC\.decisionFunction is binary; this model has 3 classes: use multiclassDecisionFunction/);
  const binary = new SVC().fit([[0], [1]], [0, 1]);
  assert.throws(() => binary.multiclassDecisionFunction([[0]]), /needs a model fitted on more than 2 classes; this one has 2 \(0, 1\)/);
  assert.throws(() => new LinearSVC().fit([[0], [1]], [4, 4]), /y must hold at least 2 classes, got 1 \(4\)/);
  assert.throws(() => new SVC({ decisionFunctionShape: "ovx" as "ovr" }), /decisionFunctionShape must be "ovr" or "ovo"/);
  assert.throws(() => svm.multiclassDecisionFunction([[1, 2]]), /X has 2 features, but the estimator was fitted with 4/);
  // Refitting on two classes drops the machines: decisionFunction works again.
  svm.fit([[0], [1]], [0, 1]);
  assert.equal(svm.estimators_, undefined);
  assert.equal(svm.decisionFunction([[1]]).length, 1);
});

test("Platt sigmoid = the log-loss optimum found by weighted logistic regression on the decision values", () => {
  const rng = new Random(3);
  for (let trial = 0; trial < 10; trial++) {
    const n = 20 + 10 * trial;
    const positive = Array.from({ length: n }, () => rng.random() < 0.4);
    const decision = positive.map((p) => rng.normal(p ? 1 : -1, 1 + 0.2 * trial));
    // Overlapping classes, so that the unsmoothed optimum is finite too.
    assert.ok(Math.min(...decision.filter((_, i) => positive[i])) < Math.max(...decision.filter((_, i) => !positive[i])));
    for (const smoothTargets of [true, false]) {
      const sigmoid = fitPlattSigmoid(decision, positive, { smoothTargets: smoothTargets });
      // Soft targets t ∈ (0, 1) are two rows, label 1 with weight t and label 0 with weight 1 − t.
      const nPositive = positive.filter(Boolean).length;
      const targets = positive.map((p) => (smoothTargets ? (p ? (nPositive + 1) / (nPositive + 2) : 1 / (n - nPositive + 2)) : p ? 1 : 0));
      const rows = decision.flatMap((f) => [[f], [f]]);
      const labels = decision.flatMap(() => [1, 0]);
      const weights = targets.flatMap((t) => [t, 1 - t]);
      const logistic = new LogisticRegression({ C: 1e12, tol: 1e-12, maxIter: 1000 }).fit(rows, labels, weights);
      // P(1) = σ(w f + c) = 1 / (1 + exp(A f + B)) ⇒ A = −w, B = −c.
      assert.ok(Math.abs(sigmoid.A + logistic.coef_![0]![0]!) < 1e-5, `trial ${trial}: A ${sigmoid.A} vs ${-logistic.coef_![0]![0]!}`);
      assert.ok(Math.abs(sigmoid.B + logistic.intercept_![0]!) < 1e-5, `trial ${trial}: B ${sigmoid.B} vs ${-logistic.intercept_![0]!}`);
      const probabilities = sigmoid.predictProba(decision);
      const expected = logistic.predictProba(decision.map((f) => [f])).map((row) => row[1]!);
      probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) < 1e-6));
    }
  }
});

test("Platt sigmoid: bad input is named", () => {
  assert.throws(() => fitPlattSigmoid([1, 2], [true]), /decision \(2\) and positive \(1\) must be non-empty and of equal length/);
  assert.throws(() => fitPlattSigmoid([1, NaN], [true, false]), /decision\[1\] must be a finite number, got NaN/);
});
