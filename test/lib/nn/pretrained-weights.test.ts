import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf } from "../../../lib/tf";
import { loadPretrained, pretrainedDir, storedWeightBytes } from "../../../lib/nn/pretrained";

test("storedWeightBytes gives, for every weight of the loaded network, exactly its float32 bytes", async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
  const stored = storedWeightBytes(pretrainedDir("digits-0-4-cnn"));
  const { model } = await loadPretrained("digits-0-4-cnn", { includeTop: true });
  assert.equal(stored.size, model.weights.length);
  for (const w of model.weights) {
    const bytes = Buffer.from(new Float32Array(w.read().dataSync()).buffer);
    assert.ok(stored.get(w.originalName)?.equals(bytes), `${w.originalName}: stored bytes = loaded weight`);
  }
  model.dispose();
});
