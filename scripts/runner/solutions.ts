/**
 * The exercises-and-solutions rule that makes a practice copy safe to build, and the structure a practice copy
 * and the check of a learner's work (`npm run check-work`) read from it.
 *
 * A notebook with exercises ends with them: a markdown cell with the heading `## Exercises` (a numbered list,
 * `1. **Title.** …`), then a markdown cell that *starts* with `## Solutions`. From that cell to the end of the
 * notebook every cell reveals an answer, so every one is tagged `solution` (markdown and code, outputs too),
 * except code cells tagged `exercise-check`: checks that state what a solution must do without giving it away,
 * kept in the practice copy so that a learner's solution is checked. A solution paragraph starts with `**N.**`
 * (N: the exercise's number); cells up to the next `**M.**` belong to exercise N.
 */
import type { Cell } from "./ipynb";
import { TAGS } from "./notebook-settings";

const SOLUTIONS_HEADING = /^##\s+Solutions\s*$/;
const EXERCISES_HEADING = /^##\s+Exercises\s*$/;
/** The start of one exercise's answer: `**3.**` in a notebook, `**Exercise 3.**` in a practice copy. */
const ANSWER_START = /^\*\*(?:Exercise )?(\d+)\.\*\*/;
const EXERCISE_ITEM = /^(\d+)\. /;

export function cellTags(cell: Cell): Set<string> {
  const tags = cell.metadata["tags"];
  return new Set(Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : []);
}

function lines(cell: Cell): string[] {
  return cell.source.split("\n");
}

/** Index of the cell that opens the Solutions section (a markdown cell whose first line is the heading), or null. */
export function solutionsStart(cells: readonly Cell[]): number | null {
  const index = cells.findIndex((cell) => cell.cell_type === "markdown" && SOLUTIONS_HEADING.test(lines(cell)[0]!.trim()));
  return index < 0 ? null : index;
}

/** The exercise numbers listed under `## Exercises` (top-level numbered items), in order. */
export function listedExercises(cells: readonly Cell[]): number[] {
  for (const cell of cells) {
    if (cell.cell_type !== "markdown") continue;
    const text = lines(cell);
    const at = text.findIndex((line) => EXERCISES_HEADING.test(line.trim()));
    if (at < 0) continue;
    const numbers: number[] = [];
    for (const line of text.slice(at + 1)) {
      if (/^#{1,2}\s/.test(line)) break;
      const item = EXERCISE_ITEM.exec(line);
      if (item) numbers.push(Number(item[1]));
    }
    return numbers;
  }
  return [];
}

/** The exercise numbers whose answers start in a markdown cell (`**N.**` at the start of a line). */
export function answersStartedIn(cell: Cell): number[] {
  if (cell.cell_type !== "markdown") return [];
  return lines(cell).flatMap((line) => {
    const match = ANSWER_START.exec(line.trim());
    return match ? [Number(match[1])] : [];
  });
}

/**
 * For every cell, the exercise it belongs to: null before the Solutions section and in it before the first
 * `**N.**`. A cell's `exercise` metadata (written into practice copies) wins over the text, which a learner
 * may have rewritten.
 */
export function exerciseOfCells(cells: readonly Cell[]): (number | null)[] {
  const start = solutionsStart(cells);
  let current: number | null = null;
  return cells.map((cell, index) => {
    if (start === null || index < start) return null;
    const recorded = cell.metadata["exercise"];
    if (typeof recorded === "number" && Number.isInteger(recorded)) return (current = recorded);
    const started = answersStartedIn(cell);
    if (started.length > 0) current = started.at(-1)!;
    return current;
  });
}

export interface SolutionProblem {
  /** 0-based cell index, null for the notebook as a whole. */
  cellIndex: number | null;
  message: string;
}

/**
 * What breaks the rule in a notebook's cells: answers the practice copy would show, or solutions it could not
 * place. Empty for a notebook without exercises and solutions.
 */
export function solutionProblems(cells: readonly Cell[]): SolutionProblem[] {
  const problems: SolutionProblem[] = [];
  const start = solutionsStart(cells);
  const tagged = cells.flatMap((cell, index) => (cellTags(cell).has(TAGS.solution) || cellTags(cell).has(TAGS.exerciseCheck) ? [index] : []));
  const headings = cells.flatMap((cell, index) => (cell.cell_type === "markdown" && lines(cell).some((line) => SOLUTIONS_HEADING.test(line.trim())) ? [index] : []));
  for (const index of headings) {
    if (index !== start) problems.push({ cellIndex: index, message: "`## Solutions` must be the first line of its own markdown cell, and appear once: split the cell before the heading" });
  }
  if (start === null) {
    if (tagged.length > 0) problems.push({ cellIndex: tagged[0]!, message: `a cell is tagged ${TAGS.solution} or ${TAGS.exerciseCheck} but the notebook has no \`## Solutions\` section` });
    return problems;
  }
  for (const index of tagged.filter((i) => i < start)) {
    problems.push({ cellIndex: index, message: `a ${[...cellTags(cells[index]!)].join("/")} cell before \`## Solutions\`: solutions belong in the Solutions section, after the exercises` });
  }
  const exercises = exerciseOfCells(cells);
  const listed = listedExercises(cells);
  if (listed.length === 0) problems.push({ cellIndex: null, message: "a `## Solutions` section but no numbered list under a `## Exercises` heading" });
  const answered = new Set<number>();
  cells.forEach((cell, index) => {
    if (index < start) return;
    const tags = cellTags(cell);
    const isCheck = tags.has(TAGS.exerciseCheck);
    if (isCheck && tags.has(TAGS.solution)) problems.push({ cellIndex: index, message: `tagged both ${TAGS.solution} and ${TAGS.exerciseCheck}: a check is either shown to the learner or not` });
    else if (isCheck && cell.cell_type !== "code") problems.push({ cellIndex: index, message: `only code cells can be ${TAGS.exerciseCheck} cells` });
    else if (!isCheck && !tags.has(TAGS.solution)) {
      problems.push({ cellIndex: index, message: `untagged ${cell.cell_type} cell in the Solutions section: it would show its answer in the practice copy; tag it ${TAGS.solution} (\`// %% ${cell.cell_type === "code" ? "" : "[markdown] "}tags=["solution"]\`)${cell.cell_type === "code" ? ` or, if it only checks a learner's solution without revealing it, ${TAGS.exerciseCheck}` : ""}` });
    }
    for (const number of answersStartedIn(cell)) {
      if (!listed.includes(number)) problems.push({ cellIndex: index, message: `answer **${number}.** has no exercise ${number} in the \`## Exercises\` list (${listed.join(", ") || "empty"})` });
      answered.add(number);
    }
    if (cell.cell_type === "code" && exercises[index] === null) problems.push({ cellIndex: index, message: "a solution code cell before the first `**N.**` answer: start the answer it belongs to with `**N.**`" });
  });
  for (const number of listed.filter((n) => !answered.has(n))) problems.push({ cellIndex: start, message: `exercise ${number} has no answer starting with **${number}.** in the Solutions section` });
  return problems;
}
