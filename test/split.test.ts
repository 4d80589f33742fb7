import { test } from "node:test";
import * as assert from "node:assert/strict";
import { take, trainTestSplit } from "../lib/split";

test("the split is a partition of all indices with the requested size", () => {
  const { train, test: held } = trainTestSplit(100, { testFraction: 0.2, seed: 0 });
  assert.equal(held.length, 20);
  assert.deepEqual([...train, ...held].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
});

test("stratified: each class keeps its proportion in the test part", () => {
  const labels = [...new Array(90).fill(0), ...new Array(10).fill(1)];
  const { test: held } = trainTestSplit(100, { testFraction: 0.3, seed: 1, stratify: labels });
  assert.equal(held.filter((i) => labels[i] === 1).length, 3);
  assert.equal(held.filter((i) => labels[i] === 0).length, 27);
});

test("same seed, same split; another seed, another split", () => {
  const a = trainTestSplit(50, { testFraction: 0.5, seed: 3 });
  assert.deepEqual(a, trainTestSplit(50, { testFraction: 0.5, seed: 3 }));
  assert.notDeepEqual(a, trainTestSplit(50, { testFraction: 0.5, seed: 4 }));
});

test("bad arguments are named", () => {
  assert.throws(() => trainTestSplit(10, { testFraction: 1, seed: 0 }), /testFraction must be in \(0, 1\), got 1/);
  assert.throws(() => trainTestSplit(10, { testFraction: 0.5, seed: 0, stratify: [1, 2] }), /2 labels for 10 samples/);
  assert.throws(() => trainTestSplit(3, { testFraction: 0.01, seed: 0 }), /empty part/);
  assert.throws(() => take([1, 2], [2]), /index 2 outside 0…1/);
});
