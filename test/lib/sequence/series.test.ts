import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeSineTrendSeries } from "../../../lib/sequence/series";

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
