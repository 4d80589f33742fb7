import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeKeywordTask } from "../../../lib/attention/keyword-task";

test("every sequence has exactly one keyword, at keywordPosition, of the label's polarity, and padding only after its length", () => {
  const task = makeKeywordTask({ size: 500, seed: 3, minLength: 4, maxLength: 12 });
  const keywords = new Set([...task.positiveIds, ...task.negativeIds]);
  task.ids.forEach((row, n) => {
    assert.equal(row.length, 12);
    const length = task.lengths[n]!;
    assert.ok(length >= 4 && length <= 12);
    const found = row.flatMap((id, t) => (keywords.has(id) ? [t] : []));
    assert.deepEqual(found, [task.keywordPosition[n]], `sequence ${n}`);
    const keyword = row[task.keywordPosition[n]!]!;
    assert.equal(task.positiveIds.includes(keyword) ? 1 : 0, task.labels[n]);
    row.forEach((id, t) => assert.ok(t < length ? id >= 1 && id < task.vocabularySize : id === 0, `sequence ${n} position ${t}: id ${id}, length ${length}`));
  });
});

test("classes, keyword positions and lengths are all used; the same seed gives the same task, another seed another", () => {
  const task = makeKeywordTask({ size: 2000, seed: 1 });
  const positives = task.labels.filter((y) => y === 1).length;
  assert.ok(positives > 900 && positives < 1100, `${positives} positives of 2000`);
  assert.equal(new Set(task.keywordPosition).size, 16);
  assert.deepEqual([...new Set(task.lengths)].sort((a, b) => a - b), Array.from({ length: 11 }, (_, k) => 6 + k));
  assert.deepEqual(makeKeywordTask({ size: 50, seed: 1 }), makeKeywordTask({ size: 50, seed: 1 }));
  assert.notDeepEqual(makeKeywordTask({ size: 50, seed: 1 }).ids, makeKeywordTask({ size: 50, seed: 2 }).ids);
  assert.equal(task.vocabularySize, 1 + 30 + 6);
});

test("bad options are refused by name", () => {
  assert.throws(() => makeKeywordTask({ size: 0, seed: 0 }), /size must be an integer ≥ 1/);
  assert.throws(() => makeKeywordTask({ size: 5, seed: 0, minLength: 9, maxLength: 8 }), /minLength 9 > maxLength 8/);
  assert.throws(() => makeKeywordTask({ size: 5, seed: 0.5 }), /seed/);
});
