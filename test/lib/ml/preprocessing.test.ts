import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MinMaxScaler, PolynomialFeatures, StandardScaler } from "../../../lib/ml/preprocessing";
import { NotFittedError } from "../../../lib/ml/base";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

/** scikit-learn 1.2.1 reference transforms: test/fixtures/sklearn/preprocessing-transformers.py. */
const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "preprocessing-transformers.json"), "utf8"));
const X: number[][] = fixture.X;

const assertMatrixClose = (actual: number[][] | number[], expected: number[][] | number[], tol: number, label: string) => {
  const a = actual.flat();
  const e = expected.flat();
  assert.equal(a.length, e.length, `${label}: size`);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]!) <= tol * Math.max(1, Math.abs(e[i]!)), `${label}[${i}]: ${v} vs ${e[i]}`));
};

test("PolynomialFeatures matches scikit-learn: powers_, column order, names and values", () => {
  for (const name of ["polynomialDegree2BiasTrue", "polynomialDegree3BiasFalse"]) {
    const ref = fixture.cases[name];
    const poly = new PolynomialFeatures(ref.params).fit(X);
    assert.deepEqual(poly.powers_, ref.powers);
    assert.deepEqual(poly.featureNamesOut(), ref.featureNames);
    assertMatrixClose(poly.transform(X), ref.transform, 1e-12, name);
  }
});

test("PolynomialFeatures on one feature is the Vandermonde matrix; output count is C(n + d, d)", () => {
  const x = [[2], [-0.5], [3]];
  assert.deepEqual(new PolynomialFeatures({ degree: 4 }).fitTransform(x), x.map(([v]) => [1, v!, v! ** 2, v! ** 3, v! ** 4]));
  // monomials of degree ≤ d in n variables: C(n + d, d); n = 3, d = 4 → 35
  assert.equal(new PolynomialFeatures({ degree: 4 }).fit([[1, 2, 3]]).nOutputFeatures_, 35);
  assert.deepEqual(new PolynomialFeatures({ degree: 2 }).fit([[1, 2]]).featureNamesOut(["a", "b"]), ["1", "a", "b", "a^2", "a b", "b^2"]);
});

test("StandardScaler matches scikit-learn (constant column keeps scale 1); transformed columns have mean 0, std 1", () => {
  const ref = fixture.cases.standardScaler;
  const scaler = new StandardScaler().fit(X);
  assertMatrixClose(scaler.mean_!, ref.mean, 1e-14, "mean_");
  assertMatrixClose(scaler.var_!, ref.var, 1e-13, "var_");
  assertMatrixClose(scaler.scale_!, ref.scale, 1e-14, "scale_");
  const Z = scaler.transform(X);
  assertMatrixClose(Z, ref.transform, 1e-13, "transform");
  for (const j of [0, 1]) {
    const column = Z.map((row) => row[j]!);
    const mean = column.reduce((s, v) => s + v, 0) / column.length;
    assert.ok(Math.abs(mean) < 1e-15 && Math.abs(column.reduce((s, v) => s + v * v, 0) / column.length - 1) < 1e-14);
  }
  assertMatrixClose(scaler.inverseTransform(Z), X, 1e-14, "round trip");
  assert.deepEqual(new StandardScaler({ withMean: false, withStd: false }).fitTransform(X), X);
});

test("MinMaxScaler matches scikit-learn; the training range maps exactly onto featureRange", () => {
  const ref = fixture.cases.minMaxScaler;
  const scaler = new MinMaxScaler({ featureRange: [-1, 2] }).fit(X);
  assert.deepEqual(scaler.dataMin_, ref.dataMin);
  assert.deepEqual(scaler.dataMax_, ref.dataMax);
  assertMatrixClose(scaler.scale_!, ref.scale, 1e-14, "scale_");
  assertMatrixClose(scaler.min_!, ref.min, 1e-14, "min_");
  const Z = scaler.transform(X);
  assertMatrixClose(Z, ref.transform, 1e-14, "transform");
  for (const j of [0, 1]) {
    const column = Z.map((row) => row[j]!);
    assert.ok(Math.abs(Math.min(...column) + 1) < 1e-14 && Math.abs(Math.max(...column) - 2) < 1e-14);
  }
  assertMatrixClose(scaler.inverseTransform(Z), X, 1e-14, "round trip");
});

test("transformers refuse unfitted use, wrong column counts and bad parameters, naming them", () => {
  for (const make of [() => new PolynomialFeatures(), () => new StandardScaler(), () => new MinMaxScaler()]) {
    assert.throws(() => make().transform([[1, 2]]), NotFittedError);
    assert.throws(() => make().fit([[1, 2], [3, 4]]).transform([[1, 2, 3]]), /X has 3 features, but the estimator was fitted with 2/);
  }
  assert.throws(() => new PolynomialFeatures({ degree: -1 }), /degree must be an integer ≥ 0, got -1/);
  assert.throws(() => new MinMaxScaler({ featureRange: [1, 0] }), /featureRange must be \[low, high\] of finite numbers with low < high, got "\[1,0\]"/);
  assert.throws(() => new StandardScaler().fit([[1, NaN]]), /X\[0\]\[1\] is NaN/);
  const params = { degree: 3 };
  assert.equal(new PolynomialFeatures(params).params, params, "hyper-parameters stored unchanged");
});
