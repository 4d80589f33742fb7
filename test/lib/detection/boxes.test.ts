import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { setupTf, tf } from "../../../lib/tf";
import { Random } from "../../../lib/random";
import { assertBox, batchedNonMaxSuppression, boxArea, iou, iouMatrix, nonMaxSuppression, type Box } from "../../../lib/detection/boxes";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

/** A random box with integer corners inside [0, size]². */
function integerBox(rng: Random, size: number): Box {
  const [x1, x2] = [rng.int(0, size + 1), rng.int(0, size + 1)].sort((a, b) => a - b) as [number, number];
  const [y1, y2] = [rng.int(0, size + 1), rng.int(0, size + 1)].sort((a, b) => a - b) as [number, number];
  return [x1, y1, x2, y2];
}

/** IoU by counting the unit cells each box covers: an independent truth for integer boxes. */
function iouByCells(a: Box, b: Box, size: number): number {
  const inside = (box: Box, x: number, y: number) => x >= box[0] && x + 1 <= box[2] && y >= box[1] && y + 1 <= box[3];
  let both = 0;
  let either = 0;
  for (let x = 0; x < size; x += 1) {
    for (let y = 0; y < size; y += 1) {
      const [inA, inB] = [inside(a, x, y), inside(b, x, y)];
      if (inA && inB) both += 1;
      if (inA || inB) either += 1;
    }
  }
  return either === 0 ? 0 : both / either;
}

test("IoU by hand: a shifted square 1/7, containment 1/4, identical 1, touching or apart 0", () => {
  assert.equal(iou([0, 0, 2, 2], [1, 1, 3, 3]), 1 / 7);
  assert.equal(iou([0, 0, 4, 4], [1, 1, 3, 3]), 4 / 16);
  assert.equal(iou([1, 2, 5, 7], [1, 2, 5, 7]), 1);
  assert.equal(iou([0, 0, 2, 2], [2, 0, 4, 2]), 0);
  assert.equal(iou([0, 0, 1, 1], [5, 5, 6, 6]), 0);
  assert.equal(iou([3, 3, 3, 3], [3, 3, 3, 3]), 0, "two empty boxes have no union");
  assert.equal(boxArea([1, 2, 4, 6]), 12);
});

test("IoU equals counting covered cells, and is symmetric, on 500 random integer boxes", () => {
  const rng = new Random(7);
  for (let trial = 0; trial < 500; trial += 1) {
    const [a, b] = [integerBox(rng, 12), integerBox(rng, 12)];
    assert.ok(Math.abs(iou(a, b) - iouByCells(a, b, 12)) < 1e-12, `${a} vs ${b}`);
    assert.equal(iou(a, b), iou(b, a));
  }
});

test("bad boxes are refused, naming the box", () => {
  assert.throws(() => assertBox([2, 0, 1, 1], "gt[3]"), /gt\[3\] must have x1 ≤ x2 and y1 ≤ y2/);
  assert.throws(() => assertBox([0, 0, 1], "det"), /det must be \[x1, y1, x2, y2\]/);
  assert.throws(() => assertBox([0, NaN, 1, 1]), /non-finite/);
  assert.throws(() => iouMatrix([[0, 0, 1, 1]], [[0, 0, 1, 1], [1, 1, 0, 0]]), /b\[1\] must have/);
  assert.deepEqual(iouMatrix([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]]), [[1 / 7, 1]]);
});

test("NMS by hand: the best box suppresses its heavy overlaps only, then the next survivor does the same", () => {
  const boxes: Box[] = [[0, 0, 10, 10], [1, 1, 11, 11], [20, 20, 30, 30], [0, 0, 10, 9], [21, 21, 30, 30]];
  const scores = [0.9, 0.8, 0.7, 0.95, 0.6];
  // 3 (0.95) suppresses 0 (IoU 90/100) and 1 (IoU 72/118 = 0.61); 2 suppresses 4 (IoU 81/100).
  assert.deepEqual(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5 }), [3, 2]);
  assert.deepEqual(nonMaxSuppression(boxes, scores, { iouThreshold: 0.85 }), [3, 1, 2, 4]);
  assert.deepEqual(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, maxOutput: 1 }), [3]);
  assert.deepEqual(nonMaxSuppression(boxes, scores, { iouThreshold: 0.5, scoreThreshold: 0.92 }), [3]);
  assert.deepEqual(nonMaxSuppression([], []), []);
  // An overlap exactly at the threshold is kept: only IoU > threshold suppresses (torchvision's rule).
  assert.deepEqual(nonMaxSuppression([[0, 0, 2, 2], [1, 1, 3, 3]], [2, 1], { iouThreshold: 1 / 7 }), [0, 1]);
  assert.deepEqual(nonMaxSuppression([[0, 0, 2, 2], [1, 1, 3, 3]], [2, 1], { iouThreshold: 1 / 7 - 1e-9 }), [0]);
});

test("NMS equals tf.image.nonMaxSuppression on 200 random sets of boxes and thresholds", () => {
  const rng = new Random(11);
  for (let trial = 0; trial < 200; trial += 1) {
    const n = rng.int(1, 25);
    const boxes = Array.from({ length: n }, () => integerBox(rng, 16));
    const scores = rng.permutation(n).map((rank) => (rank + 1) / (n + 1)); // distinct scores: no tie to break
    // Thresholds no IoU of these boxes (a ratio of integers up to 512) comes within float32 rounding of: tf computes
    // in float32, so at an exact tie (IoU = 0.3, say) its comparison may go either way. Ties are tested by hand above.
    const iouThreshold = [0.1234, 0.3456, 0.5321, 0.7123][trial % 4]!;
    const ours = nonMaxSuppression(boxes, scores, { iouThreshold });
    const theirs = tf.tidy(() => tf.image.nonMaxSuppression(tf.tensor2d(boxes.map(([x1, y1, x2, y2]) => [y1, x1, y2, x2])), tf.tensor1d(scores), n, iouThreshold).arraySync());
    assert.deepEqual(ours, theirs, `trial ${trial}`);
  }
});

test("batched NMS: boxes of different classes never suppress each other; within a class it is plain NMS", () => {
  const boxes: Box[] = [[0, 0, 10, 10], [0, 0, 10, 10], [0, 0, 10, 10], [50, 50, 60, 60]];
  const scores = [0.9, 0.8, 0.7, 0.6];
  assert.deepEqual(batchedNonMaxSuppression(boxes, scores, [0, 1, 0, 1]), [0, 1, 3]);
  assert.deepEqual(nonMaxSuppression(boxes, scores), [0, 3]);
  assert.deepEqual(batchedNonMaxSuppression(boxes, scores, [0, 1, 0, 1], { maxOutput: 2 }), [0, 1]);
  assert.throws(() => batchedNonMaxSuppression(boxes, scores, [0, 1]), /4 boxes but 2 classes/);
  assert.throws(() => nonMaxSuppression(boxes, [1, 2]), /4 boxes but 2 scores/);
  assert.throws(() => nonMaxSuppression(boxes, scores, { iouThreshold: 1.5 }), /iouThreshold must be in \[0, 1\]/);
  assert.throws(() => nonMaxSuppression(boxes, [NaN, 1, 1, 1]), /scores\[0\] is NaN/);
});
