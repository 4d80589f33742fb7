import { test } from "node:test";
import * as assert from "node:assert/strict";
import { cosineSimilarity, cosineSimilarityMatrix, nearestNeighbours } from "../../../lib/math/similarity";

test("cosine similarity by hand: 45° gives 1/√2, opposite −1, orthogonal 0, blind to length", () => {
  assert.ok(Math.abs(cosineSimilarity([1, 0], [1, 1]) - Math.SQRT1_2) < 1e-15);
  assert.equal(cosineSimilarity([2, -4], [-1, 2]), -1);
  assert.equal(cosineSimilarity([1, 0, 0], [0, 3, 0]), 0);
  assert.equal(cosineSimilarity([3, 4], [30, 40]), 1);
});

test("cosine similarity refuses the zero vector and mismatched lengths", () => {
  assert.throws(() => cosineSimilarity([0, 0], [1, 2]), /a is the zero vector/);
  assert.throws(() => cosineSimilarity([1, 2], [1, 2, 3]), /a has 2 entries, b has 3/);
  assert.throws(() => cosineSimilarity([], []), /non-empty/);
});

test("similarity matrix and nearest neighbours", () => {
  const vectors = [[1, 0], [0.9, 0.1], [0, 1], [-1, 0]];
  const m = cosineSimilarityMatrix(vectors);
  assert.equal(m[2]![2], 1);
  assert.equal(m[0]![3], -1);
  assert.equal(m[1]![0], m[0]![1]);
  assert.deepEqual(nearestNeighbours(vectors, 0, 2), [1, 2]);
  assert.deepEqual(nearestNeighbours(vectors, 3, 1), [2]);
  assert.throws(() => nearestNeighbours(vectors, 4), /index must be a row in 0..3, got 4/);
  assert.throws(() => nearestNeighbours(vectors, 0, 4), /k must be an integer in 1..3/);
});
