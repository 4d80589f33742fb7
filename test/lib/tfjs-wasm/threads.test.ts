/**
 * The threaded SIMD build of tfjs-backend-wasm in Node (lib/tfjs-wasm/threads): it starts with the requested number
 * of XNNPACK threads, computes the same convolution gradients as the cpu backend, and does not keep the process
 * alive (this file would time out if the pool's workers were still referenced). Its own process: the thread count
 * can only be chosen before the wasm backend initialises.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { wasmThreads } from "../../../lib/tfjs-wasm/threads";

test("two XNNPACK threads in Node, same gradients as the cpu backend", async () => {
  const lossGrads = () =>
    tf.tidy(() => {
      const x = tf.randomNormal([8, 20, 20, 3], 0, 1, "float32", 1) as tf.Tensor4D;
      const filter = tf.randomNormal([3, 3, 3, 16], 0, 1, "float32", 2) as tf.Tensor4D;
      const f = (x: tf.Tensor, w: tf.Tensor) => tf.maxPool(tf.relu(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same")), 2, 2, "valid").square().sum();
      return tf.grads(f)([x, filter]).map((g) => g.dataSync().slice() as Float32Array);
    });
  await setupTf({ backend: "cpu", announce: false });
  const expected = lossGrads();
  await setupTf({ backend: "wasm", threads: 2, announce: false });
  assert.equal(wasmThreads(), 2);
  const actual = lossGrads();
  expected.forEach((e, i) => {
    let diff = 0;
    let scale = 0;
    e.forEach((v, j) => {
      diff = Math.max(diff, Math.abs(v - actual[i]![j]!));
      scale = Math.max(scale, Math.abs(v));
    });
    assert.ok(diff / scale < 1e-4, `gradient ${i}: relative difference ${diff / scale}`);
  });
});
