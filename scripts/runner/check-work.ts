/**
 * npm run check-work [-- 03 | work/NN-….ipynb …]
 *
 * Runs the learner's own notebooks in `work/` (git-ignored; copies of practice/ notebooks saved there) in a
 * fresh tslab kernel and says, per exercise, whether it passed its checks, failed, or is still open (its
 * placeholder still throws "exercise N still open"). Every cell runs, so one open exercise does not hide the
 * others. Nothing is written: not the notebooks, not their outputs. The only thing this command ever creates
 * is `work/` and its `lib` link, when they are missing. Exit status: 0 every exercise checked passed, 1 some
 * exercise is open or failed (or a cell before the exercises failed), 2 usage error.
 */
import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { runNotebook, type Failure, type NotebookResult } from "./execute-notebook";
import type { Cell } from "./ipynb";
import { WORK_DIR } from "./learner-folders";
import { UsageError } from "./notebook-jobs";
import { ensureLibLink, OPEN_EXERCISE } from "./practice";
import { exerciseOfCells } from "./solutions";

export type ExerciseStatus = "passed" | "failed" | "open" | "prose";

export interface ExerciseVerdict {
  exercise: number;
  status: ExerciseStatus;
  /** For failed: the first failure, with its cell number (1-based). */
  detail?: string;
}

export interface WorkReport {
  file: string;
  exercises: ExerciseVerdict[];
  /** Failures in cells that belong to no exercise (the teaching part, or a run that could not start). */
  otherFailures: string[];
}

function firstLine(failure: Failure): string {
  const lines = failure.message.split("\n").filter((text) => /\S/.test(text) && !/^\s*at /.test(text));
  // A traceback starts with where it happened (evalmachine…:3, the source line); the error itself says more.
  const line = lines.find((text) => /^\s*\w*(Error|Exception)\b/.test(text)) ?? lines[0] ?? failure.kind;
  return `${failure.cellIndex === null ? "" : `cell ${failure.cellIndex + 1}: `}${line.trim()}`;
}

/** Each exercise's verdict from a run in "exercises" mode (pure: tested without a kernel). */
export function judgeExercises(cells: readonly Cell[], failures: readonly Failure[], file: string): WorkReport {
  const exerciseOf = exerciseOfCells(cells);
  const numbers = [...new Set(exerciseOf.filter((n): n is number => n !== null))].sort((a, b) => a - b);
  const failuresOf = (n: number | null) => failures.filter((f) => (f.cellIndex === null ? null : exerciseOf[f.cellIndex] ?? null) === n);
  const exercises = numbers.map((exercise): ExerciseVerdict => {
    const own = failuresOf(exercise);
    const open = own.find((f) => Number(OPEN_EXERCISE.exec(f.message)?.[1]) === exercise);
    if (open !== undefined) return { exercise, status: "open" };
    if (own.length > 0) return { exercise, status: "failed", detail: firstLine(own[0]!) };
    const hasCode = cells.some((cell, index) => exerciseOf[index] === exercise && cell.cell_type === "code");
    return { exercise, status: hasCode ? "passed" : "prose" };
  });
  return { file, exercises, otherFailures: failuresOf(null).map(firstLine) };
}

/** The learner's notebooks to check: all of work/, or those named (a path, or a number such as `03`). */
export function workNotebooks(args: string[], workDir = WORK_DIR): string[] {
  const all = existsSync(workDir) ? readdirSync(workDir).filter((name) => name.endsWith(".ipynb") && !name.startsWith(".")).sort() : [];
  if (args.length === 0) return all.map((name) => join(workDir, name));
  return args.flatMap((arg) => {
    if (/^\d{1,2}$/.test(arg)) {
      const prefix = arg.padStart(2, "0") + "-";
      const matches = all.filter((name) => name.startsWith(prefix));
      if (matches.length === 0) throw new UsageError(`no notebook of yours starts with ${prefix} in ${relative(process.cwd(), workDir) || "."}/ (${all.length === 0 ? "it has none yet" : `it has ${all.join(", ")}`})`);
      return matches.map((name) => join(workDir, name));
    }
    if (!arg.endsWith(".ipynb")) throw new UsageError(`${arg}: expected a notebook (.ipynb) or a topic number such as 03`);
    if (!existsSync(arg)) throw new UsageError(`${arg}: no such file`);
    return [arg];
  });
}

export async function checkWork(file: string, timeoutSeconds = 120): Promise<WorkReport> {
  const result: NotebookResult = await runNotebook({ sourcePath: null, notebookPath: file }, { mode: "exercises", timeoutSeconds });
  if (result.notebook === null) return { file, exercises: [], otherFailures: result.failures.map(firstLine) };
  return judgeExercises(result.notebook.cells, result.failures, file);
}

export function formatReport(report: WorkReport): string[] {
  const lines = [relative(process.cwd(), report.file)];
  for (const failure of report.otherFailures) lines.push(`  before the exercises: ${failure}`);
  for (const { exercise, status, detail } of report.exercises) {
    const text = {
      passed: "passed",
      failed: `failed: ${detail ?? ""}`,
      open: `still open (its cell still throws "exercise ${exercise} still open")`,
      prose: "answered in prose: nothing to check",
    }[status];
    lines.push(`  exercise ${exercise}: ${text}`);
  }
  if (report.exercises.length === 0 && report.otherFailures.length === 0) lines.push("  no exercises found (no `## Solutions` section)");
  return lines;
}

async function main(args: string[]): Promise<number> {
  if (args.some((arg) => arg === "-h" || arg === "--help")) {
    console.log("Usage: npm run check-work -- [03 | work/NN-slug.ipynb …]\nRuns your notebooks in work/ and reports each exercise: passed, failed or still open. Writes nothing.");
    return 0;
  }
  const created = !existsSync(WORK_DIR);
  ensureLibLink(WORK_DIR);
  let files: string[];
  try {
    files = workNotebooks(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  if (files.length === 0) {
    console.log(`${created ? "Created work/ (git-ignored) with its lib link. " : ""}work/ has no notebooks yet: open a practice copy (practice/NN-….ipynb), save it as work/NN-….ipynb (File → Save Notebook As…), solve the exercises there, then run \`npm run check-work\`.`);
    return 0;
  }
  let allPassed = true;
  const totals: Record<ExerciseStatus, number> = { passed: 0, failed: 0, open: 0, prose: 0 };
  for (const file of files) {
    const report = await checkWork(file);
    for (const line of formatReport(report)) console.log(line);
    for (const verdict of report.exercises) totals[verdict.status]++;
    if (report.otherFailures.length > 0 || report.exercises.some((v) => v.status === "failed" || v.status === "open")) allPassed = false;
  }
  console.log(`check-work: ${totals.passed} passed, ${totals.failed} failed, ${totals.open} open, ${totals.prose} in prose (${files.map((f) => basename(f)).join(", ")})`);
  return allPassed ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
