// Practice copies: the notebooks without their solutions, committed in practice/ and kept in step.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { runNotebook } from "../../scripts/runner/execute-notebook";
import { buildNotebook, parseNotebook, type CodeCell } from "../../scripts/runner/ipynb";
import { findNotebookJobs } from "../../scripts/runner/notebook-jobs";
import { parseNotebookSource } from "../../scripts/runner/notebook-source";
import { NOTEBOOKS_DIR, PRACTICE_DIR, practiceNotebook, practiceProblems, solutionStub, updatePracticeCopies, writePracticeCopy } from "../../scripts/runner/practice";
import { makeScratch } from "../helpers/scratch";

const scratch = makeScratch("practice");
after(() => scratch.remove());

const EXERCISE = [
  "// %% [markdown]",
  "// ## Exercises",
  "//",
  "// 1. **Multiply.** Compute six times seven as `answer`.",
  "// 2. **Why?** Say why.",
  "",
  "// %%",
  "const given = 6;",
  "",
  '// %% [markdown] tags=["solution"]',
  "// ## Solutions",
  "//",
  "// **1.** Multiply by seven:",
  "",
  '// %% tags=["solution"]',
  "const answer = given * 7;",
  "",
  '// %% tags=["exercise-check"]',
  'if (answer !== 42) throw new Error("check failed: answer is not 42");',
  "",
  '// %% [markdown] tags=["solution"]',
  "// **2.** Because 6 × 7 is the product.",
  "",
  '// %% tags=["solution"]',
  "console.log(1);",
  "",
].join("\n");

test("the committed practice/ folder is in step with the notebooks (run `npm run practice` and commit practice/)", () => {
  const problems = practiceProblems(findNotebookJobs([], NOTEBOOKS_DIR), PRACTICE_DIR);
  assert.deepEqual(problems.map(({ file, problem }) => `${relative(PRACTICE_DIR, file)}: ${problem}`), []);
});

test("a practice copy: the exercises, then per exercise a prompt, a throwing placeholder and its checks; no answers, no outputs", () => {
  const notebook = buildNotebook(parseNotebookSource(EXERCISE));
  (notebook.cells[1] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "6\n" }];
  (notebook.cells[3] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "42\n" }];
  const practice = practiceNotebook(notebook, "../notebooks/x.ipynb");
  assert.match(practice.cells[0]?.source ?? "", /^> \*\*Practice copy\*\* of \[x\]\(\.\.\/notebooks\/x\.ipynb\)/);
  assert.deepEqual(practice.cells.slice(1, 3).map((cell) => cell.source), [notebook.cells[0]!.source, "const given = 6;"]);
  assert.match(practice.cells[3]!.source, /^## Solutions\n/);
  assert.deepEqual(practice.cells.slice(4).map((cell) => [cell.cell_type, cell.metadata["exercise"], cell.source.split("\n")[0]]), [
    ["markdown", 1, "**Exercise 1.** Your answer, with your code in the cell below. (Double-click to edit.)"],
    ["code", 1, "// Exercise 1: your solution here. Replace these lines with your code, then run the cell."],
    ["code", 1, 'if (answer !== 42) throw new Error("check failed: answer is not 42");'],
    ["markdown", 2, "**Exercise 2.** Your answer, with your code in the cell below. (Double-click to edit.)"],
    ["code", 2, "// Exercise 2: your solution here. Replace these lines with your code, then run the cell."],
  ]);
  assert.equal(practice.cells[5]!.source, solutionStub(1, "../notebooks/x.ipynb", ["answer"]));
  const text = JSON.stringify(practice.cells);
  for (const answer of ["given * 7", "Multiply by seven", "Because 6", "console.log(1)"]) assert.ok(!text.includes(answer), `no answer in the copy: ${answer}`);
  for (const cell of practice.cells) if (cell.cell_type === "code") assert.deepEqual([cell.outputs, cell.execution_count], [[], null]);
  assert.equal(new Set(practice.cells.map((cell) => cell.id)).size, practice.cells.length, "cell ids are unique");
});

test("writing and checking a practice folder: missing, in step, edited (kept, not overwritten), orphaned copies", () => {
  const source = join(scratch.dir, "exercise.ts");
  writeFileSync(source, EXERCISE);
  const job = { sourcePath: source, notebookPath: join(scratch.dir, "exercise.ipynb") };
  const dir = join(scratch.dir, "practice");
  const problems = (): string[] => practiceProblems([job], dir).map(({ file, problem }) => `${relative(dir, file)}: ${problem}`);
  assert.deepEqual(problems(), ["lib: missing: the symlink to ../lib that lets the copies import lib/", "exercise.ipynb: missing"]);
  assert.deepEqual(writePracticeCopy(job, dir), { outcome: "written" });
  assert.deepEqual(writePracticeCopy(job, dir), { outcome: "unchanged" }, "unchanged: not rewritten");
  assert.deepEqual(problems(), []);
  const copy = join(dir, "exercise.ipynb");
  const edited = readFileSync(copy, "utf8").replace("exercise 1 still open", "my own work");
  writeFileSync(copy, edited);
  assert.match(problems().join("\n"), /^exercise\.ipynb: differs from what `npm run practice` writes/);
  const kept = writePracticeCopy(job, dir);
  assert.equal(kept.outcome, "kept", "a copy the learner edited is never overwritten");
  assert.equal(readFileSync(copy, "utf8"), edited);
  rmSync(copy);
  writePracticeCopy(job, dir);
  writeFileSync(join(dir, "renamed.ipynb"), "{}");
  assert.deepEqual(problems(), ["renamed.ipynb: has no notebook any more"]);
  assert.ok(existsSync(join(dir, "lib", "check.ts")), "the copies can import lib/");
});

test("--update rewrites the practice copies of the notebooks folder it ran, not of notebooks elsewhere", () => {
  const notebooks = join(scratch.dir, "nbdir");
  const elsewhere = join(scratch.dir, "elsewhere");
  for (const folder of [notebooks, elsewhere]) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "ex.ts"), EXERCISE);
  }
  writeFileSync(join(notebooks, "broken.ts"), "const x = 1;\n");
  const dir = join(scratch.dir, "practice-update");
  const jobs = [notebooks, elsewhere].flatMap((folder) => findNotebookJobs([folder], "unused"));
  assert.deepEqual(updatePracticeCopies(jobs, notebooks, dir), { written: [], kept: [] }, "a project without a practice folder never gets one");
  assert.ok(!existsSync(dir));
  mkdirSync(dir);
  assert.deepEqual(updatePracticeCopies(jobs, notebooks, dir).written.map((file) => relative(dir, file)), ["ex.ipynb"], "broken.ts is skipped");
  assert.deepEqual(updatePracticeCopies(jobs, notebooks, dir), { written: [], kept: [] }, "nothing changed");
});

test("run unchanged, a practice copy fails loudly at the first exercise", async () => {
  const source = join(scratch.dir, "exercise-run.ts");
  writeFileSync(source, EXERCISE);
  const dir = join(scratch.dir, "practice-run");
  const job = { sourcePath: source, notebookPath: join(scratch.dir, "exercise-run.ipynb") };
  writePracticeCopy(job, dir);
  const copy = join(dir, "exercise-run.ipynb");
  const result = await runNotebook({ sourcePath: null, notebookPath: copy }, { mode: "update", timeoutSeconds: 60 });
  assert.deepEqual(result.failures.map((f) => [f.kind, f.cellIndex]), [["error", 5]], JSON.stringify(result.failures));
  assert.match(result.failures[0]?.message ?? "", /Error: exercise 1 still open: write your solution in this cell/);
  assert.equal(parseNotebook(readFileSync(copy, "utf8")).cells.length, 9, "a failed run leaves the copy as it was");
});
