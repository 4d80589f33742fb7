/**
 * Sampling the next token of an autoregressive model, the decoding strategies that `decoding.ts`'s search
 * (greedy, beam) does not cover: temperature, top-k and top-p (nucleus, Holtzman et al. 2020), and perplexity.
 *
 *   temperatureSoftmax(logits, T)         softmax(logits / T) in float64; T = 0 puts all mass on the argmax
 *   topKCandidates(probs, k)              the k most likely token ids, most likely first
 *   topPCandidates(probs, p)              the smallest most-likely-first set whose mass is ≥ p
 *   samplingDistribution(logits, opts)    temperature, then top-k, then top-p, renormalised over the candidates
 *   sampleToken(logits, opts, rng)        one seeded draw from that distribution
 *   sampleDecode(step, opts)              a whole sequence drawn token by token from a decoding.ts `step`
 *   perplexity(nlls)                      exp(mean negative log-likelihood)
 *
 * Ties go to the lower token id everywhere (as in greedyDecode and beamSearch), so temperature 0 and top-k = 1
 * are greedy decoding exactly. A logit of −Infinity is a token that is masked out (probability 0); NaN and
 * +Infinity are errors.
 */
import { Random } from "../random";
import type { DecodeOptions, Hypothesis, NextTokenLogProbs } from "./decoding";

export interface SamplingOptions {
  /** Divides the logits before the softmax: < 1 sharpens, > 1 flattens, 0 is greedy (default 1). */
  temperature?: number;
  /** Keep only the k most likely tokens (default: all). */
  topK?: number;
  /** Keep the smallest most-likely-first set with mass ≥ p, after top-k (default 1: all). */
  topP?: number;
}

/** Slack for float rounding when a cumulative mass is compared with p (sums of probabilities, not exact). */
const MASS_TOLERANCE = 1e-12;

/** softmax(logits / temperature) in float64; temperature 0 gives a one-hot on the argmax (lowest id on ties). */
export function temperatureSoftmax(logits: ArrayLike<number>, temperature = 1): number[] {
  checkLogits(logits, "temperatureSoftmax");
  checkTemperature(temperature, "temperatureSoftmax");
  const values = Array.from(logits);
  const best = argmax(values);
  if (temperature === 0) return values.map((_, token) => (token === best ? 1 : 0));
  const max = values[best]!;
  const weights = values.map((logit) => Math.exp((logit - max) / temperature));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return weights.map((w) => w / total);
}

/** The k most likely token ids, most likely first, ties to the lower id (k larger than the vocabulary: all). */
export function topKCandidates(probs: ArrayLike<number>, k: number): number[] {
  checkProbabilities(probs, "topKCandidates");
  if (!Number.isInteger(k) || k <= 0) throw new RangeError(`topKCandidates: k must be an integer ≥ 1, got ${k}`);
  return rankTokens(probs).slice(0, k);
}

/**
 * The nucleus: the smallest set of most likely tokens whose probabilities sum to ≥ p (within float rounding),
 * most likely first. p = 1 keeps every token with non-zero probability.
 */
export function topPCandidates(probs: ArrayLike<number>, p: number): number[] {
  checkProbabilities(probs, "topPCandidates");
  checkTopP(p, "topPCandidates");
  const ranked = rankTokens(probs);
  const candidates: number[] = [];
  let mass = 0;
  for (const token of ranked) {
    if (probs[token] === 0) break;
    candidates.push(token);
    mass += probs[token]!;
    if (mass >= p - MASS_TOLERANCE) break;
  }
  return candidates;
}

/**
 * The distribution a sampler draws from: temperature softmax, then the top-k set, then the top-p set of what
 * is left (renormalised after top-k, as Hugging Face's `generate` does), renormalised over the survivors.
 * Returns a full-length vector with zeros outside the candidates.
 */
export function samplingDistribution(logits: ArrayLike<number>, options: SamplingOptions = {}): number[] {
  const { temperature = 1, topK, topP = 1 } = options;
  checkTopP(topP, "samplingDistribution");
  if (topK !== undefined && (!Number.isInteger(topK) || topK <= 0)) throw new RangeError(`samplingDistribution: topK must be an integer ≥ 1, got ${topK}`);
  const probs = temperatureSoftmax(logits, temperature);
  let candidates = topK === undefined ? rankTokens(probs).filter((token) => probs[token]! > 0) : topKCandidates(probs, topK);
  if (topP < 1) candidates = topPCandidates(renormalised(probs, candidates), topP);
  return renormalised(probs, candidates);
}

/** One token drawn from `samplingDistribution(logits, options)` with the seeded `rng` (one uniform per draw). */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Random): number {
  return drawFrom(samplingDistribution(logits, options), rng);
}

/** Inverse-CDF draw from a probability vector; the last token with mass absorbs rounding at the top end. */
export function drawFrom(probs: ArrayLike<number>, rng: Random): number {
  checkProbabilities(probs, "drawFrom");
  const u = rng.random();
  let cumulative = 0;
  let last = -1;
  for (let token = 0; token < probs.length; token++) {
    if (probs[token] === 0) continue;
    last = token;
    cumulative += probs[token]!;
    if (u < cumulative) return token;
  }
  if (last < 0) throw new RangeError("drawFrom: every probability is 0");
  return last;
}

export interface SampleDecodeOptions extends DecodeOptions, SamplingOptions {
  /** Seed of the sampler's own Random (the same seed gives the same sequence). */
  seed: number;
}

/**
 * Draws one sequence token by token: at each step `step` gives the next-token log-probabilities of the prefix,
 * read as logits for `samplingDistribution`. Ends at eos (kept) or maxLength. `logProb` sums the model's own
 * log-probabilities of the drawn tokens (before temperature and truncation), so it scores the sample under the model.
 */
export function sampleDecode(step: NextTokenLogProbs, options: SampleDecodeOptions): Hypothesis {
  const { eos, maxLength, start = [], seed } = options;
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`sampleDecode: maxLength must be an integer ≥ 1, got ${maxLength}`);
  if (!Number.isInteger(eos) || eos < 0) throw new RangeError(`sampleDecode: eos must be a token id (integer ≥ 0), got ${eos}`);
  const rng = new Random(seed);
  const tokens: number[] = [];
  let logProb = 0;
  while (tokens.length < maxLength) {
    const rows = step([[...start, ...tokens]]);
    if (rows.length !== 1) throw new RangeError(`sampleDecode: step returned ${rows.length} rows for 1 prefix`);
    const row = rows[0]!;
    const token = sampleToken(row, options, rng);
    tokens.push(token);
    logProb += row[token]!;
    if (token === eos) break;
  }
  return { tokens, logProb, score: logProb, finished: tokens.at(-1) === eos };
}

/** exp(mean negative log-likelihood per token): the effective number of equally likely choices per token. */
export function perplexity(negativeLogLikelihoods: ArrayLike<number>): number {
  if (negativeLogLikelihoods.length === 0) throw new RangeError("perplexity: no negative log-likelihoods given");
  let total = 0;
  for (let i = 0; i < negativeLogLikelihoods.length; i++) {
    const nll = negativeLogLikelihoods[i]!;
    if (!(nll >= 0) || nll === Infinity) throw new RangeError(`perplexity: negative log-likelihood ${i} must be finite and ≥ 0, got ${nll}`);
    total += nll;
  }
  return Math.exp(total / negativeLogLikelihoods.length);
}

/** Token ids by probability, highest first, ties to the lower id. */
function rankTokens(probs: ArrayLike<number>): number[] {
  return Array.from({ length: probs.length }, (_, token) => token).sort((a, b) => probs[b]! - probs[a]! || a - b);
}

function renormalised(probs: readonly number[], candidates: readonly number[]): number[] {
  const mass = candidates.reduce((sum, token) => sum + probs[token]!, 0);
  const result = new Array<number>(probs.length).fill(0);
  for (const token of candidates) result[token] = probs[token]! / mass;
  return result;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

function checkLogits(logits: ArrayLike<number>, caller: string): void {
  if (logits.length === 0) throw new RangeError(`${caller}: logits are empty`);
  let finite = false;
  for (let i = 0; i < logits.length; i++) {
    const logit = logits[i]!;
    if (Number.isNaN(logit) || logit === Infinity) throw new RangeError(`${caller}: logit ${i} is ${logit} (only finite values, or −Infinity for a masked token)`);
    if (logit !== -Infinity) finite = true;
  }
  if (!finite) throw new RangeError(`${caller}: every logit is −Infinity (every token masked)`);
}

function checkProbabilities(probs: ArrayLike<number>, caller: string): void {
  if (probs.length === 0) throw new RangeError(`${caller}: probabilities are empty`);
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) throw new RangeError(`${caller}: probability ${i} must be in [0, 1], got ${p}`);
    total += p;
  }
  if (Math.abs(total - 1) > 1e-6) throw new RangeError(`${caller}: probabilities must sum to 1, got ${total}`);
}

function checkTemperature(temperature: number, caller: string): void {
  if (!(temperature >= 0) || temperature === Infinity) throw new RangeError(`${caller}: temperature must be finite and ≥ 0, got ${temperature}`);
}

function checkTopP(p: number, caller: string): void {
  if (!(p > 0 && p <= 1)) throw new RangeError(`${caller}: p must be in (0, 1], got ${p}`);
}
