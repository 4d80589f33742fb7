/**
 * Which notebooks a command line names. A `.ts` source pairs with the `.ipynb` beside it; an `.ipynb` with no
 * `.ts` beside it runs as it is; a directory means every notebook in it; `*`, `?` and `**` globs are expanded
 * here, so quoted globs work the same on every shell. A `.ts` file is a notebook only in the percent format
 * (it has a `// %%` cell marker): helper modules beside notebooks are skipped in directories and globs, and
 * refused when named. `01` is short for the notebook `01-*.ts` of the default folder. A path that names nothing
 * is refused with the names closest to it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { NotebookJob } from "./execute-notebook";
import { isCellMarker } from "./notebook-source";

export class UsageError extends Error {}

export function findNotebookJobs(args: string[], defaultDir: string): NotebookJob[] {
  const files = args.length === 0 ? notebookFilesIn(defaultDir) : args.flatMap((arg) => expandArgument(arg, defaultDir));
  const byNotebook = new Map<string, NotebookJob>();
  for (const file of files) {
    const job = jobFor(file);
    byNotebook.set(resolve(job.notebookPath), job);
  }
  return [...byNotebook.values()].sort((a, b) => a.notebookPath.localeCompare(b.notebookPath));
}

/** The name to show for a job: its source if it has one, relative to the working directory. */
export function jobName(job: NotebookJob): string {
  return relative(process.cwd(), job.sourcePath ?? job.notebookPath) || ".";
}

function jobFor(file: string): NotebookJob {
  if (file.endsWith(".ts")) {
    if (!isNotebookSource(file)) throw new UsageError(`${file}: not a notebook: a notebook source in the percent format has \`// %%\` cell markers, and this file has none (a helper module?)`);
    return { sourcePath: file, notebookPath: file.slice(0, -3) + ".ipynb" };
  }
  if (file.endsWith(".ipynb")) {
    const source = file.slice(0, -6) + ".ts";
    return { sourcePath: existsSync(source) && isNotebookSource(source) ? source : null, notebookPath: file };
  }
  throw new UsageError(`${file}: not a notebook (expected a .ts source, an .ipynb or a directory)`);
}

/** A `.ts` file is a notebook source when one of its lines is a percent-format cell marker. */
export function isNotebookSource(file: string): boolean {
  return readFileSync(file, "utf8").split(/\r?\n/).some(isCellMarker);
}

/** Notebook files only: `.ipynb`, and `.ts` files with cell markers (helper modules are left out). */
function isNotebookFile(file: string): boolean {
  return file.endsWith(".ipynb") || (file.endsWith(".ts") && !file.endsWith(".d.ts") && isNotebookSource(file));
}

function expandArgument(arg: string, defaultDir: string): string[] {
  if (/^\d+$/.test(arg) && !existsSync(arg)) return notebookByNumber(arg, defaultDir);
  if (/[*?]/.test(arg)) {
    const matches = expandGlob(arg).filter(isNotebookFile);
    if (matches.length === 0) throw new UsageError(`${arg}: no notebook matches`);
    return matches;
  }
  if (!existsSync(arg)) throw new UsageError(`${arg}: no such file or directory${nearMatches(arg, defaultDir)}`);
  if (!statSync(arg).isDirectory()) return [arg];
  const files = notebookFilesIn(arg);
  if (files.length === 0) throw new UsageError(`${arg}: no notebook in this folder (a notebook is an .ipynb, or a .ts source with \`// %%\` cell markers)`);
  return files;
}

/** `7` or `07`: the notebook `07-*.ts` (or `.ipynb`) of the default folder. */
function notebookByNumber(arg: string, defaultDir: string): string[] {
  const prefix = `${arg.padStart(2, "0")}-`;
  const names = existsSync(defaultDir) ? notebookFilesIn(defaultDir).filter((file) => basename(file).startsWith(prefix)) : [];
  // A source and its .ipynb are one notebook; findNotebookJobs pairs them.
  if (names.length === 0) throw new UsageError(`${arg}: no notebook ${relative(process.cwd(), join(defaultDir, prefix))}*${nearMatches(arg, defaultDir)}`);
  return names;
}

/** ", did you mean …?" with up to three notebook names close to what was typed, or "" when none is close. */
export function nearMatches(arg: string, defaultDir: string): string {
  const parent = dirname(arg);
  const dirs = [existsSync(parent) && statSync(parent).isDirectory() ? parent : null, existsSync(defaultDir) ? defaultDir : null].filter((d): d is string => d !== null);
  const files = new Set(dirs.flatMap((dir) => notebookFilesIn(dir)));
  // A notebook with a source is named by its source.
  const candidates = [...files].filter((file) => !(file.endsWith(".ipynb") && files.has(file.slice(0, -6) + ".ts")));
  const typed = basename(arg).toLowerCase();
  const scored = candidates
    .map((file) => {
      const name = basename(file).toLowerCase();
      const stem = name.replace(/\.(ts|ipynb)$/, "");
      const typedStem = typed.replace(/\.(ts|ipynb)$/, "");
      // "15" or "15-transfer" start a name; "losses" is part of one.
      const part = (/^\d+$/.test(typedStem) && stem.startsWith(`${typedStem.padStart(2, "0")}-`)) || (typedStem.length >= 3 && stem.includes(typedStem)) ? 1 : Infinity;
      const distance = Math.min(editDistance(typed, name), editDistance(typed, stem), part);
      return { file, distance };
    })
    .filter(({ distance }) => distance <= Math.max(2, Math.floor(typed.length / 3)))
    .sort((a, b) => a.distance - b.distance || a.file.localeCompare(b.file));
  const names = [...new Set(scored.map(({ file }) => relative(process.cwd(), file)))].slice(0, 3);
  return names.length === 0 ? "" : `; did you mean ${names.join(", ")}?`;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function notebookFilesIn(dir: string): string[] {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such directory`);
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile() && isNotebookFile(file));
}

/** Expands `*` and `?` within a path segment and `**` across segments. */
function expandGlob(pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const segments = pattern.split(/[\\/]+/).filter((segment) => segment !== "");
  const walk = (dir: string, rest: string[]): string[] => {
    const [segment, ...tail] = rest;
    if (segment === undefined) return [dir];
    const entries = (): string[] => (existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : []);
    if (segment === "**") {
      const deeper = entries().filter((name) => !name.startsWith(".") && name !== "node_modules" && statSync(join(dir, name)).isDirectory());
      return [...walk(dir, tail), ...deeper.flatMap((name) => walk(join(dir, name), rest))];
    }
    if (!/[*?]/.test(segment)) return walk(join(dir, segment), tail);
    const matcher = new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
    return entries()
      .filter((name) => matcher.test(name) && (name.startsWith(".") === segment.startsWith(".")))
      .flatMap((name) => walk(join(dir, name), tail));
  };
  const found = walk(absolute ? sep : ".", segments).filter((file) => existsSync(file) && statSync(file).isFile());
  return [...new Set(found)].sort();
}
