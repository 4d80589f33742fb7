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
// step by a running RMS of **that parameter's** gradients: that is what "adaptive learning rate" means. A
// *schedule* (step, cosine, warm-up) changes one global rate over time; it is not adaptive, and momentum does
// not change the learning rate at all. The *learning rate* must stay below about 2/λmax (λmax the largest
// curvature of the loss); above it, training oscillates and diverges (it does not "converge prematurely"). An
// LR range test finds that edge in one short run. Late decay shrinks the noise of stochastic steps near the
// minimum; it does not speed up convergence. The *batch size* B sets that noise (gradient variance ∝ 1/B), so
// a larger batch tolerates a larger rate (linear scaling); memory bounds B. Training also improves with
// standardised inputs, good initialisation, normalisation layers and gradient clipping.

// %%
import { tf, setupTf } from "./lib/tf";
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { adagrad, adam, momentum, rmsprop, sgd, type Optimizer } from "./lib/nn/optimizers";
import { constantSchedule, cosineAnnealing, exponentialDecay, lrRangeTest, oneCycle, stepDecay, warmupCosine, type Schedule } from "./lib/nn/schedules";
import { matMul, matVec, solve, symmetricEigen, transpose } from "./lib/math/linalg";
import { meanAndStandardError } from "./lib/math/stats";
import { quadratic, rosenbrock, rosenbrockGradient, rosenbrockTf, runOptimizer, stepsToReduce, withGradientClipping } from "./lib/nn/optimizer-bench";
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
// These are TensorFlow.js's conventions (ε = 1e-7; momentum multiplies η outside the velocity, as PyTorch
// does). The reusable versions, with argument checks and AdamW, are in `lib/nn/optimizers.ts`.

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
// with its minimum f = 0 at (1, 1), a standard stress test for optimizers (`lib/nn/optimizer-bench.ts`, whose
// unit tests check its gradient against finite differences). We start at (−1.5, 2). Each rule runs 20 steps in
// float64 next to the matching `tf.train` optimizer, which differentiates the loss itself in float32. The
// drift is max |hand − tf| / max(1, |tf|).

// %%
const rosenbrockStart = [-1.5, 2];
const rosenbrockProblem = { value: rosenbrock, gradient: rosenbrockGradient, start: rosenbrockStart };

const contenders = [
  { name: "SGD", lr: 1e-3, rule: () => sgdRule(1e-3), reference: () => tf.train.sgd(1e-3) },
  { name: "momentum (μ = 0.9)", lr: 1e-3, rule: () => momentumRule(1e-3, 0.9), reference: () => tf.train.momentum(1e-3, 0.9) },
  { name: "RMSProp (ρ = 0.9)", lr: 1e-2, rule: () => rmspropRule(1e-2), reference: () => tf.train.rmsprop(1e-2) },
  { name: "Adam", lr: 0.1, rule: () => adamRule(0.1), reference: () => tf.train.adam(0.1) },
];

/** Relative drift of a float64 trajectory point from a float32 one, with an absolute floor of 1. */
const drift = (hand: readonly number[], reference: ArrayLike<number>) =>
  Math.max(...hand.map((h, i) => Math.abs(h - reference[i]!) / Math.max(1, Math.abs(reference[i]!))));

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
// The drift is float32 round-off (Adam's, about 5e-7, is the largest: 1 − 0.999 is inexact in float32). A
// wrong sign, a missing bias correction or a misplaced learning rate would show at the first step.
//
// ## 2. What "adaptive" means, and what it does not (S0-Q18)
//
// The seed lists *learning-rate schedules*, *momentum* and *Adam/Adadelta* as three kinds of "adaptive
// learning rate". Only the third is. The test: does a parameter's step depend on **its own** gradient
// history? Feed each rule the constant gradient `g = (1, 10⁴)` (say a bias and an embedding row) for 50 steps.
//
// * SGD moves each parameter by η·g: the ratio of the two steps is 10⁴.
// * Momentum's velocity is $v_t = g\,(1-\mu^t)/(1-\mu)$: both steps grow by the same factor, up to 10.
// * RMSProp divides by $\sqrt{s_t} = |g|\sqrt{1-\rho^t}$: both steps are $\eta/\sqrt{1-\rho^t}$ whatever |g| is.
// * Adam's corrected moments are $\hat m = g$, $\hat v = g^2$: each step is $\eta\,|g|/(|g| + \epsilon) \approx \eta$.
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

const [eta, mu, rho, epsilon] = [0.01, 0.9, 0.9, 1e-7];
const constantGradientMoves = {
  SGD: stepsUnderConstantGradient(sgdRule(eta), 50),
  momentum: stepsUnderConstantGradient(momentumRule(eta, mu), 50),
  RMSProp: stepsUnderConstantGradient(rmspropRule(eta, rho, epsilon), 50),
  Adam: stepsUnderConstantGradient(adamRule(eta), 50),
};
showTable(Object.entries(constantGradientMoves).map(([name, moves]) => ({
  optimizer: name, "step 1: |Δθ₁|": moves[0]![0]!, "step 1: |Δθ₂|": moves[0]![1]!, "step 50: |Δθ₁|": moves[49]![0]!, "step 50: |Δθ₂|": moves[49]![1]!,
  "ratio |Δθ₂|/|Δθ₁| at step 50": moves[49]![1]! / moves[49]![0]!,
})), { caption: "Gradients (1, 10⁴) every step, η = 0.01: who adapts per parameter?" });

// Closed forms for every step t = 1 … 50 and both parameters.
const closedForms: Record<string, (t: number, g: number) => number> = {
  SGD: (_, g) => eta * g,
  momentum: (t, g) => (eta * g * (1 - mu ** t)) / (1 - mu),
  RMSProp: (t, g) => (eta * g) / Math.sqrt((1 - rho ** t) * g * g + epsilon),
  Adam: (_, g) => (eta * g) / (g + epsilon),
};
Object.entries(constantGradientMoves).forEach(([name, moves]) =>
  checkAllClose(`${name}: every step equals its closed form`, moves.flat(), moves.flatMap((_, t) => unevenGradient.map((g) => closedForms[name]!(t + 1, g))), { rel: 1e-9 }));
check("SGD and momentum keep the gradients' 10⁴ ratio at every step: no per-parameter adaptation",
  [...constantGradientMoves.SGD, ...constantGradientMoves.momentum].every((m) => Math.abs(m[1]! / m[0]! / 1e4 - 1) < 1e-9));
check("Adam and RMSProp move both parameters by the same amount (ratio within 1e-5 of 1)",
  [...constantGradientMoves.Adam, ...constantGradientMoves.RMSProp].every((m) => Math.abs(m[1]! / m[0]! - 1) < 1e-5));

// %% [markdown]
// **Where per-parameter scaling helps, and where it does not.** Dividing by each parameter's own gradient
// scale is a *diagonal* preconditioner: it fixes ill-conditioning aligned with the axes, not along a diagonal.
// Take $f = \tfrac12 z^\top \mathrm{diag}(1, 1000)\, z$ axis-aligned and rotated by 45° (same κ = 1000). SGD at
// η = 2/(λmin + λmax) shrinks both error components by (κ − 1)/(κ + 1) per step, so it needs
// $\lceil \ln 10^{-6} / (2 \ln \tfrac{\kappa-1}{\kappa+1}) \rceil$ steps to cut f by 10⁶ in either orientation. Adam and
// RMSProp each get their best rate from the grid {0.001, 0.003, …, 1}.

// %%
/** H = R diag(1, 1000) Rᵀ, R a rotation by `angle`; the start is R·(1, 0.3). */
function illConditionedQuadratic(angle: number) {
  const rotation = [[Math.cos(angle), -Math.sin(angle)], [Math.sin(angle), Math.cos(angle)]];
  return quadratic(matMul(matMul(rotation, [[1, 0], [0, 1000]]), transpose(rotation)), matVec(rotation, [1, 0.3]));
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
  return { orientation,
    "SGD, η = 2/(λmin+λmax)": stepsToReduce(problem, sgd({ learningRate: 2 / (Math.min(...eigen) + Math.max(...eigen)) })),
    "SGD closed form": sgdPrediction,
    "Adam (best η on grid)": best((lr) => adam({ learningRate: lr })),
    "RMSProp (best η on grid)": best((lr) => rmsprop({ learningRate: lr })),
  };
});
showTable(orientationRace, { caption: "Steps to reduce f by 10⁶ on the same quadratic (κ = 1000), axis-aligned vs rotated" });

const [aligned, rotated] = orientationRace as [typeof orientationRace[0], typeof orientationRace[0]];
orientationRace.forEach((row) =>
  check(`${row.orientation}: SGD's step count equals the closed form ${sgdPrediction}`, row["SGD, η = 2/(λmin+λmax)"] === sgdPrediction, { measured: row["SGD, η = 2/(λmin+λmax)"] }));
check("axis-aligned: Adam and RMSProp need under 1/10 of SGD's steps", Math.max(aligned["Adam (best η on grid)"], aligned["RMSProp (best η on grid)"]) < aligned["SGD, η = 2/(λmin+λmax)"] / 10, { adam: aligned["Adam (best η on grid)"], rmsprop: aligned["RMSProp (best η on grid)"] });
check("rotated: Adam's best step count grows ≥ 4× (its diagonal scaling no longer matches the curvature)", rotated["Adam (best η on grid)"] >= 4 * aligned["Adam (best η on grid)"], { aligned: aligned["Adam (best η on grid)"], rotated: rotated["Adam (best η on grid)"] });
check("rotated: RMSProp with a constant rate no longer reaches the target within 20,000 steps", rotated["RMSProp (best η on grid)"] === Infinity);

// %% [markdown]
// Rotated, Adam's 50× lead over SGD shrinks to about 8×, and constant-rate RMSProp bounces around the
// minimum. "Adaptive" is a cheap diagonal rescaling, not a second-order method, and η still needs tuning.
//
// ## 3. Choosing an optimizer: a race on Rosenbrock (S0-Q2)
//
// Each optimizer gets 2,000 steps from (−1.5, 2) at its best η (lowest final f) on a half-decade grid 10⁻⁴ … 10⁻¹.

// %%
const [raceGrid, raceSteps] = [[1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1], 2000];
const racers: { name: string; make: (lr: number) => Optimizer }[] = [
  { name: "SGD", make: (lr) => sgd({ learningRate: lr }) },
  { name: "momentum (μ = 0.9)", make: (lr) => momentum({ learningRate: lr, momentum: 0.9 }) },
  { name: "Nesterov (μ = 0.9)", make: (lr) => momentum({ learningRate: lr, momentum: 0.9, useNesterov: true }) },
  { name: "AdaGrad", make: (lr) => adagrad({ learningRate: lr }) },
  { name: "RMSProp", make: (lr) => rmsprop({ learningRate: lr }) },
  { name: "Adam", make: (lr) => adam({ learningRate: lr }) },
];
/** 2,000 steps from (−1.5, 2); f above 1e12 counts as diverged (final = Infinity); firstBelow = first step with f < 1e-2. */
const runRosenbrock = (optimizer: Optimizer) => runOptimizer(optimizer, rosenbrockProblem, raceSteps);

const raceResults = racers.map((racer) => {
  const runs = raceGrid.map((lr) => ({ lr, run: runRosenbrock(racer.make(lr)) }));
  return { name: racer.name, runs, best: runs.reduce((a, b) => (b.run.final < a.run.final ? b : a)) };
});
showTable(raceResults.map((r) => ({
  optimizer: r.name, "best η": r.best.lr, "f after 2,000 steps": r.best.run.final, "first step with f < 1e-2": r.best.run.firstBelow ?? "never",
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
// Faint half-decade contours; thin paths for the optimizers that reach the minimum, and SGD on top, thick, with
// a dot every 20 steps, so that its slow crawl along the valley floor shows; × marks each path's end.
Object.assign(raceFigure.data[0]!, { opacity: 0.45, autocontour: false, contours: { coloring: "lines", start: -3, end: 3.5, size: 0.5 }, line: { width: 0.8 } });
shownRuns.forEach((r, k) => {
  const color = racerColors[r.name];
  Object.assign(raceFigure.data[k + 1]!, r.name === "SGD"
    ? { mode: "lines+markers", line: { width: 4, color }, marker: { size: 4, color } } : { mode: "lines", opacity: 0.8, line: { width: 1.5, color } });
  const end = roundSignificant(r.best.run.path.at(-1)!, 4);
  raceFigure.data.push({ type: "scatter", mode: "markers", showlegend: false, x: [end[0]!], y: [end[1]!], marker: { symbol: "x", size: 13, color, line: { width: 1, color: "white" } } });
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
// A fine scan of η from 0.5 to 1.5 × 2/λmax in 1 % steps shows what the grid hides: below about 0.9 × 2/λmax
// SGD is stable but too slow; it reaches the target only in a narrow band at the edge, where its iterates
// bounce across the valley; past the edge almost every run diverges. Momentum and Adam succeed over a whole
// range of rates, which is the practical reason to prefer them.

// %%
const lambdaMaxStar = Math.max(...symmetricEigen([[802, -400], [-400, 200]]).values);
const edgeLr = 2 / lambdaMaxStar;
const fineScan = Array.from({ length: 101 }, (_, k) => 0.5 + k / 100).map((ratio) => ({ ratio, final: runRosenbrock(sgd({ learningRate: ratio * edgeLr })).final }));
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
// **What the seed's S0-Q2 answer gets wrong.** The "optimization function" (优化函数) is the loss; the
// optimizer is the algorithm that reduces it. And an optimizer's *stability* is whether its iterates stay
// bounded (step size against curvature, above), not whether it "easily falls into local optima", which
// belong to the landscape (in large networks, saddle points and flat regions matter more).
//
// How to choose: Adam (or AdamW) is the robust default for deep networks, because one learning rate works
// across layers whose gradients differ by orders of magnitude. Tuned SGD with momentum often generalises
// slightly better on vision models. Cost per step hardly differs; the width of the working band of η does.
//
// ### Follow-up: what does Nesterov momentum change?
//
// **Short answer.** Nesterov takes the gradient at the *look-ahead* point θ + μv, where momentum is about to
// carry the parameters, so it corrects the velocity before overshooting. On a quadratic with η = 1/L and
// μ = (√κ − 1)/(√κ + 1) it beats heavy-ball with the same (η, μ). Heavy-ball with Polyak's tuning has a faster
// asymptotic rate on a quadratic, but off quadratics that tuning can fail to converge, while Nesterov's
// accelerated rate holds on every smooth strongly convex function (Lessard, Recht and Packard, 2016).
//
// **Long answer.** The look-ahead form (Sutskever et al., 2013) is
// $v \leftarrow \mu v - \eta\nabla f(\theta + \mu v),\ \theta \leftarrow \theta + v$. Frameworks store φ = θ + μv instead
// and need the gradient only there: with b = −v/η, $b \leftarrow \mu b + g,\ \theta \leftarrow \theta - \eta(g + \mu b)$
// is the same recursion from the same start, on any function. On a quadratic, the error along an eigenvector
// of curvature λ shrinks at the larger |root| of heavy-ball's $z^2 - (1 + \mu - \eta\lambda) z + \mu$ or Nesterov's
// $z^2 - (1+\mu)(1-\eta\lambda) z + \mu(1-\eta\lambda)$. At λ = L and η = 1/L Nesterov's roots are both 0 (the steep
// direction is gone in two steps), heavy-ball's have modulus √μ, so it oscillates.

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
  // The framework form (lib/nn/optimizers, held to tf.train.momentum(η, μ, true) by its unit tests).
  const framework = momentum({ learningRate: lr, momentum: mu, useNesterov: true });
  let p = [...rosenbrockStart];
  let gap = 0;
  for (let t = 0; t < 200; t++) {
    const phi = lookahead();
    p = framework.step(p, rosenbrockGradient(p));
    gap = Math.max(gap, ...p.map((value, i) => Math.abs(value - phi[i]!)));
  }
  check("Nesterov: the framework form's parameters = the look-ahead point θ + μv at each of 200 Rosenbrock steps (|diff| < 1e-12)", gap < 1e-12, { gap });
}

// %%
/** Spectral radius of the 2×2 iteration of one eigen-direction: the larger |root| of z² − bz + c. */
const largerRoot = (b: number, c: number) => {
  const discriminant = b * b - 4 * c;
  return discriminant >= 0 ? Math.max(Math.abs(b + Math.sqrt(discriminant)), Math.abs(b - Math.sqrt(discriminant))) / 2 : Math.sqrt(c);
};
const heavyBallRate = (lr: number, mu: number, lambda: number) => largerRoot(1 + mu - lr * lambda, mu);
const nesterovRate = (lr: number, mu: number, lambda: number) => largerRoot((1 + mu) * (1 - lr * lambda), mu * (1 - lr * lambda));

/** On ½Σλᵢxᵢ² from x = 1: steps to cut it by 10⁸, and the steepest direction's |x| after 2 steps. */
function momentumRace(curvatures: number[], make: () => Optimizer) {
  const problem = quadratic(curvatures.map((l, i) => curvatures.map((_, j) => (i === j ? l : 0))), curvatures.map(() => 1));
  return { steps: stepsToReduce(problem, make(), 100_000, 1e-8), steepAfterTwo: Math.abs(runOptimizer(make(), problem, 2).path[2]![0]!) };
}
const nesterovRows = [10, 30, 100, 300, 1000, 3000, 10_000].map((kappa) => {
  const curvatures = Array.from({ length: 20 }, (_, i) => kappa ** (-i / 19)); // L = 1 first, 1/κ last
  const mu = (Math.sqrt(kappa) - 1) / (Math.sqrt(kappa) + 1);
  const polyak = { lr: 4 / (1 + Math.sqrt(1 / kappa)) ** 2, mu: mu * mu };
  const heavyBall = momentumRace(curvatures, () => momentum({ learningRate: 1, momentum: mu }));
  const nesterov = momentumRace(curvatures, () => momentum({ learningRate: 1, momentum: mu, useNesterov: true }));
  return {
    κ: kappa,
    "heavy-ball rate": Math.max(...curvatures.map((l) => heavyBallRate(1, mu, l))),
    "Nesterov rate": Math.max(...curvatures.map((l) => nesterovRate(1, mu, l))),
    "1 − 1/√κ": 1 - 1 / Math.sqrt(kappa),
    "heavy-ball steps": heavyBall.steps,
    "Nesterov steps": nesterov.steps,
    "Polyak heavy-ball steps": momentumRace(curvatures, () => momentum({ learningRate: polyak.lr, momentum: polyak.mu })).steps,
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
// The seed says a too-large initial learning rate causes "premature convergence or overfitting". Neither
// happens. Along an eigenvector of curvature λ the error is multiplied by (1 − ηλ) each step; once η > 2/λmax
// the loss oscillates with growing amplitude and diverges (notebook 01). Overfitting depends on capacity and
// data, not on the step size. The *LR range test* (Smith, 2017) finds the edge without the Hessian: let η grow
// geometrically from 1e-4 to 10 over a few hundred minibatch steps and stop when the loss exceeds 4× its best.
// We run it with SGD (B = 32) on a linear regression whose Hessian $H = \tfrac{2}{n} X^\top X$ is known, and
// compare the blow-up with 2/λmax. Pick the working rate a few times below the blow-up.

// %%
const [regressionRng, nRegression] = [new Random(0), 512];
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
const stableLimit = 2 / Math.max(...symmetricEigen(regressionHessian).values);

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
Object.assign(rangeFigure.layout!.xaxis!, { type: "log", exponentformat: "power" });
Object.assign(rangeFigure.layout!.yaxis!, { tickvals: [0.2, 0.5, 1, 2, 5, 10], ticktext: ["0.2", "0.5", "1", "2", "5", "10"] });
Object.assign(rangeFigure.layout!, { shapes: [{ type: "line", x0: stableLimit, x1: stableLimit, yref: "paper", y0: 0, y1: 1, line: { dash: "dash", color: "red" } }],
  annotations: [{ x: Math.log10(stableLimit), y: 1, yref: "paper", text: "2/λmax", showarrow: false, xanchor: "right", yanchor: "top" }] });
await showFigure(rangeFigure);

// %% [markdown]
// The factor-2 band is calibrated over data seeds 0–7 (blow-up at 1.06–1.62 × 2/λmax: the detector waits for
// 4× the best loss while η keeps growing). Below 2/λmax, **full-batch** gradient descent on a quadratic can
// never increase the loss (every error component shrinks by |1 − ηλ| < 1); **minibatch SGD** can: its fresh
// gradient noise holds the loss at a *noise floor* that rises with η (§5).

// %% [markdown]
// ## 5. Schedules: global learning rate as a function of time
//
// A schedule is a formula η(t) (`lib/nn/schedules.ts`, unit-tested against each formula): step decay
// $\eta_0 \gamma^{\lfloor t/s \rfloor}$; exponential $\eta_0 \gamma^{t/s}$; cosine annealing
// $\eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})(1 + \cos(\pi t / T))$; linear warm-up for W steps, then cosine; and
// 1cycle, up from η_max/25 to η_max at 30 % of the run, then down to η_max/(25·10⁴).

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
// backwards: a smaller step converges *more* slowly. Decay exists because with noisy gradients and a constant
// η, SGD does not converge; it hovers at a *noise floor*. The smallest exact model: $f(\theta) = \tfrac12 \lambda \theta^2$
// with gradient estimates $g = \lambda\theta + \xi$, ξ ~ N(0, σ²) independent at each step, so
//
// $$\mathbb E\theta_{t+1} = (1-\eta_t\lambda)\,\mathbb E\theta_t, \qquad \mathrm{Var}\,\theta_{t+1} = (1-\eta_t\lambda)^2\,\mathrm{Var}\,\theta_t + \eta_t^2\sigma^2 ,$$
//
// and $\mathbb E f = \tfrac12\lambda\,\mathbb E\theta^2$. For a constant η the variance settles at
// $\mathbb E f_\infty = \dfrac{\eta\sigma^2}{2(2-\eta\lambda)}$, which rises with η: even started at the minimum,
// SGD climbs to this floor at every η below 2/λ. The checks: long simulations against the floor formula, and
// the exact recursion against 2,000 simulated runs for three schedules, with and without noise.

// %%
const [noiseRng, lambda1d, sigma] = [new Random(7), 1, 1];
const floorFormula = (lr: number) => (lr * sigma ** 2) / (2 * (2 - lr * lambda1d));
/** Time-average of f over 200,000 steps of constant-η SGD started at the minimum, after 2,000 burn-in steps. */
function simulatedFloor(lr: number): number {
  let [theta, sum] = [0, 0];
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
  let [mean, variance] = [theta0, 0];
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

/** Mean and standard error of f after `steps` noisy SGD steps from θ₀ = 3, over 2,000 simulated runs. */
function simulatedFinalLoss(schedule: Schedule, steps = decaySteps) {
  return meanAndStandardError(Array.from({ length: 2000 }, () => {
    let theta = 3;
    for (let t = 0; t < steps; t++) theta -= schedule(t) * (lambda1d * theta + noiseRng.normal(0, sigma));
    return 0.5 * lambda1d * theta * theta;
  }));
}
// The recursion is the claim; 2,000 simulated runs per schedule test it.
decaySchedules.forEach((s, k) => {
  const { mean, standardError } = simulatedFinalLoss(s.schedule);
  const exact = noisyCurves[k]!.curve[decaySteps]!;
  check(`${s.name}: mean final f of 2,000 simulated runs = exact recursion (within 4 standard errors)`, Math.abs(mean - exact) < 4 * standardError, { simulated: mean, exact, standardError });
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
// **Warm-up** (a linear ramp over the first hundreds to thousands of steps) protects the start: Adam's
// second-moment estimate rests on a handful of gradients, large-batch training scales η up, and curvature is
// often highest at initialisation. Transformers (post-LayerNorm ones especially) often fail to train without it.
//
// ## 6. Batch size: gradient noise ∝ 1/B (S0-Q5)
//
// A minibatch gradient averages B per-example gradients $g_i$ drawn **without replacement** from N; its mean
// is the full gradient ḡ, and the sampling variance of a mean without replacement is exactly
//
// $$\mathbb E\,\|\hat g_B - \bar g\|^2 = \frac{S^2}{B}\cdot\frac{N - B}{N - 1}, \qquad S^2 = \frac1N\sum_i \|g_i - \bar g\|^2 .$$
//
// It falls as 1/B until B is a sizeable fraction of N, where the finite-population correction takes it to 0.
// The §4 regression's per-example gradients at w = 0 give S²; 2,000 random minibatches per B the empirical value.

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
  const { mean: empirical, standardError } = meanAndStandardError(squaredErrors);
  return { B: b, empirical, "exact S²/B·(N−B)/(N−1)": exactVariance(b), "naive S²/B": spread / b, "z-score": (empirical - exactVariance(b)) / standardError, standardError };
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
Object.assign(varianceFigure.layout!.xaxis!, { type: "log" });
await showFigure(varianceFigure);

// %% [markdown]
// ### Follow-up: why do large batches generalise worse, and how do you train with them?
//
// **Short answer.** SGD's noise scale is η(N/B − 1) ≈ ηN/B (Smith and Le, 2018). Noise knocks the iterate out
// of *sharp* minima (a narrow basin, where a small shift between training and test loss costs a lot) and
// lets it settle in *flat* ones. Large batches at the small-batch η have little noise, land in sharper minima
// and test worse (Keskar et al., 2017). The cure keeps η/B fixed: scale η linearly with B (Goyal et al., 2017),
// with a few epochs of warm-up, and only while η stays below 2/λmax.
//
// **Long answer.** The noise falls as 1/B (the table above). §5's floor is η·(noise variance)/(2(2 − ηλ)) with
// variance σ²/B, a function of η/B while ηλ ≪ 2: exercise 2 simulates (η, B) and (4η, 4B) and finds the same
// floor, which is the linear scaling rule. A minimum with curvature above 2/η is unstable for SGD (§3–4), so a
// large η filters out sharp minima and a too-small η/B does not. The rule stops where ηλmax reaches 2, which
// does not grow with B; beyond a "critical batch size" larger batches buy little progress per example.
// Memory sets the other ceiling (activations grow linearly in B); powers of two only help hardware.
//
// ## 7. Optimising the training process beyond the optimizer (S1-Q3)
//
// The seed lists preprocessing, loss, optimizer, regularisation and LR adjustment. It omits three levers that
// often matter more: **initialisation**, **normalisation** and **gradient clipping**.
//
// **Initialisation sets the signal scale at depth.** In a ReLU layer $h = \max(0, Wx)$ with n inputs and
// weights of variance σ², the ReLU zeroes half of each pre-activation's variance $n\sigma^2\,\mathbb E[x^2]$, so
// $\mathbb E[h^2]$ is multiplied by $n\sigma^2/2$ per layer. He initialisation, σ² = 2/n, keeps the factor at 1;
// σ² = 1/n (right for tanh) loses 2⁻²⁰ ≈ 10⁻⁶ over 20 layers; σ = 0.01 wipes the signal out (and gradients
// shrink the same way). Below: 64 inputs through 20 random ReLU layers of width 256; the factor-8 band was
// calibrated on seeds 21–25 (ratios 0.29–1.45).

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
const initSchemes = [{ scheme: "He: σ² = 2/n", std: Math.sqrt(2 / width) }, { scheme: "σ² = 1/n", std: Math.sqrt(1 / width) }, { scheme: "σ = 0.01", std: 0.01 }].map((s) => {
  const measured = signalThroughDepth(s.std);
  const predicted = ((width * s.std ** 2) / 2) ** depth; // E[x²] = 1 at the input
  return { scheme: s.scheme, "E[h²] after 20 layers": measured, "closed form (nσ²/2)²⁰": predicted, "measured / closed form": measured / predicted };
});
showTable(initSchemes, { caption: "Mean square activation through 20 random ReLU layers (width 256), inputs with E[x²] = 1" });
initSchemes.forEach((row) => check(`${row.scheme}: E[h²] after 20 layers within a factor of 8 of the closed form`, row["measured / closed form"] > 1 / 8 && row["measured / closed form"] < 8, { ratio: row["measured / closed form"] }));

// %% [markdown]
// **Standardised inputs change the conditioning, not the model.** Age ~ N(40, 12) and income ~ N(60, 20)
// plus an intercept: standardising is an affine change of variables with the same optimum, but the Hessian's
// κ falls from about 10⁵ to about 1, and with it §2's step count for gradient descent.

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
    const κ = lmax / lmin;
    // The excess loss is ½δᵀHδ whatever the targets: a quadratic with this Hessian, started at δ = (1, 1, 1).
    const steps = stepsToReduce(quadratic(hessian, [1, 1, 1]), sgd({ learningRate: 2 / (lmin + lmax) }), 2000);
    return { inputs, κ, "step bound for 10⁶": Math.ceil(Math.log(1e-6) / (2 * Math.log((κ - 1) / (κ + 1)))), "steps taken (cap 2,000)": steps };
  });
  showTable(rows, { caption: "Gradient descent on the same linear model, raw vs standardised inputs" });
  const [raw, standardized] = rows as [typeof rows[0], typeof rows[0]];
  check("raw κ > 10⁴ while standardised κ < 1.1", raw.κ > 1e4 && standardized.κ < 1.1, { raw: raw.κ, standardized: standardized.κ });
  check("standardised: a 10⁶ reduction within its closed-form bound of steps", standardized["steps taken (cap 2,000)"] <= standardized["step bound for 10⁶"]);
  check("raw: still short of a 10⁶ reduction after 2,000 steps (its bound is > 100,000 steps)", raw["steps taken (cap 2,000)"] === Infinity && raw["step bound for 10⁶"] > 100_000);
}

// %% [markdown]
// **Gradient clipping is a safety net, not a fix for the learning rate.** SGD on Rosenbrock at
// η = 0.003 ≈ 1.5 × 2/λmax(H*) diverges. Rescaling gradients to norm ≤ 10 (`clipnorm`) caps every step at 10η
// and the run stays bounded, but the minimum is still unstable at this η (|1 − ηλmax| ≈ 2), so it cannot
// settle. Clipping guards against rare huge gradients; η must still respect the curvature.

// %%
const unclippedRun = runRosenbrock(sgd({ learningRate: 0.003 }));
const clippedRun = runRosenbrock(withGradientClipping(sgd({ learningRate: 0.003 }), 10));
const clippedEnd = clippedRun.path.at(-1)!;
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
// * An **optimizer** is an update rule: SGD −ηg; momentum a velocity of past gradients; **Nesterov** takes the
//   gradient at the look-ahead point (rate 1 − 1/√κ on a quadratic); RMSProp and Adam divide each
//   parameter's step by its own RMS gradient.
// * **Adaptive** means *per parameter*. Schedules are global and time-based; momentum does not change the
//   learning rate.
// * The **learning rate** must stay below ≈ 2/λmax or training diverges; the LR range test finds the edge.
//   Below it, minibatch SGD still has a noise floor that rises with η.
// * **Decay** lowers that noise floor; **warm-up** protects the first steps.
// * **Batch size**: gradient variance ∝ 1/B (with a finite-population correction). Scale η with B until the
//   curvature limit; very large batches need warm-up and may generalise worse (sharp minima, less noise).
// * **Training** also depends on initialisation, standardised inputs, normalisation and clipping (a safety
//   net, not a cure for too large an η).
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
//    rate makes the model "converge prematurely" (过早收敛). In §5's model (λ = 1, σ = 1, θ₀ = 3), constant
//    η = 1.5 is stable (η < 2/λ). Predict where its expected loss flattens, as a multiple of the η = 0.1 level,
//    and what someone reading that flat curve would wrongly conclude. Does cosine decay from 1.5 to 0 over
//    1,000 steps end nearer the η = 1.5 or the η = 0.1 plateau? Check both by simulation.
// 5. **Spot the bug (S0-Q18), Adadelta.** The seed names Adadelta next to Adam. Write it as Zeiler (2012) and
//    PyTorch do: $E[g^2] \leftarrow \rho E[g^2] + (1-\rho)g^2$, $\Delta = \sqrt{E[\Delta^2]+\epsilon}\,/\,\sqrt{E[g^2]+\epsilon}\cdot g$,
//    $E[\Delta^2] \leftarrow \rho E[\Delta^2] + (1-\rho)\Delta^2$, $\theta \leftarrow \theta - \eta\Delta$ (ρ = 0.95, ε = 1e-7, η = 1).
//    Apply §2's test (constant gradient (1, 10⁴)): is it adaptive, and how large is its first step? Does
//    `tf.train.adadelta(1, 0.95)` take the same first step? Find the difference in its update rule.

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** $m_1 = (1-\beta_1)g$ and $v_1 = (1-\beta_2)g^2$, so the uncorrected first step is
// $\eta (1-\beta_1)|g| / (\sqrt{1-\beta_2}\,|g| + \epsilon) \approx 3.16\,\eta$. Under a constant gradient the step is
// $r(t)\,\eta$ with $r(t) = (1-\beta_1^t)/\sqrt{1-\beta_2^t}$, whatever |g| is. The numerator warms up in about 10
// steps, the denominator in about 1,000, so r first *rises*, to about 6.6 near t = 12 (where
// $\frac{\beta_1^t \ln(1/\beta_1)}{1-\beta_1^t} = \frac{\beta_2^t \ln(1/\beta_2)}{2(1-\beta_2^t)}$), then falls towards 1 from
// above, slowly (2× at t ≈ 290, 1.26× at t = 1,000; $r - 1 \approx \tfrac12 \beta_2^t$). So the largest steps, several
// times the tuned rate, come when the moment estimates are least reliable. The correction removes both factors.

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
  // The derivative of ln r, and its root by bisection on [1, 1000] (positive at 1, negative at 1000).
  const slope = (t: number) => (beta1 ** t * Math.log(1 / beta1)) / (1 - beta1 ** t) - (beta2 ** t * Math.log(1 / beta2)) / (2 * (1 - beta2 ** t));
  let [low, high] = [1, 1000];
  while (high - low > 1e-9) [low, high] = slope((low + high) / 2) > 0 ? [(low + high) / 2, high] : [low, (low + high) / 2];
  const peakTime = low;
  const measuredRatios = measured.map((m) => m[0]! / eta);
  const measuredPeak = measuredRatios.indexOf(Math.max(...measuredRatios)) + 1;
  console.log(`d ln r/dt = 0 at t* = ${peakTime.toFixed(3)}; measured peak at step ${measuredPeak}: ${measuredRatios[measuredPeak - 1]!.toFixed(3)}η; step 1000: ${measuredRatios[999]!.toFixed(3)}η`);
  check("the measured largest step is at ⌊t*⌋ or ⌈t*⌉, whichever the closed form makes larger (not at t = 1)",
    measuredPeak === (ratio(Math.floor(peakTime)) > ratio(Math.ceil(peakTime)) ? Math.floor(peakTime) : Math.ceil(peakTime)) && measuredPeak > 1, { peakTime, measuredPeak });
  check("the measured curve rises at every step before the peak and falls at every step after it", measuredRatios.every((r, i) =>
    i === 0 || (i + 1 <= measuredPeak ? r > measuredRatios[i - 1]! : r < measuredRatios[i - 1]!)));
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
    let [theta, sum] = [0, 0];
    for (let t = 0; t < 101_000; t++) {
      let noise = 0;
      for (let k = 0; k < b; k++) noise += scalingRng.normal(0, sigma) / b;
      theta -= lr * (lambda1d * theta + noise);
      if (t >= 1000) sum += 0.5 * lambda1d * theta * theta;
    }
    return sum / 100_000;
  };
  const [small, large] = [simulate(0.01, 8), simulate(0.04, 32)];
  checkClose("(η, B) = (0.01, 8): simulated floor = formula within 10 %", small, floorFor(0.01, 8), { rel: 0.1 });
  checkClose("(η, B) = (0.04, 32): simulated floor = formula within 10 %", large, floorFor(0.04, 32), { rel: 0.1 });
}

// %% [markdown] tags=["solution"]
// **3.** With full batches every step contracts the steep direction by |1 − ηλmax| while η < 2/λmax, so by the
// time η crosses the limit that component is tiny and must grow back by many orders of magnitude before the
// loss reaches 4× its best. Minibatch noise keeps re-exciting it, so there the blow-up follows the limit.

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
// **4.** The floor ησ²/(2(2 − ηλ)) is 1.5 at η = 1.5 against 0.1/3.8 ≈ 0.026 at η = 0.1: a 57× higher
// plateau, reached within a few steps ((1 − ηλ)² = 0.25 per step). That flat curve *looks* converged; it is
// stuck at a noise floor, neither at the minimum nor overfitting. The fix is decay: cosine from 1.5 ends
// below even the η = 0.1 plateau, because its last few hundred steps use a tiny η.

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
  const { mean, standardError } = simulatedFinalLoss(cosine, 1000);
  check("cosine from 1.5 to 0: 2,000 simulated runs = the exact recursion (within 4 standard errors)", Math.abs(mean - exactCosine) < 4 * standardError, { mean, exactCosine });
  check("…and it ends below the η = 0.1 plateau, let alone the η = 1.5 one", exactCosine < floorAt(0.1), { cosine: exactCosine, plateau01: floorAt(0.1) });
}

// %% [markdown] tags=["solution"]
// **5.** Adadelta is adaptive: under a constant gradient everything depends on g only through g/|g|, so both
// parameters move alike, √(ε/(1 − ρ)) ≈ 1.4·10⁻³ at the first step (η = 1, as in PyTorch). `tf.train.adadelta`
// divides by $\sqrt{E[g^2]+\epsilon}$ *before* adding the new gradient, so its first step is ε/ε·g = g itself, a
// move of 10⁴ for the second parameter; from the second step on it adapts, one step behind.

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
  checkAllClose("tf.train.adadelta's first step is the raw gradient (1, 10⁴): not adaptive", tfPositions[0]!.map(Math.abs), unevenGradient, { rel: 1e-5 });
  // The one-step-behind rule reproduces tf's positions (float32 against float64).
  let p = [0, 0];
  const behind = adadeltaRule(true);
  const gap = Math.max(...tfPositions.map((tfp) => {
    p = behind(p, unevenGradient);
    return drift(p, tfp);
  }));
  check("tf.train.adadelta = the rule that divides by the previous E[g²], over 50 steps (drift < 1e-4)", gap < 1e-4, { gap });
}
