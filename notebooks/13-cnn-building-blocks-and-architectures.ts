// %% [markdown]
// # 13 · CNN building blocks and architectures
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q11 | What is a convolutional neural network (CNN), and what does it do in image recognition? | 什么是卷积神经网络（CNN）？它在图像识别任务中有什么作用？ |
// | S1-Q4 | What are the basic principles of CNNs? | 卷积神经网络（CNN）的基本原理是什么？ |
// | S3-Q4 | Explain how a CNN works, and name typical CNN architectures. | 请解释卷积神经网络（CNN）的工作原理 |
// | S4-C25 | Implement an image classifier based on capsule networks. | 实现一个基于胶囊网络（Capsule Networks）的图像分类模型 |
//
// **The short answer an interviewer wants.** A CNN replaces the dense layer's "every input to every output" by a
// small kernel (say 3×3×C_in) that slides over the image, the *same* weights at every position. Hence **local
// connectivity and weight sharing**: k·k·C_in·C_out + C_out parameters whatever the image size, hundreds of times
// fewer than a dense layer with the same inputs and outputs; **translation equivariance**: shift the image and
// the maps shift with it, so a detector learned in one place works everywhere; and **a growing receptive
// field**: stacked convolutions, strides and pooling let deeper units see larger regions (edges → textures →
// parts → objects). Output size per axis ⌊(n + 2p − k)/s⌋ + 1. **Pooling has no parameters**: it downsamples the
// maps (a little shift invariance), which shrinks the *following* dense layer. Architectures (table at the end):
// LeNet, AlexNet, VGG (stacked 3×3), Inception (parallel branches, 1×1 bottlenecks), ResNet (identity skips),
// MobileNet (depthwise-separable). Capsule networks use vectors whose length is a probability (*squash*),
// *routing by agreement* and a *margin loss*.
//
// Below, each claim is a check that would fail if it were false: against `tf.conv2d`, TensorFlow.js's shapes,
// `countParams()`, loop counts, autodiff, `tf.layers.batchNormalization`, exact limits, hand values or finite differences.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { conv2d, convOutputSize, receptiveField, samePadding } from "./lib/nn/conv";
import { centreGradient, gradientSupport, type StackLayer } from "./lib/nn/receptive-field";
import { convMacs, convParams, denseParams, modelCost, separableParams } from "./lib/nn/cost";
import { batchNormForward, initialBatchNormState } from "./lib/nn/batchnorm";
import { conv2dTranspose, convTransposeOutputSize, transposeOverlap } from "./lib/nn/transposed-conv";
import { dynamicRouting, marginLoss, squash, vectorNorm } from "./lib/nn/capsules";
import { marginLossTf, routingTf, squashTf } from "./lib/nn/capsules-tf";
import { fitMinibatches } from "./lib/nn/minibatch";
import { gradientFlow } from "./lib/nn/gradient-flow";
import { numericalGradient, gradientRelativeError } from "./lib/math/gradcheck";
import { shiftImage, toImage } from "./lib/nn/augment";
import { loadDigits } from "./lib/data";
import { trainTestSplit, take } from "./lib/split";
import { showFigure } from "./lib/display/plot";
import { heatmapFigure, imageGridFigure, lineFigure } from "./lib/display/figures";
import { showTable } from "./lib/display/display";

await setupTf({ seed: 0 });
const digits = loadDigits(); // the UCI 8×8 digits (1,797), used from section 2 on

// %% [markdown]
// ## 1. A convolution is a sliding dot product: by hand, against `tf.conv2d`
//
// A conv layer with kernel `K` of shape [k_h][k_w][C_in][C_out] maps an image `X` of shape [H][W][C_in] to
//
// $$Y[y][x][o] = \sum_{i<k_h}\sum_{j<k_w}\sum_{c<C_{in}} X_{\text{pad}}[y\,s + i][x\,s + j][c]\; K[i][j][c][o],$$
//
// with stride `s` and `X_pad` the zero-padded image. It is a *cross-correlation*: libraries do not flip the kernel
// (a learned kernel would just learn the flip). `"valid"` padding adds no zeros (the output shrinks by k − 1);
// `"same"` adds just enough for ⌈n/s⌉ outputs per axis, an odd extra zero at the bottom / right. `conv2d` in
// `lib/nn/conv.ts` is this definition as plain loops, checked against `tf.conv2d` in 36 cases (odd sizes, kernels
// 3, 4 and 5, strides 1 and 2, both paddings).

// %%
const rng = new Random(0);
const randomImage = (h: number, w: number, c: number) => Array.from({ length: h }, () => Array.from({ length: w }, () => rng.array(c, (r) => r.normal())));
const randomKernel = (k: number, cIn: number, cOut: number) =>
  Array.from({ length: k }, () => Array.from({ length: k }, () => Array.from({ length: cIn }, () => rng.array(cOut, (r) => r.normal(0, 0.3)))));

const convCases = [];
for (const [h, w] of [[7, 9], [9, 7], [11, 11]] as const) for (const k of [3, 4, 5]) for (const stride of [1, 2]) for (const padding of ["valid", "same"] as const) {
  const image = randomImage(h, w, 3);
  const kernel = randomKernel(k, 3, 4);
  const ours = conv2d(image, kernel, { strides: stride, padding: padding }).flat(2);
  const theirs = tf.tidy(() => tf.conv2d(tf.tensor3d(image), tf.tensor4d(kernel), stride, padding).arraySync()).flat(2);
  convCases.push({ input: `${h}×${w}×3`, kernel: `${k}×${k}×3×4`, stride: stride, padding: padding,
    "pad top/bottom": padding === "same" ? samePadding(h, k, stride).join(" / ") : "0 / 0", ours: ours, theirs: theirs });
}
showTable(convCases.filter((c) => c.input === "7×9×3").map(({ ours, theirs, ...row }) => row), { caption: "The 12 cases on a 7×9×3 input" });
checkAllClose(`the loops = tf.conv2d in all ${convCases.length} cases`, convCases.flatMap((c) => c.ours), convCases.flatMap((c) => c.theirs), { abs: 1e-5 });

// %% [markdown]
// A 4×4 kernel, `"same"`, on 7 pixels needs 3 zeros: one on top, two at the bottom. PyTorch's symmetric `padding=k//2`
// differs by one pixel for stride 2 on even sizes, a classic weight-porting bug (hence timm's "Conv2dSame").
//
// ## 2. Weight sharing buys translation equivariance: edge filters on digits
//
// The S0-Q11 seed answer says CNNs "extract local features" and "reduce the number of parameters" but never says
// *why* they suit images: the same kernel at every position. Hand-designed **Sobel** kernels show it: `G_x`
// responds to left-to-right intensity changes, `G_y` to top-to-bottom ones.

// %%
const digitImage = (index: number) => toImage(digits.data[index]!.map((v) => v / 16), 8);
const sobelX = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]];
const sobelY = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]];
const edgeKernel = sobelX.map((row, i) => row.map((v, j) => [[v, sobelY[i]![j]!]])); // [3][3][1][2]
const asChannels = (image: number[][]) => image.map((row) => row.map((v) => [v]));
const channelOf = (maps: number[][][], o: number) => maps.map((row) => row.map((px) => px[o]!));
const normalisedMagnitude = (map: number[][]) => map.map((row) => row.map((v) => Math.abs(v) / Math.max(...map.flat().map(Math.abs))));

const shownDigits = [0, 1, 4, 7].map((d) => digits.target.indexOf(d));
const edgeRows = shownDigits.map((index) => {
  const maps = conv2d(asChannels(digitImage(index)), edgeKernel, { padding: "same" });
  return [digitImage(index), normalisedMagnitude(channelOf(maps, 0)), normalisedMagnitude(channelOf(maps, 1))];
});
await showFigure(imageGridFigure(edgeRows, { title: "Sobel edge maps of digits (|response|, per-map scale)",
  columnLabels: ["digit", "|G_x|", "|G_y|"], rowLabels: shownDigits.map((i) => `digit ${digits.target[i]}`) }), { width: 480, height: 620 });

// %% [markdown]
// **Equivariance, checked exactly.** A digit on a 12×12 zero canvas at offset (1, 1) and at (3, 2): one kernel
// everywhere, so `conv(shift(x)) = shift(conv(x))`. Global max pooling then discards the position
// (**invariance**); a 2×2 max pool only approximately, since a one-pixel shift changes which pixels share a window.

// %%
const placeOnCanvas = (image: number[][], dy: number, dx: number) =>
  Array.from({ length: 12 }, (_, y) => Array.from({ length: 12 }, (_, x) => image[y - dy]?.[x - dx] ?? 0));
const seven = digitImage(shownDigits[3]!);
const mapsAt = (dy: number, dx: number) => conv2d(asChannels(placeOnCanvas(seven, dy, dx)), edgeKernel, { padding: "same" });
const [mapsOriginal, mapsMoved] = [mapsAt(1, 1), mapsAt(3, 2)];
const maxPool2 = (map: number[][]) => tf.tidy(() => Array.from(tf.maxPool(tf.tensor3d(asChannels(map)), 2, 2, "valid").dataSync()));
for (const o of [0, 1]) {
  checkAllClose(`equivariance, ${o === 0 ? "G_x" : "G_y"}: maps of the moved digit = maps of the original shifted by (2, 1)`,
    channelOf(mapsMoved, o), shiftImage(channelOf(mapsOriginal, o), 2, 1), { abs: 1e-12 });
  checkClose(`invariance, ${o === 0 ? "G_x" : "G_y"}: global max pooling gives the same value after the move`,
    Math.max(...channelOf(mapsMoved, o).flat()), Math.max(...channelOf(mapsOriginal, o).flat()), { abs: 1e-12 });
}
const onePixel = mapsAt(1, 2);
const pooledOriginal = maxPool2(channelOf(mapsOriginal, 0));
const pooledChange = Math.max(...maxPool2(channelOf(onePixel, 0)).map((v, i) => Math.abs(v - pooledOriginal[i]!)));
check("2×2 max pooling is not exactly invariant: a one-pixel shift changes the pooled G_x map", pooledChange > 0.1, { maxChange: pooledChange });

// %% [markdown]
// ## 3. Output size: ⌊(n + 2p − k)/s⌋ + 1
//
// Per axis, a kernel spanning k_eff = d·(k − 1) + 1 pixels (d = dilation) fits ⌊(n + 2p − k_eff)/s⌋ + 1 times
// into n pixels padded with p zeros on both sides, stepping by s (`"valid"`: p = 0; `"same"`: ⌈n/s⌉); pooling
// follows the same rule. `convOutputSize` against TensorFlow.js's shapes for n = 5…12, k ∈ {1, 2, 3, 5},
// p ∈ {0, 1, 2, "valid", "same"}, (s, d) ∈ {(1, 1), (2, 1), (3, 1), (1, 2)}, `conv2d` and `maxPool`:

// %%
const sizeRows: { n: number; k: number; s: number; d: number; p: number | string; op: string; formula: number; tf: number }[] = [];
tf.tidy(() => {
  for (let n = 5; n <= 12; n++) for (const k of [1, 2, 3, 5]) for (const [s, d] of [[1, 1], [2, 1], [3, 1], [1, 2]] as const) for (const p of [0, 1, 2, "valid", "same"] as const) {
    if ((p === "valid" ? n : typeof p === "number" ? n + 2 * p : Infinity) < d * (k - 1) + 1) continue; // the kernel does not fit
    const input = tf.zeros([1, n, n, 1]) as tf.Tensor4D;
    const row = { n, k, s, d, p, formula: convOutputSize(n, k, { strides: s, padding: p, dilation: d }) };
    sizeRows.push({ ...row, op: "conv2d", tf: tf.conv2d(input, tf.zeros([k, k, 1, 1]) as tf.Tensor4D, s, p, "NHWC", d).shape[1] });
    if (d === 1) sizeRows.push({ ...row, op: "maxPool", tf: tf.maxPool(input, k, s, p).shape[1] });
  }
});
showTable(sizeRows.filter((r) => (r.n === 7 || r.n === 12) && r.k === 3 && r.op === "conv2d" && (r.s === 2 || r.d === 2)),
  { caption: `Output size: formula vs tf (a sample of the ${sizeRows.length} cases)` });
check(`⌊(n + 2p − k_eff)/s⌋ + 1 (and ⌈n/s⌉ for "same") = tf's output size in all ${sizeRows.length} conv2d / maxPool cases`,
  sizeRows.every((r) => r.formula === r.tf), { mismatches: JSON.stringify(sizeRows.filter((r) => r.formula !== r.tf).slice(0, 3)) });

// %% [markdown]
// ## 4. Parameter counts: where the weights are (and are not)
//
// | layer | parameters |
// |---|---|
// | conv k×k, C_in → C_out | k²·C_in·C_out + C_out |
// | depthwise k×k (one filter per channel) | k²·C_in + C_in |
// | depthwise-separable (depthwise k×k, then 1×1 pointwise) | k²·C_in + C_in·C_out + C_out |
// | dense n_in → n_out | n_in·n_out + n_out |
// | batch normalization over C channels | 4C (γ, β trained; moving mean and variance not) |
// | max / average / global pooling | **0** |
//
// None of the conv formulas contains the image size: that is weight sharing. The formulas (`lib/nn/cost.ts`)
// against each TensorFlow.js layer's `countParams()`:

// %%
/** countParams() of one layer, built on the given input shape (without the batch axis). */
function countLayerParams(layer: tf.layers.Layer, inputShape: number[]): number {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: inputShape }), layer] }); // builds the layer
  const count = layer.countParams();
  model.dispose();
  return count;
}

const paramRows = [
  { layer: "conv 3×3, 1 → 8 (on 8×8×1)", formula: convParams(3, 1, 8), tf: countLayerParams(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same" }), [8, 8, 1]) },
  { layer: "conv 3×3, 1 → 8 (on 224×224×1)", formula: convParams(3, 1, 8), tf: countLayerParams(tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: "same" }), [224, 224, 1]) },
  { layer: "conv 3×3, 32 → 64", formula: convParams(3, 32, 64), tf: countLayerParams(tf.layers.conv2d({ filters: 64, kernelSize: 3 }), [16, 16, 32]) },
  { layer: "conv 1×1, 32 → 64", formula: convParams(1, 32, 64), tf: countLayerParams(tf.layers.conv2d({ filters: 64, kernelSize: 1 }), [16, 16, 32]) },
  { layer: "depthwise 3×3 on 32 channels", formula: 9 * 32 + 32, tf: countLayerParams(tf.layers.depthwiseConv2d({ kernelSize: 3 }), [16, 16, 32]) },
  { layer: "depthwise-separable 3×3, 32 → 64", formula: separableParams(3, 32, 64), tf: countLayerParams(tf.layers.separableConv2d({ filters: 64, kernelSize: 3 }), [16, 16, 32]) },
  { layer: "dense 64 → 512 (8×8×1 in, 8×8×8 out)", formula: denseParams(64, 512), tf: countLayerParams(tf.layers.dense({ units: 512 }), [64]) },
  { layer: "batch normalization, 32 channels", formula: 4 * 32, tf: countLayerParams(tf.layers.batchNormalization({}), [16, 16, 32]) },
  { layer: "max pooling 2×2", formula: 0, tf: countLayerParams(tf.layers.maxPooling2d({ poolSize: 2 }), [16, 16, 32]) },
];
showTable(paramRows, { caption: "Parameters: formula vs countParams()" });
check(`formula = countParams() for all ${paramRows.length} layers`, paramRows.every((r) => r.formula === r.tf),
  { mismatches: paramRows.filter((r) => r.formula !== r.tf).map((r) => r.layer).join("; ") });
const denseVsConv = paramRows[6]!.tf / paramRows[0]!.tf;
check("a dense layer with the same inputs and outputs as the 3×3 conv has ≥ 100× more parameters", denseVsConv >= 100, { ratio: denseVsConv });
console.log(`dense / conv = ${denseVsConv.toFixed(0)}×; standard / separable 3×3 (32 → 64) = ${(paramRows[2]!.tf / paramRows[5]!.tf).toFixed(1)}× (the MobileNet idea)`);

// %% [markdown]
// **What pooling does to the parameter count (S1-Q4's flaw).** The seed says pooling "对特征进行降维处理，减少模型参数"
// (reduces the features' dimension and *the model's parameters*). A pooling layer has none; it shrinks the feature
// map, and so the *next* dense layer after `flatten`. Three models on 8×8 digits:

// %%
const poolingRows = (["none", "max 2×2", "global average"] as const).map((pool) => {
  const model = tf.sequential({ layers: [tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: "same", activation: "relu", inputShape: [8, 8, 1] }),
    ...(pool === "max 2×2" ? [tf.layers.maxPooling2d({ poolSize: 2 })] : []),
    pool === "global average" ? tf.layers.globalAveragePooling2d({}) : tf.layers.flatten(), tf.layers.dense({ units: 10, activation: "softmax" })] });
  const row = { pooling: pool, "params per layer": model.layers.map((l) => `${l.getClassName()} ${l.countParams()}`).join(" · "),
    "dense inputs": (model.layers.at(-2)!.outputShape as number[])[1]!, "dense params": model.layers.at(-1)!.countParams(), total: model.countParams() };
  model.dispose();
  return row;
});
showTable(poolingRows, { caption: "Same conv layer, different pooling before the classifier" });
check("the whole saving is in the dense layer: total difference = (1,024 − 256)·10 for max pooling 2×2",
  poolingRows[0]!.total - poolingRows[1]!.total === (8 * 8 * 16 - 4 * 4 * 16) * 10 && poolingRows[0]!.total - poolingRows[1]!.total === poolingRows[0]!["dense params"] - poolingRows[1]!["dense params"]);

// %% [markdown]
// ### Follow-up: "How much computation does a conv layer cost?"
//
// **Short answer.** Each output value is a k·k·C_in dot product, so a conv layer costs H_out·W_out·k²·C_in·C_out
// **multiply-accumulates** (MACs), about twice as many FLOPs. Parameters do not grow with the image; MACs grow
// with H_out·W_out. A dense layer costs one MAC per weight; a depthwise-separable layer
// H_out·W_out·(k²·C_in + C_in·C_out), about k² times less.
//
// **Long answer.** `lib/nn/cost.ts` counts both from a layer's configuration (`convMacs`, `modelCost`; notebook
// 32 reuses it). The MAC formula must equal an explicit count of a naive convolution's multiplications:

// %%
/** Multiplications of a naive convolution, counted one by one. */
function loopMacs(h: number, w: number, k: number, cIn: number, cOut: number, stride: number, padding: "valid" | "same"): number {
  let count = 0;
  for (let y = 0; y < convOutputSize(h, k, { strides: stride, padding: padding }); y++) for (let x = 0; x < convOutputSize(w, k, { strides: stride, padding: padding }); x++) {
    for (let o = 0; o < cOut; o++) for (let tap = 0; tap < k * k * cIn; tap++) count++;
  }
  return count;
}
const macCases = [[7, 9], [8, 8]].flatMap(([h, w]) => [1, 3, 5].flatMap((k) => [1, 2].flatMap((s) => (["valid", "same"] as const).map((padding) => ({
  loop: loopMacs(h!, w!, k, 3, 4, s, padding),
  counter: convMacs({ outHeight: convOutputSize(h!, k, { strides: s, padding: padding }), outWidth: convOutputSize(w!, k, { strides: s, padding: padding }), kernel: k, inChannels: 3, outChannels: 4 }),
})))));
check(`convMacs = the loop count in all ${macCases.length} configurations (2 sizes × k 1, 3, 5 × strides 1, 2 × both paddings)`, macCases.every((c) => c.loop === c.counter));

// %% [markdown]
// Where do big networks keep their weights and spend their time? **VGG-16** (13 conv layers, all 3×3 `"same"`,
// five 2×2 max pools, dense 4096 → 4096 → 1000 on a 7×7×512 map; 553 MB of float32) by the formulas, against the
// published totals: Keras `VGG16().count_params()` = 138,357,544 and ≈ 15.5 G multiply-adds per 224×224 image.

// %%
const vggConvChannels = [[3, 64], [64, 64], [64, 128], [128, 128], [128, 256], [256, 256], [256, 256],
  [256, 512], [512, 512], [512, 512], [512, 512], [512, 512], [512, 512]];
const vggConvSides = [224, 224, 112, 112, 56, 56, 56, 28, 28, 28, 14, 14, 14]; // each conv's output side ("same", pools in between)
const vggDenseShapes = [[7 * 7 * 512, 4096], [4096, 4096], [4096, 1000]];
const vgg = {
  convParams: vggConvChannels.reduce((s, [cIn, cOut]) => s + convParams(3, cIn!, cOut!), 0),
  denseParams: vggDenseShapes.reduce((s, [nIn, nOut]) => s + denseParams(nIn!, nOut!), 0),
  convMacs: vggConvChannels.reduce((s, [cIn, cOut], i) => s + convMacs({ outHeight: vggConvSides[i]!, outWidth: vggConvSides[i]!, kernel: 3, inChannels: cIn!, outChannels: cOut! }), 0),
  denseMacs: vggDenseShapes.reduce((s, [nIn, nOut]) => s + nIn! * nOut!, 0),
};
const [vggParams, vggMacs] = [vgg.convParams + vgg.denseParams, vgg.convMacs + vgg.denseMacs];
showTable([
  { part: "13 conv layers", "params (M)": vgg.convParams / 1e6, "share of params": vgg.convParams / vggParams, "MACs (G)": vgg.convMacs / 1e9, "share of MACs": vgg.convMacs / vggMacs },
  { part: "3 dense layers", "params (M)": vgg.denseParams / 1e6, "share of params": vgg.denseParams / vggParams, "MACs (G)": vgg.denseMacs / 1e9, "share of MACs": vgg.denseMacs / vggMacs },
], { caption: "VGG-16: where the weights are, and where the computation is", digits: 3 });
check("VGG-16 by the formulas = the published 138,357,544 parameters", vggParams === 138_357_544, { total: vggParams });
check("VGG-16 costs 15.5 G multiply-adds per image (within 1 %), ≥ 99 % of them in the conv layers, which hold ≤ 11 % of the weights",
  Math.abs(vggMacs / 15.5e9 - 1) < 0.01 && vgg.convMacs / vggMacs >= 0.99 && vgg.convParams / vggParams <= 0.11, { macs: vggMacs });

// %% [markdown]
// So 89 % of VGG-16's weights sit in dense layers and 99 % of its computation in conv layers: compressing weights
// (notebook 32) and speeding up inference attack different layers. GoogLeNet and ResNet replace the dense layers
// by **global average pooling** (zero parameters) and one small dense layer.
//
// **Inception is not "layer-by-layer convolution" (S3-Q4's flaw).** The S3-Q4 seed answer describes Inception as
// "多尺度卷积核和逐层卷积". An Inception module runs **parallel branches** on the same input (1×1, 3×3 and 5×5
// convs and a 3×3 max pool, all `"same"`) and **concatenates** them along the channel axis, so the next layer
// sees several scales at once; the 3×3 and 5×5 branches first shrink the channels with **1×1 convolutions**
// (bottlenecks), the pool branch gets a 1×1 projection. Below, GoogLeNet's module "3a" (input 28×28×192) with
// and without bottlenecks: they cut parameters and multiply-adds by 2.4×. And a 1×1 convolution is a dense
// layer applied to every pixel's channel vector (checked last).

// %%
/** GoogLeNet's Inception 3a on [28, 28, 192]; without bottlenecks, the big kernels see all 192 channels. */
function inceptionModule(bottlenecks: boolean): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 192] });
  const conv = (filters: number, k: number, x: tf.SymbolicTensor) =>
    tf.layers.conv2d({ filters: filters, kernelSize: k, padding: "same", activation: "relu" }).apply(x) as tf.SymbolicTensor;
  const pool = tf.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: "same" }).apply(input) as tf.SymbolicTensor;
  const branches = bottlenecks
    ? [conv(64, 1, input), conv(128, 3, conv(96, 1, input)), conv(32, 5, conv(16, 1, input)), conv(32, 1, pool)]
    : [conv(64, 1, input), conv(128, 3, input), conv(32, 5, input), pool];
  return tf.model({ inputs: input, outputs: tf.layers.concatenate({ axis: -1 }).apply(branches) as tf.SymbolicTensor });
}
const inceptionByHand = {
  bottleneck: { params: convParams(1, 192, 64) + convParams(1, 192, 96) + convParams(3, 96, 128) + convParams(1, 192, 16) + convParams(5, 16, 32) + convParams(1, 192, 32),
    macs: 28 * 28 * (192 * 64 + 192 * 96 + 9 * 96 * 128 + 192 * 16 + 25 * 16 * 32 + 192 * 32) },
  naive: { params: convParams(1, 192, 64) + convParams(3, 192, 128) + convParams(5, 192, 32), macs: 28 * 28 * (192 * 64 + 9 * 192 * 128 + 25 * 192 * 32) },
};
const inceptionRows = ([true, false] as const).map((bottlenecks) => {
  const model = inceptionModule(bottlenecks);
  const hand = inceptionByHand[bottlenecks ? "bottleneck" : "naive"];
  const row = {
    module: bottlenecks ? "with 1×1 bottlenecks (GoogLeNet)" : "naive (no 1×1 reductions)",
    "output shape": model.outputs[0]!.shape.slice(1).join("×"),
    "params (by hand)": hand.params, "params (countParams)": model.countParams(), "params (counter)": modelCost(model).params,
    "MACs by hand (M)": hand.macs / 1e6, "MACs counted (M)": modelCost(model).macs / 1e6,
  };
  model.dispose();
  return row;
});
showTable(inceptionRows, { caption: "Inception module 3a on a 28×28×192 input", digits: 1 });
check("Inception, both modules: parameters by hand = countParams() = the counter's; MACs by hand = the counter's",
  inceptionRows.every((r) => r["params (by hand)"] === r["params (countParams)"] && r["params (counter)"] === r["params (countParams)"] && r["MACs by hand (M)"] === r["MACs counted (M)"]));
check("branches are concatenated: output channels 64 + 128 + 32 + 32 = 256 (naive: 64 + 128 + 32 + 192 = 416), spatial size kept",
  inceptionRows[0]!["output shape"] === "28×28×256" && inceptionRows[1]!["output shape"] === "28×28×416");
const oneByOne = tf.tidy(() => {
  const x = tf.randomNormal([1, 5, 5, 8], 0, 1, "float32", 1);
  const w = tf.randomNormal([1, 1, 8, 4], 0, 1, "float32", 2);
  return { conv: tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid").reshape([25, 4]).arraySync(), dense: tf.matMul(x.reshape([25, 8]), w.reshape([8, 4])).arraySync() };
});
checkAllClose("1×1 conv = the same dense layer (8 → 4) applied to each of the 25 pixels", oneByOne.conv, oneByOne.dense, { abs: 1e-5 });

// %% [markdown]
// ## 5. Receptive field: closed form vs the gradient's support
//
// A unit's **receptive field** is the input region that can influence it. With r_0 = 1 and jump j_0 = 1 (the input
// distance between neighbouring units), a layer with kernel k, stride s and dilation d gives
//
// $$r_l = r_{l-1} + (k_l - 1)\,d_l\,j_{l-1}, \qquad j_l = j_{l-1}\,s_l$$
//
// (`receptiveField`, `lib/nn/conv.ts`). Empirically, pixel (y, x) is in it exactly when the centre unit's gradient
// there is non-zero; with all-ones kernels and no non-linearities (average for max pooling) no paths cancel
// (`centreGradient`, `gradientSupport`: `lib/nn/receptive-field.ts`, TF.js autodiff on 31×31 `"valid"` inputs).

// %%
const conv3: StackLayer = { op: "conv", kernel: 3 };
const stacks: { name: string; layers: StackLayer[] }[] = [
  { name: "3 × conv 3×3", layers: [conv3, conv3, conv3] },
  { name: "conv 5×5 → conv 3×3", layers: [{ op: "conv", kernel: 5 }, conv3] },
  { name: "conv 3×3 stride 2 → 2 × conv 3×3", layers: [{ op: "conv", kernel: 3, stride: 2 }, conv3, conv3] },
  { name: "conv 3×3 → avg pool 2×2 stride 2 → 2 × conv 3×3", layers: [conv3, { op: "avgPool", kernel: 2, stride: 2 }, conv3, conv3] },
  { name: "ResNet stem: conv 7×7 s2 → pool 3×3 s2 → conv 3×3", layers: [{ op: "conv", kernel: 7, stride: 2 }, { op: "avgPool", kernel: 3, stride: 2 }, conv3] },
  { name: "dilated conv 3×3, d = 1, 2, 4", layers: [1, 2, 4].map((d) => ({ op: "conv" as const, kernel: 3, dilation: d })) },
  { name: "dilated conv 3×3, d = 2, 2, 2", layers: [2, 2, 2].map((d) => ({ op: "conv" as const, kernel: 3, dilation: d })) },
];
const rfGradients = stacks.map((s) => centreGradient(s.layers));
const rfRows = stacks.map((s, i) => ({ stack: s.name, "closed form r": receptiveField(s.layers).at(-1)!.size, ...gradientSupport(rfGradients[i]!) }));
showTable(rfRows, { caption: "Receptive field: recurrence vs the support of ∂output/∂input (height × width, non-zero pixels)" });
check(`gradient support = closed form r × r for all ${rfRows.length} stacks`, rfRows.every((r) => r.height === r["closed form r"] && r.width === r["closed form r"]));
check("3 stacked 3×3 convolutions: receptive field 7×7, every pixel in it reached", rfRows[0]!["closed form r"] === 7 && rfRows[0]!.nonZero === 49);
check("dilations 1, 2, 4 leave no holes: 15×15 = 225 non-zero pixels", rfRows[5]!.nonZero === 15 * 15);
check("dilations 2, 2, 2 span 13×13 but reach only the 7×7 = 49 pixels at even offsets (gridding)", rfRows[6]!.nonZero === 49);

// %% [markdown]
// The receptive field is not uniform: the gradient at offset (u, v) counts the paths from that pixel to the unit,
// per axis the coefficients of (1 + z + z²)³ = 1, 3, 6, 7, 6, 3, 1; the *effective* receptive field is
// concentrated in the middle (Luo et al. 2016). Dilation grows the field without parameters or downsampling, but
// one repeated rate leaves a grid of unseen pixels ("gridding"); rates 1, 2, 4 (WaveNet, DeepLab) avoid it.

// %%
/** The centre (2r + 1)² window of a 31×31 gradient as a heatmap, axes in pixel offsets. */
const centreHeatmap = (gradient: number[][], r: number, title: string, size: number) => {
  const offsets = Array.from({ length: 2 * r + 1 }, (_, i) => String(i - r));
  return showFigure(heatmapFigure(gradient.slice(15 - r, 16 + r).map((row) => row.slice(15 - r, 16 + r)), {
    title: title, xTitle: "input column offset from the centre (pixels)", yTitle: "input row offset (pixels)", xLabels: offsets, yLabels: offsets,
  }), { width: size, height: size - 60 });
};
const pathCounts = [1, 3, 6, 7, 6, 3, 1];
checkAllClose("3 × conv 3×3 (all ones): ∂output/∂input = outer product of (1, 3, 6, 7, 6, 3, 1)",
  rfGradients[0]!.slice(12, 19).map((row) => row.slice(12, 19)), pathCounts.map((a) => pathCounts.map((b) => a * b)), { abs: 1e-4 });
await centreHeatmap(rfGradients[0]!, 3, "∂ centre output / ∂ input pixel, 3 stacked 3×3 convs (all-ones kernels)", 560);
await centreHeatmap(rfGradients[6]!, 6, "Gridding: 3 stacked 3×3 convs with dilation 2 (paths per input pixel)", 620);

// %% [markdown]
// ## 6. What a trained conv layer learns, and a conv layer as a matrix product
//
// The Sobel kernels were designed by hand; a CNN learns its kernels. A small model, conv 8 × 3×3 (`"same"`,
// ReLU) → max pool 2×2 → dense 10, trained on the UCI digits (stratified 80/20 split), 3 epochs of Adam. The
// layer is written as a library computes it, a matrix product (**im2col**): each pixel's 3×3 neighbourhood is a
// row of 9 numbers and the layer is `patches [N·64 × 9] · W [9 × 8] + b` — one dense layer applied to every
// patch (weight sharing made literal), one large product (what fast hardware does best); the weight gradient is
// patchesᵀ · ∂L/∂output. It must give tf.conv2d's outputs *and* weight gradient. The patches are extracted once,
// by a convolution with the nine one-hot 3×3 kernels. (tf.maxPool sends each window's gradient to one element;
// a reshape-and-`max` pool would send it to every tied maximum, and solid-ink digits have exact ties.)

// %%
const digitSplit = trainTestSplit(digits.target.length, { testFraction: 0.2, seed: 0, stratify: digits.target });
const [labelsTrain, labelsTest] = [take(digits.target, digitSplit.train), take(digits.target, digitSplit.test)];
const toBatch = (rows: number[][]) => tf.tensor4d(rows.flatMap((r) => r.map((v) => v / 16)), [rows.length, 8, 8, 1]);
const [xTrain, xTest] = [toBatch(take(digits.data, digitSplit.train)), toBatch(take(digits.data, digitSplit.test))];
const oneHotDigits = (labels: number[]) => tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
const [yTrain, yTest] = [oneHotDigits(labelsTrain), oneHotDigits(labelsTest)];

// im2col as a convolution: tap kernel t is 1 at position t of the 3×3 window and 0 elsewhere.
const tapKernels = tf.tensor4d(Array.from({ length: 81 }, (_, i) => (Math.floor(i / 9) === i % 9 ? 1 : 0)), [3, 3, 1, 9]);
const patchesTrain = tf.conv2d(xTrain, tapKernels, 1, "same"); // [N][8][8][9]: each pixel's zero-padded 3×3 neighbourhood
const patchesTest = tf.conv2d(xTest, tapKernels, 1, "same");

/** convW [9][8]: row t = tap (i, j) with t = 3i + j, the [3][3][1][8] kernel flattened; denseW [128][10]. */
type SmallCnnParams = Record<"convW" | "convB" | "denseW" | "denseB", tf.Variable>;
const initRng = new Random(6);
const glorotUniform = (fanIn: number, fanOut: number, shape: [number, number]) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.tensor2d(initRng.array(shape[0] * shape[1], (g) => g.uniform(-limit, limit)), shape));
};
const cnnParams: SmallCnnParams = {
  convW: glorotUniform(9, 9 * 8, [9, 8]), convB: tf.variable(tf.zeros([8])), denseW: glorotUniform(128, 10, [128, 10]), denseB: tf.variable(tf.zeros([10])),
};
/** The conv layer's ReLU feature maps, computed as one matrix product over the patches: [batch][8][8][8]. */
function featureMaps(params: SmallCnnParams, patches: tf.Tensor4D): tf.Tensor4D {
  const n = patches.shape[0];
  return tf.relu(tf.add(tf.matMul(patches.reshape([n * 64, 9]), params.convW), params.convB)).reshape([n, 8, 8, 8]) as tf.Tensor4D;
}
/** conv 3×3 → ReLU → max pool 2×2 → dense: logits [batch][10]. */
function smallCnnLogits(params: SmallCnnParams, patches: tf.Tensor4D): tf.Tensor2D {
  const n = patches.shape[0];
  return tf.add(tf.matMul(tf.maxPool(featureMaps(params, patches), 2, 2, "valid").reshape([n, 128]), params.denseW), params.denseB);
}
checkAllClose("im2col · W + b, ReLU = tf.conv2d(x, W as a 3×3×1×8 kernel, 'same') + b, ReLU on the test digits",
  tf.tidy(() => featureMaps(cnnParams, patchesTest)),
  tf.tidy(() => tf.relu(tf.add(tf.conv2d(xTest, cnnParams.convW.reshape([3, 3, 1, 8]) as tf.Tensor4D, 1, "same"), cnnParams.convB))), { abs: 1e-5 });
// The loss on the test digits, built both ways; its gradient with respect to the conv weights must agree.
const lossGradient = (logitsOf: (w: tf.Tensor) => tf.Tensor2D) => tf.tidy(() => tf.grad((w: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTest, logitsOf(w)))(cnnParams.convW));
const gradientIm2col = lossGradient((w) => smallCnnLogits({ ...cnnParams, convW: w as tf.Variable }, patchesTest));
const gradientConv2d = lossGradient((w) => {
  const maps = tf.relu(tf.add(tf.conv2d(xTest, w.reshape([3, 3, 1, 8]) as tf.Tensor4D, 1, "same"), cnnParams.convB)) as tf.Tensor4D;
  return tf.add(tf.matMul(tf.maxPool(maps, 2, 2, "valid").reshape([labelsTest.length, 128]), cnnParams.denseW), cnnParams.denseB) as tf.Tensor2D;
});
checkAllClose(`∂loss/∂W through im2col (the model trained below) = through tf.conv2d (all 72 weights, ${labelsTest.length} test digits)`, gradientIm2col, gradientConv2d, { abs: 1e-6, rel: 1e-4 });
const gradientScale = tf.tidy(() => gradientConv2d.abs().max().dataSync()[0]!);
check("… and the gradient is not trivially zero (largest entry > 1e-3)", gradientScale > 1e-3, { largest: gradientScale });
tf.dispose([gradientIm2col, gradientConv2d]);

fitMinibatches({
  inputs: patchesTrain, targets: yTrain, variables: [cnnParams.convW, cnnParams.convB, cnnParams.denseW, cnnParams.denseB],
  loss: (xb, yb) => tf.losses.softmaxCrossEntropy(yb, smallCnnLogits(cnnParams, xb as tf.Tensor4D)) as tf.Scalar,
  epochs: 3, batchSize: 32, learningRate: 0.01, seed: 7,
});
const cnnPredictions = tf.tidy(() => Array.from(smallCnnLogits(cnnParams, patchesTest).argMax(1).dataSync()));
const cnnAccuracy = cnnPredictions.filter((p, i) => p === labelsTest[i]).length / labelsTest.length;
console.log(`held-out accuracy after 3 epochs: ${cnnAccuracy.toFixed(3)} (${labelsTest.length} test digits)`);
check("the small CNN learned the task: held-out accuracy ≥ 0.90 (always guessing one digit: ≈ 0.10)", cnnAccuracy >= 0.9, { cnnAccuracy: cnnAccuracy });

// %% [markdown]
// *Calibration*: over split seeds 0–7 held-out accuracy was 0.928 … 0.951 (mean); bound 0.90. Below, the eight
// learned 3×3 kernels (one colour scale centred on 0) and their maps on one test digit.

// %%
const learnedKernels = cnnParams.convW.arraySync() as number[][]; // [9 taps][8 kernels]
const kernelImages = Array.from({ length: 8 }, (_, o) => [0, 1, 2].map((i) => [0, 1, 2].map((j) => learnedKernels[3 * i + j]![o]!)));
const largestWeight = Math.max(...learnedKernels.flat().map(Math.abs));
await showFigure(imageGridFigure([kernelImages.slice(0, 4), kernelImages.slice(4)], { title: "The 8 learned 3×3 kernels (red > 0 > blue, one scale centred on 0)",
  rowLabels: ["kernels 0–3", "kernels 4–7"], zRange: [-largestWeight, largestWeight], diverging: true }), { width: 640, height: 420 });

const scaleToUnit = (values: number[][]) => {
  const [lo, hi] = [Math.min(...values.flat()), Math.max(...values.flat())];
  return values.map((row) => row.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0)));
};
const shownTest = digitSplit.test[0]!;
const shownMaps = tf.tidy(() => featureMaps(cnnParams, patchesTest.slice([0, 0, 0, 0], [1, 8, 8, 9])).arraySync()[0]!); // [8][8][8]
await showFigure(imageGridFigure([[digitImage(shownTest), ...Array.from({ length: 8 }, (_, o) => scaleToUnit(channelOf(shownMaps, o)))]], {
  title: `Feature maps of a test digit (${digits.target[shownTest]}) after conv + ReLU`, columnLabels: ["input", ...Array.from({ length: 8 }, (_, o) => `map ${o}`)] }), { width: 760, height: 170 });

// %% [markdown]
// What the pictures show, and all they show: each kernel is a 3×3 template whose map is bright where the
// neighbourhood has ink under its red weights and none under its blue ones. "Oriented edge detectors" was
// measured, not assumed (energy response to gratings at 8 orientations, selectivity (max − min)/(max + min)):
// over the eight seeds random kernels already score 0.75–0.89 and training did not raise that reliably
// (0.77–0.97) nor make the kernels sum to zero as Sobel's do. So no edge-detector claim is made for this small
// model; oriented edge filters are what the first layers of large networks learn on natural images (AlexNet).

// %% [markdown]
// ## 7. Batch normalization: what changes between training and inference
//
// **Follow-up: "What does batch norm compute, and what is different at inference time?"**
//
// **Short answer.** Per channel, y = γ·(x − μ)/√(σ² + ε) + β, with γ, β learned. In **training** μ and σ² are
// the mini-batch's mean and (biased) variance, over the batch and, in a conv layer, height and width, and the
// running averages update as moving ← m·moving + (1 − m)·batch (Keras / TF.js m = 0.99; PyTorch's momentum is
// 1 − m). At **inference** the running averages are used, so a prediction depends on its own input only.
// Parameters: 4C (γ, β trained; the running statistics not).
//
// **Long answer.** The classic bugs: evaluating in training mode (outputs change with the batch-mates) and running
// averages that do not describe the inference data (too few steps, or a new domain when fine-tuning, notebook
// 15). Below, `lib/nn/batchnorm.ts` (float64) against `tf.layers.batchNormalization` (m = 0.9, random γ, β) on
// the trained conv layer's maps: three training steps on batches of 64 digits, then inference.

// %%
const bnLayer = tf.layers.batchNormalization({ momentum: 0.9,
  gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.3, seed: 1 }), betaInitializer: tf.initializers.randomNormal({ stddev: 0.3, seed: 2 }) });
bnLayer.build([null, 8, 8, 8]);
const [bnGamma, bnBeta] = bnLayer.getWeights().slice(0, 2).map((w) => Array.from(w.dataSync()));
let bnState = { ...initialBatchNormState(8), gamma: bnGamma!, beta: bnBeta! };
/** The trained layer's feature maps of 64 training digits from `start`: a tensor and its 4,096 pixel rows of 8 channels. */
const mapsOf = (start: number) => {
  const maps = tf.tidy(() => featureMaps(cnnParams, patchesTrain.slice([start, 0, 0, 0], [64, 8, 8, 9])));
  const values = Array.from(maps.dataSync());
  return { maps: maps, rows: Array.from({ length: values.length / 8 }, (_, i) => values.slice(8 * i, 8 * i + 8)) };
};
const batchStats: { mean: number[]; variance: number[] }[] = [];
for (let step = 0; step < 3; step++) {
  const batch = mapsOf(64 * step);
  const ours = batchNormForward(batch.rows, bnState, { training: true, momentum: 0.9 });
  const theirs = tf.tidy(() => (bnLayer.apply(batch.maps, { training: true }) as tf.Tensor).dataSync());
  checkAllClose(`step ${step + 1}, training mode: hand BN with the batch's own statistics = tf's output`, ours.output.flat(), theirs, { abs: 1e-4 });
  batchStats.push({ mean: ours.mean, variance: ours.variance });
  bnState = ours.next;
  batch.maps.dispose();
}
// The running averages after 3 steps from (0, 1), the update rule unrolled: 0.9³·start + 0.1·(0.9²·b₁ + 0.9·b₂ + b₃).
const unrolled = (start: number, key: "mean" | "variance") =>
  batchStats[0]![key].map((_, c) => 0.9 ** 3 * start + 0.1 * (0.81 * batchStats[0]![key][c]! + 0.9 * batchStats[1]![key][c]! + batchStats[2]![key][c]!));
const [tfMovingMean, tfMovingVariance] = bnLayer.getWeights().slice(2).map((w) => Array.from(w.dataSync()));
checkAllClose("tf's moving mean after 3 steps = 0.9³·0 + 0.1·(0.9²·μ₁ + 0.9·μ₂ + μ₃), per channel", tfMovingMean!, unrolled(0, "mean"), { abs: 1e-5, rel: 1e-4 });
checkAllClose("tf's moving variance after 3 steps = 0.9³·1 + 0.1·(0.9²·σ₁² + 0.9·σ₂² + σ₃²) (biased batch variances)", tfMovingVariance!, unrolled(1, "variance"), { abs: 1e-5, rel: 1e-4 });

const heldOut = mapsOf(64 * 3);
const inferenceOurs = batchNormForward(heldOut.rows, bnState, { training: false });
checkAllClose("inference mode: hand BN with the running averages = tf's output (training: false)", inferenceOurs.output.flat(),
  tf.tidy(() => (bnLayer.apply(heldOut.maps, { training: false }) as tf.Tensor).dataSync()), { abs: 1e-4 });
const joinedBatch = mapsOf(64 * 4);
const pairedRows = [...heldOut.rows, ...joinedBatch.rows];
joinedBatch.maps.dispose();
/** Largest change in the 64 held-out digits' outputs when 64 other digits join their batch. */
const batchMateEffect = (training: boolean) => {
  const alone = batchNormForward(heldOut.rows, bnState, { training: training }).output.flat();
  const joined = batchNormForward(pairedRows, bnState, { training: training }).output.slice(0, heldOut.rows.length).flat();
  return Math.max(...alone.map((v, i) => Math.abs(v - joined[i]!)));
};
check("training mode: the same digits' outputs change with their batch-mates (by > 0.01); inference mode: not at all",
  batchMateEffect(true) > 0.01 && batchMateEffect(false) === 0, { training: batchMateEffect(true), inference: batchMateEffect(false) });
heldOut.maps.dispose();

// %% [markdown]
// Batch norm usually sits between a conv and its activation (the conv's bias is then redundant); at inference it
// is a per-channel affine map that folds into the conv's weights: no extra MACs.
//
// ## 8. Transposed convolution: a convolution's gradient, run forward
//
// **Follow-up: "How do decoders and segmentation networks upsample with learned weights?"**
//
// **Short answer.** With a *transposed convolution*. A convolution is a linear map y = C·x; the transposed one
// computes Cᵀ·y, mapping the output's shape back to the input's: every input pixel **scatters** a scaled copy of
// the kernel into the output, copies s pixels apart, summed where they overlap. It is how backpropagation sends
// a convolution's gradient to its input (`Conv2DBackpropInput`), not an inverse (Cᵀ·C ≠ I). Output size per
// axis (Keras): (n − 1)·s + k for `"valid"` (n·s when k < s), n·s for `"same"`. When s does not divide k the
// copies overlap unevenly: **checkerboard artefacts** (Odena et al. 2016); resize-then-convolve avoids them.
//
// **Long answer.** The autodiff input gradient of `tf.conv2d`, `tf.conv2dTranspose` and the scatter loop of
// `lib/nn/transposed-conv.ts` must agree, and the size formula must give `tf.layers.conv2dTranspose`'s shapes:

// %%
const transposeCases: { ours: number[]; viaGradient: number[]; viaTf: number[] }[] = [];
for (const n of [3, 4]) for (const k of [1, 2, 3, 4]) for (const s of [1, 2, 3]) for (const padding of ["valid", "same"] as const) {
  const size = convTransposeOutputSize(n, k, { strides: s, padding: padding });
  const dy = randomImage(n, n, 3); // upstream gradient of a conv 2 → 3 channels whose input is size × size
  const kernel = randomKernel(k, 2, 3);
  transposeCases.push({
    ours: conv2dTranspose(dy, kernel, { strides: s, padding: padding }).flat(2),
    viaGradient: tf.tidy(() => Array.from(tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor3D, tf.tensor4d(kernel), s, padding), tf.tensor3d(dy))))(tf.zeros([size, size, 2])).dataSync())),
    viaTf: tf.tidy(() => Array.from(tf.conv2dTranspose(tf.tensor3d(dy), tf.tensor4d(kernel), [size, size, 2], s, padding).dataSync())),
  });
}
checkAllClose(`scatter loop = ∂⟨conv2d(x), dy⟩/∂x (autodiff) in all ${transposeCases.length} cases (n 3, 4 × k 1–4 × s 1–3 × both paddings)`,
  transposeCases.flatMap((c) => c.ours), transposeCases.flatMap((c) => c.viaGradient), { abs: 1e-4 });
checkAllClose("scatter loop = tf.conv2dTranspose in the same cases", transposeCases.flatMap((c) => c.ours), transposeCases.flatMap((c) => c.viaTf), { abs: 1e-4 });
const transposeSizes = [];
for (let n = 1; n <= 8; n++) for (let k = 1; k <= 5; k++) for (const s of [1, 2, 3]) for (const padding of ["valid", "same"] as const) {
  const shape = tf.layers.conv2dTranspose({ filters: 1, kernelSize: k, strides: s, padding: padding }).computeOutputShape([null, n, n, 1]) as number[];
  transposeSizes.push({ formula: convTransposeOutputSize(n, k, { strides: s, padding: padding }), layer: shape[1]! });
}
check(`output size (n − 1)·s + k ("valid", n·s when k < s) and n·s ("same") = tf.layers.conv2dTranspose's in all ${transposeSizes.length} configurations`,
  transposeSizes.every((r) => r.formula === r.layer));

// %% [markdown]
// **The checkerboard.** With all-ones inputs and kernels each output pixel counts the taps landing on it. Away
// from the borders the count is even exactly when s divides k (k = 4, s = 2: 2 per axis); with k = 3, s = 2 it
// alternates 1, 2, and in 2-D the products make a checkerboard that a network must learn to cancel:

// %%
const overlap1d = transposeOverlap(6, 3, 2);
await showFigure(heatmapFigure(overlap1d.map((a) => overlap1d.map((b) => a * b)), {
  title: "Taps per output pixel: transposed conv 3×3, stride 2, on 6×6 ones", xTitle: "output column", yTitle: "output row" }), { width: 520, height: 480 });
const overlapRows = [1, 2, 3, 4, 5, 6].flatMap((k) => [1, 2, 3, 4].map((s) => {
  const interior = transposeOverlap(12, k, s).slice(k - 1, 11 * s + 1);
  return { k: k, s: s, even: interior.every((v) => v === interior[0]) };
}));
check(`away from the borders the overlap is even exactly when s divides k (${overlapRows.length} pairs, k 1–6, s 1–4)`,
  overlapRows.every((r) => r.even === (r.k % r.s === 0)), { uneven: overlapRows.filter((r) => r.even !== (r.k % r.s === 0)).map((r) => `k${r.k}s${r.s}`).join(" ") });

// %% [markdown]
// ## 9. Residual connections keep the gradient alive in deep networks
//
// A residual block computes `h_{l+1} = h_l + F(h_l)` instead of `h_{l+1} = F(h_l)`. By the chain rule
//
// $$\frac{\partial L}{\partial h_l} = \Big(I + \frac{\partial F}{\partial h_l}\Big)^{\!\top} \frac{\partial L}{\partial h_{l+1}},$$
//
// so the gradient reaching layer l always contains the upstream gradient unchanged, however small the branch's
// Jacobian; a plain network multiplies all blocks' Jacobians, and the gradient can vanish geometrically.
//
// The experiment (`gradientFlow`, `lib/nn/gradient-flow.ts`): a stem conv (1 → 8 channels), 20 pre-activation
// blocks `F(h) = conv(relu(conv(relu(h))))` (3×3, 8 channels; He et al. 2016), ReLU, global average pooling, a
// dense layer, 64 real digits at initialisation; measured, ‖∂L/∂h_l‖ after every block (l = 0 the stem), plain
// and residual, with **Glorot uniform** (TF.js's default, Var(w) = 2/(fan_in + fan_out)) or **He normal**
// (Var(w) = 2/fan_in, for ReLU) weights. Predicted for plain Glorot: each conv + ReLU halves the squared
// gradient, so 40 convolutions shrink it by about 2⁻²⁰ ≈ 10⁻⁶ (more in practice: zero padding loses taps).

// %%
const scaledDigits = digits.data.map((row) => row.map((v) => v / 16));
const flows = (["glorot", "he"] as const).flatMap((init) => [false, true].map((residual) => ({
  name: `${residual ? "residual" : "plain"}, ${init === "he" ? "He" : "Glorot"}`, flow: gradientFlow(scaledDigits, digits.target, { residual, init, seed: 0 }) })));
const firstOverLast = (norms: number[]) => norms[0]! / norms[norms.length - 1]!;
showTable(flows.map((f) => ({ network: f.name, "‖∂L/∂h₂₀‖ (last block)": f.flow.norms[20]!, "‖∂L/∂h₀‖ (first layer)": f.flow.norms[0]!, "first / last": firstOverLast(f.flow.norms) })),
  { caption: "Gradient norms at initialisation, 20 blocks, batch of 64 digits (seed 0)" });
await showFigure(lineFigure(flows.map((f) => ({ name: f.name, y: f.flow.norms })), { title: "Gradient reaching each block at initialisation: plain vs residual",
  xTitle: "block l (0 = stem output, 20 = last block)", yTitle: "norm of ∂L/∂h_l (log scale)", logY: true }));

const [plainGlorot, residualGlorot, plainHe, residualHe] = flows.map((f) => f.flow.norms) as [number[], number[], number[], number[]];
check("plain, Glorot: the gradient vanishes, first / last < 1e-4", firstOverLast(plainGlorot) < 1e-4, { ratio: firstOverLast(plainGlorot) });
check("residual, Glorot: it does not, first / last ≥ 1", firstOverLast(residualGlorot) >= 1, { ratio: firstOverLast(residualGlorot) });
check("at the first layer the residual network's gradient is ≥ 10⁴ × the plain one's", residualGlorot[0]! / plainGlorot[0]! >= 1e4,
  { ratio: residualGlorot[0]! / plainGlorot[0]! });

// %% [markdown]
// *Calibration* (seeds 0–9): first / last 4.3·10⁻⁸ … 5.0·10⁻⁷ for plain Glorot (bound < 10⁻⁴), 3.0 … 12.1 for
// residual Glorot (≥ 1), residual / plain at the first layer 2.0·10⁷ … 1.5·10⁸ (≥ 10⁴); plain He 0.027 … 1.2
// (≥ 10⁻³), residual He 80 … 1,930 (≥ 30).
//
// **The exact limit.** If every branch's last convolution starts at zero (the "zero-γ" / Fixup trick), each block
// is the identity at initialisation and ∂L/∂h_0 = ∂L/∂h_20 exactly.
//
// **What the numbers do and do not say** is more nuanced than "ResNets fix vanishing gradients":
// * With **He initialisation** the plain network's gradient does not vanish: good initialisation (and batch
//   norm, which the ResNet paper's plain baselines had too) already addresses it. He et al. (2015) blame
//   *degradation* — deeper plain networks reach a *higher training error*; skips make the identity easy to
//   represent, so extra blocks can do no harm.
// * With He and no normalisation the **residual** sum doubles the variance per block and the gradient *explodes*
//   (≈ 10³ over 20 blocks): real ResNets put batch norm in every branch, or scale / zero-initialise its last layer.

// %%
const zeroBranch = gradientFlow(scaledDigits, digits.target, { residual: true, init: "zero branch", seed: 0 });
checkAllClose("zero-initialised residual branches: ∂L/∂h₀ = ∂L/∂h₂₀ element by element", zeroBranch.first, zeroBranch.last, { abs: 1e-9 });
check("plain, He: first / last ≥ 1e-3, at least 1,000× more than with Glorot", firstOverLast(plainHe) >= 1e-3 && firstOverLast(plainHe) >= 1e3 * firstOverLast(plainGlorot),
  { he: firstOverLast(plainHe), glorot: firstOverLast(plainGlorot) });
check("residual, He, no normalisation: the gradient grows ≥ 30× on its way back (explodes)", firstOverLast(residualHe) >= 30, { ratio: firstOverLast(residualHe) });

// %% [markdown]
// ## 10. Capsule networks (S4-C25): squash, routing by agreement, margin loss
//
// A CNN unit outputs a scalar, and max pooling discards where exactly it was. A **capsule** outputs a vector: its
// **length** is the probability that an entity is present, its **orientation** the entity's pose (Sabour, Frosst
// & Hinton 2017):
// * **squash** $v = \frac{\lVert s\rVert^2}{1 + \lVert s\rVert^2}\,\frac{s}{\lVert s\rVert}$ keeps the direction and
//   maps the length below 1 (short vectors to ≈ ‖s‖², long ones towards 1);
// * each child capsule i **predicts** each parent j, $\hat u_{j|i} = W_{ij} u_i$;
// * **routing by agreement** (3 iterations): $c_{ij} = \text{softmax}_j(b_{ij})$, $s_j = \sum_i c_{ij} \hat u_{j|i}$,
//   $v_j = \text{squash}(s_j)$, $b_{ij} \mathrel{+}= \hat u_{j|i} \cdot v_j$: children that agree with a parent send it more;
// * the **margin loss** on the class capsules' lengths,
//   $L = \sum_k T_k \max(0, m^+ - \lVert v_k\rVert)^2 + \lambda (1 - T_k) \max(0, \lVert v_k\rVert - m^-)^2$,
//   m⁺ = 0.9, m⁻ = 0.1, λ = 0.5 (the paper adds a small reconstruction loss).
//
// Float64 reference `lib/nn/capsules.ts`; the TF.js ops that train, `lib/nn/capsules-tf.ts`, are unit-tested
// against it. Checked here: the defining properties, hand values and finite differences.

// %%
const capsuleRng = new Random(3);
// 200 random 8-D vectors with lengths spread over 10⁻³ … 10³
const rawCapsules = Array.from({ length: 200 }, () => capsuleRng.array(8, (g) => g.normal())).map((v) => v.map((x) => (x * 10 ** capsuleRng.uniform(-3, 3)) / vectorNorm(v)));
const squashed = rawCapsules.map(squash);
const cosines = rawCapsules.map((s, i) => s.reduce((acc, x, k) => acc + x * squashed[i]![k]!, 0) / (vectorNorm(s) * vectorNorm(squashed[i]!)));
checkAllClose("squash keeps the direction: cos(s, squash(s)) = 1 for 200 vectors", cosines, cosines.map(() => 1), { abs: 1e-12 });
checkAllClose("squash maps the length ‖s‖ to ‖s‖²/(1 + ‖s‖²) < 1", squashed.map(vectorNorm), rawCapsules.map((s) => vectorNorm(s) ** 2 / (1 + vectorNorm(s) ** 2)), { rel: 1e-12 });

// %% [markdown]
// **Routing.** Twelve child capsules predict four 6-D parents; children 0–5 agree about parent 2 (one common vector
// plus small noise), the rest is random. Routing should send them to parent 2, each child's couplings staying a
// probability distribution.

// %%
const agreedPose = capsuleRng.array(6, (g) => g.normal(0, 0.5));
const uHat = Array.from({ length: 12 }, (_, i) => Array.from({ length: 4 }, (_, j) =>
  i < 6 && j === 2 ? agreedPose.map((x) => x + capsuleRng.normal(0, 0.05)) : capsuleRng.array(6, (g) => g.normal(0, 0.5))));
const routed = dynamicRouting(uHat, 3);
checkAllClose("at every iteration, every child's coupling coefficients sum to 1 over the 4 parents",
  routed.cHistory.flatMap((c) => c.map((row) => row.reduce((s, v) => s + v, 0))), routed.cHistory.flatMap((c) => c.map(() => 1)), { abs: 1e-12 });
const meanAgreeingCoupling = routed.cHistory.map((c) => c.slice(0, 6).reduce((s, row) => s + row[2]!, 0) / 6);
showTable(meanAgreeingCoupling.map((c, r) => ({ iteration: r + 1, "mean c(child → parent 2), children 0–5": c, "‖v₂‖ after it": vectorNorm(dynamicRouting(uHat, r + 1).v[2]!) })),
  { caption: "Routing by agreement concentrates the agreeing children on their parent" });
check("the agreeing children's coupling to parent 2 rises at every iteration from the uniform 1/4",
  meanAgreeingCoupling[0] === 0.25 && meanAgreeingCoupling.every((c, r) => r === 0 || c > meanAgreeingCoupling[r - 1]!), { coupling: meanAgreeingCoupling.join(", ") });
check("parent 2, the one with agreement, has the longest output vector", routed.v.every((v, j) => j === 2 || vectorNorm(v) < vectorNorm(routed.v[2]!)));
const firstIteration = dynamicRouting(uHat, 1).v;
checkAllClose("iteration 1 in closed form: uniform couplings, v_j = squash(¼ Σᵢ û_j|i)", firstIteration,
  Array.from({ length: 4 }, (_, j) => squash(agreedPose.map((_, k) => uHat.reduce((s, u) => s + u[j]![k]! / 4, 0)))), { abs: 1e-12 });

// %% [markdown]
// **Margin loss**, on a hand-computed example: class 0 present with length 0.95 (≥ m⁺, no loss), absent
// classes with lengths 0.3, 0.05 and 0.5. Only the first and last absent ones exceed m⁻ = 0.1:
// L = 0.5·(0.3 − 0.1)² + 0.5·(0.5 − 0.1)² = 0.5·0.04 + 0.5·0.16 = 0.1.
//
// **Gradients flow through routing.** The seed's "使用反向传播算法训练模型" is right in one respect: routing is
// differentiable, so the matrices W_ij train by backpropagation through all iterations. Check: TF.js's
// autodiff gradient of the margin loss with respect to all 144 entries of W (4 children of dimension 3,
// 3 parents of dimension 4) equals central finite differences of the float64 lib pipeline.

// %%
checkClose("margin loss of lengths (0.95, 0.3, 0.05, 0.5), class 0 = 0.1 by hand", marginLoss([0.95, 0.3, 0.05, 0.5], 0), 0.1, { abs: 1e-15 });
const smallChildren = Array.from({ length: 4 }, () => squash(capsuleRng.array(3, (g) => g.normal())));
const smallW = capsuleRng.array(4 * 3 * 3 * 4, (g) => g.normal(0, 0.5)); // W[i][j] is a 4×3 matrix, flattened [i][j][out][in]
const predictionsOf = (w: number[]) => smallChildren.map((u, i) => Array.from({ length: 3 }, (_, j) => Array.from({ length: 4 }, (_, d) =>
  u.reduce((s, x, k) => s + w[((i * 3 + j) * 4 + d) * 3 + k]! * x, 0))));
const libCapsuleLoss = (w: number[]) => marginLoss(dynamicRouting(predictionsOf(w), 3).v.map(vectorNorm), 1);
const autodiffW = tf.tidy(() => {
  const u = tf.tensor2d(smallChildren); // [4][3]
  const lossOfW = (w: tf.Tensor) => {
    const predictions = tf.sum(tf.mul(w.reshape([4, 3, 4, 3]), u.reshape([4, 1, 1, 3])), -1).expandDims(0); // [1][4][3][4]
    return marginLossTf(tf.norm(routingTf(predictions, 3), "euclidean", -1), tf.oneHot(tf.tensor1d([1], "int32"), 3).toFloat());
  };
  return Array.from(tf.grad(lossOfW)(tf.tensor1d(smallW)).dataSync());
});
const capsuleGradError = gradientRelativeError(autodiffW, numericalGradient(libCapsuleLoss, smallW));
check("∂(margin loss)/∂W through 3 routing iterations: tf autodiff = finite differences (relative error < 1e-3)", capsuleGradError < 1e-3, { relativeError: capsuleGradError });

// %% [markdown]
// **A miniature capsule classifier.** The paper's CapsNet for 28×28 MNIST (conv 9×9×256 → 32×6×6 primary
// capsules of dimension 8 → 10 digit capsules of dimension 16, plus a reconstruction decoder) is beyond this
// notebook's budget; its parameter count follows from section 4's formulas (checked first). The same mechanism
// at toy scale trains in about a second: primary capsules are the 16 non-overlapping 2×2 patches of an 8×8 digit
// as 4-D vectors, squashed; each predicts each of 10 digit capsules (dimension 8) through its own 8×4 matrix
// W_ij (5,120 parameters); 3 routing iterations, margin loss, Adam (0.02), 3 epochs; prediction: the longest capsule.

// %%
const capsConvs = convParams(9, 1, 256) + convParams(9, 256, 32 * 8); // conv 9×9 and the primary-capsule conv
const capsRouting = 32 * 6 * 6 * 10 * 8 * 16; // one 16×8 matrix W_ij per (primary capsule, digit capsule) pair
const capsDecoder = denseParams(16 * 10, 512) + denseParams(512, 1024) + denseParams(1024, 784);
check("primary capsules: 28 → 20 → 6 pixels, so 6 × 6 × 32 = 1,152 capsules; totals = the paper's 6.8 M (8.2 M with the decoder)",
  convOutputSize(convOutputSize(28, 9), 9, { strides: 2 }) === 6 && Math.round((capsConvs + capsRouting) / 1e5) === 68 &&
  Math.round((capsConvs + capsRouting + capsDecoder) / 1e5) === 82, { total: capsConvs + capsRouting + capsDecoder });

/** [batch][64] pixels → [batch][16][4]: the 2×2 patches of the 8×8 image as 4-D vectors. */
const patchCapsules = (x: tf.Tensor2D) => x.reshape([x.shape[0], 4, 2, 4, 2]).transpose([0, 1, 3, 2, 4]).reshape([x.shape[0], 16, 4]);
// W[i] is a 4 × 80 matrix: the ten 4 → 8 matrices W_ij of patch capsule i, side by side.
const capsW = tf.variable(tf.tensor3d(new Random(4).array(16 * 4 * 10 * 8, (g) => g.normal(0, 0.5)), [16, 4, 80]));
/** Lengths of the 10 digit capsules: [batch][10]. */
function capsuleLengths(w: tf.Tensor3D, x: tf.Tensor2D): tf.Tensor {
  const batch = x.shape[0];
  const u = squashTf(patchCapsules(x)); // [batch][16][4]
  // û_j|i = W_ij u_i for all i, j at once: one batched matrix product per patch capsule i.
  const predictions = tf.matMul(u.transpose([1, 0, 2]) as tf.Tensor3D, w).reshape([16, batch, 10, 8]).transpose([1, 0, 2, 3]); // [batch][16][10][8]
  return tf.norm(routingTf(predictions, 3), "euclidean", -1);
}
const pixelsOf = (rows: number[]) => tf.tensor2d(take(digits.data, rows).map((r) => r.map((v) => v / 16)));
const [pixelsTrain, pixelsTest] = [pixelsOf(digitSplit.train), pixelsOf(digitSplit.test)];
const capsLossPerEpoch = fitMinibatches({ inputs: pixelsTrain, targets: yTrain, variables: [capsW],
  loss: (xb, yb) => marginLossTf(capsuleLengths(capsW, xb as tf.Tensor2D), yb), epochs: 3, batchSize: 32, learningRate: 0.02, seed: 5 });
const testLengths = tf.tidy(() => capsuleLengths(capsW, pixelsTest).arraySync() as number[][]);
const capsAccuracy = testLengths.filter((l, i) => l.indexOf(Math.max(...l)) === labelsTest[i]).length / labelsTest.length;
console.log(`margin loss per epoch: ${capsLossPerEpoch.map((l) => l.toFixed(4)).join(", ")}; held-out accuracy ${capsAccuracy.toFixed(3)}`);
check("the capsule classifier learned: held-out accuracy ≥ 0.90 (one-digit guess ≈ 0.10)", capsAccuracy >= 0.9, { capsAccuracy: capsAccuracy });

// %% [markdown]
// *Calibration*: over seeds 0–4 (split, W, batch order) accuracy 0.939 … 0.961; bound 0.90. A logistic regression
// on the raw pixels reaches about 0.97 here: the toy shows that the mechanism trains, not that capsules win. The
// lengths are independent class probabilities (they need not sum to 1, so overlapping digits can both be
// recognised). For the first test image of each digit:

// %%
const firstOfClass = Array.from({ length: 10 }, (_, d) => labelsTest.indexOf(d));
await showFigure(heatmapFigure(firstOfClass.map((i) => testLengths[i]!.map((v) => Math.round(v * 100) / 100)), {
  title: "Digit-capsule lengths |v_k| for one test image of each digit", xTitle: "digit capsule k", yTitle: "true digit of the test image",
  xLabels: Array.from({ length: 10 }, (_, k) => `k = ${k}`), yLabels: Array.from({ length: 10 }, (_, d) => `digit ${d}`) }), { width: 640, height: 560 });

// %% [markdown]
// ## Architectures in one table (S3-Q4)
//
// | network | year | key idea | parameters |
// |---|---|---|---|
// | LeNet-5 | 1998 | conv 5×5 → pool → conv 5×5 → pool → dense; handwritten digits | 61,706 (checked in exercise 1's solution) |
// | AlexNet | 2012 | ReLU, dropout, data augmentation, training on GPUs; ImageNet | ≈ 61 M |
// | VGG-16 | 2014 | only stacked 3×3 convolutions (why not 5×5: exercise 2) | 138,357,544; 15.5 G multiply-adds per image (both checked above) |
// | GoogLeNet / Inception v1 | 2014 | parallel 1×1 / 3×3 / 5×5 / pool branches, 1×1 bottlenecks, global average pooling | ≈ 6.8 M |
// | ResNet-50 / 152 | 2015 | identity skip connections + batch normalization: 100+ layers train | 25.6 M / 60 M |
// | MobileNet v1 | 2017 | depthwise-separable convolutions (≈ 8–9× fewer multiply-adds for 3×3) | 4.2 M |
// | CapsNet | 2017 | vector capsules, routing by agreement, margin loss | 8.2 M (checked above) |
//
// Numbers without "checked" are the papers' own.
//
// ## Recap
//
// * **One kernel shared by all positions** (S0-Q11): k²·C_in·C_out + C_out parameters whatever the image size,
//   translation-equivariant maps; output size ⌊(n + 2p − k_eff)/s⌋ + 1 (`"same"`: ⌈n/s⌉).
// * **Pooling has zero parameters** (S1-Q4). Conv cost H_out·W_out·k²·C_in·C_out MACs; VGG-16: 89 % of weights
//   dense, 99 % of MACs conv. **Inception** = parallel branches concatenated (not "layer-by-layer", S3-Q4).
// * Receptive field r_l = r_{l−1} + (k_l − 1)·d_l·j_{l−1}; batch norm: batch statistics in training, running
//   averages at inference; transposed conv = the conv's input gradient; residual paths carry the gradient;
//   capsules: squash, routing by agreement, margin loss, trained by backpropagation.
//
// ## Exercises
//
// 1. **LeNet-5 by hand.** LeNet-5 on a 32×32×1 input: conv 6 × 5×5 → avg pool 2 → conv 16 × 5×5 → avg pool 2
//    → dense 120 → dense 84 → dense 10. Compute every layer's output shape and parameter count with the
//    formulas, then check them against a TensorFlow.js model.
// 2. **VGG's argument.** Why does VGG stack two 3×3 convolutions instead of one 5×5? Compare receptive
//    fields and parameters for C = 64 channels in and out.
// 3. **The ResNet stem.** ResNet-50 starts with conv 7×7, stride 2, padding 3, then a 3×3 max pool, stride
//    2, padding 1, on a 224×224 image. What are the output sizes, and the receptive field and jump of one
//    unit after the stem?
// 4. **Spot the bug (S1-Q4), continued.** The seed answer reads:
//
//    ```text
//    卷积神经网络（CNN）是一种专门用于图像识别、图像分类的神经网络。其基本原理包括：
//    - 卷积层（Convolutional Layer）：通过卷积操作提取图像的特征。
//    - 池化层（Pooling Layer）：对特征进行降维处理，减少模型参数。
//    - 全连接层（Fully Connected Layer）：将特征映射到输出结果。
//    ```
//    Section 4 showed that its pooling sentence is wrong about parameters. (a) Which other statement is too
//    narrow, and which two principles does the answer never name? (b) A learner repairs the pooling sentence to
//    "池化层减少后续层的计算量" (pooling reduces the following layers' computation). Predict, before running anything,
//    the multiply-adds of a 3×3 conv (16 → 32 channels, `"same"`) on a 16×16×16 map with and without a 2×2 max
//    pool in front, and the pool's own parameters and MACs; then check with `modelCost`.
// 5. **Spot the bug (S4-C25).** The seed's capsule network:
//
//    ```python
//    import tensorflow as tf
//
//    def create_capsule_model(input_shape, num_classes, num_routing):
//        input_layer = tf.keras.layers.Input(shape=input_shape)
//        conv_1 = tf.keras.layers.Conv2D(256, (9, 9), activation='relu')(input_layer)
//        primary_capsules = tf.keras.layers.Conv2D(num_capsules=8, kernel_size=(9, 9), strides=(2, 2), padding='valid', activation='relu')(conv_1)
//        digit_capsules = tf.keras.layers.CapsuleLayer(num_capsules=num_classes, dim=16, num_routing=num_routing)(primary_capsules)
//
//        model = tf.keras.Model(inputs=input_layer, outputs=digit_capsules)
//        model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//        return model
//
//    model = create_capsule_model(input_shape=(28, 28, 1), num_classes=10, num_routing=3)
//    model.fit(x_train, y_train, epochs=10, batch_size=32, validation_data=(x_test, y_test))
//    ```
//    Besides the calls that do not exist, two design errors would survive even if it ran. (a) If the ten capsule
//    lengths were fed to categorical cross-entropy as logits, what is the smallest loss a perfect classifier can
//    reach (a formula, then its value), and the margin loss of the same capsules? (b) The primary capsules use
//    ReLU instead of squash: show on section 10's 2×2-patch capsules of real test digits what that breaks.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** 32 → conv 5×5 valid → 28 → pool → 14 → conv 5×5 → 10 → pool → 5, so the first dense layer sees
// 5·5·16 = 400 inputs. Parameters: 5·5·1·6 + 6 = 156; 5·5·6·16 + 16 = 2,416; 400·120 + 120 = 48,120;
// 120·84 + 84 = 10,164; 84·10 + 10 = 850; pools 0; total 61,706. (The 1998 original connected C3 to only
// some S2 maps and had trainable pooling coefficients; 61,706 is the modern fully-connected version.)

// %% tags=["solution"]
const lenet = tf.sequential({ layers: [
  tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: "tanh", inputShape: [32, 32, 1] }),
  tf.layers.averagePooling2d({ poolSize: 2 }),
  tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: "tanh" }),
  tf.layers.averagePooling2d({ poolSize: 2 }),
  tf.layers.flatten(),
  tf.layers.dense({ units: 120, activation: "tanh" }),
  tf.layers.dense({ units: 84, activation: "tanh" }),
  tf.layers.dense({ units: 10, activation: "softmax" }),
] });
const lenetFormula = [convParams(5, 1, 6), 0, convParams(5, 6, 16), 0, 0, denseParams(400, 120), denseParams(120, 84), denseParams(84, 10)];
const lenetShapes = ["28×28×6", "14×14×6", "10×10×16", "5×5×16", "400", "120", "84", "10"];
const lenetRows = lenet.layers.map((l, i) => ({ layer: l.getClassName(), "output shape": (l.outputShape as number[]).slice(1).join("×"), "params (formula)": lenetFormula[i]!, countParams: l.countParams() }));
lenet.dispose();
showTable(lenetRows, { caption: "LeNet-5 (modern, fully connected version)" });
check("LeNet-5: every layer's formula = countParams(), output shapes as derived, total 61,706",
  lenetRows.every((r, i) => r.countParams === r["params (formula)"] && r["output shape"] === lenetShapes[i]) && lenetRows.reduce((t, r) => t + r.countParams, 0) === 61_706);

// %% [markdown] tags=["solution"]
// **2.** Both see 5×5 pixels (r = 1 + 2 + 2 = 5), but two 3×3 layers have 2·(9·64·64 + 64) = 73,856
// parameters against 25·64·64 + 64 = 102,464 (28 % fewer) and put a second ReLU in between, so the
// same receptive field gets a more non-linear function. Three 3×3 layers replace a 7×7 (27C² vs 49C²).

// %% tags=["solution"]
const vggStacks = [{ kernel: 3 }, { kernel: 3 }];
check("two 3×3 convs and one 5×5 conv see 5×5 pixels; parameters 73,856 < 102,464 (= countParams() of a 5×5 conv 64 → 64)",
  receptiveField(vggStacks).at(-1)!.size === 5 && receptiveField([{ kernel: 5 }]).at(-1)!.size === 5 &&
  2 * convParams(3, 64, 64) === 73_856 && countLayerParams(tf.layers.conv2d({ filters: 64, kernelSize: 5 }), [16, 16, 64]) === 102_464);

// %% [markdown] tags=["solution"]
// **3.** Conv: ⌊(224 + 6 − 7)/2⌋ + 1 = 112; pool: ⌊(112 + 2 − 3)/2⌋ + 1 = 56. Receptive field: 1 + 6·1 = 7
// after the conv (jump 2), 7 + 2·2 = 11 after the pool (jump 4): each unit of the 56×56 map sees an 11×11
// patch, and neighbouring units are 4 pixels apart.

// %% tags=["solution"]
const stemShapes = tf.tidy(() => [tf.conv2d(tf.zeros([1, 224, 224, 1]) as tf.Tensor4D, tf.zeros([7, 7, 1, 1]) as tf.Tensor4D, 2, 3)]
  .map((afterConv) => [afterConv.shape[1], tf.maxPool(afterConv, 3, 2, 1).shape[1]])[0]!);
check("ResNet stem: 224 → 112 → 56, formula = tf shapes", convOutputSize(224, 7, { strides: 2, padding: 3 }) === 112 &&
  convOutputSize(112, 3, { strides: 2, padding: 1 }) === 56 && stemShapes.join(" → ") === "112 → 56", { tf: stemShapes.join(" → ") });
const stemField = receptiveField([{ kernel: 7, stride: 2 }, { kernel: 3, stride: 2 }]).at(-1)!;
check("ResNet stem: receptive field 11, jump 4 (matches the gradient support in section 5's table)",
  stemField.size === 11 && stemField.jump === 4 && rfRows[4]!.height === 11 + 2 * 4);

// %% [markdown] tags=["solution"]
// **4.** (a) "专门用于图像识别" is too narrow: convolutions work on any grid-structured data (1-D for audio,
// time series and text, 3-D for video and volumes). The answer never names the two real principles, **local
// connectivity** and **weight sharing** (hence translation equivariance). (b) The repaired sentence is true.
// Without the pool the conv costs 16·16·9·16·32 = 1,179,648 MACs; after a 2×2 pool the map is 8×8, so
// 8·8·9·16·32 = 294,912, 4× fewer (p² for a p×p pool). The pool has 0 parameters and, by the usual convention,
// 0 MACs (it compares, it does not multiply). The conv's parameters are 4,640 either way: pooling saves
// parameters only when a dense layer follows `flatten` (section 4).

// %% tags=["solution"]
const pooledCost = [false, true].map((pooled) => {
  const model = tf.sequential({ layers: [
    ...(pooled ? [tf.layers.maxPooling2d({ poolSize: 2, inputShape: [16, 16, 16] })] : [tf.layers.inputLayer({ inputShape: [16, 16, 16] })]),
    tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: "same" }),
  ] });
  const cost = modelCost(model);
  model.dispose();
  return { "max pool first": pooled, "pool params": cost.layers[0]!.params, "pool MACs": cost.layers[0]!.macs, "conv params": cost.layers[1]!.params, "conv MACs": cost.layers[1]!.macs };
});
showTable(pooledCost, { caption: "A 3×3 conv, 16 → 32 channels, on a 16×16×16 map, with and without a 2×2 max pool in front" });
check("the pool has 0 parameters and 0 MACs; the conv after it costs 294,912 MACs instead of 1,179,648 (4×), with the same 4,640 parameters",
  pooledCost[1]!["pool params"] === 0 && pooledCost[1]!["pool MACs"] === 0 && pooledCost[0]!["conv MACs"] === 1_179_648 && pooledCost[1]!["conv MACs"] === 294_912 &&
  pooledCost.every((r) => r["conv params"] === 4_640));

// %% [markdown] tags=["solution"]
// **5.** (a) With lengths ℓ_k ∈ [0, 1) as logits, the best case is ℓ_true → 1 and the nine others 0, so
// cross-entropy ≥ −log(e/(e + 9)) = log(1 + 9/e) ≈ 1.46 for a *perfect* classifier: the gradient never stops
// pushing. The margin loss of the same capsules is 0 (true length ≥ m⁺ = 0.9, others ≤ m⁻ = 0.1); the loss
// belongs on the lengths, with the optional reconstruction loss. (b) ReLU "capsules" of real digit patches
// reach lengths above 1, so a length is no probability; squashed ones stay below 1. The seed's other errors:
// `Conv2D(num_capsules=8, …)` has no `filters` argument (TypeError; primary capsules are an ordinary conv
// with 32·8 = 256 filters whose output is *reshaped into 8-D vectors* and squashed); there is no
// `tf.keras.layers.CapsuleLayer` (AttributeError: the W_ij matrices and routing must be written, and
// `num_routing` is never used); `x_train` … `y_test` are undefined, and the test set serves as validation set.

// %% tags=["solution"]
let missingFilters = "";
try {
  tf.layers.conv2d({ kernelSize: 9, strides: 2 } as unknown as Parameters<typeof tf.layers.conv2d>[0]);
} catch (error) {
  missingFilters = (error as Error).message;
}
check("a conv layer without `filters` is rejected (the seed's num_capsules=8 TypeError)", /filters/.test(missingFilters), { message: missingFilters });
check("there is no built-in capsule layer to call", !Object.keys(tf.layers).some((name) => /capsule/i.test(name)));

const patchLengths = tf.tidy(() => {
  const patches = patchCapsules(pixelsTest);
  return { relu: Array.from(tf.norm(tf.relu(patches), "euclidean", -1).dataSync()), squashed: Array.from(tf.norm(squashTf(patches), "euclidean", -1).dataSync()) };
});
check("ReLU 'capsules' of real digit patches reach lengths > 1 (not probabilities); squashed ones stay < 1",
  Math.max(...patchLengths.relu) > 1 && Math.max(...patchLengths.squashed) < 1, { maxRelu: Math.max(...patchLengths.relu), maxSquashed: Math.max(...patchLengths.squashed) });

const perfectLengths = [0.99, ...new Array<number>(9).fill(0)];
const crossEntropyFloor = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.tensor2d([[1, 0, 0, 0, 0, 0, 0, 0, 0, 0]]), tf.tensor2d([perfectLengths])).dataSync()[0]!);
checkClose("cross-entropy on near-perfect capsule lengths is stuck near log(1 + 9/e) ≈ 1.46", crossEntropyFloor, Math.log(Math.exp(0.99) + 9) - 0.99, { rel: 1e-5 });
check("the margin loss of the same capsules is 0", marginLoss(perfectLengths, 0) === 0 && crossEntropyFloor > 1.4);
