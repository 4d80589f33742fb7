import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { causalLanguageModel } from "../../../lib/attention/causal-lm";
import { CachedCausalLanguageModel } from "../../../lib/attention/cached-causal-lm";
import { greedyDecode, type NextTokenLogProbs } from "../../../lib/sequence/decoding";
import { sampleDecode } from "../../../lib/sequence/sampling";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const SMALL = { vocabularySize: 11, maxLength: 12, dModel: 8, numHeads: 2, ffDim: 16, blocks: 2 };

function fullLogits(model: tf.LayersModel, ids: number[][]): number[][][] {
  return tf.tidy(() => (model.predict(tf.tensor2d(ids, undefined, "int32")) as tf.Tensor).arraySync() as number[][][]);
}

const maxDiff = (a: number[][][], b: number[][][]) => Math.max(...a.flatMap((rows, i) => rows.flatMap((row, t) => row.map((v, j) => Math.abs(v - b[i]![t]![j]!)))));

test("cached logits equal the whole model's at every position, whether tokens come one, several or all at a time", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 1, name: "cached_equal" });
  const rng = new Random(2);
  const ids = [0, 1].map(() => Array.from({ length: SMALL.maxLength }, () => rng.int(0, SMALL.vocabularySize)));
  const expected = fullLogits(model, ids);
  const tensorsBefore = tf.memory().numTensors;
  for (const chunks of [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [5, 1, 1, 4, 1], [12]]) {
    const cached = new CachedCausalLanguageModel(model);
    let position = 0;
    for (const size of chunks) {
      const got = cached.append(ids.map((row) => row.slice(position, position + size)));
      const want = expected.map((rows) => rows.slice(position, position + size));
      assert.ok(maxDiff(got, want) < 1e-5, `chunks ${chunks} at ${position}: ${maxDiff(got, want)}`);
      position += size;
    }
    assert.equal(cached.length, SMALL.maxLength);
    assert.deepEqual(cached.ids, ids);
    cached.dispose();
  }
  assert.equal(tf.memory().numTensors, tensorsBefore, "the cache's tensors are freed");
  model.dispose();
});

test("greedy and sampled generation through the cached step equal the uncached model's, token for token", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 3, name: "cached_generate" });
  const uncached: NextTokenLogProbs = (prefixes) => prefixes.map((prefix) => {
    const row = fullLogits(model, [[...prefix]])[0]!.at(-1)!;
    const max = Math.max(...row);
    const logTotal = Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)) + max;
    return row.map((v) => v - logTotal);
  });
  const cached = new CachedCausalLanguageModel(model);
  const options = { eos: SMALL.vocabularySize, maxLength: 9, start: [4, 2, 7] };
  const plain = greedyDecode(uncached, options);
  const fast = greedyDecode(cached.stepFunction(), options);
  assert.deepEqual(fast.tokens, plain.tokens);
  assert.ok(Math.abs(fast.logProb - plain.logProb) < 1e-4);
  // A new prompt (not an extension of the cache) starts the cache again.
  const sampledPlain = sampleDecode(uncached, { ...options, start: [1], temperature: 1, seed: 5 });
  const sampledFast = sampleDecode(cached.stepFunction(), { ...options, start: [1], temperature: 1, seed: 5 });
  assert.deepEqual(sampledFast.tokens, sampledPlain.tokens);
  assert.deepEqual(cached.ids, [[1, ...sampledFast.tokens.slice(0, -1)]]);
  cached.dispose();
  model.dispose();
});

test("bad input is refused with what and where", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 4, name: "cached_errors" });
  const cached = new CachedCausalLanguageModel(model);
  assert.throws(() => cached.append([]), /no new tokens/);
  assert.throws(() => cached.append([[1, 2], [3]]), /row 1 has 1 tokens, row 0 has 2/);
  assert.throws(() => cached.append([[1, 11]]), /ids\[0\]\[1\] = 11 is not a token id \(0 … 10\)/);
  cached.append([[1, 2, 3]]);
  assert.throws(() => cached.append([[1], [2]]), /the cache holds 1 rows, got 2/);
  assert.throws(() => cached.append([new Array(10).fill(0)]), /3 cached \+ 10 new tokens exceed the model's 12 positions/);
  assert.throws(() => cached.stepFunction()([[1], [2]]), /one prefix at a time/);
  cached.dispose();
  const ids = tf.input({ shape: [null], dtype: "int32" });
  const other = tf.model({ inputs: ids, outputs: tf.layers.embedding({ inputDim: 3, outputDim: 2 }).apply(ids) as tf.SymbolicTensor, name: "not_a_gpt" });
  assert.throws(() => new CachedCausalLanguageModel(other), /model "not_a_gpt" has no layer "not_a_gpt_tokens" \(build it with causalLanguageModel\)/);
  model.dispose();
});
