/**
 * --shard I/N: deterministic, time-balanced slices for CI matrices. Every machine computes the same split
 * from the committed `notebooks/timings.json` (seconds per notebook, kept up to date by --update runs):
 * longest notebook first, each to the least-loaded slice.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { NotebookJob, NotebookResult } from "./execute-notebook";
import { writeFileAtomic } from "./ipynb";
import { UsageError } from "./notebook-jobs";

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

export type Timings = Record<string, number>;

export const TIMINGS_FILE = "timings.json";
/** A notebook never timed costs about this much (kernel start plus a few cells). */
const UNKNOWN_SECONDS = 5;
/** Recorded times change only beyond this ratio, so re-running does not churn the file. */
const CHURN_RATIO = 1.25;

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = [Number(match?.[1]), Number(match?.[2])];
  if (!match || count < 1 || index < 1 || index > count) throw new UsageError(`--shard needs I/N with 1 ≤ I ≤ N, got ${JSON.stringify(text)}`);
  return { index, count };
}

function timingKey(job: NotebookJob): string {
  return basename(job.sourcePath ?? job.notebookPath);
}

export function selectShard(jobs: NotebookJob[], shard: Shard, timings: Timings): NotebookJob[] {
  const weight = (job: NotebookJob): number => timings[timingKey(job)] ?? UNKNOWN_SECONDS;
  const order = [...jobs].sort((a, b) => weight(b) - weight(a) || timingKey(a).localeCompare(timingKey(b)));
  const loads = new Array<number>(shard.count).fill(0);
  const chosen = new Set<NotebookJob>();
  for (const job of order) {
    const lightest = loads.indexOf(Math.min(...loads));
    loads[lightest] = (loads[lightest] ?? 0) + weight(job);
    if (lightest === shard.index - 1) chosen.add(job);
  }
  return jobs.filter((job) => chosen.has(job));
}

export function readTimings(dir: string): Timings {
  const file = join(dir, TIMINGS_FILE);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Timings;
  } catch (error) {
    throw new UsageError(`${file}: ${(error as Error).message}`);
  }
}

/** Records the times of notebooks that passed, rounded to two significant digits, when they moved enough. */
export function updateTimings(dir: string, results: NotebookResult[]): void {
  const timings = readTimings(dir);
  let changed = false;
  for (const result of results) {
    // Only notebooks of this folder: a run over other files (test fixtures, a user's notebook) records nothing.
    if (!result.passed || resolve(dirname(result.job.notebookPath)) !== resolve(dir)) continue;
    const key = timingKey(result.job);
    const seconds = Number((result.durationMs / 1000).toPrecision(2));
    const old = timings[key];
    if (old !== undefined && seconds <= old * CHURN_RATIO && seconds >= old / CHURN_RATIO) continue;
    timings[key] = seconds;
    changed = true;
  }
  for (const key of Object.keys(timings)) {
    if (!existsSync(join(dir, key))) {
      delete timings[key];
      changed = true;
    }
  }
  if (!changed) return;
  const sorted = Object.fromEntries(Object.entries(timings).sort(([a], [b]) => a.localeCompare(b)));
  writeFileAtomic(join(dir, TIMINGS_FILE), JSON.stringify(sorted, null, 2) + "\n");
}
