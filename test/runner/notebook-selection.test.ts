// Which notebooks run, and with which settings: discovery, --shard, --changed and metadata settings.
import { after, test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { changedNotebookJobs } from "../../scripts/runner/changed-notebooks";
import type { NotebookJob } from "../../scripts/runner/execute-notebook";
import { findNotebookJobs, UsageError } from "../../scripts/runner/notebook-jobs";
import { cellSettings, notebookSettings, SettingsError } from "../../scripts/runner/notebook-settings";
import { parseShard, selectShard } from "../../scripts/runner/shards";
import { ROOT } from "../helpers/scratch";

const base = join(ROOT, ".cache", "test-runs");
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, "selection-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(dir, path, ".."), { recursive: true });
  writeFileSync(join(dir, path), text);
}

test("a .ts pairs with its .ipynb; an .ipynb alone runs as it is; directories and globs expand", () => {
  write("nb/a.ts", "// %%\n1\n");
  write("nb/a.ipynb", "{}");
  write("nb/b.ipynb", "{}");
  write("nb/notes.md", "");
  const jobs = findNotebookJobs([], join(dir, "nb"));
  assert.deepEqual(jobs.map((job) => [job.sourcePath && basename(job.sourcePath), basename(job.notebookPath)]), [["a.ts", "a.ipynb"], [null, "b.ipynb"]]);
  assert.deepEqual(findNotebookJobs([join(dir, "nb", "a.ipynb"), join(dir, "nb", "a.ts")], "unused").length, 1, "named twice, run once");
  assert.deepEqual(findNotebookJobs([join(dir, "**", "*.ipynb")], "unused").map((job) => basename(job.notebookPath)), ["a.ipynb", "b.ipynb"]);
  assert.throws(() => findNotebookJobs([join(dir, "nb", "notes.md")], "unused"), UsageError);
});

test("shards: deterministic longest-first balance (e, never timed, counts as 5 s)", () => {
  const jobs: NotebookJob[] = ["a", "b", "c", "d", "e"].map((name) => ({ sourcePath: `${name}.ts`, notebookPath: `${name}.ipynb` }));
  const timings = { "a.ts": 60, "b.ts": 30, "c.ts": 25, "d.ts": 5 };
  const names = (shard: string): string[] => selectShard(jobs, parseShard(shard), timings).map((job) => job.sourcePath ?? "");
  assert.deepEqual(names("1/2"), ["a.ts", "e.ts"]);
  assert.deepEqual(names("2/2"), ["b.ts", "c.ts", "d.ts"]);
  assert.deepEqual(names("1/1"), ["a.ts", "b.ts", "c.ts", "d.ts", "e.ts"]);
  assert.deepEqual(names("3/3"), ["c.ts", "d.ts"]);
});

/** A git repository of `files` (notebooks/ with the lib symlink), committed; `changed()` names what --changed selects. */
function gitRepo(name: string, files: Record<string, string>): { git: (...args: string[]) => string; jobs: NotebookJob[]; repo: string; changed: () => string[] } {
  const repo = join(dir, name);
  const git = (...args: string[]): string => execFileSync("git", ["-c", "user.email=t@example.org", "-c", "user.name=t", ...args], { cwd: repo, encoding: "utf8" });
  for (const [path, text] of Object.entries({ "package.json": "{}", ...files })) write(`${name}/${path}`, text);
  symlinkSync("../lib", join(repo, "notebooks", "lib"));
  git("init", "-q");
  git("add", ".");
  git("commit", "-q", "-m", "start");
  const jobs = findNotebookJobs([], join(repo, "notebooks"));
  return { git, jobs, repo, changed: () => changedNotebookJobs(jobs, "HEAD", repo).map((job) => basename(job.sourcePath ?? "")) };
}

test("--changed follows imports through the lib symlink, transitively, and includes untracked files", () => {
  const { git, jobs, repo, changed } = gitRepo("repo", {
    "lib/x.ts": 'import { y } from "./y";\nexport const x = y;\n',
    "lib/y.ts": "export const y = 1;\n",
    "lib/z.ts": "export const z = 1;\n",
    "notebooks/a.ts": '// %%\nimport { x } from "./lib/x";\n',
    "notebooks/b.ts": "// %%\n2\n",
  });
  assert.deepEqual(changed(), []);
  write("repo/lib/z.ts", "export const z = 2;\n");
  assert.deepEqual(changed(), [], "nobody imports z");
  write("repo/lib/y.ts", "export const y = 2;\n");
  assert.deepEqual(changed(), ["a.ts"], "a imports x imports y");
  write("repo/notebooks/b.ipynb", "{}");
  assert.deepEqual(changed(), ["a.ts", "b.ts"], "an untracked .ipynb counts");
  git("add", ".");
  git("commit", "-q", "-m", "more");
  assert.deepEqual(changed(), []);
  assert.deepEqual(changedNotebookJobs(jobs, "HEAD~1", repo).map((job) => basename(job.sourcePath ?? "")), ["a.ts", "b.ts"]);
  write("repo/package.json", '{"dependencies": {}}');
  assert.deepEqual(changed(), ["a.ts", "b.ts"], "a dependency change re-runs everything");
  assert.throws(() => changedNotebookJobs(jobs, "no-such-ref", repo), /--changed=no-such-ref: git diff .* failed/);
});

test("--changed follows data files named by a notebook or by a module it imports", () => {
  const { git, changed } = gitRepo("data-repo", {
    "data/x.csv": "a\n1\n",
    "data/y.csv": "a\n1\n",
    "data/sub/z.json": "{}",
    "lib/loaders.ts": 'export const loadX = () => readDataText("x.csv");\n',
    "notebooks/a.ts": '// %%\nimport { loadX } from "./lib/loaders";\n',
    "notebooks/b.ts": '// %%\nconst z = readDataText("sub/z.json");\n',
  });
  write("data-repo/data/y.csv", "a\n2\n");
  assert.deepEqual(changed(), [], "nobody names y.csv");
  write("data-repo/data/x.csv", "a\n2\n");
  assert.deepEqual(changed(), ["a.ts"], "a imports the loader that reads x.csv");
  git("commit", "-q", "-am", "x");
  write("data-repo/data/sub/z.json", '{"z": 1}');
  assert.deepEqual(changed(), ["b.ts"], "b names sub/z.json itself");
});

test("settings: cell over notebook over command line; bad values are named", () => {
  const notebook = notebookSettings({ execution: { timeout: 30 }, runner: { rtol: 1e-3, sanitizers: [{ pattern: "id \\d+", replacement: "id N" }] } }, 120);
  assert.deepEqual([notebook.timeoutSeconds, notebook.rtol], [30, 1e-3]);
  assert.equal(notebook.sanitizers.at(-1)?.pattern.source, "id \\d+");
  assert.equal(notebookSettings({}, 120).timeoutSeconds, 120);
  const cell = cellSettings({ tags: ["volatile-output"], runner: { timeout: 5 } }, notebook, 3);
  assert.deepEqual([cell.timeoutSeconds, cell.rtol, [...cell.tags]], [5, 1e-3, ["volatile-output"]]);
  assert.throws(() => notebookSettings({ execution: { timeout: "long" } }, 120), (e: Error) => e instanceof SettingsError && /execution\.timeout must be a positive number, got "long"/.test(e.message));
  assert.throws(() => cellSettings({ runner: { rtol: -1 } }, notebook, 4), /cell 4 metadata runner\.rtol must be a non-negative number/);
  assert.throws(() => notebookSettings({ runner: { sanitizers: [{ pattern: "(" }] } }, 1), /each entry is \{"pattern": regex, "replacement": text\}/);
});
