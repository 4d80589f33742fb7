/**
 * Axis-aligned boxes for object detection: area, intersection over union (IoU) and greedy non-maximum suppression
 * (NMS), in the conventions of torchvision.ops:
 *
 *   a box is [x1, y1, x2, y2] (corners, x1 ≤ x2, y1 ≤ y2, continuous coordinates: a box from 0 to 2 has width 2);
 *   IoU(a, b) = area(a ∩ b) / area(a ∪ b), 0 when the union is empty;
 *   NMS keeps the highest-scoring box, drops every remaining box whose IoU with it is > the threshold, and repeats.
 *
 * tf.image.nonMaxSuppression computes the same NMS on [y1, x1, y2, x2] boxes (the unit test compares the two).
 */

/** [x1, y1, x2, y2] with x1 ≤ x2 and y1 ≤ y2. */
export type Box = readonly [number, number, number, number];

/** Throws a RangeError naming `what` unless `box` is four finite numbers with x1 ≤ x2 and y1 ≤ y2. */
export function assertBox(box: readonly number[], what = "box"): asserts box is Box {
  if (!Array.isArray(box) || box.length !== 4) throw new RangeError(`${what} must be [x1, y1, x2, y2], got ${JSON.stringify(box)}`);
  if (!box.every(Number.isFinite)) throw new RangeError(`${what} has a non-finite coordinate: ${JSON.stringify(box)}`);
  if (box[2]! < box[0]! || box[3]! < box[1]!) throw new RangeError(`${what} must have x1 ≤ x2 and y1 ≤ y2, got ${JSON.stringify(box)}`);
}

export function boxArea(box: Box): number {
  return (box[2] - box[0]) * (box[3] - box[1]);
}

/** The overlap of a and b as a box, or null when they do not overlap with positive area. */
export function boxIntersection(a: Box, b: Box): Box | null {
  const x1 = Math.max(a[0], b[0]);
  const y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[2], b[2]);
  const y2 = Math.min(a[3], b[3]);
  return x2 > x1 && y2 > y1 ? [x1, y1, x2, y2] : null;
}

export function iou(a: Box, b: Box): number {
  const overlap = boxIntersection(a, b);
  if (overlap === null) return 0;
  const inter = boxArea(overlap);
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** IoU of every box in `a` (rows) with every box in `b` (columns). */
export function iouMatrix(a: readonly Box[], b: readonly Box[]): number[][] {
  a.forEach((box, i) => assertBox(box, `a[${i}]`));
  b.forEach((box, j) => assertBox(box, `b[${j}]`));
  return a.map((boxA) => b.map((boxB) => iou(boxA, boxB)));
}

export interface NmsOptions {
  /** Boxes overlapping a kept box by IoU > this are dropped (default 0.5). */
  iouThreshold?: number;
  /** Boxes scoring below this are dropped first (default −Infinity: none). */
  scoreThreshold?: number;
  /** Keep at most this many boxes (default all). */
  maxOutput?: number;
}

/**
 * Greedy NMS: the indices of the kept boxes, highest score first (equal scores: lower index first). Boxes of different
 * classes should not suppress each other: use `batchedNonMaxSuppression` for that.
 */
export function nonMaxSuppression(boxes: readonly Box[], scores: readonly number[], options: NmsOptions = {}): number[] {
  const { iouThreshold = 0.5, scoreThreshold = -Infinity, maxOutput = boxes.length } = options;
  if (scores.length !== boxes.length) throw new RangeError(`nonMaxSuppression: ${boxes.length} boxes but ${scores.length} scores`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new RangeError(`nonMaxSuppression: iouThreshold must be in [0, 1], got ${iouThreshold}`);
  if (!Number.isInteger(maxOutput) || maxOutput < 0) throw new RangeError(`nonMaxSuppression: maxOutput must be a non-negative integer, got ${maxOutput}`);
  boxes.forEach((box, i) => assertBox(box, `boxes[${i}]`));
  scores.forEach((score, i) => {
    if (Number.isNaN(score)) throw new RangeError(`nonMaxSuppression: scores[${i}] is NaN`);
  });
  const order = boxes.map((_, i) => i).filter((i) => scores[i]! >= scoreThreshold).sort((i, j) => scores[j]! - scores[i]! || i - j);
  const kept: number[] = [];
  for (const candidate of order) {
    if (kept.length === maxOutput) break;
    if (kept.every((k) => iou(boxes[k]!, boxes[candidate]!) <= iouThreshold)) kept.push(candidate);
  }
  return kept;
}

/** NMS within each class separately (torchvision's batched_nms): indices of the kept boxes, highest score first. */
export function batchedNonMaxSuppression(boxes: readonly Box[], scores: readonly number[], classes: readonly number[], options: NmsOptions = {}): number[] {
  if (classes.length !== boxes.length) throw new RangeError(`batchedNonMaxSuppression: ${boxes.length} boxes but ${classes.length} classes`);
  const kept: number[] = [];
  for (const cls of [...new Set(classes)]) {
    const members = classes.flatMap((c, i) => (c === cls ? [i] : []));
    const keptInClass = nonMaxSuppression(members.map((i) => boxes[i]!), members.map((i) => scores[i]!), { ...options, maxOutput: undefined });
    kept.push(...keptInClass.map((k) => members[k]!));
  }
  kept.sort((i, j) => scores[j]! - scores[i]! || i - j);
  return options.maxOutput === undefined ? kept : kept.slice(0, options.maxOutput);
}
