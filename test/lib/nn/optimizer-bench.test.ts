import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { numericalGradient, gradientRelativeError } from "../../../lib/math/gradcheck";
import { quadratic, rosenbrock, rosenbrockGradient, rosenbrockTf, runOptimizer, stepsToReduce, withGradientClipping } from "../../../lib/nn/optimizer-bench";
import { sgd } from "../../../lib/nn/optimizers";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

test("rosenbrock: 0 at (1, 1), its analytic gradient = central finite differences at several points", () => {
  assert.equal(rosenbrock([1, 1]), 0);
  for (const p of [[-1.5, 2], [0, 0], [1.2, -0.7], [0.5, 0.3]]) {
    assert.ok(gradientRelativeError(rosenbrockGradient(p), numericalGradient(rosenbrock, p)) < 1e-8, `at ${p}`);
  }
});

test("rosenbrockTf: the same value and autodiff gradient as the float64 version (float32 tolerance)", () => {
  const v = tf.variable(tf.tensor1d([-1.5, 2]));
  const { value, grads } = tf.variableGrads(rosenbrockTf(v), [v]);
  assert.ok(Math.abs(value.dataSync()[0]! - rosenbrock([-1.5, 2])) < 1e-3);
  const g = Array.from(grads[v.name]!.dataSync());
  rosenbrockGradient([-1.5, 2]).forEach((gi, i) => assert.ok(Math.abs(g[i]! - gi) < 1e-3 * Math.abs(gi)));
  tf.dispose([value, grads[v.name]!, v]);
});

test("quadratic: ½xᵀHx and Hx by hand; rejects a mismatched Hessian", () => {
  const q = quadratic([[2, 1], [1, 4]], [1, 1]);
  assert.equal(q.value([1, -1]), 0.5 * (2 - 1 - 1 + 4)); // xᵀHx = 2 − 2 + 4 = 4
  assert.deepEqual(q.gradient([1, -1]), [1, -3]);
  assert.throws(() => quadratic([[1, 0]], [1, 1]), /hessian must be 2×2/);
});

test("stepsToReduce: gradient descent on f = ½λx² shrinks x by |1 − ηλ| a step, so f by (1 − ηλ)²", () => {
  // λ = 1, η = 0.5: f_t = f_0 · 0.25^t < 1e-6 f_0 first at t = ⌈ln 1e-6 / ln 0.25⌉ = 10.
  assert.equal(stepsToReduce(quadratic([[1]], [3]), sgd({ learningRate: 0.5 })), Math.ceil(Math.log(1e-6) / Math.log(0.25)));
  assert.equal(stepsToReduce(quadratic([[1]], [3]), sgd({ learningRate: 2 }), 100), Infinity); // |1 − ηλ| = 1: never
});

test("runOptimizer: the path of gradient descent on ½x², the first step below target, and divergence", () => {
  const run = runOptimizer(sgd({ learningRate: 0.5 }), quadratic([[1]], [1]), 5, { target: 0.01 });
  assert.deepEqual(run.path.map((p) => p[0]), [1, 0.5, 0.25, 0.125, 0.0625, 0.03125]);
  assert.equal(run.final, 0.5 * 0.03125 ** 2);
  assert.equal(run.firstBelow, 3); // f = ½·0.125² ≈ 0.0078
  const diverged = runOptimizer(sgd({ learningRate: 3 }), quadratic([[1]], [1]), 100, { divergeAbove: 1e6 });
  assert.equal(diverged.final, Infinity);
  assert.ok(diverged.path.length < 100 && Math.max(...diverged.values) <= 1e6);
  assert.throws(() => runOptimizer(sgd({ learningRate: 1 }), quadratic([[1]], [1]), -1), /steps must be/);
});

test("withGradientClipping: a gradient above maxNorm is rescaled to it, one below passes unchanged", () => {
  const clipped = withGradientClipping(sgd({ learningRate: 1 }), 5);
  assert.deepEqual(clipped.step([0, 0], [30, 40]), [-3, -4]); // norm 50 → 5, direction kept
  assert.deepEqual(clipped.step([0, 0], [3, 0]), [-3, 0]);
  assert.equal(clipped.iterations, 2);
  clipped.learningRate = 2;
  assert.deepEqual(clipped.step([0, 0], [0, 10]), [0, -10]);
  assert.throws(() => withGradientClipping(sgd({ learningRate: 1 }), 0), /maxNorm must be/);
});
