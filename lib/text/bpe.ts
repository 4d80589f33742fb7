/**
 * Byte-pair encoding (BPE) subwords, as Sennrich et al. (2016) learn them: start from characters (plus an
 * end-of-word mark), repeatedly merge the most frequent adjacent pair of symbols, and keep the merges in
 * order. Encoding a word replays the merges; a word never seen in training still splits into known pieces,
 * down to single characters, so only a character never seen in training is unknown.
 *
 *   const bpe = learnBpe(tokenizeWords(text, { keepPunctuation: false }), 300);
 *   bpe.encode("unkindest");   // ["un", "kind", "est</w>"] or similar, depending on the text
 */

export const END_OF_WORD = "</w>";

export interface BytePairEncoding {
  /** The merges in the order they were learned: [left, right] → left + right. */
  merges: [string, string][];
  /** The training characters, END_OF_WORD, then every merged symbol: the subword vocabulary. */
  symbols: string[];
  /** The subword symbols of one word (a word, not a text: split the text into words first). */
  encode(word: string): string[];
}

/** `word` as characters with the end mark on the last one: "low" → ["l", "o", "w", "</w>"]. */
function initialSymbols(word: string): string[] {
  return [...Array.from(word), END_OF_WORD];
}

function mergePair(symbols: string[], left: string, right: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) {
      out.push(left + right);
      i++;
    } else out.push(symbols[i]!);
  }
  return out;
}

/**
 * Learns up to `numMerges` merges from training words (one entry per occurrence, so frequent words weigh more).
 * Ties between equally frequent pairs go to the pair met first, words in order of first occurrence and pairs
 * left to right (the reference implementation's order). Stops early when no pair occurs twice.
 */
export function learnBpe(words: readonly string[], numMerges: number): BytePairEncoding {
  if (!Array.isArray(words)) throw new TypeError("learnBpe: words must be an array of strings (split the text into words first)");
  if (!Number.isInteger(numMerges) || numMerges < 0) throw new RangeError(`learnBpe: numMerges must be an integer ≥ 0, got ${numMerges}`);
  const frequency = new Map<string, number>();
  words.forEach((w: unknown, i) => {
    if (typeof w !== "string" || w.length === 0 || /\s/.test(w)) throw new TypeError(`learnBpe: words[${i}] must be a non-empty string without white space, got ${JSON.stringify(w)}`);
    frequency.set(w, (frequency.get(w) ?? 0) + 1);
  });
  // Symbols as integer ids and pairs as one number, so that counting pairs over thousands of words is fast.
  const symbolIds = new Map<string, number>();
  const symbolNames: string[] = [];
  const idOf = (symbol: string) => {
    let id = symbolIds.get(symbol);
    if (id === undefined) symbolIds.set(symbol, (id = symbolNames.push(symbol) - 1));
    return id;
  };
  const PAIR_BASE = 2 ** 21;
  const entries = [...frequency].map(([word, count]) => ({ ids: initialSymbols(word).map(idOf), count }));
  const characters = [...new Set(words.flatMap((w: string) => Array.from(w)))].sort();
  const merges: [string, string][] = [];
  while (merges.length < numMerges) {
    // A Map keeps insertion order, so among equal counts the first pair met wins, as in the reference code.
    const pairCounts = new Map<number, number>();
    for (const { ids, count } of entries) {
      for (let i = 0; i + 1 < ids.length; i++) {
        const key = ids[i]! * PAIR_BASE + ids[i + 1]!;
        pairCounts.set(key, (pairCounts.get(key) ?? 0) + count);
      }
    }
    let bestKey = -1, bestCount = 1;
    for (const [key, count] of pairCounts) if (count > bestCount) [bestKey, bestCount] = [key, count];
    if (bestKey < 0) break; // no pair occurs twice
    const left = Math.floor(bestKey / PAIR_BASE), right = bestKey % PAIR_BASE;
    const merged = idOf(symbolNames[left]! + symbolNames[right]!);
    if (merged >= PAIR_BASE) throw new RangeError(`learnBpe: more than ${PAIR_BASE} symbols`);
    merges.push([symbolNames[left]!, symbolNames[right]!]);
    for (const entry of entries) {
      if (entry.ids.length < 2) continue;
      const out: number[] = [];
      for (let i = 0; i < entry.ids.length; i++) {
        if (entry.ids[i] === left && entry.ids[i + 1] === right) {
          out.push(merged);
          i++;
        } else out.push(entry.ids[i]!);
      }
      entry.ids = out;
    }
  }
  const symbols = [...characters, END_OF_WORD, ...merges.map(([a, b]) => a + b)];
  const rank = new Map(merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
  const cache = new Map<string, string[]>();
  const encode = (word: string): string[] => {
    if (typeof word !== "string" || word.length === 0) throw new TypeError(`BytePairEncoding.encode: word must be a non-empty string, got ${JSON.stringify(word)}`);
    const cached = cache.get(word);
    if (cached) return [...cached];
    let pieces = initialSymbols(word);
    // Replay merges by rank: always apply the earliest-learned merge present, as training did.
    for (;;) {
      let bestRank = Infinity, bestPair: [string, string] | undefined;
      for (let i = 0; i + 1 < pieces.length; i++) {
        const r = rank.get(`${pieces[i]}\u0000${pieces[i + 1]}`);
        if (r !== undefined && r < bestRank) [bestRank, bestPair] = [r, [pieces[i]!, pieces[i + 1]!]];
      }
      if (!bestPair) break;
      pieces = mergePair(pieces, bestPair[0], bestPair[1]);
    }
    cache.set(word, pieces);
    return [...pieces];
  };
  return { merges, symbols, encode };
}
