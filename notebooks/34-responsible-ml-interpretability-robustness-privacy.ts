// %% [markdown]
// # 34 · Responsible ML: interpretability, robustness, privacy and fairness
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q21 | What is model interpretation; which methods exist? | 什么是模型解释（Model Interpretation）？它有哪些方法？ |
// | S4-Q4 | How do you ensure a large model's robustness? | 如何保证大模型的鲁棒性？ |
// | S0-Q22 | What is federated learning; what does it do for privacy? | 什么是联邦学习（Federated Learning）？它在隐私保护任务中有什么作用？ |
// | S1-Q22 | How do you handle ethical issues in deep learning? | 如何处理深度学习中的道德与伦理问题？ |
//
// **The short answer an interviewer wants.** (S0-Q21) Interpretation explains which inputs drive a model's
// predictions. Global methods: **permutation importance** (shuffle one feature, measure the score drop), partial
// dependence. Local methods: **SHAP** (Shapley values of the features for one prediction), LIME (a local linear
// surrogate), and for networks **saliency maps** (the input gradient) and **integrated gradients** (gradients
// averaged along a path from a baseline, whose attributions sum to f(x) − f(baseline)).
//
// (S4-Q4) Robustness means the accuracy you measured survives inputs you did not test on: **adversarial examples**
// (FGSM, PGD; defended by adversarial training), **distribution shift** (evaluate on shifted or out-of-distribution
// test sets, not only an i.i.d. split; augment for the shifts you expect) and noisy labels. You ensure it by
// measuring it: a robustness test suite beside the accuracy number.
//
// (S0-Q22) **Federated learning** trains one model on data that stays on many clients: each round the server sends
// the model, clients train locally, and the server averages their weights (**FedAvg**). Raw data never leaves a
// client, but the **updates leak it** (a single example's gradient can give the input back exactly), so real
// systems add **secure aggregation** (the server sees only the sum) and **differential privacy** (clipped,
// noised updates). It costs more communication than central training, not less.
//
// (S1-Q22) Ethics becomes engineering when it is measured: **fairness metrics** per group (demographic parity:
// equal selection rates; equal opportunity: equal true-positive rates), privacy guarantees (differential privacy's
// ε), documentation (model cards, datasheets) and audits, with mitigations such as per-group thresholds whose
// effect is measured on held-out data.
//
// The reusable code is in `lib/responsible/` (`interpret.ts`, `adversarial.ts`, `federated.ts`, `fairness.ts`,
// `privacy.ts`); the digit CNN is notebook 14's pretrained `digits-0-4-cnn` (`lib/nn/pretrained.ts`).

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadDigits, loadMnist } from "./lib/data";
import { trainTestSplit, take } from "./lib/split";
import { MNIST_SPLIT } from "./lib/nn/models";
import { imageBatch, range } from "./lib/nn/vision";
import { loadPretrained, preprocessInput } from "./lib/nn/pretrained";
import type { PretrainedRecipe } from "./lib/nn/pretrained";
import { LogisticRegression } from "./lib/ml/linear";
import { accuracyScore } from "./lib/ml/base";
import { numericalGradient } from "./lib/math/gradcheck";
import { integratedGradients, interventionalValue, permutationImportance, shapleyValues } from "./lib/responsible/interpret";
import { fgsm } from "./lib/responsible/adversarial";
import { fedAvg, gradientDescent, recoverDenseInput, softmaxRegressionClient, softmaxRegressionLoss, softmaxRegressionPredict } from "./lib/responsible/federated";
import { applyGroupThresholds, demographicParityDifference, equalOpportunityDifference, groupRates, perGroupThresholds } from "./lib/responsible/fairness";
import { laplaceMechanism, laplaceScale } from "./lib/responsible/privacy";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { imageGridFigure, lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object
const mnist = loadMnist();
const { model: cnn, recipe } = await loadPretrained("digits-0-4-cnn", { includeTop: true });
const SOURCE_DIGITS = [0, 1, 2, 3, 4];
const digitsIn = (split: readonly [number, number]) => range(...split).filter((i) => SOURCE_DIGITS.includes(mnist.labels[i]!));
const testIds = digitsIn(MNIST_SPLIT.test);
const trainIds = digitsIn(MNIST_SPLIT.train);
const xTest = imageBatch(mnist, testIds); // pixels in [0, 1]: the space an attacker perturbs
const yTest = testIds.map((i) => mnist.labels[i]!);
const yTestOneHot = tf.oneHot(yTest, 5);

/**
 * The network as a function of raw [0, 1] pixels to logits: the pretrained model's preprocessing, its layers up to
 * the last dense layer, and that layer without its softmax (gradients of a saturated softmax underflow in float32).
 */
function logitsOf(model: tf.LayersModel, pretrainedRecipe: PretrainedRecipe): (pixels: tf.Tensor) => tf.Tensor {
  const features = tf.model({ inputs: model.inputs, outputs: model.layers.at(-2)!.output as tf.SymbolicTensor });
  const [kernel, bias] = model.layers.at(-1)!.weights;
  return (pixels) => (features.apply(preprocessInput(pixels, pretrainedRecipe)) as tf.Tensor).matMul(kernel!.read()).add(bias!.read());
}
const cnnLogits = logitsOf(cnn, recipe);
const accuracyOn = (logits: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
  const predicted = tf.tidy(() => logits(x).argMax(-1).dataSync());
  return yTest.filter((y, i) => predicted[i] === y).length / yTest.length;
};
const cleanAccuracy = accuracyOn(cnnLogits, xTest);
console.log(`digits-0-4-cnn: accuracy ${cleanAccuracy.toFixed(4)} on the ${testIds.length} test digits 0–4 (softmax of these logits = the model's own output)`);
checkAllClose("logitsOf: softmax of the logits equals the pretrained model's output on 20 test digits",
  tf.tidy(() => tf.softmax(cnnLogits(xTest.slice(0, 20)))), tf.tidy(() => cnn.predict(preprocessInput(xTest.slice(0, 20), recipe)) as tf.Tensor), { abs: 1e-5 });

// %% [markdown]
// ## 1. S0-Q21 · Model interpretation: which methods exist, and how do you check them?
//
// **Short answer.** Permutation importance (global: how much the held-out score drops when a feature is shuffled),
// SHAP (local: each feature's Shapley value for one prediction, summing to the prediction minus the average one),
// LIME (a local linear surrogate), saliency maps and integrated gradients for networks. Each has a property you can
// test: shuffling an unused feature costs nothing; Shapley values add up exactly; integrated gradients are
// *complete*.
//
// ### Permutation importance
//
// Synthetic data where the label depends on features 0 and 1 only (y = 1 when x₀ + 0.8·x₁ + noise > 0) and features
// 2–5 are pure noise. A logistic regression (`lib/ml/linear.ts`) is fitted on 2,000 rows; importance is measured on
// 1,000 held-out rows, 10 shuffles per feature (`lib/responsible/interpret.ts permutationImportance`, scikit-learn's
// `permutation_importance`). Calibration: over data seeds 0–19 the top two were always features 0 and 1
// (importance ≥ 0.18) and the largest |importance| of a noise feature was 0.0051; seed 0 is used here.

// %%
function makeTabular(rng: Random, n: number) {
  const X = Array.from({ length: n }, () => Array.from({ length: 6 }, () => rng.normal()));
  const y = X.map((row) => (row[0]! + 0.8 * row[1]! + 0.3 * rng.normal() > 0 ? 1 : 0));
  return { X, y };
}
const tabularRng = new Random(0);
const tabularTrain = makeTabular(tabularRng, 2000);
const tabularTest = makeTabular(tabularRng, 1000);
const tabularModel = new LogisticRegression({ C: 1 }).fit(tabularTrain.X, tabularTrain.y);
const importance = permutationImportance((X) => accuracyScore(tabularTest.y, tabularModel.predict(X)), tabularTest.X, { nRepeats: 10, seed: 0 });
const ranked = importance.importancesMean.map((value, feature) => ({ feature, value })).sort((a, b) => b.value - a.value);
showTable(importance.importancesMean.map((mean, j) => ({ feature: `x${j}`, "importance (accuracy drop)": mean, "std over 10 shuffles": importance.importancesStd[j]! })),
  { caption: `Permutation importance on held-out data (baseline accuracy ${importance.baseline.toFixed(3)})` });
check("permutation importance ranks the two features the label uses, {0, 1}, on top", new Set(ranked.slice(0, 2).map((r) => r.feature)).size === 2 && ranked.slice(0, 2).every((r) => r.feature <= 1), { order: ranked.map((r) => `x${r.feature}`).join(" > ") });
check("every noise feature scores |importance| < 0.01", importance.importancesMean.slice(2).every((v) => Math.abs(v) < 0.01), { noise: importance.importancesMean.slice(2) });
await showFigure({
  data: [{ type: "bar", x: importance.importancesMean.map((_, j) => `x${j}`), y: importance.importancesMean, error_y: { type: "data", array: importance.importancesStd } }],
  layout: { title: { text: "Permutation importance: only x0 and x1 matter" }, xaxis: { title: { text: "feature" } }, yaxis: { title: { text: "held-out accuracy drop (fraction)" } } },
});

// %% [markdown]
// **Why held-out data, and a caveat.** On training data an overfitted model shows importance for noise it
// memorised. And when two features are strongly correlated, shuffling one breaks the joint distribution, and the
// model may lean on the other: correlated features share (or hide) importance.
//
// ### SHAP: Shapley values by enumeration (the follow-up)
//
// A local explanation of one prediction f(x). Treat the features as players; a coalition S "knows" x's values of
// its features, the others are filled in from background rows (SHAP's interventional value
// v(S) = mean over background b of f(x_S, b_rest)). The Shapley value of feature i is its marginal contribution
// v(S ∪ {i}) − v(S) averaged over all orders in which the features can join:
// φᵢ = Σ_{S ⊆ N∖{i}} |S|!(n − |S| − 1)!/n! · (v(S ∪ {i}) − v(S)). The **efficiency axiom**:
// Σ φᵢ = v(N) − v(∅) = f(x) − E[f(background)]. KernelSHAP and TreeSHAP estimate or compute these numbers fast;
// with 3 features we can enumerate: `shapleyValues` uses the subset formula, and the cell checks it against the
// other definition (average over all 3! = 6 orderings) written out here. The model: a logistic regression on x₀, x₁,
// x₂ of the data above, explained on its log-odds (there, a linear model's Shapley value has the closed form
// wᵢ·(xᵢ − mean background xᵢ)) and on its probability (non-linear: no closed form, but efficiency must hold).

// %%
const threeFeatureModel = new LogisticRegression({ C: 1 }).fit(tabularTrain.X.map((row) => row.slice(0, 3)), tabularTrain.y);
const background = tabularTrain.X.slice(0, 50).map((row) => row.slice(0, 3));
const explained = tabularTest.X[0]!.slice(0, 3);
const logOdds = (row: number[]) => threeFeatureModel.intercept_![0]! + row.reduce((sum, v, j) => sum + v * threeFeatureModel.coef_![0]![j]!, 0);
const probability = (row: number[]) => threeFeatureModel.predictProba([row])[0]![1]!;
/** The other definition of the Shapley value: the mean marginal contribution over every order of the features. */
function shapleyByOrderings(value: (inSubset: boolean[]) => number, players: number): number[] {
  const orders = (items: number[]): number[][] => (items.length <= 1 ? [items] : items.flatMap((item, k) => orders([...items.slice(0, k), ...items.slice(k + 1)]).map((rest) => [item, ...rest])));
  const all = orders(range(0, players));
  const mask = (members: number[]) => range(0, players).map((p) => members.includes(p));
  return range(0, players).map((i) => all.reduce((sum, order) => {
    const before = order.slice(0, order.indexOf(i));
    return sum + value(mask([...before, i])) - value(mask(before));
  }, 0) / all.length);
}
const shapRows: Record<string, string | number>[] = [];
for (const [name, f] of [["log-odds", logOdds], ["probability", probability]] as const) {
  const value = interventionalValue(f, explained, background);
  const phi = shapleyValues(value, 3);
  checkAllClose(`${name}: Shapley values by the subset formula equal the average over all 6 orderings`, phi, shapleyByOrderings(value, 3), { abs: 1e-12 });
  const meanPrediction = background.reduce((sum, row) => sum + f(row), 0) / background.length;
  checkClose(`${name}: efficiency, Σφ = f(x) − mean f(background)`, phi.reduce((a, b) => a + b, 0), f(explained) - meanPrediction, { abs: 1e-12 });
  if (name === "log-odds") {
    const closedForm = range(0, 3).map((j) => threeFeatureModel.coef_![0]![j]! * (explained[j]! - background.reduce((sum, row) => sum + row[j]!, 0) / background.length));
    checkAllClose("log-odds: φᵢ = wᵢ·(xᵢ − mean background xᵢ), the linear model's closed form", phi, closedForm, { abs: 1e-12 });
  }
  shapRows.push({ output: name, "f(x)": f(explained), "E f(background)": meanPrediction, "φ x0": phi[0]!, "φ x1": phi[1]!, "φ x2": phi[2]! });
}
showTable(shapRows, { caption: `SHAP values of one test row x = (${explained.map((v) => v.toFixed(2)).join(", ")}), 50 background rows` });

// %% [markdown]
// x₂ is noise, so its Shapley value is close to zero; x₀ and x₁ carry the prediction. Enumeration costs 2ⁿ
// coalitions × |background| model calls, which is why SHAP's estimators exist.
//
// ### Saliency maps and integrated gradients on the digit CNN
//
// A **saliency map** is |∂f/∂x|: which pixels would change the class probability fastest. It is local (a gradient at
// one point) and can be zero where the network saturates, though the pixel matters. **Integrated gradients** (IG)
// fix this: IGᵢ = (xᵢ − x'ᵢ)·∫₀¹ ∂f/∂xᵢ(x' + α(x − x')) dα from a baseline x' (a black image), and by the
// fundamental theorem of calculus for line integrals the attributions are **complete**: Σᵢ IGᵢ = f(x) − f(x').
// Completeness is the check: `integratedGradients` approximates the integral by a quadrature rule, and the gap is
// the quadrature error. Here f is the probability of the true class.
//
// **The step count, measured.** The catalog asks for 1e-3 with 100 steps. On this ReLU / max-pool network the
// gradient along the path jumps wherever a unit switches on or off, so the integrand is piecewise constant with
// many jumps and a Riemann sum converges only like 1/steps: on the first 20 test digits, 100 steps left a
// completeness gap above 1e-3 on 17 of them (worst 1.1e-2 trapezoid, 5.1e-3 midpoint), while **1,000 trapezoid
// steps** met 1e-3 on all 20 (worst 6.1e-4). So the check uses 1,000 steps (one batch of 1,001 images per digit,
// ≈ 0.3 s) and the 100-step gap is shown beside it.

// %%
const shownIndices = [0, 1, 2, 3, 4].map((digit) => yTest.indexOf(digit));
const probabilityOf = (classIndex: number) => (batch: tf.Tensor) => tf.softmax(cnnLogits(batch)).slice([0, classIndex], [-1, 1]).squeeze([1]);
const attributionRows: Record<string, string | number>[] = [];
const saliencyMaps: number[][][] = [], igMaps: number[][][] = [], shownDigits: number[][][] = [];
const toImage = (values: ArrayLike<number>) => range(0, 28).map((r) => Array.from({ length: 28 }, (_, c) => values[r * 28 + c]!));
for (const index of shownIndices) {
  const [x, black] = tf.tidy(() => { const image = xTest.slice([index, 0, 0, 0], [1, 28, 28, 1]).squeeze([0]); return [image, tf.zerosLike(image)]; });
  const f = probabilityOf(yTest[index]!);
  const ig = integratedGradients(f, x, black, { steps: 1000, rule: "trapezoid" });
  const coarse = integratedGradients(f, x, black, { steps: 100, rule: "trapezoid" });
  const saliency = tf.tidy(() => tf.grad((image: tf.Tensor) => f(image.expandDims(0)).sum())(x).abs().dataSync());
  const maxOf = (values: ArrayLike<number>) => Math.max(...Array.from(values, Math.abs));
  shownDigits.push(toImage(x.dataSync()));
  saliencyMaps.push(toImage(Array.from(saliency, (v) => v / maxOf(saliency))));
  igMaps.push(toImage(Array.from(ig.attributions, (v) => v / maxOf(ig.attributions))));
  attributionRows.push({ digit: yTest[index]!, "f(x) − f(black)": ig.outputDifference, "gap, 1,000 steps": ig.completenessGap, "gap, 100 steps": coarse.completenessGap });
  tf.dispose([x, black]);
}
showTable(attributionRows, { caption: "Integrated gradients: Σ attributions − (f(x) − f(baseline)), trapezoid rule" });
check("IG completeness with 1,000 trapezoid steps: |Σ attributions − (f(x) − f(black))| < 1e-3 on every shown digit",
  attributionRows.every((row) => Math.abs(row["gap, 1,000 steps"] as number) < 1e-3), { gaps: attributionRows.map((row) => row["gap, 1,000 steps"]) });
await showFigure(imageGridFigure([shownDigits, saliencyMaps], { title: "Test digits and their saliency maps |∂p/∂x| (each scaled to its maximum)", rowLabels: ["input", "saliency"], columnLabels: attributionRows.map((row) => `true ${row.digit}`) }), { height: 330 });
await showFigure(imageGridFigure([igMaps], { title: "Integrated gradients from a black baseline (red raises, blue lowers p(true class))", diverging: true, zRange: [-1, 1], columnLabels: attributionRows.map((row) => `true ${row.digit}`) }), { height: 260 });

// %% [markdown]
// The saliency maps are speckled (a gradient is local and noisy); the IG maps put positive mass on the strokes that
// make the digit. With a black baseline, IG can never credit a black pixel (xᵢ − x'ᵢ = 0): the baseline is part of
// the explanation, which is why it must be stated.
//
// ## 2. S4-Q4 · Robustness: adversarial examples, adversarial training, distribution shift
//
// **Short answer.** Robustness is measured, not assumed: evaluate against adversarial perturbations (FGSM, PGD)
// and against distribution shifts (noise, translation, contrast, new domains) beside the i.i.d. test set. Defences:
// adversarial training for the first, data augmentation and diverse training data for the second, calibration and
// out-of-distribution detection to know when not to trust the model.
//
// ### FGSM
//
// The fast gradient sign method moves every pixel by ε in the direction that increases the loss:
// x_adv = clip(x + ε·sign(∇ₓ loss), 0, 1) (`lib/responsible/adversarial.ts`). It is the L∞-optimal step for a
// linearised loss. First the gradient's sign is checked against central finite differences of the loss (float64 of
// float32 values, step 1e-2) on the 20 pixels with the largest |gradient| of one test digit; then FGSM's damage is
// compared with random ±ε noise of the same size.

// %%
const lossOn = (logits: (x: tf.Tensor) => tf.Tensor, labels: tf.Tensor) => (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(labels, logits(x)) as tf.Scalar;
const probe = xTest.slice([0, 0, 0, 0], [1, 28, 28, 1]);
const probeLabel = yTestOneHot.slice([0, 0], [1, 5]);
const probeLoss = lossOn(cnnLogits, probeLabel);
const probeGradient = tf.tidy(() => tf.grad(probeLoss)(probe).dataSync());
const probePixels = Array.from(probe.dataSync());
const steepest = range(0, 784).sort((a, b) => Math.abs(probeGradient[b]!) - Math.abs(probeGradient[a]!)).slice(0, 20);
const lossAtPixels = (values: number[]) => tf.tidy(() => {
  const image = Float32Array.from(probePixels);
  steepest.forEach((p, k) => (image[p] = values[k]!));
  return probeLoss(tf.tensor4d(image, [1, 28, 28, 1])).dataSync()[0]!;
});
const finiteDifferences = numericalGradient(lossAtPixels, steepest.map((p) => probePixels[p]!), 1e-2);
const probeAdversarial = fgsm(probeLoss, probe, 0.2);
const step = tf.tidy(() => probeAdversarial.sub(probe).dataSync());
check("FGSM's step has the sign of the finite-difference gradient on the 20 steepest pixels (or is clipped at 0 or 1)",
  steepest.every((p, k) => Math.sign(finiteDifferences[k]!) === Math.sign(probeGradient[p]!) && (Math.abs(step[p]! - 0.2 * Math.sign(finiteDifferences[k]!)) < 1e-6 || [0, 1].includes(probePixels[p]! + step[p]!))),
  { finiteDifferences: finiteDifferences.slice(0, 5), tfGrad: steepest.slice(0, 5).map((p) => probeGradient[p]) });
tf.dispose([probe, probeLabel, probeAdversarial]);

const EPSILONS = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];
const fgsmAccuracy = (logits: (x: tf.Tensor) => tf.Tensor, epsilon: number) => {
  const adversarial = fgsm(lossOn(logits, yTestOneHot), xTest, epsilon);
  const accuracy = accuracyOn(logits, adversarial);
  adversarial.dispose();
  return accuracy;
};
const randomSignAccuracy = (epsilon: number, seed: number) => {
  const noisy = tf.tidy(() => xTest.add(tf.randomUniform(xTest.shape, 0, 1, "float32", seed).greater(0.5).cast("float32").mul(2 * epsilon).sub(epsilon)).clipByValue(0, 1));
  const accuracy = accuracyOn(cnnLogits, noisy);
  noisy.dispose();
  return accuracy;
};
const pretrainedCurve = EPSILONS.map((epsilon) => fgsmAccuracy(cnnLogits, epsilon));
const randomCurve = EPSILONS.map((epsilon) => randomSignAccuracy(epsilon, 7));
const fgsmDrop = 100 * (cleanAccuracy - pretrainedCurve[EPSILONS.indexOf(0.2)]!);
const randomDrop = 100 * (cleanAccuracy - randomCurve[EPSILONS.indexOf(0.2)]!);
console.log(`ε = 0.2: FGSM drops accuracy by ${fgsmDrop.toFixed(1)} points, random ±0.2 noise by ${randomDrop.toFixed(1)}`);
check("FGSM at ε = 0.2 drops accuracy by ≥ 25 points, while random ±ε noise of the same size drops it by < 1 point", fgsmDrop >= 25 && randomDrop < 1, { fgsmDrop, randomDrop });

/** PGD (projected gradient descent on the loss): FGSM steps of size `stepSize`, each projected back into the ε-ball around x. */
function pgd(logits: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, epsilon: number, steps: number, stepSize: number): tf.Tensor {
  let adversarial = x.clone();
  for (let k = 0; k < steps; k++) {
    const stepped = fgsm(lossOn(logits, yTestOneHot), adversarial, stepSize);
    const projected = tf.tidy(() => tf.minimum(tf.maximum(stepped, x.sub(epsilon)), x.add(epsilon)));
    tf.dispose([adversarial, stepped]);
    adversarial = projected;
  }
  return adversarial;
}
const pgdExamples = pgd(cnnLogits, xTest, 0.2, 10, 0.05);
const pgdDrop = 100 * (cleanAccuracy - accuracyOn(cnnLogits, pgdExamples));
const pgdLinf = tf.tidy(() => pgdExamples.sub(xTest).abs().max().dataSync()[0]!);
pgdExamples.dispose();
console.log(`PGD, 10 steps of 0.05 within ε = 0.2: accuracy drops by ${pgdDrop.toFixed(1)} points (largest pixel change ${pgdLinf.toFixed(3)})`);
check("PGD stays inside the ε-ball (max |x_adv − x| ≤ 0.2) and drops accuracy by ≥ 30 points, more than FGSM", pgdLinf <= 0.2 + 1e-6 && pgdDrop >= 30 && pgdDrop > fgsmDrop, { pgdDrop, fgsmDrop, pgdLinf });

// %% [markdown]
// **Measured against the catalog.** The catalog expected ≥ 30 points at ε = 0.2; this pretrained CNN loses
// 27.0 (0.979 → 0.708), while random noise of the same L∞ size costs nothing, but short of 30. FGSM is a single
// linearised step, and the loss of this ReLU / max-pool network is far from linear over a step of 0.2; the
// iterated attack (PGD: ten signed steps of 0.05, each projected back into the ε-ball) finds worse points within
// the same ε and passes 30. The checks state what holds; FGSM reaches the catalog's 30 from ε ≈ 0.25 (the curve
// below).
//
// ### Adversarial training
//
// Train on the worst case: each mini-batch's loss is ½·loss(clean) + ½·loss(FGSM(ε = 0.2) of the batch, made against
// the current weights). Rather than retrain, we **fine-tune a fresh copy of the pretrained CNN** (`loadPretrained`
// gives a new copy each call) for 100 Adam steps (learning rate 2e-3, batches of 64 of the 3,650 training digits
// 0–4, ≈ 1.75 epochs; ≈ 3 s). Calibration over batch-order seeds 0–5: adversarial accuracy at ε = 0.2 rose by
// 12.4–13.5 points and clean accuracy *rose* by 0.4–0.5 (the catalog asks ≥ 10 and at most 3 points lost); 60 steps
// at 1e-3 gave only +7. Seed 0 is used here.

// %%
const { model: robustCnn } = await loadPretrained("digits-0-4-cnn", { includeTop: true });
const robustLogits = logitsOf(robustCnn, recipe);
const robustVariables = robustCnn.trainableWeights.map((weight) => weight.read() as tf.Variable);
const optimizer = tf.train.adam(2e-3);
const batchOrder = new Random(0).permutation(trainIds.length);
const ADVERSARIAL_STEPS = 100, BATCH = 64, EPSILON = 0.2;
const startTime = performance.now();
for (let stepIndex = 0; stepIndex < ADVERSARIAL_STEPS; stepIndex++) {
  const ids = range(0, BATCH).map((j) => trainIds[batchOrder[(stepIndex * BATCH + j) % batchOrder.length]!]!);
  tf.tidy(() => {
    const x = imageBatch(mnist, ids);
    const labels = tf.oneHot(ids.map((i) => mnist.labels[i]!), 5);
    const adversarial = fgsm(lossOn(robustLogits, labels), x, EPSILON);
    optimizer.minimize(() => lossOn(robustLogits, labels)(x).mul(0.5).add(lossOn(robustLogits, labels)(adversarial).mul(0.5)) as tf.Scalar, false, robustVariables);
  });
}
const robustCurve = EPSILONS.map((epsilon) => fgsmAccuracy(robustLogits, epsilon));
const at = (curve: number[], epsilon: number) => curve[EPSILONS.indexOf(epsilon)]!;
const recovered = 100 * (at(robustCurve, 0.2) - at(pretrainedCurve, 0.2));
const cleanLoss = 100 * (at(pretrainedCurve, 0) - at(robustCurve, 0));
console.log(`adversarial fine-tuning: ${((performance.now() - startTime) / 1000).toFixed(1)} s; FGSM ε = 0.2 accuracy ${at(pretrainedCurve, 0.2).toFixed(3)} → ${at(robustCurve, 0.2).toFixed(3)}, clean ${at(pretrainedCurve, 0).toFixed(3)} → ${at(robustCurve, 0).toFixed(3)}`);
check("adversarial training recovers ≥ 10 points of FGSM (ε = 0.2) accuracy", recovered >= 10, { recoveredPoints: recovered });
check("and costs at most 3 points of clean accuracy", cleanLoss <= 3, { cleanLossPoints: cleanLoss });
const robustPgd = pgd(robustLogits, xTest, 0.2, 10, 0.05);
console.log(`under PGD (ε = 0.2, 10 steps) the fine-tuned model keeps ${accuracyOn(robustLogits, robustPgd).toFixed(3)}, the pretrained one ${(cleanAccuracy - pgdDrop / 100).toFixed(3)} (reported, not asserted: FGSM training does not promise PGD robustness)`);
robustPgd.dispose();
await showFigure(lineFigure([
  { name: "pretrained CNN, FGSM", x: EPSILONS, y: pretrainedCurve },
  { name: "adversarially fine-tuned, FGSM", x: EPSILONS, y: robustCurve },
  { name: "pretrained CNN, random ±ε noise", x: EPSILONS, y: randomCurve },
], { title: "Test accuracy under attack (MNIST digits 0–4)", xTitle: "ε (L∞ perturbation, pixel scale 0–1)", yTitle: "accuracy" }));

// %% [markdown]
// The attack made against the fine-tuned model's own gradients (white-box) still hurts, but much less. Two
// honest caveats: FGSM-trained models can learn to mask gradients, so the standard test is a stronger attack (here
// PGD still leaves the fine-tuned model 0.64 against the pretrained model's 0.43, so the gain is not only masking),
// and robustness at one ε and one norm says nothing about other perturbations.
//
// ### Distribution shift: evaluate where the model will be used
//
// An i.i.d. test split comes from the training distribution, so it cannot reveal a shift. Shifted copies of the
// same test digits: Gaussian pixel noise (σ = 0.3, seeds 1–3), halved contrast, and a translation by 2 or 4 pixels
// right and down (the model was pretrained with random shifts of at most 1 pixel). Both models are evaluated.

// %%
const translate = (x: tf.Tensor4D, shift: number) => tf.tidy(() => tf.pad(x, [[0, 0], [shift, 0], [shift, 0], [0, 0]]).slice([0, 0, 0, 0], [-1, 28, 28, 1]));
/** Each shift as a function of a seed; only the noise uses it, the others are evaluated once. */
const shifts: Array<[string, (seed: number) => tf.Tensor, number[]]> = [
  ["i.i.d. test set", () => xTest.clone(), [0]],
  ["Gaussian noise σ = 0.3", (seed) => tf.tidy(() => xTest.add(tf.randomNormal(xTest.shape, 0, 0.3, "float32", seed)).clipByValue(0, 1)), [1, 2, 3]],
  ["contrast × 0.5", () => tf.tidy(() => xTest.mul(0.5)), [0]],
  ["translated 2 px", () => translate(xTest, 2), [0]],
  ["translated 4 px", () => translate(xTest, 4), [0]],
];
const shiftRows = shifts.map(([name, make, seeds]) => {
  const accuracies = seeds.map((seed) => {
    const shifted = make(seed);
    const result = [accuracyOn(cnnLogits, shifted), accuracyOn(robustLogits, shifted)];
    shifted.dispose();
    return result;
  });
  return { test: name, "pretrained CNN": Math.min(...accuracies.map((a) => a[0]!)), "adversarially fine-tuned": Math.min(...accuracies.map((a) => a[1]!)) };
});
showTable(shiftRows, { caption: "Accuracy under distribution shift (noise: the worst of seeds 1–3)" });
const accuracyUnder = (name: string) => shiftRows.find((row) => row.test === name)!["pretrained CNN"];
const translatedDrop = 100 * (accuracyUnder("i.i.d. test set") - accuracyUnder("translated 2 px"));
check("a 2-pixel translation costs the pretrained CNN ≥ 10 points that the i.i.d. test set does not show", translatedDrop >= 10, { translatedDropPoints: translatedDrop });

// %% [markdown]
// Noise and contrast barely matter, but a 2-pixel translation costs 24 points and 4 pixels leaves the CNN near chance
// (max-pooling gives only a little translation invariance; its dense head sees positions). The adversarially
// fine-tuned model is hardly better there: robustness to one perturbation does not buy robustness to another, and
// an i.i.d. accuracy of 0.98 hides a large drop under a modest shift. The fix for an expected shift is to train for
// it (augmentation with larger shifts, notebook 06) and to keep a shifted test set in the evaluation. This is the
// part the seed answer leaves out (section 5).
//
// ## 3. S0-Q22 · Federated learning and privacy
//
// **Short answer.** FedAvg: the server sends the model to the clients; each trains for a few local epochs on its own
// data; the server replaces the model by the size-weighted average of the clients' models. With one local
// full-batch step per round this is *exactly* centralised gradient descent (the average of the clients' mean
// gradients, weighted by size, is the global mean gradient). More local steps save rounds of communication but let
// clients drift apart, which hurts when their data differ (non-IID). Privacy: data stays local, but updates leak it;
// add secure aggregation and differential privacy.
//
// The model is softmax regression on UCI digits (64 pixels scaled to [0, 1], 10 classes; 75 / 25 stratified
// split), in float64 (`lib/responsible/federated.ts`), on 4 clients with full participation.

// %%
const digits = loadDigits();
const pixels = digits.data.map((row) => row.map((v) => v / 16));
const labels = digits.target;
const CLASSES = 10, PARAMETERS = (64 + 1) * CLASSES;
const digitSplit = trainTestSplit(pixels.length, { testFraction: 0.25, seed: 0, stratify: labels });
const federatedAccuracy = (weights: Float64Array) => accuracyScore(take(labels, digitSplit.test), softmaxRegressionPredict(take(pixels, digitSplit.test), weights, CLASSES));
const shuffledTrain = new Random(0).shuffle([...digitSplit.train]);
const iidParts = range(0, 4).map((k) => shuffledTrain.filter((_, i) => i % 4 === k));
const clientOfClass = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3]; // non-IID: each client sees only its own digits
const nonIidParts = range(0, 4).map((k) => digitSplit.train.filter((i) => clientOfClass[labels[i]!] === k));
const clientsOf = (parts: number[][]) => parts.map((rows) => softmaxRegressionClient(pixels, labels, rows, CLASSES));
const centralGradient = (w: Float64Array) => softmaxRegressionLoss(pixels, labels, digitSplit.train, CLASSES, w).gradient;
const zeros = new Float64Array(PARAMETERS);

// One local full-batch step per round = centralised gradient descent, to round-off.
const oneStepFederated = fedAvg(clientsOf(iidParts), zeros, { rounds: 20, localSteps: 1, learningRate: 1 }).weights;
const oneStepCentral = gradientDescent(centralGradient, zeros, { steps: 20, learningRate: 1 });
checkAllClose("FedAvg (4 IID clients, 1 local full-batch step, 20 rounds) equals centralised full-batch GD (20 steps)", oneStepFederated, oneStepCentral, { abs: 1e-6 });
const nonIidOneStep = fedAvg(clientsOf(nonIidParts), zeros, { rounds: 20, localSteps: 1, learningRate: 1 }).weights;
checkAllClose("… and so does it on the non-IID split: with one step the partition does not matter", nonIidOneStep, oneStepCentral, { abs: 1e-6 });

// %% [markdown]
// Now 20 local steps per round for 10 rounds (200 gradient steps, 10 communications) against 200 steps of
// centralised GD. Calibration over split seeds 0–4: IID FedAvg ended within 0.45 points of centralised accuracy;
// the non-IID split (clients see digits {0, 1, 2}, {3, 4, 5}, {6, 7}, {8, 9}) ended 4.2–5.5 points below it.

// %%
const ROUNDS = 10, LOCAL_STEPS = 20;
const centralCurve: number[] = [];
const centralWeights = gradientDescent(centralGradient, zeros, { steps: ROUNDS * LOCAL_STEPS, learningRate: 1, onStep: (s, w) => { if (s % LOCAL_STEPS === 0) centralCurve.push(federatedAccuracy(w)); } });
const iidCurve: number[] = [], nonIidCurve: number[] = [];
const iidRun = fedAvg(clientsOf(iidParts), zeros, { rounds: ROUNDS, localSteps: LOCAL_STEPS, learningRate: 1, onRound: (_, w) => iidCurve.push(federatedAccuracy(w)) });
const nonIidRun = fedAvg(clientsOf(nonIidParts), zeros, { rounds: ROUNDS, localSteps: LOCAL_STEPS, learningRate: 1, onRound: (_, w) => nonIidCurve.push(federatedAccuracy(w)) });
const [centralAccuracy, iidAccuracy, nonIidAccuracy] = [federatedAccuracy(centralWeights), federatedAccuracy(iidRun.weights), federatedAccuracy(nonIidRun.weights)];
console.log(`test accuracy: centralised ${centralAccuracy.toFixed(4)}, FedAvg IID ${iidAccuracy.toFixed(4)}, FedAvg non-IID ${nonIidAccuracy.toFixed(4)}`);
check("FedAvg with 20 local steps on IID clients ends within 2 points of centralised GD", Math.abs(centralAccuracy - iidAccuracy) <= 0.02, { centralAccuracy, iidAccuracy });
check("on the non-IID split it ends at least 3 points below centralised GD (client drift)", centralAccuracy - nonIidAccuracy >= 0.03, { centralAccuracy, nonIidAccuracy });
const roundAxis = range(1, ROUNDS + 1).map((r) => r * LOCAL_STEPS);
await showFigure(lineFigure([
  { name: "centralised GD", x: roundAxis, y: centralCurve },
  { name: "FedAvg, IID clients", x: roundAxis, y: iidCurve },
  { name: "FedAvg, non-IID clients", x: roundAxis, y: nonIidCurve },
], { title: "FedAvg vs centralised training (softmax regression, UCI digits, 4 clients)", xTitle: "gradient steps per client (FedAvg: 20 per round)", yTitle: "test accuracy" }));

// %% [markdown]
// **Communication, not latency.** The seed claims federated learning gives "low latency" and "efficiency". Count
// what this run moved: every round the server sends the model to each client and each client sends one back,
// 2 × clients × parameters numbers per round. Centralised training uploads each client's data once. Each round
// also waits for the slowest client. Latency at *inference* comes from running the model on the device, which
// any trained model can do; federated training does not make it faster.

// %%
const uploadedData = digitSplit.train.length * 64;
check("FedAvg moved 2 · clients · parameters · rounds numbers (counted by lib/responsible/federated.ts)", iidRun.floatsSent === 2 * 4 * PARAMETERS * ROUNDS, { floatsSent: iidRun.floatsSent });
showTable([
  { training: "centralised (upload the data once)", "round trips": 1, "numbers sent": uploadedData },
  { training: `FedAvg, ${ROUNDS} rounds × ${LOCAL_STEPS} local steps`, "round trips": ROUNDS, "numbers sent": iidRun.floatsSent },
  { training: "FedAvg, 1 local step (= GD, 200 rounds)", "round trips": 200, "numbers sent": 2 * 4 * PARAMETERS * 200 },
], { caption: "Communication for the same 200 gradient steps; a 100 M-parameter model × 1,000 clients × 1,000 rounds is 2·10¹⁴ numbers" });

// %% [markdown]
// ### Gradient leakage: the updates reveal the data
//
// For a dense layer z = xW + b and **one** example, ∂L/∂W[j][c] = xⱼ·∂L/∂b[c]: every column of the weight gradient is
// the input scaled by one number, so xⱼ = ∂L/∂W[j][c] / ∂L/∂b[c] (`recoverDenseInput`). A client that sends the
// gradient of one example (or of a batch of one, or one local step on one example) sends its image. With a batch,
// the same ratio gives a weighted mixture of the inputs, and optimisation attacks (deep leakage from gradients)
// recover individual images from batch gradients of deep networks too.

// %%
const victim = digitSplit.train[0]!;
const victimGradient = softmaxRegressionLoss(pixels, labels, [victim], CLASSES, iidRun.weights).gradient;
const recoveredImage = recoverDenseInput(range(0, 64).map((j) => range(0, CLASSES).map((c) => victimGradient[j * CLASSES + c]!)), range(0, CLASSES).map((c) => victimGradient[64 * CLASSES + c]!));
checkAllClose("the input recovered from one example's gradient equals the private image", recoveredImage, pixels[victim]!, { abs: 1e-9 });
const asImage = (values: number[]) => range(0, 8).map((r) => values.slice(8 * r, 8 * r + 8));
await showFigure(imageGridFigure([[asImage(pixels[victim]!), asImage(recoveredImage)]], { title: "A client's private digit and what its gradient gives away", columnLabels: ["private", "from gradient"] }), { width: 420, height: 260 });

// %% [markdown]
// ### Differential privacy: the Laplace mechanism (the follow-up)
//
// A mechanism M is **ε-differentially private** if for any two datasets that differ in one person and any output
// set S, P(M(D) ∈ S) ≤ e^ε·P(M(D') ∈ S). For a counting query (sensitivity Δ = 1: one person changes the count by
// at most 1), adding Laplace noise of scale b = Δ/ε achieves it: the two output densities are
// e^{−|y − c|/b}/(2b) and e^{−|y − c − 1|/b}/(2b), whose ratio is at most e^{1/b} = e^ε. The noise variance is 2b² = 2/ε².
// Checked empirically with ε = 0.5 (`lib/responsible/privacy.ts`): 40,000 releases of the count 100 and of its
// neighbour 101; per unit-width bin the log-ratio of the two histograms must stay below ε plus 4 standard errors
// of its own sampling noise, and the variance must be 2/ε² = 8 within 4 standard errors.

// %%
const PRIVACY_EPSILON = 0.5, RELEASES = 40000;
const privacyRng = new Random(0);
const releases = (count: number) => Array.from({ length: RELEASES }, () => laplaceMechanism(count, { sensitivity: 1, epsilon: PRIVACY_EPSILON }, privacyRng));
const [fromD, fromNeighbour] = [releases(100), releases(101)];
const histogram = (values: number[]) => { const bins = new Map<number, number>(); values.forEach((v) => bins.set(Math.floor(v), (bins.get(Math.floor(v)) ?? 0) + 1)); return bins; };
const [binsD, binsNeighbour] = [histogram(fromD), histogram(fromNeighbour)];
const comparable = [...binsD.keys()].filter((bin) => (binsD.get(bin) ?? 0) >= 200 && (binsNeighbour.get(bin) ?? 0) >= 200).sort((a, b) => a - b);
const logRatios = comparable.map((bin) => ({ bin, logRatio: Math.abs(Math.log(binsD.get(bin)! / binsNeighbour.get(bin)!)), standardError: Math.sqrt(1 / binsD.get(bin)! + 1 / binsNeighbour.get(bin)!) }));
check(`ε-DP: on all ${comparable.length} well-populated bins |log(P(bin | D) / P(bin | D'))| ≤ ε + 4 standard errors`, logRatios.every((r) => r.logRatio <= PRIVACY_EPSILON + 4 * r.standardError), { worstMarginOverBound: Math.max(...logRatios.map((r) => r.logRatio - PRIVACY_EPSILON - 4 * r.standardError)) });
const noiseSquares = fromD.map((v) => (v - 100) ** 2);
const noiseVariance = noiseSquares.reduce((a, b) => a + b, 0) / RELEASES;
const laplaceB = laplaceScale(1, PRIVACY_EPSILON);
// Var of (noise²) = E noise⁴ − (E noise²)² = 24b⁴ − 4b⁴ for Laplace(b).
checkClose("noise variance = 2/ε² = 8 (Laplace scale 1/ε = 2) within 4 standard errors", noiseVariance, 2 * laplaceB ** 2, { abs: 4 * Math.sqrt(20 * laplaceB ** 4 / RELEASES) });
console.log(`largest log-ratio in the tails: ${Math.max(...logRatios.map((r) => r.logRatio)).toFixed(3)} (the bound ε = ${PRIVACY_EPSILON} is tight away from the two counts)`);

// %% [markdown]
// In DP-SGD / DP-FedAvg the same idea is applied to updates: clip each client's (or example's) update to norm C,
// which bounds the sensitivity, then add Gaussian noise scaled to C; a privacy accountant adds up ε over rounds.
// Smaller ε means more noise and lower accuracy: privacy is a budget, traded against utility.
//
// ## 4. S1-Q22 · Ethics made measurable: fairness metrics and a mitigation
//
// **Short answer.** Name the harm, then measure it per group. **Demographic parity**: equal selection rates
// P(ŷ = 1 | group). **Equal opportunity**: equal true-positive rates P(ŷ = 1 | y = 1, group); **equalised odds** adds
// equal false-positive rates. They conflict in general (with different base rates, a calibrated model cannot
// satisfy them all), so choose one for the application, mitigate (reweighting, constraints in training, per-group
// thresholds after it) and report on held-out data; document with model cards and datasheets.
//
// ### The metrics by hand
//
// Eight people: group a = rows 0–3 with labels 1 0 1 0 and decisions 1 1 0 0; group b = rows 4–7 with labels
// 1 1 1 0 and decisions 1 0 0 0. Selection rates: a 2/4 = 0.5, b 1/4 = 0.25, so the demographic-parity difference
// is 0.25. True-positive rates: a 1/2 (row 0 of rows 0, 2), b 1/3 (row 4 of rows 4, 5, 6), so the equal-opportunity
// difference is 1/2 − 1/3 = 1/6. False-positive rates: a 1/2, b 0.

// %%
const fixtureTruth = [1, 0, 1, 0, 1, 1, 1, 0], fixtureDecision = [1, 1, 0, 0, 1, 0, 0, 0], fixtureGroup = ["a", "a", "a", "a", "b", "b", "b", "b"];
checkClose("demographic-parity difference = 0.5 − 0.25 (hand count)", demographicParityDifference(fixtureDecision, fixtureGroup), 0.25, { abs: 1e-15 });
checkClose("equal-opportunity difference = 1/2 − 1/3 (hand count)", equalOpportunityDifference(fixtureTruth, fixtureDecision, fixtureGroup), 1 / 6, { abs: 1e-15 });
checkAllClose("false-positive rates a 1/2, b 0 (hand count)", groupRates(fixtureTruth, fixtureDecision, fixtureGroup).map((g) => g.falsePositiveRate), [0.5, 0], { abs: 1e-15 });

// %% [markdown]
// ### A planted bias and per-group thresholds
//
// 8,000 synthetic applicants, half in group A, half in B, with the same distribution of true skill; y = 1 when
// skill + noise > 0 (equal base rates). The model sees a *measured* skill that under-rates group B by 0.7 (a biased
// test, a proxy feature); a logistic regression is fitted on the first half. One threshold (0.5) then selects
// qualified B applicants less often than qualified A applicants: an equal-opportunity gap. The mitigation chooses a
// threshold per group on the training half so that each group's true-positive rate equals the single threshold's
// overall rate, and is evaluated on the other half. Calibration over data seeds 0–19: the gap fell by 78–100 %
// (the check asks ≥ 50 %); seed 0 here.

// %%
const fairRng = new Random(0);
const APPLICANTS = 8000;
const applicantGroup = Array.from({ length: APPLICANTS }, () => (fairRng.random() < 0.5 ? "A" : "B"));
const skill = Array.from({ length: APPLICANTS }, () => fairRng.normal());
const qualified = skill.map((s) => (s + 0.5 * fairRng.normal() > 0 ? 1 : 0));
const measured = skill.map((s, i) => [s + 0.5 * fairRng.normal() - (applicantGroup[i] === "B" ? 0.7 : 0)]);
const half = APPLICANTS / 2;
const fairTrain = range(0, half), fairTest = range(half, APPLICANTS);
const scorer = new LogisticRegression({ C: 1 }).fit(take(measured, fairTrain), take(qualified, fairTrain));
const scores = scorer.predictProba(measured).map((p) => p[1]!);
const singleDecision = take(scores, fairTest).map((s) => (s >= 0.5 ? 1 : 0));
const overallTpr = singleDecision.filter((d, i) => d === 1 && qualified[fairTest[i]!] === 1).length / take(qualified, fairTest).filter((y) => y === 1).length;
const thresholds = perGroupThresholds(take(scores, fairTrain), take(qualified, fairTrain), take(applicantGroup, fairTrain), { rate: "true-positive", target: overallTpr });
const groupDecision = applyGroupThresholds(take(scores, fairTest), take(applicantGroup, fairTest), thresholds);
const before = groupRates(take(qualified, fairTest), singleDecision, take(applicantGroup, fairTest));
const after = groupRates(take(qualified, fairTest), groupDecision, take(applicantGroup, fairTest));
const gapBefore = equalOpportunityDifference(take(qualified, fairTest), singleDecision, take(applicantGroup, fairTest));
const gapAfter = equalOpportunityDifference(take(qualified, fairTest), groupDecision, take(applicantGroup, fairTest));
showTable([...before.map((g) => ({ decision: "one threshold 0.5", ...g })), ...after.map((g) => ({ decision: `per group (A ${thresholds.get("A")!.toFixed(3)}, B ${thresholds.get("B")!.toFixed(3)})`, ...g }))], { caption: "Held-out rates per group" });
console.log(`equal-opportunity difference ${gapBefore.toFixed(3)} → ${gapAfter.toFixed(3)}; demographic-parity difference ${demographicParityDifference(singleDecision, take(applicantGroup, fairTest)).toFixed(3)} → ${demographicParityDifference(groupDecision, take(applicantGroup, fairTest)).toFixed(3)}`);
check("the planted bias shows: equal-opportunity difference ≥ 0.1 with one threshold", gapBefore >= 0.1, { gapBefore });
check("per-group thresholds (chosen on the training half) cut the held-out gap by ≥ 50 %", gapAfter <= 0.5 * gapBefore, { gapBefore, gapAfter });
await showFigure({
  data: ["A", "B"].flatMap((name) => [
    { type: "bar" as const, name: `group ${name}, one threshold`, x: ["selection rate", "true-positive rate", "false-positive rate"], y: ((g) => [g.selectionRate, g.truePositiveRate, g.falsePositiveRate])(before.find((g) => g.group === name)!) },
    { type: "bar" as const, name: `group ${name}, per-group thresholds`, x: ["selection rate", "true-positive rate", "false-positive rate"], y: ((g) => [g.selectionRate, g.truePositiveRate, g.falsePositiveRate])(after.find((g) => g.group === name)!) },
  ]),
  layout: { title: { text: "Group rates on held-out applicants, before and after per-group thresholds" }, barmode: "group", xaxis: { title: { text: "rate" } }, yaxis: { title: { text: "rate (fraction)" }, range: [0, 1] } },
});

// %% [markdown]
// Per-group thresholds use the group attribute at decision time, which some laws forbid (disparate treatment);
// they equalise one metric and move others (here the false-positive rates move too). That trade-off is the
// ethical decision, and it can only be discussed once it is measured.
//
// ## 5. Spot the bug in the seed answers (S0-Q22, S0-Q21, S1-Q22, S4-Q4)
//
// > **S0-Q22** 联邦学习在隐私保护任务中具有以下作用：隐私保护：…避免了将用户数据上传到中心服务器，从而保护用户隐私。
// > **低延迟：联邦学习可以在边缘设备上进行模型训练，从而降低模型响应时间。资源利用：…提高模型训练效率。**
//
// **What is wrong.** (1) "Low latency": response time is an inference property; training on the device does not
// change it, and federated training itself adds rounds of network round trips that wait for the slowest client
// (section 3 counts them). (2) "Efficiency": FedAvg with local steps converges in fewer rounds than one-step
// averaging, but needs more total communication and computation than training on pooled data, and degrades on
// non-IID clients. (3) "Avoids uploading data, so it protects privacy" ignores that **updates leak the data**
// (section 3 recovered an image exactly from one gradient). (4) The algorithm, FedAvg, is not named.
//
// The fix, in code: **secure aggregation**. Clients add pairwise random masks that cancel in the sum (client k adds
// m_kj for every j > k and subtracts m_jk for j < k), so the server learns the sum of the updates, which is all
// FedAvg needs, and nothing about any single one. (Real protocols derive the masks from key agreement and survive
// drop-outs; differential privacy is still needed, because the sum can leak too.)

// %%
const maskRng = new Random(1);
const clientUpdates = iidParts.map((rows) => softmaxRegressionLoss(pixels, labels, rows, CLASSES, iidRun.weights).gradient);
const masks = range(0, 4).map(() => range(0, 4).map(() => Float64Array.from({ length: PARAMETERS }, () => maskRng.normal(0, 100))));
const maskedUpdates = clientUpdates.map((update, k) => update.map((u, p) => u + range(0, 4).reduce((m, j) => m + (j > k ? masks[k]![j]![p]! : j < k ? -masks[j]![k]![p]! : 0), 0)));
const sumOf = (vectors: Float64Array[]) => Float64Array.from({ length: PARAMETERS }, (_, p) => vectors.reduce((s, v) => s + v[p]!, 0));
checkAllClose("secure aggregation: the sum of the masked updates equals the sum of the true updates", sumOf(maskedUpdates), sumOf(clientUpdates), { abs: 1e-9 });
const correlation = (a: Float64Array, c: Float64Array) => { const [ma, mc] = [a, c].map((v) => v.reduce((s, x) => s + x, 0) / v.length); let [sac, saa, scc] = [0, 0, 0]; a.forEach((x, i) => { sac += (x - ma!) * (c[i]! - mc!); saa += (x - ma!) ** 2; scc += (c[i]! - mc!) ** 2; }); return sac / Math.sqrt(saa * scc); };
check("while each masked update alone is unrelated to the client's true update (|correlation| < 0.1)", maskedUpdates.every((masked, k) => Math.abs(correlation(masked, clientUpdates[k]!)) < 0.1), { correlations: maskedUpdates.map((m, k) => correlation(m, clientUpdates[k]!)) });

// %% [markdown]
// > **S0-Q21** 模型解释包括以下方法：特征重要性分析…；可视化…；规则提取…
//
// **What is wrong.** Three category names and no method: nothing an interviewer can follow up on. Name concrete
// methods and what each guarantees: permutation importance (model-agnostic, on held-out data), SHAP (Shapley values:
// efficiency, exact by enumeration for few features), LIME, saliency maps, integrated gradients (completeness),
// and, for "rule extraction", a surrogate decision tree with its fidelity measured. Section 1 checks each property.
//
// > **S1-Q22** 算法偏见（Algorithmic Bias）：避免算法偏见，确保公平性。
//
// **What is wrong.** "Avoid bias, ensure fairness" is a wish, not a method: there is no measurable notion of
// fairness, so nothing can be checked. Name the metric (demographic parity, equal opportunity, equalised odds),
// measure it per group on held-out data, mitigate and measure again (section 4), and say which metric was chosen
// and why, since they cannot all hold at once.
//
// > **S4-Q4** 迁移学习（Transfer Learning）：利用预训练模型，在目标任务上微调参数，减少对特定数据的依赖。
//
// **What is wrong.** Transfer learning is a way to learn from fewer labels; it is not a robustness method, and a
// fine-tuned model inherits its pretrained model's weaknesses (the adversarial examples of section 2 were made
// against a pretrained network). The answer also has no **evaluation** of robustness: no adversarial accuracy, no
// shifted test sets. Section 2 measures both, and shows that robustness to one perturbation does not carry over to
// another.

// %% [markdown]
// ## Recap
//
// * Interpretation methods have checkable properties: permutation importance finds the planted features and scores
//   noise ≈ 0 on held-out data; Shapley values equal enumeration over orderings and add up to f(x) − E f; integrated
//   gradients are complete (on this ReLU CNN it takes 1,000 trapezoid steps, not 100, to get within 1e-3).
// * FGSM at ε = 0.2 costs the pretrained CNN 27 points (random noise of the same size: < 1), PGD within the same ε
//   55; 100 steps of adversarial fine-tuning recover 13 points of FGSM accuracy without losing clean accuracy. A
//   2-pixel translation costs 24 points, and only a shifted test set shows it.
// * FedAvg with one local step is gradient descent exactly; more local steps save rounds on IID clients and drift on
//   non-IID ones. It costs communication, and gradients leak inputs: secure aggregation and differential privacy
//   (Laplace scale Δ/ε for a count) are part of the answer.
// * Fairness is measured per group: demographic parity (selection rates), equal opportunity (true-positive rates);
//   per-group thresholds remove a planted gap on held-out data, at a price in other metrics.
//
// ## Exercises
//
// 1. **Gradient × input is not complete.** The simplest attribution multiplies the saliency by the input,
//    xᵢ·∂f/∂xᵢ(x). Does it sum to f(x) − f(black) on the first shown digit? Compute the gap and compare it with
//    integrated gradients'.
// 2. **Demographic parity instead.** Choose per-group thresholds (on the training half) that equalise the
//    *selection rates* at the single threshold's overall rate. What happens to the demographic-parity difference and
//    to the equal-opportunity difference on the test half?
// 3. **A sum query.** Each person contributes a value in [0, 10]. What Laplace scale makes the sum ε = 0.5
//    differentially private, and what is the noise's standard deviation?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** Gradient × input is a one-point estimate of the path integral (the gradient at α = 1 only), so for a
// non-linear f it has no reason to add up; on the first digit its gap is orders of magnitude larger than IG's.

// %% tags=["solution"]
const [firstDigit, blackImage] = tf.tidy(() => { const image = xTest.slice([shownIndices[0]!, 0, 0, 0], [1, 28, 28, 1]).squeeze([0]); return [image, tf.zerosLike(image)]; });
const firstClass = probabilityOf(yTest[shownIndices[0]!]!);
const gradientTimesInput = tf.tidy(() => tf.grad((image: tf.Tensor) => firstClass(image.expandDims(0)).sum())(firstDigit).mul(firstDigit).sum().dataSync()[0]!);
const firstIg = integratedGradients(firstClass, firstDigit, blackImage, { steps: 1000, rule: "trapezoid" });
const gradientTimesInputGap = gradientTimesInput - firstIg.outputDifference;
console.log(`gradient × input sums to ${gradientTimesInput.toExponential(3)}, f(x) − f(black) = ${firstIg.outputDifference.toFixed(4)}: gap ${gradientTimesInputGap.toExponential(2)}; IG's gap ${firstIg.completenessGap.toExponential(2)}`);
check("gradient × input misses completeness by more than 10× integrated gradients' gap", Math.abs(gradientTimesInputGap) > 10 * Math.abs(firstIg.completenessGap), { gradientTimesInputGap, igGap: firstIg.completenessGap });
tf.dispose([firstDigit, blackImage]);

// %% [markdown] tags=["solution"]
// **2.** Equal selection rates remove the demographic-parity gap, but the groups here have equal base rates and a
// biased score, so equalising selection also brings the true-positive rates close: both differences fall. With
// *different* base rates the two criteria would pull apart (equal selection would force unequal true-positive rates).

// %% tags=["solution"]
const overallSelection = singleDecision.filter((d) => d === 1).length / singleDecision.length;
const parityThresholds = perGroupThresholds(take(scores, fairTrain), take(qualified, fairTrain), take(applicantGroup, fairTrain), { rate: "selection", target: overallSelection });
const parityDecision = applyGroupThresholds(take(scores, fairTest), take(applicantGroup, fairTest), parityThresholds);
const parityGap = demographicParityDifference(parityDecision, take(applicantGroup, fairTest));
const parityEoGap = equalOpportunityDifference(take(qualified, fairTest), parityDecision, take(applicantGroup, fairTest));
console.log(`demographic-parity difference ${demographicParityDifference(singleDecision, take(applicantGroup, fairTest)).toFixed(3)} → ${parityGap.toFixed(3)}, equal-opportunity difference ${gapBefore.toFixed(3)} → ${parityEoGap.toFixed(3)}`);
check("selection-rate thresholds cut the demographic-parity difference by ≥ 50 %", parityGap <= 0.5 * demographicParityDifference(singleDecision, take(applicantGroup, fairTest)), { parityGap });

// %% [markdown] tags=["solution"]
// **3.** One person changes the sum by at most 10, so Δ = 10 and b = Δ/ε = 20; the noise's standard deviation is
// √2·b ≈ 28.3.

// %% tags=["solution"]
checkClose("Laplace scale for a sum of values in [0, 10] at ε = 0.5: Δ/ε = 20", laplaceScale(10, 0.5), 20, { abs: 1e-12 });
const sumNoiseRng = new Random(2);
const sumNoise = Array.from({ length: 40000 }, () => laplaceMechanism(0, { sensitivity: 10, epsilon: 0.5 }, sumNoiseRng));
const sumNoiseStd = Math.sqrt(sumNoise.reduce((s, v) => s + v * v, 0) / sumNoise.length);
checkClose("its noise's standard deviation ≈ √2 · 20 = 28.3 (40,000 draws, within 3 %)", sumNoiseStd, Math.SQRT2 * 20, { rel: 0.03 });
tf.dispose([xTest, yTestOneHot]);
cnn.dispose();
robustCnn.dispose();
optimizer.dispose();
