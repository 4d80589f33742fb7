// %% [markdown]
// # 04 · Optimizers, learning rates, schedules and batch size
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q2 | What is an optimizer, and how do you choose one? | 什么是优化函数？如何选择合适的优化算法？ |
// | S0-Q3 | What is the learning rate, and how do you set it? | 什么是学习率？如何设置合适的学习率？ |
// | S0-Q5 | What is the batch size, and how do you choose it? | 什么是批量大小（Batch Size）？如何选择合适的批量大小？ |
// | S0-Q18 | What is an adaptive learning rate, and which methods exist? | 什么是自适应学习率（Adaptive Learning Rate）？它有哪些方法？ |
// | S1-Q3 | How do you optimise the neural-network training process? | 如何优化神经网络训练过程？ |
//
// **The short answer an interviewer wants.** An *optimizer* is the update rule that turns a gradient into a
// parameter change. SGD steps `θ ← θ − η g`. *Momentum* keeps a running sum of past gradients, which damps
// zig-zags across a valley and speeds travel along it. *AdaGrad, RMSProp and Adam* divide each parameter's
// step by a running root-mean-square of **that parameter's** gradients. That per-parameter scaling is what
// "adaptive learning rate" means. A *schedule* (step, exponential, cosine, warm-up) changes one global
// learning rate over time. It is not adaptive, and momentum does not change the learning rate at all.
// The *learning rate* must stay below about 2/λmax, where λmax is the largest curvature of the loss; above
// it, training oscillates and diverges (it does not "converge prematurely"). An LR range test finds that edge
// in one short run. Decaying the rate late in training shrinks the noise of stochastic steps near the
// minimum; it does not speed up slow convergence. The *batch size* B sets that noise: the variance of a
// minibatch gradient is ∝ 1/B (times a finite-population correction), so a larger batch tolerates a larger
// learning rate (the linear scaling rule). Memory bounds B from above. Besides the optimizer and the learning
// rate, training improves with standardised inputs, good initialisation, normalisation layers and gradient
// clipping.
//
// Each claim below is backed by a check: hand-written optimizers against `tf.train.*`, step sizes against
// closed forms, the learning-rate limit against the Hessian's eigenvalues, schedules against their formulas,
// and gradient noise against the exact sampling variance.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { adagrad, adam, momentum, rmsprop, sgd, type Optimizer } from "./lib/nn/optimizers";
import { constantSchedule, cosineAnnealing, exponentialDecay, lrRangeTest, oneCycle, stepDecay, warmupCosine, type Schedule } from "./lib/nn/schedules";
import { matMul, matVec, solve, symmetricEigen, transpose } from "./lib/math/linalg";
import { numericalGradient, gradientRelativeError } from "./lib/math/gradcheck";
import { StandardScaler } from "./lib/ml/preprocessing";
import { contourFigure, lineFigure } from "./lib/display/figures";
import { showFigure } from "./lib/display/plot";
import { roundSignificant, thinIndices } from "./lib/display/thin";
import { showTable } from "./lib/display/display";

await setupTf({ seed: 0 });

// %% [markdown]
// ## 1. An optimizer is an update rule: four of them by hand, checked against `tf.train`
//
// With gradient `g` at step t (and every operation element-wise):
//
// | optimizer | state | update |
// |---|---|---|
// | SGD | none | $\theta \leftarrow \theta - \eta g$ |
// | momentum | velocity $v$ | $v \leftarrow \mu v + g,\quad \theta \leftarrow \theta - \eta v$ |
// | RMSProp | mean square $s$ | $s \leftarrow \rho s + (1-\rho) g^2,\quad \theta \leftarrow \theta - \eta\, g / \sqrt{s + \epsilon}$ |
// | Adam | moments $m, v$ | $m \leftarrow \beta_1 m + (1-\beta_1) g,\ v \leftarrow \beta_2 v + (1-\beta_2) g^2,\ \theta \leftarrow \theta - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)$ with $\hat m = m/(1-\beta_1^t)$, $\hat v = v/(1-\beta_2^t)$ |
//
// These are TensorFlow.js's conventions (ε = 1e-7; momentum accumulates raw gradients and multiplies by η
// outside, as PyTorch does; Keras's older form folds η into the velocity). Written out, each rule is a few
// lines. The reusable versions, with argument checks and AdamW's decoupled weight decay, are in
// `lib/nn/optimizers.ts` (its unit tests hold them to these same rules).

// %%
/** An optimizer as a rule: (parameters, gradient) → new parameters. Each call to a factory starts fresh state. */
type UpdateRule = (params: number[], grad: number[]) => number[];

function sgdRule(lr: number): UpdateRule {
  return (p, g) => p.map((value, i) => value - lr * g[i]!);
}

function momentumRule(lr: number, mu: number): UpdateRule {
  let velocity: number[] = [];
  return (p, g) => {
    velocity = g.map((gi, i) => mu * (velocity[i] ?? 0) + gi);
    return p.map((value, i) => value - lr * velocity[i]!);
  };
}

function rmspropRule(lr: number, rho = 0.9, eps = 1e-7): UpdateRule {
  let meanSquare: number[] = [];
  return (p, g) => {
    meanSquare = g.map((gi, i) => rho * (meanSquare[i] ?? 0) + (1 - rho) * gi * gi);
    return p.map((value, i) => value - (lr * g[i]!) / Math.sqrt(meanSquare[i]! + eps));
  };
}

function adamRule(lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-7): UpdateRule {
  let m: number[] = [];
  let v: number[] = [];
  let t = 0;
  return (p, g) => {
    t++;
    m = g.map((gi, i) => beta1 * (m[i] ?? 0) + (1 - beta1) * gi);
    v = g.map((gi, i) => beta2 * (v[i] ?? 0) + (1 - beta2) * gi * gi);
    return p.map((value, i) => value - (lr * m[i]! / (1 - beta1 ** t)) / (Math.sqrt(v[i]! / (1 - beta2 ** t)) + eps));
  };
}

// %% [markdown]
// The test problem is the Rosenbrock function $f(x, y) = (1-x)^2 + 100(y - x^2)^2$: a curved, narrow valley
// with its minimum f = 0 at (1, 1), a standard stress test for optimizers. We start at (−1.5, 2).
// The hand-written gradient is checked against finite differences first. Then each rule runs 20 steps in
// float64 next to the matching `tf.train` optimizer, which computes its own gradients with TensorFlow.js
// autodiff in float32. The drift is measured as max |hand − tf| / max(1, |tf|).

// %%
const rosenbrock = (p: readonly number[]) => (1 - p[0]!) ** 2 + 100 * (p[1]! - p[0]! ** 2) ** 2;
const rosenbrockGradient = (p: readonly number[]) => [
  -2 * (1 - p[0]!) - 400 * p[0]! * (p[1]! - p[0]! ** 2),
  200 * (p[1]! - p[0]! ** 2),
];
const rosenbrockStart = [-1.5, 2];
const gradientError = gradientRelativeError(rosenbrockGradient(rosenbrockStart), numericalGradient(rosenbrock, rosenbrockStart));
check("Rosenbrock: analytic gradient = central finite differences (relative error < 1e-8)", gradientError < 1e-8, { relativeError: gradientError });

const contenders = [
  { name: "SGD", lr: 1e-3, rule: () => sgdRule(1e-3), reference: () => tf.train.sgd(1e-3) },
  { name: "momentum (μ = 0.9)", lr: 1e-3, rule: () => momentumRule(1e-3, 0.9), reference: () => tf.train.momentum(1e-3, 0.9) },
  { name: "RMSProp (ρ = 0.9)", lr: 1e-2, rule: () => rmspropRule(1e-2), reference: () => tf.train.rmsprop(1e-2) },
  { name: "Adam", lr: 0.1, rule: () => adamRule(0.1), reference: () => tf.train.adam(0.1) },
];

/** Relative drift of a float64 trajectory point from a float32 one, with an absolute floor of 1. */
const drift = (hand: readonly number[], reference: ArrayLike<number>) =>
  Math.max(...hand.map((h, i) => Math.abs(h - reference[i]!) / Math.max(1, Math.abs(reference[i]!))));
/** The Rosenbrock loss on a tf variable [x, y], for tf.train optimizers (which differentiate it themselves). */
const rosenbrockTf = (v: tf.Variable) => () => {
  const x = v.slice(0, 1);
  const y = v.slice(1, 1);
  return tf.sum(tf.add(tf.square(tf.sub(1, x)), tf.mul(100, tf.square(tf.sub(y, tf.square(x)))))) as tf.Scalar;
};

const agreement = contenders.map((c) => {
  const rule = c.rule();
  const optimizer = c.reference();
  const v = tf.variable(tf.tensor1d(rosenbrockStart));
  let hand = [...rosenbrockStart];
  const drifts: number[] = [];
  for (let t = 0; t < 20; t++) {
    hand = rule(hand, rosenbrockGradient(hand));
    optimizer.minimize(rosenbrockTf(v));
    drifts.push(drift(hand, v.dataSync()));
  }
  optimizer.dispose();
  v.dispose();
  return { optimizer: c.name, lr: c.lr, "drift after 1 step": drifts[0]!, "max drift, 20 steps": Math.max(...drifts), "f after 20 steps": rosenbrock(hand) };
});
showTable(agreement, { caption: "Hand-written rules (float64) vs tf.train.* (float32), 20 steps on Rosenbrock" });

agreement.forEach((row) => {
  check(`${row.optimizer}: hand rule = tf.train after 1 step (drift < 1e-6)`, row["drift after 1 step"] < 1e-6, { drift: row["drift after 1 step"] });
  check(`${row.optimizer}: hand rule = tf.train over 20 steps (drift < 1e-4)`, row["max drift, 20 steps"] < 1e-4, { drift: row["max drift, 20 steps"] });
});

// %% [markdown]
// The drift is float32 round-off (Adam's is the largest, about 5e-7, because 1 − 0.999 is not exact in
// float32). It stays small over 20 steps. A wrong sign, a missing bias correction or a misplaced learning
// rate would show up at the first step.
//
// ## 2. What "adaptive" means, and what it does not (S0-Q18)
//
// The seed answer lists *learning-rate schedules*, *momentum* and *Adam/Adadelta* as three kinds of
// "adaptive learning rate". Only the third is. The test is: does a parameter's step depend on **its own**
// gradient history? Take two parameters whose gradients differ by a factor of 10⁴, say a bias and an
// embedding row, and feed each rule the same constant gradient `g = (1, 10⁴)` for 50 steps.
//
// * SGD moves each parameter by η·g, so the ratio of the two steps is 10⁴.
// * Momentum with a constant gradient has velocity $v_t = g\,(1-\mu^t)/(1-\mu)$. Both steps grow by the same
//   factor, up to 1/(1 − μ) = 10. That multiplies the whole step uniformly and adapts nothing per parameter.
// * RMSProp divides by $\sqrt{s_t} = |g|\sqrt{1-\rho^t}$, so both steps are $\eta/\sqrt{1-\rho^t}$ whatever |g| is.
// * Adam's bias-corrected moments are exactly $\hat m = g$ and $\hat v = g^2$, so each step is
//   $\eta\,|g|/(|g| + \epsilon) \approx \eta$ for both parameters.
//
// A schedule sets one scalar η(t) for every parameter, so it cannot be per-parameter by construction.

// %%
const unevenGradient = [1, 1e4];

/** Step sizes |θₜ − θₜ₋₁| per parameter when the rule sees the same gradient every step. */
function stepsUnderConstantGradient(rule: UpdateRule, steps: number): number[][] {
  let p = [0, 0];
  const moves: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const next = rule(p, unevenGradient);
    moves.push(next.map((value, i) => Math.abs(value - p[i]!)));
    p = next;
  }
  return moves;
}

const eta = 0.01;
const mu = 0.9;
const rho = 0.9;
const epsilon = 1e-7;
const constantGradientMoves = {
  SGD: stepsUnderConstantGradient(sgdRule(eta), 50),
  momentum: stepsUnderConstantGradient(momentumRule(eta, mu), 50),
  RMSProp: stepsUnderConstantGradient(rmspropRule(eta, rho, epsilon), 50),
  Adam: stepsUnderConstantGradient(adamRule(eta), 50),
};
showTable(Object.entries(constantGradientMoves).map(([name, moves]) => ({
  optimizer: name,
  "step 1: |Δθ₁|": moves[0]![0]!, "step 1: |Δθ₂|": moves[0]![1]!,
  "step 50: |Δθ₁|": moves[49]![0]!, "step 50: |Δθ₂|": moves[49]![1]!,
  "ratio |Δθ₂|/|Δθ₁| at step 50": moves[49]![1]! / moves[49]![0]!,
})), { caption: "Gradients (1, 10⁴) every step, η = 0.01: who adapts per parameter?" });

// Closed forms for every step t = 1 … 50 and both parameters.
const closedForms: Record<string, (t: number, g: number) => number> = {
  SGD: (_, g) => eta * g,
  momentum: (t, g) => (eta * g * (1 - mu ** t)) / (1 - mu),
  RMSProp: (t, g) => (eta * g) / Math.sqrt((1 - rho ** t) * g * g + epsilon),
  Adam: (_, g) => (eta * g) / (g + epsilon),
};
Object.entries(constantGradientMoves).forEach(([name, moves]) => {
  checkAllClose(`${name}: every step equals its closed form`, moves.flat(), moves.flatMap((_, t) => unevenGradient.map((g) => closedForms[name]!(t + 1, g))), { rel: 1e-9 });
});
check("SGD and momentum keep the gradients' 10⁴ ratio at every step: no per-parameter adaptation",
  [...constantGradientMoves.SGD, ...constantGradientMoves.momentum].every((m) => Math.abs(m[1]! / m[0]! / 1e4 - 1) < 1e-9));
check("Adam and RMSProp move both parameters by the same amount (ratio within 1e-5 of 1)",
  [...constantGradientMoves.Adam, ...constantGradientMoves.RMSProp].every((m) => Math.abs(m[1]! / m[0]! - 1) < 1e-5));

// %% [markdown]
// **Where per-parameter scaling helps, and where it does not.** Dividing by each parameter's own gradient
// scale is a *diagonal* preconditioner. It fixes bad conditioning that is aligned with the parameter axes,
// and not conditioning along a diagonal direction. Take the quadratic $f = \tfrac12 z^\top \mathrm{diag}(1, 1000)\, z$
// twice: once in axis-aligned coordinates, and once rotated by 45°. Both have the same eigenvalues, so the
// same condition number κ = 1000.
//
// For SGD with the best constant rate η = 2/(λmin + λmax), both error components shrink by exactly
// (κ − 1)/(κ + 1) per step. The loss therefore needs $\lceil \ln 10^{-6} / (2 \ln \tfrac{\kappa-1}{\kappa+1}) \rceil$
// steps to fall by 10⁶, in either orientation, because SGD is rotation-invariant. Adam and RMSProp each get
// the best rate from the grid {0.001, 0.003, …, 1}.

// %%
/** f = ½ xᵀHx started at `start`. */
function quadratic(hessian: number[][], start: number[]) {
  const gradient = (p: readonly number[]) => matVec(hessian, [...p]);
  return { hessian, start, gradient, value: (p: readonly number[]) => 0.5 * p.reduce((acc, pi, i) => acc + pi * gradient(p)[i]!, 0) };
}
/** H = R diag(1, 1000) Rᵀ, R a rotation by `angle`; the start is R·(1, 0.3). */
function illConditionedQuadratic(angle: number) {
  const rotation = [[Math.cos(angle), -Math.sin(angle)], [Math.sin(angle), Math.cos(angle)]];
  return quadratic(matMul(matMul(rotation, [[1, 0], [0, 1000]]), transpose(rotation)), matVec(rotation, [1, 0.3]));
}

/** Steps until f falls below 1e-6 of its start (Infinity if not within maxSteps). */
function stepsToReduce(problem: ReturnType<typeof quadratic>, optimizer: Optimizer, maxSteps = 20_000): number {
  let p = problem.start;
  const target = 1e-6 * problem.value(p);
  for (let t = 1; t <= maxSteps; t++) {
    p = optimizer.step(p, problem.gradient(p));
    if (problem.value(p) < target) return t;
  }
  return Infinity;
}

const quadraticGrid = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];
const kappa = 1000;
const sgdPrediction = Math.ceil(Math.log(1e-6) / (2 * Math.log((kappa - 1) / (kappa + 1))));
const orientationRace = [
  { orientation: "axis-aligned", angle: 0 },
  { orientation: "rotated 45°", angle: Math.PI / 4 },
].map(({ orientation, angle }) => {
  const problem = illConditionedQuadratic(angle);
  const eigen = symmetricEigen(problem.hessian).values;
  const best = (make: (lr: number) => Optimizer) => Math.min(...quadraticGrid.map((lr) => stepsToReduce(problem, make(lr))));
  return {
    orientation: orientation,
    "SGD, η = 2/(λmin+λmax)": stepsToReduce(problem, sgd({ learningRate: 2 / (Math.min(...eigen) + Math.max(...eigen)) })),
    "SGD closed form": sgdPrediction,
    "Adam (best η on grid)": best((lr) => adam({ learningRate: lr })),
    "RMSProp (best η on grid)": best((lr) => rmsprop({ learningRate: lr })),
  };
});
showTable(orientationRace, { caption: "Steps to reduce f by 10⁶ on the same quadratic (κ = 1000), axis-aligned vs rotated" });

const [aligned, rotated] = orientationRace as [typeof orientationRace[0], typeof orientationRace[0]];
orientationRace.forEach((row) => {
  check(`${row.orientation}: SGD's step count equals the closed form ${sgdPrediction}`, row["SGD, η = 2/(λmin+λmax)"] === sgdPrediction, { measured: row["SGD, η = 2/(λmin+λmax)"] });
});
check("axis-aligned: Adam and RMSProp need under 1/10 of SGD's steps", Math.max(aligned["Adam (best η on grid)"], aligned["RMSProp (best η on grid)"]) < aligned["SGD, η = 2/(λmin+λmax)"] / 10, { adam: aligned["Adam (best η on grid)"], rmsprop: aligned["RMSProp (best η on grid)"] });
check("rotated: Adam's best step count grows ≥ 4× (its diagonal scaling no longer matches the curvature)", rotated["Adam (best η on grid)"] >= 4 * aligned["Adam (best η on grid)"], { aligned: aligned["Adam (best η on grid)"], rotated: rotated["Adam (best η on grid)"] });
check("rotated: RMSProp with a constant rate no longer reaches the target within 20,000 steps", rotated["RMSProp (best η on grid)"] === Infinity);

// %% [markdown]
// Rotated, Adam is still faster than SGD here, but its 50× lead shrinks to about 8×. RMSProp with a constant
// rate ends up bouncing around the minimum instead of converging. "Adaptive" means a cheap diagonal
// rescaling. It is not a second-order method, and it does not free you from tuning η.
//
// ## 3. Choosing an optimizer: a race on Rosenbrock (S0-Q2)
//
// Each optimizer gets 2,000 steps from (−1.5, 2) and its best learning rate on a half-decade grid
// 10⁻⁴ … 10⁻¹. "Best" means the lowest f after 2,000 steps; a run that overflows counts as diverged.

// %%
const raceGrid = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
const raceSteps = 2000;
const racers: { name: string; make: (lr: number) => Optimizer }[] = [
  { name: "SGD", make: (lr) => sgd({ learningRate: lr }) },
  { name: "momentum (μ = 0.9)", make: (lr) => momentum({ learningRate: lr, momentum: 0.9 }) },
  { name: "Nesterov (μ = 0.9)", make: (lr) => momentum({ learningRate: lr, momentum: 0.9, useNesterov: true }) },
  { name: "AdaGrad", make: (lr) => adagrad({ learningRate: lr }) },
  { name: "RMSProp", make: (lr) => rmsprop({ learningRate: lr }) },
  { name: "Adam", make: (lr) => adam({ learningRate: lr }) },
];

interface RosenbrockRun {
  path: number[][];
  values: number[];
  final: number;
  /** First step with f < 1e-2, or null. */
  firstBelow: number | null;
}

function runRosenbrock(optimizer: Optimizer, steps = raceSteps, start: number[] = rosenbrockStart): RosenbrockRun {
  let p = [...start];
  const path = [p];
  const values = [rosenbrock(p)];
  let firstBelow: number | null = null;
  for (let t = 1; t <= steps; t++) {
    p = optimizer.step(p, rosenbrockGradient(p));
    const f = rosenbrock(p);
    if (!Number.isFinite(f) || f > 1e12) return { path: path, values: values, final: Infinity, firstBelow: firstBelow };
    path.push(p);
    values.push(f);
    if (firstBelow === null && f < 1e-2) firstBelow = t;
  }
  return { path: path, values: values, final: values[values.length - 1]!, firstBelow: firstBelow };
}

const raceResults = racers.map((racer) => {
  const runs = raceGrid.map((lr) => ({ lr: lr, run: runRosenbrock(racer.make(lr)) }));
  const best = runs.reduce((a, b) => (b.run.final < a.run.final ? b : a));
  return { name: racer.name, runs: runs, best: best };
});
showTable(raceResults.map((r) => ({
  optimizer: r.name,
  "best η": r.best.lr,
  "f after 2,000 steps": r.best.run.final,
  "first step with f < 1e-2": r.best.run.firstBelow ?? "never",
  "η on the grid that reach f < 1e-2": r.runs.filter((x) => x.run.final < 1e-2).map((x) => x.lr).join(", ") || "none",
})), { caption: "Rosenbrock from (−1.5, 2): each optimizer at its best η of 1e-4 … 1e-1" });

const raceBest = (name: string) => raceResults.find((r) => r.name === name)!.best;
check("Adam at its best η reaches f < 1e-2 within 2,000 steps", raceBest("Adam").run.final < 1e-2, { f: raceBest("Adam").run.final });
check("momentum at its best η reaches f < 1e-2 within 2,000 steps", raceBest("momentum (μ = 0.9)").run.final < 1e-2, { f: raceBest("momentum (μ = 0.9)").run.final });
check("plain SGD at its best η on the same grid does not (f ≥ 1e-2)", raceBest("SGD").run.final >= 1e-2, { f: raceBest("SGD").run.final });

// %%
const shownRacers = ["Adam", "RMSProp", "momentum (μ = 0.9)", "SGD"]; // drawn in this order: SGD last, on top
const racerColors: Record<string, string> = { Adam: "#d62728", RMSProp: "#2ca02c", "momentum (μ = 0.9)": "#ff7f0e", SGD: "#1f3cff" };
const shownRuns = shownRacers.map((name) => raceResults.find((r) => r.name === name)!);
const contourX = Array.from({ length: 81 }, (_, i) => -2 + (i * 4) / 80 + 1e-3);
const contourY = Array.from({ length: 61 }, (_, j) => -1 + (j * 4) / 60 + 1e-3);
/** Every step up to 50, then every 20th: enough to see each path's shape, not 2,000 points per trace. */
const pathPoints = (path: number[][]) => path.filter((_, t) => t < 50 || t % 20 === 0 || t === path.length - 1)
  .map((p) => roundSignificant(p, 4) as [number, number]);
const raceFigure = contourFigure(
  { x: roundSignificant(contourX), y: roundSignificant(contourY), z: contourY.map((y) => roundSignificant(contourX.map((x) => Math.log10(rosenbrock([x, y]))), 3)) },
  shownRuns.map((r) => ({ name: `${r.name}, η = ${r.best.lr}`, points: pathPoints(r.best.run.path) })),
  { title: "Rosenbrock: 2,000 steps of each optimizer at its best η (× = where it ends)", xTitle: "x", yTitle: "y", zTitle: "log10 f" },
);
// Faint contours at every half decade of f; thin, translucent paths for the optimizers that reach the minimum,
// and SGD on top, thick, with a dot every 20 steps, so that its slow crawl along the valley floor shows.
Object.assign(raceFigure.data[0]!, { opacity: 0.45, autocontour: false, contours: { coloring: "lines", start: -3, end: 3.5, size: 0.5 }, line: { width: 0.8 } });
shownRuns.forEach((r, k) => {
  const sgdPath = r.name === "SGD";
  Object.assign(raceFigure.data[k + 1]!, sgdPath
    ? { mode: "lines+markers", line: { width: 4, color: racerColors[r.name] }, marker: { size: 4, color: racerColors[r.name] } }
    : { mode: "lines", opacity: 0.8, line: { width: 1.5, color: racerColors[r.name] } });
});
shownRuns.forEach((r) => {
  const end = roundSignificant(r.best.run.path[r.best.run.path.length - 1]!, 4);
  raceFigure.data.push({ type: "scatter", mode: "markers", showlegend: false, x: [end[0]!], y: [end[1]!], marker: { symbol: "x", size: 13, color: racerColors[r.name], line: { width: 1, color: "white" } } });
});
raceFigure.data.push({ type: "scatter", mode: "markers", name: "minimum (1, 1)", x: [1], y: [1], marker: { symbol: "star", size: 14, color: "black" } });
raceFigure.layout = { ...raceFigure.layout, legend: { orientation: "h", x: 0, y: -0.15 } };
await showFigure(raceFigure, { height: 560 });

const lossSteps = thinIndices(raceSteps + 1, 401);
await showFigure(lineFigure(
  shownRuns.map((r) => ({ name: `${r.name}, η = ${r.best.lr}`, x: lossSteps, y: roundSignificant(lossSteps.map((t) => r.best.run.values[t]!)) })),
  { title: "Rosenbrock: loss per step at each optimizer's best η", xTitle: "step", yTitle: "f(x, y) (log scale)", logY: true },
));

// %% [markdown]
// **Why SGD loses: the stability limit at the minimum.** At (1, 1) the Hessian is
// $H^* = \begin{pmatrix} 802 & -400 \\ -400 & 200 \end{pmatrix}$, with eigenvalues
// $\lambda = 501 \pm \sqrt{501^2 - 400}$, i.e. λmax ≈ 1001.6 across the valley and λmin ≈ 0.40 along it.
// Gradient descent can only settle at the minimum if η < 2/λmax ≈ 0.0020. At that rate, the error along the
// valley shrinks by only 1 − ηλmin ≈ 0.9992 per step.
//
// A fine scan of η from 0.5 to 1.5 × 2/λmax, in steps of 1 %, shows what the grid hides. Below about
// 0.9 × 2/λmax, SGD is stable but too slow. It reaches the target only in a narrow band right at the edge of
// stability, where its iterates bounce across the valley. Past the edge, the minimum is unstable
// (|1 − ηλmax| > 1), and almost every run diverges. The occasional one lands on a bounded orbit near the
// minimum by luck. Momentum and Adam succeed over a whole range of rates, which is the practical reason to
// prefer them.

// %%
const lambdaMaxStar = Math.max(...symmetricEigen([[802, -400], [-400, 200]]).values);
const edgeLr = 2 / lambdaMaxStar;

const fineScan = Array.from({ length: 101 }, (_, k) => 0.5 + k / 100).map((ratio) => {
  const run = runRosenbrock(sgd({ learningRate: ratio * edgeLr }));
  return { ratio: ratio, final: run.final };
});
const successes = fineScan.filter((s) => s.final < 1e-2).map((s) => s.ratio);
console.log(`2/λmax(H*) = ${edgeLr.toFixed(6)}; SGD ends below f = 1e-2 only at η/(2/λmax) ∈ {${successes.map((r) => r.toFixed(2)).join(", ")}}`);
const bandAroundEdge = successes.filter((r) => r > 0.9 && r < 1.1);
check("SGD succeeds at η = 2/λmax(H*) itself (ratio 1.00), in a band within ±10 % of it",
  fineScan[50]!.final < 1e-2 && fineScan[40]!.final >= 1e-2 && fineScan[60]!.final >= 1e-2 && bandAroundEdge.every((r, i) => i === 0 || Math.abs(r - bandAroundEdge[i - 1]! - 0.01) < 1e-9), { band: bandAroundEdge.join(", ") });
check("η ≤ 0.9 · 2/λmax: stable but too slow (f ≥ 1e-2 after 2,000 steps)", successes.every((r) => r > 0.9 + 1e-9));
const aboveEdge = fineScan.filter((s) => s.ratio >= 1.1 - 1e-9);
const divergedShare = aboveEdge.filter((s) => s.final === Infinity).length / aboveEdge.length;
check("η ≥ 1.1 · 2/λmax: at least 90 % of the runs diverge", divergedShare >= 0.9, { divergedShare: divergedShare });
const adamWinners = raceResults.find((r) => r.name === "Adam")!.runs.filter((x) => x.run.final < 1e-2).map((x) => x.lr);
check("Adam succeeds over a ≥ 10× range of η on the grid", adamWinners.length > 0 && Math.max(...adamWinners) / Math.min(...adamWinners) >= 10, { rates: adamWinners.join(", ") });

// %%
const fineScanFigure = lineFigure([
  { name: "SGD, final f", x: fineScan.map((s) => s.ratio), y: roundSignificant(fineScan.map((s) => (s.final === Infinity ? 1e6 : s.final))) },
  { name: "target f = 1e-2", x: [0.5, 1.5], y: [1e-2, 1e-2] },
], { title: "SGD on Rosenbrock: f after 2,000 steps vs η (diverged runs drawn at 1e6)", xTitle: "η / (2/λmax(H*))", yTitle: "f after 2,000 steps (log scale)", logY: true });
Object.assign(fineScanFigure.data[0]!, { mode: "lines+markers", marker: { size: 4 } });
Object.assign(fineScanFigure.data[1]!, { line: { dash: "dot", color: "gray" } });
await showFigure(fineScanFigure);

// %% [markdown]
// **What the seed's S0-Q2 answer gets wrong.** It calls the optimizer an "optimization function" (优化函数).
// The function is the loss; the optimizer is the algorithm that updates the parameters to reduce it. It also
// defines an optimizer's *stability* as whether it "easily falls into local optima". These are two separate
// things. Stability is whether the iterates stay bounded, which depends on step size against curvature (the
// divergence above). Local optima belong to the loss landscape; in large networks, saddle points and flat
// regions matter more than bad local minima.
//
// How to choose, in short: Adam (or AdamW) is the robust default for deep networks, because one learning
// rate works across layers whose gradients differ by orders of magnitude. SGD with momentum, tuned, often
// generalises slightly better on vision models. Plain SGD without momentum is rarely the best choice. Cost
// per step hardly differs (Adam stores two extra vectors). The real difference is how wide the band of
// working learning rates is.
//
// ### Follow-up: what does Nesterov momentum change?
//
// **Short answer.** Nesterov takes the gradient at the *look-ahead* point θ + μv, where momentum is about to
// carry the parameters, so it corrects the velocity before overshooting. TensorFlow and PyTorch implement an
// equivalent form that needs the gradient only at the stored parameters,
// $b \leftarrow \mu b + g,\ \theta \leftarrow \theta - \eta(g + \mu b)$, whose parameters *are* the look-ahead points.
// On a quadratic with η = 1/L and μ = (√κ − 1)/(√κ + 1) it needs fewer steps than heavy-ball with the same
// (η, μ), because it removes the steep directions that make heavy-ball oscillate. Heavy-ball with Polyak's
// tuning has a faster asymptotic rate still on a quadratic (though a longer transient: see the table), but
// off quadratics that tuning can fail to converge, while Nesterov's accelerated rate is guaranteed on every
// smooth strongly convex function (Lessard, Recht and Packard, 2016).
//
// **Long answer.** The look-ahead form (Sutskever et al., 2013) is
// $v \leftarrow \mu v - \eta\nabla f(\theta + \mu v),\ \theta \leftarrow \theta + v$. With φ = θ + μv and b = −v/η,
// $\varphi_{t+1} = \varphi_t + \mu^2 v_t - (1+\mu)\eta\nabla f(\varphi_t)$, and the framework form gives
// $\theta_{t+1} = \theta_t - (1+\mu)\eta g - \eta\mu^2 b_t$: the same recursion from the same start (v = b = 0),
// on any function. On a quadratic, the error along an eigenvector of curvature λ follows a two-term recursion
// whose rate is the larger |root| of heavy-ball's $z^2 - (1 + \mu - \eta\lambda) z + \mu$ or Nesterov's
// $z^2 - (1+\mu)(1-\eta\lambda) z + \mu(1-\eta\lambda)$. At λ = L with η = 1/L, Nesterov's roots are both 0,
// heavy-ball's have modulus √μ. The checks: the look-ahead form by hand against `lib/nn/optimizers` and
// `tf.train.momentum(η, μ, true)` on Rosenbrock; then quadratics with 20 curvatures log-evenly in [1/κ, 1].

// %%
/** Sutskever's look-ahead Nesterov: the gradient is taken at θ + μv. Returns the look-ahead point φ = θ + μv. */
function lookaheadNesterov(lr: number, mu: number, start: readonly number[], gradient: (p: readonly number[]) => number[]) {
  let theta = [...start];
  let velocity = start.map(() => 0);
  return () => {
    const ahead = theta.map((v, i) => v + mu * velocity[i]!);
    const g = gradient(ahead);
    velocity = velocity.map((v, i) => mu * v - lr * g[i]!);
    theta = theta.map((v, i) => v + velocity[i]!);
    return theta.map((v, i) => v + mu * velocity[i]!);
  };
}
{
  const [lr, mu] = [1e-3, 0.9];
  const lookahead = lookaheadNesterov(lr, mu, rosenbrockStart, rosenbrockGradient);
  const framework = momentum({ learningRate: lr, momentum: mu, useNesterov: true });
  const tfNesterov = tf.train.momentum(lr, mu, true);
  const v = tf.variable(tf.tensor1d(rosenbrockStart));
  let p = [...rosenbrockStart];
  let libGap = 0;
  let tfDrift = 0;
  for (let t = 0; t < 200; t++) {
    const phi = lookahead();
    p = framework.step(p, rosenbrockGradient(p));
    libGap = Math.max(libGap, ...p.map((value, i) => Math.abs(value - phi[i]!)));
    if (t < 20) {
      tfNesterov.minimize(rosenbrockTf(v));
      tfDrift = Math.max(tfDrift, drift(phi, v.dataSync()));
    }
  }
  tfNesterov.dispose();
  v.dispose();
  check("Nesterov: lib/nn/optimizers' framework form = the look-ahead point θ + μv at each of 200 Rosenbrock steps (|diff| < 1e-12)", libGap < 1e-12, { libGap });
  check("Nesterov: tf.train.momentum(η, μ, true) = the look-ahead point over 20 steps (float32 drift < 1e-4)", tfDrift < 1e-4, { tfDrift });
}

// %%
/** Spectral radius of the 2×2 iteration of one eigen-direction: the larger |root| of z² − bz + c. */
const largerRoot = (b: number, c: number) => {
  const discriminant = b * b - 4 * c;
  return discriminant >= 0 ? Math.max(Math.abs(b + Math.sqrt(discriminant)), Math.abs(b - Math.sqrt(discriminant))) / 2 : Math.sqrt(c);
};
const heavyBallRate = (lr: number, mu: number, lambda: number) => largerRoot(1 + mu - lr * lambda, mu);
const nesterovRate = (lr: number, mu: number, lambda: number) => largerRoot((1 + mu) * (1 - lr * lambda), mu * (1 - lr * lambda));

/** Steps until ½Σλᵢxᵢ² falls below 1e-8 of its start, from x = 1 in every direction; and the steepest direction's |x| after 2 steps. */
function momentumRace(curvatures: readonly number[], optimizer: Optimizer) {
  const loss = (x: readonly number[]) => 0.5 * x.reduce((s, xi, i) => s + curvatures[i]! * xi * xi, 0);
  let x = curvatures.map(() => 1);
  const target = 1e-8 * loss(x);
  let steepAfterTwo = NaN;
  for (let t = 1; t <= 100_000; t++) {
    x = optimizer.step(x, x.map((xi, i) => curvatures[i]! * xi));
    if (t === 2) steepAfterTwo = Math.abs(x[0]!);
    if (loss(x) < target) return { steps: t, steepAfterTwo };
  }
  return { steps: Infinity, steepAfterTwo };
}
const nesterovRows = [10, 30, 100, 300, 1000, 3000, 10_000].map((kappa) => {
  const curvatures = Array.from({ length: 20 }, (_, i) => kappa ** (-i / 19)); // L = 1 first, 1/κ last
  const mu = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1);
  const polyak = { lr: 4 / (1 + Math.sqrt(1 / kappa)) ** 2, mu: mu * mu };
  const heavyBall = momentumRace(curvatures, momentum({ learningRate: 1, momentum: mu }));
  const nesterov = momentumRace(curvatures, momentum({ learningRate: 1, momentum: mu, useNesterov: true }));
  return {
    κ: kappa,
    "heavy-ball rate": Math.max(...curvatures.map((l) => heavyBallRate(1, mu, l))),
    "Nesterov rate": Math.max(...curvatures.map((l) => nesterovRate(1, mu, l))),
    "1 − 1/√κ": 1 - 1 / Math.sqrt(kappa),
    "heavy-ball steps": heavyBall.steps,
    "Nesterov steps": nesterov.steps,
    "Polyak heavy-ball steps": momentumRace(curvatures, momentum({ learningRate: polyak.lr, momentum: polyak.mu })).steps,
    "Polyak rate": Math.max(...curvatures.map((l) => heavyBallRate(polyak.lr, polyak.mu, l))),
    steepestAfterTwo: { heavyBall: heavyBall.steepAfterTwo, nesterov: nesterov.steepAfterTwo, sqrtMu: Math.sqrt(mu) },
  };
});
showTable(nesterovRows.map(({ steepestAfterTwo: _, ...row }) => row),
  { caption: "Quadratics with 20 curvatures in [1/κ, 1]: steps to cut the loss by 10⁸ at η = 1/L, μ = (√κ − 1)/(√κ + 1), and closed-form rates" });
checkAllClose("Nesterov's worst-direction rate (largest root) = 1 − 1/√κ at every κ", nesterovRows.map((r) => r["Nesterov rate"]), nesterovRows.map((r) => r["1 − 1/√κ"]), { rel: 1e-6 });
check("…and it is below heavy-ball's rate at the same (η, μ), at every κ from 10 to 10⁴", nesterovRows.every((r) => r["Nesterov rate"] < r["heavy-ball rate"]));
check("measured: Nesterov reaches 10⁻⁸ in fewer steps than heavy-ball at the same (η, μ), at every κ", nesterovRows.every((r) => r["Nesterov steps"] < r["heavy-ball steps"]),
  { steps: nesterovRows.map((r) => `${r.κ}: ${r["Nesterov steps"]} vs ${r["heavy-ball steps"]}`).join("; ") });
check("the steepest direction (λ = L): gone after 2 Nesterov steps (|x| < 1e-12), still ≥ μ/2 for heavy-ball",
  nesterovRows.every((r) => r.steepestAfterTwo.nesterov < 1e-12 && r.steepestAfterTwo.heavyBall >= r.steepestAfterTwo.sqrtMu ** 2 / 2));
checkAllClose("heavy-ball with Polyak's tuning: rate (√κ − 1)/(√κ + 1) at every κ", nesterovRows.map((r) => r["Polyak rate"]), nesterovRows.map((r) => (Math.sqrt(r.κ) - 1) / (Math.sqrt(r.κ) + 1)), { rel: 1e-6 });
check("…below Nesterov's 1 − 1/√κ at every κ: the faster asymptotic rate on a quadratic", nesterovRows.every((r) => r["Polyak rate"] < r["Nesterov rate"]));

// %% [markdown]
// ## 4. How large may the learning rate be? The LR range test (S0-Q3)
//
// The seed says a too-large initial learning rate causes "premature convergence or overfitting". Neither is
// what happens. On a quadratic, the error along an eigenvector with curvature λ is multiplied by (1 − ηλ)
// each step. Once η > 2/λmax that factor exceeds 1 in size, and the loss oscillates with growing amplitude
// and diverges (notebook 01 checks this on a line fit). Overfitting is a separate axis: it depends on model
// capacity and data, not on the step size.
//
// The *LR range test* (Smith, 2017) finds the edge without knowing the Hessian. Train for a few hundred
// minibatch steps while η grows geometrically from 1e-4 to 10, and stop when the loss blows up (here: when it
// exceeds 4× the best loss so far). Below we run it with minibatch SGD (B = 32) on a linear regression,
// whose Hessian $H = \tfrac{2}{n} X^\top X$ is known exactly, so the blow-up can be compared with 2/λmax.
// Pick the working rate a few times below the blow-up point.

// %%
const regressionRng = new Random(0);
const nRegression = 512;
/** Features: x₁ ~ N(0, 1), x₂ ~ N(0, 3), and a constant column for the intercept. */
const xRegression = Array.from({ length: nRegression }, () => [regressionRng.normal(0, 1), regressionRng.normal(0, 3), 1]);
const wTrue = [1.5, -0.5, 2];
const yRegression = xRegression.map((x) => x.reduce((s, v, k) => s + v * wTrue[k]!, 0) + regressionRng.normal(0, 0.5));
const allRows = Array.from({ length: nRegression }, (_, i) => i);

const predict = (w: readonly number[], x: readonly number[]) => x.reduce((s, v, k) => s + v * w[k]!, 0);
/** MSE on the given rows. */
const mseOn = (w: readonly number[], rows: readonly number[]) => rows.reduce((s, i) => s + (predict(w, xRegression[i]!) - yRegression[i]!) ** 2, 0) / rows.length;
/** Gradient of that MSE: (2/B) Σ rᵢ xᵢ. */
function mseGradientOn(w: readonly number[], rows: readonly number[]): number[] {
  const g = [0, 0, 0];
  rows.forEach((i) => {
    const r = predict(w, xRegression[i]!) - yRegression[i]!;
    xRegression[i]!.forEach((v, k) => (g[k]! += (2 * r * v) / rows.length));
  });
  return g;
}

const regressionHessian = matMul(transpose(xRegression), xRegression).map((row) => row.map((v) => (2 * v) / nRegression));
const regressionLambdaMax = Math.max(...symmetricEigen(regressionHessian).values);
const stableLimit = 2 / regressionLambdaMax;

let rangeWeights = [0, 0, 0];
const batchRng = new Random(100);
const rangeTest = lrRangeTest({
  minLr: 1e-4, maxLr: 10, steps: 300,
  trainStep: (lr) => {
    const g = mseGradientOn(rangeWeights, batchRng.sampleIndices(nRegression, 32));
    rangeWeights = rangeWeights.map((v, k) => v - lr * g[k]!);
    return mseOn(rangeWeights, allRows);
  },
});
const divergenceLr = rangeTest.divergenceLr ?? Infinity;
console.log(`2/λmax = ${stableLimit.toFixed(4)}; the range test blew up at η = ${divergenceLr.toFixed(4)} (${(divergenceLr / stableLimit).toFixed(2)} × 2/λmax)`);
check("LR range test: the blow-up point lies within a factor of 2 of 2/λmax", divergenceLr >= stableLimit / 2 && divergenceLr <= 2 * stableLimit, { divergenceLr: divergenceLr, stableLimit: stableLimit });

// %%
const rangeFigure = lineFigure(
  [{ name: "full-data MSE after each step", x: rangeTest.learningRates, y: rangeTest.losses }],
  { title: "LR range test: minibatch SGD (B = 32) with η growing from 1e-4", xTitle: "learning rate η (log scale)", yTitle: "MSE (log scale)", logY: true },
);
rangeFigure.layout = {
  ...rangeFigure.layout,
  xaxis: { ...rangeFigure.layout!.xaxis, type: "log", exponentformat: "power" },
  yaxis: { ...rangeFigure.layout!.yaxis, tickvals: [0.2, 0.5, 1, 2, 5, 10], ticktext: ["0.2", "0.5", "1", "2", "5", "10"] },
  shapes: [{ type: "line", x0: stableLimit, x1: stableLimit, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "red" } }],
  annotations: [{ x: Math.log10(stableLimit), y: 1, yref: "paper", text: "2/λmax", showarrow: false, xanchor: "right", yanchor: "top" }],
};
await showFigure(rangeFigure);

// %% [markdown]
// The factor-2 band is calibrated over data seeds 0–7 (batch seeds 100–107): the blow-up came at 1.06–1.62 ×
// 2/λmax. It lands above the edge because the detector waits for 4× the best loss while η keeps growing.
//
// What 2/λmax guarantees depends on the noise. For **full-batch gradient descent** on a quadratic, every
// eigen-component of the error is multiplied by |1 − ηλ| < 1 below 2/λmax, so the loss can never grow. For
// **minibatch SGD** that is false: the mean error contracts the same way, but every step adds fresh gradient
// noise, and the loss settles at a *noise floor* that rises with η. §5 derives the floor and shows SGD
// started exactly at the minimum climbing to it at every η below 2/λ.

// %% [markdown]
// ## 5. Schedules: global learning rate as a function of time
//
// A schedule is a formula η(t). `lib/nn/schedules.ts` implements the common ones (its unit tests check each
// formula at points where it gives an exact value):
//
// * step decay: $\eta_0 \gamma^{\lfloor t/s \rfloor}$; exponential: $\eta_0 \gamma^{t/s}$ (a half-life of s steps when γ = ½)
// * cosine annealing: $\eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})(1 + \cos(\pi t / T))$, so that
//   $\eta(T/2) = (\eta_0 + \eta_{\min})/2$ and $\eta(t) + \eta(T - t) = \eta_0 + \eta_{\min}$
// * linear warm-up for W steps, then cosine: peaks exactly at t = W and is continuous there
// * 1cycle: up from η_max/25 to η_max at 30 % of the run, then down to η_max/(25·10⁴)

// %%
const T = 200;
const schedules: { name: string; schedule: Schedule }[] = [
  { name: "step decay (×0.5 every 50)", schedule: stepDecay({ initial: 0.1, factor: 0.5, stepSize: 50 }) },
  { name: "exponential (half-life 50)", schedule: exponentialDecay({ initial: 0.1, decayRate: 0.5, decaySteps: 50 }) },
  { name: "cosine to 0.001", schedule: cosineAnnealing({ initial: 0.1, totalSteps: T, minimum: 0.001 }) },
  { name: "warm-up 20 + cosine", schedule: warmupCosine({ peak: 0.1, warmupSteps: 20, totalSteps: T }) },
  { name: "1cycle", schedule: oneCycle({ maxLr: 0.1, totalSteps: T }) },
];
await showFigure(lineFigure(
  schedules.map((s) => ({ name: s.name, y: roundSignificant(Array.from({ length: T + 1 }, (_, t) => s.schedule(t))) })),
  { title: "Learning-rate schedules over 200 steps", xTitle: "step t", yTitle: "learning rate η(t)" },
));

// %% [markdown]
// **Why decay at all?** The seed says decay is used "to avoid slow convergence late in training". That is
// backwards: a smaller step converges *more* slowly. Decay exists because stochastic gradients are noisy.
// With a constant η, SGD does not converge. It hovers around the minimum at a *noise floor*.
//
// The smallest exact model: $f(\theta) = \tfrac12 \lambda \theta^2$ with gradient estimates
// $g = \lambda\theta + \xi$, where ξ ~ N(0, σ²) is independent at each step. Then
// $\theta_{t+1} = (1 - \eta_t\lambda)\theta_t - \eta_t\xi_t$, so the mean and variance follow
//
// $$\mathbb E\theta_{t+1} = (1-\eta_t\lambda)\,\mathbb E\theta_t, \qquad \mathrm{Var}\,\theta_{t+1} = (1-\eta_t\lambda)^2\,\mathrm{Var}\,\theta_t + \eta_t^2\sigma^2 ,$$
//
// and $\mathbb E f = \tfrac12\lambda\,(\mathbb E\theta^2)$. For a constant η, the variance settles where both
// sides are equal: $\mathbb E f_\infty = \dfrac{\eta\sigma^2}{2(2-\eta\lambda)}$. The floor rises with η, about
// proportionally while ηλ ≪ 2. So even started exactly at the minimum (θ₀ = 0), SGD's expected loss climbs to
// this floor at every η below the 2/λ limit. Three checks: long simulations from the minimum against the
// floor formula, the exact recursion against 2,000 simulated runs, and the recursion for three schedules
// with and without noise.

// %%
const noiseRng = new Random(7);
const lambda1d = 1;
const sigma = 1;
const floorFormula = (lr: number) => (lr * sigma ** 2) / (2 * (2 - lr * lambda1d));
/** Time-average of f over 200,000 steps of constant-η SGD started at the minimum, after 2,000 burn-in steps. */
function simulatedFloor(lr: number): number {
  let theta = 0;
  let sum = 0;
  for (let t = 0; t < 202_000; t++) {
    theta -= lr * (lambda1d * theta + noiseRng.normal(0, sigma));
    if (t >= 2000) sum += 0.5 * lambda1d * theta * theta;
  }
  return sum / 200_000;
}
const floors = [0.5, 0.2, 0.1, 0.05].map((lr) => ({ η: lr, simulated: simulatedFloor(lr), "ησ²/(2(2−ηλ))": floorFormula(lr) }));
showTable(floors, { caption: "Noise floor of constant-η SGD: simulation vs closed form" });
floors.forEach((row) => checkClose(`η = ${row.η}: simulated noise floor = ησ²/(2(2 − ηλ)) within 5 %`, row.simulated, row["ησ²/(2(2−ηλ))"], { rel: 0.05 }));
check("started at the minimum, below 2/λ: the loss rises above 0, and the more the larger η", floors.every((row, i) => row.simulated > 0 && (i === 0 || row.simulated < floors[i - 1]!.simulated)));

/** Exact E f(θ_t) for t = 0 … steps under a schedule, from the mean/variance recursion. */
function expectedLossCurve(schedule: Schedule, steps: number, noiseStd: number, theta0 = 3): number[] {
  let mean = theta0;
  let variance = 0;
  const curve = [0.5 * lambda1d * theta0 ** 2];
  for (let t = 0; t < steps; t++) {
    const lr = schedule(t);
    mean *= 1 - lr * lambda1d;
    variance = (1 - lr * lambda1d) ** 2 * variance + lr ** 2 * noiseStd ** 2;
    curve.push(0.5 * lambda1d * (mean ** 2 + variance));
  }
  return curve;
}
const decaySteps = 1000;
const decaySchedules: { name: string; schedule: Schedule }[] = [
  { name: "constant 0.1", schedule: constantSchedule(0.1) },
  { name: "step decay ×0.1 at 500", schedule: stepDecay({ initial: 0.1, factor: 0.1, stepSize: 500 }) },
  { name: "cosine 0.1 to 0", schedule: cosineAnnealing({ initial: 0.1, totalSteps: decaySteps }) },
];
const noisyCurves = decaySchedules.map((s) => ({ name: s.name, curve: expectedLossCurve(s.schedule, decaySteps, sigma) }));
const cleanCurves = decaySchedules.map((s) => ({ name: s.name, curve: expectedLossCurve(s.schedule, decaySteps, 0) }));

// The recursion is the claim; 2,000 simulated runs per schedule test it (agreement within 4 standard errors).
const runsPerSchedule = 2000;
decaySchedules.forEach((s, k) => {
  const finals = Array.from({ length: runsPerSchedule }, () => {
    let theta = 3;
    for (let t = 0; t < decaySteps; t++) theta -= s.schedule(t) * (lambda1d * theta + noiseRng.normal(0, sigma));
    return 0.5 * lambda1d * theta * theta;
  });
  const mean = finals.reduce((a, b) => a + b, 0) / runsPerSchedule;
  const standardError = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / (runsPerSchedule - 1) / runsPerSchedule);
  const exact = noisyCurves[k]!.curve[decaySteps]!;
  check(`${s.name}: mean final f of ${runsPerSchedule} simulated runs = exact recursion (within 4 standard errors)`, Math.abs(mean - exact) < 4 * standardError, { simulated: mean, exact: exact, standardError: standardError });
});

const finalOf = (curves: { name: string; curve: number[] }[], name: string) => curves.find((c) => c.name === name)!.curve[decaySteps]!;
check("with gradient noise: cosine decay ends ≥ 5× below constant η (the noise floor shrinks with η)", finalOf(noisyCurves, "cosine 0.1 to 0") * 5 < finalOf(noisyCurves, "constant 0.1"), { cosine: finalOf(noisyCurves, "cosine 0.1 to 0"), constant: finalOf(noisyCurves, "constant 0.1") });
check("with gradient noise: step decay also ends ≥ 5× below constant η", finalOf(noisyCurves, "step decay ×0.1 at 500") * 5 < finalOf(noisyCurves, "constant 0.1"));
checkClose("constant η ends at the noise-floor formula", finalOf(noisyCurves, "constant 0.1"), floorFormula(0.1), { rel: 1e-6 });
check("without noise: constant η ends far below both decays — decay slows convergence, it does not speed it up",
  finalOf(cleanCurves, "constant 0.1") < 1e-6 * Math.min(finalOf(cleanCurves, "cosine 0.1 to 0"), finalOf(cleanCurves, "step decay ×0.1 at 500")),
  { constant: finalOf(cleanCurves, "constant 0.1"), cosine: finalOf(cleanCurves, "cosine 0.1 to 0") });

// %%
const curveSteps = thinIndices(decaySteps + 1, 251);
const thinCurves = (curves: { name: string; curve: number[] }[]) => curves.map((c) => ({ name: c.name, x: curveSteps, y: roundSignificant(curveSteps.map((t) => c.curve[t]!)) }));
await showFigure(lineFigure(thinCurves(noisyCurves),
  { title: "Noisy gradients (σ = 1): expected loss under three schedules", xTitle: "step t", yTitle: "E f(θₜ) (log scale)", logY: true }));
await showFigure(lineFigure(thinCurves(cleanCurves),
  { title: "Exact gradients (σ = 0): the same three schedules", xTitle: "step t", yTitle: "f(θₜ) (log scale)", logY: true }));

// %% [markdown]
// With noise, the constant rate stalls at its floor while both decays drop through it. Without noise, the
// constant rate keeps its linear convergence and the decays fall behind.
//
// **Warm-up** (a linear ramp over the first few hundred to few thousand steps) addresses the opposite end of
// training. Early on, Adam's second-moment estimate rests on a handful of gradients, and §2 showed that its
// first steps have size ≈ η whatever the gradient says. Large-batch training, meanwhile, scales η up, while
// curvature at initialisation is often highest. Starting small and ramping up avoids a destructive first
// phase. Transformers (post-LayerNorm ones especially) often fail to train at the usual learning rates
// without it.
//
// ## 6. Batch size: gradient noise ∝ 1/B (S0-Q5)
//
// A minibatch gradient averages B per-example gradients $g_i$ drawn **without replacement** from the N
// training examples. Its mean is the full gradient ḡ. The textbook sampling variance of a mean without
// replacement gives its total variance exactly:
//
// $$\mathbb E\,\|\hat g_B - \bar g\|^2 = \frac{S^2}{B}\cdot\frac{N - B}{N - 1}, \qquad S^2 = \frac1N\sum_i \|g_i - \bar g\|^2 .$$
//
// So the variance falls as 1/B (the standard deviation as 1/√B) until B is a sizeable fraction of N. The second factor is the finite-population
// correction; it drives the variance to 0 at B = N. Below, the per-example gradients of the §4 regression
// at fixed weights w = 0 give S² exactly. Then 2,000 random minibatches per B give the empirical variance.

// %%
const fixedWeights = [0, 0, 0];
const perExampleGradients = allRows.map((i) => mseGradientOn(fixedWeights, [i]));
const fullGradient = mseGradientOn(fixedWeights, allRows);
const spread = perExampleGradients.reduce((s, g) => s + g.reduce((a, v, k) => a + (v - fullGradient[k]!) ** 2, 0), 0) / nRegression;
const exactVariance = (b: number) => (spread / b) * ((nRegression - b) / (nRegression - 1));

const varianceRng = new Random(1);
const draws = 2000;
const batchSizes = [1, 2, 4, 8, 16, 32, 64, 128, 256];
const varianceRows = batchSizes.map((b) => {
  const squaredErrors = Array.from({ length: draws }, () => {
    const g = mseGradientOn(fixedWeights, varianceRng.sampleIndices(nRegression, b));
    return g.reduce((a, v, k) => a + (v - fullGradient[k]!) ** 2, 0);
  });
  const empirical = squaredErrors.reduce((a, v) => a + v, 0) / draws;
  const standardError = Math.sqrt(squaredErrors.reduce((a, v) => a + (v - empirical) ** 2, 0) / (draws - 1) / draws);
  return { B: b, empirical: empirical, "exact S²/B·(N−B)/(N−1)": exactVariance(b), "naive S²/B": spread / b, "z-score": (empirical - exactVariance(b)) / standardError, standardError: standardError };
});
showTable(varianceRows.map(({ standardError: _, ...row }) => row), { caption: `Minibatch gradient variance at fixed weights (N = ${nRegression}, ${draws} draws per B)` });

varianceRows.forEach((row) => check(`B = ${row.B}: empirical variance = exact formula (|z| < 4)`, Math.abs(row["z-score"]) < 4, { z: row["z-score"] }));
const at256 = varianceRows.find((r) => r.B === 256)!;
check("B = 256 = N/2: the naive S²/B misses by > 10 standard errors — the finite-population correction matters",
  Math.abs(at256.empirical - at256["naive S²/B"]) > 10 * at256.standardError);

// %%
const varianceFigure = lineFigure(
  [
    { name: "empirical (2,000 draws)", x: batchSizes, y: varianceRows.map((r) => r.empirical) },
    { name: "exact S²/B · (N−B)/(N−1)", x: batchSizes, y: varianceRows.map((r) => r["exact S²/B·(N−B)/(N−1)"]) },
    { name: "naive S²/B", x: batchSizes, y: varianceRows.map((r) => r["naive S²/B"]) },
  ],
  { title: "Minibatch gradient noise falls as 1/B", xTitle: "batch size B (log scale)", yTitle: "E|ĝ(B) − ḡ|² (log scale)", logY: true },
);
Object.assign(varianceFigure.data[0]!, { mode: "markers", marker: { size: 9 } });
Object.assign(varianceFigure.data[2]!, { line: { dash: "dot" } });
varianceFigure.layout = { ...varianceFigure.layout, xaxis: { ...varianceFigure.layout!.xaxis, type: "log" } };
await showFigure(varianceFigure);

// %% [markdown]
// ### Follow-up: why do large batches generalise worse, and how do you train with them?
//
// **Short answer.** At a fixed learning rate, a larger batch means less gradient noise. SGD's noise scale is
// η(N/B − 1) ≈ ηN/B (Smith and Le, 2018): η/B for a given dataset. Noise knocks the iterate out of *sharp* minima (high
// curvature: a narrow basin, where a small shift between training and test loss costs a lot) and lets it
// settle in *flat* ones. Large-batch runs at the small-batch η have little noise, land in sharper minima and
// test worse (Keskar et al., 2017). The cure is to keep η/B: scale η linearly with B (Goyal et al., 2017), with
// a warm-up of a few epochs because the scaled η is too large for the high curvature at initialisation, and only
// as long as η stays below 2/λmax.
//
// **Long answer, with what this notebook measures.**
// * *The noise falls as 1/B.* The table above measured the minibatch gradient's variance over 2,000 batches per B
//   against the exact S²/B·(N − B)/(N − 1).
// * *The noise sets how far SGD sits above a minimum.* The floor of §5 is η·(per-step noise variance)/(2(2 − ηλ)),
//   and that variance is σ²/B, so the floor is a function of η/B while ηλ ≪ 2. Exercise 2 simulates (η, B) and
//   (4η, 4B) and finds the same floor: that is the linear scaling rule. In the same number of epochs, the
//   scaled run takes 4× fewer steps of 4× the size, so it also travels as far.
// * *A sharp minimum cannot hold a large step.* By §3–4, SGD can only settle where ηλ < 2: a minimum with
//   curvature above 2/η is unstable for it. A large η (the one that linear scaling asks for) therefore filters out
//   sharp minima, and a too-small η/B does not.
// * *Where the rule stops.* The noise argument needs ηλmax < 2, and that limit does not grow with B. Beyond a
//   "critical batch size" the noise is already small compared with the gradient, and larger batches buy little
//   progress per example. Memory sets the other ceiling: activations grow linearly in B. Powers of two (32 … 256)
//   only matter for hardware efficiency.
//
// ## 7. Optimising the training process beyond the optimizer (S1-Q3)
//
// The seed lists preprocessing, loss, optimizer, regularisation and LR adjustment. It omits three levers that
// often matter more: **initialisation**, **normalisation** (of inputs, and of activations by batch/layer norm)
// and **gradient clipping**. Each is checked here on a problem whose answer is known.
//
// **Initialisation sets the signal scale at depth.** In a ReLU layer $h = \max(0, Wx)$ with n inputs and
// independent weights of variance σ², each pre-activation has variance $n\sigma^2\,\mathbb E[x^2]$, and the ReLU
// zeroes half of it, so $\mathbb E[h^2]$ is multiplied by $n\sigma^2/2$ per layer. He initialisation, σ² = 2/n,
// keeps that factor at 1; σ² = 1/n (right for tanh) halves the signal at every layer, 2⁻²⁰ ≈ 10⁻⁶ after 20
// layers; σ = 0.01 wipes it out. Gradients flow back through the same matrices and shrink the same way.
// Below, 64 random inputs go through 20 random ReLU layers of width 256. The factor-8 band was calibrated on
// seeds 21–25 (measured / closed form 0.29–1.45: each layer's gain fluctuates by about ±30 % at this width).

// %%
const initRng = new Random(21);
const width = 256;
const depth = 20;
const meanSquare = (rows: number[][]) => rows.reduce((s, r) => s + r.reduce((a, v) => a + v * v, 0), 0) / (rows.length * width);
/** E[h²] after `depth` random ReLU layers whose weights have standard deviation `weightStd`. */
function signalThroughDepth(weightStd: number): number {
  let h = Array.from({ length: 64 }, () => initRng.array(width, (r) => r.normal(0, 1)));
  for (let layer = 0; layer < depth; layer++) {
    const W = Array.from({ length: width }, () => initRng.array(width, (r) => r.normal(0, weightStd)));
    h = h.map((x) => W.map((row) => {
      let z = 0;
      for (let k = 0; k < width; k++) z += row[k]! * x[k]!;
      return Math.max(0, z);
    }));
  }
  return meanSquare(h);
}
const initSchemes = [
  { scheme: "He: σ² = 2/n", std: Math.sqrt(2 / width) },
  { scheme: "σ² = 1/n", std: Math.sqrt(1 / width) },
  { scheme: "σ = 0.01", std: 0.01 },
].map((s) => {
  const measured = signalThroughDepth(s.std);
  const predicted = ((width * s.std ** 2) / 2) ** depth; // E[x²] = 1 at the input
  return { scheme: s.scheme, "E[h²] after 20 layers": measured, "closed form (nσ²/2)²⁰": predicted, "measured / closed form": measured / predicted };
});
showTable(initSchemes, { caption: "Mean square activation through 20 random ReLU layers (width 256), inputs with E[x²] = 1" });
initSchemes.forEach((row) => check(`${row.scheme}: E[h²] after 20 layers within a factor of 8 of the closed form`, row["measured / closed form"] > 1 / 8 && row["measured / closed form"] < 8, { ratio: row["measured / closed form"] }));

// %% [markdown]
// **Standardised inputs change the conditioning, not the model.** Two features in very different units (age
// ~ N(40, 12), income in thousands ~ N(60, 20)) plus an intercept: for a linear model, standardising is an
// affine change of variables with the same optimum, but the Hessian's condition number κ falls from about 10⁵
// to about 1. By §2, gradient descent at η = 2/(λmin + λmax) then needs
// $\lceil \ln 10^{-6} / (2\ln\tfrac{\kappa-1}{\kappa+1}) \rceil$ steps to cut the loss by 10⁶ (the loss is a quadratic
// in the weights, so `stepsToReduce` of §2 applies to its Hessian directly).

// %%
{
  const unitsRng = new Random(3);
  const rawFeatures = Array.from({ length: nRegression }, () => [unitsRng.normal(40, 12), unitsRng.normal(60, 20)]);
  const standardizedFeatures = new StandardScaler().fit(rawFeatures).transform(rawFeatures);
  const rows = [{ inputs: "raw units", features: rawFeatures }, { inputs: "standardised", features: standardizedFeatures }].map(({ inputs, features }) => {
    const X = features.map((r) => [...r, 1]);
    const hessian = matMul(transpose(X), X).map((row) => row.map((v) => (2 * v) / X.length));
    const eigenvalues = symmetricEigen(hessian).values;
    const [lmin, lmax] = [Math.min(...eigenvalues), Math.max(...eigenvalues)];
    const kappaInputs = lmax / lmin;
    // The excess loss is ½δᵀHδ whatever the targets: a quadratic with this Hessian, started at δ = (1, 1, 1).
    const problem = quadratic(hessian, [1, 1, 1]);
    return {
      inputs, κ: kappaInputs,
      "step bound for 10⁶": Math.ceil(Math.log(1e-6) / (2 * Math.log((kappaInputs - 1) / (kappaInputs + 1)))),
      "steps taken (cap 2,000)": stepsToReduce(problem, sgd({ learningRate: 2 / (lmin + lmax) }), 2000),
    };
  });
  showTable(rows, { caption: "Gradient descent on the same linear model, raw vs standardised inputs" });
  const [raw, standardized] = rows as [typeof rows[0], typeof rows[0]];
  check("raw κ > 10⁴ while standardised κ < 1.1", raw.κ > 1e4 && standardized.κ < 1.1, { raw: raw.κ, standardized: standardized.κ });
  check("standardised: a 10⁶ reduction within its closed-form bound of steps", standardized["steps taken (cap 2,000)"] <= standardized["step bound for 10⁶"]);
  check("raw: still short of a 10⁶ reduction after 2,000 steps (its bound is > 100,000 steps)", raw["steps taken (cap 2,000)"] === Infinity && raw["step bound for 10⁶"] > 100_000);
}

// %% [markdown]
// **Gradient clipping is a safety net, not a fix for the learning rate.** SGD on Rosenbrock with
// η = 0.003 ≈ 1.5 × 2/λmax(H*) diverges (§3). Rescaling the gradient to norm ≤ 10 whenever it is larger
// (`clipnorm`) caps every step at 10η, and the run stays bounded; but the minimum is still unstable at this η
// (|1 − ηλmax| ≈ 2 > 1), so the iterate cannot settle there. Clipping guards against rare huge gradients
// (exploding RNN gradients, outlier batches); the learning rate still has to respect the curvature.

// %%
/** SGD on gradients rescaled to norm ≤ maxNorm. */
function clippedSgd(lr: number, maxNorm: number): Optimizer {
  const inner = sgd({ learningRate: lr });
  return {
    name: "clipped sgd", learningRate: lr,
    get iterations() { return inner.iterations; },
    step: (p, g) => {
      const norm = Math.hypot(...g);
      return inner.step(p, norm > maxNorm ? g.map((v) => (v * maxNorm) / norm) : g);
    },
  };
}
const unclippedRun = runRosenbrock(sgd({ learningRate: 0.003 }));
const clippedRun = runRosenbrock(clippedSgd(0.003, 10));
const clippedEnd = clippedRun.path[clippedRun.path.length - 1]!;
check("η = 0.003 without clipping diverges", unclippedRun.final === Infinity);
check("with clipping at norm 10 the run stays bounded: f never exceeds its starting value", clippedRun.final !== Infinity && Math.max(...clippedRun.values) <= rosenbrock(rosenbrockStart), { maxF: Math.max(...clippedRun.values), start: rosenbrock(rosenbrockStart) });
check("…but it does not converge: the last iterate is > 1e-3 from (1, 1), as |1 − ηλmax(H*)| > 1 predicts",
  Math.abs(1 - 0.003 * lambdaMaxStar) > 1 && Math.hypot(clippedEnd[0]! - 1, clippedEnd[1]! - 1) > 1e-3, { end: clippedEnd.map((v) => v.toFixed(3)).join(", ") });

// %% [markdown]
// | lever | what it fixes | where it is shown |
// |---|---|---|
// | optimizer (momentum, Adam) | ill-conditioning, a narrow band of working η | §1–3 |
// | learning rate, range test | divergence above 2/λmax, slowness far below | §4, notebook 01 |
// | schedule, warm-up | the noise floor late; instability early | §5 |
// | batch size | gradient noise ∝ 1/B, coupled with η | §6 |
// | input standardisation, normalisation layers | conditioning (κ) | §7 |
// | initialisation (He for ReLU) | vanishing/exploding signals at depth | §7 |
// | gradient clipping | rare huge gradients | §7 |
// | regularisation, early stopping | overfitting (a different problem from optimisation) | notebook 05 |
//
// ## Recap
//
// * An **optimizer** is an update rule. SGD: −ηg. Momentum: a velocity of past gradients. RMSProp and Adam
//   divide each parameter's step by its own RMS gradient. Hand versions match `tf.train.*` to float32
//   round-off.
// * **Adaptive** means *per parameter*. Schedules are global and time-based, and momentum does not change
//   the learning rate (the seed's S0-Q18 answer mixes all three). Adam's adaptivity is diagonal: it helps
//   with axis-aligned curvature, much less with rotated curvature.
// * **Nesterov** takes the gradient at the look-ahead point; frameworks store that point. At η = 1/L and
//   μ = (√κ − 1)/(√κ + 1) it beats heavy-ball with the same (η, μ) on quadratics, with rate 1 − 1/√κ.
// * The **learning rate** must stay below ≈ 2/λmax, or training diverges (not "premature convergence",
//   not "overfitting"). The LR range test locates the edge within a factor of 2 without computing λmax.
// * **Decay** lowers the SGD noise floor $\eta\sigma^2/(2(2-\eta\lambda))$. Without noise it only slows
//   convergence. **Warm-up** protects the first steps.
// * **Batch size**: gradient variance = S²/B · (N − B)/(N − 1); the noise scale is η/B. Large batches at a
//   small-batch η lose the noise that steers away from sharp minima; scale η with B (with warm-up) until the
//   curvature limit; memory bounds B.
// * **Training** also depends on initialisation (He keeps ReLU signals at scale; σ² = 1/n loses 10⁶ over 20
//   layers), standardised inputs (κ from 10⁵ to 1 here), normalisation and clipping (a safety net, not a cure
//   for too large an η).
//
// ## Exercises
//
// 1. **Bias correction.** Without Adam's bias correction (use m and v instead of m̂ and v̂), how large is the
//    first step for β₁ = 0.9, β₂ = 0.999 under a constant gradient, and how does the step size go on from
//    there (its largest value, when, and its limit)? Why is this a problem early in training?
// 2. **Linear scaling rule.** In the noise model of §5, a minibatch of B examples has noise variance σ²/B.
//    Show that the floor for (η, B) and (4η, 4B) is nearly the same, and check it by simulation.
// 3. **Range test with full batches.** Run the §4 range test with full-batch gradient descent instead of
//    minibatches. Where does the loss blow up now, and why later than 2/λmax?
// 4. **Spot the bug (S0-Q3), the charitable reading.** The seed warns that too large an initial learning
//    rate makes the model "converge prematurely" (过早收敛). With noisy gradients there is a grain of truth in
//    it. In §5's model (λ = 1, σ = 1, θ₀ = 3), constant η = 1.5 is stable (η < 2/λ). Predict the level at
//    which its expected loss flattens out, as a multiple of the level for η = 0.1, and what someone reading
//    that flat loss curve would wrongly conclude. Then predict whether cosine decay from 1.5 to 0 over 1,000
//    steps ends closer to the η = 1.5 plateau or to the η = 0.1 one, and check both by simulation.
// 5. **Spot the bug (S0-Q18), Adadelta.** The seed names Adadelta next to Adam as an adaptive method. Write
//    Adadelta as Zeiler (2012) and PyTorch define it: running means $E[g^2] \leftarrow \rho E[g^2] + (1-\rho)g^2$,
//    then the step $\Delta = \sqrt{E[\Delta^2]+\epsilon}\,/\,\sqrt{E[g^2]+\epsilon}\cdot g$, then
//    $E[\Delta^2] \leftarrow \rho E[\Delta^2] + (1-\rho)\Delta^2$ and $\theta \leftarrow \theta - \eta\Delta$ (ρ = 0.95,
//    ε = 1e-7, η = 1). Apply §2's test (the constant gradient (1, 10⁴)): is it adaptive, and how large is its
//    first step? Then feed the same gradients to `tf.train.adadelta(1, 0.95)`. Does it take the same first
//    step? Find the difference in its update rule.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** $m_1 = (1-\beta_1)g$ and $v_1 = (1-\beta_2)g^2$, so the uncorrected first step is
// $\eta (1-\beta_1)|g| / (\sqrt{1-\beta_2}\,|g| + \epsilon) \approx \eta \cdot 0.1/0.0316 = 3.16\,\eta$.
// It does not shrink from there. Under a constant gradient $m_t = (1-\beta_1^t)g$ and $v_t = (1-\beta_2^t)g^2$,
// so the step is $r(t)\,\eta$ with $r(t) = (1-\beta_1^t)/\sqrt{1-\beta_2^t}$, whatever |g| is. The numerator
// warms up on a time scale of 1/(1 − β₁) = 10 steps, the denominator on 1/(1 − β₂) = 1,000, so r first
// *rises*, to about 6.6 near t = 12, then falls back towards 1 from above, slowly: still 2× at t ≈ 290 and
// 1.26× at t = 1,000. The maximum sits where $\tfrac{d}{dt}\ln r = 0$, i.e. where
// $\frac{\beta_1^t \ln(1/\beta_1)}{1-\beta_1^t} = \frac{\beta_2^t \ln(1/\beta_2)}{2(1-\beta_2^t)}$.
// So the largest steps come in the first few dozen, when the moment estimates are least reliable, and they
// are several times the rate that was tuned. The correction divides by exactly these two factors, and every
// step is η. The check runs uncorrected Adam for 8,000 steps and compares the measured curve with the closed
// form at every step, its argmax with the root of that derivative (found by bisection), and its tail with
// the asymptote $r(t) - 1 \approx \tfrac12 \beta_2^t$.

// %% tags=["solution"]
{
  const [beta1, beta2] = [0.9, 0.999];
  /** Adam without bias correction: the step uses m and v themselves. */
  const uncorrectedAdamRule = (lr: number): UpdateRule => {
    let m: number[] = [];
    let v: number[] = [];
    return (p, g) => {
      m = g.map((gi, i) => beta1 * (m[i] ?? 0) + (1 - beta1) * gi);
      v = g.map((gi, i) => beta2 * (v[i] ?? 0) + (1 - beta2) * gi * gi);
      return p.map((value, i) => value - (lr * m[i]!) / (Math.sqrt(v[i]!) + epsilon));
    };
  };
  const horizon = 8000;
  const ratio = (t: number) => (1 - beta1 ** t) / Math.sqrt(1 - beta2 ** t);
  const measured = stepsUnderConstantGradient(uncorrectedAdamRule(eta), horizon); // step t is measured[t − 1]
  const corrected = stepsUnderConstantGradient(adamRule(eta), horizon);
  const steps = Array.from({ length: horizon }, (_, i) => i + 1);
  // Both parameters (gradients 1 and 10⁴) follow the same curve; ε = 1e-7 against √v ≥ 0.03 allows 1e-5.
  [0, 1].forEach((k) => checkAllClose(`uncorrected step of parameter ${k + 1} = η(1 − β₁ᵗ)/√(1 − β₂ᵗ) at every t ≤ 8,000`,
    measured.map((m) => m[k]! / eta), steps.map(ratio), { rel: 1e-5 }));
  checkClose("uncorrected first step = η(1 − β₁)/√(1 − β₂) ≈ 3.16η", measured[0]![0]!, (eta * (1 - beta1)) / Math.sqrt(1 - beta2), { rel: 1e-5 });
  // The derivative of ln r, and its root by bisection on [1, 1000] (positive at 1, negative at 1000).
  const slope = (t: number) => (beta1 ** t * Math.log(1 / beta1)) / (1 - beta1 ** t) - (beta2 ** t * Math.log(1 / beta2)) / (2 * (1 - beta2 ** t));
  let [low, high] = [1, 1000];
  while (high - low > 1e-9) [low, high] = slope((low + high) / 2) > 0 ? [(low + high) / 2, high] : [low, (low + high) / 2];
  const peakTime = low;
  const measuredRatios = measured.map((m) => m[0]! / eta);
  const measuredPeak = measuredRatios.indexOf(Math.max(...measuredRatios)) + 1;
  const denseSlopes = Array.from({ length: 20_000 }, (_, i) => 1 + i * 0.05).map((t) => ({ t, sign: Math.sign(slope(t)) }));
  console.log(`d ln r/dt = 0 at t* = ${peakTime.toFixed(3)}; measured peak at step ${measuredPeak}: ${measuredRatios[measuredPeak - 1]!.toFixed(3)}η; step 1000: ${measuredRatios[999]!.toFixed(3)}η`);
  check("d ln r/dt changes sign exactly once on t ∈ [1, 1000]: r rises, then falls", denseSlopes.every((d) => d.sign === (d.t < peakTime ? 1 : -1)));
  check("the measured largest step is at ⌊t*⌋ or ⌈t*⌉, whichever the closed form makes larger (not at t = 1)",
    measuredPeak === (ratio(Math.floor(peakTime)) > ratio(Math.ceil(peakTime)) ? Math.floor(peakTime) : Math.ceil(peakTime)) && measuredPeak > 1, { peakTime, measuredPeak });
  check("the measured curve rises at every step before the peak and falls at every step after it",
    measuredRatios.every((r, i) => i === 0 || (i + 1 <= measuredPeak ? r > measuredRatios[i - 1]! : r < measuredRatios[i - 1]!)));
  check("every uncorrected step is larger than η: the curve approaches 1 from above", measuredRatios.every((r) => r > 1));
  // The next term of the expansion is ⅜β₂²ᵗ, under 0.2 % of the first at t ≥ 6,000.
  checkAllClose("tail: r(t) − 1 ≈ ½β₂ᵗ at t = 6,000, 7,000, 8,000 (the limit is 1)", [6000, 7000, 8000].map((t) => measuredRatios[t - 1]! - 1), [6000, 7000, 8000].map((t) => 0.5 * beta2 ** t), { rel: 0.005 });
  checkAllClose("bias-corrected: every one of the 8,000 steps is η", corrected.map((c) => c[0]! / eta), new Array(horizon).fill(1), { rel: 1e-5 });
}

// %% [markdown] tags=["solution"]
// **2.** The floor is $\eta(\sigma^2/B) / (2(2-\eta\lambda))$, so (η, B) → (4η, 4B) leaves η/B unchanged.
// Only the $2 - \eta\lambda$ term moves, and it barely does while ηλ ≪ 2. Simulated with per-example noise
// averaged over B draws:

// %% tags=["solution"]
{
  const scalingRng = new Random(11);
  const floorFor = (lr: number, b: number) => (lr * sigma ** 2) / b / (2 * (2 - lr * lambda1d));
  const simulate = (lr: number, b: number) => {
    let theta = 0;
    let sum = 0;
    for (let t = 0; t < 101_000; t++) {
      let noise = 0;
      for (let k = 0; k < b; k++) noise += scalingRng.normal(0, sigma) / b;
      theta -= lr * (lambda1d * theta + noise);
      if (t >= 1000) sum += 0.5 * lambda1d * theta * theta;
    }
    return sum / 100_000;
  };
  const small = simulate(0.01, 8);
  const large = simulate(0.04, 32);
  checkClose("(η, B) = (0.01, 8): simulated floor = formula within 10 %", small, floorFor(0.01, 8), { rel: 0.1 });
  checkClose("(η, B) = (0.04, 32): simulated floor = formula within 10 %", large, floorFor(0.04, 32), { rel: 0.1 });
  checkClose("the formula's two floors differ by < 2 % (only through 2 − ηλ)", floorFor(0.04, 32), floorFor(0.01, 8), { rel: 0.02 });
}

// %% [markdown] tags=["solution"]
// **3.** With full batches, every step contracts the steep direction by |1 − ηλmax| while η < 2/λmax. By the
// time η crosses the limit, that component has shrunk to almost nothing. It then has to grow back by many
// orders of magnitude before the loss exceeds 4× its best, so the blow-up appears late. Minibatch noise keeps
// re-exciting the steep direction, so there the blow-up follows the limit closely.

// %% tags=["solution"]
{
  let w = [0, 0, 0];
  const fullBatch = lrRangeTest({
    minLr: 1e-4, maxLr: 10, steps: 300,
    trainStep: (lr) => {
      const g = mseGradientOn(w, allRows);
      w = w.map((v, k) => v - lr * g[k]!);
      return mseOn(w, allRows);
    },
  });
  const fullBatchLr = fullBatch.divergenceLr ?? Infinity;
  console.log(`full batch: blow-up at ${(fullBatchLr / stableLimit).toFixed(2)} × 2/λmax; minibatch (§4): ${(divergenceLr / stableLimit).toFixed(2)} ×`);
  check("full-batch blow-up comes later than the minibatch one, and above 2/λmax", fullBatchLr > divergenceLr && fullBatchLr > stableLimit);
}

// %% [markdown] tags=["solution"]
// **4.** The floor of §5 is $\eta\sigma^2/(2(2-\eta\lambda))$: 1.5/(2·0.5) = 1.5 at η = 1.5, against
// 0.1/3.8 ≈ 0.026 at η = 0.1, a 57× higher plateau. The loss curve at η = 1.5 goes flat within a few steps
// ((1 − ηλ)² = 0.25 per step), so it *looks* converged; it is stuck at a noise floor, not at the minimum, and
// it is not overfitting either. That flat curve is what "converged prematurely" describes. The fix is the one
// the seed's second sentence gets backwards: decay. Cosine from 1.5 ends far below even the η = 0.1 plateau,
// because its last few hundred steps use a tiny η (the exact recursion of §5; a simulation of 2,000 runs
// agrees within 4 standard errors).

// %% tags=["solution"]
{
  const floorAt = (lr: number) => expectedLossCurve(constantSchedule(lr), 1000, sigma).at(-1)!;
  const plateauRatio = floorAt(1.5) / floorAt(0.1);
  checkClose("η = 1.5: the expected loss flattens at the floor ησ²/(2(2 − ηλ)) = 1.5", floorAt(1.5), 1.5, { rel: 1e-9 });
  checkClose("…57× the η = 0.1 plateau (0.1/3.8)", plateauRatio, 1.5 / (0.1 / 3.8), { rel: 1e-6 });
  const simulatedPlateau = simulatedFloor(1.5);
  checkClose("simulated time-average at η = 1.5 = 1.5 within 5 %", simulatedPlateau, 1.5, { rel: 0.05 });
  const cosine = cosineAnnealing({ initial: 1.5, totalSteps: 1000 });
  const exactCosine = expectedLossCurve(cosine, 1000, sigma).at(-1)!;
  const finals = Array.from({ length: 2000 }, () => {
    let theta = 3;
    for (let t = 0; t < 1000; t++) theta -= cosine(t) * (lambda1d * theta + noiseRng.normal(0, sigma));
    return 0.5 * theta * theta;
  });
  const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
  const standardError = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / (finals.length - 1) / finals.length);
  check("cosine from 1.5 to 0: 2,000 simulated runs = the exact recursion (within 4 standard errors)", Math.abs(mean - exactCosine) < 4 * standardError, { mean, exactCosine });
  check("…and it ends below the η = 0.1 plateau, let alone the η = 1.5 one", exactCosine < floorAt(0.1), { cosine: exactCosine, plateau01: floorAt(0.1) });
}

// %% [markdown] tags=["solution"]
// **5.** Adadelta is adaptive: under a constant gradient both $E[g^2]$ and the step ratio depend on g only
// through g/|g|, so both parameters move by the same amount, √(ε/(1 − ρ)) ≈ 1.4·10⁻³ at the first step, for
// gradients 1 and 10⁴ alike (it has no learning rate in Zeiler's paper; η = 1 in PyTorch). `tf.train.adadelta`
// differs at exactly that step: it divides by $\sqrt{E[g^2]+\epsilon}$ *before* adding the new gradient, so its
// first step is ε/ε·g = g itself: a move of 10⁴ for the second parameter, not adaptive at all. From the second
// step on it adapts again, one step behind. (Keras and PyTorch use the updated mean.)

// %% tags=["solution"]
{
  const [rhoDelta, epsDelta] = [0.95, 1e-7];
  /** Adadelta as Zeiler and PyTorch define it; `oldMean` divides by the mean before this step's gradient. */
  const adadeltaRule = (oldMean = false): UpdateRule => {
    let meanSquare: number[] = [];
    let meanUpdate: number[] = [];
    return (p, g) => {
      const previous = g.map((_, i) => meanSquare[i] ?? 0);
      meanSquare = g.map((gi, i) => rhoDelta * previous[i]! + (1 - rhoDelta) * gi * gi);
      const delta = g.map((gi, i) => (Math.sqrt((meanUpdate[i] ?? 0) + epsDelta) / Math.sqrt((oldMean ? previous : meanSquare)[i]! + epsDelta)) * gi);
      meanUpdate = delta.map((d, i) => rhoDelta * (meanUpdate[i] ?? 0) + (1 - rhoDelta) * d * d);
      return p.map((value, i) => value - delta[i]!);
    };
  };
  const zeilerMoves = stepsUnderConstantGradient(adadeltaRule(), 50);
  check("Adadelta (Zeiler/PyTorch): both parameters move alike at every step (ratio within 1e-3 of 1)", zeilerMoves.every((m) => Math.abs(m[1]! / m[0]! - 1) < 1e-3));
  checkClose("…its first step is √(ε/(1 − ρ)) for both", zeilerMoves[0]![1]!, Math.sqrt(epsDelta / (1 - rhoDelta)), { rel: 1e-3 });

  const v = tf.variable(tf.zeros([2]));
  const tfAdadelta = tf.train.adadelta(1, rhoDelta, epsDelta);
  const tfPositions: number[][] = [];
  for (let t = 0; t < 50; t++) {
    tf.tidy(() => tfAdadelta.applyGradients([{ name: v.name, tensor: tf.tensor1d(unevenGradient) }]));
    tfPositions.push(Array.from(v.dataSync()));
  }
  tfAdadelta.dispose();
  v.dispose();
  const tfMoves = tfPositions.map((p, t) => p.map((value, i) => Math.abs(value - (t === 0 ? 0 : tfPositions[t - 1]![i]!))));
  checkAllClose("tf.train.adadelta's first step is the raw gradient (1, 10⁴): not adaptive", tfMoves[0]!, unevenGradient, { rel: 1e-5 });
  // The one-step-behind rule reproduces tf's positions (float32 against float64).
  let p = [0, 0];
  const behind = adadeltaRule(true);
  const gap = Math.max(...tfPositions.map((tfp) => {
    p = behind(p, unevenGradient);
    return drift(p, tfp);
  }));
  check("tf.train.adadelta = the rule that divides by the previous E[g²], over 50 steps (drift < 1e-4)", gap < 1e-4, { gap });
}
