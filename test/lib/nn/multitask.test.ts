import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { setupTf, tf } from "../../../lib/tf";
import { softmaxCrossEntropy } from "../../../lib/nn/losses";
import { MultiTaskNetwork } from "../../../lib/nn/multitask";

const rng = new Random(0);
const rows = 40;
const inputs = Array.from({ length: rows }, () => rng.array(6, (r) => r.normal()));
// Two related tasks on the same input: the sign pattern of the first two features (4 classes) and the sign of the first (2).
const labels = { quadrant: inputs.map(([a, b]) => (a! > 0 ? 2 : 0) + (b! > 0 ? 1 : 0)), sign: inputs.map(([a]) => (a! > 0 ? 1 : 0)) };

test("the weighted loss is Σ w·L_head, each head's loss its float64 cross-entropy", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const net = new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 5, heads: { quadrant: 4, sign: 2 }, seed: 1 });
  const x = tf.tensor2d(inputs);
  const logits = tf.tidy(() => {
    const features = net.features(x);
    return { quadrant: net.headLogits(features, "quadrant").arraySync(), sign: net.headLogits(features, "sign").arraySync() };
  });
  const expected = 0.25 * softmaxCrossEntropy(labels.quadrant, logits.quadrant) + 2 * softmaxCrossEntropy(labels.sign, logits.sign);
  const total = tf.tidy(() => net.weightedLoss(x, labels, { quadrant: 0.25, sign: 2 }).dataSync()[0]!);
  assert.ok(Math.abs(total - expected) < 1e-5 * expected, `${total} vs ${expected}`);
  x.dispose();
  net.dispose();
});

test("a head's loss has no path to another head's weights; both reach the trunk; gradients add with the weights", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const net = new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 5, heads: { quadrant: 4, sign: 2 }, seed: 2 });
  const x = tf.tensor2d(inputs);
  const grads = (f: () => tf.Scalar) => {
    const { value, grads: g } = tf.variableGrads(f, net.variables);
    const out = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, Array.from(t.dataSync())]));
    tf.dispose([value, ...Object.values(g)]);
    return out;
  };
  const quadrant = grads(() => net.headLosses(x, labels, ["quadrant"]).quadrant!);
  const sign = grads(() => net.headLosses(x, labels, ["sign"]).sign!);
  const total = grads(() => net.weightedLoss(x, labels, { quadrant: 0.5, sign: 3 }));
  for (const v of net.headVariables("sign")) assert.ok(!(v.name in quadrant), `quadrant loss reached ${v.name}`);
  for (const v of net.headVariables("quadrant")) assert.ok(!(v.name in sign), `sign loss reached ${v.name}`);
  const trunk = net.trunkVariables()[0]!.name;
  assert.ok(quadrant[trunk]!.some((g) => g !== 0) && sign[trunk]!.some((g) => g !== 0));
  total[trunk]!.forEach((g, i) => assert.ok(Math.abs(g - (0.5 * quadrant[trunk]![i]! + 3 * sign[trunk]![i]!)) < 1e-6));
  x.dispose();
  net.dispose();
});

test("fit trains the trunk and the weighted heads only, lowers the loss, repeats itself, and leaks nothing", async () => {
  await setupTf({ backend: "cpu", announce: false });
  const x = tf.tensor2d(inputs);
  const run = () => {
    const net = new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 8, heads: { quadrant: 4, sign: 2 }, seed: 3 });
    const signBefore = net.headVariables("sign").map((v) => Array.from(v.dataSync()));
    const trunkBefore = Array.from(net.trunkVariables()[0]!.dataSync());
    const before = tf.memory().numTensors;
    const losses = net.fit(x, labels, { weights: { quadrant: 1, sign: 0 }, epochs: 40, batchSize: 10, learningRate: 0.05, seed: 4 });
    const accuracy = net.accuracy(x, labels.quadrant, "quadrant");
    assert.equal(tf.memory().numTensors, before, "no tensor left behind");
    assert.deepEqual(net.headVariables("sign").map((v) => Array.from(v.dataSync())), signBefore, "a head weighted 0 is not trained");
    assert.notDeepEqual(Array.from(net.trunkVariables()[0]!.dataSync()), trunkBefore);
    net.dispose();
    return { losses, accuracy };
  };
  const first = run();
  assert.ok(first.losses.at(-1)! < 0.5 * first.losses[0]!, `${first.losses[0]} → ${first.losses.at(-1)}`);
  assert.ok(first.accuracy >= 0.9, `training accuracy ${first.accuracy}`);
  assert.deepEqual(run().losses, first.losses);
  x.dispose();
});

test("MultiTaskNetwork refuses bad heads, weights and labels, naming them", async () => {
  await setupTf({ backend: "cpu", announce: false });
  assert.throws(() => new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 4, heads: {}, seed: 0 }), /heads is empty/);
  assert.throws(() => new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 4, heads: { a: 1 }, seed: 0 }), /head "a" must have an integer ≥ 2 classes, got 1/);
  const net = new MultiTaskNetwork({ inputSize: 6, hiddenUnits: 4, heads: { quadrant: 4, sign: 2 }, seed: 0 });
  const x = tf.tensor2d(inputs);
  assert.throws(() => net.weightedLoss(x, labels, { nope: 1 }), /no head "nope" \(heads: quadrant, sign\)/);
  assert.throws(() => net.weightedLoss(x, labels, { sign: -1 }), /weight of head "sign" must be a finite number ≥ 0, got -1/);
  assert.throws(() => net.weightedLoss(x, labels, { sign: 0 }), /every loss weight is 0/);
  assert.throws(() => net.headLosses(x, { sign: [1, 0] }, ["sign"]), /head "sign" has 2 labels for 40 examples/);
  const tensors = tf.memory().numTensors;
  assert.doesNotThrow(() => net.fit(x, { quadrant: labels.quadrant }, { weights: { quadrant: 1, sign: 0 }, epochs: 1, batchSize: 20, learningRate: 0.01, seed: 0 }), "a head weighted 0 needs no labels");
  assert.equal(tf.memory().numTensors, tensors, "nothing left behind by the refused calls or the fit");
  x.dispose();
  net.dispose();
});
