import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeBlobs } from "../../../lib/datasets";
import { Random } from "../../../lib/random";
import { numericalGradient, gradientRelativeError } from "../../../lib/math/gradcheck";
import { NotFittedError } from "../../../lib/ml/base";
import { MLPClassifier, initMlpWeights, mlpLossAndGradient, type MlpWeights } from "../../../lib/ml/mlp";

const NAMES = ["w1", "b1", "w2", "b2"] as const;
const flatten = (w: Pick<MlpWeights, (typeof NAMES)[number]>) => NAMES.flatMap((name) => Array.from(w[name]));

test("mlpLossAndGradient's backpropagation equals central finite differences (L2 term included)", () => {
  const rng = new Random(3);
  const X = Array.from({ length: 7 }, () => rng.array(5, (r) => r.normal()));
  const classIndex = X.map((_, i) => i % 3);
  const rows = [0, 1, 2, 3, 4, 5, 6];
  const weights = initMlpWeights(5, 4, 3, rng);
  const alpha = 0.3;
  const { gradient } = mlpLossAndGradient(weights, X, classIndex, rows, alpha);
  const lossAt = (flat: number[]) => {
    let offset = 0;
    const w = { ...weights };
    for (const name of NAMES) {
      w[name] = Float64Array.from(flat.slice(offset, offset + weights[name].length));
      offset += weights[name].length;
    }
    return mlpLossAndGradient(w, X, classIndex, rows, alpha).loss;
  };
  const numeric = numericalGradient(lossAt, flatten(weights));
  assert.ok(gradientRelativeError(flatten(gradient), numeric) < 1e-6, `relative error ${gradientRelativeError(flatten(gradient), numeric)}`);
});

test("the loss is mean cross-entropy plus (alpha/2)·‖W‖²/n on the kernels only", () => {
  const weights = initMlpWeights(2, 2, 2, new Random(0));
  weights.w1.set([1, 0, 0, 1]);
  weights.b1.set([0, 0]);
  weights.w2.set([1, 0, 0, 1]);
  weights.b2.set([0.5, -0.5]);
  // x = (1, 0): hidden (1, 0), logits (1.5, −0.5); class 0: CE = log(1 + e^−2).
  const { loss } = mlpLossAndGradient(weights, [[1, 0]], [0], [0], 0.2);
  assert.ok(Math.abs(loss - (Math.log(1 + Math.exp(-2)) + 0.1 * 4)) < 1e-12, `loss ${loss}`);
});

test("MLPClassifier learns separable blobs, repeats itself under a seed, and maps arbitrary labels", () => {
  const blobs = makeBlobs({ nSamples: 300, centers: [[0, 0], [5, 5], [0, 5]], clusterStd: 0.7, seed: 1 });
  const labels = blobs.y.map((c) => [3, 7, 9][c]!);
  const fit = (seed: number) => new MLPClassifier({ hiddenUnits: 8, learningRate: 0.02, epochs: 15, seed }).fit(blobs.X, labels);
  const model = fit(0);
  assert.deepEqual(model.classes_, [3, 7, 9]);
  assert.ok(model.score(blobs.X, labels) >= 0.97, `accuracy ${model.score(blobs.X, labels)}`);
  assert.equal(model.lossCurve_!.length, 15);
  assert.ok(model.lossCurve_![14]! < 0.3 * model.lossCurve_![0]!, `loss ${model.lossCurve_}`);
  model.predictProba(blobs.X).forEach((p) => assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12));
  assert.deepEqual(fit(0).lossCurve_, model.lossCurve_);
  assert.notDeepEqual(fit(1).lossCurve_, model.lossCurve_);
});

test("MLPClassifier refuses bad parameters and input, naming them", () => {
  assert.throws(() => new MLPClassifier({ hiddenUnits: 0 }), /hiddenUnits must be an integer ≥ 1, got 0/);
  assert.throws(() => new MLPClassifier({ learningRate: -1 }), /learningRate must be a finite number > 0, got -1/);
  assert.throws(() => new MLPClassifier({ epochs: 1.5 }), /epochs must be an integer ≥ 1, got 1.5/);
  assert.throws(() => new MLPClassifier({ alpha: Number.NaN }), /alpha must be a finite number ≥ 0/);
  assert.throws(() => new MLPClassifier().predict([[1, 2]]), NotFittedError);
  const model = new MLPClassifier({ epochs: 1 }).fit([[0, 0], [1, 1]], [0, 1]);
  assert.throws(() => model.predict([[1, 2, 3]]), /X has 3 features, but the estimator was fitted with 2/);
  assert.throws(() => new MLPClassifier().fit([[0], [1]], [1, 1]), /at least 2 classes/);
});
