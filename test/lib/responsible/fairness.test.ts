import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { applyGroupThresholds, demographicParityDifference, equalOpportunityDifference, groupRates, perGroupThresholds } from "../../../lib/responsible/fairness";

// Group a: 4 rows, 2 positives, predictions 1 1 0 0 → selection 2/4, TPR 1/2; group b: 4 rows, 3 positives, 1 0 0 0 → 1/4, 1/3.
const yTrue = [1, 0, 1, 0, 1, 1, 1, 0];
const yPred = [1, 1, 0, 0, 1, 0, 0, 0];
const group = ["a", "a", "a", "a", "b", "b", "b", "b"];

test("group rates, demographic parity and equal opportunity differences equal hand counts", () => {
  const rates = groupRates(yTrue, yPred, group);
  assert.deepEqual(rates.map((r) => [r.group, r.count, r.selectionRate, r.truePositiveRate, r.falsePositiveRate]), [["a", 4, 0.5, 0.5, 0.5], ["b", 4, 0.25, 1 / 3, 0]]);
  assert.equal(demographicParityDifference(yPred, group), 0.25);
  assert.ok(Math.abs(equalOpportunityDifference(yTrue, yPred, group) - (0.5 - 1 / 3)) < 1e-15);
});

test("bad inputs are refused with what and where", () => {
  assert.throws(() => groupRates([1, 2], [1, 0], ["a", "b"]), /yTrue\[1\] = 2/);
  assert.throws(() => groupRates([1, 0], [1, 0], ["a"]), /different lengths/);
  assert.throws(() => demographicParityDifference([1, 0], ["a", "a"]), /two groups/);
  assert.throws(() => equalOpportunityDifference([0, 1], [0, 1], ["a", "b"]), /no positives/);
  assert.throws(() => perGroupThresholds([1, NaN], [1, 1], ["a", "b"], { rate: "selection", target: 0.5 }), /scores\[1\]/);
});

test("per-group thresholds reach the target rate in every group (up to rounding) on shifted scores", () => {
  const rng = new Random(9);
  const n = 1000;
  const g = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "a" : "b"));
  const yt = Array.from({ length: n }, () => (rng.random() < 0.5 ? 1 : 0));
  const scores = yt.map((label, i) => label + rng.normal(0, 0.7) - (g[i] === "b" ? 0.8 : 0));
  for (const rate of ["selection", "true-positive"] as const) {
    const thresholds = perGroupThresholds(scores, yt, g, { rate, target: 0.4 });
    const pred = applyGroupThresholds(scores, g, thresholds);
    for (const r of groupRates(yt, pred, g)) {
      const measured = rate === "selection" ? r.selectionRate : r.truePositiveRate;
      assert.ok(Math.abs(measured - 0.4) < 0.005, `${rate} ${r.group}: ${measured}`);
    }
  }
  assert.throws(() => applyGroupThresholds([1], ["c"], new Map([["a", 0]])), /no threshold for group c/);
});
