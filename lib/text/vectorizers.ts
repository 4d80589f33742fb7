/**
 * Bag-of-words and TF-IDF document vectors, equal to scikit-learn 1.2's `CountVectorizer` and
 * `TfidfVectorizer` (checked against test/fixtures/sklearn/text-vectorizers.json). Dense rows: the notebooks'
 * corpora are small, and a learner can print them.
 *
 *   const tfidf = new TfidfVectorizer().fit(trainDocs);
 *   tfidf.getFeatureNamesOut();          // the vocabulary, sorted as scikit-learn sorts it
 *   tfidf.transform(["a new document"]);  // [1][nFeatures], each row of unit L2 norm
 *
 * Defaults are scikit-learn's: lower-case, token pattern `\b\w\w+\b` (one-letter words and punctuation
 * dropped), unigrams, smooth idf `ln((1 + n) / (1 + df)) + 1`, L2-normalised rows.
 */
import { NotFittedError } from "../ml/base";
import { sklearnTokenize } from "./tokenize";

export interface CountVectorizerOptions {
  /** Lower-case before tokenising (default true). */
  lowercase?: boolean;
  /** [min n, max n] of the word n-grams (default [1, 1]). */
  ngramRange?: [number, number];
  /** Keep terms that occur in at least this many training documents (an integer, default 1). */
  minDf?: number;
  /** Keep only the `maxFeatures` terms of highest total count (ties at the cut broken alphabetically). */
  maxFeatures?: number;
  /** Counts become 0/1 presence (default false). */
  binary?: boolean;
}

function checkDocuments(caller: string, documents: unknown): asserts documents is string[] {
  if (!Array.isArray(documents)) throw new TypeError(`${caller}: documents must be an array of strings, got ${typeof documents}`);
  documents.forEach((doc: unknown, i) => {
    if (typeof doc !== "string") throw new TypeError(`${caller}: documents[${i}] is ${doc === null ? "null" : typeof doc}, not a string`);
  });
}

export class CountVectorizer {
  readonly lowercase: boolean;
  readonly ngramRange: [number, number];
  readonly minDf: number;
  readonly maxFeatures: number | undefined;
  readonly binary: boolean;
  /** term → column, columns in sorted term order (scikit-learn's `vocabulary_`). */
  vocabulary_: Map<string, number> | undefined;

  constructor(options: CountVectorizerOptions = {}) {
    const { lowercase = true, ngramRange = [1, 1], minDf = 1, maxFeatures, binary = false } = options;
    const [low, high] = Array.isArray(ngramRange) ? ngramRange : [NaN, NaN];
    if (!(Number.isInteger(low) && Number.isInteger(high) && low! >= 1 && high! >= low!)) {
      throw new RangeError(`CountVectorizer: ngramRange must be [min, max] integers with 1 ≤ min ≤ max, got ${JSON.stringify(ngramRange)}`);
    }
    if (!Number.isInteger(minDf) || minDf < 1) throw new RangeError(`CountVectorizer: minDf must be an integer ≥ 1 (a document count), got ${minDf}`);
    if (maxFeatures !== undefined && (!Number.isInteger(maxFeatures) || maxFeatures < 1)) {
      throw new RangeError(`CountVectorizer: maxFeatures must be an integer ≥ 1, got ${maxFeatures}`);
    }
    this.lowercase = lowercase;
    this.ngramRange = [low!, high!];
    this.minDf = minDf;
    this.maxFeatures = maxFeatures;
    this.binary = binary;
  }

  /** The terms of one document: its tokens and, for n > 1, the space-joined n-grams (scikit-learn's analyzer). */
  analyze(document: string): string[] {
    const tokens = sklearnTokenize(document, { lowercase: this.lowercase });
    const [low, high] = this.ngramRange;
    const terms: string[] = [];
    for (let n = low; n <= high; n++) {
      for (let start = 0; start + n <= tokens.length; start++) terms.push(tokens.slice(start, start + n).join(" "));
    }
    return terms;
  }

  /** Learns the vocabulary from the training documents and returns `this`. */
  fit(documents: readonly string[]): this {
    checkDocuments("CountVectorizer.fit", documents);
    const documentFrequency = new Map<string, number>();
    const totalCount = new Map<string, number>();
    for (const doc of documents) {
      const terms = this.analyze(doc);
      for (const term of terms) totalCount.set(term, (totalCount.get(term) ?? 0) + 1);
      for (const term of new Set(terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
    let terms = [...documentFrequency.keys()].filter((term) => documentFrequency.get(term)! >= this.minDf).sort(compareCodePoints);
    if (this.maxFeatures !== undefined && terms.length > this.maxFeatures) {
      // Stable sort over alphabetical order: equal counts keep alphabetical order at the cut.
      const top = new Set([...terms].sort((a, b) => totalCount.get(b)! - totalCount.get(a)!).slice(0, this.maxFeatures));
      terms = terms.filter((term) => top.has(term));
    }
    if (terms.length === 0) {
      throw new RangeError(`CountVectorizer.fit: empty vocabulary; the ${documents.length} documents contain no term of two or more word characters${this.minDf > 1 ? ` in ≥ ${this.minDf} documents (minDf)` : ""}`);
    }
    this.vocabulary_ = new Map(terms.map((term, column) => [term, column]));
    return this;
  }

  /** [documents][terms] counts (0/1 when `binary`); terms outside the vocabulary are ignored. */
  transform(documents: readonly string[]): number[][] {
    const vocabulary = this.fitted();
    checkDocuments("CountVectorizer.transform", documents);
    return documents.map((doc) => {
      const row = new Array<number>(vocabulary.size).fill(0);
      for (const term of this.analyze(doc)) {
        const column = vocabulary.get(term);
        if (column !== undefined) row[column] = this.binary ? 1 : row[column]! + 1;
      }
      return row;
    });
  }

  fitTransform(documents: readonly string[]): number[][] {
    return this.fit(documents).transform(documents);
  }

  /** The terms, index = column. */
  getFeatureNamesOut(): string[] {
    return [...this.fitted().keys()];
  }

  private fitted(): Map<string, number> {
    if (!this.vocabulary_) throw new NotFittedError(this.constructor.name);
    return this.vocabulary_;
  }
}

/** Python sorts strings by code point; JavaScript's default sort compares UTF-16 units, which differs above U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0)!);
  const cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

export interface TfidfVectorizerOptions extends CountVectorizerOptions {
  /** Row normalisation (default "l2"); null leaves rows unnormalised. */
  norm?: "l1" | "l2" | null;
  /** Multiply by the idf (default true); false gives (normalised) term frequencies. */
  useIdf?: boolean;
  /** idf = ln((1 + n) / (1 + df)) + 1, as if one extra document held every term once (default true); else ln(n / df) + 1. */
  smoothIdf?: boolean;
  /** tf becomes 1 + ln(tf) for tf > 0 (default false). */
  sublinearTf?: boolean;
}

export class TfidfVectorizer extends CountVectorizer {
  readonly norm: "l1" | "l2" | null;
  readonly useIdf: boolean;
  readonly smoothIdf: boolean;
  readonly sublinearTf: boolean;
  /** [terms] inverse document frequency of each column, learned by `fit`. */
  idf_: number[] | undefined;

  constructor(options: TfidfVectorizerOptions = {}) {
    super(options);
    const { norm = "l2", useIdf = true, smoothIdf = true, sublinearTf = false } = options;
    if (norm !== "l1" && norm !== "l2" && norm !== null) throw new RangeError(`TfidfVectorizer: norm must be "l1", "l2" or null, got ${JSON.stringify(norm)}`);
    this.norm = norm;
    this.useIdf = useIdf;
    this.smoothIdf = smoothIdf;
    this.sublinearTf = sublinearTf;
  }

  override fit(documents: readonly string[]): this {
    super.fit(documents);
    const counts = super.transform(documents);
    const n = documents.length;
    const smooth = this.smoothIdf ? 1 : 0;
    this.idf_ = this.getFeatureNamesOut().map((_, column) => {
      const df = counts.reduce((sum, row) => sum + (row[column]! > 0 ? 1 : 0), 0);
      return Math.log((n + smooth) / (df + smooth)) + 1;
    });
    return this;
  }

  override transform(documents: readonly string[]): number[][] {
    const counts = super.transform(documents);
    const idf = this.idf_!;
    return counts.map((row) => {
      const weighted = row.map((count, column) => {
        const tf = this.sublinearTf && count > 0 ? 1 + Math.log(count) : count;
        return this.useIdf ? tf * idf[column]! : tf;
      });
      return normalizeRow(weighted, this.norm);
    });
  }
}

/** Divides by the row's L1 or L2 norm; an all-zero row stays zero (as sklearn.preprocessing.normalize). */
function normalizeRow(row: number[], norm: "l1" | "l2" | null): number[] {
  if (norm === null) return row;
  const size = norm === "l1" ? row.reduce((s, v) => s + Math.abs(v), 0) : Math.sqrt(row.reduce((s, v) => s + v * v, 0));
  return size === 0 ? row : row.map((v) => v / size);
}
