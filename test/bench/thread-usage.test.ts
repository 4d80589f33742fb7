import { test } from "node:test";
import * as assert from "node:assert/strict";
import { BUSY_SHARE, readThreadTicks, statTicks, threadUsage, ticksPerSecond } from "../../scripts/bench/thread-usage";

/** A /proc/<pid>/task/<tid>/stat line (proc(5)) with the given name, utime (field 14) and stime (field 15). */
function statLine(name: string, utime: number, stime: number): string {
  // fields 3…13: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt; 16…: cutime cstime …
  return `4242 (${name}) R 1 4242 4242 0 -1 4194304 100 0 0 0 ${utime} ${stime} 0 0 20 0 3 0 12345 1000000 500`;
}

test("statTicks adds utime and stime, whatever spaces and parentheses the thread's name holds", () => {
  assert.equal(statTicks(statLine("node", 120, 7)), 127);
  assert.equal(statTicks(statLine("my (odd) ) name", 5, 6)), 11);
  assert.throws(() => statTicks("4242 (cut"), /cannot read utime\/stime/);
});

test("threadUsage counts the threads that used at least BUSY_SHARE of a CPU and the CPU per wall second", () => {
  const hz = 100;
  const before = new Map([[1, 1000], [2, 50], [3, 7]]);
  // 2 s of wall: thread 1 used 1.9 s, thread 2 exactly the busy share (0.2 s), thread 3 less, thread 4 started during the loop.
  const after = new Map([[1, 1190], [2, 70], [3, 26], [4, 150]]);
  const u = threadUsage(before, after, 2, hz);
  assert.equal(BUSY_SHARE, 0.1);
  assert.equal(u.threads, 4);
  assert.equal(u.busy, 3);
  assert.ok(Math.abs(u.cpuPerWall - (190 + 20 + 19 + 150) / hz / 2) < 1e-12);
  assert.throws(() => threadUsage(before, after, 0, hz), /wallSeconds \(0\)/);
});

test("readThreadTicks sees the process's CPU time as process.cpuUsage does, the main thread's within it", { skip: process.platform !== "linux" }, () => {
  const hz = ticksPerSecond();
  const before = readThreadTicks()!;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let x = 0;
  while (performance.now() - t0 < 400) x += Math.sqrt(x + 1);
  const used = process.cpuUsage(cpu0);
  const after = readThreadTicks()!;
  const cpuSeconds = (used.user + used.system) / 1e6;
  const mainTicks = after.get(process.pid)! - before.get(process.pid)!;
  // Summed over threads, as process.cpuUsage counts: V8's GC and compiler threads may work too (they did in a
  // loaded CI rehearsal: main 0.35 s of the process's 0.42 s). Ticks are 1/hz s coarse, per thread.
  const allTicks = [...after].reduce((sum, [tid, ticks]) => sum + ticks - (before.get(tid) ?? 0), 0);
  const coarseness = (after.size + 1) / hz;
  assert.ok(Math.abs(allTicks / hz - cpuSeconds) <= 0.05 + coarseness, `threads ${allTicks / hz} s vs process ${cpuSeconds} s (x = ${x > 0})`);
  assert.ok(mainTicks > 0 && mainTicks / hz <= cpuSeconds + 2 / hz, `main thread ${mainTicks / hz} s of the process's ${cpuSeconds} s`);
  assert.ok(after.size >= 1 && after.has(process.pid));
});
