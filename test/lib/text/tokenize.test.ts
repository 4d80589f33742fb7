import { test } from "node:test";
import * as assert from "node:assert/strict";
import { sklearnTokenize, tokenizeChars, tokenizeWords } from "../../../lib/text/tokenize";

test("tokenizeWords lower-cases and keeps each punctuation mark as a token", () => {
  assert.deepEqual(tokenizeWords("Not bad, at ALL!"), ["not", "bad", ",", "at", "all", "!"]);
  assert.deepEqual(tokenizeWords("Wait... what?!"), ["wait", ".", ".", ".", "what", "?", "!"]);
  assert.deepEqual(tokenizeWords("  \t\n "), []);
  assert.deepEqual(tokenizeWords(""), []);
});

test("tokenizeWords keeps apostrophes inside words, numbers, accents and non-Latin scripts", () => {
  assert.deepEqual(tokenizeWords("It's the film's best; don't 'quote' me"), ["it's", "the", "film's", "best", ";", "don't", "'", "quote", "'", "me"]);
  assert.deepEqual(tokenizeWords("Café №5 costs 3.50€ in 東京"), ["café", "№", "5", "costs", "3", ".", "50", "€", "in", "東京"]);
  assert.deepEqual(tokenizeWords("snake_case x2"), ["snake_case", "x2"]);
});

test("tokenizeWords options: case kept, punctuation dropped", () => {
  assert.deepEqual(tokenizeWords("Not BAD, really.", { lowercase: false }), ["Not", "BAD", ",", "really", "."]);
  assert.deepEqual(tokenizeWords("Not bad, really.", { keepPunctuation: false }), ["not", "bad", "really"]);
});

test("tokenizeChars splits into code points, not UTF-16 units", () => {
  assert.deepEqual(tokenizeChars("Hé 😀"), ["H", "é", " ", "😀"]);
  assert.deepEqual(tokenizeChars("AbC", { lowercase: true }), ["a", "b", "c"]);
  assert.equal(tokenizeChars("𝔘𝔫").length, 2);
});

test("sklearnTokenize: runs of two or more word characters, lower-cased", () => {
  assert.deepEqual(sklearnTokenize("I am a CAT, don't x2 _ __ math² 東京!"), ["am", "cat", "don", "x2", "__", "math²", "東京"]);
  assert.deepEqual(sklearnTokenize("Keep Case", { lowercase: false }), ["Keep", "Case"]);
});

test("a non-string text is named", () => {
  assert.throws(() => tokenizeWords(["a"] as unknown as string), /tokenizeWords: text must be a string, got object/);
  assert.throws(() => tokenizeChars(undefined as unknown as string), /tokenizeChars: text must be a string, got undefined/);
  assert.throws(() => sklearnTokenize(null as unknown as string), /sklearnTokenize: text must be a string, got null/);
});
