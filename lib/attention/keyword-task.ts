/**
 * A synthetic "find the keyword" classification task for attention pooling (notebook 19): every sequence holds
 * neutral filler tokens and exactly ONE keyword, positive or negative; the label is the keyword's polarity. The
 * answer sits at one position that moves from sequence to sequence, so a model that pools with attention should
 * put its weight there, and where it looked can be checked against `keywordPosition`.
 *
 * Token ids: 0 = padding (`PAD_ID` of lib/text), 1 … fillers = fillers, then the positive keywords, then the
 * negative ones. Sequences have random lengths and are padded at the end to `maxLength`.
 */
import { Random } from "../random";
import { PAD_ID } from "../text/vocabulary";

export interface KeywordTaskOptions {
  /** Number of sequences. */
  size: number;
  seed: number;
  minLength?: number;
  maxLength?: number;
  fillers?: number;
  /** Keywords per polarity. */
  keywordsPerClass?: number;
}

export interface KeywordTask {
  /** [size][maxLength] token ids, padded with PAD_ID after each sequence's end */
  ids: number[][];
  /** 1 if the keyword is positive, 0 if negative */
  labels: number[];
  /** position of the keyword in each sequence */
  keywordPosition: number[];
  /** number of real (unpadded) tokens in each sequence */
  lengths: number[];
  /** vocabulary size including padding: 1 + fillers + 2 · keywordsPerClass */
  vocabularySize: number;
  /** ids of the positive and negative keywords */
  positiveIds: number[];
  negativeIds: number[];
}

export function makeKeywordTask(options: KeywordTaskOptions): KeywordTask {
  const { size, seed, minLength = 6, maxLength = 16, fillers = 30, keywordsPerClass = 3 } = options;
  for (const [name, value, low] of [["size", size, 1], ["minLength", minLength, 1], ["maxLength", maxLength, 1], ["fillers", fillers, 1], ["keywordsPerClass", keywordsPerClass, 1]] as const) {
    if (!Number.isInteger(value) || value < low) throw new RangeError(`makeKeywordTask: ${name} must be an integer ≥ ${low}, got ${value}`);
  }
  if (minLength > maxLength) throw new RangeError(`makeKeywordTask: minLength ${minLength} > maxLength ${maxLength}`);
  const rng = new Random(seed);
  const positiveIds = Array.from({ length: keywordsPerClass }, (_, k) => 1 + fillers + k);
  const negativeIds = positiveIds.map((id) => id + keywordsPerClass);
  const task: KeywordTask = { ids: [], labels: [], keywordPosition: [], lengths: [], vocabularySize: 1 + fillers + 2 * keywordsPerClass, positiveIds, negativeIds };
  for (let n = 0; n < size; n++) {
    const length = rng.int(minLength, maxLength + 1);
    const label = rng.random() < 0.5 ? 1 : 0;
    const position = rng.int(0, length);
    const row = Array.from({ length: maxLength }, (_, t) => (t < length ? 1 + rng.int(0, fillers) : PAD_ID));
    row[position] = rng.choice(label === 1 ? positiveIds : negativeIds);
    task.ids.push(row);
    task.labels.push(label);
    task.keywordPosition.push(position);
    task.lengths.push(length);
  }
  return task;
}
