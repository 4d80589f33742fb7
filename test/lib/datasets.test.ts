import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeBlobs, makeCircles, makeMoons, makeNoisyFunction, makeRegression, makeXor } from "../../lib/datasets";

const count = (y: number[], label: number) => y.filter((v) => v === label).length;
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const std = (xs: number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((v) => (v - m) ** 2)));
};

test("makeMoons: without noise every point lies on its half circle; classes split ⌊n/2⌋ / ⌈n/2⌉", () => {
  const { X, y } = makeMoons({ nSamples: 101, seed: 0 });
  assert.equal(X.length, 101);
  assert.equal(count(y, 0), 50);
  assert.equal(count(y, 1), 51);
  X.forEach(([a, b], i) => {
    // class 0: upper unit arc around (0, 0); class 1: lower unit arc around (1, 0.5)
    const [cx, cy, side] = y[i] === 0 ? [0, 0, 1] : [1, 0.5, -1];
    assert.ok(Math.abs(Math.hypot(a! - cx, b! - cy) - 1) < 1e-12, `point ${i} off its arc`);
    assert.ok(side * (b! - cy) >= -1e-12, `point ${i} on the wrong half`);
  });
});

test("makeMoons with noise: residual distance to the arc has the noise's scale", () => {
  const { X, y } = makeMoons({ nSamples: 4000, noise: 0.05, seed: 1 });
  const clean = makeMoons({ nSamples: 4000, seed: 1 });
  assert.equal(clean.X.length, X.length);
  // Per coordinate noise σ: the offset (dx, dy) has E|d|² = 2σ².
  const offsets = X.map(([a, b], i) => {
    const [cx, cy] = y[i] === 0 ? [0, 0] : [1, 0.5];
    return Math.hypot(a! - cx, b! - cy) - 1;
  });
  assert.ok(Math.abs(std(offsets) - 0.05) < 0.005, `radial spread ${std(offsets)}`);
});

test("makeCircles: radii 1 and factor, balanced, angles evenly spaced", () => {
  const { X, y } = makeCircles({ nSamples: 200, factor: 0.3, seed: 0, shuffle: false });
  assert.equal(count(y, 0), 100);
  X.forEach(([a, b], i) => assert.ok(Math.abs(Math.hypot(a!, b!) - (y[i] === 0 ? 1 : 0.3)) < 1e-12));
  // endpoint excluded: the last outer point sits one step before angle 2π
  const last = X[99]!;
  assert.ok(Math.abs(Math.atan2(last[1]!, last[0]!) + (2 * Math.PI) / 100) < 1e-12);
  assert.throws(() => makeCircles({ nSamples: 10, factor: 1, seed: 0 }), /factor must be in \[0, 1\), got 1/);
});

test("makeBlobs: per-class means recover the centres, spread equals clusterStd, counts differ by ≤ 1", () => {
  const centers = [[0, 0], [5, -5], [-4, 6]];
  const { X, y, centers: used } = makeBlobs({ nSamples: 30001, centers, clusterStd: [0.5, 1, 2], seed: 2 });
  assert.deepEqual(used, centers);
  assert.deepEqual([0, 1, 2].map((k) => count(y, k)), [10001, 10000, 10000]);
  centers.forEach((c, k) => {
    const rows = X.filter((_, i) => y[i] === k);
    c.forEach((cj, j) => {
      const column = rows.map((r) => r[j]!);
      const sd = [0.5, 1, 2][k]!;
      // 5 standard errors of the mean and of the standard deviation
      assert.ok(Math.abs(mean(column) - cj) < (5 * sd) / Math.sqrt(rows.length), `centre ${k}, coord ${j}`);
      assert.ok(Math.abs(std(column) - sd) < (5 * sd) / Math.sqrt(2 * rows.length), `std ${k}, coord ${j}`);
    });
  });
});

test("makeBlobs with a number of centres draws them in the box, in nFeatures dimensions", () => {
  const { X, centers } = makeBlobs({ nSamples: 10, centers: 4, nFeatures: 3, centerBox: [-1, 1], seed: 3 });
  assert.equal(centers.length, 4);
  assert.ok(centers.flat().every((v) => v >= -1 && v < 1));
  assert.ok(X.every((row) => row.length === 3));
  assert.throws(() => makeBlobs({ nSamples: 10, centers: [[0, 0]], clusterStd: [1, 2], seed: 0 }), /clusterStd has 2 entries for 1 centers/);
  assert.throws(() => makeBlobs({ nSamples: 10, centers: 0, seed: 0 }), /centers must be an integer ≥ 1 or an array of points, got 0/);
});

test("makeXor: 4 unshuffled rows are the truth table; labels match the XOR of the clean corners", () => {
  assert.deepEqual(makeXor({ nSamples: 4, seed: 0, shuffle: false }), {
    X: [[0, 0], [0, 1], [1, 0], [1, 1]],
    y: [0, 1, 1, 0],
  });
  const { X, y } = makeXor({ nSamples: 400, noise: 0.1, seed: 4 });
  assert.equal(count(y, 1), 200);
  // With σ = 0.1 a point crosses the 0.5 line with probability ≈ 3e-7, so rounding recovers its corner.
  X.forEach(([a, b], i) => assert.equal(Math.round(a!) ^ Math.round(b!), y[i]));
});

test("makeNoisyFunction: sorted x in range, residuals y − f(x) have the noise's standard deviation", () => {
  const f = (x: number) => Math.sin(2 * Math.PI * x);
  const { X, y } = makeNoisyFunction(f, { nSamples: 20000, noise: 0.3, seed: 5, xRange: [-1, 2] });
  const xs = X.map((r) => r[0]!);
  assert.ok(xs.every((x, i) => x >= -1 && x < 2 && (i === 0 || x >= xs[i - 1]!)));
  const residuals = y.map((v, i) => v - f(xs[i]!));
  assert.ok(Math.abs(mean(residuals)) < (5 * 0.3) / Math.sqrt(20000));
  assert.ok(Math.abs(std(residuals) - 0.3) < (5 * 0.3) / Math.sqrt(40000));
  assert.deepEqual(makeNoisyFunction(f, { nSamples: 3, seed: 0 }).y, makeNoisyFunction(f, { nSamples: 3, seed: 0 }).X.map((r) => f(r[0]!)));
  assert.throws(() => makeNoisyFunction(f, { nSamples: 3, seed: 0, xRange: [1, 1] }), /xRange must be \[low, high\] with low < high, got \[1,1\]/);
});

test("makeRegression: the first nInformative coefficients are non-zero, y = X·coef + bias exactly without noise", () => {
  const { X, y, coef } = makeRegression({ nSamples: 50, nFeatures: 20, nInformative: 3, bias: 2, seed: 6 });
  assert.ok(coef.slice(0, 3).every((c) => Math.abs(c) >= 1 && Math.abs(c) <= 5));
  assert.ok(coef.slice(3).every((c) => c === 0));
  X.forEach((row, i) => assert.ok(Math.abs(row.reduce((s, v, j) => s + v * coef[j]!, 2) - y[i]!) < 1e-12));
  assert.throws(() => makeRegression({ nSamples: 5, nFeatures: 2, nInformative: 3, seed: 0 }), /nInformative must be an integer in \[0, nFeatures = 2\], got 3/);
});

test("every generator is deterministic under its seed and different across seeds", () => {
  const generators = [
    (seed: number) => makeMoons({ nSamples: 50, noise: 0.1, seed }),
    (seed: number) => makeCircles({ nSamples: 50, noise: 0.1, seed }),
    (seed: number) => makeBlobs({ nSamples: 50, centers: 3, seed }),
    (seed: number) => makeXor({ nSamples: 50, noise: 0.1, seed }),
    (seed: number) => makeNoisyFunction(Math.exp, { nSamples: 50, noise: 0.1, seed }),
    (seed: number) => makeRegression({ nSamples: 50, nFeatures: 4, noise: 0.1, seed }),
  ];
  for (const make of generators) {
    assert.deepEqual(make(7), make(7));
    assert.notDeepEqual(make(7), make(8));
  }
});

test("bad common arguments are named", () => {
  assert.throws(() => makeMoons({ nSamples: 1, seed: 0 }), /makeMoons: nSamples must be an integer ≥ 2, got 1/);
  assert.throws(() => makeXor({ nSamples: 4, noise: -1, seed: 0 }), /makeXor: noise must be ≥ 0, got -1/);
  assert.throws(() => makeCircles({ nSamples: 4, seed: 0.5 }), /makeCircles: seed must be an integer, got 0.5/);
});
