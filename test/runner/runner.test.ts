// The fault suite: each fixture notebook in test/fixtures/notebooks breaks in one way, and the runner must fail
// it with the right kind of failure, naming the cell. Every notebook gets its own fresh kernel, as in real runs.
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runNotebook, settleCeilingMs, type FailureKind, type NotebookResult, type RunOptions } from "../../scripts/runner/execute-notebook";
import { parseNotebook, serializeNotebook, type CodeCell } from "../../scripts/runner/ipynb";
import { makeScratch } from "../helpers/scratch";

const scratch = makeScratch("runner");
after(() => scratch.remove());

const source = (name: string): string => join(scratch.dir, `${name}.ts`);
const run = (name: string, options: Partial<RunOptions> = {}): Promise<NotebookResult> =>
  runNotebook({ sourcePath: source(name), notebookPath: join(scratch.dir, `${name}.ipynb`) }, { mode: "update", timeoutSeconds: 60, ...options });

function assertFailure(result: NotebookResult, kind: FailureKind, cellIndex: number | null, message: RegExp): void {
  assert.equal(result.passed, false);
  const [failure] = result.failures;
  assert.deepEqual([failure?.kind, failure?.cellIndex], [kind, cellIndex], JSON.stringify(result.failures, null, 1));
  assert.match(failure?.message ?? "", message);
  assert.equal(result.wrote, false, "a failed notebook is not written");
}

test("the late-output window: 1 s plus a quarter of the run time, at most 10 s", () => {
  assert.deepEqual([0, 4000, 20_000, 60_000].map(settleCeilingMs), [1000, 2000, 6000, 10_000]);
});

describe("fault suite: every failure signal fails the notebook and names the cell", { concurrency: 2 }, () => {
  // First, since it is the longest: five runs in a row.
  test("--update stores outputs; --check verifies them, and fails on drift, missing or out-of-sync files", async () => {
    const notebookPath = join(scratch.dir, "passes.ipynb");
    const updated = await run("passes");
    assert.deepEqual(updated.failures, []);
    assert.equal(updated.wrote, true);
    const stored = parseNotebook(readFileSync(notebookPath, "utf8"));
    const codeCells = stored.cells.filter((cell): cell is CodeCell => cell.cell_type === "code");
    assert.deepEqual(codeCells.map((cell) => cell.execution_count), [1, 2, 3, 4, null, 5], "sequential counts; the skipped cell has none");
    assert.deepEqual(codeCells[1]?.outputs.map((o) => (o.output_type === "display_data" ? o.data : null)), [{ "text/plain": "progress 100%" }, { "text/html": "<b>bold</b>" }]);
    assert.deepEqual(codeCells[2]?.outputs.map((o) => o.output_type === "error" && [o.ename, o.traceback.some((l) => l.includes("tslab/dist"))]), [["SyntaxError", false]]);

    const check = (): Promise<NotebookResult> => run("passes", { mode: "check" });
    assert.deepEqual((await check()).failures, [], "a fresh run reproduces the stored outputs (the volatile cell by kind)");

    const drifted = structuredClone(stored);
    (drifted.cells[1] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "sum 7\nthird 0.30000000000000004\n" }];
    writeFileSync(notebookPath, serializeNotebook(drifted));
    const driftResult = await check();
    assertFailure(driftResult, "output-mismatch", 1, /does not reproduce the stored output: output 1 \(stream stdout\): line 1: stored "sum 7", fresh "sum 6"/);

    const edited = structuredClone(stored);
    edited.cells[1]!.source = edited.cells[1]!.source.replace("sum", "total");
    writeFileSync(notebookPath, serializeNotebook(edited));
    assertFailure(await check(), "out-of-sync", 1, /passes\.ipynb is out of sync with .*passes\.ts: cell 2's text differs/);

    rmSync(notebookPath);
    assertFailure(await check(), "missing", null, /passes\.ipynb does not exist; build it with `npm run notebooks -- /);
  });

  test("a throwing cell stops the notebook", async () => {
    const result = await run("throws");
    assertFailure(result, "error", 1, /RangeError: bad range 42/);
    assert.deepEqual(result.timings.map((t) => [t.cellIndex, t.status]), [[0, "ok"], [1, "error"]], "the cell after the error never ran");
  });

  test("a TypeScript type error", async () => {
    assertFailure(await run("type-error"), "error", 0, /^1:7 - Type 'string' is not assignable to type 'number'\.$/);
  });

  test("a failed check from lib/check", async () => {
    assertFailure(await run("check-fails"), "error", 0, /CheckError: check failed: the loss decreases\n\s+before = 1, after = 2/);
  });

  test("a missing data file, named by lib/data", async () => {
    assertFailure(await run("missing-data"), "error", 0, /data file not found: .*no-such-file\.csv/);
  });

  test("a cell tagged raises-exception that does not raise", async () => {
    assertFailure(await run("no-raise"), "no-raise", 0, /tagged raises-exception but ran without an error/);
  });

  test("a cell aborted by tslab (sent inside its 200 ms window after an error)", async () => {
    assertFailure(await run("aborted", { afterErrorPauseMs: 0, abortRetries: 0 }), "abort", 1, /aborted the cell/);
  });

  test("an aborted cell never ran, so it is sent again after a pause and runs exactly once", async () => {
    const result = await run("aborted", { afterErrorPauseMs: 0 });
    assert.deepEqual(result.failures, []);
    const printed = result.notebook?.cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : [])).filter((output) => output.output_type === "stream");
    assert.deepEqual(printed?.map((output) => ("text" in output ? output.text : "")), ["printed once, after the abort window\n"]);
  });

  test("an unhandled promise rejection", async () => {
    const result = await run("unhandled-rejection");
    assert.ok(["late-output", "unhandled"].includes(result.failures[0]?.kind ?? ""), JSON.stringify(result.failures));
    assert.equal(result.failures[0]?.cellIndex, 0);
    assert.match(result.failures[0]?.message ?? "", /UnhandledPromiseRejection: Error: nobody awaits me/);
  });

  test("an exception thrown from a timer after the cell finished", async () => {
    assertFailure(await run("timer-throw"), "late-output", 0, /after the cell had finished[\s\S]*UncaughtException: Error: thrown from a timer/);
  });

  // A generous window keeps these event-based on a loaded machine: the runner stops waiting once the timer ran.
  test("output from a timer firing 600 ms after the last cell (the runner waits while timers are pending)", async () => {
    assertFailure(await run("late-timer", { settleCeilingMs: 60_000 }), "late-output", 0, /after cell 1 had finished[\s\S]*printed 600 ms after the last cell/);
  });

  test("the kernel exiting from a timer after the last cell", async () => {
    assertFailure(await run("exits-later", { settleCeilingMs: 60_000 }), "dead", 0, /kernel died after the last cell had finished \(exited with code 0\)/);
  });

  test("a silent timer still pending when the window closes is not a failure", async () => {
    const result = await run("interval-left", { settleCeilingMs: 300 });
    assert.deepEqual(result.failures, []);
  });

  test("process.exit(0) inside a cell", async () => {
    assertFailure(await run("exits"), "dead", 0, /kernel died during the cell \(exited with code 0\)/);
  });

  test("an infinite loop over its cell timeout", async () => {
    const result = await run("infinite-loop");
    assertFailure(result, "timeout", 0, /longer than its 1 s timeout and was interrupted/);
    // The cell's own time, not the notebook's: a kernel start takes 10 s and more on a loaded machine.
    const cell = result.timings.find((timing) => timing.cellIndex === 0);
    assert.ok(cell !== undefined && cell.durationMs < 15_000, `the cell ended after ${cell?.durationMs} ms`);
  });

  test("an .ipynb with no .ts beside it runs as it is (nbformat 4.4, no cell ids); other kernels are refused", async () => {
    const path = join(scratch.dir, "plain.ipynb");
    const cell = { cell_type: "code", metadata: {}, source: ["console.log(40 + 2)"], outputs: [{ output_type: "stream", name: "stdout", text: ["42\n"] }], execution_count: 1 };
    const text = JSON.stringify({ nbformat: 4, nbformat_minor: 4, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript" } }, cells: [cell] });
    writeFileSync(path, text);
    const checked = await runNotebook({ sourcePath: null, notebookPath: path }, { mode: "check", timeoutSeconds: 60 });
    assert.deepEqual(checked.failures, []);
    assert.equal(readFileSync(path, "utf8"), text, "--check never writes");

    const python = join(scratch.dir, "python.ipynb");
    writeFileSync(python, text.replace('"name":"tslab"', '"name":"python3"'));
    assertFailure(await runNotebook({ sourcePath: null, notebookPath: python }, { mode: "update", timeoutSeconds: 60 }), "format", null, /its kernel is "python3"/);
  });

  test("malformed JSON, reported with file, line and column", async () => {
    const path = join(scratch.dir, "malformed.ipynb");
    const result = await runNotebook({ sourcePath: null, notebookPath: path }, { mode: "check", timeoutSeconds: 60 });
    assertFailure(result, "format", null, /malformed\.ipynb: line 3, column 24: invalid JSON/);
  });

});
