import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { symmetricEigen } from "../../../lib/math/linalg";
import { contentLoss, gramMatrix, styleLoss } from "../../../lib/imaging/style";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

function randomFeatures(rng: Random, shape: [number, number, number, number]): number[] {
  return Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

test("the Gram matrix equals the explicit mean over positions of channel products, per image", () => {
  const rng = new Random(1);
  const [batch, height, width, channels] = [2, 3, 4, 5];
  const values = randomFeatures(rng, [batch, height, width, channels]);
  const gram = tf.tidy(() => gramMatrix(tf.tensor4d(values, [batch, height, width, channels])).arraySync());
  const at = (b: number, y: number, x: number, c: number) => values[((b * height + y) * width + x) * channels + c]!;
  for (let b = 0; b < batch; b += 1) {
    for (let i = 0; i < channels; i += 1) {
      for (let j = 0; j < channels; j += 1) {
        let sum = 0;
        for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) sum += at(b, y, x, i) * at(b, y, x, j);
        assert.ok(Math.abs(gram[b]![i]![j]! - sum / (height * width)) < 1e-5, `G[${b}][${i}][${j}]`);
      }
    }
  }
});

test("Gram matrices are symmetric positive semi-definite, even with more channels than positions", () => {
  const rng = new Random(2);
  for (const shape of [[1, 2, 2, 6], [1, 4, 4, 3], [1, 1, 3, 8]] as [number, number, number, number][]) {
    const gram = tf.tidy(() => gramMatrix(tf.tensor4d(randomFeatures(rng, shape), shape)).arraySync())[0]!;
    gram.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - gram[j]![i]!) < 1e-6)));
    const { values } = symmetricEigen(gram);
    assert.ok(values.every((v) => v >= -1e-6), `eigenvalues ${values}`);
  }
});

test("permuting positions leaves the Gram matrix and the style loss unchanged but moves the content loss", () => {
  const rng = new Random(3);
  const shape: [number, number, number, number] = [1, 4, 4, 3];
  const values = randomFeatures(rng, shape);
  const positions = rng.permutation(16);
  const permuted = positions.flatMap((p) => values.slice(p * 3, p * 3 + 3));
  tf.tidy(() => {
    const [a, b] = [tf.tensor4d(values, shape), tf.tensor4d(permuted, shape)];
    const difference = tf.max(tf.abs(tf.sub(gramMatrix(a), gramMatrix(b)))).dataSync()[0]!;
    assert.ok(difference < 1e-5, `Gram changed by ${difference}`);
    assert.ok(styleLoss(b, a).dataSync()[0]! < 1e-9);
    assert.ok(contentLoss(b, a).dataSync()[0]! > 0.1, "content loss sees the new layout");
    assert.equal(contentLoss(a, a).dataSync()[0], 0);
  });
});

test("shapes are checked, naming the argument", () => {
  tf.tidy(() => {
    assert.throws(() => gramMatrix(tf.zeros([3, 3, 2]) as unknown as tf.Tensor4D), /gramMatrix: features must be feature maps \[batch, H, W, C\], got shape \[3, 3, 2\]/);
    assert.throws(() => styleLoss(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, tf.zeros([1, 2, 2, 4]) as tf.Tensor4D), /3 channels vs 4/);
    assert.throws(() => contentLoss(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, tf.zeros([1, 3, 2, 3]) as tf.Tensor4D), /differ in shape/);
  });
});
