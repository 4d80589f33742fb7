import { afterEach, beforeEach, mock, test } from "node:test";
import * as assert from "node:assert/strict";
import { captureDisplays, setDisplaySink } from "../../../lib/display/display";
import { progress, progressLine, summaryLine } from "../../../lib/display/progress";

beforeEach(() => mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 }));
afterEach(() => mock.timers.reset());

test("a thousand fast updates become a few in-place updates, and the stored output is the summary", async () => {
  const sent = await captureDisplays(() => {
    const bar = progress({ total: 1000, label: "train" });
    for (let step = 1; step <= 1000; step++) {
      bar.update(step, { loss: 1 / step });
      mock.timers.tick(1); // 1 ms per step: 1 s in all
    }
    bar.done();
    bar.done(); // idempotent: no second summary
    assert.throws(() => bar.update(1001), /progress\("train"\): update\(\) after done\(\)/);
  });
  assert.ok(sent.length <= 1 + 5 + 1, `at most 5 updates per second plus the first and the summary, got ${sent.length}`);
  assert.equal(sent[0]?.update, false);
  assert.ok(sent.slice(1).every((s) => s.update), "everything after the first message updates it in place");
  assert.equal(new Set(sent.map((s) => s.message.transient.display_id)).size, 1);
  assert.equal(sent.at(-1)?.message.data["text/plain"], "train: 1000/1000 steps in 1.0 s · loss 0.001");
  assert.equal(sent.filter((s) => /steps in/.test(String(s.message.data["text/plain"]))).length, 1);
});

test("a throttled last update still appears once the interval has passed", () => {
  const shown: string[] = [];
  const restore = setDisplaySink((message) => shown.push(String(message.data["text/plain"])));
  try {
    const bar = progress({ total: 3, label: "fit" });
    bar.update(1, { loss: 0.5 });
    bar.update(2, { loss: 0.25 }); // within 200 ms: held back
    assert.equal(shown.length, 1);
    mock.timers.tick(200);
    assert.equal(shown.length, 2);
    bar.done();
  } finally {
    restore();
  }
  assert.match(shown[1] ?? "", /^fit: 2\/3 \[█{13}░{7}\]  66% · 0.2 s · loss 0.25$/);
  assert.match(shown[2] ?? "", /^fit: stopped at 2\/3 steps after 0.2 s · loss 0.25$/);
});

test("without a kernel or sink it prints plain lines sparingly: one per 2 s, plus the summary", (t) => {
  const lines: string[] = [];
  t.mock.method(console, "log", (line: string) => lines.push(line));
  const bar = progress({ total: 100, label: "sweep" });
  for (let step = 1; step <= 100; step++) {
    mock.timers.tick(50); // 5 s in all
    bar.update(step, { acc: step / 100 });
  }
  bar.done();
  assert.deepEqual(lines, [
    "sweep: 40/100 [████████░░░░░░░░░░░░]  40% · 2.0 s · acc 0.4",
    "sweep: 80/100 [████████████████░░░░]  80% · 4.0 s · acc 0.8",
    "sweep: 100/100 steps in 5.0 s · acc 1",
  ]);
});

test("line formats and argument checks", () => {
  assert.equal(progressLine("x", 0, 4, {}, 0), "x: 0/4 [░░░░░░░░░░░░░░░░░░░░]   0% · 0.0 s");
  assert.equal(progressLine("x", 5, 4, { mse: 1234.5678 }, 1500), "x: 5/4 [████████████████████] 100% · 1.5 s · mse 1235");
  assert.equal(summaryLine({ label: "x", steps: 4, total: 4, elapsedMs: 61_000, metrics: {} }), "x: 4/4 steps in 61.0 s");
  assert.throws(() => progress({ total: 0, label: "bad" }), /progress\("bad"\): total must be a positive number, got 0/);
});

test("a synchronous loop (timers cannot fire) leaves nothing scheduled after done()", async () => {
  mock.timers.reset(); // real timers: the bug only shows when the loop blocks the event loop
  const sent = await captureDisplays(async () => {
    const bar = progress({ total: 12, label: "blocking", minIntervalMs: 20 });
    for (let step = 1; step <= 12; step++) {
      const start = Date.now();
      while (Date.now() - start < 7) {
        // busy-wait: a training step that never yields
      }
      bar.update(step);
    }
    bar.done();
    await new Promise((resolve) => setTimeout(resolve, 60));
  });
  assert.match(String(sent.at(-1)?.message.data["text/plain"]), /^blocking: 12\/12 steps in/);
});
