import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { fitEpochs } from "../../../lib/nn/training";

async function problem() {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  // Two separable blobs: the label is the sign of x0 + x1.
  const points = Array.from({ length: 64 }, (_, i) => [Math.cos(i) * 2, Math.sin(3 * i) * 2]);
  const labels = points.map(([a, b]) => (a! + b! > 0 ? 1 : 0));
  const x = tf.tensor2d(points);
  const y = tf.oneHot(tf.tensor1d(labels, "int32"), 2).toFloat();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: "softmax" })] });
  model.compile({ optimizer: tf.train.adam(0.1), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return { x, y, model };
}

test("fitEpochs records loss, accuracy, validation, decayed learning rates and flat tensor counts", async () => {
  const { x, y, model } = await problem();
  const seen: number[] = [];
  let augmented = 0;
  const history = await fitEpochs(model, x, y, {
    epochs: 6,
    batchSize: 16,
    validation: { x, y },
    learningRateDecay: 0.5,
    augment: (batch, epoch) => { augmented = epoch; return batch.mul(1); },
    onEpoch: (record) => seen.push(record.epoch),
  });
  assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
  assert.equal(augmented, 6);
  history.forEach((record, i) => assert.ok(Math.abs(record.learningRate - 0.1 * 0.5 ** i) < 1e-12));
  assert.ok(history[5]!.loss < history[0]!.loss, "the loss falls on a separable problem");
  assert.ok(history[5]!.valAccuracy! >= 0.95);
  // Validation after the epoch equals evaluating the model now (same weights after the last epoch).
  const scores = model.evaluate(x, y) as tf.Scalar[];
  assert.ok(Math.abs(scores[0]!.dataSync()[0]! - history[5]!.valLoss!) < 1e-6);
  tf.dispose(scores);
  assert.equal(new Set(history.slice(1).map((r) => r.liveTensors)).size, 1, "no tensors leak across epochs");
  tf.dispose([x, y]);
  model.dispose();
});

test("fitEpochs rejects an uncompiled model, bad epochs and mismatched sample counts", async () => {
  const { x, y, model } = await problem();
  const raw = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
  await assert.rejects(fitEpochs(raw, x, y, { epochs: 1 }), /compile the model first/);
  await assert.rejects(fitEpochs(model, x, y, { epochs: 0 }), /epochs must be an integer ≥ 1, got 0/);
  await assert.rejects(fitEpochs(model, x, y.slice(0, 10), { epochs: 1 }), /x has 64 samples but y has 10/);
  tf.dispose([x, y]);
  model.dispose();
  raw.dispose();
});
