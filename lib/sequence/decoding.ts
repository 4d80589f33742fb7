/**
 * Decoding an autoregressive model: pick an output sequence token by token from a function that gives the
 * log-probabilities of the next token after each prefix. Model-agnostic (a seq2seq decoder, a GPT, an HMM).
 *
 *   greedyDecode(step, { eos, maxLength })              the most likely token at every step
 *   beamSearch(step, { eos, maxLength, beamWidth })     the `beamWidth` best prefixes at every step
 *   exhaustiveSearch(step, { eos, maxLength })          every sequence (the truth the tests compare with)
 *
 * `step(prefixes)` gets a batch of prefixes (token ids after `start`) and returns one row of log-probabilities
 * over the vocabulary per prefix. A hypothesis ends when it emits `eos` (kept as its last token) or reaches
 * `maxLength` tokens. Scores are summed log-probabilities, optionally divided by GNMT's length penalty
 * ((5 + length) / 6)^α (Wu et al. 2016), which stops beam search from favouring short outputs. Ties go to the
 * lower token id, so beam width 1 is exactly greedy decoding.
 */

export type NextTokenLogProbs = (prefixes: readonly (readonly number[])[]) => readonly (readonly number[])[];

export interface DecodeOptions {
  /** The end-of-sequence token id. */
  eos: number;
  /** At most this many generated tokens (eos included). */
  maxLength: number;
  /** Tokens every prefix starts with (e.g. [BOS]); not counted in the length, not returned. */
  start?: readonly number[];
}

export interface BeamSearchOptions extends DecodeOptions {
  beamWidth: number;
  /** GNMT length-penalty exponent α (default 0: raw summed log-probabilities). */
  lengthPenalty?: number;
}

export interface Hypothesis {
  /** Generated tokens (after `start`), ending with eos if finished. */
  tokens: number[];
  /** Sum of the log-probabilities of the generated tokens. */
  logProb: number;
  /** logProb / ((5 + length) / 6)^α. */
  score: number;
  finished: boolean;
}

export function greedyDecode(step: NextTokenLogProbs, options: DecodeOptions): Hypothesis {
  checkOptions(options, "greedyDecode");
  const start = options.start ?? [];
  const tokens: number[] = [];
  let logProb = 0;
  while (tokens.length < options.maxLength) {
    const row = nextRow(step, [[...start, ...tokens]], "greedyDecode")[0]!;
    let best = 0;
    for (let token = 1; token < row.length; token++) if (row[token]! > row[best]!) best = token;
    tokens.push(best);
    logProb += row[best]!;
    if (best === options.eos) break;
  }
  return { tokens, logProb, score: logProb, finished: tokens.at(-1) === options.eos };
}

/** The best hypotheses, best first (finished ones and, if maxLength cut them, unfinished ones). */
export function beamSearch(step: NextTokenLogProbs, options: BeamSearchOptions): Hypothesis[] {
  checkOptions(options, "beamSearch");
  const { beamWidth, lengthPenalty = 0 } = options;
  if (!Number.isInteger(beamWidth) || beamWidth < 1) throw new RangeError(`beamSearch: beamWidth must be an integer ≥ 1, got ${beamWidth}`);
  if (!(lengthPenalty >= 0)) throw new RangeError(`beamSearch: lengthPenalty must be ≥ 0, got ${lengthPenalty}`);
  const start = options.start ?? [];
  const scoreOf = (logProb: number, length: number) => logProb / ((5 + length) / 6) ** lengthPenalty;
  let beams: { tokens: number[]; logProb: number }[] = [{ tokens: [], logProb: 0 }];
  const finished: Hypothesis[] = [];
  for (let length = 1; length <= options.maxLength && beams.length > 0; length++) {
    const rows = nextRow(step, beams.map((b) => [...start, ...b.tokens]), "beamSearch");
    const candidates = beams.flatMap((beam, b) => rows[b]!.map((lp, token) => ({ beam: b, token, logProb: beam.logProb + lp })));
    // Best first; ties to the earlier beam, then the lower token (so width 1 = greedy).
    candidates.sort((x, y) => y.logProb - x.logProb || x.beam - y.beam || x.token - y.token);
    const next: typeof beams = [];
    for (const candidate of candidates.slice(0, beamWidth)) {
      const tokens = [...beams[candidate.beam]!.tokens, candidate.token];
      if (candidate.token === options.eos) finished.push({ tokens, logProb: candidate.logProb, score: scoreOf(candidate.logProb, length), finished: true });
      else next.push({ tokens, logProb: candidate.logProb });
    }
    beams = next;
  }
  const unfinished = beams.map((b) => ({ tokens: b.tokens, logProb: b.logProb, score: scoreOf(b.logProb, b.tokens.length), finished: false }));
  return [...finished, ...unfinished].sort((x, y) => y.score - x.score || compareTokens(x.tokens, y.tokens));
}

/**
 * Every sequence of at most maxLength tokens that ends with eos, or reaches maxLength without it, with its
 * log-probability, best first: V^maxLength prefixes, for tests on tiny vocabularies.
 */
export function exhaustiveSearch(step: NextTokenLogProbs, options: DecodeOptions & { lengthPenalty?: number; maxSequences?: number }): Hypothesis[] {
  checkOptions(options, "exhaustiveSearch");
  const { lengthPenalty = 0, maxSequences = 1_000_000 } = options;
  const start = options.start ?? [];
  const results: Hypothesis[] = [];
  let frontier: { tokens: number[]; logProb: number }[] = [{ tokens: [], logProb: 0 }];
  for (let length = 1; length <= options.maxLength && frontier.length > 0; length++) {
    const rows = nextRow(step, frontier.map((f) => [...start, ...f.tokens]), "exhaustiveSearch");
    const next: typeof frontier = [];
    frontier.forEach((prefix, i) => rows[i]!.forEach((lp, token) => {
      const tokens = [...prefix.tokens, token];
      const logProb = prefix.logProb + lp;
      if (token === options.eos || length === options.maxLength) {
        results.push({ tokens, logProb, score: logProb / ((5 + length) / 6) ** lengthPenalty, finished: token === options.eos });
      } else next.push({ tokens, logProb });
    }));
    if (results.length + next.length > maxSequences) throw new RangeError(`exhaustiveSearch: more than ${maxSequences} sequences; use a smaller vocabulary or maxLength`);
    frontier = next;
  }
  return results.sort((x, y) => y.score - x.score || compareTokens(x.tokens, y.tokens));
}

function compareTokens(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function checkOptions(options: DecodeOptions, caller: string): void {
  if (!Number.isInteger(options.maxLength) || options.maxLength < 1) throw new RangeError(`${caller}: maxLength must be an integer ≥ 1, got ${options.maxLength}`);
  if (!Number.isInteger(options.eos) || options.eos < 0) throw new RangeError(`${caller}: eos must be a token id (integer ≥ 0), got ${options.eos}`);
}

function nextRow(step: NextTokenLogProbs, prefixes: number[][], caller: string): readonly (readonly number[])[] {
  const rows = step(prefixes);
  if (rows.length !== prefixes.length) throw new RangeError(`${caller}: step returned ${rows.length} rows for ${prefixes.length} prefixes`);
  const width = rows[0]?.length ?? 0;
  rows.forEach((row, i) => {
    if (row.length !== width || width === 0) throw new RangeError(`${caller}: step's row ${i} has ${row.length} log-probabilities, row 0 has ${width}`);
    if (row.some((v) => Number.isNaN(v) || v > 1e-9)) throw new RangeError(`${caller}: step's row ${i} is not log-probabilities (a value is NaN or > 0)`);
  });
  return rows;
}
