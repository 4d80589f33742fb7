// %% [markdown]
// # 03 · Loss functions
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q1 | What is a loss function, and what role does it play in machine learning? | 什么是损失函数？它在机器学习中起到什么作用？ |
// | S3-Q18 | Explain loss functions in deep learning and list the common ones. | 请解释深度学习中的损失函数 |
//
// **The short answer an interviewer wants.** A loss function `ℓ(y, ŷ)` scores how bad one prediction is;
// training minimises its average over the training set, so the loss *is* the objective, and its gradient is
// what backpropagation carries. It must therefore be (sub)differentiable and must reward what we want. It is
// not the evaluation metric: accuracy or F1 are what we report on held-out data, and they are piecewise
// constant, with zero gradient almost everywhere; the loss is a smooth surrogate, and the two can disagree.
// Choosing a loss is choosing a noise model: **MSE** (Gaussian noise) predicts the conditional mean and is
// dominated by outliers; **MAE** (Laplace) predicts the median and is robust; **Huber** is quadratic near
// zero and linear in the tails. For classification, **binary cross-entropy, which is exactly log loss**
// (Bernoulli likelihood), and **softmax cross-entropy** (categorical; "softmax loss" is the same thing);
// **hinge** `max(0, 1 − y·f)` gives the SVM's margin. Compute cross-entropy from logits (log-sum-exp,
// BCE-with-logits), never as `log(softmax(z))`, and remember the payoff of pairing softmax with
// cross-entropy: the gradient with respect to the logits is simply `softmax(z) − y`.
//
// Below, every claim is a check that would fail if it were false: each hand-written loss against
// `tf.losses`, the best constant predictions against the mean, median and class frequency, the softmax
// gradient against TensorFlow.js's autodiff and finite differences, and the robust fits against the
// slope that generated the data.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import {
  meanSquaredError, meanAbsoluteError, huberLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits, hingeLoss,
  softmaxCrossEntropy, softmaxCrossEntropyGradient, softmax, logSoftmax, logSumExp, sigmoid, oneHot, PROBABILITY_EPSILON,
} from "./lib/nn/losses";
import { numericalGradient, gradientRelativeError } from "./lib/math/gradcheck";
import { minimizeLbfgs } from "./lib/nn/optimizers";
import { LinearRegression } from "./lib/ml/linear";
import { logLoss } from "./lib/ml/metrics";
import { entropyOfCounts } from "./lib/ml/tree";
import { makeBlobs } from "./lib/datasets";
import { showFigure } from "./lib/display/plot";
import { showTable } from "./lib/display/display";

const tfSetup = await setupTf({ seed: 0 });

// %% [markdown]
// ## 1. What a loss is for, and what it is not (S0-Q1)
//
// Training solves `min_θ (1/n) Σᵢ ℓ(yᵢ, f_θ(xᵢ))`, the *empirical risk*. The seed answer lists "evaluating
// model performance" as a role of the loss, which blurs the line an interviewer wants drawn: the **loss** is
// what the optimiser minimises on the training data; the **metric** is what we care about and report on
// held-out data. They differ for two reasons.
//
// **A metric can have no gradient.** Accuracy counts correct predictions: moving the weights a little
// changes no prediction, so its gradient is exactly zero almost everywhere, and gradient descent on it
// cannot start. Cross-entropy changes smoothly with every weight. Below, a logistic model on two Gaussian
// blobs at an arbitrary weight vector: finite differences of accuracy are all exactly zero, while those of
// cross-entropy agree with its analytic gradient `Xᵀ(σ(Xw) − y)/n`.

// %%
const blobs = makeBlobs({ nSamples: 100, centers: [[-1, 0], [1, 0.5]], clusterStd: 1, seed: 0 });
const designRows = blobs.X.map((row) => [...row, 1]); // the last weight is the bias
const scoresFor = (w: readonly number[]) => designRows.map((row) => row.reduce((s, v, j) => s + v * w[j]!, 0));
const accuracyFor = (w: readonly number[]) => scoresFor(w).filter((s, i) => (s > 0 ? 1 : 0) === blobs.y[i]).length / blobs.y.length;
const crossEntropyFor = (w: readonly number[]) => binaryCrossEntropyWithLogits.value(blobs.y, scoresFor(w));
const someWeights = [0.3, -0.2, 0.1];

const accuracyGradient = numericalGradient(accuracyFor, someWeights);
const crossEntropyGradient = numericalGradient(crossEntropyFor, someWeights);
const analyticCrossEntropyGradient = someWeights.map((_, j) =>
  scoresFor(someWeights).reduce((s, z, i) => s + (sigmoid(z) - blobs.y[i]!) * designRows[i]![j]!, 0) / blobs.y.length);
console.log(`at w = [${someWeights}]: accuracy ${accuracyFor(someWeights)}, cross-entropy ${crossEntropyFor(someWeights).toFixed(4)}`);
check("accuracy has zero gradient: every finite difference is exactly 0", accuracyGradient.every((g) => g === 0), { gradient: accuracyGradient });
check("cross-entropy has a usable gradient, equal to Xᵀ(σ(Xw) − y)/n (relative error < 1e-6)",
  gradientRelativeError(analyticCrossEntropyGradient, crossEntropyGradient) < 1e-6 && Math.max(...crossEntropyGradient.map(Math.abs)) > 0.01,
  { gradient: crossEntropyGradient });

// %% [markdown]
// **Lower loss does not mean higher accuracy.** Model A is right on all ten examples but timid: it gives the
// true class probability 0.55 every time. Model B is confident and right on nine (probability 0.99) and
// wrong on one (0.4 for the true class). In closed form, A's cross-entropy is `−ln 0.55 ≈ 0.598` and B's is
// `(9·(−ln 0.99) − ln 0.4)/10 ≈ 0.101`: B has the lower loss and the lower accuracy. So select models by the
// metric on validation data, and train them with the loss.

// %%
const tenPositives = new Array<number>(10).fill(1);
const timidModel = new Array<number>(10).fill(0.55);
const confidentModel = [...new Array<number>(9).fill(0.99), 0.4];
const accuracyOfProbabilities = (p: number[]) => p.filter((v) => v > 0.5).length / p.length;
const timidLoss = binaryCrossEntropy.value(tenPositives, timidModel);
const confidentLoss = binaryCrossEntropy.value(tenPositives, confidentModel);
checkClose("model A: cross-entropy = −ln 0.55", timidLoss, -Math.log(0.55), { rel: 1e-12 });
checkClose("model B: cross-entropy = (9·(−ln 0.99) − ln 0.4)/10", confidentLoss, (-9 * Math.log(0.99) - Math.log(0.4)) / 10, { rel: 1e-12 });
check("B has the lower loss but A the higher accuracy", confidentLoss < timidLoss && accuracyOfProbabilities(timidModel) > accuracyOfProbabilities(confidentModel),
  { lossA: timidLoss, lossB: confidentLoss, accuracyA: accuracyOfProbabilities(timidModel), accuracyB: accuracyOfProbabilities(confidentModel) });

// %% [markdown]
// ## 2. The common losses, written out and checked against `tf.losses`
//
// For a regression residual `r = ŷ − y`, binary labels `y ∈ {0, 1}` with predicted probability `p`, class
// labels `c` with logits `z ∈ ℝᴷ`, and signed labels `ỹ = 2y − 1 ∈ {−1, +1}` with a score `s`:
//
// | loss | one example | used for | TensorFlow.js |
// |---|---|---|---|
// | mean squared error | `r²` | regression (Gaussian noise) | `tf.losses.meanSquaredError` |
// | mean absolute error | `\|r\|` | regression (Laplace noise, robust) | `tf.losses.absoluteDifference` |
// | Huber (δ) | `½r²` if `\|r\| ≤ δ`, else `δ(\|r\| − ½δ)` | regression with outliers | `tf.losses.huberLoss` |
// | binary cross-entropy = log loss | `−[y ln p + (1 − y) ln(1 − p)]` | binary classification | `tf.losses.logLoss` |
// | softmax cross-entropy | `−ln softmax(z)_c = logsumexp(z) − z_c` | multi-class classification | `tf.losses.softmaxCrossEntropy` |
// | hinge | `max(0, 1 − ỹ·s)` | max-margin classifiers (SVM) | `tf.losses.hingeLoss` |
//
// Each is one line of TypeScript (float64). The reusable versions, with their gradients, are
// `lib/nn/losses.ts`; the checks below hold both to TensorFlow.js's float32 implementations.

// %%
const squaredError = (y: number, yHat: number) => (yHat - y) ** 2;
const absoluteError = (y: number, yHat: number) => Math.abs(yHat - y);
const huber = (y: number, yHat: number, delta = 1) => {
  const r = Math.abs(yHat - y);
  return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
};
const binaryCrossEntropyOf = (y: number, p: number) => -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
const softmaxCrossEntropyOf = (label: number, z: number[]) => logSumExp(z) - z[label]!;
const hinge = (ySigned: number, score: number) => Math.max(0, 1 - ySigned * score);
const meanOf = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

const dataRng = new Random(1);
const n = 64;
const targets = dataRng.array(n, (r) => r.normal(0, 2));
const predictions = dataRng.array(n, (r) => r.normal(0, 2));
const labels01 = dataRng.array(n, (r) => r.int(0, 2));
const probabilities = dataRng.array(n, (r) => r.uniform(0.02, 0.98));
const scores = dataRng.array(n, (r) => r.normal(0, 1.5));
const classLabels = dataRng.array(n, (r) => r.int(0, 5));
const classLogits = Array.from({ length: n }, () => dataRng.array(5, (r) => r.normal(0, 2)));

const scalar = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]!);
const comparisons = [
  {
    loss: "mean squared error", hand: meanOf(targets.map((y, i) => squaredError(y, predictions[i]!))),
    lib: meanSquaredError.value(targets, predictions),
    tf: scalar(() => tf.losses.meanSquaredError(tf.tensor1d(targets), tf.tensor1d(predictions))),
  },
  {
    loss: "mean absolute error", hand: meanOf(targets.map((y, i) => absoluteError(y, predictions[i]!))),
    lib: meanAbsoluteError.value(targets, predictions),
    tf: scalar(() => tf.losses.absoluteDifference(tf.tensor1d(targets), tf.tensor1d(predictions))),
  },
  {
    loss: "Huber, δ = 1", hand: meanOf(targets.map((y, i) => huber(y, predictions[i]!))),
    lib: huberLoss(1).value(targets, predictions),
    tf: scalar(() => tf.losses.huberLoss(tf.tensor1d(targets), tf.tensor1d(predictions), undefined, 1)),
  },
  {
    loss: "binary cross-entropy (log loss)", hand: meanOf(labels01.map((y, i) => binaryCrossEntropyOf(y, probabilities[i]!))),
    lib: binaryCrossEntropy.value(labels01, probabilities),
    tf: scalar(() => tf.losses.logLoss(tf.tensor1d(labels01), tf.tensor1d(probabilities))),
  },
  {
    loss: "softmax cross-entropy (5 classes)", hand: meanOf(classLabels.map((c, i) => softmaxCrossEntropyOf(c, classLogits[i]!))),
    lib: softmaxCrossEntropy(classLabels, classLogits),
    tf: scalar(() => tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHot(classLabels, 5)), tf.tensor2d(classLogits))),
  },
  {
    loss: "hinge", hand: meanOf(labels01.map((y, i) => hinge(2 * y - 1, scores[i]!))),
    lib: hingeLoss.value(labels01.map((y) => 2 * y - 1), scores),
    tf: scalar(() => tf.losses.hingeLoss(tf.tensor1d(labels01), tf.tensor1d(scores))), // tf maps {0, 1} to ±1 itself
  },
];
showTable(comparisons.map((c) => ({ loss: c.loss, "by hand (float64)": c.hand, "lib/nn/losses.ts": c.lib, "tf.losses (float32)": c.tf })),
  { caption: `Mean loss over ${n} random examples (seeded)`, digits: 7 });
comparisons.forEach((c) => checkClose(`${c.loss}: by hand = tf.losses`, c.hand, c.tf, { rel: 1e-5 }));
checkAllClose("lib/nn/losses.ts = the one-line definitions, for all six", comparisons.map((c) => c.lib), comparisons.map((c) => c.hand), { rel: 1e-12 });

// %% [markdown]
// **Log loss and binary cross-entropy are one function**, under three names in three libraries:
// `tf.losses.logLoss` (on probabilities), Keras's `binaryCrossentropy` (`tf.metrics.binaryCrossentropy`),
// and `tf.losses.sigmoidCrossEntropy` on the logits `z = ln(p/(1 − p))`; scikit-learn's `log_loss` is a fourth
// (`lib/ml/metrics.ts` has its twin). All must agree.

// %%
const probabilityLogits = probabilities.map((p) => Math.log(p / (1 - p)));
const logLossNames = {
  "tf.losses.logLoss": comparisons[3]!.tf,
  "tf.metrics.binaryCrossentropy": scalar(() => tf.mean(tf.metrics.binaryCrossentropy(tf.tensor2d(labels01, [n, 1]), tf.tensor2d(probabilities, [n, 1])))),
  "tf.losses.sigmoidCrossEntropy (logits)": scalar(() => tf.losses.sigmoidCrossEntropy(tf.tensor1d(labels01), tf.tensor1d(probabilityLogits))),
  "scikit-learn-style log_loss (lib/ml/metrics)": logLoss(labels01, probabilities),
};
showTable(Object.entries(logLossNames).map(([name, value]) => ({ implementation: name, "mean loss": value })), { digits: 7 });
Object.entries(logLossNames).forEach(([name, value]) => checkClose(`${name} = binary cross-entropy`, value, comparisons[3]!.hand, { rel: 1e-5 }));

// %% [markdown]
// ## 3. What each loss asks the model to predict
//
// Fit the simplest model, one constant `c` for every example, and each loss picks a different statistic of
// the targets: squared error the **mean**, absolute error the **median**, cross-entropy on 0/1 labels the
// **fraction of ones** (the maximum-likelihood probability), and Huber an *M-estimate* of location (below). That is
// the noise-model view: minimising MSE is maximum likelihood under Gaussian noise, MAE under Laplace noise.
// On a skewed sample with one gross outlier the mean is dragged away and the median is not, which is the
// whole story of robustness in section 6. The minimiser is found numerically (golden-section search, which
// knows nothing about means or medians) and compared with the closed forms.

// %%
/** Minimiser of a convex function of one variable on [low, high] by golden-section search. */
function argminConvex(f: (c: number) => number, low: number, high: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [low, high];
  while (b - a > 1e-10) {
    const left = b - ratio * (b - a);
    const right = a + ratio * (b - a);
    if (f(left) <= f(right)) b = right;
    else a = left;
  }
  return (a + b) / 2;
}
const skewRng = new Random(2);
const skewed = [...skewRng.array(100, (r) => -Math.log(1 - r.random())), 40]; // 100 exponential draws and one outlier: 101 values
const sortedSkewed = [...skewed].sort((a, b) => a - b);
const sampleMean = meanOf(skewed);
const sampleMedian = sortedSkewed[50]!;
const constantFit = (loss: (y: number, c: number) => number) => argminConvex((c) => meanOf(skewed.map((y) => loss(y, c))), -5, 45);
const coinFlips = skewRng.array(200, (r) => (r.random() < 0.3 ? 1 : 0));
const bestConstant = {
  squared: constantFit(squaredError),
  absolute: constantFit(absoluteError),
  huber: constantFit((y, c) => huber(y, c)),
  crossEntropy: argminConvex((p) => meanOf(coinFlips.map((y) => binaryCrossEntropyOf(y, p))), 1e-9, 1 - 1e-9),
};
showTable([
  { loss: "squared error", "best constant": bestConstant.squared, "closed form": sampleMean, statistic: "mean" },
  { loss: "absolute error", "best constant": bestConstant.absolute, "closed form": sampleMedian, statistic: "median" },
  { loss: "Huber, δ = 1", "best constant": bestConstant.huber, "closed form": "—", statistic: "M-estimate, within δ of the median" },
  { loss: "cross-entropy (0/1 labels)", "best constant": bestConstant.crossEntropy, "closed form": meanOf(coinFlips), statistic: "fraction of ones" },
], { caption: "The best constant prediction under each loss", digits: 6 });
checkClose("squared error → the mean", bestConstant.squared, sampleMean, { abs: 1e-7 });
checkClose("absolute error → the median", bestConstant.absolute, sampleMedian, { abs: 1e-7 });
checkClose("cross-entropy → the fraction of ones", bestConstant.crossEntropy, meanOf(coinFlips), { abs: 1e-7 });
check("Huber lies within δ = 1 of the median", Math.abs(bestConstant.huber - sampleMedian) <= 1, bestConstant);

// %% [markdown]
// **What Huber's best constant is, and is not.** "Huber lands between the median and the mean" is a popular
// rule of thumb, and false in general. What is true follows from the first-order condition
// $\sum_i \psi_\delta(y_i - c) = 0$, where $\psi_\delta(r) = \max(-\delta, \min(\delta, r))$ is Huber's
// influence:
//
// * **Within δ of the median.** If c were more than δ above the median (n odd), the ≥ (n + 1)/2 points at or
//   below the median would each pull with −δ, the others with at most +δ, and the sum could not be 0.
// * **A weighted mean of the data**, with weights $w_i = \min(1, \delta/|y_i - c|)$: far points count less.
//   So c lies between the smallest and the largest value.
// * **The mean once δ ≥ max |yᵢ − mean|** (no residual is clipped), and **the median as δ → 0**.
//
// The checks draw 3,000 small samples (n = 3 … 15, normal, exponential or with an outlier; δ from 0.05 to 5
// times the sample's spread), minimise Huber numerically, and test each statement, plus how often the rule of
// thumb fails.

// %%
{
  const huberRng = new Random(5);
  const medianOf = (values: readonly number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const half = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[half]! : (sorted[half - 1]! + sorted[half]!) / 2;
  };
  const draws: Record<string, (r: Random) => number> = {
    normal: (r) => r.normal(0, 1),
    exponential: (r) => -Math.log(1 - r.random()),
    "normal + outlier": (r) => (r.random() < 0.15 ? r.normal(8, 1) : r.normal(0, 1)),
  };
  const cases = Array.from({ length: 3000 }, (_, k) => {
    const kind = Object.keys(draws)[k % 3]!;
    const n = 3 + huberRng.int(0, 13);
    const ys = huberRng.array(n, draws[kind]!);
    const spread = Math.max(...ys) - Math.min(...ys);
    const delta = spread * [0.05, 0.2, 0.5, 1, 5][huberRng.int(0, 5)]!;
    const c = argminConvex((v) => meanOf(ys.map((y) => huber(y, v, delta))), Math.min(...ys), Math.max(...ys));
    return { kind, n, ys, delta, c, mean: meanOf(ys), median: medianOf(ys) };
  });
  const tolerance = 1e-7; // golden-section search stops at an interval of 1e-10
  /** Lower and upper median: equal for odd n. */
  const medianBounds = (ys: readonly number[]) => {
    const sorted = [...ys].sort((a, b) => a - b);
    return [sorted[Math.floor((sorted.length - 1) / 2)]!, sorted[Math.floor(sorted.length / 2)]!] as const;
  };
  check("3,000 samples: Huber's minimiser lies within δ of the median (between the lower median − δ and the upper median + δ)",
    cases.every(({ ys, c, delta }) => c >= medianBounds(ys)[0] - delta - tolerance && c <= medianBounds(ys)[1] + delta + tolerance));
  check("…and is the weighted mean Σwᵢyᵢ/Σwᵢ with wᵢ = min(1, δ/|yᵢ − c|) (within 1e-6 of the spread)",
    cases.every(({ ys, c, delta }) => {
      const weights = ys.map((y) => Math.min(1, delta / Math.max(Math.abs(y - c), 1e-300)));
      const weighted = ys.reduce((s, y, i) => s + weights[i]! * y, 0) / weights.reduce((s, w) => s + w, 0);
      return Math.abs(weighted - c) <= 1e-6 * (Math.max(...ys) - Math.min(...ys));
    }));
  const unclipped = cases.filter(({ ys, delta, mean }) => ys.every((y) => Math.abs(y - mean) <= delta));
  check(`…and equals the mean whenever δ ≥ max |yᵢ − mean| (${unclipped.length} of the samples)`,
    unclipped.length > 500 && unclipped.every(({ c, mean }) => Math.abs(c - mean) < tolerance));
  const oddSamples = cases.filter(({ n }) => n % 2 === 1).slice(0, 300);
  check("δ → 0 (δ = 1e-6): the minimiser is the median, for 300 odd-sized samples",
    oddSamples.every(({ ys, median }) => Math.abs(argminConvex((v) => meanOf(ys.map((y) => huber(y, v, 1e-6))), Math.min(...ys), Math.max(...ys)) - median) < 1e-6 + tolerance));
  const outside = cases.filter(({ c, mean, median }) => c < Math.min(mean, median) - tolerance || c > Math.max(mean, median) + tolerance);
  const byKind = Object.keys(draws).map((kind) => ({ sample: kind, "outside [median, mean]": outside.filter((o) => o.kind === kind).length / cases.filter((o) => o.kind === kind).length }));
  showTable(byKind, { caption: "How often Huber's best constant is NOT between the median and the mean (1,000 samples each)", digits: 3 });
  const example = outside[0]!;
  console.log(`e.g. y = [${[...example.ys].sort((a, b) => a - b).map((y) => y.toFixed(2)).join(", ")}], δ = ${example.delta.toFixed(3)}: median ${example.median.toFixed(3)}, mean ${example.mean.toFixed(3)}, Huber ${example.c.toFixed(3)}`);
  // 420 of 3,000 (14 %) with this seed; the 5 % bound lies 19 binomial standard deviations below that.
  check("the rule of thumb \"between the median and the mean\" fails on at least 5 % of the samples", outside.length >= 0.05 * cases.length, { failures: outside.length });
}

// %% [markdown]
// ## 4. Softmax cross-entropy: closed forms and the gradient `softmax(z) − y`
//
// With `p = softmax(z)`, `pₖ = e^{zₖ} / Σⱼ e^{zⱼ}`, the loss for true class `c` is
// `L = −ln p_c = logsumexp(z) − z_c`. Two closed forms follow at once:
//
// * **Uniform prediction.** Equal logits give `pₖ = 1/K` and `L = ln K` exactly: 0.693 for two classes, 2.303
//   for ten. It is the loss of knowing nothing, and a good sanity check for the first step of any training run.
// * **Perfect prediction.** `L → 0` only as the true logit's lead grows without bound
//   (`L = ln(1 + (K − 1)e^{−m})` when the true logit leads all others by `m`). Frameworks that take
//   *probabilities* clip them to `[ε, 1 − ε]` with ε = 1e-7 before the logarithm (Keras, TensorFlow.js's
//   `tf.metrics.categoricalCrossentropy`, `lib/nn/losses.ts`), so a one-hot prediction costs `−ln(1 − ε) ≈ 1e-7`,
//   not 0, and a confidently wrong one costs `−ln ε ≈ 16.1`, not infinity.

// %%
const uniformCases = [2, 10, 1000].map((k) => ({
  k: k,
  lib: softmaxCrossEntropy([0], [new Array<number>(k).fill(0.37)]),
  tf: scalar(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0], "int32"), k).toFloat(), tf.fill([1, k], 0.37))),
}));
uniformCases.forEach((u) => {
  checkClose(`uniform logits over K = ${u.k}: CE = ln K (float64)`, u.lib, Math.log(u.k), { rel: 1e-12 });
  checkClose(`uniform logits over K = ${u.k}: CE = ln K (tf.losses, float32)`, u.tf, Math.log(u.k), { rel: 1e-6 });
});
const leadingLogits = [30, 0, 0, 0];
// logsumexp(z) − z_c cancels ~30 − 30, so the absolute error (not the relative one) is at float64's 1e-15 level.
checkClose("true logit ahead by m = 30: CE = ln(1 + 3e^−30) ≈ 2.8e-13, i.e. → 0", softmaxCrossEntropy([0], [leadingLogits]), Math.log1p(3 * Math.exp(-30)), { abs: 1e-14 });
const oneHotTarget = [[0, 1, 0, 0]];
const clippedPerfect = scalar(() => tf.mean(tf.metrics.categoricalCrossentropy(tf.tensor2d(oneHotTarget), tf.tensor2d(oneHotTarget))));
const clippedWrong = scalar(() => tf.mean(tf.metrics.categoricalCrossentropy(tf.tensor2d(oneHotTarget), tf.tensor2d([[1, 0, 0, 0]]))));
checkClose("one-hot probabilities, right class: clipped CE = −ln(1 − ε) (float32: ≈ 1.2e-7, not 0)", clippedPerfect, -Math.log(Math.fround(1 - PROBABILITY_EPSILON)), { rel: 1e-3 });
checkClose("one-hot probabilities, wrong class: clipped CE = −ln ε ≈ 16.12, not ∞", clippedWrong, -Math.log(PROBABILITY_EPSILON), { rel: 1e-5 });
checkClose("lib/nn/losses.ts clips the same way: wrong one-hot costs −ln ε", binaryCrossEntropy.value([1], [0]), -Math.log(PROBABILITY_EPSILON), { rel: 1e-12 });

// %% [markdown]
// **The gradient.** Differentiate `L = logsumexp(z) − z_c`: `∂ logsumexp/∂zₖ = e^{zₖ}/Σⱼe^{zⱼ} = pₖ`, and
// `∂z_c/∂zₖ = yₖ` (the one-hot target), so
//
// $$\frac{\partial L}{\partial z_k} = p_k - y_k .$$
//
// The softmax Jacobian `diag(p) − ppᵀ` and the `1/p` of the logarithm cancel exactly. That is why frameworks
// fuse softmax and cross-entropy into one op (`tf.losses.softmaxCrossEntropy`, PyTorch's `CrossEntropyLoss`
// on logits): the gradient is bounded, cheap, and never divides by a tiny probability. For a mean over `n`
// examples it is `(p − y)/n`. Two independent references: TensorFlow.js's autodiff (`tf.grad`, float32) and
// central finite differences (float64).

// %%
const gradientLogits = classLogits.slice(0, 8);
const gradientLabels = classLabels.slice(0, 8);
const closedFormGradient = gradientLogits.map((z, i) => softmax(z).map((p, k) => (p - (k === gradientLabels[i] ? 1 : 0)) / gradientLogits.length));
const autodiffGradient = tf.tidy(() => {
  const target = tf.oneHot(tf.tensor1d(gradientLabels, "int32"), 5).toFloat();
  const grad = tf.grad((z: tf.Tensor) => tf.losses.softmaxCrossEntropy(target, z))(tf.tensor2d(gradientLogits));
  return grad.arraySync() as number[][];
});
const finiteDifferenceGradient = numericalGradient(
  (flat) => softmaxCrossEntropy(gradientLabels, gradientLogits.map((_, i) => flat.slice(5 * i, 5 * i + 5))),
  gradientLogits.flat(),
);
checkAllClose("∂CE/∂z = (softmax(z) − y)/n matches tf.grad of tf.losses.softmaxCrossEntropy", autodiffGradient, closedFormGradient, { abs: 1e-6 });
// Central differences with ε = 1e-5 are accurate to about 1e-10 in absolute terms; several entries here are
// ~1e-5 themselves (classes with tiny probability), so an absolute tolerance is the meaningful one.
checkAllClose("…and central finite differences in float64 (absolute error < 1e-9)", finiteDifferenceGradient, closedFormGradient.flat(), { abs: 1e-9 });
checkAllClose("lib's softmaxCrossEntropyGradient is the same closed form", softmaxCrossEntropyGradient(gradientLabels, gradientLogits), closedFormGradient, { abs: 1e-15 });

// %% [markdown]
// ## 5. Numerical stability: compute from logits
//
// The textbook formula `−[y ln σ(z) + (1 − y) ln(1 − σ(z))]` breaks for large logits. In float32, `σ(z)`
// rounds to exactly 1 once z exceeds about 17, so `ln(1 − σ)` is `−∞`: a wrong label gives `∞`, and a right
// label gives `0 · (−∞) = NaN`. At the other end, `σ(−110) ≈ 1.7·10⁻⁴⁸` is below the smallest positive float32
// (2⁻¹⁴⁹ ≈ 1.4·10⁻⁴⁵), so it rounds to 0 and `−ln σ` is `∞` as well. In between, `σ(−100) ≈ 3.7·10⁻⁴⁴` is a
// float32 *subnormal*, and there the answer depends on the backend: the wasm backend returns 0 for it (loss
// `∞`), the plain-JavaScript cpu backend keeps the subnormal (loss ≈ 100). Logits of 20 are
// ordinary in a confident network, so this is not an exotic corner. Rewriting the same function in terms of
// the logit removes every overflow:
//
// $$\ell(z, y) = \max(z, 0) - z\,y + \ln\!\left(1 + e^{-|z|}\right),$$
//
// whose exponent is never positive. For `|z|` large the exact value is `|z|` when the sign is wrong and
// `ln(1 + e^{−|z|}) ≈ e^{−|z|}` when it is right; `tf.losses.sigmoidCrossEntropy` and
// `lib/nn/losses.ts`'s `binaryCrossEntropyWithLogits` use this form. The same goes for softmax: `exp(1000)`
// overflows, so softmax subtracts the largest logit first and `logSoftmax` returns `z − logsumexp(z)`
// without ever forming a probability that could underflow to 0.

// %%
const stabilityCases = [-110, -100, -20, 0, 20, 100].flatMap((z) => [0, 1].map((y) => ({ z: z, y: y })));
const naiveFloat32 = tf.tidy(() => {
  const z = tf.tensor1d(stabilityCases.map((c) => c.z));
  const y = tf.tensor1d(stabilityCases.map((c) => c.y));
  const p = tf.sigmoid(z);
  return Array.from(tf.neg(tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))))).dataSync());
});
const tfStable = tf.tidy(() => Array.from(tf.losses.sigmoidCrossEntropy(
  tf.tensor1d(stabilityCases.map((c) => c.y)), tf.tensor1d(stabilityCases.map((c) => c.z)), undefined, undefined, tf.Reduction.NONE).dataSync()));
const stableFloat64 = stabilityCases.map((c) => binaryCrossEntropyWithLogits.value([c.y], [c.z]));
showTable(stabilityCases.map((c, i) => ({
  "logit z": c.z, "label y": c.y, "naive −[y ln σ + (1−y) ln(1−σ)], float32": naiveFloat32[i]!,
  "stable form, float64": stableFloat64[i]!, "tf.losses.sigmoidCrossEntropy": tfStable[i]!,
})), { caption: "Binary cross-entropy at large logits", digits: 6 });

const caseIndex = (z: number, y: number) => stabilityCases.findIndex((c) => c.z === z && c.y === y);
check("naive BCE in float32: z = 100, y = 0 gives Infinity", naiveFloat32[caseIndex(100, 0)] === Infinity);
check("naive BCE in float32: z = 100, y = 1 gives NaN (0 · −∞)", Number.isNaN(naiveFloat32[caseIndex(100, 1)]!));
check("σ(−110) = e^−110/(1 + e^−110) is below the smallest float32 (2^−149), so it rounds to 0",
  Math.exp(-110) < 2 ** -149 && Math.fround(Math.exp(-110) / (1 + Math.exp(-110))) === 0);
check("naive BCE in float32: z = −110, y = 1 gives Infinity on every backend (σ rounds to 0)", naiveFloat32[caseIndex(-110, 1)] === Infinity);
const naiveAtMinus100 = naiveFloat32[caseIndex(-100, 1)]!;
// A subnormal this small keeps about 5 significant bits: σ is off by up to 2⁻¹⁵⁰/σ ≈ 2 %, so ln σ by up to 0.02.
check("naive BCE in float32: z = −100, y = 1 depends on the backend: Infinity where σ's subnormal becomes 0, else 100 ± 0.02",
  naiveAtMinus100 === Infinity || Math.abs(naiveAtMinus100 - 100) <= 2 ** -150 / Math.exp(-100), { naive: naiveAtMinus100 });
check("the stable form is finite at every case", stableFloat64.every(Number.isFinite) && tfStable.every(Number.isFinite));
checkClose("stable form, wrong sign: ℓ(100, 0) = 100", stableFloat64[caseIndex(100, 0)]!, 100, { rel: 1e-12 });
checkClose("stable form, right sign: ℓ(100, 1) = ln(1 + e^−100) ≈ e^−100", stableFloat64[caseIndex(100, 1)]!, Math.exp(-100), { rel: 1e-12 });
checkAllClose("tf.losses.sigmoidCrossEntropy = the stable float64 form", tfStable, stableFloat64, { rel: 1e-5, abs: 1e-6 });

const hugeLogits = [1000, 0, -1000];
const naiveSoftmax = hugeLogits.map((z) => Math.exp(z) / hugeLogits.reduce((s, v) => s + Math.exp(v), 0));
check("naive softmax of [1000, 0, −1000] is NaN (∞/∞)", Number.isNaN(naiveSoftmax[0]!), { naive: naiveSoftmax });
checkAllClose("stable softmax of [1000, 0, −1000] = [1, e^−1000, e^−2000] = [1, 0, 0]", softmax(hugeLogits), [1, 0, 0], { abs: 1e-300 });
check("ln(softmax) of the last entry is −∞, logSoftmax gives exactly −2000",
  Math.log(softmax(hugeLogits)[2]!) === -Infinity && logSoftmax(hugeLogits)[2] === -2000);

// %% [markdown]
// ## 6. Outliers: MSE against Huber and MAE
//
// 100 points from `y = 0.5·x + 1 + ε` with `x` uniform in [0, 10] and Gaussian noise σ = 0.5; then 10 of the
// points with `x > 7` are corrupted, pushed down by 10 to 14 (a sensor that sometimes reads far too low).
// Three straight-line fits:
//
// * **MSE**: ordinary least squares (`lib/ml/linear.ts`, exact). Each residual pulls on the line with force
//   `2r`, so the ten large residuals dominate.
// * **Huber, δ = 1**: L-BFGS on the Huber loss. A residual's pull is capped at δ, however large it is.
// * **MAE**: least absolute deviations. Its minimum sits at a vertex of a linear program, a line through two
//   of the data points, so trying every pair (4,950 lines) finds it exactly.
//
// The truth is the slope that generated the data, 0.5.

// %%
const outlierRng = new Random(0);
const trueSlope = 0.5;
const trueIntercept = 1;
const xs = outlierRng.array(100, (r) => r.uniform(0, 10));
const ys = xs.map((x) => trueSlope * x + trueIntercept + outlierRng.normal(0, 0.5));
const outlierIndices = outlierRng.shuffle(xs.map((_, i) => i).filter((i) => xs[i]! > 7)).slice(0, 10);
const cleanYs = [...ys];
outlierIndices.forEach((i) => (ys[i] = ys[i]! - outlierRng.uniform(10, 14)));
const isOutlier = xs.map((_, i) => outlierIndices.includes(i));

const leastSquaresFit = new LinearRegression().fit(xs.map((x) => [x]), ys);
const cleanLeastSquaresFit = new LinearRegression().fit(xs.map((x) => [x]), cleanYs);

const huberObjective = (params: readonly number[]) => {
  const fitted = xs.map((x) => params[0]! * x + params[1]!);
  const dFitted = huberLoss(1).gradient(ys, fitted);
  return {
    value: huberLoss(1).value(ys, fitted),
    gradient: [dFitted.reduce((s, g, i) => s + g * xs[i]!, 0), dFitted.reduce((s, g) => s + g, 0)],
  };
};
const huberFit = minimizeLbfgs(huberObjective, [0, 0], { maxIter: 500, tol: 1e-10 });

let absoluteFit = { slope: 0, intercept: 0, loss: Infinity };
for (let i = 0; i < xs.length; i++) {
  for (let j = i + 1; j < xs.length; j++) {
    const slope = (ys[j]! - ys[i]!) / (xs[j]! - xs[i]!);
    const intercept = ys[i]! - slope * xs[i]!;
    const loss = meanAbsoluteError.value(ys, xs.map((x) => slope * x + intercept));
    if (loss < absoluteFit.loss) absoluteFit = { slope: slope, intercept: intercept, loss: loss };
  }
}

const fits = [
  { fit: "MSE (least squares), all data", slope: leastSquaresFit.coef_![0]!, intercept: leastSquaresFit.intercept_! },
  { fit: "Huber δ = 1, all data", slope: huberFit.x[0]!, intercept: huberFit.x[1]! },
  { fit: "MAE (least absolute deviations), all data", slope: absoluteFit.slope, intercept: absoluteFit.intercept },
  { fit: "MSE, outliers removed (for reference)", slope: cleanLeastSquaresFit.coef_![0]!, intercept: cleanLeastSquaresFit.intercept_! },
];
showTable(fits.map((f) => ({ ...f, "slope error": Math.abs(f.slope - trueSlope) })), { caption: `Line fits; the true line is y = ${trueSlope}x + ${trueIntercept}`, digits: 4 });
const slopeError = (k: number) => Math.abs(fits[k]!.slope - trueSlope);
check("Huber fit is a true minimum: L-BFGS converged and finite differences of the objective vanish",
  huberFit.converged && Math.max(...numericalGradient((p) => huberObjective(p).value, huberFit.x).map(Math.abs)) < 1e-6);
check("MSE is pulled off by the outliers: slope error > 0.3", slopeError(0) > 0.3, { slopeError: slopeError(0) });
check("Huber (δ = 1) stays within 0.1 of the true slope", slopeError(1) < 0.1, { slopeError: slopeError(1) });
check("MAE stays within 0.1 of the true slope", slopeError(2) < 0.1, { slopeError: slopeError(2) });
check("without the outliers least squares is fine (within 0.1): the damage is the outliers'", slopeError(3) < 0.1, { slopeError: slopeError(3) });

// %% [markdown]
// The bounds are calibrated on data seeds 0–9 of this generator: slope errors MSE 0.41–0.55, Huber
// 0.001–0.072, MAE 0.007–0.053 (seed 0 is shown). Huber's small bias comes from the ten outliers all pulling the same way, each with force δ.

// %%
const lineX = [0, 10];
const lineTrace = (name: string, slope: number, intercept: number, dash: "solid" | "dash" | "dot" | "dashdot") => ({
  type: "scatter" as const, mode: "lines" as const, name: name, x: lineX, y: lineX.map((x) => slope * x + intercept), line: { dash: dash, width: 2.5 },
});
await showFigure({
  data: [
    { type: "scatter", mode: "markers", name: "clean points", x: xs.filter((_, i) => !isOutlier[i]), y: ys.filter((_, i) => !isOutlier[i]), marker: { size: 6, color: "#4c78a8" } },
    { type: "scatter", mode: "markers", name: "outliers", x: xs.filter((_, i) => isOutlier[i]), y: ys.filter((_, i) => isOutlier[i]), marker: { size: 8, color: "#e45756", symbol: "x" } },
    lineTrace("true line", trueSlope, trueIntercept, "dot"),
    lineTrace("MSE fit", fits[0]!.slope, fits[0]!.intercept, "solid"),
    lineTrace("Huber fit (δ = 1)", fits[1]!.slope, fits[1]!.intercept, "dash"),
    lineTrace("MAE fit", fits[2]!.slope, fits[2]!.intercept, "dashdot"),
    lineTrace("MSE fit without outliers", fits[3]!.slope, fits[3]!.intercept, "solid"),
  ],
  layout: {
    title: { text: "Straight-line fits with 10 % outliers" },
    xaxis: { title: { text: "x (input, arbitrary units)" } },
    yaxis: { title: { text: "y (target, arbitrary units)" } },
    legend: { x: 0.01, y: 0.01, yanchor: "bottom" },
  },
}, { height: 460 });

// %% [markdown]
// The shapes behind the numbers. On the left, each regression loss against the residual; on the right its
// derivative, the *influence* a residual has on the fit: unbounded for MSE, capped at ±δ for Huber, ±1 for
// MAE. Then the classification losses against the margin `m = ỹ·f(x)` (positive means correct): the 0–1 loss
// that accuracy counts, and the smooth convex surrogates that replace it in training. Hinge is exactly 0 once
// `m ≥ 1`; logistic loss keeps pushing, ever more weakly; squared error `(1 − m)²` even *penalises*
// confident correct answers, which is one reason not to use MSE for classification.

// %%
const residualGrid = Array.from({ length: 241 }, (_, i) => -3 + i / 40);
const residualLossCurves = [
  { name: "MSE: r²", loss: (r: number) => squaredError(0, r), slope: (r: number) => 2 * r },
  { name: "MAE: |r|", loss: (r: number) => absoluteError(0, r), slope: (r: number) => Math.sign(r) },
  { name: "Huber, δ = 1", loss: (r: number) => huber(0, r), slope: (r: number) => Math.max(-1, Math.min(1, r)) },
];
checkAllClose("the plotted Huber influence is the lib gradient (per example)", residualGrid.map((r) => huberLoss(1).gradient([0], [r])[0]!),
  residualGrid.map(residualLossCurves[2]!.slope), { abs: 1e-12 });
const curveColors = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2"];
await showFigure({
  data: residualLossCurves.flatMap((c, k) => [
    { type: "scatter" as const, mode: "lines" as const, name: c.name, x: residualGrid, y: residualGrid.map(c.loss), line: { color: curveColors[k] } },
    { type: "scatter" as const, mode: "lines" as const, name: c.name, showlegend: false, x: residualGrid, y: residualGrid.map(c.slope), line: { color: curveColors[k] }, xaxis: "x2", yaxis: "y2" },
  ]),
  layout: {
    title: { text: "Regression losses and their influence" },
    grid: { rows: 1, columns: 2, pattern: "independent" },
    xaxis: { title: { text: "residual r = ŷ − y" } }, yaxis: { title: { text: "loss ℓ(r)" }, range: [0, 4] },
    xaxis2: { title: { text: "residual r = ŷ − y" } }, yaxis2: { title: { text: "influence dℓ/dr" }, range: [-3, 3] },
    legend: { orientation: "h", x: 0, y: -0.22 },
  },
}, { width: 900, height: 420 });

// %%
const marginGrid = Array.from({ length: 241 }, (_, i) => -3 + i / 40);
await showFigure({
  data: [
    { name: "0–1 loss (what accuracy counts)", y: marginGrid.map((m) => (m > 0 ? 0 : 1)), line: { shape: "hv" as const } },
    { name: "hinge: max(0, 1 − m)", y: marginGrid.map((m) => hinge(1, m)) },
    { name: "logistic: ln(1 + e^−m) (BCE on logits)", y: marginGrid.map((m) => binaryCrossEntropyWithLogits.value([1], [m])) },
    { name: "logistic in bits: log₂(1 + e^−m)", y: marginGrid.map((m) => binaryCrossEntropyWithLogits.value([1], [m]) / Math.LN2) },
    { name: "squared: (1 − m)²", y: marginGrid.map((m) => (1 - m) ** 2) },
  ].map((s, k) => ({ type: "scatter" as const, mode: "lines" as const, x: marginGrid, ...s, line: { color: curveColors[k], ...s.line } })),
  layout: {
    title: { text: "Classification losses as functions of the margin" },
    xaxis: { title: { text: "margin m = ỹ · f(x)  (ỹ = ±1; m > 0 is a correct prediction)" } },
    yaxis: { title: { text: "loss (nats unless stated)" }, range: [0, 4.5] },
    legend: { orientation: "h", x: 0, y: -0.22 },
  },
}, { height: 500 });

// %% [markdown]
// BCE on logits, written with the signed label, *is* the logistic loss of the margin: for `y ∈ {0, 1}` and
// `m = (2y − 1)·z`, `ℓ(z, y) = ln(1 + e^{−m})`. The curve above is computed that way; the check confirms the
// identity on the random examples of section 2, and that the base-2 version bounds the 0–1 loss from above
// (as hinge does), which is what makes these surrogates safe to minimise in place of the error rate.

// %%
checkAllClose("BCE on logits = ln(1 + e^−m) with m = (2y − 1)·z", labels01.map((y, i) => binaryCrossEntropyWithLogits.value([y], [scores[i]!])),
  labels01.map((y, i) => Math.log1p(Math.exp(-(2 * y - 1) * scores[i]!))), { rel: 1e-12 });
check("log₂(1 + e^−m) ≥ 0–1 loss and max(0, 1 − m) ≥ 0–1 loss at every margin on the grid",
  marginGrid.every((m) => Math.log1p(Math.exp(-m)) / Math.LN2 >= (m > 0 ? 0 : 1) && hinge(1, m) >= (m > 0 ? 0 : 1)));

// %% [markdown]
// ## 7. Cross-entropy as maximum likelihood, and as entropy + KL
//
// **Interviewer: "Why cross-entropy, and not some other distance between distributions?"** *Short answer:*
// minimising the mean cross-entropy of a model on the training labels *is* maximising the likelihood of
// those labels, because `−(1/N) Σᵢ ln q(yᵢ)` is the negative log-likelihood divided by N. For a categorical
// model with free probabilities q the minimiser is the empirical frequencies `p̂ₖ = nₖ/N`. And the
// cross-entropy splits as `H(p, q) = H(p) + KL(p‖q)`: the entropy of the data, which no model can change, plus
// the Kullback–Leibler divergence, which is ≥ 0 and 0 only when q = p. So minimising cross-entropy over q is
// minimising KL(p‖q), and the lowest reachable loss is H(p), not 0.
//
// *Long answer.* Grouping the N labels by class, `(1/N) Σᵢ −ln q(yᵢ) = −Σₖ (nₖ/N) ln qₖ = H(p̂, q)`: the
// cross-entropy between the empirical distribution and the model. Minimising it under `Σₖ qₖ = 1` (a
// Lagrange multiplier) gives `nₖ/qₖ = λ`, so `qₖ = nₖ/N`. The checks fit q numerically, by L-BFGS on
// softmax logits (which knows nothing of frequencies), for 300 random count vectors with 2 to 10 classes,
// and compare. Then the decomposition, on 1,000 random pairs of distributions, with the cross-entropy taken
// from `lib/nn/losses.ts`'s `softmaxCrossEntropy` (soft labels p, logits ln q), the entropy from
// `lib/ml/tree.ts`'s `entropyOfCounts` and KL written out here; and two statements of how KL grows:
// Pinsker's inequality `KL ≥ ½‖p − q‖₁²`, and for q close to p the quadratic `KL ≈ ½ Σₖ (pₖ − qₖ)²/pₖ`.

// %%
const entropyOf = (p: readonly number[]) => entropyOfCounts(p, Math.E); // lib/ml/tree.ts, in nats
const klDivergence = (p: readonly number[], q: readonly number[]) => p.reduce((s, pk, k) => s + (pk > 0 ? pk * Math.log(pk / q[k]!) : 0), 0);
/** H(p, q) = −Σₖ pₖ ln qₖ, through lib's softmax cross-entropy: softmax(ln q) = q. */
const crossEntropyOf = (p: readonly number[], q: readonly number[]) => softmaxCrossEntropy([p], [q.map(Math.log)]);

const likelihoodRng = new Random(7);
const countVectors = Array.from({ length: 300 }, () => likelihoodRng.array(likelihoodRng.int(2, 11), (r) => r.int(1, 30)));
const maximumLikelihood = countVectors.map((counts) => {
  const total = counts.reduce((s, c) => s + c, 0);
  const frequencies = counts.map((c) => c / total);
  // Mean cross-entropy of the model softmax(z) on the N labels, and its gradient softmax(z) − p̂.
  const fit = minimizeLbfgs((z) => ({ value: crossEntropyOf(frequencies, softmax(z)), gradient: softmax(z).map((q, k) => q - frequencies[k]!) }),
    new Array<number>(counts.length).fill(0), { maxIter: 500, tol: 1e-12 });
  const fitted = softmax(fit.x);
  const negativeLogLikelihood = -counts.reduce((s, c, k) => s + c * Math.log(fitted[k]!), 0);
  return { counts: counts, frequencies: frequencies, fitted: fitted, total: total, meanCe: crossEntropyOf(frequencies, fitted), negativeLogLikelihood: negativeLogLikelihood };
});
check("300 random count vectors: the cross-entropy minimiser (L-BFGS on logits) is the empirical frequencies nₖ/N (within 1e-7)",
  maximumLikelihood.every((m) => m.fitted.every((q, k) => Math.abs(q - m.frequencies[k]!) < 1e-7)));
check("…its mean cross-entropy is the negative log-likelihood over N, and its minimum value is the entropy H(p̂)",
  maximumLikelihood.every((m) => Math.abs(m.meanCe - m.negativeLogLikelihood / m.total) < 1e-12 && Math.abs(m.meanCe - entropyOf(m.counts)) < 1e-12));

// Random distributions on 2–10 classes (normalised exponentials: uniform on the simplex).
const randomDistribution = (k: number, r: Random) => {
  const e = r.array(k, (g) => -Math.log(1 - g.random()));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
};
const distributionPairs = Array.from({ length: 1000 }, () => {
  const k = likelihoodRng.int(2, 11);
  return { p: randomDistribution(k, likelihoodRng), q: randomDistribution(k, likelihoodRng) };
});
check("1,000 random pairs: H(p, q) = H(p) + KL(p‖q) (within 1e-12)",
  distributionPairs.every(({ p, q }) => Math.abs(crossEntropyOf(p, q) - entropyOf(p) - klDivergence(p, q)) < 1e-12));
check("…KL(p‖q) ≥ ½‖p − q‖₁² > 0 for every pair (Pinsker), and KL(p‖p) = 0",
  distributionPairs.every(({ p, q }) => {
    const l1 = p.reduce((s, pk, k) => s + Math.abs(pk - q[k]!), 0);
    return klDivergence(p, q) >= 0.5 * l1 * l1 && l1 > 0 && klDivergence(p, p) === 0;
  }));
// The next term of the expansion is of relative size t·dₖ/pₖ, so t is chosen to make that at most 1e-3.
check("…and for q = p + t·d close to p, KL/t² = ½ Σₖ dₖ²/pₖ (within 0.5 %, with |t·dₖ/pₖ| ≤ 1e-3)",
  distributionPairs.every(({ p, q }) => {
    const direction = q.map((qk, k) => qk - p[k]!); // sums to 0, so p + t·d stays a distribution
    const t = 1e-3 / Math.max(...direction.map((d, k) => Math.abs(d) / p[k]!));
    const nearby = p.map((pk, k) => pk + t * direction[k]!);
    const quadratic = 0.5 * direction.reduce((s, d, k) => s + (d * d) / p[k]!, 0);
    return Math.abs(klDivergence(p, nearby) / (t * t) - quadratic) <= 5e-3 * quadratic;
  }));

// %% [markdown]
// Seven heads in ten coin tosses: the mean cross-entropy of a Bernoulli(q) model is the entropy of the data,
// `H(0.7) ≈ 0.611` nats, plus `KL(0.7‖q)`. Both curves coincide, and their minimum is at q = 0.7 with the value
// H(0.7), not 0. KL is not symmetric: `KL(p‖q) ≠ KL(q‖p)`, which is why "the distance" between distributions is
// the wrong word; maximum likelihood minimises the forward direction, KL(data‖model).

// %%
const coinGrid = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
const headsShare = [0.7, 0.3];
await showFigure({
  data: [
    { type: "scatter", mode: "lines", name: "mean cross-entropy of 7 heads, 3 tails", x: coinGrid, y: coinGrid.map((q) => crossEntropyOf(headsShare, [q, 1 - q])), line: { width: 4 } },
    { type: "scatter", mode: "lines", name: "H(0.7) + KL(0.7‖q)", x: coinGrid, y: coinGrid.map((q) => entropyOf(headsShare) + klDivergence(headsShare, [q, 1 - q])), line: { dash: "dash" } },
    { type: "scatter", mode: "lines", name: "entropy H(0.7): the floor", x: [0.01, 0.99], y: [entropyOf(headsShare), entropyOf(headsShare)], line: { dash: "dot" } },
    { type: "scatter", mode: "lines", name: "KL(q‖0.7), the reverse direction", x: coinGrid, y: coinGrid.map((q) => klDivergence([q, 1 - q], headsShare)) },
  ],
  layout: {
    title: { text: "Cross-entropy = entropy + KL, minimised at the observed frequency" },
    xaxis: { title: { text: "model probability of heads q" } },
    yaxis: { title: { text: "nats" }, range: [0, 2] },
    legend: { orientation: "h", x: 0, y: -0.22 },
  },
}, { height: 440 });

// %% [markdown]
// ## Recap
//
// * The **loss** is the training objective (differentiable, averaged over the training set); the **metric**
//   is what you report on held-out data. Accuracy has zero gradient almost everywhere, and a lower loss
//   can come with a lower accuracy, so train on the loss and select models on the metric.
// * **MSE** predicts the mean (Gaussian noise) and is dragged by outliers; **MAE** predicts the median; **Huber**
//   caps each residual's influence at δ. On 10 % outliers MSE's slope was off by about 0.44, Huber's and MAE's by
//   less than 0.06.
// * **Binary cross-entropy = log loss** = the logistic loss of the margin; **softmax cross-entropy** is the
//   "softmax loss". For equal logits it is `ln K`; its gradient with respect to the logits is `softmax(z) − y`.
// * **Compute from logits**: `max(z, 0) − zy + ln(1 + e^{−|z|})` and log-sum-exp never overflow; the naive
//   formulas give `∞` and `NaN` at logits of 100 and −110 in float32. Probability-based losses clip to `[1e-7, 1 − 1e-7]`.
// * **Hinge** `max(0, 1 − ỹf)` is zero for points beyond the margin, so only the points near the boundary (the
//   support vectors) shape an SVM.
// * **Cross-entropy is maximum likelihood**: its minimiser over a categorical model is the empirical
//   frequencies, and `H(p, q) = H(p) + KL(p‖q)`: the floor is the data's entropy, the rest is KL ≥ 0.
//
// ## Exercises
//
// 1. **Derive it.** Show that `d/dz` of the binary cross-entropy on logits is `σ(z) − y`, and check it against
//    TensorFlow.js's autodiff at logits from −50 to 50.
// 2. **Which points does hinge listen to?** Fit nothing: for a fixed linear score on the blobs of section 1,
//    which examples have a non-zero hinge gradient, and which have a non-zero logistic-loss gradient?
// 3. **Label smoothing.** `tf.losses.softmaxCrossEntropy` takes a `labelSmoothing` α that replaces the one-hot
//    target by `(1 − α)·y + α/K`. What is the smallest achievable loss now, and which logits reach it?
// 4. **Spot the bug (S3-Q18), then build what it describes.** The seed answers "explain the loss functions of
//    deep learning" with the list below. Sections 2 and 4 already correct items 3 and 6 (log loss *is* binary
//    cross-entropy; the "softmax loss" is softmax cross-entropy). Item 4 remains: (a) is it true of Huber?
//    (b) Losses that do what it says exist: they are called *redescending*. Fit section 6's line with Tukey's
//    biweight, `ρ(r) = (c²/6)(1 − (1 − (r/c)²)³)` for `|r| ≤ c` and `c²/6` beyond, with c = 2.5 (five noise
//    standard deviations). Predict what deleting the ten outliers does to its fit, then check, and compare
//    with Huber. (c) Is Tukey's loss convex, and why does that matter for where the fit starts?
//
//    > 1. **均方误差（Mean Squared Error，MSE）：** 用于回归任务，计算预测值与真实值之间的平均平方误差。
//    > 2. **交叉熵损失（Cross-Entropy Loss）：** 用于分类任务，计算预测概率分布与真实分布之间的交叉熵。
//    > 3. **对数损失（Log Loss）：** 交叉熵损失函数的对数形式，通常用于二分类任务。
//    > 4. **Huber损失：** 一种鲁棒损失函数，对远离真实值的预测值施加较小的惩罚。
//    > 5. **Hinge损失：** 用于支持向量机（SVM）等分类任务，计算预测值与真实值之间的 hinge 距离。
//    > 6. **Softmax Loss：** 在多分类任务中，将输出层的激活函数设置为 softmax，计算预测概率分布与真实分布之间的交叉熵。
//
//    (In English: 3. "Log loss: *the logarithmic form of the cross-entropy loss*, usually for binary
//    classification." 4. "Huber loss: a robust loss that *applies a smaller penalty to predictions far from
//    the true value*." 5. "Hinge loss: computes the *hinge distance* between prediction and true value."
//    6. "Softmax loss: set the output activation to softmax and compute the cross-entropy", listed as a
//    sixth, separate loss.)

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** With `σ′(z) = σ(1 − σ)`: `d/dz[−y ln σ − (1 − y) ln(1 − σ)] = −y(1 − σ) + (1 − y)σ = σ − y`. The sigmoid's
// derivative cancels, exactly as the softmax Jacobian does in section 4, so the gradient never vanishes on a
// confidently wrong answer (it tends to ±1 there).

// %% tags=["solution"]
const exerciseLogits = Array.from({ length: 21 }, (_, i) => -50 + 5 * i);
for (const label of [0, 1]) {
  const autodiff = tf.tidy(() => Array.from(tf.grad((z: tf.Tensor) => tf.sum(tf.losses.sigmoidCrossEntropy(
    tf.fill([exerciseLogits.length], label), z, undefined, undefined, tf.Reduction.NONE)))(tf.tensor1d(exerciseLogits)).dataSync()));
  checkAllClose(`d/dz BCE-with-logits = σ(z) − y for y = ${label}, z from −50 to 50 (tf.grad)`, autodiff, exerciseLogits.map((z) => sigmoid(z) - label), { abs: 1e-6 });
}

// %% [markdown] tags=["solution"]
// **2.** Hinge's gradient with respect to the score is `−ỹ` when the margin is below 1 and exactly 0 beyond
// it, so examples classified correctly with room to spare stop contributing: only the points inside or on
// the wrong side of the margin (the SVM's support vectors) move the boundary. Logistic loss's gradient
// `σ(z) − y` is never exactly zero: every point keeps a (shrinking) vote. For a fixed score `f = 2x₁ + 0.5`
// on the blobs:

// %% tags=["solution"]
const hingeSigned = blobs.y.map((y) => 2 * y - 1);
const fixedScores = blobs.X.map((x) => 2 * x[0]! + 0.5);
const margins = fixedScores.map((s, i) => hingeSigned[i]! * s);
const hingeGradients = hingeLoss.gradient(hingeSigned, fixedScores);
const logisticGradients = binaryCrossEntropyWithLogits.gradient(blobs.y, fixedScores);
const activeCount = hingeGradients.filter((g) => g !== 0).length;
console.log(`hinge: ${activeCount} of ${blobs.y.length} examples have a non-zero gradient; logistic: ${logisticGradients.filter((g) => g !== 0).length}`);
check("hinge gradient is non-zero exactly for the examples with margin < 1", margins.every((m, i) => (hingeGradients[i] !== 0) === (m < 1)));
check("logistic-loss gradient is non-zero for every example", logisticGradients.every((g) => g !== 0));

// %% [markdown] tags=["solution"]
// **3.** With smoothed target `q = (1 − α)y + α/K`, the loss is the cross-entropy `H(q, p)`, minimised at `p = q`
// with value the entropy `H(q)`: for α = 0.1 and K = 5 that is `−0.92 ln 0.92 − 4 · 0.02 ln 0.02 ≈ 0.390`, not 0.
// The optimal logits are finite (`z_c − zₖ = ln(0.92/0.02) ≈ 3.83`), which is the point: the model is no
// longer pushed towards infinitely confident logits. Checked with TensorFlow.js's own `labelSmoothing`:

// %% tags=["solution"]
const alpha = 0.1;
const smoothedTarget = [1, 0, 0, 0, 0].map((y) => (1 - alpha) * y + alpha / 5);
const entropyOfTarget = -smoothedTarget.reduce((s, q) => s + q * Math.log(q), 0);
const optimalLogits = smoothedTarget.map(Math.log); // any logits with softmax(z) = q
const smoothedAtOptimum = scalar(() => tf.losses.softmaxCrossEntropy(tf.tensor2d([[1, 0, 0, 0, 0]]), tf.tensor2d([optimalLogits]), undefined, alpha));
const smoothedAtLargerLead = scalar(() => tf.losses.softmaxCrossEntropy(tf.tensor2d([[1, 0, 0, 0, 0]]), tf.tensor2d([[10, 0, 0, 0, 0]]), undefined, alpha));
checkClose("tf label smoothing = CE against (1 − α)y + α/K (lib, float64)",
  scalar(() => tf.losses.softmaxCrossEntropy(tf.tensor2d(oneHot(classLabels, 5)), tf.tensor2d(classLogits), undefined, alpha)),
  softmaxCrossEntropy(oneHot(classLabels, 5).map((row) => row.map((y) => (1 - alpha) * y + alpha / 5)), classLogits), { rel: 1e-5 });
checkClose("minimum smoothed loss = entropy H(q) ≈ 0.390, reached at softmax(z) = q", smoothedAtOptimum, entropyOfTarget, { rel: 1e-5 });
check("a more confident prediction (lead 10) now costs more than the optimum", smoothedAtLargerLead > smoothedAtOptimum,
  { atOptimum: smoothedAtOptimum, atLead10: smoothedAtLargerLead });

// %% [markdown] tags=["solution"]
// **4.** (a) No. Huber's penalty for a far prediction is not smaller than for a near one: it keeps growing,
// only linearly (`δ(|r| − δ/2)`) instead of quadratically, so it is below MSE's, and each residual's influence
// is capped at δ, never reduced. (The other items: "log loss is the logarithmic form of cross-entropy" is
// wrong, log loss *is* binary cross-entropy, and two-class softmax cross-entropy is log loss too; the
// "softmax loss" is item 2 again, fused; "hinge distance" is not a thing, hinge is `max(0, 1 − ỹ·f(x))` on
// the margin; missing are MAE, the loss-versus-metric distinction and numerical stability.)

// %% tags=["solution"]
const pairLogits = scores.map((z) => [0, z]); // softmax([0, z])₁ = σ(z)
checkClose("two-class softmax CE on logits [0, z] = binary cross-entropy (log loss) on logit z",
  softmaxCrossEntropy(labels01, pairLogits), binaryCrossEntropyWithLogits.value(labels01, scores), { rel: 1e-12 });
const farResiduals = [2, 5, 10, 100];
check("Huber keeps growing with the residual (it is not a smaller penalty for far predictions)",
  farResiduals.every((r, k) => k === 0 || huber(0, r) > huber(0, farResiduals[k - 1]!)));
checkAllClose("…linearly: Huber(r) = δ(|r| − δ/2) for |r| > δ, checked against tf.losses.huberLoss",
  farResiduals.map((r) => scalar(() => tf.losses.huberLoss(tf.tensor1d([0]), tf.tensor1d([r])))), farResiduals.map((r) => r - 0.5), { rel: 1e-6 });

// %% [markdown] tags=["solution"]
// (b) Tukey's influence `ψ(r) = ρ′(r) = r(1 − (r/c)²)²` for `|r| ≤ c` falls back to exactly 0 beyond c: a
// residual larger than c has no pull at all. The ten outliers sit 10–14 below the line, far beyond c = 2.5, so
// at the Tukey fit they contribute nothing, and deleting them leaves the fit unchanged. Huber's fit moves when
// they are deleted, since each of them pulled with force δ.
// (c) ρ is not convex (ρ″ < 0 for c/√5 < |r| < c, and ρ is flat beyond c), so the objective can have several
// minima and a fit depends on where it starts. Here every start found the same one, but practice (iteratively
// reweighted least squares in statsmodels' `RLM`, for example) starts from a robust fit such as Huber or MAE.

// %% tags=["solution"]
const tukeyC = 2.5;
const tukey = (r: number) => (Math.abs(r) <= tukeyC ? (tukeyC ** 2 / 6) * (1 - (1 - (r / tukeyC) ** 2) ** 3) : tukeyC ** 2 / 6);
const tukeyInfluence = (r: number) => (Math.abs(r) <= tukeyC ? r * (1 - (r / tukeyC) ** 2) ** 2 : 0);
/** Mean Tukey loss of the line (slope, intercept) on the points `keep` of section 6, with its gradient. */
const tukeyObjective = (keep: number[]) => (params: readonly number[]) => {
  const residuals = keep.map((i) => params[0]! * xs[i]! + params[1]! - ys[i]!);
  return {
    value: residuals.reduce((s, r) => s + tukey(r), 0) / keep.length,
    gradient: [residuals.reduce((s, r, k) => s + tukeyInfluence(r) * xs[keep[k]!]!, 0) / keep.length, residuals.reduce((s, r) => s + tukeyInfluence(r), 0) / keep.length],
  };
};
const allPoints = xs.map((_, i) => i);
const inlierPoints = allPoints.filter((i) => !isOutlier[i]);
const tukeyFit = minimizeLbfgs(tukeyObjective(allPoints), huberFit.x, { maxIter: 500, tol: 1e-12 }).x;
const tukeyFitWithoutOutliers = minimizeLbfgs(tukeyObjective(inlierPoints), huberFit.x, { maxIter: 500, tol: 1e-12 }).x;
const huberFitWithoutOutliers = minimizeLbfgs((params) => {
  const fitted = inlierPoints.map((i) => params[0]! * xs[i]! + params[1]!);
  const dFitted = huberLoss(1).gradient(inlierPoints.map((i) => ys[i]!), fitted);
  return { value: huberLoss(1).value(inlierPoints.map((i) => ys[i]!), fitted), gradient: [dFitted.reduce((s, g, k) => s + g * xs[inlierPoints[k]!]!, 0), dFitted.reduce((s, g) => s + g, 0)] };
}, [0, 0], { maxIter: 500, tol: 1e-10 }).x;
showTable([
  { loss: "Huber, δ = 1", "slope, all points": huberFit.x[0]!, "slope, outliers deleted": huberFitWithoutOutliers[0]! },
  { loss: "Tukey, c = 2.5", "slope, all points": tukeyFit[0]!, "slope, outliers deleted": tukeyFitWithoutOutliers[0]! },
], { caption: `True slope ${trueSlope}`, digits: 5 });

// %% tags=["exercise-check"]
// tukey(r) and tukeyInfluence(r): Tukey's biweight loss (c = 2.5) and its derivative; tukeyFit and
// tukeyFitWithoutOutliers: [slope, intercept] minimising the mean Tukey loss on section 6's points, all of
// them and without the ten outliers; huberFitWithoutOutliers: the same for Huber (δ = 1) without the outliers.
checkAllClose("tukeyInfluence is the derivative of tukey (finite differences at residuals from −6 to 6)",
  residualGrid.map((r) => 2 * r).map(tukeyInfluence), residualGrid.map((r) => 2 * r).map((r) => numericalGradient(([v]) => tukey(v!), [r])[0]!), { abs: 1e-8 });
check("at the Tukey fit every outlier's residual is beyond c, so its influence is 0",
  allPoints.filter((i) => isOutlier[i]).every((i) => Math.abs(tukeyFit[0]! * xs[i]! + tukeyFit[1]! - ys[i]!) > tukeyC));
checkAllClose("deleting the outliers leaves the Tukey fit unchanged", tukeyFitWithoutOutliers, tukeyFit, { abs: 1e-6 });
check("…while Huber's slope moves by more than 0.01", Math.abs(huberFitWithoutOutliers[0]! - huberFit.x[0]!) > 0.01,
  { huber: huberFit.x[0]!, huberWithoutOutliers: huberFitWithoutOutliers[0]! });
check("Tukey's loss is not convex: ρ(2) > (ρ(1.5) + ρ(2.5))/2", tukey(2) > (tukey(1.5) + tukey(2.5)) / 2);
