// %% [markdown]
// # 33 · Multi-task learning, multimodal fusion and AutoML
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q16 | What is multi-task learning; what are its advantages? | 什么是多任务学习（Multi-Task Learning）？它有哪些优势？ |
// | S1-Q20 | How do you do multimodal learning? | 如何进行多模态学习（Multimodal Learning）？ |
// | S1-Q21 | What is AutoML? | 什么是自动化机器学习（AutoML）？ |
//
// **The short answer an interviewer wants.** (S0-Q16) Multi-task learning trains one model on several *related*
// tasks at once, usually with **hard parameter sharing**: a shared trunk feeds one head per task, and the loss is
// a **weighted sum** of the heads' losses. Each head's loss reaches its own head and the shared trunk, never another
// head. It helps when the tasks share structure and one task's labels are scarce (the others act as extra
// supervision and a regulariser); it hurts when the tasks are unrelated or conflict (**negative transfer**), and
// the loss weights (or uncertainty weighting, GradNorm) must balance the tasks' scales.
//
// (S1-Q20) Multimodal learning combines inputs of different kinds (image, text, audio). The design question is
// **where the modalities meet**: *early fusion* concatenates the inputs or low-level features and lets one network
// model their interactions; *late fusion* combines per-modality outputs (averaging scores), which cannot model
// interactions; *two-tower / contrastive* models (CLIP) embed each modality separately and compare embeddings, trained
// so that matching pairs are close (**cross-modal alignment**, InfoNCE loss), and cross-attention lets one modality
// query the other.
//
// (S1-Q21) AutoML automates the choice of model, hyper-parameters and architecture. Its core is **hyper-parameter
// search scored by cross-validation**: grid search (wasteful: few distinct values per parameter), random search
// (Bergstra & Bengio: better for the same budget when few parameters matter), Bayesian optimisation (a surrogate
// model of score vs configuration picks the next trial), and early-stopping schedulers (successive halving,
// Hyperband) that stop bad configurations after a small budget; plus **neural architecture search** (NAS) over
// layer choices, and automated feature preprocessing and ensembling (auto-sklearn, AutoGluon).
//
// Data: UCI digits 8×8 (`loadDigits`, 1,797 images) with two related labels (digit, parity), and a synthetic
// two-modality task built from them (an image plus a claimed digit).

// %%
import { tf, setupTf, nextSeed } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadDigits } from "./lib/data";
import { trainTestSplit, take } from "./lib/split";
import { MultiTaskNetwork } from "./lib/nn/multitask";
import { fitMinibatchLoss } from "./lib/nn/minibatch";
import { softmaxCrossEntropy } from "./lib/nn/losses";
import { MLPClassifier, type MLPClassifierParams } from "./lib/ml/mlp";
import { HalvingSearchCV, RandomizedSearchCV, parameterGrid, sampleParameters, type Distribution } from "./lib/ml/model-selection";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object
const digits = loadDigits();
const X = digits.data.map((row) => row.map((v) => v / 16)); // pixels 0–16 → 0–1
const y = digits.target;
const split = trainTestSplit(X.length, { testFraction: 0.2, seed: 0, stratify: y });
const xTest = tf.tensor2d(take(X, split.test));
const digitTest = take(y, split.test);
const parityTest = digitTest.map((d) => d % 2);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
console.log(`${split.train.length} training and ${split.test.length} test digits; backend ${tfSetup.backend}`);

// %% [markdown]
// ## 1. S0-Q16 · Multi-task learning: a shared trunk, one head per task, a weighted loss
//
// **Short answer.** One network learns several related tasks at once: the shared layers learn a representation
// useful to all, each task has its own head, and training minimises L = Σ_t w_t · L_t. By the chain rule,
// ∂L_A/∂θ_B = 0 for head B's weights (head B is not on A's computation path), while every task's loss sends
// gradient into the trunk, weighted by its w_t: ∂L/∂θ_trunk = Σ_t w_t · ∂L_t/∂θ_trunk. The weights are
// hyper-parameters: a task with a larger loss scale dominates the trunk unless they are balanced.
//
// `lib/nn/multitask.ts MultiTaskNetwork` is that model (hand-written tf.Variables: trunk 64 → 32 ReLU, one linear
// head per task). Here the tasks are the digit (10 classes) and its parity (2 classes). Each claim is checked
// against a second computation: the per-head losses in float64 (`lib/nn/losses.ts`), the gradients one head at a
// time, and a perturbation of head B that must leave loss A bit-identical.

// %%
const net = new MultiTaskNetwork({ inputSize: 64, hiddenUnits: 32, heads: { digit: 10, parity: 2 }, seed: 0 });
const batchIds = split.train.slice(0, 64);
const xBatch = tf.tensor2d(take(X, batchIds));
const batchLabels = { digit: take(y, batchIds), parity: take(y, batchIds).map((d) => d % 2) };
const lossWeights = { digit: 0.7, parity: 0.3 };

// Float64 reference: logits from the network, cross-entropy computed independently of tf.losses.
const [digitLogits, parityLogits] = tf.tidy(() => {
  const features = net.features(xBatch);
  return [net.headLogits(features, "digit").arraySync(), net.headLogits(features, "parity").arraySync()];
});
const referenceLoss = { digit: softmaxCrossEntropy(batchLabels.digit, digitLogits), parity: softmaxCrossEntropy(batchLabels.parity, parityLogits) };
const perHead = tf.tidy(() => Object.fromEntries(Object.entries(net.headLosses(xBatch, batchLabels)).map(([name, loss]) => [name, loss.dataSync()[0]!])));
const total = tf.tidy(() => net.weightedLoss(xBatch, batchLabels, lossWeights).dataSync()[0]!);
checkClose("digit head's loss = float64 cross-entropy of its logits", perHead.digit!, referenceLoss.digit, { rel: 1e-5 });
checkClose("parity head's loss = float64 cross-entropy of its logits", perHead.parity!, referenceLoss.parity, { rel: 1e-5 });
checkClose("total loss = 0.7 · L_digit + 0.3 · L_parity, the per-head losses computed separately", total, 0.7 * referenceLoss.digit + 0.3 * referenceLoss.parity, { rel: 1e-5 });

// %% [markdown]
// Now the gradients. `tf.variableGrads(f)` differentiates f with respect to every trainable variable; a variable f
// does not depend on gets no gradient at all (TensorFlow.js prunes it from the tape), which is the exact zero. The
// independent check is a perturbation: replace head B's weights by random ones and loss A does not move by a single
// bit.

// %%
const gradientsOf = (loss: () => tf.Scalar) => {
  const { value, grads } = tf.variableGrads(loss, net.variables);
  const arrays = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, g.dataSync().slice() as Float32Array]));
  tf.dispose([value, ...Object.values(grads)]);
  return arrays;
};
const lossOf = (name: "digit" | "parity") => () => net.headLosses(xBatch, batchLabels, [name])[name]!;
const digitGrads = gradientsOf(lossOf("digit"));
const parityGrads = gradientsOf(lossOf("parity"));
const totalGrads = gradientsOf(() => net.weightedLoss(xBatch, batchLabels, lossWeights));
const [trunkKernel] = net.trunkVariables().map((v) => v.name);
const [parityKernel, parityBias] = net.headVariables("parity").map((v) => v.name);
const [digitKernel] = net.headVariables("digit").map((v) => v.name);
const norm = (g: Float32Array | undefined) => (g ? Math.hypot(...g) : 0);
check("the digit loss gives no gradient to the parity head's weights (kernel and bias)", !(parityKernel! in digitGrads) && !(parityBias! in digitGrads));
check("the parity loss gives no gradient to the digit head's weights", !(digitKernel! in parityGrads));
check("both losses send a non-zero gradient into the shared trunk", norm(digitGrads[trunkKernel!]) > 1e-4 && norm(parityGrads[trunkKernel!]) > 1e-4,
  { digit: norm(digitGrads[trunkKernel!]), parity: norm(parityGrads[trunkKernel!]) });

const before = tf.tidy(() => lossOf("digit")().dataSync()[0]!);
const savedParity = net.headVariables("parity").map((v) => v.clone());
const perturbRng = new Random(1);
net.headVariables("parity").forEach((v) => tf.tidy(() => v.assign(tf.tensor(perturbRng.array(v.size, (r) => r.normal(0, 5)), v.shape))));
const after = tf.tidy(() => lossOf("digit")().dataSync()[0]!);
net.headVariables("parity").forEach((v, i) => v.assign(savedParity[i]!));
tf.dispose(savedParity);
check("perturbation: random parity-head weights leave the digit loss bit-identical (the exact zero, without autodiff)", after === before, { before: before, after: after });
checkAllClose("loss weighting: ∂L/∂trunk = 0.7 · ∂L_digit/∂trunk + 0.3 · ∂L_parity/∂trunk",
  totalGrads[trunkKernel!]!, digitGrads[trunkKernel!]!.map((g, i) => 0.7 * g + 0.3 * parityGrads[trunkKernel!]![i]!), { abs: 1e-7, rel: 1e-5 });
checkAllClose("and each head gets only its own loss, scaled by its weight: ∂L/∂parity head = 0.3 · ∂L_parity/∂parity head",
  totalGrads[parityKernel!]!, parityGrads[parityKernel!]!.map((g) => 0.3 * g), { abs: 1e-8, rel: 1e-5 });
console.log(`trunk gradient norms: digit ${norm(digitGrads[trunkKernel!]).toFixed(4)}, parity ${norm(parityGrads[trunkKernel!]).toFixed(4)}: the 10-class loss pulls harder, which is what the weights are for`);
tf.dispose(xBatch);
net.dispose();

// %% [markdown]
// ## 2. Does sharing help? Multi-task vs single-task on 100 training digits
//
// The same trunk and training recipe (32 hidden units, Adam 0.01, batch 20, 60 epochs) three ways: **parity only**;
// **digit + parity** (related: parity is a function of the digit); and **parity + an unrelated task**, labels drawn at
// random for each image (weight 5): it has nothing to share and competes for the trunk, the situation of S0-Q16's
// "image classification plus speech recognition" example. Five training subsets (seeds 0–4), test on the 359 held-out
// digits.

// %%
const MTL_SEEDS = [0, 1, 2, 3, 4];
const mtlRuns = MTL_SEEDS.map((seed) => {
  const ids = new Random(100 + seed).shuffle([...split.train]).slice(0, 100);
  const x = tf.tensor2d(take(X, ids));
  const noiseRng = new Random(200 + seed);
  const labels = { digit: take(y, ids), parity: take(y, ids).map((d) => d % 2), unrelated: ids.map(() => noiseRng.int(0, 10)) };
  const tensorsBefore = tf.memory().numTensors;
  const train = (heads: Record<string, number>, weights: Record<string, number>) => {
    const model = new MultiTaskNetwork({ inputSize: 64, hiddenUnits: 32, heads, seed });
    model.fit(x, labels, { weights, epochs: 60, batchSize: 20, learningRate: 0.01, seed });
    const result = { parity: model.accuracy(xTest, parityTest, "parity"), digit: "digit" in heads ? model.accuracy(xTest, digitTest, "digit") : NaN };
    model.dispose();
    return result;
  };
  const single = train({ parity: 2 }, { parity: 1 });
  const related = train({ digit: 10, parity: 2 }, { digit: 1, parity: 1 });
  const unrelated = train({ parity: 2, unrelated: 10 }, { parity: 1, unrelated: 5 });
  const leaked = tf.memory().numTensors - tensorsBefore;
  x.dispose();
  return { seed, single: single.parity, related: related.parity, relatedDigit: related.digit, unrelated: unrelated.parity, leaked };
});
check("no tensors leak across the 15 trainings", mtlRuns.every((r) => r.leaked === 0));
const mtlMeans = { single: mean(mtlRuns.map((r) => r.single)), related: mean(mtlRuns.map((r) => r.related)), unrelated: mean(mtlRuns.map((r) => r.unrelated)) };
showTable([...mtlRuns.map((r) => ({ seed: String(r.seed), "parity only": r.single, "digit + parity": r.related, "parity + unrelated": r.unrelated, "(digit head)": r.relatedDigit })),
  { seed: "mean", "parity only": mtlMeans.single, "digit + parity": mtlMeans.related, "parity + unrelated": mtlMeans.unrelated, "(digit head)": mean(mtlRuns.map((r) => r.relatedDigit)) }],
  { caption: `Parity test accuracy (${split.test.length} digits), 100 training digits`, digits: 4 });
check("a related task costs at most 2 points of parity accuracy (mean of 5 seeds; calibrated below)", mtlMeans.related >= mtlMeans.single - 0.02, mtlMeans);
check("negative transfer: an unrelated task lowers parity accuracy by more than 1 point (mean of 5 seeds)", mtlMeans.unrelated < mtlMeans.single - 0.01, mtlMeans);

// %% [markdown]
// **Calibration, and what it shows.** Over 8 seeds (0–7) at 100 training digits, parity only reached 0.916 on
// average, digit + parity 0.905 (−1.1 points), parity + unrelated 0.882 (−3.3 points, lower on all 8 seeds). At 50
// and 200 training digits (6 seeds each) digit + parity was +0.4 points against parity only, and the unrelated task
// cost 0.9–1.4 points at weight 1. So the catalog's hoped-for "the shared trunk ≥ the parity-only model − 1 point"
// did **not** hold at 100 digits (−1.1 over 8 seeds, −1.3 over the 5 above); the check asserts the calibrated −2 points,
// and the honest summary is: **the related task brought no measurable gain here**, while the unrelated one
// clearly hurt. Why no gain: parity is easy to learn from 100 labels of this data, and the 10-class loss, the larger
// one, pulls the shared 32 units towards what the digit head needs (the gradient norms above). Multi-task learning
// pays when the auxiliary task carries information the main task's labels lack, typically when the auxiliary labels
// are plentiful and the main ones scarce (an auxiliary depth or segmentation task for a small detection set), and
// when the losses are balanced (uncertainty weighting, GradNorm) rather than summed blindly.
//
// ## 3. S1-Q20 · Multimodal learning: where the modalities meet
//
// **Short answer.** Encode each modality with a network suited to it (CNN or ViT for images, a Transformer for text,
// spectrogram CNN for audio), then **fuse**: early fusion (concatenate inputs or features, one network on top),
// late fusion (combine per-modality predictions), or two-tower models whose embeddings are aligned in a shared space
// (CLIP, trained contrastively), and cross-attention when one modality must query another (VQA, captioning).
// Missing modalities, different sampling rates and alignment in time are the practical problems.
//
// **A task no single modality can solve.** Each example is a digit image and a claimed digit k ("this is a 7"); the
// label is 1 when the image shows k. Every image appears twice, once with its true digit and once with a random other
// digit, so for **every image the label is 1 half of the time**: no function of the image alone can beat 0.5, and on
// this test set any image-only model scores **exactly** 0.5 (each image is once right, once wrong). The claimed digit
// alone is almost as uninformative: P(label = 1 | k) = P(k) / (P(k) + (1 − P(k))/9), which is 0.5 when the digit
// classes are balanced (on UCI digits, P(k) = 0.097–0.102, so 0.491–0.505). Both facts are checked on the data.

// %%
interface ClaimPair { image: number; claim: number; label: number }
const claimPairs = (ids: number[], rng: Random): ClaimPair[] => ids.flatMap((image) => {
  const digit = y[image]!;
  const wrong = (digit + 1 + rng.int(0, 9)) % 10; // uniform over the nine other digits
  return [{ image, claim: digit, label: 1 }, { image, claim: wrong, label: 0 }];
});
const pairRng = new Random(0);
const trainPairs = claimPairs(split.train, pairRng);
const testPairs = claimPairs(split.test, pairRng);
/** The fraction of positive labels for each value of key(pair). */
const labelRate = (pairs: ClaimPair[], key: (p: ClaimPair) => number) => {
  const groups = new Map<number, number[]>();
  pairs.forEach((p) => groups.set(key(p), [...(groups.get(key(p)) ?? []), p.label]));
  return new Map([...groups].map(([value, labels]) => [value, mean(labels)]));
};
const perImage = [...labelRate(trainPairs, (p) => p.image).values()];
const claimRate = labelRate(trainPairs, (p) => p.claim);
const perClaim = [...claimRate.values()];
check(`independence from the image: the label rate is exactly 0.5 for every one of the ${split.train.length} training images`, perImage.length === split.train.length && perImage.every((r) => r === 0.5));
// A claimed digit k appears n_k times; if the label were a fair coin given k, its rate would be within 3 standard errors (3 · 0.5/√n_k).
const claimCounts = new Map<number, number>();
trainPairs.forEach((p) => claimCounts.set(p.claim, (claimCounts.get(p.claim) ?? 0) + 1));
check("near-independence from the claim: every claimed digit's label rate is within 3 standard errors of 0.5",
  [...claimRate].every(([k, rate]) => Math.abs(rate - 0.5) <= 1.5 / Math.sqrt(claimCounts.get(k)!)), { rates: perClaim.map((r) => r.toFixed(3)).join(" ") });
// The best claim-only classifier: the majority label of each claimed digit in training (Bayes for one categorical input).
const claimOnlyAccuracy = mean(testPairs.map((p) => ((claimRate.get(p.claim)! >= 0.5 ? 1 : 0) === p.label ? 1 : 0)));

// %% [markdown]
// Four models on the same pairs, each with one 64-unit ReLU hidden layer (the claim enters as a one-hot vector),
// trained with the same loop (Adam 0.01, batch 64, 10 epochs, binary cross-entropy on one logit):
//
// * **image only**: the claim is ignored;
// * **early fusion**: concat(image, one-hot claim) → dense 64 ReLU → logit; the hidden layer sees both and can
//   model "looks like a 7 *and* claims 7";
// * **late fusion (additive)**: logit = f(image) + g(claim), each modality scored alone and the scores summed: it
//   **cannot** solve the task. For two digits a ≠ b, the positives need f(a) + g(a) > t and f(b) + g(b) > t, the
//   negatives f(a) + g(b) < t and f(b) + g(a) < t; the first two sum to more than 2t, the last two to less, yet they
//   are the same four numbers;
// * **two-tower (CLIP-style)**: an image embedding and a claim embedding in ℝ¹⁶, logit = their dot product:
//   cross-modal alignment, the image of a 7 is pulled towards the embedding of "7".

// %%
const pairTensors = (pairs: ClaimPair[]) => tf.tidy(() => ({
  image: tf.tensor2d(pairs.map((p) => X[p.image]!)),
  claim: tf.oneHot(tf.tensor1d(pairs.map((p) => p.claim), "int32"), 10).toFloat() as tf.Tensor2D,
  label: tf.tensor2d(pairs.map((p) => [p.label])),
}));
const trainSet = pairTensors(trainPairs);
const testSet = pairTensors(testPairs);
const dense = (units: number, activation?: "relu") => tf.layers.dense({ units, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }) });
const apply = (layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[]) => layer.apply(input) as tf.SymbolicTensor;
const fusionModels: Record<string, () => tf.LayersModel> = {
  "image only": () => {
    const image = tf.input({ shape: [64] }), claim = tf.input({ shape: [10] });
    return tf.model({ inputs: [image, claim], outputs: apply(dense(1), apply(dense(64, "relu"), image)) });
  },
  "early fusion": () => {
    const image = tf.input({ shape: [64] }), claim = tf.input({ shape: [10] });
    return tf.model({ inputs: [image, claim], outputs: apply(dense(1), apply(dense(64, "relu"), apply(tf.layers.concatenate(), [image, claim]))) });
  },
  "late fusion (additive)": () => {
    const image = tf.input({ shape: [64] }), claim = tf.input({ shape: [10] });
    const imageScore = apply(dense(1), apply(dense(64, "relu"), image));
    return tf.model({ inputs: [image, claim], outputs: apply(tf.layers.add(), [imageScore, apply(dense(1), claim)]) });
  },
  "two-tower (dot product)": () => {
    const image = tf.input({ shape: [64] }), claim = tf.input({ shape: [10] });
    const imageEmbedding = apply(dense(16), apply(dense(64, "relu"), image));
    return tf.model({ inputs: [image, claim], outputs: apply(tf.layers.dot({ axes: 1 }), [imageEmbedding, apply(dense(16), claim)]) });
  },
};
const fusionAccuracy: Record<string, number> = {};
fusionAccuracy["claim only (Bayes)"] = claimOnlyAccuracy;
const fusionTensorsBefore = tf.memory().numTensors;
for (const [name, build] of Object.entries(fusionModels)) {
  const model = build();
  fitMinibatchLoss((rows) => {
    const index = tf.tensor1d(rows, "int32");
    const logits = model.apply([tf.gather(trainSet.image, index), tf.gather(trainSet.claim, index)]) as tf.Tensor;
    return tf.losses.sigmoidCrossEntropy(tf.gather(trainSet.label, index), logits) as tf.Scalar;
  }, { examples: trainPairs.length, epochs: 10, batchSize: 64, learningRate: 0.01, seed: 0 });
  fusionAccuracy[name] = tf.tidy(() => (model.apply([testSet.image, testSet.claim]) as tf.Tensor).greater(0).toFloat().equal(testSet.label).mean().dataSync()[0]!);
  model.dispose();
}
check("no tensors leak across the four trainings", tf.memory().numTensors === fusionTensorsBefore, { before: fusionTensorsBefore, after: tf.memory().numTensors });
showTable(Object.entries(fusionAccuracy).map(([model, accuracy]) => ({ model, "test accuracy": accuracy })), { caption: `Held-out accuracy on ${testPairs.length} image–claim pairs`, digits: 4 });
check("the image-only model scores exactly 0.5: every test image is once right, once wrong", fusionAccuracy["image only"] === 0.5);
check("the claim-only Bayes classifier stays ≤ 0.6", claimOnlyAccuracy <= 0.6, { claimOnlyAccuracy: claimOnlyAccuracy });
check("early fusion reaches ≥ 0.9", fusionAccuracy["early fusion"]! >= 0.9, fusionAccuracy);
check("two-tower (aligned embeddings) reaches ≥ 0.9", fusionAccuracy["two-tower (dot product)"]! >= 0.9, fusionAccuracy);
check("additive late fusion, which cannot model the interaction, stays ≤ 0.6", fusionAccuracy["late fusion (additive)"]! <= 0.6, fusionAccuracy);
await showFigure({
  data: [{
    type: "bar", x: Object.keys(fusionAccuracy), y: Object.values(fusionAccuracy),
    text: Object.values(fusionAccuracy).map((a) => a.toFixed(3)), textposition: "outside",
    marker: { color: Object.keys(fusionAccuracy).map((name) => (/fusion|tower/.test(name) && !/additive/.test(name) ? "#2a9d8f" : "#b0b0b0")) },
  }],
  layout: {
    title: { text: "Image + claimed digit: single modalities vs fusion (held-out pairs)" },
    xaxis: { title: { text: "model" } }, yaxis: { title: { text: "test accuracy" }, range: [0, 1.1] },
    shapes: [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: 0.5, y1: 0.5, line: { dash: "dot", color: "#555" } }],
  },
}, { width: 760, height: 420 });

// %% [markdown]
// **Calibration.** Here early fusion reached 0.960 and two-tower 0.975. With three other draws of the initial weights
// (a separate script, same recipe, pair and batch-order seeds 0–2), early fusion reached 0.969–0.986, two-tower 0.972–0.982,
// additive late fusion 0.486–0.514 and image only exactly 0.500 every time: the margins to the thresholds 0.9 and 0.6
// are large, and the single-modality bounds are proofs, not measurements.
//
// ### Contrastive alignment: the CLIP loss (InfoNCE)
//
// CLIP trains two towers on N matching (image, text) pairs per batch: with L2-normalised embeddings u_i, v_j and a
// temperature τ, the similarity matrix S_ij = u_i·v_j / τ is scored as N-way classification in both directions,
// L = ½ [CE(rows of S, diagonal) + CE(columns of S, diagonal)]: each image must pick its own caption among the N in
// the batch, and vice versa. The other pairs of the batch are the negatives, so larger batches give more negatives.
// Two closed forms check an implementation: if every similarity is equal, L = log N; and a 2 × 2 case by hand.

// %%
/** Symmetric InfoNCE of matching rows of a [N, d] and b [N, d] (rows L2-normalised here), temperature tau. */
const infoNce = (a: tf.Tensor2D, b: tf.Tensor2D, tau: number) => tf.tidy(() => {
  const logits = tf.matMul(tf.div(a, a.norm("euclidean", 1, true)), tf.div(b, b.norm("euclidean", 1, true)), false, true).div(tau);
  const diagonal = tf.oneHot(tf.range(0, a.shape[0], 1, "int32"), a.shape[0]);
  return tf.losses.softmaxCrossEntropy(diagonal, logits).add(tf.losses.softmaxCrossEntropy(diagonal, logits.transpose())).div(2).dataSync()[0]!;
});
const allEqual = tf.tidy(() => infoNce(tf.ones([4, 3]), tf.ones([4, 3]), 0.1));
checkClose("all similarities equal: InfoNCE = log N (N = 4)", allEqual, Math.log(4), { rel: 1e-5 });
// 2 × 2 by hand: u = (1, 0), (0, 1); v = (1, 0), (0.6, 0.8); S = [[1, 0.6], [0, 0.8]] / τ.
const tau = 0.5;
const S = [[1, 0.6], [0, 0.8]].map((row) => row.map((s) => s / tau));
const rowLoss = (row: number[], i: number) => -row[i]! + Math.log(row.reduce((acc, s) => acc + Math.exp(s), 0));
const byHand = (rowLoss(S[0]!, 0) + rowLoss(S[1]!, 1) + rowLoss([S[0]![0]!, S[1]![0]!], 0) + rowLoss([S[0]![1]!, S[1]![1]!], 1)) / 4;
const computed = tf.tidy(() => infoNce(tf.tensor2d([[1, 0], [0, 1]]), tf.tensor2d([[1, 0], [0.6, 0.8]]), tau));
checkClose("2 × 2 InfoNCE equals the hand computation (rows and columns, τ = 0.5)", computed, byHand, { rel: 1e-5 });
console.log(`InfoNCE: ${computed.toFixed(4)}; perfectly aligned orthogonal pairs at τ = 0.05 give ${tf.tidy(() => infoNce(tf.eye(4) as tf.Tensor2D, tf.eye(4) as tf.Tensor2D, 0.05)).toExponential(2)} (→ 0 as τ → 0)`);
tf.dispose([trainSet.image, trainSet.claim, trainSet.label, testSet.image, testSet.claim, testSet.label]);

// %% [markdown]
// ## 4. S1-Q21 · AutoML: hyper-parameter search with cross-validation, and successive halving
//
// **Short answer.** Define a search space, a budget and a validation protocol (k-fold CV, never the test set), then
// let a search strategy propose configurations: **grid** (every combination: with 9 trials over 2 parameters only 3
// distinct values of each are tried), **random** (9 trials try 9 distinct values of each: better when only some
// parameters matter), **Bayesian optimisation** (fit a surrogate, a Gaussian process or TPE, to the scores so far and
// try the configuration with the best expected improvement: fewer trials when each is expensive), and
// **multi-fidelity** schedulers (successive halving, Hyperband, ASHA) that train many configurations briefly and only
// the promising ones long. **NAS** searches architectures (cells, depths, widths) with reinforcement learning,
// evolution or differentiable relaxations (DARTS), often with weight sharing to cut the cost. Refit the best
// configuration on all training data and report its score on the untouched test set.
//
// The grid-vs-random point, counted:

// %%
const grid = parameterGrid({ learningRate: [1e-3, 1e-2, 1e-1], alpha: [1e-4, 1e-2, 1] });
const random = sampleParameters({ learningRate: { kind: "loguniform", low: 1e-3, high: 1e-1 }, alpha: { kind: "loguniform", low: 1e-4, high: 1 } }, 9, 0);
const distinct = (configs: Record<string, unknown>[], key: string) => new Set(configs.map((c) => c[key])).size;
check("9 trials: a 3 × 3 grid tries 3 learning rates, random search 9", grid.length === 9 && distinct(grid, "learningRate") === 3 && distinct(random, "learningRate") === 9);

// %% [markdown]
// **The search.** `lib/ml/model-selection.ts` has scikit-learn's shape: `RandomizedSearchCV` samples `nIter`
// configurations, scores each by stratified 3-fold CV (per-fold scores in `cvResults_`) and returns the best;
// `HalvingSearchCV` races configurations with successive halving, its resource being the epochs. The model is
// `lib/ml/mlp.ts MLPClassifier`, a one-hidden-layer MLP in float64 (Adam, seeded), fast enough for the 81 fits (2,187 epochs) a
// full search makes. The space: learning rate log-uniform in [10⁻⁴, 0.3], L2 strength α log-uniform in [10⁻⁵, 10],
// hidden units in {4, 8, 16, 32}; 27 configurations at 27 epochs each, on 600 training digits.

// %%
const searchIds = split.train.slice(0, 600);
const xSearch = take(X, searchIds);
const ySearch = take(y, searchIds);
const HIDDEN_UNITS = [4, 8, 16, 32];
const space: Record<string, Distribution> = {
  learningRate: { kind: "loguniform", low: 1e-4, high: 0.3 },
  alpha: { kind: "loguniform", low: 1e-5, high: 10 },
  hiddenUnits: { kind: "choice", values: HIDDEN_UNITS },
};
const MAX_EPOCHS = 27;
// Counted from the fitted models themselves, independently of the searches' own bookkeeping (an object, so that
// later cells can reset it: tslab does not carry a reassigned top-level `let` into earlier cells' closures).
const epochCounter = { trained: 0 };
class CountingMlp extends MLPClassifier {
  override fit(Xf: number[][], yf: number[]): this {
    super.fit(Xf, yf);
    epochCounter.trained += this.lossCurve_!.length;
    return this;
  }
}
const mlp = (params: Record<string, unknown>) => new CountingMlp({ ...(params as MLPClassifierParams), seed: 0 });
const randomSearch = (seed: number, nIter: number, epochs: number) =>
  new RandomizedSearchCV({ estimator: (p) => mlp({ ...p, epochs }), paramDistributions: space, nIter, cv: 3, seed, refit: false }).fit(xSearch, ySearch);

const small = [randomSearch(7, 4, 3), randomSearch(7, 4, 3), randomSearch(8, 4, 3)];
const fingerprint = (s: RandomizedSearchCV) => JSON.stringify(s.cvResults_!.map((r) => [r.params, r.foldScores]));
check("reproducible: two random searches with seed 7 give the same configurations and per-fold scores", fingerprint(small[0]!) === fingerprint(small[1]!));
check("and seed 8 gives different configurations", JSON.stringify(small[2]!.cvResults_!.map((r) => r.params)) !== JSON.stringify(small[0]!.cvResults_!.map((r) => r.params)));

epochCounter.trained = 0;
const full = randomSearch(0, 27, MAX_EPOCHS);
const fullEpochs = epochCounter.trained;
const defaultScore = mean(new RandomizedSearchCV({ estimator: () => mlp({ epochs: MAX_EPOCHS }), paramDistributions: { none: { kind: "choice", values: [0] } }, nIter: 1, cv: full.folds_!, refit: false }).fit(xSearch, ySearch).cvResults_![0]!.foldScores);
showTable(full.cvResults_!.map((r, i) => ({ i, ...r.params, "CV accuracy": r.meanScore, folds: r.foldScores.map((s) => s.toFixed(3)).join(" ") }))
  .sort((a, b) => b["CV accuracy"] - a["CV accuracy"]).slice(0, 6), { caption: "Random search: the 6 best of 27 configurations (3-fold CV, 27 epochs)", digits: 4 });
console.log(`best: ${JSON.stringify(full.bestParams_)} CV ${full.bestScore_!.toFixed(4)}; MLPClassifier's defaults (hidden 32, α 1e-4, learning rate 1e-3) CV ${defaultScore.toFixed(4)}`);
check("the best configuration's CV score ≥ the default configuration's (same folds, same epochs)", full.bestScore_! >= defaultScore, { best: full.bestScore_, default: defaultScore });
checkClose("the full search trained 27 configurations × 3 folds × 27 epochs = 2,187 epochs (counted from the models)", fullEpochs, 27 * 3 * MAX_EPOCHS, { abs: 0 });
await showFigure({
  data: HIDDEN_UNITS.map((units) => {
    const rows = full.cvResults_!.filter((r) => r.params.hiddenUnits === units);
    return { type: "scatter", mode: "markers", name: `${units} hidden units`, x: rows.map((r) => r.params.learningRate as number), y: rows.map((r) => r.meanScore), marker: { size: 9 } };
  }),
  layout: {
    title: { text: "Random search: learning rate vs 3-fold CV accuracy (27 configurations)" },
    xaxis: { title: { text: "Adam learning rate (log scale)" }, type: "log" }, yaxis: { title: { text: "mean CV accuracy" } },
  },
}, { width: 760, height: 420 });

// %% [markdown]
// The learning rate dominates (too small: 27 epochs are not enough; too large: the steps overshoot), and the best
// configurations all have 16 or 32 hidden units: when a few parameters matter and others hardly do, random search
// tries many more values of the ones that matter than a grid of the same size.
//
// **Successive halving** on the same 27 configurations: all get 1 epoch, the best third 3 epochs, then 9, then the
// last one 27 (η = 3). Each rung retrains from scratch, as scikit-learn's `HalvingRandomSearchCV` does, and every
// model is seeded the same way, so a configuration trained for 27 epochs gets exactly the score it got in the full
// search.

// %%
epochCounter.trained = 0;
const halving = new HalvingSearchCV({ estimator: mlp, candidates: sampleParameters(space, 27, 0), resource: "epochs", minResource: 1, maxResource: MAX_EPOCHS, factor: 3, cv: 3, seed: 0 }).fit(xSearch, ySearch);
const halvingEpochs = epochCounter.trained;
showTable(halving.rungs_!.map((r) => ({ rung: r.iteration, "epochs per fit": r.resource, candidates: r.candidates.length, "fits (× 3 folds)": 3 * r.candidates.length, "epochs in rung": 3 * r.candidates.length * r.resource, "best CV": Math.max(...r.results.map((x) => x.meanScore)) })), { caption: "Successive halving, η = 3", digits: 4 });
const expectedEpochs = 3 * (27 * 1 + 9 * 3 + 3 * 9 + 1 * 27);
check("the candidates of successive halving are the random search's (same seed)", JSON.stringify(sampleParameters(space, 27, 0)) === JSON.stringify(full.cvResults_!.map((r) => r.params)));
check("budget: 3 folds × (27·1 + 9·3 + 3·9 + 1·27) = 324 epochs, counted from the models and by the search", halvingEpochs === expectedEpochs && halving.totalResource_ === expectedEpochs, { counted: halvingEpochs, search: halving.totalResource_ });
check("successive halving used ≤ 40 % of the full search's epochs (324 / 2,187 = 14.8 %)", halvingEpochs <= 0.4 * fullEpochs, { ratio: halvingEpochs / fullEpochs });
check("its winner's CV score is within 1 point of the full search's best", halving.bestScore_! >= full.bestScore_! - 0.01, { halving: halving.bestScore_, full: full.bestScore_ });
check("its winner trained for 27 epochs scores exactly what the full search measured for that configuration", halving.bestScore_ === full.cvResults_![halving.bestIndex_!]!.meanScore);
const finalModel = new MLPClassifier({ ...halving.bestParams_!, seed: 0 }).fit(xSearch, ySearch);
console.log(`halving's winner ${JSON.stringify(halving.bestParams_)}; refit on the 600 digits, held-out test accuracy ${finalModel.score(take(X, split.test), digitTest).toFixed(4)}`);
await showFigure({
  data: [
    ...halving.rungs_!.flatMap((rung, r) => rung.candidates.map((candidate, i) => {
      const next = halving.rungs_![r + 1];
      const j = next ? next.candidates.indexOf(candidate) : -1;
      return j < 0 ? [] : [{ type: "scatter" as const, mode: "lines" as const, showlegend: false, hoverinfo: "skip" as const, line: { color: "#9ab", width: 1 }, x: [rung.resource, next!.resource], y: [rung.results[i]!.meanScore, next!.results[j]!.meanScore] }];
    }).flat()),
    ...halving.rungs_!.map((rung) => ({ type: "scatter" as const, mode: "markers" as const, name: `rung ${rung.iteration}: ${rung.candidates.length} × ${rung.resource} epoch${rung.resource > 1 ? "s" : ""}`, x: rung.candidates.map(() => rung.resource), y: rung.results.map((x) => x.meanScore), marker: { size: 8 } })),
  ],
  layout: {
    title: { text: "Successive halving bracket: CV accuracy per candidate, lines follow the promoted ones" },
    xaxis: { title: { text: "epochs per fit (log scale)" }, type: "log", tickvals: [1, 3, 9, 27] }, yaxis: { title: { text: "mean 3-fold CV accuracy" } },
  },
}, { width: 760, height: 440 });

// %% [markdown]
// **Calibration.** With search seeds 0–9 (a separate script, same space and data, each seed also seeding the models;
// seed 0 is the run above), successive halving's winner was within 0.33 points of the full search's best every time
// (the same score on 8 of 10, the same configuration on 6: on the others a different configuration with the same or a
// close score), always with 14.8 % of the epochs; the best configuration beat the defaults by 2.5–5.5 points (defaults
// 0.903–0.925). Halving's risk is the first rung: a
// configuration that learns slowly (a small learning rate) looks bad after 1 epoch and is dropped even if it would
// win at 27. Hyperband hedges by running several brackets with different starting budgets.
//
// ## 5. Spot the bug in the seed answers (S0-Q16, S1-Q20)
//
// > **S0-Q16** 多任务学习具有以下优势：共享特征表示…；提高泛化能力…；降低过拟合风险…
// > **举例：** 在图像识别和语音识别任务中，可以使用多任务学习来同时学习图像分类和语音识别。
//
// > **S1-Q20** 多模态学习…：特征融合（Feature Fusion）…；注意力机制（Attention Mechanism）…；**循环神经网络（RNN）：处理序列数据。**
//
// The exercises below ask what is wrong with each; the solutions answer with the measurements of sections 2 and 3.
//
// ## Recap
//
// * Multi-task learning: shared trunk, one head per task, L = Σ w_t L_t. Head A's loss has exactly zero gradient on
//   head B; every loss reaches the trunk, scaled by its weight.
// * Sharing is not free: digit + parity gave no gain over parity alone on 100 digits, and an unrelated task cost 3
//   points (negative transfer).
// * Multimodal: a label that depends on the *pair* is invisible to each modality alone (exactly 0.5 here). Early
//   fusion and aligned two-tower embeddings solve it (0.960 and 0.975); additive late fusion provably cannot.
// * CLIP's InfoNCE is N-way classification of the matching pair in both directions; equal similarities give log N.
// * AutoML = search space + validation protocol + search strategy. Random search with k-fold CV, seeded, beats the
//   defaults; successive halving found the same quality with 15 % of the epochs.
//
// ## Exercises
//
// 1. **Spot the bug (S0-Q16).** What is wrong with the seed's example, and what does its list of advantages leave out?
// 2. **Spot the bug (S1-Q20).** Is an RNN a multimodal learning method? What should the answer have listed?
// 3. **Successive halving's arithmetic.** With n configurations, factor η and a maximum budget R = η^s (n = η^s), how
//    many epochs does successive halving use per fold, compared with n·R for the full search? Check it for n = 81,
//    η = 3 with `HalvingSearchCV.schedule()`.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** Image classification and speech recognition are different modalities with no shared input and nothing
// for a shared trunk to share; the example is two unrelated models glued together, the setting where multi-task
// learning gives **negative transfer**. Multi-task learning needs related tasks on the same input (detection +
// segmentation of the same images, intent + slot filling of the same sentence). The list also omits the loss
// weighting (a task with a larger loss dominates the trunk) and that the gains are not guaranteed. Measured in
// section 2: the unrelated task lowered parity accuracy on every seed.

// %% tags=["solution"]
check("the unrelated task lowered parity accuracy on at least 4 of the 5 seeds (negative transfer)", mtlRuns.filter((r) => r.unrelated < r.single).length >= 4,
  { lower: mtlRuns.filter((r) => r.unrelated < r.single).length });

// %% [markdown] tags=["solution"]
// **2.** No: an RNN is an encoder for **one** sequential modality (text, audio frames); it says nothing about how
// modalities are combined. The answer should name the fusion strategies (early, late, intermediate / cross-attention),
// cross-modal alignment with contrastive training (CLIP's InfoNCE), and the practical issues (missing modalities,
// alignment in time). Section 3 shows why *where* the modalities meet matters: the same encoders give 0.5 with
// additive late fusion and ≥ 0.9 when the representation sees both.

// %% tags=["solution"]
check("the fusion choice, not the encoder, decides: early fusion beats additive late fusion by ≥ 30 points", fusionAccuracy["early fusion"]! - fusionAccuracy["late fusion (additive)"]! >= 0.3, fusionAccuracy);

// %% [markdown] tags=["solution"]
// **3.** Rung i trains n/η^i configurations for η^i epochs: n epochs per rung, s + 1 rungs, so n·(s + 1) = n·(1 +
// log_η n) epochs per fold against n·R = n² for the full search. For n = 81, η = 3: 81 · 5 = 405 against 6,561 (6 %).

// %% tags=["solution"]
const schedule81 = new HalvingSearchCV({ estimator: mlp, candidates: sampleParameters(space, 81, 1), resource: "epochs", minResource: 1, maxResource: 81, factor: 3 }).schedule();
check("n = 81, η = 3: five rungs of 81 epochs each, 405 per fold", schedule81.length === 5 && schedule81.reduce((s, r) => s + r.candidates * r.resource, 0) === 405,
  { rungs: schedule81.map((r) => `${r.candidates}×${r.resource}`).join(", ") });
xTest.dispose();
