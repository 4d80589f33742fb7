// Practice copies: the notebooks without their solutions, committed in practice/ and kept in step.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { runNotebook } from "../scripts/execute-notebook";
import { buildNotebook, parseNotebook, type CodeCell } from "../scripts/ipynb";
import { findNotebookJobs } from "../scripts/notebook-jobs";
import { parseNotebookSource } from "../scripts/notebook-source";
import { NOTEBOOKS_DIR, PRACTICE_DIR, practiceNotebook, practiceProblems, solutionStub, updatePracticeCopies, writePracticeCopy } from "../scripts/practice";
import { makeScratch } from "./scratch";

const scratch = makeScratch("practice");
after(() => scratch.remove());

const EXERCISE = [
  "// %% [markdown]",
  "// ## Exercise",
  "",
  "// %%",
  "const given = 6;",
  "",
  '// %% tags=["solution"]',
  "const answer = given * 7;",
  "console.log(answer);",
  "",
  '// %% [markdown] tags=["solution"]',
  "// Because 6 × 7.",
  "",
  "// %%",
  "console.log(1);",
  "",
].join("\n");

test("the committed practice/ folder is in step with the notebooks (run `npm run practice` and commit practice/)", () => {
  const problems = practiceProblems(findNotebookJobs([], NOTEBOOKS_DIR), PRACTICE_DIR);
  assert.deepEqual(problems.map(({ file, problem }) => `${relative(PRACTICE_DIR, file)}: ${problem}`), []);
});

test("a practice copy: a header cell, solution code stubbed, solution text replaced, no outputs, ids kept", () => {
  const notebook = buildNotebook(parseNotebookSource(EXERCISE));
  (notebook.cells[2] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "42\n" }];
  (notebook.cells[4] as CodeCell).outputs = [{ output_type: "stream", name: "stdout", text: "1\n" }];
  const practice = practiceNotebook(notebook, "../notebooks/x.ipynb");
  assert.match(practice.cells[0]?.source ?? "", /^> \*\*Practice copy\*\* of \[x\]\(\.\.\/notebooks\/x\.ipynb\)/);
  assert.deepEqual(practice.cells.slice(1).map((cell) => cell.source), [
    "## Exercise",
    "const given = 6;",
    solutionStub("../notebooks/x.ipynb"),
    "*The solution is left out of the practice copy; see [x](../notebooks/x.ipynb).*",
    "console.log(1);",
  ]);
  for (const cell of practice.cells) if (cell.cell_type === "code") assert.deepEqual([cell.outputs, cell.execution_count], [[], null]);
  assert.deepEqual(practice.cells.slice(1).map((cell) => cell.id), notebook.cells.map((cell) => cell.id));
  assert.deepEqual(practice.cells[3]?.metadata["tags"], ["solution"], "the tag stays, so the learner sees which cells are theirs");
});

test("writing and checking a practice folder: missing, in step, edited, orphaned copies", () => {
  const source = join(scratch.dir, "exercise.ts");
  writeFileSync(source, EXERCISE);
  const job = { sourcePath: source, notebookPath: join(scratch.dir, "exercise.ipynb") };
  const dir = join(scratch.dir, "practice");
  const problems = (): string[] => practiceProblems([job], dir).map(({ file, problem }) => `${relative(dir, file)}: ${problem}`);
  assert.deepEqual(problems(), ["lib: missing: the symlink to ../lib that lets the copies import lib/", "exercise.ipynb: missing"]);
  assert.equal(writePracticeCopy(job, dir), true);
  assert.equal(writePracticeCopy(job, dir), false, "unchanged: not rewritten");
  assert.deepEqual(problems(), []);
  const copy = join(dir, "exercise.ipynb");
  writeFileSync(copy, readFileSync(copy, "utf8").replace("exercise not solved yet", "solved"));
  assert.match(problems().join("\n"), /^exercise\.ipynb: differs from what `npm run practice` writes/);
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
  assert.deepEqual(updatePracticeCopies(jobs, notebooks, dir).map((file) => relative(dir, file)), ["ex.ipynb"], "broken.ts is skipped");
  assert.deepEqual(updatePracticeCopies(jobs, notebooks, dir), [], "nothing changed");
});

test("run unchanged, a practice copy fails loudly at the first exercise", async () => {
  const source = join(scratch.dir, "exercise-run.ts");
  writeFileSync(source, EXERCISE);
  const dir = join(scratch.dir, "practice-run");
  const job = { sourcePath: source, notebookPath: join(scratch.dir, "exercise-run.ipynb") };
  writePracticeCopy(job, dir);
  const copy = join(dir, "exercise-run.ipynb");
  const result = await runNotebook({ sourcePath: null, notebookPath: copy }, { mode: "update", timeoutSeconds: 60 });
  assert.deepEqual(result.failures.map((f) => [f.kind, f.cellIndex]), [["error", 3]], JSON.stringify(result.failures));
  assert.match(result.failures[0]?.message ?? "", /Error: exercise not solved yet: write your solution in this cell/);
  assert.equal(parseNotebook(readFileSync(copy, "utf8")).cells.length, 6, "a failed run leaves the copy as it was");
});
