import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { MaskedMeanPooling } from "../../../lib/sequence/pooling";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

test("averages the unmasked steps only; more padding does not change a row; an all-padding row is zeros", () => {
  const pool = new MaskedMeanPooling();
  const x = tf.tensor3d([[[1, 2], [3, 4], [100, 100]], [[5, 6], [-7, 7], [9, 0]], [[1, 1], [1, 1], [1, 1]]]);
  const mask = tf.tensor2d([[1, 1, 0], [1, 1, 1], [0, 0, 0]]);
  assert.deepEqual((pool.apply([x, mask]) as tf.Tensor).arraySync(), [[2, 3], [7 / 3, 13 / 3], [0, 0]].map((r) => r.map((v) => Math.fround(v))));
  const padded = tf.concat([x, tf.fill([3, 4, 2], 50)], 1);
  const paddedMask = tf.concat([mask, tf.zeros([3, 4])], 1);
  assert.ok((tf.abs((pool.apply([padded, paddedMask]) as tf.Tensor).sub(pool.apply([x, mask]) as tf.Tensor)).max().arraySync() as number) < 1e-6);
});

test("works in a functional model and passes gradients to the unmasked steps only", () => {
  const x = tf.input({ shape: [3, 2] });
  const mask = tf.input({ shape: [3] });
  const model = tf.model({ inputs: [x, mask], outputs: new MaskedMeanPooling().apply([x, mask]) as tf.SymbolicTensor });
  assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
  const values = tf.ones([1, 3, 2]);
  const grad = tf.grad((v: tf.Tensor) => (model.apply([v, tf.tensor2d([[1, 0, 1]])]) as tf.Tensor).sum())(values).arraySync() as number[][][];
  assert.deepEqual(grad[0], [[0.5, 0.5], [0, 0], [0.5, 0.5]]);
  assert.throws(() => new MaskedMeanPooling().apply([tf.zeros([1, 3, 2]), tf.zeros([1, 4])]), /expected \[x \[batch, T, d\], mask \[batch, T\]\], got shapes \[1,3,2\], \[1,4\]/);
  assert.throws(() => new MaskedMeanPooling().apply(tf.zeros([1, 3, 2])), /expected \[x \[batch, T, d\], mask \[batch, T\]\]/);
});
