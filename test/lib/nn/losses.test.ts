import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { numericalGradient, gradientRelativeError } from "../../../lib/math/gradcheck";
import {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  hingeLoss,
  huberLoss,
  logSoftmax,
  logSumExp,
  meanAbsoluteError,
  meanSquaredError,
  oneHot,
  sigmoid,
  softmax,
  softmaxCrossEntropy,
  softmaxCrossEntropyGradient,
  type Loss,
} from "../../../lib/nn/losses";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

const rng = new Random(0);
const n = 50;
const targets = rng.array(n, (r) => r.normal(0, 2));
const predictions = rng.array(n, (r) => r.normal(0, 2));
const labels01 = rng.array(n, (r) => r.int(0, 2));
const probabilities = rng.array(n, (r) => r.uniform(0.02, 0.98));
const logits = rng.array(n, (r) => r.normal(0, 3));

/** Relative closeness for float32 references. */
const assertClose = (actual: number, expected: number, rel: number, label: string) =>
  assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-3), `${label}: ${actual} vs ${expected}`);

const scalarOf = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]!);

test("elementwise losses equal their tf.losses counterparts within float32 round-off (1e-5)", () => {
  const cases: [Loss, number[], number[], () => tf.Tensor][] = [
    [meanSquaredError, targets, predictions, () => tf.losses.meanSquaredError(targets, predictions)],
    [meanAbsoluteError, targets, predictions, () => tf.losses.absoluteDifference(targets, predictions)],
    [huberLoss(1), targets, predictions, () => tf.losses.huberLoss(targets, predictions)],
    [huberLoss(0.3), targets, predictions, () => tf.losses.huberLoss(targets, predictions, undefined, 0.3)],
    [binaryCrossEntropy, labels01, probabilities, () => tf.losses.logLoss(labels01, probabilities)],
    [binaryCrossEntropyWithLogits, labels01, logits, () => tf.losses.sigmoidCrossEntropy(labels01, logits)],
    // tfjs's hinge takes {0, 1} labels and maps them to ±1 itself.
    [hingeLoss, labels01.map((l) => 2 * l - 1), logits, () => tf.losses.hingeLoss(labels01, logits)],
  ];
  for (const [loss, t, p, reference] of cases) assertClose(loss.value(t, p), scalarOf(reference), 1e-5, loss.name);
});

test("log loss and binary cross-entropy are one function: BCE on σ(z) equals BCE with logits z", () => {
  const fromProbabilities = binaryCrossEntropy.value(labels01, logits.map(sigmoid));
  assert.ok(Math.abs(fromProbabilities - binaryCrossEntropyWithLogits.value(labels01, logits)) < 1e-9);
});

test("every elementwise gradient matches central finite differences (away from kinks)", () => {
  const cases: [Loss, number[], number[]][] = [
    [meanSquaredError, targets, predictions],
    [meanAbsoluteError, targets, predictions],
    [huberLoss(1), targets, predictions],
    [binaryCrossEntropy, labels01, probabilities],
    [binaryCrossEntropyWithLogits, labels01.map((l) => (l === 1 ? 0.9 : 0.2)), logits], // soft labels too
    [hingeLoss, labels01.map((l) => 2 * l - 1), logits],
  ];
  for (const [loss, t, p] of cases) {
    const numeric = numericalGradient((q) => loss.value(t, q), p, 1e-6);
    const error = gradientRelativeError(loss.gradient(t, p), numeric);
    assert.ok(error < 1e-6, `${loss.name}: relative error ${error}`);
  }
});

test("softmax cross-entropy equals tf.losses.softmaxCrossEntropy, for class-index and one-hot labels", () => {
  const z = Array.from({ length: 20 }, () => rng.array(5, (r) => r.normal(0, 2)));
  const classes = rng.array(20, (r) => r.int(0, 5));
  const reference = scalarOf(() => tf.losses.softmaxCrossEntropy(oneHot(classes, 5), z));
  assertClose(softmaxCrossEntropy(classes, z), reference, 1e-5, "indices");
  assert.equal(softmaxCrossEntropy(oneHot(classes, 5), z), softmaxCrossEntropy(classes, z));
});

test("softmax-CE gradient = (softmax(z) − y)/n: equals tf.grad (1e-6) and finite differences", () => {
  const z = Array.from({ length: 8 }, () => rng.array(4, (r) => r.normal(0, 2)));
  const classes = rng.array(8, (r) => r.int(0, 4));
  const hand = softmaxCrossEntropyGradient(classes, z);
  const fromTf = tf.tidy(() => {
    const y = tf.tensor2d(oneHot(classes, 4));
    return tf.grad((logitsTensor: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logitsTensor))(tf.tensor2d(z)).arraySync() as number[][];
  });
  hand.flat().forEach((g, i) => assert.ok(Math.abs(g - fromTf.flat()[i]!) < 1e-6, `entry ${i}`));
  const flat = z.flat();
  const numeric = numericalGradient((q) => softmaxCrossEntropy(classes, z.map((_, i) => q.slice(i * 4, i * 4 + 4))), flat);
  assert.ok(gradientRelativeError(hand.flat(), numeric) < 1e-6);
});

test("closed forms: uniform logits over K classes give ln K; a certain correct prediction gives 0", () => {
  for (const K of [2, 3, 10]) {
    const uniform = [new Array(K).fill(0.7)];
    assert.ok(Math.abs(softmaxCrossEntropy([1], uniform) - Math.log(K)) < 1e-15);
  }
  assert.equal(softmaxCrossEntropy([0], [[1000, -1000, -1000]]), 0);
  // With probabilities the clip at ε = 1e-7 bounds both ends: −ln(1 − ε) ≈ 1e-7 for certainty, −ln ε for a certain mistake.
  assert.ok(Math.abs(binaryCrossEntropy.value([1], [1]) - 1e-7) < 1e-12);
  assert.ok(Math.abs(binaryCrossEntropy.value([1], [0]) + Math.log(1e-7)) < 1e-9);
  assert.deepEqual(binaryCrossEntropy.gradient([1], [1]), [0]);
});

test("numerical stability at logits ±1000: exact finite values where the naive formulas give NaN/Infinity", () => {
  const z = [1000, -1000, 1000, -1000];
  const y = [1, 1, 0, 0];
  assert.equal(binaryCrossEntropyWithLogits.value(y, z), (0 + 1000 + 1000 + 0) / 4);
  assert.deepEqual(binaryCrossEntropyWithLogits.gradient(y, z), [0, -0.25, 0.25, 0]);
  assert.equal(-Math.log(1 - 1 / (1 + Math.exp(-1000))), Infinity, "naive BCE for y = 0, z = 1000");
  assert.deepEqual(softmax([1000, 0, -1000]), [1, Math.exp(-1000), 0]);
  assert.deepEqual(logSoftmax([1000, -1000]), [0, -2000]);
  assert.ok(Number.isNaN(Math.exp(1000) / (Math.exp(1000) + Math.exp(-1000))), "naive softmax overflows");
  assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(1000), 1);
  assert.ok(softmaxCrossEntropyGradient([1], [[1000, -1000]]).flat().every(Number.isFinite));
});

test("softmax sums to 1 and is shift-invariant; logSoftmax = log(softmax) where both are finite", () => {
  const z = [0.3, -1.2, 2.5, 0];
  const p = softmax(z);
  assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-15);
  softmax(z.map((v) => v + 50)).forEach((v, i) => assert.ok(Math.abs(v - p[i]!) < 1e-14));
  logSoftmax(z).forEach((v, i) => assert.ok(Math.abs(v - Math.log(p[i]!)) < 1e-15));
});

test("bad arguments name the loss, the index and the value", () => {
  assert.throws(() => meanSquaredError.value([1, 2], [1]), /meanSquaredError: yTrue has 2 entries but yPred has 1/);
  assert.throws(() => hingeLoss.value([0, 1], [0.5, 0.5]), /hingeLoss: yTrue\[0\] must be −1 or \+1, got 0/);
  assert.throws(() => binaryCrossEntropy.value([2], [0.5]), /binaryCrossEntropy: yTrue\[0\] must be in \[0, 1\], got 2/);
  assert.throws(() => huberLoss(0), /delta must be > 0, got 0/);
  assert.throws(() => oneHot([0, 3], 3), /labels\[1\] must be an integer in \[0, 2\], got 3/);
  assert.throws(() => softmaxCrossEntropy([0], [[1, 2], [3, 4]]), /same non-zero number of rows, got 1 and 2/);
  assert.throws(() => softmaxCrossEntropy([[1, 0, 0]], [[1, 2]]), /labels\[0\] has 3 entries for 2 classes/);
});
