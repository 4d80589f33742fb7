// A learner's files are never touched: practice copies they changed or made, and anything in work/; and
// `npm run check-work` reports each exercise of their notebook as passed, failed or still open, writing nothing.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { checkWork, formatReport, judgeExercises, workNotebooks } from "../../scripts/runner/check-work";
import { parseNotebook, serializeNotebook } from "../../scripts/runner/ipynb";
import { learnerFileError, WORK_DIR } from "../../scripts/runner/learner-folders";
import { practicePath, removeOrphanCopies, updatePracticeCopies, writePracticeCopy } from "../../scripts/runner/practice";
import { makeScratch, ROOT } from "../helpers/scratch";

const scratch = makeScratch("learner-work");
after(() => scratch.remove());

const EXERCISES = [
  "// %% [markdown]",
  "// ## Exercises",
  "//",
  "// 1. **Multiply.** Compute six times seven as `product`.",
  "// 2. **Add.** Compute six plus seven as `total`.",
  "// 3. **Subtract.** Compute six minus seven as `difference`.",
  "",
  "// %%",
  "const given = 6;",
  "",
  '// %% [markdown] tags=["solution"]',
  "// ## Solutions",
  "//",
  "// **1.** Multiply.",
  "",
  '// %% tags=["solution"]',
  "const product = given * 7;",
  "",
  '// %% tags=["exercise-check"]',
  'if (product !== 42) throw new Error("check failed: product is not 42");',
  "",
  '// %% [markdown] tags=["solution"]',
  "// **2.** Add.",
  "",
  '// %% tags=["solution"]',
  "const total = given + 7;",
  "",
  '// %% tags=["exercise-check"]',
  'if (total !== 13) throw new Error("check failed: total is not 13");',
  "",
  '// %% [markdown] tags=["solution"]',
  "// **3.** Subtract.",
  "",
  '// %% tags=["solution"]',
  "const difference = given - 7;",
  "",
].join("\n");

/** A notebook's practice copy in `dir`, built from the source above. */
function practiceCopy(name: string, dir: string): string {
  const source = join(scratch.dir, `${name}.ts`);
  writeFileSync(source, EXERCISES);
  const job = { sourcePath: source, notebookPath: join(scratch.dir, `${name}.ipynb`) };
  writePracticeCopy(job, dir);
  return practicePath(job, dir);
}

/** The learner's copy: each exercise's placeholder replaced by `answers[n]` (left open when missing). */
function solve(copy: string, target: string, answers: Record<number, string>): void {
  const notebook = parseNotebook(readFileSync(copy, "utf8"));
  for (const cell of notebook.cells) {
    const exercise = cell.metadata["exercise"];
    if (cell.cell_type === "code" && typeof exercise === "number" && cell.source.includes("still open") && answers[exercise] !== undefined) cell.source = answers[exercise]!;
  }
  writeFileSync(target, serializeNotebook(notebook));
}

test("check-work: a solved exercise passes, a wrong one fails with its check, an untouched one is open; nothing is written", async () => {
  const work = join(scratch.dir, "work");
  const copy = practiceCopy("03-arith", join(scratch.dir, "practice"));
  writePracticeCopy({ sourcePath: join(scratch.dir, "03-arith.ts"), notebookPath: join(scratch.dir, "03-arith.ipynb") }, work);
  const mine = join(work, "03-arith.ipynb");
  solve(copy, mine, { 1: "const product = given * 7;", 2: "const total = given - 7;" });
  const before = readFileSync(mine, "utf8");
  const filesBefore = readdirSync(work).sort();
  const report = await checkWork(mine, 60);
  assert.deepEqual(report.exercises.map(({ exercise, status }) => [exercise, status]), [[1, "passed"], [2, "failed"], [3, "open"]], formatReport(report).join("\n"));
  assert.match(report.exercises[1]!.detail ?? "", /check failed: total is not 13/);
  assert.deepEqual(report.otherFailures, []);
  assert.equal(readFileSync(mine, "utf8"), before, "the learner's notebook is not rewritten");
  assert.deepEqual(readdirSync(work).sort(), filesBefore, "no file is added to the work folder");
});

test("check-work judges from the cells: open only by its own placeholder, teaching-cell failures reported apart", () => {
  const notebook = parseNotebook(readFileSync(practiceCopy("04-judge", join(scratch.dir, "practice-judge")), "utf8"));
  const index = (exercise: number, kind: string) => notebook.cells.findIndex((c) => c.metadata["exercise"] === exercise && c.cell_type === "code" && (kind === "stub" ? c.source.includes("still open") : !c.source.includes("still open")));
  const report = judgeExercises(notebook.cells, [
    { kind: "error", cellIndex: 2, message: "ReferenceError: given is not defined" },
    { kind: "error", cellIndex: index(1, "check"), message: "Error: exercise 2 still open (quoted in a check)" },
    { kind: "error", cellIndex: index(3, "stub"), message: "Error: exercise 3 still open: write your solution in this cell" },
  ], "x.ipynb");
  assert.deepEqual(report.exercises.map(({ exercise, status }) => [exercise, status]), [[1, "failed"], [2, "passed"], [3, "open"]]);
  assert.deepEqual(report.otherFailures, ["cell 3: ReferenceError: given is not defined"]);
});

test("check-work finds the learner's notebooks by number and refuses what is not one", () => {
  const work = join(scratch.dir, "work-names");
  practiceCopy("05-a", work);
  practiceCopy("12-b", work);
  assert.deepEqual(workNotebooks([], work).map((f) => relative(work, f)), ["05-a.ipynb", "12-b.ipynb"]);
  assert.deepEqual(workNotebooks(["5"], work).map((f) => relative(work, f)), ["05-a.ipynb"]);
  assert.throws(() => workNotebooks(["07"], work), /no notebook of yours starts with 07-.*05-a\.ipynb, 12-b\.ipynb/);
  assert.throws(() => workNotebooks(["notes.txt"], work), /expected a notebook/);
});

test("npm run practice removes only its own untouched copies: a Make a Copy, an edited copy, any other file survive", () => {
  const dir = join(scratch.dir, "practice-orphans");
  const generated = practiceCopy("06-gone", dir);
  copyFileSync(generated, join(dir, "06-gone-Copy1.ipynb")); // Jupyter's Make a Copy: same content, other name
  const edited = practiceCopy("07-gone", dir);
  writeFileSync(edited, readFileSync(edited, "utf8").replace("exercise 1 still open", "my work"));
  writeFileSync(join(dir, "notes.ipynb"), "my notes, not even JSON");
  const snapshot = (file: string) => readFileSync(join(dir, file), "utf8");
  const kept = ["06-gone-Copy1.ipynb", "07-gone.ipynb", "notes.ipynb"].map((file) => [file, snapshot(file)] as const);
  // No notebook exists for any of them any more (jobs = []): only the untouched generated copy may go.
  const result = removeOrphanCopies([], dir);
  assert.deepEqual(result.removed.map((f) => relative(dir, f)), ["06-gone.ipynb"]);
  assert.deepEqual(result.kept.map(({ file, reason }) => [relative(dir, file), reason.split(" (")[0]!.split(":")[0]]), [
    ["06-gone-Copy1.ipynb", "a copy of 06-gone.ipynb under another name"],
    ["07-gone.ipynb", "changed since `npm run practice` wrote it"],
    ["notes.ipynb", "not a notebook this command wrote"],
  ]);
  for (const [file, text] of kept) assert.equal(snapshot(file), text, `${file} untouched`);
});

test("an update run keeps a practice copy the learner edited, and reports it", () => {
  const notebooks = join(scratch.dir, "nb-update");
  const dir = join(scratch.dir, "practice-update");
  const copy = practiceCopy("08-x", dir); // written from scratch.dir/08-x.ts
  const job = { sourcePath: join(scratch.dir, "08-x.ts"), notebookPath: join(scratch.dir, "08-x.ipynb") };
  const edited = readFileSync(copy, "utf8").replace("exercise 2 still open", "my work");
  writeFileSync(copy, edited);
  writeFileSync(job.sourcePath, EXERCISES.replace("Multiply.", "Multiply, now reworded."));
  const result = updatePracticeCopies([job], scratch.dir, dir);
  assert.deepEqual([result.written, result.kept.map((k) => relative(dir, k.file))], [[], ["08-x.ipynb"]]);
  assert.equal(readFileSync(copy, "utf8"), edited);
  assert.ok(!existsSync(join(notebooks, "08-x.ipynb")));
});

test("no command writes into work/ or over a practice copy: the runner's update and pull refuse, naming check-work", () => {
  assert.match(learnerFileError(join(WORK_DIR, "03-x.ipynb"), "npm run notebooks") ?? "", /is in work\/.*npm run check-work/);
  assert.match(learnerFileError(join(WORK_DIR, "sub", "03-x.ipynb"), "npm run pull") ?? "", /is in work\//);
  assert.equal(learnerFileError(join(ROOT, "notebooks", "03-x.ipynb"), "npm run notebooks"), null);
  assert.equal(learnerFileError(join(ROOT, "work-not-this", "x.ipynb"), "npm run notebooks"), null);
  const copy = readdirSync(join(ROOT, "practice")).find((name) => name.endsWith(".ipynb"))!;
  const path = join("practice", copy);
  const before = readFileSync(join(ROOT, path), "utf8");
  const tsx = (script: string, ...args: string[]) => spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "runner", script), ...args], { cwd: ROOT, encoding: "utf8" });
  const update = tsx("run-notebooks.ts", path);
  assert.equal(update.status, 2, update.stderr);
  assert.match(update.stderr, /is a practice copy, written only by `npm run practice`/);
  const pull = tsx("pull-notebook.ts", path);
  assert.equal(pull.status, 1, pull.stderr);
  assert.ok(!existsSync(join(ROOT, path.replace(/\.ipynb$/, ".ts"))), "pull created no .ts in practice/");
  assert.equal(readFileSync(join(ROOT, path), "utf8"), before);
});
