import { test } from "node:test";
import * as assert from "node:assert/strict";
import {
  AugmentationPipeline, addGaussianNoise, compose, flattenImage, flipHorizontal, flipVertical, randomFlipHorizontal,
  randomShift, rotate90, shiftImage, shiftOffsets, toImage,
} from "../../../lib/nn/augment";
import { Random } from "../../../lib/random";

// A 2×3 image with distinct values, so every permutation of pixels is visible.
const A = [
  [1, 2, 3],
  [4, 5, 6],
];

test("toImage / flattenImage are inverse, row-major", () => {
  assert.deepEqual(toImage([1, 2, 3, 4, 5, 6], 3), A);
  assert.deepEqual(flattenImage(A), [1, 2, 3, 4, 5, 6]);
  assert.throws(() => toImage([1, 2, 3], 2), /width must be a positive integer dividing 3 pixels, got 2/);
});

test("flips and rotations equal numpy's fliplr / flipud / rot90 on a hand-worked example", () => {
  assert.deepEqual(flipHorizontal(A), [[3, 2, 1], [6, 5, 4]]);
  assert.deepEqual(flipVertical(A), [[4, 5, 6], [1, 2, 3]]);
  // np.rot90([[1,2,3],[4,5,6]]) = [[3,6],[2,5],[1,4]] (counter-clockwise); k = −1 is clockwise.
  assert.deepEqual(rotate90(A), [[3, 6], [2, 5], [1, 4]]);
  assert.deepEqual(rotate90(A, 2), [[6, 5, 4], [3, 2, 1]]);
  assert.deepEqual(rotate90(A, -1), [[4, 1], [5, 2], [6, 3]]);
  assert.deepEqual(rotate90(A, 4), A);
});

test("shiftImage moves content down/right for positive offsets and zero-fills", () => {
  assert.deepEqual(shiftImage(A, 0, 1), [[0, 1, 2], [0, 4, 5]]);
  assert.deepEqual(shiftImage(A, 1, 0), [[0, 0, 0], [1, 2, 3]]);
  assert.deepEqual(shiftImage(A, -1, -1, 9), [[5, 6, 9], [9, 9, 9]]);
  assert.deepEqual(shiftImage(A, 0, 3), [[0, 0, 0], [0, 0, 0]]);
  assert.throws(() => shiftImage(A, 0.5, 0), /dy and dx must be integers, got 0.5, 0/);
});

test("transforms return new arrays and leave the input alone", () => {
  const copy = A.map((r) => [...r]);
  for (const out of [flipHorizontal(A), flipVertical(A), rotate90(A, 4), shiftImage(A, 0, 0)]) {
    assert.notEqual(out, A);
    out[0]![0] = -1;
  }
  assert.deepEqual(A, copy);
});

test("shiftOffsets lists the (2m+1)² − 1 non-zero offsets", () => {
  assert.equal(shiftOffsets(1).length, 8);
  assert.equal(shiftOffsets(2).length, 24);
  assert.ok(!shiftOffsets(1).some(([dy, dx]) => dy === 0 && dx === 0));
  assert.throws(() => shiftOffsets(0), /maxShift must be an integer ≥ 1, got 0/);
});

test("randomShift draws each of the 8 offsets about equally often", () => {
  // A single bright pixel in the middle of a 5×5 image: its new position reveals the offset drawn.
  const dot = Array.from({ length: 5 }, (_, r) => Array.from({ length: 5 }, (_, c) => (r === 2 && c === 2 ? 1 : 0)));
  const rng = new Random(0);
  const counts = new Map<string, number>();
  const n = 8000;
  for (let i = 0; i < n; i++) {
    const out = randomShift(1)(dot, rng);
    const at = out.flat().indexOf(1);
    const key = `${Math.floor(at / 5) - 2},${(at % 5) - 2}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.equal(counts.size, 8);
  assert.ok(!counts.has("0,0"));
  // Binomial(8000, 1/8): sd ≈ 29.6; ±5 sd.
  for (const c of counts.values()) assert.ok(Math.abs(c - n / 8) < 150, `count ${c}`);
});

test("noise keeps the [0, 1] range and has the requested std away from the bounds", () => {
  const grey = Array.from({ length: 100 }, () => new Array<number>(100).fill(0.5));
  const noisy = addGaussianNoise(grey, 0.05, new Random(1)).flat();
  const mean = noisy.reduce((s, v) => s + v, 0) / noisy.length;
  const std = Math.sqrt(noisy.reduce((s, v) => s + (v - mean) ** 2, 0) / noisy.length);
  assert.ok(Math.abs(mean - 0.5) < 0.002 && Math.abs(std - 0.05) < 0.002, `mean ${mean}, std ${std}`);
  const clipped = addGaussianNoise(grey, 5, new Random(2)).flat();
  assert.ok(clipped.every((v) => v >= 0 && v <= 1));
  assert.ok(clipped.filter((v) => v === 0).length > 3000, "heavy noise is clipped at 0");
});

test("randomFlipHorizontal flips with probability p", () => {
  const rng = new Random(3);
  let flipped = 0;
  for (let i = 0; i < 4000; i++) if (randomFlipHorizontal(0.25)(A, rng)[0]![0] === 3) flipped++;
  // Binomial(4000, 0.25): sd ≈ 27.4.
  assert.ok(Math.abs(flipped - 1000) < 137, `flipped ${flipped}`);
  assert.throws(() => randomFlipHorizontal(2), /p must be in \[0, 1\], got 2/);
});

test("compose applies left to right", () => {
  const t = compose((img) => shiftImage(img, 0, 1), (img) => flipHorizontal(img));
  assert.deepEqual(t(A, new Random(0)), flipHorizontal(shiftImage(A, 0, 1)));
});

test("pipeline: evaluation mode returns the same array without drawing; training mode draws", () => {
  const batch = [A, flipVertical(A)];
  const a = new AugmentationPipeline([randomShift(1)], { seed: 5 });
  const b = new AugmentationPipeline([randomShift(1)], { seed: 5 });
  assert.equal(a.apply(batch, { training: false }), batch);
  // a has been asked for evaluation output, b has not: their training streams must still agree.
  assert.deepEqual(a.apply(batch, { training: true }), b.apply(batch, { training: true }));
  const first = a.apply(batch, { training: true });
  const second = a.apply(batch, { training: true });
  assert.notDeepEqual(first, second);
});

test("pipeline.expand: originals first, then copies with repeated labels", () => {
  const pipeline = new AugmentationPipeline([randomShift(1)], { seed: 0 });
  const { images, labels } = pipeline.expand([A, flipVertical(A)], [7, 8], 3);
  assert.equal(images.length, 8);
  assert.deepEqual(labels, [7, 8, 7, 8, 7, 8, 7, 8]);
  assert.deepEqual(images.slice(0, 2), [A, flipVertical(A)]);
  assert.throws(() => pipeline.expand([A], [1, 2], 1), /2 labels for 1 images/);
});
