import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { EarlyStopping, fitEpochs } from "../../../lib/nn/training";

/** Two blobs and a small dense model: every epoch changes the weights, so each epoch's weights are distinct. */
async function problem() {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const points = Array.from({ length: 64 }, (_, i) => [Math.cos(i) * 2, Math.sin(3 * i) * 2]);
  const x = tf.tensor2d(points);
  const y = tf.oneHot(tf.tensor1d(points.map(([a, b]) => (a! + b! > 0 ? 1 : 0)), "int32"), 2).toFloat();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2], activation: "softmax" })] });
  model.compile({ optimizer: tf.train.adam(0.05), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return { x, y, model };
}

/** The raw bytes of every weight, to compare bit for bit. */
const weightBytes = (model: tf.LayersModel) => model.getWeights().map((w) => Buffer.from(new Float32Array(w.dataSync()).buffer));

test("EarlyStopping follows Keras: patience counts epochs since the last improvement, minDelta is a strict margin", () => {
  // Keras's own example: the first value is best, patience 3 → stop after 4 epochs.
  const keras = new EarlyStopping({ patience: 3, mode: "min" });
  const stops = [1, 1, 1, 1, 1].map((v) => (keras.improves(v), keras.shouldStop()));
  assert.deepEqual(stops, [false, false, false, true, true]);

  // minDelta: 0.95 is not better than 1 − 0.1; 0.85 is. mode "max" mirrors it.
  const min = new EarlyStopping({ patience: 1, minDelta: 0.1, mode: "min" });
  assert.deepEqual([1, 0.95, 0.85].map((v) => min.improves(v)), [true, false, true]);
  const max = new EarlyStopping({ patience: 1, minDelta: 0.1, mode: "max" });
  assert.deepEqual([1, 1.05, 1.15, 1.1].map((v) => max.improves(v)), [true, false, true, false]);
  assert.equal(max.bestEpoch, 3);
  assert.equal(max.shouldStop(), true);

  // patience 0 stops at the first epoch that does not improve.
  const eager = new EarlyStopping({ mode: "min" });
  assert.deepEqual([3, 2, 2.5].map((v) => (eager.improves(v), eager.shouldStop())), [false, false, true]);
});

test("EarlyStopping rejects bad options and non-finite values, naming them", () => {
  assert.throws(() => new EarlyStopping({ patience: -1, mode: "min" }), /patience must be an integer ≥ 0, got -1/);
  assert.throws(() => new EarlyStopping({ patience: 1.5, mode: "min" }), /patience must be an integer ≥ 0, got 1.5/);
  assert.throws(() => new EarlyStopping({ minDelta: -0.1, mode: "min" }), /minDelta must be a number ≥ 0, got -0.1/);
  assert.throws(() => new EarlyStopping({ mode: "up" as "min" }), /mode must be "min" or "max", got up/);
  assert.throws(() => new EarlyStopping({ mode: "min" }).improves(NaN), /epoch 1's monitored value is NaN/);
});

test("fitEpochs stops after exactly `patience` epochs without improvement and restores the best epoch's weights bit for bit", async () => {
  const { x, y, model } = await problem();
  // Scripted monitor: best at epoch 3, then 0.5 (not better by more than minDelta 0.1), then worse.
  const scripted = [0.9, 0.7, 0.4, 0.5, 0.35, 0.6, 0.2, 0.1];
  for (const patience of [1, 2, 3]) {
    const snapshots: Buffer[][] = [];
    const history = await fitEpochs(model, x, y, {
      epochs: scripted.length,
      batchSize: 16,
      onEpoch: () => snapshots.push(weightBytes(model)),
      earlyStopping: { monitor: (record) => scripted[record.epoch - 1]!, minDelta: 0.1, patience, restoreBestWeights: true },
    });
    assert.equal(history.bestEpoch, 3, `patience ${patience}: best epoch`);
    assert.equal(history.length, 3 + patience, `patience ${patience}: epochs run`);
    assert.equal(history.stoppedEpoch, 3 + patience);
    assert.notDeepEqual(snapshots[2], snapshots[snapshots.length - 1], "training moved the weights after the best epoch");
    assert.deepEqual(weightBytes(model), snapshots[2], `patience ${patience}: restored weights = epoch 3's, bit for bit`);
  }
  tf.dispose([x, y]);
  model.dispose();
});

test("fitEpochs without restoreBestWeights keeps the last epoch's weights; without a stop it runs every epoch", async () => {
  const { x, y, model } = await problem();
  const snapshots: Buffer[][] = [];
  const stopped = await fitEpochs(model, x, y, {
    epochs: 6, batchSize: 16, onEpoch: () => snapshots.push(weightBytes(model)),
    earlyStopping: { monitor: (record) => [3, 2, 2, 2, 1, 0][record.epoch - 1]!, patience: 2 },
  });
  assert.equal(stopped.length, 4);
  assert.deepEqual(weightBytes(model), snapshots[3]);
  const improving = await fitEpochs(model, x, y, {
    epochs: 4, batchSize: 16, validation: { x, y }, earlyStopping: { monitor: "valAccuracy", patience: 0, restoreBestWeights: true, minDelta: 0 },
  });
  assert.ok(improving.length >= 1 && improving.bestEpoch !== null);
  // "auto" mode maximises accuracy: the best epoch has the highest validation accuracy among those run.
  const best = Math.max(...improving.map((r) => r.valAccuracy!));
  assert.equal(improving[improving.bestEpoch! - 1]!.valAccuracy, best);
  // The restored model scores exactly the best epoch's validation accuracy.
  const scores = model.evaluate(x, y) as tf.Scalar[];
  assert.equal(scores[1]!.dataSync()[0], best);
  tf.dispose(scores);
  assert.equal(new Set(improving.map((r) => r.liveTensors)).size, 1, "no tensors kept per epoch");
  tf.dispose([x, y]);
  model.dispose();
});

test("fitEpochs refuses an early-stopping monitor it cannot read", async () => {
  const { x, y, model } = await problem();
  await assert.rejects(fitEpochs(model, x, y, { epochs: 2, earlyStopping: { patience: 1 } }), /monitors valLoss, so pass validation data/);
  await assert.rejects(fitEpochs(model, x, y, { epochs: 2, earlyStopping: { monitor: "valAcc" as "valLoss" } }), /monitor must be one of valLoss, valAccuracy, loss, accuracy or a function, got valAcc/);
  tf.dispose([x, y]);
  model.dispose();
});
