import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Lasso, LinearRegression, LogisticRegression, Ridge } from "../../../lib/ml/linear";
import { NotFittedError } from "../../../lib/ml/base";
import { matMul, matVec, solve, svd, transpose } from "../../../lib/math/linalg";
import { makeBlobs, makeMoons, makeRegression, makeXor } from "../../../lib/datasets";
import { PolynomialFeatures } from "../../../lib/ml/preprocessing";
import { numericalGradient } from "../../../lib/math/gradcheck";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

/** scikit-learn 1.2.1 fits: test/fixtures/sklearn/linear-models.py. */
const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "linear-models.json"), "utf8"));
interface Case {
  X: number[][];
  y: number[];
  params: Record<string, number | boolean>;
  fitted: { coef: number[] | number[][]; intercept: number[]; classes?: number[]; proba?: number[][] };
}
const cases: Record<string, Case> = fixture.cases;

const assertClose = (actual: number[], expected: number[], tol: number, label: string) => {
  assert.equal(actual.length, expected.length, `${label}: length`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)), `${label}[${i}]: ${v} vs ${expected[i]}`));
};

test("LinearRegression and Ridge match scikit-learn, including the minimum-norm fit of collinear columns", () => {
  for (const [name, make] of [
    ["linearRegression", () => new LinearRegression()],
    ["linearRegressionRankDeficient", () => new LinearRegression()],
    ["ridge", () => new Ridge({ alpha: 2.5 })],
    ["ridgeNoIntercept", () => new Ridge({ alpha: 0.7, fitIntercept: false })],
  ] as const) {
    const { X, y, fitted } = cases[name]!;
    const model = make().fit(X, y);
    assertClose(model.coef_!, fitted.coef as number[], 1e-10, `${name} coef_`);
    assertClose([model.intercept_!], fitted.intercept, 1e-10, `${name} intercept_`);
  }
});

test("Ridge equals the closed form (XᵀX + αI)⁻¹Xᵀy on centred data, and gradient descent converges to it", () => {
  const { X, y } = makeRegression({ nSamples: 40, nFeatures: 5, noise: 0.5, bias: 3, seed: 1 });
  const alpha = 4;
  const model = new Ridge({ alpha }).fit(X, y);
  const xMean = X[0]!.map((_, j) => X.reduce((s, r) => s + r[j]!, 0) / X.length);
  const yMean = y.reduce((s, v) => s + v, 0) / y.length;
  const Xc = X.map((r) => r.map((v, j) => v - xMean[j]!));
  const yc = y.map((v) => v - yMean);
  const gram = matMul(transpose(Xc), Xc).map((row, i) => row.map((v, j) => v + (i === j ? alpha : 0)));
  assertClose(model.coef_!, solve(gram, matVec(transpose(Xc), yc)), 1e-12, "closed form");
  // Gradient descent on ‖y − Xw − b‖² + α‖w‖² (b unpenalised) lands on the same point.
  let w = new Array(5).fill(0);
  let b = 0;
  for (let step = 0; step < 3000; step++) {
    const r = X.map((row, i) => row.reduce((s, v, j) => s + v * w[j]!, b) - y[i]!);
    w = w.map((wj, j) => wj - 0.005 * (2 * X.reduce((s, row, i) => s + row[j]! * r[i]!, 0) + 2 * alpha * wj));
    b -= 0.005 * 2 * r.reduce((s, v) => s + v, 0);
  }
  assertClose(model.coef_!, w, 1e-6, "gradient descent");
  assertClose([model.intercept_!], [b], 1e-6, "intercept");
});

test("LinearRegression on a degree-15 polynomial of 20 points is as exact as its condition number allows", () => {
  const { X, y, fitted } = cases.linearRegressionPolynomial15!;
  const f = fitted as unknown as { grid: number[]; exactTrainPrediction: number[]; exactGridPrediction: number[]; sklearnTrainPrediction: number[] };
  const poly = new PolynomialFeatures({ degree: 15, includeBias: false });
  const features = poly.fitTransform(X);
  const model = new LinearRegression().fit(features, y);
  // The truth is the fixture's exact rational-arithmetic fit. Centred, these features have condition number
  // κ ≈ 1e12, so any float64 solver's fitted curve can be off by about ε·κ·max|ŷ| (scikit-learn's is 4e-6).
  const means = features[0]!.map((_, j) => features.reduce((sum, row) => sum + row[j]!, 0) / features.length);
  const { s } = svd(features.map((row) => row.map((v, j) => v - means[j]!)));
  const kappa = s[0]! / s[s.length - 1]!;
  assert.ok(kappa > 1e11 && kappa < 1e13, `κ = ${kappa}`);
  const relativeError = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(...b.map(Math.abs));
  const bound = Number.EPSILON * kappa;
  assert.ok(relativeError(model.predict(features), f.exactTrainPrediction) < bound);
  assert.ok(relativeError(model.predict(poly.transform(f.grid.map((x) => [x]))), f.exactGridPrediction) < bound);
  assert.ok(relativeError(f.sklearnTrainPrediction, f.exactTrainPrediction) < bound, "scikit-learn meets the same bound");
});

test("Lasso matches scikit-learn, with exact zeros where scikit-learn has them", () => {
  for (const name of ["lasso0.05", "lasso0.5"]) {
    const { X, y, params, fitted } = cases[name]!;
    const model = new Lasso({ alpha: params.alpha as number, tol: 1e-12, maxIter: 100000 }).fit(X, y);
    assertClose(model.coef_!, fitted.coef as number[], 1e-12, `${name} coef_`);
    assertClose([model.intercept_!], fitted.intercept, 1e-12, `${name} intercept_`);
    (fitted.coef as number[]).forEach((c, j) => assert.equal(model.coef_![j] === 0, c === 0, `${name}: zero pattern at ${j}`));
  }
});

test("Lasso's solution satisfies the KKT conditions: (1/n)xⱼᵀr = α·sign(wⱼ) if wⱼ ≠ 0, |·| ≤ α if wⱼ = 0", () => {
  const { X, y, coef } = makeRegression({ nSamples: 60, nFeatures: 20, nInformative: 3, noise: 1, seed: 2 });
  const alpha = 0.5;
  const model = new Lasso({ alpha, tol: 1e-12, maxIter: 10000 }).fit(X, y);
  const r = model.predict(X).map((p, i) => y[i]! - p);
  model.coef_!.forEach((w, j) => {
    const correlation = X.reduce((s, row, i) => s + row[j]! * r[i]!, 0) / X.length;
    if (w !== 0) assert.ok(Math.abs(correlation - alpha * Math.sign(w)) < 1e-9, `active ${j}: ${correlation}`);
    else assert.ok(Math.abs(correlation) <= alpha + 1e-9, `inactive ${j}: ${correlation}`);
  });
  assert.ok(model.dualGap_! >= -1e-9 && model.dualGap_! < 1e-9);
  // The support is the true one: 3 informative features, every other coefficient exactly zero.
  assert.deepEqual(model.coef_!.map((w) => w !== 0), coef.map((c) => c !== 0));
  assert.ok(new Ridge({ alpha: 1 }).fit(X, y).coef_!.every((w) => w !== 0), "ridge has no exact zeros");
});

test("LogisticRegression matches scikit-learn: binary (labels 3/7, two C values) and multinomial", () => {
  for (const name of ["logisticBinaryC1.0", "logisticBinaryC0.05", "logisticMultinomial"]) {
    const { X, y, params, fitted } = cases[name]!;
    const model = new LogisticRegression({ C: params.C as number, tol: 1e-10, maxIter: 1000 }).fit(X, y);
    assert.ok(model.converged_, `${name} converged`);
    assert.deepEqual(model.classes_, fitted.classes);
    // The fixture comes from Newton solvers whose gradient is ≤ 1.4e-9 (recorded in it): agreement to 1e-8.
    assertClose(model.coef_!.flat(), (fitted.coef as number[][]).flat(), 1e-8, `${name} coef_`);
    // Multinomial intercepts are defined up to a common shift (softmax ignores it): compare centred.
    const centre = (v: number[]) => v.map((x) => x - (v.length > 1 ? v.reduce((s, e) => s + e, 0) / v.length : 0));
    assertClose(centre(model.intercept_!), centre(fitted.intercept), 1e-8, `${name} intercept_`);
    assertClose(model.predictProba(X.slice(0, 5)).flat(), fitted.proba!.flat(), 1e-9, `${name} predictProba`);
  }
});

test("LogisticRegression: the objective's gradient vanishes at the fit (finite differences of C·Σ log-loss + ½‖W‖²)", () => {
  const { X, y } = makeBlobs({ nSamples: 90, centers: [[0, 0], [2, 1], [0, 2]], clusterStd: 1, seed: 3 });
  const C = 2;
  for (const labels of [y, y.map((v) => (v === 2 ? 1 : v))]) {
    const model = new LogisticRegression({ C, tol: 1e-10, maxIter: 1000 }).fit(X, labels);
    const nRows = model.coef_!.length;
    const theta = model.coef_!.flatMap((w, k) => [...w, model.intercept_![k]!]);
    const objective = (t: number[]) => {
      const rows = Array.from({ length: nRows }, (_, k) => t.slice(k * 3, k * 3 + 3));
      const logLoss = X.reduce((s, x, i) => {
        const z = rows.map((p) => p[0]! * x[0]! + p[1]! * x[1]! + p[2]!);
        const k = model.classes_!.indexOf(labels[i]!);
        if (nRows === 1) return s + Math.log1p(Math.exp(-(k === 1 ? 1 : -1) * z[0]!));
        return s + Math.log(z.reduce((t2, v) => t2 + Math.exp(v), 0)) - z[k]!;
      }, 0);
      return C * logLoss + 0.5 * rows.reduce((s, p) => s + p[0]! ** 2 + p[1]! ** 2, 0);
    };
    const gradient = numericalGradient(objective, theta);
    assert.ok(gradient.every((g) => Math.abs(g) < 1e-5), `gradient ${gradient}`);
  }
});

test("LogisticRegression: linear models cannot solve XOR (≤ 75 %), do well on moons, probabilities sum to 1", () => {
  const xor = makeXor({ nSamples: 4, seed: 0, shuffle: false });
  const xorModel = new LogisticRegression({ C: 1e6, maxIter: 1000 }).fit(xor.X, xor.y);
  assert.ok(xorModel.score(xor.X, xor.y) <= 0.75);
  const moons = makeMoons({ nSamples: 200, noise: 0.1, seed: 0 });
  const model = new LogisticRegression().fit(moons.X, moons.y);
  assert.ok(model.score(moons.X, moons.y) > 0.8);
  model.predictProba(moons.X).forEach((p) => assert.ok(Math.abs(p[0]! + p[1]! - 1) < 1e-15));
  const scores = model.decisionFunction(moons.X) as number[];
  assert.deepEqual(model.predict(moons.X), scores.map((s) => (s > 0 ? 1 : 0)));
});

test("linear models refuse unfitted use, wrong shapes and bad hyper-parameters, naming them", () => {
  for (const model of [new LinearRegression(), new Ridge(), new Lasso(), new LogisticRegression()]) {
    assert.throws(() => model.predict([[1, 2]]), NotFittedError);
  }
  const X = [[0, 1], [1, 0], [1, 1], [0, 0]];
  const y = [0, 1, 1, 0];
  assert.throws(() => new Ridge().fit(X, y).predict([[1]]), /X has 1 features, but the estimator was fitted with 2/);
  assert.throws(() => new LinearRegression().fit(X, [1, 2]), /y has 2 entries but X has 4 rows/);
  assert.throws(() => new Ridge({ alpha: -1 }), /alpha must be a finite number ≥ 0, got -1/);
  assert.throws(() => new Lasso({ alpha: 0 }), /alpha must be a finite number > 0 \(use LinearRegression for 0\), got 0/);
  assert.throws(() => new LogisticRegression({ C: 0 }), /C must be > 0 \(Infinity for no penalty\), got 0/);
  assert.throws(() => new LogisticRegression().fit(X, [1, 1, 1, 1]), /y must contain at least 2 classes, got only 1/);
  assert.equal(new LogisticRegression({ maxIter: 1 }).fit(X, [0, 1, 0, 1]).converged_, false);
});
