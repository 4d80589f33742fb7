import { test } from "node:test";
import * as assert from "node:assert/strict";
import { PAD_ID, PAD_TOKEN, UNK_ID, UNK_TOKEN, Vocabulary } from "../../../lib/text/vocabulary";

const texts = [
  ["the", "film", "was", "good"],
  ["the", "food", "was", "bad"],
  ["the", "film", "was", "not", "bad"],
];

test("ids 0 and 1 are <pad> and <unk>; then tokens by count, ties alphabetical", () => {
  const vocab = new Vocabulary().fit(texts);
  assert.equal(PAD_ID, 0);
  assert.equal(UNK_ID, 1);
  assert.deepEqual(vocab.tokens_, [PAD_TOKEN, UNK_TOKEN, "the", "was", "bad", "film", "food", "good", "not"]);
  assert.deepEqual(vocab.counts_, [0, 0, 3, 3, 2, 2, 1, 1, 1]);
  assert.equal(vocab.size, 9);
});

test("the order does not depend on the order of the training texts", () => {
  assert.deepEqual(new Vocabulary().fit([...texts].reverse()).tokens_, new Vocabulary().fit(texts).tokens_);
});

test("encode maps unknown words to <unk>; decode inverts encode and drops padding", () => {
  const vocab = new Vocabulary().fit(texts);
  const ids = vocab.encode(["the", "film", "was", "superb"]);
  assert.deepEqual(ids, [2, 5, 3, UNK_ID]);
  assert.deepEqual(vocab.decode(ids), ["the", "film", "was", UNK_TOKEN]);
  assert.deepEqual(vocab.decode([0, 0, 2, 4]), ["the", "bad"]);
  assert.deepEqual(vocab.decode([0, 2], { keepPadding: true }), [PAD_TOKEN, "the"]);
  for (const tokens of texts) assert.deepEqual(vocab.decode(vocab.encode(tokens)), tokens);
  assert.equal(vocab.idOf("zyzzyva"), UNK_ID);
  assert.equal(vocab.has("film"), true);
  assert.equal(vocab.has("zyzzyva"), false);
});

test("minCount drops rare tokens; maxSize counts the two reserved ids and keeps the most frequent", () => {
  assert.deepEqual(new Vocabulary({ minCount: 2 }).fit(texts).tokens_, [PAD_TOKEN, UNK_TOKEN, "the", "was", "bad", "film"]);
  const small = new Vocabulary({ maxSize: 5 }).fit(texts);
  assert.deepEqual(small.tokens_, [PAD_TOKEN, UNK_TOKEN, "the", "was", "bad"]);
  assert.equal(small.size, 5);
  assert.deepEqual(small.encode(["film", "the"]), [UNK_ID, 2]);
  assert.equal(new Vocabulary({ minCount: 5 }).fit(texts).size, 2);
});

test("character vocabularies work the same way", () => {
  const vocab = new Vocabulary().fit(["abba", "cab"].map((w) => Array.from(w)));
  assert.deepEqual(vocab.tokens_.slice(2), ["a", "b", "c"]);
  assert.deepEqual(vocab.encode(Array.from("abcd")), [2, 3, 4, UNK_ID]);
});

test("bad arguments are named", () => {
  assert.throws(() => new Vocabulary({ minCount: 0 }), /minCount must be an integer ≥ 1, got 0/);
  assert.throws(() => new Vocabulary({ maxSize: 2 }), /maxSize must be an integer ≥ 3 \(it counts <pad> and <unk>\), got 2/);
  assert.throws(() => new Vocabulary().fit(["a text"] as unknown as string[][]), /texts\[0\] must be an array of tokens \(tokenise first\), got string/);
  assert.throws(() => new Vocabulary().fit([["a", 3 as unknown as string]]), /texts\[0\]\[1\] is number, not a string/);
  assert.throws(() => new Vocabulary().fit([["a", UNK_TOKEN]]), /texts\[0\]\[1\] is the reserved token <unk>/);
  assert.throws(() => new Vocabulary().encode(["a"]), /Vocabulary\.encode: call fit\(trainingTexts\) first/);
  const vocab = new Vocabulary().fit(texts);
  assert.throws(() => vocab.decode([2, 9]), /ids\[1\] = 9 is not an id in 0…8/);
  assert.throws(() => vocab.decode([1.5]), /ids\[0\] = 1\.5/);
  assert.throws(() => vocab.encode("the film" as unknown as string[]), /tokens must be an array of strings \(tokenise first\), got string/);
});
