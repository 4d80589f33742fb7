import { test } from "node:test";
import * as assert from "node:assert/strict";
import { applyTextTask, makeTextToTextExamples, taskPrefix, TEXT_TO_TEXT_TASKS } from "../../../lib/sequence/text-to-text";

test("the task truths on fixtures: reverse and sort (code-point order, repeats kept)", () => {
  assert.deepEqual(applyTextTask("reverse", [..."cadb"]), [..."bdac"]);
  assert.deepEqual(applyTextTask("sort", [..."cadba"]), [..."aabcd"]);
  const payload = [..."hag"];
  applyTextTask("reverse", payload);
  assert.deepEqual(payload, [..."hag"], "the payload is not changed in place");
  assert.throws(() => applyTextTask("upper" as never, payload), /unknown task "upper" \(reverse, sort\)/);
});

test("examples: payload-major, prefix then payload as source, the truth as target, lengths and letters in range", () => {
  const examples = makeTextToTextExamples({ payloads: 300, minLength: 3, maxLength: 6, seed: 1 });
  assert.equal(examples.length, 600);
  examples.forEach((e, i) => {
    assert.equal(e.task, TEXT_TO_TEXT_TASKS[i % 2]);
    assert.deepEqual(e.payload, examples[i - (i % 2)]!.payload, "both tasks of a payload are adjacent");
    assert.deepEqual(e.source, [taskPrefix(e.task), ...e.payload]);
    assert.deepEqual(e.target, applyTextTask(e.task, e.payload));
    assert.ok(e.payload.length >= 3 && e.payload.length <= 6 && e.payload.every((c) => "abcdefgh".includes(c)));
  });
  assert.deepEqual(new Set(examples.map((e) => e.payload.length)), new Set([3, 4, 5, 6]));
});

test("without the prefix the tasks are ambiguous: a payload's targets always differ, so no prefix-blind model exceeds 1/2", () => {
  const examples = makeTextToTextExamples({ payloads: 500, minLength: 2, maxLength: 4, alphabet: ["a", "b"], seed: 2 });
  for (let i = 0; i < examples.length; i += 2) assert.notDeepEqual(examples[i]!.target, examples[i + 1]!.target);
  // The best prefix-blind answer per payload is one of its targets: exactly half right, whatever it picks.
  const blind = examples.map((e, i) => (examples[i - (i % 2)]!.target.join("") === e.target.join("") ? 1 : 0));
  assert.equal(blind.reduce((s: number, v) => s + v, 0), examples.length / 2);
});

test("seeded: the same seed gives the same examples, another seed others; bad options are named", () => {
  const options = { payloads: 20, minLength: 3, maxLength: 5, seed: 3 };
  assert.deepEqual(makeTextToTextExamples(options), makeTextToTextExamples(options));
  assert.notDeepEqual(makeTextToTextExamples({ ...options, seed: 4 }), makeTextToTextExamples(options));
  assert.deepEqual(makeTextToTextExamples({ ...options, tasks: ["sort"] }).map((e) => e.task), new Array(20).fill("sort"));
  assert.throws(() => makeTextToTextExamples({ ...options, payloads: -1 }), /payloads must be an integer ≥ 0, got -1/);
  assert.throws(() => makeTextToTextExamples({ ...options, minLength: 1 }), /need integers 2 ≤ minLength ≤ maxLength, got 1 and 5/);
  assert.throws(() => makeTextToTextExamples({ ...options, alphabet: ["a", "a"] }), /alphabet needs ≥ 2 distinct letters/);
  assert.throws(() => makeTextToTextExamples({ ...options, tasks: [] }), /tasks must be distinct and non-empty/);
});
