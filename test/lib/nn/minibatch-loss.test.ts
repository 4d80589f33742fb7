import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fitMinibatches, fitMinibatchLoss } from "../../../lib/nn/minibatch";
import { setupTf, tf } from "../../../lib/tf";

test("fitMinibatchLoss on gathered rows = fitMinibatches exactly; decay and clipping change the path; bad options are named", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const xs = tf.linspace(-1, 1, 40).reshape([40, 1]);
  const ys = xs.mul(-2).add(0.5);
  const line = (x: tf.Tensor, w: tf.Variable, b: tf.Variable) => tf.add(tf.matMul(x, w), b);
  const run = (fit: (w: tf.Variable, b: tf.Variable) => number[]) => {
    const [w, b] = [tf.variable(tf.zeros([1, 1])), tf.variable(tf.zeros([1]))];
    const before = tf.memory().numTensors;
    const losses = fit(w, b);
    assert.equal(tf.memory().numTensors, before, "no tensor left behind");
    tf.dispose([w, b]);
    return losses;
  };
  const settings = { epochs: 20, batchSize: 8, learningRate: 0.1, seed: 5 };
  const reference = run((w, b) => fitMinibatches({ inputs: xs, targets: ys, variables: [w, b], loss: (x, y) => tf.losses.meanSquaredError(y, line(x, w, b)) as tf.Scalar, ...settings }));
  const lossOfRows = (w: tf.Variable, b: tf.Variable) => (rows: number[]) => {
    const index = tf.tensor1d(rows, "int32");
    return tf.losses.meanSquaredError(tf.gather(ys, index), line(tf.gather(xs, index), w, b)) as tf.Scalar;
  };
  assert.deepEqual(run((w, b) => fitMinibatchLoss(lossOfRows(w, b), { examples: 40, variables: [w, b], ...settings })), reference);
  const decayed = run((w, b) => fitMinibatchLoss(lossOfRows(w, b), { examples: 40, ...settings, learningRateDecay: 0.5 }));
  const clipped = run((w, b) => fitMinibatchLoss(lossOfRows(w, b), { examples: 40, ...settings, clipNorm: 0.01 }));
  assert.notDeepEqual(decayed, reference);
  assert.notDeepEqual(clipped, reference);
  assert.ok(clipped.at(-1)! < clipped[0]!, "clipped training still lowers the loss");
  const epochs: number[] = [];
  run((w, b) => fitMinibatchLoss(lossOfRows(w, b), { examples: 40, ...settings, epochs: 3, onEpoch: (epoch) => epochs.push(epoch) }));
  assert.deepEqual(epochs, [1, 2, 3]);
  assert.throws(() => fitMinibatchLoss(() => tf.scalar(0), { examples: 0, ...settings }), /fitMinibatchLoss: examples must be a positive integer, got 0/);
  assert.throws(() => fitMinibatchLoss(() => tf.scalar(0), { examples: 4, ...settings, learningRateDecay: 0 }), /learningRateDecay must be > 0, got 0/);
});
