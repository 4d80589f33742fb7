/**
 * Connectionist temporal classification (Graves et al. 2006): training a frame-wise classifier on label
 * sequences without frame alignments. The network emits, at each of T frames, a distribution over K symbols
 * including a `blank`; an alignment (one symbol per frame) maps to a label sequence by merging repeats and
 * then dropping blanks (`ctcCollapse`: a a _ a b b → a a b). The CTC likelihood sums over every alignment that
 * collapses to the labels, which the forward algorithm does in O(T · (2L + 1)) instead of K^T.
 *
 *   ctcLogLikelihood(logProbs, labels)        float64 forward algorithm, log p(labels | x)
 *   ctcBruteForceLogLikelihood(logProbs, …)   the same by enumerating all K^T alignments (tests, tiny cases)
 *   ctcGreedyDecode(logProbs)                 best symbol per frame, then collapse (best-path decoding)
 *   ctcLoss(logits, labels, { inputLengths }) TensorFlow.js, differentiable: mean −log p over the batch
 *
 * `logProbs` are per-frame log-probabilities [T][K] (a log-softmax over the symbols); `blank` defaults to 0.
 */
import { tf } from "../tf";

/** Merge repeated symbols, then drop blanks: the many-to-one map from alignments to label sequences. */
export function ctcCollapse(path: readonly number[], blank = 0): number[] {
  const labels: number[] = [];
  path.forEach((symbol, t) => {
    if (symbol !== blank && symbol !== path[t - 1]) labels.push(symbol);
  });
  return labels;
}

/** The most likely symbol at each frame, collapsed (best-path decoding; not always the most likely labels). */
export function ctcGreedyDecode(logProbs: readonly (readonly number[])[], blank = 0): number[] {
  checkLogProbs(logProbs, blank, "ctcGreedyDecode");
  return ctcCollapse(logProbs.map((row) => row.reduce((best, v, k) => (v > row[best]! ? k : best), 0)), blank);
}

/** The fewest frames that can emit `labels`: one per label plus a blank between each pair of equal neighbours. */
export function ctcMinimumFrames(labels: readonly number[]): number {
  return labels.length + labels.filter((label, i) => i > 0 && label === labels[i - 1]).length;
}

/** log p(labels | x) by the forward algorithm over the blank-extended labels _ l₁ _ l₂ … _ (float64). */
export function ctcLogLikelihood(logProbs: readonly (readonly number[])[], labels: readonly number[], blank = 0): number {
  checkLogProbs(logProbs, blank, "ctcLogLikelihood");
  checkLabels(labels, logProbs[0]!.length, blank, "ctcLogLikelihood");
  const extended = extendWithBlanks(labels, blank);
  const S = extended.length;
  let alpha = new Array<number>(S).fill(-Infinity);
  alpha[0] = logProbs[0]![blank]!;
  if (S > 1) alpha[1] = logProbs[0]![extended[1]!]!;
  for (let t = 1; t < logProbs.length; t++) {
    const next = new Array<number>(S).fill(-Infinity);
    for (let s = 0; s < S; s++) {
      const sources = [alpha[s]!, s > 0 ? alpha[s - 1]! : -Infinity, canSkip(extended, s, blank) ? alpha[s - 2]! : -Infinity];
      next[s] = logSumExp(sources) + logProbs[t]![extended[s]!]!;
    }
    alpha = next;
  }
  return logSumExp(S > 1 ? [alpha[S - 1]!, alpha[S - 2]!] : [alpha[0]!]);
}

/** The same likelihood by summing over all K^T alignments that collapse to `labels` (at most `maxPaths`). */
export function ctcBruteForceLogLikelihood(logProbs: readonly (readonly number[])[], labels: readonly number[], blank = 0, maxPaths = 1_000_000): number {
  checkLogProbs(logProbs, blank, "ctcBruteForceLogLikelihood");
  const [T, K] = [logProbs.length, logProbs[0]!.length];
  if (K ** T > maxPaths) throw new RangeError(`ctcBruteForceLogLikelihood: ${K}^${T} alignments is more than ${maxPaths}`);
  const target = labels.join(",");
  const matching: number[] = [];
  const path = new Array<number>(T).fill(0);
  for (let index = 0; index < K ** T; index++) {
    let rest = index;
    for (let t = T - 1; t >= 0; t--) { path[t] = rest % K; rest = Math.floor(rest / K); }
    if (ctcCollapse(path, blank).join(",") === target) matching.push(path.reduce((s, k, t) => s + logProbs[t]![k]!, 0));
  }
  return logSumExp(matching);
}

/**
 * Differentiable CTC loss in TensorFlow.js: the mean over the batch of −log p(labels_b | x_b), from raw
 * logits [batch, T, K] (a log-softmax is applied here). `inputLengths[b]` (default T) frames of example b are
 * used; its later frames are padding. Label sequences may differ in length. Throws, naming the example, when
 * labels cannot fit in their frames (`ctcMinimumFrames`).
 */
export function ctcLoss(logits: tf.Tensor, labels: readonly (readonly number[])[], options: { blank?: number; inputLengths?: readonly number[] } = {}): tf.Scalar {
  const blank = options.blank ?? 0;
  if (logits.rank !== 3) throw new RangeError(`ctcLoss: logits must be [batch, T, symbols], got shape [${logits.shape}]`);
  const [B, T, K] = logits.shape as [number, number, number];
  if (labels.length !== B) throw new RangeError(`ctcLoss: ${B} examples of logits but ${labels.length} label sequences`);
  const inputLengths = options.inputLengths ?? new Array<number>(B).fill(T);
  if (inputLengths.length !== B) throw new RangeError(`ctcLoss: ${B} examples but ${inputLengths.length} input lengths`);
  labels.forEach((sequence, b) => {
    checkLabels(sequence, K, blank, `ctcLoss (labels[${b}])`);
    const frames = inputLengths[b]!;
    if (!Number.isInteger(frames) || frames < 1 || frames > T) throw new RangeError(`ctcLoss: inputLengths[${b}] must be an integer in [1, ${T}], got ${frames}`);
    if (ctcMinimumFrames(sequence) > frames) throw new RangeError(`ctcLoss: labels[${b}] need at least ${ctcMinimumFrames(sequence)} frames, example ${b} has ${frames}`);
  });
  const extended = labels.map((sequence) => extendWithBlanks(sequence, blank));
  const S = Math.max(...extended.map((e) => e.length));
  const NEVER = -1e30; // log 0 that keeps float32 arithmetic finite (no −∞ − −∞ = NaN in gradients)
  const oneHot = new Float32Array(B * S * K);
  const skip = new Float32Array(B * S).fill(NEVER);
  const ends = new Float32Array(B * S).fill(NEVER);
  const initial = new Float32Array(B * S).fill(NEVER);
  extended.forEach((sequence, b) => {
    for (let s = 0; s < S; s++) oneHot[(b * S + s) * K + (sequence[s] ?? blank)] = 1;
    for (let s = 0; s < sequence.length; s++) if (canSkip(sequence, s, blank)) skip[b * S + s] = 0;
    ends[b * S + sequence.length - 1] = 0;
    if (sequence.length > 1) ends[b * S + sequence.length - 2] = 0;
    initial[b * S] = 0;
    if (sequence.length > 1) initial[b * S + 1] = 0;
  });
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    // emissions[b, t, s] = log p_t(extended_b[s]): a product with one-hot rows picks the symbol's column exactly.
    const emissions = tf.matMul(logProbs, tf.tensor3d(oneHot, [B, S, K]), false, true);
    const frames = tf.unstack(emissions, 1) as tf.Tensor2D[];
    const skipTerm = tf.tensor2d(skip, [B, S]);
    const fill = (width: number) => tf.fill([B, width], NEVER);
    let alpha = frames[0]!.add(tf.tensor2d(initial, [B, S]));
    for (let t = 1; t < T; t++) {
      const fromPrevious = tf.concat([fill(1), alpha.slice([0, 0], [B, S - 1])], 1);
      const fromSkip = S > 2 ? tf.concat([fill(2), alpha.slice([0, 0], [B, S - 2])], 1).add(skipTerm) : fill(S);
      const advanced = tf.logSumExp(tf.stack([alpha, fromPrevious, fromSkip]), 0).add(frames[t]!);
      const active = tf.tensor2d(inputLengths.map((length) => (t < length ? 1 : 0)), [B, 1], "bool");
      alpha = tf.where(tf.broadcastTo(active, [B, S]), advanced, alpha);
    }
    const logLikelihood = tf.logSumExp(alpha.add(tf.tensor2d(ends, [B, S])), 1);
    return logLikelihood.neg().mean() as tf.Scalar;
  });
}

function extendWithBlanks(labels: readonly number[], blank: number): number[] {
  return [blank, ...labels.flatMap((label) => [label, blank])];
}

/** s may be reached from s − 2 when it is a label different from the label two places before. */
function canSkip(extended: readonly number[], s: number, blank: number): boolean {
  return s >= 2 && extended[s] !== blank && extended[s] !== extended[s - 2];
}

function logSumExp(values: readonly number[]): number {
  const max = Math.max(...values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

function checkLogProbs(logProbs: readonly (readonly number[])[], blank: number, caller: string): void {
  if (logProbs.length === 0) throw new RangeError(`${caller}: logProbs must have at least one frame`);
  const K = logProbs[0]!.length;
  logProbs.forEach((row, t) => {
    if (row.length !== K) throw new RangeError(`${caller}: frame ${t} has ${row.length} symbols, frame 0 has ${K}`);
    if (row.some((v) => Number.isNaN(v) || v > 1e-9)) throw new RangeError(`${caller}: frame ${t} is not log-probabilities (NaN or > 0)`);
  });
  if (!Number.isInteger(blank) || blank < 0 || blank >= K) throw new RangeError(`${caller}: blank must be a symbol in [0, ${K}), got ${blank}`);
}

function checkLabels(labels: readonly number[], K: number, blank: number, caller: string): void {
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= K) throw new RangeError(`${caller}: label ${i} is ${label}, not a symbol in [0, ${K})`);
    if (label === blank) throw new RangeError(`${caller}: label ${i} is the blank (${blank}); labels never contain it`);
  });
}
