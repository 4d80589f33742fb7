import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fitAutoregressive, persistenceForecast } from "../../../lib/sequence/baselines";
import { slidingWindows } from "../../../lib/sequence/windows";
import { Random } from "../../../lib/random";

test("persistence forecasts the last value of each window", () => {
  assert.deepEqual(persistenceForecast([[1, 2, 3], [4, 5, 6]]), [3, 6]);
});

test("AR(p) recovers the coefficients of a noise-free AR(2) process and the sine recurrence", () => {
  // y_t = 0.6 y_{t-1} − 0.3 y_{t-2} + 0.5, started from two arbitrary values
  const series = [1, -2];
  for (let t = 2; t < 60; t++) series.push(0.6 * series[t - 1]! - 0.3 * series[t - 2]! + 0.5);
  const { X, y } = slidingWindows(series, 2, 1);
  const model = fitAutoregressive(X, y.map((row) => row[0]!));
  model.coefficients.forEach((c, j) => assert.ok(Math.abs(c - [-0.3, 0.6][j]!) < 1e-9, `coefficient ${j}: ${c}`));
  assert.ok(Math.abs(model.intercept - 0.5) < 1e-9);
  // a pure sine obeys y_t = 2cos(ω) y_{t−1} − y_{t−2}: AR(2) without intercept predicts it exactly
  const omega = (2 * Math.PI) / 17;
  const sine = Array.from({ length: 80 }, (_, t) => Math.sin(omega * t));
  const windows = slidingWindows(sine, 2, 1);
  const ar = fitAutoregressive(windows.X, windows.y.map((row) => row[0]!), { intercept: false });
  assert.ok(Math.abs(ar.coefficients[1]! - 2 * Math.cos(omega)) < 1e-8 && Math.abs(ar.coefficients[0]! + 1) < 1e-8, `${ar.coefficients}`);
  assert.equal(ar.intercept, 0);
  const predicted = ar.predict(windows.X);
  predicted.forEach((v, i) => assert.ok(Math.abs(v - windows.y[i]![0]!) < 1e-8));
});

test("AR(p) equals the normal-equation solution on noisy data", () => {
  const rng = new Random(3);
  const X = Array.from({ length: 50 }, () => rng.array(3, (r) => r.normal()));
  const y = X.map((row) => 0.2 + row[0]! - 2 * row[2]! + rng.normal(0, 0.1));
  const model = fitAutoregressive(X, y);
  // the residual is orthogonal to every column of the design (the normal equations)
  const residual = model.predict(X).map((v, i) => y[i]! - v);
  for (let j = 0; j <= 3; j++) {
    const column = X.map((row) => (j < 3 ? row[j]! : 1));
    assert.ok(Math.abs(column.reduce((s, v, i) => s + v * residual[i]!, 0)) < 1e-9, `column ${j}`);
  }
});

test("bad input is refused with an error naming what is wrong", () => {
  assert.throws(() => persistenceForecast([]), /non-empty/);
  assert.throws(() => fitAutoregressive([[1, 2], [3]], [1, 2]), /window 1 has 1 values where window 0 has 2/);
  assert.throws(() => fitAutoregressive([[1, 2]], [1, 2]), /1 windows but 2 targets/);
  assert.throws(() => fitAutoregressive([[1, NaN]], [1]), /X\[0\]\[1\] is NaN/);
  const model = fitAutoregressive([[1, 2], [2, 3], [3, 5]], [3, 4, 8]);
  assert.throws(() => model.predict([[1, 2, 3]]), /AR\(2\) but the windows have 3 values/);
});
