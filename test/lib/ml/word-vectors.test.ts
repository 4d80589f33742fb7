import { test } from "node:test";
import * as assert from "node:assert/strict";
import { ppmiWordVectors } from "../../../lib/ml/word-vectors";

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} vs ${expected}`);

test("PPMI by hand: counts of distinct words per document, log(c_ab·total / (c_a·c_b)), 0 without co-occurrence", () => {
  // a–b co-occur twice, c–d once: row sums a 2, b 2, c 1, d 1, total 6.
  const { vocabulary, ppmi } = ppmiWordVectors(["a b", "b a a", "c d"], 2);
  assert.deepEqual(vocabulary, ["a", "b", "c", "d"]);
  close(ppmi[0]![1]!, Math.log((2 * 6) / (2 * 2)), "PPMI(a, b)");
  close(ppmi[2]![3]!, Math.log((1 * 6) / (1 * 1)), "PPMI(c, d)");
  assert.deepEqual([ppmi[0]![0], ppmi[0]![2], ppmi[1]![3], ppmi[3]![3]], [0, 0, 0, 0]);
  // Negative PMI is clipped: pairs a–b 3, a–c 1, b–c 1, c–d 2; row sums a 4, b 4, c 4, d 2; total 14.
  const negative = ppmiWordVectors(["a b c", "a b", "a b", "c d", "c d"], 3).ppmi
  assert.ok(Math.log((1 * 14) / (4 * 4)) < 0 && negative[0]![2] === 0, "a negative PMI is clipped to 0");
});

test("word vectors: same company → same vector; unrelated topics → orthogonal; Σ‖u_i·√s‖² = nuclear norm", () => {
  // a and b each occur only with x (identical PPMI rows); c, d only with each other.
  const words = ppmiWordVectors(["a x", "b x", "a x", "b x", "c d"], 4);
  const vec = (w: string) => words.vectors[words.index.get(w)!]!;
  vec("a").forEach((v, k) => close(v, vec("b")[k]!, `component ${k} of a and b`));
  close(vec("a").reduce((s, v, k) => s + v * vec("c")[k]!, 0), 0, "a · c");
  // Σ_i ‖vector_i‖² = Σ_k s_k, the nuclear norm; PPMI here is symmetric, so it is Σ |eigenvalues|: the block
  // {a, b, x} = L·[[0,0,1],[0,0,1],[1,1,0]] with L = log 3 has eigenvalues ±√2·L, the block {c, d} ±log 6.
  const full = ppmiWordVectors(["a x", "b x", "c d"], 5);
  const normSum = full.vectors.reduce((s, v) => s + v.reduce((t, x) => t + x * x, 0), 0);
  assert.ok(Math.abs(normSum - (2 * Math.SQRT2 * Math.log(3) + 2 * Math.log(6))) < 1e-9, `nuclear norm ${normSum}`);
});

test("clear errors name the argument", () => {
  assert.throws(() => ppmiWordVectors([], 1), /documents must not be empty/);
  assert.throws(() => ppmiWordVectors(["a b"], 3), /dimensions must be an integer in 1..2/);
  assert.throws(() => ppmiWordVectors(["a", "b"], 1), /nothing co-occurs/);
});
