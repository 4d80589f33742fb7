// data/questions.json: the 147 seed items of catalog §1, valid, and the validator names what is wrong.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadQuestionData, topicsOf, validateQuestionData, type QuestionData } from "../../scripts/book/questions";

const data = loadQuestionData();

test("the item list holds the catalog's 147 items: 68 questions, 35 with seed code, 44 coding problems, in 34 topics", () => {
  // The counts are those of catalog §0.3, counted there from the seed files independently of §1's rows.
  assert.equal(data.items.length, 147);
  const kinds = { Q: 0, "Q+code": 0, C: 0 };
  for (const item of data.items) kinds[item.kind] += 1;
  assert.deepEqual(kinds, { Q: 68, "Q+code": 35, C: 44 });
  assert.equal(topicsOf(data).length, 34);
  assert.deepEqual(validateQuestionData(data), []);
  const perBank = Object.fromEntries(data.banks.map((bank) => [bank.id, data.items.filter((item) => item.bank === bank.id).length]));
  assert.deepEqual(perBank, { S0: 31, S1: 30, S2: 21, S3: 30, S4: 35 });
});

function withItem(change: (copy: QuestionData) => void): string[] {
  const copy = structuredClone(data);
  change(copy);
  return validateQuestionData(copy);
}

test("a broken item list is refused with the item and field named", () => {
  assert.match(withItem((copy) => copy.items.push({ ...copy.items[0]! })).join("\n"), /item 148 \(S0-Q1\): listed twice/);
  assert.match(withItem((copy) => (copy.items[0]!.kind = "C")).join("\n"), /item 1 \(S0-Q1\): kind C does not match its id/);
  assert.match(withItem((copy) => (copy.items[3]!.topic = "rnn")).join("\n"), /item 4 \(S0-Q4\): topic "rnn" is not a notebook name/);
  assert.match(withItem((copy) => (copy.items[5]!.original = " ")).join("\n"), /item 6 \(S0-Q6\): original title is empty/);
  assert.match(withItem((copy) => (copy.items[2]!.id = "S0-12")).join("\n"), /item 3 \(S0-12\): id must look like/);
  assert.match(withItem((copy) => (copy.items[2]!.topic = "16-rnns")).join("\n"), /topic 16-rnns and 16-rnn-lstm-time-series share the number 16|topic 16-rnn-lstm-time-series and 16-rnns share the number 16/);
  assert.match(withItem((copy) => (copy.source = "")).join("\n"), /source: missing/);
});
