/**
 * Seeded text-to-text tasks with T5-style task prefixes (notebook 24, S2-Q13): one encoder–decoder learns several
 * tasks from the same kind of input, and the prefix ("reverse:", "sort:") is the only thing that says which.
 *
 *   makeTextToTextExamples({ payloads: 500, minLength: 3, maxLength: 7, seed: 0 })
 *     → { task: "reverse", payload: ["c","a","d"], source: ["reverse:", "c","a","d"], target: ["d","a","c"] }, …
 *
 * Every payload appears once under every task, and its outputs differ between tasks (payloads whose reverse equals
 * their sort are redrawn), so a model that cannot see the prefix can get at most one of a payload's examples right:
 * its exact match without prefixes is ≤ 1 / (number of tasks), a bound of the data, not of a model.
 */
import { Random } from "../random";

export const TEXT_TO_TEXT_TASKS = ["reverse", "sort"] as const;
export type TextToTextTask = (typeof TEXT_TO_TEXT_TASKS)[number];

export interface TextToTextExample {
  task: TextToTextTask;
  /** The letters the task acts on. */
  payload: string[];
  /** The model's input: the task prefix token ("reverse:"), then the payload. */
  source: string[];
  /** The correct output, `applyTextTask(task, payload)`. */
  target: string[];
}

/** The truth of each task: reverse the letters, or sort them (code-point order). */
export function applyTextTask(task: TextToTextTask, payload: readonly string[]): string[] {
  if (task === "reverse") return [...payload].reverse();
  if (task === "sort") return [...payload].sort();
  throw new RangeError(`applyTextTask: unknown task "${String(task)}" (${TEXT_TO_TEXT_TASKS.join(", ")})`);
}

/** The prefix token of a task, as T5 writes it ("summarize:"). */
export const taskPrefix = (task: TextToTextTask): string => `${task}:`;

export interface TextToTextOptions {
  /** Distinct payloads; each gives one example per task. */
  payloads: number;
  minLength: number;
  maxLength: number;
  /** Letters of the payloads (default "abcdefgh"). */
  alphabet?: readonly string[];
  tasks?: readonly TextToTextTask[];
  seed: number;
}

/** Payload-major order: the examples of payload i are at i·tasks … i·tasks + tasks − 1 (split by payload, not row). */
export function makeTextToTextExamples(options: TextToTextOptions): TextToTextExample[] {
  const { payloads, minLength, maxLength, seed } = options;
  const alphabet = options.alphabet ?? [..."abcdefgh"];
  const tasks = options.tasks ?? TEXT_TO_TEXT_TASKS;
  if (!Number.isInteger(payloads) || payloads < 0) throw new RangeError(`makeTextToTextExamples: payloads must be an integer ≥ 0, got ${payloads}`);
  if (!Number.isInteger(minLength) || minLength < 2 || !Number.isInteger(maxLength) || maxLength < minLength) {
    throw new RangeError(`makeTextToTextExamples: need integers 2 ≤ minLength ≤ maxLength, got ${minLength} and ${maxLength}`);
  }
  if (new Set(alphabet).size < 2 || new Set(alphabet).size !== alphabet.length) throw new RangeError(`makeTextToTextExamples: alphabet needs ≥ 2 distinct letters, got [${alphabet.join(", ")}]`);
  if (tasks.length === 0 || new Set(tasks).size !== tasks.length) throw new RangeError(`makeTextToTextExamples: tasks must be distinct and non-empty, got [${tasks.join(", ")}]`);
  const rng = new Random(seed);
  const examples: TextToTextExample[] = [];
  for (let i = 0; i < payloads; i++) {
    let payload: string[];
    let outputs: string[];
    do {
      payload = Array.from({ length: rng.int(minLength, maxLength + 1) }, () => rng.choice(alphabet));
      outputs = tasks.map((task) => applyTextTask(task, payload).join(" "));
    } while (new Set(outputs).size < tasks.length);
    for (const task of tasks) examples.push({ task, payload, source: [taskPrefix(task), ...payload], target: applyTextTask(task, payload) });
  }
  return examples;
}
