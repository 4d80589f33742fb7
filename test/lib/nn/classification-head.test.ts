import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { ClsPooling, classifyLogits, encoderClassificationHead } from "../../../lib/nn/classification-head";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("cls pooling takes position 0; the head gives [batch, C] logits = dense(pooled) for both poolings", () => {
  const hidden = tf.tensor3d([[[1, 2], [3, 4], [9, 9]], [[5, 6], [-7, 7], [0, 0]]]);
  const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1]]);
  assert.deepEqual((new ClsPooling().apply(hidden) as tf.Tensor).arraySync(), [[1, 2], [5, 6]]);
  for (const pooling of ["cls", "mean"] as const) {
    const h = tf.input({ shape: [null as unknown as number, 2] });
    const m = tf.input({ shape: [null as unknown as number] });
    const { logits, layers } = encoderClassificationHead(h, m, { pooling, classes: 3, seed: 1 });
    const model = tf.model({ inputs: [h, m], outputs: logits });
    const out = (model.predict([hidden, mask]) as tf.Tensor).arraySync() as number[][];
    const [kernel, bias] = layers[layers.length - 1]!.getWeights().map((w) => w.arraySync()) as [number[][], number[]];
    const pooled = pooling === "cls" ? [[1, 2], [5, 6]] : [[2, 3], [-2 / 3, 13 / 3]];
    const expected = pooled.map((p) => bias.map((b, c) => b + p[0]! * kernel[0]![c]! + p[1]! * kernel[1]![c]!));
    out.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(v - expected[i]![c]!) < 1e-5, `${pooling} [${i}][${c}]`)));
    assert.deepEqual(model.outputs[0]!.shape, [null, 3]);
    // the pooled vector does not depend on the padded length (the Flatten head of S1-C29 would)
    const longer = (model.predict([tf.concat([hidden, tf.fill([2, 4, 2], 50)], 1), tf.concat([mask, tf.zeros([2, 4])], 1)]) as tf.Tensor).arraySync() as number[][];
    longer.forEach((row, i) => row.forEach((v, c) => assert.ok(Math.abs(v - out[i]![c]!) < 1e-5)));
  }
});

test("classifyLogits is softmax then argmax over the class axis; a threshold at 0.5 on one logit is not", () => {
  const { probabilities, classes } = classifyLogits([[2, 1], [-3, -1], [0, 0.4], [1, 2, 3]]);
  assert.deepEqual(classes, [0, 1, 1, 2]);
  probabilities.forEach((p) => assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12));
  assert.ok(Math.abs(probabilities[0]![0]! - 1 / (1 + Math.exp(-1))) < 1e-12);
  // the seed's rule: "positive if pred > 0.5" reading the positive logit disagrees on rows 0 and 1
  assert.deepEqual([[2, 1], [-3, -1]].map((row) => Number(row[1]! > 0.5)), [1, 0]);
});

test("bad inputs are refused, naming them", () => {
  const h = tf.input({ shape: [4, 2] });
  assert.throws(() => encoderClassificationHead(h, null, { pooling: "mean", classes: 2, seed: 0 }), /pooling "mean" needs the padding mask/);
  assert.throws(() => encoderClassificationHead(h, null, { pooling: "max" as "cls", classes: 2, seed: 0 }), /pooling must be "cls" or "mean", got "max"/);
  assert.throws(() => encoderClassificationHead(h, null, { pooling: "cls", classes: 1, seed: 0 }), /classes must be an integer ≥ 2, got 1/);
  assert.throws(() => classifyLogits([[1]]), /row 0 has 1 logit/);
  assert.throws(() => classifyLogits([[1, Infinity]]), /logits\[0\]\[1\] is Infinity/);
  assert.throws(() => new ClsPooling().apply(tf.zeros([2, 3])), /expected hidden states \[batch, T ≥ 1, d\], got shape \[2,3\]/);
});
