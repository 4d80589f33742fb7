/**
 * npm run practice [-- --check] [notebooks…]
 *
 * Practice copies for learners, committed in practice/ so they open on GitHub too: each notebook with every
 * cell tagged `solution` replaced, a code cell by a stub that throws until the learner writes their own
 * solution, a markdown cell by a pointer to the full notebook. Outputs are left out (the full notebook has
 * them), so a copy changes only when its `.ts` source does. practice/ gets the same `lib` symlink as
 * notebooks/, so the copies run in Jupyter. `npm run notebooks -- --update` keeps the copies of the notebooks
 * it runs in step; `--check` (and test/practice.test.ts, in `npm test`) fails when a copy is missing, differs
 * from what this command writes, or has no notebook any more.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { FileWriteError } from "../lib/files";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { NotebookJob } from "./execute-notebook";
import { buildNotebook, readNotebookFile, serializeNotebook, writeFileAtomic, type Cell, type Notebook } from "./ipynb";
import { findNotebookJobs, UsageError } from "./notebook-jobs";
import { parseNotebookSource } from "./notebook-source";
import { TAGS } from "./notebook-settings";

const ROOT = join(__dirname, "..");
export const NOTEBOOKS_DIR = join(ROOT, "notebooks");
export const PRACTICE_DIR = join(ROOT, "practice");

/** What a solution code cell becomes: run unchanged, it fails loudly instead of silently doing nothing. */
export function solutionStub(reference: string): string {
  return [
    "// Your solution here: replace these lines, then run the cell.",
    `// (The worked solution is in ${reference}.)`,
    'throw new Error("exercise not solved yet: write your solution in this cell");',
  ].join("\n");
}

/** The practice version of one notebook; `reference` is the full notebook's path as seen from the copy. */
export function practiceNotebook(notebook: Notebook, reference: string): Notebook {
  const name = basename(reference, ".ipynb");
  const header: Cell = {
    cell_type: "markdown",
    id: "practice-copy",
    metadata: {},
    source: [
      `> **Practice copy** of [${name}](${reference}). Each worked solution is replaced by a cell for yours, which`,
      "> throws until you write it; the full notebook has the solutions and all outputs. This file is rewritten by",
      "> `npm run practice` and checked by `npm test`: keep your work in a copy (File → Save As… outside `practice/`).",
    ].join("\n"),
  };
  const cells = notebook.cells.map((cell): Cell => {
    const tags = cell.metadata["tags"];
    const solution = Array.isArray(tags) && tags.includes(TAGS.solution);
    if (cell.cell_type === "code") {
      return { ...cell, source: solution ? solutionStub(reference) : cell.source, outputs: [], execution_count: null };
    }
    return solution ? { ...cell, source: `*The solution is left out of the practice copy; see [${name}](${reference}).*`, attachments: undefined } : cell;
  });
  return { ...notebook, cells: [header, ...cells] };
}

/** Where a notebook's practice copy lives. */
export function practicePath(job: NotebookJob, dir = PRACTICE_DIR): string {
  return join(dir, basename(job.notebookPath));
}

/** The text of a notebook's practice copy, built from its `.ts` source (or from the `.ipynb` when it has none). */
export function practiceText(job: NotebookJob, dir = PRACTICE_DIR): string {
  const notebook = job.sourcePath !== null ? buildNotebook(parseNotebookSource(readFileSync(job.sourcePath, "utf8"), job.sourcePath)) : readNotebookFile(job.notebookPath);
  return serializeNotebook(practiceNotebook(notebook, relative(dir, job.notebookPath)));
}

/** Writes the practice copy if it is missing or differs; true when it wrote. */
export function writePracticeCopy(job: NotebookJob, dir = PRACTICE_DIR): boolean {
  ensureLibLink(dir);
  const target = practicePath(job, dir);
  const text = practiceText(job, dir);
  if (existsSync(target) && readFileSync(target, "utf8") === text) return false;
  writeFileAtomic(target, text);
  return true;
}

/**
 * What `npm run notebooks -- --update` calls: rewrites the practice copies of those notebooks that live in
 * `notebooksDir` (not of a user's notebook elsewhere); returns the files written. A source that cannot be
 * read is skipped: its run has already reported it.
 */
export function updatePracticeCopies(jobs: NotebookJob[], notebooksDir = NOTEBOOKS_DIR, dir = PRACTICE_DIR): string[] {
  const written: string[] = [];
  for (const job of jobs.filter((j) => resolve(dirname(j.notebookPath)) === resolve(notebooksDir))) {
    try {
      if (writePracticeCopy(job, dir)) written.push(practicePath(job, dir));
    } catch (error) {
      if (error instanceof FileWriteError) throw error; // a full disk or read-only folder: the run reports it
      // an unreadable source: reported by the notebook's own run
    }
  }
  return written;
}

export interface PracticeProblem {
  file: string;
  problem: string;
}

/** What is out of step in `dir` for the notebooks `jobs` (all of a folder: also copies whose notebook is gone). */
export function practiceProblems(jobs: NotebookJob[], dir = PRACTICE_DIR, complete = true): PracticeProblem[] {
  const problems: PracticeProblem[] = [];
  if (!isLibLink(dir)) problems.push({ file: join(dir, "lib"), problem: "missing: the symlink to ../lib that lets the copies import lib/" });
  for (const job of jobs) {
    const file = practicePath(job, dir);
    if (!existsSync(file)) problems.push({ file, problem: "missing" });
    else if (readFileSync(file, "utf8") !== practiceText(job, dir)) problems.push({ file, problem: `differs from what \`npm run practice\` writes for ${relative(ROOT, job.sourcePath ?? job.notebookPath)}` });
  }
  if (complete && existsSync(dir)) {
    const expected = new Set(jobs.map((job) => basename(job.notebookPath)));
    for (const name of readdirSync(dir).filter((file) => file.endsWith(".ipynb") && !expected.has(file))) {
      problems.push({ file: join(dir, name), problem: "has no notebook any more" });
    }
  }
  return problems;
}

function isLibLink(dir: string): boolean {
  const link = join(dir, "lib");
  return existsSync(link) && lstatSync(link).isSymbolicLink() && existsSync(join(link, "check.ts"));
}

function ensureLibLink(dir: string): void {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "lib"))) symlinkSync(relative(dir, join(ROOT, "lib")), join(dir, "lib"));
}

function main(args: string[]): number {
  const check = args.includes("--check");
  const paths = args.filter((arg) => arg !== "--check");
  const unknown = paths.find((arg) => arg.startsWith("-"));
  let jobs: NotebookJob[];
  try {
    if (unknown !== undefined) throw new UsageError(`unknown option ${unknown} (usage: npm run practice -- [--check] [notebooks…])`);
    jobs = findNotebookJobs(paths, NOTEBOOKS_DIR);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const complete = paths.length === 0;
  if (check) {
    const problems = practiceProblems(jobs, PRACTICE_DIR, complete);
    for (const { file, problem } of problems) console.log(`${relative(process.cwd(), file)}: ${problem}`);
    console.log(problems.length === 0 ? `practice: ${jobs.length} copies in sync` : "practice: out of sync; run `npm run practice` and commit practice/");
    return problems.length === 0 ? 0 : 1;
  }
  for (const job of jobs) {
    if (writePracticeCopy(job)) console.log(`wrote ${relative(process.cwd(), practicePath(job))}`);
  }
  if (complete) {
    for (const { file } of practiceProblems(jobs).filter((p) => p.problem === "has no notebook any more")) {
      rmSync(file);
      console.log(`removed ${relative(process.cwd(), file)} (its notebook is gone)`);
    }
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
