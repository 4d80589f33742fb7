// --check and streams split into pieces: other front ends (Jupyter, VS Code, nbclient) may store one stream as
// several consecutive outputs; the runner coalesces them. Both mean the same text and must compare equal.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compareOutputs, DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_SANITIZERS, mergeStreams, type ComparisonOptions } from "../../scripts/runner/compare-outputs";
import type { Output } from "../../scripts/runner/ipynb";

const options: ComparisonOptions = { rtol: DEFAULT_RTOL, atol: DEFAULT_ATOL, sanitizers: DEFAULT_SANITIZERS, kindsOnly: false };
const stream = (name: "stdout" | "stderr", text: string): Output => ({ output_type: "stream", name, text });
const display: Output = { output_type: "display_data", data: { "text/plain": "figure" }, metadata: {} };

test("consecutive pieces of one stream, stored or fresh, compare equal to the whole", () => {
  const whole = [stream("stdout", "epoch 1\nepoch 2\nloss 0.5\n")];
  const pieces = [stream("stdout", "epoch 1\n"), stream("stdout", "epoch "), stream("stdout", "2\nloss 0.5\n")];
  assert.equal(compareOutputs(pieces, whole, options), null, "stored in pieces");
  assert.equal(compareOutputs(whole, pieces, options), null, "fresh in pieces");
  assert.equal(compareOutputs(pieces, pieces.slice().reverse(), options)?.startsWith("output 1 (stream stdout): line 1"), true, "order still matters");
  assert.match(compareOutputs(pieces, [stream("stdout", "epoch 1\nepoch 2\nloss 0.7\n")], options) ?? "", /line 3: stored "loss 0\.5", fresh "loss 0\.7"/, "a real difference is still found");
});

test("only same-name neighbours merge: stdout and stderr, or a display between pieces, keep them apart", () => {
  const outputs = [stream("stdout", "a\n"), stream("stderr", "warn\n"), stream("stderr", "more\n"), stream("stdout", "b\n"), display, stream("stdout", "c\n"), stream("stdout", "d\n")];
  assert.deepEqual(mergeStreams(outputs), [stream("stdout", "a\n"), stream("stderr", "warn\nmore\n"), stream("stdout", "b\n"), display, stream("stdout", "c\nd\n")]);
  assert.match(compareOutputs([stream("stdout", "a\n"), stream("stderr", "b\n")], [stream("stdout", "a\nb\n")], options) ?? "", /output kinds differ/);
  assert.deepEqual(outputs[0], stream("stdout", "a\n"), "the inputs are not modified");
});
