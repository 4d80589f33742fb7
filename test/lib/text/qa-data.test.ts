import { test } from "node:test";
import * as assert from "node:assert/strict";
import { makeTemplatedQa, QA_ENTITIES, QA_FACT_TEMPLATES, QA_QUESTION_TEMPLATES } from "../../../lib/text/qa-data";

test("the answer span is the answer, inside the answering fact, about the asked person", () => {
  const { train, test: held } = makeTemplatedQa({ nTrain: 500, nTest: 200, seed: 3, facts: 3 });
  for (const e of [...train, ...held]) {
    assert.equal(e.context.slice(e.answerStart, e.answerEnd), e.answer);
    assert.ok((e.relation === "lives" ? QA_ENTITIES.places : QA_ENTITIES.masters).includes(e.answer));
    const person = QA_ENTITIES.people.find((p) => e.question.includes(p))!;
    const sentence = e.context.split(/(?<=\.) /).find((s) => s.includes(person))!;
    assert.ok(e.context.indexOf(sentence) <= e.answerStart && e.answerEnd <= e.context.indexOf(sentence) + sentence.length, e.context);
    assert.equal(e.context.split(/(?<=\.) /).length, 3);
  }
});

test("the test part uses only held-out fact and question templates, the train part none", () => {
  const heldOut = new Set([...Object.values(QA_FACT_TEMPLATES), ...Object.values(QA_QUESTION_TEMPLATES)].flat().filter((t) => t.heldOut).map((t) => t.text));
  const { train, test: held } = makeTemplatedQa({ nTrain: 400, nTest: 400, seed: 1 });
  assert.ok(held.every((e) => heldOut.has(e.factTemplate) && heldOut.has(e.questionTemplate)));
  assert.ok(train.every((e) => !heldOut.has(e.factTemplate) && !heldOut.has(e.questionTemplate)));
  // every held-out template is used, both relations appear, and the answer is not always in the first fact
  assert.equal(new Set(held.flatMap((e) => [e.factTemplate, e.questionTemplate])).size, heldOut.size);
  assert.ok(train.some((e) => e.answerStart > e.context.indexOf(".")));
});

test("sameRelation 1 puts a distractor of the question's relation in every context; seeded", () => {
  const { train } = makeTemplatedQa({ nTrain: 200, nTest: 1, seed: 5, sameRelation: 1 });
  for (const e of train) {
    const answers = e.relation === "lives" ? QA_ENTITIES.places : QA_ENTITIES.masters;
    const sentences = e.context.split(/(?<=\.) /);
    assert.ok(sentences.every((s) => answers.some((a) => s.includes(a))), e.context);
  }
  assert.deepEqual(makeTemplatedQa({ nTrain: 20, nTest: 5, seed: 9 }), makeTemplatedQa({ nTrain: 20, nTest: 5, seed: 9 }));
  assert.notDeepEqual(makeTemplatedQa({ nTrain: 20, nTest: 5, seed: 9 }), makeTemplatedQa({ nTrain: 20, nTest: 5, seed: 10 }));
});

test("bad options are refused, naming them", () => {
  assert.throws(() => makeTemplatedQa({ nTrain: 0, nTest: 1, seed: 0 }), /nTrain must be an integer ≥ 1, got 0/);
  assert.throws(() => makeTemplatedQa({ nTrain: 1, nTest: 1, seed: 0, facts: 13 }), /facts must be ≤ 12/);
  assert.throws(() => makeTemplatedQa({ nTrain: 1, nTest: 1, seed: 0.5 }), /seed must be an integer/);
  assert.throws(() => makeTemplatedQa({ nTrain: 1, nTest: 1, seed: 0, sameRelation: 2 }), /sameRelation must be in \[0, 1\]/);
});
