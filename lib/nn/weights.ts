/**
 * Weight inspection for fine-tuning lessons: how many parameters an optimizer will update, detached copies of
 * a set of layers' weights, the largest change between two such copies, and a tensor's exact float32 bytes
 * (to prove a frozen weight bit-identical, not merely close).
 *
 *   const before = weightCopies(backbone.layers);
 *   await model.fit(x, y);
 *   maxAbsDifference(weightCopies(backbone.layers), before);   // 0 when the backbone was frozen
 */
import { tf } from "../tf";

/** Number of trainable parameters of a model or layer: what an optimizer will update. */
export function trainableParameterCount(model: { trainableWeights: tf.LayerVariable[] }): number {
  return model.trainableWeights.reduce((sum, w) => sum + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);
}

/** Copies of every weight of these layers, in layer order (getWeights returns the live variables). */
export function weightCopies(layers: tf.layers.Layer[]): Float32Array[] {
  return layers.flatMap((layer) => layer.getWeights().map((w) => Float32Array.from(w.dataSync() as Float32Array)));
}

/** Largest |a − b| over matching weights of two `weightCopies` of the same layers. */
export function maxAbsDifference(a: Float32Array[], b: Float32Array[]): number {
  if (a.length !== b.length) throw new RangeError(`maxAbsDifference: a has ${a.length} weights, b has ${b.length}`);
  let largest = 0;
  a.forEach((weight, i) => {
    const other = b[i]!;
    if (weight.length !== other.length) throw new RangeError(`maxAbsDifference: weight ${i} has ${weight.length} values in a, ${other.length} in b`);
    for (let j = 0; j < weight.length; j++) largest = Math.max(largest, Math.abs(weight[j]! - other[j]!));
  });
  return largest;
}

/** A tensor's values as float32 bytes, for exact comparisons (`bytesA.equals(bytesB)`). */
export function float32Bytes(t: tf.Tensor): Buffer {
  return Buffer.from(new Float32Array(t.dataSync()).buffer);
}

/** Overwrites each variable with its new float32 values, in place; a null entry leaves that variable as it is. */
export function writeWeightValues(variables: tf.LayersModel["weights"], values: readonly (Float32Array | null)[]): void {
  if (values.length !== variables.length) throw new RangeError(`writeWeightValues: ${values.length} value arrays for ${variables.length} variables`);
  variables.forEach((variable, i) => {
    const data = values[i];
    if (!data) return;
    const tensor = tf.tensor(data, variable.shape as number[], "float32");
    variable.write(tensor);
    tensor.dispose();
  });
}
