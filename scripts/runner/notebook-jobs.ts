/**
 * Which notebooks a command line names. A `.ts` source pairs with the `.ipynb` beside it; an `.ipynb` with no
 * `.ts` beside it runs as it is; a directory means every notebook in it; `*`, `?` and `**` globs are expanded
 * here, so quoted globs work the same on every shell.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import type { NotebookJob } from "./execute-notebook";

export class UsageError extends Error {}

export function findNotebookJobs(args: string[], defaultDir: string): NotebookJob[] {
  const files = args.length === 0 ? notebookFilesIn(defaultDir) : args.flatMap(expandArgument);
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
  if (file.endsWith(".ts")) return { sourcePath: file, notebookPath: file.slice(0, -3) + ".ipynb" };
  if (file.endsWith(".ipynb")) {
    const source = file.slice(0, -6) + ".ts";
    return { sourcePath: existsSync(source) ? source : null, notebookPath: file };
  }
  throw new UsageError(`${file}: not a notebook (expected a .ts source, an .ipynb or a directory)`);
}

function expandArgument(arg: string): string[] {
  if (/[*?]/.test(arg)) {
    const matches = expandGlob(arg).filter((file) => file.endsWith(".ts") || file.endsWith(".ipynb"));
    if (matches.length === 0) throw new UsageError(`${arg}: no notebook matches`);
    return matches;
  }
  if (!existsSync(arg)) throw new UsageError(`${arg}: no such file or directory`);
  return statSync(arg).isDirectory() ? notebookFilesIn(arg) : [arg];
}

function notebookFilesIn(dir: string): string[] {
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such directory`);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts") || name.endsWith(".ipynb"))
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile());
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
