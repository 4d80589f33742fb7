// %% [markdown]
// # 32 · Model compression and efficiency: quantisation, pruning, distillation, counting, parallelism
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q17 | What is model compression; which methods exist? | 什么是模型压缩（Model Compression）？它有哪些方法？ |
// | S1-Q19 | How do you implement model compression? | 如何实现模型压缩（Model Compression）？ |
// | S4-Q3 | How do you improve the computational efficiency of large models? | 如何优化大模型的计算效率？ |
//
// **The short answer an interviewer wants.** (S0-Q17, S1-Q19) Model compression makes a trained network
// smaller, faster or cheaper to run while keeping its accuracy. The four standard families: **quantisation**
// (store and compute with 8-bit or 4-bit integers instead of 32-bit floats: 4× smaller at int8, post-training
// or quantisation-aware), **pruning** (set the least important weights to zero: unstructured by magnitude, or
// structured, whole channels or heads, which is what actually speeds up dense hardware), **knowledge
// distillation** (train a small student to match a large teacher's softened probabilities) and **low-rank
// factorisation** (replace a matrix W by U·V of small rank; LoRA uses the same idea for fine-tuning), plus
// efficient architectures (depthwise-separable convolutions, MobileNet). You implement them by measuring first
// (parameters, FLOPs, latency, accuracy), applying one method, and measuring again on held-out data.
//
// (S4-Q3) For large models: mixed precision (float16/bfloat16 compute with float32 master weights and loss
// scaling), quantised inference (int8/int4 weights), a KV cache for generation, efficient attention
// (FlashAttention: the same result with less memory traffic), distillation into a smaller model, and parallelism
// across devices (data, tensor, pipeline, ZeRO), which shortens **wall-clock time** and fits models that do not
// fit one device, but **does not reduce the total compute**.
//
// Everything below runs on notebook 14's family of digit CNNs: the pretrained `digits-0-4-cnn` (MNIST digits 0–4,
// `lib/nn/pretrained.ts`) is the model we compress and the teacher we distil.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadMnist } from "./lib/data";
import { MNIST_SPLIT } from "./lib/nn/models";
import { imageBatch, range } from "./lib/nn/vision";
import { loadPretrained, preprocessInput } from "./lib/nn/pretrained";
import { modelCost } from "./lib/nn/cost";
import { quantizeModelWeights } from "./lib/nn/quantize";
import { pruneModelWeights } from "./lib/nn/pruning";
import { distillationLoss } from "./lib/nn/distillation";
import { softmax, softmaxCrossEntropy } from "./lib/nn/losses";
import { FLOAT16_MAX, FLOAT16_MIN_NORMAL, FLOAT16_MIN_SUBNORMAL, roundToFloat16 } from "./lib/nn/precision";
import { zeroMemoryBytes } from "./lib/nn/parallelism";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { lineFigure } from "./lib/display/figures";

const tfSetup = await setupTf({ seed: 0 }); // assigned, so that tslab does not print the returned object
const mnist = loadMnist();
const { model: teacher, recipe } = await loadPretrained("digits-0-4-cnn", { includeTop: true });
const SOURCE_DIGITS = [0, 1, 2, 3, 4];
const digitsIn = (split: readonly [number, number]) => range(...split).filter((i) => SOURCE_DIGITS.includes(mnist.labels[i]!));
const inputsOf = (ids: number[]) => tf.tidy(() => preprocessInput(imageBatch(mnist, ids), recipe));
const testIds = digitsIn(MNIST_SPLIT.test);
const xTest = inputsOf(testIds);
const yTest = testIds.map((i) => mnist.labels[i]!);
/** Accuracy of any model whose output's argmax is the class (probabilities or logits). */
const accuracyOf = (model: tf.LayersModel) => {
  const predicted = tf.tidy(() => (model.predict(xTest) as tf.Tensor).argMax(-1).dataSync());
  return yTest.filter((y, i) => predicted[i] === y).length / yTest.length;
};
const baseAccuracy = accuracyOf(teacher);
console.log(`digits-0-4-cnn: ${teacher.countParams()} parameters; accuracy on the ${testIds.length} test digits 0–4: ${baseAccuracy.toFixed(4)}`);

// %% [markdown]
// ## 1. Measure first: parameters, FLOPs and latency
//
// A conv layer with k×k kernels, C_in → C_out channels and an H_out×W_out output has k²·C_in·C_out + C_out
// parameters and H_out·W_out·k²·C_in·C_out multiply-accumulates (MACs); a dense layer n → m has n·m + m
// parameters and n·m MACs; FLOPs = 2 × MACs. The teacher: 28×28×1 → conv 5×5, 8 filters (24×24) → pool (12×12) →
// conv 5×5, 16 filters (8×8) → pool (4×4) → flatten 256 → dense 32 → dense 5. `lib/nn/cost.ts modelCost` counts
// from each layer's configuration; `countParams()` counts the weights tfjs allocated; the hand formulas are a third
// account. All three must agree.

// %%
const handParams = (5 * 5 * 1 * 8 + 8) + (5 * 5 * 8 * 16 + 16) + (256 * 32 + 32) + (32 * 5 + 5);
const handMacs = 24 * 24 * 5 * 5 * 1 * 8 + 8 * 8 * 5 * 5 * 8 * 16 + 256 * 32 + 32 * 5;
const cost = modelCost(teacher);
showTable(cost.layers.filter((l) => l.params > 0).map((l) => ({ layer: l.name, output: `[${l.outputShape}]`, parameters: l.params, MACs: l.macs })), { caption: "digits-0-4-cnn, per layer (lib/nn/cost.ts)" });
check("parameters: modelCost = countParams() = the hand formula (11,813)", cost.params === teacher.countParams() && cost.params === handParams, { modelCost: cost.params, countParams: teacher.countParams(), hand: handParams });
check("MACs: modelCost = the hand formula (328,352 per image; FLOPs = 2 × MACs)", cost.macs === handMacs && cost.flops === 2 * handMacs, { modelCost: cost.macs, hand: handMacs });

/** Median wall-clock time of `run` over `repeats` runs after one warm-up, in milliseconds. */
function medianMs(run: () => void, repeats = 7): number {
  run();
  const times = Array.from({ length: repeats }, () => {
    const start = performance.now();
    run();
    return performance.now() - start;
  }).sort((a, b) => a - b);
  return times[Math.floor(repeats / 2)]!;
}
const oneImage = xTest.slice([0, 0, 0, 0], [1, 28, 28, 1]);
const predictOnce = (model: tf.LayersModel, x: tf.Tensor) => () => tf.tidy(() => { (model.predict(x) as tf.Tensor).dataSync(); });
const teacherLatency = { batch1: medianMs(predictOnce(teacher, oneImage)), batchAll: medianMs(predictOnce(teacher, xTest), 3) };
console.log(`teacher latency (${tfSetup.backend}): ${teacherLatency.batch1.toFixed(2)} ms for one image, ${teacherLatency.batchAll.toFixed(1)} ms for ${testIds.length} (${(teacherLatency.batchAll / testIds.length * 1000).toFixed(0)} µs per image)`);
check("latency is a positive finite measurement (reported, not asserted: it depends on the machine and its load)",
  [teacherLatency.batch1, teacherLatency.batchAll].every((t) => t > 0 && Number.isFinite(t)));

// %% [markdown]
// Batching amortises the per-call overhead: one image costs far more than 1/1000 of a batch of a thousand. On a
// server, throughput comes from batching; on a phone, latency at batch 1 is what a user feels.
//
// ## 2. Quantisation: int8 weights (S0-Q17, S1-Q19)
//
// **Symmetric per-tensor int8**: scale = max|w| / 127, q = round(w / scale) ∈ [−127, 127] stored in one byte,
// and w' = q·scale at compute time. Rounding moves each weight by at most half a step: **|w − w'| ≤ scale / 2**.
// Biases (61 numbers) stay float32. `quantizeModelWeights` (`lib/nn/quantize.ts`, from notebook 24) writes w' into
// the model ("fake quantisation": the model computes exactly what an int8-weight model with float32 scales
// computes) and `restore()` puts the float weights back. The bound is checked here from the float weights,
// independently of the helper's own report.

// %%
const floatWeights = teacher.weights.map((v) => ({ name: v.name, rank: v.shape.length, values: v.read().dataSync().slice() as Float32Array }));
const rows: Record<string, string | number>[] = [];
const quantized: Record<string, { accuracy: number; bytes: number; float32Bytes: number }> = {};
let quantizedHeadDense: Float32Array | null = null;
for (const granularity of ["per-tensor", "per-channel"] as const) {
  const { report, restore } = quantizeModelWeights(teacher, { granularity });
  if (granularity === "per-tensor") {
    let worstRatio = 0;
    teacher.weights.forEach((v, i) => {
      const original = floatWeights[i]!;
      if (original.rank < 2) return;
      const after = v.read().dataSync();
      const halfScale = Math.max(...original.values.map(Math.abs)) / 127 / 2;
      original.values.forEach((w, j) => (worstRatio = Math.max(worstRatio, Math.abs(w - after[j]!) / halfScale)));
      if (original.name.includes("head_dense")) quantizedHeadDense = after.slice() as Float32Array;
    });
    // float32 rounding of q·scale can add up to ~1e-7 relative: the bound is checked to that tolerance.
    check("every quantised weight moved by at most scale/2 (scale = max|w|/127, computed here from the float weights)", worstRatio <= 1 + 1e-5, { worstErrorOverHalfScale: worstRatio });
  }
  const accuracy = accuracyOf(teacher);
  quantized[granularity] = { accuracy, bytes: report.bytes, float32Bytes: report.float32Bytes };
  rows.push({ weights: `int8, ${granularity}`, "stored bytes": report.bytes, "× smaller": report.float32Bytes / report.bytes, accuracy, "drop (points)": 100 * (baseAccuracy - accuracy) });
  restore();
}
rows.unshift({ weights: "float32", "stored bytes": 4 * teacher.countParams(), "× smaller": 1, accuracy: baseAccuracy, "drop (points)": 0 });
showTable(rows, { caption: "Post-training int8 quantisation of digits-0-4-cnn", digits: 4 });
const perTensor = quantized["per-tensor"]!;
check("int8 per tensor: stored size ≥ 3.9× smaller than float32", perTensor.float32Bytes / perTensor.bytes >= 3.9, { ratio: perTensor.float32Bytes / perTensor.bytes });
check("int8 per tensor: test accuracy drops by at most 1 point", baseAccuracy - perTensor.accuracy <= 0.01, { float32: baseAccuracy, int8: perTensor.accuracy });
check("restore() gives back the float32 accuracy exactly", accuracyOf(teacher) === baseAccuracy);

// %% [markdown]
// The size ratio is just under 4 because the scales and the biases stay float32. The histogram below shows the
// 8,192 weights of the dense layer before and after: after quantisation they sit on a grid of at most 255 levels.

// %%
function histogram(values: ArrayLike<number>, low: number, high: number, bins: number): { x: number[]; y: number[] } {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const bin = Math.floor(((values[i]! - low) / (high - low)) * bins);
    if (bin >= 0 && bin < bins) counts[bin] = counts[bin]! + 1;
  }
  return { x: counts.map((_, b) => low + ((b + 0.5) * (high - low)) / bins), y: counts };
}
const headDense = floatWeights.find((w) => w.name.includes("head_dense") && w.rank === 2)!.values;
const headScale = Math.max(...headDense.map(Math.abs)) / 127;
const zoom = 12 * headScale; // a window of ±12 levels around 0, with 8 bins per level
await showFigure(lineFigure([
  { name: "float32 weights", ...histogram(headDense, -zoom, zoom, 192) },
  { name: "int8 weights (dequantised)", ...histogram(quantizedHeadDense!, -zoom, zoom, 192) },
], { title: `head_dense kernel near 0: float32 vs int8 (scale ${headScale.toExponential(2)})`, xTitle: "weight value", yTitle: "number of weights per bin" }), { width: 700, height: 380 });
check("int8 weights take at most 255 distinct values per tensor", new Set(quantizedHeadDense!).size <= 255, { distinct: new Set(quantizedHeadDense!).size });

// %% [markdown]
// ## 3. Pruning: zero the smallest weights (S0-Q17, S1-Q19)
//
// **Magnitude pruning** zeroes the fraction s of each kernel's weights with the smallest |w|
// (`lib/nn/pruning.ts`; ties broken by position, so the count is exactly round(s·n) per tensor). The count is
// checked here by counting zeros in the model itself. First the accuracy-vs-sparsity curve of one-shot pruning
// (no fine-tuning).

// %%
const sparsities = [0, 0.25, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];
const pruningRows = sparsities.map((sparsity) => {
  const { restore } = pruneModelWeights(teacher, sparsity);
  let zeros = 0, expected = 0, kernelWeights = 0;
  for (const v of teacher.weights) {
    if (v.shape.length < 2) continue;
    const values = v.read().dataSync();
    zeros += values.filter((w) => w === 0).length;
    expected += Math.round(sparsity * values.length);
    kernelWeights += values.length;
  }
  const accuracy = accuracyOf(teacher);
  restore();
  return { sparsity, zeros, expected, "achieved sparsity": zeros / kernelWeights, accuracy };
});
showTable(pruningRows, { caption: "One-shot magnitude pruning of digits-0-4-cnn (kernels only, layer by layer)", digits: 4 });
check("every target sparsity is hit exactly: zeros counted in the model = Σ round(s·n) over the kernels", pruningRows.every((r) => r.zeros === r.expected));
const accuracyAtSparsity = (s: number) => pruningRows.find((r) => r.sparsity === s)!.accuracy;
check("at 95 % one-shot pruning loses more than at 50 %", accuracyAtSparsity(0.95) < accuracyAtSparsity(0.5), { pruned50: accuracyAtSparsity(0.5), pruned95: accuracyAtSparsity(0.95) });

// %% [markdown]
// One-shot pruning at 50 % costs about a point. The standard remedy is a **short fine-tune with the mask held
// fixed**: train the surviving weights for a few steps and re-apply the mask after each step, so that pruned
// weights stay exactly zero. Here: a fresh copy of the teacher, 30 Adam steps (rate 5e-4) on batches of 50 of
// the training digits 0–4.

// %%
const fineTuneIds = new Random(32).shuffle(digitsIn(MNIST_SPLIT.train)).slice(0, 1500); // 30 batches of 50, each seen once
const fineTuneX = inputsOf(fineTuneIds);
const fineTuneY = tf.tidy(() => tf.oneHot(fineTuneIds.map((i) => mnist.labels[i]!), 5).toFloat());
async function prunedAndFineTuned(sparsity: number): Promise<{ accuracy: number; zerosKept: boolean }> {
  const copy = (await loadPretrained("digits-0-4-cnn", { includeTop: true })).model;
  const kernels = copy.weights.filter((v) => v.shape.length >= 2);
  pruneModelWeights(copy, sparsity); // no restore: this copy stays pruned
  const masks = kernels.map((v) => tf.tidy(() => tf.notEqual(v.read(), 0).toFloat()));
  const optimizer = tf.train.adam(5e-4);
  for (let step = 0; step < 30; step++) {
    const start = step * 50;
    tf.tidy(() => {
      const x = fineTuneX.slice([start, 0, 0, 0], [50, 28, 28, 1]);
      const y = fineTuneY.slice([start, 0], [50, 5]);
      optimizer.minimize(() => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(tf.maximum(copy.apply(x, { training: true }) as tf.Tensor, 1e-7))), -1))) as tf.Scalar);
      kernels.forEach((v, k) => v.write(tf.mul(v.read(), masks[k]!)));
    });
  }
  const zerosKept = kernels.every((v, k) => v.read().dataSync().filter((w) => w === 0).length === Math.round(sparsity * masks[k]!.size));
  const accuracy = accuracyOf(copy);
  tf.dispose(masks);
  optimizer.dispose();
  copy.dispose();
  return { accuracy, zerosKept };
}
const FINE_TUNED_SPARSITIES = [0.5, 0.8, 0.9];
const fineTuned: { accuracy: number; zerosKept: boolean }[] = [];
for (const sparsity of FINE_TUNED_SPARSITIES) fineTuned.push(await prunedAndFineTuned(sparsity));
tf.dispose([fineTuneX, fineTuneY]);
showTable(FINE_TUNED_SPARSITIES.map((s, i) => ({ sparsity: s, "one-shot": accuracyAtSparsity(s), "after 30 fine-tuning steps": fineTuned[i]!.accuracy })), { caption: "Pruning, then a short fine-tune with the mask fixed", digits: 4 });
check("the mask holds: after fine-tuning every kernel still has exactly round(s·n) zeros", fineTuned.every((f) => f.zerosKept));
check("at 50 % sparsity, after the short fine-tune, accuracy is within 1 point of the dense model", baseAccuracy - fineTuned[0]!.accuracy <= 0.01, { dense: baseAccuracy, pruned50FineTuned: fineTuned[0]!.accuracy });
await showFigure(lineFigure([
  { name: "pruned, one-shot", x: sparsities.map((s) => 100 * s), y: pruningRows.map((r) => r.accuracy) },
  { name: "pruned + 30 fine-tuning steps", x: FINE_TUNED_SPARSITIES.map((s) => 100 * s), y: fineTuned.map((f) => f.accuracy) },
  { name: "dense model", x: [0, 98], y: [baseAccuracy, baseAccuracy] },
], { title: "Accuracy vs sparsity (magnitude pruning, digits 0–4)", xTitle: "weights set to zero (%)", yTitle: "test accuracy" }), { width: 700, height: 380 });

// %% [markdown]
// Two honest caveats. A tensor with half its entries zero is still a dense tensor: it saves memory only when
// stored sparsely (indices + values, which costs more than dense below ≈ 50–70 % sparsity), and it runs faster
// only on kernels that skip zeros (sparse libraries, or NVIDIA's 2:4 structured sparsity). **Structured pruning**
// (removing whole filters, channels or attention heads) shrinks the dense shapes themselves and speeds up any
// hardware, at a higher accuracy cost per removed weight. In practice one prunes gradually and fine-tunes between
// steps, as above.
//
// ## 4. Knowledge distillation (S0-Q17: the method the seed forgot)
//
// The student minimises (`lib/nn/distillation.ts`)
//
//   loss = α·T²·CE(softmax(z_t/T), softmax(z_s/T)) + (1 − α)·CE(y, softmax(z_s)).
//
// A high temperature T flattens the teacher's probabilities, so the student also learns **which wrong classes
// are plausible** ("this 4 looks a bit like a 1"): far more information per example than a one-hot label. First
// the closed form: at T = 1 and α = 1 the loss is the cross-entropy of the student against the teacher's
// probabilities, checked against `lib/nn/losses.ts softmaxCrossEntropy` in plain numbers. The teacher outputs
// probabilities; their logarithms serve as its logits (softmax is unchanged by the constant shift).

// %%
const probeIds = digitsIn(MNIST_SPLIT.validation).slice(0, 64);
const probeX = inputsOf(probeIds);
const probeTeacherLogits = tf.tidy(() => tf.log(tf.maximum(teacher.predict(probeX) as tf.Tensor, 1e-12))) as tf.Tensor2D;
const probeStudentLogits = tf.randomNormal([64, 5], 0, 2, "float32", 7) as tf.Tensor2D;
const kdAtOne = tf.tidy(() => distillationLoss(probeStudentLogits, probeTeacherLogits, null, { temperature: 1, alpha: 1 }).dataSync()[0]!);
const teacherProbabilities = (probeTeacherLogits.arraySync() as number[][]).map(softmax);
const crossEntropyReference = softmaxCrossEntropy(teacherProbabilities, probeStudentLogits.arraySync() as number[][]);
checkClose("KD loss at T = 1, α = 1 equals the cross-entropy against the teacher's probabilities", kdAtOne, crossEntropyReference, { abs: 1e-5 });
tf.dispose([probeX, probeTeacherLogits, probeStudentLogits]);

// %% [markdown]
// Now the experiment of catalog §4: a small student (an MLP 784 → 32 → 5: 25,285 parameters, twice the
// teacher's, but 25,248 MACs per image, 13× fewer than the teacher's 328,352) trained on only **200 labelled
// images**, once on the hard labels (α = 0) and once on the teacher's soft targets (α = 1) at T = 1, 4 and 8.
// Same initial weights, same data, 150 full-batch Adam steps (rate 0.01); five seeds draw the 200 images and the
// initial weights.

// %%
const STUDENT_SEEDS = [0, 1, 2, 3, 4];
const TEMPERATURES = [1, 4, 8];
const trainPool = digitsIn(MNIST_SPLIT.train);
function makeStudent(seed: number): tf.Sequential {
  return tf.sequential({ layers: [
    tf.layers.flatten({ inputShape: [28, 28, 1] }),
    tf.layers.dense({ units: 32, activation: "relu", kernelInitializer: tf.initializers.glorotUniform({ seed }) }),
    tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1000 }) }), // logits
  ] });
}
function trainStudent(seed: number, x: tf.Tensor4D, teacherLogits: tf.Tensor2D, oneHot: tf.Tensor2D, options: { temperature: number; alpha: number }): number {
  const student = makeStudent(seed);
  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step < 150; step++) {
    optimizer.minimize(() => distillationLoss(student.apply(x) as tf.Tensor2D, teacherLogits, oneHot, options));
  }
  const accuracy = accuracyOf(student);
  student.dispose();
  optimizer.dispose();
  return accuracy;
}
const studentRuns = STUDENT_SEEDS.map((seed) => {
  const ids = new Random(seed).shuffle([...trainPool]).slice(0, 200);
  const x = inputsOf(ids);
  const oneHot = tf.tidy(() => tf.oneHot(ids.map((i) => mnist.labels[i]!), 5).toFloat()) as tf.Tensor2D;
  const teacherLogits = tf.tidy(() => tf.log(tf.maximum(teacher.predict(x) as tf.Tensor, 1e-12))) as tf.Tensor2D;
  const tensorsBefore = tf.memory().numTensors;
  const hard = trainStudent(seed, x, teacherLogits, oneHot, { temperature: 1, alpha: 0 });
  const soft = TEMPERATURES.map((temperature) => trainStudent(seed, x, teacherLogits, oneHot, { temperature, alpha: 1 }));
  const leaked = tf.memory().numTensors - tensorsBefore;
  tf.dispose([x, oneHot, teacherLogits]);
  return { seed, hard, soft, leaked };
});
check("no tensors leak across the student trainings", studentRuns.every((r) => r.leaked === 0));
const costProbe = makeStudent(0);
const studentCost = modelCost(costProbe);
costProbe.dispose();
check("the student costs 784·32 + 32·5 = 25,248 MACs per image (modelCost), 13× fewer than the teacher", studentCost.macs === 784 * 32 + 32 * 5 && Math.round(cost.macs / studentCost.macs) === 13, { student: studentCost.macs, teacher: cost.macs });
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const hardMean = mean(studentRuns.map((r) => r.hard));
const softMeans = TEMPERATURES.map((_, t) => mean(studentRuns.map((r) => r.soft[t]!)));
showTable(studentRuns.map((r) => ({ seed: r.seed, "hard labels": r.hard, ...Object.fromEntries(TEMPERATURES.map((T, t) => [`soft, T = ${T}`, r.soft[t]!])) })), { caption: "Student test accuracy, 200 training images", digits: 4 });
console.log(`mean over ${STUDENT_SEEDS.length} seeds: hard ${hardMean.toFixed(4)}; soft ${TEMPERATURES.map((T, t) => `T=${T}: ${softMeans[t]!.toFixed(4)}`).join(", ")}; teacher ${baseAccuracy.toFixed(4)}`);
const softAtFour = softMeans[TEMPERATURES.indexOf(4)]!;
check("the student on soft targets (T = 4) at least matches the one on hard labels (mean of 5 seeds)", softAtFour >= hardMean, { soft: softAtFour, hard: hardMean });
await showFigure(lineFigure([
  { name: "soft targets (α = 1)", x: TEMPERATURES, y: softMeans },
  { name: "hard labels", x: TEMPERATURES, y: TEMPERATURES.map(() => hardMean) },
], { title: "Distilled student (MLP, 200 images) vs temperature, mean of 5 seeds", xTitle: "temperature T", yTitle: "test accuracy" }), { width: 700, height: 380 });

// %% [markdown]
// **Calibration, and what it shows.** Over the five seeds above, the soft-target student at T = 4 beat the
// hard-label one on four seeds and lost on one (seed 0: 0.938 vs 0.939); its mean is 0.941 against 0.933, a
// margin of 0.8 points, about the spread between seeds (0.915–0.944 for hard labels). So the claim checked is
// the catalog's "at least matches, on the mean over seeds", not "wins on every seed". T = 1 gives no gain
// (0.933): at T = 1 the teacher is nearly one-hot on these easy digits, so its targets carry little beyond
// the label. Higher temperatures expose the "dark knowledge" in the small probabilities; past T ≈ 4 the
// targets become too flat and the gain shrinks (0.937 at T = 8). The student stays well below the teacher (0.979),
// which saw 3,650 images and has convolutions.
//
// ## 5. Large models: what actually cuts compute, memory and time (S4-Q3)
//
// **Short answer.** Cut the work per token and the bytes moved: mixed precision (float16/bfloat16 with loss
// scaling), int8/int4 quantised inference, a KV cache in generation, efficient attention (FlashAttention) and
// distillation into a smaller model. Parallelism (data, tensor, pipeline, ZeRO) spreads the same compute over
// more devices: it shortens wall-clock time and fits models that exceed one device's memory, but it does not
// reduce the total FLOPs.
//
// ### Mixed precision: float16's range and loss scaling
//
// float16 has 5 exponent bits and 10 mantissa bits: the largest value is 65,504, the smallest normal 2^−14 ≈
// 6.1e−5, the smallest subnormal 2^−24 ≈ 6.0e−8, and its relative precision is 2^−11 ≈ 4.9e−4. Tensor cores
// run float16 (and bfloat16, 8 exponent bits like float32) several times faster than float32 and halve memory
// traffic. The danger is the range: small gradients **underflow** to zero. **Loss scaling** multiplies the loss by
// S (so every gradient by S) before the backward pass, and divides the float32 copy by S before the update;
// dynamic scaling halves S when an overflow (Inf) appears and skips that step. `lib/nn/precision.ts
// roundToFloat16` rounds a number to float16 (tested on all 31,743 positive finite float16 values).

// %%
showTable([
  { quantity: "largest finite", value: FLOAT16_MAX, "rounded to float16": roundToFloat16(FLOAT16_MAX) },
  { quantity: "70,000 (overflow)", value: 70000, "rounded to float16": roundToFloat16(70000) },
  { quantity: "smallest normal 2^−14", value: FLOAT16_MIN_NORMAL, "rounded to float16": roundToFloat16(FLOAT16_MIN_NORMAL) },
  { quantity: "smallest subnormal 2^−24", value: FLOAT16_MIN_SUBNORMAL, "rounded to float16": roundToFloat16(FLOAT16_MIN_SUBNORMAL) },
  { quantity: "1e−8 (underflow)", value: 1e-8, "rounded to float16": roundToFloat16(1e-8) },
  { quantity: "1 + 2^−11 (below the precision)", value: 1 + 2 ** -11, "rounded to float16": roundToFloat16(1 + 2 ** -11) },
], { caption: "float16 range and precision", digits: 6 });

// Gradients spread over eight decades, as in a deep network: 10^u with u uniform in [−11, −3].
const gradientRng = new Random(32);
const gradients = Array.from({ length: 10000 }, () => 10 ** gradientRng.uniform(-11, -3));
const lostWithout = gradients.filter((g) => roundToFloat16(g) === 0).length / gradients.length;
// Closed form: a value rounds to 0 when it is at most half the smallest subnormal (2^−25; the tie goes to even, 0).
const expectedLost = gradients.filter((g) => g <= 2 ** -25).length / gradients.length;
const LOSS_SCALE = 2 ** 16;
const scaledBack = gradients.map((g) => roundToFloat16(g * LOSS_SCALE) / LOSS_SCALE);
const lostWith = scaledBack.filter((g) => g === 0).length / gradients.length;
const worstRelativeError = Math.max(...gradients.map((g, i) => (g * LOSS_SCALE >= FLOAT16_MIN_NORMAL ? Math.abs(scaledBack[i]! - g) / g : 0)));
console.log(`without scaling ${(100 * lostWithout).toFixed(1)} % of the gradients become 0 in float16; with S = 2^16: ${(100 * lostWith).toFixed(1)} %`);
checkClose("the fraction lost without scaling equals the fraction ≤ 2^−25 (closed form)", lostWithout, expectedLost, { abs: 0 });
check("loss scaling by 2^16 keeps every gradient ≥ 1.6e−10 non-zero (they land above float16's subnormal floor)", gradients.every((g, i) => g < 1.6e-10 || scaledBack[i]! > 0) && lostWith < lostWithout);
check("scaled gradients in float16's normal range come back to within 2^−11 relative", worstRelativeError <= 2 ** -11, { worstRelativeError });
const tooLarge = roundToFloat16(1e-3 * 2 ** 27);
check("too large a scale overflows (1e−3 · 2^27 → Infinity): dynamic scaling then halves S and skips the step", tooLarge === Infinity);

// %% [markdown]
// ### Data, tensor and pipeline parallelism, and ZeRO
//
// * **Data parallelism**: every device holds the whole model and processes a different slice of the batch; the
//   gradients are averaged (all-reduce) so that every device takes the same step. The average of the shards'
//   mean gradients **is** the full batch's mean gradient (equal shards), so the result is that of one device.
// * **Tensor (model) parallelism**: one layer's matrix is split across devices (Megatron: a dense layer's
//   columns), each computes its slice of the output, and the slices are concatenated or summed.
// * **Pipeline parallelism**: consecutive layers live on different devices; micro-batches flow through like an
//   assembly line. With p stages and m micro-batches, the idle "bubble" is (p − 1)/(m + p − 1) of the time.
// * **ZeRO** shards what data parallelism replicates: optimizer state (stage 1), gradients (2), parameters (3).
//
// None of them reduces the arithmetic. Checked on a linear model: four data-parallel shards give the full-batch
// gradient, and their MACs add up to exactly the single-device count; a dense layer split in two column blocks
// gives the same output.

// %%
const parallelRng = new Random(33);
const batch = 64, features = 10;
const xData = tf.tensor2d(parallelRng.array(batch * features, (r) => r.normal()), [batch, features]);
const yData = tf.tensor2d(parallelRng.array(batch, (r) => r.normal()), [batch, 1]);
const w = tf.tensor2d(parallelRng.array(features, (r) => r.normal()), [features, 1]);
const meanSquaredGradient = (x: tf.Tensor2D, y: tf.Tensor2D) => tf.tidy(() => tf.grad((weights: tf.Tensor) => tf.losses.meanSquaredError(y, x.matMul(weights as tf.Tensor2D)))(w));
const fullGradient = meanSquaredGradient(xData, yData);
const shardGradients = [0, 1, 2, 3].map((k) => meanSquaredGradient(xData.slice([16 * k, 0], [16, features]), yData.slice([16 * k, 0], [16, 1])));
const allReduced = tf.tidy(() => tf.addN(shardGradients).div(4));
checkAllClose("data parallelism: the mean of 4 shards' gradients equals the full batch's gradient", allReduced.dataSync(), fullGradient.dataSync(), { abs: 1e-6 });
const forwardMacs = (rows: number) => rows * features; // x·w per example: `features` MACs
check("the 4 devices do exactly the single device's multiply-accumulates: parallelism splits compute, it does not cut it", 4 * forwardMacs(16) === forwardMacs(batch));
const layerW = tf.tensor2d(parallelRng.array(features * 6, (r) => r.normal()), [features, 6]);
const wholeOutput = xData.matMul(layerW);
const splitOutput = tf.concat([xData.matMul(layerW.slice([0, 0], [features, 3])), xData.matMul(layerW.slice([0, 3], [features, 3]))], 1);
checkAllClose("tensor parallelism: a dense layer split into two column blocks gives the same output", splitOutput.dataSync(), wholeOutput.dataSync(), { abs: 1e-5 });
tf.dispose([xData, yData, w, fullGradient, ...shardGradients, allReduced, layerW, wholeOutput, splitOutput]);

// %% [markdown]
// **ZeRO memory arithmetic.** Mixed-precision Adam keeps, per parameter, 2 bytes of float16 weights, 2 of float16
// gradients and 12 of optimizer state (float32 master weights, momentum and variance): 16 bytes. The model: GPT-2
// small, whose parameter count we first derive from its shape (12 layers, d = 768, 50,257-token vocabulary, 1,024
// positions; published: 124,439,808). `lib/nn/parallelism.ts zeroMemoryBytes` is tested against the ZeRO paper's
// own figures (7.5 B parameters on 64 GPUs: 120, 31.4, 16.6 and 1.9 GB).

// %%
const d = 768, layers = 12, vocabulary = 50257, positions = 1024;
const perBlock = (d * 3 * d + 3 * d) + (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * (2 * d); // attention, projection, MLP, two LayerNorms
const gpt2Parameters = layers * perBlock + vocabulary * d + positions * d + 2 * d;
check("GPT-2 small from its shape: 124,439,808 parameters (the published count)", gpt2Parameters === 124439808, { computed: gpt2Parameters });
const devices = 8;
const zeroRows = ([0, 1, 2, 3] as const).map((stage) => {
  const bytes = zeroMemoryBytes(gpt2Parameters, devices, stage);
  return { stage: ["plain data parallel", "ZeRO-1 (optimizer)", "ZeRO-2 (+ gradients)", "ZeRO-3 (+ parameters)"][stage]!, "GB per GPU": bytes / 1e9, "bytes per parameter": bytes / gpt2Parameters };
});
showTable(zeroRows, { caption: `GPT-2 small, mixed-precision Adam, ${devices} GPUs (activations not counted)`, digits: 4 });
checkClose("plain data parallelism: 16 bytes per parameter = 1.99 GB on every GPU", zeroRows[0]!["GB per GPU"], 16 * gpt2Parameters / 1e9, { rel: 1e-12 });
checkClose("ZeRO-3 divides all 16 bytes by the 8 GPUs", zeroRows[3]!["GB per GPU"], 2 * gpt2Parameters / 1e9, { rel: 1e-12 });
const trainingFlops = 6 * gpt2Parameters * 1e9; // ≈ 6 FLOPs per parameter per token (forward 2, backward 4), for 1 B tokens
console.log(`training on 1 B tokens ≈ ${(trainingFlops / 1e18).toFixed(2)} EFLOP in total, whether on 1 GPU or ${devices}: ${devices} GPUs take ≈ 1/${devices} of the time, each doing 1/${devices} of the work`);

// %% [markdown]
// ## 6. Spot the bug in the seed answers (S0-Q17, S4-Q3)
//
// > **S0-Q17** 模型压缩包括以下方法：模型剪枝（Model Pruning）…；量化（Quantization）…；**压缩感知（Compressive
// > Sensing）：通过在训练过程中使用压缩感知技术来减小模型大小。**
//
// **What is wrong.** Compressive sensing is a signal-acquisition theory: recover a sparse signal from few linear
// measurements (y = Φx with x sparse, solved by ℓ1 minimisation). It is not a model-compression method, and
// "using compressive sensing during training" names no procedure. The answer also omits the method most used
// in practice after quantisation, **knowledge distillation** (section 4), and **low-rank factorisation**. A
// correct list: quantisation, pruning (unstructured and structured), distillation, low-rank factorisation,
// weight sharing / efficient architectures.
//
// > **S4-Q3** 分布式训练（Distributed Training）：将模型训练任务分配到多个节点上，并行计算。…
// > **解析：** 通过这些方法，可以提高大模型的计算效率，降低训练和推理时间。
//
// **What is wrong.** Distributed training does not make the computation more efficient: the total FLOPs stay the
// same (section 5 checks it; communication even adds work), it buys **wall-clock time** and memory headroom with
// more hardware. "Model compression" is listed beside pruning and quantisation as if it were a separate
// method, and the answer omits what does cut the cost per token: mixed precision, a KV cache for generation
// (each new token attends to cached keys and values instead of recomputing the whole prefix), efficient
// attention and distillation.

// %% [markdown]
// The fix, in code: a KV cache turns the n² attention work of regenerating the prefix at every step into n work
// per new token. Counting the query–key dot products needed to generate n tokens:

// %%
const generated = 256;
const withoutCache = Array.from({ length: generated }, (_, t) => (t + 1) * (t + 1)).reduce((a, b) => a + b, 0); // recompute all t+1 queries each step
const withCache = Array.from({ length: generated }, (_, t) => t + 1).reduce((a, b) => a + b, 0); // one new query per step
check("query–key products for 256 tokens: Σ(t+1)² without a cache = n(n+1)(2n+1)/6, Σ(t+1) = n(n+1)/2 with one",
  withoutCache === (generated * (generated + 1) * (2 * generated + 1)) / 6 && withCache === (generated * (generated + 1)) / 2);
console.log(`${withoutCache.toLocaleString("en")} vs ${withCache.toLocaleString("en")} products: ${(withoutCache / withCache).toFixed(0)}× fewer with the cache`);

// %% [markdown]
// ## Recap
//
// * Measure first: parameters, FLOPs (= 2 × MACs) and latency; three accounts of the parameter count agree.
// * int8 post-training quantisation: 3.9× smaller, each weight within scale/2, accuracy essentially unchanged.
// * Magnitude pruning hits its sparsity exactly. One-shot, this CNN holds to about 60 % and collapses from 70 %;
//   30 fine-tuning steps with the mask fixed recover 50 % fully and much of 80 %. Zeros speed things up only
//   with sparse kernels or structured pruning.
// * Distillation trains a student on the teacher's softened probabilities; at T = 1, α = 1 the loss is the
//   cross-entropy against the teacher's probabilities.
// * Large models: mixed precision with loss scaling, quantised inference, KV cache, efficient attention,
//   distillation. Parallelism (data, tensor, pipeline, ZeRO) fits the model and cuts wall-clock time, not compute.
//
// ## Exercises
//
// 1. **Per-channel quantisation.** Why can one scale per output channel only lower each weight's error bound
//    compared with one scale per tensor? Check it on the teacher's kernels.
// 2. **ZeRO at scale.** How many 80 GB GPUs does plain data parallelism need to train a 7 B-parameter model with
//    mixed-precision Adam (activations aside)? And ZeRO-3 on 64 GPUs: how much per GPU?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** A channel's scale is max|w| over the channel, at most max|w| over the tensor, so its bound scale/2 can
// only shrink; channels of small weights gain most.

// %% tags=["solution"]
const perChannelOk = teacher.weights.filter((v) => v.shape.length >= 2).every((v) => {
  const values = v.read().dataSync();
  const outChannels = v.shape.at(-1)!;
  const tensorMax = Math.max(...Array.from(values, Math.abs));
  return Array.from({ length: outChannels }, (_, c) => Math.max(...Array.from(values).filter((_, i) => i % outChannels === c).map(Math.abs))).every((m) => m <= tensorMax);
});
check("every channel's max|w| is at most the tensor's, on every kernel of the teacher", perChannelOk);

// %% [markdown] tags=["solution"]
// **2.** 16 bytes × 7 × 10⁹ = 112 GB per GPU: it does not fit on one 80 GB GPU at all, however many GPUs plain
// data parallelism uses (each holds everything). ZeRO-3 on 64 GPUs: 112 / 64 = 1.75 GB per GPU, plus
// activations.

// %% tags=["solution"]
checkClose("7 B parameters: 112 GB per GPU in plain data parallelism", zeroMemoryBytes(7e9, 64, 0) / 1e9, 112, { rel: 1e-12 });
checkClose("and 1.75 GB per GPU with ZeRO-3 on 64 GPUs", zeroMemoryBytes(7e9, 64, 3) / 1e9, 1.75, { rel: 1e-12 });
tf.dispose([xTest, oneImage]);
