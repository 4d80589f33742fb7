import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { float32Bytes, maxAbsDifference, trainableParameterCount, weightCopies, writeWeightValues } from "../../../lib/nn/weights";

test("trainableParameterCount: dense (in + 1)·out per layer, minus frozen layers", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const first = tf.layers.dense({ units: 4, inputShape: [3] });
  const second = tf.layers.dense({ units: 2 });
  const model = tf.sequential({ layers: [first, second] });
  assert.equal(trainableParameterCount(model), (3 + 1) * 4 + (4 + 1) * 2);
  first.trainable = false;
  assert.equal(trainableParameterCount(model), (4 + 1) * 2);
  const bn = tf.sequential({ layers: [tf.layers.batchNormalization({ inputShape: [5] })] });
  assert.equal(trainableParameterCount(bn), 2 * 5, "γ and β train; the running mean and variance do not");
  assert.equal(bn.countParams(), 4 * 5);
  model.dispose();
  bn.dispose();
});

test("weightCopies are detached, and maxAbsDifference finds the largest change", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const layer = tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: "zeros", biasInitializer: "zeros" });
  const model = tf.sequential({ layers: [layer] });
  const before = weightCopies([layer]);
  assert.deepEqual(before.map((w) => w.length), [6, 2]);
  layer.setWeights([tf.tensor2d([[0, 0], [0, -0.75], [0, 0]]), tf.tensor1d([0.25, 0])]);
  assert.ok(before.every((w) => w.every((v) => v === 0)), "the copy did not follow the live variables");
  assert.equal(maxAbsDifference(weightCopies([layer]), before), 0.75);
  assert.equal(maxAbsDifference(before, before), 0);
  assert.throws(() => maxAbsDifference(before, before.slice(1)), /a has 2 weights, b has 1/);
  assert.throws(() => maxAbsDifference([new Float32Array(2)], [new Float32Array(3)]), /weight 0 has 2 values in a, 3 in b/);
  model.dispose();
});

test("float32Bytes tells bit-identical tensors from ones that differ in the last bit", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const one = tf.tensor1d([1, 2]);
  const nextAfterOne = new Float32Array([1, 2]);
  new Uint32Array(nextAfterOne.buffer)[0]! += 1;
  assert.ok(float32Bytes(one).equals(float32Bytes(tf.tensor1d([1, 2]))));
  assert.ok(!float32Bytes(one).equals(float32Bytes(tf.tensor1d(nextAfterOne))));
  assert.equal(float32Bytes(one).length, 8);
});

test("writeWeightValues overwrites each variable in place, skips null entries, and names a count mismatch", async () => {
  await setupTf({ seed: 0, announce: false });
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  const [kernel, bias] = model.weights;
  const before = bias!.read().dataSync().slice();
  writeWeightValues(model.weights, [Float32Array.from([1, 2, 3, 4, 5, 6]), null]);
  assert.deepEqual(Array.from(kernel!.read().dataSync()), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(bias!.read().dataSync(), before);
  assert.throws(() => writeWeightValues(model.weights, [null]), /1 value arrays for 2 variables/);
  model.dispose();
});
