import { test } from "node:test";
import * as assert from "node:assert/strict";
import { biasVarianceDecomposition } from "../../../lib/ml/bias-variance";
import { LinearRegression } from "../../../lib/ml/linear";
import { Random } from "../../../lib/random";
import { matMul, solve, transpose } from "../../../lib/math/linalg";

test("bias² + variance = the mean over rounds of (prediction − truth)², at every test point and on average", () => {
  const rng = new Random(1);
  const truth = rng.array(7, (r) => r.normal());
  const predictions = Array.from({ length: 13 }, () => truth.map((f) => f + 0.3 + rng.normal(0, 0.5)));
  const result = biasVarianceDecomposition(predictions, truth, 0.25);
  truth.forEach((f, i) => {
    const meanSquared = predictions.reduce((s, round) => s + (round[i]! - f) ** 2, 0) / predictions.length;
    assert.ok(Math.abs(result.pointBias2[i]! + result.pointVariance[i]! - meanSquared) < 1e-12);
  });
  const overall = predictions.flatMap((round) => round.map((p, i) => (p - truth[i]!) ** 2)).reduce((s, v) => s + v, 0) / (13 * 7);
  assert.ok(Math.abs(result.bias2 + result.variance - overall) < 1e-12);
  assert.equal(result.expectedError, result.bias2 + result.variance + 0.25);
});

/**
 * Ordinary least squares on a fixed design X with y = f(X) + ε: f̂(x₀) = x₀ᵀ(XᵀX)⁻¹Xᵀy, so in closed form
 * E f̂(x₀) = x₀ᵀ(XᵀX)⁻¹Xᵀf(X) and Var f̂(x₀) = σ² x₀ᵀ(XᵀX)⁻¹x₀. Fitted on 4,000 noise draws, the measured
 * decomposition must match both, for a correct model (bias 0) and a misspecified one (a line fitted to a parabola).
 */
test("OLS on a fixed design: measured bias² and variance match the closed forms", () => {
  const rng = new Random(7);
  const sigma = 0.5;
  const xTrain = Array.from({ length: 15 }, (_, i) => -1 + (2 * i) / 14);
  const xTest = [-0.9, -0.3, 0.2, 0.8, 1.0];
  const design = (x: number) => [1, x];
  for (const { f, linear } of [{ f: (x: number) => 2 - x, linear: true }, { f: (x: number) => x * x, linear: false }]) {
    const X = xTrain.map(design);
    const inverseGram = (v: number[]) => solve(matMul(transpose(X), X), v);
    const hat = xTest.map((x0) => inverseGram(design(x0))); // (XᵀX)⁻¹x₀
    const closedMean = hat.map((h) => X.reduce((s, row, i) => s + (h[0]! * row[0]! + h[1]! * row[1]!) * f(xTrain[i]!), 0));
    const closedVariance = xTest.map((x0, k) => sigma ** 2 * (design(x0)[0]! * hat[k]![0]! + design(x0)[1]! * hat[k]![1]!));
    const rounds = 4000;
    const predictions = Array.from({ length: rounds }, () => {
      const y = xTrain.map((x) => f(x) + rng.normal(0, sigma));
      return new LinearRegression().fit(xTrain.map((x) => [x]), y).predict(xTest.map((x) => [x]));
    });
    const truth = xTest.map(f);
    const result = biasVarianceDecomposition(predictions, truth, sigma ** 2);
    result.pointVariance.forEach((v, k) => assert.ok(Math.abs(v / closedVariance[k]! - 1) < 0.08, `variance ${v} vs ${closedVariance[k]}`));
    // The mean prediction's Monte-Carlo error is √(Var/R); allow 4 of them.
    result.meanPrediction.forEach((m, k) => assert.ok(Math.abs(m - closedMean[k]!) < 4 * Math.sqrt(closedVariance[k]! / rounds), `mean ${m} vs ${closedMean[k]}`));
    const closedBias2 = closedMean.reduce((s, m, k) => s + (m - truth[k]!) ** 2, 0) / truth.length;
    const closedVarianceMean = closedVariance.reduce((s, v) => s + v, 0) / closedVariance.length;
    assert.ok(Math.abs(result.bias2 + result.variance - (closedBias2 + closedVarianceMean)) < 0.06 * (closedBias2 + closedVarianceMean));
    if (linear) assert.ok(result.bias2 < 1e-3, `a correct model has no bias, got ${result.bias2}`);
    else assert.ok(Math.abs(result.bias2 / closedBias2 - 1) < 0.05, `bias² ${result.bias2} vs ${closedBias2}`);
  }
});

test("bad arguments are named", () => {
  assert.throws(() => biasVarianceDecomposition([[1, 2]], [1, 2]), /biasVarianceDecomposition: predictions must be an array of ≥ 2 rounds/);
  assert.throws(() => biasVarianceDecomposition([[1, 2], [1]], [1, 2]), /predictions\[1\] must be an array of 2 predictions/);
  assert.throws(() => biasVarianceDecomposition([[1, 2], [1, NaN]], [1, 2]), /predictions\[1\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => biasVarianceDecomposition([[1], [1]], [Infinity]), /truth\[0\] must be a finite number/);
  assert.throws(() => biasVarianceDecomposition([[1], [1]], [1], -1), /noiseVariance must be a finite number ≥ 0, got -1/);
  assert.throws(() => biasVarianceDecomposition([[1], [1]], []), /truth must be a non-empty array/);
});
