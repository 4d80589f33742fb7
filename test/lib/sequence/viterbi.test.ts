import { test } from "node:test";
import * as assert from "node:assert/strict";
import { bruteForceDecode, forwardLogPartition, hmmScores, pathScore, viterbi } from "../../../lib/sequence/viterbi";
import { Random } from "../../../lib/random";

function randomMatrix(rng: Random, rows: number, columns: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: columns }, () => rng.normal(0, 2)));
}

test("Viterbi equals brute-force enumeration on random chains (3 tags × 5 steps and other sizes)", () => {
  const rng = new Random(0);
  for (const [K, T] of [[3, 5], [3, 5], [3, 5], [2, 1], [1, 4], [4, 6], [5, 3], [2, 12]] as const) {
    for (let trial = 0; trial < 5; trial++) {
      const emissions = randomMatrix(rng, T, K);
      const transitions = randomMatrix(rng, K, K);
      const options = trial % 2 === 0 ? { start: randomMatrix(rng, 1, K)[0]!, end: randomMatrix(rng, 1, K)[0]! } : {};
      const truth = bruteForceDecode(emissions, transitions, options);
      assert.equal(truth.nPaths, K ** T);
      const decoded = viterbi(emissions, transitions, options);
      assert.deepEqual(decoded.path, truth.path, `K=${K} T=${T} trial ${trial}`);
      assert.ok(Math.abs(decoded.score - truth.score) < 1e-9);
      assert.ok(Math.abs(decoded.score - pathScore(decoded.path, { emissions, transitions, ...options })) < 1e-9);
      assert.ok(Math.abs(forwardLogPartition(emissions, transitions, options) - truth.logPartition) < 1e-9);
    }
  }
});

test("the best path is not the per-step argmax when transitions matter", () => {
  // Step-wise argmax says [0, 1, 0], but moving between tags costs 5: staying in 0 wins.
  const emissions = [[2, 0], [0, 1], [2, 0]];
  const transitions = [[0, -5], [-5, 0]];
  assert.deepEqual(viterbi(emissions, transitions).path, [0, 0, 0]);
  assert.equal(viterbi(emissions, transitions).score, 4);
});

test("a forbidden move (−Infinity, e.g. O → I-PER in BIO) is never taken", () => {
  // tags: 0 = O, 1 = B, 2 = I; O → I and start → I are forbidden
  const transitions = [[0, 0, -Infinity], [0, 0, 0], [0, 0, 0]];
  const start = [0, 0, -Infinity];
  const emissions = [[1, 0, 3], [1, 0, 3], [0, 0, 3]];
  const { path } = viterbi(emissions, transitions, { start });
  assert.deepEqual(path, bruteForceDecode(emissions, transitions, { start }).path);
  assert.deepEqual(path, [1, 2, 2]);
});

test("the textbook HMM (healthy/fever): best path H H F with probability 0.01512, P(x) by summing paths", () => {
  const hmm = {
    initial: [0.6, 0.4],
    transition: [[0.7, 0.3], [0.4, 0.6]],
    emission: [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]], // normal, cold, dizzy
  };
  const observations = [0, 1, 2];
  const scores = hmmScores(hmm, observations);
  const { path, score } = viterbi(scores.emissions, scores.transitions, scores);
  assert.deepEqual(path, [0, 0, 1]);
  assert.ok(Math.abs(Math.exp(score) - 0.01512) < 1e-12);
  // P(x) = Σ over the 8 paths of the product of probabilities, computed in probability space
  let total = 0;
  for (const y of [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [1, 0, 0], [1, 0, 1], [1, 1, 0], [1, 1, 1]]) {
    let p = hmm.initial[y[0]!]!;
    y.forEach((tag, t) => {
      p *= hmm.emission[tag]![observations[t]!]!;
      if (t > 0) p *= hmm.transition[y[t - 1]!]![tag]!;
    });
    total += p;
  }
  assert.ok(Math.abs(Math.exp(forwardLogPartition(scores.emissions, scores.transitions, scores)) - total) < 1e-15);
});

test("bad chains are named", () => {
  assert.throws(() => viterbi([], [[0]]), /viterbi: emissions must be a non-empty \[T\]\[K\] array/);
  assert.throws(() => viterbi([[0, 1], [0]], [[0, 0], [0, 0]]), /emissions\[1\] must have 2 scores \(K = 2 tags\), got 1/);
  assert.throws(() => viterbi([[0, 1]], [[0, 0]]), /transitions must be \[K\]\[K\] = \[2\]\[2\], got 1 rows/);
  assert.throws(() => viterbi([[0, NaN]], [[0, 0], [0, 0]]), /emissions\[0\]\[1\] is NaN; scores must be finite or −Infinity/);
  assert.throws(() => viterbi([[0, 1]], [[0, 0], [0, 0]], { start: [0] }), /start must have 2 scores/);
  assert.throws(() => pathScore([0, 2], { emissions: [[0, 1], [0, 1]], transitions: [[0, 0], [0, 0]] }), /path\[1\] = 2 is not a tag id in 0…1/);
  assert.throws(() => bruteForceDecode(randomMatrix(new Random(1), 13, 3), randomMatrix(new Random(2), 3, 3)), /K\^T = 3\^13 = 1594323 paths is more than 1000000; use viterbi/);
  const hmm = { initial: [0.5, 0.5], transition: [[1, 0], [0.5, 0.5]], emission: [[1, 0], [0, 1]] };
  assert.throws(() => hmmScores({ ...hmm, initial: [0.5, 0.6] }, [0]), /initial must be probabilities summing to 1, got \[0\.5, 0\.6\]/);
  assert.throws(() => hmmScores(hmm, [0, 2]), /observations\[1\] = 2 is not a symbol id in 0…1/);
});
