/**
 * Tokenisers for the text notebooks: words with punctuation kept as tokens (what a recurrent model reads,
 * so that "not bad, at all!" keeps its commas), characters, and scikit-learn's default token pattern (what
 * `CountVectorizer` reads). Pure functions of the string.
 *
 *   tokenizeWords("Not bad, at ALL!")   // ["not", "bad", ",", "at", "all", "!"]
 *   tokenizeChars("héllo")              // ["h", "é", "l", "l", "o"]
 */

export interface WordTokenizerOptions {
  /** Lower-case before splitting (default true). */
  lowercase?: boolean;
  /** Keep punctuation marks as tokens of their own (default true); false drops them. */
  keepPunctuation?: boolean;
}

// A word is a run of letters, digits or underscores, optionally with an apostrophe inside ("don't", "film's").
const WORD = String.raw`[\p{L}\p{N}_]+(?:['’][\p{L}\p{N}_]+)*`;
// Anything else that is not white space is one punctuation token per character.
const WORD_OR_PUNCTUATION = new RegExp(`${WORD}|[^\\s\\p{L}\\p{N}_]`, "gu");
const WORD_ONLY = new RegExp(WORD, "gu");

function checkText(caller: string, text: unknown): asserts text is string {
  if (typeof text !== "string") throw new TypeError(`${caller}: text must be a string, got ${text === null ? "null" : typeof text}`);
}

/** Splits into words and punctuation marks: `"It's not bad."` → `["it's", "not", "bad", "."]`. */
export function tokenizeWords(text: string, options: WordTokenizerOptions = {}): string[] {
  checkText("tokenizeWords", text);
  const { lowercase = true, keepPunctuation = true } = options;
  const source = lowercase ? text.toLowerCase() : text;
  return source.match(keepPunctuation ? WORD_OR_PUNCTUATION : WORD_ONLY) ?? [];
}

/** Splits into Unicode code points (not UTF-16 units, so "😀" is one token). */
export function tokenizeChars(text: string, options: { lowercase?: boolean } = {}): string[] {
  checkText("tokenizeChars", text);
  return Array.from(options.lowercase ? text.toLowerCase() : text);
}

/**
 * scikit-learn's default analyzer for `CountVectorizer` / `TfidfVectorizer`: lower-case, then every run of
 * two or more word characters (`token_pattern=r"(?u)\b\w\w+\b"`). Punctuation and one-letter words ("a",
 * "I") are dropped. Python's `\w` is a letter, a number or `_`, which `[\p{L}\p{N}_]` matches.
 */
export function sklearnTokenize(text: string, options: { lowercase?: boolean } = {}): string[] {
  checkText("sklearnTokenize", text);
  const { lowercase = true } = options;
  return (lowercase ? text.toLowerCase() : text).match(/[\p{L}\p{N}_]{2,}/gu) ?? [];
}
