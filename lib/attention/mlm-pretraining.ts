/**
 * Masked-language-model pre-training pieces shared by scripts/data/pretrain-tiny-bert.ts (which makes the shipped
 * tiny BERT) and notebook 22 (which measures it):
 *
 *   splitCorpus(text, heldOutFraction)          training text and held-out text, cut at a line break
 *   segmentPair / randomSegmentPairs           `[CLS] A [SEP] B [SEP]` windows of consecutive tokens (no NSP)
 *   heldOutMaskedBatch(stream, …)               fixed held-out windows, masked once with a fixed seed
 *   evaluateMlm(mlm, batch)                     masked-token accuracy (top-1 and top-k) and cross-entropy
 *   unigramBaseline(trainStream, V, batch)      the same measures for "always the most frequent tokens"
 */
import { Random } from "../random";
import { tf } from "../tf";
import { maskedSequenceCrossEntropy } from "../sequence/seq2seq";
import { maskTokens } from "../text/mlm-masking";
import { CLS_ID, MASK_ID, SEP_ID, SPECIAL_TOKENS } from "../text/wordpiece";

/** The ids of [PAD], [UNK], [CLS], [SEP], [MASK]: never selected for masking. */
export const SPECIAL_IDS: readonly number[] = SPECIAL_TOKENS.map((_, id) => id);

/** BERT's corruption rates. */
export const BERT_MASKING = { selectProbability: 0.15, maskShare: 0.8, randomShare: 0.1 } as const;

/** Rows of token ids with their segment ids, and (after masking) targets and loss weights. */
export interface MlmBatch {
  ids: number[][];
  segments: number[][];
  labels: number[][];
  weights: number[][];
}

/** The text cut at the first line break after (1 − heldOutFraction) of its characters: training text, held-out text. */
export function splitCorpus(text: string, heldOutFraction: number): { train: string; heldOut: string } {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new RangeError(`splitCorpus: heldOutFraction must be in (0, 1), got ${heldOutFraction}`);
  const cut = text.indexOf("\n", Math.floor((1 - heldOutFraction) * text.length)) + 1;
  if (cut <= 0) throw new RangeError("splitCorpus: no line break after the cut point");
  return { train: text.slice(0, cut), heldOut: text.slice(cut) };
}

/** `[CLS] A [SEP] B [SEP]` from `length − 3` consecutive tokens starting at `start`, A being the first `splitAt`. */
export function segmentPair(stream: readonly number[], start: number, splitAt: number, length: number): { ids: number[]; segments: number[] } {
  if (!(Number.isInteger(start) && start >= 0 && start + length - 3 <= stream.length)) throw new RangeError(`segmentPair: a window of ${length - 3} tokens at ${start} does not fit a stream of ${stream.length}`);
  if (!(Number.isInteger(splitAt) && splitAt >= 1 && splitAt < length - 3)) throw new RangeError(`segmentPair: splitAt must be in 1 … ${length - 4}, got ${splitAt}`);
  const body = stream.slice(start, start + length - 3);
  const ids = [CLS_ID, ...body.slice(0, splitAt), SEP_ID, ...body.slice(splitAt), SEP_ID];
  const segments = ids.map((_, i) => (i <= splitAt + 1 ? 0 : 1));
  return { ids, segments };
}

/** `count` windows at random places, each split at a random point (RoBERTa-style segment pairs, no NSP label). */
export function randomSegmentPairs(stream: readonly number[], count: number, length: number, random: Random): { ids: number[][]; segments: number[][] } {
  const out = { ids: [] as number[][], segments: [] as number[][] };
  for (let i = 0; i < count; i++) {
    const pair = segmentPair(stream, random.int(0, stream.length - length), random.int(1, length - 4), length);
    out.ids.push(pair.ids);
    out.segments.push(pair.segments);
  }
  return out;
}

/** Held-out evaluation rows: consecutive, non-overlapping windows split in the middle, masked by BERT's rule with `maskSeed`. */
export function heldOutMaskedBatch(stream: readonly number[], options: { windows: number; length: number; vocabularySize: number; maskSeed: number }): MlmBatch {
  const { windows, length, vocabularySize, maskSeed } = options;
  const ids: number[][] = [], segments: number[][] = [];
  for (let w = 0; w < windows && (w + 1) * (length - 3) <= stream.length; w++) {
    const pair = segmentPair(stream, w * (length - 3), Math.floor((length - 3) / 2), length);
    ids.push(pair.ids);
    segments.push(pair.segments);
  }
  const masked = maskTokens(ids, { ...BERT_MASKING, maskId: MASK_ID, vocabularySize, specialIds: SPECIAL_IDS, random: new Random(maskSeed) });
  return { ids: masked.inputIds, segments, labels: masked.labels, weights: masked.weights };
}

/** Masked-token accuracy (top-1 and top-`k`) and mean cross-entropy (nats) of `mlm` at the weighted positions. */
export function evaluateMlm(mlm: tf.LayersModel, batch: MlmBatch, options: { k?: number } = {}): { accuracy: number; topKAccuracy: number; k: number; loss: number; maskedTokens: number } {
  const k = options.k ?? 5;
  let correct = 0, correctTopK = 0, total = 0, lossSum = 0;
  for (let start = 0; start < batch.ids.length; start += 50) {
    const rows = (x: number[][]) => x.slice(start, start + 50);
    tf.tidy(() => {
      const logits = mlm.predict([tf.tensor2d(rows(batch.ids), undefined, "int32"), tf.tensor2d(rows(batch.segments), undefined, "int32")]) as tf.Tensor3D;
      const labels = tf.tensor2d(rows(batch.labels), undefined, "int32");
      const weights = tf.tensor2d(rows(batch.weights));
      const count = weights.sum().dataSync()[0]!;
      lossSum += maskedSequenceCrossEntropy(logits, labels, weights).dataSync()[0]! * count;
      correct += logits.argMax(-1).equal(labels).toFloat().mul(weights).sum().dataSync()[0]!;
      const top = tf.topk(logits, k).indices; // [batch, T, k]
      correctTopK += top.equal(labels.expandDims(-1)).any(-1).toFloat().mul(weights).sum().dataSync()[0]!;
      total += count;
    });
  }
  return { accuracy: correct / total, topKAccuracy: correctTopK / total, k, loss: lossSum / total, maskedTokens: total };
}

/**
 * The unigram baseline at the batch's masked positions: accuracy of always predicting the most frequent training
 * token (and of its top-k: the k most frequent), and the cross-entropy of the training unigram distribution (add-one).
 */
export function unigramBaseline(trainStream: readonly number[], vocabularySize: number, batch: Pick<MlmBatch, "labels" | "weights">, options: { k?: number } = {}): { accuracy: number; topKAccuracy: number; crossEntropy: number; mostFrequentId: number } {
  const k = options.k ?? 5;
  const counts = new Array<number>(vocabularySize).fill(0);
  for (const id of trainStream) counts[id]!++;
  const mostFrequentId = counts.reduce((best, c, id) => (c > counts[best]! ? id : best), 0);
  const topK = new Set(counts.map((c, id) => [c, id] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map(([, id]) => id));
  const total = trainStream.length + vocabularySize;
  let correct = 0, correctTopK = 0, n = 0, nll = 0;
  batch.labels.forEach((row, r) => row.forEach((id, t) => {
    if (batch.weights[r]![t] !== 1) return;
    n++;
    if (id === mostFrequentId) correct++;
    if (topK.has(id)) correctTopK++;
    nll -= Math.log((counts[id]! + 1) / total);
  }));
  return { accuracy: correct / n, topKAccuracy: correctTopK / n, crossEntropy: nll / n, mostFrequentId };
}
