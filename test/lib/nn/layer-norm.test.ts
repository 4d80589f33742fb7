import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { LayerNorm } from "../../../lib/nn/layer-norm";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor) => tf.abs(a.sub(b)).max().arraySync() as number;

test("equals tf.layers.layerNormalization (axis −1) in outputs and in the gradients of input, γ and β", () => {
  for (const shape of [[4, 6], [3, 5, 8], [2, 3, 4, 6]]) {
    const x = tf.randomNormal(shape, 2, 3, "float32", 1);
    const ours = new LayerNorm({ epsilon: 1e-5 });
    const reference = tf.layers.layerNormalization({ axis: -1, epsilon: 1e-5 });
    ours.apply(x);
    reference.apply(x);
    const features = shape[shape.length - 1]!;
    const gamma = tf.randomNormal([features], 1, 0.5, "float32", 2), beta = tf.randomNormal([features], 0, 0.5, "float32", 3);
    ours.setWeights([gamma, beta]);
    reference.setWeights([gamma, beta]);
    assert.ok(maxAbsDiff(ours.apply(x) as tf.Tensor, reference.apply(x) as tf.Tensor) < 1e-5, `forward ${shape}`);
    const upstream = tf.randomNormal(shape, 0, 1, "float32", 4);
    const gradients = (layer: tf.layers.Layer) => {
      const { value, grads } = tf.variableGrads(() => (layer.apply(x) as tf.Tensor).mul(upstream).sum() as tf.Scalar, layer.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val));
      value.dispose();
      return [...Object.values(grads), tf.grad((input: tf.Tensor) => (layer.apply(input) as tf.Tensor).mul(upstream).sum())(x)];
    };
    const [a, b] = [gradients(ours), gradients(reference)];
    a.forEach((g, i) => assert.ok(maxAbsDiff(g, b[i]!) < 1e-4, `gradient ${i} for ${shape}: ${maxAbsDiff(g, b[i]!)}`));
  }
});

test("γ = 1, β = 0 at initialisation: every row normalised to mean 0 and variance v/(v + ε); 2·d parameters", () => {
  const input = tf.input({ shape: [7, 10] });
  const layer = new LayerNorm({ epsilon: 1e-5 });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  assert.equal(model.countParams(), 20);
  const y = model.predict(tf.randomNormal([3, 7, 10], 5, 2, "float32", 5)) as tf.Tensor;
  const { mean, variance } = tf.moments(y, -1);
  assert.ok((mean.abs().max().arraySync() as number) < 1e-5);
  assert.ok((variance.sub(1).abs().max().arraySync() as number) < 1e-4);
});

test("a training step runs with a handful of kernels (no per-tile Slice/Add loop)", async () => {
  const input = tf.input({ shape: [16, 32] });
  const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 1 }).apply(tf.layers.flatten().apply(new LayerNorm().apply(input) as tf.SymbolicTensor) as tf.SymbolicTensor) as tf.SymbolicTensor });
  model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
  const [x, y] = [tf.randomNormal([32, 16, 32]), tf.zeros([32, 1])];
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  const info = await tf.profile(async () => { await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 }); });
  const slices = info.kernels.filter((k) => k.name === "Slice").length;
  assert.ok(slices < 20, `${slices} Slice kernels in one step`);
  assert.throws(() => new LayerNorm({ epsilon: 0 }), /epsilon must be a finite number > 0, got 0/);
});
