// Saving pretrained weights where the disk fills up: the three files are stored all together or not at all,
// so the artefact already there still verifies and loads, and the error names the file and the cause.
import { mock, test } from "node:test";
import * as assert from "node:assert/strict";
import fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { digitBackboneLayers, digitHeadLayers } from "../../../lib/nn/models";
import { loadPretrained, verifyPretrained } from "../../../lib/nn/pretrained";
import { savePretrained } from "../../../scripts/data/save-pretrained";
import { setupTf, tf } from "../../../lib/tf";

function smallModel(seed: number): { model: tf.Sequential; backboneLayers: string[] } {
  const backbone = digitBackboneLayers({ inputShape: [12, 12, 1], filters: [3, 4], kernelSize: 3, seed });
  const model = tf.sequential({ layers: [...backbone, ...digitHeadLayers({ classes: 3, denseUnits: 5, dropout: 0, seed })] });
  return { model, backboneLayers: backbone.map((layer) => layer.name) };
}

const recipe = (backboneLayers: string[], seed: number) => ({
  name: "test-model", description: "unit test", createdBy: "test/lib/nn/pretrained-writes.test.ts", tfjsVersion: tf.version.tfjs, backend: tf.getBackend(),
  threads: 1, seed, preprocessing: { input: "0–1", scale: 1, mean: 0, std: 1 }, backboneLayers, architecture: {}, training: {}, data: {}, results: {},
});

test("a full disk while saving pretrained weights leaves the old artefact whole, whichever file fails", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pretrained-writes-"));
  try {
    const old = smallModel(1);
    const saved = await savePretrained(old.model, dir, recipe(old.backboneLayers, 1));
    const before = Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))]));
    const fresh = smallModel(2);
    // The disk is full after 0 bytes (weights.bin fails), after weights.bin (model.json fails), and after both (recipe.json).
    const weightBytes = saved.files["weights.bin"].bytes;
    for (const [budget, failing] of [[0, "weights.bin"], [weightBytes, "model.json"], [weightBytes + saved.files["model.json"].bytes, "recipe.json"]] as const) {
      const real = fs.writeSync;
      let written = 0;
      const writes = mock.method(fs, "writeSync", (fd: number, bytes: Uint8Array, offset = 0, length = bytes.length - offset) => {
        if (written >= budget) throw Object.assign(new Error("ENOSPC: injected"), { code: "ENOSPC" });
        const n = real(fd, bytes, offset, Math.min(length, budget - written));
        written += n;
        return n;
      });
      try {
        await assert.rejects(savePretrained(fresh.model, dir, recipe(fresh.backboneLayers, 2)), new RegExp(`cannot write \\S*${failing.replace(".", "\\.")}: no space left on the device \\(ENOSPC\\)`));
      } finally {
        writes.mock.restore();
      }
      assert.deepEqual(Object.fromEntries(fs.readdirSync(dir).map((name) => [name, fs.readFileSync(path.join(dir, name))])), before, `after ${failing} failed`);
    }
    assert.deepEqual(verifyPretrained(dir).recipe, saved);
    const loaded = await loadPretrained("unused", { dir, includeTop: true });
    assert.deepEqual(loaded.model.getWeights().map((w) => Array.from(w.dataSync())), old.model.getWeights().map((w) => Array.from(w.dataSync())));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
