import { test } from "node:test";
import * as assert from "node:assert/strict";
import { DIGIT_WORDS, makeDigitWordPairs, makeToneSequences, toneSequenceFrames, wordsToDigits } from "../../../lib/sequence/toy-transduction";
import { ctcCollapse } from "../../../lib/sequence/ctc";

test("digit words: seeded, lengths in range, every source reads back to its target, double and triple both occur", () => {
  const pairs = makeDigitWordPairs({ n: 500, minDigits: 3, maxDigits: 9, seed: 1 });
  assert.deepEqual(pairs, makeDigitWordPairs({ n: 500, minDigits: 3, maxDigits: 9, seed: 1 }));
  assert.notDeepEqual(pairs, makeDigitWordPairs({ n: 500, minDigits: 3, maxDigits: 9, seed: 2 }));
  for (const pair of pairs) {
    assert.ok(pair.target.length >= 3 && pair.target.length <= 9);
    assert.deepEqual(wordsToDigits(pair.source), pair.target);
  }
  const words = new Set(pairs.flatMap((p) => p.source));
  assert.ok(words.has("double") && words.has("triple"));
  for (const digit of DIGIT_WORDS) assert.ok(words.has(digit));
  assert.deepEqual(new Set(pairs.map((p) => p.target.length)), new Set([3, 4, 5, 6, 7, 8, 9]));
});

test("digit words: the reader handles double / triple and names a bad word", () => {
  assert.deepEqual(wordsToDigits(["four", "double", "seven", "triple", "one"]), ["4", "7", "7", "1", "1", "1"]);
  assert.throws(() => wordsToDigits(["four", "double"]), /"\(end\)" at position 2/);
  assert.throws(() => wordsToDigits(["four", "fiv"]), /"fiv" at position 1/);
  assert.throws(() => makeDigitWordPairs({ n: 1, minDigits: 4, maxDigits: 3, seed: 0 }), /minDigits ≤ maxDigits/);
});

test("tone sequences: seeded, fixed frame count, the frame alignment collapses to the labels, lit bands carry the signal", () => {
  const sequences = makeToneSequences({ n: 300, seed: 4, noise: 0 });
  assert.deepEqual(sequences, makeToneSequences({ n: 300, seed: 4, noise: 0 }));
  const T = toneSequenceFrames();
  for (const s of sequences) {
    assert.equal(s.frames.length, T);
    assert.equal(s.frameLabels.length, T);
    assert.ok(s.labels.length >= 1 && s.labels.length <= 4);
    // Tones are separated by silence, so collapsing the alignment recovers the transcript, repeats included.
    assert.deepEqual(ctcCollapse(s.frameLabels), s.labels);
    s.frames.forEach((frame, t) => {
      const lit = frame.flatMap((v, j) => (v === 1 ? [j] : []));
      const label = s.frameLabels[t]!;
      assert.deepEqual(lit, label === 0 ? [] : [2 * (label - 1), 2 * (label - 1) + 1]);
    });
  }
  assert.ok(sequences.some((s) => s.labels.some((l, i) => l === s.labels[i - 1])), "some transcripts repeat a tone");
  assert.deepEqual(new Set(sequences.map((s) => s.labels.length)), new Set([1, 2, 3, 4]));
  assert.throws(() => makeToneSequences({ n: 1, seed: 0, tones: 5, bins: 3 }), /tones ≤ bins/);
});
