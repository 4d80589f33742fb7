/**
 * --changed[=REF]: the notebooks worth re-running after an edit. A notebook is selected when its `.ts` or
 * `.ipynb` changed since REF (committed, staged, unstaged or untracked), when a module it imports changed
 * (relative imports followed transitively, through the notebooks/lib symlink), when a changed file in data/
 * is named (its path below data/, e.g. "sklearn/11-svm-fits.json" or "iris.csv") in the notebook or in a
 * module it imports (so a loader in lib/data.ts counts for every notebook importing lib/data), or when
 * package.json or package-lock.json changed (new dependencies can change any notebook). A data file whose
 * name is computed at run time is not noticed.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { NotebookJob } from "./execute-notebook";
import { readNotebookFile } from "./ipynb";
import { UsageError } from "./notebook-jobs";

const EVERYTHING = ["package.json", "package-lock.json"];
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
const EXTENSIONS = ["", ".ts", ".tsx", ".js", ".cjs", ".mjs", ".json", "/index.ts", "/index.js"];

export function changedNotebookJobs(jobs: NotebookJob[], ref: string, root: string): NotebookJob[] {
  const changed = changedFiles(ref, root);
  if (EVERYTHING.some((file) => changed.has(canonical(join(root, file))))) return jobs;
  const dataDir = canonical(join(root, "data")) + sep;
  const changedData = [...changed].filter((file) => file.startsWith(dataDir)).map((file) => relative(dataDir, file).split(sep).join("/"));
  return jobs.filter((job) => {
    const own = [job.sourcePath, job.notebookPath].filter((path): path is string => path !== null);
    if (own.some((path) => changed.has(canonical(path)))) return true;
    const entry = job.sourcePath ?? job.notebookPath;
    const closure = importClosure(entry);
    if ([...closure].some((file) => changed.has(file))) return true;
    return changedData.length > 0 && [entry, ...closure].some((file) => {
      const text = textOf(file);
      return changedData.some((name) => text.includes(name));
    });
  });
}

function changedFiles(ref: string, root: string): Set<string> {
  const git = (...args: string[]): string[] => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).split("\n").filter(Boolean);
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? "").trim();
      throw new UsageError(`--changed=${ref}: git ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}`);
    }
  };
  const top = git("rev-parse", "--show-toplevel")[0] ?? root;
  const files = [...git("diff", "--name-only", ref, "--"), ...git("ls-files", "--others", "--exclude-standard")];
  return new Set(files.map((file) => canonical(join(top, file))));
}

/** Every local module `entry` reaches through relative imports, as real paths (symlinks resolved). */
function importClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    for (const specifier of importsOf(file)) {
      const target = resolveModule(dirname(file), specifier);
      if (target === null || seen.has(target)) continue;
      seen.add(target);
      visit(target);
    }
  };
  visit(entry);
  return seen;
}

function importsOf(file: string): string[] {
  return [...textOf(file).matchAll(IMPORT)].map((match) => match[1] ?? "");
}

/** The code a file contributes: a module's text, a notebook's code cells; nothing for other files (JSON). */
function textOf(file: string): string {
  if (!/\.(ts|tsx|js|cjs|mjs|ipynb)$/.test(file)) return "";
  return file.endsWith(".ipynb") ? codeOf(file) : readFileSync(file, "utf8");
}

/** The code cells of a notebook; a malformed one imports nothing (its run reports the problem). */
function codeOf(file: string): string {
  try {
    return readNotebookFile(file).cells.filter((cell) => cell.cell_type === "code").map((cell) => cell.source).join("\n");
  } catch {
    return "";
  }
}

function resolveModule(dir: string, specifier: string): string | null {
  for (const extension of EXTENSIONS) {
    const candidate = resolve(dir, specifier + extension);
    if (existsSync(candidate) && statSync(candidate).isFile()) return canonical(candidate);
  }
  return null;
}

function canonical(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}
