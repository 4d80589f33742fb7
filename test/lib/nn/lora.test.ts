import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { LoraDense, loraParameterCount } from "../../../lib/nn/lora";

const bytes = (t: tf.Tensor) => Buffer.from(new Float32Array(t.dataSync()).buffer);

/** A pretrained-like dense layer 6 → 4 (ReLU) inside a model, and some inputs. */
async function pretrainedDense() {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const dense = tf.layers.dense({ units: 4, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) });
  const base = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6] }), dense] });
  const x = tf.randomNormal([32, 6], 0, 1, "float32", 3);
  return { dense, base, x };
}

test("LoRA starts as the frozen layer exactly, and trains r·(dIn + dOut) parameters", async () => {
  const { dense, base, x } = await pretrainedDense();
  for (const rank of [1, 2, 4]) {
    const lora = LoraDense.fromDense(dense, { rank, alpha: 2 * rank, seed: 5 });
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6] }), lora] });
    const [before, after] = [base.predict(x) as tf.Tensor, model.predict(x) as tf.Tensor];
    assert.deepEqual(bytes(after), bytes(before), `rank ${rank}: outputs at step 0 are bit-identical (B = 0)`);
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
    assert.equal(trainable, loraParameterCount(6, 4, rank));
    assert.equal(trainable, rank * (6 + 4));
    assert.deepEqual(model.trainableWeights.map((w) => w.originalName.split("/").pop()), ["lora_A", "lora_B"]);
    tf.dispose([before, after]);
    model.dispose();
  }
  tf.dispose(x);
});

test("after training, W and b are bit-identical, the output moved, and the merged kernel computes the same function", async () => {
  const { dense, base, x } = await pretrainedDense();
  const [kernelBefore, biasBefore] = dense.getWeights().map(bytes);
  const lora = LoraDense.fromDense(dense, { rank: 2, alpha: 4, seed: 5 });
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6] }), lora] });
  model.compile({ optimizer: tf.train.adam(0.05), loss: "meanSquaredError" });
  // A target the rank-2 correction can reach: the frozen layer with a rank-1 change of its kernel.
  const target = tf.tidy(() => {
    const change = tf.matMul(tf.randomNormal([6, 1], 0, 1, "float32", 7), tf.randomNormal([1, 4], 0, 1, "float32", 8));
    return tf.relu(tf.matMul(x, (dense.getWeights()[0] as tf.Tensor2D).add(change)).add(dense.getWeights()[1]!));
  });
  const history = await model.fit(x, target, { epochs: 100, batchSize: 32, verbose: 0 });
  const losses = history.history["loss"] as number[];
  assert.ok(losses[losses.length - 1]! < 0.5 * losses[0]!, "the low-rank correction fits part of the target");
  const weights = Object.fromEntries(lora.weights.map((w) => [w.originalName.split("/").pop()!, w.read()]));
  assert.deepEqual(bytes(weights["kernel"]!), kernelBefore, "frozen W unchanged, bit for bit");
  assert.deepEqual(bytes(weights["bias"]!), biasBefore, "frozen b unchanged, bit for bit");
  assert.ok(tf.any(weights["lora_B"]!.notEqual(0)).dataSync()[0] === 1, "B moved away from zero");
  // Merged: relu(x·(W + (α/r)AB) + b) with a plain dense layer.
  const merged = tf.layers.dense({ units: 4, activation: "relu", inputShape: [6] });
  const mergedModel = tf.sequential({ layers: [merged] });
  const mergedKernel = lora.mergedKernel();
  merged.setWeights([mergedKernel, weights["bias"]!]);
  const [viaLora, viaMerged] = [model.predict(x) as tf.Tensor, mergedModel.predict(x) as tf.Tensor];
  assert.ok(tf.max(tf.abs(viaLora.sub(viaMerged))).dataSync()[0]! < 1e-5, "merged dense = LoRA layer");
  // Closed form of the merge from the raw factors.
  const expected = tf.tidy(() => weights["kernel"]!.add(tf.matMul(weights["lora_A"] as tf.Tensor2D, weights["lora_B"] as tf.Tensor2D).mul(4 / 2)));
  assert.ok(tf.max(tf.abs(expected.sub(mergedKernel))).dataSync()[0]! < 1e-6);
  tf.dispose([x, target, mergedKernel, viaLora, viaMerged, expected]);
  model.dispose();
  mergedModel.dispose();
});

test("LoRA's gradient with respect to B matches finite differences (scale α/r included)", async () => {
  const { dense, x } = await pretrainedDense();
  const lora = LoraDense.fromDense(dense, { rank: 2, alpha: 3, seed: 5 });
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [6] }), lora] });
  const bVariable = lora.trainableWeights.find((w) => w.originalName.endsWith("lora_B"))!;
  // Move B off zero so that ReLU's active set is generic, then compare dL/dB with central differences.
  bVariable.write(tf.randomNormal([2, 4], 0, 0.3, "float32", 11));
  const loss = () => tf.tidy(() => (model.predict(x) as tf.Tensor).square().sum() as tf.Scalar);
  const grads = tf.variableGrads(loss, [bVariable.read() as tf.Variable]);
  const analytic = Object.values(grads.grads)[0]!.dataSync();
  const b = Float32Array.from(bVariable.read().dataSync());
  const h = 1e-2;
  const numeric = Array.from(b, (_, i) => {
    const at = (delta: number) => { const copy = Float32Array.from(b); copy[i]! += delta; bVariable.write(tf.tensor2d(copy, [2, 4])); return loss().dataSync()[0]!; };
    return (at(h) - at(-h)) / (2 * h);
  });
  numeric.forEach((g, i) => assert.ok(Math.abs(g - analytic[i]!) <= 2e-2 * Math.max(1, Math.abs(g)), `dL/dB[${i}]: numeric ${g}, analytic ${analytic[i]}`));
  tf.dispose([grads.value, ...Object.values(grads.grads), x]);
  model.dispose();
});

test("LoraDense rejects bad arguments, naming them", async () => {
  const { dense, x } = await pretrainedDense();
  const kernel = dense.getWeights()[0] as tf.Tensor2D;
  assert.throws(() => new LoraDense({ kernel, rank: 0, seed: 0 }), /rank must be an integer in \[1, min\(dIn, dOut\) = 4\], got 0/);
  assert.throws(() => new LoraDense({ kernel, rank: 5, seed: 0 }), /got 5/);
  assert.throws(() => new LoraDense({ kernel, rank: 2, alpha: -1, seed: 0 }), /alpha must be a finite number > 0, got -1/);
  assert.throws(() => new LoraDense({ kernel, rank: 2, seed: 0.5 }), /seed must be an integer, got 0.5/);
  assert.throws(() => new LoraDense({ kernel, rank: 2, seed: 0, activation: "gelu" }), /activation "gelu" is not supported/);
  assert.throws(() => new LoraDense({ kernel, bias: tf.zeros([3]) as tf.Tensor1D, rank: 2, seed: 0 }), /bias must have shape \[4\], got \[3\]/);
  assert.throws(() => LoraDense.fromDense(tf.layers.flatten({}), { rank: 1, seed: 0 }), /expected a Dense layer, got Flatten/);
  assert.throws(() => LoraDense.fromDense(tf.layers.dense({ units: 3 }), { rank: 1, seed: 0 }), /is not built yet/);
  const wrongInput = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [5] })] });
  assert.throws(() => wrongInput.add(new LoraDense({ kernel, rank: 1, seed: 0 })), /input has 5 features, the frozen kernel expects 6/);
  tf.dispose(x);
});
