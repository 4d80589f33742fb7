/**
 * A sequence-classification head for a pretrained encoder (what `BertForSequenceClassification` adds to BERT):
 * pool the hidden states [batch, T, d] to one vector per sequence, then one dense layer to class logits [batch, C].
 *
 *   pooling "cls":  h[:, 0, :]            the [CLS] position (BERT's recipe; BERT adds a tanh "pooler" before it)
 *   pooling "mean": Σₜ maskₜ·hₜ / Σₜ maskₜ  the tokens only (padding neither counted nor mixed in)
 *
 *   const logits = encoderClassificationHead(hidden, mask, { pooling: "cls", classes: 2, seed: 0 });
 *   const { classes, probabilities } = classifyLogits(logitRows);   // softmax, then argmax over the class axis
 *
 * Flattening all of [T, d] into the dense layer (the S1-C29 seed) ties the head to one sequence length and gives
 * it T·d·C weights that each see one position; a pooled vector does neither.
 */
import { tf } from "../tf";
import { argmax } from "../ml/stats";
import { softmax } from "./losses";
import { MaskedMeanPooling } from "../sequence/pooling";

/** [batch, T, d] → [batch, d]: the first position's vector (where BERT puts [CLS]). No weights. */
export class ClsPooling extends tf.layers.Layer {
  static className = "LibClsPooling";

  constructor(args: { name?: string } = {}) {
    super({ name: args.name, trainable: false });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = checkHiddenShape(inputShape, this.name);
    return [shape[0]!, shape[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    checkHiddenShape(x.shape, this.name);
    return tf.tidy(() => x.slice([0, 0, 0], [x.shape[0]!, 1, x.shape[2]!]).reshape([x.shape[0]!, x.shape[2]!]));
  }
}
tf.serialization.registerClass(ClsPooling);

function checkHiddenShape(inputShape: tf.Shape | tf.Shape[], name: string): tf.Shape {
  const shape = (Array.isArray(inputShape[0]) ? (inputShape as tf.Shape[])[0] : inputShape) as tf.Shape;
  if (shape.length !== 3 || shape[1] === 0) throw new RangeError(`ClsPooling "${name}": expected hidden states [batch, T ≥ 1, d], got shape [${shape}]`);
  return shape;
}

export type HeadPooling = "cls" | "mean";

export interface ClassificationHeadOptions {
  pooling: HeadPooling;
  /** Number of classes C (2 for positive / negative: two logits, softmax, argmax). */
  classes: number;
  /** Seed of the dense layer's initializer. */
  seed: number;
  /** Dropout rate on the pooled vector (BERT uses 0.1); 0 by default. */
  dropout?: number;
  /** Prefix of the head's layer names (default "head"), so its weights can be found and audited. */
  name?: string;
}

/**
 * Wires a head onto a functional model's hidden states: [batch, T, d] (and the padding mask [batch, T], 1 = token,
 * needed for "mean") → logits [batch, C]. Returns the logits and the head's layers (the weights to train).
 */
export function encoderClassificationHead(hidden: tf.SymbolicTensor, mask: tf.SymbolicTensor | null, options: ClassificationHeadOptions): { logits: tf.SymbolicTensor; layers: tf.layers.Layer[] } {
  const { pooling, classes, seed } = options;
  const name = options.name ?? "head";
  if (pooling !== "cls" && pooling !== "mean") throw new RangeError(`encoderClassificationHead: pooling must be "cls" or "mean", got ${JSON.stringify(pooling)}`);
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`encoderClassificationHead: classes must be an integer ≥ 2, got ${classes}`);
  if (!Number.isInteger(seed)) throw new RangeError(`encoderClassificationHead: seed must be an integer, got ${seed}`);
  const dropout = options.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new RangeError(`encoderClassificationHead: dropout must be in [0, 1), got ${options.dropout}`);
  if (hidden.shape.length !== 3) throw new RangeError(`encoderClassificationHead: hidden must be [batch, T, d], got shape [${hidden.shape}]`);
  if (pooling === "mean" && !mask) throw new RangeError(`encoderClassificationHead: pooling "mean" needs the padding mask [batch, T] (1 = token), got none`);
  const pool = pooling === "cls" ? new ClsPooling({ name: `${name}_cls_pool` }) : new MaskedMeanPooling({ name: `${name}_mean_pool` });
  let x = (pooling === "cls" ? pool.apply(hidden) : pool.apply([hidden, mask!])) as tf.SymbolicTensor;
  const layers: tf.layers.Layer[] = [pool];
  if (dropout > 0) {
    const drop = tf.layers.dropout({ rate: dropout, seed: seed + 1, name: `${name}_dropout` });
    x = drop.apply(x) as tf.SymbolicTensor;
    layers.push(drop);
  }
  const dense = tf.layers.dense({ units: classes, kernelInitializer: tf.initializers.glorotUniform({ seed }), name: `${name}_logits` });
  layers.push(dense);
  return { logits: dense.apply(x) as tf.SymbolicTensor, layers };
}

/** Logit rows [n][C] → class probabilities (softmax over the class axis) and the predicted class (argmax). */
export function classifyLogits(logits: readonly (readonly number[])[]): { probabilities: number[][]; classes: number[] } {
  logits.forEach((row, i) => {
    if (row.length < 2) throw new RangeError(`classifyLogits: row ${i} has ${row.length} logit(s); a classifier has one per class (≥ 2)`);
    row.forEach((value, k) => {
      if (!Number.isFinite(value)) throw new RangeError(`classifyLogits: logits[${i}][${k}] is ${value}, not a finite number`);
    });
  });
  const probabilities = logits.map((row) => softmax(row));
  return { probabilities, classes: probabilities.map((p) => argmax(p)) };
}
