/**
 * The training loss of the grid detector of grid.ts, on the raw outputs [batch, S, S, 5 + C] of a network:
 *
 *   objectness: binary cross-entropy of σ(raw₀) against 1 in a cell that holds an object and 0 elsewhere, empty
 *               cells weighted by noObjectWeight (most cells are empty, so unweighted they would teach "nothing");
 *   box:        boxWeight · Σ (σ(raw₁…₄) − (tx, ty, tw, th))², in object cells only;
 *   class:      softmax cross-entropy of raw₅… against the one-hot class, in object cells only;
 *
 * summed over cells and divided by the number of objects in the batch (at least 1). `activateGridOutput` applies the
 * same σ / softmax to a prediction, giving what decodeGridPredictions reads. YOLO v1 uses squared error throughout
 * and √w, √h; modern one-stage detectors use BCE or focal loss for objectness and IoU-based box losses (GIoU, CIoU).
 */
import { tf } from "../tf";

export interface GridLossOptions {
  numClasses: number;
  /** Weight of the box term (default 5, YOLO v1's λ_coord). */
  boxWeight?: number;
  /** Weight of the objectness term in empty cells (default 0.5, YOLO v1's λ_noobj). */
  noObjectWeight?: number;
}

function splitChannels(tensor: tf.Tensor, numClasses: number, what: string): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const depth = tensor.shape[tensor.shape.length - 1];
  if (tensor.rank !== 4 || depth !== 5 + numClasses) {
    throw new RangeError(`${what} must be [batch, S, S, 5 + ${numClasses}], got [${tensor.shape.join(", ")}]`);
  }
  const [objectness, box, classes] = tf.split(tensor, [1, 4, numClasses], -1);
  return [objectness!, box!, classes!];
}

/** σ on objectness and box channels, softmax over the class channels: raw network output → grid.ts predictions. */
export function activateGridOutput(raw: tf.Tensor4D, numClasses: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [objectness, box, classes] = splitChannels(raw, numClasses, "activateGridOutput: raw");
    return tf.concat([tf.sigmoid(objectness), tf.sigmoid(box), tf.softmax(classes)], -1) as tf.Tensor4D;
  });
}

export function gridDetectionLoss(raw: tf.Tensor4D, target: tf.Tensor4D, options: GridLossOptions): tf.Scalar {
  const { numClasses, boxWeight = 5, noObjectWeight = 0.5 } = options;
  return tf.tidy(() => {
    const [objectness, box, classes] = splitChannels(raw, numClasses, "gridDetectionLoss: raw");
    const [isObject, targetBox, targetClass] = splitChannels(target, numClasses, "gridDetectionLoss: target");
    if (!raw.shape.every((size, axis) => size === target.shape[axis])) {
      throw new RangeError(`gridDetectionLoss: raw [${raw.shape.join(", ")}] and target [${target.shape.join(", ")}] differ in shape`);
    }
    const cellWeight = tf.add(isObject, tf.mul(tf.sub(1, isObject), noObjectWeight));
    const objectnessLoss = tf.sum(tf.mul(cellWeight, tf.losses.sigmoidCrossEntropy(isObject, objectness, undefined, undefined, tf.Reduction.NONE)));
    const boxLoss = tf.mul(boxWeight, tf.sum(tf.mul(isObject, tf.square(tf.sub(tf.sigmoid(box), targetBox)))));
    const classLoss = tf.sum(tf.mul(tf.squeeze(isObject, [-1]), tf.losses.softmaxCrossEntropy(targetClass, classes, undefined, undefined, tf.Reduction.NONE)));
    return tf.div(tf.add(tf.add(objectnessLoss, boxLoss), classLoss), tf.maximum(tf.sum(isObject), 1)) as tf.Scalar;
  });
}
