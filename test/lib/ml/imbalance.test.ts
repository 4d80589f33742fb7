import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  RandomOverSampler, RandomUnderSampler, SMOTE, binaryFocalLoss, classCounts, computeClassWeight, nearestNeighbors,
} from "../../../lib/ml/imbalance";
import { LogisticRegression } from "../../../lib/ml/linear";
import { binaryCrossEntropyWithLogits } from "../../../lib/nn/losses";
import { gradientRelativeError, numericalGradient } from "../../../lib/math/gradcheck";
import { Random } from "../../../lib/random";
import { SKLEARN_FIXTURES } from "../../helpers/paths";

/** scikit-learn 1.2.1: test/fixtures/sklearn/imbalance.py. */
const fixture = JSON.parse(readFileSync(join(SKLEARN_FIXTURES, "imbalance.json"), "utf8"));
const data: Record<string, { X: number[][]; y: number[] }> = fixture.data;
interface Case {
  data: string;
  C: number;
  classWeight?: "balanced" | Record<string, number>;
  sampleWeight?: number[];
  fitted: { coef: number[][]; intercept: number[] };
}

const assertClose = (actual: number[], expected: number[], tol: number, label: string) => {
  assert.equal(actual.length, expected.length, `${label}: length`);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tol * Math.max(1, Math.abs(expected[i]!)), `${label}[${i}]: ${v} vs ${expected[i]}`));
};

test("computeClassWeight('balanced') equals scikit-learn's compute_class_weight", () => {
  for (const name of ["binary", "multiclass"]) {
    assertClose([...computeClassWeight("balanced", data[name]!.y).values()], fixture.computeClassWeightBalanced[name], 1e-14, name);
  }
  assert.deepEqual([...computeClassWeight({ 5: 3 }, [2, 5, 5, 7]).entries()], [[2, 1], [5, 3], [7, 1]]);
  assert.throws(() => computeClassWeight({ 5: -1 }, [2, 5]), /classWeight\[5\] must be a finite number ≥ 0, got -1/);
});

test("LogisticRegression with class and sample weights matches scikit-learn (binary and multinomial)", () => {
  for (const [name, c] of Object.entries(fixture.cases as Record<string, Case>)) {
    const { X, y } = data[c.data]!;
    const classWeight = c.classWeight === undefined || c.classWeight === "balanced"
      ? c.classWeight
      : Object.fromEntries(Object.entries(c.classWeight).map(([k, v]) => [Number(k), v]));
    const model = new LogisticRegression({ C: c.C, classWeight, tol: 1e-10, maxIter: 1000 }).fit(X, y, c.sampleWeight);
    assertClose(model.coef_!.flat(), c.fitted.coef.flat(), 1e-7, `${name} coef`);
    assertClose(model.intercept_!, c.fitted.intercept, 1e-7, `${name} intercept`);
  }
});

test("an integer sample weight is the same fit as repeating the row", () => {
  const { X, y } = data.binary!;
  const weights = y.map((label) => (label === 1 ? 3 : 1));
  const weighted = new LogisticRegression({ tol: 1e-10, maxIter: 1000 }).fit(X, y, weights);
  const repeatedRows = y.flatMap((label, i) => (label === 1 ? [i, i, i] : [i]));
  const repeated = new LogisticRegression({ tol: 1e-10, maxIter: 1000 }).fit(repeatedRows.map((i) => X[i]!), repeatedRows.map((i) => y[i]!));
  // scikit-learn's objective C·Σ sᵢℓᵢ + ½‖w‖² is literally the same function of w for both, so the same C.
  assertClose(repeated.coef_![0]!, weighted.coef_![0]!, 1e-6, "coef");
  assertClose(repeated.intercept_!, weighted.intercept_!, 1e-6, "intercept");
  assert.throws(() => new LogisticRegression().fit(X, y, weights.slice(1)), /sampleWeight has 199 entries but X has 200 rows/);
});

test("RandomOverSampler: originals first, then copies of minority rows up to exactly the majority count", () => {
  const { X, y } = data.multiclass!;
  const out = new RandomOverSampler({ seed: 1 }).fitResample(X, y);
  assert.deepEqual([...classCounts(out.y).values()], [120, 120, 120]);
  assert.deepEqual(out.X.slice(0, X.length), X);
  out.sampleIndices.forEach((source, i) => {
    assert.deepEqual(out.X[i], X[source]);
    assert.equal(out.y[i], y[source]);
  });
  assert.deepEqual(new RandomOverSampler({ seed: 1 }).fitResample(X, y), out);
});

test("RandomUnderSampler: distinct rows, every class at exactly the minority count", () => {
  const { X, y } = data.multiclass!;
  const out = new RandomUnderSampler({ seed: 2 }).fitResample(X, y);
  assert.deepEqual([...classCounts(out.y).values()], [10, 10, 10]);
  assert.equal(new Set(out.sampleIndices).size, 30);
  out.sampleIndices.forEach((source, i) => assert.deepEqual(out.X[i], X[source]));
});

test("nearestNeighbors: brute force on a line, self excluded, ties by index", () => {
  const points = [[0], [1], [3], [4], [-1]];
  assert.deepEqual(nearestNeighbors(points, 0, 2), [1, 4]);
  assert.deepEqual(nearestNeighbors(points, 2, 3), [3, 1, 0]);
});

test("SMOTE: balanced counts; each synthetic point lies on a segment to one of its k nearest same-class neighbours", () => {
  const { X, y } = data.multiclass!;
  const k = 3;
  const out = new SMOTE({ kNeighbors: k, seed: 4 }).fitResample(X, y);
  assert.deepEqual([...classCounts(out.y).values()], [120, 120, 120]);
  assert.deepEqual(out.X.slice(0, X.length), X);
  // Independent search over all (point, neighbour) pairs of the class for a segment through the synthetic point.
  for (let i = X.length; i < out.X.length; i++) {
    const s = out.X[i]!;
    const members = X.flatMap((row, j) => (y[j] === out.y[i] ? [row] : []));
    const onSegment = members.some((a, ai) => nearestNeighbors(members, ai, k).some((bi) => {
      const b = members[bi]!;
      const t = ((s[0]! - a[0]!) * (b[0]! - a[0]!) + (s[1]! - a[1]!) * (b[1]! - a[1]!)) / ((b[0]! - a[0]!) ** 2 + (b[1]! - a[1]!) ** 2);
      return t >= 0 && t <= 1 && Math.hypot(a[0]! + t * (b[0]! - a[0]!) - s[0]!, a[1]! + t * (b[1]! - a[1]!) - s[1]!) < 1e-12;
    }));
    assert.ok(onSegment, `synthetic row ${i} is on no segment`);
  }
  assert.throws(() => new SMOTE({ kNeighbors: 10 }).fitResample(X, y), /class 7 has 10 samples, needs more than kNeighbors = 10/);
  assert.throws(() => new SMOTE({ kNeighbors: 0 }), /kNeighbors must be an integer ≥ 1, got 0/);
});

test("focal loss: γ = 0 without α is binary cross-entropy; α weights the classes", () => {
  const rng = new Random(0);
  const logits = rng.array(50, (r) => r.normal(0, 4));
  const labels = logits.map(() => (rng.random() < 0.3 ? 1 : 0));
  const ce = binaryCrossEntropyWithLogits;
  const fl0 = binaryFocalLoss({ gamma: 0 });
  assert.ok(Math.abs(fl0.value(labels, logits) - ce.value(labels, logits)) < 1e-14);
  assertClose(fl0.gradient(labels, logits), ce.gradient(labels, logits), 1e-14, "gradient");
  // α = 0.25 with γ = 0: positives weigh 0.25, negatives 0.75.
  const weighted = labels.reduce((s: number, t, i) => s + (t === 1 ? 0.25 : 0.75) * ce.value([t], [logits[i]!]), 0) / labels.length;
  assert.ok(Math.abs(binaryFocalLoss({ gamma: 0, alpha: 0.25 }).value(labels, logits) - weighted) < 1e-14);
});

test("focal loss: closed form at one point, finite-difference gradients, stable at huge logits", () => {
  // z = 0, y = 1: p_t = ½, FL = −(½)^γ log ½.
  assert.ok(Math.abs(binaryFocalLoss({ gamma: 2 }).value([1], [0]) - 0.25 * Math.LN2) < 1e-15);
  const rng = new Random(1);
  const logits = rng.array(20, (r) => r.normal(0, 3));
  const labels = logits.map((_, i) => i % 2);
  for (const params of [{ gamma: 0.5 }, { gamma: 2 }, { gamma: 5, alpha: 0.25 }]) {
    const loss = binaryFocalLoss(params);
    const analytic = loss.gradient(labels, logits);
    const numeric = numericalGradient((z) => loss.value(labels, z), logits);
    // Central differences carry ~1e-11 absolute round-off, large next to the ~1e-8 gradients of confidently
    // right examples: the bound is relative for ordinary entries and absolute (1e-10) for the tiny ones.
    analytic.forEach((g, i) => assert.ok(Math.abs(g - numeric[i]!) <= 1e-10 + 1e-6 * Math.abs(numeric[i]!), `γ=${params.gamma}, [${i}]: ${g} vs ${numeric[i]}`));
    assert.ok(gradientRelativeError(analytic, numeric, 1e-3) < 1e-7);
  }
  const loss = binaryFocalLoss({ gamma: 2 });
  for (const z of [-800, 800]) {
    assert.ok(Number.isFinite(loss.value([1], [z])) && Number.isFinite(loss.gradient([0], [z])[0]!));
  }
  assert.ok(Math.abs(loss.value([1], [-800]) - 800) < 1e-9, "a confident mistake costs |z|, like cross-entropy");
  assert.throws(() => binaryFocalLoss({ gamma: -1 }), /gamma must be a finite number ≥ 0, got -1/);
  assert.throws(() => loss.value([2], [0]), /yTrue\[0\] must be 0 or 1, got 2/);
});
