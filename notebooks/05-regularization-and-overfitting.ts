// %% [markdown]
// # 05 · Regularization and overfitting
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q4 | What is regularization, and what does it do? | 什么是正则化？它有哪些作用？ |
// | S0-Q7 | What is dropout, and what does it do? | 什么是dropout？它有哪些作用？ |
// | S0-Q9 | What is neural-network regularization, and which methods are there? | 什么是神经网络正则化？它有哪些方法？ |
// | S1-Q10 | How do you fix overfitting in deep learning? | 如何解决深度学习中的过拟合问题？ |
// | S2-Q16 | How do you build regularization into a model? | 讲解如何在模型中集成正则化技术 |
// | S3-Q3 | How do you handle overfitting in deep learning? (name three methods) | 如何处理深度学习中的过拟合问题？ |
// | S3-Q17 | How do you handle overfitting in deep learning? | 如何处理深度学习中的过拟合问题？ |
// | S4-Q2 | How do you handle overfitting when training large models? | 如何处理大模型训练中的过拟合问题？ |
//
// **The short answer an interviewer wants.** A model *overfits* when it fits the noise of its particular
// training sample: training error keeps falling while error on new data rises. You detect it with held-out
// data (a validation set, or k-fold cross-validation when data are scarce). *Regularization* is anything that
// lowers the model's sensitivity to the training sample (its variance) at the price of a little bias:
// * **penalties**: L2 (ridge) shrinks every weight smoothly towards zero; L1 (lasso) sets some weights
//   *exactly* to zero, which selects features;
// * **weight decay**: multiply the weights by (1 − ηλ) each step. It is the same as L2 under plain SGD but
//   **not under Adam**, where an L2 gradient gets divided by √v̂; **AdamW** decouples the decay;
// * **dropout**: during training zero each unit with probability p and scale the survivors by 1/(1 − p)
//   (inverted dropout), so inference uses the full network with **no** dropout and no rescaling;
// * **early stopping**: keep the checkpoint with the best validation loss and restore it at the end;
// * **more data** (the best regularizer), **data augmentation** (transformed copies that encode a known
//   invariance: not the same thing as more data), a **smaller or better-structured model**, **ensembles**.
//
// Three for S3-Q3: weight decay / L2, dropout, early stopping. Cross-validation is not one of them: it
// *measures* generalisation and *chooses* hyper-parameters such as λ, but it does not change the model
// (the S1-Q10 and S4-Q2 answers list it as a remedy).
//
// Below, each claim is a check that would fail if the claim were false. The references are closed forms
// (the ridge solution, the soft-threshold, (1 − ηλ)ᵗ), second implementations (ISTA against coordinate descent,
// a k-fold splitter by hand against `lib/split.ts`), TensorFlow.js's own layers, and held-out data that an
// unregularized baseline does worse on.

// %%
import { tf, setupTf, nextSeed } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { makeNoisyFunction, makeRegression } from "./lib/datasets";
import { PolynomialFeatures, StandardScaler } from "./lib/ml/preprocessing";
import { LinearRegression, Ridge, Lasso } from "./lib/ml/linear";
import { meanSquaredError } from "./lib/ml/metrics";
import { kFold, trainTestSplit, take, type Split } from "./lib/split";
import { matMul, matVec, solve, symmetricEigen, transpose } from "./lib/math/linalg";
import { adam, momentum, sgd } from "./lib/nn/optimizers";
import { loadDigits } from "./lib/data";
import { showFigure } from "./lib/display/plot";
import { lineFigure, heatmapFigure } from "./lib/display/figures";
import { showTable } from "./lib/display/display";
import { progress } from "./lib/display/progress";

await setupTf({ seed: 0 });

// %% [markdown]
// ## 1. Overfitting, measured
//
// The classic picture: 20 noisy points of `y = sin(2πx) + ε` with ε ~ N(0, 0.2²), fitted by least squares
// with polynomials of growing degree. The **validation set** is 1,000 fresh points from the same
// distribution, over the x-range the training points cover (outside it, a polynomial is pure extrapolation).
// Since the noise has variance σ² = 0.04, no model can have an expected validation MSE below 0.04.
//
// Features are the powers x, x², …, x^d, standardised with the training rows' mean and standard deviation
// (`lib/ml/preprocessing.ts`); raw powers of x in [0, 1] are so alike that least squares would be hopeless
// (even standardised, they are nearly collinear: section 3).

// %%
const truth = (x: number) => Math.sin(2 * Math.PI * x);
const noiseStd = 0.2;
const train = makeNoisyFunction(truth, { nSamples: 20, noise: noiseStd, seed: 0 });
const xRange: [number, number] = [train.X[0]![0]!, train.X[train.X.length - 1]![0]!];
const validation = makeNoisyFunction(truth, { nSamples: 1000, noise: noiseStd, seed: 1, xRange: xRange });

type Predictor = (X: number[][]) => number[];

/**
 * Polynomial features → standardisation → linear model, every statistic learned on (X, y) only (a pipeline).
 * alpha = 0 is ordinary least squares; alpha > 0 is ridge with penalty α‖w‖².
 */
function fitPolynomial(degree: number, alpha: number, X: number[][], y: number[]): Predictor {
  const poly = new PolynomialFeatures({ degree: degree, includeBias: false }).fit(X);
  const scaler = new StandardScaler().fit(poly.transform(X));
  const features = (rows: number[][]) => scaler.transform(poly.transform(rows));
  const model = alpha === 0 ? new LinearRegression().fit(features(X), y) : new Ridge({ alpha: alpha }).fit(features(X), y);
  return (rows) => model.predict(features(rows));
}

const degrees = Array.from({ length: 15 }, (_, i) => i + 1);
const degreeSweep = degrees.map((degree) => {
  const predict = fitPolynomial(degree, 0, train.X, train.y);
  return {
    degree: degree,
    trainMse: meanSquaredError(train.y, predict(train.X)),
    validationMse: meanSquaredError(validation.y, predict(validation.X)),
  };
});
showTable(degreeSweep.filter((r) => [1, 3, 5, 9, 12, 15].includes(r.degree)), { caption: "Least-squares polynomial fits on 20 points", digits: 4 });

const degree15 = degreeSweep[14]!;
check("degree 15 overfits: validation MSE > 5 × training MSE",
  degree15.validationMse > 5 * degree15.trainMse, { trainMse: degree15.trainMse, validationMse: degree15.validationMse });
check("training MSE never increases with the degree (nested models)",
  degreeSweep.every((r, i) => i === 0 || r.trainMse <= degreeSweep[i - 1]!.trainMse * (1 + 1e-9)));

// %% [markdown]
// Training error falls with every added degree (a bigger model contains the smaller one), while validation
// error falls, flattens, then explodes: the U-shaped validation curve. The gap between the two curves is the
// overfitting.

// %%
await showFigure(lineFigure([
  { name: "training MSE (20 points)", x: degrees, y: degreeSweep.map((r) => r.trainMse) },
  { name: "validation MSE (1,000 points)", x: degrees, y: degreeSweep.map((r) => r.validationMse) },
  { name: "noise floor σ² = 0.04", x: degrees, y: degrees.map(() => noiseStd ** 2) },
], { title: "Training vs validation error of least-squares polynomials", xTitle: "polynomial degree d", yTitle: "MSE (log scale)", logY: true }));

// %%
const xGrid = Array.from({ length: 301 }, (_, i) => xRange[0] + ((xRange[1] - xRange[0]) * i) / 300);
await showFigure({
  data: [
    { x: train.X.map((r) => r[0]!), y: train.y, type: "scatter", mode: "markers", name: "20 training points", marker: { size: 8, color: "black" } },
    { x: xGrid, y: xGrid.map(truth), type: "scatter", mode: "lines", name: "truth sin(2πx)", line: { dash: "dot", color: "grey" } },
    ...[1, 3, 15].map((degree) => ({
      x: xGrid, y: fitPolynomial(degree, 0, train.X, train.y)(xGrid.map((x) => [x])),
      type: "scatter" as const, mode: "lines" as const, name: `degree ${degree}`,
    })),
  ],
  layout: {
    title: { text: "Underfit (d = 1), about right (d = 3), overfit (d = 15)" },
    xaxis: { title: { text: "x" } },
    yaxis: { title: { text: "y" }, range: [-2, 2] },
    legend: { orientation: "h", x: 0, y: -0.2 },
  },
}, { height: 480 });

// %% [markdown]
// **More data is the best regularizer** (the honest part of S3-Q3's "增加数据量"). With 200 training
// points instead of 20, the same degree-15 least-squares fit, with no penalty at all, gets close to the noise
// floor σ²: the fit's variance shrinks as the sample grows. Data *augmentation* is a different tool: it
// makes transformed copies of the examples you have, which helps only when the transformation is a true
// invariance of the task (notebook 06 shows a flip that is not).

// %%
const largeTrain = makeNoisyFunction(truth, { nSamples: 200, noise: noiseStd, seed: 2 });
const largeFitMse = meanSquaredError(validation.y, fitPolynomial(15, 0, largeTrain.X, largeTrain.y)(validation.X));
console.log(`degree 15, no penalty: validation MSE ${degree15.validationMse.toFixed(4)} with 20 points, ${largeFitMse.toFixed(4)} with 200 points (σ² = 0.04)`);
check("with 200 training points degree 15 is within 1.5 σ² of the noise floor", largeFitMse < 1.5 * noiseStd ** 2, { largeFitMse: largeFitMse });

// %% [markdown]
// ## 2. k-fold cross-validation: a measuring instrument
//
// With only 20 points, holding out a validation set wastes data. **k-fold cross-validation** cuts the indices
// into k folds of (nearly) equal size; each fold is the test set once while the model is fitted on the other
// k − 1, and the k test errors are averaged. A splitter by hand: shuffle once with a seeded generator, then
// cut contiguous blocks, the first `n mod k` blocks one longer. The reusable version is `lib/split.ts`
// (`kFold`, with stratification too); the two must give identical folds.

// %%
/** k-fold splits by hand: one seeded permutation, cut into k contiguous blocks; each part sorted. */
function kFoldByHand(n: number, k: number, seed: number): Split[] {
  const order = new Random(seed).permutation(n);
  const sizes = Array.from({ length: k }, (_, fold) => Math.floor(n / k) + (fold < n % k ? 1 : 0));
  const starts = sizes.map((_, fold) => sizes.slice(0, fold).reduce((s, v) => s + v, 0));
  return sizes.map((size, fold) => {
    const test = order.slice(starts[fold]!, starts[fold]! + size).sort((a, b) => a - b);
    const inTest = new Set(test);
    return { train: order.filter((i) => !inTest.has(i)).sort((a, b) => a - b), test: test };
  });
}

const folds = kFold(train.X.length, { k: 5, shuffle: true, seed: 0 });
check("hand-written splitter = lib/split kFold (same seed, identical folds)",
  JSON.stringify(kFoldByHand(train.X.length, 5, 0)) === JSON.stringify(folds));

// The properties any k-fold splitter must have, checked on an awkward size (103 = 5·20 + 3).
const foldsOf103 = kFold(103, { k: 5, shuffle: true, seed: 7 });
const testCounts = new Array<number>(103).fill(0);
foldsOf103.forEach((f) => f.test.forEach((i) => testCounts[i]!++));
const foldSizes = foldsOf103.map((f) => f.test.length);
check("every index is in exactly one test fold", testCounts.every((c) => c === 1));
check("each split's train and test parts are disjoint and together cover 0…102",
  foldsOf103.every((f) => f.train.length + f.test.length === 103 && new Set([...f.train, ...f.test]).size === 103));
check("fold sizes differ by at most one", Math.max(...foldSizes) - Math.min(...foldSizes) <= 1, { foldSizes: foldSizes.join(" ") });
check("deterministic under a seed, different under another seed",
  JSON.stringify(kFold(103, { k: 5, shuffle: true, seed: 7 })) === JSON.stringify(foldsOf103) &&
  JSON.stringify(kFold(103, { k: 5, shuffle: true, seed: 8 })) !== JSON.stringify(foldsOf103));

// %% [markdown]
// Cross-validation estimates the error of a *procedure* (here: "fit a degree-d polynomial to the data").
// For degree 15 it reports an error far above the training error, as the validation set did: CV **detects**
// the overfitting. It does not change a single weight of the degree-15 model; it helps only when you use its
// estimate to **choose** something (a degree, a λ), and then the chosen model or penalty does the work.
// Every step that learns from data (here the scaler) is refitted inside each fold, or the held-out fold leaks
// into training.

// %%
/** Mean squared error over the k held-out folds of a polynomial pipeline (each fold weighted by its size). */
function crossValidatedMse(degree: number, alpha: number, splits: Split[]): number {
  let total = 0;
  for (const { train: fitRows, test: heldOut } of splits) {
    const predict = fitPolynomial(degree, alpha, take(train.X, fitRows), take(train.y, fitRows));
    total += meanSquaredError(take(train.y, heldOut), predict(take(train.X, heldOut))) * heldOut.length;
  }
  return total / train.X.length;
}

const cvByDegree = degrees.map((d) => crossValidatedMse(d, 0, folds));
const cvBestDegree = degrees[cvByDegree.indexOf(Math.min(...cvByDegree))]!;
console.log(`5-fold CV MSE: degree 3 ${cvByDegree[2]!.toFixed(4)}, degree 15 ${cvByDegree[14]!.toExponential(3)}; CV picks degree ${cvBestDegree}`);
check("CV detects the overfit: degree-15 CV MSE > 5 × its training MSE", cvByDegree[14]! > 5 * degree15.trainMse,
  { cvMse: cvByDegree[14]!, trainMse: degree15.trainMse });
check("the degree CV picks has a validation MSE below 2 σ² (it never saw the validation set)",
  degreeSweep[cvBestDegree - 1]!.validationMse < 2 * noiseStd ** 2, { degree: cvBestDegree, validationMse: degreeSweep[cvBestDegree - 1]!.validationMse });

// %% [markdown]
// ## 3. L2 (ridge): shrink the weights, choose λ by cross-validation
//
// Ridge keeps degree 15 but adds a penalty on the size of the weights (the intercept is not penalised):
//
// $$\min_w\; \lVert y - Xw \rVert^2 + \lambda \lVert w \rVert^2 \quad\Longrightarrow\quad w_\lambda = (X^\top X + \lambda I)^{-1} X^\top y .$$
//
// λ trades fit against weight size: λ → 0 is least squares, λ → ∞ drives every weight to 0. It is a
// hyper-parameter, so it is chosen by 5-fold CV on the 20 training points over a log grid 10⁻⁸ … 10⁴; the
// validation set is only looked at afterwards, to grade the choice.

// %%
const alphas = Array.from({ length: 25 }, (_, i) => 10 ** (-8 + i / 2));
const ridgeSweep = alphas.map((alpha) => {
  const predict = fitPolynomial(15, alpha, train.X, train.y);
  return {
    alpha: alpha,
    trainMse: meanSquaredError(train.y, predict(train.X)),
    cvMse: crossValidatedMse(15, alpha, folds),
    validationMse: meanSquaredError(validation.y, predict(validation.X)),
  };
});
const cvChoice = ridgeSweep.reduce((best, r) => (r.cvMse < best.cvMse ? r : best));
const oracle = ridgeSweep.reduce((best, r) => (r.validationMse < best.validationMse ? r : best));
console.log(`CV picks λ = ${cvChoice.alpha.toExponential(1)}: validation MSE ${cvChoice.validationMse.toFixed(4)} ` +
  `(least squares ${degree15.validationMse.toFixed(4)}; best λ on the grid in hindsight ${oracle.alpha.toExponential(1)} → ${oracle.validationMse.toFixed(4)})`);
const reduction = 1 - cvChoice.validationMse / degree15.validationMse;
check("ridge with the CV-chosen λ cuts the degree-15 validation MSE by ≥ 30 %", reduction >= 0.3, { reduction: reduction });

// %% [markdown]
// *Calibration of the 30 % target* (2026-11-23, 2 cores): with ten data seeds (training set, validation set
// and folds all reseeded; seed 0 is the one shown) the reduction ranged from 76 % to 100 %, and the other
// thresholds of sections 1–3 held with room to spare: degree-15 validation/training MSE ≥ 16 (bound 5),
// 200-point fit ≤ 1.16 σ² (bound 1.5 σ²), validation MSE of the CV-chosen degree ≤ 1.66 σ² (bound 2 σ²).
// What ridge reaches is close to, but not at, the best λ in hindsight: CV on 20 points is a noisy estimate.
//
// The validation curve over λ mirrors the one over the degree: small λ overfits, large λ underfits. The CV
// curve, computed from the 20 training points alone, is much noisier: each fold holds out 4 points, and when a
// held-out point lies at the edge of the data, the fold's degree-15 polynomial has to extrapolate, where it
// explodes. Here its minimum still lands on a λ whose validation error is within a quarter of the best on
// the grid, which is all that selection needs. On datasets this small, repeated k-fold (several shuffles, averaged) steadies the
// estimate.

// %%
await showFigure({
  data: [
    { name: "training MSE", y: ridgeSweep.map((r) => r.trainMse) },
    { name: "5-fold CV MSE (training points only)", y: ridgeSweep.map((r) => r.cvMse) },
    { name: "validation MSE", y: ridgeSweep.map((r) => r.validationMse) },
  ].map((s) => ({ ...s, x: alphas, type: "scatter" as const, mode: "lines+markers" as const, marker: { size: 5 } })),
  layout: {
    title: { text: "Degree-15 ridge: error vs penalty λ (dashed: the CV choice)" },
    xaxis: { title: { text: "λ (log scale)" }, type: "log", exponentformat: "power" },
    yaxis: { title: { text: "MSE (log scale)" }, type: "log", exponentformat: "power" },
    shapes: [{ type: "line", x0: cvChoice.alpha, x1: cvChoice.alpha, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "grey" } }],
    legend: { x: 0.02, y: 0.98 },
  },
});

// %% [markdown]
// **Where "weight decay" comes from.** The gradient of the ridge objective is `2Xᵀ(Xw − y) + 2λw`, so a
// gradient step with step size η is
//
// $$w \leftarrow (1 - 2\eta\lambda)\,w \;-\; 2\eta X^\top (Xw - y):$$
//
// first *decay* the weights by a constant factor, then take the ordinary data step. Run to convergence, this
// must land on the closed form. The penalised problem is badly conditioned at small λ (the Hessian's
// eigenvalues span κ ≈ 10⁷), so plain gradient descent would need ~κ steps; heavy-ball momentum with
// Polyak's tuning (`lib/nn/optimizers.ts`, notebook 04) needs ~√κ.

// %%
const ridgePoly = new PolynomialFeatures({ degree: 15, includeBias: false }).fit(train.X);
const ridgeFeatures = new StandardScaler().fitTransform(ridgePoly.transform(train.X)); // columns have mean 0
const yMean = train.y.reduce((s, v) => s + v, 0) / train.y.length;
const yCentred = train.y.map((v) => v - yMean); // the intercept is ȳ, unpenalised
const lambdaRidge = cvChoice.alpha;
const gram = matMul(transpose(ridgeFeatures), ridgeFeatures);
const closedForm = solve(gram.map((row, i) => row.map((v, j) => v + (i === j ? lambdaRidge : 0))), matVec(transpose(ridgeFeatures), yCentred));

const hessianEigenvalues = symmetricEigen(gram).values.map((v) => 2 * (v + lambdaRidge));
const [muRidge, lRidge] = [hessianEigenvalues[0]!, hessianEigenvalues[hessianEigenvalues.length - 1]!];
const kappa = lRidge / muRidge;
const heavyBall = momentum({
  learningRate: 4 / (Math.sqrt(lRidge) + Math.sqrt(muRidge)) ** 2,
  momentum: ((Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1)) ** 2,
});
const featuresT = transpose(ridgeFeatures);
const ridgeGradient = (w: number[]) => {
  const residual = matVec(ridgeFeatures, w).map((v, i) => v - yCentred[i]!);
  return matVec(featuresT, residual).map((g, j) => 2 * g + 2 * lambdaRidge * w[j]!); // data term + decay term
};
const ridgeSteps = 40_000;
/** Runs the optimizer from w = 0 (in a function: tslab makes top-level variables slow to access in hot loops). */
function minimise(steps: number): number[] {
  let w = new Array<number>(15).fill(0);
  for (let t = 0; t < steps; t++) w = heavyBall.step(w, ridgeGradient(w));
  return w;
}
const wRidge = minimise(ridgeSteps);

const gramEigenvalues = symmetricEigen(gram).values;
console.log(`XᵀX: eigenvalues from ${gramEigenvalues[0]!.toExponential(1)} (round-off level) to ${gramEigenvalues.at(-1)!.toExponential(1)}; ` +
  `with λ = ${lambdaRidge.toExponential(1)} the Hessian's condition number is κ = ${kappa.toExponential(2)}`);
checkAllClose(`gradient descent (${ridgeSteps.toLocaleString("en")} heavy-ball steps) = closed form (XᵀX + λI)⁻¹Xᵀy`, wRidge, closedForm, { abs: 1e-6 });
checkAllClose("lib/ml/linear Ridge = the same closed form", new Ridge({ alpha: lambdaRidge }).fit(ridgeFeatures, train.y).coef_!, closedForm, { abs: 1e-8 });

// %% [markdown]
// The penalty also fixes the conditioning: XᵀX of 15 standardised powers of x is numerically singular
// (its smallest eigenvalue is at round-off level), while XᵀX + λI has every eigenvalue ≥ λ. That is the
// other classic reason for ridge: it makes an ill-posed least-squares problem well-posed.
//
// The fitted curves: ridge keeps all 15 degrees but tames the wiggles.

// %%
const cvRidge = fitPolynomial(15, cvChoice.alpha, train.X, train.y);
await showFigure({
  data: [
    { x: train.X.map((r) => r[0]!), y: train.y, type: "scatter", mode: "markers", name: "training points", marker: { size: 8, color: "black" } },
    { x: xGrid, y: xGrid.map(truth), type: "scatter", mode: "lines", name: "truth", line: { dash: "dot", color: "grey" } },
    { x: xGrid, y: fitPolynomial(15, 0, train.X, train.y)(xGrid.map((x) => [x])), type: "scatter", mode: "lines", name: "degree 15, least squares" },
    { x: xGrid, y: cvRidge(xGrid.map((x) => [x])), type: "scatter", mode: "lines", name: `degree 15, ridge λ = ${cvChoice.alpha.toExponential(1)}` },
  ],
  layout: {
    title: { text: "Same degree, with and without the L2 penalty" },
    xaxis: { title: { text: "x" } },
    yaxis: { title: { text: "y" }, range: [-2, 2] },
    legend: { orientation: "h", x: 0, y: -0.2 },
  },
}, { height: 480 });

// %% [markdown]
// ## 4. L1 vs L2: exact zeros vs shrinkage
//
// The seed answers to S0-Q4 and S0-Q9 name L1 and L2 as if they were interchangeable. They are not.
// On sparse data (100 samples, 20 standard-normal features, only features 0, 1 and 2 matter, noise σ = 1),
// the lasso objective (scikit-learn's scaling)
//
// $$\min_w\; \frac{1}{2n}\lVert y - Xw \rVert^2 + \alpha \lVert w \rVert_1$$
//
// has no gradient at `wⱼ = 0`, and its solution sits there for every feature whose correlation with the
// residual is weaker than α: optimality (the KKT conditions) says `|xⱼᵀr|/n ≤ α` where `wⱼ = 0` and
// `xⱼᵀr/n = α·sign(wⱼ)` elsewhere. L2's gradient `2λwⱼ` vanishes at 0, so nothing pins a weight there.
//
// The simplest solver shows where the zeros come from. **ISTA** (proximal gradient descent) alternates a
// gradient step on the smooth part with the *proximal step* of α‖w‖₁, the soft-threshold
// `S(v, t) = sign(v)·max(|v| − t, 0)`, which maps a whole interval [−t, t] to exactly 0. The reusable
// solver is `lib/ml/linear.ts`'s `Lasso` (coordinate descent, a different algorithm); the two must agree.

// %%
const sparse = makeRegression({ nSamples: 100, nFeatures: 20, nInformative: 3, noise: 1, seed: 0 });
const trueSupport = sparse.coef.flatMap((c, j) => (c !== 0 ? [j] : []));
const nSparse = sparse.X.length;
const columnMeans = sparse.X[0]!.map((_, j) => sparse.X.reduce((s, row) => s + row[j]!, 0) / nSparse);
const sparseXc = sparse.X.map((row) => row.map((v, j) => v - columnMeans[j]!)); // centred: the intercept is not penalised
const sparseYMean = sparse.y.reduce((s, v) => s + v, 0) / nSparse;
const sparseYc = sparse.y.map((v) => v - sparseYMean);

const softThreshold = (v: number, t: number) => Math.sign(v) * Math.max(Math.abs(v) - t, 0);

/** ISTA for (1/2n)‖y − Xw‖² + α‖w‖₁ on centred data: gradient step of size 1/L, then soft-threshold at α/L. */
function ista(X: number[][], y: number[], alpha: number, steps: number): number[] {
  const n = X.length;
  const XT = transpose(X);
  const lipschitz = symmetricEigen(matMul(XT, X)).values.at(-1)! / n; // largest eigenvalue of the smooth part's Hessian
  let w = new Array<number>(X[0]!.length).fill(0);
  for (let t = 0; t < steps; t++) {
    const residual = matVec(X, w).map((v, i) => v - y[i]!);
    const gradient = matVec(XT, residual).map((g) => g / n);
    w = w.map((wj, j) => softThreshold(wj - gradient[j]! / lipschitz, alpha / lipschitz));
  }
  return w;
}

// α from theory, fixed before looking at the fit: twice the typical size of max_j |xⱼᵀε|/n for pure noise.
const alphaLasso = 2 * 1 * Math.sqrt((2 * Math.log(20)) / nSparse);
const wIsta = ista(sparseXc, sparseYc, alphaLasso, 2000);
const lasso = new Lasso({ alpha: alphaLasso, tol: 1e-12, maxIter: 10_000 }).fit(sparse.X, sparse.y);
const wLasso = lasso.coef_!;
const lassoSupport = wLasso.flatMap((w, j) => (w !== 0 ? [j] : []));
const ridgeOnSparse = new Ridge({ alpha: 10 }).fit(sparse.X, sparse.y).coef_!;

showTable(sparse.coef.map((c, j) => ({ feature: j, "true coef": c, "lasso (CD)": wLasso[j]!, "lasso (ISTA)": wIsta[j]!, "ridge λ = 10": ridgeOnSparse[j]! })),
  { caption: `Sparse data: true coefficients, lasso at α = ${alphaLasso.toFixed(3)}, ridge`, digits: 4, maxRows: 20 });

checkAllClose("ISTA (proximal gradient) = coordinate-descent Lasso", wIsta, wLasso, { abs: 1e-8 });
check("the lasso's exact zeros are the same in both solvers", wIsta.every((w, j) => (w === 0) === (wLasso[j] === 0)));
check(`lasso recovers the true support {${trueSupport}} exactly (17 coefficients exactly 0)`,
  JSON.stringify(lassoSupport) === JSON.stringify(trueSupport), { support: lassoSupport.join(",") });
check("ridge has no exact zeros: all 20 coefficients ≠ 0", ridgeOnSparse.every((w) => w !== 0),
  { smallestMagnitude: Math.min(...ridgeOnSparse.map(Math.abs)) });

const lassoResidual = sparseXc.map((row, i) => sparseYc[i]! - row.reduce((s, v, j) => s + v * wLasso[j]!, 0));
const correlations = wLasso.map((_, j) => sparseXc.reduce((s, row, i) => s + row[j]! * lassoResidual[i]!, 0) / nSparse);
check("KKT: xⱼᵀr/n = α·sign(wⱼ) on the support, |xⱼᵀr/n| ≤ α off it (certificate of optimality)",
  wLasso.every((w, j) => (w !== 0 ? Math.abs(correlations[j]! - alphaLasso * Math.sign(w)) < 1e-8 : Math.abs(correlations[j]!) <= alphaLasso + 1e-8)));

// %% [markdown]
// The threshold α = 2σ√(2 ln d / n) = 0.49 is the textbook choice for support recovery (it needs σ, known
// here). It is 20 of 20 on this design: with data seeds 0–19 the support was exactly {0, 1, 2} every time.
//
// **Coefficient paths.** Solve both problems along a grid of penalties. Above
// `α_max = maxⱼ |xⱼᵀy|/n` the lasso solution is exactly 0 (closed form: the KKT condition holds at w = 0);
// as α falls, features enter one at a time, the true ones first. Ridge coefficients shrink smoothly and
// reach 0 only in the limit.

// %%
const alphaMax = Math.max(...sparseXc[0]!.map((_, j) => Math.abs(sparseXc.reduce((s, row, i) => s + row[j]! * sparseYc[i]!, 0)) / nSparse));
const lassoAlphas = Array.from({ length: 40 }, (_, i) => alphaMax * 10 ** (-3 * i / 39));
const lassoPath = lassoAlphas.map((a) => new Lasso({ alpha: a, tol: 1e-10, maxIter: 10_000 }).fit(sparse.X, sparse.y).coef_!);
const ridgeAlphas = Array.from({ length: 40 }, (_, i) => 10 ** (-1 + (6 * i) / 39));
const ridgePath = ridgeAlphas.map((a) => new Ridge({ alpha: a }).fit(sparse.X, sparse.y).coef_!);

const justAbove = new Lasso({ alpha: alphaMax * 1.001, tol: 1e-12 }).fit(sparse.X, sparse.y).coef_!;
const justBelow = new Lasso({ alpha: alphaMax * 0.999, tol: 1e-12 }).fit(sparse.X, sparse.y).coef_!;
check("lasso: all coefficients exactly 0 just above α_max, exactly one non-zero just below",
  justAbove.every((w) => w === 0) && justBelow.filter((w) => w !== 0).length === 1);
check("ridge path: no coefficient is exactly 0 at any of the 40 penalties", ridgePath.every((w) => w.every((v) => v !== 0)));
const ridgeNorms = ridgePath.map((w) => Math.hypot(...w));
check("ridge path: ‖w‖ decreases strictly as λ grows", ridgeNorms.every((v, i) => i === 0 || v < ridgeNorms[i - 1]!));
/** Index on the path (α decreasing) where feature j first becomes non-zero; Infinity if it never does. */
const entryIndex = (j: number) => {
  const index = lassoPath.findIndex((w) => w[j] !== 0);
  return index === -1 ? Infinity : index;
};
const noiseFeatures = sparse.coef.flatMap((c, j) => (c === 0 ? [j] : []));
check("lasso path: the three true features enter before any noise feature",
  Math.max(...trueSupport.map(entryIndex)) < Math.min(...noiseFeatures.map(entryIndex)));

// %%
/** One line per coefficient: true features coloured, noise features thin grey (one legend entry). */
function pathFigure(penalties: number[], path: number[][], title: string, xTitle: string, marked?: { at: number; label: string }) {
  return {
    data: sparse.coef.map((c, j) => ({
      x: penalties, y: path.map((w) => w[j]!), type: "scatter" as const, mode: "lines" as const,
      name: c !== 0 ? `feature ${j} (true ${c.toFixed(2)})` : "noise features",
      showlegend: c !== 0 || j === trueSupport.length,
      line: c !== 0 ? { width: 3 } : { width: 1, color: "rgba(120,120,120,0.6)" },
    })),
    layout: {
      title: { text: title },
      xaxis: { title: { text: xTitle }, type: "log" as const, exponentformat: "power" as const },
      yaxis: { title: { text: "coefficient wⱼ" } },
      legend: { orientation: "h" as const, x: 0, y: -0.22 },
      ...(marked ? {
        shapes: [{ type: "line" as const, x0: marked.at, x1: marked.at, yref: "paper" as const, y0: 0, y1: 1, line: { dash: "dash" as const, color: "grey" } }],
        annotations: [{ x: Math.log10(marked.at), y: 1, yref: "paper" as const, text: marked.label, showarrow: false, xanchor: "left" as const, yanchor: "top" as const }],
      } : {}),
    },
  };
}
await showFigure(pathFigure(lassoAlphas, lassoPath, "L1 (lasso) path: coefficients hit exactly zero", "α (log scale)",
  { at: alphaLasso, label: " α = 2σ√(2 ln d / n)" }), { height: 480 });
await showFigure(pathFigure(ridgeAlphas, ridgePath, "L2 (ridge) path: coefficients shrink, never to exactly zero", "λ (log scale)"), { height: 480 });

// %% [markdown]
// **Prediction vs selection.** If α is chosen by 5-fold CV for prediction error instead, the lasso keeps
// the three true features but also lets in noise features with small coefficients: the α that predicts best
// is smaller than the one that selects correctly. Use CV for prediction, and treat a CV-tuned lasso's
// support as a superset.

// %%
const sparseFolds = kFold(nSparse, { k: 5, shuffle: true, seed: 0 });
const lassoCvMse = lassoAlphas.map((a) => sparseFolds.reduce((s, { train: fitRows, test: heldOut }) => {
  const model = new Lasso({ alpha: a, tol: 1e-8, maxIter: 10_000 }).fit(take(sparse.X, fitRows), take(sparse.y, fitRows));
  return s + meanSquaredError(take(sparse.y, heldOut), model.predict(take(sparse.X, heldOut))) * heldOut.length;
}, 0) / nSparse);
const cvAlphaIndex = lassoCvMse.indexOf(Math.min(...lassoCvMse));
const cvSupport = lassoPath[cvAlphaIndex]!.flatMap((w, j) => (w !== 0 ? [j] : []));
console.log(`CV-chosen α = ${lassoAlphas[cvAlphaIndex]!.toFixed(3)} keeps ${cvSupport.length} features: {${cvSupport}}; theory α = ${alphaLasso.toFixed(3)} keeps {${lassoSupport}}`);
check("the CV-tuned lasso keeps every true feature (its support is a superset)", trueSupport.every((j) => cvSupport.includes(j)));

// %% [markdown]
// ## 5. Weight decay is L2 under SGD, but not under Adam (AdamW)
//
// None of the seed answers mention this, and it is a favourite follow-up question. Two ways to "regularize
// the weights" in a training loop:
// * **L2 in the loss**: add (λ/2)‖θ‖² to the loss, so the gradient becomes `g + λθ`;
// * **weight decay**: shrink the weights directly, `θ ← θ − ηλθ`, then take the optimizer's step on `g`.
//
// Under SGD they are the same update, `θ − η(g + λθ) = (1 − ηλ)θ − ηg`. Under Adam the L2 gradient goes
// through Adam's normalisation `m̂/(√v̂ + ε)`, so each weight's decay is divided by its own gradient scale √v̂:
// weights with large gradients are barely regularized, weights with tiny gradients are pushed at full speed.
// **AdamW** (Loshchilov & Hutter, 2019) applies the decay outside the normalisation. In PyTorch,
// `Adam(weight_decay=λ)` is the L2 form and `AdamW(weight_decay=λ)` the decoupled one; `lib/nn/optimizers.ts`'s
// `adam({ weightDecay })` is AdamW.
//
// First, SGD on the sparse regression loss (1/2n)‖Xθ − y‖²: the two forms agree step by step and converge
// to the closed-form minimiser of the L2-penalised loss, `(XᵀX/n + λI)⁻¹Xᵀy/n`.

// %%
const lossGradient = (theta: number[]) => {
  const residual = matVec(sparse.X, theta).map((v, i) => v - sparse.y[i]!);
  return matVec(transpose(sparse.X), residual).map((g) => g / nSparse);
};
const [etaSgd, decay] = [0.1, 0.5];
const sgdWithL2 = sgd({ learningRate: etaSgd });
const sgdPlain = sgd({ learningRate: etaSgd });
let thetaL2 = new Array<number>(20).fill(0);
let thetaDecayed = new Array<number>(20).fill(0);
let maxGap = 0;
for (let t = 0; t < 500; t++) {
  thetaL2 = sgdWithL2.step(thetaL2, lossGradient(thetaL2).map((g, j) => g + decay * thetaL2[j]!));
  const before = thetaDecayed;
  thetaDecayed = sgdPlain.step(before, lossGradient(before)).map((v, j) => v - etaSgd * decay * before[j]!);
  maxGap = Math.max(maxGap, ...thetaL2.map((v, j) => Math.abs(v - thetaDecayed[j]!)));
}
const penalisedMinimiser = solve(
  matMul(transpose(sparse.X), sparse.X).map((row, i) => row.map((v, j) => v / nSparse + (i === j ? decay : 0))),
  matVec(transpose(sparse.X), sparse.y).map((v) => v / nSparse),
);
check("SGD: L2-in-the-loss and weight decay give the same iterates (500 steps, max gap < 1e-12)", maxGap < 1e-12, { maxGap: maxGap });
checkAllClose("SGD + weight decay converges to the L2-penalised closed form", thetaDecayed, penalisedMinimiser, { abs: 1e-9 });

// %% [markdown]
// Now Adam. Three weights, all equal to θ = 1, whose loss gradients have very different sizes (1, 0.1 and
// 0.01, constant for 100 warm-up steps so that √v̂ has settled on them). Then one more step, taken three
// ways from the same state: no regularization, L2 (gradient `g + λθ`), and AdamW. The *extra shrinkage* is
// how much further each weight moves towards 0 than without regularization.

// %%
const [etaAdam, lambdaAdam] = [1e-3, 1e-3];
const gradientScales = [1, 0.1, 0.01];
const theta0 = [1, 1, 1];
/** An Adam whose moment estimates have seen 100 steps of the constant gradients (its state depends only on them). */
function warmedUp(weightDecay: number) {
  const optimizer = adam({ learningRate: etaAdam, weightDecay: weightDecay });
  for (let t = 0; t < 100; t++) optimizer.step(theta0, gradientScales);
  return optimizer;
}
const unregularized = warmedUp(0).step(theta0, gradientScales);
const withL2 = warmedUp(0).step(theta0, gradientScales.map((g, j) => g + lambdaAdam * theta0[j]!));
const withAdamW = warmedUp(lambdaAdam).step(theta0, gradientScales);
const shrinkL2 = unregularized.map((v, j) => v - withL2[j]!);
const shrinkAdamW = unregularized.map((v, j) => v - withAdamW[j]!);
showTable(gradientScales.map((g, j) => ({
  "|loss gradient|": g, "extra shrink, Adam + L2": shrinkL2[j]!, "extra shrink, AdamW": shrinkAdamW[j]!, "Adam + L2 shrink × |gradient|": shrinkL2[j]! * g,
})), { caption: `One Adam step, η = ${etaAdam}, λ = ${lambdaAdam}, θ = 1 for all three weights`, digits: 4 });

checkAllClose("AdamW: every weight gets the same extra shrink ηλθ, whatever its gradient", shrinkAdamW, theta0.map((t) => etaAdam * lambdaAdam * t), { rel: 1e-9 });
const shrinkTimesScale = shrinkL2.map((s, j) => s * gradientScales[j]!);
check("Adam + L2: the extra shrink is ∝ 1/|gradient| (shrink × |gradient| equal within 2 %), a 100× spread",
  Math.max(...shrinkTimesScale) / Math.min(...shrinkTimesScale) < 1.02 && shrinkL2[2]! / shrinkL2[0]! > 90,
  { shrinkTimesScale: shrinkTimesScale.map((v) => v.toExponential(3)).join(" ") });

// %% [markdown]
// The extreme case is a weight with **no** loss gradient at all (a unit that never activates, an unused
// embedding row): only the penalty acts. Its gradient under Adam + L2 is λθ, and Adam's update is invariant
// to the gradient's scale, so the weight shrinks by about η per step **whatever λ is**: the penalty strength
// does not even set the speed. AdamW gives exactly `θ₀(1 − ηλ)ᵗ`.

// %%
const decaySteps = 300;
const decayTrajectories = [1e-4, 1e-2].map((lambda) => {
  const l2Optimizer = adam({ learningRate: etaAdam });
  const adamWOptimizer = adam({ learningRate: etaAdam, weightDecay: lambda });
  const l2Path = [1];
  const adamWPath = [1];
  for (let t = 0; t < decaySteps; t++) {
    l2Path.push(l2Optimizer.step([l2Path[t]!], [lambda * l2Path[t]!])[0]!);
    adamWPath.push(adamWOptimizer.step([adamWPath[t]!], [0])[0]!);
  }
  return { lambda: lambda, l2Path: l2Path, adamWPath: adamWPath };
});
decayTrajectories.forEach(({ lambda, adamWPath }) => {
  checkAllClose(`AdamW, λ = ${lambda}: θₜ = (1 − ηλ)ᵗ exactly`, adamWPath, adamWPath.map((_, t) => (1 - etaAdam * lambda) ** t), { rel: 1e-12 });
});
const [weakL2, strongL2] = decayTrajectories.map((d) => d.l2Path[decaySteps]!);
check("Adam + L2: a 100× larger λ changes θ after 300 steps by < 0.001 (λ barely matters)", Math.abs(weakL2! - strongL2!) < 1e-3,
  { lambda1e4: weakL2!, lambda1e2: strongL2! });
check("…and both shrink far faster than AdamW with the larger λ (θ < 0.8 vs > 0.99)",
  strongL2! < 0.8 && decayTrajectories[1]!.adamWPath[decaySteps]! > 0.99);

// %%
await showFigure({
  data: [...decayTrajectories].reverse().flatMap(({ lambda, l2Path, adamWPath }) => [ // dashed λ = 1e-4 lines on top
    { name: `Adam + L2, λ = ${lambda}`, y: l2Path, line: lambda === 1e-2 ? { width: 6, color: "#9ecae1" } : { width: 2, dash: "dash" as const, color: "#08519c" } },
    { name: `AdamW, λ = ${lambda}`, y: adamWPath, line: lambda === 1e-2 ? { width: 2, color: "#d62728" } : { width: 2, dash: "dash" as const, color: "#ff7f0e" } },
  ]).map((trace) => ({ ...trace, x: trace.y.map((_, t) => t), type: "scatter" as const, mode: "lines" as const })),
  layout: {
    title: { text: "A weight with no loss gradient: only the regularizer acts" },
    xaxis: { title: { text: "optimizer step t" } },
    yaxis: { title: { text: "weight θₜ (θ₀ = 1)" } },
    legend: { x: 0.02, y: 0.02, yanchor: "bottom" },
  },
});

// %% [markdown]
// ## 6. Dropout
//
// The seed answer to S0-Q7 says dropout "randomly drops neurons" and stops there. The two details that
// make it work are missing:
// 1. **Scaling.** During training each unit is kept with probability 1 − p. Modern frameworks use
//    *inverted* dropout: the kept units are multiplied by 1/(1 − p), so that the expected value of each
//    output equals its input, `E[m·x/(1 − p)] = x` for a Bernoulli(1 − p) mask m.
// 2. **Inference.** Dropout is switched **off** at inference: the layer is the identity, deterministic, and
//    because of the scaling in (1) the network sees activations of the same expected size it was trained on.
//    (The original 2014 formulation did no scaling in training and multiplied the weights by 1 − p at test
//    time instead; exercise 5 shows what goes wrong if you forget either.)
//
// Why it regularizes: each step trains a different random sub-network, so no unit can rely on a specific
// other unit being present (less co-adaptation), and the full network at test time acts like an average of
// the exponentially many sub-networks. The noise it injects has a known size: the variance of one output is
// `x²·p/(1 − p)`.
//
// Inverted dropout by hand, applied 100,000 times to a fixed vector of 64 activations with p = 0.5:

// %%
/** Inverted dropout: zero each unit with probability p, scale the survivors by 1/(1 − p). */
function invertedDropout(x: number[], p: number, rng: Random): number[] {
  return x.map((v) => (rng.random() < p ? 0 : v / (1 - p)));
}

const dropoutRng = new Random(3);
const activations = dropoutRng.array(64, (r) => r.uniform(0.1, 2));
const pDrop = 0.5;
const draws = 100_000;
/** Per-unit sums and sums of squares of the dropout output over many draws, and the number of zeros. */
function dropoutStatistics(x: number[], p: number, nDraws: number, rng: Random) {
  const sums = new Array<number>(x.length).fill(0);
  const sumsOfSquares = new Array<number>(x.length).fill(0);
  let zeros = 0;
  for (let d = 0; d < nDraws; d++) {
    invertedDropout(x, p, rng).forEach((v, j) => {
      sums[j]! += v;
      sumsOfSquares[j]! += v * v;
      if (v === 0) zeros++;
    });
  }
  return { sums: sums, sumsOfSquares: sumsOfSquares, zeros: zeros };
}
const { sums, sumsOfSquares, zeros } = dropoutStatistics(activations, pDrop, draws, dropoutRng);
const zeroFraction = zeros / (draws * 64);
const outputMean = sums.reduce((s, v) => s + v, 0) / (draws * 64);
const inputMean = activations.reduce((s, v) => s + v, 0) / 64;
const empiricalVariance = sums.map((s, j) => sumsOfSquares[j]! / draws - (s / draws) ** 2);
const predictedVariance = activations.map((x) => (x * x * pDrop) / (1 - pDrop));
const totalVarianceRatio = empiricalVariance.reduce((s, v) => s + v, 0) / predictedVariance.reduce((s, v) => s + v, 0);
console.log(`zero fraction ${zeroFraction.toFixed(4)}, output mean ${outputMean.toFixed(4)} vs input mean ${inputMean.toFixed(4)}, variance ratio ${totalVarianceRatio.toFixed(4)}`);
check("fraction of zeros = p ± 0.01", Math.abs(zeroFraction - pDrop) < 0.01, { zeroFraction: zeroFraction });
check("mean output over 1e5 draws within 1 % of the input mean (unbiased thanks to 1/(1 − p))",
  Math.abs(outputMean / inputMean - 1) < 0.01, { outputMean: outputMean, inputMean: inputMean });
check("per-unit means within 1 % of the inputs, every one of the 64 units",
  sums.every((s, j) => Math.abs(s / draws / activations[j]! - 1) < 0.01));
check("output variance = x²·p/(1 − p) (summed over units, within 2 %)", Math.abs(totalVarianceRatio - 1) < 0.02, { ratio: totalVarianceRatio });

// %% [markdown]
// The 1 % tolerances are ≥ 3 standard errors: with p = 0.5 each output is 0 or 2x, so one unit's mean over
// 10⁵ draws has a relative standard error of 1/√10⁵ ≈ 0.32 %. The dropout masks of the first draws of a new
// generator (each cell is one unit in one training step; 2 = kept and scaled by 1/(1 − p), 0 = dropped):

// %%
const maskRng = new Random(4);
const masks = Array.from({ length: 8 }, () => invertedDropout(new Array<number>(16).fill(1), pDrop, maskRng));
await showFigure(heatmapFigure(masks, {
  title: "Inverted-dropout masks, p = 0.5: a different sub-network every step",
  xTitle: "hidden unit", yTitle: "training step", yLabels: masks.map((_, i) => `step ${i + 1}`),
}), { height: 380 });

// %% [markdown]
// TensorFlow.js's `tf.layers.dropout` is inverted dropout: in training mode the kept values are exactly
// x/(1 − p), and with `training: false` (what `model.predict` and `model.evaluate` use) it returns its input
// bit for bit. One trap: giving the layer a fixed `seed` makes tfjs draw **the same mask on every call**, which
// is no longer dropout but a fixed pruning of the network. Seed the whole run instead (`setupTf({ seed })`
// seeds the generator tfjs uses when no seed is given).

// %%
const dropoutInput = tf.tidy(() => tf.add(tf.randomUniform([1000, 100], 0, 1, "float32", nextSeed()), 0.5));
const tfDropout = tf.layers.dropout({ rate: 0.3 });
const [inputValues, trainingValues, inferenceValues, secondTrainingValues] = tf.tidy(() => [
  dropoutInput.dataSync(),
  (tfDropout.apply(dropoutInput, { training: true }) as tf.Tensor).dataSync(),
  (tfDropout.apply(dropoutInput, { training: false }) as tf.Tensor).dataSync(),
  (tfDropout.apply(dropoutInput, { training: true }) as tf.Tensor).dataSync(),
]) as [Float32Array, Float32Array, Float32Array, Float32Array];

check("tf.layers.dropout with training: false is the identity, bit for bit", inferenceValues.every((v, i) => v === inputValues[i]));
const keptIndices = Array.from(trainingValues.keys()).filter((i) => trainingValues[i] !== 0);
checkAllClose("tf.layers.dropout in training: kept values = x / (1 − p)", keptIndices.map((i) => trainingValues[i]!), keptIndices.map((i) => inputValues[i]! / 0.7), { rel: 1e-6 });
const tfZeroFraction = 1 - keptIndices.length / trainingValues.length;
check("…and it zeroes a fraction p = 0.3 ± 0.01 of 100,000 values", Math.abs(tfZeroFraction - 0.3) < 0.01, { zeroFraction: tfZeroFraction });
check("an unseeded layer draws a new mask on each call", secondTrainingValues.some((v, i) => (v === 0) !== (trainingValues[i] === 0)));

const seededDropout = tf.layers.dropout({ rate: 0.3, seed: 42 });
const sameMask = tf.tidy(() => {
  const first = (seededDropout.apply(dropoutInput, { training: true }) as tf.Tensor).dataSync();
  const second = (seededDropout.apply(dropoutInput, { training: true }) as tf.Tensor).dataSync();
  return first.every((v, i) => v === second[i]);
});
dropoutInput.dispose();
check("the trap: tf.layers.dropout({ seed }) repeats the identical mask on every call", sameMask);

// %% [markdown]
// ## 7. Regularizing a network in TensorFlow.js: penalties, dropout, early stopping
//
// S2-Q16 asks how to build regularization into a model. In TensorFlow.js (as in Keras):
// * a **weight penalty** is a layer argument: `kernelRegularizer: tf.regularizers.l2({ l2: λ })` on `dense`
//   and `conv2d`, `embeddingsRegularizer` on `embedding` (the seed writes `kernel_regularizer` on an
//   `Embedding`, which has no kernel: exercise 3). `model.fit` then minimises `mean loss + Σ λ‖W‖²` (no ½);
// * **dropout** is a layer, `tf.layers.dropout({ rate })`, active only inside `fit`;
// * **early stopping** is a loop over epochs that watches the validation loss and keeps the best weights.
//   tfjs's own `tf.callbacks.earlyStopping` can stop, but cannot restore the best weights
//   (`restoreBestWeights: true` throws "not implemented"), so the loop below checkpoints them itself.
//
// First, the claim about what `fit` minimises, on one full-batch step of a freshly initialised model: the
// loss it reports must equal the cross-entropy plus λ·ΣW² over both kernels, computed by hand before the step.

// %%
check("tfjs EarlyStopping cannot restore the best weights (throws)", (() => {
  try {
    tf.callbacks.earlyStopping({ monitor: "val_loss", restoreBestWeights: true });
    return false;
  } catch (error) {
    return /not implemented/.test((error as Error).message);
  }
})());

const digits = loadDigits();
const digitSplit = trainTestSplit(digits.target.length, { testFraction: 0.5, seed: 0, stratify: digits.target });
const [trainRows, validationRows, testRows] = [digitSplit.train.slice(0, 300), digitSplit.test.slice(0, 450), digitSplit.test.slice(450)];
const pixels = (rows: number[]) => tf.tensor2d(take(digits.data, rows).map((r) => r.map((v) => v / 16)));
const oneHot = (labels: number[]) => tf.tidy(() => tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat());

// 30 % of the training labels replaced by a uniformly random digit: memorising them is pure overfitting.
const labelRng = new Random(5);
const noisyTrainLabels = take(digits.target, trainRows).map((label) => (labelRng.random() < 0.3 ? labelRng.int(0, 10) : label));
const [xTrainDigits, xValidationDigits, xTestDigits] = [pixels(trainRows), pixels(validationRows), pixels(testRows)];
const [yTrainNoisy, yValidation] = [oneHot(noisyTrainLabels), oneHot(take(digits.target, validationRows))];
const testLabels = take(digits.target, testRows);
const corrupted = noisyTrainLabels.filter((label, i) => label !== digits.target[trainRows[i]!]).length;
console.log(`${trainRows.length} training images (${corrupted} with a wrong label), ${validationRows.length} validation, ${testRows.length} test; 64 pixels each`);

type Regularization = "none" | "L2" | "dropout";
const l2Strength = 1e-3;

/** 64 → 256 ReLU → 10 softmax, with the chosen regularization; Adam, lr 0.003. */
function digitNetwork(kind: Regularization): tf.Sequential {
  const penalty = kind === "L2" ? { kernelRegularizer: tf.regularizers.l2({ l2: l2Strength }) } : {};
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: "relu", inputShape: [64], kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }), ...penalty }),
      ...(kind === "dropout" ? [tf.layers.dropout({ rate: 0.5 })] : []),
      tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }), ...penalty }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: "categoricalCrossentropy" });
  return model;
}

const probeModel = digitNetwork("L2");
const expectedFitLoss = tf.tidy(() => {
  const crossEntropy = tf.mean(tf.metrics.categoricalCrossentropy(yTrainNoisy, probeModel.predict(xTrainDigits) as tf.Tensor)).dataSync()[0]!;
  const kernels = [probeModel.getWeights()[0]!, probeModel.getWeights()[2]!];
  const penaltyByHand = kernels.reduce((s, w) => s + l2Strength * Array.from(w.dataSync()).reduce((t, v) => t + v * v, 0), 0);
  return crossEntropy + penaltyByHand;
});
const probeHistory = await probeModel.fit(xTrainDigits, yTrainNoisy, { batchSize: trainRows.length, epochs: 1, shuffle: false, verbose: 0 });
probeModel.dispose();
checkClose("model.fit's loss = cross-entropy + λ·Σ‖W‖² of both kernels (computed by hand)", probeHistory.history.loss![0] as number, expectedFitLoss, { rel: 1e-5 });

// %% [markdown]
// **The experiment.** To make overfitting visible at this small scale, 30 % of the 300 training labels are
// replaced by random digits (real datasets have label noise too). A 256-unit network can memorise all of
// them; when it does, its validation loss rises. Three models from the same recipe, 100 epochs each: no
// regularization, L2 on both kernels (λ = 10⁻³), and dropout 0.5 after the hidden layer. Each run
// checkpoints the weights of its best validation epoch and restores them at the end: that is early stopping
// with `restoreBestWeights`, with a patience equal to the whole run so that the full curves can be plotted.

// %%
interface TrainingRun {
  kind: Regularization;
  validationLoss: number[];
  testAccuracy: number[];
  bestEpoch: number;
  restoredValidationLoss: number;
  restoredTestAccuracy: number;
  tensorsAfterEpoch: number[];
}

const validationLossOf = (model: tf.Sequential) =>
  tf.tidy(() => tf.mean(tf.metrics.categoricalCrossentropy(yValidation, model.predict(xValidationDigits) as tf.Tensor)).dataSync()[0]!);
const testAccuracyOf = (model: tf.Sequential) => {
  const predicted = tf.tidy(() => Array.from((model.predict(xTestDigits) as tf.Tensor).argMax(1).dataSync()));
  return predicted.filter((p, i) => p === testLabels[i]).length / testLabels.length;
};

/** Trains epoch by epoch, keeps a copy of the weights with the lowest validation loss, restores it at the end. */
async function trainWithEarlyStopping(kind: Regularization, epochs: number, patience: number): Promise<TrainingRun> {
  const model = digitNetwork(kind);
  let bestWeights = model.getWeights().map((w) => w.clone());
  let bestLoss = Infinity;
  let bestEpoch = 0;
  const run = { validationLoss: [] as number[], testAccuracy: [] as number[], tensorsAfterEpoch: [] as number[] };
  const bar = progress({ total: epochs, label: `digits MLP, regularization: ${kind}` });
  for (let epoch = 1; epoch <= epochs && epoch - bestEpoch <= patience; epoch++) {
    await model.fit(xTrainDigits, yTrainNoisy, { batchSize: 32, epochs: 1, shuffle: true, verbose: 0 });
    const loss = validationLossOf(model);
    run.validationLoss.push(loss);
    run.testAccuracy.push(testAccuracyOf(model));
    if (loss < bestLoss) {
      tf.dispose(bestWeights);
      bestWeights = model.getWeights().map((w) => w.clone());
      [bestLoss, bestEpoch] = [loss, epoch];
    }
    run.tensorsAfterEpoch.push(tf.memory().numTensors);
    bar.update(epoch, { validationLoss: loss });
  }
  bar.done();
  model.setWeights(bestWeights); // restore the checkpoint
  tf.dispose(bestWeights);
  const result = { kind: kind, ...run, bestEpoch: bestEpoch, restoredValidationLoss: validationLossOf(model), restoredTestAccuracy: testAccuracyOf(model) };
  model.dispose();
  return result;
}

const epochsPerRun = 100;
const runs: TrainingRun[] = [];
for (const kind of ["none", "L2", "dropout"] as const) runs.push(await trainWithEarlyStopping(kind, epochsPerRun, epochsPerRun));

// %%
const last = (values: number[]) => values[values.length - 1]!;
showTable(runs.map((r) => ({
  regularization: r.kind,
  "best epoch": r.bestEpoch,
  "min validation loss": Math.min(...r.validationLoss),
  "last validation loss": last(r.validationLoss),
  "test accuracy, restored best": r.restoredTestAccuracy,
  "test accuracy, last epoch": last(r.testAccuracy),
})), { caption: "Digits MLP, 300 training images with 30 % wrong labels, 100 epochs", digits: 4 });

const [plain, withL2Run, withDropoutRun] = runs as [TrainingRun, TrainingRun, TrainingRun];
runs.forEach((r) => {
  checkClose(`${r.kind}: restored model's validation loss = the minimum over epochs (epoch ${r.bestEpoch})`,
    r.restoredValidationLoss, Math.min(...r.validationLoss), { rel: 1e-6 });
  check(`${r.kind}: restored validation loss ≤ last epoch's`, r.restoredValidationLoss <= last(r.validationLoss) * (1 + 1e-6));
  check(`${r.kind}: no tensor leak (live tensors identical after every epoch from the 2nd on)`, new Set(r.tensorsAfterEpoch.slice(1)).size === 1);
});
check("the unregularized model overfits: last validation loss ≥ 1.15 × its minimum", last(plain.validationLoss) >= 1.15 * Math.min(...plain.validationLoss),
  { min: Math.min(...plain.validationLoss), last: last(plain.validationLoss) });
check("early stopping pays on unseen test data: restored test accuracy ≥ last epoch's + 5 points (unregularized)",
  plain.restoredTestAccuracy >= last(plain.testAccuracy) + 0.05, { restored: plain.restoredTestAccuracy, lastEpoch: last(plain.testAccuracy) });
check("L2 and dropout each end with a lower validation loss than the unregularized model",
  last(withL2Run.validationLoss) < last(plain.validationLoss) && last(withDropoutRun.validationLoss) < last(plain.validationLoss),
  { none: last(plain.validationLoss), L2: last(withL2Run.validationLoss), dropout: last(withDropoutRun.validationLoss) });

// %% [markdown]
// *Calibration of the three design targets* (2026-11-23, 2 cores, wasm backend), rerunning this section's
// recipe with split, label-noise and initialisation seeds 0–4:
// * unregularized, last / minimum validation loss: 1.44, 1.31, 1.37, 1.24, 1.37 (bound 1.15);
// * test accuracy of the restored checkpoint minus the last epoch's: +0.13, +0.16, +0.14, +0.12, +0.13
//   (bound +0.05);
// * last validation loss, none / L2 / dropout: 0.84/0.71/0.59, 0.86/0.74/0.67, 0.82/0.63/0.60,
//   0.70/0.66/0.58, 0.82/0.68/0.61: both regularizers below the plain model every time (smallest margin
//   0.04, L2 with seed 3).
//
// The 30 % label noise is what makes the effects this large. With clean labels (seeds 0–2, same recipe) the
// plain network's validation loss rose only 5–19 % after its minimum, and early stopping changed test
// accuracy by less than one point (0.94–0.95 throughout): overfitting is mild when there is no noise to
// memorise, and so is what any regularizer can win back.
//
// Validation loss per epoch. The markers are the restored checkpoints. All three curves turn up once the
// network starts memorising wrong labels; the penalties slow that down, early stopping undoes it.

// %%
await showFigure({
  data: [
    ...runs.map((r) => ({ type: "scatter" as const, mode: "lines" as const, name: `regularization: ${r.kind}`, x: r.validationLoss.map((_, i) => i + 1), y: r.validationLoss })),
    { type: "scatter" as const, mode: "markers" as const, name: "restored checkpoints", x: runs.map((r) => r.bestEpoch), y: runs.map((r) => Math.min(...r.validationLoss)), marker: { size: 12, symbol: "star", color: "black" } },
  ],
  layout: {
    title: { text: "Validation cross-entropy per epoch (30 % wrong labels in training)" },
    xaxis: { title: { text: "epoch" } },
    yaxis: { title: { text: "validation cross-entropy" }, range: [0.4, 1.2] },
    legend: { orientation: "h", x: 0, y: -0.22 },
  },
}, { height: 480 });

// %% [markdown]
// ## 8. The toolbox, and what changes for large models
//
// S0-Q9's answer lists only L1, L2 and dropout; S3-Q3 (asked for three, it gives five) and its near-verbatim
// repeat S3-Q17 add augmentation, early stopping and ensembles;
// S1-Q10 and S4-Q2 add cross-validation, which is a measurement, not a remedy. The complete list, by what
// each one acts on:
//
// | method | acts on | what it does | shown |
// |---|---|---|---|
// | more (real) data | data | shrinks the variance of every fit | §1 |
// | data augmentation | data | adds transformed copies; helps only for true invariances | notebook 06 |
// | smaller model / architecture prior (fewer degrees, convolutions, weight sharing) | model | fewer ways to fit noise | §1, notebook 13 |
// | L2 penalty / weight decay | weights | shrinks all weights; = weight decay under SGD | §3, §5 |
// | AdamW (decoupled weight decay) | weights | uniform decay under adaptive optimizers | §5 |
// | L1 penalty | weights | exact zeros: feature selection | §4 |
// | dropout | activations | trains random sub-networks; off at inference | §6, §7 |
// | early stopping | training time | restores the best validation checkpoint | §7 |
// | noise injection, label smoothing | inputs / targets | discourages over-confident fits | — |
// | batch normalization | activations | mainly speeds training; its batch noise regularizes a little | notebook 13 |
// | ensembles (bagging, random forests) | predictions | average away the variance of single models | notebook 10 |
// | cross-validation | *measurement* | estimates error, selects λ / degree / epochs | §2, §3 |
//
// **Large models (S4-Q2).** k-fold CV means k full training runs, which nobody can afford for a large
// model; a single held-out set is used instead. Pretraining on a huge corpus is often done for about one
// epoch, where overfitting in the classical sense barely occurs; the defences are data quality and
// **deduplication** (repeated documents get memorised), **weight decay with AdamW** (GPT-3 and LLaMA report
// 0.1), and monitoring the held-out loss to pick checkpoints. Many pretraining runs use no dropout at all (PaLM
// reports dropout 0 in pretraining and 0.1 in fine-tuning). Fine-tuning on a small labelled set is where a
// large model overfits quickly: few epochs, early stopping on a validation set, dropout, and
// parameter-efficient methods (LoRA, adapters) that train few parameters.
//
// ## Recap
//
// * **Overfitting** = training error ≪ held-out error; detect it with a validation set or k-fold CV.
// * **CV measures and selects; it does not regularize.** Fit every data-dependent step inside the folds.
// * **L2 / ridge** shrinks weights smoothly and makes XᵀX + λI well-conditioned; choose λ by CV. Its
//   gradient step *is* weight decay: `w ← (1 − 2ηλ)w − η∇data`.
// * **L1 / lasso** gives exact zeros via the soft-threshold; it recovers a sparse support when α is above the
//   noise level, while the CV-optimal α keeps extra features.
// * **Weight decay = L2 only for SGD.** Under Adam the L2 gradient is divided by √v̂; **AdamW** decouples it.
// * **Inverted dropout**: scale kept units by 1/(1 − p) during training; at inference dropout is off and the
//   layer is the identity. Never give `tf.layers.dropout` a fixed seed.
// * **Early stopping** must restore the best checkpoint, not just stop; tfjs's callback cannot, so do it in
//   the loop.
//
// ## Exercises
//
// 1. **L1 vs L2 in closed form.** For an orthogonal design (centred columns with XᵀX = nI), show that the
//    lasso solution is the soft-threshold of the least-squares solution, `wⱼ = S(ŵⱼ, α)`, and that ridge
//    (penalty λ‖w‖² on the sum of squares) is a uniform shrink, `wⱼ = n·ŵⱼ/(n + λ)`. Check both with
//    `lib/ml/linear`.
// 2. **Duplicated feature.** Append a copy of feature 2 to the sparse data. What do ridge and lasso do with
//    the two identical columns?
// 3. **Spot the bug (S2-Q16).** The seed's "integrate L2 regularization" example:
//
//    ```python
//    from tensorflow.keras.layers import Embedding, Dense
//    from tensorflow.keras.regularizers import l2
//
//    inputs = Input(shape=(max_sequence_length,))
//    embed = Embedding(input_dim=vocab_size, output_dim=embedding_dim, kernel_regularizer=l2(0.01))(inputs)
//    outputs = Dense(vocab_size, activation='softmax', kernel_regularizer=l2(0.01))(embed)
//    model = Model(inputs=inputs, outputs=outputs)
//    model.compile(optimizer='adam', loss='categorical_crossentropy', metrics=['accuracy'])
//    model.fit(train_data, train_labels, epochs=3, batch_size=32)
//    ```
//
//    What is wrong? Write the regularized embedding in TensorFlow.js and prove the penalty is applied.
// 4. **Spot the bug (S1-Q10, S4-Q2).** Both answers list "交叉验证 (cross-validation): train and validate on
//    different subsets" as a way to *solve* overfitting. What does cross-validation actually do for the
//    degree-15 polynomial of §1, and when does it help?
// 5. **Spot the gap (S0-Q7).** "Set the dropout ratio to 0.5 to randomly drop half the neurons." Suppose you
//    implement exactly that, with no rescaling anywhere. What goes wrong at inference, and what are the two
//    correct fixes?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** With XᵀX = nI the lasso objective separates per coordinate: `(1/2)(wⱼ − ŵⱼ)² + α|wⱼ|` up to
// constants, with ŵ = Xᵀy/n the least-squares solution; its minimiser is the soft-threshold. Ridge:
// `(nI + λI)w = Xᵀy = nŵ`. An orthogonal design is built by Gram–Schmidt on centred random columns.

// %% tags=["solution"]
const orthoRng = new Random(6);
const nOrtho = 50;
const orthoColumns: number[][] = [];
for (let j = 0; j < 5; j++) {
  let column = orthoRng.array(nOrtho, (r) => r.normal());
  const mean = column.reduce((s, v) => s + v, 0) / nOrtho;
  column = column.map((v) => v - mean); // centred, so the intercept does not interact
  for (const q of orthoColumns) {
    const projection = column.reduce((s, v, i) => s + v * q[i]!, 0) / nOrtho;
    column = column.map((v, i) => v - projection * q[i]!);
  }
  const norm = Math.sqrt(column.reduce((s, v) => s + v * v, 0) / nOrtho);
  orthoColumns.push(column.map((v) => v / norm)); // ‖column‖² = n
}
const XOrtho = transpose(orthoColumns);
const yOrtho = XOrtho.map((row) => 3 * row[0]! - 1.5 * row[1]! + 0.2 * row[2]! + orthoRng.normal(0, 0.5));
const wLeastSquares = new LinearRegression().fit(XOrtho, yOrtho).coef_!;

// %% tags=["exercise-check"]
// XOrtho, yOrtho: an orthogonal design (centred columns, XᵀX = nI) and its targets; wLeastSquares: the
// least-squares weights on them. The closed forms must match lib/ml/linear's Lasso and Ridge.
const [alphaOrtho, lambdaOrtho] = [0.4, 20];
checkAllClose("orthogonal design: lasso = soft-threshold of least squares", new Lasso({ alpha: alphaOrtho, tol: 1e-14 }).fit(XOrtho, yOrtho).coef_!,
  wLeastSquares.map((w) => softThreshold(w, alphaOrtho)), { abs: 1e-9 });
checkAllClose("orthogonal design: ridge = n/(n + λ) × least squares", new Ridge({ alpha: lambdaOrtho }).fit(XOrtho, yOrtho).coef_!,
  wLeastSquares.map((w) => (XOrtho.length * w) / (XOrtho.length + lambdaOrtho)), { abs: 1e-12 });

// %% [markdown] tags=["solution"]
// **2.** Ridge splits the weight equally between identical columns (the objective is symmetric and strictly
// convex, so its unique minimiser is symmetric). The lasso objective depends only on the *sum* of the two
// weights when they share a sign (|a| + |b| = |a + b|), so any split is optimal: the solution is not unique,
// and which one a solver returns is an accident of the algorithm. What is determined is the sum, and it
// equals the single-column lasso coefficient. (Elastic net, L1 + L2, restores a unique, equal split.)

// %% tags=["solution"]
const duplicatedX = sparse.X.map((row) => [...row, row[2]!]);
const ridgeDuplicated = new Ridge({ alpha: 10 }).fit(duplicatedX, sparse.y).coef_!;
checkClose("ridge: identical columns get identical weights", ridgeDuplicated[2]!, ridgeDuplicated[20]!, { rel: 1e-9 });
const lassoDuplicated = new Lasso({ alpha: alphaLasso, tol: 1e-12, maxIter: 10_000 }).fit(duplicatedX, sparse.y).coef_!;
console.log(`lasso on the duplicated column: w₂ = ${lassoDuplicated[2]!.toFixed(6)}, w₂′ = ${lassoDuplicated[20]!.toFixed(6)}`);
checkClose("lasso: the two weights sum to the single-column lasso weight", lassoDuplicated[2]! + lassoDuplicated[20]!, wLasso[2]!, { abs: 1e-6 });

// %% [markdown] tags=["solution"]
// **3.** What is wrong with the S2-Q16 example:
// 1. Keras's `Embedding` has no `kernel_regularizer`; its weight matrix is the *embeddings*, regularized with
//    `embeddings_regularizer`. Keras rejects the unknown keyword with a `TypeError`.
// 2. `Input` and `Model` are not imported; `max_sequence_length`, `vocab_size`, `train_data` … are undefined.
// 3. `Dense(vocab_size, softmax)` applied to the `(batch, time, dim)` embedding predicts a word per position
//    with no stated task, and `categorical_crossentropy` then needs one-hot labels of shape
//    `(batch, time, vocab)`.
// 4. It shows L2 only, although the text lists L1 and dropout, and never compares with and without the
//    penalty, so it demonstrates nothing. `l2(0.01)` summed over a whole vocabulary's embedding matrix is also
//    very strong.
//
// In TypeScript the first bug is caught before anything runs: the type checker rejects the unknown property
// (the `@ts-expect-error` line below would fail the build if it did not). Forced past the type checker, tfjs
// *silently ignores* it: no penalty at all. The fix is `embeddingsRegularizer`, whose penalty is
// 0.01·ΣE² over the embedding matrix E:

// %% tags=["solution"]
const vocabSize = 50;
const embeddingDim = 8;
const seedStyleEmbedding = tf.sequential({
  layers: [
    // @ts-expect-error: EmbeddingLayerArgs has no kernelRegularizer, the seed's bug
    tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, inputLength: 5, kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }),
  ],
});
const fixedEmbedding = tf.sequential({
  layers: [
    tf.layers.embedding({ inputDim: vocabSize, outputDim: embeddingDim, inputLength: 5, embeddingsRegularizer: tf.regularizers.l2({ l2: 0.01 }), embeddingsInitializer: tf.initializers.randomNormal({ stddev: 1, seed: nextSeed() }) }),
  ],
});
// Layer penalties are collected into the model when it is built, which compile() does.
[seedStyleEmbedding, fixedEmbedding].forEach((m) => m.compile({ optimizer: "adam", loss: "meanSquaredError" }));
const [seedStylePenalties, fixedPenalty, penaltyByHand] = tf.tidy(() => [
  seedStyleEmbedding.calculateLosses().length,
  fixedEmbedding.calculateLosses().reduce((s, l) => s + l.dataSync()[0]!, 0),
  0.01 * Array.from(fixedEmbedding.getWeights()[0]!.dataSync()).reduce((s, v) => s + v * v, 0),
]);
seedStyleEmbedding.dispose();
fixedEmbedding.dispose();
check("the seed's kernelRegularizer on an embedding adds no penalty at all in tfjs (silently ignored)", seedStylePenalties === 0);
checkClose("embeddingsRegularizer adds exactly 0.01·ΣE² to the training loss", fixedPenalty, penaltyByHand, { rel: 1e-5 });

// %% [markdown] tags=["solution"]
// **4.** Cross-validation is an estimator of generalisation error plus a selection procedure. Run on the
// degree-15 polynomial it reports a large error (it *detects* the overfitting, §2), but the degree-15 least
// squares model you deploy is exactly the same whether or not you ran CV. It helps only by choosing something
// that does regularize: the degree (CV picked a low degree in §2) or λ (§3). Two more caveats: the CV error of
// the *selected* setting is optimistically biased (it won the selection; use nested CV or a final test set
// to report it), and for large models k full training runs are unaffordable (§8).

// %% tags=["solution"]
const withoutCv = fitPolynomial(15, 0, train.X, train.y)(validation.X);
crossValidatedMse(15, 0, folds); // running CV changes nothing about the model fitted afterwards
const afterCv = fitPolynomial(15, 0, train.X, train.y)(validation.X);
check("running CV leaves the degree-15 model's predictions unchanged", withoutCv.every((v, i) => v === afterCv[i]));
const cvSelectedMse = degreeSweep[cvBestDegree - 1]!.validationMse;
check("what helps is the choice CV makes: the CV-chosen degree's validation MSE is < ½ of degree 15's",
  cvSelectedMse * 2 < degree15.validationMse, { cvChosenDegree: cvBestDegree, cvChosen: cvSelectedMse, degree15: degree15.validationMse });

// %% [markdown] tags=["solution"]
// **5.** Without rescaling, a unit's expected output in training is (1 − p)·x, but at inference (dropout
// off) it is x: every layer receives inputs 1/(1 − p) = 2× larger than anything it was trained on, and the
// error compounds through the layers. Fix (a), the original 2014 recipe: multiply by 1 − p at inference.
// Fix (b), inverted dropout (what frameworks do): divide by 1 − p during training, change nothing at
// inference. Leaving dropout *on* at inference is the other mistake: predictions become random (useful only
// deliberately, as Monte-Carlo dropout).

// %% tags=["solution"]
const unscaledDropout = (x: number[], p: number, rng: Random) => x.map((v) => (rng.random() < p ? 0 : v)); // the seed's literal description
const scaleRng = new Random(8);
const meanOver = (f: (x: number[]) => number[]) => {
  let total = 0;
  for (let d = 0; d < 20_000; d++) total += f(activations).reduce((s, v) => s + v, 0);
  return total / (20_000 * activations.length);
};
const unscaledTrainMean = meanOver((x) => unscaledDropout(x, pDrop, scaleRng));
const invertedTrainMean = meanOver((x) => invertedDropout(x, pDrop, scaleRng));
console.log(`mean activation: inference ${inputMean.toFixed(4)}, training without scaling ${unscaledTrainMean.toFixed(4)}, inverted ${invertedTrainMean.toFixed(4)}`);
check("no rescaling: inference activations are 1/(1 − p) = 2× the training mean (± 2 %)", Math.abs(inputMean / unscaledTrainMean - 2) < 0.04);
check("fix (a): scaling by (1 − p) at inference matches the unscaled training mean (± 1 %)", Math.abs(((1 - pDrop) * inputMean) / unscaledTrainMean - 1) < 0.01);
check("fix (b): inverted dropout's training mean matches plain inference (± 1 %)", Math.abs(invertedTrainMean / inputMean - 1) < 0.01);

const dropoutNet = digitNetwork("dropout");
const [predictA, predictB, trainModeA, trainModeB] = tf.tidy(() => {
  const x = xTestDigits.slice([0, 0], [20, 64]);
  return [
    (dropoutNet.predict(x) as tf.Tensor).dataSync(),
    (dropoutNet.predict(x) as tf.Tensor).dataSync(),
    (dropoutNet.apply(x, { training: true }) as tf.Tensor).dataSync(),
    (dropoutNet.apply(x, { training: true }) as tf.Tensor).dataSync(),
  ];
});
dropoutNet.dispose();
check("model.predict has dropout off: two calls agree exactly", predictA.every((v, i) => v === predictB[i]));
check("left in training mode, the same inputs give different outputs on each call", trainModeA.some((v, i) => v !== trainModeB[i]));
