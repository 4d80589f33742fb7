import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { LoraDense } from "../../../lib/nn/lora";

// On the wasm backend tf.layers.dense fuses its bias (and ReLU) into the matMul, which rounds differently from a
// matMul followed by an add; LoraDense must compute the frozen part the same way to start bit-identical.
test("on wasm, a fresh LoRA layer's outputs are bit-identical to the pretrained dense layer's (linear, ReLU, softmax)", async () => {
  await setupTf({ backend: "wasm", seed: 0, announce: false });
  const x = tf.randomNormal([200, 64], 0, 1, "float32", 3);
  for (const activation of ["linear", "relu", "softmax"] as const) {
    const dense = tf.layers.dense({ units: 16, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: tf.initializers.randomNormal({ seed: 2 }) });
    const base = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [64] }), dense] });
    const lora = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [64] }), LoraDense.fromDense(dense, { rank: 4, alpha: 8, seed: 0 })] });
    const [a, b] = [base.predict(x) as tf.Tensor, lora.predict(x) as tf.Tensor];
    assert.deepEqual(Buffer.from(new Float32Array(b.dataSync()).buffer), Buffer.from(new Float32Array(a.dataSync()).buffer), activation);
    tf.dispose([a, b]);
    base.dispose();
    lora.dispose();
  }
  x.dispose();
});
