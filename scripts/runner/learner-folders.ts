/**
 * The folders that hold learners' files, which the project's commands must not write into: `work/` (git-ignored,
 * the learner's own notebooks; only `npm run check-work` creates it and its `lib` link, and only when missing)
 * and `practice/` (copies written only by `npm run practice`, which leaves a changed copy alone).
 */
import { join, relative, resolve, sep } from "node:path";
import { projectRoot } from "./project";

const ROOT = projectRoot();
export const WORK_DIR = join(ROOT, "work");
export const PRACTICE_FOLDER = join(ROOT, "practice");

function inside(file: string, dir: string): boolean {
  const path = relative(resolve(dir), resolve(file));
  return path !== "" && !path.startsWith("..") && !path.startsWith(sep) && !/^[a-zA-Z]:/.test(path);
}

/** Null if `command` may write `file`, else why not and what to run instead. */
export function learnerFileError(file: string, command: string, roots = { work: WORK_DIR, practice: PRACTICE_FOLDER }): string | null {
  if (inside(file, roots.work)) return `${relative(process.cwd(), file)} is in work/, your own notebooks, which no command writes to; ${command} would. Check your exercises with \`npm run check-work\``;
  if (inside(file, roots.practice)) return `${relative(process.cwd(), file)} is a practice copy, written only by \`npm run practice\`; ${command} would change it. Save your own copy in work/ and check it with \`npm run check-work\``;
  return null;
}
