import { test } from "node:test";
import * as assert from "node:assert/strict";
import { frechetDistance, ksStatistic, normalCdf } from "../../../lib/math/distribution-distances";
import { Random } from "../../../lib/random";

test("normalCdf matches tabulated values", () => {
  for (const [x, p] of [[0, 0.5], [1, 0.8413447460685429], [-1.96, 0.024997895148220435], [3, 0.9986501019683699]] as const) {
    assert.ok(Math.abs(normalCdf(x) - p) < 2e-7, `Φ(${x})`);
  }
  assert.ok(Math.abs(normalCdf(6.5, 4, 1.25) - 0.9772498680518208) < 2e-7);
  assert.throws(() => normalCdf(0, 0, 0), /std/);
});

test("KS statistic by hand against U(0, 1), and of a large normal sample below the 1 % critical value", () => {
  const uniform = (x: number) => Math.min(1, Math.max(0, x));
  assert.equal(ksStatistic([0.5], uniform), 0.5);
  // the gap just before a jump: F(0.9) − 0 = 0.9 beats 1 − F(0.9) = 0.1
  assert.ok(Math.abs(ksStatistic([0.9], uniform) - 0.9) < 1e-12);
  // sorted 0.1, 0.2, 0.9: gaps 1/3 − 0.1, 2/3 − 0.2 (largest), 1 − 0.9, 0.9 − 2/3
  assert.ok(Math.abs(ksStatistic([0.9, 0.1, 0.2], uniform) - (2 / 3 - 0.2)) < 1e-12);
  const rng = new Random(3);
  const n = 5000;
  const sample = Array.from({ length: n }, () => rng.normal(4, 1.25));
  assert.ok(ksStatistic(sample, (x) => normalCdf(x, 4, 1.25)) < 1.63 / Math.sqrt(n));
  // the wrong mean is detected
  assert.ok(ksStatistic(sample, (x) => normalCdf(x, 4.5, 1.25)) > 0.1);
  assert.throws(() => ksStatistic([], uniform), /empty/);
});

test("Fréchet distance: 1-D (μ₁ − μ₂)² + (σ₁ − σ₂)², diagonal sums, 0 for equal Gaussians, rotation-invariant", () => {
  assert.ok(Math.abs(frechetDistance([1], [[4]], [3], [[0.25]]) - (4 + (2 - 0.5) ** 2)) < 1e-12);
  const d = frechetDistance([0, 1, 2], [[1, 0, 0], [0, 4, 0], [0, 0, 9]], [1, 1, 0], [[4, 0, 0], [0, 1, 0], [0, 0, 9]]);
  assert.ok(Math.abs(d - (1 + 0 + 4 + 1 + 1 + 0)) < 1e-10);
  const cov = [[2, 0.7], [0.7, 1]];
  assert.ok(Math.abs(frechetDistance([1, 2], cov, [1, 2], cov)) < 1e-10);
  // rotating both Gaussians by the same angle keeps the distance
  const [c, s] = [Math.cos(0.6), Math.sin(0.6)];
  const rot = (m: number[][]) => { const r = [[c, -s], [s, c]]; const rm = r.map((row) => [0, 1].map((j) => row[0]! * m[0]![j]! + row[1]! * m[1]![j]!)); return rm.map((row) => [0, 1].map((j) => row[0]! * r[j]![0]! + row[1]! * r[j]![1]!)); };
  const [a, b] = [[[3, 0], [0, 1]], [[1, 0], [0, 2]]];
  assert.ok(Math.abs(frechetDistance([0, 0], rot(a), [0, 0], rot(b)) - ((Math.sqrt(3) - 1) ** 2 + (1 - Math.sqrt(2)) ** 2)) < 1e-9);
  assert.throws(() => frechetDistance([0], [[1, 0]], [0], [[1]]), /cov1/);
});
