/**
 * Word2vec's skip-gram with negative sampling (SGNS; Mikolov et al. 2013), in float64 plain TypeScript: each
 * word w has an input vector v_w (the embedding) and an output vector u_w. For a centre word c seen with a
 * context word o (within `window` positions) and k negative words n₁…n_k drawn from the unigram
 * distribution raised to 3/4, the loss is
 *
 *   L = −log σ(u_o·v_c) − Σᵢ log σ(−u_nᵢ·v_c)
 *
 * and one SGD step follows its gradient (`sgnsLossAndGradients`). Words that share contexts are pushed
 * towards the same output vectors, so their input vectors end up close.
 *
 *   const model = trainSkipGram(sentences, { dimensions: 16, window: 2, negatives: 5, epochs: 8, seed: 0 });
 *   model.vectors[model.index.get("cat")!];   // 16 numbers
 */
import { Random } from "../random";

export interface SgnsGradients {
  loss: number;
  /** ∂L/∂v_c = (σ(u_o·v_c) − 1)·u_o + Σᵢ σ(u_nᵢ·v_c)·u_nᵢ */
  center: number[];
  /** ∂L/∂u_o = (σ(u_o·v_c) − 1)·v_c */
  context: number[];
  /** ∂L/∂u_nᵢ = σ(u_nᵢ·v_c)·v_c */
  negatives: number[][];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** log σ(z), stable for large |z|. */
const logSigmoid = (z: number) => (z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z)));
const dot = (a: ArrayLike<number>, b: ArrayLike<number>, aOffset = 0, bOffset = 0, n = a.length) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOffset + i]! * b[bOffset + i]!;
  return s;
};

/** The SGNS loss of one (centre, context, negatives) example and its gradient with respect to every vector. */
export function sgnsLossAndGradients(center: readonly number[], context: readonly number[], negatives: readonly (readonly number[])[]): SgnsGradients {
  const d = center.length;
  [context, ...negatives].forEach((u, i) => {
    if (u.length !== d) throw new RangeError(`sgnsLossAndGradients: ${i === 0 ? "context" : `negatives[${i - 1}]`} has ${u.length} entries, the centre vector ${d}`);
  });
  const positiveScore = dot(context, center);
  const negativeScores = negatives.map((u) => dot(u, center));
  const loss = -logSigmoid(positiveScore) - negativeScores.reduce((s, z) => s + logSigmoid(-z), 0);
  const positiveFactor = sigmoid(positiveScore) - 1;
  const negativeFactors = negativeScores.map(sigmoid);
  const centerGradient = context.map((u, j) => positiveFactor * u + negatives.reduce((s, n, i) => s + negativeFactors[i]! * n[j]!, 0));
  return {
    loss,
    center: centerGradient,
    context: center.map((v) => positiveFactor * v),
    negatives: negativeFactors.map((f) => center.map((v) => f * v)),
  };
}

export interface SkipGramOptions {
  /** Length of each word vector. */
  dimensions: number;
  /** Context words up to this many positions left and right of the centre. */
  window: number;
  /** Negative words drawn per (centre, context) pair (word2vec's default: 5). */
  negatives: number;
  epochs: number;
  seed: number;
  /** SGD step size at the start, decayed linearly to `learningRate / 100` at the end (word2vec's schedule; default 0.05). */
  learningRate?: number;
  /** Exponent of the unigram counts in the negative-sampling distribution (default 0.75, word2vec's). */
  unigramPower?: number;
  /** Keep words seen at least this often (default 1). */
  minCount?: number;
}

export interface SkipGramModel {
  /** Words, most frequent first (ties alphabetical). */
  vocabulary: string[];
  index: Map<string, number>;
  /** [word][dimensions] input vectors v_w: the embeddings. */
  vectors: number[][];
  /** [word][dimensions] output vectors u_w. */
  contextVectors: number[][];
  /** Mean SGNS loss per (centre, context) example, one entry per epoch. */
  epochLosses: number[];
}

function checkPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`trainSkipGram: ${name} must be an integer ≥ 1, got ${value}`);
}

/** Trains SGNS on tokenised sentences ([sentences][tokens]); seeded, so the same call gives the same vectors. */
export function trainSkipGram(sentences: readonly (readonly string[])[], options: SkipGramOptions): SkipGramModel {
  const { dimensions, window, negatives, epochs, seed, learningRate = 0.05, unigramPower = 0.75, minCount = 1 } = options;
  for (const [name, value] of Object.entries({ dimensions, window, negatives, epochs, minCount })) checkPositiveInteger(name, value);
  if (!(learningRate > 0)) throw new RangeError(`trainSkipGram: learningRate must be > 0, got ${learningRate}`);
  if (!Number.isInteger(seed)) throw new TypeError(`trainSkipGram: seed must be an integer, got ${seed}`);
  const counts = new Map<string, number>();
  sentences.forEach((tokens, i) => {
    if (!Array.isArray(tokens)) throw new TypeError(`trainSkipGram: sentences[${i}] must be an array of tokens (tokenise first)`);
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  });
  const vocabulary = [...counts].filter(([, c]) => c >= minCount).sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : 1)).map(([w]) => w);
  if (vocabulary.length < 2) throw new RangeError(`trainSkipGram: need at least 2 distinct words seen ≥ ${minCount} times, got ${vocabulary.length}`);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const encoded = sentences.map((tokens) => tokens.map((t) => index.get(t)).filter((id): id is number => id !== undefined));

  // Negative sampling: cumulative distribution of count^power, searched by bisection.
  const weights = vocabulary.map((w) => counts.get(w)! ** unigramPower);
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative = new Float64Array(weights.length);
  let runningSum = 0;
  weights.forEach((w, i) => (cumulative[i] = (runningSum += w) / total));
  const rng = new Random(seed);
  const drawNegative = () => {
    const r = rng.random();
    let lo = 0, hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  // word2vec's initialisation: input vectors uniform in ±0.5/d, output vectors zero.
  const V = vocabulary.length, d = dimensions;
  const input = Float64Array.from({ length: V * d }, () => (rng.random() - 0.5) / d);
  const output = new Float64Array(V * d);
  const pairsPerEpoch = encoded.reduce((s, ids) => s + ids.reduce((t, _, p) => t + Math.min(ids.length - 1, p + window) - Math.max(0, p - window), 0), 0);
  if (pairsPerEpoch === 0) throw new RangeError("trainSkipGram: no sentence has two words, so there are no (centre, context) pairs");
  const totalSteps = pairsPerEpoch * epochs;
  const centerGradient = new Float64Array(d);
  const epochLosses: number[] = [];
  let step = 0;
  const update = (c: number, target: number, label: 1 | 0, rate: number): number => {
    const score = dot(output, input, target * d, c * d, d);
    const factor = sigmoid(score) - label; // ∂L/∂score for the positive (label 1) and a negative (label 0) word
    for (let j = 0; j < d; j++) {
      centerGradient[j]! += factor * output[target * d + j]!;
      output[target * d + j]! -= rate * factor * input[c * d + j]!;
    }
    return -logSigmoid(label ? score : -score);
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    let lossSum = 0;
    for (const s of rng.permutation(encoded.length)) {
      const ids = encoded[s]!;
      for (let p = 0; p < ids.length; p++) {
        const c = ids[p]!;
        for (let q = Math.max(0, p - window); q <= Math.min(ids.length - 1, p + window); q++) {
          if (q === p) continue;
          const rate = learningRate * Math.max(0.01, 1 - step / totalSteps);
          step++;
          centerGradient.fill(0);
          lossSum += update(c, ids[q]!, 1, rate);
          for (let k = 0; k < negatives; k++) lossSum += update(c, drawNegative(), 0, rate);
          for (let j = 0; j < d; j++) input[c * d + j]! -= rate * centerGradient[j]!;
        }
      }
    }
    epochLosses.push(lossSum / pairsPerEpoch);
  }
  const rows = (m: Float64Array) => Array.from({ length: V }, (_, i) => Array.from(m.subarray(i * d, (i + 1) * d)));
  return { vocabulary, index, vectors: rows(input), contextVectors: rows(output), epochLosses };
}
