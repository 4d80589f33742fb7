import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { distillationLoss } from "../../../lib/nn/distillation";
import { softmax, softmaxCrossEntropy } from "../../../lib/nn/losses";

before(async () => {
  await setupTf({ backend: "cpu", seed: 0, announce: false });
});

const rng = new Random(5);
const logits = (rows: number, classes: number) => Array.from({ length: rows }, () => Array.from({ length: classes }, () => 3 * rng.normal()));

test("T = 1, α = 1: cross-entropy of the student against the teacher's probabilities (plain-number reference)", () => {
  const student = logits(8, 5), teacher = logits(8, 5);
  const loss = distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), null, { temperature: 1, alpha: 1 });
  const reference = softmaxCrossEntropy(teacher.map(softmax), student);
  assert.ok(Math.abs(loss.dataSync()[0]! - reference) < 1e-5, `${loss.dataSync()[0]} vs ${reference}`);
});

test("general T and α: α·T²·CE(soft teacher, soft student) + (1 − α)·CE(labels, student), by hand", () => {
  const student = logits(6, 4), teacher = logits(6, 4);
  const labels = [0, 3, 1, 2, 2, 0];
  const oneHot = labels.map((c) => [0, 1, 2, 3].map((k) => (k === c ? 1 : 0)));
  const T = 4, alpha = 0.7;
  const soft = softmaxCrossEntropy(teacher.map((row) => softmax(row.map((v) => v / T))), student.map((row) => row.map((v) => v / T)));
  const hard = softmaxCrossEntropy(labels, student);
  const loss = distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor2d(oneHot), { temperature: T, alpha });
  assert.ok(Math.abs(loss.dataSync()[0]! - (alpha * T * T * soft + (1 - alpha) * hard)) < 1e-4);
});

test("bad options and shapes are refused by name", () => {
  const a = tf.zeros([2, 3]) as tf.Tensor2D;
  assert.throws(() => distillationLoss(a, a, null, { temperature: 0, alpha: 1 }), /temperature must be a positive number, got 0/);
  assert.throws(() => distillationLoss(a, a, null, { temperature: 1, alpha: 2 }), /alpha must be in \[0, 1\], got 2/);
  assert.throws(() => distillationLoss(a, a, null, { temperature: 1, alpha: 0.5 }), /needs the one-hot labels/);
  assert.throws(() => distillationLoss(a, tf.zeros([2, 4]) as tf.Tensor2D, null, { temperature: 1, alpha: 1 }), /differ in shape/);
});
