import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadDigits, loadIris, loadWine, type Dataset } from "../../../lib/data";
import { NotFittedError } from "../../../lib/ml/base";
import { CategoricalNB, GaussianNB, MultinomialNB } from "../../../lib/ml/naive-bayes";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

interface CategoricalFit {
  params: { alpha: number; min_categories?: number };
  classLogPrior: number[];
  featureLogProb: number[][][] | null;
  nCategories: number[];
  queries: number[][];
  proba: number[][];
  predict: number[];
}
interface MultinomialFit {
  alpha: number;
  classLogPrior: number[];
  featureLogProb: number[][];
  proba: number[][];
  predict: number[];
}
interface GaussianFit {
  theta: number[][];
  var: number[][];
  epsilon: number;
  classPrior: number[];
  proba: number[][];
  logProba: number[][] | null;
  predict: number[];
  testAccuracy: number;
}
interface Fixture {
  sklearn: string;
  tennis: { X: number[][]; y: number[]; alpha1: CategoricalFit; alpha05: CategoricalFit };
  digitsCategorical: CategoricalFit;
  multinomial: { spam: MultinomialFit & { X: number[][]; y: number[]; queries: number[][] }; digits: MultinomialFit };
  gaussian: Record<"iris" | "wine" | "digits", GaussianFit>;
}

const fixture = JSON.parse(fs.readFileSync(path.join(SKLEARN_FIXTURES, "naive-bayes-models.json"), "utf8")) as Fixture;

const allClose = (actual: number[] | number[][] | number[][][], expected: unknown, label: string, tol: number) => {
  const a = (actual as unknown[]).flat(2) as number[];
  const e = (expected as unknown[]).flat(2) as number[];
  assert.equal(a.length, e.length, `${label}: length`);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]!) <= tol, `${label}[${i}]: ${v} vs scikit-learn ${fixture.sklearn} ${e[i]}`));
};

/** The fixture's split: test = first 60 rows with index ≡ 0 (mod 5); train = all rows with index ≢ 0 (mod 5). */
function split(data: Dataset): { Xtrain: number[][]; ytrain: number[]; Xtest: number[][]; ytest: number[] } {
  const train = data.target.map((_, i) => i).filter((i) => i % 5 !== 0);
  const test = data.target.map((_, i) => i).filter((i) => i % 5 === 0).slice(0, 60);
  return {
    Xtrain: train.map((i) => data.data[i]!),
    ytrain: train.map((i) => data.target[i]!),
    Xtest: test.map((i) => data.data[i]!),
    ytest: test.map((i) => data.target[i]!),
  };
}

test("play tennis: the hand computation P(no) ∝ 0.0206, P(yes) ∝ 0.0053 for (sunny, cool, high, strong)", () => {
  const { X, y } = fixture.tennis;
  const nb = new CategoricalNB({ alpha: 0 }).fit(X, y);
  const [no, yes] = nb.predictJointLogProba([[0, 2, 0, 1]])[0]!.map(Math.exp);
  assert.ok(Math.abs(no! - (5 / 14) * (3 / 5) * (1 / 5) * (4 / 5) * (3 / 5)) < 1e-15);
  assert.ok(Math.abs(yes! - (9 / 14) * (2 / 9) * (3 / 9) * (3 / 9) * (3 / 9)) < 1e-15);
  assert.equal(no!.toFixed(4), "0.0206");
  assert.equal(yes!.toFixed(4), "0.0053");
  assert.deepEqual(nb.predict([[0, 2, 0, 1]]), [0]);
});

for (const key of ["alpha1", "alpha05"] as const) {
  test(`CategoricalNB equals scikit-learn on play tennis (${key}) within 1e-12`, () => {
    const expected = fixture.tennis[key];
    const nb = new CategoricalNB({ alpha: expected.params.alpha }).fit(fixture.tennis.X, fixture.tennis.y);
    assert.deepEqual(nb.nCategories_, expected.nCategories);
    allClose(nb.classLogPrior_!, expected.classLogPrior, "classLogPrior", 1e-12);
    allClose(nb.featureLogProb_!, expected.featureLogProb, "featureLogProb", 1e-12);
    allClose(nb.predictProba(expected.queries), expected.proba, "proba", 1e-12);
    assert.deepEqual(nb.predict(expected.queries), expected.predict);
  });
}

test("CategoricalNB on binned digits (minCategories = 3) equals scikit-learn within 1e-9", () => {
  const digits = loadDigits();
  const { Xtrain, ytrain, Xtest } = split({ ...digits, data: digits.data.map((row) => row.map((v) => Math.min(Math.floor(v / 6), 2))) });
  const expected = fixture.digitsCategorical;
  const nb = new CategoricalNB({ alpha: 1, minCategories: 3 }).fit(Xtrain, ytrain);
  assert.deepEqual(nb.nCategories_, expected.nCategories);
  allClose(nb.predictProba(Xtest), expected.proba, "proba", 1e-9);
  assert.deepEqual(nb.predict(Xtest), expected.predict);
});

test("MultinomialNB equals scikit-learn on spam/ham counts and on digits within 1e-9", () => {
  const spam = fixture.multinomial.spam;
  const nb = new MultinomialNB({ alpha: spam.alpha }).fit(spam.X, spam.y);
  allClose(nb.classLogPrior_!, spam.classLogPrior, "spam classLogPrior", 1e-12);
  allClose(nb.featureLogProb_!, spam.featureLogProb, "spam featureLogProb", 1e-12);
  allClose(nb.predictProba(spam.queries), spam.proba, "spam proba", 1e-12);
  assert.deepEqual(nb.predict(spam.queries), spam.predict);

  const { Xtrain, ytrain, Xtest } = split(loadDigits());
  const expected = fixture.multinomial.digits;
  const digitsNb = new MultinomialNB({ alpha: expected.alpha }).fit(Xtrain, ytrain);
  allClose(digitsNb.featureLogProb_!, expected.featureLogProb, "digits featureLogProb", 1e-12);
  allClose(digitsNb.predictProba(Xtest), expected.proba, "digits proba", 1e-9);
  assert.deepEqual(digitsNb.predict(Xtest), expected.predict);
});

for (const [name, load] of [["iris", loadIris], ["wine", loadWine], ["digits", loadDigits]] as const) {
  test(`GaussianNB equals scikit-learn on ${name} (theta, var with varSmoothing, probabilities within 1e-6)`, () => {
    const expected = fixture.gaussian[name];
    const { Xtrain, ytrain, Xtest, ytest } = split(load());
    const nb = new GaussianNB().fit(Xtrain, ytrain);
    allClose(nb.theta_!, expected.theta, "theta", 1e-9);
    allClose(nb.var_!, expected.var, "var", 1e-9);
    assert.ok(Math.abs(nb.epsilon_! - expected.epsilon) <= 1e-12 * Math.max(1, expected.epsilon), `epsilon ${nb.epsilon_} vs ${expected.epsilon}`);
    allClose(nb.classLogPrior_!.map(Math.exp), expected.classPrior, "class prior", 1e-12);
    allClose(nb.predictProba(Xtest), expected.proba, "proba", 1e-6);
    if (expected.logProba) allClose(nb.predictLogProba(Xtest), expected.logProba, "log proba", 1e-6);
    assert.deepEqual(nb.predict(Xtest), expected.predict);
    assert.equal(nb.score(Xtest, ytest), expected.testAccuracy);
  });
}

test("posteriors sum to 1 and survive 200 features where the plain product underflows", () => {
  const { Xtrain, ytrain, Xtest } = split(loadIris());
  new GaussianNB().fit(Xtrain, ytrain).predictProba(Xtest).forEach((row) => assert.ok(Math.abs(row.reduce((s, p) => s + p, 0) - 1) < 1e-12));
  // 200 binary features, each with likelihood 0.01 / 1.02 ≈ 0.0098 under class 0: the product is ≈ 1e-402 → 0.
  const X = [new Array<number>(200).fill(0), new Array<number>(200).fill(1), new Array<number>(200).fill(1)];
  const nb = new CategoricalNB({ alpha: 0.01 }).fit(X, [0, 1, 1]);
  const query = [new Array<number>(200).fill(1)];
  const likelihoods = nb.featureLogProb_!.map((f) => Math.exp(f[0]![1]!));
  assert.equal(likelihoods.reduce((p, l) => p * l, 1), 0, "naive product underflows");
  const proba = nb.predictProba(query)[0]!;
  assert.ok(proba.every(Number.isFinite) && Math.abs(proba[0]! + proba[1]! - 1) < 1e-12);
  assert.ok(nb.predictJointLogProba(query)[0]![0]! > -1e4, "the log is finite");
});

test("Laplace smoothing: unseen category → non-zero with alpha 1, exactly zero likelihood with alpha 0", () => {
  // Feature 0 takes category 2 only in class 1.
  const X = [[0], [1], [0], [2], [1]];
  const y = [0, 0, 0, 1, 1];
  const smoothed = new CategoricalNB({ alpha: 1 }).fit(X, y);
  assert.ok(Math.abs(Math.exp(smoothed.featureLogProb_![0]![0]![2]!) - 1 / (3 + 3)) < 1e-15, "(0 + 1) / (3 + 1·3)");
  const raw = new CategoricalNB({ alpha: 0 }).fit(X, y);
  assert.equal(raw.featureLogProb_![0]![0]![2], -Infinity);
  assert.deepEqual(raw.predictProba([[2]]), [[0, 1]]);
});

test("estimator shape: params unchanged, fit returns this, NotFittedError, named errors", () => {
  const nb = new GaussianNB({ varSmoothing: 1e-3 });
  assert.deepEqual(nb.params, { varSmoothing: 1e-3, priors: null });
  assert.throws(() => nb.predict([[1]]), NotFittedError);
  assert.equal(nb.fit([[0], [1]], [0, 1]), nb);
  assert.throws(() => nb.predict([[1, 2]]), /X has 2 features, but the estimator was fitted with 1/);
  assert.throws(() => new CategoricalNB({ alpha: -1 }), /alpha must be a finite number ≥ 0, got -1/);
  assert.throws(() => new CategoricalNB().fit([[0.5]], [0]), /X\[0\]\[0\] must be a category code \(integer ≥ 0\), got 0.5/);
  assert.throws(() => new CategoricalNB().fit([[0], [1]], [0, 1]).predict([[3]]), /category 3, but feature 0 had 2 categories/);
  assert.throws(() => new MultinomialNB().fit([[-1]], [0]), /X\[0\]\[0\] must be a non-negative count, got -1/);
  assert.throws(() => new GaussianNB({ priors: [1] }).fit([[0], [1]], [0, 1]), /priors must be one probability per class \(2\), got an array of length 1/);
});
