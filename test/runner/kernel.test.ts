// The wire-protocol client against a real tslab kernel. One kernel serves the whole file (start-up is the
// expensive part); each test leaves it usable, and the test that kills it runs last.
import { after, before, test } from "node:test";
import * as assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { LANGUAGE_INFO } from "../../scripts/runner/ipynb";
import { TslabKernel } from "../../scripts/runner/kernel";
import { isRunning } from "../helpers/scratch";
import { NOTEBOOKS_DIR } from "../helpers/paths";

const NOTEBOOKS = NOTEBOOKS_DIR;
let kernel: TslabKernel;

before(async () => {
  kernel = await TslabKernel.start({ cwd: NOTEBOOKS });
});
after(async () => {
  await kernel.shutdown();
});

/** tslab aborts requests that arrive within 200 ms of an error. */
const afterError = (): Promise<void> => sleep(250);

test("the notebook's language_info is tslab's own kernel_info reply", () => {
  assert.deepEqual((kernel.kernelInfo as { language_info?: unknown }).language_info, LANGUAGE_INFO);
});

test("the watchdog adds one thread to the kernel, not an endless chain of them", async () => {
  const threads = (): number => readdirSync(`/proc/${kernel.pid}/task`).length;
  const before = threads();
  await sleep(1000); // a chain grew by dozens of threads a second, each costing CPU
  assert.equal(threads(), before);
});

test("a cell that floods output loses nothing (queued sends, no high-water-mark drops)", async () => {
  // Beyond zeromq's default high-water mark of 1,000 messages on both sides, and many sends in flight at once:
  // before scripts/runner/kernel-send-queue.cjs and the runner's unlimited SUB socket, about a third of 2,000 lines
  // arrived and the cell's idle status was lost.
  const lines = 5000;
  const displays = 1500;
  const result = await kernel.execute(
    `for (let i = 0; i < ${lines}; i++) console.log("line " + i);\n` +
      `const flood = require("tslab"); for (let i = 0; i < ${displays}; i++) flood.display.text("shown " + i);`,
    { timeoutMs: 30_000 },
  );
  assert.equal(result.status, "ok");
  const text = result.outputs.map((o) => ("text" in o ? String(o.text) : "")).join("");
  const received = text.split("\n").filter((l) => l.startsWith("line ")).map((l) => Number(l.slice(5)));
  assert.deepEqual(received, Array.from({ length: lines }, (_, i) => i), "every line, in order");
  const shown = result.outputs.filter((o) => o.output_type === "display_data").length;
  assert.equal(shown, displays);
});

test("ok cells: the last expression and console output are coalesced stdout", async () => {
  const result = await kernel.execute('console.log("a"); console.log("b"); 1 + 1');
  assert.equal(result.status, "ok");
  assert.deepEqual(result.outputs, [{ output_type: "stream", name: "stdout", text: "a\nb\n2\n" }]);
  assert.equal(typeof result.executionCount, "number");
});

test("a runtime error and a type error come back as status error with an nbformat error output", async () => {
  const runtime = await kernel.execute('throw new RangeError("bad range 42")');
  assert.equal(runtime.status, "error");
  assert.match(runtime.stderrText, /RangeError: bad range 42/);
  const error = runtime.outputs.at(-1);
  assert.equal(error?.output_type, "error");
  assert.deepEqual(error?.output_type === "error" && [error.ename, error.evalue], ["RangeError", "bad range 42"]);
  assert.ok(error?.output_type === "error" && !error.traceback.some((line) => /node:vm|tslab\/dist/.test(line)), "internal frames are dropped");
  await afterError();

  const typed = await kernel.execute('const n: number = "three";');
  assert.equal(typed.status, "error");
  assert.deepEqual(typed.outputs, [{ output_type: "error", ename: "TypeScriptError", evalue: "Type 'string' is not assignable to type 'number'.", traceback: ["1:7 - Type 'string' is not assignable to type 'number'."] }]);
  await afterError();
});

test("a request sent within 200 ms of an error is aborted by tslab", async () => {
  const [failed, aborted] = await Promise.all([kernel.execute('throw new Error("first")'), kernel.execute("1")]);
  assert.equal(failed.status, "error");
  assert.equal(aborted.status, "abort");
  assert.deepEqual(aborted.outputs, []);
  await afterError();
});

test("update_display_data replaces the earlier output in place, even from a later cell", async () => {
  const first = await kernel.execute('import * as tslab from "tslab"; const d = tslab.newDisplay(); d.text("v1"); d.text("v2")');
  assert.deepEqual(first.outputs, [{ output_type: "display_data", data: { "text/plain": "v2" }, metadata: {} }]);
  const second = await kernel.execute('d.text("v3")');
  assert.deepEqual(second.outputs, []);
  assert.deepEqual(first.outputs, [{ output_type: "display_data", data: { "text/plain": "v3" }, metadata: {} }]);
});

test("output after a cell finished is an orphan attributed to that cell", async () => {
  const scheduling = await kernel.execute('setTimeout(() => { throw new Error("timer boom"); }, 300); "scheduled"');
  assert.equal(scheduling.status, "ok");
  const orphans = kernel.takeOrphans();
  for (const deadline = Date.now() + 30_000; orphans.length < 2 && Date.now() < deadline; orphans.push(...kernel.takeOrphans())) await sleep(20);
  // First the mark of kernel-cell-origin.cjs naming the request that scheduled the timer (scripts/cell-origin.ts).
  assert.equal(orphans.length, 2, JSON.stringify(orphans));
  const [mark, orphan] = orphans;
  assert.equal(mark?.output.output_type === "stream" ? mark.output.text : "", `[tslab-runner:origin=${scheduling.executeIndex}]\n`);
  assert.match(orphan?.output.output_type === "stream" ? orphan.output.text : "", /^UncaughtException: Error: timer boom/);
  assert.equal(orphan?.afterExecute, scheduling.executeIndex);
  assert.deepEqual(kernel.takeOrphans(), []);
});

test("the pending-work probe counts ref'd timers and immediates, not unref'd ones or tslab's own handles", async () => {
  assert.deepEqual([(await kernel.probePendingWork()).pending], [0]);
  await kernel.execute("const interval = setInterval(() => {}, 60_000); setTimeout(() => {}, 60_000).unref();");
  const probe = await kernel.probePendingWork();
  assert.deepEqual([probe.pending, probe.lateOutputs], [1, []]);
  await kernel.execute("clearInterval(interval)");
  assert.equal((await kernel.probePendingWork()).pending, 0);
});

test("a timeout interrupts a busy loop and a hung await with SIGINT; the kernel survives", async () => {
  const busy = await kernel.execute("while (true) {}", { timeoutMs: 300 });
  assert.equal(busy.status, "timeout");
  assert.match(busy.stderrText, /interrupted by `SIGINT`/);
  await afterError();
  const hung = await kernel.execute("await new Promise(() => {})", { timeoutMs: 300 });
  assert.equal(hung.status, "timeout");
  assert.match(hung.stderrText, /Interrupted asynchronously/);
  await afterError();
  assert.equal((await kernel.execute("2 + 2")).status, "ok");
});

test("process.exit() in a cell is reported as a dead kernel, and later cells too", async () => {
  const pid = kernel.pid;
  const exit = await kernel.execute('console.log("bye"); process.exit(3)');
  assert.equal(exit.status, "dead");
  assert.deepEqual(exit.outputs, [{ output_type: "stream", name: "stdout", text: "bye\n" }]);
  assert.equal(kernel.exitReason, "exited with code 3");
  assert.equal((await kernel.execute("1")).status, "dead");
  assert.equal(isRunning(pid), false);
});

test("shutdown ends the kernel process", async () => {
  const fresh = await TslabKernel.start({ cwd: NOTEBOOKS });
  assert.equal((await fresh.execute("1")).status, "ok");
  await fresh.shutdown();
  assert.equal(fresh.exitReason, "exited with code 0");
  assert.equal(isRunning(fresh.pid), false);
});
