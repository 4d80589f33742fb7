import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadSentiment, parseSentimentTsv } from "../../../lib/text/sentiment-data";
import { groupTrainTestSplit } from "../../../lib/split";
import { tokenizeWords } from "../../../lib/text/tokenize";

test("the shipped set: 300-400 distinct sentences, balanced labels, every group has both labels", () => {
  const data = loadSentiment();
  assert.ok(data.texts.length >= 300 && data.texts.length <= 400, `${data.texts.length} sentences`);
  assert.equal(new Set(data.texts.map((t) => t.toLowerCase())).size, data.texts.length, "duplicate sentences");
  const positives = data.labels.filter((l) => l === 1).length;
  assert.ok(Math.abs(positives / data.labels.length - 0.5) < 0.05);
  const groups = new Map<string, Set<number>>();
  data.groups.forEach((g, i) => groups.set(g, (groups.get(g) ?? new Set()).add(data.labels[i]!)));
  assert.ok(groups.size >= 30, `${groups.size} groups`);
  for (const [g, labels] of groups) assert.equal(labels.size, 2, `group ${g} has one label only`);
  for (const text of data.texts) assert.ok(tokenizeWords(text).length >= 3 && text.length <= 120, text);
});

test("a split by group keeps every phrasing family on one side", () => {
  const data = loadSentiment();
  const { train, test: held, testGroups } = groupTrainTestSplit(data.groups, { testFraction: 0.25, seed: 0 });
  assert.equal(train.length + held.length, data.texts.length);
  const trainGroups = new Set(train.map((i) => data.groups[i]));
  for (const g of testGroups) assert.ok(!trainGroups.has(g as string));
});

test("malformed files are refused with file and line", () => {
  assert.throws(() => parseSentimentTsv("text,label,group\n", "f.tsv"), /f\.tsv:1: expected the header/);
  assert.throws(() => parseSentimentTsv("text\tlabel\tgroup\nGood.\tpositive\n", "f.tsv"), /f\.tsv:2: expected 3 tab-separated columns \(text, label, group\), found 2/);
  assert.throws(() => parseSentimentTsv("text\tlabel\tgroup\nGood.\tpositive\tg\nBad.\tneg\tg\n", "f.tsv"), /f\.tsv:3: label "neg" is not "negative" or "positive"/);
  assert.throws(() => parseSentimentTsv("text\tlabel\tgroup\n \tpositive\tg\n", "f.tsv"), /f\.tsv:2: empty text/);
  assert.throws(() => parseSentimentTsv("text\tlabel\tgroup\nGood.\tpositive\t\n", "f.tsv"), /f\.tsv:2: empty group/);
  assert.throws(() => parseSentimentTsv("text\tlabel\tgroup\n\n", "f.tsv"), /f\.tsv: no sentences after the header/);
  assert.deepEqual(parseSentimentTsv("text\tlabel\tgroup\r\nGood.\tpositive\tg\r\n  \n").labels, [1]);
});

test("a missing file says how to restore it", () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), "sentiment-"));
  const saved = process.env.DATA_DIR;
  process.env.DATA_DIR = empty;
  try {
    assert.throws(() => loadSentiment(), /data file not found: .*sentiment\/sentences\.tsv.*git checkout -- data\/sentiment\/sentences\.tsv/);
  } finally {
    if (saved === undefined) delete process.env.DATA_DIR;
    else process.env.DATA_DIR = saved;
    fs.rmSync(empty, { recursive: true });
  }
});
