import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setupTf, tf } from "../../../lib/tf";
import { BiasAdd, ReversibleEmbedding, bertEncoder, bertInputTensors, bertInputs, bertMlmModel, loadPretrainedBert, mlmLogitsAt, type BertConfig } from "../../../lib/attention/bert";
import { WordPieceTokenizer } from "../../../lib/text/wordpiece";
import { savePretrained } from "../../../scripts/data/save-pretrained";
import type { PretrainedRecipe } from "../../../lib/nn/pretrained";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const CORPUS = "the king is in rome. where is the king? the queen is in venice. who is in rome? the king and the queen.";
const tokenizer = WordPieceTokenizer.train(CORPUS, { vocabularySize: 80 });
const SMALL: BertConfig = { vocabularySize: tokenizer.size, maxLength: 16, dModel: 8, numHeads: 2, ffDim: 16, layers: 2, seed: 3 };

test("bertInputs: [CLS] A [SEP] B [SEP] with segment ids 0/1, a padding mask and offsets, on a fixture", () => {
  const a = "where is the king?";
  const b = "the king is in rome.";
  const x = bertInputs(tokenizer, a, b, 16);
  const tokensA = tokenizer.encode(a), tokensB = tokenizer.encode(b);
  const nA = tokensA.ids.length, nB = tokensB.ids.length;
  const real = 3 + nA + nB;
  assert.deepEqual(x.tokens, ["[CLS]", ...tokensA.tokens, "[SEP]", ...tokensB.tokens, "[SEP]", ...Array(16 - real).fill("[PAD]")]);
  assert.deepEqual(x.ids, [2, ...tokensA.ids, 3, ...tokensB.ids, 3, ...Array(16 - real).fill(0)]);
  assert.deepEqual(x.segmentIds, [...Array(nA + 2).fill(0), ...Array(nB + 1).fill(1), ...Array(16 - real).fill(0)]);
  assert.deepEqual(x.mask, [...Array(real).fill(1), ...Array(16 - real).fill(0)]);
  assert.deepEqual(x.sequenceIds, [null, ...Array(nA).fill(0), null, ...Array(nB).fill(1), null, ...Array(16 - real).fill(null)]);
  assert.deepEqual(x.offsets, [null, ...tokensA.offsets, null, ...tokensB.offsets, null, ...Array(16 - real).fill(null)]);
  // Offsets index into each token's own text.
  x.offsets.forEach((offset, i) => {
    if (offset) assert.ok((x.sequenceIds[i] === 0 ? a : b).slice(...offset).length > 0);
  });
  assert.deepEqual(x.truncated, [0, 0]);

  const single = bertInputs(tokenizer, a, undefined, 12);
  assert.deepEqual(single.tokens.slice(0, nA + 2), ["[CLS]", ...tokensA.tokens, "[SEP]"]);
  assert.ok(single.segmentIds.every((s) => s === 0));
});

test("bertInputs truncates the longer text first, or refuses when truncation is off", () => {
  const a = "the king is in rome. where is the king? the queen is in venice.";
  const b = "who is in rome?";
  const full = tokenizer.encode(a).ids.length + tokenizer.encode(b).ids.length + 3;
  const x = bertInputs(tokenizer, a, b, 14);
  assert.equal(x.ids.length, 14);
  assert.ok(x.mask.every((m) => m === 1));
  assert.equal(x.truncated[0] + x.truncated[1], full - 14);
  // longest first: B keeps all its tokens while A is the longer one.
  assert.equal(x.truncated[1], Math.max(0, tokenizer.encode(b).ids.length - Math.floor((14 - 3) / 2)));
  assert.equal(x.tokens[13], "[SEP]");
  assert.throws(() => bertInputs(tokenizer, a, b, 14, { truncation: false }), /tokens do not fit maxLength = 14 and truncation is off/);
  assert.throws(() => bertInputs(tokenizer, a, b, 4), /maxLength must be an integer ≥ 5/);
});

test("the encoder maps [tokenIds, segmentIds] to hidden states [batch, T, d]; the MLM model to logits [batch, T, V] with tied embeddings", () => {
  const encoder = bertEncoder({ ...SMALL, name: "shape_bert" });
  const mlm = bertMlmModel(encoder, { seed: 4, name: "shape_mlm" });
  const [ids, segments] = bertInputTensors([bertInputs(tokenizer, "the king", "the queen", 10), bertInputs(tokenizer, "who is in rome?", null, 10)]);
  const hidden = encoder.predict([ids, segments]) as tf.Tensor;
  const logits = mlm.predict([ids, segments]) as tf.Tensor;
  assert.deepEqual(hidden.shape, [2, 10, 8]);
  assert.deepEqual(logits.shape, [2, 10, tokenizer.size]);
  // Tied: the MLM model adds only Dense(d, d), a LayerNorm and a bias per vocabulary entry to the encoder.
  const d = SMALL.dModel, V = tokenizer.size;
  assert.equal(mlm.countParams() - encoder.countParams(), d * d + d + 2 * d + V);
  assert.equal(mlm.layers.filter((l) => l instanceof ReversibleEmbedding).length, 1);
  assert.equal(mlm.layers.filter((l) => l instanceof BiasAdd).length, 1);
  tf.dispose([ids, segments, hidden, logits]);
});

test("padding is masked: real positions' outputs do not depend on how much padding follows or what it holds", () => {
  const encoder = bertEncoder({ ...SMALL, name: "pad_bert" });
  const short = bertInputs(tokenizer, "where is the king?", "in rome.", 14);
  const long = bertInputs(tokenizer, "where is the king?", "in rome.", 16);
  const real = short.mask.filter((m) => m === 1).length;
  assert.deepEqual(short.truncated, [0, 0]);
  assert.ok(real < 14, "the short input has padding too");
  const run = (inputs: ReturnType<typeof bertInputs>[]) => tf.tidy(() => {
    const [ids, segments] = bertInputTensors(inputs);
    return (encoder.predict([ids, segments]) as tf.Tensor).arraySync() as number[][][];
  });
  const [a] = run([short]);
  const [b] = run([long]);
  // Segment ids under the padding changed to 1: still no effect.
  const [c] = run([{ ...long, segmentIds: long.segmentIds.map((s, i) => (long.mask[i] ? s : 1)) }]);
  for (let t = 0; t < real; t++) {
    for (let j = 0; j < SMALL.dModel; j++) {
      assert.ok(Math.abs(a![t]![j]! - b![t]![j]!) < 1e-5);
      assert.ok(Math.abs(a![t]![j]! - c![t]![j]!) < 1e-5);
    }
  }
  // …while changing a real token does change the others (attention mixes them).
  const changed = { ...short, ids: short.ids.map((id, i) => (i === 1 ? id + 1 : id)) };
  const [e] = run([changed]);
  const moved = a![real - 1]!.reduce((sum, v, j) => sum + Math.abs(v - e![real - 1]![j]!), 0);
  assert.ok(moved > 1e-4, `the last real token moved by ${moved}`);
});

test("save → loadPretrainedBert gives bit-identical encoder and MLM outputs and the same tokenizer", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bert-test-"));
  const encoder = bertEncoder(SMALL);
  const mlm = bertMlmModel(encoder, { seed: 4 });
  const recipe: Omit<PretrainedRecipe, "files"> = {
    name: "test-bert", description: "unit test", createdBy: "test/lib/attention/bert.test.ts", tfjsVersion: tf.version.tfjs, backend: tf.getBackend(),
    threads: 1, seed: 3, preprocessing: { input: "token ids from vocab.json", scale: 1, mean: 0, std: 1 },
    backboneLayers: encoder.layers.map((l) => l.name), architecture: { bert: SMALL }, training: {}, data: {}, results: {},
  };
  const saved = await savePretrained(mlm, dir, recipe, { "vocab.json": `${JSON.stringify(tokenizer.toJSON())}\n` });
  assert.deepEqual(fs.readdirSync(dir).sort(), ["model.json", "recipe.json", "vocab.json", "weights.bin"]);
  assert.equal(saved.files["vocab.json"]!.bytes, fs.statSync(path.join(dir, "vocab.json")).size);
  const loaded = await loadPretrainedBert("unused", { dir });
  assert.deepEqual(loaded.tokenizer.vocabulary, tokenizer.vocabulary);
  assert.deepEqual(loaded.config, SMALL);
  const [ids, segments] = bertInputTensors([bertInputs(tokenizer, "the king", "the queen", 12)]);
  const bits = (m: tf.LayersModel) => Array.from(new Uint32Array((m.predict([ids, segments]) as tf.Tensor).dataSync().slice().buffer));
  assert.deepEqual(bits(loaded.encoder), bits(encoder));
  assert.deepEqual(bits(loaded.mlm), bits(mlm));
  assert.equal(loaded.encoder.countParams(), encoder.countParams());

  // A changed vocab.json is refused.
  fs.appendFileSync(path.join(dir, "vocab.json"), " ");
  await assert.rejects(loadPretrainedBert("unused", { dir }), /vocab\.json is \d+ bytes but recipe\.json records \d+/);
  fs.rmSync(dir, { recursive: true });
});

test("bad configurations are refused with the parameter named", () => {
  assert.throws(() => bertEncoder({ ...SMALL, numHeads: 3 }), /dModel = 8 does not split into numHeads = 3 heads/);
  assert.throws(() => bertEncoder({ ...SMALL, layers: 0 }), /layers must be an integer ≥ 1, got 0/);
  assert.throws(() => bertMlmModel(tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] }), { seed: 0 }), /has no ReversibleEmbedding/);
});

test("rotary and post-norm variants save and load bit for bit too; a bad positions option is refused", async () => {
  for (const variant of [{ positions: "rotary" as const }, { normFirst: false }]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bert-test-"));
    const config = { ...SMALL, ...variant };
    const encoder = bertEncoder(config);
    const mlm = bertMlmModel(encoder, { seed: 4 });
    await savePretrained(mlm, dir, {
      name: "test-bert", description: "unit test", createdBy: "test/lib/attention/bert.test.ts", tfjsVersion: tf.version.tfjs, backend: tf.getBackend(),
      threads: 1, seed: 3, preprocessing: { input: "token ids", scale: 1, mean: 0, std: 1 }, backboneLayers: [], architecture: { bert: config }, training: {}, data: {}, results: {},
    }, { "vocab.json": JSON.stringify(tokenizer.toJSON()) });
    const loaded = await loadPretrainedBert("unused", { dir });
    const [ids, segments] = bertInputTensors([bertInputs(tokenizer, "the king", "the queen", 12)]);
    const bits = (m: tf.LayersModel) => Array.from(new Uint32Array((m.predict([ids, segments]) as tf.Tensor).dataSync().slice().buffer));
    assert.deepEqual(bits(loaded.encoder), bits(encoder));
    assert.deepEqual(bits(loaded.mlm), bits(mlm));
    fs.rmSync(dir, { recursive: true });
  }
  // Rotary has no position table: fewer parameters by maxLength · d.
  assert.equal(bertEncoder(SMALL).countParams() - bertEncoder({ ...SMALL, positions: "rotary" }).countParams(), SMALL.maxLength * SMALL.dModel);
  assert.throws(() => bertEncoder({ ...SMALL, positions: "absolute" as never }), /positions must be "learned" or "rotary", got "absolute"/);
});

test("mlmLogitsAt equals the MLM model's logits at those positions", () => {
  const encoder = bertEncoder({ ...SMALL, name: "at_bert" });
  const mlm = bertMlmModel(encoder, { seed: 4, name: "at_mlm" });
  const [ids, segments] = bertInputTensors([bertInputs(tokenizer, "the king", "the queen", 10), bertInputs(tokenizer, "who is in rome?", null, 10)]);
  const full = (mlm.predict([ids, segments]) as tf.Tensor).arraySync() as number[][][];
  const hidden = encoder.predict([ids, segments]) as tf.Tensor;
  const positions = [1, 4, 13];
  const at = mlmLogitsAt(mlm, hidden, positions).arraySync();
  positions.forEach((p, i) => full[Math.floor(p / 10)]![p % 10]!.forEach((v, k) => assert.ok(Math.abs(v - at[i]![k]!) < 1e-5)));
  tf.dispose([ids, segments, hidden]);
});
