/**
 * Seeded shape canvases for object detection, with exact boxes: grayscale images with a few filled squares, discs
 * and triangles on a noisy background, and for each object its class and the tight box of the pixels it drew.
 * The stand-in for PASCAL VOC / COCO, which cannot be downloaded here: small enough to train a one-stage detector
 * on a CPU in seconds, with boxes that are right by construction.
 *
 *   const data = makeShapeCanvases({ count: 600, size: 32, maxObjects: 3, gridSize: 4, seed: 1 });
 *   data.images       // Float32Array [count · size · size], pixels in [0, 1]
 *   data.objects[i]   // [{ box: [x1, y1, x2, y2], label }] for image i (box in pixels, x2 and y2 exclusive)
 *
 * With `gridSize`, no two objects of an image have their centres in the same cell of a gridSize × gridSize grid,
 * so a YOLO-v1-style target with one object per cell (grid.ts) holds every object.
 */
import { Random } from "../random";
import type { Box } from "./boxes";

export const SHAPE_CLASSES = ["square", "disc", "triangle"] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

export interface ShapeObject {
  box: Box;
  label: number;
}

export interface ShapeCanvasOptions {
  count: number;
  seed: number;
  /** Image side in pixels (default 32). */
  size?: number;
  /** Objects per image: 1..maxObjects, uniform (default 3). */
  maxObjects?: number;
  /** Side of a shape's square frame in pixels (defaults 6 and 12). */
  minShapeSize?: number;
  maxShapeSize?: number;
  /** Standard deviation of the Gaussian pixel noise (default 0.05); shapes have intensity 0.6–1 on a 0–0.2 background. */
  noise?: number;
  /** Keep the centres of an image's objects in distinct cells of this grid (default: no constraint). */
  gridSize?: number;
}

export interface ShapeCanvases {
  images: Float32Array;
  size: number;
  objects: ShapeObject[][];
  classNames: readonly ShapeClass[];
}

/** Does pixel (x, y) of a shape of class `label` drawn in the square frame at (left, top) of side `side` belong to it? */
function covers(label: number, side: number, x: number, y: number): boolean {
  const [u, v] = [x + 0.5, y + 0.5]; // pixel centre, relative to the frame's corner
  if (label === 0) return true;
  if (label === 1) return (u - side / 2) ** 2 + (v - side / 2) ** 2 <= (side / 2) ** 2;
  // An upward triangle: apex at the top centre, base along the bottom edge.
  return Math.abs(u - side / 2) <= (v / side) * (side / 2);
}

export function makeShapeCanvases(options: ShapeCanvasOptions): ShapeCanvases {
  const { count, seed, size = 32, maxObjects = 3, minShapeSize = 6, maxShapeSize = 12, noise = 0.05, gridSize } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`makeShapeCanvases: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(maxObjects) || maxObjects < 1) throw new RangeError(`makeShapeCanvases: maxObjects must be a positive integer, got ${maxObjects}`);
  if (!(Number.isInteger(minShapeSize) && Number.isInteger(maxShapeSize) && minShapeSize >= 3 && minShapeSize <= maxShapeSize && maxShapeSize <= size)) {
    throw new RangeError(`makeShapeCanvases: need integers 3 ≤ minShapeSize ≤ maxShapeSize ≤ size, got ${minShapeSize}, ${maxShapeSize}, ${size}`);
  }
  if (gridSize !== undefined && !(Number.isInteger(gridSize) && gridSize >= 1 && gridSize * gridSize >= maxObjects)) {
    throw new RangeError(`makeShapeCanvases: gridSize must be an integer with gridSize² ≥ maxObjects, got ${gridSize}`);
  }
  const rng = new Random(seed);
  const images = new Float32Array(count * size * size);
  const objects: ShapeObject[][] = [];
  for (let image = 0; image < count; image += 1) {
    const canvas = images.subarray(image * size * size, (image + 1) * size * size);
    for (let p = 0; p < canvas.length; p += 1) canvas[p] = rng.uniform(0, 0.2);
    const placed: ShapeObject[] = [];
    const wanted = rng.int(1, maxObjects + 1);
    for (let attempt = 0; placed.length < wanted && attempt < 200; attempt += 1) {
      const side = rng.int(minShapeSize, maxShapeSize + 1);
      const [left, top] = [rng.int(0, size - side + 1), rng.int(0, size - side + 1)];
      const label = rng.int(0, SHAPE_CLASSES.length);
      let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let y = 0; y < side; y += 1) {
        for (let x = 0; x < side; x += 1) {
          if (!covers(label, side, x, y)) continue;
          [x1, y1, x2, y2] = [Math.min(x1, left + x), Math.min(y1, top + y), Math.max(x2, left + x + 1), Math.max(y2, top + y + 1)];
        }
      }
      const box: Box = [x1, y1, x2, y2];
      // Apart by at least one pixel from every placed box, so that boxes and pixels agree exactly.
      if (placed.some(({ box: other }) => box[0] <= other[2] && other[0] <= box[2] && box[1] <= other[3] && other[1] <= box[3])) continue;
      if (gridSize !== undefined && placed.some(({ box: other }) => sameCell(box, other, size, gridSize))) continue;
      const intensity = rng.uniform(0.6, 1);
      for (let y = 0; y < side; y += 1) {
        for (let x = 0; x < side; x += 1) if (covers(label, side, x, y)) canvas[(top + y) * size + left + x] = intensity;
      }
      placed.push({ box, label });
    }
    for (let p = 0; p < canvas.length; p += 1) canvas[p] = Math.min(1, Math.max(0, canvas[p]! + noise * rng.normal()));
    objects.push(placed);
  }
  return { images, size, objects, classNames: SHAPE_CLASSES };
}

/** The grid cell [row, column] holding a box's centre. */
export function centreCell(box: Box, imageSize: number, gridSize: number): [number, number] {
  const cell = imageSize / gridSize;
  const clampIndex = (value: number) => Math.min(gridSize - 1, Math.max(0, Math.floor(value / cell)));
  return [clampIndex((box[1] + box[3]) / 2), clampIndex((box[0] + box[2]) / 2)];
}

function sameCell(a: Box, b: Box, imageSize: number, gridSize: number): boolean {
  const [ca, cb] = [centreCell(a, imageSize, gridSize), centreCell(b, imageSize, gridSize)];
  return ca[0] === cb[0] && ca[1] === cb[1];
}
