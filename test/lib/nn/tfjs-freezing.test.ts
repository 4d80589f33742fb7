import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";

/**
 * Two tfjs 4.22 behaviours notebook 15 relies on, pinned so that an upgrade that changes them is noticed:
 * `trainable = false` on a nested Sequential is lost when the outer Sequential compiles (Keras keeps it), and
 * `trainable = false` on a batch-norm layer freezes γ and β but not its running statistics (Keras 2.1.3+ runs it
 * in inference mode instead).
 */
async function data() {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const x = tf.tensor2d([[1, 2, 3], [2, 4, 1], [3, 1, 0], [0, 0, 5]]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], "int32"), 2).toFloat();
  return { x, y };
}
const bytes = (model: tf.LayersModel) => model.getWeights().map((w) => Buffer.from(new Float32Array(w.dataSync()).buffer));

test("tfjs: a nested Sequential marked trainable = false still trains inside an outer Sequential", async () => {
  const { x, y } = await data();
  const inner = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) })] });
  const outer = tf.sequential({ layers: [inner, tf.layers.dense({ units: 2, activation: "softmax" })] });
  inner.trainable = false;
  const before = bytes(inner);
  outer.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  await outer.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  assert.notDeepEqual(bytes(inner), before, "the nested model's weights moved although it was marked trainable = false");
  // Freezing its layers instead works.
  inner.layers.forEach((layer) => (layer.trainable = false));
  outer.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  const frozen = bytes(inner);
  await outer.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
  assert.deepEqual(bytes(inner), frozen);
  tf.dispose([x, y]);
});

test("tfjs: a batch-norm layer with trainable = false keeps γ, β but its running statistics follow the batches", async () => {
  const { x, y } = await data();
  const bn = tf.layers.batchNormalization({ inputShape: [3] });
  const model = tf.sequential({ layers: [bn, tf.layers.dense({ units: 2, activation: "softmax" })] });
  bn.trainable = false;
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  await model.fit(x, y, { epochs: 10, batchSize: 4, verbose: 0 });
  const [gamma, beta, movingMean, movingVariance] = bn.getWeights().map((w) => Array.from(w.dataSync()));
  assert.deepEqual(gamma, [1, 1, 1]);
  assert.deepEqual(beta, [0, 0, 0]);
  // running_k = running_0 + (1 − 0.99^k)(batch − running_0), with the batch's biased variance.
  const reached = 1 - 0.99 ** 10;
  const batchMean = [1.5, 1.75, 2.25];
  const batchVariance = [1.25, 2.1875, 3.6875];
  movingMean!.forEach((v, j) => assert.ok(Math.abs(v - reached * batchMean[j]!) < 1e-5, `moving mean ${j}: ${v}`));
  movingVariance!.forEach((v, j) => assert.ok(Math.abs(v - (1 + reached * (batchVariance[j]! - 1))) < 1e-5, `moving variance ${j}: ${v}`));
  tf.dispose([x, y]);
});
