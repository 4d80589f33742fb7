// %% [markdown]
// # 01 · Gradient descent and backpropagation
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q8 | What is backpropagation, and what role does it play in training? | 什么是反向传播（Backpropagation）？它在模型训练中起到什么作用？ |
// | S1-Q1 | How do deep-learning algorithms work? | 深度学习算法如何工作？ |
// | S3-Q2 | Explain forward and backward propagation in deep learning. | 请解释深度学习中的前向传播和反向传播 |
// | S0-C1 | Implement backpropagation to train a simple linear-regression model. | 实现一个反向传播算法，用于训练一个简单的线性回归模型 |
//
// **The short answer an interviewer wants.** Training a network repeats four separate steps:
// the *forward pass* computes predictions and the loss from the current parameters; *backpropagation*
// computes the gradient of that loss with respect to every parameter by applying the chain rule backwards
// through the computation graph, reusing the values stored in the forward pass, at a cost of a small multiple
// of one forward pass; an *optimizer* (gradient descent, Adam, …) then uses the gradient to update the
// parameters; and the loop repeats over (mini-)batches. Backpropagation only computes gradients: it does
// not update anything. The learning rate must stay below 2/λmax (λmax the largest eigenvalue of the loss's
// Hessian) or the updates diverge.
//
// Below, each claim is proved by a check that would fail if the claim were false: gradient descent is
// compared with the exact least-squares solution, hand-written backprop with finite differences and with
// TensorFlow.js's autodiff, and the step-size limit with the Hessian's eigenvalues.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { matVec, solve, symmetricEigen, transpose, matMul } from "./lib/math/linalg";
import { numericalGradient, gradientRelativeError } from "./lib/math/gradcheck";
import { loadDigits } from "./lib/data";
import { trainTestSplit, take } from "./lib/split";
import { lineFigure } from "./lib/display/figures";
import { showFigure } from "./lib/display/plot";
import { showTable } from "./lib/display/display";
import { progress } from "./lib/display/progress";

const tfSetup = await setupTf({ seed: 0 });

// %% [markdown]
// ## 1. Gradient descent on linear regression, against the exact answer
//
// Data: 200 points of `y = 2x − 1 + ε` with `x` uniform in [−1, 3] and Gaussian noise ε (σ = 0.5), seeded.
// The model `ŷ = w·x + b` has the mean-squared-error loss
//
// $$L(w, b) = \frac{1}{n}\sum_i (w x_i + b - y_i)^2, \qquad
//   \frac{\partial L}{\partial w} = \frac{2}{n}\sum_i r_i x_i, \quad \frac{\partial L}{\partial b} = \frac{2}{n}\sum_i r_i,$$
//
// with residuals `r = ŷ − y`. Least squares also has a closed form, the normal equations
// `(XᵀX) θ* = Xᵀy` with `X = [x, 1]`; gradient descent must land on the same `θ*`.

// %%
const rng = new Random(0);
const nPoints = 200;
const xs = rng.array(nPoints, (r) => r.uniform(-1, 3));
const ys = xs.map((x) => 2 * x - 1 + rng.normal(0, 0.5));

/** Mean-squared error of the line (w, b) on (x, y). */
function mse(w: number, b: number, x: number[], y: number[]): number {
  return x.reduce((s, xi, i) => s + (w * xi + b - y[i]!) ** 2, 0) / x.length;
}

/** Gradient of the MSE: the mean (not the sum) over examples, so the step size does not depend on n. */
function mseGradient(w: number, b: number, x: number[], y: number[]): [number, number] {
  let gw = 0;
  let gb = 0;
  x.forEach((xi, i) => {
    const r = w * xi + b - y[i]!;
    gw += (2 * r * xi) / x.length;
    gb += (2 * r) / x.length;
  });
  return [gw, gb];
}

interface Trajectory {
  path: [number, number][];
  losses: number[];
}

/** Plain full-batch gradient descent: the gradient step and the update are the only two moves. */
function gradientDescent(start: [number, number], lr: number, steps: number, x: number[], y: number[]): Trajectory {
  let [w, b] = start;
  const path: [number, number][] = [[w, b]];
  const losses = [mse(w, b, x, y)];
  for (let t = 0; t < steps; t++) {
    const [gw, gb] = mseGradient(w, b, x, y);
    w -= lr * gw;
    b -= lr * gb;
    path.push([w, b]);
    losses.push(mse(w, b, x, y));
  }
  return { path: path, losses: losses };
}

// The exact answer: normal equations with the design matrix [x, 1].
const design = xs.map((x) => [x, 1]);
const [wStar, bStar] = solve(matMul(transpose(design), design), matVec(transpose(design), ys)) as [number, number];
const olsMse = mse(wStar, bStar, xs, ys);

// The Hessian of L is constant: H = (2/n) XᵀX. Its eigenvalues set the usable learning rates.
const hessian = matMul(transpose(design), design).map((row) => row.map((v) => (2 * v) / nPoints));
const { values: hessianEigenvalues } = symmetricEigen(hessian);
const lambdaMin = hessianEigenvalues[0]!;
const lambdaMax = hessianEigenvalues[1]!;

const fit = gradientDescent([-2, 3], 1 / lambdaMax, 2000, xs, ys);
const [wGd, bGd] = fit.path[fit.path.length - 1]!;
console.log(`normal equations: w* = ${wStar.toFixed(6)}, b* = ${bStar.toFixed(6)}, MSE* = ${olsMse.toFixed(6)}`);
console.log(`gradient descent: w  = ${wGd.toFixed(6)}, b  = ${bGd.toFixed(6)} after ${fit.path.length - 1} steps (lr = 1/λmax = ${(1 / lambdaMax).toFixed(4)})`);

// %%
check("GD reaches the normal-equation solution: |w − w*| and |b − b*| < 1e-6",
  Math.abs(wGd - wStar) < 1e-6 && Math.abs(bGd - bStar) < 1e-6,
  { wError: Math.abs(wGd - wStar), bError: Math.abs(bGd - bStar) });
checkClose("final GD loss equals the least-squares loss", fit.losses[fit.losses.length - 1]!, olsMse, { rel: 1e-9 });

// %% [markdown]
// The loss falls geometrically (a straight line on a log scale) until it reaches the floor set by the
// noise: the least-squares MSE, which is about σ² = 0.25. The distance to that floor is what shrinks.

// %%
await showFigure({
  data: [{
    x: fit.losses.map((_, t) => t).slice(0, 200),
    y: fit.losses.map((l) => l - olsMse).slice(0, 200),
    type: "scatter", mode: "lines", name: "L(θₜ) − L(θ*)",
  }],
  layout: {
    title: { text: "Gradient descent: excess loss per iteration" },
    xaxis: { title: { text: "iteration t" } },
    yaxis: { title: { text: "excess MSE (log scale)" }, type: "log", exponentformat: "power" },
  },
});

// %% [markdown]
// The loss surface over (w, b) is a bowl with elliptical contours, and gradient descent moves perpendicular to
// them. Whether the path zig-zags depends on the learning rate, not only on the bowl's elongation. Along the
// Hessian's steepest eigenvector the error is multiplied by 1 − ηλmax each step (section 2 derives this). With
// η = 1/λmax, the run above, that factor is 0: the steep component is gone after one step and the path runs
// straight down the valley. With 1/λmax < η < 2/λmax the factor is negative, so the steep component flips
// sign every step while it shrinks: that is the zig-zag. The plot shows both runs, η = 1/λmax and
// η = 0.9 · 2/λmax (factor −0.8), and the checks project each path onto that eigenvector.

// %%
const zigZagRun = gradientDescent([-2, 3], 0.9 * (2 / lambdaMax), 40, xs, ys);
const steepDirection = symmetricEigen(hessian).vectors.map((row) => row[1]!); // eigenvector of λmax (values ascend)
/** Component of θ − θ* along the steepest eigenvector. */
const steepComponent = ([w, b]: [number, number]) => (w - wStar) * steepDirection[0]! + (b - bStar) * steepDirection[1]!;
const straightSteep = fit.path.slice(0, 40).map(steepComponent);
const zigZagSteep = zigZagRun.path.map(steepComponent);
check("η = 1/λmax: the steep component vanishes after the first step (below 1e-9 of its start): no zig-zag",
  straightSteep.slice(1).every((c) => Math.abs(c) < 1e-9 * Math.abs(straightSteep[0]!)));
check("η = 0.9·2/λmax: the steep component flips sign at every one of 40 steps (zig-zag)",
  zigZagSteep.every((c, t) => t === 0 || Math.sign(c) === -Math.sign(zigZagSteep[t - 1]!)));
checkAllClose("…and is multiplied by exactly 1 − ηλmax = −0.8 each step", zigZagSteep.slice(1).map((c, t) => c / zigZagSteep[t]!), new Array(40).fill(1 - 0.9 * 2), { rel: 1e-6 });
const wGrid = Array.from({ length: 61 }, (_, i) => -2.5 + (i * 5.5) / 60);
const bGrid = Array.from({ length: 61 }, (_, j) => -3 + (j * 7) / 60);
const shownPath = fit.path.slice(0, 40);
await showFigure({
  data: [
    {
      x: wGrid, y: bGrid, z: bGrid.map((b) => wGrid.map((w) => Math.log10(mse(w, b, xs, ys)))),
      type: "contour", colorscale: "Viridis", name: "log10 MSE",
      colorbar: { title: { text: "log10 MSE" } }, contours: { coloring: "lines" },
    },
    { x: shownPath.map((p) => p[0]), y: shownPath.map((p) => p[1]), type: "scatter", mode: "lines+markers", name: "η = 1/λmax (40 steps)", marker: { size: 5 } },
    { x: zigZagRun.path.map((p) => p[0]), y: zigZagRun.path.map((p) => p[1]), type: "scatter", mode: "lines+markers", name: "η = 0.9·2/λmax: zig-zag (40 steps)", marker: { size: 4 }, line: { width: 1 } },
    { x: [wStar], y: [bStar], type: "scatter", mode: "markers", name: "least squares θ*", marker: { symbol: "x", size: 12, color: "red" } },
  ],
  layout: {
    title: { text: "MSE contours over (w, b) with two gradient-descent paths" },
    xaxis: { title: { text: "slope w" } },
    yaxis: { title: { text: "intercept b" } },
    legend: { orientation: "h", x: 0, y: -0.22 },
  },
}, { height: 480 });

// %% [markdown]
// ## 2. How large may the learning rate be?
//
// For a quadratic loss the error `δₜ = θₜ − θ*` evolves as `δₜ₊₁ = (I − η H) δₜ`. Along the eigenvector
// with eigenvalue λ it is multiplied by `1 − ηλ` each step, so gradient descent converges exactly when
// `|1 − ηλ| < 1` for every λ, i.e. **η < 2/λmax**. Past that bound the steepest direction overshoots
// further each step and the loss grows; this, not "premature convergence", is what a too-large learning
// rate does (a common wrong answer to S0-Q3). Asymptotically the excess loss is multiplied by
// `max_λ (1 − ηλ)²` per step, which the checks below compare with the measured ratio.

// %%
const stableLr = 0.9 * (2 / lambdaMax);
const unstableLr = 1.1 * (2 / lambdaMax);
const stableRun = gradientDescent([-2, 3], stableLr, 60, xs, ys);
const unstableRun = gradientDescent([-2, 3], unstableLr, 60, xs, ys);

/** L(θ) − L(θ*) = ½ δᵀHδ with δ = θ − θ*: exact for a quadratic, and free of the cancellation in L(θ) − L(θ*). */
function excessLoss([w, b]: [number, number]): number {
  const delta = [w - wStar, b - bStar];
  return 0.5 * delta.reduce((s, di, i) => s + di * delta.reduce((t, dj, j) => t + hessian[i]![j]! * dj, 0), 0);
}
/** Measured per-step factor of the excess loss at step t, where the slowest-decaying mode dominates. */
const measuredFactor = (run: Trajectory, t: number) => excessLoss(run.path[t]!) / excessLoss(run.path[t - 1]!);
const predictedFactor = (lr: number) => Math.max(...hessianEigenvalues.map((l) => (1 - lr * l) ** 2));

console.log(`λmin = ${lambdaMin.toFixed(4)}, λmax = ${lambdaMax.toFixed(4)}, 2/λmax = ${(2 / lambdaMax).toFixed(4)}`);
check("η = 0.9·2/λmax: the excess loss decreases at every one of 60 steps",
  stableRun.path.every((p, t) => t === 0 || excessLoss(p) < excessLoss(stableRun.path[t - 1]!)));
check("η = 1.1·2/λmax: the loss grows (diverges)",
  unstableRun.losses[unstableRun.losses.length - 1]! > 100 * unstableRun.losses[0]!,
  { initial: unstableRun.losses[0]!, final: unstableRun.losses[unstableRun.losses.length - 1]! });
// At step 60 the other mode's share is below (0.51/0.64)^60 ≈ 1e-6 of the ratio, so 1e-4 is a safe tolerance.
checkClose("stable run: measured contraction per step = max (1 − ηλ)²", measuredFactor(stableRun, 60), predictedFactor(stableLr), { rel: 1e-4 });
checkClose("unstable run: measured growth per step = (1 − ηλmax)²", measuredFactor(unstableRun, 60), predictedFactor(unstableLr), { rel: 1e-4 });

// %%
await showFigure({
  data: [
    { y: stableRun.losses, type: "scatter", mode: "lines", name: "η = 0.9 · 2/λmax" },
    { y: unstableRun.losses, type: "scatter", mode: "lines", name: "η = 1.1 · 2/λmax" },
  ],
  layout: {
    title: { text: "Just below vs just above the stability limit 2/λmax" },
    xaxis: { title: { text: "iteration t" } },
    yaxis: { title: { text: "MSE (log scale)" }, type: "log", exponentformat: "power" },
  },
});

// %% [markdown]
// ## 3. Backpropagation is the chain rule, run backwards
//
// Take a two-layer network with one tanh hidden layer, `x ∈ ℝ² → h = tanh(W₁x + b₁) ∈ ℝ³ → ŷ = W₂h + b₂`,
// and the loss `L = ½ (ŷ − y)²` averaged over a batch. The **forward pass** computes and stores every
// intermediate value. The **backward pass** starts from `∂L/∂ŷ = ŷ − y` and walks the graph in reverse,
// multiplying by each node's local derivative:
//
// * `∂L/∂W₂ = δ₂ hᵀ`, `∂L/∂b₂ = δ₂` with `δ₂ = ŷ − y`
// * `∂L/∂h = W₂ᵀ δ₂`, then through tanh: `δ₁ = ∂L/∂h ⊙ (1 − h²)` (it reuses the stored `h`)
// * `∂L/∂W₁ = δ₁ xᵀ`, `∂L/∂b₁ = δ₁`
//
// Each parameter's gradient costs one multiply-add per connection: that is why backprop is only a small
// constant factor more expensive than the forward pass, while finite differences need two forward passes
// *per parameter*. Written by hand in float64:

// %%
interface TwoLayerParams {
  w1: number[][]; // [hidden][input]
  b1: number[];
  w2: number[]; // [hidden]
  b2: number;
}

interface ForwardCache {
  z1: number[];
  h: number[];
  yHat: number;
  loss: number;
}

function forward(p: TwoLayerParams, x: number[], y: number): ForwardCache {
  const z1 = p.w1.map((row, j) => row.reduce((s, wji, i) => s + wji * x[i]!, p.b1[j]!));
  const h = z1.map(Math.tanh);
  const yHat = h.reduce((s, hj, j) => s + p.w2[j]! * hj, p.b2);
  return { z1: z1, h: h, yHat: yHat, loss: 0.5 * (yHat - y) ** 2 };
}

/** Backward pass for one example; gradients have the same shapes as the parameters. */
function backward(p: TwoLayerParams, x: number[], y: number, cache: ForwardCache): TwoLayerParams {
  const delta2 = cache.yHat - y; // ∂L/∂ŷ
  const dh = p.w2.map((w2j) => w2j * delta2); // ∂L/∂h = W₂ᵀ δ₂
  const delta1 = dh.map((g, j) => g * (1 - cache.h[j]! ** 2)); // through tanh′(z) = 1 − tanh²(z)
  return {
    w1: delta1.map((d) => x.map((xi) => d * xi)),
    b1: delta1,
    w2: cache.h.map((hj) => delta2 * hj),
    b2: delta2,
  };
}

/** Mean loss and mean gradient over a batch. */
function batchLossAndGradient(p: TwoLayerParams, xBatch: number[][], yBatch: number[]): { loss: number; grad: TwoLayerParams } {
  const n = xBatch.length;
  let loss = 0;
  const grad: TwoLayerParams = { w1: p.w1.map((row) => row.map(() => 0)), b1: p.b1.map(() => 0), w2: p.w2.map(() => 0), b2: 0 };
  xBatch.forEach((x, k) => {
    const cache = forward(p, x, yBatch[k]!);
    const g = backward(p, x, yBatch[k]!, cache);
    loss += cache.loss / n;
    g.w1.forEach((row, j) => row.forEach((v, i) => (grad.w1[j]![i]! += v / n)));
    g.b1.forEach((v, j) => (grad.b1[j]! += v / n));
    g.w2.forEach((v, j) => (grad.w2[j]! += v / n));
    grad.b2 += g.b2 / n;
  });
  return { loss: loss, grad: grad };
}

/** Flat parameter vector ⇄ structured parameters, so a generic gradient checker can perturb them. */
const flattenParams = (p: TwoLayerParams): number[] => [...p.w1.flat(), ...p.b1, ...p.w2, p.b2];
function unflattenParams(v: number[]): TwoLayerParams {
  return { w1: [v.slice(0, 2), v.slice(2, 4), v.slice(4, 6)], b1: v.slice(6, 9), w2: v.slice(9, 12), b2: v[12]! };
}

const netRng = new Random(1);
const params: TwoLayerParams = unflattenParams(netRng.array(13, (r) => r.normal(0, 0.8)));
const xBatch = [[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8], [0.1, 2.0]];
const yBatch = [0.3, -0.8, 1.1, 0.4];

// %% [markdown]
// One example through the graph: the forward value of every node, then the gradient the backward pass
// assigns to it. Read the right column bottom-up: that is the order backprop computes it.

// %%
const firstCache = forward(params, xBatch[0]!, yBatch[0]!);
const firstGrad = backward(params, xBatch[0]!, yBatch[0]!, firstCache);
const firstDh = params.w2.map((w) => w * (firstCache.yHat - yBatch[0]!));
showTable([
  ...firstCache.z1.map((z, j) => ({ node: `z1[${j}] = W₁x + b₁`, forward: z, "∂L/∂node": firstGrad.b1[j]! })),
  ...firstCache.h.map((h, j) => ({ node: `h[${j}] = tanh(z1[${j}])`, forward: h, "∂L/∂node": firstDh[j]! })),
  { node: "ŷ = W₂h + b₂", forward: firstCache.yHat, "∂L/∂node": firstCache.yHat - yBatch[0]! },
  { node: "L = ½(ŷ − y)²", forward: firstCache.loss, "∂L/∂node": 1 },
], { caption: `Forward values and backward gradients for x = [${xBatch[0]}], y = ${yBatch[0]}` });

// %% [markdown]
// **Is the hand-written backward pass right?** Finite differences need no calculus at all:
// `∂L/∂θᵢ ≈ (L(θ + εeᵢ) − L(θ − εeᵢ)) / 2ε`. In float64 with ε = 1e-5 the two must agree to about 1e-9.
// TensorFlow.js's automatic differentiation (`tf.grads`) is a second, independent reference; it computes
// in float32, so agreement is to about 1e-6 there.

// %%
const handGradient = flattenParams(batchLossAndGradient(params, xBatch, yBatch).grad);
const finiteDifferences = numericalGradient((v) => batchLossAndGradient(unflattenParams(v), xBatch, yBatch).loss, flattenParams(params));
const fdError = gradientRelativeError(handGradient, finiteDifferences);
check("hand backprop = central finite differences for all 13 parameters (relative error < 1e-6)", fdError < 1e-6, { relativeError: fdError });

const autodiffGradient = tf.tidy(() => {
  const x = tf.tensor2d(xBatch);
  const y = tf.tensor1d(yBatch);
  const lossOf = (w1: tf.Tensor, b1: tf.Tensor, w2: tf.Tensor, b2: tf.Tensor) => {
    const h = tf.tanh(tf.add(tf.matMul(x, w1, false, true), b1)); // [batch, hidden]
    const yHat = tf.add(tf.sum(tf.mul(h, w2), 1), b2);
    return tf.mean(tf.mul(0.5, tf.square(tf.sub(yHat, y))));
  };
  const grads = tf.grads(lossOf)([tf.tensor2d(params.w1), tf.tensor1d(params.b1), tf.tensor1d(params.w2), tf.scalar(params.b2)]);
  return grads.flatMap((g) => Array.from(g.dataSync()));
});
const autodiffError = gradientRelativeError(handGradient, autodiffGradient);
check("hand backprop = tf.grads (float32 autodiff) within relative error 1e-4", autodiffError < 1e-4, { relativeError: autodiffError });

// %% [markdown]
// ## 4. How a deep-learning framework trains: forward, backward, step
//
// The seed answer to S1-Q1 shows a Keras model and calls `fit()`, which hides all of it. Here is one
// training step written out in TensorFlow.js on real data (the UCI 8×8 handwritten digits, 1,797 images,
// shipped in `data/`): the forward pass and loss, `tf.variableGrads` for backpropagation, and the optimizer
// applying the gradients. The check proves that this is exactly what `model.fit` does: the same step from
// the same weights gives the same new weights.

// %%
const digits = loadDigits();
const digitSplit = trainTestSplit(digits.target.length, { testFraction: 0.2, seed: 0, stratify: digits.target });
const scaleImages = (rows: number[][]) => tf.tensor2d(rows.map((r) => r.map((v) => v / 16)));
const xTrain = scaleImages(take(digits.data, digitSplit.train));
const xTest = scaleImages(take(digits.data, digitSplit.test));
const labelsTrain = take(digits.target, digitSplit.train);
const labelsTest = take(digits.target, digitSplit.test);
// The targets for categorical cross-entropy are one-hot rows.
const yTrain = tf.oneHot(tf.tensor1d(labelsTrain, "int32"), 10).toFloat();

function digitModel(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 32, activation: "relu", inputShape: [64] }),
      tf.layers.dense({ units: 10, activation: "softmax" }),
    ],
  });
}

/** One explicit training step: forward + loss, backward (gradients only), optimizer update. */
function trainStep(model: tf.Sequential, optimizer: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): number {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => tf.mean(tf.metrics.categoricalCrossentropy(y, model.predict(x) as tf.Tensor)) as tf.Scalar, variables);
  optimizer.applyGradients(grads); // the update: the only place parameters change
  const loss = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

const explicitModel = digitModel();
const fitModel = digitModel();
fitModel.setWeights(explicitModel.getWeights());
trainStep(explicitModel, tf.train.sgd(0.5), xTrain, yTrain);
fitModel.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
await fitModel.fit(xTrain, yTrain, { batchSize: labelsTrain.length, epochs: 1, shuffle: false, verbose: 0 });
const fitWeights = fitModel.getWeights();
explicitModel.getWeights().forEach((w, i) => {
  checkAllClose(`explicit step = model.fit step for weight tensor ${i} (${w.shape.join("×")})`, w, fitWeights[i]!, { abs: 1e-6 });
});

// %% [markdown]
// The explicit step in a mini-batch loop is a complete trainer. Its held-out accuracy is compared with the
// majority-class baseline (always predict the most common training digit).

// %%
function accuracy(model: tf.Sequential, x: tf.Tensor2D, labels: number[]): number {
  const predicted = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).argMax(1).dataSync()));
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

const optimizer = tf.train.sgd(0.5);
const epochs = 15;
const batchSize = 32;
const shuffleRng = new Random(2);
const bar = progress({ total: epochs, label: "digits MLP 64-32-10, explicit training loop" });
for (let epoch = 1; epoch <= epochs; epoch++) {
  const order = shuffleRng.permutation(labelsTrain.length);
  let epochLoss = 0;
  for (let start = 0; start < order.length; start += batchSize) {
    const batch = tf.tensor1d(order.slice(start, start + batchSize), "int32");
    const xb = tf.gather(xTrain, batch);
    const yb = tf.gather(yTrain, batch);
    epochLoss += trainStep(explicitModel, optimizer, xb, yb) * batch.shape[0]!;
    tf.dispose([batch, xb, yb]);
  }
  bar.update(epoch, { loss: epochLoss / order.length });
}
bar.done();

const testAccuracy = accuracy(explicitModel, xTest, labelsTest);
const counts = Array.from({ length: 10 }, (_, d) => labelsTrain.filter((l) => l === d).length);
const majorityDigit = counts.indexOf(Math.max(...counts));
const baselineAccuracy = labelsTest.filter((l) => l === majorityDigit).length / labelsTest.length;
console.log(`held-out accuracy ${testAccuracy.toFixed(3)} vs majority baseline ${baselineAccuracy.toFixed(3)} on ${labelsTest.length} images`);
check("held-out accuracy ≥ 0.93 (majority baseline ≈ 0.10)", testAccuracy >= 0.93, { testAccuracy: testAccuracy, baselineAccuracy: baselineAccuracy });

// %% [markdown]
// The 0.93 bound lies below the held-out accuracy of seeds 0–4 (0.958–0.986, one seed each for the split,
// the initial weights and the batch order) and far above what a broken backward pass reaches (0.10).
//
// ## 5. Why the gradient is a mean, not a sum
//
// The seed's S0-C1 code sums the gradient over examples. The sum is the gradient of `½·SSE`, whose Hessian
// grows with the dataset: λmax is about `Σxᵢ²`. A learning rate that works on 5 points then diverges on 10.
// With the mean, the Hessian (and so the stable learning rate) depends on the *spread* of x, not on how many
// points there are. Below, the seed's setting (`y = x`, lr = 0.01) is run both ways for 5,000 steps.

// %%
/** The seed's update rule, with a choice of reduction: "sum" is the seed's, "mean" the fix. */
function runSeedRegression(x: number[], lr: number, reduction: "sum" | "mean", steps: number): number[] {
  const y = x; // the seed's noise-free data
  let w = 0.5;
  let b = 0.5;
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    const errors = x.map((xi, i) => w * xi + b - y[i]!);
    const scale = reduction === "sum" ? 1 : 1 / x.length;
    const dw = scale * errors.reduce((s, e, i) => s + e * x[i]!, 0);
    const db = scale * errors.reduce((s, e) => s + e, 0);
    w -= lr * dw;
    b -= lr * db;
    losses.push(mse(w, b, x, y));
  }
  return losses;
}

/** Largest eigenvalue of the update's Hessian: [[Σx², Σx], [Σx, n]], divided by n for the mean. */
function updateLambdaMax(x: number[], reduction: "sum" | "mean"): number {
  const sx = x.reduce((s, v) => s + v, 0);
  const sxx = x.reduce((s, v) => s + v * v, 0);
  const scale = reduction === "sum" ? 1 : 1 / x.length;
  return symmetricEigen([[sxx * scale, sx * scale], [sx * scale, x.length * scale]]).values[1]!;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const spread = (n: number) => Array.from({ length: n }, (_, i) => (4 * i) / (n - 1)); // n points spanning [0, 4]
const settings = [
  { name: "sum, x = 0…4 (seed)", x: range(5), reduction: "sum" as const },
  { name: "sum, x = 0…9", x: range(10), reduction: "sum" as const },
  { name: "mean, 5 points in [0, 4]", x: spread(5), reduction: "mean" as const },
  { name: "mean, 500 points in [0, 4]", x: spread(500), reduction: "mean" as const },
];
const reductionRuns = settings.map((s) => {
  const losses = runSeedRegression(s.x, 0.01, s.reduction, 5000);
  const lambda = updateLambdaMax(s.x, s.reduction);
  return { setting: s.name, "2/λmax": 2 / lambda, "lr 0.01 < 2/λmax": 0.01 < 2 / lambda, "final MSE": losses[losses.length - 1]!, losses: losses };
});
showTable(reductionRuns.map((r) => ({ setting: r.setting, "2/λmax": r["2/λmax"], "stable by theory": r["lr 0.01 < 2/λmax"], "MSE after 5,000 steps": r["final MSE"] })));

const runFor = (name: string) => reductionRuns.find((r) => r.setting === name)!;
check("sum-reduced gradients, lr 0.01: converge on x = 0…4 but diverge on x = 0…9",
  runFor("sum, x = 0…4 (seed)")["final MSE"] < 1e-10 && !(runFor("sum, x = 0…9")["final MSE"] < 1e3));
check("mean-reduced gradients: the same lr converges for n = 5 and n = 500",
  runFor("mean, 5 points in [0, 4]")["final MSE"] < 1e-8 && runFor("mean, 500 points in [0, 4]")["final MSE"] < 1e-8);
check("the closed form predicts every outcome: converged ⇔ lr < 2/λmax",
  reductionRuns.every((r) => (r["final MSE"] < 1e-8) === r["lr 0.01 < 2/λmax"]));

// %%
await showFigure({
  data: reductionRuns.map((r) => ({
    y: r.losses.slice(0, 1000).map((l) => Math.min(l, 1e30)),
    type: "scatter" as const, mode: "lines" as const, name: r.setting,
  })),
  layout: {
    title: { text: "Same learning rate (0.01): sum-reduced vs mean-reduced gradients" },
    xaxis: { title: { text: "iteration t" } },
    yaxis: { title: { text: "MSE (log scale, capped at 1e30)" }, type: "log", exponentformat: "power" },
  },
});

// %% [markdown]
// ## 6. Forward mode or reverse mode?
//
// **Interviewer: "Backprop is reverse-mode automatic differentiation. What is forward mode, and why does
// training use reverse mode?"** *Short answer:* both apply the chain rule exactly. Forward mode carries a
// derivative along with every value, from the inputs to the outputs: one pass gives `J·v`, one column of
// the Jacobian, so the full Jacobian of `f: ℝⁿ → ℝᵐ` costs n passes. Reverse mode records the forward pass
// and carries derivatives of an output back to the inputs: one backward sweep gives `uᵀJ`, one row, so the
// Jacobian costs m sweeps. A training loss has m = 1 output and millions of inputs (the parameters), so one
// backward sweep gives the whole gradient; forward mode would need a pass per parameter. The price of
// reverse mode is memory: the recorded values (section 7).
//
// *Long answer.* Forward mode is easiest with **dual numbers** `v + v′ε` with `ε² = 0`: every operation
// acts on the value and, by its derivative rule, on the tangent, `(a + a′ε)(b + b′ε) = ab + (a′b + ab′)ε`,
// `sin(a + a′ε) = sin a + cos a · a′ε`. Seed input j with tangent 1 and the others with 0, run the program
// once, and the output tangents are `∂fᵢ/∂xⱼ`. Reverse mode is section 3's backprop made generic: the forward
// pass writes each value's parents and local derivatives on a *tape*; a sweep from output i backwards
// accumulates adjoints `x̄ = ∂fᵢ/∂x`. Below, one random straight-line program of 40 operations (`+`, `×`,
// `sin`, `tanh` on randomly chosen earlier values) is differentiated both ways, written once over an
// `Arithmetic<T>` that each mode implements, for several (n, m), against central finite differences.

// %%
/** The operations a program may use; each way of computing supplies its own number type T. */
interface Arithmetic<T> {
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  sin(a: T): T;
  tanh(a: T): T;
}
type Operation = { op: keyof Arithmetic<number>; a: number; b: number };
interface Program { nInputs: number; nOutputs: number; operations: Operation[] }

/** A random straight-line program: operation k reads one or two of the n + k values before it. */
function randomProgram(nInputs: number, nOutputs: number, nOperations: number, rng: Random): Program {
  const kinds: Operation["op"][] = ["add", "mul", "sin", "tanh"];
  const operations = Array.from({ length: nOperations }, (_, k) => ({ op: kinds[rng.int(0, 4)]!, a: rng.int(0, nInputs + k), b: rng.int(0, nInputs + k) }));
  return { nInputs: nInputs, nOutputs: nOutputs, operations: operations };
}

let programPasses = 0; // how often a program is run from its inputs to its outputs, in any arithmetic
/** Runs the program on inputs of any number type; the outputs are its last nOutputs values. */
function runProgram<T>(program: Program, arithmetic: Arithmetic<T>, inputs: T[]): T[] {
  programPasses++;
  const values = [...inputs];
  for (const { op, a, b } of program.operations) {
    values.push(op === "add" || op === "mul" ? arithmetic[op](values[a]!, values[b]!) : arithmetic[op](values[a]!));
  }
  return values.slice(-program.nOutputs);
}
const plainNumbers: Arithmetic<number> = { add: (a, b) => a + b, mul: (a, b) => a * b, sin: Math.sin, tanh: Math.tanh };

/** Forward mode: a dual number v + v′ε carries a value and its derivative along one input direction. */
interface Dual { value: number; tangent: number }
const dualNumbers: Arithmetic<Dual> = {
  add: (a, b) => ({ value: a.value + b.value, tangent: a.tangent + b.tangent }),
  mul: (a, b) => ({ value: a.value * b.value, tangent: a.tangent * b.value + a.value * b.tangent }),
  sin: (a) => ({ value: Math.sin(a.value), tangent: Math.cos(a.value) * a.tangent }),
  tanh: (a) => {
    const t = Math.tanh(a.value);
    return { value: t, tangent: (1 - t * t) * a.tangent };
  },
};

/** Jacobian [m][n] by forward mode: pass j seeds input j with tangent 1, and its output tangents are column j. */
function jacobianForward(program: Program, x: number[]): number[][] {
  const columns = x.map((_, j) => runProgram(program, dualNumbers, x.map((v, i) => ({ value: v, tangent: i === j ? 1 : 0 }))).map((o) => o.tangent));
  return Array.from({ length: program.nOutputs }, (_, i) => columns.map((column) => column[i]!));
}

/** Reverse mode: the recording pass computes plain values and notes each one's parents and local derivatives. */
interface TapeEntry { parents: number[]; partials: number[] }
function recordingArithmetic(tape: TapeEntry[], values: number[]): Arithmetic<number> {
  const record = (value: number, parents: number[], partials: number[]) => {
    tape.push({ parents: parents, partials: partials });
    return values.push(value) - 1; // a value is known by its index on the tape
  };
  return {
    add: (a, b) => record(values[a]! + values[b]!, [a, b], [1, 1]),
    mul: (a, b) => record(values[a]! * values[b]!, [a, b], [values[b]!, values[a]!]),
    sin: (a) => record(Math.sin(values[a]!), [a], [Math.cos(values[a]!)]),
    tanh: (a) => {
      const t = Math.tanh(values[a]!);
      return record(t, [a], [1 - t * t]);
    },
  };
}

let backwardSweeps = 0;
/** Jacobian by reverse mode: one recorded forward pass, then one backward sweep per output gives row i. */
function jacobianReverse(program: Program, x: number[]): number[][] {
  const tape: TapeEntry[] = x.map(() => ({ parents: [], partials: [] }));
  const values = [...x];
  const outputs = runProgram(program, recordingArithmetic(tape, values), x.map((_, i) => i));
  return outputs.map((output) => {
    backwardSweeps++;
    const adjoint = new Array<number>(values.length).fill(0);
    adjoint[output] = 1;
    for (let node = values.length - 1; node >= 0; node--) {
      tape[node]!.parents.forEach((parent, k) => (adjoint[parent]! += adjoint[node]! * tape[node]!.partials[k]!));
    }
    return adjoint.slice(0, x.length);
  });
}

const programRng = new Random(11);
const modeRows = [[1, 6], [6, 1], [4, 3], [12, 2], [200, 1]].map(([n, m]) => {
  const program = randomProgram(n!, m!, 40, programRng);
  const x = programRng.array(n!, (r) => r.uniform(-1, 1));
  const finiteDifferences = Array.from({ length: m! }, (_, i) => numericalGradient((v) => runProgram(program, plainNumbers, v)[i]!, x));
  programPasses = 0;
  const forwardJacobian = jacobianForward(program, x);
  const forwardPasses = programPasses;
  programPasses = 0;
  backwardSweeps = 0;
  const reverseJacobian = jacobianReverse(program, x);
  /** Worst entry-wise error against finite differences, relative to max(1, |entry|). */
  const error = (jacobian: number[][]) => Math.max(...jacobian.flatMap((row, i) => row.map((v, j) => Math.abs(v - finiteDifferences[i]![j]!) / Math.max(1, Math.abs(finiteDifferences[i]![j]!)))));
  return {
    "inputs n": n!, "outputs m": m!, "forward-mode passes": forwardPasses, "reverse: recording passes": programPasses, "reverse: backward sweeps": backwardSweeps,
    "forward vs finite differences": error(forwardJacobian), "reverse vs finite differences": error(reverseJacobian),
  };
});
showTable(modeRows, { caption: "The Jacobian of random 40-operation programs, both ways", digits: 3 });
check("forward and reverse mode both give the finite-difference Jacobian (error < 1e-7) for every (n, m)",
  modeRows.every((r) => r["forward vs finite differences"] < 1e-7 && r["reverse vs finite differences"] < 1e-7));
check("forward mode needs n passes (one per input), reverse mode one recording pass and m sweeps (one per output)",
  modeRows.every((r) => r["forward-mode passes"] === r["inputs n"] && r["reverse: recording passes"] === 1 && r["reverse: backward sweeps"] === r["outputs m"]));

// %% [markdown]
// The last row is a training step in miniature: 200 inputs (parameters), 1 output (the loss). Forward mode
// ran the program 200 times; reverse mode ran it once and swept back once. Each sweep does one multiply-add
// per tape edge, a small constant multiple of the forward pass, which is the "cheap gradient" result behind
// backprop. Forward mode has its uses where n ≪ m, or for one Jacobian-vector product `J·v` (a single pass,
// no tape: forward-over-reverse is how Hessian-vector products are computed). `tf.grad` and PyTorch's
// `backward()` are reverse mode; JAX offers both (`jax.jvp`, `jax.vjp`).
//
// ## 7. What reverse mode stores, and gradient checkpointing
//
// **Interviewer: "What does backprop keep in memory, and what do you do when it does not fit?"** *Short
// answer:* the backward pass through a layer needs that layer's input (for `∂L/∂W = Aᵀ·Δ`) and output
// (for the activation's derivative), so plain backprop keeps every layer's activations from the forward
// pass: for an MLP, `batch × Σ widths` floats, input included, growing with depth and batch size (the
// weights do not). Gradient checkpointing keeps only every k-th activation and recomputes the others, one
// segment at a time, during the backward pass. With k ≈ √L for L layers it holds about 2√L activations
// instead of L + 1, and recomputes each discarded one exactly once: at most one extra forward pass.
//
// *Long answer.* A tanh MLP without biases and the loss `½‖A_L‖²/B` (any loss works); an `ActivationStore`
// holds what the backward pass may read and counts the floats it holds at its peak. Setting
// `checkpointEvery = 1` is plain backprop: keep everything.

// %%
/** Floats held for the backward pass: activations by layer index, the current and peak count, recomputations. */
class ActivationStore {
  private held = new Map<number, number[][]>();
  floats = 0;
  peakFloats = 0;
  recomputed = 0;
  put(layer: number, activation: number[][]): void {
    this.held.set(layer, activation);
    this.floats += activation.length * activation[0]!.length;
    this.peakFloats = Math.max(this.peakFloats, this.floats);
  }
  has(layer: number): boolean { return this.held.has(layer); }
  get(layer: number): number[][] { return this.held.get(layer)!; }
  drop(layer: number): void {
    const activation = this.held.get(layer);
    if (activation) this.floats -= activation.length * activation[0]!.length;
    this.held.delete(layer);
  }
}

/** tanh(A·W): one layer of the chain; kernels are [in][out]. */
const tanhLayer = (input: number[][], kernel: number[][]) => matMul(input, kernel).map((row) => row.map(Math.tanh));

/**
 * Loss ½‖A_L‖²/B and ∂L/∂(every kernel) for a chain of tanh layers. The forward pass keeps A₀ (the input),
 * every `checkpointEvery`-th activation and A_L; the backward pass recomputes a missing input from the
 * nearest kept activation below it, and drops each activation once it has been used.
 */
function chainGradient(kernels: number[][][], x: number[][], checkpointEvery: number) {
  const store = new ActivationStore();
  const depth = kernels.length;
  let activation = x;
  store.put(0, x);
  for (let l = 1; l <= depth; l++) {
    activation = tanhLayer(activation, kernels[l - 1]!);
    if (l % checkpointEvery === 0 || l === depth) store.put(l, activation);
  }
  const loss = activation.flat().reduce((s, v) => s + v * v, 0) / (2 * x.length);
  let delta = activation.map((row) => row.map((v) => v / x.length)); // ∂L/∂A_L
  const grads: number[][][] = new Array(depth);
  for (let l = depth; l >= 1; l--) {
    let below = l - 1;
    while (!store.has(below)) below--;
    for (let k = below + 1; k < l; k++) {
      store.put(k, tanhLayer(store.get(k - 1), kernels[k - 1]!));
      store.recomputed++;
    }
    const output = store.get(l);
    const dPre = delta.map((row, i) => row.map((g, j) => g * (1 - output[i]![j]! ** 2))); // through tanh′ = 1 − A²
    grads[l - 1] = matMul(transpose(store.get(l - 1)), dPre);
    delta = matMul(dPre, transpose(kernels[l - 1]!));
    store.drop(l);
  }
  return { loss: loss, grads: grads, peakFloats: store.peakFloats, recomputed: store.recomputed };
}

const chainRng = new Random(12);
const randomKernels = (widths: number[]) => widths.slice(1).map((out, l) => Array.from({ length: widths[l]! }, () => chainRng.array(out, (r) => r.normal(0, 1.2 / Math.sqrt(widths[l]!)))));
const randomBatch = (batch: number, width: number) => Array.from({ length: batch }, () => chainRng.array(width, (r) => r.normal()));

// Plain backprop on MLPs of random depth, widths and batch size: is the gradient right, and what did it keep?
const storageRows = Array.from({ length: 6 }, () => {
  const widths = chainRng.array(chainRng.int(2, 7), (r) => r.int(1, 9));
  const batch = chainRng.int(1, 9);
  const kernels = randomKernels(widths);
  const x = randomBatch(batch, widths[0]!);
  const plain = chainGradient(kernels, x, 1);
  const unflatten = (v: number[]) => {
    let offset = 0;
    return kernels.map((kernel) => kernel.map((row) => v.slice(offset, (offset += row.length))));
  };
  const numeric = numericalGradient((v) => chainGradient(unflatten(v), x, 1).loss, kernels.flat(2));
  return {
    widths: widths.join("-"), batch: batch, "stored floats (peak)": plain.peakFloats, "batch × Σ widths": batch * widths.reduce((s, w) => s + w, 0),
    "gradient vs finite differences": gradientRelativeError(plain.grads.flat(2), numeric),
  };
});
showTable(storageRows, { caption: "Plain backprop keeps every activation", digits: 3 });
check("plain backprop is right (relative error < 1e-6) and holds exactly batch × Σ widths floats, for 6 random MLPs",
  storageRows.every((r) => r["gradient vs finite differences"] < 1e-6 && r["stored floats (peak)"] === r["batch × Σ widths"]));

// %% [markdown]
// Now checkpointing on chains of L equal-width layers, for every L up to 64 and every interval k ≤ L. Counted
// in activations (one is `batch × width` floats), plain backprop holds L + 1. With k, the forward pass keeps
// about L/k of them and the backward pass recomputes at most k − 1 at a time, so the peak is at most
// `⌈L/k⌉ + k`, smallest near k = √L; and every discarded activation, `L − ⌈L/k⌉` of them, is recomputed exactly
// once. The gradient must not change at all: the same operations run in the same order.

// %%
const checkpointRows: { depth: number; every: number; peak: number; recomputed: number; sameGradient: boolean }[] = [];
for (let depth = 1; depth <= 64; depth++) {
  const kernels = randomKernels(new Array<number>(depth + 1).fill(2));
  const x = randomBatch(1, 2);
  const plain = chainGradient(kernels, x, 1);
  for (let every = 1; every <= depth; every++) {
    const run = chainGradient(kernels, x, every);
    checkpointRows.push({ depth: depth, every: every, peak: run.peakFloats / 2, recomputed: run.recomputed, sameGradient: JSON.stringify(run.grads) === JSON.stringify(plain.grads) });
  }
}
const byDepth = (depth: number) => checkpointRows.filter((r) => r.depth === depth);
const sqrtRule = (depth: number) => byDepth(depth).find((r) => r.every === Math.max(1, Math.round(Math.sqrt(depth))))!;
check("checkpointing never changes the gradient (bit for bit), for every L ≤ 64 and k ≤ L", checkpointRows.every((r) => r.sameGradient));
check("each discarded activation is recomputed exactly once: L − ⌈L/k⌉ recomputations", checkpointRows.every((r) => r.recomputed === r.depth - Math.ceil(r.depth / r.every)));
check("peak memory ≤ ⌈L/k⌉ + k activations (plain backprop: L + 1)", checkpointRows.every((r) => r.peak <= Math.ceil(r.depth / r.every) + r.every && (r.every > 1 || r.peak === r.depth + 1)));
const depthAxis = Array.from({ length: 64 }, (_, i) => i + 1);
check("with k = round(√L) the peak is at most 2√L + 1 activations, for every L ≤ 64", depthAxis.every((d) => sqrtRule(d).peak <= 2 * Math.sqrt(d) + 1));
await showFigure(lineFigure([
  { name: "plain backprop: L + 1", x: depthAxis, y: depthAxis.map((d) => byDepth(d)[0]!.peak) },
  { name: "checkpoint every round(√L): peak held", x: depthAxis, y: depthAxis.map((d) => sqrtRule(d).peak) },
  { name: "…and activations recomputed", x: depthAxis, y: depthAxis.map((d) => sqrtRule(d).recomputed) },
], { title: "Activations held at once and recomputed, for a chain of L layers", xTitle: "depth L", yTitle: "activations (batch × width floats each)" }));

// %% [markdown]
// For scale: a 784-1024-1024-1024-10 MLP at batch 256 holds 256 × 3,866 ≈ 1.0 M activation floats next to
// 2.9 M weights; a transformer with long sequences holds far more activations than weights, which is why
// checkpointing (TensorFlow's `tf.recompute_grad`, PyTorch's `torch.utils.checkpoint`) is routine in LLM training.
// Memory can also be cut by storing less per activation: ReLU needs only the sign of its input, one bit.

// %% [markdown]
// ## Recap
//
// * **Forward pass** computes the prediction and the loss and stores the intermediate values; it does not
//   initialise weights (the seed answer to S3-Q2 puts initialisation there; it happens once, before training).
// * **Backpropagation** is reverse-mode application of the chain rule: it computes `∂L/∂θ` for every
//   parameter at a cost of a few forward passes. It **does not update** the parameters (the seed answers to
//   S0-Q8 and S3-Q2 merge the two).
// * **The optimizer** turns gradients into updates; gradient descent converges on a quadratic exactly when
//   η < 2/λmax of the Hessian, and the loss curve's slope on a log scale is `log max (1 − ηλ)²`.
// * **Use mean-reduced losses** so the learning rate does not depend on the dataset size.
// * Verify any hand-written gradient with **central finite differences** (float64, relative error ≈ 1e-9)
//   or against a framework's autodiff.
// * **Forward mode** gives one Jacobian column per pass (n passes), **reverse mode** one row per sweep (m
//   sweeps): for a scalar loss, reverse mode gets the whole gradient in one sweep.
// * Reverse mode **stores every activation** (`batch × Σ widths` floats for an MLP); **gradient
//   checkpointing** keeps about 2√L of L + 1 and recomputes the rest once.
//
// ## Exercises
//
// 1. **Derive it.** For `L = (1/n) Σ (w xᵢ + b − yᵢ)²`, derive `∂L/∂b` and show that at the optimum the
//    residuals sum to zero.
// 2. **ReLU instead of tanh.** Change the hidden activation of section 3 to ReLU. What is the local
//    derivative, and does the finite-difference check still pass? When could it fail?
// 3. **Spot the bug (S0-C1), to the exact point.** Section 5 ran the seed's answer, quoted below: with its
//    summed gradient and learning rate 0.01 it converges on its 5 points and diverges on 10. (a) Predict by
//    hand, before running anything, the exact number of points N (`x = 0…N−1`, `y = x`) at which it first
//    diverges. (b) The mean reduction only moves the limit: predict the first N at which the mean-reduced
//    version diverges at 0.01. (c) Make a version converge on `x = 0…49` (y = x) with the learning rate
//    kept at 0.01, and say what else in `backward_propagation` you would change in a code review.
//
//    ```python
//    weights = np.random.rand(1)
//    bias = np.random.rand(1)
//    x_train = np.array([0, 1, 2, 3, 4])
//    y_train = np.array([0, 1, 2, 3, 4])
//
//    def backward_propagation(weights, bias, x_train, y_train):
//        predictions = weights * x_train + bias
//        error = predictions - y_train
//        d_weights = np.sum(error * x_train)
//        d_bias = np.sum(error)
//        weights -= 0.01 * d_weights
//        bias -= 0.01 * d_bias
//        return weights, bias
//
//    for i in range(1000):
//        weights, bias = backward_propagation(weights, bias, x_train, y_train)
//    ```
// 4. **Spot the bug (S1-Q1), one level down.** The seed compiles `loss='categorical_crossentropy'` and calls
//    `model.fit(x_train, y_train, …)` on MNIST, whose labels are integers 0–9, shape `[n, 1]` (and `x_train`,
//    `y_train`, `x_val`, `y_val` are never defined). (a) What does `model.fit` do with such labels? (b) The
//    bare loss op `tf.metrics.categoricalCrossentropy(labels, p)` accepts them. Predict, before running it,
//    the value it returns for an example labelled 3 when the model predicts every class with probability
//    0.1, and for one labelled 0. (c) Write the loss that takes the integer labels as they are, without
//    one-hot encoding, and show that it equals categorical cross-entropy on one-hot labels.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** `∂L/∂b = (2/n) Σ (w xᵢ + b − yᵢ) = (2/n) Σ rᵢ`. At the optimum the gradient is zero, so `Σ rᵢ = 0`:
// least-squares residuals with an intercept always sum to zero. Checked on the fitted line:

// %% tags=["solution"]
const residualSum = xs.reduce((s, x, i) => s + (wStar * x + bStar - ys[i]!), 0);

// %% tags=["exercise-check"]
// residualSum: the sum of the residuals of the least-squares line fitted above (wStar, bStar).
checkClose("least-squares residuals sum to zero", residualSum, 0, { abs: 1e-9 });

// %% [markdown] tags=["solution"]
// **2.** ReLU's local derivative is 1 where `z > 0` and 0 where `z < 0`; it is not differentiable at 0.
// The check passes unless some `zⱼ` lies within ε of 0, where a central difference straddles the kink.

// %% tags=["solution"]
function reluLoss(v: number[]): number {
  const p = unflattenParams(v);
  return xBatch.reduce((s, x, k) => {
    const h = p.w1.map((row, j) => Math.max(0, row[0]! * x[0]! + row[1]! * x[1]! + p.b1[j]!));
    const yHat = h.reduce((acc, hj, j) => acc + p.w2[j]! * hj, p.b2);
    return s + (0.5 * (yHat - yBatch[k]!) ** 2) / xBatch.length;
  }, 0);
}
function reluGradient(v: number[]): number[] {
  const p = unflattenParams(v);
  const g = unflattenParams(new Array(13).fill(0));
  xBatch.forEach((x, k) => {
    const z = p.w1.map((row, j) => row[0]! * x[0]! + row[1]! * x[1]! + p.b1[j]!);
    const h = z.map((zj) => Math.max(0, zj));
    const delta2 = (h.reduce((acc, hj, j) => acc + p.w2[j]! * hj, p.b2) - yBatch[k]!) / xBatch.length;
    g.b2 += delta2;
    h.forEach((hj, j) => {
      g.w2[j]! += delta2 * hj;
      const delta1 = z[j]! > 0 ? delta2 * p.w2[j]! : 0; // ReLU′ = 1 on the positive side, 0 otherwise
      g.b1[j]! += delta1;
      g.w1[j]![0]! += delta1 * x[0]!;
      g.w1[j]![1]! += delta1 * x[1]!;
    });
  });
  return flattenParams(g);
}

// %% tags=["exercise-check"]
// reluLoss(v) and reluGradient(v): section 3's loss and its backprop gradient with ReLU hidden units, on the
// flattened parameters v; the gradient must agree with central finite differences of the loss.
const reluError = gradientRelativeError(reluGradient(flattenParams(params)), numericalGradient(reluLoss, flattenParams(params)));
check("ReLU backprop = finite differences", reluError < 1e-6, { relativeError: reluError });

// %% [markdown] tags=["solution"]
// **3.** (a) The summed gradient is that of ½·SSE, whose Hessian is `[[Σx², Σx], [Σx, N]]`, and gradient
// descent converges exactly when 0.01 < 2/λmax, i.e. λmax < 200. For `x = 0…7`: Σx² = 140, Σx = 28,
// λmax ≈ 145.7 (limit 0.0137, converges); for `x = 0…8`: Σx² = 204, Σx = 36, λmax ≈ 210.4 (limit 0.0095), so
// **N = 9** is the first to diverge. (b) The mean divides the Hessian by N, `[[mean x², mean x], [mean x, 1]]`,
// and λmax ≈ mean x² + 1 still grows with the spread of x (about N²/3): λmax < 200 holds up to N = 25
// (limit 0.0102) and fails at **N = 26** (limit 0.0094). (c) So on `x = 0…49` (λmax ≈ 809 for the mean) no
// reduction is enough at 0.01: the inputs must be scaled too (here x/10; any real pipeline standardises
// them), which is the other half of choosing a learning rate. In review I would also change:
// 1. the name: there are no layers to propagate through; this is full-batch gradient descent with
//    hand-derived gradients, and "backward" should compute gradients only, with the update outside;
// 2. `weights -= …` mutates the caller's arrays in place and then returns them: it works by accident;
// 3. no loss is tracked, there is no convergence test and no seed; noise-free `y = x` makes the printed
//    result look exact.

// %% tags=["solution"]
const predictedFirstDivergence = { sum: 9, mean: 26 }; // from the Hessians above, by hand
const scaledInputs = range(50).map((v) => v / 10);
const fixedLosses = runSeedRegression(scaledInputs, 0.01, "mean", 5000);

// %% tags=["exercise-check"]
// predictedFirstDivergence: your predictions { sum, mean } of the first N (x = 0…N−1, y = x) at which each
// version diverges with learning rate 0.01; fixedLosses: the mean squared error after each step of your
// version on x = 0…49 (y = x, rescaled as you chose), learning rate 0.01.
/** The first N in 2…40 whose 5,000-step run ends with a larger loss than it started with. */
const firstObservedDivergence = (reduction: "sum" | "mean") => range(41).slice(2).find((count) => {
  const losses = runSeedRegression(range(count), 0.01, reduction, 5000);
  return !(losses[losses.length - 1]! < losses[0]!);
});
(["sum", "mean"] as const).forEach((reduction) => {
  const observed = firstObservedDivergence(reduction);
  check(`${reduction} of the gradient: the predicted first diverging N is the one observed`, predictedFirstDivergence[reduction] === observed,
    { predicted: predictedFirstDivergence[reduction], observed: observed ?? "none up to 40" });
});
check("fixed S0-C1 converges on 50 points with lr 0.01", fixedLosses[fixedLosses.length - 1]! < 1e-8, { finalMse: fixedLosses[fixedLosses.length - 1]! });

// %% [markdown] tags=["solution"]
// **4.** `categorical_crossentropy` expects one probability vector per example, so integer labels of shape
// `[n]` or `[n, 1]` do not match the `[n, 10]` output. Keras does not train on them: `fit` checks the target
// shape against the output first and raises a shape error before any step (TensorFlow.js: "target expected a
// batch of elements where each example has shape [10] … but the target received … shape [1]"; Python Keras
// raises a `ValueError` about incompatible shapes). The bug is run below. The silent version exists one level
// down: the bare loss op `tf.metrics.categoricalCrossentropy(labels, p)` broadcasts `[n, 1]` labels across
// the 10 columns and returns −yᵢ·Σₖ log pₖ, a number that has nothing to do with the true class. (b) For a
// uniform prediction that is `−3 · 10 · ln 0.1 = 30 ln 10 ≈ 69.08` for label 3, and exactly 0 for label 0,
// whatever the model predicts: every zero is free, every nine costs three times a three. (c) Fix either by
// one-hot encoding the labels (`to_categorical`; section 4 does `tf.oneHot`) or by the loss on integer labels,
// `−mean log p(true class)`: Keras's `sparse_categorical_crossentropy`.

// %% tags=["solution"]
{
  const buggyModel = digitModel();
  buggyModel.compile({ optimizer: tf.train.sgd(0.5), loss: "categoricalCrossentropy" });
  const weightsBefore = buggyModel.getWeights().map((w) => w.arraySync());
  const integerLabels = tf.tensor2d(labelsTrain.map((label) => [label])); // the seed's y_train, shape [n, 1]
  let fitError = "";
  try {
    await buggyModel.fit(xTrain, integerLabels, { batchSize: 32, epochs: 1, verbose: 0 });
  } catch (error) {
    fitError = (error as Error).message;
  }
  console.log(`model.fit with [n, 1] integer labels: ${fitError || "no error"}`);
  check("the S1-Q1 bug: model.fit refuses [n, 1] labels with a shape error naming [*,10] and [1]",
    fitError.includes("[*,10]") && fitError.includes("shape [1]"), { message: fitError });
  const weightsAfter = buggyModel.getWeights().map((w) => w.arraySync());
  check("…before any training step: the weights are unchanged", JSON.stringify(weightsAfter) === JSON.stringify(weightsBefore));
  // One level down, the bare loss op broadcasts the same labels silently.
  const silentLoss = tf.tidy(() => tf.metrics.categoricalCrossentropy(integerLabels, buggyModel.predict(xTrain) as tf.Tensor).arraySync() as number[]);
  const predicted = tf.tidy(() => (buggyModel.predict(xTrain) as tf.Tensor).arraySync() as number[][]);
  checkAllClose("the bare loss op with [n, 1] labels silently returns −yᵢ·Σₖ log pₖ (computed here in float64)", silentLoss,
    predicted.map((p, i) => -labelsTrain[i]! * p.reduce((s, pk) => s + Math.log(pk), 0)), { rel: 1e-4, abs: 1e-6 });
  integerLabels.dispose();
  buggyModel.dispose();
}

// %% tags=["solution"]
const predictedBroadcastLoss = { label3: 30 * Math.LN10, label0: 0 };

// %% tags=["exercise-check"]
// predictedBroadcastLoss: your predicted values { label3, label0 } of the bare loss op for [n, 1] integer labels 3
// and 0 when every class has probability 0.1.
const broadcastLosses = tf.tidy(() => tf.metrics.categoricalCrossentropy(tf.tensor2d([[3], [0]]), tf.fill([2, 10], 0.1)).arraySync() as number[]);
checkAllClose("the bare categorical CE op on [n, 1] labels 3 and 0 (uniform p) returns the predicted values",
  broadcastLosses, [predictedBroadcastLoss.label3, predictedBroadcastLoss.label0], { rel: 1e-5, abs: 1e-6 });

// %% [markdown] tags=["solution"]
// The fix, checked: on the digits data, categorical CE on one-hot targets equals −mean log p(true class)
// computed straight from the integer labels, which is what the sparse loss is.

// %% tags=["solution"]
const probabilities = tf.tidy(() => (explicitModel.predict(xTest) as tf.Tensor).arraySync() as number[][]);
const oneHotLoss = tf.tidy(() => {
  const oneHot = tf.oneHot(tf.tensor1d(labelsTest, "int32"), 10).toFloat();
  return tf.mean(tf.metrics.categoricalCrossentropy(oneHot, tf.tensor2d(probabilities))).dataSync()[0]!;
});
// Sparse cross-entropy straight from the integer labels: −mean log p(true class).
const sparseLoss = -labelsTest.reduce((s, label, i) => s + Math.log(probabilities[i]![label]!), 0) / labelsTest.length;
checkClose("categorical CE on one-hot labels = sparse CE on integer labels", oneHotLoss, sparseLoss, { rel: 1e-5 });
