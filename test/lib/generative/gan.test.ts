import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import {
  GanTrainer, discriminatorLoss, ganMlp, trainGan, generatorLoss, gradientPenalty, snapshotsEqual, trainableVariables,
  wassersteinCriticLoss, wassersteinGeneratorLoss, weightsSnapshot,
} from "../../../lib/generative/gan";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${a} vs ${b}`);
const scalar = (f: () => tf.Tensor) => tf.tidy(() => f().dataSync()[0]!);

function players(seed = 1) {
  return {
    generator: ganMlp({ inputDim: 3, hidden: [8], outputDim: 2, seed, name: "g" }),
    discriminator: ganMlp({ inputDim: 2, hidden: [8], outputDim: 1, seed: seed + 10, name: "d" }),
  };
}

test("losses: D ≡ ½ gives 2 ln 2 and ln 2 per generator loss; BCE by hand at other logits", () => {
  const zero = () => tf.zeros([5, 1]);
  close(scalar(() => discriminatorLoss(zero(), zero())), 2 * Math.LN2);
  close(scalar(() => generatorLoss(zero(), "non-saturating")), Math.LN2);
  close(scalar(() => generatorLoss(zero(), "minimax")), -Math.LN2);
  const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
  const [real, fake] = [[1.5, -0.3], [0.7, -2]];
  const expected = -(Math.log(sigmoid(1.5)) + Math.log(sigmoid(-0.3))) / 2 - (Math.log(1 - sigmoid(0.7)) + Math.log(1 - sigmoid(-2))) / 2;
  close(scalar(() => discriminatorLoss(tf.tensor1d(real), tf.tensor1d(fake))), expected);
  close(scalar(() => generatorLoss(tf.tensor1d(fake), "non-saturating")), -(Math.log(sigmoid(0.7)) + Math.log(sigmoid(-2))) / 2);
  close(scalar(() => generatorLoss(tf.tensor1d(fake), "minimax")), (Math.log(1 - sigmoid(0.7)) + Math.log(1 - sigmoid(-2))) / 2);
  assert.throws(() => generatorLoss(tf.zeros([1]), "hinge" as never), /kind must be/);
});

test("generator-loss gradients w.r.t. the logit: −(1 − D) non-saturating, −D minimax", () => {
  const logit = Math.log(0.01 / 0.99);
  for (const [kind, expected] of [["non-saturating", -0.99], ["minimax", -0.01]] as const) {
    close(scalar(() => tf.grad((l: tf.Tensor) => generatorLoss(l, kind))(tf.tensor1d([logit]))), expected, 1e-6);
  }
});

test("the D step leaves G bit-identical and changes D; the G step leaves D bit-identical and changes G", () => {
  const { generator, discriminator } = players();
  const trainer = new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 3 });
  const real = tf.randomNormal([16, 2], 0, 1, "float32", 9);
  const [g0, d0] = [weightsSnapshot(generator), weightsSnapshot(discriminator)];
  trainer.discriminatorStep(real);
  const [g1, d1] = [weightsSnapshot(generator), weightsSnapshot(discriminator)];
  assert.ok(snapshotsEqual(g0, g1), "the D step changed G");
  assert.ok(!snapshotsEqual(d0, d1), "the D step did not change D");
  trainer.generatorStep(16);
  const [g2, d2] = [weightsSnapshot(generator), weightsSnapshot(discriminator)];
  assert.ok(snapshotsEqual(d1, d2), "the G step changed D");
  assert.ok(!snapshotsEqual(g1, g2), "the G step did not change G");
  trainer.dispose();
  real.dispose();
});

test("noise is redrawn every call, reproducibly from the seed; no tensor leaks over steps", () => {
  const { generator, discriminator } = players();
  const beforeConstruction = tf.memory().numTensors;
  new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 5 }).dispose();
  assert.equal(tf.memory().numTensors, beforeConstruction, "constructing and disposing a trainer leaks no tensor");
  const a = new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 5 });
  const b = new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 5 });
  const [a1, a2, b1] = [a.noise(4), a.noise(4), b.noise(4)];
  assert.notDeepEqual(Array.from(a1.dataSync()), Array.from(a2.dataSync()));
  assert.deepEqual(Array.from(a1.dataSync()), Array.from(b1.dataSync()));
  tf.dispose([a1, a2, b1]);
  const real = tf.randomNormal([8, 2], 0, 1, "float32", 2);
  a.step(real);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) a.step(real);
  assert.equal(tf.memory().numTensors, before);
  a.dispose();
  b.dispose();
  real.dispose();
});

test("conditional GAN: G sees [c, z], D sees [x, c]; the L1 term needs a target; bad options are named", () => {
  const generator = ganMlp({ inputDim: 5, hidden: [8], outputDim: 4, seed: 1 });
  const discriminator = ganMlp({ inputDim: 8, hidden: [8], outputDim: 1, seed: 2 });
  const trainer = new GanTrainer({ generator, discriminator, latentDim: 1, learningRate: 0.01, seed: 1, l1Weight: 10 });
  const [source, target] = [tf.randomNormal([6, 4], 0, 1, "float32", 1) as tf.Tensor2D, tf.randomNormal([6, 4], 0, 1, "float32", 2)];
  const out = trainer.generate(source);
  assert.deepEqual(out.shape, [6, 4]);
  out.dispose();
  const { generatorLoss: g } = trainer.step(target, source);
  assert.ok(Number.isFinite(g));
  assert.throws(() => trainer.generatorStep(source), /needs a condition and its target/);
  trainer.dispose();
  tf.dispose([source, target]);
  assert.throws(() => new GanTrainer({ generator, discriminator, latentDim: 1, learningRate: 0, seed: 1 }), /learningRate/);
  assert.throws(() => new GanTrainer({ generator, discriminator: generator, latentDim: 1, learningRate: 0.1, seed: 1 }), /share/);
  assert.throws(() => ganMlp({ inputDim: 0, hidden: [4], outputDim: 1, seed: 1 }), /inputDim/);
  assert.equal(trainableVariables(generator).length, 4);
});

test("Wasserstein losses by hand; the gradient penalty of a linear critic is (‖w‖ − 1)² and matches finite differences for a non-linear one", () => {
  close(scalar(() => wassersteinCriticLoss(tf.tensor1d([1, 3]), tf.tensor1d([0.5, -0.5]))), 0 - 2);
  close(scalar(() => wassersteinGeneratorLoss(tf.tensor1d([0.5, 1.5]))), -1);
  const w = tf.tensor2d([[0.6], [2.0], [-1.1]]);
  const real = tf.randomNormal([7, 3], 0, 1, "float32", 1) as tf.Tensor2D;
  const fake = tf.randomNormal([7, 3], 2, 1, "float32", 2) as tf.Tensor2D;
  const alpha = tf.randomUniform([7, 1], 0, 1, "float32", 3) as tf.Tensor2D;
  const norm = Math.hypot(0.6, 2.0, -1.1);
  close(scalar(() => gradientPenalty((x) => tf.matMul(x, w), real, fake, alpha)), (norm - 1) ** 2, 1e-4);
  // f(x) = Σ tanh(x ⊙ v): the penalty from central differences of f at each mixed point
  const v = [0.9, -1.7, 0.4];
  const critic = (x: tf.Tensor2D) => tf.sum(tf.tanh(tf.mul(x, tf.tensor1d(v))), -1);
  const [r, f, a] = [real.arraySync(), fake.arraySync(), alpha.arraySync()];
  const penalty = r.reduce((sum, row, i) => {
    const mixed = row.map((value, d) => a[i]![0]! * value + (1 - a[i]![0]!) * f[i]![d]!);
    const fx = (p: number[]) => p.reduce((s, value, d) => s + Math.tanh(value * v[d]!), 0);
    const h = 1e-4;
    const gradient = mixed.map((_, d) => (fx(mixed.map((m, k) => (k === d ? m + h : m))) - fx(mixed.map((m, k) => (k === d ? m - h : m)))) / (2 * h));
    return sum + (Math.hypot(...gradient) - 1) ** 2;
  }, 0) / r.length;
  close(scalar(() => gradientPenalty(critic, real, fake, alpha)), penalty, 1e-4);
  assert.throws(() => gradientPenalty(critic, real, tf.zeros([7, 2]) as tf.Tensor2D, alpha), /real and fake/);
  tf.dispose([w, real, fake, alpha]);
});

test("trainGan: one loss pair per step, checkpoints at 0 and every k steps, reproducible, annealed rate, no leak", () => {
  const run = () => {
    const { generator, discriminator } = players(4);
    const trainer = new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 2 });
    const real = tf.randomNormal([40, 2], 0, 1, "float32", 1);
    const checkpoints: number[] = [];
    const tensors: number[] = [];
    const losses = trainGan(trainer, real, { steps: 6, batchSize: 8, seed: 3, decay: 0.5, every: 3, onCheckpoint: (s) => { checkpoints.push(s); tensors.push(tf.memory().numTensors); } });
    assert.equal(tensors[1], tensors[2], "tensors leaked between steps 3 and 6 (Adam's moments exist after step 1)");
    const rate = (trainer as unknown as { generatorOptimizer: { learningRate: number } }).generatorOptimizer.learningRate;
    trainer.dispose();
    real.dispose();
    return { losses, checkpoints, rate, weights: weightsSnapshot(generator) };
  };
  const [a, b] = [run(), run()];
  assert.equal(a.losses.discriminatorLoss.length, 6);
  assert.deepEqual(a.checkpoints, [0, 3, 6]);
  assert.ok(Math.abs(a.rate - 0.005) < 1e-12);
  assert.deepEqual(a.losses, b.losses);
  assert.ok(snapshotsEqual(a.weights, b.weights));
  const { generator, discriminator } = players();
  const trainer = new GanTrainer({ generator, discriminator, latentDim: 3, learningRate: 0.01, seed: 2 });
  assert.throws(() => trainGan(trainer, tf.zeros([4, 2]), { steps: 1, batchSize: 5, seed: 1 }), /batchSize/);
  trainer.dispose();
});
