import { test, before } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { clipByGlobalNorm, clipByValue, globalNorm } from "../../../lib/nn/clipping";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const values = (grads: Record<string, tf.Tensor>) => Object.values(grads).flatMap((t) => Array.from(t.dataSync()));

test("global norm over several tensors; clipping by norm rescales all of them by one factor", () => {
  const grads = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) };
  assert.equal(globalNorm(grads), 5);
  const before = tf.memory().numTensors;
  const { clipped, norm } = clipByGlobalNorm(grads, 1);
  assert.equal(norm, 5);
  assert.deepEqual(values(clipped).map((v) => Math.round(v * 1e6) / 1e6), [0.6, 0, 0, 0.8]);
  assert.deepEqual(clipped.b!.shape, [1, 2]);
  const unchanged = clipByGlobalNorm(grads, 10).clipped; // shorter than the threshold: untouched
  assert.deepEqual(values(unchanged), [3, 0, 0, 4]);
  assert.equal(tf.memory().numTensors, before + 4, "only the returned tensors are new");
  tf.dispose([Object.values(clipped), Object.values(unchanged), Object.values(grads)]);
});

test("clipping by value clamps each component (and changes the direction)", () => {
  const grads = { a: tf.tensor1d([3, -0.5, -7]) };
  const clipped = clipByValue(grads, 1);
  assert.deepEqual(values(clipped), [1, -0.5, -1]);
  tf.dispose([Object.values(clipped), Object.values(grads)]);
});

test("bad input is refused", () => {
  const grads = { a: tf.tensor1d([1]) };
  assert.throws(() => clipByGlobalNorm(grads, 0), /maxNorm/);
  assert.throws(() => clipByValue(grads, -1), /limit/);
  assert.throws(() => globalNorm({}), /no gradients/);
  const nan = { a: tf.tensor1d([NaN]) };
  assert.throws(() => clipByGlobalNorm(nan, 1), /NaN or infinite/);
  tf.dispose([grads.a, nan.a]);
});
