import { test } from "node:test";
import * as assert from "node:assert/strict";
import { cleanTraceback, DisplayRegistry, errorFromStderr, OutputCollector } from "../../scripts/runner/kernel-outputs";

test("streams coalesce by name like nbclient; stderr text is kept in order", () => {
  const collector = new OutputCollector(new DisplayRegistry());
  collector.handle("stream", { name: "stdout", text: "a\n" });
  collector.handle("stream", { name: "stdout", text: "b\n" });
  collector.handle("stream", { name: "stderr", text: "warn\n" });
  collector.handle("stream", { name: "stdout", text: "c\n" });
  collector.handle("status", { execution_state: "idle" });
  assert.deepEqual(collector.outputs, [
    { output_type: "stream", name: "stdout", text: "a\nb\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
  ]);
  assert.equal(collector.stderrText, "warn\n");
});

test("display ids are notebook-wide; transient is not stored; clear_output(wait) clears at the next output", () => {
  const displays = new DisplayRegistry();
  const first = new OutputCollector(displays);
  first.handle("display_data", { data: { "text/plain": "0%" }, metadata: {}, transient: { display_id: "p" } });
  const second = new OutputCollector(displays);
  second.handle("update_display_data", { data: { "text/plain": "100%" }, metadata: {}, transient: { display_id: "p" } });
  assert.deepEqual(first.outputs, [{ output_type: "display_data", data: { "text/plain": "100%" }, metadata: {} }]);
  assert.deepEqual(second.outputs, []);

  second.handle("stream", { name: "stdout", text: "old" });
  second.handle("clear_output", { wait: true });
  assert.equal(second.outputs.length, 1);
  second.handle("stream", { name: "stdout", text: "new" });
  assert.deepEqual(second.outputs, [{ output_type: "stream", name: "stdout", text: "new" }]);
  second.handle("clear_output", { wait: false });
  assert.deepEqual(second.outputs, []);
});

test("a failed cell's final stderr stream becomes one error output", () => {
  const collector = new OutputCollector(new DisplayRegistry());
  collector.handle("stream", { name: "stdout", text: "before\n" });
  collector.handle("stream", { name: "stderr", text: "RangeError: bad range 42\n    at f (evalmachine.<anonymous>:3:25)\n" });
  collector.convertStderrToError("/nb");
  assert.deepEqual(collector.outputs, [
    { output_type: "stream", name: "stdout", text: "before\n" },
    { output_type: "error", ename: "RangeError", evalue: "bad range 42", traceback: ["RangeError: bad range 42", "    at f (evalmachine.<anonymous>:3:25)"] },
  ]);
});

test("errorFromStderr reads tslab's diagnostics and Node's error printouts", () => {
  const cases: Array<[string, string, string]> = [
    ["1:7 - Type 'string' is not assignable to type 'number'.\n", "TypeScriptError", "Type 'string' is not assignable to type 'number'."],
    ["lib/bad.ts 1:14 - Cannot find name 'x'.\n", "TypeScriptError", "Cannot find name 'x'."],
    ["evalmachine.<anonymous>:3\nlabel: while (x) {}\n ^\n\nRangeError: bad range 42\n    at boom (evalmachine.<anonymous>:3:25)\n", "RangeError", "bad range 42"],
    ["Error: async fail\n    at evalmachine.<anonymous>:3:7\n", "Error", "async fail"],
    ["CheckError: check failed: loss decreases\n  before = 1, after = 2\n    at check (lib/check.js:39:15) {\n", "CheckError", "check failed: loss decreases\n  before = 1, after = 2"],
    ["a string\n", "Error", "a string"],
    ["", "Error", "(no error text)"],
  ];
  for (const [stderr, ename, evalue] of cases) {
    const error = errorFromStderr(stderr);
    assert.deepEqual([error.ename, error.evalue], [ename, evalue], stderr);
  }
});

test("cleanTraceback drops Node and tslab frames and shortens the kernel folder's paths", () => {
  const text = [
    "/repo/notebooks/lib/check.js:39",
    "CheckError: check failed: x",
    "    at check (/repo/notebooks/lib/check.js:39:15)",
    "    at sigintHandlersWrap (node:vm:280:12)",
    "    at Object.execute (/repo/node_modules/tslab/dist/executor.js:160:38)",
    "    at async ZmqServer.handleExecute (/repo/node_modules/tslab/dist/jupyter.js:406:25) {",
    "  claim: 'x'",
    "}",
  ].join("\n");
  assert.equal(cleanTraceback(text, "/repo/notebooks"), "lib/check.js:39\nCheckError: check failed: x\n    at check (lib/check.js:39:15)\n{\n  claim: 'x'\n}");
});
