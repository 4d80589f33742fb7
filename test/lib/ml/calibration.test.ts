import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { brierDecomposition, brierScoreLoss, calibrationCurve, expectedCalibrationError, priorShift } from "../../../lib/ml/calibration";
import { Random } from "../../../lib/random";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

/** scikit-learn 1.2.1: test/fixtures/sklearn/calibration.py. */
const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "calibration.json"), "utf8"));
interface Curve { strategy: "uniform" | "quantile"; nBins: number; binEdges: number[]; probTrue: number[]; probPred: number[]; binCounts: number[] }
interface Case { y: number[]; p: number[]; sampleWeight: number[]; brier: number; brierWeighted: number; brierPosLabel0: number; curves: Record<string, Curve> }
const cases = Object.entries(fixture.cases as Record<string, Case>);

const assertClose = (actual: number[], expected: number[], tol: number, label: string) => {
  assert.equal(actual.length, expected.length, `${label}: length ${actual.length} vs ${expected.length}`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol, `${label}[${i}]: ${v} vs ${expected[i]}`));
};

test("brierScoreLoss equals scikit-learn's brier_score_loss (plain, sample weights, posLabel 0)", () => {
  for (const [name, c] of cases) {
    assertClose([brierScoreLoss(c.y, c.p)], [c.brier], 1e-15, `${name} brier`);
    assertClose([brierScoreLoss(c.y, c.p, { sampleWeight: c.sampleWeight })], [c.brierWeighted], 1e-15, `${name} weighted`);
    assertClose([brierScoreLoss(c.y, c.p.map((p) => 1 - p), { posLabel: 0 })], [c.brierPosLabel0], 1e-15, `${name} posLabel 0`);
  }
});

test("calibrationCurve equals scikit-learn's calibration_curve: uniform and quantile bins, values on the edges", () => {
  for (const [name, c] of cases) {
    for (const [key, curve] of Object.entries(c.curves)) {
      const ours = calibrationCurve(c.y, c.p, { nBins: curve.nBins, strategy: curve.strategy });
      const label = `${name} ${key}`;
      assertClose(ours.binEdges, curve.binEdges, 0, `${label} edges`);
      assert.deepEqual(ours.binCounts, curve.binCounts, `${label} counts`);
      assertClose(ours.probTrue, curve.probTrue, 1e-15, `${label} probTrue`);
      assertClose(ours.probPred, curve.probPred, 1e-15, `${label} probPred`);
    }
  }
});

test("expectedCalibrationError is the count-weighted mean gap of scikit-learn's curve; 0 for exact bin frequencies", () => {
  for (const [name, c] of cases) {
    const curve = c.curves["uniform-10"]!;
    const truth = curve.binCounts.reduce((s, n, b) => s + n * Math.abs(curve.probTrue[b]! - curve.probPred[b]!), 0) / c.y.length;
    assertClose([expectedCalibrationError(c.y, c.p)], [truth], 1e-15, `${name} ECE`);
  }
  // Forecast 0.25 for four samples with one positive, 0.75 for four with three: perfectly calibrated.
  assert.equal(expectedCalibrationError([1, 0, 0, 0, 1, 1, 1, 0], [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]), 0);
  // Always 0.9 on a 50 % base rate: one bin, gap 0.4.
  assertClose([expectedCalibrationError([1, 0, 1, 0], [0.9, 0.9, 0.9, 0.9])], [0.4], 1e-15, "constant 0.9");
});

test("brierDecomposition: reliability − resolution + uncertainty = Brier exactly when each bin holds one forecast value", () => {
  const c = fixture.cases.rounded as Case;
  // 20 equal-width bins put each of the rounded values 0.0, 0.1, …, 1.0 in a bin of its own.
  const d = brierDecomposition(c.y, c.p, { nBins: 20 });
  assertClose([d.reliability - d.resolution + d.uncertainty, d.binnedBrier], [c.brier, c.brier], 1e-15, "rounded, 20 bins");
  const base = c.y.filter((t) => t === 1).length / c.y.length;
  assertClose([d.uncertainty], [base * (1 - base)], 1e-15, "uncertainty = ō(1 − ō)");
  // Continuous forecasts: the identity holds for the binned Brier; the Brier score itself differs by a within-bin term.
  const cont = fixture.cases.continuous as Case;
  const e = brierDecomposition(cont.y, cont.p, { nBins: 10 });
  assertClose([e.reliability - e.resolution + e.uncertainty], [e.binnedBrier], 1e-15, "continuous, binned");
  assert.ok(Math.abs(e.binnedBrier - cont.brier) > 1e-4, "binning changes the Brier score of continuous forecasts");
  // Reliability is 0 and resolution = uncertainty for forecasts equal to the outcomes.
  const perfect = brierDecomposition([0, 1, 1, 0], [0, 1, 1, 0], { nBins: 2 });
  assertClose([perfect.reliability, perfect.resolution, perfect.uncertainty], [0, 0.25, 0.25], 1e-15, "perfect forecasts");
});

test("priorShift = Bayes' rule: posterior for one prior from the posterior for another (closed form, Gaussian classes)", () => {
  // Two unit-variance Gaussians at 0 and m: the log-odds are m·x − m²/2 + log(π/(1 − π)).
  const rng = new Random(3);
  const m = 1.7;
  const posterior = (x: number, prior: number) => 1 / (1 + Math.exp(-(m * x - (m * m) / 2 + Math.log(prior / (1 - prior)))));
  for (const [trainPrior, targetPrior] of [[0.5, 0.05], [0.05, 0.5], [0.3, 0.8], [0.5, 0.5]] as const) {
    const xs = rng.array(200, (r) => r.normal(0, 2));
    const shifted = priorShift(xs.map((x) => posterior(x, trainPrior)), { trainPrior: trainPrior, targetPrior: targetPrior });
    assertClose(shifted, xs.map((x) => posterior(x, targetPrior)), 1e-12, `π ${trainPrior} → ${targetPrior}`);
  }
  assert.deepEqual(priorShift([0, 1], { trainPrior: 0.5, targetPrior: 0.1 }), [0, 1], "0 and 1 stay");
});

test("bad input is refused, naming the function and the argument", () => {
  assert.throws(() => calibrationCurve([0, 1], [0.2, 1.2]), /calibrationCurve: yProb\[1\] is 1.2, not a probability/);
  assert.throws(() => calibrationCurve([0, 1, 2], [0.2, 0.3, 0.4]), /calibrationCurve: yTrue has 3 distinct labels/);
  assert.throws(() => calibrationCurve([0, 1], [0.2, 0.3], { nBins: 0 }), /calibrationCurve: nBins must be an integer ≥ 1, got 0/);
  assert.throws(() => calibrationCurve([0, 1], [0.2, 0.3], { strategy: "kmeans" as "uniform" }), /calibrationCurve: strategy must be "uniform" or "quantile"/);
  assert.throws(() => brierScoreLoss([0, 1], [0.2]), /brierScoreLoss: yTrue has 2 entries but yProb has 1/);
  assert.throws(() => brierScoreLoss([0, 1], [0.2, NaN]), /brierScoreLoss: yProb\[1\] is NaN/);
  assert.throws(() => brierScoreLoss([0, 1], [0.2, 0.3], { sampleWeight: [1, -1] }), /brierScoreLoss: sampleWeight must be non-negative/);
  assert.throws(() => expectedCalibrationError([], []), /expectedCalibrationError|calibrationCurve: yTrue is empty/);
  assert.throws(() => priorShift([0.5], { trainPrior: 0, targetPrior: 0.1 }), /priorShift: trainPrior must be a prior strictly between 0 and 1, got 0/);
  assert.throws(() => priorShift([0.5], { trainPrior: 0.5, targetPrior: 1 }), /priorShift: targetPrior must be/);
});
