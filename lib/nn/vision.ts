/**
 * Image batches as TensorFlow.js tensors, shared by the CNN notebooks, the MNIST benchmark and the pretraining
 * script:
 *
 *   const mnist = loadMnist();
 *   const x = imageBatch(mnist, range(0, 8000));        // [8000, 28, 28, 1], pixels scaled to 0–1
 *   const y = oneHotBatch(mnist, range(0, 8000));        // [8000, 10]
 *   const moved = randomTranslate(x, 1, seed);           // each image moved by −1, 0 or +1 pixel per axis
 *   const predicted = predictClasses(model, x);          // Int32Array of class ids
 *
 * The caller owns (and disposes) every tensor returned here.
 */
import type { ImageDataset } from "../data";
import { checkValues } from "../ml/base";
import { tf } from "../tf";

/** start, start + 1, …, stop − 1 */
export function range(start: number, stop: number): number[] {
  if (!Number.isInteger(start) || !Number.isInteger(stop) || stop < start) throw new RangeError(`range: need integers start ≤ stop, got ${start}, ${stop}`);
  return Array.from({ length: stop - start }, (_, i) => start + i);
}

function checkIndices(data: ImageDataset, indices: readonly number[], caller: string): void {
  indices.forEach((index, k) => {
    if (!Number.isInteger(index) || index < 0 || index >= data.count) {
      throw new RangeError(`${caller}: indices[${k}] = ${index} is not an image of ${data.name} (0 … ${data.count - 1})`);
    }
  });
}

/** The chosen images as a [n, height, width, 1] float32 tensor with pixels scaled from 0–255 to 0–1. */
export function imageBatch(data: ImageDataset, indices: readonly number[]): tf.Tensor4D {
  checkIndices(data, indices, "imageBatch");
  const size = data.height * data.width;
  const pixels = new Float32Array(indices.length * size);
  indices.forEach((index, k) => {
    const image = data.images.subarray(index * size, (index + 1) * size);
    for (let p = 0; p < size; p++) pixels[k * size + p] = image[p]! / 255;
  });
  return tf.tensor4d(pixels, [indices.length, data.height, data.width, 1]);
}

/** The chosen labels one-hot encoded: [n, classes] float32. */
export function oneHotBatch(data: ImageDataset, indices: readonly number[], classes = data.targetNames.length): tf.Tensor2D {
  checkIndices(data, indices, "oneHotBatch");
  return tf.tidy(() => tf.oneHot(tf.tensor1d(indices.map((index) => data.labels[index]!), "int32"), classes).toFloat() as tf.Tensor2D);
}

/** The chosen labels as plain numbers. */
export function labelsOf(data: ImageDataset, indices: readonly number[]): number[] {
  checkIndices(data, indices, "labelsOf");
  return indices.map((index) => data.labels[index]!);
}

/**
 * Each image moved by its own random whole number of pixels, −maxShift … +maxShift along each axis, with zeros
 * shifted in (the classic translation augmentation for digits). Seeded: the same seed gives the same shifts.
 * Implemented as crops of the zero-padded batch, so it runs as a single op on any backend.
 */
export function randomTranslate(images: tf.Tensor4D, maxShift: number, seed: number): tf.Tensor4D {
  if (!Number.isInteger(maxShift) || maxShift < 0) throw new RangeError(`randomTranslate: maxShift must be an integer ≥ 0, got ${maxShift}`);
  if (maxShift === 0) return images.clone();
  return tf.tidy(() => {
    const [n, height, width] = images.shape;
    const offsets = tf.randomUniform([n, 2], 0, 2 * maxShift + 1, "int32", seed).toFloat();
    const padded = tf.pad(images, [[0, 0], [maxShift, maxShift], [maxShift, maxShift], [0, 0]]);
    // cropAndResize takes boxes in [0, 1] units of (padded size − 1); a box exactly height × width pixels
    // wide samples whole pixels, so this is a pure shift without interpolation.
    const scale = tf.tensor1d([height + 2 * maxShift - 1, width + 2 * maxShift - 1, height + 2 * maxShift - 1, width + 2 * maxShift - 1]);
    const boxes = tf.concat([offsets, offsets.add(tf.tensor1d([height - 1, width - 1]))], 1).div(scale) as tf.Tensor2D;
    return tf.image.cropAndResize(padded, boxes, tf.range(0, n, 1, "int32") as tf.Tensor1D, [height, width]);
  });
}

/** Class ids (argmax of the model's output), computed in batches so that large sets fit in memory. */
export function predictClasses(model: tf.LayersModel, images: tf.Tensor, batchSize = 500): Int32Array {
  return tf.tidy(() => (model.predict(images, { batchSize }) as tf.Tensor).argMax(-1).dataSync() as Int32Array);
}

/** Fraction of `labels` the model gets right. */
export function classificationAccuracy(model: tf.LayersModel, images: tf.Tensor, labels: readonly number[]): number {
  checkValues("classificationAccuracy", "labels", labels);
  const predicted = predictClasses(model, images);
  if (predicted.length !== labels.length) throw new RangeError(`classificationAccuracy: ${predicted.length} predictions for ${labels.length} labels`);
  let right = 0;
  predicted.forEach((p, i) => (right += p === labels[i] ? 1 : 0));
  return right / labels.length;
}
