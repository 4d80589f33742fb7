import { test } from "node:test";
import * as assert from "node:assert/strict";
import { centreGradient, dilatedOnesKernel, gradientSupport, type StackLayer } from "../../../lib/nn/receptive-field";
import { receptiveField } from "../../../lib/nn/conv";
import { setupTf, tf } from "../../../lib/tf";

test("dilatedOnesKernel: a dilated all-ones conv = the spread-out kernel, for k 2–3 and d 1–3", async () => {
  await setupTf({ backend: "cpu", announce: false });
  for (const k of [2, 3]) for (const d of [1, 2, 3]) {
    const [dilated, spread] = tf.tidy(() => {
      const x = tf.randomNormal([1, 11, 11, 1], 0, 1, "float32", 3) as tf.Tensor4D;
      return [tf.conv2d(x, tf.ones([k, k, 1, 1]) as tf.Tensor4D, 1, "valid", "NHWC", d).dataSync(), tf.conv2d(x, dilatedOnesKernel(k, d), 1, "valid").dataSync()];
    });
    Array.from(dilated).forEach((v, i) => assert.ok(Math.abs(v - spread[i]!) < 1e-5, `k ${k} d ${d} [${i}]`));
  }
  assert.throws(() => dilatedOnesKernel(3, 0), /dilation must be a positive integer, got 0/);
});

test("centreGradient's support = the closed-form receptive field; one 3×3 conv gives all ones", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const stacks: StackLayer[][] = [
    [{ op: "conv", kernel: 3 }],
    [{ op: "conv", kernel: 3 }, { op: "conv", kernel: 3, stride: 2 }, { op: "conv", kernel: 3 }],
    [{ op: "conv", kernel: 5, stride: 2 }, { op: "avgPool", kernel: 2, stride: 2 }],
    [{ op: "conv", kernel: 3, dilation: 2 }, { op: "conv", kernel: 3, dilation: 3 }],
  ];
  for (const stack of stacks) {
    const support = gradientSupport(centreGradient(stack));
    const r = receptiveField(stack).at(-1)!.size;
    assert.deepEqual([support.height, support.width], [r, r], JSON.stringify(stack));
  }
  const one = centreGradient([{ op: "conv", kernel: 3 }], 5);
  assert.deepEqual(one, [[0, 0, 0, 0, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 1, 1, 1, 0], [0, 0, 0, 0, 0]]);
  assert.deepEqual(gradientSupport(one), { height: 3, width: 3, nonZero: 9 });
  assert.throws(() => centreGradient([{ op: "conv", kernel: 9 }], 5), /stack\[0\] does not fit a 5-pixel input/);
});
