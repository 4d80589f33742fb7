import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fitMinibatches } from "../../../lib/nn/minibatch";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

test("fitMinibatches fits a line, lowers the loss, frees every tensor, and repeats itself for a seed", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const xs = tf.linspace(-1, 1, 50).reshape([50, 1]);
  const ys = xs.mul(3).add(1);
  const run = () => {
    const w = tf.variable(tf.zeros([1, 1]));
    const b = tf.variable(tf.zeros([1]));
    const before = tf.memory().numTensors;
    const losses = fitMinibatches({ inputs: xs, targets: ys, variables: [w, b], loss: (x, y) => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, w), b)) as tf.Scalar,
      epochs: 60, batchSize: 8, learningRate: 0.1, seed: 3 });
    assert.equal(tf.memory().numTensors, before, "no tensor left behind");
    const fitted = [w.dataSync()[0]!, b.dataSync()[0]!];
    tf.dispose([w, b]);
    return { losses, fitted };
  };
  const first = run();
  assert.equal(first.losses.length, 60);
  assert.ok(first.losses[59]! < 1e-3 * first.losses[0]!, `loss ${first.losses[0]} → ${first.losses[59]}`);
  assert.ok(Math.abs(first.fitted[0]! - 3) < 0.05 && Math.abs(first.fitted[1]! - 1) < 0.05, `fitted ${first.fitted}`);
  assert.deepEqual(run().losses, first.losses);
  assert.throws(() => fitMinibatches({ inputs: xs, targets: ys.slice(0, 10), variables: [], loss: () => tf.scalar(0), epochs: 1, batchSize: 1, learningRate: 1, seed: 0 }),
    /inputs has 50 examples but targets has 10/);
  assert.throws(() => fitMinibatches({ inputs: xs, targets: ys, variables: [], loss: () => tf.scalar(0), epochs: 0, batchSize: 1, learningRate: 1, seed: 0 }),
    /epochs must be a positive integer, got 0/);
  tf.dispose([xs, ys]);
});

test("fitMinibatches visits each epoch in the order of the next Random(seed).permutation, in batches of batchSize", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const xs = tf.tensor2d(Array.from({ length: 10 }, (_, i) => [i]));
  const w = tf.variable(tf.zeros([1, 1]));
  const seen: number[][] = [];
  fitMinibatches({ inputs: xs, targets: xs, variables: [w], epochs: 2, batchSize: 4, learningRate: 0.01, seed: 11,
    loss: (x, y) => {
      seen.push(Array.from(x.dataSync()));
      return tf.losses.meanSquaredError(y, tf.matMul(x, w)) as tf.Scalar;
    } });
  const order = new Random(11);
  const expected = [order.permutation(10), order.permutation(10)].flatMap((p) => [p.slice(0, 4), p.slice(4, 8), p.slice(8)]);
  assert.deepEqual(seen, expected);
  tf.dispose([xs, w]);
});
