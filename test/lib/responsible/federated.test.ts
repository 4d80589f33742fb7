import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { numericalGradient } from "../../../lib/math/gradcheck";
import { fedAvg, gradientDescent, recoverDenseInput, softmaxRegressionClient, softmaxRegressionLoss, softmaxRegressionPredict } from "../../../lib/responsible/federated";

const rng = new Random(4);
const X = Array.from({ length: 40 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const y = X.map((r) => (r[0]! > 0.5 ? 2 : r[1]! > 0 ? 1 : 0));
const all = X.map((_, i) => i);

test("softmax regression: the gradient equals central finite differences", () => {
  const w = Float64Array.from({ length: 12 }, () => 0.3 * rng.normal());
  const { gradient } = softmaxRegressionLoss(X, y, all, 3, w);
  const numeric = numericalGradient((p) => softmaxRegressionLoss(X, y, all, 3, Float64Array.from(p)).loss, Array.from(w));
  numeric.forEach((g, i) => assert.ok(Math.abs(g - gradient[i]!) < 1e-8, `weight ${i}: ${gradient[i]} vs ${g}`));
  assert.throws(() => softmaxRegressionLoss(X, y, all, 3, new Float64Array(5)), /\(features \+ 1\) · classes = 12/);
});

test("FedAvg with one local step equals centralised gradient descent; unequal clients weighted by size", () => {
  const parts = [all.slice(0, 5), all.slice(5, 25), all.slice(25)];
  const clients = parts.map((rows) => softmaxRegressionClient(X, y, rows, 3));
  const start = new Float64Array(12);
  const federated = fedAvg(clients, start, { rounds: 15, localSteps: 1, learningRate: 0.7 });
  const central = gradientDescent((w) => softmaxRegressionLoss(X, y, all, 3, w).gradient, start, { steps: 15, learningRate: 0.7 });
  central.forEach((w, i) => assert.ok(Math.abs(w - federated.weights[i]!) < 1e-12, `weight ${i}`));
  assert.equal(federated.floatsSent, 2 * 3 * 12 * 15);
  // Several local steps on different data drift: no longer equal.
  const drifted = fedAvg(clients, start, { rounds: 15, localSteps: 5, learningRate: 0.7 }).weights;
  assert.ok(drifted.some((w, i) => Math.abs(w - central[i]!) > 1e-3));
  assert.ok(softmaxRegressionPredict(X, central, 3).filter((c, i) => c === y[i]).length > 30);
});

test("FedAvg refuses empty clients and bad counts", () => {
  assert.throws(() => fedAvg([], new Float64Array(1), { rounds: 1, localSteps: 1, learningRate: 1 }), /at least one client/);
  assert.throws(() => fedAvg([{ size: 0, gradient: (w) => w }], new Float64Array(1), { rounds: 1, localSteps: 1, learningRate: 1 }), /client 0 has size 0/);
  assert.throws(() => fedAvg([{ size: 1, gradient: (w) => w }], new Float64Array(1), { rounds: 1, localSteps: 0, learningRate: 1 }), /localSteps/);
});

test("gradient leakage: one example's gradient of a dense softmax layer gives the input back exactly", () => {
  const w = Float64Array.from({ length: 12 }, () => rng.normal());
  const { gradient } = softmaxRegressionLoss(X, y, [7], 3, w);
  const weightGradient = [0, 1, 2].map((j) => [0, 1, 2].map((c) => gradient[j * 3 + c]!));
  const biasGradient = [0, 1, 2].map((c) => gradient[9 + c]!);
  recoverDenseInput(weightGradient, biasGradient).forEach((v, j) => assert.ok(Math.abs(v - X[7]![j]!) < 1e-12, `feature ${j}`));
  assert.throws(() => recoverDenseInput([[1, 2]], [0, 0]), /every bias gradient is zero/);
  assert.throws(() => recoverDenseInput([[1]], [0, 1]), /row 0 has 1 outputs/);
});
