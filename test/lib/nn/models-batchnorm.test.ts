import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf } from "../../../lib/tf";
import { digitCnn } from "../../../lib/nn/models";

test("digitCnn({ batchNorm: true }): conv (no bias) → BN → ReLU → pool blocks, 3 more numbers per channel", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const plain = digitCnn({ seed: 0 });
  const bn = digitCnn({ seed: 0, batchNorm: true });
  assert.deepEqual(bn.layers.slice(0, 9).map((l) => l.name), [
    "backbone_conv1", "backbone_bn1", "backbone_relu1", "backbone_pool1",
    "backbone_conv2", "backbone_bn2", "backbone_relu2", "backbone_pool2", "backbone_flatten",
  ]);
  // Per channel: γ, β, running mean, running variance added; the conv bias removed.
  assert.equal(bn.countParams(), plain.countParams() + 3 * (24 + 48));
  const trainable = bn.trainableWeights.reduce((s, w) => s + w.shape.reduce((a, b) => a! * b!, 1)!, 0);
  assert.equal(bn.countParams() - trainable, 2 * (24 + 48));
  // Same seed, same conv kernels in both variants.
  assert.deepEqual(Array.from(bn.getLayer("backbone_conv1").getWeights()[0]!.dataSync()), Array.from(plain.getLayer("backbone_conv1").getWeights()[0]!.dataSync()));
  plain.dispose();
  bn.dispose();
});
