import { test } from "node:test";
import * as assert from "node:assert/strict";
import { END_OF_WORD, learnBpe } from "../../../lib/text/bpe";

// Sennrich, Haddow & Birch (2016), "Neural Machine Translation of Rare Words with Subword Units", Algorithm 1's
// toy vocabulary {low: 5, lower: 2, newest: 6, widest: 3}; its reference code (max over pairs in insertion
// order) learns these ten merges.
const TOY = [...Array(5).fill("low"), ...Array(2).fill("lower"), ...Array(6).fill("newest"), ...Array(3).fill("widest")] as string[];
const REFERENCE_MERGES = [["e", "s"], ["es", "t"], ["est", "</w>"], ["l", "o"], ["lo", "w"], ["n", "e"], ["ne", "w"], ["new", "est</w>"], ["low", "</w>"], ["w", "i"]];

test("learnBpe reproduces the reference merges of Sennrich et al.'s toy vocabulary", () => {
  const bpe = learnBpe(TOY, 10);
  assert.deepEqual(bpe.merges, REFERENCE_MERGES);
  assert.deepEqual(bpe.symbols.slice(0, 11), ["d", "e", "i", "l", "n", "o", "r", "s", "t", "w", END_OF_WORD]);
});

test("encode replays the merges: training words come out as their learned pieces, new words split into known ones", () => {
  const bpe = learnBpe(TOY, 10);
  assert.deepEqual(bpe.encode("newest"), ["newest</w>"]);
  assert.deepEqual(bpe.encode("lower"), ["low", "e", "r", "</w>"]);
  assert.deepEqual(bpe.encode("lowest"), ["low", "est</w>"]);
  assert.deepEqual(bpe.encode("wider"), ["wi", "d", "e", "r", "</w>"]);
  assert.ok(bpe.encode("lowest").every((piece) => bpe.symbols.includes(piece)));
  assert.deepEqual(bpe.encode("xyz"), ["x", "y", "z", "</w>"], "unseen characters stay single (and are the only unknowns)");
});

test("learnBpe stops when no pair occurs twice, and with 0 merges is a character tokeniser", () => {
  assert.deepEqual(learnBpe(["ab", "cd"], 5).merges, []);
  assert.deepEqual(learnBpe(TOY, 0).encode("low"), ["l", "o", "w", "</w>"]);
});

test("learnBpe refuses what is not a list of words", () => {
  assert.throws(() => learnBpe(["two words"], 1), /words\[0\] must be a non-empty string without white space/);
  assert.throws(() => learnBpe(["a", ""], 1), /words\[1\]/);
  assert.throws(() => learnBpe(TOY, -1), /numMerges must be an integer ≥ 0, got -1/);
  assert.throws(() => learnBpe(TOY, 1).encode(""), /word must be a non-empty string/);
});
