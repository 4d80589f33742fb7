// %% [markdown]
// # 11 · Support vector machines
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S4-C3 | Implement an SVM classifier. | 实现一个基于支持向量机的分类器 |
//
// **The short answer an interviewer wants.** A linear SVM picks, among all hyperplanes `w·x + b = 0` that
// separate the classes, the one with the **widest margin**. With labels y = ±1, scale w so that the closest
// points have $y_i(w\cdot x_i + b) = 1$. The margin is then $2/\|w\|$, so the SVM solves
// $\min \tfrac12\|w\|^2$ subject to $y_i(w\cdot x_i + b) \ge 1$. Real data overlap, so the *soft-margin* SVM
// pays for violations with the **hinge loss**: $\min \tfrac12\|w\|^2 + C\sum_i \max(0,\ 1 - y_i f(x_i))$.
// Large C means a narrow margin with few violations; small C means a wide margin with many. This *primal*
// problem can be solved by stochastic sub-gradient steps (Pegasos). Its *dual*,
// $\max_\alpha \sum\alpha_i - \tfrac12\sum\sum\alpha_i\alpha_j y_i y_j\, x_i\cdot x_j$ with $0 \le \alpha_i \le C$ and
// $\sum\alpha_i y_i = 0$, is solved by SMO. The solution $w = \sum \alpha_i y_i x_i$ depends only on the
// **support vectors** (α > 0), which lie on or inside the margin. The dual touches the data only through
// inner products, so replacing $x_i\cdot x_j$ by a kernel $K(x_i, x_j)$ (RBF: $e^{-\gamma\|x_i - x_j\|^2}$) gives
// non-linear boundaries at no extra cost. Distances drive everything, so **features must be standardised**,
// with the scaler fitted on the training set and reused unchanged at prediction time.
//
// Below, a problem whose max-margin answer is known in closed form is solved by both the primal and the dual
// solver. Every fit on shared data is compared with scikit-learn's libsvm (fixture
// `data/sklearn/11-svm-fits.json`, made by the script beside it), and the kernel and scaling claims are
// tested on held-out data against baselines that provably fail.

// %%
import { Random } from "./lib/random";
import { check, checkAllClose, checkClose } from "./lib/check";
import { loadBreastCancer, loadIris } from "./lib/data";
import { loadSvmFitsFixture, loadSvmMulticlassFixture } from "./lib/fixtures/svm";
import { makeCircles, makeMoons } from "./lib/datasets";
import { kFold, take, trainTestSplit } from "./lib/split";
import { LinearSVC, SVC, fitPlattSigmoid } from "./lib/ml/svm";
import { LogisticRegression } from "./lib/ml/linear";
import { StandardScaler } from "./lib/ml/preprocessing";
import { NotFittedError, accuracyScore } from "./lib/ml/base";
import { numericalGradient, gradientRelativeError } from "./lib/math/gradcheck";
import { lineFigure } from "./lib/display/figures";
import { showFigure } from "./lib/display/plot";
import { showTable } from "./lib/display/display";

const sk = loadSvmFitsFixture(); // data/sklearn/11-svm-fits.py says what each field is

// %% [markdown]
// ## 1. The widest street, on points with a known answer
//
// For $f(x) = w\cdot x + b$, the distance from a point to the hyperplane f = 0 is $|f(x)|/\|w\|$. Points with
// $y f(x) = 1$ therefore sit at distance $1/\|w\|$ on either side, and the street between the lines f = +1 and
// f = −1 is $2/\|w\|$ wide. Maximising it means minimising ‖w‖.
//
// Six points: positives (2, 2), (3, 3), (2, 4) and negatives (0, 0), (1, 1), (0, 2). The negatives' convex hull
// contains the segment from (1, 1) to (0, 2) on the line x₁ + x₂ = 2. The nearest positive, (2, 2), lies on
// x₁ + x₂ = 4, and the closest pair across the two hulls is (1, 1)–(2, 2), at distance √2. The widest street
// is bounded by those two parallel lines, with its middle at **x₁ + x₂ = 3**. Scaled so that f = ±1 on the
// edges, that gives **w = (1, 1), b = −3, margin 2/‖w‖ = √2**.
//
// That answer can be certified without any solver. It must be feasible (every $y_i f(x_i) \ge 1$), and the
// KKT conditions must hold: there must be multipliers α ≥ 0, non-zero only where $y_i f(x_i) = 1$, with
// $w = \sum\alpha_i y_i x_i$ and $\sum\alpha_i y_i = 0$. Here α = 1 on (2, 2) and on (1, 1) works:
// w = (2, 2) − (1, 1) = (1, 1).

// %%
const X = [[2, 2], [3, 3], [2, 4], [0, 0], [1, 1], [0, 2]];
const y = [1, 1, 1, 0, 0, 0];
const signs = y.map((label) => (label === 1 ? 1 : -1));
const wKnown = [1, 1];
const bKnown = -3;
const marginKnown = Math.SQRT2;
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, k) => s + v * b[k]!, 0);
const functionalMargins = X.map((x, i) => signs[i]! * (dot(wKnown, x) + bKnown));

const alphaKnown = [1, 0, 0, 0, 1, 0];
check("the closed-form answer is feasible: every yᵢ(w·xᵢ + b) ≥ 1", functionalMargins.every((m) => m >= 1), { margins: functionalMargins.join(", ") });
check("KKT: α > 0 only on points with yᵢ(w·xᵢ + b) = 1", alphaKnown.every((a, i) => a === 0 || functionalMargins[i] === 1));
checkAllClose("KKT: w = Σ αᵢyᵢxᵢ", [0, 1].map((k) => X.reduce((s, x, i) => s + alphaKnown[i]! * signs[i]! * x[k]!, 0)), wKnown, { abs: 0 });
checkClose("KKT: Σ αᵢyᵢ = 0", alphaKnown.reduce((s, a, i) => s + a * signs[i]!, 0), 0, { abs: 0 });
checkAllClose(`scikit-learn ${sk.sklearn} (libsvm, C = 10⁶) finds the same w`, sk.hardMargin.coef, wKnown, { abs: 1e-6 });
checkClose(`scikit-learn ${sk.sklearn} finds the same b`, sk.hardMargin.intercept, bKnown, { abs: 1e-6 });

// %% [markdown]
// ## 2. The primal: hinge loss plus ½‖w‖², by stochastic sub-gradients (Pegasos)
//
// The soft-margin objective is $J(w, b) = \tfrac12\|w\|^2 + C\sum_i \max(0, 1 - y_i(w\cdot x_i + b))$. The hinge
// term is zero for every point safely beyond its margin line. Only violators contribute to the sub-gradient,
// $\partial J/\partial w = w - C\sum_{y_i f(x_i) < 1} y_i x_i$ and $\partial J/\partial b = -C\sum_{y_i f(x_i) < 1} y_i$.
// On separable data with C at least the largest dual multiplier (here 1), the soft-margin optimum *is* the hard
// margin: w = (1, 1), b = −3, with J = ½‖w‖² = 1 and no hinge loss.
//
// *Pegasos* (Shalev-Shwartz et al., 2011) takes one random example per step with step size 1/(λt), where
// λ = 1/(Cn). The reusable version is `LinearSVC` in `lib/ml/svm.ts`. The objective and its sub-gradient are
// short enough to write here, and the sub-gradient is checked against finite differences away from the kinks.

// %%
/** J(w, b) = ½‖w‖² + C Σ hinge; `params` = [w₁, w₂, b]. */
function primalObjective(params: readonly number[], C: number): number {
  const w = params.slice(0, 2);
  return 0.5 * dot(w, w) + C * X.reduce((s, x, i) => s + Math.max(0, 1 - signs[i]! * (dot(w, x) + params[2]!)), 0);
}
function primalSubgradient(params: readonly number[], C: number): number[] {
  const g = [params[0]!, params[1]!, 0];
  X.forEach((x, i) => {
    if (signs[i]! * (dot(params.slice(0, 2), x) + params[2]!) < 1) {
      g[0]! -= C * signs[i]! * x[0]!;
      g[1]! -= C * signs[i]! * x[1]!;
      g[2]! -= C * signs[i]!;
    }
  });
  return g;
}
const probe = [0.7, 1.3, -2.2]; // no point has y·f(x) = 1 here, so J is differentiable
check("hinge objective: sub-gradient = finite differences at a smooth point", gradientRelativeError(primalSubgradient(probe, 10), numericalGradient((p) => primalObjective(p, 10), probe)) < 1e-8);

const pegasos = new LinearSVC({ C: 10, maxIter: 20_000, seed: 0 }).fit(X, y);
const wPrimal = pegasos.coef_!;
const bPrimal = pegasos.intercept_!;
console.log(`Pegasos (C = 10, 20,000 epochs): w = (${wPrimal.map((v) => v.toFixed(4)).join(", ")}), b = ${bPrimal.toFixed(4)}, J = ${primalObjective([...wPrimal, bPrimal], 10).toFixed(5)}`);
checkAllClose("primal: w within 2 % of (1, 1)", wPrimal, wKnown, { rel: 0.02 });
checkClose("primal: b within 2 % of −3", bPrimal, bKnown, { rel: 0.02 });
checkClose("primal: margin 2/‖w‖ within 2 % of √2", 2 / Math.hypot(...wPrimal), marginKnown, { rel: 0.02 });
check("the objective approaches its optimum J* = 1 from above (final J − 1 < 0.01)", pegasos.lossHistory_![pegasos.lossHistory_!.length - 1]! - 1 < 0.01 && Math.min(...pegasos.lossHistory_!) >= 1 - 1e-12);

// %%
const epochsShown = pegasos.lossHistory_!.map((_, e) => e + 1).filter((e) => e <= 100 || e % 50 === 0);
await showFigure(lineFigure(
  [{ name: "J(w, b) − J* after each epoch", x: epochsShown, y: epochsShown.map((e) => pegasos.lossHistory_![e - 1]! - 1) }],
  { title: "Pegasos on the hinge objective: distance to the optimum J* = 1", xTitle: "epoch (pass over the 6 points)", yTitle: "J − J* (log scale)", logY: true },
));

// %% [markdown]
// Pegasos is cheap per step and scales to huge sparse data, but it converges slowly, roughly as 1/t, and
// never exactly. The remaining gap after 20,000 epochs is the 0.3 % seen above.
//
// ## 3. The dual: support vectors and SMO
//
// Lagrange multipliers αᵢ ≥ 0 for the constraints turn the primal into the dual
// $\max_\alpha \sum_i\alpha_i - \tfrac12\sum_{i,j}\alpha_i\alpha_j y_i y_j\, x_i\cdot x_j$, subject to $0 \le \alpha_i \le C$
// and $\sum_i \alpha_i y_i = 0$. Its solution gives $w = \sum_i \alpha_i y_i x_i$. Complementary slackness
// says αᵢ > 0 only for points with $y_i f(x_i) \le 1$: the support vectors. Every other point could move
// (without crossing its margin line) or be deleted without changing the answer.
//
// *SMO* (Platt, 1998) repeatedly picks two multipliers, the fewest that can move while keeping Σαy = 0, and
// solves that two-variable problem in closed form. `SVC` in `lib/ml/svm.ts` uses libsvm's rule for picking the
// pair, so on the same data it must reach scikit-learn's solution. At the optimum the two problems have the
// same value (strong duality). For the hard margin this gives $\sum\alpha_i = \|w\|^2 = 2$.

// %%
const dual = new SVC({ kernel: "linear", C: 1e6, tol: 1e-8 }).fit(X, y);
const alphaTimesY = dual.dualCoef_![0]!;
const wDual = [0, 1].map((k) => dual.supportVectors_!.reduce((s, sv, r) => s + alphaTimesY[r]! * sv[k]!, 0));
const decisionOnTraining = dual.decisionFunction(X);
showTable(X.map((x, i) => {
  const r = dual.support_!.indexOf(i);
  return { point: `(${x.join(", ")})`, y: signs[i]!, "α (dual)": r < 0 ? 0 : Math.abs(alphaTimesY[r]!), "y·f(x)": signs[i]! * decisionOnTraining[i]!, "support vector": r >= 0 };
}), { caption: "Dual solution by SMO (linear kernel, C = 10⁶)" });

checkAllClose("dual: w = Σ αᵢyᵢxᵢ = (1, 1)", wDual, wKnown, { abs: 1e-6 });
checkClose("dual: b = −3", dual.intercept_!, bKnown, { abs: 1e-6 });
checkAllClose("primal (Pegasos) and dual (SMO) agree on w within 1e-2", wPrimal, wDual, { abs: 1e-2 });
checkClose("dual constraint Σ αᵢyᵢ = 0", alphaTimesY.reduce((a, b) => a + b, 0), 0, { abs: 1e-9 });
checkClose("strong duality: Σ αᵢ = ‖w‖² = 2", alphaTimesY.reduce((a, b) => a + Math.abs(b), 0), dot(wDual, wDual), { rel: 1e-6 });
check("support vectors lie on the margin: yᵢf(xᵢ) = 1 ± 1e-3", dual.support_!.every((i) => Math.abs(signs[i]! * decisionOnTraining[i]! - 1) < 1e-3));
check("every other point has α = 0 and yᵢf(xᵢ) ≥ 1 − 1e-3", X.every((_, i) => dual.support_!.includes(i) || signs[i]! * decisionOnTraining[i]! >= 1 - 1e-3));
check(`same support vectors and αᵢyᵢ as scikit-learn ${sk.sklearn}`,
  [...dual.support_!].sort().join() === [...sk.hardMargin.support].sort().join() &&
  dual.support_!.every((i, r) => Math.abs(alphaTimesY[r]! - sk.hardMargin.dualCoef[sk.hardMargin.support.indexOf(i)]!) < 1e-6));

// %% [markdown]
// Note (0, 2): it lies exactly on the margin line, yet its α is 0. Complementary slackness only says that α > 0
// forces a point onto the margin, not the reverse, so the support vectors are a subset of the points on the
// margin. Here the subset is forced: with multipliers a, b, c on (2, 2), (1, 1), (0, 2), the constraint
// a = b + c and w = (2a − b, 2a − b − 2c) = (1, 1) leave c = 0.

// %%
/** Signed decision function over a grid with the lines f = −1, 0, +1, the points, and circled support vectors. */
function marginFigure(model: { decisionFunction(X: number[][]): number[] }, points: number[][], labels: number[], supportVectors: number[][],
  range: { x: [number, number]; y: [number, number] }, title: string, steps = 51) {
  // A 51 × 51 grid rounded to 0.01 draws the same picture as a finer one; the stored notebook stays small.
  const rounded = (v: number) => Math.round(v * 100) / 100;
  const gx = Array.from({ length: steps }, (_, i) => rounded(range.x[0] + ((range.x[1] - range.x[0]) * i) / (steps - 1)));
  const gy = Array.from({ length: steps }, (_, j) => rounded(range.y[0] + ((range.y[1] - range.y[0]) * j) / (steps - 1)));
  const values = model.decisionFunction(gy.flatMap((yv) => gx.map((xv) => [xv, yv]))).map(rounded);
  const z = gy.map((_, j) => values.slice(j * steps, (j + 1) * steps));
  const classTrace = (cls: number, color: string) => ({
    type: "scatter" as const, mode: "markers" as const, name: `class ${cls}`,
    x: points.filter((_, i) => labels[i] === cls).map((p) => rounded(p[0]!)), y: points.filter((_, i) => labels[i] === cls).map((p) => rounded(p[1]!)),
    marker: { size: 7, color: color, line: { width: 0.5, color: "white" } },
  });
  return {
    data: [
      // plotly's RdBu runs blue (low) to red (high): f < 0 (class 0) blue, f > 0 (class 1) red.
      { type: "contour" as const, x: gx, y: gy, z: z, zmin: -3, zmax: 3, colorscale: "RdBu" as const, opacity: 0.45, showscale: true, colorbar: { title: { text: "f(x)" } }, contours: { coloring: "fill" as const, showlines: false }, name: "f(x)", hoverinfo: "skip" as const },
      { type: "contour" as const, x: gx, y: gy, z: z, showscale: false, contours: { coloring: "none" as const, start: -1, end: 1, size: 2 }, line: { color: "black", width: 1.5, dash: "dash" as const }, name: "margins f = ±1", hoverinfo: "skip" as const },
      { type: "contour" as const, x: gx, y: gy, z: z, showscale: false, contours: { coloring: "none" as const, start: 0, end: 0, size: 1 }, line: { color: "black", width: 2.5 }, name: "boundary f = 0", hoverinfo: "skip" as const },
      classTrace(0, "#2166ac"),
      classTrace(1, "#b2182b"),
      { type: "scatter" as const, mode: "markers" as const, name: `support vectors (${supportVectors.length})`, x: supportVectors.map((p) => rounded(p[0]!)), y: supportVectors.map((p) => rounded(p[1]!)), marker: { size: 13, color: "rgba(0,0,0,0)", line: { width: 1.5, color: "black" } } },
    ],
    layout: {
      title: { text: title },
      xaxis: { title: { text: "x₁" }, range: range.x }, yaxis: { title: { text: "x₂" }, range: range.y, scaleanchor: "x" as const },
      legend: { orientation: "h" as const, x: 0, y: -0.18 },
    },
  };
}
await showFigure(marginFigure(dual, X, y, dual.supportVectors_!, { x: [-1, 4], y: [-1, 5] }, "Hard-margin SVM: boundary f = 0, margins f = ±1, street width √2"), { width: 620, height: 620 });

// %% [markdown]
// ## 4. Soft margin: what C does
//
// On overlapping data (scikit-learn's `make_moons`, 300 points with noise 0.3; the first 200 for training),
// C sets the price of a violation.
//
// *Linear kernel: the margin can only shrink as C grows.* Take optima $(w_1, H_1)$ at $C_1$ and $(w_2, H_2)$ at
// $C_2 > C_1$, where H is the total hinge loss. Each is at least as good as the other one at its own C. Adding
// the two inequalities gives $(C_1 - C_2)(H_1 - H_2) \le 0$, so $H_1 \ge H_2$. Then
// $\tfrac12\|w_1\|^2 \le \tfrac12\|w_2\|^2 + C_1(H_2 - H_1) \le \tfrac12\|w_2\|^2$. So ‖w‖ is non-decreasing in C,
// and the margin 2/‖w‖ is non-increasing.
//
// *RBF kernel (γ = 10): accuracy vs C.* Small C buys a wide margin at the price of many violations, and the
// model underfits. Large C forces the boundary around every training point, and the model overfits.

// %%
const moons = sk.moons;
const moonsTrainX = moons.X.slice(0, moons.nTrain);
const moonsTrainY = moons.y.slice(0, moons.nTrain);
const moonsTestX = moons.X.slice(moons.nTrain);
const moonsTestY = moons.y.slice(moons.nTrain);
const cSweep = moons.fits.map((ref) => {
  const rbf = new SVC({ kernel: "rbf", C: ref.C, gamma: moons.rbfGamma, tol: 1e-8 }).fit(moonsTrainX, moonsTrainY);
  // Linear fits stop at C = 100: by then the linear solution no longer changes.
  const linear = ref.C <= 100 ? new SVC({ kernel: "linear", C: ref.C, tol: 1e-8 }).fit(moonsTrainX, moonsTrainY) : null;
  const decision = rbf.decisionFunction(moonsTestX);
  return {
    C: ref.C, ref: ref, linearCoef: linear?.coef_ ?? null,
    "linear margin 2/‖w‖": linear ? 2 / Math.hypot(...linear.coef_!) : NaN,
    "RBF support vectors": rbf.support_!.length,
    "RBF train accuracy": rbf.score(moonsTrainX, moonsTrainY), "RBF test accuracy": rbf.score(moonsTestX, moonsTestY),
    "max |f − f_sklearn| (test)": Math.max(...decision.map((v, i) => Math.abs(v - ref.rbfTestDecision[i]!))),
  };
});
showTable(cSweep.map(({ ref: _ref, linearCoef: _coef, ...row }) => row), { caption: `Soft-margin sweep over C on moons (RBF γ = ${moons.rbfGamma}), compared with scikit-learn ${sk.sklearn}` });

cSweep.forEach((row) => {
  check(`C = ${row.C}: RBF decision values = scikit-learn's within 1e-6·max(1, C)`, row["max |f − f_sklearn| (test)"] <= 1e-6 * Math.max(1, row.C), { maxDiff: row["max |f − f_sklearn| (test)"] });
  check(`C = ${row.C}: same support-vector count and accuracies as scikit-learn`,
    row["RBF support vectors"] === row.ref.rbfSupportCount && row["RBF train accuracy"] === row.ref.rbfTrainAccuracy && row["RBF test accuracy"] === row.ref.rbfTestAccuracy);
  if (row.linearCoef) checkAllClose(`C = ${row.C}: linear w = scikit-learn's within 1e-4`, row.linearCoef, row.ref.linearCoef, { abs: 1e-4 });
});
const linearMargins = cSweep.filter((r) => r.linearCoef).map((r) => r["linear margin 2/‖w‖"]);
check("linear kernel: the margin never grows with C (up to solver tolerance 1e-6)", linearMargins.every((m, k) => k === 0 || m <= linearMargins[k - 1]! * (1 + 1e-6)), { margins: linearMargins.map((m) => m.toFixed(5)).join(" ") });
const bestTest = Math.max(...cSweep.map((r) => r["RBF test accuracy"]));
const smallest = cSweep[0]!;
const largest = cSweep[cSweep.length - 1]!;
const testMajority = Math.max(...[0, 1].map((c) => moonsTestY.filter((v) => v === c).length)) / moonsTestY.length;
check(`C = ${smallest.C} underfits: test accuracy no better than always predicting the majority class (${testMajority})`, smallest["RBF test accuracy"] <= testMajority);
check(`C = ${largest.C} overfits: train accuracy 1.0 while test accuracy is ≥ 0.05 below the best C's`, largest["RBF train accuracy"] === 1 && largest["RBF test accuracy"] <= bestTest - 0.05, { train: largest["RBF train accuracy"], test: largest["RBF test accuracy"], best: bestTest });

// %%
const sweepFigure = lineFigure(
  [
    { name: "train accuracy", x: cSweep.map((r) => r.C), y: cSweep.map((r) => r["RBF train accuracy"]) },
    { name: "test accuracy", x: cSweep.map((r) => r.C), y: cSweep.map((r) => r["RBF test accuracy"]) },
    { name: "majority-class baseline (test)", x: cSweep.map((r) => r.C), y: cSweep.map(() => testMajority) },
  ],
  { title: `RBF SVM (γ = ${moons.rbfGamma}) on noisy moons: accuracy vs C`, xTitle: "C (log scale)", yTitle: "accuracy" },
);
sweepFigure.data.slice(0, 2).forEach((trace) => Object.assign(trace, { mode: "lines+markers" }));
Object.assign(sweepFigure.data[2]!, { line: { dash: "dot", color: "gray" } });
sweepFigure.layout = { ...sweepFigure.layout, xaxis: { ...sweepFigure.layout!.xaxis, type: "log", exponentformat: "power" }, legend: { x: 0.6, y: 0.2 } };
await showFigure(sweepFigure);

// %% [markdown]
// ## 5. Kernels: RBF vs linear on concentric circles
//
// The dual objective and the decision function $f(x) = \sum_i \alpha_i y_i\, x_i\cdot x + b$ use the data only
// through inner products. Any $K(x, z) = \varphi(x)\cdot\varphi(z)$ therefore trains a linear SVM in the feature
// space of φ without ever computing φ: this is the *kernel trick*. A small example makes it concrete:
// $(x\cdot z)^2 = \varphi(x)\cdot\varphi(z)$ with $\varphi(x) = (x_1^2, \sqrt2\,x_1x_2, x_2^2)$. On two concentric
// circles, the radius $x_1^2 + x_2^2$ is *linear* in φ, so a linear SVM on φ(x) separates them. The RBF kernel
// $e^{-\gamma\|x - z\|^2}$ corresponds to an infinite-dimensional φ and can bend the boundary to any shape.
//
// Data: 400 points on two circles (noise 0.1, inner radius 0.4), stratified 300/100 split. No straight line
// can do much better than chance here.

// %%
const phi = (x: readonly number[]) => [x[0]! ** 2, Math.SQRT2 * x[0]! * x[1]!, x[1]! ** 2];
const kernelRng = new Random(5);
const pairs = Array.from({ length: 100 }, () => [kernelRng.array(2, (r) => r.normal(0, 2)), kernelRng.array(2, (r) => r.normal(0, 2))] as const);
// Relative 1e-12, or 1e-10 absolute where x·z ≈ 0 and the three products in φ(x)·φ(z) cancel.
checkAllClose("kernel trick: (x·z)² = φ(x)·φ(z) on 100 random pairs", pairs.map(([a, b]) => dot(a, b) ** 2), pairs.map(([a, b]) => dot(phi(a), phi(b))), { rel: 1e-12, abs: 1e-10 });

const circles = makeCircles({ nSamples: 400, noise: 0.1, factor: 0.4, seed: 0 });
const circleSplit = trainTestSplit(400, { testFraction: 0.25, seed: 0, stratify: circles.y });
const [circlesTrainX, circlesTestX] = [take(circles.X, circleSplit.train), take(circles.X, circleSplit.test)];
const [circlesTrainY, circlesTestY] = [take(circles.y, circleSplit.train), take(circles.y, circleSplit.test)];
const rbfCircles = new SVC({ kernel: "rbf", C: 1 }).fit(circlesTrainX, circlesTrainY);
const linearCircles = new SVC({ kernel: "linear", C: 1 }).fit(circlesTrainX, circlesTrainY);
const phiCircles = new SVC({ kernel: "linear", C: 1 }).fit(circlesTrainX.map(phi), circlesTrainY);
const circleResults = {
  rbf: rbfCircles.score(circlesTestX, circlesTestY),
  linear: linearCircles.score(circlesTestX, circlesTestY),
  phi: phiCircles.score(circlesTestX.map(phi), circlesTestY),
  majority: Math.max(...[0, 1].map((c) => circlesTestY.filter((v) => v === c).length)) / circlesTestY.length,
};
showTable([
  { model: "linear SVM on (x₁, x₂)", "test accuracy": circleResults.linear, "support vectors": linearCircles.support_!.length },
  { model: "linear SVM on φ(x) = (x₁², √2x₁x₂, x₂²)", "test accuracy": circleResults.phi, "support vectors": phiCircles.support_!.length },
  { model: `RBF SVM, γ = "scale" = ${rbfCircles.gamma_!.toFixed(3)}`, "test accuracy": circleResults.rbf, "support vectors": rbfCircles.support_!.length },
  { model: "always the majority class", "test accuracy": circleResults.majority, "support vectors": 0 },
], { caption: "Concentric circles, 100 held-out points" });
check("RBF SVM: test accuracy ≥ 0.95", circleResults.rbf >= 0.95, { accuracy: circleResults.rbf });
check("linear SVM: test accuracy ≤ 0.65 (no line separates nested circles)", circleResults.linear <= 0.65, { accuracy: circleResults.linear });
check("linear SVM on the explicit features φ(x): test accuracy ≥ 0.95", circleResults.phi >= 0.95, { accuracy: circleResults.phi });

// %% [markdown]
// The three bounds, over seeds 0–9 for the data and the split: RBF 0.99–1.00, linear 0.51–0.57, linear on φ(x)
// 0.99–1.00. (With scikit-learn's `make_circles` the catalog
// measured RBF 1.00 and linear 0.40–0.47.) A linear boundary cuts the plane in two halves, and each half holds
// about half of each circle, so it cannot get far from 0.5.

// %%
const circleRange = { x: [-1.5, 1.5] as [number, number], y: [-1.5, 1.5] as [number, number] };
await showFigure(marginFigure(linearCircles, circlesTrainX, circlesTrainY, linearCircles.supportVectors_!, circleRange, `Linear SVM on circles: test accuracy ${circleResults.linear.toFixed(2)}`), { width: 620, height: 620 });
await showFigure(marginFigure(rbfCircles, circlesTrainX, circlesTrainY, rbfCircles.supportVectors_!, circleRange, `RBF SVM on circles: test accuracy ${circleResults.rbf.toFixed(2)}`), { width: 620, height: 620 });

// %% [markdown]
// ## 6. Scaling, and fitting the scaler on the training set only
//
// The RBF kernel and the margin both measure Euclidean distance, so a feature measured in large units
// dominates. The Wisconsin breast-cancer data (569 tumours, 30 features) mixes cell *areas* in the hundreds to
// thousands with *smoothness* values around 0.1. Unscaled, the RBF kernel effectively sees only the area columns:
// an RBF SVM given just the three area features (same γ) makes the same predictions as one given all 30.
//
// The fix is a `StandardScaler`, `z = (x − mean) / std` per column, with mean and std learned **on the
// training rows only** and then applied unchanged to the test rows and to every later prediction. The test set
// stands in for future data, and statistics learned from it would leak that data into the model. The
// transformed training columns have mean exactly 0 and std 1. The test columns do not, and they should not.
//
// Splits: the five stratified 75/25 splits stored in the scikit-learn fixture, so both libraries see exactly the
// same rows.

// %%
const cancer = loadBreastCancer();
const areaColumns = cancer.featureNames.flatMap((name, j) => (name.includes("area") ? [j] : []));
const onlyColumns = (rows: number[][], columns: number[]) => rows.map((r) => columns.map((j) => r[j]!));

const scalingRuns = sk.breastCancer.splits.map((split) => {
  const [trainX, testX] = [take(cancer.data, split.train), take(cancer.data, split.test)];
  const [trainY, testY] = [take(cancer.target, split.train), take(cancer.target, split.test)];
  const raw = new SVC({ kernel: "rbf", C: 1, tol: 1e-8 }).fit(trainX, trainY);
  const areaOnly = new SVC({ kernel: "rbf", C: 1, gamma: raw.gamma_!, tol: 1e-8 }).fit(onlyColumns(trainX, areaColumns), trainY);
  const scaler = new StandardScaler().fit(trainX);
  const scaled = new SVC({ kernel: "rbf", C: 1, tol: 1e-8 }).fit(scaler.transform(trainX), trainY);
  const rawPredictions = raw.predict(testX);
  const areaPredictions = areaOnly.predict(onlyColumns(testX, areaColumns));
  const maxGap = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
  return {
    split: split, scaler: scaler, model: scaled, trainX: trainX, testX: testX, testY: testY,
    row: {
      split: split.seed,
      "raw: accuracy": raw.score(testX, testY),
      "raw: same predictions as area-only": rawPredictions.filter((p, i) => p === areaPredictions[i]).length / rawPredictions.length,
      "scaled: accuracy": scaled.score(scaler.transform(testX), testY),
      [`scikit-learn raw`]: split.rawTestAccuracy,
      [`scikit-learn scaled`]: split.scaledTestAccuracy,
      "max |f − f_sklearn|": Math.max(maxGap(raw.decisionFunction(testX), split.rawTestDecision), maxGap(scaled.decisionFunction(scaler.transform(testX)), split.scaledTestDecision)),
    },
  };
});
showTable(scalingRuns.map((r) => r.row), { caption: `RBF SVM (C = 1, γ = "scale") on breast cancer, 143 test tumours per split; scikit-learn ${sk.sklearn} alongside` });

scalingRuns.forEach(({ row }) => {
  check(`split ${row.split}: raw and scaled accuracies equal scikit-learn's, decision values within 1e-5`,
    row["raw: accuracy"] === row["scikit-learn raw"] && row["scaled: accuracy"] === row["scikit-learn scaled"] && row["max |f − f_sklearn|"] < 1e-5, { maxDiff: row["max |f − f_sklearn|"] });
  check(`split ${row.split}: unscaled, the RBF SVM is an area-only model (≥ 98 % identical predictions)`, row["raw: same predictions as area-only"] >= 0.98, { agreement: row["raw: same predictions as area-only"] });
  check(`split ${row.split}: scaling improves test accuracy`, row["scaled: accuracy"] > row["raw: accuracy"], { raw: row["raw: accuracy"], scaled: row["scaled: accuracy"] });
});

// %% [markdown]
// The 98 % bound: on all five splits the raw and area-only models agreed on 100 % of the test tumours.
//
// The scaler's own contract, on split 0:

// %%
const scaler0 = scalingRuns[0]!.scaler;
const train0 = scalingRuns[0]!.trainX;
const test0 = scalingRuns[0]!.testX;
const split0 = scalingRuns[0]!.split;
const columnMeans = (rows: number[][]) => rows[0]!.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / rows.length);
const columnStds = (rows: number[][]) => {
  const means = columnMeans(rows);
  return rows[0]!.map((_, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / rows.length));
};
const scaledTrain = scaler0.transform(train0);
const scaledTest = scaler0.transform(test0);
checkAllClose(`mean_ and scale_ equal scikit-learn ${sk.sklearn}'s StandardScaler (fitted on the same training rows)`, [...scaler0.mean_!, ...scaler0.scale_!], [...split0.scalerMean, ...split0.scalerScale], { rel: 1e-12 });
checkAllClose("transformed training columns: mean 0", columnMeans(scaledTrain), new Array(30).fill(0), { abs: 1e-12 });
checkAllClose("transformed training columns: std 1", columnStds(scaledTrain), new Array(30).fill(1), { rel: 1e-12 });
const testMeans = columnMeans(scaledTest);
checkAllClose("transformed test columns: mean = (test mean − train mean) / train std, not forced to 0", testMeans, columnMeans(test0).map((m, j) => (m - scaler0.mean_![j]!) / scaler0.scale_![j]!), { rel: 1e-9, abs: 1e-12 });
check("…and those test means are visibly non-zero (largest |mean| > 0.05)", Math.max(...testMeans.map(Math.abs)) > 0.05, { largest: Math.max(...testMeans.map(Math.abs)) });

// %% [markdown]
// **Refitting the scaler at prediction time.** `StandardScaler().fit_transform(X)` inside `predict` runs, but
// each prediction batch is then scaled by its own statistics. On a batch that looks like the training data, that almost works.
// On a batch of one class, it removes exactly the shift that identifies the class. On a single example, every
// feature becomes 0, so every input gets the same prediction.

// %%
const model0 = scalingRuns[0]!.model;
const testY0 = scalingRuns[0]!.testY;

const refitOnBatch = (rows: number[][]) => model0.predict(new StandardScaler().fit(rows).transform(rows));
const keepTrainScaler = (rows: number[][]) => model0.predict(scaler0.transform(rows));
const batchStudy = [0, 1].map((cls) => {
  const rows = test0.filter((_, i) => testY0[i] === cls);
  const truth = rows.map(() => cls);
  return { batch: `only ${cancer.targetNames[cls]} tumours (${rows.length})`, "train-fitted scaler": accuracyScore(truth, keepTrainScaler(rows)), "scaler refitted on the batch": accuracyScore(truth, refitOnBatch(rows)) };
});
const oneAtATime = test0.map((row) => refitOnBatch([row])[0]!);
showTable([
  ...batchStudy,
  { batch: `all ${test0.length} test tumours, one at a time`, "train-fitted scaler": accuracyScore(testY0, keepTrainScaler(test0)), "scaler refitted on the batch": accuracyScore(testY0, oneAtATime) },
], { caption: "Accuracy of the same trained model under two ways of scaling prediction batches (split 0)" });
batchStudy.forEach((row) => {
  check(`${row.batch}: train-fitted scaler ≥ 0.9, refitted scaler ≤ 0.6`, row["train-fitted scaler"] >= 0.9 && row["scaler refitted on the batch"] <= 0.6, { kept: row["train-fitted scaler"], refitted: row["scaler refitted on the batch"] });
});
check("refitting on single examples maps every input to the zero vector: one prediction for all", new Set(oneAtATime).size === 1);

// %% [markdown]
// The 0.9 / 0.6 bounds: over the same five splits, the train-fitted scaler scored 0.925–1.00 on one-class
// batches, and the refitted one 0.43–0.57.
//
// ## 7. More than two classes: one-vs-rest and one-vs-one
//
// **Interviewer: "An SVM separates two classes. How do you get ten?"** Reduce to binary problems. *One-vs-rest*
// (OvR) trains k machines, "class c against all others", and predicts the class whose machine gives the largest
// decision value. *One-vs-one* (OvO) trains k(k − 1)/2 machines, one per pair of classes on those two classes'
// rows only, and predicts by majority vote. scikit-learn's `SVC` (libsvm) is OvO inside; its
// `decision_function_shape="ovr"` (the default) only reshapes the pair results into one column per class.
// `LinearSVC` (liblinear) is OvR.
//
// Why both exist: OvO trains more machines, but each on about 2n/k rows. A kernel SVM costs at least the n²
// kernel entries, so OvO's total ≈ k(k − 1)/2 · (2n/k)² = 2(k − 1)n²/k stays below OvR's k · n² for every
// k ≥ 2. OvR's subproblems are imbalanced (one class against k − 1), and its k decision values come from
// separately trained machines whose scales need not be comparable. For a *linear* model the cost is O(n·d)
// per machine either way, so the k machines of OvR are the cheaper choice.
//
// `lib/ml/svm.ts` implements both reductions. Below: iris (3 species, 4 features), test = every third row, a
// scaler fitted on the training rows. Fixture `data/sklearn/11-svm-multiclass.json` holds scikit-learn's
// answers on exactly these rows.

// %%
const skMulti = loadSvmMulticlassFixture(); // data/sklearn/11-svm-multiclass.py says what each field is
const iris = loadIris();
const irisIsTest = (i: number) => i % 3 === 0;
const irisScaler = new StandardScaler().fit(iris.data.filter((_, i) => !irisIsTest(i)));
const irisTrainX = irisScaler.transform(iris.data.filter((_, i) => !irisIsTest(i)));
const irisTestX = irisScaler.transform(iris.data.filter((_, i) => irisIsTest(i)));
const irisTrainY = iris.target.filter((_, i) => !irisIsTest(i));
const irisTestY = iris.target.filter((_, i) => irisIsTest(i));
const largestGap = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));

const multiclassRows = (["rbf", "linear"] as const).map((kernel) => {
  const reference = skMulti.iris.kernels[kernel];
  const ovo = new SVC({ kernel: kernel, C: 1, tol: 1e-8, decisionFunctionShape: "ovo" }).fit(irisTrainX, irisTrainY);
  const ovrShaped = new SVC({ kernel: kernel, C: 1, tol: 1e-8, decisionFunctionShape: "ovr" }).fit(irisTrainX, irisTrainY);
  return {
    model: `SVC (${kernel}), one-vs-one`, machines: ovo.estimators_!.length,
    "training rows per machine": ovo.estimators_!.map((m) => m.rows.length).join(", "),
    "test accuracy": ovo.score(irisTestX, irisTestY),
    "support vectors per class": ovo.nSupport_!.join(", "),
    "max |f − f_sklearn| (ovo, ovr shape)": Math.max(largestGap(ovo.multiclassDecisionFunction(irisTestX), reference.ovoDecision), largestGap(ovrShaped.multiclassDecisionFunction(irisTestX), reference.ovrShapeDecision)),
    "same predictions as scikit-learn": ovo.predict(irisTestX).every((p, i) => p === reference.predict[i]),
    reference: reference, ovo: ovo,
  };
});
const irisOvr = new LinearSVC({ C: 1, maxIter: 200, seed: 0 }).fit(irisTrainX, irisTrainY);
const ovrReference = skMulti.iris.kernels.linear;
const ovrGap = largestGap(irisOvr.multiclassDecisionFunction(irisTestX), ovrReference.oneVsRestDecision);
showTable([
  ...multiclassRows.map(({ reference: _r, ovo: _o, ...row }) => row),
  {
    model: "LinearSVC (Pegasos), one-vs-rest", machines: irisOvr.estimators_!.length, "training rows per machine": irisOvr.estimators_!.map((m) => m.rows.length).join(", "),
    "test accuracy": irisOvr.score(irisTestX, irisTestY), "support vectors per class": "",
    "max |f − f_sklearn| (ovo, ovr shape)": ovrGap, "same predictions as scikit-learn": irisOvr.predict(irisTestX).every((p, i) => p === ovrReference.oneVsRestPredict[i]),
  },
], { caption: `Iris, 50 test flowers; scikit-learn ${skMulti.sklearn}: SVC and OneVsRestClassifier(SVC(kernel="linear"))` });

multiclassRows.forEach((row) => {
  check(`${row.model}: every pair machine's decision value and the ovr-shaped scores = scikit-learn's within 1e-5`, row["max |f − f_sklearn| (ovo, ovr shape)"] < 1e-5, { maxGap: row["max |f − f_sklearn| (ovo, ovr shape)"] });
  check(`${row.model}: the votes give scikit-learn's 50 predictions, and the same support vectors per class`, row["same predictions as scikit-learn"] && row.ovo.nSupport_!.join() === row.reference.nSupport.join());
});
check("LinearSVC one-vs-rest: the same 50 predictions as scikit-learn's one-vs-rest linear SVMs (exact optimum)", irisOvr.predict(irisTestX).every((p, i) => p === ovrReference.oneVsRestPredict[i]));
check("…and decision values within 0.15 of that optimum (Pegasos stops short of it)", ovrGap < 0.15, { maxGap: ovrGap });

// %% [markdown]
// The 0.15 bound: Pegasos after 200 epochs was 0.09 from the exact optimum (libsvm, tol 1e-8) on these rows.
//
// ## 8. Probabilities: Platt scaling
//
// **Interviewer: "Can an SVM output a probability?"** Not by itself: f(x) is a scaled distance to the boundary,
// and the hinge loss is flat beyond the margin, so nothing ties f to a frequency. *Platt scaling* fits
// $P(y = 1 \mid f) = 1/(1 + e^{Af + B})$ by maximum likelihood on decision values the machine did **not**
// train on. On its own training points the support vectors sit exactly at |f| = 1, which distorts the fit.
// Platt's targets are also smoothed to $(N_+ + 1)/(N_+ + 2)$ and $1/(N_- + 2)$, so that separable data still
// give a finite A. scikit-learn's `SVC(probability=True)` does this with an **internal 5-fold
// cross-validation** whose folds depend on `random_state`. Its probabilities therefore differ from a sigmoid fitted
// any other way, cost five extra fits, and `predict_proba`'s argmax can disagree with `predict`.
//
// Below: versicolor (1) against virginica (2), the overlapping pair, on §7's scaled rows. `fitPlattSigmoid` in
// `lib/ml/svm.ts` is Newton's method on the two parameters. The check: no point of a 161 × 161 grid around the
// answer has a lower log-loss.

// %%
const pairTrain = irisTrainY.flatMap((label, i) => (label > 0 ? [i] : []));
const pairTest = irisTestY.flatMap((label, i) => (label > 0 ? [i] : []));
const [pairTrainX, pairTestX] = [take(irisTrainX, pairTrain), take(irisTestX, pairTest)];
const [pairTrainY, pairTestY] = [take(irisTrainY, pairTrain), take(irisTestY, pairTest)];
const pairSvm = new SVC({ kernel: "rbf", C: 1, tol: 1e-8 }).fit(pairTrainX, pairTrainY);

// Out-of-fold decision values: each training row scored by a machine fitted on the other four folds.
const plattByFolds = [0, 1, 2, 3, 4].map((seed) => {
  const outOfFold = new Array<number>(pairTrainX.length).fill(0);
  for (const fold of kFold(pairTrainX.length, { k: 5, shuffle: true, seed: seed, stratify: pairTrainY })) {
    const machine = new SVC({ kernel: "rbf", C: 1, tol: 1e-8 }).fit(take(pairTrainX, fold.train), take(pairTrainY, fold.train));
    machine.decisionFunction(take(pairTrainX, fold.test)).forEach((f, j) => (outOfFold[fold.test[j]!] = f));
  }
  return { seed: seed, outOfFold: outOfFold, sigmoid: fitPlattSigmoid(outOfFold, pairTrainY.map((label) => label === 2)) };
});
const inSample = fitPlattSigmoid(pairSvm.decisionFunction(pairTrainX), pairTrainY.map((label) => label === 2));
const pairTestDecision = pairSvm.decisionFunction(pairTestX);
showTable([
  // libsvm fits its sigmoid to −f (positive = the first class), so its (probA, probB) is (A, −B) here.
  { "sigmoid fitted on": "scikit-learn: its own 5 folds (probability=True)", A: skMulti.platt.probA, B: -skMulti.platt.probB },
  ...plattByFolds.map(({ seed, sigmoid }) => ({ "sigmoid fitted on": `out-of-fold values, folds seed ${seed}`, A: sigmoid.A, B: sigmoid.B })),
  { "sigmoid fitted on": "the training points' own values", A: inSample.A, B: inSample.B },
], { caption: "Platt's A and B for the same machine depend on which decision values they are fitted to" });

/** Platt's objective: the log-loss of smoothed targets under P = 1 / (1 + exp(A f + B)). */
function plattLogLoss(A: number, B: number, decision: number[], positive: boolean[]): number {
  const nPositive = positive.filter(Boolean).length;
  const [high, low] = [(nPositive + 1) / (nPositive + 2), 1 / (positive.length - nPositive + 2)];
  return decision.reduce((s, f, i) => {
    const p = 1 / (1 + Math.exp(A * f + B));
    const t = positive[i] ? high : low;
    return s - t * Math.log(p) - (1 - t) * Math.log(1 - p);
  }, 0);
}
const platt0 = plattByFolds[0]!;
const positive0 = pairTrainY.map((label) => label === 2);
const atOptimum = plattLogLoss(platt0.sigmoid.A, platt0.sigmoid.B, platt0.outOfFold, positive0);
let gridBest = Infinity;
for (let a = -80; a <= 80; a++) for (let b = -80; b <= 80; b++) gridBest = Math.min(gridBest, plattLogLoss(platt0.sigmoid.A + a / 40, platt0.sigmoid.B + b / 40, platt0.outOfFold, positive0));
check("Platt's (A, B) minimise the log-loss: no point of a 161 × 161 grid (±2, step 0.025) is lower", gridBest >= atOptimum - 1e-12, { atOptimum: atOptimum, gridBest: gridBest });
checkAllClose("this machine's test decision values = scikit-learn's", pairTestDecision, skMulti.platt.testDecision, { abs: 1e-5 });
// scikit-learn's libsvm passes even two classes through its iterative pairwise-coupling step (tolerance 0.005/k).
checkAllClose("scikit-learn's predict_proba is its sigmoid of these values, up to libsvm's coupling tolerance 0.005", pairTestDecision.map((f) => 1 / (1 + Math.exp(skMulti.platt.probA * f - skMulti.platt.probB))), skMulti.platt.testProba, { abs: 0.005 });

// %% [markdown]
// The five fold seeds give five different sigmoids for one and the same machine, and scikit-learn's is a sixth.
// That spread is the price of estimating two parameters from 67 points. Compare calibrated probabilities across
// libraries only after fixing the decision values they are fitted on.
//
// ## 9. SVM or logistic regression?
//
// **Interviewer: "When would you use an SVM rather than logistic regression?"** Both are linear classifiers
// with an L2 penalty. They differ in the loss on the margin $m = y f(x)$: the hinge $\max(0, 1 - m)$ against
// the logistic $\log(1 + e^{-m})$.
//
// * The hinge is exactly 0 for m ≥ 1, so only the support vectors shape the SVM. The logistic loss is never
//   0, so every point pulls on the logistic model, most of all those near the boundary.
// * So logistic regression gives probabilities (it is a maximum-likelihood model of P(y | x)); the SVM needs
//   Platt scaling (§8).
// * The SVM's sparse dual makes kernels cheap to evaluate (only the support vectors). Kernel logistic
//   regression has a dense dual: every training point stays in the model.
// * In practice, for linear models on many rows, the two reach similar accuracy. Choose logistic regression
//   when you need probabilities or coefficients to read, a kernel SVM for a non-linear boundary on up to tens
//   of thousands of rows (§10), and a linear SVM or logistic regression for millions of rows.
//
// The sparsity claim, tested. On breast-cancer split 0 (§6, standardised), delete 30 training points that are
// *not* support vectors and refit both models. The SVM must not move at all, and logistic regression must.

// %%
{
  const m = Array.from({ length: 61 }, (_, i) => -3 + i / 10);
  await showFigure(lineFigure(
    [
      { name: "hinge max(0, 1 − m) (SVM)", x: m, y: m.map((v) => Math.max(0, 1 - v)) },
      { name: "logistic log₂(1 + exp(−m)) (logistic regression)", x: m, y: m.map((v) => Math.log2(1 + Math.exp(-v))) },
      { name: "0–1 loss", x: m, y: m.map((v) => (v <= 0 ? 1 : 0)) },
    ],
    { title: "Losses as a function of the margin m = y·f(x)", xTitle: "m = y·f(x)", yTitle: "loss" },
  ));
}

// %%
const run0 = scalingRuns[0]!;
const cancerTrainY0 = take(cancer.target, run0.split.train);
const scaledTrain0 = run0.scaler.transform(run0.trainX);
const scaledTest0 = run0.scaler.transform(run0.testX);
const fullSvm = new SVC({ kernel: "linear", C: 1, tol: 1e-8 }).fit(scaledTrain0, cancerTrainY0);
const fullLogistic = new LogisticRegression({ C: 1, tol: 1e-10, maxIter: 1000 }).fit(scaledTrain0, cancerTrainY0);
const nonSupport = scaledTrain0.map((_, i) => i).filter((i) => !fullSvm.support_!.includes(i));
const dropped = new Set(new Random(11).shuffle([...nonSupport]).slice(0, 30));
const kept = scaledTrain0.map((_, i) => i).filter((i) => !dropped.has(i));
const reducedSvm = new SVC({ kernel: "linear", C: 1, tol: 1e-8 }).fit(take(scaledTrain0, kept), take(cancerTrainY0, kept));
const reducedLogistic = new LogisticRegression({ C: 1, tol: 1e-10, maxIter: 1000 }).fit(take(scaledTrain0, kept), take(cancerTrainY0, kept));
const coefShift = (a: number[], b: number[]) => Math.max(...a.map((v, k) => Math.abs(v - b[k]!)));
const svmShift = coefShift(fullSvm.coef_!, reducedSvm.coef_!);
const logisticShift = coefShift(fullLogistic.coef_![0]!, reducedLogistic.coef_![0]!);
showTable([
  { model: "linear SVM (C = 1)", "training points that shape the model": fullSvm.support_!.length, "test accuracy": fullSvm.score(scaledTest0, run0.testY), "max |Δ coefficient| after dropping 30 non-support points": svmShift },
  { model: "logistic regression (C = 1)", "training points that shape the model": scaledTrain0.length, "test accuracy": fullLogistic.score(scaledTest0, run0.testY), "max |Δ coefficient| after dropping 30 non-support points": logisticShift },
], { caption: `Breast cancer, split 0: ${scaledTrain0.length} training tumours, ${nonSupport.length} of them not support vectors` });
check("the SVM is unchanged by deleting 30 points beyond its margin (coefficients within 1e-6)", svmShift < 1e-6, { shift: svmShift });
check("logistic regression moves (some coefficient by > 1e-3): every point enters its loss", logisticShift > 1e-3, { shift: logisticShift });

// %% [markdown]
// ## 10. What a kernel SVM costs as n grows
//
// **Interviewer: "Would you train an RBF SVM on ten million rows?"** No. The dual works with the n × n kernel
// matrix: n² entries (8n² bytes as doubles, 800 GB at n = 10⁷), and SMO's training time lies between about n²
// and n³ depending on the number of support vectors and on C. libsvm caches kernel rows instead of storing the
// matrix (bounded memory, more time). The usual ways out are a linear model (Pegasos, liblinear: O(n·d) per
// epoch), a kernel approximation (Nyström, random Fourier features) followed by a linear model, or a subsample.
//
// `SVC` here stores the whole kernel matrix. The fits below use noisy moons of growing size. The exponent is the
// slope of log(time) against log(n) between the smallest and the largest n, each time the fastest of two fits,
// after a warm-up fit.

// %% tags=["volatile-output"]
const costSizes = [400, 800, 1600];
const warmUp = makeMoons({ nSamples: 200, noise: 0.3, seed: 0 });
new SVC({ C: 1, gamma: 1 }).fit(warmUp.X, warmUp.y); // compile the hot loops before timing
const costRows = costSizes.map((n) => {
  const data = makeMoons({ nSamples: n, noise: 0.3, seed: 0 });
  let best = Infinity;
  let model: SVC | undefined;
  for (let repeat = 0; repeat < 2; repeat++) {
    const start = performance.now();
    model = new SVC({ C: 1, gamma: 1 }).fit(data.X, data.y);
    best = Math.min(best, performance.now() - start);
  }
  return { n: n, "kernel matrix (MB)": (8 * n * n) / 1e6, "SMO steps": model!.nIter_!, "support vectors": model!.support_!.length, "fit time (ms)": best };
});
const timeExponent = Math.log(costRows.at(-1)!["fit time (ms)"] / costRows[0]!["fit time (ms)"]) / Math.log(costSizes.at(-1)! / costSizes[0]!);
showTable(costRows, { caption: `RBF SVC (C = 1, γ = 1) on noisy moons: measured growth exponent of the fit time ${timeExponent.toFixed(2)}` });
check("fit time grows faster than linearly in n (exponent > 1.3)", timeExponent > 1.3, { exponent: timeExponent });

// %% [markdown]
// What the measurement supports: growth clearly faster than linear. Building the matrix is n² kernel
// evaluations, and SMO's step count grew about linearly in n here, each step an O(n) pass, so SMO adds another
// ≈ n². The measured exponent is often above 2: once the matrix outgrows the CPU caches (5 MB, then 20 MB), each
// entry costs more to reach. In runs while writing this notebook it ranged from 1.8 to 3.4, hence the loose
// bound 1.3. With more overlap or a larger C, more points become support vectors and SMO's share grows
// towards n³.
//
// ## Recap
//
// * The SVM maximises the margin 2/‖w‖: minimise ½‖w‖² subject to $y_i f(x_i) \ge 1$. The soft margin
//   adds $C\sum$ hinge. On the six-point example, w = (1, 1), b = −3 and margin √2 were certified by the KKT
//   conditions and found by libsvm, SMO (1e-6) and Pegasos (2 %).
// * **Primal** (Pegasos): cheap stochastic sub-gradient steps on the hinge objective, slow to converge
//   exactly. **Dual** (SMO): a quadratic programme over α. Both give the same w = Σαᵢyᵢxᵢ.
// * **Support vectors** are the points with α > 0. They lie on the margin (or inside it when α = C), and
//   the others can be removed without changing the model.
// * **C** trades margin width against violations. For a linear SVM the margin provably never grows with C.
//   Small C underfits, large C overfits.
// * **Kernels** replace inner products. (x·z)² is a linear SVM on quadratic features, and the RBF kernel
//   bends boundaries freely: 1.00 vs 0.55 on circles.
// * **Scale features**, fit the scaler on the training set only, and reuse that fitted scaler for every
//   prediction. A new or refitted scaler at predict time breaks the model.
// * **Multiclass**: `SVC` is one-vs-one (k(k − 1)/2 pair machines, votes), `LinearSVC` one-vs-rest (k machines,
//   largest score). Both matched scikit-learn on iris.
// * **Probabilities** need Platt scaling on held-out decision values. scikit-learn's `probability=True` uses
//   internal 5-fold CV, so its sigmoid differs from any other fit.
// * **SVM vs logistic regression**: hinge vs log loss. Only support vectors shape the SVM; every point shapes
//   logistic regression, which gives probabilities.
// * **Cost**: a kernel SVM needs the n × n kernel matrix and super-linear time; use linear models or kernel
//   approximations for large n.
//
// ## Exercises
//
// 1. **Units.** Multiply every coordinate of §1's six points by 3 (the same data in other units). Predict the
//    new w, b and margin before refitting, then check with `SVC`.
// 2. **Delete a support vector.** Remove (2, 2) from §1's points. Predict the new boundary, w, b and margin
//    from the geometry alone, then check by refitting.
// 3. **γ too large.** Fit the RBF SVM on §5's circles with γ = 1000. What happens to training and test
//    accuracy, and why?
// 4. **Spot the bug (S4-C3).** The seed's answer is below. §6 showed what its scaling in `predict` does; list
//    what else is wrong (the objective, the constraints, the intercept, the labels), say what `minimize` does
//    with its objective as ‖w‖ grows, then write a working version.
//
//    ```python
//    import numpy as np
//    from scipy.optimize import minimize
//    from sklearn.preprocessing import StandardScaler
//
//    def linear_kernel(x1, x2):
//        return np.dot(x1, x2)
//
//    class LinearSVC:
//        def __init__(self, C=1.0):
//            self.C = C
//
//        def fit(self, X, y):
//            scaler = StandardScaler()
//            X = scaler.fit_transform(X)
//            n_samples, n_features = X.shape
//            self.coef_ = np.zeros(n_features)
//            self.intercept_ = 0
//            for i in range(n_samples):
//                xi = X[i].reshape(1, -1)
//                yi = y[i]
//                if yi == 1:
//                    weights = np.dot(xi.T, xi) * (1 / self.C)
//                    constraints = ({'type': 'eq', 'fun': lambda w: w - 1})
//                else:
//                    weights = - np.dot(xi.T, xi) * (1 / self.C)
//                    constraints = ({'type': 'eq', 'fun': lambda w: w + 1})
//                result = minimize(
//                    fun=lambda w: weights * linear_kernel(w, xi) - w * w,
//                    x0=self.coef_,
//                    method='SLSQP',
//                    constraints=constraints)
//                self.coef_ = result.x
//                self.intercept_ = -1 / (2 * np.sum(self.coef_ ** 2))
//
//        def predict(self, X):
//            X = StandardScaler().transform(X)
//            y_pred = np.dot(X, self.coef_) + self.intercept_
//            return np.where(y_pred >= 0, 1, -1)
//    ```

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** The geometry scales with the data: the street is 3 times as wide, 3√2, and the boundary is the same
// line in the new units, x₁ + x₂ = 9. Scaled so that f = ±1 on the edges: f(x) = (x₁ + x₂ − 9)/3, so
// w = (1/3, 1/3) and b = −3. In general, scaling x by s divides w by s and keeps b, which is why the RBF kernel's
// γ and the penalty C must be re-tuned when features change units (or the features standardised, §6).

// %% tags=["solution"]
const scaledBy3 = new SVC({ kernel: "linear", C: 1e6, tol: 1e-8 }).fit(X.map((x) => x.map((v) => 3 * v)), y);

// %% tags=["exercise-check"]
// scaledBy3: the hard-margin SVC fitted on §1's points multiplied by 3.
checkAllClose("w = (1/3, 1/3)", scaledBy3.coef_!, [1 / 3, 1 / 3], { abs: 1e-6 });
checkClose("b = −3", scaledBy3.intercept_!, -3, { abs: 1e-6 });
checkClose("margin 2/‖w‖ = 3√2", 2 / Math.hypot(...scaledBy3.coef_!), 3 * Math.SQRT2, { rel: 1e-6 });

// %% [markdown] tags=["solution"]
// **2.** Without (2, 2) the positives' hull is the segment (3, 3)–(2, 4) on x₁ + x₂ = 6, and the negatives'
// closest edge is the segment (1, 1)–(0, 2) on x₁ + x₂ = 2. The two segments face each other squarely (both span
// the same range along the direction (1, −1)), so the widest street lies between those two lines: the boundary
// is x₁ + x₂ = 4, f(x) = (x₁ + x₂ − 4)/2, so w = (½, ½), b = −2, and the margin is 2/‖w‖ = 2√2, twice as wide.
// Deleting a support vector changes the model; deleting any other point does not (§9).

// %% tags=["solution"]
{
  const withoutFirst = [1, 2, 3, 4, 5];
  const refit = new SVC({ kernel: "linear", C: 1e6, tol: 1e-8 }).fit(take(X, withoutFirst), take(y, withoutFirst));
  checkAllClose("without (2, 2): w = (½, ½)", refit.coef_!, [0.5, 0.5], { abs: 1e-6 });
  checkClose("…b = −2", refit.intercept_!, -2, { abs: 1e-6 });
  checkClose("…and the margin doubles to 2√2", 2 / Math.hypot(...refit.coef_!), 2 * Math.SQRT2, { rel: 1e-6 });
}

// %% [markdown] tags=["solution"]
// **3.** With γ = 1000 each kernel bump has width $1/\sqrt{2\gamma} \approx 0.02$, much smaller than the gaps
// between training points. The model memorises: nearly every training point becomes a support vector inside its
// own bump, training accuracy is 1.0, and a test point away from every bump gets $f \approx b$, essentially a
// constant guess. The test accuracy drops even though these circles are perfectly learnable (γ = "scale" gets
// 1.00).

// %% tags=["solution"]
{
  const narrow = new SVC({ kernel: "rbf", C: 1, gamma: 1000 }).fit(circlesTrainX, circlesTrainY);
  const train = narrow.score(circlesTrainX, circlesTrainY);
  const test = narrow.score(circlesTestX, circlesTestY);
  console.log(`γ = 1000: train ${train.toFixed(3)}, test ${test.toFixed(3)}, ${narrow.support_!.length} of ${circlesTrainX.length} training points are support vectors`);
  check("γ = 1000 memorises: train accuracy 1.0, test accuracy ≤ 0.92 (γ = scale: ≥ 0.95)", train === 1 && test <= 0.92 && circleResults.rbf >= 0.95, { train: train, test: test });
}

// %% [markdown] tags=["solution"]
// The 0.92 bound: over seeds 0–9 of §5's data, γ = 1000 gave train 1.00 and test 0.81–0.88.
//
// **4.** What is wrong with the seed's S4-C3:
// 1. The objective `weights * linear_kernel(w, xi) - w * w` multiplies a d×d matrix by `dot((d,), (1, d))`.
//    That is a shape error (observed: *shapes (2,) and (1,2) not aligned*), and even with matching shapes it
//    returns an array, not the scalar `minimize` needs.
// 2. `− w·w` makes the objective **unbounded below**: minimising it *maximises* ‖w‖. The SVM minimises
//    ½‖w‖² plus the hinge penalty.
// 3. The "constraint" `w − 1 = 0` (or `w + 1 = 0`) forces every weight to ±1. The real constraints are
//    $y_i(w\cdot x_i + b) \ge 1 - \xi_i$, one per training point.
// 4. One tiny optimisation per sample, each overwriting `coef_`, replaces a single joint problem. `C`
//    scales a matrix instead of pricing the slack, and there are no slack variables at all.
// 5. `intercept_ = −1/(2‖w‖²)` has no justification. b comes from the support vectors (§3).
// 6. `predict` builds a new, unfitted scaler (observed: *NotFittedError*). The scaler fitted in `fit` must be
//    stored and reused (§6).
// 7. Labels are assumed to be ±1 without checking (0/1 labels silently break the sign logic), and
//    `linear_kernel` is defined but no kernel is ever used.
//
// The working version is a small pipeline: a scaler fitted on the training data and kept, and a real solver
// for the real objective (`LinearSVC` here; `SVC` for kernels). It takes any two labels. The checks show
// that (a) the seed's intended objective has no minimum, (b) the fixed classifier's predictions do not depend
// on how the prediction rows are batched, and (c) it is accurate on held-out tumours. (The hinge objective, by
// contrast, is a sum of non-negative terms and has a minimum.)

// %% tags=["solution"]
class ScaledLinearSVM {
  scaler_?: StandardScaler;
  svm_?: LinearSVC;
  constructor(readonly params: { C: number; maxIter: number; seed: number }) {}
  fit(rows: number[][], labels: number[]): this {
    this.scaler_ = new StandardScaler().fit(rows); // learned once, on the training rows only
    this.svm_ = new LinearSVC(this.params).fit(this.scaler_.transform(rows), labels);
    return this;
  }
  predict(rows: number[][]): number[] {
    if (!this.scaler_ || !this.svm_) throw new NotFittedError("ScaledLinearSVM");
    return this.svm_.predict(this.scaler_.transform(rows)); // the stored scaler, never a new one
  }
}
{
  // (a) The seed's intended scalar objective along w = t·(1, 1): (x·x / C)(w·x) − w·w → −∞.
  const xi = [2, 2];
  const seedObjective = (w: number[]) => (dot(xi, xi) / 1) * dot(w, xi) - dot(w, w);
  const along = [100, 1000, 10_000].map((t) => seedObjective([t, t])); // = 32t − 2t² here
  check("the seed's objective is unbounded below: it falls without limit as ‖w‖ grows", along.every((v, k) => k === 0 || v < along[k - 1]!) && along[2]! < -1e8, { values: along.join(", ") });

  // (b, c) The fixed pipeline on breast-cancer split 0.
  const trainRows = scalingRuns[0]!.trainX;
  const testRows = scalingRuns[0]!.testX;
  const testLabels = scalingRuns[0]!.testY;
  const trainLabels = take(cancer.target, sk.breastCancer.splits[0]!.train);
  const fixed = new ScaledLinearSVM({ C: 1, maxIter: 200, seed: 0 }).fit(trainRows, trainLabels);
  const batchPredictions = fixed.predict(testRows);
  const singlePredictions = testRows.map((row) => fixed.predict([row])[0]!);
  check("fixed: predicting one row at a time = predicting the whole batch", singlePredictions.every((p, i) => p === batchPredictions[i]));
  const fixedAccuracy = accuracyScore(testLabels, batchPredictions);
  const majority = Math.max(...[0, 1].map((c) => testLabels.filter((v) => v === c).length)) / testLabels.length;
  check(`fixed: test accuracy ≥ 0.93 (majority baseline ${majority.toFixed(3)})`, fixedAccuracy >= 0.93, { accuracy: fixedAccuracy });
  check("the max-margin weights on standardised data are not the ±1 the seed's constraint forces", fixed.svm_!.coef_!.some((w) => Math.abs(Math.abs(w) - 1) > 0.1));
}

// %% [markdown] tags=["solution"]
// The 0.93 bound: over the five fixture splits (C = 1, 200 epochs) the fixed model scored 0.958–0.972; always
// predicting "benign" scores 0.63.
