import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { adagrad, adam, minimizeLbfgs, momentum, rmsprop, sgd, type Optimizer } from "../../../lib/nn/optimizers";
import { numericalGradient } from "../../../lib/math/gradcheck";
import { solve } from "../../../lib/math/linalg";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

/** Each hand optimizer next to the tf.train optimizer with the same hyper-parameters. */
const pairs: { label: string; hand: () => Optimizer; reference: () => tf.Optimizer }[] = [
  { label: "sgd", hand: () => sgd({ learningRate: 0.05 }), reference: () => tf.train.sgd(0.05) },
  { label: "momentum", hand: () => momentum({ learningRate: 0.05, momentum: 0.9 }), reference: () => tf.train.momentum(0.05, 0.9) },
  {
    label: "nesterov",
    hand: () => momentum({ learningRate: 0.05, momentum: 0.9, useNesterov: true }),
    reference: () => tf.train.momentum(0.05, 0.9, true),
  },
  { label: "rmsprop", hand: () => rmsprop({ learningRate: 0.01 }), reference: () => tf.train.rmsprop(0.01) },
  {
    label: "rmsprop (momentum, centered)",
    hand: () => rmsprop({ learningRate: 0.01, decay: 0.8, momentum: 0.5, centered: true }),
    reference: () => tf.train.rmsprop(0.01, 0.8, 0.5, undefined, true),
  },
  { label: "adam", hand: () => adam({ learningRate: 0.05 }), reference: () => tf.train.adam(0.05) },
  {
    label: "adam (β, ε set)",
    hand: () => adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-3 }),
    reference: () => tf.train.adam(0.02, 0.8, 0.99, 1e-3),
  },
  { label: "adagrad", hand: () => adagrad({ learningRate: 0.1 }), reference: () => tf.train.adagrad(0.1) },
];

// f(θ) = Σ aᵢ(θᵢ − cᵢ)² + ½(θ₀θ₁ − 1)²: curved, coupled, gradients well away from zero along the path.
const a = [1, 3, 0.5, 2];
const c = [0.5, -1, 2, 0];
const start = [1.5, 0.5, -1, 2];
const gradient = (p: readonly number[]): number[] => {
  const coupling = p[0]! * p[1]! - 1;
  return p.map((v, i) => 2 * a[i]! * (v - c[i]!) + (i === 0 ? coupling * p[1]! : i === 1 ? coupling * p[0]! : 0));
};
const lossTensor = (v: tf.Tensor1D): tf.Scalar =>
  tf.tidy(() => {
    const quadratic = tf.sum(tf.mul(a, tf.square(tf.sub(v, c))));
    const coupling = tf.sub(tf.prod(v.slice(0, 2)), 1);
    return tf.add(quadratic, tf.mul(0.5, tf.square(coupling))) as tf.Scalar;
  });

/** max |hand − reference| / max(|reference|, 1): relative for large parameters, absolute near zero. */
const drift = (hand: number[], reference: ArrayLike<number>) =>
  Math.max(...hand.map((h, i) => Math.abs(h - reference[i]!) / Math.max(Math.abs(reference[i]!), 1)));

test("the analytic gradient of the test function matches finite differences", () => {
  const f = (p: number[]) => p.reduce((s, v, i) => s + a[i]! * (v - c[i]!) ** 2, 0) + 0.5 * (p[0]! * p[1]! - 1) ** 2;
  gradient(start).forEach((g, i) => assert.ok(Math.abs(g - numericalGradient(f, start)[i]!) < 1e-8));
});

// Fed identical gradients the two differ only by float32 round-off, dominated by hyper-parameters stored in
// float32: 1 − float32(0.999) is off by 1.3e-5 relative, which moves Adam's first step by ≈ 6e-6 relative.
test("fed the same gradients, every hand optimizer takes tf.train's steps within float32 round-off", () => {
  const grads = [[0.5, -1.2, 0.3, 2], [0.4, -0.8, 0.35, 1.5], [-0.2, 0.1, 0.3, 1]];
  for (const { label, hand, reference } of pairs) {
    const opt = hand();
    const ref = reference();
    const v = tf.variable(tf.tensor1d(start));
    let p = start;
    for (const g of grads) {
      p = opt.step(p, g);
      tf.tidy(() => ref.applyGradients({ [v.name]: tf.tensor1d(g) }));
      const d = drift(p, v.dataSync());
      assert.ok(d < 1e-5, `${label}: drift ${d}`);
    }
    ref.dispose();
    v.dispose();
  }
});

test("20-step trajectories (each side with its own gradients) agree with tf.train within 1e-4", () => {
  for (const { label, hand, reference } of pairs) {
    const opt = hand();
    const ref = reference();
    const v = tf.variable(tf.tensor1d(start));
    let p = start;
    for (let t = 1; t <= 20; t++) {
      p = opt.step(p, gradient(p));
      ref.minimize(() => lossTensor(v), false, [v]);
      const d = drift(p, v.dataSync());
      assert.ok(d < (t === 1 ? 1e-5 : 1e-4), `${label}: drift ${d} after ${t} steps`);
    }
    assert.ok(Math.abs(p[0]! - start[0]!) > 0.05, `${label} moved`);
    ref.dispose();
    v.dispose();
  }
});

test("centered RMSProp: finite where tfjs 4.22's ε placement gives NaN (a parameter with zero gradient)", () => {
  const opt = rmsprop({ learningRate: 0.01, centered: true });
  const ref = tf.train.rmsprop(0.01, 0.9, 0, undefined, true);
  const v = tf.variable(tf.tensor1d([1, 2]));
  const p = opt.step([1, 2], [0.5, 0]);
  tf.tidy(() => ref.applyGradients({ [v.name]: tf.tensor1d([0.5, 0]) }));
  const tfValues = v.dataSync();
  assert.equal(p[1], 2);
  assert.ok(Number.isNaN(tfValues[1]!), "tfjs computes √(s − (ḡ² + ε)) = √(−ε)");
  assert.ok(Math.abs(p[0]! - tfValues[0]!) < 1e-6);
  ref.dispose();
  v.dispose();
});

test("closed forms: momentum under a constant gradient, Adam's first step, AdamW's pure decay", () => {
  // Constant g: v_t = g(1 − μᵗ)/(1 − μ), so θ_T = θ₀ − lr·g·Σ_t (1 − μᵗ)/(1 − μ).
  const [lr, mu, g, steps] = [0.1, 0.9, 2, 10];
  const opt = momentum({ learningRate: lr, momentum: mu });
  let p = [0];
  for (let t = 0; t < steps; t++) p = opt.step(p, [g]);
  let expected = 0;
  for (let t = 1; t <= steps; t++) expected -= (lr * g * (1 - mu ** t)) / (1 - mu);
  assert.ok(Math.abs(p[0]! - expected) < 1e-12);

  // Bias correction makes Adam's first step lr·g/(|g| + ε) ≈ lr·sign(g), whatever the gradient's scale.
  const first = adam({ learningRate: 0.01, epsilon: 0 }).step([1, 1, 1], [1e-4, -3, 1e4]);
  first.forEach((v, i) => assert.ok(Math.abs(v - (1 - 0.01 * [1, -1, 1][i]!)) < 1e-15));

  // With zero gradient AdamW only decays: θ_T = θ₀(1 − lr·λ)ᵀ; with λ = 0 it is exactly Adam.
  const adamw = adam({ learningRate: 0.1, weightDecay: 0.5 });
  assert.equal(adamw.name, "adamw");
  let w = [3, -2];
  for (let t = 0; t < 5; t++) w = adamw.step(w, [0, 0]);
  w.forEach((v, i) => assert.ok(Math.abs(v - [3, -2][i]! * 0.95 ** 5) < 1e-12));
  assert.deepEqual(adam({ learningRate: 0.1, weightDecay: 0 }).step([1, 2], [0.3, -0.1]), adam({ learningRate: 0.1 }).step([1, 2], [0.3, -0.1]));
});

test("the learning rate can be changed between steps (what a schedule does); inputs are not mutated", () => {
  const opt = sgd({ learningRate: 1 });
  const params = [1];
  assert.deepEqual(opt.step(params, [1]), [0]);
  opt.learningRate = 0.5;
  assert.deepEqual(opt.step(params, [1]), [0.5]);
  assert.deepEqual(params, [1]);
  assert.equal(opt.iterations, 2);
  const { step } = opt; // works unbound too
  assert.deepEqual(step([1], [2]), [0]);
});

test("bad arguments are named", () => {
  assert.throws(() => sgd({ learningRate: -1 }), /sgd: learningRate must be a finite number ≥ 0, got -1/);
  assert.throws(() => momentum({ learningRate: 0.1, momentum: 1 }), /momentum: momentum must be in \[0, 1\), got 1/);
  assert.throws(() => adam({ beta2: 1.5 }), /adam: beta2 must be in \[0, 1\), got 1.5/);
  assert.throws(() => rmsprop({ learningRate: 0.1, epsilon: -1 }), /rmsprop: epsilon must be a finite number ≥ 0, got -1/);
  const opt = adam();
  assert.throws(() => opt.step([1, 2], [1]), /adam.step: 2 params but 1 grads/);
  opt.step([1, 2], [1, 1]);
  assert.throws(() => opt.step([1, 2, 3], [1, 1, 1]), /holds state for 2 params, got 3/);
  opt.learningRate = NaN;
  assert.throws(() => opt.step([1, 2], [1, 1]), /learningRate must be a finite number ≥ 0, got NaN/);
});

test("minimizeLbfgs: Rosenbrock's minimum (1, 1), and a quadratic's minimiser equals the linear solve", () => {
  const rosenbrock = ([x, y]: readonly number[]) => ({
    value: (1 - x!) ** 2 + 100 * (y! - x! * x!) ** 2,
    gradient: [-2 * (1 - x!) - 400 * x! * (y! - x! * x!), 200 * (y! - x! * x!)],
  });
  const r = minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIter: 500, tol: 1e-10 });
  assert.ok(r.converged, `gradient ${r.gradientMaxNorm} after ${r.iterations}`);
  r.x.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-8, `x = ${r.x}`));

  // f(x) = ½xᵀAx − bᵀx with A SPD: the minimiser solves A x = b.
  const A = [[4, 1, 0.5], [1, 3, -0.2], [0.5, -0.2, 2]];
  const b = [1, -2, 0.5];
  const Ax = (x: readonly number[]) => A.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
  const q = minimizeLbfgs((x) => {
    const ax = Ax(x);
    return { value: 0.5 * x.reduce((s, v, i) => s + v * ax[i]!, 0) - x.reduce((s, v, i) => s + v * b[i]!, 0), gradient: ax.map((v, i) => v - b[i]!) };
  }, [0, 0, 0], { tol: 1e-12 });
  solve(A, b).forEach((v, i) => assert.ok(Math.abs(q.x[i]! - v) < 1e-11));
  assert.equal(minimizeLbfgs(rosenbrock, [-1.2, 1], { maxIter: 3 }).converged, false);
  assert.throws(() => minimizeLbfgs(rosenbrock, [0, 0], { memory: 0 }), /memory must be an integer ≥ 1, got 0/);
});
