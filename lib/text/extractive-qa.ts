/**
 * Extractive question answering's two pieces around the model (what `BertForQuestionAnswering` and the
 * Hugging Face QA pipeline do): reading the answer span out of start/end logits, and mapping between token
 * positions and character positions of the context.
 *
 *   const span = bestSpan(startLogits, endLogits, { maxLength: 8, allowed: isContextToken });
 *   const [charStart, charEnd] = tokenSpanToCharSpan(offsets, span.start, span.end);
 *   context.slice(charStart, charEnd);                                   // the answer text
 *   charSpanToTokenSpan(offsets, answerStart, answerEnd);                // the training targets
 *
 * The span maximises startLogit[s] + endLogit[e] over s ≤ e < s + maxLength, both inside the allowed tokens
 * (the context, never [CLS], the question or padding). Two separate argmaxes (the S2-Q14 seed) can give an end
 * before the start, or a "span" that starts in the question.
 *
 * Offsets are [start, end) character positions of each token in the text it came from (null for special tokens
 * and padding), as a tokenizer's offset mapping gives them.
 */

/** A token's [start, end) characters in its text, or null (special token, padding, the other segment). */
export type TokenOffset = readonly [number, number] | null;

export interface Span {
  /** First token of the answer. */
  start: number;
  /** Last token of the answer (inclusive). */
  end: number;
  /** startLogits[start] + endLogits[end] */
  score: number;
}

export interface SpanOptions {
  /** Longest answer in tokens (end − start + 1 ≤ maxLength). */
  maxLength: number;
  /** [T] which positions may be part of the answer (default: all). */
  allowed?: readonly boolean[];
}

function checkSpanInputs(caller: string, startLogits: readonly number[], endLogits: readonly number[], options: SpanOptions): void {
  if (startLogits.length !== endLogits.length) throw new RangeError(`${caller}: startLogits has ${startLogits.length} positions, endLogits ${endLogits.length}`);
  if (!Number.isInteger(options.maxLength) || options.maxLength < 1) throw new RangeError(`${caller}: maxLength must be an integer ≥ 1, got ${options.maxLength}`);
  if (options.allowed && options.allowed.length !== startLogits.length) throw new RangeError(`${caller}: allowed has ${options.allowed.length} positions, the logits ${startLogits.length}`);
  [startLogits, endLogits].forEach((logits, k) => logits.forEach((value, t) => {
    if (!Number.isFinite(value)) throw new RangeError(`${caller}: ${k === 0 ? "startLogits" : "endLogits"}[${t}] is ${value}, not a finite number`);
  }));
}

/**
 * The highest-scoring valid span, or null when no position is allowed. Ties go to the smaller start, then the
 * smaller end. O(T): for each end, the best start in its window comes from a monotonic queue.
 */
export function bestSpan(startLogits: readonly number[], endLogits: readonly number[], options: SpanOptions): Span | null {
  checkSpanInputs("bestSpan", startLogits, endLogits, options);
  const { maxLength, allowed } = options;
  const window: number[] = []; // allowed starts in [end − maxLength + 1, end], start logits decreasing (ties: earlier first)
  let best: Span | null = null;
  for (let end = 0; end < startLogits.length; end++) {
    if (allowed && !allowed[end]) {
      window.length = 0; // a span is one contiguous piece of allowed tokens: no start before this one stays valid
      continue;
    }
    while (window.length > 0 && startLogits[window[window.length - 1]!]! < startLogits[end]!) window.pop();
    window.push(end);
    while (window[0]! < end - maxLength + 1) window.shift();
    const start = window[0]!;
    const score = startLogits[start]! + endLogits[end]!;
    if (!best || score > best.score || (score === best.score && (start < best.start || (start === best.start && end < best.end)))) best = { start, end, score };
  }
  return best;
}

/** The same span by trying every (start, end) pair: the truth `bestSpan` is tested against. O(T · maxLength). */
export function bruteForceBestSpan(startLogits: readonly number[], endLogits: readonly number[], options: SpanOptions): Span | null {
  checkSpanInputs("bruteForceBestSpan", startLogits, endLogits, options);
  const ok = (t: number) => !options.allowed || options.allowed[t]!;
  let best: Span | null = null;
  for (let start = 0; start < startLogits.length; start++) {
    for (let end = start; end < Math.min(startLogits.length, start + options.maxLength); end++) {
      let valid = true;
      for (let t = start; t <= end; t++) valid &&= ok(t);
      if (!valid) continue;
      const score = startLogits[start]! + endLogits[end]!;
      if (!best || score > best.score) best = { start, end, score };
    }
  }
  return best;
}

function checkOffsets(caller: string, offsets: readonly TokenOffset[]): void {
  offsets.forEach((offset, t) => {
    if (offset === null) return;
    const [a, b] = offset;
    if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < a) throw new RangeError(`${caller}: offsets[${t}] = [${offset}] is not a character range [start, end) with 0 ≤ start ≤ end`);
  });
}

/** Tokens start … end (inclusive) → their characters [start, end) in the text. Both tokens must have offsets. */
export function tokenSpanToCharSpan(offsets: readonly TokenOffset[], start: number, end: number): [number, number] {
  checkOffsets("tokenSpanToCharSpan", offsets);
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end >= offsets.length) {
    throw new RangeError(`tokenSpanToCharSpan: need 0 ≤ start ≤ end < ${offsets.length} tokens, got start ${start}, end ${end}`);
  }
  const first = offsets[start];
  const last = offsets[end];
  if (!first || !last) throw new RangeError(`tokenSpanToCharSpan: token ${!first ? start : end} has no character offsets (a special token, padding or the question)`);
  return [first[0], last[1]];
}

/**
 * Characters [charStart, charEnd) of the text → the first and last token that overlap them (tokens without
 * offsets skipped): the start/end targets of a training example. Throws when no token overlaps the range.
 */
export function charSpanToTokenSpan(offsets: readonly TokenOffset[], charStart: number, charEnd: number): { start: number; end: number } {
  checkOffsets("charSpanToTokenSpan", offsets);
  if (!Number.isInteger(charStart) || !Number.isInteger(charEnd) || charStart < 0 || charEnd <= charStart) {
    throw new RangeError(`charSpanToTokenSpan: need integers 0 ≤ charStart < charEnd, got [${charStart}, ${charEnd})`);
  }
  let start = -1;
  let end = -1;
  offsets.forEach((offset, t) => {
    if (!offset || offset[1] <= charStart || offset[0] >= charEnd || offset[0] === offset[1]) return;
    if (start < 0) start = t;
    end = t;
  });
  if (start < 0) throw new RangeError(`charSpanToTokenSpan: no token overlaps characters [${charStart}, ${charEnd}) (truncated away?)`);
  return { start, end };
}
