/**
 * Seeded synthetic sequence-transduction tasks (no corpus or audio needed offline).
 *
 *   makeDigitWordPairs({ n, minDigits, maxDigits, seed })   "four double seven one" → "4771": a toy translation
 *   makeToneSequences({ n, seed, … })                         spectrogram-like frames of a few tones → tone ids
 *
 * Digit words: each digit is spoken as its English word, except that a run of two equal digits may be spoken as
 * "double d" and a run of three as "triple d" (as people read phone numbers), so source and target lengths differ
 * and the alignment is not one-to-one. Tones: each tone k (1 … tones) lights its own frequency band for 2–4
 * frames, tones are separated by 1–2 silent frames, and every frame carries Gaussian noise; `frameLabels` is the
 * true frame alignment, which the generator knows and a recogniser is never given.
 */
import { Random } from "../random";

export const DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"] as const;

export interface DigitWordPair {
  /** Source words, e.g. ["four", "double", "seven", "one"]. */
  source: string[];
  /** Target digits as characters, e.g. ["4", "7", "7", "1"]. */
  target: string[];
}

/** Digit strings of minDigits … maxDigits digits (uniform length), read out as words. */
export function makeDigitWordPairs(options: { n: number; minDigits: number; maxDigits: number; seed: number }): DigitWordPair[] {
  const { n, minDigits, maxDigits, seed } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`makeDigitWordPairs: n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(minDigits) || minDigits < 1 || !Number.isInteger(maxDigits) || maxDigits < minDigits) {
    throw new RangeError(`makeDigitWordPairs: need integers 1 ≤ minDigits ≤ maxDigits, got ${minDigits} and ${maxDigits}`);
  }
  const rng = new Random(seed);
  return Array.from({ length: n }, () => {
    const digits = Array.from({ length: rng.int(minDigits, maxDigits + 1) }, () => rng.int(0, 10));
    // A third of the time the next digit repeats, so that runs (and "double" / "triple") are common.
    for (let i = 1; i < digits.length; i++) if (rng.random() < 1 / 3) digits[i] = digits[i - 1]!;
    return { source: digitsToWords(digits, rng), target: digits.map(String) };
  });
}

/** Read digits out as words; a run of 2 (or 3) equal digits becomes "double d" ("triple d") half the time. */
function digitsToWords(digits: readonly number[], rng: Random): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < digits.length) {
    let run = 1;
    while (i + run < digits.length && digits[i + run] === digits[i] && run < 3) run++;
    const word = DIGIT_WORDS[digits[i]!]!;
    if (run >= 2 && rng.random() < 0.5) {
      words.push(run === 3 ? "triple" : "double", word);
      i += run;
    } else {
      words.push(word);
      i += 1;
    }
  }
  return words;
}

/** Expand "double d" / "triple d" and map words to digits: the ground truth of the translation. */
export function wordsToDigits(words: readonly string[]): string[] {
  const digits: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const repeat = words[i] === "double" ? 2 : words[i] === "triple" ? 3 : 1;
    if (repeat > 1) i++;
    const digit = DIGIT_WORDS.indexOf(words[i] as (typeof DIGIT_WORDS)[number]);
    if (digit < 0) throw new RangeError(`wordsToDigits: "${words[i] ?? "(end)"}" at position ${i} is not a digit word`);
    for (let k = 0; k < repeat; k++) digits.push(String(digit));
  }
  return digits;
}

export interface ToneSequence {
  /** [frames][bins] spectrogram-like features. */
  frames: number[][];
  /** The tone ids (1 … tones) in order: the transcript. */
  labels: number[];
  /** The true tone id of every frame (0 = silence): the alignment a recogniser is never given. */
  frameLabels: number[];
}

export interface ToneOptions {
  n: number;
  seed: number;
  /** Number of tone symbols (ids 1 … tones; 0 is silence / the CTC blank). Default 4. */
  tones?: number;
  /** Frequency bins per frame (default 2 · tones). */
  bins?: number;
  /** Transcript lengths (default 1 … 4). */
  minTones?: number;
  maxTones?: number;
  /** Standard deviation of the noise (default 0.35). */
  noise?: number;
}

/** Frames per sequence for these options: every sequence fits (lead-in ≤ 2, tones ≤ 4 frames, gaps ≤ 2). */
export function toneSequenceFrames(options: Pick<ToneOptions, "maxTones"> = {}): number {
  const maxTones = options.maxTones ?? 4;
  return 2 + 4 * maxTones + 2 * (maxTones - 1);
}

export function makeToneSequences(options: ToneOptions): ToneSequence[] {
  const { n, seed, tones = 4, minTones = 1, maxTones = 4, noise = 0.35 } = options;
  const bins = options.bins ?? 2 * tones;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`makeToneSequences: n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(tones) || tones < 1 || !Number.isInteger(bins) || bins < tones) throw new RangeError(`makeToneSequences: need integers 1 ≤ tones ≤ bins, got tones ${tones}, bins ${bins}`);
  if (!Number.isInteger(minTones) || minTones < 1 || !Number.isInteger(maxTones) || maxTones < minTones) throw new RangeError(`makeToneSequences: need integers 1 ≤ minTones ≤ maxTones, got ${minTones} and ${maxTones}`);
  const T = toneSequenceFrames({ maxTones });
  const rng = new Random(seed);
  // Tone k lights the bins [band(k), band(k + 1)).
  const band = (k: number) => Math.floor(((k - 1) * bins) / tones);
  return Array.from({ length: n }, () => {
    const labels = Array.from({ length: rng.int(minTones, maxTones + 1) }, () => rng.int(1, tones + 1));
    const frameLabels: number[] = new Array<number>(rng.int(0, 3)).fill(0);
    labels.forEach((label, i) => {
      if (i > 0) frameLabels.push(...new Array<number>(rng.int(1, 3)).fill(0));
      frameLabels.push(...new Array<number>(rng.int(2, 5)).fill(label));
    });
    while (frameLabels.length < T) frameLabels.push(0);
    const frames = frameLabels.map((label) => Array.from({ length: bins }, (_, j) => {
      const lit = label > 0 && j >= band(label) && j < band(label + 1);
      return (lit ? 1 : 0) + noise * rng.normal(0, 1);
    }));
    return { frames, labels, frameLabels };
  });
}
