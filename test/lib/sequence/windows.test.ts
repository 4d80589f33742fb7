import { test } from "node:test";
import * as assert from "node:assert/strict";
import { slidingWindows } from "../../../lib/sequence/windows";

test("each input is `window` consecutive values and its target the next `horizon` values", () => {
  const series = [0, 1, 2, 3, 4, 5];
  assert.deepEqual(slidingWindows(series, 3), {
    X: [[0, 1, 2], [1, 2, 3], [2, 3, 4]],
    y: [[3], [4], [5]],
    targetIndex: [3, 4, 5],
  });
  assert.deepEqual(slidingWindows(series, 2, 2), {
    X: [[0, 1], [1, 2], [2, 3]],
    y: [[2, 3], [3, 4], [4, 5]],
    targetIndex: [2, 3, 4],
  });
  assert.deepEqual(slidingWindows(series, 2, 1, { stride: 2 }).X, [[0, 1], [2, 3]]);
  assert.deepEqual(slidingWindows(series, 5, 1).X, [[0, 1, 2, 3, 4]]);
});

test("windows of a random series: count, targets and indices agree with the series (brute force)", () => {
  const series = Array.from({ length: 57 }, (_, i) => Math.sin(i * 1.7) * 10 + i);
  for (const [window, horizon, stride] of [[20, 1, 1], [7, 3, 2], [1, 1, 5], [50, 7, 3]] as const) {
    const { X, y, targetIndex } = slidingWindows(series, window, horizon, { stride });
    assert.equal(X.length, Math.floor((series.length - window - horizon) / stride) + 1);
    X.forEach((input, i) => {
      const start = i * stride;
      assert.equal(targetIndex[i], start + window);
      input.forEach((v, k) => assert.equal(v, series[start + k]));
      y[i]!.forEach((v, h) => assert.equal(v, series[start + window + h]));
    });
  }
});

test("a series too short for one window, and bad sizes, are named", () => {
  assert.throws(() => slidingWindows([1, 2, 3], 3), /a series of 3 values is too short for one window of 3 inputs and 1 target \(needs 4\)/);
  assert.throws(() => slidingWindows([1, 2, 3], 0), /window must be an integer ≥ 1, got 0/);
  assert.throws(() => slidingWindows([1, 2, 3], 1, 1.5), /horizon must be an integer ≥ 1, got 1\.5/);
  assert.throws(() => slidingWindows([1, 2, 3], 1, 1, { stride: 0 }), /stride must be an integer ≥ 1, got 0/);
  assert.throws(() => slidingWindows([1, NaN, 3], 1), /series\[1\] is NaN, not a finite number/);
  assert.throws(() => slidingWindows("123" as unknown as number[], 1), /series must be an array of numbers, got string/);
});
