import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { BigramLanguageModel } from "../../../lib/text/ngram";
import { sampleDecode } from "../../../lib/sequence/sampling";

const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol;

test("on 'abcab' (a=0, b=1, c=2) with α = 1 the probabilities and the held-out cross-entropy are the hand-computed ones", () => {
  // Transitions a→b, b→c, c→a, a→b: counts a: {b: 2}, b: {c: 1}, c: {a: 1}; V = 3.
  const model = new BigramLanguageModel({ vocabularySize: 3, alpha: 1 }).fit([0, 1, 2, 0, 1]);
  assert.ok(close(model.probability(0, 1), (2 + 1) / (2 + 3))); // 3/5
  assert.ok(close(model.probability(0, 0), 1 / 5));
  assert.ok(close(model.probability(1, 2), 2 / 4));
  assert.ok(close(model.probability(1, 1), 1 / 4));
  // Held-out "aab": −ln P(a|a) − ln P(b|a) over 2 transitions = (ln 5 + ln 5/3) / 2.
  assert.ok(close(model.crossEntropy([0, 0, 1]), (Math.log(5) + Math.log(5 / 3)) / 2));
  // α = 0.5: P(b|a) = (2 + 0.5) / (2 + 1.5).
  assert.ok(close(new BigramLanguageModel({ vocabularySize: 3, alpha: 0.5 }).fit([0, 1, 2, 0, 1]).probability(0, 1), 2.5 / 3.5));
});

test("counts equal a brute-force count of pairs in the string; every row is a distribution", () => {
  const rng = new Random(1);
  const V = 5;
  const ids = Array.from({ length: 300 }, () => rng.int(0, V));
  const model = new BigramLanguageModel({ vocabularySize: V, alpha: 0.3 }).fit(ids);
  const text = ids.join(",");
  for (let a = 0; a < V; a++) {
    let total = 0;
    for (let b = 0; b < V; b++) {
      const pairs = ids.slice(1).filter((id, t) => ids[t] === a && id === b).length;
      assert.equal(model.counts_[a]![b], pairs, `${a}→${b} in ${text.slice(0, 40)}…`);
      total += model.probability(a, b);
    }
    assert.ok(close(total, 1), `row ${a} sums to ${total}`);
    assert.ok(close(model.logProbabilities(a).reduce((s, l) => s + Math.exp(l), 0), 1));
  }
});

test("a large α tends to the uniform model (cross-entropy ln V); a small α on training text tends to the empirical conditional entropy", () => {
  const rng = new Random(2);
  const V = 4;
  // A Markov chain that mostly goes to the next id: low conditional entropy.
  const ids = [0];
  for (let t = 1; t < 2000; t++) ids.push(rng.random() < 0.9 ? (ids[t - 1]! + 1) % V : rng.int(0, V));
  assert.ok(close(new BigramLanguageModel({ vocabularySize: V, alpha: 1e9 }).fit(ids).crossEntropy(ids), Math.log(V), 1e-6));
  const model = new BigramLanguageModel({ vocabularySize: V, alpha: 1e-9 }).fit(ids);
  let entropy = 0;
  for (let a = 0; a < V; a++) for (let b = 0; b < V; b++) {
    const count = model.counts_[a]![b]!;
    if (count > 0) entropy -= (count / (ids.length - 1)) * Math.log(count / model.rowTotals_[a]!);
  }
  assert.ok(close(model.crossEntropy(ids), entropy, 1e-6));
  assert.ok(entropy < 0.6 * Math.log(V));
});

test("as a decoding step it samples with sampling.ts; the chain that always goes a→b→c→a is followed exactly at temperature 0", () => {
  const model = new BigramLanguageModel({ vocabularySize: 3, alpha: 0.01 }).fit([0, 1, 2, 0, 1, 2, 0, 1, 2, 0]);
  const greedy = sampleDecode(model.step, { eos: 99, maxLength: 6, start: [0], temperature: 0, seed: 1 });
  assert.deepEqual(greedy.tokens, [1, 2, 0, 1, 2, 0]);
  assert.throws(() => model.step([[]]), /needs at least one id/);
});

test("bad arguments are refused with the name and the value", () => {
  assert.throws(() => new BigramLanguageModel({ vocabularySize: 0 }), /vocabularySize must be an integer ≥ 1, got 0/);
  for (const alpha of [0, -1, NaN, Infinity]) assert.throws(() => new BigramLanguageModel({ vocabularySize: 3, alpha }), /alpha must be finite and > 0/);
  const model = new BigramLanguageModel({ vocabularySize: 3 });
  assert.throws(() => model.probability(0, 1), /call fit\(\) first/);
  assert.throws(() => model.fit([0]), /need at least 2 ids/);
  assert.throws(() => model.fit([0, 3]), /id 1 is 3, outside 0 … 2/);
  assert.throws(() => model.fit([0, 1.5]), /id 1 is 1.5/);
  model.fit([0, 1, 2]);
  assert.throws(() => model.crossEntropy([1]), /need at least 2 ids/);
  assert.throws(() => model.crossEntropy([1, -1]), /id 1 is -1/);
});
