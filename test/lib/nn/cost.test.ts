import { test } from "node:test";
import * as assert from "node:assert/strict";
import { convMacs, convParams, denseParams, layerCost, modelCost, separableParams } from "../../../lib/nn/cost";
import { setupTf, tf } from "../../../lib/tf";

/** Multiply-adds of a naive NHWC convolution, counted one by one (every tap, padding included). */
function loopMacs(h: number, w: number, k: number, cIn: number, cOut: number, stride: number, padding: "valid" | "same"): number {
  const outH = padding === "same" ? Math.ceil(h / stride) : Math.floor((h - k) / stride) + 1;
  const outW = padding === "same" ? Math.ceil(w / stride) : Math.floor((w - k) / stride) + 1;
  let count = 0;
  for (let y = 0; y < outH; y++) for (let x = 0; x < outW; x++) for (let o = 0; o < cOut; o++)
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) for (let c = 0; c < cIn; c++) count++;
  return count;
}

test("convMacs equals an explicit loop count over sizes, kernels, strides and paddings", () => {
  for (const [h, w] of [[5, 7], [8, 8], [9, 6]] as const) for (const k of [1, 2, 3]) for (const stride of [1, 2]) for (const padding of ["valid", "same"] as const) {
    const outHeight = padding === "same" ? Math.ceil(h / stride) : Math.floor((h - k) / stride) + 1;
    const outWidth = padding === "same" ? Math.ceil(w / stride) : Math.floor((w - k) / stride) + 1;
    assert.equal(convMacs({ outHeight, outWidth, kernel: k, inChannels: 3, outChannels: 2 }), loopMacs(h, w, k, 3, 2, stride, padding), `${h}×${w} k${k} s${stride} ${padding}`);
  }
});

test("parameter formulas by hand: a 3×3 conv 32 → 64, a separable one, a dense layer", () => {
  assert.equal(convParams(3, 32, 64), 9 * 32 * 64 + 64);
  assert.equal(convParams(3, 32, 64, { bias: false }), 9 * 32 * 64);
  assert.equal(separableParams(3, 32, 64), 9 * 32 + 32 * 64 + 64);
  assert.equal(denseParams(400, 120), 48_120);
  assert.throws(() => convParams(0, 3, 4), /convParams: kernel must be a positive integer, got 0/);
  assert.throws(() => convMacs({ outHeight: 2, outWidth: 2.5, kernel: 3, inChannels: 1, outChannels: 1 }), /convMacs: outWidth/);
});

test("layerCost: params = countParams() and MACs = the loop count, for every supported layer", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const model = tf.sequential({ layers: [
    tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "same", inputShape: [9, 7, 3] }),
    tf.layers.batchNormalization({}),
    tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: "same" }),
    tf.layers.separableConv2d({ filters: 5, kernelSize: [3, 2], useBias: false }),
    tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 6 }),
    tf.layers.dropout({ rate: 0.5 }),
  ] });
  const cost = modelCost(model);
  cost.layers.forEach((l, i) => assert.equal(l.params, model.layers[i]!.countParams(), `${l.className} params`));
  assert.equal(cost.params, model.countParams());
  // 9×7×3 → conv s2 same → 5×4×4
  assert.equal(cost.layers[0]!.macs, loopMacs(9, 7, 3, 3, 4, 2, "same"));
  assert.equal(cost.layers[1]!.macs, 0);
  // depthwise: each of the 4 channels with 2 filters of its own = a 1-channel conv with 2 outputs, 4 times
  assert.equal(cost.layers[2]!.macs, 4 * loopMacs(5, 4, 3, 1, 2, 1, "same"));
  // separable 3×2 on 5×4×8 (valid) → 3×3: depthwise 3·3·(3·2)·8 + pointwise 3·3·8·5
  assert.equal(cost.layers[3]!.macs, 3 * 3 * 6 * 8 + 3 * 3 * 8 * 5);
  // transposed 3×3 s2 on 3×3×5 → 7×7×2: every input pixel scatters 3·3·2 outputs from 5 channels
  assert.deepEqual(cost.layers[4]!.outputShape, [7, 7, 2]);
  assert.equal(cost.layers[4]!.macs, 3 * 3 * 3 * 3 * 5 * 2);
  assert.equal(cost.layers[7]!.macs, 3 * 3 * 2 * 6);
  assert.equal(cost.flops, 2 * cost.macs);
  model.dispose();
});

test("layerCost refuses an unknown layer with weights and an unbuilt layer, naming them", async () => {
  await setupTf({ backend: "cpu", announce: false });
  assert.throws(() => layerCost(tf.layers.dense({ units: 3, name: "loose" })), /layerCost: layer "loose" \(Dense\) is not built/);
  const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 3, name: "words" })] });
  assert.throws(() => modelCost(model), /no cost rule for layer "words" of class Embedding/);
  model.dispose();
});
