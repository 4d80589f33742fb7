/**
 * Parameters and inputs that make no sense are refused with a message saying what and why (issue 12, item 14):
 * a fit on samples with zero features (every estimator, table-driven over the modules' exports), class priors
 * that are negative or do not sum to 1, stratification with a single-member class, and a table of other
 * nonsensical parameters across lib/ml and lib/split.ts.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import * as boosting from "../../../lib/ml/boosting";
import * as forest from "../../../lib/ml/forest";
import * as imbalance from "../../../lib/ml/imbalance";
import * as kmeans from "../../../lib/ml/kmeans";
import * as linear from "../../../lib/ml/linear";
import * as naiveBayes from "../../../lib/ml/naive-bayes";
import * as preprocessing from "../../../lib/ml/preprocessing";
import * as svm from "../../../lib/ml/svm";
import * as tree from "../../../lib/ml/tree";
import { huberLoss } from "../../../lib/nn/losses";
import { kFold, trainTestSplit } from "../../../lib/split";
import { Random } from "../../../lib/random";

const MODULES = { boosting, forest, imbalance, kmeans, linear, naiveBayes, preprocessing, svm, tree };

/** How to fit each estimator on (X, y): every exported class with fit or fitResample must be listed. */
const FIT: Record<string, (X: number[][], y: number[]) => unknown> = {
  RandomForestClassifier: (X, y) => new forest.RandomForestClassifier({ nEstimators: 3 }).fit(X, y),
  RandomOverSampler: (X, y) => new imbalance.RandomOverSampler({ seed: 0 }).fitResample(X, y),
  RandomUnderSampler: (X, y) => new imbalance.RandomUnderSampler({ seed: 0 }).fitResample(X, y),
  SMOTE: (X, y) => new imbalance.SMOTE({ kNeighbors: 1 }).fitResample(X, y),
  KMeans: (X) => new kmeans.KMeans({ nClusters: 2 }).fit(X),
  LinearRegression: (X, y) => new linear.LinearRegression().fit(X, y),
  Ridge: (X, y) => new linear.Ridge({ alpha: 1 }).fit(X, y),
  Lasso: (X, y) => new linear.Lasso({ alpha: 0.1 }).fit(X, y),
  LogisticRegression: (X, y) => new linear.LogisticRegression().fit(X, y),
  CategoricalNB: (X, y) => new naiveBayes.CategoricalNB().fit(X, y),
  MultinomialNB: (X, y) => new naiveBayes.MultinomialNB().fit(X, y),
  GaussianNB: (X, y) => new naiveBayes.GaussianNB().fit(X, y),
  BernoulliNB: (X, y) => new naiveBayes.BernoulliNB().fit(X, y),
  PolynomialFeatures: (X) => new preprocessing.PolynomialFeatures().fit(X),
  StandardScaler: (X) => new preprocessing.StandardScaler().fit(X),
  MinMaxScaler: (X) => new preprocessing.MinMaxScaler().fit(X),
  LinearSVC: (X, y) => new svm.LinearSVC().fit(X, y),
  SVC: (X, y) => new svm.SVC().fit(X, y),
  DecisionTreeClassifier: (X, y) => new tree.DecisionTreeClassifier().fit(X, y),
  DecisionTreeRegressor: (X, y) => new tree.DecisionTreeRegressor().fit(X, y),
  GradientBoostingRegressor: (X, y) => new boosting.GradientBoostingRegressor({ nEstimators: 3 }).fit(X, y),
  GradientBoostingClassifier: (X, y) => new boosting.GradientBoostingClassifier({ nEstimators: 3 }).fit(X, y),
};

const isEstimatorClass = (value: unknown): boolean =>
  typeof value === "function" && value.prototype !== undefined && ("fit" in value.prototype || "fitResample" in value.prototype);

test("every estimator exported by lib/ml has a row in the zero-feature table", () => {
  for (const [module, exports] of Object.entries(MODULES)) {
    for (const [name, value] of Object.entries(exports)) {
      if (isEstimatorClass(value)) assert.ok(name in FIT, `lib/ml/${module} exports the estimator ${name}: add it to FIT`);
    }
  }
});

test("every estimator fits the valid data and refuses samples with zero features, naming X and the cause", () => {
  const X = [[0, 1], [1, 0], [0, 2], [2, 1], [1, 1], [3, 0]];
  const y = [0, 1, 0, 1, 0, 1];
  for (const [name, fit] of Object.entries(FIT)) {
    assert.doesNotThrow(() => fit(X, y), `${name} on valid data`);
    assert.throws(() => fit(X.map(() => []), y), /X has 6 rows but 0 features \(columns\); need at least 1/, `${name} with zero features`);
  }
});

test("naive Bayes refuses class priors that are negative, not finite, of the wrong length or do not sum to 1", () => {
  const X = [[0, 1], [1, 0], [0, 2], [2, 1]];
  const y = [0, 1, 0, 1];
  const makers: [string, (prior: unknown) => { fit(X: number[][], y: number[]): unknown }][] = [
    ["classPrior", (prior) => new naiveBayes.CategoricalNB({ classPrior: prior as number[] })],
    ["classPrior", (prior) => new naiveBayes.MultinomialNB({ classPrior: prior as number[] })],
    ["classPrior", (prior) => new naiveBayes.BernoulliNB({ classPrior: prior as number[] })],
    ["priors", (prior) => new naiveBayes.GaussianNB({ priors: prior as number[] })],
  ];
  const refused: [unknown, RegExp][] = [
    [[-0.5, 1.5], /\[0\] must be a finite number ≥ 0 \(a probability\), got -0.5/],
    [[0.4, 0.5], /\(sum\) must be 1 within 1e-5: priors are probabilities, got 0.9/],
    [[0.6, 0.5], /\(sum\) must be 1 within 1e-5/],
    [[0.5, 0.5 + 2e-5], /\(sum\) must be 1 within 1e-5/],
    [[NaN, 1], /\[0\] must be a finite number ≥ 0/],
    [[0.5, Infinity], /\[1\] must be a finite number ≥ 0/],
    [[1], /must be one probability per class \(2\), got an array of length 1/],
    [[0.2, 0.3, 0.5], /must be one probability per class \(2\)/],
    ["0.5", /must be one probability per class/],
  ];
  for (const [name, make] of makers) {
    for (const [prior, message] of refused) {
      assert.throws(() => make(prior).fit(X, y), (error: Error) => error.message.startsWith(name) && message.test(error.message), `${name} = ${JSON.stringify(prior)}`);
    }
    // Within numpy's isclose tolerance (1e-8 + 1e-5), as scikit-learn; a zero prior is a probability too.
    for (const prior of [[0.3, 0.7], [0.5, 0.5 + 1e-6], [0, 1], [1 / 3, 2 / 3]]) assert.doesNotThrow(() => make(prior).fit(X, y), `${name} = ${JSON.stringify(prior)}`);
  }
});

test("stratification refuses a class with a single member, naming the class and saying why", () => {
  for (const stratify of [[0, 0, 1, 1, 2, 0, 1, 1], ["a", "a", "b", "b", "c", "a", "b", "b"]]) {
    const single = JSON.stringify(stratify[4]);
    assert.throws(
      () => trainTestSplit(stratify.length, { testFraction: 0.5, seed: 0, stratify }),
      (error: Error) => error.message.includes(`trainTestSplit: class ${single} of stratify has only 1 member`) && /both the training and the test part/.test(error.message),
    );
    for (const shuffle of [false, true]) {
      assert.throws(
        () => kFold(stratify.length, { k: 2, shuffle, seed: 0, stratify }),
        (error: Error) => error.message.includes(`kFold: class ${single} of stratify has only 1 member`) && /training part of every fold/.test(error.message),
      );
    }
    // Without the single member, both split.
    const kept = stratify.filter((_, i) => i !== 4) as (number | string)[];
    assert.doesNotThrow(() => trainTestSplit(kept.length, { testFraction: 0.5, seed: 0, stratify: kept }));
    assert.doesNotThrow(() => kFold(kept.length, { k: 2, stratify: kept }));
  }
});

test("other nonsensical parameters across lib/ml and lib/split.ts are refused with the parameter named", () => {
  const X = [[0, 1], [1, 0], [0, 2], [2, 1], [1, 1], [3, 0]];
  const y = [0, 1, 0, 1, 0, 1];
  const cases: [string, () => unknown, RegExp][] = [
    // lib/split.ts
    ["kFold k negative", () => kFold(10, { k: -2 }), /kFold: k must be an integer in \[2, nSamples = 10\], got -2/],
    ["kFold k 0", () => kFold(10, { k: 0 }), /k must be an integer/],
    ["kFold k 1", () => kFold(10, { k: 1 }), /k must be an integer/],
    ["kFold k NaN", () => kFold(10, { k: NaN }), /k must be an integer/],
    ["kFold k > n", () => kFold(10, { k: 11 }), /k must be an integer in \[2, nSamples = 10\], got 11/],
    ["kFold seed 0.5", () => kFold(10, { k: 2, shuffle: true, seed: 0.5 }), /kFold: seed must be an integer, got 0.5/],
    ["kFold shuffle without seed", () => kFold(10, { k: 2, shuffle: true }), /shuffle: true needs a seed/],
    ["kFold stratified, k above every class size", () => kFold(6, { k: 4, stratify: [0, 0, 0, 1, 1, 1] }), /k = 4 is greater than the number of members of every class/],
    ["kFold stratify NaN label", () => kFold(4, { k: 2, stratify: [0, NaN, 0, 1] }), /kFold: stratify\[1\] is NaN, not a finite number or a string/],
    ["kFold nSamples 1", () => kFold(1, { k: 2 }), /nSamples must be an integer ≥ 2, got 1/],
    ["trainTestSplit testFraction 0", () => trainTestSplit(10, { testFraction: 0, seed: 0 }), /testFraction must be in \(0, 1\), got 0/],
    ["trainTestSplit testFraction 1", () => trainTestSplit(10, { testFraction: 1, seed: 0 }), /testFraction must be in \(0, 1\), got 1/],
    ["trainTestSplit testFraction -0.2", () => trainTestSplit(10, { testFraction: -0.2, seed: 0 }), /testFraction must be in \(0, 1\)/],
    ["trainTestSplit testFraction 1.5", () => trainTestSplit(10, { testFraction: 1.5, seed: 0 }), /testFraction must be in \(0, 1\)/],
    ["trainTestSplit testFraction NaN", () => trainTestSplit(10, { testFraction: NaN, seed: 0 }), /testFraction must be in \(0, 1\)/],
    ["trainTestSplit leaves an empty part", () => trainTestSplit(3, { testFraction: 0.1, seed: 0 }), /leaves an empty part/],
    ["trainTestSplit nSamples 2.5", () => trainTestSplit(2.5, { testFraction: 0.5, seed: 0 }), /nSamples must be an integer ≥ 2/],
    ["trainTestSplit seed NaN", () => trainTestSplit(10, { testFraction: 0.5, seed: NaN }), /trainTestSplit: seed must be an integer, got NaN/],
    ["trainTestSplit stratify length", () => trainTestSplit(10, { testFraction: 0.5, seed: 0, stratify: [0, 1] }), /stratify has 2 labels for 10 samples/],
    ["Random seed 1.5", () => new Random(1.5), /seed must be an integer/],
    // lib/ml/kmeans.ts
    ["KMeans nClusters 0", () => new kmeans.KMeans({ nClusters: 0 }), /nClusters must be an integer ≥ 1, got 0/],
    ["KMeans nClusters -3", () => new kmeans.KMeans({ nClusters: -3 }), /nClusters must be an integer ≥ 1/],
    ["KMeans nClusters 2.5", () => new kmeans.KMeans({ nClusters: 2.5 }), /nClusters must be an integer ≥ 1/],
    ["KMeans nClusters > n samples", () => new kmeans.KMeans({ nClusters: 7 }).fit(X), /nClusters must be ≤ the number of samples \(6\), got 7/],
    ["KMeans init rows ≠ nClusters", () => new kmeans.KMeans({ nClusters: 2, init: [[0, 0]] }), /init must be 2 rows/],
    ["KMeans init wrong width", () => new kmeans.KMeans({ nClusters: 1, init: [[0, 0, 0]] }).fit(X), /init has 3 features/],
    ["KMeans nInit 0", () => new kmeans.KMeans({ nInit: 0 }), /nInit must be "auto" or an integer ≥ 1/],
    ["KMeans maxIter 0", () => new kmeans.KMeans({ maxIter: 0 }), /maxIter must be an integer ≥ 1/],
    ["KMeans tol -1", () => new kmeans.KMeans({ tol: -1 }), /tol must be ≥ 0/],
    ["kmeansPlusPlus nClusters > n", () => kmeans.kmeansPlusPlus(X, 7, new Random(0)), /nClusters must be an integer in 1…6/],
    // lib/ml/tree.ts, forest.ts
    ["tree maxDepth -1", () => new tree.DecisionTreeClassifier({ maxDepth: -1 }), /maxDepth must be null or an integer ≥ 0/],
    ["tree minSamplesSplit 1", () => new tree.DecisionTreeClassifier({ minSamplesSplit: 1 }), /minSamplesSplit must be an integer ≥ 2/],
    ["tree minSamplesLeaf 0", () => new tree.DecisionTreeClassifier({ minSamplesLeaf: 0 }), /minSamplesLeaf must be an integer ≥ 1/],
    ["tree criterion", () => new tree.DecisionTreeClassifier({ criterion: "mse" as "gini" }), /criterion must be "gini" or "entropy"/],
    ["tree maxFeatures 0", () => new tree.DecisionTreeClassifier({ maxFeatures: 0 }).fit(X, y), /maxFeatures/],
    ["forest nEstimators 0", () => new forest.RandomForestClassifier({ nEstimators: 0 }), /nEstimators must be an integer ≥ 1/],
    ["forest oobScore without bootstrap", () => new forest.RandomForestClassifier({ oobScore: true, bootstrap: false }), /oobScore must be false when bootstrap is false/],
    // lib/ml/svm.ts, linear.ts
    ["LinearSVC C 0", () => new svm.LinearSVC({ C: 0 }), /C must be a finite number > 0/],
    ["SVC C -1", () => new svm.SVC({ C: -1 }), /C must be a finite number > 0/],
    ["SVC gamma -1", () => new svm.SVC({ gamma: -1 }), /gamma must be "scale", "auto" or a number > 0/],
    ["SVC kernel", () => new svm.SVC({ kernel: "poly" as "rbf" }), /kernel must be "linear" or "rbf"/],
    ["Ridge alpha -1", () => new linear.Ridge({ alpha: -1 }), /alpha must be a finite number ≥ 0/],
    ["Lasso alpha 0", () => new linear.Lasso({ alpha: 0 }), /alpha must be a finite number > 0/],
    ["LogisticRegression C 0", () => new linear.LogisticRegression({ C: 0 }), /C must be > 0/],
    ["LogisticRegression sampleWeight -1", () => new linear.LogisticRegression().fit(X, y, [1, -1, 1, 1, 1, 1]), /sampleWeight\[1\] must be ≥ 0/],
    ["LogisticRegression classWeight typo", () => new linear.LogisticRegression({ classWeight: "balance" as "balanced" }).fit(X, y), /classWeight must be "balanced" or a record/],
    ["LogisticRegression classWeight for an absent class", () => new linear.LogisticRegression({ classWeight: { 0: 1, 3: 2 } }).fit(X, y), /classWeight must be weights for classes of y only \(0, 1\), got "\{ 3 \}"/],
    ["computeClassWeight negative", () => imbalance.computeClassWeight({ 0: -1, 1: 1 }, y), /classWeight\[0\] must be a finite number ≥ 0/],
    // lib/ml/naive-bayes.ts, preprocessing.ts, imbalance.ts, losses
    ["GaussianNB varSmoothing -1", () => new naiveBayes.GaussianNB({ varSmoothing: -1 }), /varSmoothing must be a finite number ≥ 0/],
    ["GaussianNB varSmoothing Infinity", () => new naiveBayes.GaussianNB({ varSmoothing: Infinity }), /varSmoothing must be a finite number ≥ 0/],
    ["MultinomialNB alpha -1", () => new naiveBayes.MultinomialNB({ alpha: -1 }), /alpha must be a finite number ≥ 0/],
    ["MultinomialNB negative count", () => new naiveBayes.MultinomialNB().fit([[1, -1], [0, 1]], [0, 1]), /X\[0\]\[1\] must be a non-negative count/],
    ["CategoricalNB minCategories length", () => new naiveBayes.CategoricalNB({ minCategories: [2, 2, 2] }).fit(X, y), /minCategories must be one number per feature \(2\)/],
    ["CategoricalNB non-category", () => new naiveBayes.CategoricalNB().fit([[0.5], [1]], [0, 1]), /X\[0\]\[0\] must be a category code/],
    ["MinMaxScaler featureRange reversed", () => new preprocessing.MinMaxScaler({ featureRange: [1, 0] }), /featureRange must be \[low, high\]/],
    ["MinMaxScaler featureRange infinite", () => new preprocessing.MinMaxScaler({ featureRange: [0, Infinity] }), /featureRange must be \[low, high\] of finite numbers/],
    ["MinMaxScaler featureRange NaN", () => new preprocessing.MinMaxScaler({ featureRange: [NaN, 1] }), /featureRange must be \[low, high\] of finite numbers/],
    ["PolynomialFeatures degree -1", () => new preprocessing.PolynomialFeatures({ degree: -1 }), /degree must be an integer ≥ 0/],
    ["PolynomialFeatures degree 1.5", () => new preprocessing.PolynomialFeatures({ degree: 1.5 }), /degree must be an integer ≥ 0/],
    ["SMOTE kNeighbors 0", () => new imbalance.SMOTE({ kNeighbors: 0 }), /kNeighbors must be an integer ≥ 1/],
    ["SMOTE class smaller than kNeighbors", () => new imbalance.SMOTE({ kNeighbors: 3 }).fitResample(X, [0, 0, 0, 0, 1, 1]), /class 1 has 2 samples, needs more than kNeighbors = 3/],
    ["resampler with one class", () => new imbalance.RandomOverSampler().fitResample(X, [1, 1, 1, 1, 1, 1]), /y must contain at least 2 classes/],
    ["binaryFocalLoss gamma -1", () => imbalance.binaryFocalLoss({ gamma: -1 }), /gamma must be a finite number ≥ 0/],
    ["binaryFocalLoss alpha 1.5", () => imbalance.binaryFocalLoss({ alpha: 1.5 }), /alpha must be in \[0, 1\]/],
    ["huberLoss delta 0", () => huberLoss(0), /delta must be > 0/],
  ];
  for (const [name, call, message] of cases) assert.throws(call, message, name);
});
