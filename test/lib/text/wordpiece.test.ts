import { test } from "node:test";
import * as assert from "node:assert/strict";
import { loadTinyShakespeare } from "../../../lib/data";
import {
  CLS_ID, MASK_ID, PAD_ID, SEP_ID, SPECIAL_TOKENS, UNK_ID, WordPieceTokenizer, preTokenize, trainWordPieceVocabulary,
} from "../../../lib/text/wordpiece";

test("the merges of a tiny corpus, worked out by hand", () => {
  // Pre-tokens: "ab" ×1, "▁ab" ×2, "▁a" ×1 → symbols [a ##b], [▁ ##a ##b] ×2, [▁ ##a].
  // Pair counts: (▁, ##a) = 3, (##a, ##b) = 2, (a, ##b) = 1 → merge "▁a"; then (▁a, ##b) = 2 → "▁ab"; then (a, ##b) = 1 → "ab".
  const vocabulary = trainWordPieceVocabulary("ab ab ab a", { vocabularySize: 100 });
  assert.deepEqual(vocabulary, [...SPECIAL_TOKENS, "a", "b", "▁", "##a", "##b", "▁a", "▁ab", "ab"]);
  // A smaller budget keeps the first merges only.
  assert.deepEqual(trainWordPieceVocabulary("ab ab ab a", { vocabularySize: 11 }), vocabulary.slice(0, 11));
  assert.throws(() => trainWordPieceVocabulary("ab ab ab a", { vocabularySize: 9 }), /vocabularySize must be an integer ≥ 10 \(5 special tokens \+ 3 characters \+ 2 "##" forms\), got 9/);
});

test("the special tokens have BERT's fixed ids", () => {
  const tokenizer = WordPieceTokenizer.train("to be or not to be", { vocabularySize: 40 });
  assert.deepEqual([PAD_ID, UNK_ID, CLS_ID, SEP_ID, MASK_ID].map((id) => tokenizer.vocabulary[id]), ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]);
});

test("encoding is greedy longest-match-first, and unseen words still split into known pieces", () => {
  const tokenizer = new WordPieceTokenizer([...SPECIAL_TOKENS, "u", "n", "a", "f", "▁", "##u", "##n", "##a", "##f", "un", "##aff", "##af", "▁un", "▁unaff"]);
  assert.deepEqual(tokenizer.tokenize("unaff"), ["un", "##aff"]);
  assert.deepEqual(tokenizer.tokenize(" unaff"), ["▁unaff"]);
  assert.deepEqual(tokenizer.tokenize(" unaffaf"), ["▁unaff", "##af"]);
  // Greedy: the longest first piece wins even when a shorter one would give fewer pieces in all.
  assert.deepEqual(tokenizer.tokenize("unafn"), ["un", "##af", "##n"]);
});

test("held-out Shakespeare round-trips exactly, with no [UNK], and words take fewer tokens than characters", () => {
  const text = loadTinyShakespeare();
  const cut = Math.floor(0.9 * text.length);
  const tokenizer = WordPieceTokenizer.train(text.slice(0, cut), { vocabularySize: 1024 });
  assert.equal(tokenizer.size, 1024);
  const heldOut = text.slice(cut);
  const encoding = tokenizer.encode(heldOut);
  assert.equal(tokenizer.decode(encoding.ids), heldOut);
  assert.ok(!encoding.ids.includes(UNK_ID));
  const lines = heldOut.split("\n").filter((line) => line.length > 0);
  for (const line of lines.slice(0, 500)) assert.equal(tokenizer.decode(tokenizer.encode(line).ids), line);
  const words = preTokenize(heldOut).filter((p) => /\p{L}/u.test(p.word));
  const tokensPerWord = words.reduce((sum, p) => sum + tokenizer.encode(heldOut.slice(p.start, p.end)).ids.length, 0) / words.length;
  const charactersPerWord = words.reduce((sum, p) => sum + heldOut.slice(p.start, p.end).trim().length, 0) / words.length;
  assert.ok(tokensPerWord < 2 && charactersPerWord > 4, `tokens per word ${tokensPerWord}, characters per word ${charactersPerWord}`);
});

test("offsets point at each token's characters (without the ▁ space) and tile the text", () => {
  const tokenizer = WordPieceTokenizer.train(loadTinyShakespeare().slice(0, 200_000), { vocabularySize: 600 });
  for (const text of ["Thou art a kingdom, unkindest Romeo!\nWe'll go.", "  two  spaces, then\ta tab", "Zyzzyva quux -- end"]) {
    const { tokens, offsets, ids } = tokenizer.encode(text);
    assert.equal(tokens.length, offsets.length);
    let covered = 0;
    offsets.forEach(([start, end], i) => {
      // [UNK] stands for a whole pre-token (here the tab, never seen in training).
      const surface = tokens[i] === "[UNK]" ? "\t" : tokens[i]!.startsWith("##") ? tokens[i]!.slice(2) : tokens[i] === "▁" ? " " : tokens[i]!.replace(/^▁/, "");
      assert.equal(text.slice(start, end), surface, `token ${i} ${tokens[i]}`);
      assert.ok(start >= covered, "offsets do not overlap");
      // Only a word's single leading space lies between tokens.
      assert.ok(start === covered || (start === covered + 1 && text[covered] === " "), `gap before token ${i}`);
      covered = end;
    });
    assert.equal(covered, text.length);
    if (!ids.includes(UNK_ID)) assert.equal(tokenizer.decode(ids), text);
  }
});

test("a character never seen in training makes its pre-token one [UNK], with offsets; decode can skip special tokens", () => {
  const tokenizer = WordPieceTokenizer.train("the cat sat on the mat", { vocabularySize: 60 });
  const { ids, tokens, offsets } = tokenizer.encode("the dog");
  assert.deepEqual(tokens, ["the", "[UNK]"]);
  assert.deepEqual(offsets, [[0, 3], [4, 7]]);
  assert.equal(tokenizer.decode(ids), "the[UNK]");
  assert.equal(tokenizer.decode([CLS_ID, ...tokenizer.encode("the mat").ids, SEP_ID, PAD_ID], { skipSpecialTokens: true }), "the mat");
  assert.equal(tokenizer.decode([CLS_ID, tokenizer.encode("the").ids[0]!, SEP_ID]), "[CLS]the[SEP]");
  // Training stops early once every word is one piece.
  assert.ok(tokenizer.size < 60);
  assert.throws(() => tokenizer.decode([tokenizer.size]), new RegExp(`ids\\[0\\] = ${tokenizer.size} is not an id \\(0 … ${tokenizer.size - 1}\\)`));
});

test("Chinese characters are tokens of their own", () => {
  const text = "什么是预训练？预训练是在大量无标注文本上训练模型。";
  const tokenizer = WordPieceTokenizer.train(text, { vocabularySize: 200 });
  const { tokens } = tokenizer.encode("预训练模型");
  assert.deepEqual(tokens, ["预", "训", "练", "模", "型"]);
  assert.equal(tokenizer.decode(tokenizer.encode(text).ids), text);
});

test("the vocabulary serialises and loads back to the same tokenizer; malformed ones are refused", () => {
  const tokenizer = WordPieceTokenizer.train("to be or not to be, that is the question", { vocabularySize: 60 });
  const copy = WordPieceTokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
  assert.deepEqual(copy.vocabulary, tokenizer.vocabulary);
  assert.deepEqual(copy.encode("that is not the question"), tokenizer.encode("that is not the question"));
  assert.throws(() => new WordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "x"]), /vocabulary\[4\] must be \[MASK\], got "x"/);
  assert.throws(() => new WordPieceTokenizer([...SPECIAL_TOKENS, "a", "a"]), /vocabulary\[6\] = "a" repeats vocabulary\[5\]/);
  assert.throws(() => WordPieceTokenizer.fromJSON({ kind: "bpe" } as never), /expected \{ kind: "wordpiece", version: 1/);
});

test("training is deterministic", () => {
  const text = loadTinyShakespeare().slice(0, 50_000);
  assert.deepEqual(trainWordPieceVocabulary(text, { vocabularySize: 400 }), trainWordPieceVocabulary(text, { vocabularySize: 400 }));
});
