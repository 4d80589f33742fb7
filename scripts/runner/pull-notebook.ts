/**
 * npm run pull -- notebooks/NN-slug.ipynb […]
 *
 * Turns edits made in an `.ipynb` (in Jupyter or VS Code) back into its `.ts` source: cell text, cell types and
 * authored metadata such as tags. Outputs and front-end state (collapsed, scrolled…) stay in the `.ipynb`; the
 * `.ts` header comments are kept. Run `npm run notebooks -- <the .ts>` afterwards to re-execute.
 * Exit status: 0 done, 1 a notebook could not be pulled, 2 usage error.
 */
import { existsSync, readFileSync } from "node:fs";
import { notebookToSource, readNotebookFile, writeFileAtomic } from "./ipynb";
import { learnerFileError } from "./learner-folders";
import { isCellMarker, parseNotebookSource, renderNotebookSource, SourceFormatError } from "./notebook-source";

const USAGE = "Usage: npm run pull -- <notebook.ipynb or its .ts> […]";

/** Pulls one notebook into the `.ts` beside it; returns what happened, for the console. */
export function pullNotebook(path: string): "updated" | "unchanged" | "created" {
  const notebookPath = path.endsWith(".ts") ? path.slice(0, -3) + ".ipynb" : path;
  const refused = learnerFileError(notebookPath, "npm run pull (it writes a .ts beside the notebook)");
  if (refused !== null) throw new Error(refused);
  const sourcePath = notebookPath.slice(0, -".ipynb".length) + ".ts";
  const notebook = readNotebookFile(notebookPath);
  const existing = existsSync(sourcePath) ? readFileSync(sourcePath, "utf8") : null;
  const text = renderNotebookSource(notebookToSource(notebook, existing === null ? [] : headerOf(existing, sourcePath)));
  if (text === existing) return "unchanged";
  writeFileAtomic(sourcePath, text);
  return existing === null ? "created" : "updated";
}

/** The existing header; from a source that no longer parses, its comment lines before the first marker. */
function headerOf(text: string, file: string): string[] {
  try {
    return parseNotebookSource(text, file).header;
  } catch (error) {
    if (!(error instanceof SourceFormatError)) throw error;
    const lines = text.split("\n");
    const end = lines.findIndex(isCellMarker);
    return lines.slice(0, end < 0 ? lines.length : end).filter((line) => line.startsWith("//") && !line.startsWith("// notebook-metadata:"));
  }
}

function main(args: string[]): number {
  if (args.length === 0 || args.some((arg) => arg === "-h" || arg === "--help")) {
    console.log(USAGE);
    return args.length === 0 ? 2 : 0;
  }
  const bad = args.find((arg) => !arg.endsWith(".ipynb") && !arg.endsWith(".ts"));
  if (bad !== undefined) {
    console.error(`error: ${bad} is not a notebook (.ipynb or .ts)\n${USAGE}`);
    return 2;
  }
  let failed = 0;
  for (const arg of args) {
    try {
      const outcome = pullNotebook(arg);
      console.log(`${outcome.padEnd(9)} ${arg.replace(/\.ipynb$/, ".ts")}`);
    } catch (error) {
      failed++;
      console.error(`FAIL ${arg}: ${(error as Error).message}`);
    }
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
