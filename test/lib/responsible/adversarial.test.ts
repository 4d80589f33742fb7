import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { fgsm } from "../../../lib/responsible/adversarial";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("FGSM on logistic regression moves each input by ε against the closed-form gradient sign (p − y)·w", () => {
  const w = tf.tensor2d([[2], [-1], [0.5]]);
  const x = tf.tensor2d([[0.5, 0.5, 0.5], [0.2, 0.9, 0.4]]);
  const y = tf.tensor2d([[1], [0]]);
  const loss = (z: tf.Tensor) => tf.losses.sigmoidCrossEntropy(y, z.matMul(w)) as tf.Scalar;
  const adv = fgsm(loss, x, 0.1, [0, 1]).arraySync() as number[][];
  const p = tf.sigmoid(x.matMul(w)).arraySync() as number[][];
  const xs = x.arraySync(), ys = [1, 0], ws = [2, -1, 0.5];
  xs.forEach((row, i) => row.forEach((v, j) => {
    const expected = Math.min(1, Math.max(0, v + 0.1 * Math.sign((p[i]![0]! - ys[i]!) * ws[j]!)));
    assert.ok(Math.abs(adv[i]![j]! - expected) < 1e-6, `[${i}][${j}] ${adv[i]![j]} vs ${expected}`);
  }));
});

test("FGSM clips to the valid range and refuses bad ε or range", () => {
  const x = tf.tensor1d([0.95, 0.02]);
  const adv = fgsm((z) => z.mul(tf.tensor1d([1, -1])).sum() as tf.Scalar, x, 0.2).arraySync() as number[];
  assert.deepEqual(adv, [1, 0]);
  assert.throws(() => fgsm((z) => z.sum() as tf.Scalar, x, -1), /epsilon/);
  assert.throws(() => fgsm((z) => z.sum() as tf.Scalar, x, 0.1, [1, 0]), /range/);
});
