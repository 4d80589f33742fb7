import { test } from "node:test";
import * as assert from "node:assert/strict";
import { accuracyScore, checkMatrix, checkParam, checkTarget, r2Score, uniqueLabels } from "../../../lib/ml/base";

test("checkMatrix accepts rectangular finite data and names what is wrong otherwise", () => {
  assert.deepEqual(checkMatrix([[1, 2], [3, 4], [5, 6]]), [3, 2]);
  assert.throws(() => checkMatrix([]), /X must be a non-empty array of rows/);
  assert.throws(() => checkMatrix([[1, 2], [3]]), /row 0 has 2 values, row 1 has 1/);
  assert.throws(() => checkMatrix([[1, NaN]]), /X\[0\]\[1\] is NaN, not a finite number/);
  assert.throws(() => checkMatrix([[1, 2]], "Xtest", 3), /Xtest has 2 features, but the estimator was fitted with 3/);
});

test("checkTarget, checkParam and uniqueLabels", () => {
  assert.throws(() => checkTarget([1, 2], 3), /y has 2 entries but X has 3 rows/);
  assert.throws(() => checkParam("C", -1, false, "> 0"), /C must be > 0, got -1/);
  assert.deepEqual(uniqueLabels([2, 0, 2, 1, 0]), [0, 1, 2]);
});

test("accuracy and R² against hand-computed values", () => {
  assert.equal(accuracyScore([0, 1, 1, 0], [0, 1, 0, 0]), 0.75);
  // y = [1, 2, 3], mean 2, SS_tot = 2; prediction [1, 2, 4]: SS_res = 1 → R² = 0.5.
  assert.equal(r2Score([1, 2, 3], [1, 2, 4]), 0.5);
  assert.equal(r2Score([1, 2, 3], [2, 2, 2]), 0);
  assert.throws(() => accuracyScore([1], [1, 2]), /accuracyScore: yTrue has 1 entries but yPred has 2/);
});
