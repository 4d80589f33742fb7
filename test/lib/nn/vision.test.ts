import { test } from "node:test";
import * as assert from "node:assert/strict";
import { flattenImage, shiftImage, toImage } from "../../../lib/nn/augment";
import type { ImageDataset } from "../../../lib/data";
import { setupTf, tf } from "../../../lib/tf";
import { classificationAccuracy, imageBatch, labelsOf, oneHotBatch, predictClasses, randomTranslate, range } from "../../../lib/nn/vision";

/** Three 4 × 3 images whose pixel (r, c) of image i is 100·i + 10·r + c (readable by eye). */
const tiny: ImageDataset = {
  name: "tiny",
  count: 3,
  height: 4,
  width: 3,
  images: Uint8Array.from({ length: 36 }, (_, k) => 100 * Math.floor(k / 12) + 10 * Math.floor((k % 12) / 3) + (k % 3)),
  labels: Uint8Array.from([2, 0, 1]),
  targetNames: ["a", "b", "c"],
};

test("imageBatch scales the chosen images to [n, h, w, 1] in 0–1, in the order asked", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const x = imageBatch(tiny, [2, 0]);
  assert.deepEqual(x.shape, [2, 4, 3, 1]);
  const values = Array.from(x.dataSync());
  assert.ok(Math.abs(values[0]! - 200 / 255) < 1e-7 && Math.abs(values[11]! - 232 / 255) < 1e-7);
  assert.ok(Math.abs(values[12 + 5]! - 12 / 255) < 1e-7);
  x.dispose();
  const y = oneHotBatch(tiny, [0, 1, 2]);
  assert.deepEqual(y.arraySync(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
  y.dispose();
  assert.deepEqual(labelsOf(tiny, [1, 2]), [0, 1]);
  assert.deepEqual(range(3, 6), [3, 4, 5]);
});

test("a bad index names the function, the position and the valid range", () => {
  assert.throws(() => imageBatch(tiny, [0, 3]), /imageBatch: indices\[1\] = 3 is not an image of tiny \(0 … 2\)/);
  assert.throws(() => range(2, 1), /range/);
});

test("randomTranslate equals a whole-pixel zero-filled shift of every image (lib/nn/augment's shiftImage)", async () => {
  for (const backend of ["cpu", "wasm"] as const) {
    await setupTf({ backend, announce: false });
    const n = 90;
    const data: ImageDataset = { ...tiny, count: n, images: Uint8Array.from({ length: n * 12 }, (_, k) => (k * 37) % 251), labels: new Uint8Array(n) };
    const x = imageBatch(data, range(0, n));
    const moved = randomTranslate(x, 1, 7);
    const input = x.arraySync();
    const output = moved.arraySync();
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const source = toImage(flattenImage(input[i]!.map((row) => row.map((p) => p[0]!))), 3);
      const result = output[i]!.map((row) => row.map((p) => p[0]!));
      // Find the shift that explains the output; exactly one of the nine must match to 1e-6.
      const matches = [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dy, dx] as const)).filter(([dy, dx]) =>
        shiftImage(source, dy, dx).every((row, r) => row.every((v, c) => Math.abs(v - result[r]![c]!) < 1e-6)),
      );
      assert.equal(matches.length, 1, `image ${i} (${backend}) is not a whole-pixel shift`);
      seen.add(matches[0]!.join(","));
    }
    assert.equal(seen.size, 9, `${backend}: all nine shifts should occur among ${n} images, saw ${[...seen].join(" ")}`);
    const again = randomTranslate(x, 1, 7);
    assert.deepEqual(Array.from(again.dataSync()), Array.from(moved.dataSync()), "same seed, same shifts");
    tf.dispose([x, moved, again]);
  }
  assert.throws(() => randomTranslate(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D, -1, 0), /maxShift must be an integer ≥ 0/);
});

test("predictClasses is the argmax of the model's outputs; accuracy counts matches", async () => {
  await setupTf({ backend: "cpu", announce: false });
  // A fixed linear model: class scores = pixels · W with W chosen so the answer is known.
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 3, 1] }), tf.layers.dense({ units: 3, useBias: false })] });
  const w = Array.from({ length: 12 }, (_, p) => [p === 0 ? 1 : 0, p === 11 ? 1 : 0, p === 5 ? 3 : 0]);
  model.setWeights([tf.tensor2d(w)]);
  const x = imageBatch(tiny, [0, 1, 2]);
  const scores = x.reshape([3, 12]).arraySync() as number[][];
  const expected = scores.map((s) => { const z = [s[0]!, s[11]!, 3 * s[5]!]; return z.indexOf(Math.max(...z)); });
  assert.deepEqual(Array.from(predictClasses(model, x, 2)), expected);
  assert.equal(classificationAccuracy(model, x, expected), 1);
  assert.equal(classificationAccuracy(model, x, expected.map((c) => (c + 1) % 3)), 0);
  x.dispose();
  model.dispose();
});
