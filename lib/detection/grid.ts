/**
 * The targets and the decoding of a one-stage, grid-based detector in the style of YOLO v1: the image is cut into
 * S × S cells; the cell holding an object's centre is responsible for it and predicts, in 5 + C channels,
 *
 *   [objectness, tx, ty, tw, th, p(class 0), …, p(class C−1)]
 *
 * with (tx, ty) ∈ [0, 1) the centre's offset inside the cell (in cell widths) and (tw, th) the box's width and height
 * as fractions of the image. Decoding turns every cell whose score objectness · max p(class) reaches a threshold into
 * a box, clipped to the image; class-wise NMS (boxes.ts) then removes duplicates. (YOLO v1 predicts √w, √h and two
 * boxes per cell; anchors, as in YOLO v2 and SSD, let a cell hold several objects of different shapes.)
 */
import { assertBox, type Box } from "./boxes";
import { centreCell } from "./shapes";

export interface GridSpec {
  /** S: cells per side. */
  gridSize: number;
  /** Image side in pixels (square images). */
  imageSize: number;
  numClasses: number;
}

export interface GridObject {
  box: Box;
  label: number;
}

export interface GridDetection {
  box: Box;
  score: number;
  label: number;
}

function channels(spec: GridSpec): number {
  const { gridSize, imageSize, numClasses } = spec;
  if (!(Number.isInteger(gridSize) && gridSize >= 1)) throw new RangeError(`grid: gridSize must be a positive integer, got ${gridSize}`);
  if (!(imageSize > 0)) throw new RangeError(`grid: imageSize must be positive, got ${imageSize}`);
  if (!(Number.isInteger(numClasses) && numClasses >= 1)) throw new RangeError(`grid: numClasses must be a positive integer, got ${numClasses}`);
  return 5 + numClasses;
}

/**
 * The target of one image: Float32Array [S · S · (5 + C)], row-major over (row, column, channel). Cells without an
 * object are all zeros (only their objectness is trained). Two objects whose centres share a cell are refused.
 */
export function encodeGridTargets(objects: readonly GridObject[], spec: GridSpec): Float32Array {
  const depth = channels(spec);
  const { gridSize, imageSize, numClasses } = spec;
  const cell = imageSize / gridSize;
  const target = new Float32Array(gridSize * gridSize * depth);
  const owner = new Map<number, number>();
  objects.forEach(({ box, label }, i) => {
    assertBox(box, `objects[${i}].box`);
    if (!(Number.isInteger(label) && label >= 0 && label < numClasses)) throw new RangeError(`encodeGridTargets: objects[${i}].label must be an integer in 0..${numClasses - 1}, got ${label}`);
    const [row, column] = centreCell(box, imageSize, gridSize);
    const at = row * gridSize + column;
    if (owner.has(at)) throw new RangeError(`encodeGridTargets: objects[${owner.get(at)}] and objects[${i}] have their centres in the same cell (row ${row}, column ${column}); one cell holds one object`);
    owner.set(at, i);
    const [cx, cy] = [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2];
    const offset = at * depth;
    target[offset] = 1;
    target[offset + 1] = Math.min(cx / cell - column, 1 - 1e-6);
    target[offset + 2] = Math.min(cy / cell - row, 1 - 1e-6);
    target[offset + 3] = (box[2] - box[0]) / imageSize;
    target[offset + 4] = (box[3] - box[1]) / imageSize;
    target[offset + 5 + label] = 1;
  });
  return target;
}

/** The boxes one image's grid output [S · S · (5 + C)] predicts, each scored objectness · max class probability. */
export function decodeGridPredictions(prediction: ArrayLike<number>, spec: GridSpec & { scoreThreshold?: number }): GridDetection[] {
  const depth = channels(spec);
  const { gridSize, imageSize, numClasses, scoreThreshold = 0.5 } = spec;
  if (prediction.length !== gridSize * gridSize * depth) {
    throw new RangeError(`decodeGridPredictions: expected ${gridSize}·${gridSize}·${depth} = ${gridSize * gridSize * depth} values, got ${prediction.length}`);
  }
  const cell = imageSize / gridSize;
  const clip = (value: number) => Math.min(imageSize, Math.max(0, value));
  const detections: GridDetection[] = [];
  for (let row = 0; row < gridSize; row += 1) {
    for (let column = 0; column < gridSize; column += 1) {
      const offset = (row * gridSize + column) * depth;
      let label = 0;
      for (let c = 1; c < numClasses; c += 1) if (prediction[offset + 5 + c]! > prediction[offset + 5 + label]!) label = c;
      const score = prediction[offset]! * prediction[offset + 5 + label]!;
      if (!(score >= scoreThreshold)) continue;
      const [cx, cy] = [(column + prediction[offset + 1]!) * cell, (row + prediction[offset + 2]!) * cell];
      // A network may predict a negative size: that is an empty box, not an inverted one.
      const [halfWidth, halfHeight] = [Math.max(0, prediction[offset + 3]! * imageSize) / 2, Math.max(0, prediction[offset + 4]! * imageSize) / 2];
      detections.push({ box: [clip(cx - halfWidth), clip(cy - halfHeight), clip(cx + halfWidth), clip(cy + halfHeight)], score, label });
    }
  }
  return detections;
}
