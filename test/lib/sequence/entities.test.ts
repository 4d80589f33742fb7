import { test } from "node:test";
import * as assert from "node:assert/strict";
import { entityScores, extractEntities } from "../../../lib/sequence/entities";

const spans = (tags: string[], mode?: "conlleval" | "strict") => extractEntities(tags, { mode }).map((e) => `${e.type}:${e.start}-${e.end}`);

test("spans of well-formed BIO tags, the entity at the sentence end included", () => {
  assert.deepEqual(spans(["B-PER", "I-PER", "O", "B-LOC"]), ["PER:0-2", "LOC:3-4"]);
  assert.deepEqual(spans(["O", "B-ORG", "I-ORG", "I-ORG"]), ["ORG:1-4"]);
  assert.deepEqual(spans(["B-PER", "B-PER", "I-PER"]), ["PER:0-1", "PER:1-3"]);
  assert.deepEqual(spans(["O", "O"]), []);
  assert.deepEqual(spans([]), []);
});

test("ill-formed tags: seqeval's default (conlleval) vs strict IOB2, hand-read", () => {
  // I- without B- starts an entity in the default mode, belongs to none in strict mode
  assert.deepEqual(spans(["I-PER", "I-PER", "O"]), ["PER:0-2"]);
  assert.deepEqual(spans(["I-PER", "I-PER", "O"], "strict"), []);
  assert.deepEqual(spans(["O", "I-LOC"]), ["LOC:1-2"]);
  // a type change inside an entity ends it
  assert.deepEqual(spans(["B-PER", "I-LOC", "I-LOC"]), ["PER:0-1", "LOC:1-3"]);
  assert.deepEqual(spans(["B-PER", "I-LOC", "I-LOC"], "strict"), ["PER:0-1"]);
  // O in the middle splits; the I- after it is a new entity (default) or nothing (strict)
  assert.deepEqual(spans(["B-PER", "O", "I-PER"]), ["PER:0-1", "PER:2-3"]);
  assert.deepEqual(spans(["B-PER", "O", "I-PER"], "strict"), ["PER:0-1"]);
  // types with hyphens keep everything after the first one
  assert.deepEqual(spans(["B-GPE-CITY", "I-GPE-CITY"]), ["GPE-CITY:0-2"]);
});

test("entity precision, recall and F1 equal hand-counted values on a fixture", () => {
  const yTrue = [
    ["B-PER", "I-PER", "O", "O", "B-LOC"], //           PER 0-2, LOC 4-5 (at the end)
    ["O", "B-ORG", "I-ORG", "O", "B-PER"], //           ORG 1-3, PER 4-5
    ["B-LOC", "O", "O"], //                             LOC 0-1
    ["O", "O", "O"], //                                 none
  ];
  const yPred = [
    ["B-PER", "I-PER", "O", "O", "B-LOC"], //           PER 0-2 ✓, LOC 4-5 ✓
    ["O", "B-ORG", "O", "O", "B-LOC"], //               ORG 1-2 ✗ (too short), LOC 4-5 ✗ (type mismatch: truth PER)
    ["I-LOC", "O", "O"], //                             LOC 0-1 ✓ by default (I- without B-), no entity in strict
    ["O", "B-PER", "O"], //                             PER 1-2 ✗ (spurious)
  ];
  // default: 5 true, 6 predicted, 3 correct
  const report = entityScores(yTrue, yPred);
  assert.equal(report.support, 5);
  assert.equal(report.predicted, 6);
  assert.equal(report.correct, 3);
  assert.equal(report.precision, 3 / 6);
  assert.equal(report.recall, 3 / 5);
  assert.ok(Math.abs(report.f1 - (2 * 0.5 * 0.6) / 1.1) < 1e-15);
  assert.deepEqual(Object.keys(report.perType), ["LOC", "ORG", "PER"]);
  assert.deepEqual(report.perType.LOC, { support: 2, predicted: 3, correct: 2, precision: 2 / 3, recall: 1, f1: 0.8 });
  assert.deepEqual(report.perType.ORG, { support: 1, predicted: 1, correct: 0, precision: 0, recall: 0, f1: 0 });
  assert.deepEqual(report.perType.PER, { support: 2, predicted: 2, correct: 1, precision: 0.5, recall: 0.5, f1: 0.5 });
  // strict: the I-LOC of sentence 3 is no entity: 5 true, 5 predicted, 2 correct
  const strict = entityScores(yTrue, yPred, { mode: "strict" });
  assert.deepEqual([strict.support, strict.predicted, strict.correct], [5, 5, 2]);
  assert.ok(Math.abs(strict.f1 - 0.4) < 1e-15);
});

test("perfect and empty cases: F1 1; nothing predicted or nothing true gives 0, not NaN", () => {
  const tags = [["B-PER", "I-PER", "O"], ["B-LOC"]];
  assert.equal(entityScores(tags, tags).f1, 1);
  const none = entityScores(tags, [["O", "O", "O"], ["O"]]);
  assert.deepEqual([none.precision, none.recall, none.f1], [0, 0, 0]);
  const noTruth = entityScores([["O"]], [["B-PER"]]);
  assert.deepEqual([noTruth.support, noTruth.predicted, noTruth.precision, noTruth.recall, noTruth.f1], [0, 1, 0, 0, 0]);
  assert.deepEqual(noTruth.perType.PER, { support: 0, predicted: 1, correct: 0, precision: 0, recall: 0, f1: 0 });
});

test("an entity never spans two sentences", () => {
  // flattened, B-PER | I-PER would be one entity; per sentence it is two, only one of them right
  const report = entityScores([["B-PER"], ["I-PER"]], [["B-PER"], ["O"]]);
  assert.deepEqual([report.support, report.correct], [2, 1]);
});

test("bad tags and mismatched lengths are named", () => {
  assert.throws(() => extractEntities(["B-PER", "E-PER"]), /tags\[1\] is "E-PER"; BIO tags are "O", "B-TYPE" or "I-TYPE"/);
  assert.throws(() => extractEntities(["B-"]), /tags\[0\] is "B-"/);
  assert.throws(() => extractEntities(["o"]), /tags\[0\] is "o"/);
  assert.throws(() => extractEntities(["O"], { mode: "iob2" as "strict" }), /mode must be "conlleval" or "strict", got "iob2"/);
  assert.throws(() => entityScores([["O"]], []), /yTrue has 1 sentences but yPred has 0/);
  assert.throws(() => entityScores([["O", "O"]], [["O"]]), /sentence 0 has 2 true tags but 1 predicted/);
  assert.throws(() => entityScores([["O"], ["O", "X"]], [["O"], ["O", "O"]]), /entityScores: yTrue\[1\]: tags\[1\] is "X"/);
  assert.throws(() => entityScores([["O"]], [["PER"]]), /yPred\[0\]: tags\[0\] is "PER"/);
});
