// %% [markdown]
// # 27 · Neural style transfer and super-resolution
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S4-C17 | Implement a CNN image style-transfer model | 实现一个基于卷积神经网络的图像风格转换模型 |
// | S4-C19 | Implement a GAN super-resolution model | 实现一个基于生成对抗网络的图像超分辨率模型 |
//
// **The short answer an interviewer wants.** *Style transfer* (Gatys et al. 2016) needs no training at all: take
// a CNN pretrained on images (VGG-19 in the paper), keep its weights fixed, and optimise the **pixels** of an image
// so that its deep features match the content image (content loss, position by position) and the **Gram
// matrices** of its features match the style image's (style loss: which features occur together, wherever they
// are). *Fast* style transfer (Johnson et al. 2016) trains a feed-forward network once per style with the same
// losses. *Super-resolution* learns a map from a low-resolution image to its high-resolution original, trained on
// pairs made by downsampling high-resolution images; the network must **upsample** (transposed convolution,
// sub-pixel shuffle, or interpolation followed by convolutions) and is scored by **PSNR** (and SSIM). SRGAN adds an
// adversarial and a perceptual loss on top of a pixel loss to get sharper texture at some cost in PSNR.
//
// Everything runs offline here: the feature extractor is the small digit CNN that notebook 15 fine-tunes
// (`data/pretrained/digits-0-4-cnn`, trained in this repository), the styles are procedural textures, and
// super-resolution learns MNIST 14×14 → 28×28 (VGG and photo datasets cannot be downloaded; catalog §5).

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { loadMnist } from "./lib/data";
import { imageBatch, labelsOf, range } from "./lib/nn/vision";
import { loadPretrained, preprocessInput } from "./lib/nn/pretrained";
import { symmetricEigen } from "./lib/math/linalg";
import { contentLoss, gramMatrix, styleLoss } from "./lib/imaging/style";
import { meanPsnr, psnr } from "./lib/imaging/psnr";
import { makeTexture } from "./lib/imaging/textures";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { imageGridFigure, lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %% [markdown]
// ## 1. S4-C17 · Style transfer: what "style" is, in numbers
//
// **Question.** Implement an image style-transfer model based on a convolutional neural network.
// (实现一个基于卷积神经网络的图像风格转换模型。)
//
// **Short answer.** Use a pretrained CNN as a fixed *feature extractor*. Content = the feature maps of one deeper
// layer, compared position by position. Style = for each of several layers, the Gram matrix G = Fᵀ F / (H·W) of
// its feature maps F reshaped to [positions, channels]: the correlations between channels, averaged over
// positions. Start from the content image (or noise) and run gradient descent **on the image** to minimise
// α · content loss + β · style loss. **What the seed gets wrong:** its "style loss" is a plain feature MSE (a
// second content loss), its extractor is an untrained 10-class CNN, it compiles a tensor as a Keras loss and
// trains *weights* instead of pixels, and its text asks for "a generator and a discriminator", which style
// transfer does not have (section 4 and exercise 1).
//
// **The Gram matrix, by hand.** The next cell computes G for a small random feature map with three nested loops,
// compares it with `gramMatrix` (lib/imaging/style.ts), and checks the two properties that make it a *style*
// descriptor: it is symmetric positive semi-definite (it is an average of outer products f fᵀ), and it does not
// change when the positions are shuffled, while the content loss does.

// %%
const featureRng = new Random(27);
const [FH, FW, FC] = [4, 5, 6];
const featureValues = Array.from({ length: FH * FW * FC }, () => featureRng.normal());
const featureAt = (y: number, x: number, c: number) => featureValues[(y * FW + x) * FC + c]!;
const gramByHand = Array.from({ length: FC }, (_, i) => Array.from({ length: FC }, (_, j) => {
  let sum = 0;
  for (let y = 0; y < FH; y += 1) for (let x = 0; x < FW; x += 1) sum += featureAt(y, x, i) * featureAt(y, x, j);
  return sum / (FH * FW);
}));
const features = tf.tensor4d(featureValues, [1, FH, FW, FC]);
const gramLib = tf.tidy(() => gramMatrix(features).arraySync()[0]!);
check("gramMatrix equals the explicit mean over positions of channel products (1e-5)", gramLib.every((row, i) => row.every((v, j) => Math.abs(v - gramByHand[i]![j]!) < 1e-5)));
const gramEigenvalues = symmetricEigen(gramByHand).values;
check("G is symmetric", gramByHand.every((row, i) => row.every((v, j) => v === gramByHand[j]![i]!)));
check("G is positive semi-definite: every eigenvalue ≥ −1e-9", gramEigenvalues.every((v) => v >= -1e-9), { smallest: Math.min(...gramEigenvalues) });
const positionOrder = featureRng.permutation(FH * FW);
const shuffled = tf.tensor4d(positionOrder.flatMap((p) => featureValues.slice(p * FC, (p + 1) * FC)), [1, FH, FW, FC]);
const [styleAfterShuffle, contentAfterShuffle] = tf.tidy(() => [styleLoss(shuffled, features).dataSync()[0]!, contentLoss(shuffled, features).dataSync()[0]!]);
check("shuffling the positions leaves the style loss at 0 (1e-10): style ignores layout", styleAfterShuffle < 1e-10, { styleAfterShuffle });
check("the content loss sees the shuffle: layout is what content means", contentAfterShuffle > 0.5, { contentAfterShuffle });
features.dispose();
shuffled.dispose();

// %% [markdown]
// **The feature extractor.** Notebook 15's pretrained digit CNN (two 5×5 conv layers with 8 and 16 filters,
// trained on MNIST digits 0–4 by `scripts/data/pretrain-digit-backbones.ts`) plays VGG's part. We read both conv
// layers: style from conv1 and conv2, content from conv2. The content image is a held-out handwritten 3; the
// style is a procedural checkerboard (`makeTexture`, lib/imaging/textures.ts).

// %%
const mnist = loadMnist();
const { model: backbone, recipe } = await loadPretrained("digits-0-4-cnn");
const sourceClassifier = (await loadPretrained("digits-0-4-cnn", { includeTop: true })).model;
const extractor = tf.model({
  inputs: backbone.inputs,
  outputs: ["backbone_conv1", "backbone_conv2"].map((name) => backbone.getLayer(name).output as tf.SymbolicTensor),
});
console.log(`feature maps: ${extractor.outputs.map((o) => `[${o.shape.slice(1).join("×")}]`).join(" and ")}`);
const validationIds = range(7000, 8000); // MNIST_SPLIT.validation: never trained on
const contentId = validationIds[labelsOf(mnist, validationIds).indexOf(3)]!;
const contentImage = imageBatch(mnist, [contentId]);
const styleImage = tf.tensor4d(makeTexture("checks", { size: 28, seed: 1 }), [1, 28, 28, 1]);
const featuresOf = (image: tf.Tensor4D) => extractor.predict(preprocessInput(image, recipe)) as tf.Tensor4D[];
const [contentConv1, contentConv2] = featuresOf(contentImage);
const [styleConv1, styleConv2] = featuresOf(styleImage);
contentConv1!.dispose();
const classOf = (image: tf.Tensor4D) => tf.tidy(() => (sourceClassifier.predict(preprocessInput(image, recipe)) as tf.Tensor).argMax(-1).dataSync()[0]!);
check("the pretrained network recognises the content image as a 3", classOf(contentImage) === 3);

// %% [markdown]
// **Optimising the pixels.** The image x is a `tf.Variable` initialised to the content image; Adam (rate 0.02)
// updates its pixels, 400 steps, to minimise 10 · style loss + 1 · content loss, with pixels clipped to [0, 1]
// after each step. The network's weights are never touched (a check below compares them bit for bit).
//
// Calibration of the claims below (same recipe, same 3, three textures): the style loss fell by 95 % for stripes,
// 95 % for checks and 90 % for dots, and the network still read a 3 for checks and dots but a 4 for stripes. So
// "≥ 90 %" (the catalog's figure) holds for these textures with little room, and a strong style can make the
// content unreadable: the weight below is a choice, which the sweep after it makes visible.

// %%
const STYLE_WEIGHT = 10;
const STEPS = 400;
function stylise(styleWeight: number, steps: number): { image: tf.Tensor4D; styleCurve: number[]; contentCurve: number[] } {
  const start = contentImage.clone();
  const pixels = tf.variable(start, true, `stylised_${styleWeight}`);
  start.dispose(); // the variable keeps the data
  const losses = () => {
    const [conv1, conv2] = featuresOf(pixels as unknown as tf.Tensor4D);
    return [tf.add(styleLoss(conv1!, styleConv1!), styleLoss(conv2!, styleConv2!)) as tf.Scalar, contentLoss(conv2!, contentConv2!)];
  };
  const optimizer = tf.train.adam(0.02);
  const [styleCurve, contentCurve] = [[] as number[], [] as number[]];
  for (let step = 0; step <= steps; step += 1) {
    if (step % 20 === 0) {
      const [style, content] = tf.tidy(() => losses().map((loss) => loss.dataSync()[0]!));
      styleCurve.push(style!);
      contentCurve.push(content!);
    }
    if (step === steps) break;
    tf.tidy(() => {
      optimizer.minimize(() => {
        const [style, content] = losses();
        return tf.add(tf.mul(styleWeight, style!), content!) as tf.Scalar;
      }, false, [pixels]);
      pixels.assign(tf.clipByValue(pixels, 0, 1));
    });
  }
  optimizer.dispose();
  const image = pixels.clone() as tf.Tensor4D;
  pixels.dispose();
  return { image, styleCurve, contentCurve };
}
const weightsBefore = backbone.getWeights().map((w) => w.dataSync().slice());
const tensorsBeforeStyle = tf.memory().numTensors;
const stylised = stylise(STYLE_WEIGHT, STEPS);
const styleDrop = 1 - stylised.styleCurve.at(-1)! / stylised.styleCurve[0]!;
const styleImageContentLoss = tf.tidy(() => contentLoss(featuresOf(styleImage)[1]!, contentConv2!).dataSync()[0]!);
const resultContentLoss = stylised.contentCurve.at(-1)!;
showTable([
  { image: "content (start)", "style loss": stylised.styleCurve[0]!.toExponential(2), "content loss": "0", "class (digits 0–4 CNN)": 3 },
  { image: "stylised", "style loss": stylised.styleCurve.at(-1)!.toExponential(2), "content loss": resultContentLoss.toExponential(2), "class (digits 0–4 CNN)": classOf(stylised.image) },
  { image: "style (checks)", "style loss": "0", "content loss": styleImageContentLoss.toExponential(2), "class (digits 0–4 CNN)": "" },
]);
check("the style loss falls by ≥ 90 % from the content image's", styleDrop >= 0.9, { styleDrop });
// The catalog's "content loss ≤ 2× its value at the content image" is 0 there; the scale used instead is the
// content loss of the style image itself: the result must stay far closer to the 3 than the texture is.
check("the result keeps the content: its content loss is under half the style image's", resultContentLoss < 0.5 * styleImageContentLoss, { resultContentLoss, styleImageContentLoss });
check("the pretrained network still reads the stylised image as a 3", classOf(stylised.image) === 3);
check("the network's weights are bit-identical after style transfer: only pixels were optimised", backbone.getWeights().every((w, k) => w.dataSync().every((v, i) => Object.is(v, weightsBefore[k]![i]))));
check("no tensor leaked by the optimisation (beside the result)", tf.memory().numTensors === tensorsBeforeStyle + 1, { before: tensorsBeforeStyle, after: tf.memory().numTensors });

// %%
const asImage = (t: tf.Tensor4D) => (t.arraySync() as number[][][][])[0]!.map((row) => row.map((pixel) => pixel[0]!));
await showFigure(imageGridFigure([[asImage(contentImage), asImage(styleImage), asImage(stylised.image)]], {
  title: "Content, style and the stylised result (pixels optimised, network fixed)",
  columnLabels: ["content: a held-out 3", "style: checks", `result after ${STEPS} steps`],
}), { height: 320 });
await showFigure(lineFigure([
  { name: "style loss (conv1 + conv2 Gram)", x: stylised.styleCurve.map((_, k) => 20 * k), y: stylised.styleCurve },
  { name: "content loss (conv2 features)", x: stylised.contentCurve.map((_, k) => 20 * k), y: stylised.contentCurve },
], { title: "Style transfer: losses while optimising the pixels", xTitle: "Adam step", yTitle: "loss (mean squared difference)", logY: true }));

// %% [markdown]
// **The trade-off.** The weight β/α decides how much content is given up for style. The sweep below re-runs the
// optimisation for style weights 0.3 to 100 (200 steps each): more weight must mean a lower final style loss and a
// higher content loss, at every step of the sweep.

// %%
const sweepWeights = [0.3, 1, 3, 10, 30, 100];
const sweep = sweepWeights.map((weight) => {
  const run = stylise(weight, 200);
  run.image.dispose();
  return { weight, style: run.styleCurve.at(-1)!, content: run.contentCurve.at(-1)! };
});
showTable(sweep.map((r) => ({ "style weight": r.weight, "final style loss": r.style.toExponential(2), "final content loss": r.content.toExponential(2) })));
check("a larger style weight always ends with a lower style loss", sweep.every((r, k) => k === 0 || r.style < sweep[k - 1]!.style));
check("… and a higher content loss", sweep.every((r, k) => k === 0 || r.content > sweep[k - 1]!.content));

// %% [markdown]
// ## 2. S4-C19 · Super-resolution: upsampling that beats interpolation
//
// **Question.** Implement an image super-resolution model based on a generative adversarial network.
// (实现一个基于生成对抗网络的图像超分辨率模型。)
//
// **Short answer.** Make (low-resolution, high-resolution) pairs by downsampling real images; train a network
// LR → HR with a pixel loss (MSE or L1); the network must increase the resolution: interpolate and refine
// (SRCNN, VDSR), or learn it with a transposed convolution or a **sub-pixel** layer (ESPCN: a convolution with r²
// output channels rearranged into an r× larger image, `tf.depthToSpace`). SRGAN adds a discriminator that judges
// HR vs SR images and a VGG feature ("perceptual") loss: sharper textures, lower PSNR. Evaluate with PSNR / SSIM
// against bicubic interpolation. **What the seed gets wrong:** its generator never upsamples (three `same`
// convolutions keep 224×224; `upscale_factor` is unused) and maps 3 channels to 1; it trains on `[x_train,
// x_train]`, so there are no LR/HR pairs; it has no pixel loss and no PSNR; its losses are model outputs (exercise 2).
//
// **PSNR** = 10 · log₁₀(MAX² / MSE) dB. Closed forms to check `psnr` (lib/imaging/psnr.ts) against: identical
// images give +∞; an error of ±e at every pixel gives 10 · log₁₀(1 / e²), e.g. 20 dB for e = 0.1; halving the error
// adds 20 · log₁₀ 2 = 6.02 dB.

// %%
const probe = Array.from({ length: 100 }, (_, i) => (i % 10) / 10);
check("PSNR of identical images is +∞", psnr(probe, probe) === Infinity);
checkClose("a constant error 0.1 gives 20 dB", psnr(probe.map((v) => v + 0.1), probe), 20, { abs: 1e-9 });
checkClose("errors of ±0.05 give 10·log₁₀(1/0.05²) = 26.02 dB", psnr(probe.map((v, i) => v + (i % 2 ? 0.05 : -0.05)), probe), 10 * Math.log10(1 / 0.0025), { abs: 1e-9 });

// %% [markdown]
// **The pairs.** High resolution: MNIST digits, 28×28. Low resolution: each 2×2 block averaged (14×14), the
// camera-like degradation. 1,000 training pairs from the training range, 500 test pairs from the test range.
// **The model** (2,625 parameters, counted below): bilinear upsampling ×2, then three 3×3 convolutions that predict a *residual*
// added to the upsampled image (VDSR's idea: the network only learns what interpolation misses). MSE loss, Adam
// 0.003, 3 epochs. **The baselines**: `tf.image.resizeBilinear` with half-pixel centres (matching how the 2×2
// averages sit on the HR grid) and nearest-neighbour.

// %%
const downsample = (images: tf.Tensor4D) => tf.avgPool(images, 2, 2, "valid") as tf.Tensor4D;
const hrTrain = imageBatch(mnist, range(0, 1000));
const hrTest = imageBatch(mnist, range(8000, 8500));
const lrTrain = downsample(hrTrain);
const lrTest = downsample(hrTest);
const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const lowRes = tf.input({ shape: [14, 14, 1] });
const upsampled = tf.layers.upSampling2d({ size: [2, 2], interpolation: "bilinear" }).apply(lowRes) as tf.SymbolicTensor;
let refined = upsampled;
for (const [k, filters] of [16, 16].entries()) refined = tf.layers.conv2d({ filters, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(k + 1) }).apply(refined) as tf.SymbolicTensor;
const residual = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: "same", kernelInitializer: init(3) }).apply(refined) as tf.SymbolicTensor;
const superResolution = tf.model({ inputs: lowRes, outputs: tf.layers.add().apply([upsampled, residual]) as tf.SymbolicTensor, name: "residual_sr" });
superResolution.compile({ optimizer: tf.train.adam(0.003), loss: "meanSquaredError" });
check("countParams = three 3×3 convolutions' weights and biases: (9·1·16 + 16) + (9·16·16 + 16) + (9·16·1 + 1) = 2,625", superResolution.countParams() === 9 * 16 + 16 + (9 * 16 * 16 + 16) + (9 * 16 + 1), { countParams: superResolution.countParams() });
const history = await superResolution.fit(lrTrain, hrTrain, { epochs: 3, batchSize: 32, shuffle: true, verbose: 0 });
const srTest = tf.tidy(() => tf.clipByValue(superResolution.predict(lrTest) as tf.Tensor4D, 0, 1)) as tf.Tensor4D;
check("the output is twice the input's size: 14×14 → 28×28", JSON.stringify(srTest.shape) === JSON.stringify([500, 28, 28, 1]), { shape: srTest.shape });
const bilinearTest = tf.tidy(() => tf.clipByValue(tf.image.resizeBilinear(lrTest, [28, 28], false, true), 0, 1)) as tf.Tensor4D;
const nearestTest = tf.image.resizeNearestNeighbor(lrTest, [28, 28]);
const truth = hrTest.dataSync();
const [psnrSr, psnrBilinear, psnrNearest] = [srTest, bilinearTest, nearestTest].map((t) => meanPsnr(t.dataSync(), truth, 500));
showTable([
  { method: "nearest neighbour", "test PSNR (dB)": psnrNearest!.toFixed(2) },
  { method: "bilinear (half-pixel centres)", "test PSNR (dB)": psnrBilinear!.toFixed(2) },
  { method: "residual CNN (this notebook)", "test PSNR (dB)": psnrSr!.toFixed(2) },
]);
check("the learned upsampler beats bilinear by ≥ 1 dB on held-out digits", psnrSr! >= psnrBilinear! + 1, { psnrSr, psnrBilinear });
check("… and nearest neighbour by ≥ 1 dB", psnrSr! >= psnrNearest! + 1, { psnrSr, psnrNearest });
check("the training loss fell over the 3 epochs", (history.history.loss as number[])[2]! < (history.history.loss as number[])[0]!);

// %%
const strip = [0, 1, 2].map((i) => [lrTest, bilinearTest, srTest, hrTest].map((t, k) => {
  const image = tf.tidy(() => (k === 0 ? tf.image.resizeNearestNeighbor(t.slice([i], [1]), [28, 28]) : t.slice([i], [1])) as tf.Tensor4D);
  const pixels = asImage(image);
  image.dispose();
  return pixels;
}));
await showFigure(imageGridFigure(strip, {
  title: "Held-out digits: low resolution, bilinear, the learned upsampler, the original",
  columnLabels: ["LR 14×14", `bilinear ${psnrBilinear!.toFixed(1)} dB`, `CNN ${psnrSr!.toFixed(1)} dB`, "HR 28×28"],
}), { height: 480 });

// %% [markdown]
// **Sub-pixel convolution** (ESPCN), the other way to upsample inside the network: a convolution produces r²
// channels per low-resolution pixel, and `depthToSpace` lays each pixel's r² channels out as an r × r block.
// The next cell checks the layout on one pixel with channels 0, 1, 2, 3: they become the 2×2 block [[0, 1], [2, 3]].

// %%
const subPixel = tf.tidy(() => tf.depthToSpace(tf.tensor4d([0, 1, 2, 3], [1, 1, 1, 4]), 2).arraySync() as number[][][][]);
check("depthToSpace puts channel 2·row + column at (row, column) of the 2×2 block", JSON.stringify(subPixel[0]!.map((row) => row.map((p) => p[0]))) === "[[0,1],[2,3]]", { subPixel: JSON.stringify(subPixel) });

// %% [markdown]
// ## 3. Spot the bugs
//
// **S4-C17** (Keras, abridged):
//
// > ```python
// > def create_style_transfer_model(content_layer, style_layer, content_weight, style_weight):
// >     content_model = tf.keras.models.Model(inputs=content_input, outputs=content_model.get_layer(content_layer).output)
// >     style_model = tf.keras.models.Model(inputs=style_input, outputs=style_model.get_layer(style_layer).output)
// >     content_loss = tf.reduce_mean(tf.square(content_model(content_output) - content_model(content_input)))
// >     style_loss = tf.reduce_mean(tf.square(style_model(style_output) - style_model(style_input)))
// >     total_loss = content_loss * content_weight + style_loss * style_weight
// >     model = tf.keras.Model(inputs=[content_input, style_input], outputs=content_output)
// >     model.compile(optimizer=optimizer, loss=total_loss)
// >     return model
// > content_model = create_cnn_model(input_shape=(224, 224, 3), num_classes=10)
// > ```
//
// **S4-C19** (Keras, abridged):
//
// > ```python
// > generator = tf.keras.Sequential([
// >     tf.keras.layers.Conv2D(64, (9, 9), activation='relu', padding='same', input_shape=input_shape),
// >     tf.keras.layers.Conv2D(64, (5, 5), activation='relu', padding='same'),
// >     tf.keras.layers.Conv2D(1, (5, 5), activation='sigmoid', padding='same')])
// > …
// > model = tf.keras.Model([z, disc_real_samples], [generator_loss, discriminator_loss])
// > model, generator = create_super_resolution_model(input_shape=(224, 224, 3), upscale_factor=2)
// > model.fit([x_train, x_train], [discriminator_loss, generator_loss], epochs=50, batch_size=32)
// > ```
//
// **Questions.** What stops each from running? Once it runs, why is the first not style transfer and the second
// not super-resolution? (Answers in the solutions, exercises 1 and 2.)

// %% [markdown]
// ## Recap
//
// * Style = Gram matrices of CNN feature maps: channel co-occurrence averaged over positions, symmetric PSD and
//   blind to layout; content = the feature maps themselves, position by position.
// * Gatys-style transfer optimises the pixels of one image against a fixed pretrained network: here the style
//   loss fell by more than 90 % while the digit stayed a 3 for the network; the style weight trades one loss for the
//   other, monotonically over a 0.3–100 sweep. Fast style transfer trains a network once per style instead.
// * Super-resolution learns LR → HR from pairs made by downsampling; the network must upsample (interpolation +
//   convolutions, transposed convolution, or sub-pixel `depthToSpace`); PSNR = 10 log₁₀(MAX²/MSE) scores it. A
//   2.6 k-parameter residual CNN beat bilinear interpolation by more than 1 dB on held-out digits (6 dB here).
// * SRGAN adds an adversarial and a perceptual loss for sharper textures, at some cost in PSNR; a GAN alone, with
//   no pixel loss and no LR/HR pairs (the seed), learns nothing about the input.
//
// ## Exercises
//
// 1. **Spot the bug (S4-C17).** List what stops the seed's style-transfer code from running, then what makes it
//    wrong as style transfer. Show with section 1's features that its "style loss" (a feature MSE) changes when
//    the positions of the style features are shuffled, while the Gram-based one does not.
// 2. **Spot the bug (S4-C19).** List what stops the seed's GAN super-resolution from running, and what makes it
//    not super-resolution. Check that its generator, built here, returns an image of the *input's* size.
// 3. **Sharper or closer?** PSNR rewards the average of all plausible high-resolution images, which is blurry.
//    Compute the PSNR of the per-pixel mean of the training HR images as a "prediction" for every test image, and
//    explain why an SRGAN can look better than the residual CNN and still have a lower PSNR.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** It does not run: `content_input`, `style_input` and `content_output` are never defined; inside the
// function `content_model = … content_model.get_layer(…)` reads the local name before it is assigned
// (*UnboundLocalError*), likewise `style_model`; `create_cnn_model` comes from another snippet; `compile(loss=
// total_loss)` gets a tensor where Keras wants a function of (y_true, y_pred). As style transfer it is wrong
// three ways: the extractor is an *untrained* 10-class CNN (its features mean nothing; Gatys uses ImageNet-trained
// VGG); the "style loss" compares feature maps position by position, so it is a second content loss; and it
// trains model weights, while style transfer optimises the image (`tf.Variable` pixels, section 1). There is no
// discriminator in style transfer. The seed's feature MSE as a style loss, on section 1's shuffled features:

// %% tags=["solution"]
const seedStyleLoss = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]!);
const styleShuffleOrder = new Random(5).permutation(8 * 8);
const shuffledStyleConv2 = tf.tidy(() => {
  const values = styleConv2!.dataSync();
  return tf.tensor4d(styleShuffleOrder.flatMap((p) => Array.from(values.slice(p * 16, (p + 1) * 16))), [1, 8, 8, 16]);
});
const seedLossChange = seedStyleLoss(shuffledStyleConv2, styleConv2!);
const gramLossChange = tf.tidy(() => styleLoss(shuffledStyleConv2, styleConv2!).dataSync()[0]!);
check("the seed's 'style loss' (feature MSE) changes when the style's positions are shuffled", seedLossChange > 1e-3, { seedLossChange });
check("the Gram style loss does not (1e-8)", gramLossChange < 1e-8, { gramLossChange });
shuffledStyleConv2.dispose();

// %% [markdown] tags=["solution"]
// **2.** It does not run: D is built for 3-channel input but the generator outputs 1 channel (shape error);
// `discriminator_loss, generator_loss` are undefined at `fit` (and losses are not model outputs: the GAN needs two
// optimizers and alternating steps, notebook 25). As super-resolution: the generator never upsamples (`same`
// padding keeps 224×224; `upscale_factor` is unused); `fit([x_train, x_train], …)` feeds the high-resolution image
// as the low-resolution input, so there are no LR/HR pairs; there is no pixel or perceptual loss (a pure
// adversarial loss does not tie the output to the input) and no PSNR/SSIM. Its 9-5-5 stack is SRCNN, which
// expects a bicubic-upsampled input. Built here on 28×28 inputs:

// %% tags=["solution"]
const seedGenerator = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [28, 28, 3], filters: 64, kernelSize: 9, padding: "same", activation: "relu", kernelInitializer: init(11) }),
  tf.layers.conv2d({ filters: 64, kernelSize: 5, padding: "same", activation: "relu", kernelInitializer: init(12) }),
  tf.layers.conv2d({ filters: 1, kernelSize: 5, padding: "same", activation: "sigmoid", kernelInitializer: init(13) }),
] });
const seedOutputShape = seedGenerator.outputs[0]!.shape;
check("the seed's generator keeps the input's 28×28 (no upsampling) and returns 1 channel, not 3", JSON.stringify(seedOutputShape) === JSON.stringify([null, 28, 28, 1]), { seedOutputShape });

// %% [markdown] tags=["solution"]
// **3.** The mean training digit is the MSE-optimal prediction when nothing is known about the input; the residual
// CNN is the MSE-optimal prediction given the LR image, which is still an average over the HR images that
// downsample to it, so it blurs what the LR image cannot decide. A GAN picks one *plausible* sharp image instead:
// it looks real, but a sharp edge one pixel off costs more squared error than a blur, so PSNR drops.

// %% tags=["solution"]
const meanDigit = tf.tidy(() => tf.mean(hrTrain, 0, true));
const meanPrediction = tf.tidy(() => tf.tile(meanDigit, [500, 1, 1, 1]));
const psnrMean = meanPsnr(meanPrediction.dataSync(), truth, 500);
console.log(`mean digit: ${psnrMean.toFixed(2)} dB; bilinear ${psnrBilinear!.toFixed(2)} dB; residual CNN ${psnrSr!.toFixed(2)} dB`);
check("the mean digit, blind to the input, scores far below interpolation", psnrMean < psnrBilinear! - 3, { psnrMean });
meanDigit.dispose();
meanPrediction.dispose();
