import { test } from "node:test";
import * as assert from "node:assert/strict";
import { gradientFlow } from "../../../lib/nn/gradient-flow";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

const rng = new Random(9);
const images = Array.from({ length: 40 }, () => rng.array(36, (r) => r.uniform(0, 1)));
const labels = Array.from({ length: 40 }, (_, i) => i % 4);

test("zero branches: every block is the identity, so ∂L/∂h₀ = ∂L/∂h_last exactly; a plain Glorot stack loses the gradient", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const before = tf.memory().numTensors;
  const zero = gradientFlow(images, labels, { residual: true, init: "zero branch", seed: 1, blocks: 6, batchSize: 16 });
  assert.equal(zero.norms.length, 7);
  zero.first.forEach((v, i) => assert.ok(Math.abs(v - zero.last[i]!) < 1e-9, `entry ${i}`));
  assert.ok(zero.norms[0]! > 0);
  const plain = gradientFlow(images, labels, { residual: false, init: "glorot", seed: 1, blocks: 6, batchSize: 16 });
  assert.ok(plain.norms[0]! < 0.1 * plain.norms[6]!, `plain: ${plain.norms[0]} vs ${plain.norms[6]}`);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
});

test("gradientFlow names bad input", () => {
  assert.throws(() => gradientFlow(images, labels.slice(1), { residual: true, init: "he", seed: 0 }), /40 images but 39 labels/);
  assert.throws(() => gradientFlow(images, labels, { residual: true, init: "he", seed: 0 }), /batchSize 64 exceeds the 40 images/);
  assert.throws(() => gradientFlow(images, labels, { residual: true, init: "xavier" as never, seed: 0, batchSize: 8 }), /init must be/);
});
