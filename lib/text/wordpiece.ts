/**
 * A WordPiece subword tokenizer (BERT's), trained on a corpus, lossless and with character offsets:
 *
 *   const tokenizer = WordPieceTokenizer.train(trainText, { vocabularySize: 1024 });
 *   const { ids, tokens, offsets } = tokenizer.encode("Thou art a kingdom");
 *   // tokens: ["Thou", "▁art", "▁a", "▁king", "##dom"]; offsets: [[0, 4], [5, 8], [9, 10], [11, 15], [15, 18]]
 *   tokenizer.decode(ids) === "Thou art a kingdom";
 *
 * Pre-tokenisation splits text into words (letters with inner apostrophes: "we'll"), digit runs, single
 * punctuation marks, single Chinese characters and single white-space characters; a word, number or mark keeps ONE
 * leading space, written "▁" (SentencePiece's marker), so that decoding restores the text exactly (BERT's own
 * uncased tokenizer lowercases and drops spacing, so it cannot). Each pre-token is then split greedily into the
 * longest vocabulary piece from its start, then the longest "##" continuation piece, and so on (BERT's WordPiece
 * algorithm); a pre-token with a character never seen in training becomes one [UNK].
 *
 * Training (`train`) is what Hugging Face's WordPieceTrainer does: byte-pair-encoding merges over the pre-tokens,
 * continuation symbols marked "##", most frequent pair first (ties: the alphabetically first merged symbol), until
 * the vocabulary has `vocabularySize` entries. Google's original WordPiece scores a pair by likelihood instead of
 * frequency; the encoding rule is the same. lib/text/bpe.ts is the word-final ("</w>") BPE of Sennrich et al.
 *
 * Ids: [PAD] = 0, [UNK] = 1, [CLS] = 2, [SEP] = 3, [MASK] = 4, then the single characters, their "##" forms and the
 * merged pieces in the order learned. Offsets are JavaScript string indices [start, end) of what a token stands for,
 * without its "▁" space, so `text.slice(start, end)` is the token's surface.
 */

export const PAD_TOKEN = "[PAD]";
export const UNK_TOKEN = "[UNK]";
export const CLS_TOKEN = "[CLS]";
export const SEP_TOKEN = "[SEP]";
export const MASK_TOKEN = "[MASK]";
export const SPECIAL_TOKENS = [PAD_TOKEN, UNK_TOKEN, CLS_TOKEN, SEP_TOKEN, MASK_TOKEN] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;
export const CLS_ID = 2;
export const SEP_ID = 3;
export const MASK_ID = 4;
/** The leading-space marker of a piece. */
export const SPACE_MARKER = "▁";
/** The prefix of a piece that continues a word. */
export const CONTINUATION_PREFIX = "##";
/** A pre-token longer than this (in characters) is one [UNK], as in BERT. */
export const MAX_CHARACTERS_PER_WORD = 100;

/** Chinese characters are pre-tokens of their own (BERT splits CJK ideographs the same way). */
const PRE_TOKEN = / ?(?:(?!\p{Script=Han})[\p{L}\p{M}])+(?:'(?:(?!\p{Script=Han})[\p{L}\p{M}])+)*| ?\p{Script=Han}| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]|\s/gu;

/** One pre-token: its text (leading space as "▁") and where it is in the input. */
export interface PreToken {
  /** The pre-token with a leading space written as SPACE_MARKER. */
  word: string;
  /** Index of its first character in the text (the space, if it has one). */
  start: number;
  end: number;
}

/** Splits text into pre-tokens; together they cover every character of the text, in order. */
export function preTokenize(text: string): PreToken[] {
  if (typeof text !== "string") throw new TypeError(`preTokenize: text must be a string, got ${typeof text}`);
  const out: PreToken[] = [];
  for (const match of text.matchAll(PRE_TOKEN)) {
    const raw = match[0];
    const start = match.index!;
    out.push({ word: raw.startsWith(" ") ? SPACE_MARKER + raw.slice(1) : raw, start, end: start + raw.length });
  }
  return out;
}

export interface Encoding {
  ids: number[];
  tokens: string[];
  /** [start, end) in the text for each token (the "▁" space excluded). */
  offsets: [number, number][];
}

/** The vocabulary file's contents (`toJSON` / `fromJSON`). */
export interface WordPieceJson {
  kind: "wordpiece";
  version: 1;
  /** id → piece; the first five are the special tokens in SPECIAL_TOKENS order. */
  vocabulary: string[];
}

export interface WordPieceTrainOptions {
  /** Entries in the vocabulary, the five special tokens and the alphabet (each character and its "##" form) included. */
  vocabularySize: number;
  /** Characters seen fewer times than this in training are left out of the alphabet (default 1: all). */
  minCharacterCount?: number;
}

export class WordPieceTokenizer {
  readonly vocabulary: readonly string[];
  private readonly index: Map<string, number>;
  private readonly longestPiece: number;

  constructor(vocabulary: readonly string[]) {
    if (!Array.isArray(vocabulary)) throw new TypeError("WordPieceTokenizer: vocabulary must be an array of strings");
    SPECIAL_TOKENS.forEach((token, id) => {
      if (vocabulary[id] !== token) throw new RangeError(`WordPieceTokenizer: vocabulary[${id}] must be ${token}, got ${JSON.stringify(vocabulary[id])}`);
    });
    const index = new Map<string, number>();
    vocabulary.forEach((piece: unknown, id) => {
      if (typeof piece !== "string" || piece.length === 0) throw new TypeError(`WordPieceTokenizer: vocabulary[${id}] must be a non-empty string, got ${JSON.stringify(piece)}`);
      if (index.has(piece)) throw new RangeError(`WordPieceTokenizer: vocabulary[${id}] = ${JSON.stringify(piece)} repeats vocabulary[${index.get(piece)}]`);
      index.set(piece, id);
    });
    this.vocabulary = [...vocabulary];
    this.index = index;
    this.longestPiece = Math.max(...vocabulary.map((piece) => piece.length));
  }

  get size(): number {
    return this.vocabulary.length;
  }

  /** The id of a piece, or undefined. */
  idOf(piece: string): number | undefined {
    return this.index.get(piece);
  }

  /** Learns a vocabulary from `text` (see the module comment). */
  static train(text: string, options: WordPieceTrainOptions): WordPieceTokenizer {
    return new WordPieceTokenizer(trainWordPieceVocabulary(text, options));
  }

  static fromJSON(json: WordPieceJson): WordPieceTokenizer {
    if (json?.kind !== "wordpiece" || json.version !== 1) throw new TypeError(`WordPieceTokenizer.fromJSON: expected { kind: "wordpiece", version: 1, … }, got kind ${JSON.stringify(json?.kind)}, version ${JSON.stringify(json?.version)}`);
    return new WordPieceTokenizer(json.vocabulary);
  }

  toJSON(): WordPieceJson {
    return { kind: "wordpiece", version: 1, vocabulary: [...this.vocabulary] };
  }

  /** Ids, pieces and character offsets of `text` (no [CLS] / [SEP]: `bertInputs` adds those). */
  encode(text: string): Encoding {
    const encoding: Encoding = { ids: [], tokens: [], offsets: [] };
    for (const pre of preTokenize(text)) {
      const pieces = this.splitWord(pre.word);
      if (pieces === null) {
        encoding.ids.push(UNK_ID);
        encoding.tokens.push(UNK_TOKEN);
        encoding.offsets.push([pre.word.startsWith(SPACE_MARKER) && pre.word.length > 1 ? pre.start + 1 : pre.start, pre.end]);
        continue;
      }
      let at = pre.start;
      for (const piece of pieces) {
        const surface = pieceSurface(piece);
        // A marked piece's space is excluded from its offsets, unless the space is all it stands for.
        const start = surface.length > 1 && surface.startsWith(" ") ? at + 1 : at;
        at += surface.length;
        encoding.ids.push(this.index.get(piece)!);
        encoding.tokens.push(piece);
        encoding.offsets.push([start, at]);
      }
    }
    return encoding;
  }

  /** The pieces of `text`, without ids or offsets. */
  tokenize(text: string): string[] {
    return this.encode(text).tokens;
  }

  /**
   * The text of `ids`: pieces joined, "##" dropped, "▁" as a space. Special tokens appear as "[CLS]" etc. unless
   * `skipSpecialTokens` (then [PAD], [CLS], [SEP], [MASK] are dropped; [UNK] stays).
   */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    let text = "";
    ids.forEach((id, i) => {
      const piece = this.vocabulary[id];
      if (!Number.isInteger(id) || piece === undefined) throw new RangeError(`WordPieceTokenizer.decode: ids[${i}] = ${id} is not an id (0 … ${this.size - 1})`);
      if (id < SPECIAL_TOKENS.length) {
        if (!(options.skipSpecialTokens && id !== UNK_ID)) text += piece;
        return;
      }
      text += pieceSurface(piece);
    });
    return text;
  }

  /** Greedy longest-match-first split of one pre-token, or null when some part matches no piece. */
  private splitWord(word: string): string[] | null {
    const chars = Array.from(word);
    if (chars.length > MAX_CHARACTERS_PER_WORD) return null;
    const pieces: string[] = [];
    let begin = 0;
    while (begin < chars.length) {
      let end = Math.min(chars.length, begin + this.longestPiece);
      let found: string | null = null;
      for (; end > begin; end--) {
        const candidate = (begin > 0 ? CONTINUATION_PREFIX : "") + chars.slice(begin, end).join("");
        if (this.index.has(candidate) && this.index.get(candidate)! >= SPECIAL_TOKENS.length) {
          found = candidate;
          break;
        }
      }
      if (found === null) return null;
      pieces.push(found);
      begin = end;
    }
    return pieces;
  }
}

/** What a piece stands for in the text: "##ing" → "ing", "▁the" → " the". */
function pieceSurface(piece: string): string {
  if (piece.startsWith(CONTINUATION_PREFIX) && piece.length > CONTINUATION_PREFIX.length) return piece.slice(CONTINUATION_PREFIX.length);
  return piece.startsWith(SPACE_MARKER) ? ` ${piece.slice(SPACE_MARKER.length)}` : piece;
}

/**
 * The vocabulary WordPieceTokenizer.train learns: special tokens, alphabet, then merges by pair frequency over the
 * pre-tokens (pair counts are updated only in the words a merge touches, so 1,000 merges over Shakespeare take ~1 s).
 */
export function trainWordPieceVocabulary(text: string, options: WordPieceTrainOptions): string[] {
  const { vocabularySize, minCharacterCount = 1 } = options;
  if (typeof text !== "string" || text.length === 0) throw new TypeError("trainWordPieceVocabulary: text must be a non-empty string");
  if (!Number.isInteger(minCharacterCount) || minCharacterCount < 1) throw new RangeError(`trainWordPieceVocabulary: minCharacterCount must be an integer ≥ 1, got ${minCharacterCount}`);
  const wordCounts = new Map<string, number>();
  for (const { word } of preTokenize(text)) wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  const characterCounts = new Map<string, number>();
  for (const [word, count] of wordCounts) {
    for (const c of Array.from(word)) characterCounts.set(c, (characterCounts.get(c) ?? 0) + count);
  }
  // The space marker is a piece of its own (a lone or word-leading space), never a "##" continuation.
  const alphabet = [...characterCounts].filter(([c, n]) => n >= minCharacterCount && c !== SPACE_MARKER).map(([c]) => c).sort();
  const initial = [...alphabet, ...(characterCounts.has(SPACE_MARKER) ? [SPACE_MARKER] : [])].sort();
  // White space is always a pre-token of its own, so it needs no "##" form.
  const continuations = alphabet.filter((c) => !/\s/u.test(c)).map((c) => CONTINUATION_PREFIX + c);
  const base = [...SPECIAL_TOKENS, ...initial, ...continuations];
  if (!Number.isInteger(vocabularySize) || vocabularySize < base.length) {
    throw new RangeError(`trainWordPieceVocabulary: vocabularySize must be an integer ≥ ${base.length} (5 special tokens + ${initial.length} characters + ${continuations.length} "##" forms), got ${vocabularySize}`);
  }
  const symbolIds = new Map<string, number>();
  const symbols: string[] = [];
  const idOf = (symbol: string) => {
    let id = symbolIds.get(symbol);
    if (id === undefined) symbolIds.set(symbol, (id = symbols.push(symbol) - 1));
    return id;
  };
  const known = new Set(base);
  const words: { ids: number[]; count: number }[] = [];
  for (const [word, count] of wordCounts) {
    const chars = Array.from(word);
    const pieces = chars.map((c, i) => (i === 0 ? c : CONTINUATION_PREFIX + c));
    if (pieces.every((p) => known.has(p)) && chars.length <= MAX_CHARACTERS_PER_WORD) words.push({ ids: pieces.map(idOf), count });
  }
  const PAIR_BASE = 2 ** 21;
  const pairCounts = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (w: number, sign: 1 | -1) => {
    const { ids, count } = words[w]!;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i]! * PAIR_BASE + ids[i + 1]!;
      pairCounts.set(key, (pairCounts.get(key) ?? 0) + sign * count);
      if (sign > 0) {
        let set = pairWords.get(key);
        if (!set) pairWords.set(key, (set = new Set()));
        set.add(w);
      }
    }
  };
  words.forEach((_, w) => addPairs(w, 1));
  const vocabulary = [...base];
  const merged = (left: number, right: number) => symbols[left]! + symbols[right]!.slice(CONTINUATION_PREFIX.length);
  while (vocabulary.length < vocabularySize) {
    let bestKey = -1, bestCount = 0, bestSymbol = "";
    for (const [key, count] of pairCounts) {
      if (count < bestCount || count <= 0) continue;
      const symbol = merged(Math.floor(key / PAIR_BASE), key % PAIR_BASE);
      if (count > bestCount || symbol < bestSymbol) [bestKey, bestCount, bestSymbol] = [key, count, symbol];
    }
    if (bestKey < 0) break; // every word is one piece
    const left = Math.floor(bestKey / PAIR_BASE), right = bestKey % PAIR_BASE;
    const newId = idOf(bestSymbol);
    if (newId >= PAIR_BASE) throw new RangeError(`trainWordPieceVocabulary: more than ${PAIR_BASE} symbols`);
    if (!known.has(bestSymbol)) {
      known.add(bestSymbol);
      vocabulary.push(bestSymbol);
    }
    for (const w of pairWords.get(bestKey) ?? []) {
      addPairs(w, -1);
      const ids = words[w]!.ids;
      const out: number[] = [];
      for (let i = 0; i < ids.length; i++) {
        if (ids[i] === left && ids[i + 1] === right) {
          out.push(newId);
          i++;
        } else out.push(ids[i]!);
      }
      words[w]!.ids = out;
      addPairs(w, 1);
    }
    pairCounts.delete(bestKey);
    pairWords.delete(bestKey);
  }
  return vocabulary;
}
