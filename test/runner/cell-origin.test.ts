// Late errors are blamed on the cell that scheduled them (kernel-cell-origin.cjs marks them, scripts/cell-origin.ts
// reads the marks), whatever cell ran when they arrived, so the blame does not vary with machine load.
import { after, describe, test } from "node:test";
import * as assert from "node:assert/strict";
import { join } from "node:path";
import { OriginTracker } from "../../scripts/runner/cell-origin";
import { runNotebook, type NotebookResult } from "../../scripts/runner/execute-notebook";
import type { Output } from "../../scripts/runner/ipynb";
import { makeScratch } from "../helpers/scratch";

const stderr = (text: string): Output => ({ output_type: "stream", name: "stderr", text });
const stdout = (text: string): Output => ({ output_type: "stream", name: "stdout", text });

test("origin marks are taken out of a cell's outputs and reported; a mark ending them names the next late output", () => {
  const tracker = new OriginTracker();
  const taken = tracker.fromCell([stdout("x\n"), stderr("[tslab-runner:origin=3]\nUncaughtException: Error: boom\n"), stdout("y\n"), stderr("[tslab-runner:origin=0]\n")]);
  assert.deepEqual(taken, { outputs: [stdout("x\n"), stderr("UncaughtException: Error: boom\n"), stdout("y\n")], origins: [3] });
  const late = tracker.fromOrphans([{ msgType: "stream", output: stderr("UncaughtException: Error: later\n"), afterExecute: 5 }]);
  assert.deepEqual(late.map((o) => o.origin), [0], "the trailing mark of the cell names the late output after it");
  assert.deepEqual(new OriginTracker().fromCell([stdout("[tslab-runner:origin=3]\n")]).origins, [], "only stderr carries marks");
});

test("a mark names the late output that follows it, also in the next batch; unmarked late output has no origin", () => {
  const orphans = [
    { msgType: "stream", output: stdout("late print\n"), afterExecute: 4 },
    { msgType: "stream", output: stderr("[tslab-runner:origin=1]\n"), afterExecute: 4 },
    { msgType: "stream", output: stderr("UncaughtException: Error: boom\n"), afterExecute: 4 },
    { msgType: "stream", output: stderr("UnhandledPromiseRejection: x\n"), afterExecute: 4 },
  ];
  const tracker = new OriginTracker();
  assert.deepEqual([...tracker.fromOrphans(orphans.slice(0, 2)), ...tracker.fromOrphans(orphans.slice(2))].map((o) => [o.origin, o.output.output_type === "stream" ? o.output.text : ""]), [
    [null, "late print\n"],
    [1, "UncaughtException: Error: boom\n"],
    [null, "UnhandledPromiseRejection: x\n"],
  ]);
});

const scratch = makeScratch("origin");
after(() => scratch.remove());
const run = (name: string): Promise<NotebookResult> =>
  runNotebook({ sourcePath: join(scratch.dir, `${name}.ts`), notebookPath: join(scratch.dir, `${name}.ipynb`) }, { mode: "update", timeoutSeconds: 60, settleCeilingMs: 60_000 });

describe("fault suite: late errors blamed on the cell that scheduled them", { concurrency: 2 }, () => {
  const expectBlame = (result: NotebookResult, message: RegExp): void => {
    assert.equal(result.passed, false);
    assert.deepEqual(result.failures.map((f) => [f.kind, f.cellIndex]), [["late-output", 0]], JSON.stringify(result.failures, null, 1));
    assert.match(result.failures[0]?.message ?? "", message);
    assert.doesNotMatch(result.failures[0]?.message ?? "", /tslab-runner:origin/, "the mark is not shown");
  };

  test("a timer of cell 1 throwing while cell 2 awaits", async () => {
    expectBlame(await run("late-error-while-next-runs"), /a timer or callback that this cell scheduled, after the cell had finished \(it arrived while cell 2 ran[\s\S]*UncaughtException: Error: thrown by cell 1's timer/);
  });

  test("a promise of cell 1 rejecting while cell 2 awaits", async () => {
    expectBlame(await run("late-rejection-while-next-runs"), /this cell scheduled[\s\S]*UnhandledPromiseRejection: Error: rejected for cell 1/);
  });

  test("a timer of cell 1 due while cell 2 blocks the event loop (inside or after cell 2: same blame)", async () => {
    expectBlame(await run("late-error-after-busy-cell"), /this cell scheduled[\s\S]*thrown by cell 1's timer/);
  });

  test("late output whose origin is unknown (a print, not an error) says after which cell it arrived", async () => {
    const result = await run("late-timer");
    assert.deepEqual(result.failures.map((f) => [f.kind, f.cellIndex]), [["late-output", 0]]);
    assert.match(result.failures[0]?.message ?? "", /^output arrived after cell 1 had finished; which cell scheduled it is not known[\s\S]*printed 600 ms after the last cell/);
  });
});
