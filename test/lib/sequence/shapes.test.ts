import { before, test } from "node:test";
import * as assert from "node:assert/strict";
import { assertSequenceInput, shapeOf } from "../../../lib/sequence/shapes";
import { setupTf, tf } from "../../../lib/tf";

before(async () => {
  await setupTf({ backend: "cpu", announce: false });
});

test("a rank-3 array or tensor passes and its sizes come back", () => {
  const x = [[[1], [2], [3]], [[4], [5], [6]]];
  assert.deepEqual(assertSequenceInput(x, "input"), [2, 3, 1]);
  const tensor = tf.zeros([4, 20, 2]);
  assert.deepEqual(assertSequenceInput(tensor, "input", { timesteps: 20, features: 2 }), [4, 20, 2]);
  tensor.dispose();
});

test("the S0-C4 bug: a [3, 3] matrix is refused with the expected layout, the shape and the fix", () => {
  const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
  assert.throws(
    () => assertSequenceInput(x, "SimpleRNN input"),
    (error: Error) =>
      error instanceof RangeError &&
      error.message.includes("SimpleRNN input: a recurrent layer expects a rank-3 input [batch, timesteps, features], got shape [3, 3] (rank 2)") &&
      error.message.includes("reshape to [3, 3, 1]") &&
      error.message.includes("[3, 1, 3] would be one timestep of 3 features"),
  );
  const tensor = tf.zeros([5, 7]);
  assert.throws(() => assertSequenceInput(tensor, "lstm"), /lstm: .*\[batch, timesteps, features\], got shape \[5, 7\] \(rank 2\)/);
  tensor.dispose();
  assert.throws(() => assertSequenceInput([[[[1]]]], "x"), /got shape \[1, 1, 1, 1\] \(rank 4\)\.$/);
});

test("wrong timesteps or features, an empty axis and ragged arrays are named", () => {
  const x = [[[1, 2]], [[3, 4]]];
  assert.throws(() => assertSequenceInput(x, "x", { features: 1 }), /x: expected \[batch, timesteps, features\] with features = 1, got shape \[2, 1, 2\]/);
  assert.throws(() => assertSequenceInput(x, "x", { timesteps: 20 }), /with timesteps = 20, got shape \[2, 1, 2\]/);
  assert.throws(() => assertSequenceInput([], "x"), /got shape \[0\] \(rank 1\)/);
  assert.throws(() => assertSequenceInput({ shape: [0, 3, 1] }, "x"), /\[0, 3, 1\] has an empty axis/);
  assert.throws(() => assertSequenceInput([[[1], [2]], [[3]]], "batch"), /batch: ragged input: x\[1\] has length 1 where x\[0\] has length 2; pad the sequences/);
  assert.throws(() => shapeOf([[1, [2]]], "x"), /element x\[0\]\[1\] is an array, not a number/);
  assert.throws(() => shapeOf([["a"]], "x"), /element x\[0\]\[0\] is string, not a number/);
  assert.throws(() => shapeOf(3 as unknown as number[], "x"), /x: expected a tensor or a nested array of numbers, got number/);
});
