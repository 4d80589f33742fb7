/**
 * tsx scripts/practice.ts [--out DIR] [notebooks…]
 *
 * Writes solution-free copies of the notebooks for learners (default folder: practice/, ignored by git):
 * every cell tagged `solution` is emptied, a prompt left in its place, its outputs dropped; everything else,
 * stored outputs included, is kept. The folder gets the same `lib` symlink as notebooks/, so the copies run.
 */
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { readNotebookFile, serializeNotebook, writeFileAtomic, type Cell, type Notebook } from "./ipynb";
import type { NotebookJob } from "./execute-notebook";
import { findNotebookJobs, UsageError } from "./notebook-jobs";
import { TAGS } from "./notebook-settings";

const ROOT = join(__dirname, "..");

/** The practice version of one notebook; `reference` names the full notebook for the prompt. */
export function practiceNotebook(notebook: Notebook, reference: string): Notebook {
  const cells = notebook.cells.map((cell): Cell => {
    const tags = cell.metadata["tags"];
    if (!Array.isArray(tags) || !tags.includes(TAGS.solution)) return cell;
    if (cell.cell_type === "code") {
      return { ...cell, source: `// Your solution here. (The worked solution is in ${reference}.)\n`, outputs: [], execution_count: null };
    }
    return { ...cell, source: `*Solution left out of the practice copy; see ${reference}.*` };
  });
  return { ...notebook, cells };
}

function main(args: string[]): number {
  const outIndex = args.indexOf("--out");
  const out = outIndex >= 0 ? args[outIndex + 1] : join(ROOT, "practice");
  if (out === undefined) {
    console.error("error: --out needs a folder");
    return 2;
  }
  const paths = outIndex >= 0 ? args.filter((_, i) => i !== outIndex && i !== outIndex + 1) : args;
  let jobs: NotebookJob[];
  try {
    jobs = findNotebookJobs(paths, join(ROOT, "notebooks"));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  mkdirSync(out, { recursive: true });
  if (!existsSync(join(out, "lib"))) symlinkSync(relative(out, join(ROOT, "lib")), join(out, "lib"));
  for (const job of jobs) {
    if (!existsSync(job.notebookPath)) {
      console.error(`skipped ${job.sourcePath ?? job.notebookPath}: no .ipynb yet (run npm run notebooks first)`);
      continue;
    }
    const notebook = readNotebookFile(job.notebookPath);
    const target = join(out, basename(job.notebookPath));
    writeFileAtomic(target, serializeNotebook(practiceNotebook(notebook, relative(out, job.notebookPath))));
    console.log(`wrote ${relative(process.cwd(), target)}`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
