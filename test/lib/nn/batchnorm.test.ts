import { test } from "node:test";
import * as assert from "node:assert/strict";
import { batchNormForward, initialBatchNormState } from "../../../lib/nn/batchnorm";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

const close = (a: number[], b: number[], tol: number, what: string) =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `${what}[${i}]: ${v} vs ${b[i]}`));

test("a hand-worked channel: training mode uses the batch, the running mean moves by (1 − momentum)", () => {
  const rows = [[1], [3]]; // mean 2, biased variance 1
  const { output, next } = batchNormForward(rows, initialBatchNormState(1), { training: true, momentum: 0.9, epsilon: 0 });
  assert.deepEqual(output, [[-1], [1]]);
  close(next.movingMean, [0.9 * 0 + 0.1 * 2], 1e-15, "movingMean");
  close(next.movingVariance, [0.9 * 1 + 0.1 * 1], 1e-15, "movingVariance");
  const inference = batchNormForward(rows, { ...next, gamma: [2], beta: [0.5] }, { training: false, epsilon: 0 });
  close(inference.output.flat(), rows.map((r) => (2 * (r[0]! - 0.2)) / 1 + 0.5), 1e-12, "inference");
  assert.deepEqual(inference.next.movingMean, next.movingMean);
});

test("batchNormForward = tf.layers.batchNormalization in both modes, and its running averages after 3 steps", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const rng = new Random(1);
  const layer = tf.layers.batchNormalization({ momentum: 0.8, epsilon: 1e-3, gammaInitializer: "randomNormal", betaInitializer: "randomNormal" });
  layer.build([null, 4, 4, 3]);
  const [gamma, beta] = layer.getWeights().slice(0, 2).map((t) => Array.from(t.dataSync()));
  let state = { ...initialBatchNormState(3), gamma: gamma!, beta: beta! };
  for (let step = 0; step < 3; step++) {
    const values = rng.array(2 * 4 * 4 * 3, (r) => r.normal(step, 2));
    const rows = Array.from({ length: 32 }, (_, i) => values.slice(3 * i, 3 * i + 3));
    const x = tf.tensor4d(values, [2, 4, 4, 3]);
    const theirs = Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync());
    const ours = batchNormForward(rows, state, { training: true, momentum: 0.8 });
    close(ours.output.flat(), theirs, 1e-4, `training step ${step}`);
    state = ours.next;
    const [movingMean, movingVariance] = layer.getWeights().slice(2).map((t) => Array.from(t.dataSync()));
    close(state.movingMean, movingMean!, 1e-5, "movingMean");
    close(state.movingVariance, movingVariance!, 1e-4, "movingVariance");
    const inferTf = Array.from((layer.apply(x, { training: false }) as tf.Tensor).dataSync());
    close(batchNormForward(rows, state, { training: false }).output.flat(), inferTf, 1e-4, `inference step ${step}`);
    x.dispose();
  }
});

test("batchNormForward names bad input", () => {
  assert.throws(() => batchNormForward([[1, 2]], initialBatchNormState(3), { training: true }), /rows\[0\] has 2 values, the state has 3 channels/);
  assert.throws(() => batchNormForward([], initialBatchNormState(1), { training: true }), /rows is empty/);
  assert.throws(() => batchNormForward([[1]], initialBatchNormState(1), { training: true, momentum: 1.5 }), /momentum must be in \[0, 1\], got 1.5/);
  assert.throws(() => initialBatchNormState(0), /channels must be a positive integer, got 0/);
});
