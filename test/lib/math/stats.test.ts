import { test } from "node:test";
import * as assert from "node:assert/strict";
import { meanAndStandardError } from "../../../lib/math/stats";

test("meanAndStandardError: mean and s/√n by hand for 1, 2, 3, 4", () => {
  // mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; s² = 5/3; SE = √(5/3/4).
  const { mean, standardError } = meanAndStandardError([1, 2, 3, 4]);
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(standardError - Math.sqrt(5 / 12)) < 1e-15);
});

test("meanAndStandardError: a constant sample has standard error 0", () => {
  assert.deepEqual(meanAndStandardError([7, 7, 7]), { mean: 7, standardError: 0 });
});

test("meanAndStandardError: rejects fewer than two values and non-finite ones, naming the entry", () => {
  assert.throws(() => meanAndStandardError([1]), /at least 2/);
  assert.throws(() => meanAndStandardError([1, NaN, 2]), /values\[1\]/);
});
