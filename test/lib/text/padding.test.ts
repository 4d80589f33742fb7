import { test } from "node:test";
import * as assert from "node:assert/strict";
import { padSequences, paddingMask } from "../../../lib/text/padding";

const sequences = [[1, 2, 3, 4], [5, 6], [], [7]];

test("defaults are Keras's: pad to the longest, padding and truncating 'pre', value 0", () => {
  assert.deepEqual(padSequences(sequences), [[1, 2, 3, 4], [0, 0, 5, 6], [0, 0, 0, 0], [0, 0, 0, 7]]);
});

test("maxlen truncates from the front ('pre') or the back ('post')", () => {
  assert.deepEqual(padSequences(sequences, { maxlen: 3 }), [[2, 3, 4], [0, 5, 6], [0, 0, 0], [0, 0, 7]]);
  assert.deepEqual(padSequences(sequences, { maxlen: 3, truncating: "post" }), [[1, 2, 3], [0, 5, 6], [0, 0, 0], [0, 0, 7]]);
  assert.deepEqual(padSequences(sequences, { maxlen: 2, padding: "post", truncating: "post", value: -1 }), [[1, 2], [5, 6], [-1, -1], [7, -1]]);
  assert.deepEqual(padSequences(sequences, { maxlen: 6, padding: "post" }), [[1, 2, 3, 4, 0, 0], [5, 6, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], [7, 0, 0, 0, 0, 0]]);
});

test("the inputs are not modified, and no sequences give no rows", () => {
  const input = [[3, 1, 2]];
  padSequences(input, { maxlen: 5 })[0]![4] = 99;
  padSequences(input, { maxlen: 3 })[0]![0] = 99;
  padSequences(input, { maxlen: 2 })[0]![0] = 99;
  assert.deepEqual(input, [[3, 1, 2]]);
  assert.deepEqual(padSequences([]), []);
});

test("paddingMask is 1 on tokens and 0 on padding, for either side", () => {
  assert.deepEqual(paddingMask(padSequences([[5, 6], [7]], { padding: "post" })), [[1, 1], [1, 0]]);
  assert.deepEqual(paddingMask([[0, 0, 9]]), [[0, 0, 1]]);
  assert.deepEqual(paddingMask([[-1, 4]], -1), [[0, 1]]);
});

test("bad arguments are named", () => {
  assert.throws(() => padSequences(sequences, { maxlen: 0 }), /maxlen must be an integer ≥ 1, got 0/);
  assert.throws(() => padSequences(sequences, { maxlen: 2.5 }), /maxlen must be an integer ≥ 1, got 2\.5/);
  assert.throws(() => padSequences(sequences, { padding: "left" as "pre" }), /padding must be "pre" or "post", got "left"/);
  assert.throws(() => padSequences(sequences, { truncating: "end" as "pre" }), /truncating must be "pre" or "post", got "end"/);
  assert.throws(() => padSequences([[1, NaN]]), /sequences\[0\]\[1\] is NaN, not a finite number/);
  assert.throws(() => padSequences(["ab"] as unknown as number[][]), /sequences\[0\] must be an array of numbers, got string/);
  assert.throws(() => padSequences(sequences, { value: NaN }), /value must be a finite number, got NaN/);
  assert.throws(() => paddingMask([3] as unknown as number[][]), /ids\[0\] must be an array of numbers, got number/);
});
