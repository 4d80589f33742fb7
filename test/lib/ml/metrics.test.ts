import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { Random } from "../../../lib/random";
import {
  accuracyScore,
  adjustedRandScore,
  auc,
  aucMannWhitney,
  averagePrecisionScore,
  balancedAccuracyScore,
  cohenKappaScore,
  confusionMatrix,
  exactMatchScore,
  f1Score,
  fbetaScore,
  logLoss,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanSquaredError,
  normalizeAnswer,
  precisionRecallCurve,
  precisionRecallFscoreSupport,
  precisionScore,
  r2Score,
  recallScore,
  rocAucScore,
  rocCurve,
  rootMeanSquaredError,
  silhouetteSamples,
  silhouetteScore,
  tokenF1Score,
  type Average,
} from "../../../lib/ml/metrics";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

interface BinaryCase {
  name: string;
  yTrue: number[];
  scores: number[];
  yPred: number[];
  confusionMatrix: number[][];
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  f2: number;
  balancedAccuracy: number;
  cohenKappa: number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  rocAuc: number;
  prCurve: { precision: number[]; recall: number[]; thresholds: number[] };
  averagePrecision: number;
  logLoss: number;
}

type Averaged = { precision: number; recall: number; f1: number };
interface MulticlassCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  confusionMatrix: number[][];
  accuracy: number;
  balancedAccuracy: number;
  cohenKappa: number;
  perClass: { precision: number[]; recall: number[]; fscore: number[]; support: number[] };
  macro: Averaged;
  micro: Averaged;
  weighted: Averaged;
  proba?: number[][];
  logLoss?: number;
}

interface Fixture {
  sklearn: string;
  binary: BinaryCase[];
  multiclass: MulticlassCase[];
  regression: { yTrue: number[]; yPred: number[]; mse: number; rmse: number; mae: number; r2: number; mape: number };
  clustering: { silhouetteIris: number; silhouetteSamplesIris: number[]; labelsA: number[]; labelsB: number[]; adjustedRand: number };
  generatedAnswers: { prediction: string; references: string[]; normalized: string; exactMatch: number; f1: number }[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(SKLEARN_FIXTURES, "metrics-scores.json"), "utf8")) as Fixture;

const close = (actual: number, expected: number, label: string, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${label}: ${actual} vs scikit-learn ${expected} (sklearn ${fixture.sklearn})`);
const allClose = (actual: number[], expected: number[], label: string, tol = 1e-12) => {
  assert.equal(actual.length, expected.length, `${label}: length`);
  actual.forEach((a, i) => close(a, expected[i]!, `${label}[${i}]`, tol));
};

for (const c of fixture.binary) {
  test(`binary metrics equal scikit-learn within 1e-12 (${c.name})`, () => {
    assert.deepEqual(confusionMatrix(c.yTrue, c.yPred), c.confusionMatrix);
    close(accuracyScore(c.yTrue, c.yPred), c.accuracy, "accuracy");
    close(precisionScore(c.yTrue, c.yPred), c.precision, "precision");
    close(recallScore(c.yTrue, c.yPred), c.recall, "recall");
    close(f1Score(c.yTrue, c.yPred), c.f1, "f1");
    close(fbetaScore(c.yTrue, c.yPred, 2), c.f2, "f2");
    close(balancedAccuracyScore(c.yTrue, c.yPred), c.balancedAccuracy, "balanced accuracy");
    close(cohenKappaScore(c.yTrue, c.yPred), c.cohenKappa, "kappa");
    const roc = rocCurve(c.yTrue, c.scores);
    allClose(roc.fpr, c.roc.fpr, "fpr");
    allClose(roc.tpr, c.roc.tpr, "tpr");
    // scikit-learn 1.2 puts max + 1 first where ≥ 1.3 (and this library) put +Infinity.
    assert.equal(roc.thresholds[0], Infinity);
    allClose(roc.thresholds.slice(1), c.roc.thresholds.slice(1), "roc thresholds");
    close(rocAucScore(c.yTrue, c.scores), c.rocAuc, "roc auc");
    const pr = precisionRecallCurve(c.yTrue, c.scores);
    allClose(pr.precision, c.prCurve.precision, "pr precision");
    allClose(pr.recall, c.prCurve.recall, "pr recall");
    allClose(pr.thresholds, c.prCurve.thresholds, "pr thresholds");
    close(averagePrecisionScore(c.yTrue, c.scores), c.averagePrecision, "average precision");
    close(logLoss(c.yTrue, c.scores), c.logLoss, "log loss");
  });

  test(`AUC by Mann–Whitney pair counting equals the trapezoid ROC area (${c.name})`, () => {
    close(aucMannWhitney(c.yTrue, c.scores), rocAucScore(c.yTrue, c.scores), "U / (n+ n-)", 1e-12);
    // Without dropping collinear points the area is the same.
    const full = rocCurve(c.yTrue, c.scores, { dropIntermediate: false });
    close(auc(full.fpr, full.tpr), c.rocAuc, "undropped trapezoid");
  });
}

for (const c of fixture.multiclass) {
  test(`multiclass metrics and macro / micro / weighted averages equal scikit-learn (${c.name})`, () => {
    assert.deepEqual(confusionMatrix(c.yTrue, c.yPred), c.confusionMatrix);
    close(accuracyScore(c.yTrue, c.yPred), c.accuracy, "accuracy");
    close(balancedAccuracyScore(c.yTrue, c.yPred), c.balancedAccuracy, "balanced accuracy");
    close(cohenKappaScore(c.yTrue, c.yPred), c.cohenKappa, "kappa");
    const per = precisionRecallFscoreSupport(c.yTrue, c.yPred);
    allClose(per.precision, c.perClass.precision, "per-class precision");
    allClose(per.recall, c.perClass.recall, "per-class recall");
    allClose(per.fscore, c.perClass.fscore, "per-class f1");
    assert.deepEqual(per.support, c.perClass.support);
    for (const average of ["macro", "micro", "weighted"] as Average[]) {
      const expected = c[average as "macro" | "micro" | "weighted"];
      close(precisionScore(c.yTrue, c.yPred, { average }), expected.precision, `${average} precision`);
      close(recallScore(c.yTrue, c.yPred, { average }), expected.recall, `${average} recall`);
      close(f1Score(c.yTrue, c.yPred, { average }), expected.f1, `${average} f1`);
    }
    if (c.proba) close(logLoss(c.yTrue, c.proba), c.logLoss!, "multiclass log loss");
  });
}

test("regression metrics equal scikit-learn", () => {
  const r = fixture.regression;
  close(meanSquaredError(r.yTrue, r.yPred), r.mse, "mse");
  close(rootMeanSquaredError(r.yTrue, r.yPred), r.rmse, "rmse");
  close(meanAbsoluteError(r.yTrue, r.yPred), r.mae, "mae");
  close(r2Score(r.yTrue, r.yPred), r.r2, "r2");
  close(meanAbsolutePercentageError(r.yTrue, r.yPred), r.mape, "mape");
});

test("silhouette and adjusted Rand index equal scikit-learn on iris", async () => {
  const { loadIris } = await import("../../../lib/data");
  const iris = loadIris();
  const c = fixture.clustering;
  // scikit-learn's Euclidean distances use ‖x‖² − 2x·z + ‖z‖², which loses ~1e-8 on close points.
  allClose(silhouetteSamples(iris.data, iris.target), c.silhouetteSamplesIris, "silhouette samples", 1e-7);
  close(silhouetteScore(iris.data, iris.target), c.silhouetteIris, "silhouette", 1e-9);
  close(adjustedRandScore(c.labelsA, c.labelsB), c.adjustedRand, "ARI");
  assert.equal(adjustedRandScore([0, 0, 1, 1], [5, 5, 2, 2]), 1, "relabelling does not matter");
});

test("exact match and token F1 equal the SQuAD v1.1 script on generated answers", () => {
  for (const a of fixture.generatedAnswers) {
    assert.equal(normalizeAnswer(a.prediction), a.normalized, `normalize ${JSON.stringify(a.prediction)}`);
    assert.equal(exactMatchScore(a.prediction, a.references), a.exactMatch, `EM ${a.prediction}`);
    close(tokenF1Score(a.prediction, a.references), a.f1, `F1 ${a.prediction}`);
  }
  // By hand: "the cat sat" vs "a cat sat down": tokens {cat, sat} vs {cat, sat, down}: P = 1, R = 2/3, F1 = 0.8.
  close(tokenF1Score("the cat sat", "a cat sat down"), 0.8, "hand F1");
});

test("sanity anchors: perfect, reversed and random rankings; F1 between min(P, R) and (P + R)/2", () => {
  const y = [0, 0, 1, 1, 0, 1];
  const perfect = [0.1, 0.2, 0.8, 0.9, 0.3, 0.7];
  assert.equal(rocAucScore(y, perfect), 1);
  assert.equal(rocAucScore(y, perfect.map((s) => -s)), 0);
  const rng = new Random(0);
  const labels = rng.array(10_000, (r) => r.int(0, 2));
  const scores = rng.array(10_000, (r) => r.random());
  const random = rocAucScore(labels, scores);
  assert.ok(random > 0.48 && random < 0.52, `random AUC ${random}`);
  close(aucMannWhitney(labels, scores), random, "pair counting on 10k", 1e-12);
  const pred = scores.map((s) => (s > 0.4 ? 1 : 0));
  const [p, r, f] = [precisionScore(labels, pred), recallScore(labels, pred), f1Score(labels, pred)];
  assert.ok(Math.min(p, r) <= f && f <= (p + r) / 2);
  close(f, (2 * p * r) / (p + r), "harmonic mean");
});

test("ROC points are monotone from (0, 0) to (1, 1); PR recall is non-increasing", () => {
  for (const c of fixture.binary) {
    const { fpr, tpr } = rocCurve(c.yTrue, c.scores);
    assert.deepEqual([fpr[0], tpr[0], fpr.at(-1), tpr.at(-1)], [0, 0, 1, 1]);
    assert.ok(fpr.every((v, i) => i === 0 || v >= fpr[i - 1]!) && tpr.every((v, i) => i === 0 || v >= tpr[i - 1]!));
    const { recall } = precisionRecallCurve(c.yTrue, c.scores);
    assert.ok(recall.every((v, i) => i === 0 || v <= recall[i - 1]!));
  }
});

test("hand-checked small cases and named errors", () => {
  assert.deepEqual(confusionMatrix([0, 1, 1], [0, 1, 0]), [[1, 0], [1, 1]]);
  // κ: p_o = 0.5, both raters say 1 half the time → p_e = 0.5 → κ = 0.
  assert.equal(cohenKappaScore([0, 0, 1, 1], [0, 1, 0, 1]), 0);
  // Majority baseline on 95 : 5 has accuracy 0.95 but balanced accuracy 0.5 and minority recall 0.
  const yTrue = [...new Array<number>(95).fill(0), ...new Array<number>(5).fill(1)];
  const majority = new Array<number>(100).fill(0);
  assert.equal(balancedAccuracyScore(yTrue, majority), 0.5);
  assert.equal(recallScore(yTrue, majority), 0);
  assert.equal(precisionScore(yTrue, majority), 0, "0/0 precision is 0 (zeroDivision)");
  assert.equal(precisionScore(yTrue, majority, { zeroDivision: 1 }), 1);
  assert.throws(() => f1Score([0, 1, 2], [0, 1, 2]), /average "binary" needs at most 2 classes, got 3/);
  assert.throws(() => f1Score([0, 1], [0, 1], { average: "samples" as Average }), /average must be .* got "samples"/);
  assert.throws(() => rocCurve([1, 1], [0.2, 0.3]), /need both classes in yTrue, got 2 positives \(label 1\) and 0 negatives/);
  assert.throws(() => confusionMatrix([0, 1], [0]), /confusionMatrix: yTrue has 2 entries but yPred has 1/);
  assert.throws(() => logLoss([0, 0], [0.1, 0.2]), /need at least 2 labels/);
  close(logLoss([0, 1], [0, 1]), Number.EPSILON, "clipped perfect log loss", 1e-18);
});
