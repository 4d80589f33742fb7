import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { causalLanguageModel, causalLanguageModelParameterCount } from "../../../lib/attention/causal-lm";
import { transformerEncoderBlock } from "../../../lib/attention/transformer";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const SMALL = { vocabularySize: 11, maxLength: 12, dModel: 8, numHeads: 2, ffDim: 16, blocks: 2 };

function logitsOf(model: tf.LayersModel, ids: number[]): number[][] {
  return tf.tidy(() => ((model.predict(tf.tensor2d([ids], [1, ids.length], "int32")) as tf.Tensor).arraySync() as number[][][])[0]!);
}

const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, j) => Math.abs(v - b[j]!)));

test("the parameter count equals countParams and the formula written out", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 1 });
  const { vocabularySize: V, maxLength: T, dModel: d, ffDim: f, blocks } = SMALL;
  // One pre-norm block: Q, K, V, O projections with biases 4d² + 4d, two LayerNorms 4d, FFN 2df + f + d.
  const block = 4 * d * d + 4 * d + 4 * d + 2 * d * f + f + d;
  const byHand = V * d + T * d + blocks * block + 2 * d + d * V + V;
  assert.equal(causalLanguageModelParameterCount(SMALL), byHand);
  assert.equal(model.countParams(), byHand);
  // ffDim defaults to 4·d.
  assert.equal(causalLanguageModel({ ...SMALL, ffDim: undefined, seed: 1, name: "default_ff" }).countParams(), causalLanguageModelParameterCount({ ...SMALL, ffDim: undefined }));
  assert.equal(causalLanguageModelParameterCount({ ...SMALL, ffDim: undefined }), byHand + blocks * (2 * d + 1) * (4 * d - f));
  model.dispose();
});

test("causal by perturbation: changing every token after t leaves the logits at 0 … t unchanged (1e-6), for every t", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 2, name: "causal_check" });
  const rng = new Random(3);
  const ids = Array.from({ length: SMALL.maxLength }, () => rng.int(0, SMALL.vocabularySize));
  const base = logitsOf(model, ids);
  for (let t = 0; t < SMALL.maxLength - 1; t++) {
    const changed = ids.map((id, i) => (i > t ? (id + 1 + rng.int(0, SMALL.vocabularySize - 1)) % SMALL.vocabularySize : id));
    const after = logitsOf(model, changed);
    for (let s = 0; s <= t; s++) assert.ok(maxDiff(base[s]!, after[s]!) <= 1e-6, `position ${s} saw a change after ${t}`);
    assert.ok(maxDiff(base[t + 1]!, after[t + 1]!) > 1e-4, `position ${t + 1} did not see its own token change`);
  }
  model.dispose();
});

test("a prefix of length t is scored without padding: its logits equal the first t rows of the full sequence", () => {
  const model = causalLanguageModel({ ...SMALL, seed: 4, name: "prefix_check" });
  const ids = Array.from({ length: SMALL.maxLength }, (_, i) => (5 * i + 2) % SMALL.vocabularySize);
  const full = logitsOf(model, ids);
  for (const t of [1, 5, SMALL.maxLength]) {
    logitsOf(model, ids.slice(0, t)).forEach((row, s) => assert.ok(maxDiff(row, full[s]!) <= 1e-5, `prefix ${t}, position ${s}`));
  }
  assert.throws(() => logitsOf(model, new Array(SMALL.maxLength + 1).fill(0)), /at most 12/);
  model.dispose();
});

test("the encoder block's causal option is what hides the future: without it an early position sees a late change", () => {
  const rng = new Random(5);
  const x = tf.tensor3d([Array.from({ length: 6 }, () => Array.from({ length: 8 }, () => rng.normal(0, 1)))]);
  const later = tf.concat([x.slice([0, 0, 0], [1, 3, 8]), tf.randomNormal([1, 3, 8], 0, 1, "float32", 6)], 1);
  for (const causal of [true, false]) {
    const input = tf.input({ shape: [6, 8] });
    const model = tf.model({ inputs: input, outputs: transformerEncoderBlock(input, null, { numHeads: 2, ffDim: 16, normFirst: true, causal, seed: 7, name: `option_${causal}` }) });
    const early = (t: tf.Tensor) => (model.predict(t) as tf.Tensor).slice([0, 0, 0], [1, 3, 8]);
    const moved = tf.abs(early(x).sub(early(later))).max().arraySync() as number;
    if (causal) assert.ok(moved <= 1e-6, `causal block: ${moved}`);
    else assert.ok(moved > 1e-3, `non-causal block: ${moved}`);
  }
});

test("it learns a periodic text: next-token loss falls well below ln V in a few Adam steps", async () => {
  const model = causalLanguageModel({ ...SMALL, seed: 8, name: "learns" });
  const period = [0, 3, 1, 4, 1, 5];
  const rows = Array.from({ length: 8 }, (_, r) => Array.from({ length: SMALL.maxLength + 1 }, (_, i) => period[(i + r) % period.length]!));
  const x = tf.tensor2d(rows.map((row) => row.slice(0, -1)), undefined, "int32");
  const y = tf.oneHot(tf.tensor2d(rows.map((row) => row.slice(1)), undefined, "int32"), SMALL.vocabularySize);
  model.compile({ optimizer: tf.train.adam(0.01), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const history = await model.fit(x, y, { epochs: 60, batchSize: 8, verbose: 0 });
  const losses = history.history.loss as number[];
  assert.ok(losses[0]! > 0.8 * Math.log(SMALL.vocabularySize), `initial loss ${losses[0]}: no better than guessing`);
  assert.ok(losses.at(-1)! < 0.2, `loss ${losses[0]} → ${losses.at(-1)}`);
  model.dispose();
});

test("bad options are named", () => {
  assert.throws(() => causalLanguageModel({ ...SMALL, vocabularySize: 0, seed: 0 }), /vocabularySize must be an integer ≥ 1, got 0/);
  assert.throws(() => causalLanguageModel({ ...SMALL, blocks: 1.5, seed: 0 }), /blocks must be an integer ≥ 1, got 1.5/);
  assert.throws(() => causalLanguageModel({ ...SMALL, seed: 0.5 }), /seed must be an integer, got 0.5/);
  assert.throws(() => causalLanguageModel({ ...SMALL, numHeads: 3, seed: 0, name: "bad_heads" }), /does not split into 3 heads/);
});
