import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { ctcBruteForceLogLikelihood, ctcCollapse, ctcGreedyDecode, ctcLogLikelihood, ctcLoss, ctcMinimumFrames } from "../../../lib/sequence/ctc";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const logSoftmaxRows = (logits: number[][]) => logits.map((row) => {
  const max = Math.max(...row);
  const logZ = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
  return row.map((v) => v - logZ);
});
const randomLogits = (rng: Random, T: number, K: number) => Array.from({ length: T }, () => Array.from({ length: K }, () => 1.5 * rng.normal(0, 1)));

test("collapse merges repeats, then drops blanks", () => {
  assert.deepEqual(ctcCollapse([1, 1, 0, 1, 2, 2]), [1, 1, 2]);
  assert.deepEqual(ctcCollapse([0, 0, 0]), []);
  assert.deepEqual(ctcCollapse([3, 1, 1, 3], 3), [1]);
  assert.equal(ctcMinimumFrames([1, 1, 2, 2, 2]), 5 + 3);
  assert.equal(ctcMinimumFrames([]), 0);
});

test("the forward algorithm equals brute force over all K^T alignments (random cases, repeats, empty and infeasible labels)", () => {
  const rng = new Random(1);
  for (let trial = 0; trial < 60; trial++) {
    const [T, K] = [1 + rng.int(0, 6), 2 + rng.int(0, 2)];
    const labels = Array.from({ length: rng.int(0, 4) }, () => 1 + rng.int(0, K - 1));
    const logProbs = logSoftmaxRows(randomLogits(rng, T, K));
    const forward = ctcLogLikelihood(logProbs, labels);
    const brute = ctcBruteForceLogLikelihood(logProbs, labels);
    if (ctcMinimumFrames(labels) > T) {
      assert.equal(forward, -Infinity, `trial ${trial}: labels that cannot fit have probability 0`);
      assert.equal(brute, -Infinity);
    } else {
      assert.ok(Math.abs(forward - brute) < 1e-10, `trial ${trial} T=${T} K=${K} labels=${labels}: ${forward} vs ${brute}`);
    }
  }
});

test("p(labels | x) over every label sequence sums to 1: each alignment collapses to exactly one", () => {
  const rng = new Random(2);
  const [T, K] = [4, 3];
  const logProbs = logSoftmaxRows(randomLogits(rng, T, K));
  const sequences = new Map<string, number[]>();
  for (let index = 0; index < K ** T; index++) {
    const path = Array.from({ length: T }, (_, t) => Math.floor(index / K ** (T - 1 - t)) % K);
    const labels = ctcCollapse(path);
    sequences.set(labels.join(","), labels);
  }
  const total = [...sequences.values()].reduce((s, labels) => s + Math.exp(ctcLogLikelihood(logProbs, labels)), 0);
  assert.ok(Math.abs(total - 1) < 1e-12, `${total}`);
});

test("the TensorFlow.js loss equals the float64 forward algorithm, with different label and input lengths", () => {
  const rng = new Random(3);
  const [B, T, K] = [4, 7, 4];
  const logits = Array.from({ length: B }, () => randomLogits(rng, T, K));
  const labels = [[1, 2, 3], [2, 2], [], [3, 1, 3, 1, 2]];
  const inputLengths = [7, 5, 3, 7];
  const loss = ctcLoss(tf.tensor3d(logits), labels, { inputLengths }).arraySync() as number;
  const expected = -labels.reduce((s, l, b) => s + ctcLogLikelihood(logSoftmaxRows(logits[b]!.slice(0, inputLengths[b])), l), 0) / B;
  assert.ok(Math.abs(loss - expected) < 1e-4 * Math.abs(expected), `${loss} vs ${expected}`);
});

test("its gradient equals central finite differences of the float64 likelihood", () => {
  const rng = new Random(4);
  const [T, K] = [5, 3];
  const logits = randomLogits(rng, T, K);
  const labels = [1, 2, 2];
  const grad = (tf.grad((x: tf.Tensor) => ctcLoss(x, [labels]))(tf.tensor3d([logits])).arraySync() as number[][][])[0]!;
  const h = 1e-5;
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      const shifted = (delta: number) => -ctcLogLikelihood(logSoftmaxRows(logits.map((row, i) => row.map((v, j) => (i === t && j === k ? v + delta : v)))), labels);
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      assert.ok(Math.abs(grad[t]![k]! - numeric) < 2e-4, `[${t}][${k}]: ${grad[t]![k]} vs ${numeric}`);
    }
  }
});

test("a frame after an example's input length changes nothing", () => {
  const rng = new Random(5);
  const logits = randomLogits(rng, 6, 3);
  const changed = logits.map((row, t) => (t >= 4 ? row.map(() => 10 * rng.normal(0, 1)) : row));
  const [a, b] = [ctcLoss(tf.tensor3d([logits]), [[1, 2]], { inputLengths: [4] }), ctcLoss(tf.tensor3d([changed]), [[1, 2]], { inputLengths: [4] })];
  assert.equal(a.arraySync(), b.arraySync());
});

test("greedy decoding takes the best symbol per frame and collapses", () => {
  const logProbs = logSoftmaxRows([[0, 5, 0], [0, 5, 0], [5, 0, 0], [0, 5, 0], [0, 0, 5]]);
  assert.deepEqual(ctcGreedyDecode(logProbs), [1, 1, 2]);
});

test("bad inputs are named", () => {
  const logProbs = logSoftmaxRows([[0, 0, 0], [0, 0, 0]]);
  assert.throws(() => ctcLogLikelihood(logProbs, [0]), /label 0 is the blank \(0\); labels never contain it/);
  assert.throws(() => ctcLogLikelihood(logProbs, [3]), /label 0 is 3, not a symbol in \[0, 3\)/);
  assert.throws(() => ctcLogLikelihood([[0.5, 0.5]], [1]), /frame 0 is not log-probabilities/);
  assert.throws(() => ctcLoss(tf.zeros([1, 2, 3]), [[1, 1]]), /labels\[0\] need at least 3 frames, example 0 has 2/);
  assert.throws(() => ctcLoss(tf.zeros([2, 3]), [[1]]), /logits must be \[batch, T, symbols\]/);
  assert.throws(() => ctcLoss(tf.zeros([1, 3, 3]), [[1]], { inputLengths: [4] }), /inputLengths\[0\] must be an integer in \[1, 3\], got 4/);
  assert.throws(() => ctcBruteForceLogLikelihood(logSoftmaxRows(randomLogits(new Random(0), 30, 3)), [1]), /3\^30 alignments/);
});
