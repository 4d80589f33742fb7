/**
 * npm run practice [-- --check] [notebooks…]
 *
 * Practice copies for learners, committed in practice/ so they open on GitHub too: each notebook with its
 * exercises and questions and none of its answers. Everything in the Solutions section (scripts/runner/solutions.ts
 * has the rule, which --check enforces) is left out: per exercise, the copy has a prompt cell and a code cell
 * that throws "exercise N still open" until the learner writes their solution, followed by the exercise's
 * `exercise-check` cells, which check that solution. Outputs are left out (the full notebook has them), so a
 * copy changes only when its `.ts` source does. practice/ gets the same `lib` symlink as notebooks/.
 *
 * A learner's files are never touched: each copy records in its metadata its file name and a hash of its
 * cells, and this command rewrites or removes only a file that still matches both (one it wrote and nobody
 * changed since); a copy with edits, a Jupyter "Make a Copy" (`…-Copy1.ipynb`) or any other file is left
 * alone, with a warning. `npm run notebooks -- --update` keeps the copies of the notebooks it runs in step;
 * `--check` (and test/runner/practice.test.ts, in `npm test`) fails when a copy is missing, differs from what this
 * command writes, has no notebook any more, or its notebook breaks the solutions rule.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import type { NotebookJob } from "./execute-notebook";
import { buildNotebook, parseNotebook, readNotebookFile, serializeNotebook, writeFileAtomic, type Cell, type CodeCell, type Notebook } from "./ipynb";
import { findNotebookJobs, UsageError } from "./notebook-jobs";
import { parseNotebookSource } from "./notebook-source";
import { TAGS } from "./notebook-settings";
import { FileWriteError } from "./files";
import { PRACTICE_FOLDER } from "./learner-folders";
import { answersStartedIn, cellTags, exerciseOfCells, solutionProblems, solutionsStart } from "./solutions";
import { projectRoot } from "./project";

const ROOT = projectRoot();
export const NOTEBOOKS_DIR = join(ROOT, "notebooks");
export const PRACTICE_DIR = PRACTICE_FOLDER;
/** Notebook metadata key of a practice copy: what proves that this command wrote the file. */
export const PRACTICE_MARKER = "practice_copy";

/** The error a placeholder throws; `npm run check-work` reads the exercise number back from it. */
export function openExerciseMessage(exercise: number): string {
  return `exercise ${exercise} still open: write your solution in this cell`;
}
export const OPEN_EXERCISE = /exercise (\d+) still open/;

/** What an exercise's solution code becomes: run unchanged, it fails loudly instead of silently doing nothing. */
export function solutionStub(exercise: number, reference: string, namesChecked: string[] = []): string {
  return [
    `// Exercise ${exercise}: your solution here. Replace these lines with your code, then run the cell.`,
    ...(namesChecked.length > 0 ? [`// The check cell below uses your ${namesChecked.map((name) => `\`${name}\``).join(", ")}.`] : []),
    `// (The worked solution is in ${reference}.)`,
    `throw new Error(${JSON.stringify(openExerciseMessage(exercise))});`,
  ].join("\n");
}

/** Top-level names a code cell declares (`const x`, `function f`, `class C`, …). */
function declaredNames(source: string): string[] {
  return [...source.matchAll(/^(?:export\s+)?(?:const|let|var|function\*?|async\s+function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
}

/** The names an exercise's checks use that its solution declares: what the learner's solution must define. */
function namesChecked(solutions: readonly Cell[], checks: readonly Cell[]): string[] {
  const declared = new Set(solutions.flatMap((cell) => declaredNames(cell.source)));
  const used = new Set(checks.flatMap((cell) => [...cell.source.matchAll(/[A-Za-z_$][\w$]*/g)].map((m) => m[0])));
  return [...declared].filter((name) => used.has(name));
}

/** A hash of what a learner could change in a copy: each cell's kind, text, attachments and outputs. */
export function cellsHash(cells: readonly Cell[]): string {
  const content = cells.map((cell) => [cell.cell_type, cell.source, cell.attachments ?? null, cell.cell_type === "code" ? cell.outputs : null]);
  return createHash("sha256").update(JSON.stringify(content)).digest("hex");
}

/**
 * The practice version of one notebook; `reference` is the full notebook's path as seen from the copy, `file`
 * the copy's own file name (recorded, with the hash of its cells, as proof that this command wrote it).
 */
export function practiceNotebook(notebook: Notebook, reference: string, file = basename(reference)): Notebook {
  const name = basename(reference, ".ipynb");
  const header: Cell = {
    cell_type: "markdown",
    id: "practice-copy",
    metadata: {},
    source: [
      `> **Practice copy** of [${name}](${reference}): the exercises without their answers. Each exercise at the end has`,
      "> a cell for your solution, which throws until you write it, and the checks your solution must pass. The full",
      "> notebook has the worked solutions and all outputs. Work in a copy of your own: save this notebook as",
      "> `work/" + file + "` (File → Save Notebook As…) and check it with `npm run check-work`. Nothing ever",
      "> writes into `work/`; this file is rewritten by `npm run practice`, which leaves a copy you edited alone.",
    ].join("\n"),
  };
  const start = solutionsStart(notebook.cells) ?? notebook.cells.length;
  const exercises = exerciseOfCells(notebook.cells);
  const strip = (cell: Cell): Cell => (cell.cell_type === "code" ? { ...cell, outputs: [], execution_count: null } : cell);
  const cells: Cell[] = [header, ...notebook.cells.slice(0, start).map(strip)];
  if (start < notebook.cells.length) {
    cells.push({
      cell_type: "markdown",
      id: notebook.cells[start]!.id,
      metadata: { tags: [TAGS.solution] },
      source: `## Solutions\n\nYour solutions go here, one exercise at a time. The worked answers are in [${name}](${reference}).`,
    });
    // Every exercise answered, in order: several may start in one cell (prose answers), so the text counts too.
    const order = [...new Set(notebook.cells.slice(start).flatMap((cell, k) => [...answersStartedIn(cell), exercises[start + k]]).filter((n): n is number => n !== null && n !== undefined))];
    for (const exercise of order) {
      const members = notebook.cells.map((cell, index) => ({ cell, index })).filter(({ index }) => index > start && exercises[index] === exercise);
      const solutionCode = members.filter(({ cell }) => cell.cell_type === "code" && cellTags(cell).has(TAGS.solution));
      const checks = members.filter(({ cell }) => cellTags(cell).has(TAGS.exerciseCheck));
      const firstText = members.find(({ cell }) => cell.cell_type === "markdown");
      const metadata = { exercise: exercise, tags: [TAGS.solution] };
      cells.push({
        cell_type: "markdown",
        id: firstText?.cell.id ?? `exercise-${exercise}-answer`,
        metadata: metadata,
        source: `**Exercise ${exercise}.** Your answer${solutionCode.length > 0 ? ", with your code in the cell below" : ""}. (Double-click to edit.)`,
      });
      if (solutionCode.length > 0) {
        const stub: CodeCell = {
          cell_type: "code",
          id: solutionCode[0]!.cell.id,
          metadata: metadata,
          source: solutionStub(exercise, reference, namesChecked(solutionCode.map((m) => m.cell), checks.map((m) => m.cell))),
          outputs: [],
          execution_count: null,
        };
        cells.push(stub);
      }
      for (const { cell } of checks) cells.push({ ...(strip(cell) as CodeCell), metadata: { ...structuredClone(cell.metadata), exercise: exercise } });
    }
  }
  return { ...notebook, metadata: { ...notebook.metadata, [PRACTICE_MARKER]: { file: file, cells_sha256: cellsHash(cells) } }, cells: cells };
}

/**
 * Whether `file` is a practice copy as this command wrote it: its metadata names this very file and the hash
 * of its cells still matches. Anything else (edited, renamed or copied by a learner, not a notebook) is not ours
 * to overwrite or remove; the reason says why.
 */
export function untouchedPracticeCopy(file: string): { untouched: true } | { untouched: false; reason: string } {
  let notebook: Notebook;
  try {
    notebook = parseNotebook(readFileSync(file, "utf8"), file);
  } catch {
    return { untouched: false, reason: "not a notebook this command wrote (it does not parse as one)" };
  }
  const marker = notebook.metadata[PRACTICE_MARKER] as { file?: unknown; cells_sha256?: unknown } | undefined;
  if (marker === undefined || marker === null || typeof marker !== "object") return { untouched: false, reason: "not written by `npm run practice` (no practice-copy marker)" };
  if (marker.file !== basename(file)) return { untouched: false, reason: `a copy of ${String(marker.file)} under another name (e.g. Jupyter's Make a Copy)` };
  if (marker.cells_sha256 !== cellsHash(notebook.cells)) return { untouched: false, reason: "changed since `npm run practice` wrote it (edits or outputs of yours)" };
  return { untouched: true };
}

/** Where a notebook's practice copy lives. */
export function practicePath(job: NotebookJob, dir = PRACTICE_DIR): string {
  return join(dir, basename(job.notebookPath));
}

/** The full notebook a practice copy is made from: built from its `.ts` source, or the `.ipynb` when it has none. */
function fullNotebook(job: NotebookJob): Notebook {
  return job.sourcePath !== null ? buildNotebook(parseNotebookSource(readFileSync(job.sourcePath, "utf8"), job.sourcePath)) : readNotebookFile(job.notebookPath);
}

/** The text of a notebook's practice copy. */
export function practiceText(job: NotebookJob, dir = PRACTICE_DIR): string {
  return serializeNotebook(practiceNotebook(fullNotebook(job), relative(dir, job.notebookPath).split("\\").join("/"), basename(job.notebookPath)));
}

export type WriteOutcome = { outcome: "unchanged" | "written" } | { outcome: "kept"; reason: string };

/**
 * Writes the practice copy if it is missing or differs, but never over a file this command did not write or
 * that was changed since (see untouchedPracticeCopy): that one is kept, and the outcome says why.
 */
export function writePracticeCopy(job: NotebookJob, dir = PRACTICE_DIR): WriteOutcome {
  ensureLibLink(dir);
  const target = practicePath(job, dir);
  const text = practiceText(job, dir);
  if (existsSync(target)) {
    if (readFileSync(target, "utf8") === text) return { outcome: "unchanged" };
    const ours = untouchedPracticeCopy(target);
    if (!ours.untouched) return { outcome: "kept", reason: ours.reason };
  }
  writeFileAtomic(target, text);
  return { outcome: "written" };
}

/** The console line for a copy that was kept: what to do to get the new one without losing anything. */
export function keptMessage(file: string, reason: string): string {
  const shown = relative(process.cwd(), file);
  return `practice: left ${shown} as it is: ${reason}. Move your work to work/ (see README), then delete ${shown} or restore it with \`git checkout -- ${shown}\` and run \`npm run practice\` again`;
}

/**
 * What `npm run notebooks -- --update` calls: rewrites the practice copies of those notebooks that live in
 * `notebooksDir` (not of a user's notebook elsewhere); returns the files written and those kept because a
 * learner changed them. A source that cannot be read is skipped: its run has already reported it.
 */
export function updatePracticeCopies(jobs: NotebookJob[], notebooksDir = NOTEBOOKS_DIR, dir = PRACTICE_DIR): { written: string[]; kept: { file: string; reason: string }[] } {
  const written: string[] = [];
  const kept: { file: string; reason: string }[] = [];
  if (!existsSync(dir)) return { written, kept }; // a project without practice/ never gets one
  for (const job of jobs.filter((j) => resolve(dirname(j.notebookPath)) === resolve(notebooksDir))) {
    let result: WriteOutcome;
    try {
      result = writePracticeCopy(job, dir);
    } catch (error) {
      if (error instanceof FileWriteError) throw error; // a full disk or read-only folder: the run reports it
      continue; // an unreadable source: reported by the notebook's own run
    }
    if (result.outcome === "written") written.push(practicePath(job, dir));
    if (result.outcome === "kept") kept.push({ file: practicePath(job, dir), reason: result.reason });
  }
  return { written: written, kept: kept };
}

export interface PracticeProblem {
  file: string;
  problem: string;
}

/**
 * What is out of step in `dir` for the notebooks `jobs` (all of a folder: also copies whose notebook is gone),
 * including notebooks that break the solutions rule (their copy would give answers away).
 */
export function practiceProblems(jobs: NotebookJob[], dir = PRACTICE_DIR, complete = true): PracticeProblem[] {
  const problems: PracticeProblem[] = [];
  if (!isLibLink(dir)) problems.push({ file: join(dir, "lib"), problem: "missing: the symlink to ../lib that lets the copies import lib/" });
  for (const job of jobs) {
    const source = job.sourcePath ?? job.notebookPath;
    for (const { cellIndex, message } of solutionProblems(fullNotebook(job).cells)) {
      problems.push({ file: source, problem: `${cellIndex === null ? "" : `cell ${cellIndex + 1}: `}${message}` });
    }
    const file = practicePath(job, dir);
    if (!existsSync(file)) problems.push({ file, problem: "missing" });
    else if (readFileSync(file, "utf8") !== practiceText(job, dir)) problems.push({ file, problem: `differs from what \`npm run practice\` writes for ${relative(ROOT, source)}` });
  }
  if (complete) for (const file of orphanCopies(jobs, dir)) problems.push({ file, problem: "has no notebook any more" });
  return problems;
}

/** Notebooks in `dir` that are not the practice copy of any of `jobs`: copies of a removed notebook, and learners' files. */
function orphanCopies(jobs: NotebookJob[], dir: string): string[] {
  if (!existsSync(dir)) return [];
  const expected = new Set(jobs.map((job) => basename(job.notebookPath)));
  return readdirSync(dir).filter((name) => name.endsWith(".ipynb") && !expected.has(name)).map((name) => join(dir, name));
}

/**
 * Removes the copies whose notebook is gone, but only those this command wrote and nobody changed; every other
 * notebook in `dir` (a learner's "Make a Copy", an edited copy) is kept and reported.
 */
export function removeOrphanCopies(jobs: NotebookJob[], dir = PRACTICE_DIR): { removed: string[]; kept: { file: string; reason: string }[] } {
  const removed: string[] = [];
  const kept: { file: string; reason: string }[] = [];
  for (const file of orphanCopies(jobs, dir)) {
    const ours = untouchedPracticeCopy(file);
    if (ours.untouched) {
      rmSync(file);
      removed.push(file);
    } else kept.push({ file, reason: ours.reason });
  }
  return { removed: removed, kept: kept };
}

function isLibLink(dir: string): boolean {
  const link = join(dir, "lib");
  return existsSync(link) && lstatSync(link).isSymbolicLink() && existsSync(join(link, "check.ts"));
}

/**
 * Creates `dir` and its `lib` link to the project's lib/ when missing, and nothing else: an existing entry named
 * `lib` is never replaced. On Windows the link is a directory junction, which needs no special rights.
 */
export function ensureLibLink(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const link = join(dir, "lib");
  let present = true;
  try {
    lstatSync(link);
  } catch {
    present = false;
  }
  if (present) return;
  if (process.platform === "win32") symlinkSync(join(ROOT, "lib"), link, "junction");
  else symlinkSync(relative(dir, join(ROOT, "lib")), link);
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
  const broken = jobs.flatMap((job) => solutionProblems(fullNotebook(job).cells).map(({ cellIndex, message }) => `${relative(process.cwd(), job.sourcePath ?? job.notebookPath)}${cellIndex === null ? "" : `, cell ${cellIndex + 1}`}: ${message}`));
  if (broken.length > 0) {
    for (const line of broken) console.error(`error: ${line}`);
    console.error("practice: nothing written; a copy of these notebooks would give answers away (rule: scripts/README.md, Practice copies)");
    return 1;
  }
  let keptAny = false;
  for (const job of jobs) {
    const result = writePracticeCopy(job);
    if (result.outcome === "written") console.log(`wrote ${relative(process.cwd(), practicePath(job))}`);
    if (result.outcome === "kept") {
      keptAny = true;
      console.warn(keptMessage(practicePath(job), result.reason));
    }
  }
  if (complete) {
    const { removed, kept } = removeOrphanCopies(jobs);
    for (const file of removed) console.log(`removed ${relative(process.cwd(), file)} (its notebook is gone)`);
    for (const { file, reason } of kept) console.warn(`practice: not a copy of any notebook, left as it is: ${relative(process.cwd(), file)} (${reason}); your own work belongs in work/`);
  }
  return keptAny ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
