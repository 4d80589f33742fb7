import { test } from "node:test";
import * as assert from "node:assert/strict";
import { conv2dTranspose, convTransposeOutputSize, transposeOverlap } from "../../../lib/nn/transposed-conv";
import { conv2d } from "../../../lib/nn/conv";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

const rng = new Random(2);
const tensor3 = (h: number, w: number, c: number) => Array.from({ length: h }, () => Array.from({ length: w }, () => rng.array(c, (r) => r.normal())));
const kernel4 = (k: number, cIn: number, cOut: number) => Array.from({ length: k }, () => tensor3(k, cIn, cOut));
const sum = (a: number[][][], b: number[][][]) => a.flat(2).reduce((s, v, i) => s + v * b.flat(2)[i]!, 0);

test("a hand-worked 1-D case: stride 2 scatters overlapping copies of the kernel", () => {
  // input (1, 2), kernel (1, 10, 100), stride 2, valid: [1, 10, 100 + 2, 20, 200]
  const out = conv2dTranspose([[[1], [2]]], [[[[1]], [[10]], [[100]]]], { strides: 2 });
  assert.deepEqual(out[0]!.map((p) => p[0]), [1, 10, 102, 20, 200]);
  assert.deepEqual(transposeOverlap(2, 3, 2), [1, 1, 2, 1, 1]);
});

test("adjoint of conv2d: <conv(x), y> = <x, convᵀ(y)> over sizes, kernels, strides and paddings", () => {
  for (const n of [5, 6, 7]) for (const k of [1, 2, 3, 4]) for (const s of [1, 2, 3]) for (const padding of ["valid", "same"] as const) {
    if (padding === "valid" && n < k) continue;
    const x = tensor3(n, n + 1, 2);
    const kernel = kernel4(k, 2, 3);
    const y0 = conv2d(x, kernel, { strides: s, padding });
    const y = tensor3(y0.length, y0[0]!.length, 3);
    const back = conv2dTranspose(y, kernel, { strides: s, padding, outputSize: [n, n + 1] });
    const [lhs, rhs] = [sum(y0, y), sum(x, back)];
    assert.ok(Math.abs(lhs - rhs) <= 1e-9 * (1 + Math.abs(lhs)), `n ${n} k ${k} s ${s} ${padding}: ${lhs} vs ${rhs}`);
  }
});

test("conv2dTranspose = tf.conv2dTranspose, and its default size = tf.layers.conv2dTranspose's (Keras' rule)", async () => {
  await setupTf({ backend: "cpu", announce: false });
  for (const n of [3, 4, 5]) for (const k of [1, 2, 3, 4]) for (const s of [1, 2, 3]) for (const padding of ["valid", "same"] as const) {
    const input = tensor3(n, n, 3);
    const kernel = kernel4(k, 2, 3);
    const ours = conv2dTranspose(input, kernel, { strides: s, padding });
    const size = convTransposeOutputSize(n, k, { strides: s, padding });
    const theirs = tf.tidy(() => tf.conv2dTranspose(tf.tensor3d(input), tf.tensor4d(kernel), [size, size, 2], s, padding).arraySync());
    ours.flat(2).forEach((v, i) => assert.ok(Math.abs(v - theirs.flat(2)[i]!) <= 1e-4, `n ${n} k ${k} s ${s} ${padding} [${i}]`));
    const layer = tf.layers.conv2dTranspose({ filters: 2, kernelSize: k, strides: s, padding });
    const shape = layer.computeOutputShape([null, n, n, 3]) as number[];
    assert.deepEqual([shape[1], shape[2]], [size, size], `layer size n ${n} k ${k} s ${s} ${padding}`);
  }
});

test("bad input is named", () => {
  assert.throws(() => conv2dTranspose([[[1, 2]]], [[[[1]]]]), /input has 2 channels but the kernel's C_out is 1/);
  assert.throws(() => conv2dTranspose([[[1]]], [[[[1]]]], { strides: 2, outputSize: [5, 5] }), /outputSize 5×5 does not convolve/);
  assert.throws(() => convTransposeOutputSize(3, 0), /kernel must be a positive integer, got 0/);
});
