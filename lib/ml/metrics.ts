/**
 * Evaluation metrics with scikit-learn's names and conventions (`sklearn.metrics`), checked against
 * scikit-learn fixtures in test/fixtures/sklearn/metrics-*.
 *
 *   confusionMatrix([0, 1, 1], [0, 1, 0])          // [[1, 0], [1, 1]]: rows = true class, columns = predicted
 *   f1Score(yTrue, yPred, { average: "macro" })
 *   rocAucScore(yTrue, scores) === aucMannWhitney(yTrue, scores)   // up to round-off
 *
 * Labels are numbers; classification scores are "higher means more positive". Every argument is validated:
 * NaN, ±Infinity, non-numbers, empty input, mismatched lengths and probabilities outside [0, 1] are refused
 * with a message naming the function, the argument and the first bad position.
 */
import { accuracyScore, checkMatrix, checkValue, checkValuePair, checkValues, r2Score, uniqueLabels, type Labels, type Matrix } from "./base";
import * as losses from "../nn/losses";
import { mean, squaredDistance, sum } from "./stats";

export { accuracyScore, r2Score };

// ---------------------------------------------------------------------------------------------------------
// Classification from hard predictions

/** [true class][predicted class] counts, rows and columns in the order of `labels` (default: sorted union). */
export function confusionMatrix(yTrue: Labels, yPred: Labels, labels?: number[]): Matrix {
  checkPair("confusionMatrix", yTrue, yPred);
  if (labels !== undefined) {
    checkLabelOption("confusionMatrix", labels);
    // scikit-learn: "At least one label specified must be in y_true".
    if (!labels.some((label) => yTrue.includes(label))) throw new RangeError(`confusionMatrix: none of labels (${labels.join(", ")}) occurs in yTrue`);
  }
  const order = labels ?? uniqueLabels([...yTrue, ...yPred]);
  const index = new Map(order.map((label, i) => [label, i]));
  const matrix = order.map(() => new Array<number>(order.length).fill(0));
  yTrue.forEach((t, i) => {
    const row = index.get(t);
    const column = index.get(yPred[i]!);
    // Like scikit-learn, samples whose labels are not listed are left out.
    if (row !== undefined && column !== undefined) matrix[row]![column]! += 1;
  });
  return matrix;
}

/**
 * "binary": the scores of `posLabel` only. "macro": unweighted mean over classes (every class counts the
 * same). "weighted": mean weighted by support (true count). "micro": pool TP/FP/FN over classes first
 * (for single-label multiclass, micro P = R = F1 = accuracy).
 */
export type Average = "binary" | "macro" | "micro" | "weighted";

export interface AveragingOptions {
  /** Default "binary". */
  average?: Average;
  /** The positive class for average "binary"; default 1. */
  posLabel?: number;
  /** Classes to include (default: sorted union of yTrue and yPred). */
  labels?: number[];
  /**
   * Value for 0/0 (no predicted or no true samples of a class); default 0, as scikit-learn's "warn" after its
   * warning. With average "weighted" and no true sample of any requested label, precision, recall and F are
   * all this value when nothing was predicted either, else recall is (scikit-learn 1.2).
   */
  zeroDivision?: 0 | 1;
}

export interface PerClassScores {
  labels: number[];
  precision: number[];
  recall: number[];
  fscore: number[];
  /** Number of true samples of each class. */
  support: number[];
}

/** Precision, recall, F-beta and support for each class (scikit-learn's `average=None`). */
export function precisionRecallFscoreSupport(
  yTrue: Labels,
  yPred: Labels,
  options: { beta?: number; labels?: number[]; zeroDivision?: 0 | 1 } = {},
): PerClassScores {
  const { beta = 1, zeroDivision = 0 } = options;
  checkPair("precisionRecallFscoreSupport", yTrue, yPred);
  checkBeta("precisionRecallFscoreSupport", beta);
  checkZeroDivision("precisionRecallFscoreSupport", zeroDivision);
  if (options.labels !== undefined) checkLabelOption("precisionRecallFscoreSupport", options.labels);
  const labels = options.labels ?? uniqueLabels([...yTrue, ...yPred]);
  const counts = classCounts(yTrue, yPred, labels);
  const precision = counts.tp.map((tp, k) => divide(tp, counts.predicted[k]!, zeroDivision));
  const recall = counts.tp.map((tp, k) => divide(tp, counts.actual[k]!, zeroDivision));
  const fscore = precision.map((p, k) => fBeta(p, recall[k]!, beta));
  return { labels, precision, recall, fscore, support: counts.actual };
}

export function precisionScore(yTrue: Labels, yPred: Labels, options: AveragingOptions = {}): number {
  return averagedScores("precisionScore", yTrue, yPred, 1, options).precision;
}

export function recallScore(yTrue: Labels, yPred: Labels, options: AveragingOptions = {}): number {
  return averagedScores("recallScore", yTrue, yPred, 1, options).recall;
}

/** F1 = 2PR / (P + R), the harmonic mean of precision and recall (not their sum with accuracy). */
export function f1Score(yTrue: Labels, yPred: Labels, options: AveragingOptions = {}): number {
  return averagedScores("f1Score", yTrue, yPred, 1, options).fscore;
}

/** F-beta = (1 + β²)PR / (β²P + R): β > 1 weighs recall more, β < 1 precision. */
export function fbetaScore(yTrue: Labels, yPred: Labels, beta: number, options: AveragingOptions = {}): number {
  checkBeta("fbetaScore", beta);
  return averagedScores("fbetaScore", yTrue, yPred, beta, options).fscore;
}

/** Mean recall over classes: 0.5 for a majority-class baseline on two classes, whatever the imbalance. */
export function balancedAccuracyScore(yTrue: Labels, yPred: Labels): number {
  checkPair("balancedAccuracyScore", yTrue, yPred);
  const labels = uniqueLabels(yTrue);
  const { tp, actual } = classCounts(yTrue, yPred, labels);
  return mean(tp.map((t, k) => t / actual[k]!));
}

/** Cohen's κ = (p_o − p_e) / (1 − p_e): agreement beyond what two raters with these marginals reach by chance. */
export function cohenKappaScore(y1: Labels, y2: Labels): number {
  checkPair("cohenKappaScore", y1, y2, ["y1", "y2"]);
  const cm = confusionMatrix(y1, y2);
  const rowSums = cm.map((row) => sum(row));
  const columnSums = cm[0]!.map((_, j) => sum(cm.map((row) => row[j]!)));
  const n = sum(rowSums);
  // Written as 1 − observed disagreement / expected disagreement, as scikit-learn does.
  let observed = 0;
  let expected = 0;
  cm.forEach((row, i) =>
    row.forEach((count, j) => {
      if (i === j) return;
      observed += count;
      expected += (rowSums[i]! * columnSums[j]!) / n;
    }),
  );
  return 1 - observed / expected;
}

interface ClassCounts {
  tp: number[];
  predicted: number[];
  actual: number[];
}

function classCounts(yTrue: Labels, yPred: Labels, labels: number[]): ClassCounts {
  const index = new Map(labels.map((label, i) => [label, i]));
  const tp = new Array<number>(labels.length).fill(0);
  const predicted = new Array<number>(labels.length).fill(0);
  const actual = new Array<number>(labels.length).fill(0);
  yTrue.forEach((t, i) => {
    const p = yPred[i]!;
    const ti = index.get(t);
    const pi = index.get(p);
    if (ti !== undefined) actual[ti]! += 1;
    if (pi !== undefined) predicted[pi]! += 1;
    if (ti !== undefined && t === p) tp[ti]! += 1;
  });
  return { tp, predicted, actual };
}

function averagedScores(
  caller: string,
  yTrue: Labels,
  yPred: Labels,
  beta: number,
  options: AveragingOptions,
): { precision: number; recall: number; fscore: number } {
  const { average = "binary", posLabel = 1, zeroDivision = 0 } = options;
  checkPair(caller, yTrue, yPred);
  checkZeroDivision(caller, zeroDivision);
  checkValue(caller, "options.posLabel", posLabel);
  if (options.labels !== undefined) checkLabelOption(caller, options.labels);
  let labels = options.labels ?? uniqueLabels([...yTrue, ...yPred]);
  if (average === "binary") {
    // As scikit-learn: "binary" looks at the labels present in yTrue and yPred (options.labels is not used).
    const present = uniqueLabels([...yTrue, ...yPred]);
    if (present.length > 2) {
      throw new RangeError(`${caller}: average "binary" needs at most 2 classes, got ${present.length} (${present.join(", ")}); choose "macro", "micro" or "weighted"`);
    }
    if (!present.includes(posLabel) && present.length === 2) {
      throw new RangeError(`${caller}: posLabel ${posLabel} is not one of the labels ${present.join(", ")}`);
    }
    labels = [posLabel];
  } else if (!["macro", "micro", "weighted"].includes(average)) {
    throw new RangeError(`${caller}: average must be "binary", "macro", "micro" or "weighted", got ${JSON.stringify(average)}`);
  }
  let { tp, predicted, actual } = classCounts(yTrue, yPred, labels);
  if (average === "micro") [tp, predicted, actual] = [[sum(tp)], [sum(predicted)], [sum(actual)]];
  const precision = tp.map((t, k) => divide(t, predicted[k]!, zeroDivision));
  const recall = tp.map((t, k) => divide(t, actual[k]!, zeroDivision));
  const fscore = precision.map((p, k) => fBeta(p, recall[k]!, beta));
  if (average === "weighted") {
    const total = sum(actual);
    // No true sample of any requested label: the weights are all 0. scikit-learn 1.2 then returns zeroDivision
    // for all three when nothing was predicted either, else (0, zeroDivision, 0).
    if (total === 0) {
      return sum(predicted) === 0 ? { precision: zeroDivision, recall: zeroDivision, fscore: zeroDivision } : { precision: 0, recall: zeroDivision, fscore: 0 };
    }
    const weighted = (values: number[]) => values.reduce((s, v, k) => s + (v * actual[k]!) / total, 0);
    return { precision: weighted(precision), recall: weighted(recall), fscore: weighted(fscore) };
  }
  return { precision: mean(precision), recall: mean(recall), fscore: mean(fscore) };
}

function fBeta(precision: number, recall: number, beta: number): number {
  if (beta === Infinity) return recall; // the limit, as scikit-learn
  const denominator = beta * beta * precision + recall;
  return denominator === 0 ? 0 : ((1 + beta * beta) * precision * recall) / denominator;
}

function divide(numerator: number, denominator: number, zeroDivision: number): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

// ---------------------------------------------------------------------------------------------------------
// Ranking metrics from scores (binary)

export interface RocCurve {
  /** False-positive rate, non-decreasing from 0 to 1. */
  fpr: number[];
  /** True-positive rate, non-decreasing from 0 to 1. */
  tpr: number[];
  /** Decreasing; `thresholds[0]` is +Infinity (nothing predicted positive), as in scikit-learn ≥ 1.3. */
  thresholds: number[];
}

/**
 * ROC curve: one point per distinct score (predict positive when score ≥ threshold), plus (0, 0).
 * `dropIntermediate` (default true, as scikit-learn) removes points on straight segments; the area is unchanged.
 */
export function rocCurve(yTrue: Labels, scores: number[], options: { posLabel?: number; dropIntermediate?: boolean } = {}): RocCurve {
  return roc("rocCurve", yTrue, scores, options);
}

function roc(caller: string, yTrue: Labels, scores: number[], options: { posLabel?: number; dropIntermediate?: boolean }): RocCurve {
  const { posLabel = 1, dropIntermediate = true } = options;
  let { fps, tps, thresholds } = binaryClfCurve(caller, yTrue, scores, posLabel);
  if (dropIntermediate && fps.length > 2) {
    // Keep the ends and every corner: a point is dropped when both counts have zero second difference.
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0);
    const kept = (a: number[]) => a.filter((_, i) => keep[i]);
    [fps, tps, thresholds] = [kept(fps), kept(tps), kept(thresholds)];
  }
  const negatives = fps[fps.length - 1]!;
  const positives = tps[tps.length - 1]!;
  if (negatives === 0 || positives === 0) {
    throw new RangeError(`${caller}: need both classes in yTrue, got ${positives} positives (label ${posLabel}) and ${negatives} negatives`);
  }
  return {
    fpr: [0, ...fps.map((f) => f / negatives)],
    tpr: [0, ...tps.map((t) => t / positives)],
    thresholds: [Infinity, ...thresholds],
  };
}

/** Area under a curve by the trapezoid rule; x must be monotone (either direction). */
export function auc(x: number[], y: number[]): number {
  checkValuePair("auc", ["x", "y"], x, y);
  if (x.length < 2) throw new RangeError(`auc: need at least 2 points, got ${x.length}`);
  const increasing = x.every((v, i) => i === 0 || v >= x[i - 1]!);
  const decreasing = x.every((v, i) => i === 0 || v <= x[i - 1]!);
  if (!increasing && !decreasing) throw new RangeError("auc: x is neither non-decreasing nor non-increasing");
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return increasing ? area : -area;
}

/** ROC AUC as the trapezoid area under `rocCurve`. */
export function rocAucScore(yTrue: Labels, scores: number[], options: { posLabel?: number } = {}): number {
  const { fpr, tpr } = roc("rocAucScore", yTrue, scores, options);
  return auc(fpr, tpr);
}

/**
 * ROC AUC as the Mann–Whitney statistic U / (n₊ n₋), by brute-force counting over all positive–negative
 * pairs: the probability that a random positive scores higher than a random negative, ties counting ½.
 * An implementation independent of `rocCurve`; O(n₊ n₋).
 */
export function aucMannWhitney(yTrue: Labels, scores: number[], options: { posLabel?: number } = {}): number {
  const { posLabel = 1 } = options;
  checkScores("aucMannWhitney", yTrue, scores, posLabel);
  const positives = scores.filter((_, i) => yTrue[i] === posLabel);
  const negatives = scores.filter((_, i) => yTrue[i] !== posLabel);
  if (positives.length === 0 || negatives.length === 0) {
    throw new RangeError(`aucMannWhitney: need both classes, got ${positives.length} positives and ${negatives.length} negatives`);
  }
  let u = 0;
  for (const p of positives) for (const n of negatives) u += p > n ? 1 : p === n ? 0.5 : 0;
  return u / (positives.length * negatives.length);
}

export interface PrecisionRecallCurve {
  /** One entry per threshold, then a final 1 (scikit-learn's convention). */
  precision: number[];
  /** Non-increasing, ending in 0. */
  recall: number[];
  /** Increasing distinct scores. */
  thresholds: number[];
}

/** Precision and recall when predicting positive for score ≥ threshold, scikit-learn's layout and order. */
export function precisionRecallCurve(yTrue: Labels, scores: number[], options: { posLabel?: number } = {}): PrecisionRecallCurve {
  return prCurve("precisionRecallCurve", yTrue, scores, options);
}

function prCurve(caller: string, yTrue: Labels, scores: number[], options: { posLabel?: number }): PrecisionRecallCurve {
  const { posLabel = 1 } = options;
  const { fps, tps, thresholds } = binaryClfCurve(caller, yTrue, scores, posLabel);
  const positives = tps[tps.length - 1]!;
  if (positives === 0) throw new RangeError(`${caller}: yTrue has no positives (label ${posLabel})`);
  const precision = tps.map((t, i) => (t + fps[i]! === 0 ? 0 : t / (t + fps[i]!)));
  const recall = tps.map((t) => t / positives);
  return {
    precision: [...precision.reverse(), 1],
    recall: [...recall.reverse(), 0],
    thresholds: [...thresholds].reverse(),
  };
}

/** AP = Σ (R_k − R_{k−1}) P_k: the step-wise area under the PR curve (no interpolation, as scikit-learn). */
export function averagePrecisionScore(yTrue: Labels, scores: number[], options: { posLabel?: number } = {}): number {
  const { precision, recall } = prCurve("averagePrecisionScore", yTrue, scores, options);
  let ap = 0;
  for (let k = 1; k < recall.length; k++) ap -= (recall[k]! - recall[k - 1]!) * precision[k - 1]!;
  return ap;
}

/** Cumulative false and true positives at each distinct score, scanning from the highest score down. */
function binaryClfCurve(caller: string, yTrue: Labels, scores: number[], posLabel: number): { fps: number[]; tps: number[]; thresholds: number[] } {
  checkScores(caller, yTrue, scores, posLabel);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, rank) => {
    if (yTrue[i] === posLabel) tp++;
    else fp++;
    const next = order[rank + 1];
    // One point per distinct score: tied samples cross the threshold together.
    if (next === undefined || scores[next] !== scores[i]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(scores[i]!);
    }
  });
  return { fps, tps, thresholds };
}

/**
 * Cross-entropy −(1/n) Σ log p(true class). `yProba` is [samples][classes] in the order of `labels` (default:
 * sorted labels of yTrue), or for two classes a vector of P(larger label). Probabilities are clipped to
 * [ε, 1 − ε] with ε = 2⁻⁵² and rows renormalised, as scikit-learn does.
 */
export function logLoss(yTrue: Labels, yProba: number[] | Matrix, options: { labels?: number[] } = {}): number {
  checkValues("logLoss", "yTrue", yTrue);
  if (options.labels !== undefined) checkLabelOption("logLoss", options.labels);
  if (!Array.isArray(yProba)) throw new TypeError(`logLoss: yProba must be an array (one probability or one row per sample), got ${typeof yProba}`);
  if (yProba.length !== yTrue.length) throw new RangeError(`logLoss: yTrue has ${yTrue.length} entries but yProba has ${yProba.length}`);
  const labels = options.labels ?? uniqueLabels(yTrue);
  if (labels.length < 2) throw new RangeError(`logLoss: need at least 2 labels, got ${labels.join(", ")}; pass options.labels`);
  const asRows = Array.isArray(yProba[0]);
  yProba.forEach((row: number | number[], i) => {
    if (asRows !== Array.isArray(row)) throw new TypeError(`logLoss: yProba[${i}] is ${asRows ? "a number" : "an array"}, but yProba[0] is ${asRows ? "an array" : "a number"}`);
    if (Array.isArray(row)) checkValues("logLoss", `yProba[${i}]`, row, "probability");
    else checkValue("logLoss", `yProba[${i}]`, row, "probability");
  });
  const eps = Number.EPSILON;
  const clip = (p: number) => Math.min(Math.max(p, eps), 1 - eps);
  const rows: Matrix = yProba.map((row) => (Array.isArray(row) ? row.map(clip) : [1 - clip(row), clip(row)]));
  const index = new Map(labels.map((label, i) => [label, i]));
  let total = 0;
  rows.forEach((row, i) => {
    if (row.length !== labels.length) throw new RangeError(`logLoss: yProba[${i}] has ${row.length} columns for ${labels.length} labels`);
    const k = index.get(yTrue[i]!);
    if (k === undefined) throw new RangeError(`logLoss: yTrue[${i}] = ${yTrue[i]} is not one of the labels ${labels.join(", ")}`);
    total -= Math.log(row[k]! / sum(row));
  });
  return total / yTrue.length;
}

// ---------------------------------------------------------------------------------------------------------
// Regression

/** Mean of (y − ŷ)²: `lib/nn/losses.ts`'s meanSquaredError as a metric function. */
export function meanSquaredError(yTrue: number[], yPred: number[]): number {
  return losses.meanSquaredError.value(yTrue, yPred);
}

export function rootMeanSquaredError(yTrue: number[], yPred: number[]): number {
  checkValuePair("rootMeanSquaredError", ["yTrue", "yPred"], yTrue, yPred);
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Mean of |y − ŷ|: `lib/nn/losses.ts`'s meanAbsoluteError as a metric function. */
export function meanAbsoluteError(yTrue: number[], yPred: number[]): number {
  return losses.meanAbsoluteError.value(yTrue, yPred);
}

/** Mean of |y − ŷ| / |y| as a fraction (not ×100); |y| is floored at 2⁻⁵², so y = 0 gives a huge value, as scikit-learn. */
export function meanAbsolutePercentageError(yTrue: number[], yPred: number[]): number {
  checkValuePair("meanAbsolutePercentageError", ["yTrue", "yPred"], yTrue, yPred);
  return mean(yTrue.map((t, i) => Math.abs(yPred[i]! - t) / Math.max(Math.abs(t), Number.EPSILON)));
}

// ---------------------------------------------------------------------------------------------------------
// Generated answers (SQuAD v1.1 evaluation script)

/** Lower case, strip ASCII punctuation, drop the articles a / an / the, collapse whitespace. */
export function normalizeAnswer(text: string): string {
  checkText("normalizeAnswer", "text", text);
  const noPunctuation = [...text.toLowerCase()].filter((ch) => !ASCII_PUNCTUATION.has(ch)).join("");
  return noPunctuation.replace(/\b(a|an|the)\b/g, " ").split(/\s+/).filter(Boolean).join(" ");
}

const ASCII_PUNCTUATION = new Set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

/** 1 when the normalised prediction equals a normalised reference (the best over several references), else 0. */
export function exactMatchScore(prediction: string, references: string | string[]): number {
  checkText("exactMatchScore", "prediction", prediction);
  return Math.max(...asList("exactMatchScore", references).map((r) => (normalizeAnswer(prediction) === normalizeAnswer(r) ? 1 : 0)));
}

/** Token-level F1 between bags of normalised tokens (the best over several references). */
export function tokenF1Score(prediction: string, references: string | string[]): number {
  checkText("tokenF1Score", "prediction", prediction);
  return Math.max(...asList("tokenF1Score", references).map((reference) => tokenF1(prediction, reference)));
}

function tokenF1(prediction: string, reference: string): number {
  const predicted = normalizeAnswer(prediction).split(" ").filter(Boolean);
  const truth = normalizeAnswer(reference).split(" ").filter(Boolean);
  const available = new Map<string, number>();
  for (const token of truth) available.set(token, (available.get(token) ?? 0) + 1);
  let same = 0;
  for (const token of predicted) {
    const left = available.get(token) ?? 0;
    if (left > 0) {
      same++;
      available.set(token, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predicted.length;
  const recall = same / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

function asList(caller: string, references: string | string[]): string[] {
  if (typeof references === "string") return [references];
  if (!Array.isArray(references) || references.length === 0) {
    throw new RangeError(`${caller}: references must be a string or a non-empty array of strings, got ${Array.isArray(references) ? "an empty array" : String(references)}`);
  }
  references.forEach((r, i) => checkText(caller, `references[${i}]`, r));
  return references;
}

function checkText(caller: string, name: string, text: unknown): void {
  if (typeof text !== "string") throw new TypeError(`${caller}: ${name} must be a string, got ${text === null ? "null" : typeof text}`);
}

// ---------------------------------------------------------------------------------------------------------
// Clustering

/**
 * Silhouette s(i) = (b − a) / max(a, b) of each sample, with a the mean Euclidean distance to its own
 * cluster and b the smallest mean distance to another cluster; 0 for a sample alone in its cluster.
 */
export function silhouetteSamples(X: Matrix, labels: Labels): number[] {
  return silhouette("silhouetteSamples", X, labels);
}

function silhouette(caller: string, X: Matrix, labels: Labels): number[] {
  checkMatrix(X, `${caller}: X`);
  checkValues(caller, "labels", labels);
  if (X.length !== labels.length) throw new RangeError(`${caller}: X has ${X.length} rows but labels has ${labels.length}`);
  const clusters = uniqueLabels(labels);
  if (clusters.length < 2 || clusters.length > X.length - 1) {
    throw new RangeError(`${caller}: need 2 ≤ number of clusters ≤ n − 1, got ${clusters.length} clusters for ${X.length} samples`);
  }
  const index = new Map(clusters.map((c, k) => [c, k]));
  const sizes = clusters.map((c) => labels.filter((l) => l === c).length);
  return X.map((x, i) => {
    const own = index.get(labels[i]!)!;
    if (sizes[own] === 1) return 0;
    const distanceSums = new Array<number>(clusters.length).fill(0);
    X.forEach((z, j) => {
      distanceSums[index.get(labels[j]!)!]! += Math.sqrt(squaredDistance(x, z));
    });
    const a = distanceSums[own]! / (sizes[own]! - 1);
    const b = Math.min(...distanceSums.map((s, k) => (k === own ? Infinity : s / sizes[k]!)));
    return (b - a) / Math.max(a, b);
  });
}

/** Mean silhouette over samples: near 1 for compact, well-separated clusters. */
export function silhouetteScore(X: Matrix, labels: Labels): number {
  return mean(silhouette("silhouetteScore", X, labels));
}

/** Adjusted Rand index: pair agreement of two labelings corrected for chance (1 = same partition, ≈ 0 random). */
export function adjustedRandScore(labelsTrue: Labels, labelsPred: Labels): number {
  checkPair("adjustedRandScore", labelsTrue, labelsPred, ["labelsTrue", "labelsPred"]);
  const table = confusionMatrix(labelsTrue, labelsPred, undefined);
  const pairs = (n: number) => (n * (n - 1)) / 2;
  const sumCells = sum(table.flat().map(pairs));
  const sumRows = sum(table.map((row) => pairs(sum(row))));
  const sumColumns = sum(table[0]!.map((_, j) => pairs(sum(table.map((row) => row[j]!)))));
  const expected = (sumRows * sumColumns) / pairs(labelsTrue.length);
  const maximum = (sumRows + sumColumns) / 2;
  // Both labelings a single cluster (or all singletons): identical partitions.
  if (maximum === expected) return 1;
  return (sumCells - expected) / (maximum - expected);
}

// ---------------------------------------------------------------------------------------------------------

/** Labels (or values) yTrue and yPred: finite numbers, equal non-zero lengths. */
function checkPair(caller: string, a: number[], b: number[], names: [string, string] = ["yTrue", "yPred"]): void {
  checkValuePair(caller, names, a, b);
}

function checkScores(caller: string, yTrue: Labels, scores: number[], posLabel: number): void {
  checkValuePair(caller, ["yTrue", "scores"], yTrue, scores);
  checkValue(caller, "options.posLabel", posLabel);
}

function checkLabelOption(caller: string, labels: unknown): void {
  checkValues(caller, "options.labels", labels);
}

function checkZeroDivision(caller: string, zeroDivision: unknown): void {
  if (zeroDivision !== 0 && zeroDivision !== 1) throw new RangeError(`${caller}: options.zeroDivision must be 0 or 1, got ${String(zeroDivision)}`);
}

function checkBeta(caller: string, beta: unknown): void {
  if (typeof beta !== "number" || !(beta >= 0)) throw new RangeError(`${caller}: beta must be a number ≥ 0 (Infinity: recall alone), got ${String(beta)}`);
}
