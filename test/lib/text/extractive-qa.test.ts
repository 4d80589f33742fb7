import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Random } from "../../../lib/random";
import { bestSpan, bruteForceBestSpan, charSpanToTokenSpan, tokenSpanToCharSpan, type TokenOffset } from "../../../lib/text/extractive-qa";

test("bestSpan equals brute-force enumeration on random logits, lengths and allowed masks", () => {
  const rng = new Random(7);
  for (let trial = 0; trial < 2000; trial++) {
    const T = rng.int(1, 14);
    // integer logits make ties common, so the tie rule is exercised too
    const draw = () => (trial % 2 === 0 ? rng.int(-3, 4) : rng.normal());
    const start = Array.from({ length: T }, draw);
    const end = Array.from({ length: T }, draw);
    const maxLength = rng.int(1, 6);
    const allowed = trial % 3 === 0 ? undefined : Array.from({ length: T }, () => rng.random() < 0.75);
    assert.deepEqual(bestSpan(start, end, { maxLength, allowed }), bruteForceBestSpan(start, end, { maxLength, allowed }), `trial ${trial}`);
  }
});

test("start ≤ end and the length bound hold even when the separate argmaxes would give end < start", () => {
  const start = [0, 0, 0, 1, 9];
  const end = [0, 5, 0, 0, 0];
  const span = bestSpan(start, end, { maxLength: 3 })!;
  assert.ok(span.start <= span.end && span.end - span.start + 1 <= 3);
  assert.deepEqual(span, { start: 4, end: 4, score: 9 });
  assert.deepEqual(bestSpan(start, end, { maxLength: 5, allowed: [true, true, true, true, false] }), { start: 0, end: 1, score: 5 });
  assert.equal(bestSpan([1, 2], [1, 2], { maxLength: 2, allowed: [false, false] }), null);
});

test("bad inputs are refused, naming the argument", () => {
  assert.throws(() => bestSpan([1, 2], [1], { maxLength: 2 }), /startLogits has 2 positions, endLogits 1/);
  assert.throws(() => bestSpan([1], [1], { maxLength: 0 }), /maxLength must be an integer ≥ 1, got 0/);
  assert.throws(() => bestSpan([1, NaN], [1, 2], { maxLength: 1 }), /startLogits\[1\] is NaN/);
  assert.throws(() => bestSpan([1], [1], { maxLength: 1, allowed: [true, true] }), /allowed has 2 positions, the logits 1/);
});

test("token ↔ character offsets round-trip on whitespace and subword tokenisations", () => {
  const text = "kenji sato works at globex corporation.";
  // [CLS] kenji sat ##o works at glob ##ex corporation . [SEP]
  const offsets: TokenOffset[] = [null, [0, 5], [6, 9], [9, 10], [11, 16], [17, 19], [20, 24], [24, 26], [27, 38], [38, 39], null];
  for (const answer of ["kenji sato", "globex corporation", "works", "sato", "."]) {
    const charStart = text.indexOf(answer);
    const tokens = charSpanToTokenSpan(offsets, charStart, charStart + answer.length);
    const [a, b] = tokenSpanToCharSpan(offsets, tokens.start, tokens.end);
    assert.equal(text.slice(a, b), answer);
  }
  // every token span of real tokens maps to characters that map back to the same tokens
  for (let s = 1; s <= 9; s++) for (let e = s; e <= 9; e++) {
    const [a, b] = tokenSpanToCharSpan(offsets, s, e);
    assert.deepEqual(charSpanToTokenSpan(offsets, a, b), { start: s, end: e });
  }
  // a character range inside a token widens to the whole token
  assert.deepEqual(charSpanToTokenSpan(offsets, 21, 23), { start: 6, end: 6 });
});

test("offset errors name the token or range", () => {
  const offsets: TokenOffset[] = [null, [0, 3], [4, 7], null];
  assert.throws(() => tokenSpanToCharSpan(offsets, 0, 1), /token 0 has no character offsets/);
  assert.throws(() => tokenSpanToCharSpan(offsets, 2, 1), /need 0 ≤ start ≤ end < 4 tokens, got start 2, end 1/);
  assert.throws(() => charSpanToTokenSpan(offsets, 10, 12), /no token overlaps characters \[10, 12\)/);
  assert.throws(() => charSpanToTokenSpan(offsets, 3, 3), /need integers 0 ≤ charStart < charEnd/);
  assert.throws(() => charSpanToTokenSpan([[5, 2]], 0, 1), /offsets\[0\] = \[5,2\] is not a character range/);
});
