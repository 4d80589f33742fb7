/**
 * The bigram language model, the baseline every neural language model must beat: the next token depends on the
 * previous one only, P(next | prev) = (count(prev, next) + α) / (count(prev) + α·V), add-α (Lidstone) smoothing
 * (α = 1 is Laplace), so a pair never seen in training still has a probability above zero.
 *
 *   const model = new BigramLanguageModel({ vocabularySize: V, alpha: 1 }).fit(trainIds);
 *   model.crossEntropy(heldOutIds)      // mean −ln P(x_t | x_{t−1}) over the held-out transitions, in nats
 *   model.logProbabilities(prev)        // the next-token row, a decoding.ts `step` through `model.step`
 *
 * Token ids are integers in [0, V): characters through lib/text/vocabulary.ts, or any other tokens.
 */
import type { NextTokenLogProbs } from "../sequence/decoding";

export interface BigramOptions {
  /** Size of the token-id space: ids are 0 … V−1. */
  vocabularySize: number;
  /** Add-α smoothing, > 0 (default 1, Laplace). */
  alpha?: number;
}

export class BigramLanguageModel {
  readonly vocabularySize: number;
  readonly alpha: number;
  /** counts_[prev][next]: how often `next` followed `prev` in the training ids. */
  counts_: number[][] = [];
  /** rowTotals_[prev]: how many transitions leave `prev` (the sum of counts_[prev]). */
  rowTotals_: number[] = [];

  constructor(options: BigramOptions) {
    const { vocabularySize, alpha = 1 } = options;
    if (!Number.isInteger(vocabularySize) || vocabularySize < 1) throw new RangeError(`BigramLanguageModel: vocabularySize must be an integer ≥ 1, got ${vocabularySize}`);
    if (!(alpha > 0) || alpha === Infinity) throw new RangeError(`BigramLanguageModel: alpha must be finite and > 0, got ${alpha}`);
    this.vocabularySize = vocabularySize;
    this.alpha = alpha;
  }

  /** Counts every consecutive pair (ids[t−1], ids[t]) of the training stream. */
  fit(ids: ArrayLike<number>): this {
    this.checkIds(ids, "fit");
    if (ids.length < 2) throw new RangeError(`BigramLanguageModel.fit: need at least 2 ids (one transition), got ${ids.length}`);
    const V = this.vocabularySize;
    this.counts_ = Array.from({ length: V }, () => new Array<number>(V).fill(0));
    this.rowTotals_ = new Array<number>(V).fill(0);
    for (let t = 1; t < ids.length; t++) {
      this.counts_[ids[t - 1]!]![ids[t]!]! += 1;
      this.rowTotals_[ids[t - 1]!]! += 1;
    }
    return this;
  }

  /** P(next | prev) with add-α smoothing. */
  probability(prev: number, next: number): number {
    this.checkFitted("probability");
    this.checkIds([prev, next], "probability");
    return (this.counts_[prev]![next]! + this.alpha) / (this.rowTotals_[prev]! + this.alpha * this.vocabularySize);
  }

  /** ln P(· | prev) over the whole vocabulary. */
  logProbabilities(prev: number): number[] {
    this.checkFitted("logProbabilities");
    this.checkIds([prev], "logProbabilities");
    const denominator = Math.log(this.rowTotals_[prev]! + this.alpha * this.vocabularySize);
    return this.counts_[prev]!.map((count) => Math.log(count + this.alpha) - denominator);
  }

  /** −ln P(ids[t] | ids[t−1]) for t = 1 … n−1: one negative log-likelihood per transition (nats). */
  negativeLogLikelihoods(ids: ArrayLike<number>): number[] {
    this.checkFitted("negativeLogLikelihoods");
    this.checkIds(ids, "negativeLogLikelihoods");
    const nlls: number[] = [];
    for (let t = 1; t < ids.length; t++) nlls.push(-Math.log(this.probability(ids[t - 1]!, ids[t]!)));
    return nlls;
  }

  /** Mean negative log-likelihood per transition of `ids` (nats per token): the cross-entropy a neural LM must beat. */
  crossEntropy(ids: ArrayLike<number>): number {
    if (ids.length < 2) throw new RangeError(`BigramLanguageModel.crossEntropy: need at least 2 ids (one transition), got ${ids.length}`);
    const nlls = this.negativeLogLikelihoods(ids);
    return nlls.reduce((sum, nll) => sum + nll, 0) / nlls.length;
  }

  /** The model as a decoding.ts / sampling.ts `step`: each prefix's next-token log-probabilities given its last id. */
  get step(): NextTokenLogProbs {
    return (prefixes) => prefixes.map((prefix) => {
      if (prefix.length === 0) throw new RangeError("BigramLanguageModel.step: a prefix needs at least one id (give `start`)");
      return this.logProbabilities(prefix[prefix.length - 1]!);
    });
  }

  private checkFitted(method: string): void {
    if (this.counts_.length === 0) throw new Error(`BigramLanguageModel.${method}: call fit() first`);
  }

  private checkIds(ids: ArrayLike<number>, method: string): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabularySize) {
        throw new RangeError(`BigramLanguageModel.${method}: id ${i} is ${id}, outside 0 … ${this.vocabularySize - 1}`);
      }
    }
  }
}
