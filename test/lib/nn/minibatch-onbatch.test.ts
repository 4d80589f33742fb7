import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fitMinibatchLoss } from "../../../lib/nn/minibatch";
import { setupTf, tf } from "../../../lib/tf";

test("onBatch sees every step, numbered across epochs, with losses whose row-weighted mean is each epoch's loss", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const xs = tf.linspace(-1, 1, 30).reshape([30, 1]);
  const ys = xs.mul(3);
  const w = tf.variable(tf.zeros([1, 1]));
  const seen: { step: number; loss: number }[] = [];
  const lossOfRows = (rows: number[]) => {
    const index = tf.tensor1d(rows, "int32");
    return tf.losses.meanSquaredError(tf.gather(ys, index), tf.matMul(tf.gather(xs, index), w)) as tf.Scalar;
  };
  // 30 examples in batches of 8: 8, 8, 8, 6 rows, 4 steps per epoch.
  const epochLosses = fitMinibatchLoss(lossOfRows, { examples: 30, epochs: 3, batchSize: 8, learningRate: 0.05, seed: 2, onBatch: (step, loss) => seen.push({ step, loss }) });
  assert.deepEqual(seen.map((s) => s.step), Array.from({ length: 12 }, (_, i) => i + 1));
  epochLosses.forEach((epochLoss, e) => {
    const batch = seen.slice(4 * e, 4 * e + 4).map((s) => s.loss);
    const weighted = (8 * (batch[0]! + batch[1]! + batch[2]!) + 6 * batch[3]!) / 30;
    assert.ok(Math.abs(weighted - epochLoss) < 1e-6 * Math.max(1, epochLoss), `epoch ${e + 1}: ${weighted} vs ${epochLoss}`);
  });
  tf.dispose([xs, ys, w]);
});
