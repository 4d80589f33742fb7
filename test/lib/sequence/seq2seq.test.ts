import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { fitSequenceModel, greedyDecodeBatch, maskedSequenceCrossEntropy, teacherForcingBatch } from "../../../lib/sequence/seq2seq";
import { greedyDecode } from "../../../lib/sequence/decoding";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("teacher forcing: input = target shifted right after <bos>, target ends with <eos>, mask covers tokens and <eos> only", () => {
  const batch = teacherForcingBatch([[5, 6, 7], [8], []], { bos: 1, eos: 2, pad: 0 });
  assert.deepEqual(batch.decoderInput, [[1, 5, 6, 7], [1, 8, 0, 0], [1, 0, 0, 0]]);
  assert.deepEqual(batch.decoderTarget, [[5, 6, 7, 2], [8, 2, 0, 0], [2, 0, 0, 0]]);
  assert.deepEqual(batch.lossMask, [[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 0, 0]]);
  const wide = teacherForcingBatch([[5]], { bos: 1, eos: 2, length: 4 });
  assert.deepEqual(wide.decoderInput, [[1, 5, 0, 0]]);
  // Every input row from position 1 on is the target row one step earlier.
  for (const [b, row] of batch.decoderInput.entries()) row.slice(1).forEach((id, t) => { if (batch.lossMask[b]![t + 1]) assert.equal(id, batch.decoderTarget[b]![t]); });
});

test("teacher forcing rejects clashing special ids, special ids inside a target and too short a length", () => {
  assert.throws(() => teacherForcingBatch([[5]], { bos: 1, eos: 1 }), /must differ/);
  assert.throws(() => teacherForcingBatch([[5, 2]], { bos: 1, eos: 2 }), /target 0 holds the special id 2 at position 1/);
  assert.throws(() => teacherForcingBatch([[5, 6, 7]], { bos: 1, eos: 2, length: 3 }), /target 0 has 3 tokens/);
});

test("masked cross-entropy = a loop over the unmasked positions; padding logits do not matter", () => {
  const rng = new Random(3);
  const [B, T, V] = [3, 4, 5];
  const logits = Array.from({ length: B }, () => Array.from({ length: T }, () => rng.array(V, (r) => r.normal(0, 2))));
  const targets = [[1, 2, 3, 0], [4, 0, 0, 0], [2, 2, 1, 3]];
  const mask = [[1, 1, 1, 0], [1, 0, 0, 0], [1, 1, 1, 1]];
  let total = 0;
  let count = 0;
  logits.forEach((rows, b) => rows.forEach((row, t) => {
    if (!mask[b]![t]) return;
    const logZ = Math.log(row.reduce((s, v) => s + Math.exp(v), 0));
    total += logZ - row[targets[b]![t]!]!;
    count++;
  }));
  const loss = maskedSequenceCrossEntropy(tf.tensor3d(logits), tf.tensor2d(targets, undefined, "int32"), tf.tensor2d(mask));
  assert.ok(Math.abs(loss.dataSync()[0]! - total / count) < 1e-5);
  const changed = logits.map((rows, b) => rows.map((row, t) => (mask[b]![t] ? row : row.map(() => 100 * rng.normal(0, 1)))));
  const same = maskedSequenceCrossEntropy(tf.tensor3d(changed), tf.tensor2d(targets, undefined, "int32"), tf.tensor2d(mask));
  assert.ok(Math.abs(same.dataSync()[0]! - loss.dataSync()[0]!) < 1e-6);
  assert.throws(() => maskedSequenceCrossEntropy(tf.tensor3d(logits), tf.tensor2d([[1, 2]]), tf.tensor2d(mask)), /targets must be \[3, 4\]/);
});

test("fitSequenceModel lowers the loss of a tiny model, and keeps tf.memory flat", () => {
  const input = tf.input({ shape: [3, 2] });
  const output = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output });
  const rng = new Random(0);
  const x = tf.tensor3d(Array.from({ length: 40 }, () => Array.from({ length: 3 }, () => rng.array(2, (r) => r.normal(0, 1)))));
  const targets = tf.tensor2d(x.arraySync().map((rows) => rows.map((v) => (v[0]! > 0 ? 1 : 2))), undefined, "int32");
  const mask = tf.ones([40, 3]);
  const before = tf.memory().numTensors;
  const losses = fitSequenceModel(model, [x], { targets, mask }, { epochs: 30, batchSize: 8, learningRate: 0.05, seed: 0 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(losses.at(-1)! < 0.5 * losses[0]!, `losses ${losses[0]} → ${losses.at(-1)}`);
  // The clipped, decaying path trains too, and clipping (active at norm 0.05) changes the path.
  const fresh = () => tf.model({ inputs: input, outputs: tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }).apply(input) as tf.SymbolicTensor });
  const unclipped = fitSequenceModel(fresh(), [x], { targets, mask }, { epochs: 30, batchSize: 8, learningRate: 0.05, learningRateDecay: 0.95, seed: 0 });
  const clipped = fitSequenceModel(fresh(), [x], { targets, mask }, { epochs: 30, batchSize: 8, learningRate: 0.05, learningRateDecay: 0.95, clipNorm: 0.05, seed: 0 });
  assert.equal(tf.memory().numTensors, before + 4);
  assert.ok(clipped.at(-1)! < 0.5 * clipped[0]!, `clipped losses ${clipped[0]} → ${clipped.at(-1)}`);
  assert.ok(Math.abs(clipped.at(-1)! - unclipped.at(-1)!) > 1e-4, `clipped ${clipped.at(-1)} vs unclipped ${unclipped.at(-1)}`);
  // With a negligible step the epoch's loss is the masked loss of the data: the mask reaches the loss.
  const halfMask = tf.tensor2d(Array.from({ length: 40 }, () => [1, 1, 0]));
  const still = fresh();
  const expected = maskedSequenceCrossEntropy(still.predict(x) as tf.Tensor, targets, halfMask).dataSync()[0]!;
  const [epochLoss] = fitSequenceModel(still, [x], { targets, mask: halfMask }, { epochs: 1, batchSize: 8, learningRate: 1e-9, seed: 0 });
  assert.ok(Math.abs(epochLoss! - expected) < 1e-5, `epoch loss ${epochLoss} vs masked loss ${expected}`);
  assert.throws(() => fitSequenceModel(model, [x], { targets, mask }, { epochs: 1, batchSize: 8, learningRate: 0.05, clipNorm: 0, seed: 0 }), /clipNorm must be > 0, got 0/);
  assert.throws(() => fitSequenceModel(model, [x], { targets: tf.zeros([3, 3]), mask }, { epochs: 1, batchSize: 8, learningRate: 0.05, seed: 0 }), /3 target rows but 40 mask rows/);
});

test("greedyDecodeBatch = decoding.ts greedyDecode row by row on a fixed next-token table", () => {
  const rng = new Random(5);
  const V = 4;
  // A deterministic "model": the scores depend on the row and the whole prefix.
  const scores = (row: number, prefix: readonly number[]) => {
    const local = new Random(1000 * row + prefix.reduce((h, id) => 7 * h + id + 1, 0));
    return local.array(V, (r) => r.normal(0, 1));
  };
  const rows = rng.array(6, (r) => r.int(0, 100));
  const batch = greedyDecodeBatch((prefixes, active) => prefixes.map((p, r) => scores(rows[active[r]!]!, p)), { count: 6, bos: 3, eos: 2, maxLength: 5 });
  batch.forEach((tokens, i) => {
    const single = greedyDecode((prefixes) => prefixes.map((p) => { const s = scores(rows[i]!, p); const logZ = Math.log(s.reduce((a, v) => a + Math.exp(v), 0)); return s.map((v) => v - logZ); }), { eos: 2, maxLength: 5, start: [3] });
    assert.deepEqual(tokens, single.tokens);
  });
});
