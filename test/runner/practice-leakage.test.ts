// Practice copies give no answer away: every committed copy is scanned against its notebook's solution cells,
// and every notebook obeys the solutions rule (scripts/runner/solutions.ts) that makes this hold by construction.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { buildNotebook, parseNotebook, type Cell, type CodeCell, type Notebook } from "../../scripts/runner/ipynb";
import { findNotebookJobs } from "../../scripts/runner/notebook-jobs";
import { parseNotebookSource } from "../../scripts/runner/notebook-source";
import { NOTEBOOKS_DIR, practicePath } from "../../scripts/runner/practice";
import { cellTags, solutionProblems } from "../../scripts/runner/solutions";

const jobs = findNotebookJobs([], NOTEBOOKS_DIR).filter((job) => job.sourcePath !== null);

/** Words of a cell's text, lower-cased, without markdown/comment punctuation. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_.]+/gu) ?? [];
}

/** Every run of `n` consecutive words: two texts sharing one share a phrase of `n` words. */
function shingles(text: string, n: number): Set<string> {
  const w = words(text);
  const out = new Set<string>();
  for (let i = 0; i + n <= w.length; i++) out.add(w.slice(i, i + n).join(" "));
  return out;
}

const SHINGLE = 6;

/** The phrases of `cells` that appear nowhere in `allowed` (text the learner may see anyway). */
function phrasesOf(cells: readonly Cell[], allowed: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const cell of cells) for (const s of shingles(cell.source, SHINGLE)) if (!allowed.has(s)) out.add(s);
  return out;
}

/** What of a notebook's answers shows in its practice copy: shared phrases, solution code lines, stored outputs. */
export function leaks(full: Notebook, practice: Notebook): string[] {
  const isAnswer = (cell: Cell) => cellTags(cell).has("solution");
  const answers = full.cells.filter(isAnswer);
  const visible = full.cells.filter((cell) => !isAnswer(cell));
  const allowed = new Set(visible.flatMap((cell) => [...shingles(cell.source, SHINGLE)]));
  const answerPhrases = phrasesOf(answers, allowed);
  const found: string[] = [];
  practice.cells.forEach((cell, index) => {
    for (const s of shingles(cell.source, SHINGLE)) if (answerPhrases.has(s)) found.push(`cell ${index + 1} repeats the answer phrase "${s}"`);
    if (cell.cell_type === "code" && cell.outputs.length > 0) found.push(`cell ${index + 1} has stored outputs`);
    if (cell.attachments !== undefined) found.push(`cell ${index + 1} has attachments`);
  });
  const visibleLines = new Set(visible.flatMap((cell) => cell.source.split("\n").map((line) => line.trim())));
  const practiceLines = new Set(practice.cells.flatMap((cell) => cell.source.split("\n").map((line) => line.trim())));
  for (const cell of answers.filter((c) => c.cell_type === "code")) {
    for (const line of cell.source.split("\n").map((l) => l.trim())) {
      if (line.length >= 12 && !visibleLines.has(line) && practiceLines.has(line)) found.push(`solution code line shown: ${line}`);
    }
  }
  return found;
}

test("every notebook obeys the solutions rule: the Solutions heading opens its own cell, every cell after it is tagged", () => {
  const problems = jobs.flatMap((job) => {
    const notebook = buildNotebook(parseNotebookSource(readFileSync(job.sourcePath!, "utf8"), job.sourcePath!));
    return solutionProblems(notebook.cells).map(({ cellIndex, message }) => `${job.sourcePath} cell ${cellIndex === null ? "-" : cellIndex + 1}: ${message}`);
  });
  assert.deepEqual(problems, []);
  assert.ok(jobs.length >= 15, `all notebooks scanned (${jobs.length})`);
});

test("no practice copy shows an answer: no phrase, code line or output of a solution cell", () => {
  let scanned = 0;
  for (const job of jobs) {
    const full = buildNotebook(parseNotebookSource(readFileSync(job.sourcePath!, "utf8"), job.sourcePath!));
    const practice = parseNotebook(readFileSync(practicePath(job), "utf8"));
    assert.deepEqual(leaks(full, practice).slice(0, 5), [], practicePath(job));
    // The exercises themselves are all there.
    const exercises = full.cells.find((cell) => /^## Exercises/m.test(cell.source));
    if (exercises !== undefined) assert.ok(practice.cells.some((cell) => cell.source === exercises.source), `${practicePath(job)} keeps its exercises`);
    scanned++;
  }
  assert.ok(scanned >= 15);
});

test("the scan finds what a careless builder would leak: an untagged answer, a kept solution line, an output", () => {
  const full = buildNotebook(parseNotebookSource(readFileSync(jobs[0]!.sourcePath!, "utf8")));
  const practice = parseNotebook(readFileSync(practicePath(jobs[0]!), "utf8"));
  const answerText = full.cells.find((cell) => cell.cell_type === "markdown" && cellTags(cell).has("solution") && /\*\*2\.\*\*/.test(cell.source))!;
  const answerCode = full.cells.find((cell): cell is CodeCell => cell.cell_type === "code" && cellTags(cell).has("solution"))!;
  const withText: Notebook = { ...practice, cells: [...practice.cells, { ...answerText, metadata: {} }] };
  assert.match(leaks(full, withText).join("\n"), /repeats the answer phrase/);
  const withCode: Notebook = { ...practice, cells: [...practice.cells, { ...answerCode, outputs: [] }] };
  assert.match(leaks(full, withCode).join("\n"), /solution code line shown/);
  const withOutput: Notebook = { ...practice, cells: [...practice.cells, { cell_type: "code", id: "x", metadata: {}, source: "1", outputs: [{ output_type: "stream", name: "stdout", text: "1\n" }], execution_count: 1 }] };
  assert.match(leaks(full, withOutput).join("\n"), /stored outputs/);
});

test("the rule catches the cases that leaked before: a Solutions heading inside the exercises cell, an untagged answer cell", () => {
  const cellsOf = (text: string) => buildNotebook(parseNotebookSource(text)).cells;
  const exercises = ["// %% [markdown]", "// ## Exercises", "//", "// 1. **One.** Do it.", "// 2. **Two.** Do that."];
  const merged = cellsOf([...exercises, "//", "// ## Solutions", "//", "// **1.** Like this.", "", '// %% tags=["solution"]', "const a = 1;", ""].join("\n"));
  assert.match(solutionProblems(merged).map((p) => p.message).join("\n"), /must be the first line of its own markdown cell/);
  const untagged = cellsOf([...exercises, "", '// %% [markdown] tags=["solution"]', "// ## Solutions", "//", "// **1.** Like this.", "", "// %% [markdown]", "// **2.** The answer in prose.", ""].join("\n"));
  assert.deepEqual(solutionProblems(untagged).map((p) => [p.cellIndex, p.message.split(":")[0]]), [[2, "untagged markdown cell in the Solutions section"]]);
  const unanswered = cellsOf([...exercises, "", '// %% [markdown] tags=["solution"]', "// ## Solutions", "//", "// **1.** Like this.", ""].join("\n"));
  assert.match(solutionProblems(unanswered).map((p) => p.message).join("\n"), /exercise 2 has no answer/);
  const outside = cellsOf(['// %% tags=["solution"]', "const a = 1;", ""].join("\n"));
  assert.match(solutionProblems(outside).map((p) => p.message).join("\n"), /no `## Solutions` section/);
});
