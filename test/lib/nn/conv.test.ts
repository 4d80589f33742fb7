import { test } from "node:test";
import * as assert from "node:assert/strict";
import { conv2d, convOutputSize, effectiveKernelSize, receptiveField, samePadding } from "../../../lib/nn/conv";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";

const close = (a: number[], b: number[], tol: number) => {
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) <= tol, `element ${i}: ${v} vs ${b[i]}`));
};

test("conv2d: a hand-worked 3×3 example (cross-correlation, no flip), valid and same", () => {
  const image = [[1, 2, 3], [4, 5, 6], [7, 8, 9]].map((row) => row.map((v) => [v]));
  // Kernel [[0, 1], [2, 3]]: out[y][x] = in[y][x+1] + 2·in[y+1][x] + 3·in[y+1][x+1].
  const kernel = [[[[0]], [[1]]], [[[2]], [[3]]]];
  assert.deepEqual(conv2d(image, kernel).map((r) => r.map((c) => c[0])), [[2 + 8 + 15, 3 + 10 + 18], [5 + 14 + 24, 6 + 16 + 27]]);
  // "same" with k = 2 pads one zero after (bottom / right) only, TensorFlow's rule.
  // The last column and row see that zero: out[0][2] = 0 + 2·6 + 3·0, out[2][0] = 8 + 2·0 + 3·0.
  assert.deepEqual(conv2d(image, kernel, { padding: "same" }).map((r) => r.map((c) => c[0])), [[25, 31, 12], [43, 49, 18], [8, 9, 0]]);
  assert.deepEqual(conv2d(image, kernel, { padding: 1 }).length, 4);
  assert.deepEqual(conv2d(image, kernel, {}, [10])[0]![0], [35]);
});

test("conv2d equals tf.conv2d for valid / same / explicit padding, strides 1–2, dilation 2, on odd sizes", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const rng = new Random(0);
  const cases = [
    { h: 7, w: 9, k: 3, strides: 1, padding: "valid" as const, dilation: 1 },
    { h: 7, w: 9, k: 3, strides: 2, padding: "same" as const, dilation: 1 },
    { h: 9, w: 7, k: 4, strides: 2, padding: "same" as const, dilation: 1 },
    { h: 9, w: 7, k: 4, strides: 1, padding: "same" as const, dilation: 1 },
    { h: 11, w: 9, k: 3, strides: 1, padding: "same" as const, dilation: 2 },
    { h: 11, w: 9, k: 3, strides: 1, padding: "valid" as const, dilation: 2 },
    { h: 7, w: 7, k: 3, strides: 2, padding: 1, dilation: 1 },
  ];
  for (const c of cases) {
    const image = Array.from({ length: c.h }, () => Array.from({ length: c.w }, () => rng.array(3, (r) => r.normal())));
    const kernel = Array.from({ length: c.k }, () => Array.from({ length: c.k }, () => Array.from({ length: 3 }, () => rng.array(2, (r) => r.normal()))));
    const ours = conv2d(image, kernel, { strides: c.strides, padding: c.padding, dilation: c.dilation });
    const theirs = tf.tidy(() => tf.conv2d(tf.tensor3d(image), tf.tensor4d(kernel), c.strides, c.padding, "NHWC", c.dilation));
    assert.deepEqual([ours.length, ours[0]!.length, 2], theirs.shape, JSON.stringify(c));
    close(ours.flat(2), Array.from(theirs.dataSync()), 1e-5);
    theirs.dispose();
  }
});

test("convOutputSize: ⌊(n + 2p − k_eff)/s⌋ + 1, ⌈n/s⌉ for same, errors name the problem", () => {
  assert.equal(convOutputSize(28, 5), 24);
  assert.equal(convOutputSize(28, 5, { padding: 2 }), 28);
  assert.equal(convOutputSize(7, 3, { strides: 2 }), 3);
  assert.equal(convOutputSize(7, 3, { strides: 2, padding: "same" }), 4);
  assert.equal(convOutputSize(224, 7, { strides: 2, padding: 3 }), 112);
  assert.equal(convOutputSize(9, 3, { dilation: 2 }), 5);
  assert.equal(effectiveKernelSize(3, 4), 9);
  assert.throws(() => convOutputSize(3, 5), /a kernel spanning 5 does not fit an input of 3 padded by 0/);
  assert.throws(() => convOutputSize(8, 3, { strides: 0 }), /strides must be a positive integer, got 0/);
  assert.throws(() => convOutputSize(8, 3, { padding: -1 }), /padding must be "valid", "same" or an integer ≥ 0, got -1/);
});

test("samePadding: TensorFlow puts the odd extra zero after", () => {
  assert.deepEqual(samePadding(7, 3), [1, 1]);
  assert.deepEqual(samePadding(7, 4), [1, 2]);
  assert.deepEqual(samePadding(8, 3, 2), [0, 1]);
  assert.deepEqual(samePadding(7, 3, 2), [1, 1]);
  assert.deepEqual(samePadding(5, 1, 3), [0, 0]);
});

test("receptiveField: stacked 3×3 convs, a ResNet stem, dilations", () => {
  assert.deepEqual(receptiveField([{ kernel: 3 }, { kernel: 3 }, { kernel: 3 }]).map((s) => s.size), [3, 5, 7]);
  // ResNet stem: 7×7 stride 2, then 3×3 max-pool stride 2 → 11 pixels, jump 4.
  assert.deepEqual(receptiveField([{ kernel: 7, stride: 2 }, { kernel: 3, stride: 2 }]).at(-1), { size: 11, jump: 4 });
  // WaveNet-style doubling dilations 1, 2, 4 with k = 3: 1 + 2 + 4 + 8 = 15.
  assert.equal(receptiveField([1, 2, 4].map((d) => ({ kernel: 3, dilation: d }))).at(-1)!.size, 15);
  assert.throws(() => receptiveField([{ kernel: 3, stride: 0 }]), /layers\[0\]\.stride must be a positive integer, got 0/);
});
