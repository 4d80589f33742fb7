import { test } from "node:test";
import * as assert from "node:assert/strict";
import { compareOutputs, compareText, DEFAULT_ATOL, DEFAULT_RTOL, DEFAULT_SANITIZERS, sanitize, type ComparisonOptions } from "../../scripts/runner/compare-outputs";
import type { Output } from "../../scripts/runner/ipynb";

const options: ComparisonOptions = { rtol: DEFAULT_RTOL, atol: DEFAULT_ATOL, sanitizers: DEFAULT_SANITIZERS, kindsOnly: false };
const stdout = (text: string): Output => ({ output_type: "stream", name: "stdout", text });

test("numbers inside text compare within the relative tolerance; the words around them exactly", () => {
  assert.equal(compareText("loss 0.30000000000000004 after 10 epochs", "loss 0.3 after 10 epochs", options), null);
  assert.equal(compareText("tiny 1e-17", "tiny -3e-17", options), null, "the absolute floor covers values that should be zero");
  assert.equal(compareText("w = 1.9999", "w = 2.0001", options), 'line 1: stored "w = 1.9999", fresh "w = 2.0001"');
  assert.equal(compareText("w = 1.9999", "w = 2.0001", { ...options, rtol: 1e-3 }), null);
  assert.equal(compareText("accuracy 0.9", "precision 0.9", options), 'line 1: stored "accuracy 0.9", fresh "precision 0.9"');
  assert.equal(compareText("a\nb", "a", options), 'line 2: stored "b", fresh (none)');
});

test("sanitisers mask timings, rates, timestamps, addresses, temp paths and colours", () => {
  const text = "\x1b[32mdone\x1b[0m in 123.4 ms (56 it/s) at 2026-11-22T10:00:00.123Z, buffer 0x7ffd1234abcd, file /tmp/x-1/a.csv, 3 samples";
  assert.equal(sanitize(text, DEFAULT_SANITIZERS), "done in <duration> (<rate>) at <timestamp>, buffer <address>, file <tmp>, 3 samples");
  assert.equal(compareText("epoch 3 took 1.2 s", "epoch 3 took 0.9 s", options), null);
  const custom = { ...options, sanitizers: [...DEFAULT_SANITIZERS, { pattern: /seed \d+/g, replacement: "seed <n>" }] };
  assert.equal(compareText("seed 17", "seed 99", custom), null);
});

test("output kinds must match; volatile-output cells compare only kinds", () => {
  const stored = [stdout("now 1"), { output_type: "display_data", data: { "text/plain": "x" }, metadata: {} } as Output];
  assert.equal(compareOutputs(stored, [stdout("now 2"), stored[1] as Output], { ...options, kindsOnly: true }), null);
  assert.equal(compareOutputs(stored, [stdout("now 2"), stored[1] as Output], options), 'output 1 (stream stdout): line 1: stored "now 1", fresh "now 2"');
  assert.equal(compareOutputs(stored, [stdout("now 1")], { ...options, kindsOnly: true }), "output kinds differ: stored [stream stdout, display_data text/plain], fresh [stream stdout]");
});

test("figures: plotly JSON compared with tolerance, PNG bytes ignored, errors by name and message", () => {
  const figure = (y: number[], png: string): Output => ({
    output_type: "display_data",
    data: { "application/vnd.plotly.v1+json": { data: [{ type: "scatter", y }], layout: { title: { text: "loss" } } }, "image/png": png, "text/plain": "Figure" },
    metadata: {},
  });
  assert.equal(compareOutputs([figure([1, 0.5], "AAA")], [figure([1, 0.5000000001], "BBB")], options), null);
  assert.equal(
    compareOutputs([figure([1, 0.5], "AAA")], [figure([1, 0.6], "AAA")], options),
    "output 1 (display_data application/vnd.plotly.v1+json+image/png+text/plain): application/vnd.plotly.v1+json: .data[0].y[1]: stored 0.5, fresh 0.6",
  );
  const error = (evalue: string): Output => ({ output_type: "error", ename: "RangeError", evalue, traceback: [String(Math.random())] });
  assert.equal(compareOutputs([error("bad 42")], [error("bad 42")], options), null);
  assert.match(compareOutputs([error("bad 42")], [error("bad 43")], options) ?? "", /stored "RangeError: bad 42", fresh "RangeError: bad 43"/);
});
