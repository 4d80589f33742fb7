import { test } from "node:test";
import * as assert from "node:assert/strict";
import { kFold, take, trainTestSplit } from "../../lib/split";

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

/** Every index in exactly one test fold, each train set the complement of its test fold. */
function assertPartition(folds: { train: number[]; test: number[] }[], n: number): void {
  const all = Array.from({ length: n }, (_, i) => i);
  assert.deepEqual(folds.flatMap((f) => f.test).sort((a, b) => a - b), all);
  for (const { train, test: held } of folds) assert.deepEqual([...train, ...held].sort((a, b) => a - b), all);
}

test("kFold: the test folds partition the indices, sizes differ by ≤ 1, contiguous without shuffling", () => {
  for (const [n, k] of [[10, 3], [7, 7], [100, 5], [23, 4]] as const) {
    const folds = kFold(n, { k });
    assert.equal(folds.length, k);
    assertPartition(folds, n);
    const sizes = folds.map((f) => f.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  }
  // scikit-learn's KFold(3) on 10 samples: [0..3], [4..6], [7..9]
  assert.deepEqual(kFold(10, { k: 3 }).map((f) => f.test), [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]);
});

test("kFold shuffled: still a partition, deterministic under the seed, different across seeds", () => {
  const a = kFold(50, { k: 5, shuffle: true, seed: 1 });
  assertPartition(a, 50);
  assert.deepEqual(a, kFold(50, { k: 5, shuffle: true, seed: 1 }));
  assert.notDeepEqual(a, kFold(50, { k: 5, shuffle: true, seed: 2 }));
  assert.notDeepEqual(a, kFold(50, { k: 5 }));
});

test("kFold stratified: each class's count per fold differs by ≤ 1, total sizes too", () => {
  const labels = [...new Array(37).fill("a"), ...new Array(11).fill("b"), ...new Array(5).fill("c")];
  for (const shuffle of [false, true]) {
    const folds = kFold(labels.length, { k: 4, shuffle, seed: 3, stratify: labels });
    assertPartition(folds, labels.length);
    for (const cls of ["a", "b", "c"]) {
      const perFold = folds.map((f) => f.test.filter((i) => labels[i] === cls).length);
      assert.ok(Math.max(...perFold) - Math.min(...perFold) <= 1, `class ${cls}: ${perFold}`);
    }
    const sizes = folds.map((f) => f.test.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
  }
});

test("kFold: bad arguments are named", () => {
  assert.throws(() => kFold(5, { k: 6 }), /k must be an integer in \[2, nSamples = 5\], got 6/);
  assert.throws(() => kFold(5, { k: 1.5 }), /got 1.5/);
  assert.throws(() => kFold(5, { k: 2, shuffle: true }), /shuffle: true needs a seed/);
  assert.throws(() => kFold(5, { k: 2, stratify: [0, 1] }), /stratify has 2 labels for 5 samples/);
});
