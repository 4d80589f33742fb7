/**
 * A word (or character) vocabulary: token ↔ integer id, learned from training texts only, as Keras's
 * `TextVectorization` and torchtext's `build_vocab_from_iterator` do. Id 0 is the padding token `<pad>`
 * and id 1 the out-of-vocabulary token `<unk>`, so `padSequences(…, { value: PAD_ID })` and an
 * `Embedding(mask_zero)` agree, and a word first seen at test time maps to `<unk>` instead of failing.
 *
 *   const vocab = new Vocabulary({ minCount: 2 }).fit(trainTexts.map((t) => tokenizeWords(t)));
 *   vocab.encode(["not", "bad", "zyzzyva"]);   // [17, 9, 1]
 */

export const PAD_TOKEN = "<pad>";
export const UNK_TOKEN = "<unk>";
export const PAD_ID = 0;
export const UNK_ID = 1;

export interface VocabularyOptions {
  /** Keep tokens seen at least this often in the training texts (default 1). */
  minCount?: number;
  /** Largest vocabulary, the two reserved ids included (as Keras's `max_tokens`); the most frequent tokens win. */
  maxSize?: number;
}

export class Vocabulary {
  readonly minCount: number;
  readonly maxSize: number | undefined;
  /** id → token; `tokens_[0]` is `<pad>`, `tokens_[1]` is `<unk>`; then by count (descending), ties alphabetical. */
  tokens_: string[] = [];
  /** Training count of each kept token (0 for the two reserved ones), index = id. */
  counts_: number[] = [];
  private index = new Map<string, number>();

  constructor(options: VocabularyOptions = {}) {
    const { minCount = 1, maxSize } = options;
    if (!Number.isInteger(minCount) || minCount < 1) throw new RangeError(`Vocabulary: minCount must be an integer ≥ 1, got ${minCount}`);
    if (maxSize !== undefined && (!Number.isInteger(maxSize) || maxSize < 3)) {
      throw new RangeError(`Vocabulary: maxSize must be an integer ≥ 3 (it counts <pad> and <unk>), got ${maxSize}`);
    }
    this.minCount = minCount;
    this.maxSize = maxSize;
  }

  /** Learns the vocabulary from tokenised training texts ([texts][tokens]) and returns `this`. */
  fit(texts: readonly (readonly string[])[]): this {
    if (!Array.isArray(texts)) throw new TypeError(`Vocabulary.fit: texts must be an array of token arrays, got ${typeof texts}`);
    const counts = new Map<string, number>();
    texts.forEach((tokens, i) => {
      if (!Array.isArray(tokens)) throw new TypeError(`Vocabulary.fit: texts[${i}] must be an array of tokens (tokenise first), got ${typeof tokens}`);
      tokens.forEach((token: unknown, j) => {
        if (typeof token !== "string") throw new TypeError(`Vocabulary.fit: texts[${i}][${j}] is ${typeof token}, not a string`);
        if (token === PAD_TOKEN || token === UNK_TOKEN) throw new RangeError(`Vocabulary.fit: texts[${i}][${j}] is the reserved token ${token}`);
        counts.set(token, (counts.get(token) ?? 0) + 1);
      });
    });
    const kept = [...counts.entries()]
      .filter(([, count]) => count >= this.minCount)
      .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0));
    const room = this.maxSize === undefined ? kept.length : this.maxSize - 2;
    const chosen = kept.slice(0, room);
    this.tokens_ = [PAD_TOKEN, UNK_TOKEN, ...chosen.map(([token]) => token)];
    this.counts_ = [0, 0, ...chosen.map(([, count]) => count)];
    this.index = new Map(this.tokens_.map((token, id) => [token, id]));
    return this;
  }

  /** Number of ids, the two reserved ones included (the `inputDim` of an embedding layer). */
  get size(): number {
    this.checkFitted("size");
    return this.tokens_.length;
  }

  /** The id of a token; `UNK_ID` for a token not in the vocabulary. */
  idOf(token: string): number {
    this.checkFitted("idOf");
    return this.index.get(token) ?? UNK_ID;
  }

  has(token: string): boolean {
    this.checkFitted("has");
    return this.index.has(token);
  }

  /** Tokens → ids; unknown tokens → `UNK_ID`. */
  encode(tokens: readonly string[]): number[] {
    this.checkFitted("encode");
    if (!Array.isArray(tokens)) throw new TypeError(`Vocabulary.encode: tokens must be an array of strings (tokenise first), got ${typeof tokens}`);
    return tokens.map((token) => this.idOf(token));
  }

  /** Ids → tokens. Padding ids are dropped unless `keepPadding`; an id outside the vocabulary is an error. */
  decode(ids: readonly number[], options: { keepPadding?: boolean } = {}): string[] {
    this.checkFitted("decode");
    const out: string[] = [];
    ids.forEach((id, i) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.tokens_.length) {
        throw new RangeError(`Vocabulary.decode: ids[${i}] = ${id} is not an id in 0…${this.tokens_.length - 1}`);
      }
      if (id !== PAD_ID || options.keepPadding) out.push(this.tokens_[id]!);
    });
    return out;
  }

  private checkFitted(method: string): void {
    if (this.tokens_.length === 0) throw new Error(`Vocabulary.${method}: call fit(trainingTexts) first`);
  }
}
