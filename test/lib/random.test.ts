import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random, seedMathRandom } from "../../lib/random";

test("xoshiro128** matches the C reference implementation (splitmix32 seeding)", () => {
  // Values printed by the reference C code of Blackman & Vigna, seeded with the same splitmix32: test/reference/xoshiro128starstar.c.
  const expected: Record<number, number[]> = {
    0: [3809008728, 1133695204, 53579671, 2891528803, 139681546],
    42: [2837322924, 544945897, 479756282, 3500138142, 339756180],
  };
  for (const [seed, values] of Object.entries(expected)) {
    const rng = new Random(Number(seed));
    assert.deepEqual(values.map(() => rng.nextUint32()), values);
  }
});

test("same seed, same stream; different seeds, different streams", () => {
  const a = new Random(7).array(100, (r) => r.random());
  const b = new Random(7).array(100, (r) => r.random());
  const c = new Random(8).array(100, (r) => r.random());
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

test("uniform draws have mean 1/2 and variance 1/12 within sampling error", () => {
  const n = 200_000;
  const xs = new Random(1).array(n, (r) => r.random());
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
  // 5 standard errors: the standard error of the mean is sqrt(1/12/n) ≈ 6.5e-4.
  assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  assert.ok(xs.every((x) => x >= 0 && x < 1));
});

test("normal draws match mean, std and the 1.96 tail mass", () => {
  const n = 200_000;
  const xs = new Random(2).array(n, (r) => r.normal(3, 2));
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n);
  const tail = xs.filter((x) => Math.abs((x - 3) / 2) > 1.959964).length / n;
  assert.ok(Math.abs(mean - 3) < 5 * (2 / Math.sqrt(n)), `mean ${mean}`);
  assert.ok(Math.abs(std - 2) < 0.02, `std ${std}`);
  assert.ok(Math.abs(tail - 0.05) < 5 * Math.sqrt((0.05 * 0.95) / n), `tail ${tail}`);
});

test("int is unbiased over its range: chi-square on 6 bins", () => {
  const rng = new Random(3);
  const counts = new Array(6).fill(0);
  const n = 60_000;
  for (let i = 0; i < n; i++) counts[rng.int(0, 6)]++;
  const chi2 = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
  assert.ok(chi2 < 20.5, `chi2 ${chi2} (p = 0.001 critical value for 5 dof is 20.5)`);
});

test("permutation is a permutation, and every position is uniform", () => {
  const rng = new Random(4);
  const firstCounts = new Array(5).fill(0);
  for (let i = 0; i < 50_000; i++) {
    const p = rng.permutation(5);
    assert.deepEqual([...p].sort(), [0, 1, 2, 3, 4]);
    firstCounts[p[0]!]++;
  }
  for (const c of firstCounts) assert.ok(Math.abs(c - 10_000) < 500, `first-position counts ${firstCounts}`);
});

test("sampleIndices gives k distinct indices; bad arguments are named", () => {
  const idx = new Random(5).sampleIndices(10, 4);
  assert.equal(new Set(idx).size, 4);
  assert.ok(idx.every((i) => i >= 0 && i < 10));
  assert.throws(() => new Random(5).sampleIndices(3, 4), /k=4, n=3/);
  assert.throws(() => new Random(1.5), /seed must be an integer, got 1.5/);
  assert.throws(() => new Random(0).int(3, 3), /low=3, high=3/);
  assert.throws(() => new Random(0).choice([]), /empty/);
});

test("seedMathRandom makes Math.random repeatable and restores it", () => {
  const original = Math.random;
  const restore = seedMathRandom(11);
  const a = [Math.random(), Math.random()];
  restore();
  assert.equal(Math.random, original);
  const restore2 = seedMathRandom(11);
  const b = [Math.random(), Math.random()];
  restore2();
  assert.deepEqual(a, b);
});

test("withUnseededMathRandom: draws inside it do not shift the seeded stream", async () => {
  const { withUnseededMathRandom } = await import("../../lib/random");
  const restore = seedMathRandom(5);
  const expected = (() => {
    const r = new Random(5);
    return [r.random(), r.random()];
  })();
  const first = Math.random();
  await withUnseededMathRandom(async () => {
    for (let i = 0; i < 10; i++) Math.random();
  });
  const second = Math.random();
  restore();
  assert.deepEqual([first, second], expected);
});
