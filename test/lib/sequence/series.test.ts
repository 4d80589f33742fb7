import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeLogisticMapSeries, makeSineTrendSeries } from "../../../lib/sequence/series";

test("the clean signal is amplitude · sin(2πt/period + phase) + trend · t", () => {
  const { t, clean, y } = makeSineTrendSeries({ length: 200, period: 25, amplitude: 2, trendPerStep: 0.01, phase: 0.3, noise: 0, seed: 0 });
  assert.deepEqual(t, Array.from({ length: 200 }, (_, i) => i));
  for (const step of [0, 7, 25, 199]) {
    assert.ok(Math.abs(clean[step]! - (2 * Math.sin((2 * Math.PI * step) / 25 + 0.3) + 0.01 * step)) < 1e-12);
  }
  assert.deepEqual(y, clean);
  // one period later the value has moved by the trend only
  assert.ok(Math.abs(clean[60]! - clean[35]! - 0.25) < 1e-12);
});

test("the noise is Gaussian with the requested spread and independent of the signal", () => {
  const { y, clean } = makeSineTrendSeries({ length: 20000, noise: 0.3, seed: 4 });
  const residual = y.map((v, i) => v - clean[i]!);
  const mean = residual.reduce((a, b) => a + b, 0) / residual.length;
  const std = Math.sqrt(residual.reduce((a, b) => a + (b - mean) ** 2, 0) / residual.length);
  // standard errors: 0.3 / √20000 ≈ 0.002 for the mean, ≈ 0.0015 for the std
  assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.3) < 0.01, `std ${std}`);
});

test("deterministic under the seed; another seed, other noise", () => {
  const a = makeSineTrendSeries({ length: 50, seed: 1 });
  assert.deepEqual(a, makeSineTrendSeries({ length: 50, seed: 1 }));
  assert.notDeepEqual(a.y, makeSineTrendSeries({ length: 50, seed: 2 }).y);
});

test("bad options are named", () => {
  assert.throws(() => makeSineTrendSeries({ length: 1, seed: 0 }), /length must be an integer ≥ 2, got 1/);
  assert.throws(() => makeSineTrendSeries({ length: 10, period: 0, seed: 0 }), /period must be > 0, got 0/);
  assert.throws(() => makeSineTrendSeries({ length: 10, noise: -1, seed: 0 }), /noise must be ≥ 0, got -1/);
  assert.throws(() => makeSineTrendSeries({ length: 10, trendPerStep: Infinity, seed: 0 }), /trendPerStep must be a finite number, got Infinity/);
  assert.throws(() => makeSineTrendSeries({ length: 10, seed: 0.5 }), /seed must be an integer, got 0\.5/);
});

test("logistic map: without noise each value is r·y(1 − y) of the one before, and clean is that map", () => {
  const { y, clean, t } = makeLogisticMapSeries({ length: 300, r: 3.7, noise: 0, seed: 3 });
  assert.deepEqual(t, Array.from({ length: 300 }, (_, i) => i));
  assert.ok(y[0]! >= 0.2 && y[0]! <= 0.8);
  for (let step = 1; step < 300; step++) assert.ok(Math.abs(y[step]! - 3.7 * y[step - 1]! * (1 - y[step - 1]!)) < 1e-15, `step ${step}`);
  assert.deepEqual(y, clean);
});

test("logistic map: clean is the conditional mean, so y − clean is the dynamic noise with the requested spread", () => {
  const { y, clean } = makeLogisticMapSeries({ length: 20000, noise: 0.01, seed: 5 });
  for (let step = 1; step < y.length; step++) assert.equal(clean[step], 3.8 * y[step - 1]! * (1 - y[step - 1]!));
  const residual = y.slice(1).map((v, i) => v - clean[i + 1]!);
  const mean = residual.reduce((a, b) => a + b, 0) / residual.length;
  const std = Math.sqrt(residual.reduce((a, b) => a + (b - mean) ** 2, 0) / residual.length);
  assert.ok(Math.abs(mean) < 0.0005, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.01) < 0.0003, `std ${std}`);
  assert.ok(y.every((v) => v >= 0 && v <= 1));
});

test("logistic map: clipped to [0, 1] when the noise would leave it; deterministic under the seed", () => {
  const { y } = makeLogisticMapSeries({ length: 2000, r: 4, noise: 0.2, seed: 0 });
  assert.ok(y.every((v) => v >= 0 && v <= 1));
  assert.ok(y.some((v) => v === 0 || v === 1), "with this much noise some values are clipped");
  assert.deepEqual(makeLogisticMapSeries({ length: 40, seed: 9 }), makeLogisticMapSeries({ length: 40, seed: 9 }));
  assert.notDeepEqual(makeLogisticMapSeries({ length: 40, seed: 9 }).y, makeLogisticMapSeries({ length: 40, seed: 10 }).y);
});

test("logistic map: bad options are named", () => {
  assert.throws(() => makeLogisticMapSeries({ length: 1, seed: 0 }), /makeLogisticMapSeries: length must be an integer ≥ 2, got 1/);
  assert.throws(() => makeLogisticMapSeries({ length: 10, r: 4.5, seed: 0 }), /r must be in \(0, 4\], got 4\.5/);
  assert.throws(() => makeLogisticMapSeries({ length: 10, r: 0, seed: 0 }), /r must be in \(0, 4\], got 0/);
  assert.throws(() => makeLogisticMapSeries({ length: 10, noise: NaN, seed: 0 }), /noise must be a finite number ≥ 0, got NaN/);
  assert.throws(() => makeLogisticMapSeries({ length: 10, seed: 1.5 }), /seed must be an integer, got 1\.5/);
});
