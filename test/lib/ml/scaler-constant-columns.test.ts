/**
 * Constant columns are recognised with a tolerance relative to the column's magnitude (issue 12, item 12):
 * round-off in the mean of a constant column of 0.1 leaves a variance near 1e-34, which must not scale the
 * column to ±1, while a column with a tiny but real spread must still be scaled. Compared with scikit-learn
 * 1.2 (test/fixtures/sklearn/constant-columns.py).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { SKLEARN_FIXTURES } from "../../helpers/paths";
import { join } from "node:path";
import { test } from "node:test";
import { MinMaxScaler, StandardScaler } from "../../../lib/ml/preprocessing";
import { isConstantFeature } from "../../../lib/ml/stats";
import { SVC } from "../../../lib/ml/svm";

interface ColumnCase {
  name: string;
  /** Truly constant (every value equal). */
  constant: boolean;
  /** scikit-learn's StandardScaler left it unscaled. */
  sklearnConstant: boolean;
  column: number[];
  standardized: number[];
  minMax: number[];
}

const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "constant-columns.json"), "utf8")) as {
  sklearn: string;
  columns: ColumnCase[];
  mixed: { X: number[][]; scale: number[]; transform: number[][] };
  svcConstantGamma: number;
};

const asMatrix = (column: number[]) => column.map((v) => [v]);
const spreadOf = (values: number[]) => Math.max(...values) - Math.min(...values);

test(`StandardScaler leaves exactly the columns scikit-learn ${fixture.sklearn} calls constant unscaled (${fixture.columns.length} columns)`, () => {
  for (const c of fixture.columns) {
    const scaler = new StandardScaler().fit(asMatrix(c.column));
    const z = scaler.transform(asMatrix(c.column)).map((row) => row[0]!);
    const n = c.column.length;
    if (c.sklearnConstant) {
      assert.equal(scaler.scale_![0], 1, `${c.name}: scale_ 1 (constant), got ${scaler.scale_![0]}`);
      // What is left is the round-off of the mean, bounded by n·eps·|value|; never ±1.
      const bound = n * Number.EPSILON * Math.max(...c.column.map(Math.abs));
      for (const v of z) assert.ok(Math.abs(v) <= bound, `${c.name}: |z| = ${Math.abs(v)} > n·eps·|x| = ${bound}`);
    } else {
      assert.notEqual(scaler.scale_![0], 1, `${c.name}: a real spread of ${spreadOf(c.column)} must be scaled`);
      // Standardised: population mean 0 and variance 1, and the same values as scikit-learn, up to the
      // rounding of the mean itself to a double (half an ulp of |mean|, in units of the spread).
      const mean = z.reduce((s, v) => s + v, 0) / n;
      const variance = z.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
      const meanRounding = (Number.EPSILON * Math.abs(scaler.mean_![0]!)) / scaler.scale_![0]!;
      assert.ok(Math.abs(mean) <= 1e-9 + meanRounding && Math.abs(variance - 1) < 1e-9, `${c.name}: mean ${mean}, variance ${variance}`);
      z.forEach((v, i) => assert.ok(Math.abs(v - c.standardized[i]!) <= 1e-9 + meanRounding, `${c.name}[${i}]: ${v} vs scikit-learn ${c.standardized[i]}`));
    }
    // Round trip, up to a few roundings of the column's magnitude.
    const back = scaler.inverseTransform(z.map((v) => [v])).map((row) => row[0]!);
    const magnitude = Math.max(...c.column.map(Math.abs));
    back.forEach((v, i) => assert.ok(Math.abs(v - c.column[i]!) <= 8 * Number.EPSILON * magnitude, `${c.name}: inverse ${v} vs ${c.column[i]}`));
  }
});

test("the fixture holds constant columns of many magnitudes and real spreads far below them", () => {
  const constant = fixture.columns.filter((c) => c.constant);
  const spread = fixture.columns.filter((c) => !c.constant && !c.sklearnConstant);
  for (const value of [0.1, 1e10, 1e-10, 0]) assert.ok(constant.some((c) => c.column[0] === value), `a constant column of ${value}`);
  assert.ok(constant.every((c) => c.sklearnConstant), "scikit-learn calls every truly constant column constant");
  assert.ok(spread.some((c) => spreadOf(c.column) / Math.abs(c.column[0]!) < 1e-10), "a real spread below 1e-10 of the magnitude");
  assert.ok(spread.some((c) => Math.abs(c.column[0]!) < 1e-100), "a real spread among values below 1e-100");
});

/**
 * scikit-learn's MinMaxScaler calls a range below 10·eps (absolute) constant, so a real range of 4.9e-19 is not
 * scaled there; ours scales every non-zero range (max − min is exact, so only equal values give 0).
 */
test("MinMaxScaler: constant columns map to the low end of featureRange, tiny real ranges to the whole range", () => {
  for (const c of fixture.columns) {
    const scaler = new MinMaxScaler({ featureRange: [-1, 2] }).fit(asMatrix(c.column));
    const out = scaler.transform(asMatrix(c.column)).map((row) => row[0]!);
    if (c.constant) out.forEach((v) => assert.equal(v, -1, `${c.name}: ${v}`));
    else {
      assert.ok(Math.abs(Math.min(...out) + 1) < 1e-9 && Math.abs(Math.max(...out) - 2) < 1e-9, `${c.name}: range [${Math.min(...out)}, ${Math.max(...out)}]`);
    }
    // The closed form low + (x − min)/(max − min)·(high − low); x − min and max − min are exact here.
    const [min, max] = [Math.min(...c.column), Math.max(...c.column)];
    out.forEach((v, i) => {
      const exact = c.constant ? -1 : -1 + ((c.column[i]! - min) / (max - min)) * 3;
      assert.ok(Math.abs(v - exact) <= 1e-12, `${c.name}[${i}]: ${v} vs closed form ${exact}`);
    });
    // scikit-learn computes x·scale_ + min_, which loses digits to cancellation when the range is tiny against
    // the values: compare within that error.
    if (c.constant || spreadOf(c.column) >= 10 * Number.EPSILON) {
      const cancellation = 4 * Number.EPSILON * Math.max(...c.column.map(Math.abs)) * (3 / (max - min || 1));
      out.forEach((v, i) => assert.ok(Math.abs(v - c.minMax[i]!) <= 1e-12 + cancellation, `${c.name}[${i}]: ${v} vs scikit-learn ${c.minMax[i]}`));
    }
  }
});

test("StandardScaler on constant columns of 0.1, 1e10 and 1e-10 beside ordinary ones equals scikit-learn", () => {
  const { X, scale, transform } = fixture.mixed;
  const scaler = new StandardScaler().fit(X);
  scaler.scale_!.forEach((s, j) => assert.equal(s === 1, scale[j] === 1, `column ${j}: scale ${s}, scikit-learn ${scale[j]}`));
  scaler.transform(X).forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - transform[i]![j]!) <= 1e-9, `[${i}][${j}]: ${v} vs ${transform[i]![j]}`)));
});

test("isConstantFeature is scikit-learn's bound var ≤ n·eps·var + (n·mean·eps)²", () => {
  const eps = Number.EPSILON;
  // On both sides of the bound for a column of mean 0.1 and n = 100.
  const bound = (100 * 0.1 * eps) ** 2 / (1 - 100 * eps);
  assert.equal(isConstantFeature(bound * 0.99, 0.1, 100), true);
  assert.equal(isConstantFeature(bound * 1.01, 0.1, 100), false);
  assert.equal(isConstantFeature(0, 0, 5), true);
  assert.equal(isConstantFeature(1e-300, 0, 5), false, "a column of mean 0 has no round-off to excuse");
});

test("SVC gamma 'scale' on a constant X is 1, not the inverse of round-off", () => {
  const svc = new SVC({ kernel: "rbf", gamma: "scale" }).fit(
    Array.from({ length: 6 }, () => [0.1, 0.1]),
    [0, 1, 0, 1, 0, 1],
  );
  assert.equal(svc.gamma_, 1);
  // scikit-learn 1.2 tests X.var() != 0 exactly and gets the inverse of round-off here.
  assert.ok(fixture.svcConstantGamma > 1e30);
});
