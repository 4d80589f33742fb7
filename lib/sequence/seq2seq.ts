/**
 * Sequence-to-sequence training plumbing (teacher forcing) and free-running decoding in batches.
 *
 *   teacherForcingBatch(targets, { bos, eos, pad, length })   decoder input, decoder target, loss mask
 *   maskedSequenceCrossEntropy(logits, targets, mask)         mean token cross-entropy over unmasked positions
 *   fitSequenceModel(model, inputs, batch, options)           a seeded Adam loop on that loss (tf.memory flat)
 *   fitOnLoss(model, inputs, lossOf, options)                 the same loop on any loss (e.g. CTC)
 *   greedyDecodeBatch(nextLogits, { count, bos, eos, maxLength })   free-running greedy decoding of a batch
 *
 * Teacher forcing: the decoder reads the target shifted right by one step, starting with <bos>, and is trained to
 * emit the target itself, ending with <eos>; so at step t it sees the true tokens < t and predicts token t.
 * Positions after <eos> are padding and carry no loss.
 */
import { tf } from "../tf";
import { fitMinibatchLoss } from "../nn/minibatch";

export interface TeacherForcingOptions {
  bos: number;
  eos: number;
  /** Padding id (default 0); it must differ from bos and eos and never occur inside a target. */
  pad?: number;
  /** Length of each row (default: the longest target + 1 for <bos> / <eos>). */
  length?: number;
}

export interface TeacherForcingBatch {
  /** [batch][length]: <bos> t₁ … t_n, then padding. */
  decoderInput: number[][];
  /** [batch][length]: t₁ … t_n <eos>, then padding. */
  decoderTarget: number[][];
  /** [batch][length]: 1 where decoderTarget is a token or <eos>, 0 on padding. */
  lossMask: number[][];
}

export function teacherForcingBatch(targets: readonly (readonly number[])[], options: TeacherForcingOptions): TeacherForcingBatch {
  const { bos, eos, pad = 0 } = options;
  if (new Set([bos, eos, pad]).size !== 3) throw new RangeError(`teacherForcingBatch: bos (${bos}), eos (${eos}) and pad (${pad}) must differ`);
  const length = options.length ?? Math.max(1, ...targets.map((t) => t.length + 1));
  const decoderInput: number[][] = [];
  const decoderTarget: number[][] = [];
  const lossMask: number[][] = [];
  targets.forEach((target, b) => {
    const special = target.findIndex((id) => id === bos || id === eos || id === pad);
    if (special >= 0) throw new RangeError(`teacherForcingBatch: target ${b} holds the special id ${target[special]} at position ${special}`);
    if (target.length + 1 > length) throw new RangeError(`teacherForcingBatch: target ${b} has ${target.length} tokens, more than length ${length} − 1`);
    const padding = (n: number) => new Array<number>(n).fill(pad);
    decoderInput.push([bos, ...target, ...padding(length - target.length - 1)]);
    decoderTarget.push([...target, eos, ...padding(length - target.length - 1)]);
    lossMask.push([...new Array<number>(target.length + 1).fill(1), ...new Array<number>(length - target.length - 1).fill(0)]);
  });
  return { decoderInput, decoderTarget, lossMask };
}

/**
 * Σ mask · (−log softmax(logits)[target]) / Σ mask, from logits [batch, T, V], integer targets [batch, T] and a
 * 0/1 mask [batch, T]: padding neither adds loss nor dilutes the mean.
 */
export function maskedSequenceCrossEntropy(logits: tf.Tensor, targets: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  if (logits.rank !== 3) throw new RangeError(`maskedSequenceCrossEntropy: logits must be [batch, T, V], got shape [${logits.shape}]`);
  const [B, T, V] = logits.shape as [number, number, number];
  for (const [name, tensor] of [["targets", targets], ["mask", mask]] as const) {
    if (tensor.rank !== 2 || tensor.shape[0] !== B || tensor.shape[1] !== T) throw new RangeError(`maskedSequenceCrossEntropy: ${name} must be [${B}, ${T}], got shape [${tensor.shape}]`);
  }
  return tf.tidy(() => {
    const picked = tf.logSoftmax(logits).mul(tf.oneHot(targets.toInt().reshape([-1]), V).reshape([B, T, V])).sum(-1);
    const weights = mask.toFloat();
    return picked.mul(weights).sum().neg().div(weights.sum().maximum(1)) as tf.Scalar;
  });
}

export interface FitSequenceOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** The learning rate is multiplied by this after every epoch (default 1). */
  learningRateDecay?: number;
  /** Clip the gradient to this global norm before each step (default: no clipping). */
  clipNorm?: number;
  /** Seed of the batch order. */
  seed: number;
  /** Called after each epoch with its mean loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Adam on maskedSequenceCrossEntropy(model.apply(inputs), targets, mask), shuffled mini-batches, optionally with
 * gradient clipping and a per-epoch learning-rate decay; returns the mean loss per epoch. `inputs` are the model's
 * input tensors (first axis = examples).
 */
export function fitSequenceModel(model: tf.LayersModel, inputs: tf.Tensor[], batch: { targets: tf.Tensor; mask: tf.Tensor }, options: FitSequenceOptions): number[] {
  const n = batch.targets.shape[0]!;
  if (batch.mask.shape[0] !== n) throw new RangeError(`fitSequenceModel: ${n} target rows but ${batch.mask.shape[0]} mask rows`);
  return fitOnLoss(model, inputs, (output, rows) => {
    const index = tf.tensor1d(rows, "int32");
    return maskedSequenceCrossEntropy(output, tf.gather(batch.targets, index), tf.gather(batch.mask, index));
  }, options);
}

/**
 * The same loop for any loss of the model's output on a mini-batch: `lossOf(output, rows)` gets the output for the
 * examples `rows` (indices into the first axis of `inputs`), e.g. a CTC loss on their label sequences. The loop
 * itself is `fitMinibatchLoss` (`lib/nn/minibatch.ts`).
 */
export function fitOnLoss(model: tf.LayersModel, inputs: tf.Tensor[], lossOf: (output: tf.Tensor, rows: number[]) => tf.Scalar, options: FitSequenceOptions): number[] {
  const n = inputs[0]?.shape[0];
  if (n === undefined || inputs.some((x) => x.shape[0] !== n)) throw new RangeError(`fitOnLoss: every input needs the same number of examples, got [${inputs.map((x) => x.shape[0])}]`);
  return fitMinibatchLoss((rows) => {
    const index = tf.tensor1d(rows, "int32");
    return lossOf(model.apply(inputs.map((x) => tf.gather(x, index)), { training: true }) as tf.Tensor, rows);
  }, { ...options, examples: n });
}

/**
 * Free-running greedy decoding of `count` sequences at once: `nextLogits(prefixes)` gets every unfinished row's
 * prefix (<bos> and the tokens emitted so far, all of one length) with its row index and returns one row of
 * next-token scores each; the argmax (lowest id on ties) is appended. A row ends at <eos> (kept) or maxLength.
 */
export function greedyDecodeBatch(
  nextLogits: (prefixes: number[][], rows: number[]) => number[][],
  options: { count: number; bos: number; eos: number; maxLength: number },
): number[][] {
  const outputs: number[][] = Array.from({ length: options.count }, () => []);
  let active = outputs.map((_, i) => i);
  for (let step = 0; step < options.maxLength && active.length > 0; step++) {
    const scores = nextLogits(active.map((i) => [options.bos, ...outputs[i]!]), active);
    if (scores.length !== active.length) throw new RangeError(`greedyDecodeBatch: nextLogits returned ${scores.length} rows for ${active.length} prefixes`);
    active.forEach((i, r) => {
      const row = scores[r]!;
      outputs[i]!.push(row.reduce((best, v, k) => (v > row[best]! ? k : best), 0));
    });
    active = active.filter((i) => outputs[i]!.at(-1) !== options.eos);
  }
  return outputs;
}
