/**
 * Which threads of this process did the work of a timed loop: every thread's CPU time from /proc/self/task/<tid>/stat
 * before and after, so a benchmark can print the threads it really used (a "1 thread" run whose BLAS or OpenMP pool
 * also computes shows two busy threads and CPU-seconds per wall second near 2). torch_reference.py does the same
 * in Python. Linux only; elsewhere `readThreadTicks` returns null and nothing is printed.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks (user + system) per thread id. */
export type ThreadTicks = Map<number, number>;

export interface ThreadUsage {
  /** Threads of the process at the end of the loop. */
  threads: number;
  /** Threads that each used at least `BUSY_SHARE` of one CPU during the loop. */
  busy: number;
  /** CPU time of all threads per second of wall time (1 = one CPU kept busy). */
  cpuPerWall: number;
}

/** A thread counts as busy when it ran for at least this share of the loop's wall time. */
export const BUSY_SHARE = 0.1;

/** user + system ticks of one /proc/…/stat line; the command name (field 2) may hold spaces and parentheses. */
export function statTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the name, fields start at 3 (state): utime is field 14, stime field 15.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`thread-usage: cannot read utime/stime from "${stat.slice(0, 80)}"`);
  return utime + stime;
}

export function readThreadTicks(): ThreadTicks | null {
  let tids: string[];
  try {
    tids = readdirSync("/proc/self/task");
  } catch {
    return null;
  }
  const ticks: ThreadTicks = new Map();
  for (const tid of tids) {
    try {
      ticks.set(Number(tid), statTicks(readFileSync(`/proc/self/task/${tid}/stat`, "utf8")));
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ticks;
}

/** Threads used between two readings taken `wallSeconds` apart; a thread absent before started during the loop. */
export function threadUsage(before: ThreadTicks, after: ThreadTicks, wallSeconds: number, ticksPerSecond: number): ThreadUsage {
  if (!(wallSeconds > 0) || !(ticksPerSecond > 0)) throw new RangeError(`threadUsage: wallSeconds (${wallSeconds}) and ticksPerSecond (${ticksPerSecond}) must be > 0`);
  let busy = 0;
  let total = 0;
  for (const [tid, ticks] of after) {
    const used = ticks - (before.get(tid) ?? 0);
    total += used;
    if (used / ticksPerSecond >= BUSY_SHARE * wallSeconds) busy++;
  }
  return { threads: after.size, busy, cpuPerWall: total / ticksPerSecond / wallSeconds };
}

let clockTicks: number | null = null;

/** The kernel's USER_HZ (`getconf CLK_TCK`, 100 on every Linux we know). */
export function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}
