// %% [markdown]
// # 26 · Autoencoders, denoising and variational autoencoders
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S4-C16 | Implement an autoencoder image-denoising model | 实现一个基于自编码器的图像去噪模型 |
// | S4-C28 | Implement a CNN image-denoising model | 实现一个基于卷积神经网络（CNN）的图像去噪模型 |
// | S4-C22 | Implement a variational-autoencoder image generator | 实现一个基于变分自编码器（Variational Autoencoder）的图像生成模型 |
//
// **The short answer an interviewer wants.** An **autoencoder** maps x to a code z = f(x) and back to x̂ = g(z),
// trained to make x̂ close to x; a bottleneck (or noise, or sparsity) stops it from copying. A **denoising**
// autoencoder is trained on (noisy x, clean x) pairs, so it must learn what clean images look like; its output must
// have the input's shape (`same` padding, or upsampling back). A *linear* autoencoder with k units can do no better
// than PCA with k components, and reaches it. A **variational autoencoder** makes the code probabilistic: the
// encoder outputs μ and log σ² of q(z | x), a code is drawn as z = μ + σ ⊙ ε (the **reparameterisation trick**, so
// gradients reach the encoder), the decoder reconstructs x from z, and the loss adds KL(q(z | x) ‖ N(0, I)) to the
// reconstruction error: the negative **ELBO**, a lower bound on log p(x). Because codes are pushed towards N(0, I),
// decoding a draw from N(0, I) gives a new image: that is the generator.
//
// Data: MNIST digits averaged down to 14×14 (pixels in [0, 1]); every network here trains in seconds.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkClose } from "./lib/check";
import { loadMnist } from "./lib/data";
import { imageBatch, labelsOf, range } from "./lib/nn/vision";
import { fitMinibatchLoss } from "./lib/nn/minibatch";
import { PCA } from "./lib/ml/pca";
import { gaussianKlToStandardNormal, reparameterize } from "./lib/generative/vae";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { imageGridFigure, lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object

// %%
const mnist = loadMnist();
const SIDE = 14;
const PIXELS = SIDE * SIDE;
const TRAIN_IDS = range(0, 3000);
const TEST_IDS = range(8000, 8500); // MNIST_SPLIT.test
const small = (ids: number[]) => tf.tidy(() => tf.avgPool(imageBatch(mnist, ids), 2, 2, "valid") as tf.Tensor4D);
const cleanTrain = small(TRAIN_IDS);
const cleanTest = small(TEST_IDS);
const testLabels = labelsOf(mnist, TEST_IDS);
const NOISE = 0.3;
const addNoise = (images: tf.Tensor4D, seed: number) => tf.tidy(() => tf.add(images, tf.randomNormal(images.shape, 0, NOISE, "float32", seed)) as tf.Tensor4D);
const noisyTrain = addNoise(cleanTrain, 1);
const noisyTest = addNoise(cleanTest, 2);
const mse = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.mean(tf.squaredDifference(a, b)).dataSync()[0]!);
const asImage = (images: tf.Tensor, i: number): number[][] => tf.tidy(() => (tf.reshape(images.slice([i], [1]), [SIDE, SIDE]).arraySync() as number[][]));
console.log(`${TRAIN_IDS.length} training and ${TEST_IDS.length} test digits, ${SIDE}×${SIDE}; additive Gaussian noise σ = ${NOISE}`);

// %% [markdown]
// ## 1. S4-C16 and S4-C28 · Denoising autoencoders
//
// **Question (S4-C16).** Implement an image-denoising model based on an autoencoder. (实现一个基于自编码器的图像
// 去噪模型。) **Question (S4-C28).** Implement an image-denoising model based on a CNN. (实现一个基于卷积神经网络
// （CNN）的图像去噪模型。)
//
// **Short answer.** Corrupt clean images (here Gaussian noise, σ = 0.3) and train a network to output the clean
// image from the noisy one, with a pixel loss (MSE or binary cross-entropy). A convolutional encoder–decoder must
// give back the input's size: `same` padding throughout, or pooling in the encoder matched by upsampling or
// transposed convolutions in the decoder. Judge it on held-out images: MSE(denoised, clean) against MSE(noisy,
// clean). **What the seeds get wrong:** S4-C16 trains x → x with **no noise** (an identity-learning autoencoder,
// not a denoiser) and its decoder reshapes 784 values into 8×8×32 = 2,048 (a shape error); S4-C28 also trains
// x → x and uses `valid` convolutions, so a 28×28 input comes out 22×22 (exercises 1 and 2).
//
// The model: three 3×3 convolutions with `same` padding (16, 16, then 1 sigmoid channel), MSE, Adam 0.003, 8 epochs.

// %% runner={"timeout": 300}
const init = (seed: number) => tf.initializers.glorotUniform({ seed });
const denoiser = tf.sequential({
  name: "denoiser",
  layers: [
    tf.layers.conv2d({ inputShape: [SIDE, SIDE, 1], filters: 16, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(1) }),
    tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: "same", activation: "relu", kernelInitializer: init(2) }),
    tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: "same", activation: "sigmoid", kernelInitializer: init(3) }),
  ],
});
denoiser.compile({ optimizer: tf.train.adam(0.003), loss: "meanSquaredError" });
await denoiser.fit(noisyTrain, cleanTrain, { epochs: 8, batchSize: 32, shuffle: true, verbose: 0 });
const denoisedTest = denoiser.predict(noisyTest) as tf.Tensor4D;
check("the output has the input's shape (same padding)", JSON.stringify(denoisedTest.shape) === JSON.stringify(noisyTest.shape), { output: denoisedTest.shape, input: noisyTest.shape });
const [noisyError, denoisedError] = [mse(noisyTest, cleanTest), mse(denoisedTest, cleanTest)];
showTable([{ "MSE(noisy, clean)": noisyError.toFixed(4), "MSE(denoised, clean)": denoisedError.toFixed(4), ratio: (denoisedError / noisyError).toFixed(3) }]);
check("on held-out digits the denoiser at least halves the noise MSE", denoisedError <= 0.5 * noisyError, { noisyError, denoisedError });
await showFigure(imageGridFigure([0, 1, 2, 3, 4].map((i) => [asImage(noisyTest, i), asImage(denoisedTest, i), asImage(cleanTest, i)]), {
  title: "Held-out digits: noisy, denoised, clean",
  columnLabels: ["noisy (σ = 0.3)", "denoised", "clean"],
}), { height: 620, width: 520 });

// %% [markdown]
// ## 2. A linear autoencoder is PCA
//
// With no non-linearity, x̂ = W₂(W₁x + b₁) + b₂ is an affine map of rank ≤ k, and the best rank-k affine
// reconstruction in squared error is PCA's (Eckart–Young). So a linear autoencoder with k = 8 units can at best
// match PCA with 8 components, and gradient descent gets there (the loss has no spurious local minima; Baldi &
// Hornik 1989), though its 8 units span the principal subspace in some rotated basis rather than the components
// themselves. `PCA` (lib/ml/pca.ts) computes the floor in float64; the check asks the trained autoencoder to be
// within 5 % of it on the training images.

// %% runner={"timeout": 300}
const K = 8;
const flatTrain = tf.reshape(cleanTrain, [TRAIN_IDS.length, PIXELS]) as tf.Tensor2D;
const pca = new PCA({ nComponents: K }).fit(flatTrain.arraySync());
const pcaError = pca.reconstructionError(flatTrain.arraySync());
const linearAutoencoder = tf.sequential({
  name: "linear_autoencoder",
  layers: [
    tf.layers.dense({ inputShape: [PIXELS], units: K, kernelInitializer: init(4) }),
    tf.layers.dense({ units: PIXELS, kernelInitializer: init(5) }),
  ],
});
linearAutoencoder.compile({ optimizer: tf.train.adam(0.01), loss: "meanSquaredError" });
const linearHistory = await linearAutoencoder.fit(flatTrain, flatTrain, { epochs: 30, batchSize: 100, shuffle: true, verbose: 0 });
const linearError = mse(linearAutoencoder.predict(flatTrain) as tf.Tensor, flatTrain);
showTable([{ "PCA, 8 components (floor)": pcaError.toFixed(5), "linear autoencoder, 8 units": linearError.toFixed(5), "ratio": (linearError / pcaError).toFixed(3) }]);
check("the linear autoencoder reaches PCA's reconstruction error within 5 %", linearError <= 1.05 * pcaError, { linearError, pcaError });
check("… and not below it: PCA is the optimum (float32 slack 0.5 %)", linearError >= 0.995 * pcaError, { linearError, pcaError });
console.log(`linear autoencoder loss after epochs 1, 10, 30: ${[0, 9, 29].map((e) => (linearHistory.history.loss![e] as number).toFixed(5)).join(", ")}`);

// %% [markdown]
// ## 3. S4-C22 · A variational autoencoder
//
// **Question.** Implement an image-generation model based on a variational autoencoder. (实现一个基于变分自编码器
// （Variational Autoencoder）的图像生成模型。)
//
// **Short answer.** Encoder x → (μ, log σ²); sample z = μ + σ ⊙ ε with ε ~ N(0, I); decoder z → pixel
// probabilities; loss = reconstruction (binary cross-entropy summed over pixels) + KL(N(μ, σ²) ‖ N(0, I)) =
// −ELBO. Generate by decoding z ~ N(0, I). **What the seed gets wrong:** its text wants "an encoder, a decoder and
// a **discriminator**" (that is a GAN; a VAE has none); μ and log σ² are computed from the *sampled* z input
// rather than from the encoder's features, the sampled z is then thrown away (`Lambda(lambda x: x[0])([encoded, z])`
// decodes the encoder's features), there is **no KL term**, and `x` is undefined (exercise 3).
//
// **The two formulas first**, checked on their own (lib/generative/vae.ts): the KL of a diagonal Gaussian to
// N(0, I) has the closed form −½ Σ (1 + log σ² − μ² − σ²), which must agree with a Monte-Carlo average of
// log q(z) − log p(z) over draws from q; and the reparameterised sample's gradient with respect to μ must equal
// finite differences of the same function with ε held fixed.

// %%
const klRng = new Random(26);
const [muProbe, logVarProbe] = [[0.8, -0.3], [-0.7, 0.4]];
const klClosed = tf.tidy(() => gaussianKlToStandardNormal(tf.tensor2d([muProbe]), tf.tensor2d([logVarProbe])).dataSync()[0]!);
const logDensity = (z: number, mean: number, variance: number) => -0.5 * Math.log(2 * Math.PI * variance) - (z - mean) ** 2 / (2 * variance);
const klDraws = Array.from({ length: 20_000 }, () => muProbe.reduce((sum, m, j) => {
  const z = m + Math.exp(logVarProbe[j]! / 2) * klRng.normal();
  return sum + logDensity(z, m, Math.exp(logVarProbe[j]!)) - logDensity(z, 0, 1);
}, 0));
const klMean = klDraws.reduce((a, b) => a + b, 0) / klDraws.length;
const klStandardError = Math.sqrt(klDraws.reduce((s, v) => s + (v - klMean) ** 2, 0) / (klDraws.length - 1) / klDraws.length);
check("KL closed form = Monte-Carlo estimate within 3 standard errors", Math.abs(klMean - klClosed) < 3 * klStandardError, { klClosed, klMean, klStandardError });
// The gradient of f(μ) = Σ (μ + σ·ε − t)² with ε fixed: autodiff vs central differences.
const epsilonProbe = tf.tensor2d([[0.5, -1.3]]);
const targetProbe = tf.tensor2d([[0.2, 0.1]]);
const logVarTensor = tf.tensor2d([logVarProbe]);
const objective = (mu: tf.Tensor) => tf.sum(tf.square(tf.sub(reparameterize(mu as tf.Tensor2D, logVarTensor, epsilonProbe), targetProbe))) as tf.Scalar;
const autodiffGradient = tf.tidy(() => Array.from(tf.grad(objective)(tf.tensor2d([muProbe])).dataSync()));
const h = 1e-2; // f is quadratic in μ, so central differences are exact up to float32 round-off
const finiteDifference = muProbe.map((_, j) => tf.tidy(() => {
  const shifted = (delta: number) => objective(tf.tensor2d([muProbe.map((m, k) => (k === j ? m + delta : m))])).dataSync()[0]!;
  return (shifted(h) - shifted(-h)) / (2 * h);
}));
check("∂f/∂μ through z = μ + σ·ε equals central differences (1e-3)", autodiffGradient.every((g, j) => Math.abs(g - finiteDifference[j]!) < 1e-3), { autodiffGradient, finiteDifference });
tf.dispose([epsilonProbe, targetProbe, logVarTensor]);

// %% [markdown]
// **The model.** Dense layers on the 196 pixels: encoder 196 → 256 (ReLU) → μ and log σ² (2 each: a 2-D code
// we can plot); decoder 2 → 256 (ReLU) → 196 logits. Loss per example = binary cross-entropy summed over pixels +
// KL; Adam 0.003, batch 100, 40 epochs; each step draws its ε from a seeded generator. The test ELBO is measured
// before and after training with one fixed ε per test image.

// %% runner={"timeout": 300}
const LATENT = 2;
const encoderTrunk = tf.sequential({ name: "encoder", layers: [tf.layers.dense({ inputShape: [PIXELS], units: 256, activation: "relu", kernelInitializer: init(6) })] });
const toMu = tf.layers.dense({ inputShape: [256], units: LATENT, kernelInitializer: init(7), name: "mu" });
const toLogVar = tf.layers.dense({ inputShape: [256], units: LATENT, kernelInitializer: init(8), name: "log_var" });
const decoder = tf.sequential({
  name: "decoder",
  layers: [
    tf.layers.dense({ inputShape: [LATENT], units: 256, activation: "relu", kernelInitializer: init(9) }),
    tf.layers.dense({ units: PIXELS, kernelInitializer: init(10) }),
  ],
});
function encode(x: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
  const hidden = encoderTrunk.apply(x) as tf.Tensor2D;
  return [toMu.apply(hidden) as tf.Tensor2D, toLogVar.apply(hidden) as tf.Tensor2D];
}
/** −ELBO per example: Σ BCE(x, decoder(z)) + KL, with z = μ + σ·ε. */
function negativeElbo(x: tf.Tensor2D, epsilon: tf.Tensor2D): { reconstruction: tf.Tensor1D; kl: tf.Tensor1D } {
  const [mu, logVar] = encode(x);
  const logits = decoder.apply(reparameterize(mu, logVar, epsilon)) as tf.Tensor2D;
  const reconstruction = tf.sum(tf.losses.sigmoidCrossEntropy(x, logits, undefined, undefined, tf.Reduction.NONE), -1) as tf.Tensor1D;
  return { reconstruction, kl: gaussianKlToStandardNormal(mu, logVar) };
}
const flatTest = tf.reshape(cleanTest, [TEST_IDS.length, PIXELS]) as tf.Tensor2D;
const testEpsilon = tf.randomNormal([TEST_IDS.length, LATENT], 0, 1, "float32", 3) as tf.Tensor2D;
const testElbo = () => tf.tidy(() => {
  const { reconstruction, kl } = negativeElbo(flatTest, testEpsilon);
  return -tf.mean(tf.add(reconstruction, kl)).dataSync()[0]!;
});
const elboBefore = testElbo();
let stepSeed = 1000;
const curves = { reconstruction: [] as number[], kl: [] as number[] };
const tensorsBeforeVae = tf.memory().numTensors;
fitMinibatchLoss((rows) => {
  const batch = tf.gather(flatTrain, tf.tensor1d(rows, "int32")) as tf.Tensor2D;
  const { reconstruction, kl } = negativeElbo(batch, tf.randomNormal([rows.length, LATENT], 0, 1, "float32", stepSeed++) as tf.Tensor2D);
  return tf.mean(tf.add(reconstruction, kl)) as tf.Scalar;
}, {
  examples: TRAIN_IDS.length, epochs: 40, batchSize: 100, learningRate: 0.003, seed: 0,
  onEpoch: () => {
    const [rec, kl] = tf.tidy(() => {
      const terms = negativeElbo(flatTest, testEpsilon);
      return [tf.mean(terms.reconstruction).dataSync()[0]!, tf.mean(terms.kl).dataSync()[0]!];
    });
    curves.reconstruction.push(rec!);
    curves.kl.push(kl!);
  },
});
const elboAfter = testElbo();
showTable([{ "test ELBO before (nats/image)": elboBefore.toFixed(1), "after 40 epochs": elboAfter.toFixed(1), "reconstruction": curves.reconstruction.at(-1)!.toFixed(1), KL: curves.kl.at(-1)!.toFixed(2) }]);
check("the test ELBO improved with training", elboAfter > elboBefore + 20, { elboBefore, elboAfter });
check("no tensor leaked by the VAE's training", tf.memory().numTensors === tensorsBeforeVae, { before: tensorsBeforeVae, after: tf.memory().numTensors });
await showFigure(lineFigure([
  { name: "reconstruction (BCE summed over pixels)", x: curves.reconstruction.map((_, e) => e + 1), y: curves.reconstruction },
  { name: "KL(q(z | x) ‖ N(0, I))", x: curves.kl.map((_, e) => e + 1), y: curves.kl },
], { title: "VAE on held-out digits: the two terms of −ELBO", xTitle: "epoch", yTitle: "nats per image" }));

// %% [markdown]
// **The latent space.** Each held-out digit's μ, coloured by its label: the KL term packs the codes around the
// origin, and digits of a class land near each other although the labels were never used. Decoding a grid of
// codes over [−2, 2]² shows the "manifold" the decoder learned: neighbouring codes give similar images.

// %%
const testMu = tf.tidy(() => encode(flatTest)[0].arraySync());
await showFigure({
  data: Array.from({ length: 10 }, (_, digit) => ({
    type: "scatter" as const,
    mode: "markers" as const,
    name: String(digit),
    x: testMu.filter((_, i) => testLabels[i] === digit).map((m) => m[0]!),
    y: testMu.filter((_, i) => testLabels[i] === digit).map((m) => m[1]!),
    marker: { size: 5 },
  })),
  layout: { title: { text: "Held-out digits in the VAE's 2-D latent space (μ of q(z | x))" }, xaxis: { title: { text: "z₁" } }, yaxis: { title: { text: "z₂" } } },
});
const gridValues = [-2, -1, 0, 1, 2];
const manifold = gridValues.map((z2) => gridValues.map((z1) => tf.tidy(() => tf.reshape(tf.sigmoid(decoder.predict(tf.tensor2d([[z1, -z2]])) as tf.Tensor), [SIDE, SIDE]).arraySync() as number[][])));
await showFigure(imageGridFigure(manifold, {
  title: "Decoded codes on a grid: z₁ left to right, z₂ top to bottom from 2 to −2",
  columnLabels: gridValues.map((v) => `z₁ = ${v}`),
  rowLabels: gridValues.map((v) => `z₂ = ${-v}`),
}), { height: 560, width: 620 });

// %% [markdown]
// **Generation.** Draw z ~ N(0, I) (seeded), decode, and ask an independent judge what the images are: a digit
// classifier (a softmax regression on the same 14×14 digits, trained here on the training images and checked on
// the test ones). Calibration: decoded prior samples were judged with max-probability > 0.8 for 54–60 % of 500 draws
// (draw seeds 4–7) with this notebook's training seeds, and 56–58 % with another initialisation and batch order; the
// check asks ≥ 50 %, the catalog's figure. (With 128 hidden units instead of 256 it was 48–54 %: the bound was
// reached by a larger decoder, not lowered.)

// %%
const judge = tf.sequential({ name: "digit_judge", layers: [
  tf.layers.dense({ inputShape: [PIXELS], units: 64, activation: "relu", kernelInitializer: init(11) }),
  tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(12) }),
] });
judge.compile({ optimizer: tf.train.adam(0.01), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
await judge.fit(flatTrain, tf.tensor1d(labelsOf(mnist, TRAIN_IDS), "float32"), { epochs: 15, batchSize: 100, shuffle: true, verbose: 0 });
const judgeAccuracy = tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(judge.predict(flatTest) as tf.Tensor, -1), tf.tensor1d(testLabels, "int32")), "float32")).dataSync()[0]!);
check("the judge classifies held-out digits with accuracy ≥ 0.85", judgeAccuracy >= 0.85, { judgeAccuracy });
const priorSamples = tf.tidy(() => tf.sigmoid(decoder.predict(tf.randomNormal([500, LATENT], 0, 1, "float32", 4)) as tf.Tensor) as tf.Tensor2D);
const sampleRange = tf.tidy(() => [tf.min(priorSamples).dataSync()[0]!, tf.max(priorSamples).dataSync()[0]!]);
check("decoded prior samples are images: every pixel in [0, 1]", sampleRange[0]! >= 0 && sampleRange[1]! <= 1, { sampleRange });
const confidence = tf.tidy(() => Array.from(tf.max(judge.predict(priorSamples) as tf.Tensor, -1).dataSync()));
const confidentShare = confidence.filter((p) => p > 0.8).length / confidence.length;
const sampledDigits = tf.tidy(() => Array.from(tf.argMax(judge.predict(priorSamples) as tf.Tensor, -1).dataSync()));
showTable([{ "prior samples": 500, "judged with max-prob > 0.8": `${(100 * confidentShare).toFixed(1)} %`, "distinct digits among them": new Set(sampledDigits.filter((_, i) => confidence[i]! > 0.8)).size }]);
check("≥ 50 % of the decoded prior samples look like a digit to the judge (max-prob > 0.8)", confidentShare >= 0.5, { confidentShare });
await showFigure(imageGridFigure([0, 1].map((row) => [0, 1, 2, 3, 4, 5].map((col) => tf.tidy(() => tf.reshape(priorSamples.slice([row * 6 + col], [1]), [SIDE, SIDE]).arraySync() as number[][]))), {
  title: "New digits: decoded draws from the prior N(0, I)",
}), { height: 360, width: 620 });

// %% [markdown]
// ## Recap
//
// * An autoencoder reconstructs its input through a bottleneck; a denoising one learns clean images from noisy
//   inputs and must keep the input's shape. Here 3 `same` convolutions cut the held-out noise MSE by more than half.
// * A linear autoencoder with k units is PCA with k components at best, and training reaches it (within 5 % here).
// * A VAE's encoder outputs μ and log σ²; z = μ + σ ⊙ ε makes sampling differentiable; the loss is −ELBO =
//   reconstruction + KL(q ‖ N(0, I)), the KL in closed form. Decoding z ~ N(0, I) generates new images.
// * A VAE has no discriminator (that is a GAN, notebook 25); its samples are blurrier than a GAN's, its training
//   is stable, and it gives an encoder and a likelihood bound.
//
// ## Exercises
//
// 1. **Spot the bug (S4-C16).**
//
//    ```python
//    encoder = tf.keras.Sequential([Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)), MaxPooling2D((2, 2)),
//        Conv2D(32, (3, 3), activation='relu'), MaxPooling2D((2, 2)), Conv2D(32, (3, 3), activation='relu'), Flatten()])
//    decoder = tf.keras.Sequential([Dense(784, activation='relu'), Reshape((8, 8, hidden_size)),
//        Conv2D(hidden_size, (3, 3), activation='relu'), Conv2D(1, (3, 3), activation='sigmoid')])
//    autoencoder.fit(x_train, x_train, epochs=10, batch_size=32, validation_data=(x_test, x_test))
//    ```
//
//    Why does it fail, and why would it not denoise even if it ran?
// 2. **Spot the bug (S4-C28).** `Sequential([Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)),
//    Conv2D(32, (3, 3), activation='relu'), Conv2D(1, (3, 3), activation='sigmoid')])` trained with
//    `fit(x_train, x_train)`. What size does it output, and what does it learn?
// 3. **Spot the bug (S4-C22).** The seed's VAE computes `z_mean = Dense(latent_dim)(z)` from an `Input` z, then
//    `sampled_encoded = Lambda(lambda x: x[0])([encoded, z])` and compiles `loss=['mse', 'binary_crossentropy']`.
//    List what is wrong, and show with this notebook's VAE what happens to the codes without the KL term.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** The decoder's `Dense(784)` is reshaped to (8, 8, 32) = 2,048 values: a shape error. (The encoder's
// `valid` convolutions and poolings also give 3×3×32 = 288 features, and the decoder's `valid` convolutions could
// not give back 28×28.) Even fixed, it trains x → x, so it learns to copy, not to remove noise: a denoiser needs
// noisy inputs and clean targets.
//
// **2.** Each `valid` 3×3 convolution removes 2 pixels per side pair: 28 → 26 → 24 → 22, so targets of 28×28 do not
// even fit the loss. With `same` padding it would run, but trained x → x on clean images it learns the identity
// (three 3×3 convolutions can represent it exactly), which removes no noise. Built here:

// %% tags=["solution"]
const seedDenoiser = tf.sequential({ layers: [
  tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu", kernelInitializer: init(20) }),
  tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", kernelInitializer: init(21) }),
  tf.layers.conv2d({ filters: 1, kernelSize: 3, activation: "sigmoid", kernelInitializer: init(22) }),
] });
check("the seed's valid convolutions shrink 28×28 to 22×22", JSON.stringify(seedDenoiser.outputs[0]!.shape) === JSON.stringify([null, 22, 22, 1]), { shape: seedDenoiser.outputs[0]!.shape });

// %% [markdown] tags=["solution"]
// **3.** μ and log σ² must come from the encoder's features of x (`Dense(latent)(encoder(x))`), not from a
// separate `Input`; the sampled z must be what the decoder decodes (the `Lambda` keeps `encoded` and drops z); the
// loss must be reconstruction + KL (there is no KL at all, and an `mse` loss against "`encoded_train`" targets
// that do not exist); `x` is undefined; the text's "discriminator" belongs to GANs. Without the KL term the
// encoder is free to shrink σ and spread its codes far from N(0, I), so prior draws land where no code is and
// decode to garbage. Retraining the encoder and decoder for 10 epochs on the reconstruction term alone:

// %% tags=["solution"]
const meanTestKl = () => tf.tidy(() => {
  const [mu, logVar] = encode(flatTest);
  return tf.mean(gaussianKlToStandardNormal(mu, logVar)).dataSync()[0]!;
});
const klWith = meanTestKl();
fitMinibatchLoss((rows) => {
  const batch = tf.gather(flatTrain, tf.tensor1d(rows, "int32")) as tf.Tensor2D;
  return tf.mean(negativeElbo(batch, tf.randomNormal([rows.length, LATENT], 0, 1, "float32", stepSeed++) as tf.Tensor2D).reconstruction) as tf.Scalar;
}, { examples: TRAIN_IDS.length, epochs: 10, batchSize: 100, learningRate: 0.003, seed: 1 });
const klWithout = meanTestKl();
console.log(`mean KL(q(z | x) ‖ N(0, I)) of held-out codes: ${klWith.toFixed(2)} nats trained with the KL term, ${klWithout.toFixed(2)} after 10 epochs without it`);
check("without the KL term the codes leave N(0, I): their KL to the prior at least doubles", klWithout >= 2 * klWith, { klWith, klWithout });
