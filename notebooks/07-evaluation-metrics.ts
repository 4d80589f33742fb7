// %% [markdown]
// # 07 · Evaluation metrics
//
// **Questions this notebook answers**
//
// | id | question | 原题 |
// |---|---|---|
// | S0-Q20 | What is model evaluation, and which metrics exist? | 什么是模型评估（Model Evaluation）？它有哪些指标？ |
// | S1-Q6 | How do you evaluate a deep-learning model's performance? | 如何评估深度学习模型的表现？ |
// | S3-Q1 | How do you evaluate an AI model's performance? Name some common metrics. | 如何评估一个AI模型的效果？ |
// | S4-Q1 | How do you evaluate a large model's performance? | 如何评估大模型的性能？ |
// | S4-Q5 | How do you evaluate a large model on a specific task? | 如何评估大模型在特定任务中的性能？ |
//
// **The short answer an interviewer wants.** A metric must match the decision the model supports, and it is
// computed on data the model never saw. For a classifier at a fixed threshold, everything follows from the
// **confusion matrix**: accuracy = (TP + TN)/n; **precision** = TP/(TP + FP), how many flagged cases are real;
// **recall** (sensitivity, TPR) = TP/(TP + FN), how many real cases are found; **F1 = 2PR/(P + R)**, the
// harmonic mean of *precision* and recall (not of accuracy and recall); balanced accuracy and Cohen's κ correct
// for class imbalance and chance. With several classes, **macro** averaging weighs every class equally,
// **weighted** averaging by class frequency, and **micro** averaging pools the counts (it equals accuracy for
// single-label problems). Scores rather than labels are judged across all thresholds: the **ROC curve** plots
// TPR against FPR (not accuracy against error rate), and its area **AUC** is the probability that a random
// positive scores above a random negative; the **precision–recall curve** and **average precision** are more
// telling when positives are rare. Regression uses MSE/RMSE (in squared/target units), MAE, R² (1 − SS_res/SS_tot,
// negative when worse than predicting the mean) and MAPE. For generated text (LLMs), automatic metrics such as
// **exact match** and **token F1** against references are cheap and reproducible but miss paraphrases, so they
// are complemented by human (or model-as-judge) evaluation whose reliability is measured by inter-rater
// agreement, on held-out items that cannot have leaked into training.
//
// Below, every metric is computed three ways where it matters — by hand from its formula, by
// `lib/ml/metrics.ts`, and by scikit-learn (a committed fixture made from real models' scores) — and each
// structural claim (AUC = pair counting, F1 ignores true negatives, micro = accuracy, …) is a check that
// would fail if it were false.
//
// **What the seed answers get wrong.** S1-Q6 and S4-Q1 call F1 "the metric combining accuracy and recall"; it
// combines precision and recall (section 3). S3-Q1 says the ROC curve "shows accuracy and error rate at
// different thresholds"; it plots TPR against FPR (section 5, exercise 4), and it lists precision twice
// (精确率 and 精度 are the same metric). S4-Q1 defines recall as "the proportion of samples the model identifies
// correctly", which is accuracy; recall is measured among the actual positives only. S0-Q20 lists only
// accuracy, precision, recall and F1: no threshold, no ROC/AUC, nothing for regression (sections 5–8). S4-Q5
// says nothing about held-out, uncontaminated test data or about how reliable human judgements are (section 9).

// %%
import pl from "nodejs-polars";
import { check, checkAllClose, checkClose } from "./lib/check";
import { Random } from "./lib/random";
import { loadBreastCancer, loadDiabetes } from "./lib/data";
import { loadEvaluationMetricsFixture } from "./lib/fixtures/evaluation-metrics";
import type { AveragedScores, BinaryFixture } from "./lib/fixtures/evaluation-metrics";
import { take } from "./lib/split";
import { StandardScaler } from "./lib/ml/preprocessing";
import { LogisticRegression } from "./lib/ml/linear";
import {
  accuracyScore, auc, averagePrecisionScore, balancedAccuracyScore, cohenKappaScore, confusionMatrix,
  exactMatchScore, f1Score, fbetaScore, logLoss, meanAbsoluteError, meanAbsolutePercentageError,
  meanSquaredError, normalizeAnswer, precisionRecallCurve, precisionScore, r2Score, recallScore, rocAucScore,
  rocCurve, rootMeanSquaredError, tokenF1Score,
} from "./lib/ml/metrics";
import { brierDecomposition, brierScoreLoss, calibrationCurve, expectedCalibrationError } from "./lib/ml/calibration";
import { showTable } from "./lib/display/display";
import { showFigure } from "./lib/display/plot";
import { heatmapFigure, lineFigure, reliabilityFigure } from "./lib/display/figures";

// %% [markdown]
// ## 1. A real model, its scores, and the scikit-learn fixture
//
// The running example is the Wisconsin breast-cancer data (569 tumours, 30 measurements each), with
// **malignant as the positive class** (212 of 569). Rows whose index is a multiple of 3 form the test set
// (190 rows, 76 malignant); the rest train the model. The split is by row index so that Python and TypeScript
// see the same rows without sharing a random generator.
//
// Two logistic regressions (standardised features, L2 penalty C = 1): a deliberately **weak** one on two
// features (mean texture and mean smoothness), so that thresholds and curves have room to show trade-offs,
// and a **strong** one on all 30 features. Our `LogisticRegression` (`lib/ml/linear.ts`) is trained here; the
// same models fitted by scikit-learn 1.2.1 are in `data/sklearn/07-evaluation-metrics-scores.json`, written
// by the script beside it, together with scikit-learn's value of every metric below (read, with its types, by
// `lib/fixtures/evaluation-metrics.ts`).

// %%
const fixture = loadEvaluationMetricsFixture();

const cancer = loadBreastCancer();
const isMalignant = cancer.target.map((t) => (t === 0 ? 1 : 0)); // the file's class 0 is "malignant"
const allRows = cancer.target.map((_, i) => i);
const testRows = allRows.filter((i) => i % 3 === 0);
const trainRows = allRows.filter((i) => i % 3 !== 0);
const yTest = take(isMalignant, testRows);

/** Standardise on the training rows, fit an L2 logistic regression (C = 1), return P(malignant) for the test rows. */
function malignancyScores(columns: number[]): number[] {
  const X = cancer.data.map((row) => columns.map((j) => row[j]!));
  const scaler = new StandardScaler().fit(take(X, trainRows));
  const model = new LogisticRegression({ C: 1, tol: 1e-10, maxIter: 1000 })
    .fit(scaler.transform(take(X, trainRows)), take(isMalignant, trainRows));
  return model.predictProba(scaler.transform(take(X, testRows))).map((p) => p[1]!);
}
const ourWeakScores = malignancyScores([1, 4]);
const ourStrongScores = malignancyScores(cancer.featureNames.map((_, j) => j));
const weak = fixture.breastCancer.twoFeatures;
const strong = fixture.breastCancer.allFeatures;
const maxAbsDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));

console.log(`scikit-learn ${fixture.sklearn}; test rows ${yTest.length}, malignant ${yTest.filter((t) => t === 1).length}`);
check("same test rows and labels as the fixture",
  JSON.stringify(testRows) === JSON.stringify(fixture.breastCancer.testRows) && JSON.stringify(yTest) === JSON.stringify(fixture.breastCancer.yTest));
check("our 2-feature model's P(malignant) = scikit-learn's within 1e-5", maxAbsDiff(ourWeakScores, weak.scores) < 1e-5, { maxAbsDiff: maxAbsDiff(ourWeakScores, weak.scores) });
check("our 30-feature model's P(malignant) = scikit-learn's within 1e-4", maxAbsDiff(ourStrongScores, strong.scores) < 1e-4, { maxAbsDiff: maxAbsDiff(ourStrongScores, strong.scores) });

showTable(pl.DataFrame({
  row: testRows.slice(0, 6),
  malignant: yTest.slice(0, 6),
  "P weak (ours)": ourWeakScores.slice(0, 6),
  "P weak (scikit-learn)": weak.scores.slice(0, 6),
  "P strong (ours)": ourStrongScores.slice(0, 6),
  "P strong (scikit-learn)": strong.scores.slice(0, 6),
}), { caption: "First test rows: the two implementations' probabilities" });

// %% [markdown]
// The two solvers stop at slightly different points (differences of 1e-6 to 1e-5), so from here on every
// metric is computed from **scikit-learn's scores in the fixture**: then lib, hand-written formula and
// scikit-learn see identical inputs, and their results must agree to round-off (1e-12).
//
// ## 2. The confusion matrix and everything computed from it
//
// Predict "malignant" when the score is at least a threshold t (0.5 for now). Each test tumour lands in one
// of four cells:
//
// | | predicted benign | predicted malignant |
// |---|---|---|
// | **truly benign** | TN (true negative) | FP (false positive, false alarm) |
// | **truly malignant** | FN (false negative, a miss) | TP (true positive) |
//
// $$\text{accuracy} = \frac{TP + TN}{n}, \quad \text{precision} = \frac{TP}{TP + FP}, \quad
//   \text{recall} = \text{TPR} = \frac{TP}{TP + FN}, \quad \text{specificity} = \frac{TN}{TN + FP} = 1 - \text{FPR}$$
//
// $$F_1 = \frac{2PR}{P + R} = \frac{2\,TP}{2\,TP + FP + FN}, \qquad
//   F_\beta = \frac{(1 + \beta^2) P R}{\beta^2 P + R}, \qquad
//   \text{balanced accuracy} = \frac{\text{TPR} + \text{TNR}}{2}$$
//
// Cohen's κ compares the observed agreement $p_o$ (= accuracy) with the agreement $p_e$ that a classifier with
// the same number of positive predictions would reach by chance: $\kappa = (p_o - p_e)/(1 - p_e)$, with
// $p_e = \sum_k \frac{\text{true}_k}{n}\cdot\frac{\text{predicted}_k}{n}$.

// %%
interface Outcomes {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}
/** Counts the four outcomes of a binary prediction (1 = positive). */
function countOutcomes(yTrue: number[], yPred: number[]): Outcomes {
  const counts: Outcomes = { tp: 0, fp: 0, fn: 0, tn: 0 };
  yTrue.forEach((t, i) => {
    const p = yPred[i]!;
    if (t === 1 && p === 1) counts.tp++;
    else if (t === 0 && p === 1) counts.fp++;
    else if (t === 1) counts.fn++;
    else counts.tn++;
  });
  return counts;
}
const atThreshold = (scores: number[], t: number) => scores.map((s) => (s >= t ? 1 : 0));

/** Every threshold metric, written straight from its formula. */
function metricsByHand({ tp, fp, fn, tn }: Outcomes) {
  const n = tp + fp + fn + tn;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  const specificity = tn / (tn + fp);
  const accuracy = (tp + tn) / n;
  const chanceAgreement = ((tp + fn) * (tp + fp) + (tn + fp) * (tn + fn)) / (n * n);
  return {
    accuracy: accuracy,
    precision: precision,
    recall: recall,
    f1: (2 * precision * recall) / (precision + recall),
    f2: (5 * precision * recall) / (4 * precision + recall),
    balancedAccuracy: (recall + specificity) / 2,
    cohenKappa: (accuracy - chanceAgreement) / (1 - chanceAgreement),
  };
}

const weakPred = atThreshold(weak.scores, 0.5);
const weakCounts = countOutcomes(yTest, weakPred);
const byHand = metricsByHand(weakCounts);
const byLib = {
  accuracy: accuracyScore(yTest, weakPred),
  precision: precisionScore(yTest, weakPred),
  recall: recallScore(yTest, weakPred),
  f1: f1Score(yTest, weakPred),
  f2: fbetaScore(yTest, weakPred, 2),
  balancedAccuracy: balancedAccuracyScore(yTest, weakPred),
  cohenKappa: cohenKappaScore(yTest, weakPred),
};
const formulas: Record<keyof typeof byHand, string> = {
  accuracy: "(TP + TN) / n",
  precision: "TP / (TP + FP)",
  recall: "TP / (TP + FN)",
  f1: "2PR / (P + R)",
  f2: "5PR / (4P + R)",
  balancedAccuracy: "(TPR + TNR) / 2",
  cohenKappa: "(p_o − p_e) / (1 − p_e)",
};
const metricNames = Object.keys(formulas) as (keyof typeof byHand)[];
showTable(pl.DataFrame({
  metric: metricNames,
  formula: metricNames.map((m) => formulas[m]),
  "by hand": metricNames.map((m) => byHand[m]),
  "lib/ml/metrics": metricNames.map((m) => byLib[m]),
  "scikit-learn": metricNames.map((m) => weak[m]),
}), { caption: `Weak model at threshold 0.5: TP ${weakCounts.tp}, FP ${weakCounts.fp}, FN ${weakCounts.fn}, TN ${weakCounts.tn}` });

check("confusion matrix = scikit-learn's [[TN, FP], [FN, TP]]",
  JSON.stringify(confusionMatrix(yTest, weakPred)) === JSON.stringify(weak.confusionMatrix) &&
  JSON.stringify([[weakCounts.tn, weakCounts.fp], [weakCounts.fn, weakCounts.tp]]) === JSON.stringify(weak.confusionMatrix),
  { sklearn: JSON.stringify(weak.confusionMatrix) });
for (const m of metricNames) {
  const close = (a: number) => Math.abs(a - weak[m]) <= 1e-12;
  check(`${m}: by hand = lib = scikit-learn (|diff| ≤ 1e-12)`, close(byHand[m]) && close(byLib[m]), { hand: byHand[m], lib: byLib[m], sklearn: weak[m] });
}

// %% [markdown]
// F1 is a *harmonic* mean, so it is dragged towards the smaller of P and R: it always lies between min(P, R)
// and the geometric mean √(PR), which is itself below the arithmetic mean (P + R)/2. A classifier cannot buy
// a good F1 with a great precision and a poor recall.

// %%
{
  const p = byHand.precision;
  const r = byHand.recall;
  const f1 = byHand.f1;
  check("min(P, R) ≤ F1 ≤ √(PR) ≤ (P + R)/2", Math.min(p, r) <= f1 && f1 <= Math.sqrt(p * r) && Math.sqrt(p * r) <= (p + r) / 2, { precision: p, recall: r, f1: f1 });
  checkClose("F1 = 2TP / (2TP + FP + FN)", f1, (2 * weakCounts.tp) / (2 * weakCounts.tp + weakCounts.fp + weakCounts.fn), { rel: 1e-12 });
}
await showFigure(heatmapFigure(weak.confusionMatrix, {
  title: "Confusion matrix: 2-feature model, threshold 0.5 (190 test tumours)",
  xTitle: "predicted class", yTitle: "true class",
  xLabels: ["benign", "malignant"], yLabels: ["benign", "malignant"],
}), { width: 560, height: 420 });

// %% [markdown]
// ## 3. "F1 combines accuracy and recall" is wrong (S1-Q6, S4-Q1)
//
// Two seed answers define F1 as "the metric combining **accuracy** and recall" (综合准确率和召回率的指标).
// F1 combines **precision** and recall; the mix-up is easy in Chinese because 准确率 (accuracy) and 精确率
// (precision) differ by one character (S3-Q1 even lists precision twice, as 精确率 and as 精度). It is not a
// cosmetic slip: accuracy counts the **true negatives**, and F1 deliberately does not. Add 1,000 easy benign
// cases that the model rejects correctly: accuracy (and the seed's "accuracy–recall F1") rises, while the real
// precision, recall and F1 do not move at all, because none of TP, FP, FN changed. (On the original test set
// the two numbers happen to be close, 0.650 vs 0.656, only because accuracy and precision happen to be close
// there; the padded set pulls them apart.)

// %%
const harmonic = (a: number, b: number) => (2 * a * b) / (a + b);
const easyNegatives = 1000;
const yPadded = [...yTest, ...new Array<number>(easyNegatives).fill(0)];
const predPadded = [...weakPred, ...new Array<number>(easyNegatives).fill(0)];
const seedF1 = harmonic(accuracyScore(yTest, weakPred), recallScore(yTest, weakPred));
const seedF1Padded = harmonic(accuracyScore(yPadded, predPadded), recallScore(yPadded, predPadded));
showTable([
  { "test set": "190 test tumours", accuracy: accuracyScore(yTest, weakPred), precision: precisionScore(yTest, weakPred), recall: recallScore(yTest, weakPred), F1: f1Score(yTest, weakPred), "harmonic(accuracy, recall)": seedF1 },
  { "test set": `+ ${easyNegatives} easy true negatives`, accuracy: accuracyScore(yPadded, predPadded), precision: precisionScore(yPadded, predPadded), recall: recallScore(yPadded, predPadded), F1: f1Score(yPadded, predPadded), "harmonic(accuracy, recall)": seedF1Padded },
], { caption: "F1 ignores true negatives; accuracy does not" });
check("the seed's 'accuracy–recall F1' equals F1 only if accuracy = precision; here neither holds",
  weak.accuracy !== weak.precision && seedF1 !== weak.f1, { accuracy: weak.accuracy, precision: weak.precision, seedDefinition: seedF1, f1: weak.f1 });
check("adding true negatives leaves precision, recall and F1 exactly unchanged",
  f1Score(yPadded, predPadded) === f1Score(yTest, weakPred) && precisionScore(yPadded, predPadded) === precisionScore(yTest, weakPred) && recallScore(yPadded, predPadded) === recallScore(yTest, weakPred));
check("…while accuracy rises (from < 0.8 to > 0.95)", accuracyScore(yTest, weakPred) < 0.8 && accuracyScore(yPadded, predPadded) > 0.95);

// %% [markdown]
// ## 4. Several classes: macro, micro and weighted averages
//
// With K classes, precision, recall and F1 are computed **per class** (class k against the rest) and then
// averaged. The example: a multinomial logistic regression on two wine measurements (alcohol, ash), three
// cultivars, 60 test wines (every third row), from the fixture.
//
// * **macro**: the plain mean over classes. A rare class counts as much as a common one, so it exposes a
//   class the model neglects.
// * **weighted**: the mean weighted by each class's support (number of true samples). Weighted recall is
//   exactly accuracy: $\sum_k \frac{n_k}{n}\frac{TP_k}{n_k} = \frac{\sum_k TP_k}{n}$.
// * **micro**: pool TP, FP and FN over classes first, then apply the formula. In a single-label problem every
//   error is one FP (for the predicted class) and one FN (for the true class), so micro P = R = F1 = accuracy.
//
// The per-class counts are a grouped summary, so we let nodejs-polars compute them: group the (true, predicted)
// pairs by true class for TP and support, and by predicted class for the number of predictions.

// %%
const wine = fixture.wine;
const wineFrame = pl.DataFrame({ trueClass: wine.yTest, predictedClass: wine.yPred })
  .withColumns(pl.col("trueClass").eq(pl.col("predictedClass")).cast(pl.Int32).alias("correct"));
const perClass = wineFrame
  .groupBy("trueClass").agg(pl.len().alias("support"), pl.col("correct").sum().alias("tp"))
  .join(wineFrame.groupBy("predictedClass").agg(pl.len().alias("predicted")), { leftOn: "trueClass", rightOn: "predictedClass", how: "left" })
  .sort("trueClass")
  .withColumns(
    pl.col("tp").cast(pl.Float64).div(pl.col("predicted").cast(pl.Float64)).alias("precision"),
    pl.col("tp").cast(pl.Float64).div(pl.col("support").cast(pl.Float64)).alias("recall"),
  )
  .withColumns(pl.col("precision").mul(pl.col("recall")).mul(2).div(pl.col("precision").add(pl.col("recall"))).alias("f1"));
showTable(perClass, { caption: "Per-class counts and scores (nodejs-polars group-by)" });

const column = (name: string) => perClass.getColumn(name).toArray() as number[];
const [classPrecision, classRecall, classF1, support, classTp, predictedCount] = ["precision", "recall", "f1", "support", "tp", "predicted"].map(column) as [number[], number[], number[], number[], number[], number[]];
const nWine = wine.yTest.length;
const meanOf = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const supportWeighted = (v: number[]) => v.reduce((s, x, k) => s + (x * support[k]!) / nWine, 0);
const pooledTp = classTp.reduce((s, x) => s + x, 0);
const microP = pooledTp / predictedCount.reduce((s, x) => s + x, 0);
const microR = pooledTp / support.reduce((s, x) => s + x, 0);
const averagesByHand: Record<"macro" | "micro" | "weighted", AveragedScores> = {
  macro: { precision: meanOf(classPrecision), recall: meanOf(classRecall), f1: meanOf(classF1) },
  weighted: { precision: supportWeighted(classPrecision), recall: supportWeighted(classRecall), f1: supportWeighted(classF1) },
  micro: { precision: microP, recall: microR, f1: harmonic(microP, microR) },
};
const averageKinds = ["macro", "weighted", "micro"] as const;
const averagesByLib = Object.fromEntries(averageKinds.map((a) => [a, {
  precision: precisionScore(wine.yTest, wine.yPred, { average: a }),
  recall: recallScore(wine.yTest, wine.yPred, { average: a }),
  f1: f1Score(wine.yTest, wine.yPred, { average: a }),
}])) as Record<(typeof averageKinds)[number], AveragedScores>;
showTable(averageKinds.map((a) => ({
  average: a,
  precision: averagesByLib[a].precision, recall: averagesByLib[a].recall, F1: averagesByLib[a].f1,
  "scikit-learn F1": wine.averages[a].f1,
})), { caption: `Wine, 3 classes: accuracy ${accuracyScore(wine.yTest, wine.yPred).toFixed(4)}` });

checkAllClose("per-class precision, recall, F1 and support (polars group-by) = scikit-learn",
  [classPrecision, classRecall, classF1, support], [wine.perClass.precision, wine.perClass.recall, wine.perClass.fscore, wine.perClass.support], { abs: 1e-12 });
for (const a of averageKinds) {
  for (const s of ["precision", "recall", "f1"] as const) {
    const truth = wine.averages[a][s];
    check(`${a} ${s}: by hand = lib = scikit-learn (|diff| ≤ 1e-12)`,
      Math.abs(averagesByHand[a][s] - truth) <= 1e-12 && Math.abs(averagesByLib[a][s] - truth) <= 1e-12,
      { hand: averagesByHand[a][s], lib: averagesByLib[a][s], sklearn: truth });
  }
}
checkClose("micro P = micro R = micro F1 = accuracy", averagesByLib.micro.f1, wine.accuracy, { abs: 1e-15 });
checkClose("weighted recall = accuracy", averagesByLib.weighted.recall, wine.accuracy, { abs: 1e-15 });
checkClose("balanced accuracy = macro recall = scikit-learn", balancedAccuracyScore(wine.yTest, wine.yPred), wine.balancedAccuracy, { abs: 1e-12 });
checkClose("balanced accuracy = macro recall", balancedAccuracyScore(wine.yTest, wine.yPred), averagesByHand.macro.recall, { abs: 1e-15 });
checkClose("multiclass Cohen's κ = scikit-learn", cohenKappaScore(wine.yTest, wine.yPred), wine.cohenKappa, { abs: 1e-12 });
checkClose("multiclass log loss on the predicted probabilities = scikit-learn", logLoss(wine.yTest, wine.proba), wine.logLoss, { abs: 1e-12 });
check("the confusion matrix = scikit-learn's", JSON.stringify(confusionMatrix(wine.yTest, wine.yPred)) === JSON.stringify(wine.confusionMatrix));

// %% [markdown]
// Class 2 (48 of 178 wines, 16 in the test set) is mostly mistaken for class 0: its recall is 0.25. Macro F1
// (0.66) shows that; micro F1 (= accuracy, 0.73) hides it, and weighted F1 (0.70) sits in between. Which one to
// report is a decision about whether rare classes matter as much as common ones.
//
// ## 5. Ranking metrics: the ROC curve, and AUC as a probability
//
// A threshold turns scores into labels; sweeping it from +∞ down to −∞ traces the **ROC curve**: the
// true-positive rate TPR = TP/(TP + FN) against the false-positive rate FPR = FP/(FP + TN). It starts at (0, 0)
// (nothing flagged), ends at (1, 1) (everything flagged), and never goes down or left. The area under it has a
// meaning that needs no curve at all:
//
// $$\text{AUC} = P(s_+ > s_-) + \tfrac12 P(s_+ = s_-) = \frac{U}{n_+ n_-},$$
//
// the probability that a randomly drawn positive scores above a randomly drawn negative, ties counting ½. U is
// the Mann–Whitney statistic. Counting the pairs directly is the lesson (the reusable version is
// `aucMannWhitney` in `lib/ml/metrics.ts`):

// %%
/** AUC by brute force: the fraction of (positive, negative) pairs ranked correctly; a tie earns `tieCredit`. */
function pairCountingAuc(yTrue: number[], scores: number[], tieCredit = 0.5): number {
  const positives = scores.filter((_, i) => yTrue[i] === 1);
  const negatives = scores.filter((_, i) => yTrue[i] !== 1);
  let wins = 0;
  for (const p of positives) for (const q of negatives) wins += p > q ? 1 : p === q ? tieCredit : 0;
  return wins / (positives.length * negatives.length);
}
/** Number of (positive, negative) pairs with equal scores. */
function tiedPairs(yTrue: number[], scores: number[]): number {
  const negatives = scores.filter((_, i) => yTrue[i] !== 1);
  return scores.reduce((s, p, i) => s + (yTrue[i] === 1 ? negatives.filter((q) => q === p).length : 0), 0);
}

const rounded = fixture.breastCancer.rounded;
const rankingCases = [
  { model: "2 features", scores: weak.scores, sklearnAuc: weak.rocAuc },
  { model: "30 features", scores: strong.scores, sklearnAuc: strong.rocAuc },
  { model: "2 features, rounded to 0.1 (ties)", scores: rounded.scores, sklearnAuc: rounded.rocAuc },
];
const aucRows = rankingCases.map((c) => ({
  model: c.model,
  "tied pairs": tiedPairs(yTest, c.scores),
  "pairs (ties = 0)": pairCountingAuc(yTest, c.scores, 0),
  "pairs (ties = ½)": pairCountingAuc(yTest, c.scores),
  "pairs (ties = 1)": pairCountingAuc(yTest, c.scores, 1),
  "trapezoid (lib)": rocAucScore(yTest, c.scores),
  "scikit-learn": c.sklearnAuc,
}));
{
  const nPos = yTest.filter((t) => t === 1).length;
  const nNeg = yTest.length - nPos;
  showTable(pl.DataFrame(aucRows), { caption: `ROC AUC on ${nPos} × ${nNeg} = ${nPos * nNeg} positive–negative pairs` });
}
for (const r of aucRows) {
  check(`${r.model}: pair counting = trapezoid area = scikit-learn (|diff| ≤ 1e-12)`,
    Math.abs(r["pairs (ties = ½)"] - r["scikit-learn"]) <= 1e-12 && Math.abs(r["trapezoid (lib)"] - r["scikit-learn"]) <= 1e-12,
    { pairs: r["pairs (ties = ½)"], trapezoid: r["trapezoid (lib)"], sklearn: r["scikit-learn"] });
}
{
  const tied = aucRows[2]!;
  check("with ties, counting them as 0 or 1 brackets the true AUC; ½ is exactly the trapezoid's diagonal",
    tied["tied pairs"] > 0 && tied["pairs (ties = 0)"] < tied["scikit-learn"] && tied["scikit-learn"] < tied["pairs (ties = 1)"],
    { tiedPairs: tied["tied pairs"] });
}

// %% [markdown]
// The curve itself, checked point by point against scikit-learn's `roc_curve(drop_intermediate=False)`, and
// for the properties any ROC curve must have. One more identity answers the seed's S3-Q1 claim that "the ROC
// curve shows accuracy and error rate at different thresholds": it does not, but accuracy at any threshold *can*
// be read off a ROC point once the prevalence π = n₊/n is known, $\text{acc} = \pi\,\text{TPR} + (1 - \pi)(1 - \text{FPR})$.
// The curve is the same for any prevalence; accuracy is not (exercise 4).

// %%
const weakRoc = rocCurve(yTest, weak.scores, { dropIntermediate: false });
const strongRoc = rocCurve(yTest, strong.scores);
const roundedRoc = rocCurve(yTest, rounded.scores);
checkAllClose("ROC points (FPR, TPR) = scikit-learn's", [...weakRoc.fpr, ...weakRoc.tpr], [...weak.roc.fpr, ...weak.roc.tpr], { abs: 1e-12 });
checkAllClose("ROC thresholds = scikit-learn's (after the first, which is +∞ here, max + 1 in scikit-learn 1.2)", weakRoc.thresholds.slice(1), weak.roc.thresholds.slice(1), { abs: 1e-12 });
for (const [name, roc] of [["2 features", weakRoc], ["30 features", strongRoc], ["rounded", roundedRoc]] as const) {
  const monotone = roc.fpr.every((f, i) => i === 0 || (f >= roc.fpr[i - 1]! && roc.tpr[i]! >= roc.tpr[i - 1]!));
  const n = roc.fpr.length - 1;
  check(`${name}: ROC starts at (0, 0), ends at (1, 1) and never decreases`, monotone && roc.fpr[0] === 0 && roc.tpr[0] === 0 && roc.fpr[n] === 1 && roc.tpr[n] === 1);
}
checkClose("trapezoid area under the ROC points = pair-counting AUC", auc(roundedRoc.fpr, roundedRoc.tpr), pairCountingAuc(yTest, rounded.scores), { abs: 1e-12 });
{
  const prevalence = yTest.filter((t) => t === 1).length / yTest.length;
  const fromRoc = weakRoc.thresholds.slice(1).map((_, k) => prevalence * weakRoc.tpr[k + 1]! + (1 - prevalence) * (1 - weakRoc.fpr[k + 1]!));
  const direct = weakRoc.thresholds.slice(1).map((t) => accuracyScore(yTest, atThreshold(weak.scores, t)));
  checkAllClose("accuracy at every threshold = π·TPR + (1 − π)·(1 − FPR)", fromRoc, direct, { abs: 1e-12 });
}

// %% [markdown]
// Sanity anchors that any AUC implementation must pass: a perfect ranking gives 1, a reversed one 0, and
// scores that carry no information give 0.5 up to sampling noise. For n₊ ≈ n₋ ≈ 5,000 the standard deviation
// of U/(n₊n₋) under the null is $\sqrt{(n_+ + n_- + 1)/(12 n_+ n_-)} \approx 0.0058$, so [0.48, 0.52] is a
// ±3.4σ band. AUC depends only on the **order** of the scores, so any strictly increasing transform (the
// logit, for instance) leaves it exactly unchanged.

// %%
const noiseRng = new Random(0);
const noiseLabels = noiseRng.array(10_000, (r) => r.int(0, 2));
const noiseScores = noiseRng.array(10_000, (r) => r.random());
const nNoisePos = noiseLabels.filter((t) => t === 1).length;
const nNoiseNeg = noiseLabels.length - nNoisePos;
const noiseAuc = pairCountingAuc(noiseLabels, noiseScores);
const nullSigma = Math.sqrt((nNoisePos + nNoiseNeg + 1) / (12 * nNoisePos * nNoiseNeg));
console.log(`random scores: n₊ = ${nNoisePos}, n₋ = ${nNoiseNeg}, AUC = ${noiseAuc.toFixed(4)}, null σ = ${nullSigma.toFixed(4)}`);

check("perfect ranking: AUC = 1", pairCountingAuc(yTest, yTest.map((t, i) => t + i * 1e-6)) === 1 && rocAucScore(yTest, yTest.map((t, i) => t + i * 1e-6)) === 1);
check("reversed ranking: AUC = 0", pairCountingAuc(yTest, yTest.map((t, i) => -t + i * 1e-6)) === 0 && rocAucScore(yTest, yTest.map((t, i) => -t + i * 1e-6)) === 0);
check("uninformative scores (n = 10,000): AUC ∈ [0.48, 0.52]", noiseAuc >= 0.48 && noiseAuc <= 0.52, { auc: noiseAuc, nullSigma: nullSigma });
checkClose("the trapezoid agrees on the 10,000 random scores", rocAucScore(noiseLabels, noiseScores), noiseAuc, { abs: 1e-12 });
check("AUC is invariant to a strictly increasing transform: AUC(logit p) = AUC(p) exactly",
  pairCountingAuc(yTest, weak.scores.map((p) => Math.log(p / (1 - p)))) === pairCountingAuc(yTest, weak.scores));

// %%
const rocTrace = (name: string, roc: { fpr: number[]; tpr: number[] }, area: number, dash: "solid" | "dot" = "solid") => ({
  type: "scatter" as const, mode: "lines" as const, name: `${name} (AUC ${area.toFixed(3)})`,
  x: roc.fpr, y: roc.tpr, line: { dash: dash },
});
await showFigure({
  data: [
    rocTrace("30 features", strongRoc, strong.rocAuc),
    rocTrace("2 features", weakRoc, weak.rocAuc),
    rocTrace("2 features, scores rounded to 0.1", roundedRoc, rounded.rocAuc, "dot"),
    { type: "scatter", mode: "lines", name: "chance (AUC 0.5)", x: [0, 1], y: [0, 1], line: { dash: "dash", color: "#999999" } },
  ],
  layout: {
    title: { text: "ROC curves on the breast-cancer test set (positive = malignant)" },
    xaxis: { title: { text: "false-positive rate FP / (FP + TN)" }, range: [0, 1] },
    yaxis: { title: { text: "true-positive rate (recall) TP / (TP + FN)" }, range: [0, 1.02] },
    legend: { x: 0.45, y: 0.05 },
  },
}, { width: 640, height: 520 });

// %% [markdown]
// The rounded scores' curve is made of straight diagonal segments: tied samples cross the threshold together,
// so TP and FP rise at once, and the trapezoid under that diagonal gives each tied pair exactly ½.
//
// ## 6. The precision–recall curve and average precision
//
// When positives are rare, FPR stays small even for many false alarms (its denominator is the large number of
// negatives), and ROC curves look flattering. The **precision–recall curve** replaces FPR by precision, which
// false alarms hurt directly. Its summary, **average precision**, is a step-wise area:
//
// $$\text{AP} = \sum_k (R_k - R_{k-1})\,P_k,$$
//
// and for scores without ties it is simply the mean, over the positives, of the precision among the samples
// ranked at or above each positive. A random ranking gets AP ≈ the prevalence, not 0.5: that is the PR
// baseline.

// %%
/** AP for untied scores: the mean over positives of precision@(rank of that positive). */
function averagePrecisionByRank(yTrue: number[], scores: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let hits = 0;
  let sumOfPrecisions = 0;
  order.forEach((i, rank) => {
    if (yTrue[i] === 1) {
      hits++;
      sumOfPrecisions += hits / (rank + 1);
    }
  });
  return sumOfPrecisions / hits;
}

const weakPr = precisionRecallCurve(yTest, weak.scores);
const strongPr = precisionRecallCurve(yTest, strong.scores);
const prevalence = yTest.filter((t) => t === 1).length / yTest.length;
check("the 2- and 30-feature scores have no ties (so the rank formula applies)", new Set(weak.scores).size === weak.scores.length && new Set(strong.scores).size === strong.scores.length);
for (const [name, scores, truth] of [["2 features", weak.scores, weak.averagePrecision], ["30 features", strong.scores, strong.averagePrecision]] as const) {
  const byRank = averagePrecisionByRank(yTest, scores);
  const byLibAp = averagePrecisionScore(yTest, scores);
  check(`${name}: AP by rank = lib = scikit-learn (|diff| ≤ 1e-12)`, Math.abs(byRank - truth) <= 1e-12 && Math.abs(byLibAp - truth) <= 1e-12, { byRank: byRank, lib: byLibAp, sklearn: truth });
}
checkClose("with ties (rounded scores): lib AP = scikit-learn", averagePrecisionScore(yTest, rounded.scores), rounded.averagePrecision, { abs: 1e-12 });
checkAllClose("PR curve (precision, recall, thresholds) = scikit-learn's", [...weakPr.precision, ...weakPr.recall, ...weakPr.thresholds], [...weak.pr.precision, ...weak.pr.recall, ...weak.pr.thresholds], { abs: 1e-12 });
{
  const noisePrevalence = nNoisePos / noiseLabels.length;
  const noiseAp = averagePrecisionScore(noiseLabels, noiseScores);
  check("uninformative scores: AP ≈ prevalence (|AP − π| < 0.02), not 0.5", Math.abs(noiseAp - noisePrevalence) < 0.02, { ap: noiseAp, prevalence: noisePrevalence });
}
checkClose("log loss of the 2-feature probabilities = scikit-learn", logLoss(yTest, weak.scores), weak.logLoss, { abs: 1e-12 });

await showFigure({
  data: [
    { type: "scatter", mode: "lines", line: { shape: "vh" }, name: `30 features (AP ${strong.averagePrecision.toFixed(3)})`, x: strongPr.recall, y: strongPr.precision },
    { type: "scatter", mode: "lines", line: { shape: "vh" }, name: `2 features (AP ${weak.averagePrecision.toFixed(3)})`, x: weakPr.recall, y: weakPr.precision },
    { type: "scatter", mode: "lines", name: `random ranking (prevalence ${prevalence.toFixed(2)})`, x: [0, 1], y: [prevalence, prevalence], line: { dash: "dash", color: "#999999" } },
  ],
  layout: {
    title: { text: "Precision–recall curves (positive = malignant)" },
    xaxis: { title: { text: "recall TP / (TP + FN)" }, range: [0, 1.02] },
    yaxis: { title: { text: "precision TP / (TP + FP)" }, range: [0, 1.05] },
    legend: { x: 0.02, y: 0.05 },
  },
}, { width: 640, height: 480 });

// %% [markdown]
// The two noise bounds were calibrated over seeds 0–9 of the uninformative data: AUC 0.488–0.507 and AP − π
// −0.005…+0.009, inside [0.48, 0.52] and ±0.02 with margin, and far from any informative model (AUC 0.84 here).
//
// ## 7. Threshold dependence
//
// Accuracy, precision, recall and F1 describe one threshold; the seed answers never say which. Lowering the
// threshold flags more tumours: recall can only go up (the flagged set only grows), precision usually goes down.
// For cancer screening a miss (FN) costs far more than a false alarm, so one would accept a lower precision for
// a higher recall. The threshold is a decision, chosen on **validation** data from the costs of the two errors
// (notebook 08 does it) — never tuned on the test set. AUC and AP summarise all thresholds at once.

// %%
const thresholdGrid = Array.from({ length: 97 }, (_, k) => 0.02 + k * 0.01);
const sweep = thresholdGrid.map((t) => {
  const c = countOutcomes(yTest, atThreshold(weak.scores, t));
  const precision = c.tp + c.fp === 0 ? NaN : c.tp / (c.tp + c.fp);
  const recall = c.tp / (c.tp + c.fn);
  return { threshold: t, precision: precision, recall: recall, f1: (2 * c.tp) / (2 * c.tp + c.fp + c.fn), accuracy: (c.tp + c.tn) / yTest.length, flagged: c.tp + c.fp };
});
check("recall and the number flagged never increase as the threshold rises",
  sweep.every((s, k) => k === 0 || (s.recall <= sweep[k - 1]!.recall && s.flagged <= sweep[k - 1]!.flagged)));

const low = fixture.breastCancer.twoFeatures.threshold03;
const lowPred = atThreshold(weak.scores, 0.3);
const thresholdRows = [
  { threshold: 0.5, pred: weakPred, truth: weak as BinaryFixture },
  { threshold: 0.3, pred: lowPred, truth: low },
].map(({ threshold, pred, truth }) => ({
  threshold: threshold,
  flagged: pred.filter((p) => p === 1).length,
  precision: precisionScore(yTest, pred), recall: recallScore(yTest, pred), F1: f1Score(yTest, pred), accuracy: accuracyScore(yTest, pred),
  "scikit-learn P / R / F1": `${truth.precision.toFixed(4)} / ${truth.recall.toFixed(4)} / ${truth.f1.toFixed(4)}`,
  "AUC (any threshold)": rocAucScore(yTest, weak.scores),
}));
showTable(pl.DataFrame(thresholdRows), { caption: "The same scores at two thresholds" });
for (const m of metricNames) checkClose(`threshold 0.3: ${m} by hand = scikit-learn`, metricsByHand(countOutcomes(yTest, lowPred))[m], low[m], { abs: 1e-12 });
check("threshold 0.3 vs 0.5: higher recall, lower precision", low.recall > weak.recall && low.precision < weak.precision, { recall: `${weak.recall.toFixed(3)} → ${low.recall.toFixed(3)}`, precision: `${weak.precision.toFixed(3)} → ${low.precision.toFixed(3)}` });

{
  const thresholdFigure = lineFigure([
    { name: "precision", x: thresholdGrid, y: sweep.map((s) => s.precision) },
    { name: "recall", x: thresholdGrid, y: sweep.map((s) => s.recall) },
    { name: "F1", x: thresholdGrid, y: sweep.map((s) => s.f1) },
    { name: "accuracy", x: thresholdGrid, y: sweep.map((s) => s.accuracy) },
  ], { title: "2-feature model: threshold metrics vs the decision threshold", xTitle: "threshold t (predict malignant when P(malignant) ≥ t)", yTitle: "metric value (fraction)" });
  const marker = (t: number) => ({ type: "line" as const, x0: t, x1: t, y0: 0, y1: 1, yref: "paper" as const, line: { dash: "dot" as const, color: "#777777", width: 1 } });
  const label = (t: number) => ({ x: t, y: 1.04, yref: "paper" as const, text: `t = ${t}`, showarrow: false });
  await showFigure({ ...thresholdFigure, layout: { ...thresholdFigure.layout, shapes: [marker(0.3), marker(0.5)], annotations: [label(0.3), label(0.5)] } }, { width: 700, height: 440 });
}

// %% [markdown]
// ## 8. Regression metrics
//
// For a real-valued target the residuals $r_i = \hat y_i - y_i$ carry everything:
//
// $$\text{MSE} = \frac1n\sum r_i^2, \quad \text{RMSE} = \sqrt{\text{MSE}}, \quad \text{MAE} = \frac1n\sum |r_i|, \quad
//   R^2 = 1 - \frac{\sum r_i^2}{\sum (y_i - \bar y)^2}, \quad \text{MAPE} = \frac1n \sum \frac{|r_i|}{|y_i|}.$$
//
// RMSE and MAE are in the target's units (MSE in squared units); RMSE weighs large errors more, so MAE ≤ RMSE
// always. R² compares with the constant prediction $\bar y$ of the *test* targets: exactly 0 for that constant,
// and negative for anything worse — predicting the *training* mean already is, slightly. MAPE is scale-free but
// explodes when some $y_i$ is near 0. The example: ordinary least squares on the diabetes data (10 raw
// features, target = disease progression one year later), every third patient held out, predictions from the
// fixture.

// %%
const diabetes = fixture.diabetes;
const residuals = diabetes.yPred.map((p, i) => p - diabetes.yTest[i]!);
const yBar = meanOf(diabetes.yTest);
const regressionByHand = {
  mse: meanOf(residuals.map((r) => r * r)),
  rmse: Math.sqrt(meanOf(residuals.map((r) => r * r))),
  mae: meanOf(residuals.map(Math.abs)),
  r2: 1 - residuals.reduce((s, r) => s + r * r, 0) / diabetes.yTest.reduce((s, y) => s + (y - yBar) ** 2, 0),
  mape: meanOf(residuals.map((r, i) => Math.abs(r) / Math.abs(diabetes.yTest[i]!))),
};
const regressionByLib = {
  mse: meanSquaredError(diabetes.yTest, diabetes.yPred),
  rmse: rootMeanSquaredError(diabetes.yTest, diabetes.yPred),
  mae: meanAbsoluteError(diabetes.yTest, diabetes.yPred),
  r2: r2Score(diabetes.yTest, diabetes.yPred),
  mape: meanAbsolutePercentageError(diabetes.yTest, diabetes.yPred),
};
const regressionMetrics = ["mse", "rmse", "mae", "r2", "mape"] as const;
const units = { mse: "(progression units)²", rmse: "progression units", mae: "progression units", r2: "none", mape: "fraction" };
showTable(pl.DataFrame({
  metric: [...regressionMetrics],
  units: regressionMetrics.map((m) => units[m]),
  "by hand": regressionMetrics.map((m) => regressionByHand[m]),
  "lib/ml/metrics": regressionMetrics.map((m) => regressionByLib[m]),
  "scikit-learn": regressionMetrics.map((m) => diabetes[m]),
}), { caption: `Diabetes, OLS, ${diabetes.yTest.length} held-out patients` });
for (const m of regressionMetrics) {
  const close = (a: number) => Math.abs(a - diabetes[m]) <= 1e-12 * Math.max(1, Math.abs(diabetes[m]));
  check(`${m}: by hand = lib = scikit-learn (relative diff ≤ 1e-12)`, close(regressionByHand[m]) && close(regressionByLib[m]), { hand: regressionByHand[m], lib: regressionByLib[m], sklearn: diabetes[m] });
}
check("MAE ≤ RMSE", regressionByLib.mae <= regressionByLib.rmse);
checkClose("R² of the constant prediction ȳ(test) is 0", r2Score(diabetes.yTest, diabetes.yTest.map(() => yBar)), 0, { abs: 1e-12 });
{
  const diabetesData = loadDiabetes();
  const diabetesTrain = diabetesData.target.filter((_, i) => i % 3 !== 0);
  check("the fixture's test targets are the shipped file's rows 0, 3, 6, …", JSON.stringify(diabetesData.target.filter((_, i) => i % 3 === 0)) === JSON.stringify(diabetes.yTest));
  const trainMeanR2 = r2Score(diabetes.yTest, diabetes.yTest.map(() => meanOf(diabetesTrain)));
  checkClose("R² of predicting the training mean = scikit-learn", trainMeanR2, diabetes.r2TrainMean, { abs: 1e-12 });
  check("…and it is negative: any constant other than ȳ(test) is worse than ȳ(test)", trainMeanR2 < 0, { r2: trainMeanR2 });
}

// %% [markdown]
// ## 9. Evaluating generated answers: exact match, token F1, and people (S4-Q5)
//
// For a large model answering questions, the SQuAD-style automatic metrics compare the generated answer with
// one or more reference answers after normalising both (lower case, no punctuation, no articles a/an/the,
// single spaces):
//
// * **exact match (EM)**: 1 if the normalised answer equals some normalised reference, else 0;
// * **token F1**: treat answer and reference as bags of tokens; with c shared tokens, precision = c/|answer|,
//   recall = c/|reference|, F1 their harmonic mean; the best over the references.
//
// Twelve short questions, authored for this repository, with a model's answer and the verdicts of two human
// raters (1 = correct). The "by hand" columns were worked out on paper from the definitions above (for example
// "It was completed in 1889." → 5 tokens, 1 shared with "1889": P = 1/5, R = 1, F1 = 1/3); the fixture also
// holds the values of the official SQuAD v1.1 evaluation logic in Python.

// %%
const answers = fixture.generatedAnswers.items;
/** EM and token F1 worked out on paper, in the order of the items. */
const answersByHand: [number, number][] = [
  [1, 1], // "the eiffel tower" → "eiffel tower" after dropping the article
  [0, 1 / 3], // 5 tokens, 1 shared: P 1/5, R 1
  [0, 0], // "nineteen sixtynine" shares no token with "1969": a correct answer scores 0
  [0, 0], // Sydney ≠ Canberra
  [0, 1 / 2], // "lake michigan" vs "lake superior": P = R = 1/2, a wrong answer with F1 0.5
  [1, 1], // matches the second reference "Austen"
  [0, 4 / 5], // "carbon dioxide co2" vs "carbon dioxide": P 2/3, R 1
  [0, 1 / 3], // "mars fourth planet from sun": P 1/5, R 1
  [0, 0], // Ag ≠ Au
  [0, 2 / 3], // "6 sides" vs "6": P 1/2, R 1
  [0, 0], // Michelangelo ≠ Leonardo da Vinci
  [0, 2 / 3], // "100 °c" vs "100": P 1/2, R 1 (° is not ASCII punctuation, so it stays)
];
const answerRows = answers.map((a, i) => ({
  prediction: a.prediction,
  references: a.references.join(" | "),
  normalised: normalizeAnswer(a.prediction),
  EM: exactMatchScore(a.prediction, a.references),
  "token F1": tokenF1Score(a.prediction, a.references),
  "EM, F1 by hand": `${answersByHand[i]![0]}, ${answersByHand[i]![1].toFixed(3)}`,
  "rater A": a.raterA,
  "rater B": a.raterB,
}));
const answerFrame = pl.DataFrame(answerRows);
showTable(answerFrame, { caption: "Generated answers: automatic metrics and two human raters", maxCellChars: 40 });
showTable(answerFrame.select(
  pl.col("EM").mean().alias("mean EM"),
  pl.col("token F1").mean().alias("mean token F1"),
  pl.col("rater A").mean().alias("rater A: fraction correct"),
  pl.col("rater B").mean().alias("rater B: fraction correct"),
), { caption: "Corpus-level scores" });

checkAllClose("EM and token F1 (lib) = the hand-worked values", answerRows.map((r) => [r.EM, r["token F1"]]), answersByHand, { abs: 1e-12 });
checkAllClose("EM and token F1 (lib) = the SQuAD v1.1 script's logic in Python", answerRows.map((r) => [r.EM, r["token F1"]]), answers.map((a) => [a.exactMatch, a.f1]), { abs: 1e-12 });
check("normalisation = the SQuAD script's", answers.every((a) => normalizeAnswer(a.prediction) === a.normalized));

// %% [markdown]
// The automatic metrics disagree with the people in both directions. "nineteen sixty-nine" is right and scores
// EM = F1 = 0; "Lake Michigan" is wrong and earns token F1 = 0.5 for sharing the word "lake". Mean EM says 2
// answers in 12 are right; both raters say 8. But the raters also disagree with each other, on two items (one
// strict about an answer with extra words, one simply mistaken about the Mona Lisa), and this is why human
// evaluation reports **inter-rater agreement**. Cohen's κ measures it beyond chance; here
// $p_o = 10/12$ and $p_e = (8/12)^2 + (4/12)^2 = 80/144$, so κ = 0.625. EM against rater A agrees on 6 of 12
// with $p_e = \frac{2}{12}\cdot\frac{8}{12} + \frac{10}{12}\cdot\frac{4}{12} = 56/144$: κ = 2/11 ≈ 0.18,
// barely better than chance.

// %%
{
  const raterA = answers.map((a) => a.raterA);
  const raterB = answers.map((a) => a.raterB);
  const em = answerRows.map((r) => r.EM);
  const kappaRaters = cohenKappaScore(raterA, raterB);
  const kappaEm = cohenKappaScore(raterA, em);
  checkClose("κ(rater A, rater B) = (10/12 − 80/144)/(1 − 80/144) = 0.625 (by hand)", kappaRaters, (10 / 12 - 80 / 144) / (1 - 80 / 144), { abs: 1e-12 });
  checkClose("κ(rater A, rater B) = scikit-learn", kappaRaters, fixture.generatedAnswers.raterKappa, { abs: 1e-12 });
  checkClose("κ(rater A, exact match) = 2/11 (by hand)", kappaEm, 2 / 11, { abs: 1e-12 });
}

// %% [markdown]
// **How to evaluate a large model on a task (S4-Q5), beyond the seed's list.** The seed names experimental
// comparison, cross-domain comparison, subjective (human) and automated evaluation; that is a fair list, with
// these gaps:
//
// * **Held-out and uncontaminated test data.** A benchmark whose items (or near-copies) were in the
//   pretraining or fine-tuning data measures memory, not skill. Use fresh or private test sets, check n-gram
//   overlap with the training corpus, and never select prompts or checkpoints on the test set.
// * **Automatic, reference-based metrics** (EM, token F1, BLEU/ROUGE, pass@k for code, accuracy on multiple
//   choice) are cheap and reproducible but, as above, blind to paraphrase and fooled by word overlap.
// * **Human evaluation** with a written rubric or pairwise preference (A vs B, order randomised, raters blind
//   to which model wrote what), several raters per item, and their agreement (κ) reported; low κ means the
//   rubric, not the model, needs work.
// * **Model-as-judge** (an LLM grading answers) scales human-like judgement but has position, length and
//   self-preference biases; validate it against human labels with the same agreement statistics.
// * **Uncertainty**: with 12 items one answer moves accuracy by 8 points. Report the number of items and a
//   confidence interval (or a paired test) before calling one model better.

// %% [markdown]
// ## 10. Are the probabilities right? Calibration, the reliability diagram and the Brier score
//
// **The follow-up question.** "Your model says 0.8 for this tumour. Is that an 80 % chance? How do you check,
// and which metric rewards it?" **Short answer:** the model is **calibrated** when, among the cases it gives
// about 0.8, about 80 % are positive. A **reliability diagram** bins the test predictions and plots each bin's
// observed fraction of positives against its mean predicted probability (the diagonal is perfect); the
// **expected calibration error** (ECE) is the mean gap, weighted by bin size. The **Brier score**, the mean of
// (p − y)², is a proper scoring rule that rewards calibration and discrimination together. AUC cannot see
// calibration: it uses only the order of the scores.
//
// **The long answer.** Calibration matters wherever the number itself is used: a cost-based threshold
// c_FP/(c_FP + c_FN) (notebook 08, exercise 1), expected-value decisions, averaging models, telling a patient
// "30 % risk". Murphy's decomposition splits the Brier score over the bins of the reliability diagram
// (n_b cases in bin b, mean prediction p̄_b, fraction positive ō_b, base rate ō):
//
// $$\text{BS} = \underbrace{\sum_b \tfrac{n_b}{n}(\bar p_b - \bar o_b)^2}_{\text{reliability}\ \downarrow}
//   - \underbrace{\sum_b \tfrac{n_b}{n}(\bar o_b - \bar o)^2}_{\text{resolution}\ \uparrow}
//   + \underbrace{\bar o(1 - \bar o)}_{\text{uncertainty}},$$
//
// exactly when every bin holds one forecast value (otherwise it is the Brier score of the binned forecasts).
// Reliability is the squared distance from the diagonal, resolution how far the bins' outcome rates spread
// from the base rate, and uncertainty belongs to the data, not the model. A logistic regression fitted by
// maximum likelihood is usually close to calibrated on data like its training data; boosted trees, SVM
// scores, naive Bayes and long-trained networks often are not, and class weights or resampling distort any
// model's probabilities (notebook 08 repairs them). The reusable code is `lib/ml/calibration.ts`.
//
// Even a perfectly calibrated model shows ECE > 0 on 190 cases, so "calibrated" is tested as in notebook 14:
// redraw every outcome 1,000 times as Bernoulli(its own probability), which is what perfect calibration
// means, and compare the observed ECE with the 99th percentile of the simulated ones. The test must reject an
// **overconfident** copy of the 2-feature model, its log-odds tripled: the same ranking, so the same AUC.

// %%
/** p with its log-odds multiplied by `factor` (> 1: overconfident; the order of the scores is unchanged). */
const scaleLogOdds = (p: number, factor: number) => 1 / (1 + Math.exp(-factor * Math.log(p / (1 - p))));
const calibrationRng = new Random(7);
/** 99th percentile of the 10-bin ECE of a perfectly calibrated model with these probabilities (1,000 redraws). */
const calibratedEce99 = (p: number[]) =>
  Array.from({ length: 1000 }, () => expectedCalibrationError(p.map((q) => (calibrationRng.random() < q ? 1 : 0)), p)).sort((a, b) => a - b)[989]!;
const calibrationCases = [
  { model: "2 features", scores: weak.scores },
  { model: "30 features", scores: strong.scores },
  { model: "2 features, log-odds × 3", scores: weak.scores.map((p) => scaleLogOdds(p, 3)) },
];
const calibrationRows = calibrationCases.map((c) => {
  const parts = brierDecomposition(yTest, c.scores, { nBins: 10 });
  return {
    model: c.model,
    Brier: brierScoreLoss(yTest, c.scores),
    "binned Brier": parts.binnedBrier, reliability: parts.reliability, resolution: parts.resolution, uncertainty: parts.uncertainty,
    ECE: expectedCalibrationError(yTest, c.scores, { nBins: 10 }),
    "ECE bound (99 % of calibrated)": calibratedEce99(c.scores),
    "ROC AUC": rocAucScore(yTest, c.scores),
  };
});
showTable(calibrationRows, { caption: "Calibration on the 190 test tumours (10 equal-width bins)" });

for (const [name, ours, truth] of [["2 features", weak.scores, weak], ["30 features", strong.scores, strong]] as const) {
  const curve = calibrationCurve(yTest, ours, { nBins: 10 });
  checkClose(`${name}: Brier score (lib) = scikit-learn's brier_score_loss`, brierScoreLoss(yTest, ours), truth.brier, { abs: 1e-12 });
  checkAllClose(`${name}: reliability curve (lib) = scikit-learn's calibration_curve`, [...curve.probTrue, ...curve.probPred],
    [...truth.calibrationCurve.probTrue, ...truth.calibrationCurve.probPred], { abs: 1e-12 });
}
{
  // The rounded scores take 11 values; 20 equal-width bins give each value a bin of its own.
  const parts = brierDecomposition(yTest, rounded.scores, { nBins: 20 });
  check("rounded scores: one forecast value per bin", calibrationCurve(yTest, rounded.scores, { nBins: 20 }).binCounts.length === new Set(rounded.scores).size);
  checkClose("…so reliability − resolution + uncertainty = scikit-learn's Brier score exactly", parts.reliability - parts.resolution + parts.uncertainty, rounded.brier, { abs: 1e-12 });
}
const [weakCalibration, strongCalibration, overconfident] = calibrationRows as [typeof calibrationRows[0], typeof calibrationRows[0], typeof calibrationRows[0]];
check("both logistic regressions are calibrated: ECE within the 99th percentile of a perfectly calibrated model's",
  weakCalibration.ECE <= weakCalibration["ECE bound (99 % of calibrated)"] && strongCalibration.ECE <= strongCalibration["ECE bound (99 % of calibrated)"],
  { weak: weakCalibration.ECE, strong: strongCalibration.ECE });
check("the test has power: the overconfident copy is rejected", overconfident.ECE > overconfident["ECE bound (99 % of calibrated)"], { ece: overconfident.ECE });
check("…while its AUC is the 2-feature model's exactly and its Brier score is worse",
  pairCountingAuc(yTest, weak.scores.map((p) => scaleLogOdds(p, 3))) === pairCountingAuc(yTest, weak.scores) && overconfident.Brier > weakCalibration.Brier);

await showFigure(reliabilityFigure(calibrationCases.map((c, k) => ({
  name: `${c.model} (ECE ${calibrationRows[k]!.ECE.toFixed(3)})`, ...calibrationCurve(yTest, c.scores, { nBins: 10 }),
})), {
  title: "Reliability diagram, breast-cancer test set (marker area ∝ tumours in the bin)",
  xTitle: "mean predicted P(malignant) in the bin", yTitle: "fraction malignant in the bin", unit: "tumours",
}), { width: 640, height: 520 });

// %% [markdown]
// The overconfident copy lies below the diagonal at high predicted probabilities and above it at low ones: it
// pushes every probability away from the base rate further than the outcomes justify. Its ranking, and so every ROC and PR number,
// is unchanged; only the probability scale is wrong, which is why calibration is measured apart from
// discrimination and why a model with good AUC may still need recalibration (Platt scaling or isotonic
// regression on held-out data, notebook 08). By construction a calibrated model fails the 99th-percentile test
// about 1 time in 100.
//
// ## Recap
//
// * Everything at a fixed threshold comes from the **confusion matrix**. Precision = TP/(TP + FP), recall =
//   TP/(TP + FN), **F1 = harmonic mean of precision and recall** (not of accuracy and recall, as S1-Q6 and
//   S4-Q1 say): F1 ignores true negatives, accuracy does not.
// * Multiclass: **macro** treats classes equally, **weighted** by support (weighted recall = accuracy),
//   **micro** pools counts (= accuracy for single-label problems). Say which one you report.
// * The **ROC curve** plots TPR against FPR over all thresholds (not accuracy vs error rate, as S3-Q1 says);
//   **AUC** = P(random positive outranks random negative), ties ½, = U/(n₊n₋). It is invariant to monotone
//   transforms of the scores and to class prevalence; 0.5 is chance.
// * The **PR curve** and **AP** are the better summary when positives are rare: their chance level is the
//   prevalence.
// * Threshold metrics change with the threshold; choose it on validation data from the costs of errors.
// * Regression: MSE/RMSE (units!), MAE ≤ RMSE, R² relative to predicting the mean (can be negative), MAPE
//   (undefined near y = 0). S0-Q20's answer lists only classification metrics.
// * Generated text: EM and token F1 are reproducible but miss paraphrases; use human or model judges with
//   agreement statistics, and held-out, uncontaminated test items.
// * **Calibration**: a reliability diagram (fraction positive vs mean prediction per bin), ECE, and the Brier
//   score = reliability − resolution + uncertainty. AUC is blind to it; check it against what a perfectly
//   calibrated model shows on the same number of cases.
//
// ## Exercises
//
// 1. **By hand.** A classifier's confusion matrix is TN = 50, FP = 10, FN = 5, TP = 35. Compute precision,
//    recall, F1 and Cohen's κ as fractions, then check them with `lib/ml/metrics.ts`.
// 2. **Macro F1 is not F1 of the macro averages.** On the wine predictions of section 4, compare scikit-learn's
//    macro F1 with the harmonic mean of macro precision and macro recall. Which one does scikit-learn report?
// 3. **Spot the bug, a second attempt (S1-Q6, S4-Q1).** Section 3 showed that the seeds' "F1 combines accuracy
//    and recall" is not F1. A colleague repairs it with the harmonic mean of **specificity** TN/(TN + FP) and
//    recall instead. For which confusion matrices does that equal F1? Predict, before computing, what happens
//    to each of the two when the 1,000 easy benign cases of section 3 are added, then check.
// 4. **Spot the bug, what the curve does tell you (S3-Q1).** The seed says the ROC curve shows accuracy at each
//    threshold; section 5 showed what it really plots. Use it: in a screening population where only 5 % of
//    the tumours are malignant (the test set has 40 %), which threshold of the 2-feature model maximises
//    accuracy? Predict whether it lies above or below the best threshold at 40 %, find it from the ROC points
//    and the prevalence alone, and confirm it by re-weighting the benign test cases.
// 5. **AUC with a tie, by hand.** Positives score 0.9, 0.6, 0.4; negatives score 0.6, 0.3. What is the AUC?

// %% [markdown] tags=["solution"]
// ## Solutions
//
// **1.** n = 100. Precision = 35/45 = 7/9, recall = 35/40 = 7/8, F1 = 2·35/(2·35 + 10 + 5) = 70/85 = 14/17.
// p_o = 85/100; the true split is 60 benign / 40 malignant, the predicted split 55 / 45, so
// p_e = 0.6·0.55 + 0.4·0.45 = 0.51 and κ = (0.85 − 0.51)/(1 − 0.51) = 34/49.

// %% tags=["solution"]
{
  const yTrue1 = [...new Array<number>(60).fill(0), ...new Array<number>(40).fill(1)];
  const yPred1 = [...new Array<number>(50).fill(0), ...new Array<number>(10).fill(1), ...new Array<number>(5).fill(0), ...new Array<number>(35).fill(1)];
  check("the expanded labels give TN 50, FP 10, FN 5, TP 35", JSON.stringify(confusionMatrix(yTrue1, yPred1)) === JSON.stringify([[50, 10], [5, 35]]));
  checkAllClose("precision, recall, F1, κ = 7/9, 7/8, 14/17, 34/49",
    [precisionScore(yTrue1, yPred1), recallScore(yTrue1, yPred1), f1Score(yTrue1, yPred1), cohenKappaScore(yTrue1, yPred1)],
    [7 / 9, 7 / 8, 14 / 17, 34 / 49], { abs: 1e-12 });
}

// %% [markdown] tags=["solution"]
// **2.** scikit-learn's macro F1 is the mean of the per-class F1 scores (0.664 here); the harmonic mean of macro
// precision and macro recall is a different number (0.691). Papers use both, so say which.

// %% tags=["solution"]
{
  const macro = fixture.wine.averages.macro;
  const ofAverages = harmonic(macro.precision, macro.recall);
  checkClose("scikit-learn's macro F1 = mean of the per-class F1s", macro.f1, meanOf(fixture.wine.perClass.fscore), { abs: 1e-12 });
  check("…and differs from harmonic(macro P, macro R) by more than 0.02", Math.abs(ofAverages - macro.f1) > 0.02, { macroF1: macro.f1, harmonicOfMacros: ofAverages });
}

// %% [markdown] tags=["solution"]
// **3.** harmonic(specificity, recall) = F1 = harmonic(precision, recall) exactly when specificity = precision,
// TN/(TN + FP) = TP/(TP + FP), i.e. TN·FP = TP·FP: when there are no false positives or when TN = TP. It is
// not F1 in general, and it still counts the true negatives: the 1,000 easy benign cases push specificity
// towards 1, so the colleague's score rises towards 2R/(1 + R) (its value at specificity 1), while F1 does not move.

// %% tags=["solution"]
{
  const specificity = (t: number[], p: number[]) => recallScore(t.map((v) => 1 - v), p.map((v) => 1 - v));
  const colleague = (t: number[], p: number[]) => harmonic(specificity(t, p), recallScore(t, p));
  const [before, after] = [colleague(yTest, weakPred), colleague(yPadded, predPadded)];
  console.log(`harmonic(specificity, recall): ${before.toFixed(3)} → ${after.toFixed(3)} with the easy negatives; F1 ${f1Score(yTest, weakPred).toFixed(3)} both times`);
  const r = recallScore(yTest, weakPred);
  check("the easy negatives raise the colleague's score, towards 2R/(1 + R), its value at specificity 1", after > before && after < (2 * r) / (1 + r), { before: before, after: after, limit: (2 * r) / (1 + r) });
  check("…while F1 is unchanged", f1Score(yPadded, predPadded) === f1Score(yTest, weakPred));
  // TN = TP = 30, FP = 10, FN = 20: specificity = precision = 0.75, so the two agree.
  const tEqual = [...new Array<number>(40).fill(0), ...new Array<number>(50).fill(1)];
  const pEqual = [...new Array<number>(30).fill(0), ...new Array<number>(10).fill(1), ...new Array<number>(20).fill(0), ...new Array<number>(30).fill(1)];
  checkClose("with TN = TP the colleague's score equals F1", colleague(tEqual, pEqual), f1Score(tEqual, pEqual), { abs: 1e-12 });
}

// %% [markdown] tags=["solution"]
// **4.** The ROC curve plots TPR against FPR; with prevalence π, accuracy at a ROC point is
// π·TPR + (1 − π)(1 − FPR), so the best point is where that is largest, read off the curve without any new
// predictions. With π = 0.05 a false alarm costs 19 times as much accuracy as a miss gains, so the best
// threshold moves **up**: the model should flag far fewer tumours (and the accuracy-optimal screen misses most
// malignant ones, which is why accuracy is the wrong objective for screening). Re-weighting the benign cases
// of the test set to 95 % of the weight and scoring every threshold directly gives the same answer.

// %% tags=["solution"]
{
  const nMalignant = yTest.filter((t) => t === 1).length;
  const bestFromRoc = (pi: number) => {
    const values = weakRoc.thresholds.map((_, k) => pi * weakRoc.tpr[k]! + (1 - pi) * (1 - weakRoc.fpr[k]!));
    const k = values.indexOf(Math.max(...values.slice(1)), 1);
    return { threshold: weakRoc.thresholds[k]!, accuracy: values[k]! };
  };
  const atTestPrevalence = bestFromRoc(nMalignant / yTest.length);
  const atScreening = bestFromRoc(0.05);
  // Direct: weighted accuracy with benign weight chosen so that benign cases carry 95 % of the total weight.
  const benignWeight = (0.95 / 0.05) * (nMalignant / (yTest.length - nMalignant));
  const weightedAccuracy = (t: number) => {
    const pred = atThreshold(weak.scores, t);
    const w = yTest.map((v) => (v === 1 ? 1 : benignWeight));
    return w.reduce((s, wi, i) => s + (pred[i] === yTest[i] ? wi : 0), 0) / w.reduce((a, b) => a + b, 0);
  };
  const direct = Math.max(...weakRoc.thresholds.slice(1).map(weightedAccuracy));
  console.log(`best threshold for accuracy: ${atTestPrevalence.threshold.toFixed(3)} at π = ${(nMalignant / yTest.length).toFixed(2)}, ${atScreening.threshold.toFixed(3)} at π = 0.05 (accuracy ${atScreening.accuracy.toFixed(4)})`);
  checkClose("best accuracy at π = 0.05 from the ROC points = by scoring every threshold directly", atScreening.accuracy, direct, { abs: 1e-12 });
  checkClose("…and it is reached at the ROC-chosen threshold", weightedAccuracy(atScreening.threshold), direct, { abs: 1e-12 });
  check("the screening threshold lies above the one for the test set's prevalence", atScreening.threshold > atTestPrevalence.threshold);
}

// %% [markdown] tags=["solution"]
// **5.** Six positive–negative pairs: 0.9 beats both negatives (2), 0.6 ties 0.6 (½) and beats 0.3 (1), 0.4
// loses to 0.6 and beats 0.3 (1). AUC = 4.5/6 = 0.75.

// %% tags=["solution"]
checkClose("AUC of the tiny example = 0.75 (trapezoid, lib)", rocAucScore([1, 1, 1, 0, 0], [0.9, 0.6, 0.4, 0.6, 0.3]), 0.75, { abs: 1e-15 });
