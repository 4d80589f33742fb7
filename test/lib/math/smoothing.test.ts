import { test } from "node:test";
import * as assert from "node:assert/strict";
import { movingAverage } from "../../../lib/math/smoothing";

test("movingAverage: trailing means by hand, shorter windows at the start", () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4, 5], 2), [1, 1.5, 2.5, 3.5, 4.5]);
  assert.deepEqual(movingAverage([3, 6, 9], 5), [3, 4.5, 6]);
  assert.deepEqual(movingAverage([], 3), []);
  const xs = Array.from({ length: 50 }, (_, i) => Math.sin(i));
  movingAverage(xs, 7).forEach((m, i) => {
    const slice = xs.slice(Math.max(0, i - 6), i + 1);
    assert.ok(Math.abs(m - slice.reduce((a, b) => a + b, 0) / slice.length) < 1e-12);
  });
  assert.throws(() => movingAverage([1], 0), /window/);
});
